/*
 * smpp_deliver.c: a deliver_sm read on the loop, turned into the ops of
 * the filling batch (see smpp_batch.c for the road an op takes).
 *
 * A delivery receipt becomes an op that records it on its MT; a USSD
 * deliver_sm is acknowledged at once and handed to ussd.c; a message
 * becomes an op for mo_handle(), a part of a long one an op that keeps
 * it (smpp_parts.c).  Each deliver_sm_resp is queued with the batch and
 * written after its commit.
 *
 * Threads: the loop only; nothing here touches the store.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "concat.h"
#include "log.h"
#include "receipt.h"
#include "smpp_internal.h"
#include "smpp_pdu.h"
#include "ussd.h"

static void		 smpp_session_ussd(struct smpp_session *,
			    const struct smpp_header *,
			    const struct smpp_msg *);
static void		 smpp_session_receipt(struct smpp_session *,
			    const struct smpp_header *,
			    const struct smpp_msg *);

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
	op->seq = h->seq;
	op->n_forms = receipt_id_forms(rc.id, op->forms);
	op->state = (int)rc.state;
	op->err = rc.err;
}

/*
 * A USSD deliver_sm: acknowledged at once (a dialogue is not a stored
 * message: what it records is committed before its final screen), and
 * handed to ussd.c.
 */
static void
smpp_session_ussd(struct smpp_session *s, const struct smpp_header *h,
    const struct smpp_msg *m)
{
	char	text[4 * SMPP_PAYLOAD_MAX + 1];

	smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq, SMPP_ESME_ROK);
	if (codec_ud_to_utf8(m->data_coding, 0, m->sm, m->sm_len, 0, text,
	    sizeof(text)) < 0)
		text[0] = '\0';
	ussd_smpp_deliver(s->ussd, m, text);
}

/*
 * A deliver_sm: a receipt goes its own way; a message is decoded into
 * an op for mo_handle() on the worker, a part of a long message into an
 * op that keeps it until the message is complete; either way its
 * deliver_sm_resp waits for the batch's commit.
 */
void
smpp_session_deliver(struct smpp_session *s, const struct smpp_header *h,
    const uint8_t *buf, size_t len)
{
	static struct smpp_msg	 m;
	struct concat_part_info	 ci;
	char			 err[128];
	struct smpp_op		*op;
	const char		*via;
	size_t			 udh_len;

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
	if (m.has_ussd_service_op && s->ussd != NULL) {
		smpp_session_ussd(s, h, &m);
		return;
	}
	if (smpp_session_concat(s, h, &m, &udh_len, &ci, &via) == -1) {
		s->stats.mo_rejected++;
		log_warnx("pdu_malformed link=%u cmd=deliver_sm seq=%u "
		    "err=\"UDH longer than the message\"", s->link_id, h->seq);
		smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq,
		    SMPP_ESME_RX_P_APPN);
		return;
	}
	smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h->seq, SMPP_ESME_RX_T_APPN);
	/* A "long" message of one part is a message like any other. */
	op = smpp_batch_op(s, ci.total > 1 ? SMPP_OP_PART : SMPP_OP_MO);
	op->ack = s->filling->n_acks - 1;
	op->seq = h->seq;
	snprintf(op->sender, sizeof(op->sender), "%s", m.source_addr);
	op->sender_ton = m.source_ton;
	snprintf(op->dest, sizeof(op->dest), "%s", m.dest_addr);
	op->now = (int64_t)time(NULL);
	if (op->kind == SMPP_OP_PART) {
		op->part_ref = ci.ref;
		op->part_total = ci.total;
		op->part_seq = ci.seq;
		op->part_via = via;
	}
	/*
	 * UTF-8 takes at most four bytes per octet of any alphabet; at
	 * most SMPP_PAYLOAD_MAX octets: within STORE_PART_TEXT_MAX.  SMPP
	 * carries GSM 7-bit unpacked, one septet per octet.
	 */
	if ((op->text = malloc(4 * m.sm_len + 1)) == NULL)
		fatal("smpp_session_deliver");
	if (codec_ud_to_utf8(m.data_coding, 0, m.sm, m.sm_len, udh_len,
	    op->text, 4 * m.sm_len + 1) < 0)
		op->text[0] = '\0';	/* binary: stored empty, answered */
}
