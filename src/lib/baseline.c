/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline database, on-disk format version 1.
 *
 * All integers are little-endian and fixed-width; every section starts at
 * an 8-byte aligned offset and the gaps between sections are zero bytes.
 * The layout is canonical: a reader accepts exactly what the writer
 * produces, so two writers of the same input produce the same bytes.
 *
 *   Header (208 bytes, offset 0)
 *     0    magic "VIGILDB\0"
 *     8    u32 format version (1)
 *     12   u32 flags (BASELINE_FLAG_*)
 *     16   u64 record count
 *     24   u64 created, microseconds since the epoch (CLOCK_REALTIME)
 *     32   hostname, 72 bytes: at most 64 characters, NUL-padded
 *     104  SHA-256 of the serialized selection (= selection_hash())
 *     136  4 x (u64 offset, u64 length): selection, records, digest
 *          index, strings, in this order, each at the 8-aligned end of
 *          the previous one (the first at 208)
 *     200  u64 trailer offset (the 8-aligned end of the string area)
 *
 *   Selection: selection_serialize() output.
 *
 *   Records: record count x 136 bytes, sorted by path_compare(), paths
 *   strictly increasing:
 *     0  u32 mode     4  u32 uid     8  u32 gid     12 u32 mask (ATTR_*)
 *     16 u64 size     24 u64 inode   32 s64 mtime_ns 40 s64 ctime_ns
 *     48 u8 type (enum file_type)  49 u8 has_sha256 (0/1)  50 6 zero bytes
 *     56 sha256[32] (zero unless has_sha256, which only regular files have)
 *     88 6 x (u32 offset, u32 length) into the string area: path, link,
 *        acl, xattrs, caps, pkg.  (0, 0) is NULL.
 *
 *   Digest index: u32 record indices of every record with has_sha256,
 *   sorted by (sha256, record index).
 *
 *   Strings: byte 0 is a reserved NUL so that offset 0 can mean NULL; every
 *   string is stored with its terminating NUL, so views point straight into
 *   the mapping.  Identical link/acl/xattrs/caps/pkg strings are stored
 *   once (package names repeat for every file of a package).
 *
 *   Trailer (112 bytes): SHA-256 of every byte before the trailer; u32
 *   signature length (0 or 64); u32 zero; 64 bytes of Ed25519 signature
 *   over every byte before the trailer (zero when unsigned); magic
 *   "VIGILEND".  The file ends right after it.  Signing rewrites only the
 *   trailer, so the checksum does not change.
 *
 * The reader maps the file and validates all of it (checksum, every
 * offset, length, string, order) before handing out a single view.  The
 * mapping is MAP_PRIVATE of a file that vigil only ever replaces by
 * rename(), never rewrites in place, so the validated bytes stay as they
 * are while it is mapped.
 */
#include <assert.h>
#include <endian.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "baseline.h"
#include "fileio.h"
#include "strbuf.h"

#define DB_MAGIC "VIGILDB\0"
#define DB_END_MAGIC "VIGILEND"
#define DB_VERSION 1u
#define DB_KNOWN_FLAGS ((uint32_t)BASELINE_FLAG_CMDLINE)

enum {
	HDR_VERSION = 8,
	HDR_FLAGS = 12,
	HDR_COUNT = 16,
	HDR_CREATED = 24,
	HDR_HOSTNAME = 32,
	HOSTNAME_FIELD = 72,
	HDR_SELHASH = 104,
	HDR_SECTIONS = 136,
	HDR_TRAILER = 200,
	HDR_SIZE = 208,
};

enum { SEC_SELECTION, SEC_RECORDS, SEC_DIGESTS, SEC_STRINGS, _SEC_COUNT };

enum {
	REC_MODE = 0,
	REC_UID = 4,
	REC_GID = 8,
	REC_MASK = 12,
	REC_FSIZE = 16,
	REC_INO = 24,
	REC_MTIME = 32,
	REC_CTIME = 40,
	REC_TYPE = 48,
	REC_HAS_SHA = 49,
	REC_RESERVED = 50,
	REC_SHA = 56,
	REC_STRS = 88,
	RECORD_SIZE = 136,
};

enum { STR_PATH, STR_LINK, STR_ACL, STR_XATTRS, STR_CAPS, STR_PKG, _STR_COUNT };

enum {
	TRL_SUM = 0,
	TRL_SIGLEN = 32,
	TRL_RESERVED = 36,
	TRL_SIG = 40,
	TRL_MAGIC = 104,
	TRAILER_SIZE = 112,
};

#define SIG_LEN 64
#define KEY_FILE_MAX (64u * 1024)

static const char *const section_names[_SEC_COUNT] = { "selection", "records", "digest index", "strings" };
static const char *const string_names[_STR_COUNT] = { "path", "link", "acl", "xattrs", "caps", "pkg" };

