/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>

#include "log.h"
#include "rescan.h"
#include "strbuf.h"

struct rescan_job {
	pthread_t thread;
	int efd;
	struct selection sel;		/* the job's own copy */
	const struct rootfs *root;
	unsigned threads;
	/* Written by the worker before it signals efd, read after the join. */
	struct scan_result res;
	struct diag d;
	int r;
};

static void job_problem(void *userdata, const char *path, int err, const char *what)
{
	(void)userdata;
	/* log.h writes one line to stderr with a single call: thread-safe. */
	log_debug_errno(err, "rescan: %s: %s: %m", path, what);
}

static void *job_main(void *arg)
{
	struct rescan_job *j = arg;
	struct scan_options so = {
		.root = j->root, .threads = j->threads, .problem = job_problem, .userdata = j,
	};
	uint64_t one = 1;

	j->r = scan_run(&j->sel, &so, &j->res, &j->d);
	if (write(j->efd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		log_error("rescan: cannot signal completion");	/* eventfd cannot fail like that */
	return NULL;
}

static void job_free(struct rescan_job *j)
{
	selection_free(&j->sel);
	safe_close(j->efd);
	free(j);
}

int rescan_job_start(const struct selection *sel, const struct rootfs *root, unsigned threads,
		     struct rescan_job **ret)
{
	_cleanup_strbuf_ struct strbuf ser = STRBUF_INIT;
	struct rescan_job *j;
	int r;

	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->root = root;
	j->threads = threads;
	j->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (j->efd < 0) {
		r = negative_errno();
		free(j);
		return r;
	}
	/* A deep copy through the stable serialisation (selection.h). */
	r = selection_serialize(sel, &ser);
	if (r >= 0)
		r = strbuf_error(&ser);
	if (r >= 0)
		r = selection_deserialize(ser.buf, ser.len, &j->sel);
	if (r < 0) {
		job_free(j);
		return r;
	}
	r = pthread_create(&j->thread, NULL, job_main, j);
	if (r != 0) {
		job_free(j);
		return -r;
	}
	*ret = j;
	return 0;
}

int rescan_job_fd(const struct rescan_job *j)
{
	return j->efd;
}

int rescan_job_finish(struct rescan_job *j, struct scan_result *ret, struct diag *d)
{
	int r;

	(void)pthread_join(j->thread, NULL);
	r = j->r;
	if (r >= 0)
		*ret = j->res;
	else {
		scan_result_free(&j->res);
		if (d)
			*d = j->d;
	}
	job_free(j);
	return r;
}
