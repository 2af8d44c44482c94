/*
 * smpp_batch.c: deliver_sm in, stored, answered after the commit.
 *
 * Every deliver_sm of one read pass joins one store transaction, a
 * savepoint each, so that one bad message does not undo the others.
 * Responses wait in s->acks until smpp_session_flush() has committed:
 * ESME_ROK only for what is durably stored, ESME_RX_T_APPN (the SMSC
 * delivers again) for what is not.  Delivery receipts take the same road
 * and never reach the grammar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "config.h"
#include "log.h"
#include "mo.h"
#include "outbox.h"
#include "phone.h"
#include "receipt.h"
#include "smpp_internal.h"
#include "smpp_pdu.h"
#include "store.h"

static void	smpp_session_receipt(struct smpp_session *,
		    const struct smpp_header *, const struct smpp_msg *);

/* Open the batch's transaction if it is not open yet. */
int
smpp_session_txn(struct smpp_session *s)
{
	if (s->in_txn)
		return 0;
	if (store_begin(s->st) != STORE_OK) {
		log_warnx("store_begin_failed err=\"%s\"",
		    store_errmsg(s->st));
		return -1;
	}
	s->in_txn = 1;
	return 0;
}

/* Queue a response to write after the batch; returns it for details. */
struct smpp_ack *
smpp_session_ack(struct smpp_session *s, uint32_t command_id, uint32_t seq,
    uint32_t status)
{
	struct smpp_ack	*a;

	if (s->n_acks == s->cap_acks) {
		size_t	cap = s->cap_acks ? s->cap_acks * 2 : 64;

		a = reallocarray(s->acks, cap, sizeof(*a));
		if (a == NULL)
			fatal("smpp_session_ack");
		s->acks = a;
		s->cap_acks = cap;
	}
	a = &s->acks[s->n_acks++];
	memset(a, 0, sizeof(*a));
	a->command_id = command_id;
	a->seq = seq;
	a->status = status;
	return a;
}

/*
 * End of a batch: commit, then answer.  If the commit fails nothing of
 * the batch is stored, so every deliver_sm that waited for it gets
 * ESME_RX_T_APPN and its reply is forgotten with it.
 */
void
smpp_session_flush(struct smpp_session *s)
{
	uint8_t		 buf[SMPP_HEADER_LEN + SMPP_MSGID_MAX + 2];
	struct smpp_ack	*a;
	int		 committed = 1, n;
	size_t		 i;

	if (s->in_txn) {
		s->in_txn = 0;
		if (store_commit(s->st) != STORE_OK) {
			log_error("store_commit_failed err=\"%s\" acks=%zu",
			    store_errmsg(s->st), s->n_acks);
			store_rollback(s->st);
			committed = 0;
		}
	}
	for (i = 0; i < s->n_acks; i++) {
		a = &s->acks[i];
		if (a->needs_commit && !committed) {
			a->status = SMPP_ESME_RX_T_APPN;
			a->mt_id = 0;
			s->stats.mo_tempfail++;
		} else if (a->needs_commit)
			s->stats.mo_acked++;
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
		if (a->mt_id != 0)
			outbox_push(s->ob, a->mt_id, a->dest, a->text,
			    a->created_at);
		free(a->text);
		a->text = NULL;
	}
	s->n_acks = 0;
}

/*
 * A delivery receipt: the TLVs when the SMSC sent them, the text form
 * otherwise; the state is written on the MT whose message_id matches in
 * any of its forms (hex or decimal), and the receipt is acknowledged
 * after the commit like an MO.  One that matches no MT is logged and
 * acknowledged all the same: asking again would not help.
 */
