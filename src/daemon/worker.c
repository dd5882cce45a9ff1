/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "log.h"
#include "util.h"
#include "worker.h"

struct worker {
	pthread_t thread;
	int efd;
	atomic_bool cancel;
	worker_fn fn;
	void *arg;
};

static void *worker_main(void *p)
{
	struct worker *w = p;
	uint64_t one = 1;

	w->fn(w->arg, &w->cancel);
	/* An eventfd counter cannot overflow from one write: this never fails. */
	if (write(w->efd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		log_error("worker: cannot signal completion");
	return NULL;
}

int worker_start(worker_fn fn, void *arg, struct worker **ret)
{
	struct worker *w;
	sigset_t all, old;
	int r;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fn = fn;
	w->arg = arg;
	atomic_init(&w->cancel, false);
	w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->efd < 0) {
		r = negative_errno();
		free(w);
		return r;
	}
	/* Signals belong to the event loop's signalfd: the thread starts
	 * with every signal blocked, whatever the caller's mask is. */
	sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&w->thread, NULL, worker_main, w);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		safe_close(w->efd);
		free(w);
		return -r;
	}
	*ret = w;
	return 0;
}

int worker_fd(const struct worker *w)
{
	return w->efd;
}

void worker_cancel(struct worker *w)
{
	atomic_store(&w->cancel, true);
}

struct worker *worker_join(struct worker *w)
{
	if (!w)
		return NULL;
	(void)pthread_join(w->thread, NULL);
	safe_close(w->efd);
	free(w);
	return NULL;
}
