/*
 * smpp_submit.c: the outbound side of the SMPP session: MTs from the
 * outbox to submit_sm, and what the SMSC answers to them.
 *
 * smpp_session_pump() submits what the window, the pace ([smpp] tps)
 * and the outbox allow, each MT cut into its parts here; every submit is
 * noted in the send log before the socket is written, so that a restart
 * sets aside as unknown (smpp_session_recover()) what may have reached
 * the SMSC.  The answers (submit_sm_resp, generic_nack) settle an MT's
 * fate in the outbox, and the fate is written by the next batch
 * (smpp_batch.c).  USSD screens are submitted and answered here too,
 * outside the outbox.
 *
 * Threads: the loop only.  The store is read or written from here only
 * while the worker holds no batch: at start (the send log's recovery)
 * and when the outbox pages MTs in.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "codec.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "outbox.h"
#include "phone.h"
#include "segment.h"
#include "sendlog.h"
#include "smpp_internal.h"
#include "smpp_pdu.h"
#include "store.h"
#include "ussd.h"

static int	smpp_session_recover_cb(void *, int64_t);
static int	smpp_session_mt_msg(struct smpp_session *, struct outbox_mt *,
		    struct smpp_msg *);

/* One id read back from the send log: its MT may have reached the SMSC. */
static int
smpp_session_recover_cb(void *arg, int64_t id)
{
	struct smpp_session	*s = arg;
	int			 rc;

	rc = store_mt_mark_unknown(s->st, id, (int64_t)time(NULL));
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK) {
		s->stats.mt_unknown++;
		log_warnx("mt_unknown mt=%lld why=restart", (long long)id);
	}
	/* STORE_EXISTS: a long MT begun, resumed once paged in. */
	return 0;
}

/*
 * At start: MTs that the last pilard handed to the SMSC without learning
 * their fate are set aside as unknown (not sent again), unless [smpp]
 * resend_unknown is yes; then the send log starts afresh.  No
 * send log, no sending: a reply doubled by every restart is what it
 * prevents.
 */
void
smpp_session_recover(struct smpp_session *s)
{
	char	base[1100], err[256];
	long	n = 0;

	snprintf(base, sizeof(base), "%s-sendlog", s->cfg->store_path);
	if (s->cfg->smpp_resend_unknown != CONFIG_RESEND_ALWAYS) {
		if (store_begin(s->st) != STORE_OK)
			fatalx("sendlog_recover_failed err=\"%s\"",
			    store_errmsg(s->st));
		n = sendlog_recover(base, smpp_session_recover_cb, s, err,
		    sizeof(err));
		if (n == -1 || store_commit(s->st) != STORE_OK)
			fatalx("sendlog_recover_failed err=\"%s\"",
			    n == -1 ? err : store_errmsg(s->st));
	}
	if ((s->sendlog = sendlog_open(base, smpp_now_ms(), err,
	    sizeof(err))) == NULL)
		fatalx("sendlog_open_failed err=\"%s\"", err);
	if (n > 0)
		log_info("sendlog_recovered ids=%ld unknown=%llu", n,
		    (unsigned long long)s->stats.mt_unknown);
}

int
smpp_session_submit_now(struct smpp_session *s, const struct smpp_msg *m,
    uint32_t *seq)
{
	static uint8_t	buf[SMPP_PAYLOAD_MAX + 512];
	int		n;

	if (s->state != SMPP_S_BOUND || s->bev == NULL)
		return -1;
	*seq = smpp_session_seq(s);
	if ((n = smpp_pdu_encode_msg(buf, sizeof(buf), SMPP_SUBMIT_SM, *seq,
	    m)) < 0)
		return -1;
	smpp_session_write(s, buf, n);
	return 0;
}

