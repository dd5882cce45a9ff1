/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline database: round trip, input validation, corruption of every
 * byte and every truncation, signatures, and a timing run on 130,000
 * records (reported, not asserted).
 *
 * "test-baseline --write-seeds DIR" writes the fuzz seed corpus instead
 * (tests/fuzz/corpus/baseline/).
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "baseline.h"
#include "fileio.h"
#include "tap.h"

#define TRAILER_SIZE 112
#define TRL_SIG 40
#define SIG_LEN 64

static char tmpdir[] = "/tmp/test-baseline.XXXXXX";

static char *tmp_path(const char *name)
{
	char *p = path_join(tmpdir, name);

	if (!p)
		abort();
	return p;
}

/* Digests that sort like their seeds. */
static void fill_digest(uint8_t d[SHA256_LEN], unsigned seed)
{
	for (unsigned i = 0; i < SHA256_LEN; i++)
		d[i] = i < 4 ? (uint8_t)(seed >> (24 - 8 * i)) : (uint8_t)(i * 7u);
}

static int rec_cmp(const void *a, const void *b)
{
	return path_compare(((const struct vrecord *)a)->path, ((const struct vrecord *)b)->path);
}

/* The small database of the round trip and corruption tests: every file
 * type, NULL and non-NULL (also empty) strings, shared digests. */
static size_t small_records(struct vrecord *r)
{
	size_t n = 0;

	r[n++] = (struct vrecord){ .path = "/", .type = FT_DIR, .mode = 040755, .mask = ATTR_ALL, .ino = 2 };
	r[n++] = (struct vrecord){ .path = "/etc", .type = FT_DIR, .mode = 040755, .mask = ATTR_ALL,
				   .acl = "user::rwx\nuser:1000:r-x\ngroup::r-x\nmask::r-x\nother::r-x\n",
				   .uid = 0, .gid = 0, .ino = 3, .mtime_ns = 1700000000123456789LL };
	r[n++] = (struct vrecord){ .path = "/etc/a", .type = FT_REG, .mode = 0100644, .mask = ATTR_ALL,
				   .size = 1234, .has_sha256 = true, .pkg = "base-files",
				   .xattrs = "security.selinux=73797374656d5f75\nuser.x=00", .ino = 4,
				   .mtime_ns = -5, .ctime_ns = INT64_MAX };
	fill_digest(r[n - 1].sha256, 1);
	r[n++] = (struct vrecord){ .path = "/etc/b", .type = FT_REG, .mode = 0104755, .mask = ATTR_SHA256,
				   .size = 1234, .has_sha256 = true, .pkg = "base-files", .uid = 4294967294u,
				   .gid = 7, .ino = UINT64_MAX, .caps = "cap_net_raw=ep" };
	fill_digest(r[n - 1].sha256, 1);
	r[n++] = (struct vrecord){ .path = "/etc/c", .type = FT_REG, .mode = 0100600, .mask = ATTR_ALL,
				   .size = 0, .has_sha256 = true, .pkg = "vigil", .acl = "" };
	fill_digest(r[n - 1].sha256, 2);
	r[n++] = (struct vrecord){ .path = "/etc/link", .type = FT_LNK, .mode = 0120777, .mask = ATTR_ALL,
				   .link = "a", .size = 1 };
	r[n++] = (struct vrecord){ .path = "/etc-x", .type = FT_REG, .mode = 0100644, .mask = ATTR_MODE,
				   .size = 99 };
	r[n++] = (struct vrecord){ .path = "/dev/null", .type = FT_CHR, .mode = 020666, .mask = ATTR_ALL };
	r[n++] = (struct vrecord){ .path = "/run/fifo", .type = FT_FIFO, .mode = 010600, .mask = ATTR_ALL };
	r[n++] = (struct vrecord){ .path = "/run/sock", .type = FT_SOCK, .mode = 0140777, .mask = ATTR_ALL };
	r[n++] = (struct vrecord){ .path = "/dev/sda", .type = FT_BLK, .mode = 060660, .mask = ATTR_ALL,
				   .pkg = "vigil" };
	r[n++] = (struct vrecord){ .path = "/etc/d", .type = FT_REG, .mode = 0100644, .mask = ATTR_ALL,
				   .has_sha256 = true };
	fill_digest(r[n - 1].sha256, 0);
	qsort(r, n, sizeof(*r), rec_cmp);
	return n;
}

