/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline database: the validating reader and signatures.  The format
 * is described in baseline-format.h, the writer is baseline-write.c.
 *
 * The reader maps the file and validates all of it (checksum, every
 * offset, length, string, order) before handing out a single view.  The
 * mapping is MAP_PRIVATE of a file that vigil only ever replaces by
 * rename(), never rewrites in place, so the validated bytes stay as they
 * are while it is mapped.
 */
#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <openssl/bio.h>
#include <openssl/pem.h>

#include "baseline-format.h"
#include "fileio.h"

#define KEY_FILE_MAX (64u * 1024)

static const char *const section_names[_SEC_COUNT] = { "selection", "records", "digest index", "strings" };
static const char *const string_names[_STR_COUNT] = { "path", "link", "acl", "xattrs", "caps", "pkg" };

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

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
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

/* Validation read every page of the mapping; only a few are needed again
 * soon.  Unmap the pages from this process (they stay in the page cache,
 * and a later access maps them back without I/O), so that a reader's
 * memory is what it uses, not the size of the database.  The file is
 * never written in place (baseline.h), so what comes back is what was
 * validated. */
static void release_pages(const struct baseline *b)
{
	if (b->map)
		(void)madvise(b->map, b->size, MADV_DONTNEED);
}

/* Records between two releases of the pages during a full pass. */
#define BASELINE_ITER_RELEASE 8192

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
	release_pages(b);
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

bool baseline_iter_next(void *iter, struct vrecord *ret)
{
	struct baseline_iter *it = iter;

	while (it->next < it->b->n_records) {
		size_t i = it->next++;

		/* A pass over every record needs each page once. */
		if (i % BASELINE_ITER_RELEASE == 0 && i > 0)
			release_pages(it->b);
		if (it->keep && !it->keep(string_at(it->b, record_at(it->b, i), STR_PATH), it->userdata))
			continue;
		baseline_record(it->b, i, ret);
		return true;
	}
	return false;
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
