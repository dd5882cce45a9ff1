/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "log.h"
#include "rescan.h"
#include "strbuf.h"

struct rescan_job {
	struct selection sel;		/* the job's own copy */
	const struct rootfs *root;
	unsigned threads;
	/* Written by rescan_job_main(), read after the worker is joined. */
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

void rescan_job_main(void *arg, const atomic_bool *cancel)
{
	struct rescan_job *j = arg;
	struct scan_options so = {
		.root = j->root, .threads = j->threads, .problem = job_problem, .userdata = j, .cancel = cancel,
	};

	j->r = scan_run(&j->sel, &so, &j->res, &j->d);
}

static void job_free(struct rescan_job *j)
{
	selection_free(&j->sel);
	free(j);
}

int rescan_job_new(const struct selection *sel, const struct rootfs *root, unsigned threads,
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
	*ret = j;
	return 0;
}

int rescan_job_finish(struct rescan_job *j, struct scan_result *ret, struct diag *d)
{
	int r = j->r;

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
