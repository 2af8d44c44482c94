/*
 * store_remind.c: reminders, their recipients and their MTs.
 *
 * A recipient queued is an mt row of priority 1 with the reminder, the
 * occurrence and the KPM on it; the unique index on those three makes a
 * chunk run again after a crash a no-op instead of a second SMS.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

static void	store_read_remind(sqlite3_stmt *, struct store_remind *);

/* Columns in the order of REMIND_COLS. */
static void
store_read_remind(sqlite3_stmt *s, struct store_remind *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, r->text, sizeof(r->text));
	store_col_text(s, 2, r->target_kind, sizeof(r->target_kind));
	store_col_text(s, 3, r->target, sizeof(r->target));
	store_col_text(s, 4, r->at_local, sizeof(r->at_local));
	store_col_text(s, 5, r->repeat, sizeof(r->repeat));
	store_col_text(s, 6, r->origin, sizeof(r->origin));
	r->created_at = sqlite3_column_int64(s, 7);
	r->cancelled_at = sqlite3_column_int64(s, 8);
	r->occurrence = sqlite3_column_int(s, 9);
	store_col_text(s, 10, r->cursor_zone, sizeof(r->cursor_zone));
	store_col_text(s, 11, r->cursor_kpm, sizeof(r->cursor_kpm));
	r->done = sqlite3_column_int(s, 12);
	r->queued = sqlite3_column_int64(s, 13);
	r->skipped_optout = sqlite3_column_int64(s, 14);
	r->skipped_nophone = sqlite3_column_int64(s, 15);
	r->skipped_cap = sqlite3_column_int64(s, 16);
	r->skipped_long = sqlite3_column_int64(s, 17);
}

int
store_remind_add(struct store *st, struct store_remind *r)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_ADD];
	int		 rc;

	store_bind_text(st, s, ":text", r->text, sizeof(r->text));
	store_bind_text(st, s, ":target_kind", r->target_kind,
	    sizeof(r->target_kind));
	store_bind_text(st, s, ":target", r->target, sizeof(r->target));
	store_bind_text(st, s, ":at_local", r->at_local, sizeof(r->at_local));
	store_bind_text(st, s, ":repeat", r->repeat, sizeof(r->repeat));
	store_bind_text(st, s, ":origin", r->origin, sizeof(r->origin));
	store_bind_int64(st, s, ":created_at", r->created_at);
	rc = store_step(st, s, "remind add");
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	r->id = sqlite3_last_insert_rowid(st->db);
	return STORE_OK;
}

