/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline writer against frozen output.  The format is canonical, so any
 * rework of baseline_write() must reproduce, byte for byte, what the
 * writer produced when these files were frozen (the in-memory writer of
 * commit a8f7e17):
 *
 *  - tests/data/baseline-golden.db: GOLDEN_N synthetic records, compared
 *    byte for byte (a diff names the first differing offset);
 *  - a larger set (BIG_N records, too big to commit) checked by the
 *    SHA-256 of the whole file, BIG_SHA256.
 *
 * Both sets come from gen_records(), deterministic and independent of
 * libc's rand(): repeated package names, ACLs, xattrs and link targets
 * (dedup), empty strings, strings repeated across fields, a link target
 * equal to a path (paths are not deduplicated), shared digests (index
 * order ties).
 *
 * "test-baseline-golden --write-golden FILE" rewrites the golden file and
 * prints the big set's hash; only ever do that with a writer known to be
 * right, and say so in the commit.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "baseline.h"
#include "fileio.h"
#include "tap.h"

enum { GOLDEN_N = 1000, BIG_N = 6000 };

/* SHA-256 of the BIG_N-record database, from the in-memory writer. */
static const char BIG_SHA256[] = "7cd3a91a803f503e06d340ef10d63282a38fd31c795e53fe0706d8ad612952be";

static const struct baseline_meta golden_meta = {
	.created_usec = 1712345678901234ULL,
	.flags = 0,
	.hostname = "golden.example.net",
};

static const char *const pkgs[] = {
	"base-files", "coreutils", "libc6:amd64", "libssl3:amd64", "systemd", "util-linux", "perl-base",
	"python3.11-minimal", "vigil", "cap_net_raw=ep", "",
};

static const char *const acls[] = {
	"user::rwx\ngroup::r-x\nother::r-x\n",
	"user::rw-\nuser:1000:rw-\ngroup::r--\nmask::rw-\nother::---\n",
	"",
};

static const char *const xattrs[] = {
	"security.selinux=73797374656d5f753a6f626a6563745f723a62696e5f743a733000",
	"user.mime_type=746578742f706c61696e",
	"security.ima=0403",
};

static const char *const caps[] = { "cap_net_raw=ep", "cap_net_bind_service,cap_sys_admin=eip", "vigil" };

static const char *const links[] = { "../lib/x86_64-linux-gnu/libc.so.6", "busybox", "", "/etc/alternatives/awk" };

struct gen {
	struct vrecord *recs;
	char *names;	/* n x NAME_MAX_LEN: paths */
	char *targets;	/* n x NAME_MAX_LEN: unique link targets */
	size_t n;
};

enum { NAME_MAX_LEN = 48 };

static uint32_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static int rec_cmp(const void *a, const void *b)
{
	return path_compare(((const struct vrecord *)a)->path, ((const struct vrecord *)b)->path);
}

static void gen_free(struct gen *g)
{
	free(g->recs);
	free(g->names);
	free(g->targets);
}

