/*
 * smpp_parts.c: long MOs, part by part (see smpp_batch.c for the road an
 * op takes).
 *
 * On the loop, smpp_session_concat() reads what a deliver_sm says about
 * concatenation (a UDH, or the SAR TLVs).  On the worker, each part is
 * kept in the store in the transaction that acknowledges it
 * (store_parts.c), and the part that completes a message hands the whole
 * text to mo_handle() in the same transaction; smpp_part_expire()
 * handles the messages still missing parts after [limits] concat_timeout
 * as they are, with a mark where parts are missing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "concat.h"
#include "config.h"
#include "log.h"
#include "mo.h"
#include "smpp_internal.h"
#include "smpp_pdu.h"
#include "store.h"

#define SMPP_EXPIRE_MAX		16	/* long MOs given up per op */

/* The text of a message's pending parts, in seq order, with gaps. */
struct smpp_join {
	char		*buf;		/* From malloc() */
	size_t		 len;
	size_t		 cap;
	int		 next;		/* seq expected next */
	int		 count;		/* parts joined */
	int64_t		 first_at;	/* earliest arrival */
	int		 nomem;
};

/* The messages an expiry gives up, as store_part_expired() found them. */
struct smpp_keys {
	struct store_part	 k[SMPP_EXPIRE_MAX];
	size_t			 n;
};

static void		 smpp_join_add(struct smpp_join *, const char *,
			    size_t);
static int		 smpp_join_part(void *, const struct store_part *);
static int		 smpp_join_message(struct store *,
			    const struct store_part *, struct smpp_join *);
static int		 smpp_part_handle(struct smpp_session *,
			    const struct config *, const struct store_part *,
			    const char *, int64_t, struct mo_result *);
static int		 smpp_part_give_up(struct smpp_session *,
			    const struct config *, const struct store_part *,
			    int64_t, const char *, struct smpp_gone *);
static int		 smpp_part_key(void *, const struct store_part *);

/*
 * Long MOs.  Each part is kept in the store in the transaction that
 * acknowledges it (store_parts.c); the store, not memory, says when a
 * message is complete, so parts acknowledged before a crash complete
 * the message when the last one comes after the restart.  A finished
 * message's parts stay a while (max of concat_timeout and
 * redelivery_window) so that one delivered again is a duplicate, not
 * the start of a message that would only expire.
 */

