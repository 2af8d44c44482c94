/*
 * store_recent.c: the MOs of the redelivery window, in memory.
 *
 * Every MO asks "did this sender send this very text in the last ten
 * minutes?" (store_mo_find_recent).  An index on mo (sender, text) made
 * that one seek, but it also cost an index entry per MO in a random
 * place of the file, so every commit wrote a page of it per MO.  The
 * answer is kept here instead, for the connection that inserts the MOs
 * (pilard's store worker): a FIFO of (fingerprint of sender and text,
 * id, time) in arrival order, chained into hash buckets.
 *
 * The memory only ever points at candidates: a match is read back from
 * the table by id and compared in full, so a fingerprint collision, an
 * MO rolled back after it was remembered, or one erased since, is no
 * answer.  What other connections insert is read when PRAGMA
 * data_version says they committed (store_recent_stale); the first use
 * reads the window from the table.  At most STORE_RECENT_MAX MOs are
 * remembered (8 MiB): past that, the oldest are forgotten early, and a
 * redelivery of one of those is taken for a new MO (still not counted
 * twice: records have natural keys).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

#define STORE_RECENT_MIN	4096
#define STORE_RECENT_MAX	(1 << 18)
#define STORE_RECENT_SLACK	60	/* s: clocks step back a little */

struct store_recent_ent {
	uint64_t	fp;
	int64_t		id;
	int64_t		at;
	int32_t		next;		/* older entry of the bucket, or -1 */
};

struct store_recent {
	struct store_recent_ent	*ring;
	int32_t			*bucket;	/* newest entry, or -1 */
	uint32_t		 cap;		/* ring and buckets, 2^k */
	uint32_t		 head;		/* oldest entry */
	uint32_t		 n;
	int64_t			 max_id;	/* highest id seen */
	int			 loaded;
	int			 stale;		/* others inserted */
	long			 forgotten;	/* dropped before their time */
};

static const char *store_col_str(sqlite3_stmt *, int);
static uint64_t	store_recent_fp(const char *, const char *);
static int	store_recent_grow(struct store_recent *);
static void	store_recent_push(struct store_recent *, uint64_t, int64_t,
		    int64_t);
static void	store_recent_pop(struct store_recent *);
static int	store_recent_load(struct store *, int64_t);
static int	store_recent_catch_up(struct store *);

/* Column col as a string, "" for NULL. */
static const char *
store_col_str(sqlite3_stmt *s, int col)
{
	const char	*v = (const char *)sqlite3_column_text(s, col);

	return v != NULL ? v : "";
}

