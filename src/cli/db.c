/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <time.h>

#include "change.h"
#include "cli.h"
#include "common.h"
#include "escape.h"
#include "json.h"
#include "log.h"

static const char help[] =
	"Usage: vigil db verify [--pubkey FILE]\n"
	"       vigil db sign --key FILE\n"
	"       vigil db show [--json] [PATH...]\n\n"
	"Inspect and protect the baseline database.\n\n"
	"  verify              check the database's structure and checksum and,\n"
	"                      with --pubkey (or a configured pubkey), its signature\n"
	"  sign                sign the database with an Ed25519 private key (PEM,\n"
	"                      e.g. from 'openssl genpkey -algorithm ed25519')\n"
	"  show                print the records (all, or those of PATHs; a\n"
	"                      relative PATH is taken from the current directory)\n\n"
	"  -c, --config FILE   configuration (default " VIGIL_CONFDIR "/vigil.conf)\n"
	"  -d, --db FILE       baseline (default: from the configuration)\n"
	"  -p, --pubkey FILE   Ed25519 public key (PEM) to verify with\n"
	"  -k, --key FILE      Ed25519 private key (PEM) to sign with\n"
	"  -j, --json          show: one JSON object per record\n"
	"  -q, --quiet         sign: print nothing\n"
	"  -h, --help          this help\n";

static int db_verify(const struct cli_opts *o, const struct vigil_conf *conf)
{
	struct baseline *b = NULL;
	const struct baseline_meta *m;
	const char *pubkey = o->pubkey ? o->pubkey : conf->pubkey;
	char when[64];
	time_t t;
	int ec;

	ec = cli_open_baseline(o, conf, &b);	/* verifies the signature if a key is known */
	if (ec != EXIT_CLEAN)
		return ec;
	m = baseline_get_meta(b);
	t = (time_t)(m->created_usec / 1000000);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
	printf("%s: OK: %zu records, created %s on %s, %s\n", baseline_path(b), baseline_count(b), when,
	       m->hostname,
	       pubkey ? "signature valid" : baseline_is_signed(b) ? "signed (no key given to verify)" : "unsigned");
	baseline_close(b);
	return EXIT_CLEAN;
}

static int db_sign(const struct cli_opts *o, const struct vigil_conf *conf)
{
	struct diag d = { "" };
	int r;

	if (!o->key) {
		log_error("db sign needs --key FILE (an Ed25519 private key in PEM)");
		return EXIT_USAGE;
	}
	r = baseline_sign(cli_db_path(o, conf), o->key, &d);
	if (r < 0) {
		log_error("%s", d.msg);
		return r == -EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
	}
	if (!o->quiet)
		printf("%s: signed\n", cli_db_path(o, conf));
	return EXIT_CLEAN;
}

static void show_text(const struct vrecord *r)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	char hex[2 * SHA256_LEN + 1] = "-";

	if (r->has_sha256)
		sha256_to_hex(r->sha256, hex);
	strbuf_printf(&sb, "%c %04o %5u %5u %12" PRIu64 " %s ", r->type, (unsigned)(r->mode & 07777), r->uid, r->gid,
		      r->size, hex);
	escape_untrusted(&sb, r->path, strlen(r->path));
	if (r->link) {
		strbuf_puts(&sb, " -> ");
		escape_untrusted(&sb, r->link, strlen(r->link));
	}
	strbuf_putc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
}

static void show_json(const struct vrecord *r)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct json j;

	json_begin(&j, &sb);
	json_str(&j, "type", "record");
	json_str(&j, "path", r->path);
	record_to_json(&j, "attributes", r);
	json_end(&j);
	strbuf_putc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
}

static int db_show(const struct cli_opts *o, const struct vigil_conf *conf)
{
	struct baseline *b = NULL;
	char **paths = NULL;
	struct vrecord r;
	int ec, missing = 0;

	ec = cli_path_args(o, &paths);
	if (ec != EXIT_CLEAN)
		return ec;
	ec = cli_open_baseline(o, conf, &b);
	if (ec != EXIT_CLEAN) {
		cli_free_paths(paths);
		return ec;
	}
	if (o->n_args == 0) {
		for (size_t i = 0; i < baseline_count(b); i++) {
			baseline_record(b, i, &r);
			(o->json ? show_json : show_text)(&r);
		}
	}
	for (int a = 0; a < o->n_args; a++) {
		size_t idx;

		if (baseline_lookup_path(b, paths[a], &idx) < 0) {
			log_error("%s: not in the baseline", paths[a]);
			missing++;
			continue;
		}
		baseline_record(b, idx, &r);
		(o->json ? show_json : show_text)(&r);
	}
	cli_free_paths(paths);
	baseline_close(b);
	return missing ? EXIT_DEVIATIONS : EXIT_CLEAN;
}

int cmd_db(int argc, char **argv)
{
	_cleanup_(conf_free) struct vigil_conf conf = { 0 };
	struct cli_opts o;
	int ec;

	const char *action;

	/* "vigil db ACTION [OPTIONS] [PATH...]": the action comes first. */
	if (argc < 2 || argv[1][0] == '-') {
		ec = cli_parse(argc, argv, "db", "", help, &o);	/* --help, or an error */
		if (ec >= 0)
			return ec;
		fputs(help, stderr);
		return EXIT_USAGE;
	}
	action = argv[1];
	ec = cli_parse(argc - 1, argv + 1, "db", "cdpkjq", help, &o);
	if (ec >= 0)
		return ec;
	if (!streq(action, "verify") && !streq(action, "sign") && !streq(action, "show")) {
		log_error("db: unknown action '%s'; see 'vigil db --help'", action);
		return EXIT_USAGE;
	}
	if (!streq(action, "show") && o.n_args > 0) {
		log_error("db %s takes no arguments; see 'vigil db --help'", action);
		return EXIT_USAGE;
	}
	ec = cli_load_conf(&o, &conf);
	if (ec != EXIT_CLEAN)
		return ec;
	if (streq(action, "verify"))
		return db_verify(&o, &conf);
	if (streq(action, "sign"))
		return db_sign(&o, &conf);
	return db_show(&o, &conf);
}
