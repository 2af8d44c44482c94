/*
 * store_records.c: graduations and visits, their references and counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

#define STORE_REF_DIGITS_MIN	3		/* "G001" */

/* Crockford's base 32: no I, L, O or U, so nothing reads as another. */
static const char store_crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int	store_ref_format(int, int64_t, char *, size_t);
static int	store_ref_parse(const char *, int64_t *);
static int	store_tally_add(struct store *, const struct store_record *);
static struct store_seq_slot *store_seq_slot(struct store *, const char *);
static int	store_seq_next(struct store *, const char *, int64_t *);

/*
 * A record reference: the kind letter and seq in Crockford base 32,
 * at least STORE_REF_DIGITS_MIN digits.  -1 when it does not fit.
 */
static int
store_ref_format(int kind, int64_t seq, char *out, size_t outsz)
{
	char			 rev[16];
	size_t			 n = 0, i;

	if (seq < 0)
		return -1;
	do {
		rev[n++] = store_crockford[seq % 32];
		seq /= 32;
	} while (seq > 0 && n < sizeof(rev));
	while (n < STORE_REF_DIGITS_MIN)
		rev[n++] = '0';
	if (seq > 0 || n + 2 > outsz)
		return -1;
	out[0] = (char)kind;
	for (i = 0; i < n; i++)
		out[1 + i] = rev[n - 1 - i];
	out[1 + n] = '\0';
	return 0;
}

/*
 * The sequence number in a reference typed by a person: a G or a K
 * (any case), then one to STORE_REF_MAX - 1 Crockford digits.  -1 when
 * it is not one.
 */
static int
store_ref_parse(const char *ref, int64_t *seq)
{
	const char		*p;
	size_t			 n;
	int			 c;

	*seq = 0;
	c = ref[0] & ~0x20;		/* ASCII upper case */
	if (c != STORE_KIND_GRAD && c != STORE_KIND_VISIT)
		return -1;
	for (n = 1; ref[n] != '\0'; n++) {
		if (n >= STORE_REF_MAX)
			return -1;
		c = (unsigned char)ref[n];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if ((p = strchr(store_crockford, c)) == NULL)
			return -1;
		*seq = *seq * 32 + (p - store_crockford);
	}
	return n > 1 ? 0 : -1;
}

/*
 * The slot of companion_id in the cache of what this connection knows
 * of companions' records (direct-mapped, FNV-1a of the id), emptied
 * for it if it held another or went stale; NULL without memory for the
 * cache, and then every record reads from the tables, as before it.
 * Only in a transaction: store_begin() has checked that no other
 * connection committed since the slot was filled.
 */