static void
smpp_session_receipt(struct smpp_session *s, const struct smpp_header *h,
    const struct smpp_msg *m)
{
	char			 forms[RECEIPT_FORMS_MAX][RECEIPT_ID_MAX + 1];
	const char		*ids[RECEIPT_FORMS_MAX];
	struct receipt		 rc;
	struct smpp_ack		*a;
	int64_t			 mt_id = 0;
	int			 n, i, found;

	s->stats.receipts++;
	if (receipt_parse_text((const char *)m->sm, m->sm_len, &rc) == -1) {
		memset(&rc, 0, sizeof(rc));
		rc.err = -1;
	}
	if (m->has_receipted_message_id)
		snprintf(rc.id, sizeof(rc.id), "%s", m->receipted_message_id);
	if (m->has_message_state)
		rc.state = (enum receipt_state)m->message_state;
	a = smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq,
	    SMPP_ESME_RX_T_APPN);
	n = receipt_id_forms(rc.id, forms);
	for (i = 0; i < n; i++)
		ids[i] = forms[i];
	if (n == 0 || rc.state == RECEIPT_NONE) {
		log_warnx("receipt_unreadable link=%u seq=%u msgid=\"%s\"",
		    s->link_id, h->seq, rc.id);
		a->status = SMPP_ESME_ROK;
		return;
	}
	if (smpp_session_txn(s) == -1)
		return;
	found = store_mt_receipt(s->st, ids, n, (int)rc.state,
	    (int64_t)time(NULL), &mt_id);
	if (found == STORE_ERROR) {
		log_warnx("receipt_store_failed link=%u seq=%u err=\"%s\"",
		    s->link_id, h->seq, store_errmsg(s->st));
		return;
	}
	a->status = SMPP_ESME_ROK;
	a->needs_commit = 1;
	if (found == STORE_NOTFOUND)
		log_warnx("receipt_unmatched link=%u seq=%u msgid=%s state=%s",
		    s->link_id, h->seq, rc.id, receipt_state_name(rc.state));
	else
		log_info("receipt link=%u seq=%u mt=%lld msgid=%s state=%s "
		    "err=%d", s->link_id, h->seq, (long long)mt_id, rc.id,
		    receipt_state_name(rc.state), rc.err);
}

/*
 * A deliver_sm: a receipt is acknowledged and logged; a message is
 * decoded, handled by mo_handle() under a savepoint, and its
 * deliver_sm_resp waits for the batch's commit.
 */
void
smpp_session_deliver(struct smpp_session *s, const struct smpp_header *h,
    const uint8_t *buf, size_t len)
{
	static struct smpp_msg	 m;
	char			*text = s->text;
	struct mo_result	 r;
	struct mo_in		 in;
	struct smpp_ack		*a;
	char			 err[128], phone[PHONE_MAX + 8], q[512];
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
	if (codec_to_utf8(m.data_coding, sm, sm_len, text, SMPP_TEXT_MAX) < 0)
		text[0] = '\0';		/* binary: stored empty, answered */

	a = smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq,
	    SMPP_ESME_RX_T_APPN);
	if (smpp_session_txn(s) == -1) {
		s->stats.mo_tempfail++;
		return;
	}
	memset(&in, 0, sizeof(in));
	in.sender = m.source_addr;
	in.sender_ton = m.source_ton;
	in.dest = m.dest_addr;
	in.text = text;
	in.now = (int64_t)time(NULL);
	in.flood = s->flood;
	if (store_savepoint(s->st) != STORE_OK) {
		log_warnx("store_savepoint_failed err=\"%s\"",
		    store_errmsg(s->st));
		s->stats.mo_tempfail++;
		return;
	}
	if (mo_handle(s->st, s->cfg, &in, &r) == -1) {
		log_warnx("mo_store_failed link=%u seq=%u err=\"%s\"",
		    s->link_id, h->seq, store_errmsg(s->st));
		store_rollback_to(s->st);
		s->stats.mo_tempfail++;
		return;
	}
	if (store_release(s->st) != STORE_OK) {
		log_warnx("store_release_failed err=\"%s\"",
		    store_errmsg(s->st));
		store_rollback_to(s->st);
		s->stats.mo_tempfail++;
		return;
	}
	a->status = SMPP_ESME_ROK;
	a->needs_commit = 1;
	if (r.mt_id != 0) {
		a->mt_id = r.mt_id;
		a->created_at = in.now;
		snprintf(a->dest, sizeof(a->dest), "%s", r.sender);
		if ((a->text = strdup(r.reply)) == NULL)
			fatal("smpp_session_deliver");
	}
	phone_mask(r.sender, phone, sizeof(phone));
	log_info("mo link=%u seq=%u mo=%lld from=%s companion=%s cmd=%s "
	    "outcome=%s ref=%s mt=%lld%s%s%s text=%s", s->link_id, h->seq,
	    (long long)r.mo_id, phone, r.companion_id[0] ? r.companion_id : "-",
	    r.command, r.outcome, r.ref[0] ? r.ref : "-", (long long)r.mt_id,
	    r.redelivery ? " redelivery=1" : "",
	    strcmp(r.flood, "-") != 0 && strcmp(r.flood, "reply") != 0 ?
	    " flood=" : "", strcmp(r.flood, "-") != 0 &&
	    strcmp(r.flood, "reply") != 0 ? r.flood : "",
	    log_quote(text, q, sizeof(q)));
}
