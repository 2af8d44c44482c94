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
 * never reach the grammar.
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

#include "codec.h"
#include "config.h"
#include "flood.h"
#include "log.h"
#include "mo.h"
#include "outbox.h"
#include "phone.h"
#include "receipt.h"
#include "smpp_internal.h"
#include "smpp_pdu.h"
#include "store.h"
#include "worker.h"

#define SMPP_FLOOD_SWEEP_S	60

static void		 smpp_batch_run(void *, void *);
static int		 smpp_batch_exec(struct smpp_session *,
			    struct smpp_batch *, int64_t, int);
static void		 smpp_batch_done(void *, void *);
static struct smpp_op	*smpp_batch_op(struct smpp_session *,
			    enum smpp_op_kind);
static void		 smpp_batch_answer(struct smpp_session *,
			    struct smpp_batch *);
static void		 smpp_session_receipt(struct smpp_session *,
			    const struct smpp_header *,
			    const struct smpp_msg *);

void
smpp_batch_init(struct smpp_session *s)
{
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
		for (j = 0; j < s->batch[i].n_ops; j++)
			free(s->batch[i].ops[j].text);
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
static struct smpp_op *
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
smpp_session_mt_op(struct smpp_session *s, int64_t mt_id,
    enum outbox_fate fate, uint32_t status, const char *message_id)
{
	struct smpp_op	*op = smpp_batch_op(s, SMPP_OP_MT);

	op->mt_id = mt_id;
	op->fate = fate;
	op->status = status;
	snprintf(op->message_id, sizeof(op->message_id), "%s",
	    message_id != NULL ? message_id : "");
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
 * Begin a transaction and run each op of the batch in it, with a
 * savepoint around each MO when savepoints is set.  Returns 0 with the
 * transaction open, -1 (transaction open) when an MO failed without a
 * savepoint to undo it alone, -2 when no transaction could begin.
 */
static int
smpp_batch_exec(struct smpp_session *s, struct smpp_batch *b, int64_t now,
    int savepoints)
{
	const struct config	*cfg = &b->cfg;
	struct smpp_op		*op;
	const char		*ids[RECEIPT_FORMS_MAX];
	struct mo_in		 in;
	size_t			 i;
	int			 k;

	if (store_begin(s->st) != STORE_OK) {
		snprintf(b->err, sizeof(b->err), "%s", store_errmsg(s->st));
		return -2;
	}
	for (i = 0; i < b->n_ops; i++) {
		op = &b->ops[i];
		switch (op->kind) {
		case SMPP_OP_MO:
			memset(&in, 0, sizeof(in));
			in.sender = op->sender;
			in.sender_ton = op->sender_ton;
			in.dest = op->dest;
			in.text = op->text;
			in.now = op->now;
			in.flood = s->flood;
			op->rc = -1;
			if (savepoints && store_savepoint(s->st) != STORE_OK)
				break;
			if (mo_handle(s->st, cfg, &in, &op->r) == 0 &&
			    (!savepoints || store_release(s->st) == STORE_OK)) {
				op->rc = 0;
				break;
			}
			snprintf(b->err, sizeof(b->err), "%s",
			    store_errmsg(s->st));
			if (!savepoints)
				return -1;
			store_rollback_to(s->st);
			break;
		case SMPP_OP_RECEIPT:
			for (k = 0; k < op->n_forms; k++)
				ids[k] = op->forms[k];
			op->found = store_mt_receipt(s->st, ids, op->n_forms,
			    op->state, now, &op->mt_id);
			break;
		case SMPP_OP_MT:
			if (op->fate == OUTBOX_SENT)
				op->found = store_mt_mark_sent(s->st,
				    op->mt_id, op->message_id, now);
			else if (op->fate == OUTBOX_RETRY)
				op->found = store_mt_attempt(s->st, op->mt_id,
				    (int)op->status);
			else if (op->fate == OUTBOX_UNKNOWN)
				op->found = store_mt_mark_unknown(s->st,
				    op->mt_id, now);
			else
				op->found = store_mt_mark_failed(s->st,
				    op->mt_id, (int)op->status, now);
			break;
		}
	}
	return 0;
}

/*
 * On the loop: the batch's fate is known.  Log what it did, answer the
 * SMSC, give the replies to the outbox, and empty the batch.
 */
static void
smpp_batch_answer(struct smpp_session *s, struct smpp_batch *b)
{
	uint8_t		 buf[SMPP_HEADER_LEN + SMPP_MSGID_MAX + 2];
	char		 phone[PHONE_MAX + 8], q[512];
	struct smpp_op	*op;
	struct smpp_ack	*a;
	size_t		 i;
	int		 n, ok;

	if (!b->committed && b->n_ops > 0)
		log_error("store_commit_failed ops=%zu err=\"%s\"", b->n_ops,
		    b->err);
	else if (b->retried)
		log_warnx("batch_retried ops=%zu err=\"%s\"", b->n_ops,
		    b->err);
	for (i = 0; i < b->n_ops; i++) {
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
			if (op->r.mt_id != 0)
				outbox_push(s->ob, op->r.mt_id, op->r.sender,
				    op->r.reply, op->now);
			phone_mask(op->r.sender, phone, sizeof(phone));
			log_info("mo link=%u seq=%u mo=%lld from=%s "
			    "companion=%s cmd=%s outcome=%s ref=%s mt=%lld%s"
			    "%s%s text=%s", s->link_id, op->seq,
			    (long long)op->r.mo_id, phone,
			    op->r.companion_id[0] ? op->r.companion_id : "-",
			    op->r.command, op->r.outcome,
			    op->r.ref[0] ? op->r.ref : "-",
			    (long long)op->r.mt_id,
			    op->r.redelivery ? " redelivery=1" : "",
			    op->r.flood != NULL ? " flood=" : "",
			    op->r.flood != NULL ? op->r.flood : "",
			    log_quote(op->text, q, sizeof(q)));
			break;
		case SMPP_OP_RECEIPT:
			if (!b->committed || op->found == STORE_ERROR) {
				log_warnx("receipt_store_failed link=%u "
				    "msgid=%s err=\"%s\"", s->link_id,
				    op->forms[0], b->err);
				break;
			}
			b->acks[op->ack].status = SMPP_ESME_ROK;
			if (op->found == STORE_NOTFOUND)
				log_warnx("receipt_unmatched link=%u msgid=%s "
				    "state=%s", s->link_id, op->forms[0],
				    receipt_state_name(op->state));
			else
				log_info("receipt link=%u mt=%lld msgid=%s "
				    "state=%s err=%d", s->link_id,
				    (long long)op->mt_id, op->forms[0],
				    receipt_state_name(op->state), op->err);
			break;
		case SMPP_OP_MT:
			/* Not written: the row stays pending and is sent
			 * again after a restart, never lost. */
			if (op->fate == OUTBOX_UNKNOWN &&
			    op->found == STORE_NOTFOUND)
				break;	/* its fate was known after all */
			if (!b->committed || op->found != STORE_OK)
				log_warnx("mt_mark_failed mt=%lld err=\"%s\"",
				    (long long)op->mt_id, b->committed ?
				    store_errmsg(s->st) : b->err);
			break;
		}
		free(op->text);
		op->text = NULL;
	}
	for (i = 0; i < b->n_acks; i++) {
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
	b->n_ops = 0;
	b->n_acks = 0;
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
	smpp_batch_answer(s, b);
	s->acks_first = 0;
	smpp_session_flush(s);
	smpp_session_pump(s);
	log_flush();
}

/*
 * A delivery receipt: the TLVs when the SMSC sent them, the text form
 * otherwise.  The worker writes the state on the MT whose message_id
 * matches in any of its forms (hex or decimal); the receipt is
 * acknowledged after the commit like an MO.  One that matches no MT is
 * logged and acknowledged all the same: asking again would not help.
 */
static void
smpp_session_receipt(struct smpp_session *s, const struct smpp_header *h,
    const struct smpp_msg *m)
{
	struct receipt	 rc;
	struct smpp_op	*op;
	size_t		 ack;

	s->stats.receipts++;
	if (receipt_parse_text((const char *)m->sm, m->sm_len, &rc) == -1) {
		memset(&rc, 0, sizeof(rc));
		rc.err = -1;
	}
	if (m->has_receipted_message_id)
		snprintf(rc.id, sizeof(rc.id), "%s", m->receipted_message_id);
	if (m->has_message_state)
		rc.state = (enum receipt_state)m->message_state;
	smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq, SMPP_ESME_RX_T_APPN);
	ack = s->filling->n_acks - 1;
	if (rc.id[0] == '\0' || rc.state == RECEIPT_NONE) {
		log_warnx("receipt_unreadable link=%u seq=%u msgid=\"%s\"",
		    s->link_id, h->seq, rc.id);
		s->filling->acks[ack].status = SMPP_ESME_ROK;
		return;
	}
	op = smpp_batch_op(s, SMPP_OP_RECEIPT);
	op->ack = ack;
	op->n_forms = receipt_id_forms(rc.id, op->forms);
	op->state = (int)rc.state;
	op->err = rc.err;
}

/*
 * A deliver_sm: a receipt goes its own way; a message is decoded into
 * an op for mo_handle() on the worker, and its deliver_sm_resp waits for
 * the batch's commit.
 */
void
smpp_session_deliver(struct smpp_session *s, const struct smpp_header *h,
    const uint8_t *buf, size_t len)
{
	static struct smpp_msg	 m;
	char			 err[128];
	struct smpp_op		*op;
	const uint8_t		*sm;
	size_t			 sm_len;

	s->stats.mo_received++;
	if (smpp_pdu_decode_msg(buf, len, &m, err, sizeof(err)) == -1) {
		s->stats.mo_rejected++;
		log_warnx("pdu_malformed link=%u cmd=deliver_sm seq=%u "
		    "err=\"%s\"", s->link_id, h->seq, err);
		smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq,
		    SMPP_ESME_RX_P_APPN);
		return;
	}
	if (m.esm_class & 0x3C) {
		smpp_session_receipt(s, h, &m);
		return;
	}
	sm = m.sm;
	sm_len = m.sm_len;
	if ((m.esm_class & 0x40) && sm_len > 0) {
		/* UDH: skip it.  Reassembly of long MOs comes later. */
		size_t	udhl = (size_t)sm[0] + 1;

		if (udhl > sm_len) {
			s->stats.mo_rejected++;
			log_warnx("pdu_malformed link=%u cmd=deliver_sm seq=%u "
			    "err=\"UDH longer than the message\"", s->link_id,
			    h->seq);
			smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq,
			    SMPP_ESME_RX_P_APPN);
			return;
		}
		sm += udhl;
		sm_len -= udhl;
	}
	smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq, SMPP_ESME_RX_T_APPN);
	op = smpp_batch_op(s, SMPP_OP_MO);
	op->ack = s->filling->n_acks - 1;
	op->seq = h->seq;
	snprintf(op->sender, sizeof(op->sender), "%s", m.source_addr);
	op->sender_ton = m.source_ton;
	snprintf(op->dest, sizeof(op->dest), "%s", m.dest_addr);
	op->now = (int64_t)time(NULL);
	/* UTF-8 takes at most four bytes per octet of any alphabet. */
	if ((op->text = malloc(4 * sm_len + 1)) == NULL)
		fatal("smpp_session_deliver");
	if (codec_to_utf8(m.data_coding, sm, sm_len, op->text,
	    4 * sm_len + 1) < 0)
		op->text[0] = '\0';	/* binary: stored empty, answered */
}
