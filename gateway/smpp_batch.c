/*
 * smpp_batch.c: deliver_sm in, stored on the worker, answered after the
 * commit.
 *
 * The loop thread fills a batch with store work (MOs, receipts, the
 * fates of submitted MTs) and with the responses to send.  At the end
 * of a read pass the batch goes to the worker thread, which runs it in
 * one store transaction, a savepoint per MO so that one bad message
 * does not undo the others, and commits.  Meanwhile the loop goes on
 * reading into the other batch.  When the worker hands the batch back,
 * the loop answers: ESME_ROK only for what is durably stored,
 * ESME_RX_T_APPN (the SMSC delivers again) for what is not; then the
 * replies join the outbox.  Delivery receipts take the same road and
 * never reach the grammar.  What a deliver_sm becomes is decided in
 * smpp_deliver.c.
 *
 * A long MO comes as parts (a UDH with a concatenation IE, or the SAR
 * TLVs), each a deliver_sm of its own.  Each part is an op that keeps it
 * in the store and, when it was the last one missing, hands the whole
 * text to mo_handle() in the same transaction; a part is acknowledged
 * like an MO, once that is committed.  The loop's tick queues an op now
 * and then that handles the messages still missing parts after
 * [limits] concat_timeout as they are (smpp_parts.c, smpp_remind.c).
 *
 * Reminders take the same road: the tick queues an SMPP_OP_REMIND now
 * and then, which queues one chunk of due recipients in the batch's
 * transaction (smpp_remind.c).  After each batch the loop pages
 * reminders into the outbox, which sends them after the replies.
 *
 * Threads: between worker_submit() and smpp_batch_done() the running
 * batch, the store and s->flood belong to the worker; the loop touches
 * none of them.  The worker touches nothing else (no log, no outbox, no
 * socket).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "flood.h"
#include "log.h"
#include "metrics.h"
#include "mo.h"
#include "outbox.h"
#include "phone.h"
#include "receipt.h"
#include "smpp_internal.h"
#include "smpp_pdu.h"
#include "store.h"
#include "worker.h"

#define SMPP_FLOOD_SWEEP_S	60
#define SMPP_SENT_CHUNK		64	/* SENT fates per store call */
/* The SENT fate of an MT of one SMS, which smpp_batch_sent() applies. */
#define SMPP_OP_SENT_ONE(op)	((op)->kind == SMPP_OP_MT && \
				    (op)->fate == OUTBOX_SENT && \
				    (op)->part_total <= 1)

static void		 smpp_batch_run(void *, void *);
static int		 smpp_batch_exec(struct smpp_session *,
			    struct smpp_batch *, int64_t, int);
static int		 smpp_batch_sent(struct smpp_session *,
			    struct smpp_batch *, int64_t);
static void		 smpp_batch_done(void *, void *);
static void		 smpp_batch_answer(struct smpp_session *,
			    struct smpp_batch *);
static void		 smpp_batch_keep_rest(struct smpp_batch *, size_t,
			    size_t);
static int		 smpp_batch_unit(struct smpp_session *,
			    struct smpp_batch *, struct smpp_op *, int64_t,
			    int);
static void		 smpp_batch_mo_done(struct smpp_session *, uint32_t,
			    const struct mo_result *, const char *, int,
			    int64_t);
static void		 smpp_batch_part_done(struct smpp_session *,
			    const struct smpp_op *);
static void		 smpp_batch_gone(struct smpp_session *, uint32_t,
			    const struct smpp_gone *);
static void		 smpp_op_clear(struct smpp_op *);
static int		 smpp_batch_mt(struct smpp_session *, struct smpp_op *,
			    int64_t);

/*
 * Before the worker starts, the store is the loop's: say what long MOs
 * wait for parts from before (they complete or expire as usual).
 */
void
smpp_batch_init(struct smpp_session *s)
{
	int	msgs, parts;

	if (store_part_stats(s->st, &msgs, &parts) == STORE_OK && msgs > 0)
		log_info("mo_parts_pending messages=%d parts=%d", msgs, parts);
	s->filling = &s->batch[0];
	s->running = NULL;
	s->worker = worker_new(s->base, smpp_batch_run, smpp_batch_done, s);
}

