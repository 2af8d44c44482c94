/*
 * store_checkpoint.c: WAL checkpoints on a thread of their own.
 *
 * In WAL mode every commit appends pages to the -wal file, and a
 * checkpoint copies them back into the database file.  SQLite does that
 * in the committing connection once the WAL passes a size: for pilard
 * that is the store worker, the one thread every MO waits for, and the
 * copy (with its fsync) was a quarter of the worker's time per MO in a
 * run of 100,000 MO, and a 200 ms stall of every reply in flight.
 *
 * With background checkpoints, a thread with its own connection does
 * them instead, on the other core.  The writer's WAL hook only wakes it
 * when the WAL has grown past STORE_CKPT_PAGES.  The thread first runs a
 * PASSIVE checkpoint, which copies what is committed without holding up
 * the writer (it appends meanwhile), then a RESTART one, which blocks
 * the writer only while it copies the little appended since and makes
 * the next commit write from the start of the file again: without it,
 * a writer that never pauses would grow the WAL forever.  Should the
 * thread fall behind anyway (a long reader pins the WAL), the writer
 * checkpoints itself past STORE_CKPT_PAGES_MAX pages, as SQLite would.
 *
 * Nothing here changes what is durable: a checkpoint only moves pages
 * that are committed already.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

#define STORE_CKPT_PAGES	8192	/* 32 MiB of WAL wakes the thread */
#define STORE_CKPT_PAGES_MAX	40000	/* 160 MiB: start the WAL over */
#define STORE_CKPT_BUSY_MS	2000	/* RESTART waits for a batch */

struct store_ckpt {
	sqlite3		*db;		/* the thread's own connection */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 wanted;	/* under lock */
	int		 stopping;	/* under lock */
	int		 restart;	/* under lock: start the WAL over */
	int		 woken_at;	/* under lock: WAL frames then */
	/* Written by the thread, read by anyone under lock. */
	long		 runs;
	long		 failures;
};

static void	*store_ckpt_main(void *);
static int	 store_ckpt_hook(void *, sqlite3 *, const char *, int);

/*
 * Start the checkpoint thread for st, whose database is at path: its
 * own connection, and the WAL hook on st's that wakes it.  SQLite's own
 * automatic checkpoints stop, as the hook replaces them.
 */
int
store_ckpt_start(struct store *st, const char *path, int full_sync,
    char *err, size_t errsz)
{
	struct store_ckpt	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errsz, "checkpointer: out of memory");
		return STORE_ERROR;
	}
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "checkpointer: %s: %s", path,
		    c->db == NULL ? "out of memory" : sqlite3_errmsg(c->db));
		sqlite3_close(c->db);
		free(c);
		return STORE_ERROR;
	}
	sqlite3_busy_timeout(c->db, STORE_CKPT_BUSY_MS);
	/* The fsync of the copied pages follows the writer's setting. */
	if (sqlite3_exec(c->db, full_sync ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(c->db, "PRAGMA cache_size = 16", NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(err, errsz, "checkpointer: %s",
		    sqlite3_errmsg(c->db));
		sqlite3_close(c->db);
		free(c);
		return STORE_ERROR;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	if (pthread_create(&c->thread, NULL, store_ckpt_main, c) != 0) {
		snprintf(err, errsz, "checkpointer: cannot start a thread");
		pthread_cond_destroy(&c->cond);
		pthread_mutex_destroy(&c->lock);
		sqlite3_close(c->db);
		free(c);
		return STORE_ERROR;
	}
	st->ckpt = c;
	sqlite3_wal_hook(st->db, store_ckpt_hook, st);
	return STORE_OK;
}

/*
 * Stop the thread and close its connection.  A checkpoint under way
 * finishes first; what is left in the WAL is checkpointed when the
 * writer's connection closes.
 */
void
store_ckpt_stop(struct store *st)
{
	struct store_ckpt	*c = st->ckpt;

	if (c == NULL)
		return;
	sqlite3_wal_hook(st->db, NULL, NULL);
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	sqlite3_close(c->db);
	free(c);
	st->ckpt = NULL;
}

/* How many checkpoints the thread ran, and how many of them failed. */
void
store_ckpt_stats(struct store *st, long *runs, long *failures)
{
	struct store_ckpt	*c = st->ckpt;

	*runs = *failures = 0;
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	*runs = c->runs;
	*failures = c->failures;
	pthread_mutex_unlock(&c->lock);
}

/*
 * After each commit of the writer, on its thread: pages is the size of
 * the WAL in frames, which only falls when a commit starts the file over.
 * Wake the checkpointer for every STORE_CKPT_PAGES new frames, asking for
 * a restart too past STORE_CKPT_PAGES_MAX; if it is that far behind,
 * checkpoint here.
 */
static int
store_ckpt_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store		*st = arg;
	struct store_ckpt	*c = st->ckpt;

	if (pages >= 2 * STORE_CKPT_PAGES_MAX) {
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		return SQLITE_OK;
	}
	pthread_mutex_lock(&c->lock);
	if (pages < c->woken_at)
		c->woken_at = 0;	/* the WAL started over */
	if (pages - c->woken_at >= STORE_CKPT_PAGES) {
		c->woken_at = pages;
		c->wanted = 1;
		if (pages >= STORE_CKPT_PAGES_MAX)
			c->restart = 1;
		pthread_cond_signal(&c->cond);
	}
	pthread_mutex_unlock(&c->lock);
	return SQLITE_OK;
}

static void *
store_ckpt_main(void *arg)
{
	struct store_ckpt	*c = arg;
	int			 rc, restart;

	for (;;) {
		pthread_mutex_lock(&c->lock);
		while (!c->wanted && !c->stopping)
			pthread_cond_wait(&c->cond, &c->lock);
		c->wanted = 0;
		restart = c->restart;
		c->restart = 0;
		if (c->stopping) {
			pthread_mutex_unlock(&c->lock);
			break;
		}
		pthread_mutex_unlock(&c->lock);

		rc = sqlite3_wal_checkpoint_v2(c->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		if (rc == SQLITE_OK && restart)
			rc = sqlite3_wal_checkpoint_v2(c->db, NULL,
			    SQLITE_CHECKPOINT_RESTART, NULL, NULL);
		pthread_mutex_lock(&c->lock);
		c->runs++;
		/* BUSY: the writer held on; the next wake-up tries again. */
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			c->failures++;
		pthread_mutex_unlock(&c->lock);
	}
	return NULL;
}