static struct store_seq_slot *
store_seq_slot(struct store *st, const char *companion_id)
{
	struct store_seq_slot	*slot;
	uint32_t		 h = 2166136261u;
	const char		*p;

	if (sqlite3_get_autocommit(st->db))
		return NULL;
	if (st->seq_cache == NULL && (st->seq_cache = calloc(
	    1u << STORE_SEQ_CACHE_BITS, sizeof(*st->seq_cache))) == NULL)
		return NULL;
	for (p = companion_id; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	slot = &st->seq_cache[(h ^ h >> 16) &
	    ((1u << STORE_SEQ_CACHE_BITS) - 1)];
	if (slot->gen != st->seq_gen ||
	    strcmp(slot->companion_id, companion_id) != 0) {
		memset(slot, 0, sizeof(*slot));
		store_copy_str(slot->companion_id, sizeof(slot->companion_id),
		    companion_id, strlen(companion_id));
		slot->gen = st->seq_gen;
	}
	return slot;
}

/*
 * The next sequence number of companion_id, in the caller's write
 * transaction: the one this connection last wrote plus one, or one
 * seek to the end of the companion's range in records_seq (a third of
 * the cost of a record insert).  What is remembered goes stale
 * (store_comp_cache_clear()) on a rollback and when another connection
 * commits; records_seq would refuse a number taken anyway.
 */
static int
store_seq_next(struct store *st, const char *companion_id, int64_t *seq)
{
	struct store_seq_slot	*slot;
	sqlite3_stmt		*s;
	int			 rc;

	slot = store_seq_slot(st, companion_id);
	if (slot != NULL && slot->seq > 0) {
		*seq = slot->seq + 1;
		return STORE_OK;
	}
	s = st->stmt[STMT_RECORD_LAST_SEQ];
	store_bind_text(st, s, ":companion_id", companion_id,
	    STORE_ID_MAX + 1);
	rc = store_step(st, s, "record insert: sequence of %.*s",
	    STORE_ID_MAX, companion_id);
	*seq = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) + 1 : 1;
	store_done(st, s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * Count a new active record in tallies: the row of its companion, year,
 * kind and category gets one more, or is created with 1.  Inserts are
 * counted here rather than by a trigger (migration 9); cancellations and
 * deletions still are by triggers.
 */
static int
store_tally_add(struct store *st, const struct store_record *rec)
{
	static const enum store_stmt	 ids[] = {
		STMT_TALLY_ADD, STMT_TALLY_NEW
	};
	sqlite3_stmt			*s;
	size_t				 i;
	int				 rc;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		s = st->stmt[ids[i]];
		store_bind_text(st, s, ":companion_id", rec->companion_id,
		    sizeof(rec->companion_id));
		store_bind_int64(st, s, ":year", rec->year);
		store_bind_text(st, s, ":kind", rec->kind == STORE_KIND_GRAD ?
		    "G" : "K", 2);
		store_bind_int64(st, s, ":category", rec->category);
		rc = store_step(st, s, "tally of %.*s", STORE_ID_MAX,
		    rec->companion_id);
		store_done(st, s);
		if (rc != SQLITE_DONE)
			return STORE_ERROR;
		if (sqlite3_changes(st->db) > 0)
			return STORE_OK;
	}
	store_fail(st, "tally of %.*s: not counted", STORE_ID_MAX,
	    rec->companion_id);
	return STORE_ERROR;
}

/*
 * Insert a record unless an active one holds its natural key.  The
 * sequence is the companion's, shared by both kinds ("G001", "K002").
 * Outside a transaction the sequence and the insert run in one of our
 * own (IMMEDIATE: no other writer between them); inside the caller's, a
 * failure is undone by the caller's savepoint.
 *
 * The natural key is checked by the insert itself: records_grad_key and
 * records_visit_key are UNIQUE over active records, and a statement that
 * breaks one changes nothing.  Only then is the holder looked up, for
 * the message; a lookup before every insert cost a statement per MO.
 * The new record is counted in tallies in the same transaction.
 */
int
store_record_insert(struct store *st, struct store_record *rec)
{
	sqlite3_stmt		*s;
	struct store_seq_slot	*slot;
	struct store_record	 old;
	char			 ref[STORE_REF_MAX + 1];
	int64_t			 seq = 0, id = 0;
	int			 rc, own = 0;

	if (rec->kind != STORE_KIND_GRAD && rec->kind != STORE_KIND_VISIT) {
		store_fail(st, "record insert: kind %d is not G "
		    "or K", (int)rec->kind);
		return STORE_ERROR;
	}
	if (rec->kind == STORE_KIND_GRAD &&
	    (rec->category < 0 || rec->category > 31)) {
		store_fail(st, "record insert: category %d out of "
		    "range", rec->category);
		return STORE_ERROR;
	}
	if (sqlite3_get_autocommit(st->db)) {
		if ((rc = store_begin(st)) != STORE_OK)
			return rc;
		own = 1;
	}

	/*
	 * In a write transaction nobody else can take seq before our
	 * insert; records_seq would refuse it if someone did.
	 */
	if ((rc = store_seq_next(st, rec->companion_id, &seq)) != STORE_OK)
		goto done;
	if (store_ref_format(rec->kind, seq, ref, sizeof(ref)) == -1) {
		store_fail(st, "record insert: sequence %lld of "
		    "%.*s does not fit a reference", (long long)seq,
		    STORE_ID_MAX, rec->companion_id);
		rc = STORE_ERROR;
		goto done;
	}

	s = st->stmt[STMT_RECORD_INSERT];
	store_bind_int64(st, s, ":seq", seq);
	store_bind_text(st, s, ":ref", ref, sizeof(ref));
	store_bind_text(st, s, ":kind", rec->kind == STORE_KIND_GRAD ? "G" : "K",
	    2);
	store_bind_text(st, s, ":companion_id", rec->companion_id,
	    sizeof(rec->companion_id));
	store_bind_text(st, s, ":kpm_id", rec->kpm_id, sizeof(rec->kpm_id));
	store_bind_int64(st, s, ":category", rec->category);
	store_bind_opt_text(st, s, ":note", rec->note, sizeof(rec->note));
	store_bind_text(st, s, ":event_date", rec->event_date,
	    sizeof(rec->event_date));
	store_bind_int64(st, s, ":year", rec->year);
	store_bind_int64(st, s, ":tz_offset", rec->tz_offset);
	store_bind_int64(st, s, ":recorded_at", rec->recorded_at);
	store_bind_opt_int64(st, s, ":mo_id", rec->mo_id);
	rc = store_step(st, s, "record insert %s", ref);
	store_done(st, s);
	if (rc == SQLITE_DONE) {
		id = sqlite3_last_insert_rowid(st->db);
		rc = store_tally_add(st, rec);
		/*
		 * Still in the transaction, ours too: if it is rolled back
		 * instead of committed, the slot goes stale with it.
		 */
		if (rc == STORE_OK &&
		    (slot = store_seq_slot(st, rec->companion_id)) != NULL) {
			slot->seq = seq;
			if (slot->has_counts && slot->year == rec->year) {
				if (rec->kind == STORE_KIND_VISIT)
					slot->visits++;
				else if (slot->categories &
				    (1u << rec->category))
					slot->graduations++;
			}
		}
	} else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		/* A natural key, unless (impossibly) records_seq. */
		rc = store_record_find_key(st, rec, &old);
		if (rc == STORE_OK) {
			store_fail(st, "record insert: %.*s already holds "
			    "the key", STORE_REF_MAX, old.ref);
			rc = STORE_EXISTS;
		} else if (rc == STORE_NOTFOUND) {
			store_fail(st, "record insert: sequence %lld of "
			    "%.*s taken", (long long)seq, STORE_ID_MAX,
			    rec->companion_id);
			rc = STORE_ERROR;
		}
	} else {
		/* The foreign key is how an unknown companion shows. */
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			store_fail(st, "record insert: no companion %.*s",
			    STORE_ID_MAX, rec->companion_id);
		rc = STORE_ERROR;
	}

done:
	if (own) {
		if (rc == STORE_OK && store_commit(st) != STORE_OK)
			rc = STORE_ERROR;
		if (rc != STORE_OK)
			(void)store_rollback(st);	/* keeps our errmsg */
	}
	if (rc == STORE_OK) {
		rec->id = id;
		store_copy_str(rec->ref, sizeof(rec->ref), ref, strlen(ref));
		rec->cancelled_at = 0;
		rec->cancel_reason[0] = '\0';
	}
	return rc;
}