void
smpp_batch_free(struct smpp_session *s)
{
	size_t	i, j;

	/* Lets a running batch finish: its done() answers it. */
	s->worker_stopping = 1;
	worker_free(s->worker);
	s->worker = NULL;
	/* What was still filling is run here: the store is ours now. */
	if (s->filling->n_ops > 0) {
		s->filling->cfg = *s->cfg;
		smpp_batch_run(s->filling, s);
		smpp_batch_answer(s, s->filling);
	}
	for (i = 0; i < 2; i++) {
		for (j = 0; j < s->batch[i].n_ops; j++) {
			free(s->batch[i].ops[j].text);
			smpp_op_clear(&s->batch[i].ops[j]);
		}
		free(s->batch[i].ops);
		free(s->batch[i].acks);
	}
}

struct smpp_ack *
smpp_session_ack(struct smpp_session *s, uint32_t command_id, uint32_t seq,
    uint32_t status)
{
	struct smpp_batch	*b = s->filling;
	struct smpp_ack		*a;

	if (b->n_acks == b->cap_acks) {
		size_t	cap = b->cap_acks ? b->cap_acks * 2 : 64;

		if ((a = reallocarray(b->acks, cap, sizeof(*a))) == NULL)
			fatal("smpp_session_ack");
		b->acks = a;
		b->cap_acks = cap;
	}
	a = &b->acks[b->n_acks++];
	a->command_id = command_id;
	a->seq = seq;
	a->status = status;
	return a;
}

/* A new op in the filling batch, zeroed but for its kind. */
struct smpp_op *
smpp_batch_op(struct smpp_session *s, enum smpp_op_kind kind)
{
	struct smpp_batch	*b = s->filling;
	struct smpp_op		*op;

	if (b->n_ops == b->cap_ops) {
		size_t	cap = b->cap_ops ? b->cap_ops * 2 : 64;

		if ((op = reallocarray(b->ops, cap, sizeof(*op))) == NULL)
			fatal("smpp_batch_op");
		b->ops = op;
		b->cap_ops = cap;
	}
	op = &b->ops[b->n_ops++];
	/* All but the large mo_result, which mo_handle() fills itself. */
	memset(op, 0, offsetof(struct smpp_op, r));
	memset(op->forms, 0, sizeof(*op) - offsetof(struct smpp_op, forms));
	op->kind = kind;
	op->ack = SIZE_MAX;
	return op;
}

void
smpp_session_store_call(struct smpp_session *s, smpp_store_fn *run,
    smpp_done_fn *done, void *arg)
{
	struct smpp_op	*op = smpp_batch_op(s, SMPP_OP_CALL);

	op->call_run = run;
	op->call_done = done;
	op->call_arg = arg;
	smpp_session_flush(s);
}

struct smpp_op *
smpp_session_mt_op(struct smpp_session *s, int64_t mt_id,
    enum outbox_fate fate, uint32_t status, const char *message_id)
{
	struct smpp_op	*op = smpp_batch_op(s, SMPP_OP_MT);

	op->mt_id = mt_id;
	op->fate = fate;
	op->status = status;
	snprintf(op->message_id, sizeof(op->message_id), "%s",
	    message_id != NULL ? message_id : "");
	return op;
}

/*
 * On the worker: an MT's fate to its row.  A part of a long MT keeps
 * its message id for the receipts; the last part marks the MT sent.
 */
static int
smpp_batch_mt(struct smpp_session *s, struct smpp_op *op, int64_t now)
{
	int	rc;

	if ((op->fate == OUTBOX_SENT || op->fate == OUTBOX_PART_SENT) &&
	    op->part_total > 1 && (rc = store_mt_part_sent(s->st, op->mt_id,
	    op->part_seq, op->part_total, op->mt_via, op->message_id,
	    now)) != STORE_OK)
		return rc;
	switch (op->fate) {
	case OUTBOX_PART_SENT:
		return STORE_OK;
	case OUTBOX_SENT:
		return store_mt_mark_sent(s->st, op->mt_id, op->message_id,
		    now);
	case OUTBOX_RETRY:
		return store_mt_attempt(s->st, op->mt_id, (int)op->status);
	case OUTBOX_UNKNOWN:
		return store_mt_mark_unknown(s->st, op->mt_id, now);
	default:
		return store_mt_mark_failed(s->st, op->mt_id,
		    (int)op->status, now);
	}
}

