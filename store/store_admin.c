/*
 * store_admin.c: what pilarctl needs beyond the daemon: walks over the
 * roster, the records and the messages, and the erasure of a person's
 * data on request (UU PDP 27/2022).
 *
 * Nothing here runs per MO, so plain scans are acceptable where an
 * index would cost the daemon a write per record or per message.
 * Erasing never deletes a record: records are blanked, so that the
 * tallies (kept by triggers on the columns that count) do not move.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store_sqlite.h"

static int	store_admin_changed(struct store *, int, const char *,
		    int64_t);

/*
 * The end of an UPDATE or DELETE of one row by id: STORE_OK, or
 * STORE_NOTFOUND when no row changed, with what as the context.
 */
static int
store_admin_changed(struct store *st, int rc, const char *what, int64_t id)
{
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "%s %lld: no such row", what, (long long)id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * Records by the filter.  A companion's come from their range of
 * records_seq; any other filter reads the whole table.
 */
int
store_record_find(struct store *st, const struct store_record_filter *f,
    int (*cb)(void *, const struct store_record *), void *arg)
{
	sqlite3_stmt		*s;
	struct store_record	 r;
	char			 kind[2];
	int			 rc;

	if (f->companion_id != NULL) {
		s = st->stmt[STMT_ADMIN_RECORD_FIND_COMPANION];
		store_bind_text(st, s, ":companion_id", f->companion_id,
		    STORE_ID_MAX + 1);
	} else
		s = st->stmt[STMT_ADMIN_RECORD_FIND];
	kind[0] = (char)f->kind;
	kind[1] = '\0';
	store_bind_int64(st, s, ":after_id", f->after_id);
	store_bind_opt_text(st, s, ":kpm_id", f->kpm_id, STORE_ID_MAX + 1);
	store_bind_opt_text(st, s, ":from", f->from, 10);
	store_bind_opt_text(st, s, ":to", f->to, 10);
	store_bind_opt_text(st, s, ":kind", f->kind != 0 ? kind : NULL, 1);
	store_bind_opt_int64(st, s, ":year", f->year);
	while ((rc = store_step(st, s, "record find")) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		store_read_record(s, &r);
		if (cb(arg, &r) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_record_erase(struct store *st, int64_t id, int unlink_kpm)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_RECORD_ERASE];
	int		 rc;

	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":unlink", unlink_kpm != 0);
	rc = store_step(st, s, "record erase %lld", (long long)id);
	store_done(st, s);
	return store_admin_changed(st, rc, "record erase", id);
}

/* A roster by id: one companion's through kpm_companion, or all. */
int
store_kpm_each(struct store *st, const char *companion_id,
    int (*cb)(void *, const struct store_kpm *), void *arg)
{
	sqlite3_stmt		*s;
	struct store_kpm	 k;
	int			 rc;

	if (companion_id != NULL) {
		s = st->stmt[STMT_ADMIN_KPM_EACH_COMPANION];
		store_bind_text(st, s, ":companion_id", companion_id,
		    STORE_ID_MAX + 1);
	} else
		s = st->stmt[STMT_ADMIN_KPM_EACH];
	while ((rc = store_step(st, s, "kpm each")) == SQLITE_ROW) {
		memset(&k, 0, sizeof(k));
		store_read_kpm(s, &k);
		if (cb(arg, &k) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* The phone is not put in the error context: callers log it. */
int
store_kpm_by_phone(struct store *st, const char *phone,
    int (*cb)(void *, const struct store_kpm *), void *arg)
{
	sqlite3_stmt		*s = st->stmt[STMT_ADMIN_KPM_BY_PHONE];
	struct store_kpm	 k;
	int			 rc;

	store_bind_text(st, s, ":phone", phone, STORE_PHONE_MAX + 1);
	while ((rc = store_step(st, s, "kpm by phone")) == SQLITE_ROW) {
		memset(&k, 0, sizeof(k));
		store_read_kpm(s, &k);
		if (cb(arg, &k) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_kpm_delete(struct store *st, const char *id)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_KPM_DELETE];
	int		 rc;

	store_bind_text(st, s, ":id", id, STORE_ID_MAX + 1);
	rc = store_step(st, s, "kpm delete %.*s", STORE_ID_MAX, id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "kpm delete %.*s: no such KPM", STORE_ID_MAX,
		    id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/* The phone is not put in the error context: callers log it. */
int
store_kpm_clear_phone(struct store *st, const char *phone, int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_KPM_CLEAR_PHONE];

	*n = 0;
	if (phone[0] == '\0')
		return STORE_OK;
	store_bind_text(st, s, ":phone", phone, STORE_PHONE_MAX + 1);
	return store_run_count(st, STMT_ADMIN_KPM_CLEAR_PHONE, "kpm clear phone",
	    n);
}

/*
 * The companion cache may hold the old phone: it is cleared, as after
 * any change to companions.
 */
int
store_companion_erase(struct store *st, const char *id)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_COMPANION_ERASE];
	int		 rc;

	store_bind_text(st, s, ":id", id, STORE_ID_MAX + 1);
	rc = store_step(st, s, "companion erase %.*s", STORE_ID_MAX, id);
	store_done(st, s);
	store_comp_cache_clear(st);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "companion erase %.*s: no such companion",
		    STORE_ID_MAX, id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

int
store_mo_each(struct store *st, int64_t after_id, int limit,
    int (*cb)(void *, const struct store_mo *), void *arg)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_MO_EACH];
	struct store_mo	 m;
	int		 rc;

	store_bind_int64(st, s, ":after_id", after_id);
	store_bind_int64(st, s, ":limit", limit);
	while ((rc = store_step(st, s, "mo each")) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		store_read_mo(s, &m);
		if (cb(arg, &m) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_mt_each(struct store *st, int64_t after_id, int limit,
    int (*cb)(void *, const struct store_mt *), void *arg)
{
	return store_mt_page(st, STMT_ADMIN_MT_EACH, "mt each", after_id,
	    limit, cb, arg);
}

/*
 * The redelivery window in memory may hold the MO as it was (as a
 * fingerprint): it is dropped, and read again when next needed.
 */
int
store_mo_erase(struct store *st, int64_t id)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_MO_ERASE];
	int		 rc;

	store_bind_int64(st, s, ":id", id);
	rc = store_step(st, s, "mo erase %lld", (long long)id);
	store_done(st, s);
	store_recent_free(st);
	return store_admin_changed(st, rc, "mo erase", id);
}

int
store_mt_erase(struct store *st, int64_t id, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_MT_ERASE];
	int		 rc;

	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":when", when);
	rc = store_step(st, s, "mt erase %lld", (long long)id);
	store_done(st, s);
	return store_admin_changed(st, rc, "mt erase", id);
}

int
store_part_erase(struct store *st, const char *sender, int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_PART_ERASE];

	*n = 0;
	store_bind_text(st, s, ":sender", sender, STORE_ADDR_MAX + 1);
	return store_run_count(st, STMT_ADMIN_PART_ERASE, "part erase", n);
}

/*
 * PRAGMA secure_delete: SQLite then zeroes what a deletion or an update
 * frees (cells, free pages) instead of leaving it in the file.  It is a
 * setting of this connection only, and takes effect as the statement is
 * prepared: hence sqlite3_exec() here, not a statement of store_sql[].
 */
int
store_secure_delete(struct store *st)
{
	if (sqlite3_exec(st->db, store_sql_secure_delete, NULL, NULL,
	    NULL) != SQLITE_OK) {
		store_fail(st, "secure_delete: %s", sqlite3_errmsg(st->db));
		return STORE_ERROR;
	}
	return STORE_OK;
}

/*
 * A TRUNCATE checkpoint: every frame of the WAL goes into the database
 * file, then the WAL is cut to nothing, so the older versions of pages
 * it held are gone from the disk too.  It waits (busy timeout) for
 * writers; a reader still using old frames makes it report busy.  The
 * row is (busy, frames in the log, frames checkpointed); an in-memory
 * store has no WAL and reports busy 0.
 */
int
store_flush(struct store *st, int *complete)
{
	sqlite3_stmt	*s = st->stmt[STMT_ADMIN_CHECKPOINT];
	int		 rc;

	*complete = 0;
	rc = store_step(st, s, "checkpoint");
	if (rc == SQLITE_ROW) {
		*complete = sqlite3_column_int(s, 0) == 0;
		rc = STORE_OK;
	} else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		rc = STORE_OK;		/* not complete */
	} else
		rc = STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * VACUUM writes the whole database anew (through the WAL: a
 * store_flush() afterwards empties it), leaving out the free pages and
 * the free space of pages that secure_delete never saw: those written
 * before it was on, by this connection or by pilard's.
 */
int
store_vacuum(struct store *st)
{
	return store_run(st, STMT_ADMIN_VACUUM, "vacuum");
}