/* FNV-1a over sender, a NUL, and text. */
static uint64_t
store_recent_fp(const char *sender, const char *text)
{
	uint64_t	h = 14695981039346656037ull;
	const char	*p;

	for (p = sender; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h *= 1099511628211ull;
	for (p = text; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

/* Double the ring (entries keep their order) and rebuild the chains. */
static int
store_recent_grow(struct store_recent *r)
{
	struct store_recent_ent	*ring;
	int32_t			*bucket;
	uint32_t		 cap, i, b;

	cap = r->cap ? r->cap * 2 : STORE_RECENT_MIN;
	if ((ring = calloc(cap, sizeof(*ring))) == NULL ||
	    (bucket = malloc(cap * sizeof(*bucket))) == NULL) {
		free(ring);
		return -1;
	}
	for (i = 0; i < cap; i++)
		bucket[i] = -1;
	/* Oldest first, so that each chain ends up newest first. */
	for (i = 0; i < r->n; i++) {
		ring[i] = r->ring[(r->head + i) & (r->cap - 1)];
		b = (uint32_t)(ring[i].fp & (cap - 1));
		ring[i].next = bucket[b];
		bucket[b] = (int32_t)i;
	}
	free(r->ring);
	free(r->bucket);
	r->ring = ring;
	r->bucket = bucket;
	r->cap = cap;
	r->head = 0;
	return 0;
}

/* Remember an MO; when full and at the maximum, forget the oldest. */
static void
store_recent_push(struct store_recent *r, uint64_t fp, int64_t id,
    int64_t at)
{
	struct store_recent_ent	*e;
	uint32_t		 pos, b;

	if (r->n == r->cap && (r->cap >= STORE_RECENT_MAX ||
	    store_recent_grow(r) == -1)) {
		if (r->n == 0)
			return;		/* no memory at all: remember none */
		store_recent_pop(r);
		r->forgotten++;
	}
	pos = (r->head + r->n) & (r->cap - 1);
	b = (uint32_t)(fp & (r->cap - 1));
	e = &r->ring[pos];
	e->fp = fp;
	e->id = id;
	e->at = at;
	e->next = r->bucket[b];
	r->bucket[b] = (int32_t)pos;
	r->n++;
	if (id > r->max_id)
		r->max_id = id;
}

/* Forget the oldest entry: the last of its bucket's chain. */
static void
store_recent_pop(struct store_recent *r)
{
	uint32_t	pos = r->head;
	int32_t		*link;

	link = &r->bucket[r->ring[pos].fp & (r->cap - 1)];
	while (*link != -1 && *link != (int32_t)pos)
		link = &r->ring[*link].next;
	if (*link == (int32_t)pos)
		*link = r->ring[pos].next;
	r->head = (r->head + 1) & (r->cap - 1);
	r->n--;
}

/*
 * First use: read the MOs received since (less some slack), newest
 * first by id until one is older, and remember them oldest first.
 */
static int
store_recent_load(struct store *st, int64_t since)
{
	struct store_recent	*r = st->recent;
	sqlite3_stmt		*s = st->stmt[STMT_MO_SCAN_DESC];
	struct store_recent_ent	*tmp = NULL, *t;
	size_t			 n = 0, cap = 0;
	int			 rc;

	while ((rc = store_step(st, s, "mo scan")) == SQLITE_ROW) {
		if (sqlite3_column_int64(s, 3) < since - STORE_RECENT_SLACK ||
		    n == STORE_RECENT_MAX)
			break;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((t = reallocarray(tmp, cap, sizeof(*t))) == NULL) {
				store_done(st, s);
				free(tmp);
				store_fail(st, "mo scan: out of memory");
				return STORE_ERROR;
			}
			tmp = t;
		}
		tmp[n].id = sqlite3_column_int64(s, 0);
		tmp[n].fp = store_recent_fp(
		    store_col_str(s, 1),
		    store_col_str(s, 2));
		tmp[n].at = sqlite3_column_int64(s, 3);
		n++;
	}
	store_done(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(tmp);
		return STORE_ERROR;
	}
	while (n > 0) {
		n--;
		store_recent_push(r, tmp[n].fp, tmp[n].id, tmp[n].at);
	}
	free(tmp);
	r->loaded = 1;
	return STORE_OK;
}

/* Another connection committed: remember the MOs it may have added. */
static int
store_recent_catch_up(struct store *st)
{
	struct store_recent	*r = st->recent;
	sqlite3_stmt		*s = st->stmt[STMT_MO_SCAN_AFTER];
	int			 rc;

	store_bind_int64(st, s, ":id", r->max_id);
	while ((rc = store_step(st, s, "mo scan after")) == SQLITE_ROW)
		store_recent_push(r, store_recent_fp(
		    store_col_str(s, 1),
		    store_col_str(s, 2)),
		    sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 3));
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	r->stale = 0;
	return STORE_OK;
}

/*
 * The latest MO (by time, then id) from sender with this text received
 * at or after since: of the bucket's candidates, the latest that the
 * table confirms.  There is nearly always one candidate at most.
 */
int
store_recent_find(struct store *st, const char *sender, const char *text,
    int64_t since, struct store_mo *out)
{
	struct store_recent	*r;
	struct store_recent_ent	*c;
	sqlite3_stmt		*s = st->stmt[STMT_MO_GET];
	uint64_t		 fp;
	int64_t			 tried_at = INT64_MAX, tried_id = INT64_MAX;
	int32_t			 pos, best;
	int			 rc;

	if (st->recent == NULL &&
	    (st->recent = calloc(1, sizeof(*st->recent))) == NULL) {
		store_fail(st, "mo find recent: out of memory");
		return STORE_ERROR;
	}
	r = st->recent;
	if (!r->loaded) {
		if (store_recent_load(st, since) != STORE_OK)
			return STORE_ERROR;
	} else if (r->stale && store_recent_catch_up(st) != STORE_OK)
		return STORE_ERROR;
	while (r->n > 0 && r->ring[r->head].at < since - STORE_RECENT_SLACK)
		store_recent_pop(r);
	if (r->n == 0)
		return STORE_NOTFOUND;

	fp = store_recent_fp(sender, text);
	for (;;) {
		/* The latest candidate not tried yet. */
		best = -1;
		for (pos = r->bucket[fp & (r->cap - 1)]; pos != -1;
		    pos = r->ring[pos].next) {
			c = &r->ring[pos];
			if (c->fp != fp || c->at < since)
				continue;
			if (c->at > tried_at || (c->at == tried_at &&
			    c->id >= tried_id))
				continue;
			if (best == -1 || c->at > r->ring[best].at ||
			    (c->at == r->ring[best].at &&
			    c->id > r->ring[best].id))
				best = pos;
		}
		if (best == -1)
			return STORE_NOTFOUND;
		tried_at = r->ring[best].at;
		tried_id = r->ring[best].id;

		store_bind_int64(st, s, ":id", tried_id);
		rc = store_step(st, s, "mo get %lld", (long long)tried_id);
		if (rc == SQLITE_ROW) {
			memset(out, 0, sizeof(*out));
			store_read_mo(s, out);
		}
		store_done(st, s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return STORE_ERROR;
		if (rc == SQLITE_ROW && out->received_at >= since &&
		    strcmp(out->sender, sender) == 0 &&
		    strcmp(out->text, text) == 0)
			return STORE_OK;
	}
}

/* An MO this connection inserted. */
void
store_recent_add(struct store *st, const struct store_mo *mo)
{
	if (st->recent == NULL || !st->recent->loaded)
		return;		/* the first find reads it from the table */
	store_recent_push(st->recent, store_recent_fp(mo->sender, mo->text),
	    mo->id, mo->received_at);
}

/* Another connection committed: it may have inserted MOs. */
void
store_recent_stale(struct store *st)
{
	if (st->recent != NULL)
		st->recent->stale = 1;
}

void
store_recent_free(struct store *st)
{
	if (st->recent == NULL)
		return;
	free(st->recent->ring);
	free(st->recent->bucket);
	free(st->recent);
	st->recent = NULL;
}
