/*
 * store_roster.c: companions and their KPM.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

static int	store_get_companion(struct store *, enum store_stmt,
		    const char *, const char *, const char *,
		    struct store_companion *);

/* Add a companion; STORE_EXISTS when the id or the phone is taken. */
int
store_companion_add(struct store *st, const struct store_companion *c)
{
	sqlite3_stmt	*s = st->stmt[STMT_COMPANION_ADD];
	int		 rc;

	store_bind_text(st, s, ":id", c->id, sizeof(c->id));
	store_bind_text(st, s, ":phone", c->phone, sizeof(c->phone));
	store_bind_text(st, s, ":name", c->name, sizeof(c->name));
	store_bind_text(st, s, ":timezone", c->timezone, sizeof(c->timezone));
	store_bind_text(st, s, ":language", c->language, sizeof(c->language));
	store_bind_int64(st, s, ":active", c->active != 0);
	store_bind_text(st, s, ":region", c->region, sizeof(c->region));
	rc = store_step(st, s, "companion add %.*s", STORE_ID_MAX, c->id);
	store_done(st, s);
	store_comp_cache_clear(st);
	return rc == SQLITE_DONE ? STORE_OK : store_status(rc);
}

/*
 * Change everything but the id (and the sequence).  STORE_NOTFOUND for
 * an unknown id, STORE_EXISTS when the new phone is another's.  An
 * empty phone keeps the stored one: an erased companion's reads as "".
 */
