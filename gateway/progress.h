/*
 * progress.h: each companion's records of this year, read from the
 * store for the coordinators' page (/progress) and for /metrics.
 *
 * A snapshot is read on a thread of this module over a store connection
 * of its own (never pilard's, which belongs to the batch worker): one
 * pass over the companions and a few seeks in tallies for each.  The
 * loop thread then reads it as it likes, until the next one replaces
 * it (struct progress_cache).  progress_page() draws the page from
 * a snapshot: plain HTML with inline SVG bars, no script, no external
 * asset, every stored string escaped.
 */
#ifndef PILAR_PROGRESS_H
#define PILAR_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define PROGRESS_QUERY_MAX	STORE_NAME_MAX	/* q= and region= */
#define PROGRESS_PAGE_ROWS	200

struct evbuffer;
struct store;

struct progress_row {
	char	id[STORE_ID_MAX + 1];
	char	name[STORE_NAME_MAX + 1];
	char	region[STORE_REGION_MAX + 1];	/* "" when none */
	int	active;
	int	tz_offset;	/* the companion's zone, s */
	int	year;		/* target year in that zone */
	int	counted;	/* graduations of the counted categories */
	int	grad[3];	/* by enum grammar_category: SM, AL, PK */
	int	visits;
};

struct progress {
	struct progress_row	*rows;		/* From malloc(), by id */
	size_t			 n_rows;
	size_t			 n_active;
	int			 target;	/* [program] yearly_target */
	unsigned		 counted_mask;	/* [program] categories */
	int			 tz_offset;	/* [program] zone, s */
	char			 tz_name[33];
	char			 language[3];	/* "id" or "en" */
	int64_t			 taken_at;	/* s, wall clock */
	int64_t			 taken_ms;	/* monotonic ms */
	int			 took_ms;	/* reading the store */
	int			 outbox_pending;	/* MTs waiting */
	int			 ok;		/* 0: err says why */
	int			 stale;		/* a later read failed */
	char			 err[256];
};

enum progress_sort {
	PROGRESS_SORT_ID = 0,
	PROGRESS_SORT_LEAST,		/* fewest graduations first */
	PROGRESS_SORT_MOST
};

/* What /progress was asked for, already decoded. */
struct progress_query {
	char			region[PROGRESS_QUERY_MAX + 1];	/* "" all */
	char			q[PROGRESS_QUERY_MAX + 1];	/* "" all */
	enum progress_sort	sort;
	int			page;		/* from 1 */
	const char		*token;		/* to carry in links, or NULL */
};

struct config;
struct event_base;
struct progress_cache;

/*
 * The latest snapshot and the thread that reads the next.  ready(arg)
 * is called on the loop thread each time a read ends, well or not.
 */
struct progress_cache *progress_cache_new(struct event_base *,
		    void (*ready)(void *), void *arg);
/* Wait for a read in hand (ready is called), stop the thread, free. */
void		 progress_cache_free(struct progress_cache *);
/*
 * Start a read with cfg's store path and [program] settings, unless one
 * is under way.  The worker opens its own store connection the first
 * time: never pilard's, which belongs to the batch worker.
 */
void		 progress_cache_refresh(struct progress_cache *,
		    const struct config *);
/* The latest snapshot, NULL before the first read ended. */
const struct progress *progress_cache_get(const struct progress_cache *);
/* Whether it is younger than ttl_ms and the last read went well. */
int		 progress_cache_fresh(const struct progress_cache *,
		    int ttl_ms);
/* Reads that failed so far. */
uint64_t	 progress_cache_errors(const struct progress_cache *);

/*
 * Set one parameter of the page from the query string; -1 when the key
 * is unknown or the value is not acceptable (err says which).
 */
int	progress_query_set(struct progress_query *, const char *key,
	    const char *value, char *err, size_t errsz);
/* Append the whole page for q to buf. */
void	progress_page(struct evbuffer *, const struct progress *,
	    const struct progress_query *);

#endif
