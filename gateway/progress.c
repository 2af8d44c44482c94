/*
 * progress.c: a snapshot of this year's records per companion, read on
 * the HTTP worker thread over the worker's own store connection.
 *
 * The companions are copied first, in one pass (the statement holds a
 * read transaction only that long); then each one's counts are a seek
 * or three in tallies, each its own short read, so the snapshot never
 * keeps the WAL from being checkpointed for long.  Counts of different
 * companions may come from different commits: a page of totals, not an
 * audit (pilarctl report is that).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "grammar.h"
#include "log.h"
#include "progress.h"
#include "store.h"
#include "tz.h"
#include "worker.h"

/*
 * What the worker reads with: settings copied from the configuration
 * on the loop thread (SIGHUP may replace it meanwhile), its store
 * connection, and the result.
 */
struct progress_job {
	struct store		*st;		/* the worker's; NULL: open */
	char			 path[CONFIG_STR_MAX];	/* from here */
	int			 sync;		/* enum store_sync */
	int			 target;
	unsigned		 counted_mask;
	int			 tz_offset;
	char			 tz_name[33];
	char			 language[3];
	struct progress		*out;		/* OUT: From malloc() */
	char			 open_err[256];	/* OUT: why no store */
};

struct progress_cache {
	struct worker		*worker;
	struct progress_job	 job;
	struct progress		*snap;		/* latest */
	uint64_t		 errors;
	void			(*ready)(void *);
	void			*arg;
};

struct progress_fill {
	struct progress	*p;
	size_t		 cap;
	int		 tz_offset;	/* [program] zone */
	int		 oom;
};

static int	progress_each_cb(void *, const struct store_companion *);
static int	progress_count(struct progress_job *, struct progress_row *,
		    int64_t);
static int64_t	progress_now_ms(void);
static void	progress_read(struct progress_job *);
static void	progress_free(struct progress *);
static void	progress_run(void *, void *);
static void	progress_done(void *, void *);

static int64_t
progress_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* store_companion_each() callback: one more row, counts to come. */
static int
progress_each_cb(void *arg, const struct store_companion *c)
{
	struct progress_fill	*f = arg;
	struct progress_row	*r;
	size_t			 cap;

	if (f->p->n_rows == f->cap) {
		cap = f->cap ? f->cap * 2 : 256;
		if ((r = reallocarray(f->p->rows, cap, sizeof(*r))) == NULL) {
			f->oom = 1;
			return 1;
		}
		f->p->rows = r;
		f->cap = cap;
	}
	r = &f->p->rows[f->p->n_rows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", c->id);
	snprintf(r->name, sizeof(r->name), "%s", c->name);
	snprintf(r->region, sizeof(r->region), "%s", c->region);
	r->active = c->active;
	/* A zone tz.h does not know: [program] timezone, as the daemon. */
	if (tz_offset(c->timezone, &r->tz_offset) == -1)
		r->tz_offset = f->tz_offset;
	return 0;
}

/* One companion's counts for the target year in its own zone. */
static int
progress_count(struct progress_job *job, struct progress_row *r,
    int64_t now)
{
	int	c;

	r->year = tz_year(now, r->tz_offset);
	if (store_record_counts(job->st, r->id, r->year,
	    1u << GRAMMAR_CAT_SM, &r->grad[GRAMMAR_CAT_SM], &r->visits) !=
	    STORE_OK ||
	    store_record_count(job->st, r->id, STORE_KIND_GRAD, r->year,
	    1u << GRAMMAR_CAT_AL, &r->grad[GRAMMAR_CAT_AL]) != STORE_OK ||
	    store_record_count(job->st, r->id, STORE_KIND_GRAD, r->year,
	    1u << GRAMMAR_CAT_PK, &r->grad[GRAMMAR_CAT_PK]) != STORE_OK)
		return -1;
	r->counted = 0;
	for (c = GRAMMAR_CAT_SM; c <= GRAMMAR_CAT_PK; c++)
		if (job->counted_mask & (1u << c))
			r->counted += r->grad[c];
	return 0;
}

/*
 * On the worker: a new snapshot into job->out, always set (NULL only
 * when out of memory); ok = 0 and err tell a store error.
 */
static void
progress_read(struct progress_job *job)
{
	struct progress_fill	 f;
	struct progress		*p;
	int64_t			 start = progress_now_ms();
	size_t			 i;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		job->out = NULL;
		return;
	}
	job->out = p;
	p->target = job->target;
	p->counted_mask = job->counted_mask;
	p->tz_offset = job->tz_offset;
	snprintf(p->tz_name, sizeof(p->tz_name), "%s", job->tz_name);
	snprintf(p->language, sizeof(p->language), "%s", job->language);
	p->taken_at = (int64_t)time(NULL);

	memset(&f, 0, sizeof(f));
	f.p = p;
	f.tz_offset = job->tz_offset;
	if (store_companion_each(job->st, progress_each_cb, &f) !=
	    STORE_OK || f.oom) {
		snprintf(p->err, sizeof(p->err), "%s", f.oom ?
		    "out of memory" : store_errmsg(job->st));
		goto done;
	}
	for (i = 0; i < p->n_rows; i++) {
		if (progress_count(job, &p->rows[i], p->taken_at) == -1) {
			snprintf(p->err, sizeof(p->err), "%s",
			    store_errmsg(job->st));
			goto done;
		}
		if (p->rows[i].active)
			p->n_active++;
	}
	if (store_mt_count(job->st, STORE_MT_PENDING, &p->outbox_pending) !=
	    STORE_OK) {
		snprintf(p->err, sizeof(p->err), "%s", store_errmsg(job->st));
		goto done;
	}
	p->ok = 1;
done:
	p->taken_ms = progress_now_ms();
	p->took_ms = (int)(p->taken_ms - start);
}