static void small_selection(struct selection *sel)
{
	*sel = (struct selection){ .one_filesystem = true };
	if (selection_add(sel, "/etc", ATTR_ALL, true) < 0 || selection_add(sel, "/usr/bin", ATTR_SHA256 | ATTR_MODE, false) < 0)
		abort();
	selection_finish(sel);
	if (selection_add_exclude(sel, 0, "*.bak") < 0 || selection_add_exclude(sel, SIZE_MAX, "/proc/*") < 0)
		abort();
}

static const struct baseline_meta small_meta = {
	.created_usec = 1700000000000001ULL,
	.flags = BASELINE_FLAG_CMDLINE,
	.hostname = "host.example.org",
};

static bool rec_equal(const struct vrecord *a, const struct vrecord *b)
{
	return streq(a->path, b->path) && streq_ptr(a->link, b->link) && streq_ptr(a->acl, b->acl) &&
	       streq_ptr(a->xattrs, b->xattrs) && streq_ptr(a->caps, b->caps) && streq_ptr(a->pkg, b->pkg) &&
	       a->mask == b->mask && a->mode == b->mode && a->uid == b->uid && a->gid == b->gid &&
	       a->size == b->size && a->ino == b->ino && a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns &&
	       a->has_sha256 == b->has_sha256 && memcmp(a->sha256, b->sha256, SHA256_LEN) == 0 &&
	       a->type == b->type && b->mem == NULL;
}

static int read_whole(const char *path, uint8_t **ret, size_t *ret_len)
{
	return read_file_at(AT_FDCWD, path, true, 64u << 20, (char **)ret, ret_len);
}

static int write_raw(const char *path, const void *data, size_t len)
{
	return write_file_atomic(path, data, len, 0600);
}

