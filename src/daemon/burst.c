/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>

#include "burst.h"

struct window {
	uint64_t start;
	uint64_t count;		/* events in this window, reported or not */
	uint64_t suppressed;
	enum severity max_severity;
	char *sample[BURST_SAMPLE];
	size_t n_sample;
};

struct burst {
	unsigned limit;
	struct window w[_VEVENT_CLASS_MAX];
};

int burst_new(unsigned limit, struct burst **ret)
{
	struct burst *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->limit = limit;
	*ret = b;
	return 0;
}

static void window_clear(struct window *w)
{
	for (size_t i = 0; i < w->n_sample; i++)
		free(w->sample[i]);
	*w = (struct window){ 0 };
}

struct burst *burst_free(struct burst *b)
{
	if (!b)
		return NULL;
	for (size_t i = 0; i < _VEVENT_CLASS_MAX; i++)
		window_clear(&b->w[i]);
	free(b);
	return NULL;
}

void burst_set_limit(struct burst *b, unsigned limit)
{
	b->limit = limit;
}

bool burst_admit(struct burst *b, enum vevent_class cls, enum severity sev, const char *path, uint64_t now)
{
	struct window *w;

	if (b->limit == 0 || (unsigned)cls >= _VEVENT_CLASS_MAX)
		return true;
	w = &b->w[cls];
	/* A window with suppressed events stays until burst_flush() reports it. */
	if (w->suppressed == 0 && now >= w->start + BURST_WINDOW_USEC) {
		w->start = now;
		w->count = 0;
	}
	w->count++;
	if (w->count <= b->limit)
		return true;
	w->suppressed++;
	w->max_severity = MAX(w->max_severity, sev);
	if (path && w->n_sample < BURST_SAMPLE) {
		char *s = strdup(path);

		if (s)	/* a missing sample entry is harmless; the count is what matters */
			w->sample[w->n_sample++] = s;
	}
	return false;
}

uint64_t burst_next_due(const struct burst *b)
{
	uint64_t due = UINT64_MAX;

	for (size_t i = 0; i < _VEVENT_CLASS_MAX; i++)
		if (b->w[i].suppressed)
			due = MIN(due, b->w[i].start + BURST_WINDOW_USEC);
	return due;
}

static int summary_event(const struct burst *b, enum vevent_class cls, const struct window *w, struct vevent **ret)
{
	struct vevent *e;
	struct strbuf sample = STRBUF_INIT;
	int r;

	r = vevent_new(VEVENT_BURST_SUMMARY, w->max_severity, &e);
	if (r < 0)
		return r;
	for (size_t i = 0; i < w->n_sample; i++) {
		if (i)
			strbuf_putc(&sample, ' ');
		strbuf_puts(&sample, w->sample[i]);
	}
	vevent_addf(e, "VIGIL_COUNT", "%llu", (unsigned long long)w->suppressed);
	vevent_add(e, "VIGIL_SUMMARIZED_EVENT", vevent_family(cls));
	vevent_add(e, "VIGIL_SUMMARIZED_ACTION", vevent_action(cls));
	vevent_addf(e, "VIGIL_BURST_LIMIT", "%u", b->limit);
	vevent_add(e, "VIGIL_SAMPLE", strbuf_str(&sample));
	vevent_message(e, "%llu more %s %s events within 1s not reported one by one (burst_limit %u/s); sample: %s",
		       (unsigned long long)w->suppressed, vevent_family(cls), vevent_action(cls), b->limit,
		       strbuf_str(&sample));
	r = strbuf_error(&sample) ?: vevent_error(e);
	strbuf_free(&sample);
	if (r < 0) {
		vevent_free(e);
		return r;
	}
	*ret = e;
	return 0;
}

int burst_flush(struct burst *b, uint64_t now, bool force, void (*fn)(void *userdata, struct vevent *e),
		void *userdata)
{
	int n = 0;

	for (size_t i = 0; i < _VEVENT_CLASS_MAX; i++) {
		struct window *w = &b->w[i];
		struct vevent *e;
		int r;

		if (!w->suppressed || (!force && now < w->start + BURST_WINDOW_USEC))
			continue;
		r = summary_event(b, (enum vevent_class)i, w, &e);
		if (r < 0)
			return r;
		window_clear(w);
		fn(userdata, e);
		n++;
	}
	return n;
}
