/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Change classification, move pairing and rendering. */
#include <sys/stat.h>

#include "change.h"
#include "tap.h"

static struct vrecord rec(const char *path, char type, uint64_t ino, uint8_t digest)
{
	struct vrecord r = { .path = path, .type = type, .mask = ATTR_ALL, .mode = 0644, .ino = ino, .size = 10 };

	if (type == FT_REG) {
		memset(r.sha256, digest, SHA256_LEN);
		r.has_sha256 = true;
	}
	return r;
}

struct collected {
	struct change c[16];
	char paths[16][64];
	size_t n;
};

static int collect(const struct change *c, void *userdata)
{
	struct collected *col = userdata;

	if (col->n < 16) {
		col->c[col->n] = *c;
		snprintf(col->paths[col->n], 64, "%s", c->path);
		col->n++;
	}
	return 0;
}

int main(void)
{
	struct vrecord a = rec("/a", FT_REG, 1, 1), b = rec("/a", FT_REG, 1, 1);
	struct change c;
	struct strbuf sb = STRBUF_INIT;

	is_int(change_classify(&a, &b, &c), 0, "identical records: no change");
	b.mode = 04755;
	is_int(change_classify(&a, &b, &c), 1, "mode change detected");
	is_int(c.action, CHANGE_ATTRIBUTES_MODIFIED, "mode change is attributes_modified");
	is_int(c.changed, ATTR_MODE, "changed = mode");
	is_int(c.severity, SEVERITY_HIGH, "gaining setuid is high");
	b = a;
	b.sha256[0] ^= 1;
	b.size = 11;
	is_int(change_classify(&a, &b, &c), 1, "content change detected");
	is_int(c.action, CHANGE_UPDATED, "content change is updated");
	is_int(c.changed, ATTR_SHA256 | ATTR_SIZE, "changed = sha256 size");
	b = a;
	b.mtime_ns = 5;
	change_classify(&a, &b, &c);
	is_int(c.severity, SEVERITY_LOW, "only mtime: low");
	b = a;
	b.mask = ATTR_ALL & ~ATTR_MTIME;
	b.mtime_ns = 5;
	is_int(change_classify(&a, &b, &c), 0, "attribute outside the mask is not compared");
	b = rec("/a", FT_LNK, 1, 0);
	change_classify(&a, &b, &c);
	is_int(c.action, CHANGE_TYPE_CHANGED, "file -> symlink is type_changed");
	{
		struct vrecord l1 = rec("/l", FT_LNK, 2, 0), l2 = l1;

		l1.link = "/usr/bin/true";
		l2.link = "/tmp/evil";
		change_classify(&l1, &l2, &c);
		is_int(c.action, CHANGE_UPDATED, "symlink retarget is updated");
		is_int(c.changed, ATTR_LINK, "changed = link");
		/* lstat(2) size of a symlink is its target's length: a size
		 * change is a retarget even when the target is not recorded. */
		l1.mask = l2.mask = ATTR_ALL & ~ATTR_LINK;
		l2.size = 9;
		change_classify(&l1, &l2, &c);
		is_int(c.action, CHANGE_UPDATED, "symlink size change without a recorded target is updated");
		is_int(c.changed, ATTR_SIZE, "changed = size");
	}
	/* A directory's size follows its entries; it has no content. */
	{
		struct vrecord d1 = rec("/d", FT_DIR, 3, 0), d2 = d1;

		d2.size = 8192;
		d2.mtime_ns = d2.ctime_ns = 7;
		is_int(change_classify(&d1, &d2, &c), 1, "directory that grew: a change");
		is_int(c.action, CHANGE_ATTRIBUTES_MODIFIED, "directory size change is attributes_modified");
		is_int(c.changed, ATTR_SIZE | ATTR_MTIME | ATTR_CTIME, "changed = size mtime ctime");
		is_int(c.severity, SEVERITY_LOW, "directory size and times only: low");
		d2.mode = 0777;
		change_classify(&d1, &d2, &c);
		is_int(c.action, CHANGE_ATTRIBUTES_MODIFIED, "directory size + mode: attributes_modified");
		is_int(c.severity, SEVERITY_MEDIUM, "directory size + mode: medium");
		strbuf_reset(&sb);
		change_to_json(&c, &sb);
		ok(strstr(strbuf_str(&sb), "\"action\":\"attributes_modified\",\"path\":\"/d\",\"changed\":[\"mode\",\"size\",\"mtime\",\"ctime\"]") != NULL,
		   "directory JSON: attributes_modified with size in changed: %s", strbuf_str(&sb));
	}
	/* Devices and FIFOs have no content either (their size is 0 anyway). */
	{
		struct vrecord f1 = rec("/p", FT_FIFO, 4, 0), f2 = f1;

		f2.size = 1;
		change_classify(&f1, &f2, &c);
		is_int(c.action, CHANGE_ATTRIBUTES_MODIFIED, "FIFO size change is attributes_modified");
	}
	/* A regular file without a recorded digest: the size is its content. */
	{
		struct vrecord f1 = rec("/s", FT_REG, 5, 1), f2 = f1;

		f1.mask = f2.mask = ATTR_ALL & ~ATTR_SHA256;
		f2.size = 11;
		change_classify(&f1, &f2, &c);
		is_int(c.action, CHANGE_UPDATED, "file size change without a digest is updated");
		is_int(c.severity, SEVERITY_HIGH, "and high");
	}

	/* diff: deleted, created, moved, unchanged, in path order */
	{
		struct vrecord old[] = { rec("/d/gone", FT_REG, 10, 2), rec("/d/keep", FT_REG, 11, 3),
					 rec("/d/old-name", FT_REG, 12, 4) };
		struct vrecord new[] = { rec("/d/keep", FT_REG, 11, 3), rec("/d/new", FT_REG, 13, 5),
					 rec("/d/renamed", FT_REG, 12, 4) };
		struct collected col = { 0 };

		is_int(change_diff(old, 3, new, 3, collect, &col), 3, "three changes");
		is_str(col.paths[0], "/d/gone", "first: /d/gone");
		is_int(col.c[0].action, CHANGE_DELETED, "/d/gone deleted");
		is_int(col.c[1].action, CHANGE_CREATED, "/d/new created");
		is_int(col.c[2].action, CHANGE_MOVED, "/d/renamed moved");
		is_str(col.c[2].moved_from, "/d/old-name", "moved from /d/old-name");
	}
	/* same digest, different inode: a copy, not a move */
	{
		struct vrecord old[] = { rec("/x", FT_REG, 20, 6) };
		struct vrecord new[] = { rec("/y", FT_REG, 21, 6) };
		struct collected col = { 0 };

		is_int(change_diff(old, 1, new, 1, collect, &col), 2, "copy + delete: two changes");
		is_int(col.c[0].action, CHANGE_DELETED, "copy: deleted");
		is_int(col.c[1].action, CHANGE_CREATED, "copy: created");
	}
	/* path order: '/' sorts before other bytes */
	ok(path_compare("/a/b", "/a-b") < 0, "/a/b sorts before /a-b");
	ok(path_compare("/a", "/a/b") < 0, "/a sorts before /a/b");

	/* rendering escapes hostile names */
	{
		struct vrecord o = rec("/evil\n\033[31mname", FT_REG, 1, 1), n = o;

		n.sha256[0] ^= 1;
		change_classify(&o, &n, &c);
		change_to_json(&c, &sb);
		ok(strchr(strbuf_str(&sb), '\n') == NULL && strchr(strbuf_str(&sb), '\033') == NULL,
		   "JSON line has no raw newline or escape: %s", strbuf_str(&sb));
		ok(strstr(strbuf_str(&sb), "\"path\":\"/evil\\\\x0a\\\\x1b[31mname\"") != NULL, "JSON path escaped");
		ok(strstr(strbuf_str(&sb), "\"changed\":[\"sha256\"]") != NULL, "JSON changed list");
		strbuf_reset(&sb);
		change_to_text(&c, &sb);
		ok(strstr(strbuf_str(&sb), "updated") == strbuf_str(&sb), "text starts with the action");
		ok(strstr(strbuf_str(&sb), "/evil\\x0a\\x1b[31mname") != NULL, "text path escaped");
	}
	strbuf_free(&sb);
	return tap_done();
}