int
store_remind_get(struct store *st, int64_t id, struct store_remind *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_GET];
	int		 rc;

	store_bind_int64(st, s, ":id", id);
	rc = store_step(st, s, "remind get %lld", (long long)id);
	if (rc == SQLITE_ROW) {
		store_read_remind(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

int
store_remind_each(struct store *st, int64_t after_id, int active,
    int (*cb)(void *, const struct store_remind *), void *arg)
{
	sqlite3_stmt		*s = st->stmt[STMT_REMIND_EACH];
	struct store_remind	 r;
	int			 rc;

	store_bind_int64(st, s, ":after_id", after_id);
	store_bind_int64(st, s, ":active", active != 0);
	while ((rc = store_step(st, s, "remind each")) == SQLITE_ROW) {
		store_read_remind(s, &r);
		if (cb(arg, &r) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_remind_cancel(struct store *st, int64_t id, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_CANCEL];
	int		 rc;

	int		 own = 0;

	if (sqlite3_get_autocommit(st->db)) {
		if ((rc = store_begin(st)) != STORE_OK)
			return rc;
		own = 1;
	}
	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":when", when);
	rc = store_step(st, s, "remind cancel %lld", (long long)id);
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		rc = STORE_ERROR;
		goto done;
	}
	if (sqlite3_changes(st->db) == 0) {
		rc = STORE_NOTFOUND;
		goto done;
	}
	/* What is queued and not sent yet goes no further. */
	s = st->stmt[STMT_REMIND_CANCEL_MT];
	store_bind_int64(st, s, ":status", STORE_MT_CANCELLED);
	store_bind_int64(st, s, ":when", when);
	store_bind_int64(st, s, ":id", id);
	rc = store_step(st, s, "remind cancel %lld: mt", (long long)id);
	store_done(st, s);
	rc = rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
done:
	if (own) {
		if (rc == STORE_ERROR)
			store_rollback(st);
		else if (store_commit(st) != STORE_OK)
			rc = STORE_ERROR;
	}
	return rc;
}

int
store_remind_progress(struct store *st, const struct store_remind *r)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_PROGRESS];
	int		 rc;

	store_bind_int64(st, s, ":id", r->id);
	store_bind_int64(st, s, ":occurrence", r->occurrence);
	store_bind_text(st, s, ":cursor_zone", r->cursor_zone,
	    sizeof(r->cursor_zone));
	store_bind_text(st, s, ":cursor_kpm", r->cursor_kpm,
	    sizeof(r->cursor_kpm));
	store_bind_int64(st, s, ":done", r->done);
	store_bind_int64(st, s, ":queued", r->queued);
	store_bind_int64(st, s, ":skipped_optout", r->skipped_optout);
	store_bind_int64(st, s, ":skipped_nophone", r->skipped_nophone);
	store_bind_int64(st, s, ":skipped_cap", r->skipped_cap);
	store_bind_int64(st, s, ":skipped_long", r->skipped_long);
	rc = store_step(st, s, "remind progress %lld", (long long)r->id);
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_remind_zones(struct store *st, char zones[][STORE_TZ_MAX + 1],
    int max, int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_ZONES];
	int		 rc;

	*n = 0;
	while ((rc = store_step(st, s, "remind zones")) == SQLITE_ROW)
		if (*n < max)
			store_col_text(s, 0, zones[(*n)++], STORE_TZ_MAX + 1);
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_remind_rcpt(struct store *st, const struct store_remind *r,
    const char *zone, const char *after_kpm, int limit,
    struct store_remind_rcpt *out, int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_RCPT];
	int		 rc;

	*n = 0;
	store_bind_text(st, s, ":after_kpm", after_kpm, STORE_ID_MAX);
	store_bind_text(st, s, ":zone", zone, STORE_TZ_MAX);
	store_bind_text(st, s, ":kind", r->target_kind,
	    sizeof(r->target_kind));
	store_bind_text(st, s, ":target", r->target, sizeof(r->target));
	store_bind_int64(st, s, ":limit", limit);
	while ((rc = store_step(st, s, "remind rcpt")) == SQLITE_ROW &&
	    *n < limit) {
		struct store_remind_rcpt	*p = &out[(*n)++];

		store_col_text(s, 0, p->kpm_id, sizeof(p->kpm_id));
		store_col_text(s, 1, p->name, sizeof(p->name));
		store_col_text(s, 2, p->phone, sizeof(p->phone));
		p->opted_out = sqlite3_column_int(s, 3);
		store_col_text(s, 4, p->companion, sizeof(p->companion));
	}
	store_done(st, s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int
store_remind_daycount(struct store *st, const char *kpm_id, int rday,
    int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_DAYCOUNT];
	int		 rc;

	store_bind_text(st, s, ":kpm_id", kpm_id, STORE_ID_MAX);
	store_bind_int64(st, s, ":rday", rday);
	rc = store_step(st, s, "remind daycount");
	*n = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	store_done(st, s);
	return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int
store_remind_mt_insert(struct store *st, int64_t reminder_id, int occurrence,
    const char *kpm_id, int rday, const char *dest, const char *text,
    int64_t created_at)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_MT_INSERT];
	int		 rc;

	store_bind_text(st, s, ":dest", dest, STORE_PHONE_MAX);
	store_bind_text(st, s, ":text", text, STORE_TEXT_MAX);
	store_bind_int64(st, s, ":created_at", created_at);
	store_bind_int64(st, s, ":reminder_id", reminder_id);
	store_bind_int64(st, s, ":occurrence", occurrence);
	store_bind_text(st, s, ":kpm_id", kpm_id, STORE_ID_MAX);
	store_bind_int64(st, s, ":rday", rday);
	rc = store_step(st, s, "remind mt insert");
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	return sqlite3_changes(st->db) == 0 ? STORE_EXISTS : STORE_OK;
}

