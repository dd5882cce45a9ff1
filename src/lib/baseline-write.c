/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline database: the writer.  Builds the records and the string area
 * in memory (about the size of the file), then streams header, sections
 * and trailer through atomic_file_*, checksumming as it goes.
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