int
store_companion_update(struct store *st, const struct store_companion *c)
{
	sqlite3_stmt	*s = st->stmt[STMT_COMPANION_UPDATE];
	int		 rc;

	store_bind_text(st, s, ":id", c->id, sizeof(c->id));
	store_bind_opt_text(st, s, ":phone", c->phone, sizeof(c->phone));
	store_bind_text(st, s, ":name", c->name, sizeof(c->name));
	store_bind_text(st, s, ":timezone", c->timezone, sizeof(c->timezone));
	store_bind_text(st, s, ":language", c->language, sizeof(c->language));
	store_bind_int64(st, s, ":active", c->active != 0);
	store_bind_text(st, s, ":region", c->region, sizeof(c->region));
	rc = store_step(st, s, "companion update %.*s", STORE_ID_MAX, c->id);
	store_done(st, s);
	store_comp_cache_clear(st);
	if (rc != SQLITE_DONE)
		return store_status(rc);
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "companion update %.*s: no such "
		    "companion", STORE_ID_MAX, c->id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * One companion by the single key (parameter name) that statement id
 * takes; what is the error context, which must not hold a phone.
 */
static int
store_get_companion(struct store *st, enum store_stmt id, const char *what,
    const char *name, const char *key, struct store_companion *out)
{
	sqlite3_stmt	*s = st->stmt[id];
	int		 rc;

	store_bind_text(st, s, name, key, STORE_ID_MAX + 1);
	rc = store_step(st, s, "%s", what);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		store_read_companion(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

int
store_companion_get(struct store *st, const char *id,
    struct store_companion *out)
{
	return store_get_companion(st, STMT_COMPANION_GET, "companion get",
	    ":id", id, out);
}

/*
 * Through the cache: two slots per hash of the phone, the most recently
 * used first (phones are often allocated in runs, and one slot each
 * made pairs of them evict each other).  In a transaction, store_begin()
 * has checked the cache already; outside one, each call checks it.
 */
int
store_companion_by_phone(struct store *st, const char *phone,
    struct store_companion *out)
{
	struct store_comp_slot	*a, tmp;
	uint32_t		 h = 2166136261u;
	const char		*p;
	int			 rc;

	if (sqlite3_get_autocommit(st->db) &&
	    store_cache_check(st) != STORE_OK)
		return STORE_ERROR;
	if (st->comp_cache == NULL && (st->comp_cache = calloc(
	    1u << STORE_COMP_CACHE_BITS, sizeof(*st->comp_cache))) == NULL) {
		store_fail(st, "companion cache: out of memory");
		return STORE_ERROR;
	}
	/* FNV-1a, then murmur3's finalizer for the top bits. */
	for (p = phone; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	a = &st->comp_cache[(h >> (32 - STORE_COMP_CACHE_BITS)) & ~1u];
	if (a[1].phone[0] != '\0' && strcmp(a[1].phone, phone) == 0) {
		tmp = a[0];
		a[0] = a[1];
		a[1] = tmp;
	}
	if (a[0].phone[0] != '\0' && strcmp(a[0].phone, phone) == 0) {
		if (!a[0].found)
			return STORE_NOTFOUND;
		*out = a[0].c;
		return STORE_OK;
	}
	rc = store_get_companion(st, STMT_COMPANION_BY_PHONE,
	    "companion by phone", ":phone", phone, out);
	if ((rc == STORE_OK || rc == STORE_NOTFOUND) &&
	    strlen(phone) < sizeof(a->phone)) {
		a[1] = a[0];
		memcpy(a[0].phone, phone, strlen(phone) + 1);
		a[0].found = rc == STORE_OK;
		if (rc == STORE_OK)
			a[0].c = *out;
	}
	return rc;
}

/*
 * Forget every cached companion (our own write, a rollback), and the
 * sequence numbers store_record_insert() remembers.
 */
void
store_comp_cache_clear(struct store *st)
{
	size_t	i;

	st->seq_gen++;
	if (st->comp_cache == NULL)
		return;
	for (i = 0; i < 1u << STORE_COMP_CACHE_BITS; i++)
		st->comp_cache[i].phone[0] = '\0';
}

/*
 * Clear the cache if another connection (pilarctl, an operator's
 * sqlite3) has committed since it was filled, and have the redelivery
 * window read what it may have added.  Any change counts, not only to
 * companions: it is rare, and the cache refills in a batch.
 */
int
store_cache_check(struct store *st)
{
	sqlite3_stmt	*s = st->stmt[STMT_DATA_VERSION];
	int64_t		 v;
	int		 rc;

	rc = store_step(st, s, "data_version");
	v = sqlite3_column_int64(s, 0);
	store_done(st, s);
	if (rc != SQLITE_ROW)
		return STORE_ERROR;
	if (v != st->data_version) {
		st->data_version = v;
		store_comp_cache_clear(st);
		store_recent_stale(st);
	}
	return STORE_OK;
}

/*
 * Call cb for each companion by id.  cb may use the store, but not
 * store_companion_each itself: the statement is in use until we return.
 */
int
store_companion_each(struct store *st,
    int (*cb)(void *, const struct store_companion *), void *arg)
{
	sqlite3_stmt		*s = st->stmt[STMT_COMPANION_EACH];
	struct store_companion	 c;
	int			 rc;

	while ((rc = store_step(st, s, "companion each")) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		store_read_companion(s, &c);
		if (cb(arg, &c) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * Insert or replace a KPM by id.  An unknown companion fails the
 * foreign key; the message names it, since pilarctl reports it per line.
 */
int
store_kpm_put(struct store *st, const struct store_kpm *k)
{
	sqlite3_stmt	*s = st->stmt[STMT_KPM_PUT];
	int		 rc;

	store_bind_text(st, s, ":id", k->id, sizeof(k->id));
	store_bind_text(st, s, ":name", k->name, sizeof(k->name));
	store_bind_opt_text(st, s, ":phone", k->phone, sizeof(k->phone));
	store_bind_text(st, s, ":companion_id", k->companion_id,
	    sizeof(k->companion_id));
	store_bind_int64(st, s, ":opted_out", k->opted_out != 0);
	rc = store_step(st, s, "kpm put %.*s", STORE_ID_MAX, k->id);
	store_done(st, s);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		store_fail(st, "kpm put %.*s: no companion %.*s",
		    STORE_ID_MAX, k->id, STORE_ID_MAX, k->companion_id);
	return STORE_ERROR;
}

int
store_kpm_get(struct store *st, const char *id, struct store_kpm *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_KPM_GET];
	int		 rc;

	store_bind_text(st, s, ":id", id, STORE_ID_MAX + 1);
	rc = store_step(st, s, "kpm get %.*s", STORE_ID_MAX, id);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		store_read_kpm(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * The companion of KPM id, which is all a report needs of it: a copy
 * of one column instead of the whole row (store_kpm_get()).
 */
int
store_kpm_owner(struct store *st, const char *id, char *companion_id)
{
	sqlite3_stmt	*s = st->stmt[STMT_KPM_OWNER];
	int		 rc;

	store_bind_text(st, s, ":id", id, STORE_ID_MAX + 1);
	rc = store_step(st, s, "kpm owner %.*s", STORE_ID_MAX, id);
	if (rc == SQLITE_ROW) {
		store_col_text(s, 0, companion_id, STORE_ID_MAX + 1);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * STOP / MULAI from a phone: every KPM with it.  An empty phone
 * matches nobody (unknown phones are stored as NULL).
 */
int
store_kpm_set_optout(struct store *st, const char *phone, int opted_out,
    int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_KPM_OPTOUT];

	*n = 0;
	if (phone[0] == '\0')
		return STORE_OK;
	store_bind_text(st, s, ":phone", phone, STORE_PHONE_MAX + 1);
	store_bind_int64(st, s, ":opted_out", opted_out != 0);
	return store_run_count(st, STMT_KPM_OPTOUT, "kpm optout", n);
}