int
store_remind_mt_pending(struct store *st, int64_t after_id, int limit,
    int (*cb)(void *, const struct store_mt *), void *arg)
{
	return store_mt_page(st, STMT_REMIND_MT_PENDING, "remind mt pending",
	    after_id, limit, cb, arg);
}

int
store_remind_withdraw(struct store *st, const char *phone, int64_t when,
    int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_WITHDRAW];

	*n = 0;
	store_bind_int64(st, s, ":status", STORE_MT_OPTED_OUT);
	store_bind_int64(st, s, ":when", when);
	store_bind_text(st, s, ":phone", phone, STORE_PHONE_MAX + 1);
	return store_run_count(st, STMT_REMIND_WITHDRAW, "remind withdraw", n);
}

/* Tally a reminder's MTs by state and by what their receipts said. */
int
store_remind_counts(struct store *st, int64_t id,
    struct store_remind_counts *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_COUNTS];
	int64_t		 n;
	int		 rc, state, rcpt;

	memset(out, 0, sizeof(*out));
	store_bind_int64(st, s, ":id", id);
	while ((rc = store_step(st, s, "remind counts")) == SQLITE_ROW) {
		state = sqlite3_column_int(s, 0);
		rcpt = sqlite3_column_int(s, 1);
		n = sqlite3_column_int64(s, 2);
		if (state == STORE_MT_PENDING)
			out->pending += n;
		else if (state == STORE_MT_SENT)
			out->sent += n;
		else if (state == STORE_MT_FAILED)
			out->failed += n;
		else
			out->unknown += n;
		if (rcpt == STORE_RCPT_DELIVERED)
			out->delivered += n;
		else if (rcpt != STORE_RCPT_NONE && rcpt != STORE_RCPT_ACCEPTED)
			out->undelivered += n;
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_remind_find(struct store *st, const struct store_remind *r,
    struct store_remind *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_FIND];
	int		 rc;

	store_bind_text(st, s, ":origin", r->origin, sizeof(r->origin));
	store_bind_text(st, s, ":target_kind", r->target_kind,
	    sizeof(r->target_kind));
	store_bind_text(st, s, ":target", r->target, sizeof(r->target));
	store_bind_text(st, s, ":at_local", r->at_local, sizeof(r->at_local));
	store_bind_text(st, s, ":text", r->text, sizeof(r->text));
	rc = store_step(st, s, "remind find");
	if (rc == SQLITE_ROW) {
		store_read_remind(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

int
store_remind_audience(struct store *st, const char *companion_id,
    int64_t *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_REMIND_AUDIENCE];
	int		 rc;

	store_bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX);
	rc = store_step(st, s, "remind audience");
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	store_done(st, s);
	return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int
store_nudge_has(struct store *st, const char *companion_id, int kind,
    int period, int *yes)
{
	sqlite3_stmt	*s = st->stmt[STMT_NUDGE_HAS];
	int		 rc;

	store_bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX);
	store_bind_int64(st, s, ":kind", kind);
	store_bind_int64(st, s, ":period", period);
	rc = store_step(st, s, "nudge has");
	*yes = rc == SQLITE_ROW;
	store_done(st, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* The row first: a nudge remembered already queues no second MT. */
int
store_nudge_add(struct store *st, const char *companion_id, int kind,
    int period, const char *dest, const char *text, int64_t now)
{
	sqlite3_stmt	*s = st->stmt[STMT_NUDGE_ADD];
	int		 rc;

	store_bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX);
	store_bind_int64(st, s, ":kind", kind);
	store_bind_int64(st, s, ":period", period);
	store_bind_int64(st, s, ":sent_at", now);
	rc = store_step(st, s, "nudge add");
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0)
		return STORE_EXISTS;
	if (dest == NULL)
		return STORE_OK;
	s = st->stmt[STMT_NUDGE_MT];
	store_bind_text(st, s, ":dest", dest, STORE_PHONE_MAX);
	store_bind_text(st, s, ":text", text, STORE_TEXT_MAX);
	store_bind_int64(st, s, ":created_at", now);
	rc = store_step(st, s, "nudge mt");
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}
