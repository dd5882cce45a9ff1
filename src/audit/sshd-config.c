/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <strings.h>

#include "confdirs.h"
#include "sshd-config.h"
#include "strbuf.h"

#define SSHD_MAX_DEPTH 16		/* SERVCONF_MAX_DEPTH */
#define SSHD_MAX_FILE (1024 * 1024)
#define SSHD_MAX_ENTRIES 16384
#define SSHD_MAX_FILES 256		/* a glob including itself fans out fast */
#define SSHD_DIR "/etc/ssh"

void sshd_config_free(struct sshd_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].keyword);
		free(cfg->entries[i].value);
		free(cfg->entries[i].file);
	}
	free(cfg->entries);
	free(cfg->error);
	free(cfg);
}

_printf_(2, 3) static int set_error(struct sshd_config *cfg, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	if (cfg->error)
		return 0;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return -ENOMEM;
	cfg->error = s;
	return 0;
}

/* misc.c strdelim(): the keyword ends at white space or one '=', and the
 * white space and at most one '=' after it are skipped. */
static char *take_keyword(char **s)
{
	char *old = *s, *p;
	bool eq = false;

	p = strpbrk(old, " \t\r\n=");
	if (!p) {
		*s = old + strlen(old);
		return old;
	}
	if (*p == '=')
		eq = true;
	*p++ = '\0';
	p += strspn(p, " \t\r\n");
	if (!eq && *p == '=') {
		p++;
		p += strspn(p, " \t\r\n");
	}
	*s = p;
	return old;
}

/* misc.c argv_split(s, ..., terminate_on_comment=1): arguments separated
 * by blanks, '...' and "..." quote, backslash escapes quotes, backslash
 * and (outside quotes) a blank; an unquoted '#' starting an argument ends
 * the line.  Arguments are appended to out joined by one space.  Returns
 * the number of arguments, or -EINVAL for an unterminated quote. */
static int split_args(const char *s, struct strbuf *out)
{
	int argc = 0;

	for (size_t i = 0; s[i];) {
		char quote = 0;

		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		if (argc++ > 0)
			strbuf_putc(out, ' ');
		for (; s[i]; i++) {
			char ch = s[i];

			if (ch == '\\') {
				char nx = s[i + 1];
				if (nx == '\'' || nx == '"' || nx == '\\' || (quote == 0 && nx == ' ')) {
					i++;
					strbuf_putc(out, nx);
				} else
					strbuf_putc(out, ch);
			} else if (quote == 0 && (ch == ' ' || ch == '\t'))
				break;
			else if (quote == 0 && (ch == '"' || ch == '\''))
				quote = ch;
			else if (quote != 0 && ch == quote)
				quote = 0;
			else
				strbuf_putc(out, ch);
		}
		if (quote != 0)
			return -EINVAL;
	}
	return argc;
}

/* The keywords OpenSSH 9.2 allows inside a Match block (SSHCFG_MATCH in
 * servconf.c keywords[]); copy_set_server_options() copies each of them. */
static const char *const match_keywords[] = {
	"acceptenv", "allowagentforwarding", "allowgroups", "allowstreamlocalforwarding", "allowtcpforwarding",
	"allowusers", "authenticationmethods", "authorizedkeyscommand", "authorizedkeyscommanduser",
	"authorizedkeysfile", "authorizedprincipalscommand", "authorizedprincipalscommanduser",
	"authorizedprincipalsfile", "banner", "casignaturealgorithms", "channeltimeout", "chrootdirectory",
	"clientalivecountmax", "clientaliveinterval", "denygroups", "denyusers", "disableforwarding",
	"exposeauthinfo", "forcecommand", "gatewayports", "gssapiauthentication", "hostbasedacceptedalgorithms",
	"hostbasedauthentication", "hostbasedusesnamefrompacketonly", "ignorerhosts", "ipqos",
	"kbdinteractiveauthentication", "kerberosauthentication", "loglevel", "logverbose", "maxauthtries",
	"maxsessions", "passwordauthentication", "permitemptypasswords", "permitlisten", "permitopen",
	"permitrootlogin", "permittty", "permittunnel", "permituserrc", "pubkeyacceptedalgorithms",
	"pubkeyauthentication", "pubkeyauthoptions", "rdomain", "rekeylimit", "requiredrsasize", "revokedkeys",
	"setenv", "streamlocalbindmask", "streamlocalbindunlink", "trustedusercakeys", "unusedconnectiontimeout",
	"x11displayoffset", "x11forwarding", "x11uselocalhost", NULL,
};