/*
 * The submit_sm for mt's next part into m: the text cut as segment.h
 * says (GSM-7 when it can be, UCS-2 when it must).  A text longer than
 * one SMS goes as [smpp] long_mt says: parts behind a concatenation
 * header (udh) or numbered in the sar_* TLVs (sar), the reference taken
 * from the MT id so that a part sent again carries the same one; or
 * whole in message_payload (payload), for the SMSC to cut.  A message
 * half out keeps the numbering it began with (mt->via, stored with its
 * parts), whatever a reload or a restart changed.  -1 when the text cannot be
 * sent: not UTF-8, more than OUTBOX_PARTS_MAX parts, or cut differently
 * than before.
 */
static int
smpp_session_mt_msg(struct smpp_session *s, struct outbox_mt *mt,
    struct smpp_msg *m)
{
	static struct segment		segs[OUTBOX_PARTS_MAX];
	static const struct segment_options opts = {
		.max_parts = OUTBOX_PARTS_MAX
	};
	const struct segment		*g;
	int				n;

	memset(m, 0, sizeof(*m));
	if (mt->part == 0)
		mt->parts = 0;
	/* Nearly every MT is one GSM-7 SMS: encoded in place, one pass. */
	if (mt->part == 0 && (n = codec_gsm7_encode(mt->text, m->sm,
	    sizeof(m->sm))) >= 0 && n <= SEGMENT_GSM7_SINGLE) {
		mt->parts = 1;
		m->data_coding = SEGMENT_DC_GSM7;
		m->sm_len = (size_t)n;
	} else if (mt->part == 0 &&
	    s->cfg->smpp_long_mt == CONFIG_LONG_MT_PAYLOAD &&
	    (n = segment_count(mt->text, NULL)) > 1) {
		if (n > OUTBOX_PARTS_MAX)
			return -1;
		if ((n = codec_gsm7_encode(mt->text, m->sm,
		    sizeof(m->sm))) >= 0)
			m->data_coding = SEGMENT_DC_GSM7;
		else if ((n = codec_ucs2_encode(mt->text, m->sm,
		    sizeof(m->sm))) >= 0)
			m->data_coding = SEGMENT_DC_UCS2;
		else
			return -1;
		mt->parts = 1;
		m->sm_len = (size_t)n;
		m->payload_from_tlv = n > 0;
	} else {
		n = segment_split(mt->text, (uint8_t)(mt->id & 0xff), &opts,
		    segs, OUTBOX_PARTS_MAX);
		if (n < 1 || (mt->parts != 0 && mt->parts != n) ||
		    mt->part >= n)
			return -1;
		if (mt->part == 0)
			mt->via = s->cfg->smpp_long_mt == CONFIG_LONG_MT_SAR ?
			    SMPP_VIA_SAR : SMPP_VIA_UDH;
		mt->parts = n;
		g = &segs[mt->part];
		m->data_coding = g->data_coding;
		if (n > 1 && mt->via == SMPP_VIA_SAR) {
			/* The same text, the header's numbers in TLVs. */
			m->has_sar = 1;
			m->sar_msg_ref_num = (uint16_t)(mt->id & 0xffff);
			m->sar_total_segments = (uint8_t)n;
			m->sar_segment_seqnum = (uint8_t)(mt->part + 1);
			memcpy(m->sm, g->sm + SEGMENT_UDH_LEN,
			    g->sm_len - SEGMENT_UDH_LEN);
			m->sm_len = g->sm_len - SEGMENT_UDH_LEN;
		} else {
			m->esm_class = g->esm_class;
			memcpy(m->sm, g->sm, g->sm_len);
			m->sm_len = g->sm_len;
		}
	}
	snprintf(m->source_addr, sizeof(m->source_addr), "%s",
	    s->cfg->smpp_source_addr);
	m->source_ton = (uint8_t)s->cfg->smpp_source_ton;
	m->source_npi = (uint8_t)s->cfg->smpp_source_npi;
	snprintf(m->dest_addr, sizeof(m->dest_addr), "%s", mt->dest);
	m->dest_ton = PHONE_TON_INTERNATIONAL;
	m->dest_npi = 1;		/* ISDN E.164 */
	m->registered_delivery = (uint8_t)s->cfg->smpp_registered_delivery;
	return 0;
}

