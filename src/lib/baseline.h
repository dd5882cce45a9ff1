/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The baseline database: an immutable snapshot file (format: DESIGN.md
 * "Baseline database", details in baseline.c), written atomically and read
 * through a validated mmap.  A corrupt, truncated, foreign or newer-version
 * file is an error naming the file, never a crash or a wrong answer.
 */

#include <stdint.h>

#include "diag.h"
#include "record.h"
#include "selection.h"

enum {
	/* The selection came from command-line paths, not from vigil.conf. */
	BASELINE_FLAG_CMDLINE = 1u << 0,
};

struct baseline_meta {
	uint64_t created_usec;		/* CLOCK_REALTIME */
	uint32_t flags;			/* BASELINE_FLAG_* */
	char hostname[65];		/* NUL-terminated */
	uint8_t selection_hash[32];	/* selection_hash() of the stored selection */
};

/* Write recs (sorted by path_compare(), unique paths) with their selection
 * and meta to path, atomically (temp + fsync + rename + fsync dir), mode
 * 0600.  meta->selection_hash is ignored: the hash of sel is stored.  sel
 * may be NULL (empty selection).  0 or -errno, with a reason in d: -EINVAL
 * for unsorted or duplicate paths, bad types, digests on non-regular
 * files; -EFBIG past the format's limits (2^32 records or string bytes). */
int baseline_write(const char *path, const struct baseline_meta *meta, const struct selection *sel,
		   const struct vrecord *recs, size_t n, struct diag *d);

struct baseline;

/* Map and validate path.  Errors: -ENOENT (no such file), -EBADMSG
 * (corrupt: bad magic, truncated, checksum mismatch, bad offset...),
 * -EPROTONOSUPPORT (format version from a newer vigil), -errno for I/O;
 * d says which, naming the file. */
int baseline_open(const char *path, struct baseline **ret, struct diag *d);
/* Same checks on a database held in memory (tests, fuzzing); data is
 * copied, name is used in messages and by baseline_path(). */
int baseline_open_buffer(const void *data, size_t len, const char *name, struct baseline **ret, struct diag *d);
/* NULL-safe; returns NULL. */
struct baseline *baseline_close(struct baseline *b);

const struct baseline_meta *baseline_get_meta(const struct baseline *b);
const char *baseline_path(const struct baseline *b);
size_t baseline_count(const struct baseline *b);
/* Record i (0 <= i < count) in path order, as a view into the mapping
 * (valid until baseline_close()). */
void baseline_record(const struct baseline *b, size_t i, struct vrecord *ret);
/* Sequential reading of the records in path order, optionally only those
 * for which keep(path, userdata) is true; see struct record_iter. */
struct baseline_iter {
	const struct baseline *b;
	size_t next;
	bool (*keep)(const char *path, const void *userdata);	/* NULL: every record */
	const void *userdata;
};
/* Fills *ret with the next kept record (a view); false at the end. */
bool baseline_iter_next(void *iter, struct vrecord *ret);

/* Index of path, or -ENOENT. */
int baseline_lookup_path(const struct baseline *b, const char *path, size_t *ret_index);
/* Records whose content hash is digest, or -ENOENT.  Several records may
 * share a digest: *ret_first is the position of the first of them in the
 * digest index and *ret_count how many share it, so their record indices
 * are baseline_digest_index_at(b, *ret_first + k) for k < *ret_count (in
 * path order). */
int baseline_lookup_digest(const struct baseline *b, const uint8_t digest[SHA256_LEN], size_t *ret_first,
			   size_t *ret_count);
/* Number of entries in the digest index (= records with has_sha256). */
size_t baseline_digest_count(const struct baseline *b);
/* Record index of the n-th entry of the digest index (0 <= n <
 * baseline_digest_count()). */
size_t baseline_digest_index_at(const struct baseline *b, size_t n);
/* The stored selection (a deep copy the caller frees with selection_free()). */
int baseline_selection(const struct baseline *b, struct selection *ret, struct diag *d);

/* Signatures (Ed25519 via libcrypto, keys in PEM: openssl genpkey
 * -algorithm ed25519).  The signature covers every byte before the
 * trailer, so it also covers the checksum. */
bool baseline_is_signed(const struct baseline *b);
/* -ENOKEY if unsigned, -EKEYREJECTED if the signature does not verify
 * with the public key in pubkey_file, -EINVAL for an unusable key file. */
int baseline_verify_signature(const struct baseline *b, const char *pubkey_file, struct diag *d);
/* Re-write the file at path (atomically) with a signature made with the
 * private key in key_file; replaces an existing signature. */
int baseline_sign(const char *path, const char *key_file, struct diag *d);