/*
 * On the worker: the whole batch in one transaction.  Nothing here may
 * log or touch the loop's state: results go into the ops.
 *
 * A savepoint around each MO costs two statements per MO, a tenth of
 * its store time, to guard against what almost never happens: an MO
 * that fails alone.  So the batch runs without them first, and only if
 * an MO fails is the transaction rolled back and the batch run again
 * with them, so that the others are still stored.  The second run sees
 * the flood guard's counts of the first: a sender of that batch may
 * reach its limit one message early.
 */
static void
smpp_batch_run(void *job, void *arg)
{
	struct smpp_session	*s = arg;
	struct smpp_batch	*b = job;
	const struct config	*cfg = &b->cfg;
	int64_t			 now = (int64_t)time(NULL);
	size_t			 i;
	int			 rc;

	flood_configure(s->flood, cfg->limits_mo_count, cfg->limits_mo_window,
	    cfg->limits_loop_guard, cfg->limits_loop_mute);
	if (now - s->flood_swept > SMPP_FLOOD_SWEEP_S) {
		s->flood_swept = now;
		flood_sweep(s->flood, now);
	}
	b->committed = 0;
	b->retried = 0;
	b->err[0] = '\0';
	if ((rc = smpp_batch_exec(s, b, now, 0)) == -1) {
		b->retried = 1;
		store_rollback(s->st);
		rc = smpp_batch_exec(s, b, now, 1);
	}
	if (rc == -2) {
		for (i = 0; i < b->n_ops; i++)
			b->ops[i].rc = -1;
		return;
	}
	if (store_commit(s->st) != STORE_OK) {
		snprintf(b->err, sizeof(b->err), "%s", store_errmsg(s->st));
		store_rollback(s->st);
		return;
	}
	b->committed = 1;
}

/*
 * The batch's SENT fates of MTs of one SMS, applied first and together
 * (store_mt_mark_sent_many(): one statement for 32, 3% of the store
 * worker's instructions per MO less).  Ahead of the other ops they
 * change nothing those see: a receipt finds its MT sooner, an MO never
 * reads a sent row.  Only another fate of the same MT in the batch
 * would need the order kept; such a batch has them applied in turn.
 * A long MT's parts go in order through smpp_batch_mt(), the last one
 * too.  Returns 1 when they are applied (op->found set), 0 to leave
 * them to the loop.
 */
static int
smpp_batch_sent(struct smpp_session *s, struct smpp_batch *b, int64_t now)
{
	int64_t		 ids[SMPP_SENT_CHUNK];
	const char	*msgids[SMPP_SENT_CHUNK];
	int		 found[SMPP_SENT_CHUNK];
	size_t		 at[SMPP_SENT_CHUNK], i, j, n;
	int		 rc;

	for (i = 0; i < b->n_ops; i++) {
		if (b->ops[i].kind != SMPP_OP_MT || SMPP_OP_SENT_ONE(&b->ops[i]))
			continue;
		for (j = 0; j < b->n_ops; j++)
			if (SMPP_OP_SENT_ONE(&b->ops[j]) &&
			    b->ops[j].mt_id == b->ops[i].mt_id)
				return 0;
	}
	for (i = 0, n = 0; i <= b->n_ops; i++) {
		if (i < b->n_ops && !SMPP_OP_SENT_ONE(&b->ops[i]))
			continue;
		if (i < b->n_ops) {
			at[n] = i;
			ids[n] = b->ops[i].mt_id;
			msgids[n++] = b->ops[i].message_id;
			if (n < SMPP_SENT_CHUNK)
				continue;
		}
		if (n == 0)
			continue;
		rc = store_mt_mark_sent_many(s->st, n, ids, msgids, now,
		    found);
		if (rc == STORE_ERROR)
			snprintf(b->err, sizeof(b->err), "%s",
			    store_errmsg(s->st));
		for (j = 0; j < n; j++)
			b->ops[at[j]].found = rc == STORE_ERROR ? STORE_ERROR :
			    found[j];
		n = 0;
	}
	return 1;
}