static void gen_records(struct gen *g, size_t n)
{
	static const enum file_type types[] = { FT_REG, FT_REG, FT_REG, FT_REG, FT_REG, FT_DIR,
						FT_LNK, FT_LNK, FT_CHR, FT_BLK, FT_FIFO, FT_SOCK };
	uint64_t s = 0x5eed0000ULL + n;

	g->n = n;
	g->recs = calloc(n, sizeof(*g->recs));
	g->names = calloc(n, NAME_MAX_LEN);
	g->targets = calloc(n, NAME_MAX_LEN);
	if (!g->recs || !g->names || !g->targets)
		abort();
	for (size_t i = 0; i < n; i++) {
		char *p = g->names + i * NAME_MAX_LEN;
		uint32_t x = lcg(&s);

		/* Distinct by construction (i is in the name); the scramble
		 * makes the sort do real work. */
		(void)snprintf(p, NAME_MAX_LEN, "/usr/%s/d%02u/f-%zu%s", x & 1 ? "lib" : "share", (x >> 1) % 23, i,
			       x & 0x40 ? ".so" : "");
		g->recs[i] = (struct vrecord){ .path = p, .type = types[(x >> 8) % 12], .mask = ATTR_ALL,
					       .uid = x % 7 == 0 ? 1000 : 0, .gid = (x >> 4) % 5,
					       .size = (uint64_t)lcg(&s) * 977, .ino = (uint64_t)lcg(&s) << 8 | i,
					       .mtime_ns = (int64_t)lcg(&s) * 1000003 - (x % 13 == 0 ? INT64_C(1) << 40 : 0),
					       .ctime_ns = (int64_t)lcg(&s) * 999983 };
	}
	qsort(g->recs, n, sizeof(*g->recs), rec_cmp);

	/* Strings are assigned after sorting so package names come in runs,
	 * as on a real system. */
	for (size_t i = 0; i < n; i++) {
		struct vrecord *r = &g->recs[i];
		uint32_t x = lcg(&s), y = lcg(&s);

		r->mode = r->type == FT_DIR ? 040755 : r->type == FT_LNK ? 0120777 : 0100644;
		r->pkg = (i / 37) % 13 < 11 ? pkgs[(i / 37) % 11] : NULL;
		r->acl = x % 9 < 3 ? acls[x % 9] : NULL;
		r->xattrs = (x >> 4) % 4 < 3 ? xattrs[(x >> 4) % 4] : NULL;
		r->caps = (x >> 8) % 50 < 3 ? caps[(x >> 8) % 50] : NULL;
		if (r->type == FT_LNK) {
			unsigned k = y % 8;

			if (k < 4) {
				r->link = links[k];
			} else if (k < 6 && i > 0) {
				/* Same text as a path: stored twice. */
				r->link = g->recs[(y >> 3) % i].path;
			} else {
				char *t = g->targets + i * NAME_MAX_LEN;

				(void)snprintf(t, NAME_MAX_LEN, "target-%u", (y >> 3) % 4000);
				r->link = t;
			}
		}
		if (r->type == FT_REG && y % 10 != 0) {
			/* Few distinct digests: many ties in the index. */
			uint32_t seed = (y >> 4) % (n / 4 + 1);

			r->has_sha256 = true;
			for (unsigned b = 0; b < SHA256_LEN; b++)
				r->sha256[b] = (uint8_t)(seed * 2654435761u >> (b % 4 * 8)) ^ (uint8_t)b;
		}
	}
}

static void golden_selection(struct selection *sel)
{
	*sel = (struct selection){ .one_filesystem = true };
	if (selection_add(sel, "/usr", ATTR_ALL, true) < 0 || selection_add(sel, "/etc", ATTR_ALL & ~ATTR_SHA256, true) < 0)
		abort();
	selection_finish(sel);
	if (selection_add_exclude(sel, 0, "/usr/share/doc/*") < 0)
		abort();
}

static int write_set(const char *path, size_t n, struct diag *d)
{
	struct gen g = { 0 };
	struct selection sel;
	int r;

	gen_records(&g, n);
	golden_selection(&sel);
	r = baseline_write(path, &golden_meta, &sel, g.recs, g.n, d);
	selection_free(&sel);
	gen_free(&g);
	return r;
}

static int read_whole(const char *path, uint8_t **ret, size_t *ret_len)
{
	return read_file_at(AT_FDCWD, path, true, 64u << 20, (char **)ret, ret_len);
}

static int file_sha256_hex(const char *path, char ret[2 * SHA256_LEN + 1])
{
	_cleanup_free_ uint8_t *data = NULL;
	uint8_t sum[SHA256_LEN];
	unsigned int len = SHA256_LEN;
	size_t n;
	int r;

	r = read_whole(path, &data, &n);
	if (r < 0)
		return r;
	if (EVP_Digest(data, n, sum, &len, EVP_sha256(), NULL) != 1)
		return -EIO;
	for (unsigned i = 0; i < SHA256_LEN; i++)
		(void)snprintf(ret + 2 * i, 3, "%02x", sum[i]);
	return 0;
}