_Static_assert(HOSTNAME_FIELD >= sizeof(((struct baseline_meta *)0)->hostname), "hostname field too small");
_Static_assert(REC_STRS + 8 * _STR_COUNT == RECORD_SIZE, "record layout");
_Static_assert(HDR_SECTIONS + 16 * _SEC_COUNT == HDR_TRAILER, "header layout");

struct baseline {
	char *path;
	const uint8_t *data;	/* the whole file */
	size_t size;
	void *map;		/* munmap()ed on close, or NULL */
	void *owned;		/* free()d on close (baseline_open_buffer()) */
	struct baseline_meta meta;
	const uint8_t *records;
	size_t n_records;
	const uint8_t *digests;
	size_t n_digests;
	const char *strings;
	size_t strings_len;
	const uint8_t *selection;
	size_t selection_len;
	size_t trailer;		/* offset of the trailer */
	bool is_signed;
};

static uint32_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static uint64_t ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static void st32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static void st64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

static uint64_t align8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static bool type_valid(uint8_t t)
{
	return t != 0 && strchr("fdlcbps", t) != NULL;
}

static int sha256(const void *data, size_t len, uint8_t ret[SHA256_LEN])
{
	unsigned int n = SHA256_LEN;

	if (EVP_Digest(data, len, ret, &n, EVP_sha256(), NULL) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
}

static void evp_pkey_freep(EVP_PKEY **p)
{
	EVP_PKEY_free(*p);
}

static void evp_md_ctx_freep(EVP_MD_CTX **p)
{
	EVP_MD_CTX_free(*p);
}

static void bio_freep(BIO **p)
{
	BIO_free(*p);
}

static void baseline_closep(struct baseline **b)
{
	*b = baseline_close(*b);
}

/* -EBADMSG with "PATH: corrupt baseline: REASON". */
_printf_(3, 4) static int corrupt(struct diag *d, const char *path, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return diag_set(d, -EBADMSG, "%s: corrupt baseline: %s", path, reason);
}

/* ---- Reading ---- */

static int check_header(struct baseline *b, struct diag *d)
{
	const uint8_t *p = b->data;
	uint8_t sum[SHA256_LEN];
	uint64_t off[_SEC_COUNT], len[_SEC_COUNT], count, trailer, pos;
	uint32_t version, flags;
	const uint8_t *host, *nul;
	int r;

	if (b->size == 0)
		return corrupt(d, b->path, "empty file");
	if (b->size < 8 || memcmp(p, DB_MAGIC, 8) != 0)
		return corrupt(d, b->path, "not a vigil baseline (bad magic)");
	if (b->size < HDR_VERSION + 4)
		return corrupt(d, b->path, "truncated (%zu bytes)", b->size);
	version = ld32(p + HDR_VERSION);
	if (version > DB_VERSION)
		return diag_set(d, -EPROTONOSUPPORT,
				"%s: baseline written by a newer vigil (format %" PRIu32 ", this vigil reads format %u)",
				b->path, version, DB_VERSION);
	if (version != DB_VERSION)
		return corrupt(d, b->path, "unknown format version %" PRIu32, version);
	if (b->size < HDR_SIZE + TRAILER_SIZE)
		return corrupt(d, b->path, "truncated (%zu bytes)", b->size);

	/* The trailer fixes the file size: anything else was truncated or
	 * appended to.  trailer <= size - TRAILER_SIZE keeps all sums below
	 * in range. */
	trailer = ld64(p + HDR_TRAILER);
	if (trailer > b->size - TRAILER_SIZE || trailer + TRAILER_SIZE != b->size)
		return corrupt(d, b->path, "file size %zu does not match trailer offset %" PRIu64 " (truncated?)",
			       b->size, trailer);
	b->trailer = (size_t)trailer;
	if (memcmp(p + b->trailer + TRL_MAGIC, DB_END_MAGIC, 8) != 0)
		return corrupt(d, b->path, "bad trailer magic");
	r = sha256(p, b->trailer, sum);
	if (r < 0)
		return diag_set(d, r, "%s: cannot compute checksum", b->path);
	if (memcmp(sum, p + b->trailer + TRL_SUM, SHA256_LEN) != 0)
		return corrupt(d, b->path, "checksum mismatch");

	switch (ld32(p + b->trailer + TRL_SIGLEN)) {
	case 0:
		if (!all_zero(p + b->trailer + TRL_SIG, SIG_LEN))
			return corrupt(d, b->path, "unsigned, but the signature field is not empty");
		break;
	case SIG_LEN:
		b->is_signed = true;
		break;
	default:
		return corrupt(d, b->path, "bad signature length %" PRIu32, ld32(p + b->trailer + TRL_SIGLEN));
	}
	if (ld32(p + b->trailer + TRL_RESERVED) != 0)
		return corrupt(d, b->path, "reserved trailer field is not zero");

	pos = HDR_SIZE;
	for (unsigned i = 0; i < _SEC_COUNT; i++) {
		uint64_t end;

		off[i] = ld64(p + HDR_SECTIONS + 16 * i);
		len[i] = ld64(p + HDR_SECTIONS + 16 * i + 8);
		if (off[i] != pos)
			return corrupt(d, b->path, "%s section at offset %" PRIu64 ", expected %" PRIu64,
				       section_names[i], off[i], pos);
		if (len[i] > trailer - off[i])
			return corrupt(d, b->path, "%s section (%" PRIu64 " bytes at %" PRIu64 ") runs past the trailer",
				       section_names[i], len[i], off[i]);
		end = off[i] + len[i];
		pos = align8(end);
		if (pos > trailer || !all_zero(p + end, (size_t)(pos - end)))
			return corrupt(d, b->path, "bad padding after the %s section", section_names[i]);
	}
	if (pos != trailer)
		return corrupt(d, b->path, "trailer at offset %" PRIu64 ", expected %" PRIu64, trailer, pos);

	flags = ld32(p + HDR_FLAGS);
	if (flags & ~DB_KNOWN_FLAGS)
		return corrupt(d, b->path, "unknown flags 0x%" PRIx32, flags);
	host = p + HDR_HOSTNAME;
	nul = memchr(host, 0, sizeof(b->meta.hostname));
	if (!nul || !all_zero(nul, (size_t)(host + HOSTNAME_FIELD - nul)))
		return corrupt(d, b->path, "bad hostname field");
	b->meta.flags = flags;
	b->meta.created_usec = ld64(p + HDR_CREATED);
	memcpy(b->meta.hostname, host, (size_t)(nul - host) + 1);
	memcpy(b->meta.selection_hash, p + HDR_SELHASH, SHA256_LEN);

	count = ld64(p + HDR_COUNT);
	if (len[SEC_RECORDS] % RECORD_SIZE != 0 || len[SEC_RECORDS] / RECORD_SIZE != count)
		return corrupt(d, b->path, "record count %" PRIu64 " does not match the record section (%" PRIu64 " bytes)",
			       count, len[SEC_RECORDS]);
	/* Record indices are u32 in the digest index. */
	if (count > UINT32_MAX)
		return corrupt(d, b->path, "too many records (%" PRIu64 ")", count);
	if (len[SEC_DIGESTS] % 4 != 0)
		return corrupt(d, b->path, "digest index length %" PRIu64 " is not a multiple of 4", len[SEC_DIGESTS]);
	if (len[SEC_STRINGS] < 1 || len[SEC_STRINGS] > (uint64_t)UINT32_MAX + 1 || p[off[SEC_STRINGS]] != 0)
		return corrupt(d, b->path, "bad string area");

	b->selection = p + off[SEC_SELECTION];
	b->selection_len = (size_t)len[SEC_SELECTION];
	b->records = p + off[SEC_RECORDS];
	b->n_records = (size_t)count;
	b->digests = p + off[SEC_DIGESTS];
	b->n_digests = (size_t)(len[SEC_DIGESTS] / 4);
	b->strings = (const char *)p + off[SEC_STRINGS];
	b->strings_len = (size_t)len[SEC_STRINGS];
	return 0;
}

static int check_selection(struct baseline *b, struct diag *d)
{
	struct selection sel = { 0 };
	uint8_t sum[SHA256_LEN];
	int r;

	r = sha256(b->selection, b->selection_len, sum);
	if (r < 0)
		return diag_set(d, r, "%s: cannot compute selection hash", b->path);
	if (memcmp(sum, b->meta.selection_hash, SHA256_LEN) != 0)
		return corrupt(d, b->path, "selection hash mismatch");
	r = selection_deserialize(b->selection, b->selection_len, &sel);
	if (r == -ENOMEM)
		return diag_set(d, r, "%s: out of memory", b->path);
	if (r < 0)
		return corrupt(d, b->path, "stored selection does not parse");
	selection_free(&sel);
	return 0;
}

/* The string at reference ref (NULL for (0, 0)), or -EBADMSG. */
static int string_ref(const struct baseline *b, const uint8_t *ref, const char **ret)
{
	uint64_t off = ld32(ref), len = ld32(ref + 4);

	if (off == 0 && len == 0) {
		*ret = NULL;
		return 0;
	}
	if (off + len + 1 > b->strings_len || b->strings[off + len] != '\0' || memchr(b->strings + off, 0, len))
		return -EBADMSG;
	*ret = b->strings + off;
	return 0;
}

static const uint8_t *record_at(const struct baseline *b, size_t i)
{
	return b->records + i * RECORD_SIZE;
}

/* A validated reference: no checks needed. */
static const char *string_at(const struct baseline *b, const uint8_t *rec, unsigned k)
{
	uint32_t off = ld32(rec + REC_STRS + 8 * k), len = ld32(rec + REC_STRS + 8 * k + 4);

	return off == 0 && len == 0 ? NULL : b->strings + off;
}

static int check_records(struct baseline *b, size_t *ret_hashed, struct diag *d)
{
	const char *prev = NULL;
	size_t hashed = 0;

	for (size_t i = 0; i < b->n_records; i++) {
		const uint8_t *rec = record_at(b, i);
		const char *path = NULL;
		uint8_t type = rec[REC_TYPE], has_sha = rec[REC_HAS_SHA];

		for (unsigned k = 0; k < _STR_COUNT; k++) {
			const char *s;

			if (string_ref(b, rec + REC_STRS + 8 * k, &s) < 0)
				return corrupt(d, b->path, "record %zu: bad %s string reference", i, string_names[k]);
			if (k == STR_PATH)
				path = s;
		}
		if (!path || path[0] != '/')
			return corrupt(d, b->path, "record %zu: path missing or not absolute", i);
		if (prev && path_compare(prev, path) >= 0)
			return corrupt(d, b->path, "record %zu: paths out of order", i);
		prev = path;
		if (!type_valid(type))
			return corrupt(d, b->path, "record %zu: bad file type 0x%02x", i, type);
		if (ld32(rec + REC_MASK) & ~(uint32_t)ATTR_ALL)
			return corrupt(d, b->path, "record %zu: unknown attribute bits 0x%" PRIx32, i,
				       ld32(rec + REC_MASK));
		if (!all_zero(rec + REC_RESERVED, REC_SHA - REC_RESERVED))
			return corrupt(d, b->path, "record %zu: reserved bytes are not zero", i);
		if (has_sha > 1 || (has_sha && type != FT_REG) || (!has_sha && !all_zero(rec + REC_SHA, SHA256_LEN)))
			return corrupt(d, b->path, "record %zu: bad digest fields", i);
		hashed += has_sha;
	}
	*ret_hashed = hashed;
	return 0;
}

static int digest_order(const struct baseline *b, uint32_t x, uint32_t y)
{
	int c = memcmp(record_at(b, x) + REC_SHA, record_at(b, y) + REC_SHA, SHA256_LEN);

	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

static int check_digests(struct baseline *b, size_t hashed, struct diag *d)
{
	/* Strictly increasing (digest, index) pairs that all name hashed
	 * records, as many as there are hashed records: exactly one entry
	 * per hashed record. */
	if (b->n_digests != hashed)
		return corrupt(d, b->path, "digest index has %zu entries for %zu hashed records", b->n_digests, hashed);
	for (size_t i = 0; i < b->n_digests; i++) {
		uint32_t x = ld32(b->digests + 4 * i);

		if (x >= b->n_records || !record_at(b, x)[REC_HAS_SHA])
			return corrupt(d, b->path, "digest index entry %zu: bad record index %" PRIu32, i, x);
		if (i > 0 && digest_order(b, ld32(b->digests + 4 * (i - 1)), x) >= 0)
			return corrupt(d, b->path, "digest index entry %zu: out of order", i);
	}
	return 0;
}

static int validate(struct baseline *b, struct diag *d)
{
	size_t hashed = 0;
	int r;

	r = check_header(b, d);
	if (r < 0)
		return r;
	r = check_selection(b, d);
	if (r < 0)
		return r;
	r = check_records(b, &hashed, d);
	if (r < 0)
		return r;
	return check_digests(b, hashed, d);
}

static struct baseline *baseline_new(const char *path)
{
	struct baseline *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->path = strdup(path);
	if (!b->path) {
		free(b);
		return NULL;
	}
	return b;
}

int baseline_open(const char *path, struct baseline **ret, struct diag *d)
{
	_cleanup_(baseline_closep) struct baseline *b = NULL;
	_cleanup_close_ int fd = -EBADF;
	struct stat st;
	void *map;
	int r;

	b = baseline_new(path);
	if (!b)
		return diag_set(d, -ENOMEM, "%s: out of memory", path);
	/* Not O_NOFOLLOW: the database path may be a symlink on purpose.
	 * O_NONBLOCK so that a FIFO in its place cannot hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = negative_errno();
		return diag_set(d, r, "%s: cannot open baseline: %s", path, strerror(-r));
	}
	if (fstat(fd, &st) < 0) {
		r = negative_errno();
		return diag_set(d, r, "%s: cannot stat baseline: %s", path, strerror(-r));
	}
	if (S_ISDIR(st.st_mode))
		return diag_set(d, -EISDIR, "%s: is a directory, not a baseline", path);
	if (!S_ISREG(st.st_mode))
		return diag_set(d, -EINVAL, "%s: not a regular file", path);
	if ((uint64_t)st.st_size > SIZE_MAX)
		return diag_set(d, -EFBIG, "%s: too large to map", path);
	b->size = (size_t)st.st_size;
	if (b->size > 0) {
		map = mmap(NULL, b->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			r = negative_errno();
			return diag_set(d, r, "%s: cannot map baseline: %s", path, strerror(-r));
		}
		b->map = map;
		b->data = map;
	}
	r = validate(b, d);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(b);
	return 0;
}

int baseline_open_buffer(const void *data, size_t len, const char *name, struct baseline **ret, struct diag *d)
{
	_cleanup_(baseline_closep) struct baseline *b = NULL;
	int r;

	b = baseline_new(name);
	if (!b)
		return diag_set(d, -ENOMEM, "%s: out of memory", name);
	b->owned = malloc(len ? len : 1);
	if (!b->owned)
		return diag_set(d, -ENOMEM, "%s: out of memory", name);
	if (len)
		memcpy(b->owned, data, len);
	b->data = b->owned;
	b->size = len;
	r = validate(b, d);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(b);
	return 0;
}

struct baseline *baseline_close(struct baseline *b)
{
	if (!b)
		return NULL;
	if (b->map)
		(void)munmap(b->map, b->size);
	free(b->owned);
	free(b->path);
	free(b);
	return NULL;
}

const struct baseline_meta *baseline_get_meta(const struct baseline *b)
{
	return &b->meta;
}

const char *baseline_path(const struct baseline *b)
{
	return b->path;
}

size_t baseline_count(const struct baseline *b)
{
	return b->n_records;
}

void baseline_record(const struct baseline *b, size_t i, struct vrecord *ret)
{
	const uint8_t *rec;

	assert(i < b->n_records);
	rec = record_at(b, i);
	*ret = (struct vrecord){
		.path = string_at(b, rec, STR_PATH),
		.link = string_at(b, rec, STR_LINK),
		.acl = string_at(b, rec, STR_ACL),
		.xattrs = string_at(b, rec, STR_XATTRS),
		.caps = string_at(b, rec, STR_CAPS),
		.pkg = string_at(b, rec, STR_PKG),
		.mask = ld32(rec + REC_MASK),
		.mode = ld32(rec + REC_MODE),
		.uid = ld32(rec + REC_UID),
		.gid = ld32(rec + REC_GID),
		.size = ld64(rec + REC_FSIZE),
		.ino = ld64(rec + REC_INO),
		.mtime_ns = (int64_t)ld64(rec + REC_MTIME),
		.ctime_ns = (int64_t)ld64(rec + REC_CTIME),
		.has_sha256 = rec[REC_HAS_SHA] != 0,
		.type = (char)rec[REC_TYPE],
	};
	memcpy(ret->sha256, rec + REC_SHA, SHA256_LEN);
}

int baseline_lookup_path(const struct baseline *b, const char *path, size_t *ret_index)
{
	size_t lo = 0, hi = b->n_records;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = path_compare(string_at(b, record_at(b, mid), STR_PATH), path);

		if (c == 0) {
			*ret_index = mid;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

static const uint8_t *digest_at(const struct baseline *b, size_t n)
{
	return record_at(b, ld32(b->digests + 4 * n)) + REC_SHA;
}

int baseline_lookup_digest(const struct baseline *b, const uint8_t digest[SHA256_LEN], size_t *ret_first,
			   size_t *ret_count)
{
	size_t lo = 0, hi = b->n_digests, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(digest_at(b, mid), digest, SHA256_LEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	hi = b->n_digests;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(digest_at(b, mid), digest, SHA256_LEN) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == first)
		return -ENOENT;
	*ret_first = first;
	*ret_count = lo - first;
	return 0;
}

size_t baseline_digest_count(const struct baseline *b)
{
	return b->n_digests;
}

size_t baseline_digest_index_at(const struct baseline *b, size_t n)
{
	assert(n < b->n_digests);
	return ld32(b->digests + 4 * n);
}

int baseline_selection(const struct baseline *b, struct selection *ret, struct diag *d)
{
	int r;

	r = selection_deserialize(b->selection, b->selection_len, ret);
	if (r == -ENOMEM)
		return diag_set(d, r, "%s: out of memory", b->path);
	if (r < 0)
		return corrupt(d, b->path, "stored selection does not parse");
	return 0;
}

/* ---- Writing ---- */

/* Open-addressing set of the strings already in the string area, so a
 * string repeated across records (package names, ACLs) is stored once.
 * Slots hold string-area offsets; 0 (the reserved NUL) marks a free slot. */
struct dedup {
	uint32_t *slots;
	size_t n_slots;		/* power of two */
	size_t used;
};

static void dedup_done(struct dedup *dd)
{
	free(dd->slots);
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static int dedup_grow(struct dedup *dd, const char *area)
{
	size_t n = dd->n_slots ? dd->n_slots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < dd->n_slots; i++) {
		size_t j;

		if (!dd->slots[i])
			continue;
		for (j = str_hash(area + dd->slots[i]) & (n - 1); slots[j]; j = (j + 1) & (n - 1))
			;
		slots[j] = dd->slots[i];
	}
	free(dd->slots);
	dd->slots = slots;
	dd->n_slots = n;
	return 0;
}

/* Append s (with its NUL) to the string area unless dedup already holds
 * it; the offset of its copy in *ret_off.  -EFBIG past 4 GiB. */
static int put_string(struct strbuf *area, struct dedup *dd, const char *s, uint32_t *ret_off)
{
	size_t len = strlen(s), j = 0;
	int r;

	if (dd) {
		if (dd->used * 2 >= dd->n_slots) {
			r = dedup_grow(dd, area->buf);
			if (r < 0)
				return r;
		}
		for (j = str_hash(s) & (dd->n_slots - 1); dd->slots[j]; j = (j + 1) & (dd->n_slots - 1))
			if (streq(area->buf + dd->slots[j], s)) {
				*ret_off = dd->slots[j];
				return 0;
			}
	}
	if (area->len > UINT32_MAX || len > UINT32_MAX - area->len)
		return -EFBIG;
	*ret_off = (uint32_t)area->len;
	strbuf_append(area, s, len + 1);
	if (strbuf_error(area) < 0)
		return -ENOMEM;
	if (dd) {
		dd->slots[j] = *ret_off;
		dd->used++;
	}
	return 0;
}

static int check_input(const char *path, const struct baseline_meta *meta, const struct vrecord *recs, size_t n,
		       struct diag *d)
{
	if (memchr(meta->hostname, 0, sizeof(meta->hostname)) == NULL)
		return diag_set(d, -EINVAL, "%s: hostname is not NUL-terminated", path);
	if (meta->flags & ~DB_KNOWN_FLAGS)
		return diag_set(d, -EINVAL, "%s: unknown baseline flags 0x%" PRIx32, path, meta->flags);
	if (n > UINT32_MAX)
		return diag_set(d, -EFBIG, "%s: too many records (%zu)", path, n);
	for (size_t i = 0; i < n; i++) {
		const struct vrecord *r = &recs[i];

		if (!r->path || r->path[0] != '/')
			return diag_set(d, -EINVAL, "%s: record %zu: path missing or not absolute", path, i);
		if (i > 0 && path_compare(recs[i - 1].path, r->path) >= 0)
			return diag_set(d, -EINVAL, "%s: record %zu: paths not sorted or not unique", path, i);
		if (!type_valid((uint8_t)r->type))
			return diag_set(d, -EINVAL, "%s: record %zu: bad file type", path, i);
		if (r->mask & ~(uint32_t)ATTR_ALL)
			return diag_set(d, -EINVAL, "%s: record %zu: unknown attribute bits", path, i);
		if (r->has_sha256 && r->type != FT_REG)
			return diag_set(d, -EINVAL, "%s: record %zu: digest on a non-regular file", path, i);
	}
	return 0;
}

static int build_record(uint8_t *out, const struct vrecord *r, struct strbuf *area, struct dedup *dd)
{
	const char *strs[_STR_COUNT] = { r->path, r->link, r->acl, r->xattrs, r->caps, r->pkg };
	int ret;

	st32(out + REC_MODE, r->mode);
	st32(out + REC_UID, r->uid);
	st32(out + REC_GID, r->gid);
	st32(out + REC_MASK, r->mask);
	st64(out + REC_FSIZE, r->size);
	st64(out + REC_INO, r->ino);
	st64(out + REC_MTIME, (uint64_t)r->mtime_ns);
	st64(out + REC_CTIME, (uint64_t)r->ctime_ns);
	out[REC_TYPE] = (uint8_t)r->type;
	out[REC_HAS_SHA] = r->has_sha256;
	if (r->has_sha256)
		memcpy(out + REC_SHA, r->sha256, SHA256_LEN);
	for (unsigned k = 0; k < _STR_COUNT; k++) {
		uint32_t off;

		if (!strs[k])
			continue;
		/* Paths are unique: no point looking them up. */
		ret = put_string(area, k == STR_PATH ? NULL : dd, strs[k], &off);
		if (ret < 0)
			return ret;
		st32(out + REC_STRS + 8 * k, off);
		st32(out + REC_STRS + 8 * k + 4, (uint32_t)strlen(strs[k]));
	}
	return 0;
}

static int digest_cmp(const void *a, const void *b, void *userdata)
{
	const struct vrecord *recs = userdata;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = memcmp(recs[x].sha256, recs[y].sha256, SHA256_LEN);

	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* Bytes go to the file and into the running checksum together. */
struct writer {
	struct atomic_file af;
	EVP_MD_CTX *md;
	uint64_t pos;
};

static int writer_put(struct writer *w, const void *data, size_t len)
{
	static const uint8_t zeros[8];
	int r;

	if (!data)
		data = zeros;
	r = atomic_file_write(&w->af, data, len);
	if (r < 0)
		return r;
	if (EVP_DigestUpdate(w->md, data, len) != 1)
		return -EIO;
	w->pos += len;
	return 0;
}

static int writer_pad(struct writer *w)
{
	return writer_put(w, NULL, (size_t)(align8(w->pos) - w->pos));
}

int baseline_write(const char *path, const struct baseline_meta *meta, const struct selection *sel,
		   const struct vrecord *recs, size_t n, struct diag *d)
{
	_cleanup_strbuf_ struct strbuf selblob = STRBUF_INIT, area = STRBUF_INIT;
	_cleanup_(evp_md_ctx_freep) EVP_MD_CTX *md = NULL;
	_cleanup_(dedup_done) struct dedup dd = { 0 };
	_cleanup_free_ uint8_t *records = NULL;
	_cleanup_free_ uint32_t *digests = NULL;
	static const struct selection empty_sel = { 0 };
	uint8_t hdr[HDR_SIZE] = { 0 }, trl[TRAILER_SIZE] = { 0 };
	struct writer w = { .af = ATOMIC_FILE_INIT };
	uint64_t len[_SEC_COUNT], pos;
	unsigned int sum_len = SHA256_LEN;
	size_t n_digests = 0;
	int r;

	r = check_input(path, meta, recs, n, d);
	if (r < 0)
		return r;
	if (!sel)
		sel = &empty_sel;
	r = selection_serialize(sel, &selblob);
	if (r < 0)
		return diag_set(d, r, "%s: out of memory", path);
	r = sha256(selblob.buf, selblob.len, hdr + HDR_SELHASH);
	if (r < 0)
		return diag_set(d, r, "%s: cannot compute selection hash", path);

	records = calloc(n ? n : 1, RECORD_SIZE);
	digests = calloc(n ? n : 1, sizeof(uint32_t));
	if (!records || !digests)
		return diag_set(d, -ENOMEM, "%s: out of memory", path);
	strbuf_putc(&area, '\0');
	for (size_t i = 0; i < n; i++) {
		r = build_record(records + i * RECORD_SIZE, &recs[i], &area, &dd);
		if (r == -EFBIG)
			return diag_set(d, r, "%s: string area exceeds 4 GiB", path);
		if (r < 0)
			return diag_set(d, r, "%s: out of memory", path);
		if (recs[i].has_sha256)
			digests[n_digests++] = (uint32_t)i;
	}
	qsort_r(digests, n_digests, sizeof(uint32_t), digest_cmp, (void *)recs);
	for (size_t i = 0; i < n_digests; i++)
		digests[i] = htole32(digests[i]);

	memcpy(hdr, DB_MAGIC, 8);
	st32(hdr + HDR_VERSION, DB_VERSION);
	st32(hdr + HDR_FLAGS, meta->flags);
	st64(hdr + HDR_COUNT, n);
	st64(hdr + HDR_CREATED, meta->created_usec);
	memcpy(hdr + HDR_HOSTNAME, meta->hostname, strlen(meta->hostname));
	len[SEC_SELECTION] = selblob.len;
	len[SEC_RECORDS] = (uint64_t)n * RECORD_SIZE;
	len[SEC_DIGESTS] = (uint64_t)n_digests * 4;
	len[SEC_STRINGS] = area.len;
	pos = HDR_SIZE;
	for (unsigned i = 0; i < _SEC_COUNT; i++) {
		st64(hdr + HDR_SECTIONS + 16 * i, pos);
		st64(hdr + HDR_SECTIONS + 16 * i + 8, len[i]);
		pos = align8(pos + len[i]);
	}
	st64(hdr + HDR_TRAILER, pos);

	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		ERR_clear_error();
		return diag_set(d, -ENOMEM, "%s: cannot set up SHA-256", path);
	}
	w.md = md;
	r = atomic_file_open(&w.af, path, 0600);
	if (r < 0)
		return diag_set(d, r, "%s: cannot create temporary file: %s", path, strerror(-r));
	if ((r = writer_put(&w, hdr, sizeof(hdr))) < 0 || (r = writer_put(&w, selblob.buf, selblob.len)) < 0 ||
	    (r = writer_pad(&w)) < 0 || (r = writer_put(&w, records, (size_t)len[SEC_RECORDS])) < 0 ||
	    (r = writer_put(&w, digests, (size_t)len[SEC_DIGESTS])) < 0 || (r = writer_pad(&w)) < 0 ||
	    (r = writer_put(&w, area.buf, area.len)) < 0 || (r = writer_pad(&w)) < 0)
		goto fail;
	assert(w.pos == pos);
	if (EVP_DigestFinal_ex(md, trl + TRL_SUM, &sum_len) != 1) {
		ERR_clear_error();
		r = -EIO;
		goto fail;
	}
	memcpy(trl + TRL_MAGIC, DB_END_MAGIC, 8);
	r = atomic_file_write(&w.af, trl, sizeof(trl));
	if (r < 0)
		goto fail;
	r = atomic_file_commit(&w.af);
	if (r < 0)
		return diag_set(d, r, "%s: cannot replace baseline: %s", path, strerror(-r));
	return 0;
fail:
	atomic_file_abort(&w.af);
	return diag_set(d, r, "%s: cannot write baseline: %s", path, strerror(-r));
}

/* ---- Signatures ---- */

/* Never prompt on a terminal for a passphrase: vigil runs unattended. */
static int no_passphrase(char *buf, int size, int rwflag, void *userdata)
{
	return 0;
}

static int load_key(const char *file, bool private, EVP_PKEY **ret, struct diag *d)
{
	_cleanup_(evp_pkey_freep) EVP_PKEY *key = NULL;
	_cleanup_(bio_freep) BIO *bio = NULL;
	_cleanup_free_ char *pem = NULL;
	size_t len;
	int r;

	r = read_file_at(AT_FDCWD, file, true, KEY_FILE_MAX, &pem, &len);
	if (r == -EFBIG)
		return diag_set(d, -EINVAL, "%s: too large to be a key file", file);
	if (r < 0)
		return diag_set(d, r, "%s: cannot read key: %s", file, strerror(-r));
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio)
		return diag_set(d, -ENOMEM, "%s: out of memory", file);
	key = private ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL)
		      : PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
	ERR_clear_error();
	if (!key && private && strstr(pem, "ENCRYPTED"))
		return diag_set(d, -EINVAL, "%s: encrypted private keys are not supported", file);
	if (!key)
		return diag_set(d, -EINVAL,
				private ? "%s: no PEM private key"
					: "%s: no PEM public key (from a private key: openssl pkey -in KEY -pubout)",
				file);
	if (!EVP_PKEY_is_a(key, "ED25519"))
		return diag_set(d, -EINVAL, "%s: %s key, not Ed25519 (create one with: openssl genpkey -algorithm ed25519)",
				file, EVP_PKEY_get0_type_name(key) ?: "unknown");
	*ret = TAKE_PTR(key);
	return 0;
}

bool baseline_is_signed(const struct baseline *b)
{
	return b->is_signed;
}

int baseline_verify_signature(const struct baseline *b, const char *pubkey_file, struct diag *d)
{
	_cleanup_(evp_pkey_freep) EVP_PKEY *key = NULL;
	_cleanup_(evp_md_ctx_freep) EVP_MD_CTX *ctx = NULL;
	int r;

	if (!b->is_signed)
		return diag_set(d, -ENOKEY, "%s: baseline is not signed", b->path);
	r = load_key(pubkey_file, false, &key, d);
	if (r < 0)
		return r;
	/* Ed25519 is one-shot (RFC 8032 PureEdDSA): no digest, one call. */
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) != 1) {
		ERR_clear_error();
		return diag_set(d, -ENOMEM, "%s: cannot set up signature verification", b->path);
	}
	r = EVP_DigestVerify(ctx, b->data + b->trailer + TRL_SIG, SIG_LEN, b->data, b->trailer);
	ERR_clear_error();
	if (r != 1)
		return diag_set(d, -EKEYREJECTED, "%s: signature does not verify with the key in %s", b->path,
				pubkey_file);
	return 0;
}

