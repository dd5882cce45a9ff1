/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <search.h>
#include <stdint.h>

#include "debounce.h"

struct pending {
	char *path;
	uint64_t due;
	uint32_t pid;
	struct pending *prev, *next;	/* touch order: head is due first */
};

struct debounce {
	void *tree;			/* tsearch(3) tree of struct pending, keyed by path */
	struct pending *head, *tail;
	size_t n, max;
	uint64_t delay;
};

static int pending_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pending *)a)->path, ((const struct pending *)b)->path);
}

int debounce_new(uint64_t delay_usec, size_t max_pending, struct debounce **ret)
{
	struct debounce *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->delay = delay_usec;
	d->max = max_pending;
	*ret = d;
	return 0;
}

static void pending_free(void *p)
{
	struct pending *q = p;

	free(q->path);
	free(q);
}

struct debounce *debounce_free(struct debounce *d)
{
	if (!d)
		return NULL;
	tdestroy(d->tree, pending_free);
	free(d);
	return NULL;
}

void debounce_set_delay(struct debounce *d, uint64_t delay_usec)
{
	d->delay = delay_usec;
}

static void unlink_pending(struct debounce *d, struct pending *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		d->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		d->tail = p->prev;
	p->prev = p->next = NULL;
}

static void append_pending(struct debounce *d, struct pending *p)
{
	p->prev = d->tail;
	p->next = NULL;
	if (d->tail)
		d->tail->next = p;
	else
		d->head = p;
	d->tail = p;
}

int debounce_touch(struct debounce *d, const char *path, uint64_t now, uint32_t pid)
{
	struct pending key = { .path = (char *)path }, *p, **found;

	found = tfind(&key, &d->tree, pending_cmp);
	if (found) {
		p = *found;
		unlink_pending(d, p);
	} else {
		if (d->n >= d->max)
			return -ENOSPC;
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		p->path = strdup(path);
		if (!p->path) {
			free(p);
			return -ENOMEM;
		}
		found = tsearch(p, &d->tree, pending_cmp);
		if (!found) {
			pending_free(p);
			return -ENOMEM;
		}
		d->n++;
	}
	/* Touch order equals due order only if the clock never goes back. */
	p->due = MAX(now + d->delay, d->tail ? d->tail->due : 0);
	if (pid)
		p->pid = pid;
	append_pending(d, p);
	return 0;
}

uint64_t debounce_next_due(const struct debounce *d)
{
	return d->head ? d->head->due : UINT64_MAX;
}

int debounce_pop_due(struct debounce *d, uint64_t now, char **ret, uint32_t *ret_pid)
{
	struct pending *p = d->head;

	if (!p || p->due > now)
		return 0;
	unlink_pending(d, p);
	(void)tdelete(p, &d->tree, pending_cmp);
	d->n--;
	*ret = p->path;
	if (ret_pid)
		*ret_pid = p->pid;
	free(p);
	return 1;
}

size_t debounce_pending(const struct debounce *d)
{
	return d->n;
}
