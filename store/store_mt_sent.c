/*
 * store_mt_sent.c: the outbox's submit_sm_resp ESME_ROK, many at once.
 *
 * Each reply sent is an UPDATE of its mt row: by itself, opening the
 * table and the indexes it changes cost as much as the change.  A
 * batch's SENT fates are applied by one statement per STORE_MT_SENT_ROWS
 * instead, with the same effect as store_mt_mark_sent() on each in turn.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store_sqlite.h"

static int	store_mt_sent_rows(struct store *, size_t, const int64_t *,
		    const char *const *, int64_t, int *);

/*
 * Up to STORE_MT_SENT_ROWS of them in one statement.  When it changes
 * fewer rows than it was given (an MT unknown, or named twice), each is
 * applied again alone, in order, to say which were found and to leave
 * the last message id given for an MT, as one by one would.
 */
static int
store_mt_sent_rows(struct store *st, size_t n, const int64_t *ids,
    const char *const *message_ids, int64_t when, int *found)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_MARK_SENT_ROWS];
	const char	*m;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++) {
		m = message_ids[i];
		store_bind_check(st, sqlite3_bind_int64(s, (int)(2 * i + 1),
		    ids[i]));
		if (m == NULL || m[0] == '\0')
			store_bind_check(st, sqlite3_bind_null(s,
			    (int)(2 * i + 2)));
		else
			store_bind_check(st, sqlite3_bind_text(s,
			    (int)(2 * i + 2), m,
			    (int)strnlen(m, STORE_MSGID_MAX), SQLITE_STATIC));
	}
	store_bind_opt_int64(st, s, ":when", when);
	rc = store_step(st, s, "mt mark sent (%zu)", n);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if ((size_t)sqlite3_changes(st->db) == n) {
		for (i = 0; i < n; i++)
			found[i] = STORE_OK;
		return STORE_OK;
	}
	for (i = 0; i < n; i++) {
		found[i] = store_mt_mark_sent(st, ids[i], message_ids[i], when);
		if (found[i] == STORE_ERROR)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/*
 * submit_sm_resp ESME_ROK for n MTs: ids[i] was sent with message id
 * message_ids[i] (NULL or "" for none).  found[i] gets STORE_OK, or
 * STORE_NOTFOUND for no such MT.  STORE_ERROR when the store failed;
 * the caller's transaction is then to be rolled back.
 */
int
store_mt_mark_sent_many(struct store *st, size_t n, const int64_t *ids,
    const char *const *message_ids, int64_t when, int *found)
{
	size_t	i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < STORE_MT_SENT_ROWS ? n - i : STORE_MT_SENT_ROWS;
		if (store_mt_sent_rows(st, k, ids + i, message_ids + i, when,
		    found + i) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}
