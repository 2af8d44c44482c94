/*
 * store_parts.c: the parts of long MOs until their message is finished.
 *
 * The gateway keeps each part of a concatenated MO here in the same
 * transaction as its deliver_sm is acknowledged in, and asks after each
 * insert whether the message is complete: the table, not memory, is
 * the truth, so a message whose first parts came before a crash
 * completes when its last part comes after the restart.  A finished
 * part (its message went into an MO, complete or given up) stays until
 * store_part_purge() so that a part the SMSC delivers again is known
 * for a redelivery and not taken for the start of a new message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

static int	store_part_check(struct store *, const struct store_part *,
		    int, const char *);
static void	store_part_bind_key(struct store *, sqlite3_stmt *,
		    const struct store_part *);
static void	store_part_read(sqlite3_stmt *, struct store_part *);
static int	store_part_each(struct store *, sqlite3_stmt *,
		    const char *, int (*)(void *, const struct store_part *),
		    void *);

/*
 * A key (and, with seq set, a part) must be one the gateway could have
 * made: what the UDH and the SAR TLVs can carry.  Checked here too, so
 * that nothing out of range ever reaches the table.
 */
static int
store_part_check(struct store *st, const struct store_part *p, int with_seq,
    const char *what)
{
	if (p->ref < 0 || p->ref > 0xFFFF || p->total < 1 ||
	    p->total > 255 || (with_seq && (p->seq < 1 ||
	    p->seq > p->total))) {
		store_fail(st, "%s: ref %d, part %d of %d out of range", what,
		    p->ref, p->seq, p->total);
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* The message's key: sender, dest, ref and total. */
static void
store_part_bind_key(struct store *st, sqlite3_stmt *s,
    const struct store_part *p)
{
	store_bind_text(st, s, ":sender", p->sender, sizeof(p->sender));
	store_bind_text(st, s, ":dest", p->dest, sizeof(p->dest));
	store_bind_int64(st, s, ":ref", p->ref);
	store_bind_int64(st, s, ":total", p->total);
}

/* A row of PART_COLS; p->text points into the statement's row. */
static void
store_part_read(sqlite3_stmt *s, struct store_part *p)
{
	memset(p, 0, sizeof(*p));
	store_col_text(s, 0, p->sender, sizeof(p->sender));
	p->sender_ton = sqlite3_column_int(s, 1);
	store_col_text(s, 2, p->dest, sizeof(p->dest));
	p->ref = sqlite3_column_int(s, 3);
	p->total = sqlite3_column_int(s, 4);
	p->seq = sqlite3_column_int(s, 5);
	p->text = (const char *)sqlite3_column_text(s, 6);
	if (p->text == NULL)
		p->text = "";
	p->received_at = sqlite3_column_int64(s, 7);
	p->mo_id = sqlite3_column_int64(s, 8);		/* NULL reads 0 */
	p->finished_at = sqlite3_column_int64(s, 9);
}

/* Step s (bound) and hand each row of PART_COLS to cb. */
static int
store_part_each(struct store *st, sqlite3_stmt *s, const char *what,
    int (*cb)(void *, const struct store_part *), void *arg)
{
	struct store_part	 p;
	int			 rc;

	while ((rc = store_step(st, s, "%s", what)) == SQLITE_ROW) {
		store_part_read(s, &p);
		if (cb(arg, &p) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * The unique key mo_parts_key makes a second copy of a part a
 * constraint error: STORE_EXISTS, nothing written.
 */
int
store_part_insert(struct store *st, const struct store_part *p)
{
	sqlite3_stmt	*s = st->stmt[STMT_PART_INSERT];
	int		 rc;

	if (store_part_check(st, p, 1, "part insert") != STORE_OK)
		return STORE_ERROR;
	if (p->text == NULL || strlen(p->text) > STORE_PART_TEXT_MAX) {
		store_fail(st, "part insert: text missing or over %d bytes",
		    STORE_PART_TEXT_MAX);
		return STORE_ERROR;
	}
	store_part_bind_key(st, s, p);
	store_bind_int64(st, s, ":sender_ton", p->sender_ton);
	store_bind_int64(st, s, ":seq", p->seq);
	store_bind_text(st, s, ":text", p->text, STORE_PART_TEXT_MAX);
	store_bind_int64(st, s, ":received_at", p->received_at);
	rc = store_step(st, s, "part insert");
	store_done(st, s);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	return store_status(rc);
}

/* The text is compared by SQLite, byte for byte, in the same seek. */
int
store_part_find(struct store *st, const struct store_part *p, int *same,
    int64_t *mo_id)
{
	sqlite3_stmt	*s = st->stmt[STMT_PART_FIND];
	int		 rc;

	*same = 0;
	*mo_id = 0;
	if (store_part_check(st, p, 1, "part find") != STORE_OK)
		return STORE_ERROR;
	store_part_bind_key(st, s, p);
	store_bind_int64(st, s, ":seq", p->seq);
	store_bind_text(st, s, ":text", p->text != NULL ? p->text : "",
	    STORE_PART_TEXT_MAX);
	rc = store_step(st, s, "part find");
	if (rc == SQLITE_ROW) {
		*same = sqlite3_column_int(s, 0);
		*mo_id = sqlite3_column_int64(s, 1);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

int
store_part_count(struct store *st, const struct store_part *key, int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_PART_COUNT];
	int		 rc;

	*n = 0;
	store_part_bind_key(st, s, key);
	rc = store_step(st, s, "part count");
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int(s, 0);
		rc = STORE_OK;
	} else
		rc = STORE_ERROR;
	store_done(st, s);
	return rc;
}

int
store_part_list(struct store *st, const struct store_part *key,
    int (*cb)(void *, const struct store_part *), void *arg)
{
	sqlite3_stmt	*s = st->stmt[STMT_PART_LIST];

	store_part_bind_key(st, s, key);
	return store_part_each(st, s, "part list", cb, arg);
}

/*
 * A message without pending parts is not an error here: finishing is
 * idempotent, the caller knows what it listed.
 */
int
store_part_finish(struct store *st, const struct store_part *key,
    int64_t mo_id, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[STMT_PART_FINISH];
	int		 rc;

	store_part_bind_key(st, s, key);
	store_bind_int64(st, s, ":mo_id", mo_id);
	store_bind_int64(st, s, ":when", when);
	rc = store_step(st, s, "part finish");
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_part_forget(struct store *st, const struct store_part *key)
{
	sqlite3_stmt	*s = st->stmt[STMT_PART_FORGET];
	int		 rc;

	store_part_bind_key(st, s, key);
	rc = store_step(st, s, "part forget");
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* One row per message: its key, pending count and first arrival. */
int
store_part_expired(struct store *st, int64_t before, int limit,
    int (*cb)(void *, const struct store_part *), void *arg)
{
	sqlite3_stmt		*s = st->stmt[STMT_PART_EXPIRED];
	struct store_part	 p;
	int			 rc;

	if (limit <= 0)
		return STORE_OK;
	store_bind_int64(st, s, ":before", before);
	store_bind_int64(st, s, ":limit", limit);
	while ((rc = store_step(st, s, "part expired")) == SQLITE_ROW) {
		memset(&p, 0, sizeof(p));
		store_col_text(s, 0, p.sender, sizeof(p.sender));
		p.sender_ton = sqlite3_column_int(s, 1);
		store_col_text(s, 2, p.dest, sizeof(p.dest));
		p.ref = sqlite3_column_int(s, 3);
		p.total = sqlite3_column_int(s, 4);
		p.seq = sqlite3_column_int(s, 5);
		p.received_at = sqlite3_column_int64(s, 6);
		if (cb(arg, &p) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_part_pending(struct store *st,
    int (*cb)(void *, const struct store_part *), void *arg)
{
	return store_part_each(st, st->stmt[STMT_PART_PENDING],
	    "part pending", cb, arg);
}

int
store_part_stats(struct store *st, int *messages, int *parts)
{
	sqlite3_stmt	*s = st->stmt[STMT_PART_STATS];
	int		 rc;

	if (messages != NULL)
		*messages = 0;
	if (parts != NULL)
		*parts = 0;
	rc = store_step(st, s, "part stats");
	if (rc == SQLITE_ROW) {
		if (messages != NULL)
			*messages = sqlite3_column_int(s, 0);
		if (parts != NULL)
			*parts = sqlite3_column_int(s, 1);
		rc = STORE_OK;
	} else
		rc = STORE_ERROR;
	store_done(st, s);
	return rc;
}

int
store_part_purge(struct store *st, int64_t before, int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_PART_PURGE];

	*n = 0;
	store_bind_int64(st, s, ":before", before);
	return store_run_count(st, STMT_PART_PURGE, "part purge", n);
}
