/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "tap.h"

static const char *hex(const uint8_t d[SHA256_LEN])
{
	static char buf[2 * SHA256_LEN + 1];

	sha256_to_hex(d, buf);
	return buf;
}

/* Write data to a fresh temp file and return an fd on it, offset at end
 * (digest_fd must not depend on the file position). */
static int temp_with(const void *data, size_t len)
{
	char path[] = "/tmp/test-digest-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	if (len > 0 && write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

static void check_vector(const char *input, const char *want)
{
	struct digest_ctx *c = NULL;
	uint8_t d[SHA256_LEN];
	uint64_t n = 99;
	int fd;

	ok(digest_buffer(input, strlen(input), d) == 0, "digest_buffer(\"%s\")", input);
	is_str(hex(d), want, "buffer vector \"%s\"", input);

	fd = temp_with(input, strlen(input));
	ok(fd >= 0, "temp file");
	ok(digest_ctx_new(&c) == 0, "digest_ctx_new");
	is_int(digest_fd(c, fd, d, &n), 0, "digest_fd \"%s\"", input);
	is_str(hex(d), want, "fd vector \"%s\"", input);
	is_int(n, strlen(input), "bytes hashed");
	/* The same context again gives the same answer (reset per file). */
	is_int(digest_fd(c, fd, d, &n), 0, "digest_fd reused");
	is_str(hex(d), want, "reused context vector \"%s\"", input);
	digest_ctx_free(c);
	close(fd);
}

int main(void)
{
	struct digest_ctx *c = NULL;
	const size_t big = 3 * 1024 * 1024 + 12345;	/* not a multiple of the block */
	uint8_t d[SHA256_LEN], want[SHA256_LEN];
	unsigned char *buf;
	uint64_t n = 0;
	char wanthex[2 * SHA256_LEN + 1];
	int fd;

	check_vector("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_vector("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_vector("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

	buf = malloc(big);
	ok(buf != NULL, "malloc");
	for (size_t i = 0; i < big; i++)
		buf[i] = (unsigned char)(i * 2654435761u >> 13);
	SHA256(buf, big, want);
	sha256_to_hex(want, wanthex);
	fd = temp_with(buf, big);
	ok(fd >= 0, "big temp file");
	ok(digest_ctx_new(&c) == 0, "digest_ctx_new");
	is_int(digest_fd(c, fd, d, &n), 0, "digest_fd 3 MB");
	is_str(hex(d), wanthex, "3 MB file matches libcrypto one-shot SHA256()");
	is_int(n, big, "3 MB bytes hashed");

	/* vigild stopping: a cancelled context stops between blocks, and an
	 * uncancelled flag changes nothing. */
	{
		atomic_bool cancel = false;

		digest_ctx_set_cancel(c, &cancel);
		is_int(digest_fd(c, fd, d, &n), 0, "digest_fd with a cancel flag not set");
		is_str(hex(d), wanthex, "... still the right digest");
		atomic_store(&cancel, true);
		is_int(digest_fd(c, fd, d, &n), -ECANCELED, "digest_fd stops once cancelled");
		digest_ctx_set_cancel(c, NULL);
		is_int(digest_fd(c, fd, d, &n), 0, "digest_fd after the flag is removed");
	}
	close(fd);

	/* A bad fd is an error, not a digest. */
	is_int(digest_fd(c, -1, d, &n), -EBADF, "digest_fd on a bad fd");
	digest_ctx_free(c);
	digest_ctx_free(NULL);
	free(buf);
	return tap_done();
}