/* Keywords OpenSSH 9.2 allows only outside Match (SSHCFG_GLOBAL); sshd
 * refuses to start if one is in a Match block it does not activate at
 * startup.  Keywords in neither list are not judged. */
static const char *const global_keywords[] = {
	"addressfamily", "ciphers", "compression", "fingerprinthash", "gssapicleanupcredentials",
	"gssapistrictacceptorcheck", "hostcertificate", "hostkey", "hostkeyagent", "hostkeyalgorithms",
	"ignoreuserknownhosts", "kexalgorithms", "listenaddress", "logingracetime", "macs", "maxstartups",
	"modulifile", "persourcemaxstartups", "persourcenetblocksize", "pidfile", "port", "printlastlog",
	"printmotd", "permituserenvironment", "securitykeyprovider", "strictmodes", "subsystem",
	"syslogfacility", "tcpkeepalive", "usedns", "usepam", "versionaddendum", "xauthlocation", NULL,
};

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (streq(list[i], s))
			return true;
	return false;
}

static bool global_only(const char *keyword)
{
	char kw[64];
	size_t n = strlen(keyword);

	if (n >= sizeof(kw))
		return false;
	for (size_t i = 0; i <= n; i++)
		kw[i] = (char)tolower((unsigned char)keyword[i]);
	return in_list(global_keywords, sshd_keyword_canonical(kw));
}

/* servconf.c match_cfg_line() syntax: "all" alone, or pairs of a known
 * criterion and its argument; anything else is "Bad Match condition".
 * words is the unquoted argument list joined by single spaces. */
static bool match_criteria_valid(const char *words, bool *ret_all)
{
	static const char *const criteria[] = {
		"user", "group", "host", "address", "localaddress", "localport", "rdomain", NULL,
	};
	_cleanup_free_ char *copy = strdup(words);
	char *save = NULL, *attr;
	unsigned n = 0;

	if (!copy)
		return false;
	*ret_all = false;
	while ((attr = strtok_r(n ? NULL : copy, " ", &save))) {
		char lower[16];
		size_t l = strlen(attr);

		n++;
		if (l >= sizeof(lower))
			return false;
		for (size_t i = 0; i <= l; i++)
			lower[i] = (char)tolower((unsigned char)attr[i]);
		if (streq(lower, "all")) {
			*ret_all = true;
			return n == 1 && !strtok_r(NULL, " ", &save);
		}
		if (!in_list(criteria, lower) || !strtok_r(NULL, " ", &save))
			return false;
	}
	return n > 0;
}

