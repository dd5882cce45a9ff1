/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * For fuzz targets of parsers that read the examined system through a
 * rootfs (PAM, sudoers): a private image directory, created once and
 * removed at exit, into which each input is written before the probe
 * runs on it.
 */

#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <sys/stat.h>

#include "check.h"
#include "engine.h"
#include "fileio.h"
#include "probe.h"

static char ft_root[64];

static int ft_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void ft_cleanup(void)
{
	(void)nftw(ft_root, ft_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p root/dir for each NULL-terminated dir; abort on failure. */
static void ft_init(const char *const *dirs)
{
	char buf[256];

	if (ft_root[0])
		return;
	snprintf(ft_root, sizeof(ft_root), "/tmp/vigil-fuzz-XXXXXX");
	if (!mkdtemp(ft_root))
		abort();
	atexit(ft_cleanup);
	for (; *dirs; dirs++) {
		snprintf(buf, sizeof(buf), "%s%s", ft_root, *dirs);
		for (char *p = buf + strlen(ft_root) + 1;; p++) {
			if (*p == '/' || *p == '\0') {
				char c = *p;

				*p = '\0';
				(void)mkdir(buf, 0755);
				*p = c;
				if (!c)
					break;
			}
		}
	}
}

static void ft_write(const char *path, const uint8_t *data, size_t size)
{
	char buf[256];
	int fd;

	snprintf(buf, sizeof(buf), "%s%s", ft_root, path);
	/* unlink + create, not O_TRUNC: ext4 flushes a file truncated and
	 * rewritten on close (auto_da_alloc), which made each run take
	 * seconds of I/O wait. */
	(void)unlink(buf);
	fd = open(buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, data, size) < 0)
		abort();
	close(fd);
}

/* Evaluate a check of probe p with args key, value, ..., NULL over the
 * image (validate first, as the loader does). */
static void ft_eval(const struct probe *p, ...)
{
	struct check_arg args[8];
	struct check c = { .id = (char *)"fuzz", .probe = (char *)p->name, .args = args };
	struct probe_result r = { .verdict = VERDICT_ERROR };
	struct audit_ctx ctx;
	struct rootfs rf;
	struct diag d = {};
	const char *k;
	va_list ap;

	va_start(ap, p);
	while ((k = va_arg(ap, const char *)) && c.n_args < ELEMENTSOF(args)) {
		args[c.n_args].key = (char *)k;
		args[c.n_args].value = va_arg(ap, char *);
		args[c.n_args].line = 1;
		c.n_args++;
	}
	va_end(ap);
	if (p->validate(&c, &d) < 0)
		abort();	/* the fixed checks of a target are valid */
	if (rootfs_open(&rf, ft_root) < 0)
		abort();
	audit_ctx_init(&ctx, &rf);
	if (p->eval(&c, &ctx, &r) < 0)
		abort();
	probe_result_done(&r);
	audit_ctx_done(&ctx);
	rootfs_close(&rf);
}