static void test_round_trip(void)
{
	_cleanup_free_ char *db = tmp_path("small.db");
	struct vrecord recs[16];
	struct selection sel, sel2 = { 0 };
	struct baseline *b = NULL;
	struct diag d = { "" };
	uint8_t hash[32], hash2[32];
	size_t n = small_records(recs), idx, first, count;
	struct stat st;
	bool all = true;
	int r;

	small_selection(&sel);
	r = baseline_write(db, &small_meta, &sel, recs, n, &d);
	is_int(r, 0, "write small database (%s)", d.msg);
	ok(stat(db, &st) == 0 && (st.st_mode & 07777) == 0600, "database has mode 0600");
	r = baseline_open(db, &b, &d);
	is_int(r, 0, "open small database (%s)", d.msg);
	if (r < 0)
		return;
	is_int(baseline_count(b), n, "record count");
	is_str(baseline_path(b), db, "baseline_path");
	for (size_t i = 0; i < n; i++) {
		struct vrecord v;

		baseline_record(b, i, &v);
		if (!rec_equal(&v, &recs[i])) {
			diag("record %zu (%s) differs", i, recs[i].path);
			all = false;
		}
	}
	ok(all, "every record reads back equal, field by field");
	for (size_t i = 0; i < n; i++)
		if (baseline_lookup_path(b, recs[i].path, &idx) < 0 || idx != i)
			all = false;
	ok(all, "lookup_path finds every path at its index");
	is_int(baseline_lookup_path(b, "/etc/aa", &idx), -ENOENT, "lookup_path miss between entries");
	is_int(baseline_lookup_path(b, "/", &idx), 0, "lookup_path of the first entry");
	is_int(baseline_lookup_path(b, "/zzz", &idx), -ENOENT, "lookup_path miss past the end");
	is_int(baseline_lookup_path(b, "", &idx), -ENOENT, "lookup_path miss before the start");

	is_int(baseline_digest_count(b), 4, "digest index holds the 4 hashed files");
	fill_digest(hash, 1);
	r = baseline_lookup_digest(b, hash, &first, &count);
	is_int(r, 0, "lookup_digest of a shared digest");
	is_int(count, 2, "two records share it");
	if (r == 0 && count == 2) {
		is_str(recs[baseline_digest_index_at(b, first)].path, "/etc/a", "first in digest order is /etc/a");
		is_str(recs[baseline_digest_index_at(b, first + 1)].path, "/etc/b", "then /etc/b");
	}
	fill_digest(hash, 0);
	r = baseline_lookup_digest(b, hash, &first, &count);
	ok(r == 0 && count == 1 && first == 0, "lowest digest is first in the index, alone");
	fill_digest(hash, 2);
	r = baseline_lookup_digest(b, hash, &first, &count);
	ok(r == 0 && count == 1 && first == 3 && streq(recs[baseline_digest_index_at(b, first)].path, "/etc/c"),
	   "highest digest is last in the index");
	fill_digest(hash, 3);
	is_int(baseline_lookup_digest(b, hash, &first, &count), -ENOENT, "lookup_digest miss");
	memset(hash, 0, sizeof(hash));
	is_int(baseline_lookup_digest(b, hash, &first, &count), -ENOENT, "all-zero digest of unhashed records is not found");

	const struct baseline_meta *m = baseline_get_meta(b);
	ok(m->created_usec == small_meta.created_usec && m->flags == small_meta.flags, "meta: time and flags");
	is_str(m->hostname, small_meta.hostname, "meta: hostname");
	ok(selection_hash(&sel, hash) == 0 && memcmp(m->selection_hash, hash, 32) == 0, "meta: selection hash stored");
	r = baseline_selection(b, &sel2, &d);
	is_int(r, 0, "stored selection reads back");
	ok(r == 0 && selection_hash(&sel2, hash2) == 0 && memcmp(hash, hash2, 32) == 0 && sel2.n_rules == 2 &&
		   streq(sel2.rules[0].path, "/etc") && sel2.rules[0].n_excludes == 1 && sel2.n_excludes == 1 &&
		   sel2.one_filesystem,
	   "selection round trip");
	ok(!baseline_is_signed(b), "fresh database is unsigned");
	b = baseline_close(b);
	ok(b == NULL, "baseline_close returns NULL");
	selection_free(&sel);
	selection_free(&sel2);

	/* An empty database and a NULL selection are fine. */
	struct baseline_meta meta = { .created_usec = 1 };
	r = baseline_write(db, &meta, NULL, NULL, 0, &d);
	is_int(r, 0, "write empty database");
	r = baseline_open(db, &b, &d);
	ok(r == 0 && baseline_count(b) == 0 && baseline_digest_count(b) == 0 &&
		   baseline_lookup_path(b, "/", &idx) == -ENOENT && baseline_lookup_digest(b, hash, &first, &count) == -ENOENT,
	   "empty database opens, lookups miss");
	ok(r == 0 && baseline_get_meta(b)->hostname[0] == '\0', "empty hostname");
	b = baseline_close(b);
}

static void test_bad_input(void)
{
	_cleanup_free_ char *db = tmp_path("bad-input.db");
	struct vrecord recs[16], bad[16];
	struct diag d = { "" };
	size_t n = small_records(recs);
	struct baseline_meta meta = small_meta;

	memcpy(bad, recs, sizeof(recs));
	bad[3] = recs[4];
	bad[4] = recs[3];
	is_int(baseline_write(db, &small_meta, NULL, bad, n, &d), -EINVAL, "unsorted records rejected");
	ok(strstr(d.msg, db) && strstr(d.msg, "record 4"), "message names the file and record: %s", d.msg);
	memcpy(bad, recs, sizeof(recs));
	bad[4] = recs[3];
	is_int(baseline_write(db, &small_meta, NULL, bad, n, &d), -EINVAL, "duplicate path rejected");
	memcpy(bad, recs, sizeof(recs));
	bad[0].path = "relative";
	is_int(baseline_write(db, &small_meta, NULL, bad, 1, &d), -EINVAL, "relative path rejected");
	memcpy(bad, recs, sizeof(recs));
	bad[0].type = 'x';
	is_int(baseline_write(db, &small_meta, NULL, bad, n, &d), -EINVAL, "bad type rejected");
	memcpy(bad, recs, sizeof(recs));
	bad[0].has_sha256 = true;	/* "/" is a directory */
	is_int(baseline_write(db, &small_meta, NULL, bad, n, &d), -EINVAL, "digest on a directory rejected");
	memcpy(bad, recs, sizeof(recs));
	bad[1].mask = 1u << 20;
	is_int(baseline_write(db, &small_meta, NULL, bad, n, &d), -EINVAL, "unknown attribute bit rejected");
	meta.flags = 1u << 7;
	is_int(baseline_write(db, &meta, NULL, recs, n, &d), -EINVAL, "unknown flag rejected");
	meta = small_meta;
	memset(meta.hostname, 'h', sizeof(meta.hostname));
	is_int(baseline_write(db, &meta, NULL, recs, n, &d), -EINVAL, "unterminated hostname rejected");
	ok(access(db, F_OK) < 0 && errno == ENOENT, "nothing written on bad input");
	is_int(baseline_write("/nonexistent-dir/x.db", &small_meta, NULL, recs, n, &d), -ENOENT,
	       "unwritable location fails cleanly");
	ok(strstr(d.msg, "/nonexistent-dir/x.db") != NULL, "and names the file: %s", d.msg);
}

