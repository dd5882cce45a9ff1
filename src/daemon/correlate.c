/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fnmatch.h>

#include "correlate.h"

static void entry_done(struct posture_entry *e)
{
	free(e->id);
	free(e->title);
	for (size_t i = 0; i < e->n_paths; i++)
		free(e->paths[i]);
	free(e->paths);
}

void posture_free(struct posture *p)
{
	for (size_t i = 0; i < p->n; i++)
		entry_done(&p->entries[i]);
	free(p->entries);
	*p = (struct posture){ 0 };
}

int posture_add(struct posture *p, const char *id, const char *title, char *const *paths, size_t n_paths)
{
	struct posture_entry e = { 0 };
	int r;

	r = grow_array((void **)&p->entries, &p->alloc, p->n + 1, sizeof(*p->entries));
	if (r < 0)
		return r;
	e.id = strdup(id);
	e.title = title ? strdup(title) : NULL;
	e.paths = calloc(n_paths ? n_paths : 1, sizeof(char *));
	if (!e.id || (title && !e.title) || !e.paths)
		goto oom;
	for (; e.n_paths < n_paths; e.n_paths++) {
		e.paths[e.n_paths] = strdup(paths[e.n_paths]);
		if (!e.paths[e.n_paths])
			goto oom;
	}
	p->entries[p->n++] = e;
	return 0;
oom:
	entry_done(&e);
	return -ENOMEM;
}

bool posture_path_matches(const char *check_path, const char *path)
{
	size_t l = strlen(check_path);

	if (check_path[strcspn(check_path, "*?[")])
		return fnmatch(check_path, path, 0) == 0;
	if (l > 1 && check_path[l - 1] == '/')
		l--;
	return strncmp(check_path, path, l) == 0 && (path[l] == '\0' || path[l] == '/' || streq(check_path, "/"));
}

size_t posture_match(const struct posture *p, const char *path, struct strbuf *ids, struct strbuf *why)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct posture_entry *e = &p->entries[i];

		for (size_t k = 0; k < e->n_paths; k++) {
			if (!posture_path_matches(e->paths[k], path))
				continue;
			if (n) {
				strbuf_putc(ids, ' ');
				strbuf_puts(why, "; ");
			}
			strbuf_puts(ids, e->id);
			strbuf_printf(why, "%s fails", e->title ? e->title : e->id);
			n++;
			break;
		}
	}
	return n;
}

size_t posture_enrich(const struct posture *p, struct vevent *e)
{
	_cleanup_strbuf_ struct strbuf ids = STRBUF_INIT, why = STRBUF_INIT;
	const char *path = vevent_get(e, "VIGIL_PATH");
	size_t n;

	if (!path || p->n == 0)
		return 0;
	n = posture_match(p, path, &ids, &why);
	if (n == 0)
		return 0;
	if (strbuf_error(&ids) < 0 || strbuf_error(&why) < 0) {
		e->oom = true;
		return n;
	}
	vevent_add_posture(e, strbuf_str(&ids), strbuf_str(&why));
	return n;
}
