/*
 * sendlog.c: which MTs were handed to the SMSC, remembered across a
 * crash.
 *
 * An MT is marked sent in the store only when its submit_sm_resp has
 * come back and the batch has committed.  If pilard dies in between (or
 * before the response), the row is still pending, and the next pilard
 * would send the reply again: the SMSC may well have taken the first.
 * So before a submit_sm goes out, its MT's id is appended to this file
 * (one write() per pass of the pump, before the socket is written), and
 * at start every id found here whose row is still pending is marked
 * unknown instead of being sent a second time.
 *
 * The file is never fsync'ed: a process crash (kill -9, an abort) keeps
 * what was written in the kernel; a power cut may lose the last entries
 * and double their replies.  Two files take turns so that the log does
 * not grow without end: when the current one passes SENDLOG_MAX bytes
 * and every MT in flight was written to it, the other is emptied and
 * becomes the current one.  An id thus stays on file for at least
 * SENDLOG_MAX / 8 submits after its own, far longer than its fate takes
 * to be committed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sendlog.h"

#define SENDLOG_MAX	(4 * 1024 * 1024)	/* bytes per file */
#define SENDLOG_BUF	512			/* ids per write() */

struct sendlog {
	char		 path[2][1024];
	int		 fd;
	int		 cur;		/* which of path[] fd is */
	off_t		 size;		/* of the current file */
	int64_t		 started_ms;	/* when it became current */
	int64_t		 buf[SENDLOG_BUF];
	int		 n;
};

static int	sendlog_open_file(struct sendlog *, int, int, char *, size_t);

/*
 * Open (creating, mode 0600) file i of the pair, emptied when truncate
 * is set, as the current file.
 */
static int
sendlog_open_file(struct sendlog *sl, int i, int truncate, char *err,
    size_t errsz)
{
	struct stat	sb;
	int		fd;

	fd = open(sl->path[i], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	    (truncate ? O_TRUNC : 0), 0600);
	if (fd == -1 || fstat(fd, &sb) == -1) {
		snprintf(err, errsz, "%s: %s", sl->path[i], strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (sl->fd != -1)
		close(sl->fd);
	sl->fd = fd;
	sl->cur = i;
	sl->size = sb.st_size;
	return 0;
}

/*
 * The pair of files base.1 and base.2; read what they hold with
 * sendlog_recover() first, then open with sendlog_open().
 */
struct sendlog *
sendlog_open(const char *base, int64_t now_ms, char *err, size_t errsz)
{
	struct sendlog	*sl;

	if ((sl = calloc(1, sizeof(*sl))) == NULL) {
		snprintf(err, errsz, "sendlog: out of memory");
		return NULL;
	}
	sl->fd = -1;
	if ((size_t)snprintf(sl->path[0], sizeof(sl->path[0]), "%s.1", base)
	    >= sizeof(sl->path[0]) ||
	    (size_t)snprintf(sl->path[1], sizeof(sl->path[1]), "%s.2", base)
	    >= sizeof(sl->path[1])) {
		snprintf(err, errsz, "sendlog: path too long");
		free(sl);
		return NULL;
	}
	/* What was there has been recovered: both start empty. */
	if (sendlog_open_file(sl, 1, 1, err, errsz) == -1 ||
	    sendlog_open_file(sl, 0, 1, err, errsz) == -1) {
		sendlog_close(sl);
		return NULL;
	}
	sl->started_ms = now_ms;
	return sl;
}

void
sendlog_close(struct sendlog *sl)
{
	if (sl == NULL)
		return;
	if (sl->fd != -1)
		close(sl->fd);
	free(sl);
}

/* Remember id until the next sendlog_flush(); flushes when full. */
int
sendlog_add(struct sendlog *sl, int64_t id)
{
	if (sl->n == SENDLOG_BUF && sendlog_flush(sl) == -1)
		return -1;
	sl->buf[sl->n++] = id;
	return 0;
}

/*
 * Write what was added, before the submits go to the socket.  -1 with
 * errno on a failed or short write (the caller logs it; the submits go
 * out anyway: a reply at risk of being doubled after a crash is better
 * than none).
 */
int
sendlog_flush(struct sendlog *sl)
{
	size_t	len = (size_t)sl->n * sizeof(sl->buf[0]);
	ssize_t	w;

	if (sl->n == 0)
		return 0;
	sl->n = 0;
	w = write(sl->fd, sl->buf, len);
	if (w > 0)
		sl->size += w;
	if (w != (ssize_t)len) {
		if (w >= 0)
			errno = ENOSPC;
		return -1;
	}
	return 0;
}

/*
 * Take turns when the current file is full and nothing in flight was
 * submitted before it became current (oldest_inflight_ms, or now_ms when
 * nothing is in flight).  Returns 1 when it switched, -1 on error.
 */
int
sendlog_rotate(struct sendlog *sl, int64_t now_ms, int64_t oldest_inflight_ms,
    char *err, size_t errsz)
{
	if (sl->size < SENDLOG_MAX || oldest_inflight_ms < sl->started_ms)
		return 0;
	if (sendlog_flush(sl) == -1) {
		snprintf(err, errsz, "%s: %s", sl->path[sl->cur],
		    strerror(errno));
		return -1;
	}
	if (sendlog_open_file(sl, !sl->cur, 1, err, errsz) == -1)
		return -1;
	sl->started_ms = now_ms;
	return 1;
}

/*
 * At start, before sendlog_open(): call cb with every id in either
 * file (an id may come more than once).  A missing file holds nothing;
 * a torn last entry is ignored.  Returns the number of ids, or -1.
 */
long
sendlog_recover(const char *base, int (*cb)(void *, int64_t), void *arg,
    char *err, size_t errsz)
{
	char	 path[1040];
	int64_t	 buf[SENDLOG_BUF];
	ssize_t	 r;
	long	 n = 0;
	int	 fd, i, k;

	for (i = 1; i <= 2; i++) {
		snprintf(path, sizeof(path), "%s.%d", base, i);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			if (errno == ENOENT)
				continue;
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			return -1;
		}
		while ((r = read(fd, buf, sizeof(buf))) > 0) {
			for (k = 0; k < (int)(r / (ssize_t)sizeof(buf[0]));
			    k++, n++)
				if (cb(arg, buf[k]) == -1) {
					close(fd);
					snprintf(err, errsz, "%s: stopped at "
					    "id %lld", path, (long long)buf[k]);
					return -1;
				}
			/* A short read mid-file only at a torn end. */
		}
		if (r == -1) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	return n;
}