/*
 * The active record holding key's natural key: for a graduation the
 * KPM alone (one graduation per family, whoever recorded it), for a
 * visit the companion, the KPM and the day.
 */
int
store_record_find_key(struct store *st, const struct store_record *key,
    struct store_record *out)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (key->kind == STORE_KIND_GRAD)
		s = st->stmt[STMT_RECORD_FIND_GRAD];
	else {
		s = st->stmt[STMT_RECORD_FIND_VISIT];
		store_bind_text(st, s, ":companion_id", key->companion_id,
		    sizeof(key->companion_id));
		store_bind_text(st, s, ":event_date", key->event_date,
		    sizeof(key->event_date));
	}
	store_bind_text(st, s, ":kpm_id", key->kpm_id, sizeof(key->kpm_id));
	rc = store_step(st, s, "record find %.*s", STORE_ID_MAX, key->kpm_id);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		store_read_record(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * A record by its reference, cancelled or not (BATAL on a cancelled one
 * deserves its own answer).  The reference is read as Crockford does:
 * any case, O as 0, I and L as 1, leading zeros optional ("g1" is
 * G001).  The sequence number finds the row; the canonical reference,
 * which holds the kind, must match it too.
 */
int
store_record_by_ref(struct store *st, const char *companion_id,
    const char *ref, struct store_record *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_RECORD_BY_REF];
	char		 canon[STORE_REF_MAX + 1];
	int64_t		 seq;
	int		 rc;

	if (store_ref_parse(ref, &seq) == -1 ||
	    store_ref_format(ref[0] & ~0x20, seq, canon, sizeof(canon)) == -1)
		return STORE_NOTFOUND;		/* cannot be a reference */

	store_bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX + 1);
	store_bind_int64(st, s, ":seq", seq);
	store_bind_text(st, s, ":ref", canon, sizeof(canon));
	rc = store_step(st, s, "record by ref %s", canon);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		store_read_record(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * BATAL without a reference: the companion's active record with the
 * highest seq among those recorded at or after since.  "Latest" is the
 * highest seq, i.e. the last inserted: records are inserted in seq order
 * per companion with recorded_at the time of insertion, so recorded_at
 * does not fall as seq rises and the walk back from the newest record
 * stops at the first one older than since (cancelled or not) instead of
 * reading the companion's whole history.  (Were the clock set back,
 * that stop could hide an older record: BATAL would then find nothing,
 * never a wrong record.)
 */