static bool open_err_ok(int r, const struct diag *d, const char *name)
{
	return (r == -EBADMSG || r == -EPROTONOSUPPORT) && strstr(d->msg, name) == d->msg;
}

/* Flip every byte of the database; sig_lo..sig_hi is the signature field
 * where a flip must still open (the signature is checked separately). */
static void flip_every_byte(const uint8_t *data, size_t len, size_t sig_lo, size_t sig_hi, const char *what)
{
	_cleanup_free_ uint8_t *copy = malloc(len);
	size_t bad_fail = 0, bad_open = 0;

	if (!copy)
		abort();
	for (size_t i = 0; i < len; i++) {
		for (unsigned k = 0; k < 2; k++) {
			struct baseline *b = NULL;
			struct diag d = { "" };
			int r;

			memcpy(copy, data, len);
			copy[i] ^= k ? 0xff : 0x01;
			r = baseline_open_buffer(copy, len, "flip.db", &b, &d);
			if (i >= sig_lo && i < sig_hi) {
				if (r < 0) {
					bad_open++;
					diag("byte %zu: %s", i, d.msg);
				}
			} else if (r == 0 || !open_err_ok(r, &d, "flip.db")) {
				bad_fail++;
				diag("byte %zu ^ %d: r=%d %s", i, k ? 0xff : 1, r, d.msg);
			}
			b = baseline_close(b);
		}
	}
	ok(bad_fail == 0, "%s: flipping any of %zu bytes outside the signature fails to open", what, len);
	if (sig_hi > sig_lo)
		ok(bad_open == 0, "%s: flipping a signature byte still opens", what);
}

static void fix_checksum(uint8_t *data, size_t len)
{
	unsigned int n = SHA256_LEN;

	if (EVP_Digest(data, len - TRAILER_SIZE, data + len - TRAILER_SIZE, &n, EVP_sha256(), NULL) != 1)
		abort();
}

/* With the checksum recomputed after each flip, the structural checks
 * are on their own: whatever they let through must be usable. */
static void flip_with_checksum(const uint8_t *data, size_t len)
{
	_cleanup_free_ uint8_t *copy = malloc(len);
	size_t opened = 0, rejected = 0, broken = 0;

	if (!copy)
		abort();
	for (size_t i = 0; i < len - TRAILER_SIZE; i++) {
		for (unsigned k = 0; k < 2; k++) {
			struct baseline *b = NULL;
			struct diag d = { "" };
			int r;

			memcpy(copy, data, len);
			copy[i] ^= k ? 0xff : 0x01;
			fix_checksum(copy, len);
			r = baseline_open_buffer(copy, len, "flip.db", &b, &d);
			if (r < 0) {
				rejected++;
				if (!open_err_ok(r, &d, "flip.db")) {
					broken++;
					diag("byte %zu: r=%d %s", i, r, d.msg);
				}
				continue;
			}
			opened++;
			for (size_t j = 0; j < baseline_count(b); j++) {
				struct vrecord v;
				size_t idx;

				baseline_record(b, j, &v);
				if (baseline_lookup_path(b, v.path, &idx) < 0 || idx != j)
					broken++;
			}
			b = baseline_close(b);
		}
	}
	diag("flips with a fixed-up checksum: %zu rejected, %zu still valid", rejected, opened);
	ok(broken == 0 && rejected > 0, "structural validation behind the checksum holds");
}