static char tmpdir[] = "/tmp/test-baseline-golden.XXXXXX";

static void test_golden(void)
{
	_cleanup_free_ char *golden = NULL, *out = path_join(tmpdir, "golden.db");
	_cleanup_free_ uint8_t *want = NULL, *got = NULL;
	const char *srcdir = getenv("VIGIL_SRCDIR");
	struct baseline *b = NULL;
	struct diag d = { "" };
	size_t want_len = 0, got_len = 0, i;
	int r;

	golden = path_join(srcdir ? srcdir : ".", "tests/data/baseline-golden.db");
	if (!golden || !out)
		abort();
	r = read_whole(golden, &want, &want_len);
	is_int(r, 0, "read %s", golden);
	r = write_set(out, GOLDEN_N, &d);
	is_int(r, 0, "write %d records (%s)", GOLDEN_N, d.msg);
	r = read_whole(out, &got, &got_len);
	is_int(r, 0, "read back what was written");
	if (!want || !got)
		return;
	is_int(got_len, want_len, "same size as the golden file");
	for (i = 0; i < got_len && i < want_len; i++)
		if (got[i] != want[i])
			break;
	ok(got_len == want_len && i == got_len, "byte-for-byte identical to the golden file (%zu bytes agree from the start)",
	   i);

	/* The golden file is a valid database (it could be frozen garbage). */
	r = baseline_open(out, &b, &d);
	is_int(r, 0, "golden database opens (%s)", d.msg);
	if (r == 0) {
		struct gen g = { 0 };
		struct vrecord v;
		size_t bad = 0;

		gen_records(&g, GOLDEN_N);
		is_int(baseline_count(b), GOLDEN_N, "record count");
		for (size_t k = 0; k < g.n; k++) {
			baseline_record(b, k, &v);
			if (!streq(v.path, g.recs[k].path) || !streq_ptr(v.link, g.recs[k].link) ||
			    !streq_ptr(v.pkg, g.recs[k].pkg) || !streq_ptr(v.acl, g.recs[k].acl) ||
			    !streq_ptr(v.xattrs, g.recs[k].xattrs) || !streq_ptr(v.caps, g.recs[k].caps) ||
			    v.has_sha256 != g.recs[k].has_sha256)
				bad++;
		}
		is_int(bad, 0, "records read back as generated");
		gen_free(&g);
		b = baseline_close(b);
	}
	(void)unlink(out);
}

static void test_big(void)
{
	_cleanup_free_ char *out = path_join(tmpdir, "big.db");
	char hex[2 * SHA256_LEN + 1] = "";
	struct diag d = { "" };
	int r;

	if (!out)
		abort();
	r = write_set(out, BIG_N, &d);
	is_int(r, 0, "write %d records (%s)", BIG_N, d.msg);
	if (r == 0)
		r = file_sha256_hex(out, hex);
	is_int(r, 0, "hash the file");
	is_str(hex, BIG_SHA256, "%d-record database has the frozen SHA-256", BIG_N);
	(void)unlink(out);
}

int main(int argc, char **argv)
{
	struct diag d = { "" };
	int r;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	if (argc == 3 && streq(argv[1], "--write-golden")) {
		_cleanup_free_ char *big = path_join(tmpdir, "big.db");
		char hex[2 * SHA256_LEN + 1];

		r = write_set(argv[2], GOLDEN_N, &d);
		if (r >= 0)
			r = write_set(big, BIG_N, &d);
		if (r >= 0)
			r = file_sha256_hex(big, hex);
		if (r < 0)
			fprintf(stderr, "%s\n", d.msg);
		else
			printf("%s\n", hex);
		(void)unlink(big);
		r = r < 0 ? 1 : 0;
	} else {
		test_golden();
		test_big();
		r = tap_done();
	}
	(void)rmdir(tmpdir);
	return r;
}