/* Submit what the window and the outbox allow. */
void
smpp_session_pump(struct smpp_session *s)
{
	static uint8_t		 buf[SMPP_PAYLOAD_MAX + 512];
	static struct smpp_msg	 m;
	struct outbox_mt	*mt;
	struct outbox_outcome	 oc;
	int64_t			 now = smpp_now_ms(), wait;
	uint32_t		 seq;
	int			 n;
	int64_t			 expired[64];
	int			 k, n_exp;

	/* MTs found too old: marked failed by the next batch. */
	while ((n_exp = outbox_expired(s->ob, expired, 64)) > 0)
		for (k = 0; k < n_exp; k++)
			smpp_session_mt_op(s, expired[k], OUTBOX_FAILED, 0,
			    NULL);
	/* MTs never answered, set aside: marked unknown by the next. */
	while ((n_exp = outbox_unknown(s->ob, expired, 64)) > 0)
		for (k = 0; k < n_exp; k++) {
			s->stats.mt_unknown++;
			smpp_session_mt_op(s, expired[k], OUTBOX_UNKNOWN, 0,
			    NULL);
		}
	/*
	 * Right after a bind, acknowledgements go first: the SMSC delivers
	 * again what we did not acknowledge, while the outbox may hold a
	 * backlog; submitting that first would push the deliver_sm_resp
	 * back, and a link that keeps dropping would never see them.  The
	 * end of the first batch lifts this.
	 */
	if (s->state != SMPP_S_BOUND || s->bev == NULL ||
	    (s->acks_first && s->running != NULL))
		goto out;
	/* The store may be read (to page in the outbox) only while the
	 * worker does not hold it.  Stopping, only what finishes a long
	 * MT begun leaves. */
	while ((mt = s->stopping ? outbox_next_part(s->ob, now) :
	    outbox_next(s->ob, now, s->running == NULL)) != NULL) {
		seq = smpp_session_seq(s);
		if (smpp_session_mt_msg(s, mt, &m) == -1 ||
		    (n = smpp_pdu_encode_msg(buf, sizeof(buf),
		    SMPP_SUBMIT_SM, seq, &m)) < 0) {
			log_warnx("mt_unencodable mt=%lld parts=%d",
			    (long long)mt->id, segment_count(mt->text, NULL));
			outbox_inflight(s->ob, mt, seq, now);
			outbox_resp(s->ob, seq, SMPP_ESME_RINVMSGLEN, now, &oc);
			smpp_session_mt_op(s, oc.mt_id, OUTBOX_FAILED,
			    SMPP_ESME_RINVMSGLEN, NULL);
			continue;
		}
		if (s->sendlog != NULL && sendlog_add(s->sendlog, mt->id) == -1)
			log_warnx("sendlog_write_failed err=\"%s\"",
			    strerror(errno));
		smpp_session_write(s, buf, n);
		outbox_inflight(s->ob, mt, seq, now);
		s->stats.mt_submitted++;
		log_debug("mt_submit link=%u mt=%lld seq=%u attempt=%d "
		    "part=%d/%d", s->link_id, (long long)mt->id, seq,
		    mt->attempts, mt->part + 1, mt->parts);
	}
	/* On file before the loop writes the socket. */
	if (s->sendlog != NULL) {
		char	err[256];

		if (sendlog_flush(s->sendlog) == -1)
			log_warnx("sendlog_write_failed err=\"%s\"",
			    strerror(errno));
		if (sendlog_rotate(s->sendlog, now, outbox_oldest_inflight(
		    s->ob, now), err, sizeof(err)) == -1)
			log_warnx("sendlog_rotate_failed err=\"%s\"", err);
	}
	/* Held back by [smpp] tps only: go on when the next one may. */
	if ((wait = outbox_pace_wait(s->ob, now)) >= 0 &&
	    !evtimer_pending(s->ev_pace, NULL)) {
		struct timeval	tv = { wait / 1000, (wait % 1000) * 1000 };

		evtimer_add(s->ev_pace, &tv);
	}
out:
	/* Outcomes noted on the way go to the worker with what is there. */
	if (s->filling->n_ops > 0)
		smpp_session_flush(s);
}

