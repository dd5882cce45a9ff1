/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild's verification against a real baseline (scan + baseline_write of
 * a temporary tree): only real differences are events, a touch is at most
 * attributes_modified, the same deviation is not reported twice, and a
 * path that matches the baseline again is forgotten.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "daemon/verify.h"
#include "fileio.h"
#include "scan.h"
#include "tap.h"

static char dir[] = "/tmp/test-verify.XXXXXX";

static char *p(const char *name)
{
	char *s = path_join(dir, name);

	if (!s)
		abort();
	return s;
}

/* One-shot path (static buffer) for calls that do not keep it. */
static const char *at(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static void put(const char *name, const char *text)
{
	_cleanup_free_ char *f = p(name);

	if (write_file_atomic(f, text, strlen(text), 0644) < 0)
		abort();
}

/* Verify name: the event's VIGIL_ACTION, "" for no event, "error" for -errno. */
static const char *check(struct verifier *v, const struct rootfs *root, const struct baseline *b,
			 const struct selection *sel, const char *name, struct verify_info *info)
{
	static char action[64];
	_cleanup_free_ char *f = p(name);
	struct vevent *e = NULL;
	int r;

	r = verifier_check_path(v, root, b, selection_rule_for(sel, f), f, &e, info);
	if (r < 0)
		return "error";
	if (r == 0)
		return "";
	snprintf(action, sizeof(action), "%s", vevent_action(e->cls));
	vevent_free(e);
	return action;
}

int main(void)
{
	struct selection sel = { 0 };
	struct rootfs root = { .fd = -EBADF };
	struct scan_options so = { 0 };
	struct scan_result res = { 0 };
	struct baseline_meta meta = { .created_usec = 1 };
	struct baseline *b = NULL;
	struct verifier *v = NULL;
	struct verify_info info;
	struct diag d = { "" };
	_cleanup_free_ char *db = NULL, *a = NULL, *sub = NULL;
	struct timespec ts[2] = { { 1000000, 0 }, { 1000000, 0 } };

	if (!mkdtemp(dir))
		abort();
	put("a", "alpha\n");
	put("b", "beta\n");
	sub = p("sub");
	if (mkdir(sub, 0755) < 0)
		abort();
	put("sub/c", "gamma\n");
	if (asprintf(&db, "%s.db", dir) < 0)
		abort();
	strcpy(meta.hostname, "test");

	is_int(selection_add(&sel, dir, ATTR_DEFAULT, true), 0, "selection");
	selection_finish(&sel);
	is_int(rootfs_open(&root, "/"), 0, "rootfs");
	so.root = &root;
	is_int(scan_run(&sel, &so, &res, &d), 0, "scan");
	is_int(baseline_write(db, &meta, &sel, res.recs, res.n, &d), 0, "baseline written");
	scan_result_free(&res);
	is_int(baseline_open(db, &b, &d), 0, "baseline opened");
	is_int(verifier_new(&v), 0, "verifier");

	is_str(check(v, &root, b, &sel, "a", &info), "", "unchanged file: no event");
	put("a", "alpha changed\n");
	is_str(check(v, &root, b, &sel, "a", &info), "updated", "content change: updated");
	is_int(info.action, CHANGE_UPDATED, "info.action");
	ok(info.has_sha256, "info carries the digest");
	is_str(check(v, &root, b, &sel, "a", &info), "", "same deviation again: not reported");
	a = p("a");
	utimensat(AT_FDCWD, a, ts, 0);
	is_str(check(v, &root, b, &sel, "a", &info), "", "touch of an updated file: same deviation");
	put("a", "alpha changed twice\n");
	is_str(check(v, &root, b, &sel, "a", &info), "updated", "new content: reported again");
	is_int(verifier_remembered(v), 1, "one path remembered");

	utimensat(AT_FDCWD, at("b"), ts, 0);
	is_str(check(v, &root, b, &sel, "b", &info), "attributes_modified", "touch: attributes_modified");
	chmod(at("b"), 0600);
	is_str(check(v, &root, b, &sel, "b", &info), "attributes_modified", "chmod: a different deviation");
	chmod(at("b"), 0600);
	is_str(check(v, &root, b, &sel, "b", &info), "", "same chmod again: nothing");

	put("new", "x\n");
	is_str(check(v, &root, b, &sel, "new", &info), "created", "new file: created");
	unlink(at("new"));
	is_str(check(v, &root, b, &sel, "new", &info), "", "created and gone: nothing");
	is_str(check(v, &root, b, &sel, "never", &info), "", "never existed: nothing");

	unlink(at("sub/c"));
	rmdir(sub);
	is_str(check(v, &root, b, &sel, "sub", &info), "deleted", "directory deleted");
	ok(info.was_dir && !info.is_dir, "info says it was a directory");
	is_str(check(v, &root, b, &sel, "sub/c", &info), "deleted", "its child deleted");

	verifier_forget_all(v);
	is_int(verifier_remembered(v), 0, "forget_all");
	is_str(check(v, &root, b, &sel, "a", &info), "updated", "after forgetting, reported again");

	{
		struct vevent *e = NULL;

		is_int(vevent_new(VEVENT_FILE_CREATED, SEVERITY_MEDIUM, &e), 0, "event");
		vevent_add(e, "VIGIL_PATH", "/n");
		verifier_make_moved(e, "/o");
		is_int(e->cls, VEVENT_FILE_MOVED, "made moved");
		is_str(vevent_get(e, "VIGIL_MOVED_FROM"), "/o", "moved from");
		is_str(strbuf_str(&e->message), "moved /o -> /n", "moved message");
		vevent_free(e);
	}

	verifier_free(v);
	baseline_close(b);
	rootfs_close(&root);
	selection_free(&sel);
	unlink(db);
	unlink(at("a"));
	unlink(at("b"));
	rmdir(dir);
	return tap_done();
}
