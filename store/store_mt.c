/*
 * store_mt.c: the outbox: replies, their attempts and receipts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segment.h"
#include "store_sqlite.h"

static int	store_mt_set(struct store *, enum store_stmt, int64_t,
		    const char *, const char *, int, int64_t);

/* Queue an MT as given (normally pending, no attempts yet). */
int
store_mt_insert(struct store *st, struct store_mt *mt)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_INSERT];
	int		 rc;

	if (mt->state != STORE_MT_PENDING && mt->state != STORE_MT_SENT &&
	    mt->state != STORE_MT_FAILED) {
		store_fail(st, "mt insert: state %d unknown", (int)mt->state);
		return STORE_ERROR;
	}
	store_bind_opt_int64(st, s, ":mo_id", mt->mo_id);
	store_bind_text(st, s, ":dest", mt->dest, sizeof(mt->dest));
	store_bind_text(st, s, ":text", mt->text, sizeof(mt->text));
	store_bind_int64(st, s, ":state", mt->state);
	store_bind_int64(st, s, ":attempts", mt->attempts);
	store_bind_int64(st, s, ":last_status", mt->last_status);
	store_bind_opt_text(st, s, ":message_id", mt->message_id,
	    sizeof(mt->message_id));
	store_bind_int64(st, s, ":created_at", mt->created_at);
	store_bind_opt_int64(st, s, ":sent_at", mt->sent_at);
	rc = store_step(st, s, "mt insert");
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	mt->id = sqlite3_last_insert_rowid(st->db);
	return STORE_OK;
}

/*
 * One page of the outbox.  cb may mark the MTs it is shown (other
 * statements), but must not call store_mt_pending itself.
 */
int
store_mt_pending(struct store *st, int64_t after_id, int limit,
    int (*cb)(void *, const struct store_mt *), void *arg)
{
	return store_mt_page(st, STMT_MT_PENDING, "mt pending", after_id, limit,
	    cb, arg);
}

/*
 * A page of MTs by statement id (replies, or reminders): up to limit
 * rows after after_id, each shown to cb until it returns non-zero.
 */
