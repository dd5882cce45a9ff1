/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <openssl/evp.h>

#include "digest.h"

/* Large reads keep the syscall count per byte low; 256 KiB stays within
 * the L2 cache of current CPUs, so the copy out of the page cache is still
 * hot when the hash reads it. */
#define DIGEST_BLOCK (256u * 1024u)

struct digest_ctx {
	EVP_MD *md;		/* fetched once: an implicit fetch per EVP_DigestInit is slow */
	EVP_MD_CTX *ctx;
	unsigned char *buf;	/* DIGEST_BLOCK bytes */
	const atomic_bool *cancel;	/* borrowed, or NULL */
};

void digest_ctx_free(struct digest_ctx *c)
{
	if (!c)
		return;
	EVP_MD_CTX_free(c->ctx);
	EVP_MD_free(c->md);
	free(c->buf);
	free(c);
}

int digest_ctx_new(struct digest_ctx **ret)
{
	struct digest_ctx *c;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->buf = malloc(DIGEST_BLOCK);
	c->ctx = EVP_MD_CTX_new();
	if (!c->buf || !c->ctx) {
		digest_ctx_free(c);
		return -ENOMEM;
	}
	c->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!c->md) {
		digest_ctx_free(c);
		return -EIO;
	}
	*ret = c;
	return 0;
}

void digest_ctx_set_cancel(struct digest_ctx *c, const atomic_bool *cancel)
{
	c->cancel = cancel;
}

int digest_fd(struct digest_ctx *c, int fd, uint8_t ret[SHA256_LEN], uint64_t *ret_bytes)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0;
	uint64_t off = 0;

	if (EVP_DigestInit_ex(c->ctx, c->md, NULL) != 1)
		return -EIO;
	for (;;) {
		ssize_t n = pread(fd, c->buf, DIGEST_BLOCK, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return negative_errno();
		}
		if (n == 0)
			break;
		if (c->cancel && atomic_load(c->cancel))
			return -ECANCELED;
		if (EVP_DigestUpdate(c->ctx, c->buf, (size_t)n) != 1)
			return -EIO;
		off += (uint64_t)n;
		/* Past the first block the file is big enough for a larger
		 * readahead window to pay for one more syscall (cold cache). */
		if (off == DIGEST_BLOCK)
			(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	if (EVP_DigestFinal_ex(c->ctx, md, &md_len) != 1 || md_len != SHA256_LEN)
		return -EIO;
	memcpy(ret, md, SHA256_LEN);
	*ret_bytes = off;
	return 0;
}

int digest_buffer(const void *data, size_t len, uint8_t ret[SHA256_LEN])
{
	unsigned md_len = 0;
	uint8_t md[EVP_MAX_MD_SIZE];

	if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1 || md_len != SHA256_LEN)
		return -EIO;
	memcpy(ret, md, SHA256_LEN);
	return 0;
}