static void test_corruption(void)
{
	_cleanup_free_ char *db = tmp_path("small.db"), *f = tmp_path("corrupt.db");
	_cleanup_free_ uint8_t *data = NULL;
	struct vrecord recs[16];
	struct selection sel;
	struct baseline *b = NULL;
	struct diag d = { "" };
	size_t n = small_records(recs), len, bad = 0;
	int r;

	small_selection(&sel);
	if (baseline_write(db, &small_meta, &sel, recs, n, &d) < 0 || read_whole(db, &data, &len) < 0)
		abort();
	selection_free(&sel);
	diag("small database: %zu records, %zu bytes", n, len);
	flip_every_byte(data, len, 0, 0, "unsigned");
	flip_with_checksum(data, len);

	for (size_t l = 0; l < len; l++) {
		r = baseline_open_buffer(data, l, "trunc.db", &b, &d);
		if (r != -EBADMSG || strstr(d.msg, "trunc.db: corrupt baseline: ") != d.msg) {
			bad++;
			diag("length %zu: r=%d %s", l, r, d.msg);
		}
		b = baseline_close(b);
	}
	ok(bad == 0, "truncation at every length 0..%zu fails with -EBADMSG", len - 1);

	/* The same through real files and baseline_open(). */
	r = write_raw(f, data, 0);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	ok(r == -EBADMSG && strstr(d.msg, f) && strstr(d.msg, "empty"), "empty file: %s", d.msg);
	r = write_raw(f, "VIG", 3);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	ok(r == -EBADMSG && strstr(d.msg, f), "3-byte file: %s", d.msg);
	r = write_raw(f, data, len - 1);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	ok(r == -EBADMSG && strstr(d.msg, f), "truncated file: %s", d.msg);
	data[len / 2] ^= 0x20;
	r = write_raw(f, data, len);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	ok(r == -EBADMSG && strstr(d.msg, f) && strstr(d.msg, "checksum mismatch"), "flipped file: %s", d.msg);
	data[len / 2] ^= 0x20;
	data[0] = 'X';
	r = write_raw(f, data, len);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	ok(r == -EBADMSG && strstr(d.msg, "bad magic"), "wrong magic: %s", d.msg);
	data[0] = 'V';
	data[8] = 2;
	r = write_raw(f, data, len);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	ok(r == -EPROTONOSUPPORT && strstr(d.msg, f) && strstr(d.msg, "newer vigil (format 2"), "version 2: %s", d.msg);
	data[8] = 1;
	{
		_cleanup_free_ uint8_t *longer = malloc(len + 8);

		if (!longer)
			abort();
		memcpy(longer, data, len);
		memset(longer + len, 0, 8);
		r = write_raw(f, longer, len + 8);
		r = r < 0 ? r : baseline_open(f, &b, &d);
		ok(r == -EBADMSG, "appended bytes: %s", d.msg);
	}
	r = write_raw(f, data, len);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	is_int(r, 0, "restored file opens again");
	b = baseline_close(b);

	/* 1 GB of zeros (sparse), and 1 GB behind a valid magic and version. */
	{
		_cleanup_close_ int fd = open(f, O_WRONLY | O_TRUNC | O_CLOEXEC);

		r = fd >= 0 && ftruncate(fd, 1LL << 30) == 0 ? 0 : -errno;
		r = r < 0 ? r : baseline_open(f, &b, &d);
		ok(r == -EBADMSG && strstr(d.msg, "bad magic"), "1 GB of zeros: %s", d.msg);
		r = pwrite(fd, data, 12, 0) == 12 ? 0 : -errno;
		r = r < 0 ? r : baseline_open(f, &b, &d);
		ok(r == -EBADMSG && strstr(d.msg, f), "1 GB behind a valid magic: %s", d.msg);
	}

	is_int(baseline_open(tmpdir, &b, &d), -EISDIR, "directory: %s", d.msg);
	{
		_cleanup_free_ char *fifo = tmp_path("fifo");

		r = mkfifo(fifo, 0600) < 0 ? -errno : baseline_open(fifo, &b, &d);
		is_int(r, -EINVAL, "FIFO fails at once: %s", d.msg);
	}
	{
		_cleanup_free_ char *missing = tmp_path("missing.db");

		r = baseline_open(missing, &b, &d);
		ok(r == -ENOENT && strstr(d.msg, missing), "missing file: %s", d.msg);
	}
	{
		_cleanup_free_ char *link = tmp_path("link.db");

		r = symlink(db, link) < 0 ? -errno : baseline_open(link, &b, &d);
		is_int(r, 0, "database through a symlink opens");
		b = baseline_close(b);
	}
}