/*
 * Begin a transaction and run each op of the batch in it, with a
 * savepoint around each MO when savepoints is set.  Returns 0 with the
 * transaction open, -1 (transaction open) when an MO failed without a
 * savepoint to undo it alone, -2 when no transaction could begin.
 */
static int
smpp_batch_exec(struct smpp_session *s, struct smpp_batch *b, int64_t now,
    int savepoints)
{
	struct smpp_op		*op;
	const char		*ids[RECEIPT_FORMS_MAX];
	size_t			 i;
	int			 k, sent;

	if (store_begin(s->st) != STORE_OK) {
		snprintf(b->err, sizeof(b->err), "%s", store_errmsg(s->st));
		return -2;
	}
	sent = smpp_batch_sent(s, b, now);
	for (i = 0; i < b->n_ops; i++) {
		op = &b->ops[i];
		switch (op->kind) {
		case SMPP_OP_MO:
		case SMPP_OP_PART:
		case SMPP_OP_EXPIRE:
		case SMPP_OP_CALL:
			if (smpp_batch_unit(s, b, op, now, savepoints) == -1)
				return -1;
			break;
		case SMPP_OP_REMIND:
			smpp_remind_exec(s, b, op, now);
			break;
		case SMPP_OP_RECEIPT:
			for (k = 0; k < op->n_forms; k++)
				ids[k] = op->forms[k];
			op->found = store_mt_receipt(s->st, ids, op->n_forms,
			    op->state, now, &op->mt_id);
			if (op->found == STORE_ERROR)
				snprintf(b->err, sizeof(b->err), "%s",
				    store_errmsg(s->st));
			break;
		case SMPP_OP_MT:
			if (SMPP_OP_SENT_ONE(op) && sent)
				break;
			op->found = smpp_batch_mt(s, op, now);
			if (op->found == STORE_ERROR)
				snprintf(b->err, sizeof(b->err), "%s",
				    store_errmsg(s->st));
			break;
		}
	}
	return 0;
}

/*
 * One op that may go through mo_handle() (an MO, a part that may
 * complete a long MO, the expiry of overdue ones), under a savepoint of
 * its own when savepoints is set.  op->rc is 0 when its work is in the
 * transaction.  Returns -1 when it failed without a savepoint to undo
 * it alone (the batch must run again), 0 otherwise.
 */
static int
smpp_batch_unit(struct smpp_session *s, struct smpp_batch *b,
    struct smpp_op *op, int64_t now, int savepoints)
{
	const struct config	*cfg = &b->cfg;
	struct mo_in		 in;
	int			 rc;

	op->rc = -1;
	smpp_op_clear(op);
	if (savepoints && store_savepoint(s->st) != STORE_OK)
		return 0;
	switch (op->kind) {
	case SMPP_OP_MO:
		memset(&in, 0, sizeof(in));
		in.sender = op->sender;
		in.sender_ton = op->sender_ton;
		in.dest = op->dest;
		in.text = op->text;
		in.now = op->now;
		in.flood = s->flood;
		rc = mo_handle(s->st, cfg, &in, &op->r);
		break;
	case SMPP_OP_PART:
		rc = smpp_part_exec(s, cfg, op);
		break;
	case SMPP_OP_CALL:
		rc = op->call_run(op->call_arg, s->st, cfg);
		break;
	default:
		rc = smpp_part_expire(s, cfg, op, now);
		break;
	}
	if (rc == 0 && (!savepoints || store_release(s->st) == STORE_OK)) {
		op->rc = 0;
		return 0;
	}
	snprintf(b->err, sizeof(b->err), "%s", rc == -2 ? "out of memory" :
	    store_errmsg(s->st));
	if (!savepoints)
		return -1;
	store_rollback_to(s->st);
	return 0;
}

/*
 * On the loop: an MO is stored (made of parts when parts is not 0).
 * Queue its reply and log it.  The store keeps STORE_TEXT_MAX bytes of
 * a text: a longer one (a long MO of many parts) is said to be cut.
 */
