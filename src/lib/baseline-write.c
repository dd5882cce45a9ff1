/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline database: the writer.  Plans the layout in a pass over the
 * records, then streams header, sections and trailer through
 * atomic_file_*, checksumming as it goes.
 */
#include <assert.h>
#include <inttypes.h>

#include "baseline-format.h"
#include "fileio.h"
#include "strbuf.h"

static void evp_md_ctx_freep(EVP_MD_CTX **p)
{
	EVP_MD_CTX_free(*p);
}

/*
 * Memory: the writer keeps no copy of the records or of the string area
 * (for /usr that was ~33 MB, the size of the file).  Every section's
 * length is computed first, then the file is written front to back
 * through a small buffer.  What stays in memory: the digest index (4
 * bytes per hashed record, it must be sorted) and a set of the distinct
 * deduplicated strings, each named by where it lives in the caller's
 * records rather than copied.
 */
enum { WRITE_BUFFER_SIZE = 256 * 1024 };

/* Records follow each other and the digest index with no padding. */
_Static_assert(RECORD_SIZE % 8 == 0, "records keep 8-byte alignment");

/* One distinct link/acl/xattrs/caps/pkg string: its text is field kind of
 * recs[rec], stored once at string-area offset off.  off 0 (the reserved
 * NUL) marks a free slot. */
struct dedup_slot {
	uint32_t hash;
	uint32_t off;
	uint32_t rec;
	uint32_t kind;
};

/* Open-addressing set of the strings stored so far, so a string repeated
 * across records (package names, ACLs) is stored once, at its first
 * occurrence in (record, field) order.  Paths are unique and never in it. */
struct dedup {
	struct dedup_slot *slots;
	size_t n_slots;		/* power of two */
	size_t used;
};

static void dedup_done(struct dedup *dd)
{
	free(dd->slots);
}

static uint32_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (uint32_t)(h ^ (h >> 32));
}

static const char *rec_string(const struct vrecord *r, unsigned kind)
{
	switch (kind) {
	case STR_PATH:
		return r->path;
	case STR_LINK:
		return r->link;
	case STR_ACL:
		return r->acl;
	case STR_XATTRS:
		return r->xattrs;
	case STR_CAPS:
		return r->caps;
	default:
		return r->pkg;
	}
}

static int dedup_grow(struct dedup *dd)
{
	size_t n = dd->n_slots ? dd->n_slots * 2 : 1024;
	struct dedup_slot *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < dd->n_slots; i++) {
		size_t j;

		if (!dd->slots[i].off)
			continue;
		for (j = dd->slots[i].hash & (n - 1); slots[j].off; j = (j + 1) & (n - 1))
			;
		slots[j] = dd->slots[i];
	}
	free(dd->slots);
	dd->slots = slots;
	dd->n_slots = n;
	return 0;
}

/* The slot holding s, or the free slot where it belongs.  The table is
 * never full (at most half used), so the probe ends. */
static struct dedup_slot *dedup_find(const struct dedup *dd, const struct vrecord *recs, const char *s, uint32_t hash)
{
	size_t j;

	for (j = hash & (dd->n_slots - 1); dd->slots[j].off; j = (j + 1) & (dd->n_slots - 1)) {
		const struct dedup_slot *e = &dd->slots[j];

		if (e->hash == hash && streq(rec_string(&recs[e->rec], e->kind), s))
			break;
	}
	return &dd->slots[j];
}

/* Whether field kind of recs[i] (non-NULL s) is stored at this point of
 * the string area, that is, is a path or the first occurrence of its text;
 * if not, *ret_off is the offset of the earlier copy.  Only valid once
 * plan_strings() has filled dd. */
static bool string_is_stored_here(const struct dedup *dd, const struct vrecord *recs, size_t i, unsigned kind,
				  const char *s, uint32_t *ret_off)
{
	const struct dedup_slot *e;

	if (kind == STR_PATH)
		return true;
	e = dedup_find(dd, recs, s, str_hash(s));
	assert(e->off != 0);
	if (e->rec == i && e->kind == kind)
		return true;
	*ret_off = e->off;
	return false;
}

/* First pass: lay out the string area without copying it.  Fills dd with
 * every distinct deduplicated string and its offset; the area's length in
 * *ret_len.  -EFBIG past 4 GiB, -ENOMEM. */
static int plan_strings(const struct vrecord *recs, size_t n, struct dedup *dd, uint64_t *ret_len)
{
	uint64_t pos = 1;	/* the reserved NUL */
	int r;

	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < _STR_COUNT; k++) {
			const char *s = rec_string(&recs[i], k);
			struct dedup_slot *e = NULL;
			size_t len;
			uint32_t hash = 0;

			if (!s)
				continue;
			len = strlen(s);
			if (k != STR_PATH) {
				if (dd->used * 2 >= dd->n_slots) {
					r = dedup_grow(dd);
					if (r < 0)
						return r;
				}
				hash = str_hash(s);
				e = dedup_find(dd, recs, s, hash);
				if (e->off)
					continue;
			}
			if (pos > UINT32_MAX || len > UINT32_MAX - pos)
				return -EFBIG;
			if (e) {
				*e = (struct dedup_slot){ .hash = hash, .off = (uint32_t)pos, .rec = (uint32_t)i, .kind = k };
				dd->used++;
			}
			pos += len + 1;
		}
	*ret_len = pos;
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