static int write_key(const char *path, EVP_PKEY *key, bool private)
{
	_cleanup_fclose_ FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	if ((private ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) : PEM_write_PUBKEY(f, key)) != 1)
		return -EIO;
	return 0;
}

static void make_keys(const char *name, const char *type, const char *param)
{
	_cleanup_free_ char *priv = NULL, *pub = NULL;
	EVP_PKEY *key;

	if (asprintf(&priv, "%s/%s.key", tmpdir, name) < 0 || asprintf(&pub, "%s/%s.pub", tmpdir, name) < 0)
		abort();
	key = param ? EVP_PKEY_Q_keygen(NULL, NULL, type, param) : EVP_PKEY_Q_keygen(NULL, NULL, type);
	if (!key || write_key(priv, key, true) < 0 || write_key(pub, key, false) < 0)
		abort();
	EVP_PKEY_free(key);
}

static void test_signatures(void)
{
	_cleanup_free_ char *db = tmp_path("signed.db"), *f = tmp_path("tampered.db"), *k1 = tmp_path("k1.key"),
			    *p1 = tmp_path("k1.pub"), *k2 = tmp_path("k2.key"), *p2 = tmp_path("k2.pub"),
			    *ec = tmp_path("ec.key"), *ecpub = tmp_path("ec.pub"), *junk = tmp_path("junk.key");
	_cleanup_free_ uint8_t *unsigned_data = NULL, *data = NULL;
	struct vrecord recs[16];
	struct baseline *b = NULL;
	struct diag d = { "" };
	size_t n = small_records(recs), ulen, len;
	struct stat st;
	int r;

	make_keys("k1", "ED25519", NULL);
	make_keys("k2", "ED25519", NULL);
	make_keys("ec", "EC", "P-256");
	if (write_raw(junk, "-----BEGIN PRIVATE KEY-----\nnot base64\n", 40) < 0)
		abort();

	if (baseline_write(db, &small_meta, NULL, recs, n, &d) < 0 || read_whole(db, &unsigned_data, &ulen) < 0)
		abort();
	r = baseline_open(db, &b, &d);
	is_int(r < 0 ? r : baseline_verify_signature(b, p1, &d), -ENOKEY, "unsigned: verify gives -ENOKEY");
	b = baseline_close(b);

	is_int(baseline_sign(db, ec, &d), -EINVAL, "EC private key rejected");
	ok(strstr(d.msg, ec) && strstr(d.msg, "not Ed25519"), "reason: %s", d.msg);
	is_int(baseline_sign(db, junk, &d), -EINVAL, "garbage key file rejected: %s", d.msg);
	is_int(baseline_sign(db, p1, &d), -EINVAL, "public key as signing key rejected: %s", d.msg);
	is_int(baseline_sign(db, "/nonexistent.key", &d), -ENOENT, "missing key file: %s", d.msg);
	{
		_cleanup_free_ char *enc = tmp_path("enc.key");
		_cleanup_fclose_ FILE *fe = fopen(enc, "we");
		EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

		if (!fe || !key ||
		    PEM_write_PrivateKey(fe, key, EVP_aes_256_cbc(), (unsigned char *)"secret", 6, NULL, NULL) != 1 ||
		    fflush(fe) != 0)
			abort();
		EVP_PKEY_free(key);
		/* Must fail without asking for a passphrase on the terminal. */
		r = baseline_sign(db, enc, &d);
		ok(r == -EINVAL && strstr(d.msg, "encrypted"), "encrypted key rejected without a prompt: %s", d.msg);
	}

	r = baseline_sign(db, k1, &d);
	is_int(r, 0, "sign with an Ed25519 key (%s)", d.msg);
	ok(stat(db, &st) == 0 && (st.st_mode & 07777) == 0600, "signed database has mode 0600");
	if (read_whole(db, &data, &len) < 0)
		abort();
	ok(len == ulen && memcmp(data, unsigned_data, len - TRAILER_SIZE + TRL_SIG - 8) == 0,
	   "signing changes only the signature fields of the trailer (checksum unchanged)");
	r = baseline_open(db, &b, &d);
	is_int(r, 0, "signed database opens (%s)", d.msg);
	if (r < 0)
		return;
	ok(baseline_is_signed(b), "is_signed");
	is_int(baseline_verify_signature(b, p1, &d), 0, "verifies with its public key (%s)", d.msg);
	is_int(baseline_verify_signature(b, p2, &d), -EKEYREJECTED, "another key: -EKEYREJECTED");
	ok(strstr(d.msg, db) && strstr(d.msg, p2), "reason names both files: %s", d.msg);
	is_int(baseline_verify_signature(b, ecpub, &d), -EINVAL, "EC public key: -EINVAL (%s)", d.msg);
	is_int(baseline_verify_signature(b, k1, &d), -EINVAL, "private key file as public key: -EINVAL (%s)", d.msg);
	b = baseline_close(b);

	flip_every_byte(data, len, len - TRAILER_SIZE + TRL_SIG, len - TRAILER_SIZE + TRL_SIG + SIG_LEN, "signed");

	/* A flipped signature byte opens but does not verify. */
	data[len - TRAILER_SIZE + TRL_SIG + 5] ^= 1;
	r = write_raw(f, data, len);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	is_int(r < 0 ? r : baseline_verify_signature(b, p1, &d), -EKEYREJECTED, "damaged signature: -EKEYREJECTED");
	b = baseline_close(b);
	data[len - TRAILER_SIZE + TRL_SIG + 5] ^= 1;

	/* Tampering with a record: the checksum catches it; with the
	 * checksum recomputed too, the signature catches it. */
	data[208 + 24 + 4] ^= 0x04;	/* uid of record 0, after header and selection */
	r = write_raw(f, data, len);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	ok(r == -EBADMSG && strstr(d.msg, "checksum mismatch"), "tampered signed file fails to open: %s", d.msg);
	fix_checksum(data, len);
	r = write_raw(f, data, len);
	r = r < 0 ? r : baseline_open(f, &b, &d);
	is_int(r, 0, "tampered file with a fixed-up checksum opens (%s)", d.msg);
	is_int(r < 0 ? r : baseline_verify_signature(b, p1, &d), -EKEYREJECTED, "but its signature is rejected");
	b = baseline_close(b);

	/* Re-signing replaces the signature. */
	is_int(baseline_sign(db, k2, &d), 0, "re-sign with another key");
	r = baseline_open(db, &b, &d);
	ok(r == 0 && baseline_verify_signature(b, p2, &d) == 0 && baseline_verify_signature(b, p1, &d) == -EKEYREJECTED,
	   "new signature verifies, old key no longer does");
	b = baseline_close(b);
	{
		_cleanup_free_ uint8_t *again = NULL;
		size_t alen;

		ok(read_whole(db, &again, &alen) == 0 && alen == ulen, "re-signed file keeps its size");
	}
}

