/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Helpers for the unit tests of the probes2 probes: build an image tree
 * in a temporary directory, a check from key/value pairs, and run a
 * probe's validate + eval against the tree as an offline root.
 */

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "check.h"
#include "engine.h"
#include "fileio.h"
#include "probe.h"
#include "rootfs.h"
#include "tap.h"

static char pt_root[64];

static int pt_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static _unused_ void pt_cleanup(void)
{
	if (pt_root[0])
		(void)nftw(pt_root, pt_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static _unused_ void pt_init(void)
{
	snprintf(pt_root, sizeof(pt_root), "/tmp/vigil-probe-XXXXXX");
	if (!mkdtemp(pt_root)) {
		perror("mkdtemp");
		exit(99);
	}
	atexit(pt_cleanup);
}

/* mkdir -p of the parent of root/path. */
static _unused_ void pt_mkparents(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s%s", pt_root, path);
	for (char *p = buf + strlen(pt_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		(void)mkdir(buf, 0755);
		*p = '/';
	}
}

static _unused_ void pt_write(const char *path, const char *content)
{
	char buf[4096];
	int fd;

	pt_mkparents(path);
	snprintf(buf, sizeof(buf), "%s%s", pt_root, path);
	/* unlink + create: ext4 flushes a truncated-and-rewritten file on
	 * close (auto_da_alloc), which is slow. */
	(void)unlink(buf);
	fd = open(buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, content, strlen(content)) < 0) {
		perror(buf);
		exit(99);
	}
	close(fd);
}

static _unused_ void pt_mkdir(const char *path, mode_t mode)
{
	char buf[4096];

	pt_mkparents(path);
	snprintf(buf, sizeof(buf), "%s%s", pt_root, path);
	(void)mkdir(buf, mode);
	(void)chmod(buf, mode);
}

static _unused_ void pt_symlink(const char *path, const char *target)
{
	char buf[4096];

	pt_mkparents(path);
	snprintf(buf, sizeof(buf), "%s%s", pt_root, path);
	(void)unlink(buf);
	if (symlink(target, buf) < 0) {
		perror(buf);
		exit(99);
	}
}

static _unused_ void pt_unlink(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s%s", pt_root, path);
	(void)unlink(buf);
}

/* A check of probe with args given as key, value, ..., NULL. */
static struct check *pt_check(const char *probe, ...)
{
	struct check *c = calloc(1, sizeof(*c));
	const char *k;
	va_list ap;

	if (!c)
		exit(99);
	c->id = strdup("test");
	c->probe = strdup(probe);
	c->file = strdup("test.conf");
	c->enabled = true;
	va_start(ap, probe);
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);

		c->args = realloc(c->args, (c->n_args + 1) * sizeof(*c->args));
		if (!c->args)
			exit(99);
		c->args[c->n_args++] = (struct check_arg){ .key = strdup(k), .value = strdup(v), .line = 1 };
	}
	va_end(ap);
	return c;
}

struct pt_result {
	int validate;		/* validate()'s return */
	char vmsg[1024];	/* its reason */
	enum verdict verdict;
	char observed[1024], expected[256], reason[1024];
};

/* Validate and (if valid) evaluate c against pt_root; frees c.  The
 * context is fresh per call so every case reads the tree as it is now. */
static struct pt_result pt_run_at(const struct probe *p, struct check *c, const char *dir)
{
	struct pt_result res = { .verdict = _VERDICT_MAX };
	struct diag d = {};
	struct rootfs rf;
	struct audit_ctx ctx;
	struct probe_result pr = { .verdict = VERDICT_ERROR };

	res.validate = p->validate(c, &d);
	snprintf(res.vmsg, sizeof(res.vmsg), "%s", d.msg);
	if (res.validate < 0) {
		check_free(c);
		return res;
	}
	if (rootfs_open(&rf, dir) < 0) {
		perror("rootfs_open");
		exit(99);
	}
	audit_ctx_init(&ctx, &rf);
	if (p->eval(c, &ctx, &pr) < 0) {
		fprintf(stderr, "eval failed\n");
		exit(99);
	}
	res.verdict = pr.verdict;
	snprintf(res.observed, sizeof(res.observed), "%s", pr.observed ?: "");
	snprintf(res.expected, sizeof(res.expected), "%s", pr.expected ?: "");
	snprintf(res.reason, sizeof(res.reason), "%s", pr.reason ?: "");
	if (pr.verdict != VERDICT_PASS)
		diag("verdict %s observed=\"%s\" expected=\"%s\" reason=\"%s\"", verdict_name(pr.verdict),
		     res.observed, res.expected, res.reason);
	probe_result_done(&pr);
	audit_ctx_done(&ctx);
	rootfs_close(&rf);
	check_free(c);
	return res;
}

static _unused_ struct pt_result pt_run(const struct probe *p, struct check *c)
{
	return pt_run_at(p, c, pt_root);
}

static _unused_ enum verdict pt_verdict(const struct probe *p, struct check *c)
{
	return pt_run(p, c).verdict;
}