/* Append n bytes of s; on failure remember it and keep what is there. */
static void
smpp_join_add(struct smpp_join *j, const char *s, size_t n)
{
	size_t	 cap;
	char	*p;

	if (j->nomem)
		return;
	if (n >= j->cap - j->len) {
		cap = j->cap;
		while (n >= cap - j->len)
			cap = cap < 1024 ? 1024 : cap * 2;
		if ((p = realloc(j->buf, cap)) == NULL) {
			j->nomem = 1;
			return;
		}
		j->buf = p;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

/* store_part_list() callback: one part, after a gap if parts are missing. */
static int
smpp_join_part(void *arg, const struct store_part *p)
{
	struct smpp_join	*j = arg;

	if (p->seq > j->next)
		smpp_join_add(j, CONCAT_GAP, sizeof(CONCAT_GAP) - 1);
	smpp_join_add(j, p->text, strlen(p->text));
	j->next = p->seq + 1;
	j->count++;
	if (j->first_at == 0 || p->received_at < j->first_at)
		j->first_at = p->received_at;
	return 0;
}

/*
 * Join the pending parts of key's message into j (j->buf From malloc(),
 * the caller's to free, even on failure).  0, -1 on a store failure,
 * -2 out of memory.
 */
static int
smpp_join_message(struct store *st, const struct store_part *key,
    struct smpp_join *j)
{
	memset(j, 0, sizeof(*j));
	j->next = 1;
	smpp_join_add(j, "", 0);
	if (store_part_list(st, key, smpp_join_part, j) != STORE_OK)
		return -1;
	if (j->next <= key->total)
		smpp_join_add(j, CONCAT_GAP, sizeof(CONCAT_GAP) - 1);
	return j->nomem ? -2 : 0;
}

/*
 * Hand the text of key's message to mo_handle() as one MO that came at
 * now, and mark its parts finished with that MO.
 */
static int
smpp_part_handle(struct smpp_session *s, const struct config *cfg,
    const struct store_part *key, const char *text, int64_t now,
    struct mo_result *r)
{
	struct mo_in	 in;

	memset(&in, 0, sizeof(in));
	in.sender = key->sender;
	in.sender_ton = key->sender_ton;
	in.dest = key->dest;
	in.text = text;
	in.now = now;
	in.flood = s->flood;
	if (mo_handle(s->st, cfg, &in, r) == -1)
		return -1;
	return store_part_finish(s->st, key, r->mo_id, now) == STORE_OK ?
	    0 : -1;
}

/*
 * Give up key's message as it is (its parts missing marked), into g.
 * 0, -1 store failure, -2 out of memory.
 */
static int
smpp_part_give_up(struct smpp_session *s, const struct config *cfg,
    const struct store_part *key, int64_t now, const char *reason,
    struct smpp_gone *g)
{
	struct smpp_join	 j;
	int			 rc;

	if ((rc = smpp_join_message(s->st, key, &j)) != 0) {
		free(j.buf);
		return rc;
	}
	snprintf(g->sender, sizeof(g->sender), "%s", key->sender);
	g->ref = (uint16_t)key->ref;
	g->total = (uint8_t)key->total;
	g->received = (uint8_t)j.count;
	g->first_at = j.first_at;
	g->reason = reason;
	g->text = j.buf;
	return smpp_part_handle(s, cfg, key, g->text, now, &g->r);
}

/*
 * On the worker: keep one part; if it was the last one missing, the
 * message goes to mo_handle() and its parts are finished.  A part held
 * already with the same text is a redelivery.  With another text the
 * sender has reused the reference: the old message, if it still waits,
 * is handled as it is, its finished parts are forgotten, and the new
 * one begins.  0, -1 store failure, -2 out of memory.
 */
int
smpp_part_exec(struct smpp_session *s, const struct config *cfg,
    struct smpp_op *op)
{
	struct store_part	 p;
	struct smpp_join	 j;
	int64_t			 mo_id;
	int			 rc, same, n;

	memset(&p, 0, sizeof(p));
	snprintf(p.sender, sizeof(p.sender), "%s", op->sender);
	p.sender_ton = op->sender_ton;
	snprintf(p.dest, sizeof(p.dest), "%s", op->dest);
	p.ref = op->part_ref;
	p.total = op->part_total;
	p.seq = op->part_seq;
	p.text = op->text;
	p.received_at = op->now;

	if ((rc = store_part_insert(s->st, &p)) == STORE_EXISTS) {
		if ((rc = store_part_find(s->st, &p, &same, &mo_id)) ==
		    STORE_ERROR)
			return -1;
		if (rc == STORE_OK && same) {
			op->part_state = SMPP_PART_DUPLICATE;
			op->r.mo_id = mo_id;
			if (store_part_count(s->st, &p, &op->part_received) !=
			    STORE_OK)
				return -1;
			return 0;
		}
		if (rc == STORE_OK && mo_id == 0) {
			if ((op->gone = calloc(1, sizeof(*op->gone))) == NULL)
				return -2;
			op->n_gone = 1;
			if ((rc = smpp_part_give_up(s, cfg, &p, op->now,
			    "superseded", op->gone)) != 0)
				return rc;
		}
		if (store_part_forget(s->st, &p) != STORE_OK ||
		    store_part_insert(s->st, &p) != STORE_OK)
			return -1;
	} else if (rc != STORE_OK)
		return -1;

	if (store_part_count(s->st, &p, &n) != STORE_OK)
		return -1;
	op->part_received = n;
	if (n < p.total) {
		op->part_state = SMPP_PART_STORED;
		return 0;
	}
	if ((rc = smpp_join_message(s->st, &p, &j)) != 0) {
		free(j.buf);
		return rc;
	}
	op->joined = j.buf;
	op->part_state = SMPP_PART_COMPLETE;
	return smpp_part_handle(s, cfg, &p, op->joined, op->now, &op->r);
}

/* store_part_expired() callback: collect the keys, up to the limit. */
static int
smpp_part_key(void *arg, const struct store_part *p)
{
	struct smpp_keys	*keys = arg;

	keys->k[keys->n++] = *p;
	return keys->n == SMPP_EXPIRE_MAX;
}

/*
 * On the worker: handle the messages whose first part came
 * concat_timeout ago or more with the parts they have, at most
 * SMPP_EXPIRE_MAX of them (op->more says there may be others), and
 * forget the finished parts nobody will deliver again.  0, -1 store
 * failure, -2 out of memory.
 */
int
smpp_part_expire(struct smpp_session *s, const struct config *cfg,
    struct smpp_op *op, int64_t now)
{
	struct smpp_keys	 keys;
	int64_t			 keep;
	size_t			 i;
	int			 rc, n;

	keys.n = 0;
	if (store_part_expired(s->st, now - cfg->limits_concat_timeout + 1,
	    SMPP_EXPIRE_MAX, smpp_part_key, &keys) != STORE_OK)
		return -1;
	if (keys.n > 0 &&
	    (op->gone = calloc(keys.n, sizeof(*op->gone))) == NULL)
		return -2;
	for (i = 0; i < keys.n; i++) {
		op->n_gone++;
		if ((rc = smpp_part_give_up(s, cfg, &keys.k[i], now,
		    "expired", &op->gone[i])) != 0)
			return rc;
	}
	op->more = keys.n == SMPP_EXPIRE_MAX;
	keep = cfg->limits_concat_timeout;
	if (cfg->limits_redelivery_window > keep)
		keep = cfg->limits_redelivery_window;
	return store_part_purge(s->st, now - keep, &n) == STORE_OK ? 0 : -1;
}

/*
 * On the loop: split a deliver_sm's user data into the text's offset and
 * what it says about concatenation (ci->total 0: a message of its own),
 * from the UDH or else the SAR TLVs.  -1 when the UDH runs past the
 * message (answered as malformed); a concatenation IE or SAR TLVs that
 * make no sense are logged and the message handled on its own.
 */
int
smpp_session_concat(struct smpp_session *s, const struct smpp_header *h,
    const struct smpp_msg *m, size_t *udh_len, struct concat_part_info *ci,
    const char **via)
{
	memset(ci, 0, sizeof(*ci));
	*udh_len = 0;
	*via = "";
	if ((m->esm_class & 0x40) && m->sm_len > 0) {
		*udh_len = (size_t)m->sm[0] + 1;
		if (*udh_len > m->sm_len)
			return -1;
		if (concat_udh_parse(m->sm, m->sm_len, ci) == -1) {
			log_warnx("mo_udh_invalid link=%u seq=%u udhl=%zu "
			    "action=single", s->link_id, h->seq, *udh_len);
			memset(ci, 0, sizeof(*ci));
		}
		*via = ci->ref_bits == 16 ? "udh16" : "udh8";
	} else if (m->has_sar) {
		ci->ref = m->sar_msg_ref_num;
		ci->total = m->sar_total_segments;
		ci->seq = m->sar_segment_seqnum;
		ci->ref_bits = 16;
		*via = "sar";
		if (ci->total == 0 || ci->seq == 0 || ci->seq > ci->total) {
			log_warnx("mo_sar_invalid link=%u seq=%u part=%u/%u "
			    "action=single", s->link_id, h->seq, ci->seq,
			    ci->total);
			memset(ci, 0, sizeof(*ci));
		}
	}
	return 0;
}