/* 130,000 synthetic records: size per record and write/open/lookup times. */
static void test_timing(void)
{
	enum { N = 130000 };
	_cleanup_free_ char *db = tmp_path("big.db");
	_cleanup_free_ struct vrecord *recs = calloc(N, sizeof(*recs));
	_cleanup_free_ char *names = malloc((size_t)N * 64);
	struct baseline *b = NULL;
	struct diag d = { "" };
	struct stat st;
	unsigned long long t0, t1, t2, t3;
	size_t idx, misses = 0;
	int r;

	if (!recs || !names)
		abort();
	for (size_t i = 0; i < N; i++) {
		char *p = names + i * 64;

		(void)snprintf(p, 64, "/usr/share/pkg%04zu/dir%02zu/file-%06zu.dat", i / 97, (i / 7) % 13, i);
		recs[i] = (struct vrecord){ .path = p, .type = FT_REG, .mode = 0100644, .mask = ATTR_ALL,
					    .size = i * 17, .ino = i + 100, .mtime_ns = (int64_t)i * 1000000007LL,
					    .ctime_ns = (int64_t)i, .has_sha256 = i % 10 != 0, .pkg = NULL };
		if (recs[i].has_sha256)
			fill_digest(recs[i].sha256, (unsigned)(i * 2654435761u));
	}
	qsort(recs, N, sizeof(*recs), rec_cmp);
	/* Package names are assigned after sorting so they repeat in runs,
	 * as they do on a real system. */
	static char pkgs[N / 97 + 1][16];
	for (size_t i = 0; i < N; i++) {
		size_t k = i / 97;

		(void)snprintf(pkgs[k], sizeof(pkgs[k]), "pkg-%zu", k);
		recs[i].pkg = pkgs[k];
	}

	struct rusage ru0, ru1;
	(void)getrusage(RUSAGE_SELF, &ru0);
	t0 = now_monotonic_usec();
	r = baseline_write(db, &small_meta, NULL, recs, N, &d);
	t1 = now_monotonic_usec();
	(void)getrusage(RUSAGE_SELF, &ru1);
	is_int(r, 0, "write %d records (%s)", N, d.msg);
	r = baseline_open(db, &b, &d);
	t2 = now_monotonic_usec();
	is_int(r, 0, "open %d records (%s)", N, d.msg);
	if (r < 0)
		return;
	for (size_t i = 0; i < N; i++)
		if (baseline_lookup_path(b, recs[i].path, &idx) < 0 || idx != i)
			misses++;
	t3 = now_monotonic_usec();
	is_int(misses, 0, "every path found at its index");
	if (stat(db, &st) < 0)
		abort();
	diag("%d records: %lld bytes, %.1f bytes/record (136 fixed + strings + 4 per digest)", N,
	     (long long)st.st_size, (double)st.st_size / N);
	diag("write %.3f s, open+validate %.3f s, %d path lookups %.3f s", (t1 - t0) / 1e6, (t2 - t1) / 1e6, N,
	     (t3 - t2) / 1e6);
	diag("peak RSS grew by %ld KiB while writing (file: %lld KiB)", ru1.ru_maxrss - ru0.ru_maxrss,
	     (long long)st.st_size / 1024);
	b = baseline_close(b);
	(void)unlink(db);
}

