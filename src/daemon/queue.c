/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>

#include "fileio.h"
#include "queue.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

struct logq {
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* writer: work arrived or stop */
	pthread_cond_t idle;		/* flushers: the queue drained */
	pthread_t thread;
	struct vevent *head, *tail;	/* guarded by lock */
	size_t n, capacity;
	bool stop, busy;
	uint64_t dropped_reported;	/* guarded by lock */
	struct logq_stats stats;	/* guarded by lock */
	enum log_target target;
	int fd;
	logq_sink_fn sink;
	void *userdata;
};

int log_target_from_string(const char *s, enum log_target *ret)
{
	if (streq(s, "journal"))
		*ret = LOG_TARGET_JOURNAL;
	else if (streq(s, "json"))
		*ret = LOG_TARGET_JSON;
	else if (streq(s, "stderr") || streq(s, "text"))
		*ret = LOG_TARGET_TEXT;
	else
		return -EINVAL;
	return 0;
}

static int write_line(int fd, struct strbuf *sb)
{
	strbuf_putc(sb, '\n');
	if (strbuf_error(sb) < 0)
		return -ENOMEM;
	return write_all(fd, sb->buf, sb->len);
}

int logq_write_event(enum log_target target, int fd, const struct vevent *e, bool *ret_fallback)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	int r;

	if (ret_fallback)
		*ret_fallback = false;
	switch (target) {
	case LOG_TARGET_JOURNAL:
		/* sd_journal_sendv() returns success without a journal socket
		 * (it drops silently so programs run anywhere): look first. */
		r = access(JOURNAL_SOCKET, F_OK) < 0 ? negative_errno() : vevent_send_journal(e);
		if (r >= 0)
			return 0;
		/* journald gone or refusing: same fields, as a JSON line. */
		if (ret_fallback)
			*ret_fallback = true;
		__attribute__((fallthrough));
	case LOG_TARGET_JSON:
		vevent_to_json(e, &sb);
		return write_line(fd, &sb);
	default:
		vevent_to_text(e, &sb);
		return write_line(fd, &sb);
	}
}

static int default_sink(struct logq *q, const struct vevent *e)
{
	bool fallback;
	int r;

	r = logq_write_event(q->target, q->fd, e, &fallback);
	if (fallback) {
		pthread_mutex_lock(&q->lock);
		q->stats.fallbacks++;
		pthread_mutex_unlock(&q->lock);
	}
	return r;
}

static void write_one(struct logq *q, const struct vevent *e)
{
	int r = q->sink ? q->sink(q->userdata, e) : default_sink(q, e);

	pthread_mutex_lock(&q->lock);
	if (r < 0)
		q->stats.errors++;
	else
		q->stats.written++;
	pthread_mutex_unlock(&q->lock);
}

/* Report drops the producers could not: they never block or allocate for
 * it.  Under memory pressure the report itself may be lost; the count
 * stays in the statistics (state file, vigil status). */
static void report_drops(struct logq *q, uint64_t dropped, uint64_t reported)
{
	struct vevent *e;

	if (dropped <= reported || vevent_new(VEVENT_EVENTS_DROPPED, SEVERITY_HIGH, &e) < 0)
		return;
	vevent_addf(e, "VIGIL_COUNT", "%llu", (unsigned long long)(dropped - reported));
	vevent_addf(e, "VIGIL_DROPPED_TOTAL", "%llu", (unsigned long long)dropped);
	vevent_message(e, "%llu events dropped: the log queue was full (%llu since start)",
		       (unsigned long long)(dropped - reported), (unsigned long long)dropped);
	write_one(q, e);
	vevent_free(e);
}

static void *writer_main(void *arg)
{
	struct logq *q = arg;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct vevent *batch;
		uint64_t dropped, reported;

		while (!q->head && !q->stop && q->stats.dropped == q->dropped_reported)
			pthread_cond_wait(&q->wake, &q->lock);
		if (!q->head && q->stop && q->stats.dropped == q->dropped_reported)
			break;
		batch = q->head;
		q->head = q->tail = NULL;
		q->n = 0;
		q->busy = true;
		dropped = q->stats.dropped;
		reported = q->dropped_reported;
		pthread_mutex_unlock(&q->lock);

		while (batch) {
			struct vevent *next = batch->next;

			write_one(q, batch);
			vevent_free(batch);
			batch = next;
		}
		report_drops(q, dropped, reported);

		pthread_mutex_lock(&q->lock);
		q->dropped_reported = dropped;
		q->busy = false;
		if (!q->head)
			pthread_cond_broadcast(&q->idle);
	}
	q->busy = false;
	pthread_cond_broadcast(&q->idle);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

int logq_new(size_t capacity, enum log_target target, int fd, logq_sink_fn sink, void *userdata,
	     struct logq **ret)
{
	struct logq *q = calloc(1, sizeof(*q));
	int r;

	if (!q)
		return -ENOMEM;
	q->capacity = capacity;
	q->target = target;
	q->fd = fd;
	q->sink = sink;
	q->userdata = userdata;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->idle, NULL);
	r = pthread_create(&q->thread, NULL, writer_main, q);
	if (r != 0) {
		pthread_cond_destroy(&q->idle);
		pthread_cond_destroy(&q->wake);
		pthread_mutex_destroy(&q->lock);
		free(q);
		return -r;
	}
	*ret = q;
	return 0;
}

struct logq *logq_free(struct logq *q)
{
	if (!q)
		return NULL;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	(void)pthread_join(q->thread, NULL);
	while (q->head) {	/* only if the writer died early; it drains otherwise */
		struct vevent *next = q->head->next;

		vevent_free(q->head);
		q->head = next;
	}
	pthread_cond_destroy(&q->idle);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
	return NULL;
}

int logq_push(struct logq *q, struct vevent *e)
{
	int r = 0;

	e->next = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->n >= q->capacity) {
		q->stats.dropped++;
		r = -ENOBUFS;
	} else {
		if (q->tail)
			q->tail->next = e;
		else
			q->head = e;
		q->tail = e;
		q->n++;
		q->stats.pushed++;
		e = NULL;
	}
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	vevent_free(e);
	return r;
}

void logq_flush(struct logq *q)
{
	pthread_mutex_lock(&q->lock);
	while (q->head || q->busy || q->stats.dropped != q->dropped_reported) {
		pthread_cond_signal(&q->wake);
		pthread_cond_wait(&q->idle, &q->lock);
	}
	pthread_mutex_unlock(&q->lock);
}

void logq_get_stats(struct logq *q, struct logq_stats *ret)
{
	pthread_mutex_lock(&q->lock);
	*ret = q->stats;
	pthread_mutex_unlock(&q->lock);
}