static void
smpp_batch_mo_done(struct smpp_session *s, uint32_t seq,
    const struct mo_result *r, const char *text, int parts, int64_t now)
{
	char	phone[PHONE_MAX + 8], q[512], tag[160];
	size_t	len = strlen(text);

	metrics_mo(r->outcome, seq, r->mt_id);
	/* The store withdrew its queued reminders; so does the outbox. */
	if (strcmp(r->outcome, "opt_out") == 0)
		(void)outbox_bulk_withdraw(s->ob, r->sender);
	if (r->mt_id != 0)
		outbox_push(s->ob, r->mt_id, r->sender, r->reply, now);
	log_phone(r->sender, phone, sizeof(phone));
	tag[0] = '\0';
	if (parts > 0)
		snprintf(tag, sizeof(tag), " parts=%d", parts);
	/* What the grammar read past: a typo'd keyword, an O for a 0. */
	if (r->corrected != NULL || r->keyword[0] != '\0') {
		size_t	n = strlen(tag);
		char	kq[GRAMMAR_TOKEN_MAX * 4 + 3];

		snprintf(tag + n, sizeof(tag) - n, "%s%s keyword=%s",
		    r->corrected != NULL ? " corrected=" : "",
		    r->corrected != NULL ? r->corrected : "",
		    log_quote(r->keyword, kq, sizeof(kq)));
	}
	log_info("mo link=%u seq=%u mo=%lld from=%s companion=%s cmd=%s "
	    "outcome=%s ref=%s mt=%lld%s%s%s%s text=%s", s->link_id, seq,
	    (long long)r->mo_id, phone,
	    r->companion_id[0] ? r->companion_id : "-", r->command,
	    r->outcome, r->ref[0] ? r->ref : "-", (long long)r->mt_id, tag,
	    r->redelivery ? " redelivery=1" : "",
	    r->flood != NULL ? " flood=" : "",
	    r->flood != NULL ? r->flood : "", log_text(text, q, sizeof(q)));
	if (len > STORE_TEXT_MAX)
		log_warnx("mo_text_cut link=%u mo=%lld bytes=%zu kept=%d",
		    s->link_id, (long long)r->mo_id, len, STORE_TEXT_MAX);
}

/* On the loop: a part of a long MO is stored (or known already). */
static void
smpp_batch_part_done(struct smpp_session *s, const struct smpp_op *op)
{
	static const char *const states[] = {
		"stored", "duplicate", "complete"
	};
	char	phone[PHONE_MAX + 8], mo[32];
	size_t	i;

	log_phone(op->sender, phone, sizeof(phone));
	mo[0] = '\0';
	if (op->part_state == SMPP_PART_DUPLICATE && op->r.mo_id != 0)
		snprintf(mo, sizeof(mo), " mo=%lld", (long long)op->r.mo_id);
	log_info("mo_part link=%u seq=%u ref=%u part=%u/%u via=%s from=%s "
	    "state=%s pending=%d%s", s->link_id, op->seq, op->part_ref,
	    op->part_seq, op->part_total, op->part_via, phone,
	    states[op->part_state], op->part_state == SMPP_PART_COMPLETE ?
	    0 : op->part_received, mo);
	for (i = 0; i < op->n_gone; i++)
		smpp_batch_gone(s, op->seq, &op->gone[i]);
	if (op->part_state == SMPP_PART_COMPLETE)
		smpp_batch_mo_done(s, op->seq, &op->r, op->joined,
		    op->part_total, op->now);
}

/* On the loop: a long MO was handled with parts missing. */
static void
smpp_batch_gone(struct smpp_session *s, uint32_t seq,
    const struct smpp_gone *g)
{
	char	phone[PHONE_MAX + 8];
	int64_t	now = (int64_t)time(NULL);

	log_phone(g->sender, phone, sizeof(phone));
	log_warnx("mo_parts_expired link=%u ref=%u received=%u/%u from=%s "
	    "reason=%s age=%llds mo=%lld", s->link_id, g->ref, g->received,
	    g->total, phone, g->reason, (long long)(now - g->first_at),
	    (long long)g->r.mo_id);
	smpp_batch_mo_done(s, seq, &g->r, g->text, g->total, now);
}

/*
 * Empty b of its first n_ops ops and n_acks acks (answered, cleared)
 * and move what was queued after them to the front.
 */