static int add_entry(struct sshd_config *cfg, const char *keyword, const char *value, const char *file,
		     unsigned line, enum sshd_scope scope)
{
	struct sshd_entry *e;
	const char *canon;

	if (cfg->n >= SSHD_MAX_ENTRIES)
		return set_error(cfg, "%s: more than %d settings", file, SSHD_MAX_ENTRIES);
	if (grow_array((void **)&cfg->entries, &cfg->allocated, cfg->n + 1, sizeof(*cfg->entries)) < 0)
		return -ENOMEM;
	e = &cfg->entries[cfg->n];
	*e = (struct sshd_entry){
		.keyword = strdup(keyword),
		.value = strdup(value),
		.file = strdup(file),
		.line = line,
		.scope = scope,
	};
	if (!e->keyword || !e->value || !e->file) {
		free(e->keyword);
		free(e->value);
		free(e->file);
		return -ENOMEM;
	}
	for (char *p = e->keyword; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	canon = sshd_keyword_canonical(e->keyword);
	if (canon != e->keyword) {
		char *c = strdup(canon);
		if (!c) {
			free(e->keyword);
			free(e->value);
			free(e->file);
			return -ENOMEM;
		}
		free(e->keyword);
		e->keyword = c;
	}
	cfg->n++;
	return 0;
}

const char *sshd_keyword_canonical(const char *kw)
{
	/* Deprecated names servconf.c still maps to the same option. */
	static const char *const aliases[][2] = {
		{ "challengeresponseauthentication", "kbdinteractiveauthentication" },
		{ "pubkeyacceptedkeytypes", "pubkeyacceptedalgorithms" },
		{ "hostbasedacceptedkeytypes", "hostbasedacceptedalgorithms" },
	};

	for (size_t i = 0; i < ELEMENTSOF(aliases); i++)
		if (streq(kw, aliases[i][0]))
			return aliases[i][1];
	return kw;
}

static int load_file(struct sshd_config *cfg, const struct rootfs *root, const char *path, unsigned depth,
		     enum sshd_scope scope);

static int do_include(struct sshd_config *cfg, const struct rootfs *root, const char *args, const char *file,
		      unsigned line, unsigned depth, enum sshd_scope scope)
{
	/* args is already unquoted and space-joined; file names with blanks
	 * inside quotes are not supported here. */
	_cleanup_free_ char *copy = strdup(args);
	char *save = NULL;
	int r;

	if (!copy)
		return -ENOMEM;
	if (depth + 1 > SSHD_MAX_DEPTH)
		return set_error(cfg, "%s:%u: Include nested too deeply", file, line);
	for (char *arg = strtok_r(copy, " ", &save); arg; arg = strtok_r(NULL, " ", &save)) {
		_cleanup_free_ char *pattern = NULL;
		char **files = NULL;
		size_t n = 0;

		pattern = *arg == '/' ? strdup(arg) : path_join(SSHD_DIR, arg);
		if (!pattern)
			return -ENOMEM;
		r = confdirs_glob(root, pattern, &files, &n);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return set_error(cfg, "%s:%u: Include %s: %s", file, line, pattern, strerror(-r));
		for (size_t i = 0; i < n; i++) {
			r = load_file(cfg, root, files[i], depth + 1, scope);
			if (r < 0)
				break;
		}
		confdirs_strv_free(files, n);
		if (r < 0)
			return r;
	}
	return 0;
}

int sshd_config_parse(struct sshd_config *cfg, const struct rootfs *root, const char *name, const char *text,
		      size_t len, unsigned depth, enum sshd_scope inherited)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_strbuf_ struct strbuf value = STRBUF_INIT;
	char *p, *end, *line;
	unsigned lineno = 0;
	enum sshd_scope scope = inherited;	/* a Match block ends with its file */
	int r;

	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, len);
	buf[len] = '\0';
	p = buf;
	end = buf + len;
	while ((line = confdirs_next_line(&p, end))) {
		char *s = line, *keyword;
		int argc;

		lineno++;
		/* sshd strips a trailing form feed too */
		for (size_t l = strlen(s); l > 0 && strchr(" \t\r\n\f", s[l - 1]); l--)
			s[l - 1] = '\0';
		keyword = take_keyword(&s);
		if (*keyword == '\0')
			keyword = take_keyword(&s);
		if (*keyword == '\0' || *keyword == '#')
			continue;
		if (*s == '\0') {
			r = set_error(cfg, "%s:%u: no argument after keyword \"%s\"", name, lineno, keyword);
			if (r < 0)
				return r;
			continue;
		}
		strbuf_reset(&value);
		argc = split_args(s, &value);
		if (strbuf_error(&value) < 0)
			return -ENOMEM;
		if (argc < 0) {
			r = set_error(cfg, "%s:%u: unterminated quote", name, lineno);
			if (r < 0)
				return r;
			continue;
		}
		if (argc == 0) {
			r = set_error(cfg, "%s:%u: no argument after keyword \"%s\"", name, lineno, keyword);
			if (r < 0)
				return r;
			continue;
		}
		if (strcasecmp(keyword, "match") == 0) {
			bool all = false;

			if (!match_criteria_valid(strbuf_str(&value), &all)) {
				r = set_error(cfg, "%s:%u: bad Match condition", name, lineno);
				if (r < 0)
					return r;
				continue;
			}
			/* In a file included from a block that does not match,
			 * no Match matches (servconf.c SSHCFG_NEVERMATCH). */
			scope = inherited != SSHD_SCOPE_OTHER && all ? SSHD_SCOPE_MATCH : SSHD_SCOPE_OTHER;
			r = add_entry(cfg, "match", strbuf_str(&value), name, lineno, scope);
		} else if (strcasecmp(keyword, "include") == 0) {
			r = add_entry(cfg, "include", strbuf_str(&value), name, lineno, scope);
			if (r >= 0 && root)
				r = do_include(cfg, root, strbuf_str(&value), name, lineno, depth, scope);
		} else if (scope == SSHD_SCOPE_OTHER && global_only(keyword)) {
			/* At startup sshd checks the inactive blocks and refuses
			 * a directive Match may not set; in an active one
			 * ("Match all") it is simply applied. */
			r = set_error(cfg, "%s:%u: directive '%s' is not allowed within a Match block", name,
				      lineno, keyword);
		} else
			r = add_entry(cfg, keyword, strbuf_str(&value), name, lineno, scope);
		if (r < 0)
			return r;
	}
	return 0;
}

