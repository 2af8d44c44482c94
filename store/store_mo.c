/*
 * store_mo.c: inbound messages and their redeliveries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

int
store_mo_insert(struct store *st, struct store_mo *mo)
{
	sqlite3_stmt	*s = st->stmt[STMT_MO_INSERT];
	int		 rc;

	store_bind_text(st, s, ":sender", mo->sender, sizeof(mo->sender));
	store_bind_text(st, s, ":dest", mo->dest, sizeof(mo->dest));
	store_bind_text(st, s, ":text", mo->text, sizeof(mo->text));
	store_bind_opt_text(st, s, ":smsc_ref", mo->smsc_ref, sizeof(mo->smsc_ref));
	store_bind_int64(st, s, ":received_at", mo->received_at);
	rc = store_step(st, s, "mo insert");
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	mo->id = sqlite3_last_insert_rowid(st->db);
	mo->deliveries = 1;
	store_recent_add(st, mo);
	return STORE_OK;
}

/*
 * The latest MO (by received_at, then id) from sender with exactly this
 * text (byte for byte) received at or after since: from memory, see
 * store_recent.c.
 */
int
store_mo_find_recent(struct store *st, const char *sender, const char *text,
    int64_t since, struct store_mo *out)
{
	return store_recent_find(st, sender, text, since, out);
}

/* Count one more delivery of MO id; STORE_NOTFOUND for no such MO. */
int
store_mo_redelivered(struct store *st, int64_t id)
{
	sqlite3_stmt	*s = st->stmt[STMT_MO_REDELIVERED];
	int		 rc;

	store_bind_int64(st, s, ":id", id);
	rc = store_step(st, s, "mo redelivered %lld", (long long)id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "mo redelivered %lld: no such mo",
		    (long long)id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}