static void
smpp_batch_keep_rest(struct smpp_batch *b, size_t n_ops, size_t n_acks)
{
	size_t	i;

	if (b->n_ops > n_ops)
		memmove(b->ops, b->ops + n_ops,
		    (b->n_ops - n_ops) * sizeof(*b->ops));
	b->n_ops -= n_ops;
	if (b->n_acks > n_acks)
		memmove(b->acks, b->acks + n_acks,
		    (b->n_acks - n_acks) * sizeof(*b->acks));
	b->n_acks -= n_acks;
	for (i = 0; i < b->n_ops; i++)
		if (b->ops[i].ack != SIZE_MAX)
			b->ops[i].ack -= n_acks;
}

/*
 * On the loop: the batch's fate is known.  Log what it did, answer the
 * SMSC, give the replies to the outbox, and empty the batch of what it
 * held.
 *
 * The batch answered may already be the one filling (smpp_batch_done
 * hands the next one to the worker first), so what the answers queue
 * (the next chunk of a reminder, a USSD step) lands in it: those ops are
 * the next batch's and stay, moved to the front.  Only the first n_ops
 * are answered, and an op is looked up again after its answer because
 * queuing may have moved the array.
 */
static void
smpp_batch_answer(struct smpp_session *s, struct smpp_batch *b)
{
	uint8_t		 buf[SMPP_HEADER_LEN + SMPP_MSGID_MAX + 2];
	struct smpp_op	*op;
	struct smpp_ack	*a;
	size_t		 i, j, n_ops = b->n_ops, n_acks = b->n_acks;
	int		 n, ok;

	if (!b->committed && b->n_ops > 0)
		log_error("store_commit_failed ops=%zu err=\"%s\"", b->n_ops,
		    b->err);
	else if (b->retried)
		log_warnx("batch_retried ops=%zu err=\"%s\"", b->n_ops,
		    b->err);
	for (i = 0; i < n_ops; i++) {
		op = &b->ops[i];
		switch (op->kind) {
		case SMPP_OP_MO:
			ok = b->committed && op->rc == 0;
			if (!ok) {
				s->stats.mo_tempfail++;
				if (b->committed)
					log_warnx("mo_store_failed link=%u "
					    "seq=%u err=\"%s\"", s->link_id,
					    op->seq, b->err);
				break;
			}
			s->stats.mo_acked++;
			b->acks[op->ack].status = SMPP_ESME_ROK;
			smpp_batch_mo_done(s, op->seq, &op->r, op->text, 0,
			    op->now);
			break;
		case SMPP_OP_PART:
			if (!b->committed || op->rc != 0) {
				s->stats.mo_tempfail++;
				if (b->committed)
					log_warnx("mo_part_store_failed "
					    "link=%u seq=%u ref=%u part=%u/%u "
					    "err=\"%s\"", s->link_id, op->seq,
					    op->part_ref, op->part_seq,
					    op->part_total, b->err);
				break;
			}
			s->stats.mo_acked++;
			b->acks[op->ack].status = SMPP_ESME_ROK;
			smpp_batch_part_done(s, op);
			break;
		case SMPP_OP_EXPIRE:
			s->concat_queued = 0;
			if (!b->committed || op->rc != 0) {
				/* They wait for the next sweep. */
				if (b->committed)
					log_warnx("mo_parts_expire_failed "
					    "err=\"%s\"", b->err);
				break;
			}
			for (j = 0; j < op->n_gone; j++)
				smpp_batch_gone(s, 0, &op->gone[j]);
			if (op->more)
				s->concat_sweep = 0;
			break;
		case SMPP_OP_REMIND:
			smpp_remind_done(s, b, op);
			break;
		case SMPP_OP_CALL:
			if (b->committed && op->rc != 0)
				log_warnx("store_call_failed err=\"%s\"",
				    b->err);
			op->call_done(op->call_arg, b->committed &&
			    op->rc == 0);
			break;
		case SMPP_OP_RECEIPT:
			if (!b->committed || op->found == STORE_ERROR) {
				log_warnx("receipt_store_failed link=%u "
				    "msgid=%s err=\"%s\"", s->link_id,
				    op->forms[0], b->err);
				break;
			}
			b->acks[op->ack].status = SMPP_ESME_ROK;
			metrics_receipt(op->state);
			if (op->found == STORE_NOTFOUND)
				log_warnx("receipt_unmatched link=%u seq=%u "
				    "msgid=%s state=%s", s->link_id, op->seq,
				    op->forms[0], receipt_state_name(op->state));
			else
				log_info("receipt link=%u seq=%u mt=%lld "
				    "msgid=%s state=%s err=%d", s->link_id,
				    op->seq, (long long)op->mt_id, op->forms[0],
				    receipt_state_name(op->state), op->err);
			break;
		case SMPP_OP_MT:
			/* The next part goes once this one's id is stored
			 * (or could not be: the message goes on all the
			 * same, a restart may send a part again). */
			if (op->fate == OUTBOX_PART_SENT)
				outbox_part_stored(s->ob, op->mt_id);
			/* Its fate was known after all, or it is a long MT
			 * begun: pending, finished after a restart. */
			if (op->fate == OUTBOX_UNKNOWN &&
			    (op->found == STORE_NOTFOUND ||
			    op->found == STORE_EXISTS))
				break;
			/* Not written: the row stays pending and is sent
			 * again after a restart, never lost. */
			if (!b->committed || op->found != STORE_OK)
				log_warnx("mt_mark_failed mt=%lld err=\"%s\"",
				    (long long)op->mt_id, b->err);
			break;
		}
		op = &b->ops[i];
		free(op->text);
		op->text = NULL;
		smpp_op_clear(op);
	}
	for (i = 0; i < n_acks; i++) {
		a = &b->acks[i];
		/* Only deliver_sm_resp has a body (an empty message_id). */
		if (a->command_id == SMPP_DELIVER_SM_RESP)
			n = smpp_pdu_encode_msg_resp(buf, sizeof(buf),
			    a->command_id, a->seq, a->status, "");
		else
			n = smpp_pdu_encode_header(buf, sizeof(buf),
			    a->command_id, a->status, a->seq);
		if (n == -1)
			log_warnx("smpp_encode_failed link=%u cmd=%s seq=%u",
			    s->link_id, smpp_pdu_command_name(a->command_id),
			    a->seq);
		else
			smpp_session_write(s, buf, n);
	}
	smpp_batch_keep_rest(b, n_ops, n_acks);
	/* Reminders paged in while the store is the loop's (an answer
	 * with no store work comes while the worker may hold it). */
	if (s->running == NULL)
		outbox_bulk_fill(s->ob);
}