static int load_file(struct sshd_config *cfg, const struct rootfs *root, const char *path, unsigned depth,
		     enum sshd_scope scope)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	if (cfg->error)
		return 0;	/* sshd would stop here too; the verdict is an error */
	if (++cfg->n_files > SSHD_MAX_FILES)
		return set_error(cfg, "%s: more than %d configuration files included", path, SSHD_MAX_FILES);
	r = rootfs_read_file(root, path, SSHD_MAX_FILE, &text, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return r == -ENOENT && depth == 0 ? r : set_error(cfg, "%s: %s", path, strerror(-r));
	return sshd_config_parse(cfg, root, path, text, len, depth, scope);
}

int sshd_config_load(const struct rootfs *root, const char *path, struct sshd_config **ret)
{
	struct sshd_config *cfg;
	int r;

	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return -ENOMEM;
	r = load_file(cfg, root, path, 0, SSHD_SCOPE_GLOBAL);
	if (r < 0) {
		sshd_config_free(cfg);
		return r;
	}
	*ret = cfg;
	return 0;
}

bool sshd_keyword_in_match(const char *keyword)
{
	return in_list(match_keywords, keyword);
}

/* servconf.c parse_server_match_config(): the connection's pass reads
 * only matching Match blocks into a fresh set of options, and
 * copy_set_server_options() copies every option that pass set over the
 * startup value (arrays such as AllowUsers are replaced whole). */
static bool match_overrides(const struct sshd_config *cfg, const char *keyword)
{
	if (!sshd_keyword_in_match(keyword))
		return false;
	for (size_t i = 0; i < cfg->n; i++)
		if (cfg->entries[i].scope == SSHD_SCOPE_MATCH && streq(cfg->entries[i].keyword, keyword))
			return true;
	return false;
}

static bool counts(const struct sshd_entry *e, const char *keyword, bool overrides)
{
	if (!streq(e->keyword, keyword))
		return false;
	/* Startup pass: global lines and the blocks of "Match all". */
	return overrides ? e->scope == SSHD_SCOPE_MATCH : e->scope != SSHD_SCOPE_OTHER;
}

bool sshd_config_counts(const struct sshd_config *cfg, const char *keyword, const struct sshd_entry *e)
{
	return counts(e, keyword, match_overrides(cfg, keyword));
}

const struct sshd_entry *sshd_config_first(const struct sshd_config *cfg, const char *keyword)
{
	bool overrides = match_overrides(cfg, keyword);

	for (size_t i = 0; i < cfg->n; i++)
		if (counts(&cfg->entries[i], keyword, overrides))
			return &cfg->entries[i];
	return NULL;
}

const struct sshd_entry *sshd_config_first_match(const struct sshd_config *cfg, const char *keyword)
{
	for (size_t i = 0; i < cfg->n; i++)
		if (cfg->entries[i].scope == SSHD_SCOPE_OTHER && streq(cfg->entries[i].keyword, keyword))
			return &cfg->entries[i];
	return NULL;
}

/* misc.c convtime(): a sequence of NUMBER[smhdw], no unit = seconds. */
int sshd_convtime(const char *s, long long *ret)
{
	long long total = 0;

	if (isempty(s))
		return -EINVAL;
	while (*s) {
		long long v, mult;
		char *end;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == ERANGE)
			return -ERANGE;
		switch (*end) {
		case '\0': mult = 1; break;
		case 's': case 'S': mult = 1; end++; break;
		case 'm': case 'M': mult = 60; end++; break;
		case 'h': case 'H': mult = 3600; end++; break;
		case 'd': case 'D': mult = 86400; end++; break;
		case 'w': case 'W': mult = 604800; end++; break;
		default: return -EINVAL;
		}
		if (v > (INT32_MAX - total) / mult)
			return -ERANGE;
		total += v * mult;
		s = end;
	}
	*ret = total;
	return 0;
}
