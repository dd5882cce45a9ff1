/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * A growable byte buffer for building output lines.  Appends never fail
 * loudly: on allocation failure the buffer remembers it (sb->oom) and
 * later appends are ignored, so a caller checks once, at the end, with
 * strbuf_error().  The content is always NUL-terminated.
 */

#include "util.h"

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
	bool oom;
};

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_append(struct strbuf *sb, const void *data, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) _printf_(2, 3);
/* Content so far ("" if empty); valid until the next append. */
const char *strbuf_str(const struct strbuf *sb);
/* 0, or -ENOMEM if any append failed since the last reset. */
int strbuf_error(const struct strbuf *sb);
/* Hand the buffer to the caller (malloc'ed, NUL-terminated); sb is reset. */
char *strbuf_steal(struct strbuf *sb);

static inline void strbuf_freep(struct strbuf *sb)
{
	strbuf_free(sb);
}
#define _cleanup_strbuf_ _cleanup_(strbuf_freep)
