/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stand-alone driver for the fuzz targets, so every target also runs in
 * "make check" (under ASan/UBSan in the sanitizer build) without clang's
 * libFuzzer: it feeds each file named on the command line, then a fixed
 * number of deterministic mutations of them (bit flips, truncations,
 * byte insertions and deletions), to LLVMFuzzerTestOneInput().
 * With --enable-fuzzing the same targets link against libFuzzer instead.
 *
 * Without arguments, the seeds are the files of
 * $VIGIL_SRCDIR/tests/fuzz/corpus/NAME/ for a binary called fuzz-NAME, so
 * the target can be listed in TESTS as it is.
 *
 * Prints TAP: one result per seed file ("survived N mutations").
 */
#include <fcntl.h>
#include <dirent.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static void mutate(uint8_t *buf, size_t *len, size_t cap)
{
	size_t pos = *len ? rng() % *len : 0;

	switch (rng() % 5) {
	case 0:	/* bit flip */
		if (*len)
			buf[pos] ^= (uint8_t)(1u << (rng() % 8));
		break;
	case 1:	/* truncate */
		*len = pos;
		break;
	case 2:	/* random byte */
		if (*len)
			buf[pos] = (uint8_t)rng();
		break;
	case 3:	/* insert byte */
		if (*len < cap) {
			memmove(buf + pos + 1, buf + pos, *len - pos);
			buf[pos] = (uint8_t)"\n\0=[]#;/\\ 0x\xff"[rng() % 14];
			(*len)++;
		}
		break;
	default:	/* delete byte */
		if (*len) {
			memmove(buf + pos, buf + pos + 1, *len - pos - 1);
			(*len)--;
		}
		break;
	}
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The seed files of fuzz-NAME's corpus directory, sorted; NULL-terminated. */
static char **corpus_files(const char *argv0, int *ret_n)
{
	_cleanup_free_ char *copy = strdup(argv0), *dir = NULL;
	const char *src = getenv("VIGIL_SRCDIR"), *name;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	DIR *d;

	if (!copy || !src)
		return NULL;
	name = basename(copy);
	if (strncmp(name, "fuzz-", 5) == 0)
		name += 5;
	if (asprintf(&dir, "%s/tests/fuzz/corpus/%s", src, name) < 0)
		return NULL;
	d = opendir(dir);
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (grow_array((void **)&v, &alloc, n + 2, sizeof(char *)) < 0 || !(v[n] = path_join(dir, de->d_name)))
			break;
		v[++n] = NULL;
	}
	closedir(d);
	if (v)
		qsort(v, n, sizeof(char *), name_cmp);
	*ret_n = (int)n;
	return v;
}

int main(int argc, char **argv)
{
	unsigned iterations = 2000;
	const char *env = getenv("VIGIL_FUZZ_ITERATIONS");
	int n = 0;

	if (env)
		iterations = (unsigned)strtoul(env, NULL, 10);
	char **seeds = argv + 1, **owned = NULL;
	int nseeds = argc - 1;

	if (nseeds == 0) {
		seeds = owned = corpus_files(argv[0], &nseeds);
		if (!seeds || nseeds == 0) {
			printf("1..0 # SKIP no seed corpus for %s (VIGIL_SRCDIR unset?)\n", argv[0]);
			return 77;
		}
	}
	for (int i = 0; i < nseeds; i++) {
		_cleanup_free_ char *seed = NULL;
		size_t seed_len, cap, len = 0;
		uint8_t *buf;
		int r;

		r = read_file_at(AT_FDCWD, seeds[i], true, 16u << 20, &seed, &seed_len);
		if (r < 0) {
			printf("not ok %d - read %s: %s\n", ++n, seeds[i], strerror(-r));
			continue;
		}
		cap = seed_len + 64;
		buf = malloc(cap);
		if (!buf)
			return 1;
		memcpy(buf, seed, seed_len);
		(void)LLVMFuzzerTestOneInput(buf, seed_len);
		for (unsigned k = 0; k < iterations; k++) {
			if (k % 64 == 0) {
				memcpy(buf, seed, seed_len);
				len = seed_len;
			}
			mutate(buf, &len, cap);
			/* A private copy of exactly len bytes, so ASan sees overreads. */
			uint8_t *copy = malloc(len ? len : 1);
			if (!copy)
				return 1;
			memcpy(copy, buf, len);
			(void)LLVMFuzzerTestOneInput(copy, len);
			free(copy);
		}
		free(buf);
		printf("ok %d - %s survived %u mutations\n", ++n, seeds[i], iterations);
	}
	for (int i = 0; owned && i < nseeds; i++)
		free(owned[i]);
	free(owned);
	printf("1..%d\n", n);
	return 0;
}