int baseline_sign(const char *path, const char *key_file, struct diag *d)
{
	_cleanup_(baseline_closep) struct baseline *b = NULL;
	_cleanup_(evp_pkey_freep) EVP_PKEY *key = NULL;
	_cleanup_(evp_md_ctx_freep) EVP_MD_CTX *ctx = NULL;
	struct atomic_file af = ATOMIC_FILE_INIT;
	uint8_t trl[TRAILER_SIZE];
	size_t sig_len = SIG_LEN;
	int r;

	r = baseline_open(path, &b, d);
	if (r < 0)
		return r;
	r = load_key(key_file, true, &key, d);
	if (r < 0)
		return r;
	memcpy(trl, b->data + b->trailer, TRAILER_SIZE);
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, trl + TRL_SIG, &sig_len, b->data, b->trailer) != 1 || sig_len != SIG_LEN) {
		ERR_clear_error();
		return diag_set(d, -EIO, "%s: signing with %s failed", path, key_file);
	}
	st32(trl + TRL_SIGLEN, SIG_LEN);

	r = atomic_file_open(&af, path, 0600);
	if (r < 0)
		return diag_set(d, r, "%s: cannot create temporary file: %s", path, strerror(-r));
	r = atomic_file_write(&af, b->data, b->trailer);
	if (r >= 0)
		r = atomic_file_write(&af, trl, sizeof(trl));
	if (r < 0) {
		atomic_file_abort(&af);
		return diag_set(d, r, "%s: cannot write baseline: %s", path, strerror(-r));
	}
	r = atomic_file_commit(&af);
	if (r < 0)
		return diag_set(d, r, "%s: cannot replace baseline: %s", path, strerror(-r));
	return 0;
}