/* The 136 bytes of record i; *pos is where the string area's next stored
 * string goes, advanced past the strings this record stores. */
static void build_record(uint8_t out[RECORD_SIZE], const struct vrecord *recs, size_t i, const struct dedup *dd,
			 uint64_t *pos)
{
	const struct vrecord *r = &recs[i];

	memset(out, 0, RECORD_SIZE);
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
		const char *s = rec_string(r, k);
		size_t len;
		uint32_t off = 0;

		if (!s)
			continue;
		len = strlen(s);
		if (string_is_stored_here(dd, recs, i, k, s, &off)) {
			/* plan_strings() checked that everything fits. */
			off = (uint32_t)*pos;
			*pos += len + 1;
		}
		st32(out + REC_STRS + 8 * k, off);
		st32(out + REC_STRS + 8 * k + 4, (uint32_t)len);
	}
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

/* Bytes go through buf to the file and into the running checksum. */
struct writer {
	struct atomic_file af;
	EVP_MD_CTX *md;
	uint8_t *buf;		/* WRITE_BUFFER_SIZE */
	size_t fill;
	uint64_t pos;		/* bytes put so far, buffered or not */
};

static int writer_flush(struct writer *w)
{
	int r;

	if (w->fill == 0)
		return 0;
	r = atomic_file_write(&w->af, w->buf, w->fill);
	if (r < 0)
		return r;
	if (EVP_DigestUpdate(w->md, w->buf, w->fill) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	w->fill = 0;
	return 0;
}

static int writer_put(struct writer *w, const void *data, size_t len)
{
	const uint8_t *p = data;
	int r;

	while (len > 0) {
		size_t chunk = MIN(len, (size_t)WRITE_BUFFER_SIZE - w->fill);

		if (p)
			memcpy(w->buf + w->fill, p, chunk);
		else
			memset(w->buf + w->fill, 0, chunk);
		w->fill += chunk;
		w->pos += chunk;
		len -= chunk;
		if (p)
			p += chunk;
		if (w->fill == WRITE_BUFFER_SIZE) {
			r = writer_flush(w);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Zero bytes up to the next 8-byte boundary. */
static int writer_pad(struct writer *w)
{
	return writer_put(w, NULL, (size_t)(align8(w->pos) - w->pos));
}

static int write_records(struct writer *w, const struct vrecord *recs, size_t n, const struct dedup *dd)
{
	uint64_t pos = 1;
	int r;

	for (size_t i = 0; i < n; i++) {
		uint8_t rec[RECORD_SIZE];

		build_record(rec, recs, i, dd, &pos);
		r = writer_put(w, rec, sizeof(rec));
		if (r < 0)
			return r;
	}
	return 0;
}

/* The string area, in the order plan_strings() laid it out. */
static int write_strings(struct writer *w, const struct vrecord *recs, size_t n, const struct dedup *dd)
{
	int r;

	r = writer_put(w, "", 1);
	for (size_t i = 0; i < n && r >= 0; i++)
		for (unsigned k = 0; k < _STR_COUNT && r >= 0; k++) {
			const char *s = rec_string(&recs[i], k);
			uint32_t off;

			if (s && string_is_stored_here(dd, recs, i, k, s, &off))
				r = writer_put(w, s, strlen(s) + 1);
		}
	return r;
}

int baseline_write(const char *path, const struct baseline_meta *meta, const struct selection *sel,
		   const struct vrecord *recs, size_t n, struct diag *d)
{
	_cleanup_strbuf_ struct strbuf selblob = STRBUF_INIT;
	_cleanup_(evp_md_ctx_freep) EVP_MD_CTX *md = NULL;
	_cleanup_(dedup_done) struct dedup dd = { 0 };
	_cleanup_free_ uint32_t *digests = NULL;
	_cleanup_free_ uint8_t *buf = NULL;
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

	for (size_t i = 0; i < n; i++)
		n_digests += recs[i].has_sha256;
	digests = calloc(n_digests ? n_digests : 1, sizeof(uint32_t));
	buf = malloc(WRITE_BUFFER_SIZE);
	if (!digests || !buf)
		return diag_set(d, -ENOMEM, "%s: out of memory", path);
	r = plan_strings(recs, n, &dd, &len[SEC_STRINGS]);
	if (r == -EFBIG)
		return diag_set(d, r, "%s: string area exceeds 4 GiB", path);
	if (r < 0)
		return diag_set(d, r, "%s: out of memory", path);
	n_digests = 0;
	for (size_t i = 0; i < n; i++)
		if (recs[i].has_sha256)
			digests[n_digests++] = (uint32_t)i;
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
	w.buf = buf;
	r = atomic_file_open(&w.af, path, 0600);
	if (r < 0)
		return diag_set(d, r, "%s: cannot create temporary file: %s", path, strerror(-r));
	/* RECORD_SIZE is a multiple of 8: no gap after the records. */
	if ((r = writer_put(&w, hdr, sizeof(hdr))) < 0 || (r = writer_put(&w, selblob.buf, selblob.len)) < 0 ||
	    (r = writer_pad(&w)) < 0 || (r = write_records(&w, recs, n, &dd)) < 0 ||
	    (r = writer_put(&w, digests, (size_t)len[SEC_DIGESTS])) < 0 || (r = writer_pad(&w)) < 0 ||
	    (r = write_strings(&w, recs, n, &dd)) < 0 || (r = writer_pad(&w)) < 0 || (r = writer_flush(&w)) < 0)
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
