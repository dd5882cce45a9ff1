/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the baseline reader.  Whatever opens must be safe to use
 * in full: every record, both lookups, the stored selection.
 *
 * Almost every mutation breaks the checksum, which would hide the rest of
 * the validation from the fuzzer; so each input is tried as it is and
 * again with the trailer checksum recomputed (the trailer is the last 112
 * bytes, its first 32 the SHA-256 of everything before it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <openssl/evp.h>

#include "baseline.h"

#define TRAILER_SIZE 112

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void try_open(const uint8_t *data, size_t size)
{
	struct baseline *b = NULL;
	struct selection sel = { 0 };
	struct diag d = { "" };
	size_t n, idx, first, count;

	if (baseline_open_buffer(data, size, "fuzz.db", &b, &d) < 0)
		return;
	n = baseline_count(b);
	for (size_t i = 0; i < n; i++) {
		struct vrecord v;

		baseline_record(b, i, &v);
		/* Sorted, unique paths: each is found at its own index. */
		if (baseline_lookup_path(b, v.path, &idx) < 0 || idx != i)
			__builtin_trap();
		(void)strlen(v.path);
		if (v.link)
			(void)strlen(v.link);
		if (v.acl)
			(void)strlen(v.acl);
		if (v.xattrs)
			(void)strlen(v.xattrs);
		if (v.caps)
			(void)strlen(v.caps);
		if (v.pkg)
			(void)strlen(v.pkg);
		if (v.has_sha256 &&
		    (baseline_lookup_digest(b, v.sha256, &first, &count) < 0 || count == 0 ||
		     first + count > baseline_digest_count(b)))
			__builtin_trap();
	}
	for (size_t i = 0; i < baseline_digest_count(b); i++)
		if (baseline_digest_index_at(b, i) >= n)
			__builtin_trap();
	if (baseline_selection(b, &sel, &d) == 0)
		selection_free(&sel);
	(void)baseline_is_signed(b);
	(void)baseline_get_meta(b);
	baseline_close(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int len = 32;
	uint8_t *copy;

	try_open(data, size);
	if (size < TRAILER_SIZE)
		return 0;
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (EVP_Digest(copy, size - TRAILER_SIZE, copy + size - TRAILER_SIZE, &len, EVP_sha256(), NULL) == 1)
		try_open(copy, size);
	free(copy);
	return 0;
}
