/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Baseline database, on-disk format version 1 (internal to baseline.c,
 * the reader, and baseline-write.c, the writer).
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
 */
#include <endian.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "baseline.h"

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

_Static_assert(HOSTNAME_FIELD >= sizeof(((struct baseline_meta *)0)->hostname), "hostname field too small");
_Static_assert(REC_STRS + 8 * _STR_COUNT == RECORD_SIZE, "record layout");
_Static_assert(HDR_SECTIONS + 16 * _SEC_COUNT == HDR_TRAILER, "header layout");

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint64_t ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static inline void st32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void st64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

static inline uint64_t align8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

static inline bool type_valid(uint8_t t)
{
	return t != 0 && strchr("fdlcbps", t) != NULL;
}

static inline int sha256(const void *data, size_t len, uint8_t ret[SHA256_LEN])
{
	unsigned int n = SHA256_LEN;

	if (EVP_Digest(data, len, ret, &n, EVP_sha256(), NULL) != 1) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
}