/*
 * End of a read pass.  Responses that wait for no store work go out at
 * once; a batch with store work goes to the worker when it is free
 * (otherwise it keeps filling until the worker hands the last one back).
 */
void
smpp_session_flush(struct smpp_session *s)
{
	struct smpp_batch	*b = s->filling;

	if (b->n_ops == 0) {
		if (b->n_acks > 0)
			smpp_batch_answer(s, b);
		return;
	}
	if (s->running != NULL || s->worker_stopping)
		return;
	b->cfg = *s->cfg;
	s->running = b;
	s->filling = b == &s->batch[0] ? &s->batch[1] : &s->batch[0];
	worker_submit(s->worker, b);
}

/* On the loop: the worker is done with the running batch. */
static void
smpp_batch_done(void *job, void *arg)
{
	struct smpp_session	*s = arg;
	struct smpp_batch	*b = job;

	s->running = NULL;
	/*
	 * The next batch first, so that the worker does not wait while this
	 * one is answered: with a window of 64 the link is latency-bound,
	 * and this took the benchmark from 14-22k to 22-25k MO/s.  The
	 * answer needs nothing of the store (its errors are in the batch).
	 */
	smpp_session_flush(s);
	smpp_batch_answer(s, b);
	s->acks_first = 0;
	smpp_session_flush(s);
	smpp_session_pump(s);
	log_flush();
}

/* Forget what a previous run of the batch left in op's OUT fields. */
static void
smpp_op_clear(struct smpp_op *op)
{
	size_t	i;

	free(op->joined);
	op->joined = NULL;
	for (i = 0; i < op->n_gone; i++)
		free(op->gone[i].text);
	free(op->gone);
	op->gone = NULL;
	op->n_gone = 0;
	op->more = 0;
	op->part_state = SMPP_PART_STORED;
	op->part_received = 0;
}
