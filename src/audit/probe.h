/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The contract between the audit engine and the probes.
 *
 * A check is data (an INI section in a checks.d file); a probe is code
 * that knows how to read one kind of setting with the exact semantics of
 * the component that owns it (sshd, systemd-sysctl, kmod, ...).  Probes
 * know nothing of output formats: they return a verdict with the observed
 * and expected values as short text.
 *
 * Every probe reads the examined system only through ctx->root (struct
 * rootfs), never through absolute host paths, so --root audits an image
 * and never the build host.  A probe that needs the running kernel checks
 * ctx->root->live and returns VERDICT_NOT_APPLICABLE with a reason.
 */

#include <stdatomic.h>

#include "diag.h"
#include "rootfs.h"
#include "severity.h"

enum verdict {
	VERDICT_PASS,
	VERDICT_FAIL,
	VERDICT_NOT_APPLICABLE,
	VERDICT_ERROR,
	_VERDICT_MAX,
};

const char *verdict_name(enum verdict v);	/* "pass", "fail", "not_applicable", "error" */

/* A probe argument: any key of a check section that is not one of the
 * engine's own keys (id, title, cis, severity, ...). */
struct check_arg {
	char *key;
	char *value;
	unsigned line;
};

struct check {
	char *id;
	char *title;
	char *cis;		/* CIS Debian Linux 12 Benchmark v1.0.1 section, or NULL */
	char *category;
	char *rationale;
	char *remediation;
	char *probe;		/* probe name */
	enum severity severity;
	bool enabled;
	char **paths;		/* paths this check concerns (correlation) */
	size_t n_paths;
	struct check_arg *args;
	size_t n_args;
	char *file;		/* where the check was (last) defined */
	unsigned line;
	/* Packages (space-separated) of which at least one must be installed
	 * for the check to apply, or NULL; the engine answers not_applicable
	 * without running the probe otherwise (vigil-checks(5) if_installed). */
	char *if_installed;
};

/* Value of a probe argument, or NULL if absent. */
const char *check_arg(const struct check *c, const char *key);

/* At most this many findings per result: enough to act on, bounded so a
 * host with a million world-writable files cannot exhaust memory. */
#define PROBE_MAX_FINDINGS 256

struct probe_result {
	enum verdict verdict;
	char *observed;		/* malloc'ed text, or NULL */
	char *expected;		/* malloc'ed text, or NULL */
	char *reason;		/* why not_applicable/error, malloc'ed, or NULL */
	/* The concrete paths (image paths, as the rule names them) a failing
	 * check found: each world-writable, unowned or unaudited setid file
	 * of the files probe (in path order), the checked path of a failing
	 * file probe, the file whose line decided a configuration check
	 * (systemd-conf, rsyslog, sudoers tag, auditrules), each offending
	 * home, dot file, log file or AppArmor profile (its file offline;
	 * live, the name the kernel lists, which for a profile attached by
	 * path is the confined program's path).  The observed text may
	 * show only the first few; this holds up to PROBE_MAX_FINDINGS.  Owned
	 * by the result (each string and the array), freed by
	 * probe_result_done(); NULL and 0 when the probe reports none. */
	char **findings;
	size_t n_findings;
};

/* Free everything r owns and reset it to an empty VERDICT_ERROR. */
void probe_result_done(struct probe_result *r);
/* Helpers that fill a result; each returns 0 or -ENOMEM. */
int probe_result_set(struct probe_result *r, enum verdict v, const char *observed, const char *expected);
int probe_result_setf_reason(struct probe_result *r, enum verdict v, const char *fmt, ...) _printf_(3, 4);
/* Append a copy of path to r->findings; beyond PROBE_MAX_FINDINGS it is
 * dropped (returns 0: the cap is documented, not an error).  0 or -ENOMEM. */
int probe_result_add_finding(struct probe_result *r, const char *path);

struct audit_ctx;

struct probe {
	const char *name;
	/* Check the probe arguments when the rule file is loaded, so that a bad
	 * rule is a load error (file:line) and not a run-time surprise.  Return
	 * 0, or -EINVAL with a reason in d ("key 'x': reason"); the engine adds
	 * file:line. */
	int (*validate)(const struct check *c, struct diag *d);
	/* Evaluate.  Returns 0 with *ret filled (including VERDICT_ERROR for a
	 * setting that could not be read), or -ENOMEM. */
	int (*eval)(const struct check *c, struct audit_ctx *ctx, struct probe_result *ret);
	/* Free this probe's per-run cache (may be NULL). */
	void (*cache_free)(void *cache);
};

/* Per-run context.  Probes that parse a whole component (sshd_config,
 * sysctl.d, mountinfo) parse it once per run and keep it in their slot of
 * cache[], indexed by their position in the probe table. */
#define AUDIT_MAX_PROBES 32

struct audit_ctx {
	const struct rootfs *root;
	/* Set (by another thread) to ask the run to stop, or NULL: never.
	 * A probe with a long loop (the files walk, logfiles, homes) checks it
	 * as it goes and, once it is set, returns VERDICT_ERROR with a reason
	 * saying so: a check cut short is never a pass.  Borrowed. */
	const atomic_bool *cancel;
	void *cache[AUDIT_MAX_PROBES];
};

/* True once ctx->cancel is set. */
static inline bool audit_cancelled(const struct audit_ctx *ctx)
{
	return ctx->cancel && atomic_load_explicit(ctx->cancel, memory_order_relaxed);
}

/* Cache slot of a probe (by its struct probe address). */
void **audit_ctx_cache(struct audit_ctx *ctx, const struct probe *p);

/* The table of all probes (engine side); NULL-terminated. */
extern const struct probe *const probe_table[];
const struct probe *probe_find(const char *name);