static int write_seeds(const char *dir)
{
	_cleanup_free_ char *empty = path_join(dir, "empty.db"), *small = path_join(dir, "small.db"),
			    *sig = path_join(dir, "signed.db"), *key = tmp_path("seed.key");
	struct vrecord recs[16];
	struct selection sel;
	struct diag d = { "" };
	size_t n = small_records(recs);
	struct baseline_meta meta = { .created_usec = 1 };
	int r;

	make_keys("seed", "ED25519", NULL);
	small_selection(&sel);
	r = baseline_write(empty, &meta, NULL, NULL, 0, &d);
	if (r >= 0)
		r = baseline_write(small, &small_meta, &sel, recs, n, &d);
	if (r >= 0)
		r = baseline_write(sig, &small_meta, NULL, recs, 5, &d);
	if (r >= 0)
		r = baseline_sign(sig, key, &d);
	selection_free(&sel);
	if (r < 0)
		fprintf(stderr, "%s\n", d.msg);
	return r < 0 ? 1 : 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int r;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	if (argc == 3 && streq(argv[1], "--write-seeds")) {
		r = write_seeds(argv[2]);
	} else {
		test_round_trip();
		test_bad_input();
		test_corruption();
		test_signatures();
		test_timing();
		r = tap_done();
	}
	(void)nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return r;
}
