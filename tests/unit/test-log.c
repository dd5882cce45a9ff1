/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.c: one escaped line per call, and never blocked by a full socket. */
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "tap.h"

static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t k;

	while (n + 1 < size && (k = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = '\0';
	return (ssize_t)n;
}

int main(void)
{
	char path[] = "/tmp/vigil-log-XXXXXX", buf[8192];
	int saved = dup(STDERR_FILENO), fd, sv[2];
	struct timespec t0, t1;
	size_t filled = 0;

	log_set_program("test");
	fd = mkstemp(path);
	ok(fd >= 0 && saved >= 0, "temporary file");
	(void)unlink(path);
	dup2(fd, STDERR_FILENO);
	is_int(log_warning_errno(-ENOENT, "%s: gone: %m", "/etc/evil\nvigild: forged\x1b[2J"), -ENOENT,
	       "log_warning_errno returns its error");
	log_info("%s", "a\\x0a b\xc2\x9b c\xe2\x80\xae d \xc3\xa9");
	log_error("plain");
	dup2(saved, STDERR_FILENO);
	(void)lseek(fd, 0, SEEK_SET);
	read_all(fd, buf, sizeof(buf));
	is_str(buf,
	       "test: warning: /etc/evil\\x0avigild: forged\\x1b[2J: gone: No such file or directory\n"
	       "test: a\\\\x0a b\\xc2\\x9b c\\xe2\\x80\\xae d \xc3\xa9\n"
	       "test: error: plain\n",
	       "escaped like events (controls, backslash, C1, bidi; UTF-8 kept), one line per call");
	close(fd);

	/* A stream socket nobody reads, full: logging must not wait. */
	ok(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	memset(buf, 'x', sizeof(buf));
	for (;;) {
		ssize_t k = send(sv[0], buf, sizeof(buf), MSG_DONTWAIT);

		if (k < 0)
			break;
		filled += (size_t)k;
	}
	ok(filled > 0 && errno == EAGAIN, "socket buffer full (%zu bytes)", filled);
	dup2(sv[0], STDERR_FILENO);
	alarm(10);	/* a blocked write ends the test as a failure, not a hang */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 100; i++)
		log_error("line %d that journald cannot take", i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	dup2(saved, STDERR_FILENO);
	ok((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1000,
	   "100 lines to a full socket return at once (dropped)");
	close(sv[0]);
	close(sv[1]);
	close(saved);
	return tap_done();
}
