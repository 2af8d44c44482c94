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
 * the copying instead, on the other core: the writer's WAL hook wakes it
 * for every c->pages pages the WAL grows (8192 in pilard), and it runs
 * a PASSIVE checkpoint, which copies what is committed while the writer
 * goes on appending.
 *
 * A checkpoint alone never makes the WAL shorter: the next commit starts
 * it over only if, when its transaction began, every frame had been
 * copied.  A writer that never pauses never lets that happen, and a
 * RESTART checkpoint on the thread, which waits for such a pause, was
 * starved by one (measured: the WAL grew to every commit of the run).
 * So the writer itself, between two of its transactions, runs the
 * RESTART once the WAL is STORE_CKPT_RESTART times c->pages long: from
 * then on the thread is not woken again, and as soon as it is idle the
 * RESTART copies the frames since its last run, and the next commit
 * writes from the start of the file.  It does not wait: if a reader (pilarctl) is in the
 * way, the next commit tries again.
 *
 * Nothing here changes what is durable: a checkpoint only moves pages
 * that are committed already.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

#define STORE_CKPT_RESTART	5	/* start the WAL over past 5 wakes */
#define STORE_CKPT_BUSY_MS	2000	/* RESTART waits for a batch */

struct store_ckpt {
	sqlite3		*db;		/* the thread's own connection */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 wanted;	/* under lock */
	int		 stopping;	/* under lock */
	int		 running;	/* under lock: copying now */
	int		 woken_at;	/* under lock: WAL frames then */
	int		 pages;		/* wake every so many new frames */
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
store_ckpt_start(struct store *st, const char *path, int pages,
    int full_sync, char *err, size_t errsz)
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
	c->pages = pages;
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

void
store_checkpoint_stats(struct store *st, long *runs, long *failures)
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
 * the WAL in frames, which only falls when a commit starts it over.
 * Wake the checkpointer for every c->pages new frames; past
 * STORE_CKPT_RESTART times that, with the thread idle, start the WAL
 * over from here (see the top of the file).
 */
static int
store_ckpt_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store		*st = arg;
	struct store_ckpt	*c = st->ckpt;
	int			 restart = 0;

	pthread_mutex_lock(&c->lock);
	if (pages < c->woken_at)
		c->woken_at = 0;	/* the WAL started over */
	if (pages >= STORE_CKPT_RESTART * c->pages) {
		/* No more wake-ups: the thread's current run is its last. */
		restart = !c->running && !c->wanted;
	} else if (pages - c->woken_at >= c->pages) {
		c->woken_at = pages;
		c->wanted = 1;
		pthread_cond_signal(&c->cond);
	}
	pthread_mutex_unlock(&c->lock);
	if (restart) {
		sqlite3_busy_timeout(db, 0);
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_RESTART, NULL, NULL);
		sqlite3_busy_timeout(db, st->busy_ms);
	}
	return SQLITE_OK;
}

static void *
store_ckpt_main(void *arg)
{
	struct store_ckpt	*c = arg;
	int			 rc;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->wanted && !c->stopping)
			pthread_cond_wait(&c->cond, &c->lock);
		if (c->stopping)
			break;
		c->wanted = 0;
		c->running = 1;
		pthread_mutex_unlock(&c->lock);

		rc = sqlite3_wal_checkpoint_v2(c->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

		pthread_mutex_lock(&c->lock);
		c->running = 0;
		c->runs++;
		/* BUSY: the writer's RESTART held the lock; no matter. */
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			c->failures++;
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}