/*
 * The tps limit held MTs back and a token is due: nothing else may come
 * to pump before the tick, a quarter second later, and a reply waiting
 * behind a reminder burst would wait that long.
 */
void
smpp_session_pace_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	smpp_session_pump(arg);
}

/*
 * A submit_sm_resp, or a generic_nack that is not the enquire_link's: the
 * answer to a USSD screen, or to an outbox MT (or one of its parts),
 * whose fate is logged and queued for the next batch.
 */
void
smpp_submit_resp(struct smpp_session *s, const struct smpp_header *h,
    const uint8_t *buf, size_t len)
{
	char			id[SMPP_MSGID_MAX + 1];
	enum outbox_fate	fate;
	struct outbox_outcome	oc;
	struct smpp_op		*op;

	/* A USSD screen's: never in the outbox. */
	if (ussd_smpp_resp(s->ussd, h->seq, h->command_id ==
	    SMPP_GENERIC_NACK && h->status == SMPP_ESME_ROK ?
	    SMPP_ESME_RSYSERR : h->status))
		return;
	smpp_pdu_decode_resp_id(buf, len, id, sizeof(id));
	fate = outbox_resp(s->ob, h->seq,
	    h->command_id == SMPP_GENERIC_NACK &&
	    h->status == SMPP_ESME_ROK ? SMPP_ESME_RSYSERR : h->status,
	    smpp_now_ms(), &oc);
	if (fate != OUTBOX_UNKNOWN_SEQ) {
		op = smpp_session_mt_op(s, oc.mt_id, fate, h->status,
		    id);
		op->part_seq = (uint8_t)oc.part;
		op->part_total = (uint8_t)oc.parts;
		op->mt_via = oc.via;
	}
	switch (fate) {
	case OUTBOX_PART_SENT:
		log_info("mt_part_sent link=%u mt=%lld seq=%u "
		    "part=%d/%d msgid=%s", s->link_id,
		    (long long)oc.mt_id, h->seq, oc.part, oc.parts,
		    id);
		break;
	case OUTBOX_SENT:
		s->stats.mt_sent++;
		metrics_mt_sent(oc.mt_id);
		if (oc.parts > 1)
			log_info("mt_sent link=%u mt=%lld seq=%u "
			    "msgid=%s parts=%d", s->link_id,
			    (long long)oc.mt_id, h->seq, id, oc.parts);
		else
			log_info("mt_sent link=%u mt=%lld seq=%u "
			    "msgid=%s", s->link_id,
			    (long long)oc.mt_id, h->seq, id);
		break;
	case OUTBOX_RETRY:
		s->stats.mt_retried++;
		log_warnx("mt_retry link=%u mt=%lld seq=%u status=%s "
		    "attempts=%d part=%d/%d", s->link_id,
		    (long long)oc.mt_id, h->seq,
		    smpp_pdu_status_name(h->status), oc.attempts,
		    oc.part, oc.parts);
		break;
	case OUTBOX_FAILED:
		s->stats.mt_failed++;
		log_error("mt_failed link=%u mt=%lld seq=%u status=%s "
		    "attempts=%d part=%d/%d", s->link_id,
		    (long long)oc.mt_id, h->seq,
		    smpp_pdu_status_name(h->status), oc.attempts,
		    oc.part, oc.parts);
		break;
	case OUTBOX_UNKNOWN:	/* not from a response */
	case OUTBOX_UNKNOWN_SEQ:
		log_warnx("pdu_unexpected link=%u cmd=%s seq=%u "
		    "status=%s", s->link_id,
		    smpp_pdu_command_name(h->command_id), h->seq,
		    smpp_pdu_status_name(h->status));
		break;
	}
}
