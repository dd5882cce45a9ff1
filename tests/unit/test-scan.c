/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <endian.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/acl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "attrs.h"
#include "digest.h"
#include "scan.h"
#include "tap.h"

static char tmp[] = "/tmp/test-scan-XXXXXX";
static char mnt[PATH_MAX];
static bool mounted;

static void mkfile(const char *rel, const char *content, mode_t mode)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s%s", tmp, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content)) {
		printf("Bail out! cannot create %s: %m\n", p);
		exit(1);
	}
	(void)fchmod(fd, mode);
	close(fd);
}

static void mkdir_rel(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s%s", tmp, rel);
	if (mkdir(p, 0755) < 0) {
		printf("Bail out! mkdir %s: %m\n", p);
		exit(1);
	}
}

static void symlink_rel(const char *target, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s%s", tmp, rel);
	if (symlink(target, p) < 0) {
		printf("Bail out! symlink %s: %m\n", p);
		exit(1);
	}
}

static const char *host(const char *rel)
{
	static char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s%s", tmp, rel);
	return p;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p) < 0 ? 0 : 0;
}

static void cleanup(void)
{
	if (mounted)
		(void)umount2(mnt, MNT_DETACH);
	(void)nftw(tmp, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

static const struct vrecord *find(const struct scan_result *res, const char *path)
{
	for (size_t i = 0; i < res->n; i++)
		if (streq(res->recs[i].path, path))
			return &res->recs[i];
	return NULL;
}

static bool any_prefix(const struct scan_result *res, const char *prefix)
{
	for (size_t i = 0; i < res->n; i++)
		if (strncmp(res->recs[i].path, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static bool sorted_unique(const struct scan_result *res)
{
	for (size_t i = 1; i < res->n; i++)
		if (path_compare(res->recs[i - 1].path, res->recs[i].path) >= 0)
			return false;
	return true;
}

static bool same_records(const struct scan_result *a, const struct scan_result *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct vrecord *x = &a->recs[i], *y = &b->recs[i];

		if (!streq(x->path, y->path) || x->type != y->type || x->mask != y->mask || x->mode != y->mode ||
		    x->uid != y->uid || x->gid != y->gid || x->size != y->size || x->ino != y->ino ||
		    x->mtime_ns != y->mtime_ns || x->ctime_ns != y->ctime_ns || x->has_sha256 != y->has_sha256 ||
		    memcmp(x->sha256, y->sha256, SHA256_LEN) != 0 || !streq_ptr(x->link, y->link) ||
		    !streq_ptr(x->acl, y->acl) || !streq_ptr(x->xattrs, y->xattrs) || !streq_ptr(x->caps, y->caps)) {
			diag("records differ at %s / %s", x->path, y->path);
			return false;
		}
	}
	return true;
}

static char problems[512 * 1024];
static unsigned n_progress;
static struct scan_progress last_progress;

static void on_progress(void *userdata, const struct scan_progress *p)
{
	(void)userdata;
	n_progress++;
	last_progress = *p;
}
static unsigned n_problems;

static void on_problem(void *userdata, const char *path, int err, const char *what)
{
	size_t l = strlen(problems);

	(void)userdata;
	n_problems++;
	snprintf(problems + l, sizeof(problems) - l, "%s: %s (%d)\n", path, what, err);
}

static const char *sha_hex_of(const char *s)
{
	static char hex[2 * SHA256_LEN + 1];
	uint8_t d[SHA256_LEN];

	(void)digest_buffer(s, strlen(s), d);
	sha256_to_hex(d, hex);
	return hex;
}

static const char *rec_hex(const struct vrecord *r)
{
	static char hex[2 * SHA256_LEN + 1];

	sha256_to_hex(r->sha256, hex);
	return hex;
}

#define OVER_MASK (ATTR_MODE | ATTR_SIZE)

static void build_selection(struct selection *sel)
{
	*sel = (struct selection){ .one_filesystem = true };
	if (selection_add(sel, "/data", ATTR_DEFAULT, true) < 0 || selection_add(sel, "/data/nr", ATTR_DEFAULT, false) < 0 ||
	    selection_add(sel, "/data/over", OVER_MASK, true) < 0 ||
	    selection_add(sel, "/data/abslink/passwd", ATTR_DEFAULT, false) < 0 ||
	    selection_add(sel, "/data/abslink/imagefile", ATTR_DEFAULT, false) < 0 ||
	    selection_add(sel, "/data/startlink", ATTR_DEFAULT, true) < 0) {
		printf("Bail out! selection_add\n");
		exit(1);
	}
	selection_finish(sel);
	/* rules are sorted now: find /data by path */
	for (size_t i = 0; i < sel->n_rules; i++)
		if (streq(sel->rules[i].path, "/data"))
			(void)selection_add_exclude(sel, i, "/data/excl");
	(void)selection_add_exclude(sel, SIZE_MAX, "*.tmp");
}

static int run(const struct selection *sel, const struct rootfs *rf, unsigned threads, char *const *limit,
	       size_t n_limit, struct scan_result *res, struct diag *d)
{
	struct scan_options o = { .root = rf, .threads = threads, .limit = limit, .n_limit = n_limit,
				  .problem = on_problem, .progress = on_progress };

	problems[0] = '\0';
	n_progress = 0;
	n_problems = 0;
	diag_clear(d);
	return scan_run(sel, &o, res, d);
}

static void test_tree(void)
{
	struct scan_result res = { 0 }, res1 = { 0 }, res4 = { 0 };
	struct selection sel;
	struct rootfs rf;
	struct diag d = { { 0 } };
	const struct vrecord *r, *h;
	bool have_caps = false, have_acl = false, have_link_xattr, mnt_xattr = false;
	acl_t acl;
	int k;

	mkdir_rel("/data");
	mkdir_rel("/etc");
	mkfile("/etc/imagefile", "image\n", 0644);
	mkfile("/data/file", "hello\n", 0640);
	mkdir_rel("/data/dir");
	mkdir_rel("/data/dir/sub");
	mkfile("/data/dir/sub/deep", "deep\n", 0644);
	symlink_rel("file", "/data/link");
	symlink_rel("/etc", "/data/abslink");
	symlink_rel("dir", "/data/startlink");
	symlink_rel("dir", "/data/dirlink");
	{
		char from[PATH_MAX];

		snprintf(from, sizeof(from), "%s", host("/data/file"));
		ok(link(from, host("/data/hard")) == 0, "hard link");
	}
	ok(mkfifo(host("/data/fifo"), 0600) == 0, "mkfifo");
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		const char *sp = host("/data/sock");

		ok(strlen(sp) < sizeof(sa.sun_path), "socket path fits");
		memcpy(sa.sun_path, sp, MIN(strlen(sp), sizeof(sa.sun_path) - 1));
		ok(s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0, "unix socket");
		close(s);
	}
	mkfile("/data/skip.tmp", "x", 0644);
	mkdir_rel("/data/excl");
	mkfile("/data/excl/inner", "x", 0644);
	mkdir_rel("/data/nr");
	mkfile("/data/nr/child", "x", 0644);
	mkdir_rel("/data/over");
	mkfile("/data/over/f", "over\n", 0644);
	mkfile("/data/acl", "acl\n", 0644);
	mkfile("/data/xattr", "x\n", 0644);
	mkfile("/data/cap", "cap\n", 0755);
	mkdir_rel("/data/dacl");

	acl = acl_from_text("u::rw-,u:1234:r--,g::r--,m::r--,o::---");
	have_acl = acl && acl_set_file(host("/data/acl"), ACL_TYPE_ACCESS, acl) == 0;
	acl_free(acl);
	acl = acl_from_text("u::rwx,g::r-x,o::---,u:4321:rwx,m::rwx");
	have_acl = have_acl && acl && acl_set_file(host("/data/dacl"), ACL_TYPE_DEFAULT, acl) == 0;
	acl_free(acl);
	ok(have_acl, "set ACLs with libacl");
	ok(setxattr(host("/data/xattr"), "user.test", "v\001", 2, 0) == 0 &&
		   setxattr(host("/data/xattr"), "user.a", "", 0, 0) == 0 &&
		   setxattr(host("/data/xattr"), "user.q=x", "1", 1, 0) == 0,
	   "set user.* xattrs");
	/* trusted.* is the namespace that can sit on a symlink (root only) */
	have_link_xattr = lsetxattr(host("/data/link"), "trusted.t", "L", 1, 0) == 0;
	if (!have_link_xattr)
		diag("lsetxattr trusted.t: %m (skipping the symlink xattr test)");
	{
		/* struct vfs_cap_data revision 2, effective, cap_net_bind_service (10). */
		uint32_t v[5] = { htole32(VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE), htole32(1u << 10), 0, 0, 0 };

		k = setxattr(host("/data/cap"), "security.capability", v, sizeof(v), 0);
		have_caps = k == 0;
		if (k < 0)
			diag("setxattr security.capability: %m (skipping the caps test)");
	}
	if (geteuid() == 0) {
		snprintf(mnt, sizeof(mnt), "%s", host("/data/mnt"));
		mkdir_rel("/data/mnt");
		mounted = mount("tmpfs", mnt, "tmpfs", 0, "size=1m") == 0;
		if (mounted) {
			mkfile("/data/mnt/inner", "x", 0644);
			mnt_xattr = setxattr(mnt, "trusted.m", "1", 1, 0) == 0;
		}
	}

	build_selection(&sel);
	ok(rootfs_open(&rf, tmp) == 0, "rootfs_open");

	alarm(20);	/* a scan that opens the FIFO would hang here */
	k = run(&sel, &rf, 2, NULL, 0, &res, &d);
	is_int(k, 0, "scan_run");
	if (k < 0)
		diag("%s", d.msg);
	if (n_problems)
		diag("problems:\n%s", problems);
	is_int(n_problems, 0, "no problems on a quiet tree");
	ok(sorted_unique(&res), "records sorted by path_compare, unique");
	ok(n_progress >= 1 && last_progress.walk_done && last_progress.files == res.n &&
		   last_progress.bytes_hashed == last_progress.bytes_total && last_progress.bytes_hashed > 0,
	   "final progress report");
	is_int(res.stats.files, res.n, "stats.files");

	r = find(&res, "/data/file");
	ok(r && r->type == FT_REG && r->has_sha256, "regular file hashed");
	if (r) {
		is_str(rec_hex(r), sha_hex_of("hello\n"), "file digest");
		is_int(r->mode & 07777, 0640, "file mode");
		is_int(r->size, 6, "file size");
		is_int(r->mask, ATTR_DEFAULT, "file mask");
		ok(r->acl == NULL, "plain file has no ACL");
		ok(r->xattrs == NULL, "plain file has no xattrs");
		ok(r->caps == NULL, "plain file has no caps");
	}
	h = find(&res, "/data/hard");
	ok(h && r && h->ino == r->ino && memcmp(h->sha256, r->sha256, SHA256_LEN) == 0, "hard link: same inode and digest");
	r = find(&res, "/data/dir");
	ok(r && r->type == FT_DIR && !r->has_sha256, "directory");
	ok(find(&res, "/data/dir/sub/deep") != NULL, "deep file");
	r = find(&res, "/data/link");
	ok(r && r->type == FT_LNK && !r->has_sha256, "symlink recorded as a symlink");
	is_str(r ? r->link : NULL, "file", "symlink target");
	r = find(&res, "/data/fifo");
	ok(r && r->type == FT_FIFO && !r->has_sha256, "FIFO recorded, not opened");
	r = find(&res, "/data/sock");
	ok(r && r->type == FT_SOCK, "socket recorded");
	ok(!find(&res, "/data/skip.tmp"), "name glob excludes");
	ok(!find(&res, "/data/excl") && !any_prefix(&res, "/data/excl/"), "path glob excludes a dir and its content");
	ok(find(&res, "/data/nr") && !find(&res, "/data/nr/child"), "non-recursive rule records only its path");
	r = find(&res, "/data/over/f");
	ok(r && !r->has_sha256 && r->mask == OVER_MASK && r->size == 5, "deeper rule's mask wins for its subtree");
	r = find(&res, "/data/over");
	ok(r && r->mask == OVER_MASK, "deeper rule's root has its mask");
	r = find(&res, "/data/acl");
	is_str(r ? r->acl : NULL, "user::rw-,user:1234:r--,group::r--,mask::r--,other::---", "access ACL text");
	r = find(&res, "/data/dacl");
	is_str(r ? r->acl : NULL,
	       "default:user::rwx,default:user:4321:rwx,default:group::r-x,default:mask::rwx,default:other::---",
	       "default ACL text");
	r = find(&res, "/data/xattr");
	is_str(r ? r->xattrs : NULL, "user.a=\nuser.q\\x3dx=31\nuser.test=7601",
	       "user xattrs as name=hex lines sorted by name, '=' in a name escaped");
	if (have_link_xattr) {
		r = find(&res, "/data/link");
		is_str(r ? r->xattrs : NULL, "trusted.t=4c", "symlink xattrs read without following it");
	}
	if (have_caps) {
		r = find(&res, "/data/cap");
		is_str(r ? r->caps : NULL, "v2 effective permitted=0x0000000000000400 inheritable=0x0", "capabilities decoded");
	}
	if (mounted) {
		ok(find(&res, "/data/mnt") && !find(&res, "/data/mnt/inner"), "one_filesystem: mount point recorded, not entered");
		r = find(&res, "/data/mnt");
		if (mnt_xattr)
			ok(r && !r->xattrs, "one_filesystem: mount point not opened (its xattrs are not read)");
	}

	/* In-root resolution: the image's /etc, never the host's. */
	r = find(&res, "/data/abslink");
	ok(r && r->type == FT_LNK, "absolute symlink recorded as a symlink");
	is_str(r ? r->link : NULL, "/etc", "absolute symlink target");
	ok(!find(&res, "/data/abslink/passwd"), "host /etc/passwd not reached through the image's symlink");
	r = find(&res, "/data/abslink/imagefile");
	ok(r && r->has_sha256, "rule through an in-image symlink resolves in the image");
	if (r)
		is_str(rec_hex(r), sha_hex_of("image\n"), "in-image file digest");
	ok(!any_prefix(&res, "/etc") && !any_prefix(&res, tmp), "stored paths are image-absolute");
	r = find(&res, "/data/startlink");
	ok(r && r->type == FT_LNK && !find(&res, "/data/startlink/sub"), "a rule path that is a symlink is not followed");

	/* threads=1 and threads=4 give the same records */
	is_int(run(&sel, &rf, 1, NULL, 0, &res1, &d), 0, "scan threads=1");
	is_int(run(&sel, &rf, 4, NULL, 0, &res4, &d), 0, "scan threads=4");
	ok(same_records(&res1, &res4), "threads=1 and threads=4 identical");
	ok(same_records(&res, &res4), "threads=2 and threads=4 identical");
	scan_result_free(&res1);
	scan_result_free(&res4);

	/* limit */
	{
		char *lim[] = { (char *)"/data/dir", (char *)"/data/dir/sub" };
		char *bad[] = { (char *)"/nothere" };
		char *ex[] = { (char *)"/data/excl/inner" };
		char *ov[] = { (char *)"/data" };

		is_int(run(&sel, &rf, 2, lim, 2, &res1, &d), 0, "limit scan");
		is_int(res1.n, 3, "limit: the subtree only, duplicates dropped");
		ok(find(&res1, "/data/dir") && find(&res1, "/data/dir/sub/deep") && sorted_unique(&res1), "limit: records");
		scan_result_free(&res1);

		is_int(run(&sel, &rf, 2, bad, 1, &res1, &d), -ENOENT, "limit outside the selection");
		ok(strstr(d.msg, "/nothere is not in the baseline's selection") != NULL, "limit diag: %s", d.msg);

		is_int(run(&sel, &rf, 2, ex, 1, &res1, &d), 0, "limit below an excluded dir");
		is_int(res1.n, 0, "limit below an excluded dir records nothing");
		scan_result_free(&res1);

		{
			char *deep[] = { (char *)"/data/dir/sub/deep" };
			char *vialink[] = { (char *)"/data/dirlink/sub" };
			char *vianr[] = { (char *)"/data/nr/child" };
			char *inmnt[] = { (char *)"/data/mnt/inner" };
			char *atmnt[] = { (char *)"/data/mnt" };

			is_int(run(&sel, &rf, 2, deep, 1, &res1, &d), 0, "limit to one file");
			ok(res1.n == 1 && streq(res1.recs[0].path, "/data/dir/sub/deep") && res1.recs[0].has_sha256,
			   "limit to one file records it");
			scan_result_free(&res1);
			is_int(run(&sel, &rf, 2, vialink, 1, &res1, &d), 0, "limit through a symlink");
			is_int(res1.n, 0, "limit through a symlink records nothing (the walk never follows it)");
			scan_result_free(&res1);
			is_int(run(&sel, &rf, 2, vianr, 1, &res1, &d), 0, "limit below a non-recursive rule");
			is_int(res1.n, 0, "limit below a non-recursive rule's root records nothing");
			scan_result_free(&res1);
			if (mounted) {
				is_int(run(&sel, &rf, 2, inmnt, 1, &res1, &d), 0, "limit inside another filesystem");
				is_int(res1.n, 0, "limit inside another filesystem records nothing");
				scan_result_free(&res1);
				is_int(run(&sel, &rf, 2, atmnt, 1, &res1, &d), 0, "limit at a mount point");
				ok(res1.n == 1 && streq(res1.recs[0].path, "/data/mnt"), "limit at a mount point records only it");
				scan_result_free(&res1);
			}
		}

		is_int(run(&sel, &rf, 2, ov, 1, &res1, &d), 0, "limit at a rule root");
		ok(same_records(&res1, &res) || (diag("n %zu vs %zu", res1.n, res.n), 0),
		   "limit /data covers the deeper rules too");
		scan_result_free(&res1);
	}

	/* scan_one */
	{
		struct vrecord one;

		is_int(scan_one(&rf, "/data/file", ATTR_DEFAULT, &one), 0, "scan_one file");
		r = find(&res, "/data/file");
		ok(r && streq(one.path, "/data/file") && one.has_sha256 && memcmp(one.sha256, r->sha256, SHA256_LEN) == 0 &&
			   one.ino == r->ino,
		   "scan_one file matches the scan");
		vrecord_done(&one);
		is_int(scan_one(&rf, "/data/link", ATTR_DEFAULT, &one), 0, "scan_one symlink");
		is_str(one.link, "file", "scan_one symlink target");
		vrecord_done(&one);
		is_int(scan_one(&rf, "/data/fifo", ATTR_DEFAULT, &one), 0, "scan_one FIFO");
		ok(one.type == FT_FIFO, "scan_one FIFO type");
		vrecord_done(&one);
		is_int(scan_one(&rf, "/data/acl", ATTR_ACL, &one), 0, "scan_one ACL only");
		ok(one.acl && !one.has_sha256 && one.size == 0, "scan_one records only the mask");
		vrecord_done(&one);
		is_int(scan_one(&rf, "/data/missing", ATTR_DEFAULT, &one), -ENOENT, "scan_one missing");
		is_int(scan_one(&rf, "/data/abslink/passwd", ATTR_DEFAULT, &one), -ENOENT, "scan_one stays in the root");
	}
	alarm(0);

	scan_result_free(&res);
	selection_free(&sel);
	rootfs_close(&rf);
}

static const char *caps_text(const uint32_t *words, size_t len)
{
	static char out[256];
	struct strbuf sb = STRBUF_INIT;
	unsigned char raw[64];

	for (size_t i = 0; i < len / 4; i++) {
		uint32_t le = htole32(words[i]);

		memcpy(raw + 4 * i, &le, 4);
	}
	attrs_format_caps(raw, len, &sb);
	snprintf(out, sizeof(out), "%s", strbuf_str(&sb));
	strbuf_free(&sb);
	return out;
}

/* struct vfs_cap_data decoding, all revisions and hostile lengths. */
static void test_caps_format(void)
{
	const uint32_t v3[6] = { VFS_CAP_REVISION_3 | VFS_CAP_FLAGS_EFFECTIVE, 0x3000, 0, 0, 0, 0 };
	const uint32_t v3ns[6] = { VFS_CAP_REVISION_3, 0, 1, 2, 0, 100000 };
	const uint32_t v1[3] = { VFS_CAP_REVISION_1, 0x400, 0 };
	const uint32_t bad[2] = { 0x7f000000, 1 };

	is_str(caps_text(v3, sizeof(v3)), "v3 effective permitted=0x0000000000003000 inheritable=0x0 rootid=0",
	       "caps v3");
	is_str(caps_text(v3ns, sizeof(v3ns)), "v3 permitted=0x0000000200000000 inheritable=0x1 rootid=100000",
	       "caps v3, high words, namespaced root");
	is_str(caps_text(v1, sizeof(v1)), "v1 permitted=0x0000000000000400 inheritable=0x0", "caps v1");
	is_str(caps_text(v3, 20), "invalid len=20 hex=0100000300300000000000000000000000000000",
	       "caps: v3 magic with a v2 length is invalid, kept whole");
	is_str(caps_text(bad, sizeof(bad)), "invalid len=8 hex=0000007f01000000", "caps: unknown revision");
	is_str(caps_text(bad, 0), "invalid len=0 hex=", "caps: empty value");
}

/* A rule for the image's "/" itself. */
static void test_slash(void)
{
	struct scan_result res = { 0 };
	struct selection sel = { .one_filesystem = true };
	struct rootfs rf;
	struct diag d = { { 0 } };
	const struct vrecord *r;
	bool slashes = false;

	ok(selection_add(&sel, "/", ATTR_DEFAULT, true) == 0, "selection /");
	selection_finish(&sel);
	ok(rootfs_open(&rf, tmp) == 0, "rootfs_open");
	is_int(run(&sel, &rf, 2, NULL, 0, &res, &d), 0, "scan of the image's /");
	r = res.n > 0 ? &res.recs[0] : NULL;
	ok(r && streq(r->path, "/") && r->type == FT_DIR, "first record is / itself");
	ok(find(&res, "/data/file") && find(&res, "/etc/imagefile"), "entries below / are \"/name\"");
	for (size_t i = 0; i < res.n; i++)
		if (strstr(res.recs[i].path, "//"))
			slashes = true;
	ok(!slashes, "no \"//\" in stored paths");
	scan_result_free(&res);
	selection_free(&sel);
	rootfs_close(&rf);
}

/* Live root: paths are host paths. */
static void test_live(void)
{
	struct scan_result res = { 0 };
	struct selection sel = { .one_filesystem = true };
	struct rootfs rf;
	struct diag d = { { 0 } };
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/data/dir", tmp);
	ok(selection_add(&sel, p, ATTR_DEFAULT, true) == 0, "live selection");
	selection_finish(&sel);
	ok(rootfs_open(&rf, "/") == 0, "rootfs_open /");
	is_int(run(&sel, &rf, 0, NULL, 0, &res, &d), 0, "live scan");
	snprintf(p, sizeof(p), "%s/data/dir/sub/deep", tmp);
	ok(find(&res, p) != NULL, "live scan records host paths");
	scan_result_free(&res);
	selection_free(&sel);
	rootfs_close(&rf);
}

#define CHURN_FILES 3000

static atomic_int churn_go;

static void *deleter(void *arg)
{
	(void)arg;
	while (!atomic_load(&churn_go))
		;
	for (int i = CHURN_FILES - 1; i >= 0; i--) {
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/churn/f%04d", tmp, i);
		(void)unlink(p);
	}
	return NULL;
}

/* Files deleted while the scan runs are problems, not failures. */
static void test_churn(void)
{
	struct selection sel = { .one_filesystem = true };
	struct rootfs rf;
	struct diag d = { { 0 } };
	bool saw_vanish = false, all_ok = true, consistent = true;

	ok(selection_add(&sel, "/churn", ATTR_DEFAULT, true) == 0, "churn selection");
	selection_finish(&sel);
	ok(rootfs_open(&rf, tmp) == 0, "rootfs_open");
	mkdir_rel("/churn");
	for (int attempt = 0; attempt < 10 && !saw_vanish; attempt++) {
		struct scan_result res = { 0 };
		pthread_t t;

		for (int i = 0; i < CHURN_FILES; i++) {
			char rel[64];

			snprintf(rel, sizeof(rel), "/churn/f%04d", i);
			mkfile(rel, "some content\n", 0644);
		}
		atomic_store(&churn_go, 0);
		pthread_create(&t, NULL, deleter, NULL);
		atomic_store(&churn_go, 1);
		if (run(&sel, &rf, 2, NULL, 0, &res, &d) != 0)
			all_ok = false;
		pthread_join(t, NULL);
		saw_vanish = strstr(problems, "vanished during scan") != NULL;
		/* nothing reported vanished may have a record */
		for (size_t i = 0; i < res.n; i++) {
			char needle[PATH_MAX + 3];

			snprintf(needle, sizeof(needle), "%s: ", res.recs[i].path);
			if (strstr(problems, needle))
				consistent = false;
		}
		scan_result_free(&res);
	}
	ok(all_ok, "scans with files vanishing do not fail");
	ok(saw_vanish, "a vanished file is reported as a problem");
	ok(consistent, "a vanished file has no record");
	selection_free(&sel);
	rootfs_close(&rf);
}

/* A cancelled scan (vigild stopping) fails with -ECANCELED instead of
 * running to its end; so does a cancelled scan_one_cancellable(). */
static void test_cancel(void)
{
	struct selection sel = { .one_filesystem = true };
	struct scan_result res = { 0 };
	struct vrecord one;
	struct rootfs rf;
	struct diag d = { { 0 } };
	atomic_bool cancel = true;
	struct scan_options o = { .threads = 2, .cancel = &cancel };

	ok(selection_add(&sel, "/cancel", ATTR_DEFAULT, true) == 0, "cancel selection");
	selection_finish(&sel);
	ok(rootfs_open(&rf, tmp) == 0, "rootfs_open");
	mkdir_rel("/cancel");
	mkdir_rel("/cancel/sub");
	for (int i = 0; i < 64; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "/cancel/%s%02d", i % 2 ? "sub/f" : "f", i);
		mkfile(rel, "content to hash\n", 0644);
	}
	o.root = &rf;
	is_int(scan_run(&sel, &o, &res, &d), -ECANCELED, "a cancelled scan fails with -ECANCELED");
	is_int(res.n, 0, "... and returns no result");
	atomic_store(&cancel, false);
	is_int(scan_run(&sel, &o, &res, &d), 0, "the same scan, not cancelled, completes");
	is_int(res.n, 66, "... with every entry (the two directories and 64 files)");
	scan_result_free(&res);
	atomic_store(&cancel, true);
	is_int(scan_one_cancellable(&rf, "/cancel/f00", ATTR_DEFAULT, &cancel, &one), -ECANCELED,
	       "scan_one_cancellable stops hashing once cancelled");
	is_int(scan_one_cancellable(&rf, "/cancel/f00", ATTR_MODE, &cancel, &one), 0,
	       "... but records what needs no hashing");
	vrecord_done(&one);
	selection_free(&sel);
	rootfs_close(&rf);
}

int main(void)
{
	if (!mkdtemp(tmp)) {
		printf("Bail out! mkdtemp: %m\n");
		return 1;
	}
	atexit(cleanup);
	test_caps_format();
	test_tree();
	test_slash();
	test_live();
	test_churn();
	test_cancel();
	return tap_done();
}
