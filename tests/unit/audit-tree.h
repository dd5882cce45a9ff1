/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Helpers for the unit tests of the audit engine and its probes: build an
 * image tree in a temporary directory, then load a check from rule text
 * (so validation runs exactly as for a rule file) and evaluate it against
 * the tree, as an offline root or posing as the live system.
 */

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>

#include "engine.h"
#include "fileio.h"
#include "rules.h"
#include "tap.h"

static char at_root[64];

static int at_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static _unused_ void at_cleanup(void)
{
	if (at_root[0])
		(void)nftw(at_root, at_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static _unused_ void at_init(void)
{
	snprintf(at_root, sizeof(at_root), "/tmp/vigil-audit-XXXXXX");
	if (!mkdtemp(at_root)) {
		perror("mkdtemp");
		exit(99);
	}
	atexit(at_cleanup);
}

static _unused_ void at_path(char *buf, size_t size, const char *path)
{
	snprintf(buf, size, "%s%s", at_root, path);
}

static _unused_ void at_mkparents(const char *path)
{
	char buf[4096];

	at_path(buf, sizeof(buf), path);
	for (char *p = buf + strlen(at_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		(void)mkdir(buf, 0755);
		*p = '/';
	}
}

static _unused_ void at_write(const char *path, const char *content)
{
	char buf[4096];
	int fd;

	at_mkparents(path);
	at_path(buf, sizeof(buf), path);
	fd = open(buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, content, strlen(content)) < 0) {
		perror(buf);
		exit(99);
	}
	close(fd);
}

static _unused_ void at_mkdir(const char *path, mode_t mode)
{
	char buf[4096];

	at_mkparents(path);
	at_path(buf, sizeof(buf), path);
	(void)mkdir(buf, mode);
	(void)chmod(buf, mode);
}

static _unused_ void at_chmod(const char *path, mode_t mode)
{
	char buf[4096];

	at_path(buf, sizeof(buf), path);
	if (chmod(buf, mode) < 0)
		perror(buf);
}

static _unused_ void at_symlink(const char *path, const char *target)
{
	char buf[4096];

	at_mkparents(path);
	at_path(buf, sizeof(buf), path);
	(void)unlink(buf);
	if (symlink(target, buf) < 0)
		perror(buf);
}

static _unused_ void at_remove(const char *path)
{
	char buf[4096];

	at_path(buf, sizeof(buf), path);
	(void)nftw(buf, at_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Result of one evaluation, kept until the next at_eval(). */
static struct probe_result at_res;
static struct diag at_diag;

/* Load "[t]" + engine keys + body as a rule file; 0 or -errno (reason in
 * at_diag.msg). */
static _unused_ int at_load(struct check_set *set, const char *body)
{
	char text[4096];

	snprintf(text, sizeof(text), "[t]\ntitle = t\ncategory = c\nseverity = low\nremediation = r\n%s\n", body);
	diag_clear(&at_diag);
	return rules_load_text(set, "test.conf", text, strlen(text), &at_diag);
}

/* Evaluate the check described by body against the tree; live poses the
 * tree as the running system (its /proc is then read).  Returns the
 * verdict, or -1 if the rule did not load. */
static _unused_ int at_eval_ctx(const char *body, bool live, struct audit_ctx *shared)
{
	struct check_set set = CHECK_SET_INIT;
	struct rootfs root;
	struct audit_ctx ctx;
	int r;

	probe_result_done(&at_res);
	r = at_load(&set, body);
	if (r < 0 || set.n != 1) {
		printf("# load failed: %s\n", at_diag.msg);
		check_set_done(&set);
		return -1;
	}
	if (rootfs_open(&root, at_root) < 0) {
		perror(at_root);
		exit(99);
	}
	root.live = live;
	if (shared)
		shared->root = &root;
	else
		audit_ctx_init(&ctx, &root);
	r = audit_eval(set.checks[0], shared ? shared : &ctx, &at_res);
	if (!shared)
		audit_ctx_done(&ctx);
	rootfs_close(&root);
	check_set_done(&set);
	if (r < 0)
		return -1;
	if (at_res.verdict == VERDICT_ERROR || at_res.verdict == VERDICT_NOT_APPLICABLE)
		printf("# %s: %s\n", verdict_name(at_res.verdict), at_res.reason ? at_res.reason : "");
	return (int)at_res.verdict;
}

static _unused_ int at_eval(const char *body)
{
	return at_eval_ctx(body, false, NULL);
}

static _unused_ int at_eval_live(const char *body)
{
	return at_eval_ctx(body, true, NULL);
}

static _unused_ const char *at_observed(void)
{
	return at_res.observed ? at_res.observed : "";
}

static _unused_ bool at_observed_has(const char *s)
{
	bool ok = at_res.observed && strstr(at_res.observed, s);

	if (!ok)
		printf("#   observed \"%s\" lacks \"%s\"\n", at_observed(), s);
	return ok;
}
