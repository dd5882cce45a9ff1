/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vigil status: what vigild is doing, from its state file (vigild(8)). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "daemon/state.h"
#include "escape.h"
#include "log.h"

static void help(FILE *f)
{
	fprintf(f, "Usage: vigil status [--json] [--state-file FILE]\n\n"
		   "Show whether vigild runs and its counters (from " STATE_FILE ").\n\n"
		   "  --json              one JSON object, with a \"running\" member\n"
		   "  --state-file FILE   read FILE instead\n\n"
		   "Exit status: 0 vigild runs, 3 it does not (or the state file is unreadable).\n");
}

static bool running(uint64_t pid)
{
	char path[64], comm[32] = "";
	FILE *f;
	bool ok;

	if (pid == 0 || pid > INT32_MAX || kill((pid_t)pid, 0) < 0)
		return false;
	/* A recycled pid: the state file outlived vigild (killed -9). */
	snprintf(path, sizeof(path), "/proc/%llu/comm", (unsigned long long)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	ok = fgets(comm, sizeof(comm), f) && strncmp(comm, "vigild", 6) == 0;
	fclose(f);
	return ok;
}

static const char *when(uint64_t usec, char *buf, size_t n)
{
	time_t t = (time_t)(usec / 1000000);
	struct tm tm;

	if (usec == 0)
		return "never";
	if (!localtime_r(&t, &tm) || strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return "?";
	return buf;
}

static void print_text(const struct daemon_state *s, bool up)
{
	_cleanup_strbuf_ struct strbuf mon = STRBUF_INIT, base = STRBUF_INIT;
	char t1[64], t2[64], t3[64];

	escape_untrusted(&mon, s->monitor, strlen(s->monitor));
	escape_untrusted(&base, s->baseline, strlen(s->baseline));
	printf("vigild:     %s (pid %llu, since %s)\n", up ? "running" : "NOT running (stale state file)",
	       (unsigned long long)s->pid, when(s->started_usec, t1, sizeof(t1)));
	printf("monitor:    %s, %llu %s\n", strbuf_str(&mon), (unsigned long long)s->watches,
	       streq(s->monitor, "fanotify") ? "filesystems marked" : "watches");
	printf("baseline:   %s (%llu records)\n", strbuf_str(&base), (unsigned long long)s->baseline_records);
	printf("events:     %llu reported, %llu summarized, %llu dropped, %llu overflows\n",
	       (unsigned long long)s->reported, (unsigned long long)s->summarized, (unsigned long long)s->dropped,
	       (unsigned long long)s->overflows);
	printf("kernel:     %llu events, %llu paths verified, %llu pending, %llu unresolved\n",
	       (unsigned long long)s->kernel_events, (unsigned long long)s->verified,
	       (unsigned long long)s->pending, (unsigned long long)s->unresolved);
	printf("last audit: %s (%llu failing checks)\n", when(s->last_audit_usec, t2, sizeof(t2)),
	       (unsigned long long)s->audit_failed);
	printf("last check: %s (%llu deviations)\n", when(s->last_check_usec, t3, sizeof(t3)),
	       (unsigned long long)s->check_changes);
	printf("reloads:    %llu; updated %s\n", (unsigned long long)s->reloads,
	       when(s->updated_usec, t1, sizeof(t1)));
}

int cmd_status(int argc, char **argv)
{
	enum { OPT_JSON = 0x100, OPT_STATE };
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "state-file", required_argument, NULL, OPT_STATE },
		{},
	};
	const char *path = STATE_FILE;
	struct daemon_state s;
	struct diag d = { "" };
	bool json = false, up;
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
		switch (c) {
		case 'h':
			help(stdout);
			return EXIT_CLEAN;
		case OPT_JSON:
			json = true;
			break;
		case OPT_STATE:
			path = optarg;
			break;
		default:
			help(stderr);
			return EXIT_USAGE;
		}
	if (optind < argc) {
		log_error("unexpected argument '%s'; see 'vigil status --help'", argv[optind]);
		return EXIT_USAGE;
	}
	r = state_read(path, &s, &d);
	if (r == -ENOENT) {
		if (json)
			printf("{\"running\":false}\n");
		else
			printf("vigild:     not running (no %s)\n", path);
		return EXIT_RUNTIME;
	}
	if (r < 0) {
		log_error("%s", d.msg);
		return EXIT_RUNTIME;
	}
	up = running(s.pid);
	if (json) {
		_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

		state_to_json(&s, &sb);
		/* Splice "running" in front of the state's own members. */
		printf("{\"running\":%s,%s\n", up ? "true" : "false", strbuf_str(&sb) + 1);
	} else
		print_text(&s, up);
	return up ? EXIT_CLEAN : EXIT_RUNTIME;
}