int
store_record_last(struct store *st, const char *companion_id, int64_t since,
    struct store_record *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_RECORD_LAST];
	int		 rc;

	store_bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX + 1);
	while ((rc = store_step(st, s, "record last %.*s", STORE_ID_MAX,
	    companion_id)) == SQLITE_ROW) {
		if (sqlite3_column_int64(s, RECORD_COL_RECORDED_AT) < since) {
			rc = SQLITE_DONE;
			break;
		}
		if (sqlite3_column_type(s, RECORD_COL_CANCELLED_AT) ==
		    SQLITE_NULL)
			break;
	}
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		store_read_record(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * Cancel an active record: it stops counting and frees its natural key.
 * when must be non-zero, as 0 means "active" in struct store_record.
 */
int
store_record_cancel(struct store *st, int64_t id, int64_t when,
    const char *reason)
{
	sqlite3_stmt	*s = st->stmt[STMT_RECORD_CANCEL];
	int		 rc;

	if (when == 0) {
		store_fail(st, "record cancel %lld: no time",
		    (long long)id);
		return STORE_ERROR;
	}
	store_bind_int64(st, s, ":id", id);
	store_bind_int64(st, s, ":when", when);
	store_bind_opt_text(st, s, ":reason", reason == NULL ? "" : reason,
	    STORE_REASON_MAX);
	rc = store_step(st, s, "record cancel %lld", (long long)id);
	store_done(st, s);
	/* The counts this connection remembers (store_seq_slot()). */
	st->seq_gen++;
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "record cancel %lld: no such active "
		    "record", (long long)id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * From tallies, kept in step with records (store_tally_add() and the
 * triggers of migration 2): the cost does not grow with
 * the companion's records.  Categories outside 0..31 cannot be in the
 * mask and count for nothing.
 */
int
store_record_count(struct store *st, const char *companion_id,
    enum store_kind kind, int year, unsigned categories, int *count)
{
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if (kind == STORE_KIND_GRAD) {
		s = st->stmt[STMT_RECORD_COUNT_GRAD];
		store_bind_int64(st, s, ":categories", (int64_t)categories);
	} else
		s = st->stmt[STMT_RECORD_COUNT_VISIT];
	store_bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX + 1);
	store_bind_int64(st, s, ":year", year);
	rc = store_step(st, s, "record count %.*s", STORE_ID_MAX,
	    companion_id);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(s, 0);
		rc = STORE_OK;
	} else
		rc = STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * Both counts of a companion's year, as every confirmation shows them.
 * In a transaction, what this connection last read or wrote for the
 * same year and categories is answered from memory: store_record_insert()
 * keeps it in step, a cancellation, a rollback or another connection's
 * commit makes it stale.
 */
int
store_record_counts(struct store *st, const char *companion_id, int year,
    unsigned categories, int *graduations, int *visits)
{
	sqlite3_stmt		*s = st->stmt[STMT_RECORD_COUNTS];
	struct store_seq_slot	*slot;
	int			 rc;

	*graduations = *visits = 0;
	slot = store_seq_slot(st, companion_id);
	if (slot != NULL && slot->has_counts && slot->year == year &&
	    slot->categories == categories) {
		*graduations = slot->graduations;
		*visits = slot->visits;
		return STORE_OK;
	}
	store_bind_int64(st, s, ":categories", (int64_t)categories);
	store_bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX + 1);
	store_bind_int64(st, s, ":year", year);
	rc = store_step(st, s, "record counts %.*s", STORE_ID_MAX,
	    companion_id);
	if (rc == SQLITE_ROW) {
		*graduations = sqlite3_column_int(s, 0);
		*visits = sqlite3_column_int(s, 1);
		rc = STORE_OK;
	} else
		rc = STORE_ERROR;
	store_done(st, s);
	if (rc == STORE_OK && slot != NULL) {
		slot->has_counts = 1;
		slot->year = year;
		slot->categories = categories;
		slot->graduations = *graduations;
		slot->visits = *visits;
	}
	return rc;
}

/* Export: every record of a kind, cancelled ones too, by id. */
int
store_record_each(struct store *st, enum store_kind kind,
    int (*cb)(void *, const struct store_record *), void *arg)
{
	sqlite3_stmt		*s;
	struct store_record	 r;
	int			 rc;

	s = st->stmt[kind == STORE_KIND_GRAD ? STMT_RECORD_EACH_GRAD :
	    STMT_RECORD_EACH_VISIT];
	while ((rc = store_step(st, s, "record each")) == SQLITE_ROW) {
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
