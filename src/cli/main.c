/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
#include "log.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "init", cmd_init, "create the baseline from the current state" },
	{ "check", cmd_check, "compare the current state with the baseline" },
	{ "update", cmd_update, "replace the baseline with the current state" },
	{ "accept", cmd_accept, "accept the current state of some paths into the baseline" },
	{ "db", cmd_db, "verify, sign or show the baseline database" },
	{ "audit", cmd_audit, "audit the hardening settings of the host or an image" },
	{ "status", cmd_status, "show what vigild is doing" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: vigil COMMAND [OPTIONS]...\n\n"
		   "Host integrity and hardening monitor.\n\nCommands:\n");
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'vigil COMMAND --help' for the options of a command.\n"
		   "Exit status: 0 clean, 1 deviations found, 2 usage or configuration error,\n"
		   "3 runtime error.  See vigil(8).\n");
}

int exit_code_for(int r)
{
	return r == -EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
}

int main(int argc, char **argv)
{
	log_set_program("vigil");
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (streq(argv[1], "--help") || streq(argv[1], "-h") || streq(argv[1], "help")) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (streq(argv[1], "--version")) {
		printf("vigil %s\n", PACKAGE_VERSION);
		return EXIT_CLEAN;
	}
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		if (streq(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	log_error("unknown command '%s'; see 'vigil --help'", argv[1]);
	return EXIT_USAGE;
}