static void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	free(p->rows);
	free(p);
}

struct progress_cache *
progress_cache_new(struct event_base *base, void (*ready)(void *),
    void *arg)
{
	struct progress_cache	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("progress_cache_new");
	c->ready = ready;
	c->arg = arg;
	c->worker = worker_new(base, progress_run, progress_done, c);
	return c;
}

void
progress_cache_free(struct progress_cache *c)
{
	if (c == NULL)
		return;
	worker_free(c->worker);
	if (c->job.st != NULL)
		store_close(c->job.st);
	progress_free(c->snap);
	free(c);
}

void
progress_cache_refresh(struct progress_cache *c, const struct config *cfg)
{
	struct progress_job	*job = &c->job;

	if (worker_busy(c->worker))
		return;
	snprintf(job->path, sizeof(job->path), "%s", cfg->store_path);
	job->sync = cfg->store_sync;
	job->target = cfg->program_yearly_target;
	job->counted_mask = cfg->program_counted;
	job->tz_offset = cfg->program_tz_offset;
	snprintf(job->tz_name, sizeof(job->tz_name), "%s",
	    cfg->program_timezone);
	snprintf(job->language, sizeof(job->language), "%s",
	    cfg->program_language);
	job->out = NULL;
	job->open_err[0] = '\0';
	worker_submit(c->worker, job);
}

const struct progress *
progress_cache_get(const struct progress_cache *c)
{
	return c->snap;
}

int
progress_cache_fresh(const struct progress_cache *c, int ttl_ms)
{
	return c->snap != NULL && c->snap->ok && !c->snap->stale &&
	    progress_now_ms() - c->snap->taken_ms < ttl_ms;
}

uint64_t
progress_cache_errors(const struct progress_cache *c)
{
	return c->errors;
}

/*
 * On the worker: open the connection the first time (store_open takes
 * the write lock a moment to check the schema, which may wait for a
 * batch's commit: better here than on the loop), then read.
 */
static void
progress_run(void *arg, void *unused)
{
	struct progress_job	*job = arg;
	struct store_options	 opt;

	(void)unused;
	if (job->st == NULL) {
		if (strcmp(job->path, ":memory:") == 0) {
			snprintf(job->open_err, sizeof(job->open_err),
			    "an in-memory store has no second connection");
			return;
		}
		memset(&opt, 0, sizeof(opt));
		opt.sync = (enum store_sync)job->sync;
		opt.busy_timeout_ms = 5000;
		opt.no_upgrade = 1;	/* a reader; pilard upgraded */
		if (store_open(job->path, &opt, &job->st, job->open_err,
		    sizeof(job->open_err)) != STORE_OK) {
			job->st = NULL;
			return;
		}
	}
	progress_read(job);
}

/*
 * On the loop: keep the new snapshot, or the old one marked stale when
 * the read failed (old figures beat none), and tell the owner.
 */
static void
progress_done(void *arg, void *cp)
{
	struct progress_job	*job = arg;
	struct progress_cache	*c = cp;

	if (job->out == NULL || !job->out->ok) {
		c->errors++;
		log_error("progress_read_failed err=\"%s\"",
		    job->out != NULL ? job->out->err : job->open_err[0] ?
		    job->open_err : "out of memory");
	}
	if (job->out != NULL && (job->out->ok || c->snap == NULL)) {
		progress_free(c->snap);
		c->snap = job->out;
	} else {
		progress_free(job->out);
		if (c->snap != NULL)
			c->snap->stale = 1;
	}
	job->out = NULL;
	c->ready(c->arg);
}
