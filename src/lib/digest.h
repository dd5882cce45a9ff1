/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * SHA-256 of open files with libcrypto EVP.  A digest context owns one
 * EVP_MD_CTX, the fetched algorithm and a large read buffer, and is reused
 * for many files by one thread at a time (one context per worker thread):
 * nothing is allocated per file.
 */

#include <stdatomic.h>
#include <stdint.h>

#include "record.h"

struct digest_ctx;

/* Allocate a context.  0 or -ENOMEM (-EIO if libcrypto has no SHA-256). */
int digest_ctx_new(struct digest_ctx **ret);
/* Free a context; NULL is fine. */
void digest_ctx_free(struct digest_ctx *c);

static inline void digest_ctx_freep(struct digest_ctx **c)
{
	digest_ctx_free(*c);
}
#define _cleanup_digest_ctx_ _cleanup_(digest_ctx_freep)

/* From now on, digest_fd() stops with -ECANCELED between two blocks once
 * *cancel is true (NULL: never).  The flag is borrowed. */
void digest_ctx_set_cancel(struct digest_ctx *c, const atomic_bool *cancel);

/* Hash fd's content from offset 0 to end of file with pread(2) (the file
 * position is not used or moved).  Writes the digest and the number of
 * bytes hashed.  -errno from pread, -EIO from libcrypto. */
int digest_fd(struct digest_ctx *c, int fd, uint8_t ret[SHA256_LEN], uint64_t *ret_bytes);

/* One-shot digest of a memory buffer.  0 or -EIO. */
int digest_buffer(const void *data, size_t len, uint8_t ret[SHA256_LEN]);
