/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>

#include "daemon/queue.h"
#include "tap.h"

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static unsigned seen, seen_dropped;
static unsigned long long dropped_count;

static int slow_sink(void *userdata, const struct vevent *e)
{
	(void)userdata;
	pthread_mutex_lock(&gate);	/* the test holds the gate to simulate a stuck journald */
	seen++;
	if (e->cls == VEVENT_EVENTS_DROPPED) {
		seen_dropped++;
		dropped_count += strtoull(vevent_get(e, "VIGIL_COUNT"), NULL, 10);
	}
	pthread_mutex_unlock(&gate);
	return 0;
}

static struct vevent *ev(void)
{
	struct vevent *e = NULL;

	if (vevent_new(VEVENT_FILE_UPDATED, SEVERITY_MEDIUM, &e) < 0)
		abort();
	vevent_add(e, "VIGIL_PATH", "/x");
	return e;
}

static void test_drops(void)
{
	struct logq *q = NULL;
	struct logq_stats st;
	unsigned refused = 0;
	uint64_t t0;

	is_int(logq_new(10, LOG_TARGET_TEXT, -1, slow_sink, NULL, &q), 0, "queue started");
	pthread_mutex_lock(&gate);
	t0 = now_monotonic_usec();
	for (unsigned i = 0; i < 1000; i++)
		refused += logq_push(q, ev()) == -ENOBUFS;
	ok(now_monotonic_usec() - t0 < 1000000, "pushing never blocks on a stuck writer");
	/* At most one full batch in the writer's hands plus a full queue. */
	ok(refused >= 1000 - 2 * 10, "queue is bounded (%u refused)", refused);
	pthread_mutex_unlock(&gate);
	logq_flush(q);
	logq_get_stats(q, &st);
	is_int(st.pushed + st.dropped, 1000, "every push is accounted for");
	is_int(st.dropped, refused, "drops counted");
	ok(seen_dropped >= 1, "drops are reported as an event");
	is_int(dropped_count, refused, "reported drop count matches");
	is_int(seen, st.pushed + seen_dropped, "every queued event was written");
	logq_free(q);
}

static void test_render(void)
{
	struct logq *q = NULL;
	int p[2];
	char buf[4096] = "";
	ssize_t n;

	ok(pipe(p) == 0, "pipe");
	is_int(logq_new(10, LOG_TARGET_JSON, p[1], NULL, NULL, &q), 0, "json queue");
	is_int(logq_push(q, ev()), 0, "push");
	logq_free(q);
	n = read(p[0], buf, sizeof(buf) - 1);
	ok(n > 0 && buf[n - 1] == '\n', "one line written on free");
	ok(strstr(buf, "\"VIGIL_PATH\":\"/x\"") != NULL, "JSON line has the path");

	is_int(logq_new(10, LOG_TARGET_TEXT, p[1], NULL, NULL, &q), 0, "text queue");
	is_int(logq_push(q, ev()), 0, "push");
	logq_flush(q);
	memset(buf, 0, sizeof(buf));
	n = read(p[0], buf, sizeof(buf) - 1);
	is_str(buf, "medium: \n", "text line after flush");
	logq_free(q);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	enum log_target t;

	is_int(log_target_from_string("journal", &t), 0, "journal target");
	is_int(log_target_from_string("nope", &t), -EINVAL, "bad target");
	test_drops();
	test_render();
	return tap_done();
}