int
store_mt_page(struct store *st, enum store_stmt id, const char *what,
    int64_t after_id, int limit, int (*cb)(void *, const struct store_mt *),
    void *arg)
{
	sqlite3_stmt	*s = st->stmt[id];
	struct store_mt	 m;
	int		 rc;

	if (limit <= 0)
		return STORE_OK;
	store_bind_int64(st, s, ":after_id", after_id);
	store_bind_int64(st, s, ":limit", limit);
	while ((rc = store_step(st, s, "%s", what)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		store_read_mt(s, &m);
		if (cb(arg, &m) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_mt_get(struct store *st, int64_t id, struct store_mt *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_GET];
	int		 rc;

	store_bind_int64(st, s, ":id", id);
	rc = store_step(st, s, "mt get %lld", (long long)id);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		store_read_mt(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * The three outbox updates: by id, an optional message id, status and
 * time for the statements that take them.  STORE_NOTFOUND for no row.
 */
static int
store_mt_set(struct store *st, enum store_stmt id, int64_t mt_id,
    const char *what, const char *message_id, int status, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[id];
	int		 rc;

	store_bind_int64(st, s, ":id", mt_id);
	if (id == STMT_MT_MARK_SENT)
		store_bind_opt_text(st, s, ":message_id", message_id == NULL ? "" :
		    message_id, STORE_MSGID_MAX);
	else
		store_bind_int64(st, s, ":status", status);
	if (id != STMT_MT_ATTEMPT)
		store_bind_opt_int64(st, s, ":when", when);
	rc = store_step(st, s, "%s %lld", what, (long long)mt_id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "%s %lld: no such mt", what,
		    (long long)mt_id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * submit_sm_resp ESME_ROK: sent, with the SMSC's message id, whatever
 * the state was (a late response after giving up still tells the truth).
 */
int
store_mt_mark_sent(struct store *st, int64_t id, const char *message_id,
    int64_t when)
{
	return store_mt_set(st, STMT_MT_MARK_SENT, id, "mt mark sent",
	    message_id, 0, when);
}

/* Given up; when goes to the failed_at column (sent_at stays 0). */
int
store_mt_mark_failed(struct store *st, int64_t id, int status, int64_t when)
{
	return store_mt_set(st, STMT_MT_MARK_FAILED, id, "mt mark failed",
	    NULL, status, when);
}

int
store_mt_mark_unknown(struct store *st, int64_t id, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_PARTS_SENT];
	int		 rc, last = 0, parts = 0;

	store_bind_int64(st, s, ":id", id);
	rc = store_step(st, s, "mt parts sent %lld", (long long)id);
	if (rc == SQLITE_ROW) {
		last = sqlite3_column_int(s, 0);
		parts = sqlite3_column_int(s, 1);
	}
	store_done(st, s);
	if (rc != SQLITE_ROW)
		return STORE_ERROR;
	/*
	 * Part last + 1 is the one in doubt: a middle part goes again (the
	 * phone keeps one copy while the message is incomplete), the last
	 * one is in doubt as a single SMS is.
	 */
	if (last > 0 && last + 1 < parts)
		return STORE_EXISTS;
	return store_mt_set(st, STMT_MT_MARK_UNKNOWN, id, "mt mark unknown",
	    NULL, 0, when);
}

int
store_mt_attempt(struct store *st, int64_t id, int status)
{
	return store_mt_set(st, STMT_MT_ATTEMPT, id, "mt attempt", NULL,
	    status, 0);
}

/*
 * Pending MTs are counted in their partial index; sent and failed ones
 * by a scan of the outbox (pilarctl only, see store_sql[]).
 */
int
store_mt_count(struct store *st, enum store_mt_state state, int *count)
{
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if (state == STORE_MT_PENDING)
		s = st->stmt[STMT_MT_COUNT_PENDING];
	else {
		s = st->stmt[STMT_MT_COUNT];
		store_bind_int64(st, s, ":state", state);
	}
	rc = store_step(st, s, "mt count");
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(s, 0);
		rc = STORE_OK;
	} else
		rc = STORE_ERROR;
	store_done(st, s);
	return rc;
}

/* The reply to an MO: the latest MT (highest id) with this mo_id. */
int
store_mt_by_mo(struct store *st, int64_t mo_id, struct store_mt *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_BY_MO];
	int		 rc;

	store_bind_int64(st, s, ":mo_id", mo_id);
	rc = store_step(st, s, "mt by mo %lld", (long long)mo_id);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		store_read_mt(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * Part `part' (1-based) of a long MT of `parts' was accepted with
 * message_id: kept for the receipts, which come per part.
 */
int
store_mt_part_sent(struct store *st, int64_t id, int part, int parts,
    int via, const char *message_id, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_PART_SENT];
	int		 rc;

	if (part < 1 || parts < 2 || part > parts) {
		store_fail(st, "mt part sent: part %d of %d", part, parts);
		return STORE_ERROR;
	}
	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":part", part);
	store_bind_text(st, s, ":message_id", message_id == NULL ? "" :
	    message_id, STORE_MSGID_MAX + 1);
	store_bind_int64(st, s, ":when", when);
	rc = store_step(st, s, "mt part sent %lld", (long long)id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	s = st->stmt[STMT_MT_PARTS_SET];
	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":parts", parts);
	store_bind_int64(st, s, ":via", via);
	rc = store_step(st, s, "mt parts %lld", (long long)id);
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Bind the id forms of a receipt to :id0.. of s; unbound stay NULL. */
static void
store_mt_bind_forms(struct store *st, sqlite3_stmt *s,
    const char *const *ids, int n)
{
	static const char *const names[] = { ":id0", ":id1", ":id2" };
	int			 i;

	_Static_assert(sizeof(names) / sizeof(names[0]) ==
	    STORE_RCPT_IDS_MAX, "a parameter per id form");
	for (i = 0; i < n; i++)
		if (ids[i] != NULL && ids[i][0] != '\0')
			store_bind_text(st, s, names[i], ids[i],
			    STORE_MSGID_MAX + 1);
}

/*
 * What the MT's receipt says once its parts have said something: a
 * part that failed (expired, deleted, undeliverable, rejected) makes the
 * message fail, whatever the others said; then a part in an unknown
 * state; delivered only when every part was; otherwise the latest
 * part's word (accepted), or nothing yet (some delivered, others
 * silent).  The phone shows the message only when all parts arrived.
 */
static int
store_mt_parts_verdict(const int *receipts, int n, int parts, int latest)
{
	int	i, failed = 0, unknown = 0, delivered = 0;

	for (i = 0; i < n; i++)
		switch (receipts[i]) {
		case STORE_RCPT_DELIVERED:
			delivered++;
			break;
		case STORE_RCPT_EXPIRED:
		case STORE_RCPT_DELETED:
		case STORE_RCPT_UNDELIVERABLE:
		case STORE_RCPT_REJECTED:
			if (failed == 0)
				failed = receipts[i];
			break;
		case STORE_RCPT_UNKNOWN:
			unknown = 1;
			break;
		default:
			break;
		}
	if (failed != 0)
		return failed;
	if (unknown)
		return STORE_RCPT_UNKNOWN;
	if (delivered >= parts)
		return STORE_RCPT_DELIVERED;
	return latest == STORE_RCPT_DELIVERED ? STORE_RCPT_NONE : latest;
}

/*
 * A receipt for one part of a long MT: recorded on the part, and the
 * parts' verdict on the MT.  *mt_id 0 when no part has that id.
 */
/*
 * The part of a long MT whose message id is one of the forms: *id and
 * *part, or *id 0 when none has it.
 */
static int
store_mt_part_find(struct store *st, const char *const *ids, int n,
    int64_t *id, int *part)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_PART_RECEIPT_FIND];
	int		 rc;

	*id = 0;
	*part = 0;
	store_mt_bind_forms(st, s, ids, n);
	rc = store_step(st, s, "mt part receipt");
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*part = sqlite3_column_int(s, 1);
	}
	store_done(st, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * A receipt for part `part' of long MT id: recorded on the part, and
 * the parts' verdict on the MT.
 */
static int
store_mt_part_receipt(struct store *st, int64_t id, int part, int state,
    int64_t when)
{
	sqlite3_stmt	*s;
	int		 receipts[SEGMENT_PARTS_MAX];
	int		 parts = 0, k = 0, verdict, rc;

	s = st->stmt[STMT_MT_PART_RECEIPT_SET];
	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":part", part);
	store_bind_int64(st, s, ":receipt", state);
	store_bind_opt_int64(st, s, ":when", when);
	rc = store_step(st, s, "mt part receipt %lld", (long long)id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;

	s = st->stmt[STMT_MT_PART_RECEIPTS];
	store_bind_int64(st, s, ":id", id);
	while ((rc = store_step(st, s, "mt part receipts %lld",
	    (long long)id)) == SQLITE_ROW && k < SEGMENT_PARTS_MAX) {
		parts = sqlite3_column_int(s, 0);
		receipts[k++] = sqlite3_column_int(s, 1);
	}
	store_done(st, s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return STORE_ERROR;
	verdict = store_mt_parts_verdict(receipts, k, parts, state);

	s = st->stmt[STMT_MT_RECEIPT_SET];
	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":receipt", verdict);
	store_bind_opt_int64(st, s, ":when", verdict == STORE_RCPT_NONE ? 0 :
	    when);
	rc = store_step(st, s, "mt receipt %lld", (long long)id);
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * A delivery receipt.  SMSCs quote the message id of submit_sm_resp in
 * another base or case (the caller derives up to STORE_RCPT_IDS_MAX
 * forms): the MT whose message_id equals any form, ignoring ASCII case,
 * and the latest of them if an SMSC reused an id, gets the state and the
 * time.  Empty forms are ignored.  The state is recorded whatever the
 * MT's own state: a receipt is the SMSC's word that it had the message.
 */
int
store_mt_receipt(struct store *st, const char *const *ids, int n,
    int state, int64_t when, int64_t *mt_id)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_RECEIPT_FIND];
	int64_t		 id = 0, part_id;
	int		 part, rc;

	*mt_id = 0;
	if (n < 0 || n > STORE_RCPT_IDS_MAX) {
		store_fail(st, "mt receipt: %d id forms, at most %d", n,
		    STORE_RCPT_IDS_MAX);
		return STORE_ERROR;
	}
	if (store_mt_part_find(st, ids, n, &part_id, &part) != STORE_OK)
		return STORE_ERROR;
	/* Unbound parameters are NULL, and NULL matches no id. */
	store_mt_bind_forms(st, s, ids, n);
	rc = store_step(st, s, "mt receipt");
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);	/* no row: NULL, 0 */
	store_done(st, s);
	if (rc != SQLITE_ROW)
		return STORE_ERROR;
	/*
	 * The latest MT with that id, as for single SMS (an SMSC may reuse
	 * ids); a long MT's last part has its id on the mt row too.
	 */
	if (part_id != 0 && part_id >= id) {
		if (store_mt_part_receipt(st, part_id, part, state, when) !=
		    STORE_OK)
			return STORE_ERROR;
		*mt_id = part_id;
		return STORE_OK;
	}
	if (id == 0) {
		store_fail(st, "mt receipt: no mt with that message id");
		return STORE_NOTFOUND;
	}

	s = st->stmt[STMT_MT_RECEIPT_SET];
	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":receipt", state);
	store_bind_opt_int64(st, s, ":when", when);
	rc = store_step(st, s, "mt receipt %lld", (long long)id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	*mt_id = id;
	return STORE_OK;
}
