/*
 * smsc_mo.c: what pilar-smsc sends on its own (smsc.h): the deliver_sm
 * of an MO, of a USSD dialogue, of a part of a long MO and of a
 * delivery receipt.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "smpp_pdu.h"
#include "smsc.h"
#include "smsc_server.h"

static int	 smsc_mo_addr(struct smpp_msg *, const char *, char *,
		    size_t);
static int	 smsc_send_dlv(struct smpp_msg *, uint32_t *, char *, size_t);
static void	 smsc_receipt_date(time_t, char *, size_t);

/*
 * The addresses of an MO: from phone ("+62..." means TON international)
 * to our short code.  0, or -1 with a reason in err.
 */
static int
smsc_mo_addr(struct smpp_msg *m, const char *phone, char *err, size_t errsz)
{
	if (!smsc_is_bound()) {
		snprintf(err, errsz, "no ESME bound");
		return -1;
	}
	if (phone[0] == '+') {
		phone++;
		m->source_ton = 1;
	}
	m->source_npi = 1;
	if (strlen(phone) > 20 || strlen(smsc_opts.shortcode) > 20) {
		snprintf(err, errsz, "address too long");
		return -1;
	}
	strcpy(m->source_addr, phone);
	strcpy(m->dest_addr, smsc_opts.shortcode);
	return 0;
}

/* Encode m as a deliver_sm with a new sequence number and send it. */
static int
smsc_send_dlv(struct smpp_msg *m, uint32_t *seq, char *err, size_t errsz)
{
	uint8_t		 buf[SMSC_OUT_MAX];
	int		 n;

	*seq = smsc_seq();
	n = smpp_pdu_encode_msg(buf, sizeof(buf), SMPP_DELIVER_SM, *seq, m);
	if (n < 0) {
		snprintf(err, errsz, "deliver_sm does not encode");
		return -1;
	}
	smsc_log("conn=%u tx deliver_sm seq=%u dc=%u esm=0x%02x octets=%zu%s",
	    smsc_conn_id(), *seq, m->data_coding, m->esm_class, m->sm_len,
	    m->has_sar ? " sar" : "");
	smsc_stats.mo++;
	return smsc_send(buf, n);
}

/*
 * deliver_sm of an MO.  The text is GSM-7 (data_coding 0, one septet
 * per octet) when every character is in the alphabet, UCS-2 otherwise;
 * over 253 octets the encoder moves it to message_payload.
 */
int
smsc_send_mo(const char *phone, const char *utf8, uint32_t *seq,
    char *err, size_t errsz)
{
	static struct smpp_msg	 m;
	int			 n;

	memset(&m, 0, sizeof(m));
	if (smsc_mo_addr(&m, phone, err, errsz) == -1)
		return -1;
	n = codec_gsm7_encode(utf8, m.sm, sizeof(m.sm));
	if (n < 0) {
		m.data_coding = CODEC_DC_UCS2;
		n = codec_ucs2_encode(utf8, m.sm, sizeof(m.sm));
	}
	if (n < 0) {
		snprintf(err, errsz, "text cannot be encoded (too long?)");
		return -1;
	}
	m.sm_len = (size_t)n;
	return smsc_send_dlv(&m, seq, err, errsz);
}

/* deliver_sm of a USSD dialogue: the text with u's TLVs. */
int
smsc_send_ussd(const char *phone, const char *utf8, const struct smsc_ussd *u,
    uint32_t *seq, char *err, size_t errsz)
{
	static struct smpp_msg	 m;
	int			 n;

	memset(&m, 0, sizeof(m));
	if (smsc_mo_addr(&m, phone, err, errsz) == -1)
		return -1;
	snprintf(m.service_type, sizeof(m.service_type), "USSD");
	n = codec_gsm7_encode(utf8, m.sm, sizeof(m.sm));
	if (n < 0) {
		m.data_coding = CODEC_DC_UCS2;
		n = codec_ucs2_encode(utf8, m.sm, sizeof(m.sm));
	}
	if (n < 0 || n > 253) {
		snprintf(err, errsz, "text cannot be encoded (too long?)");
		return -1;
	}
	m.sm_len = (size_t)n;
	m.has_ussd_service_op = 1;
	m.ussd_service_op = u->op;
	m.has_its_session_info = 1;
	m.its_session_info = u->its;
	return smsc_send_dlv(&m, seq, err, errsz);
}

/* deliver_sm of one part of a long MO, its short_message as given. */
int
smsc_send_part(const char *phone, const struct smsc_part *p, uint32_t *seq,
    char *err, size_t errsz)
{
	static struct smpp_msg	 m;

	memset(&m, 0, sizeof(m));
	if (smsc_mo_addr(&m, phone, err, errsz) == -1)
		return -1;
	if (p->sm_len > sizeof(p->sm)) {
		snprintf(err, errsz, "part too long");
		return -1;
	}
	m.data_coding = p->data_coding;
	m.esm_class = p->esm_class;
	memcpy(m.sm, p->sm, p->sm_len);
	m.sm_len = p->sm_len;
	if (p->sar) {
		m.has_sar = 1;
		m.sar_msg_ref_num = p->ref;
		m.sar_total_segments = p->total;
		m.sar_segment_seqnum = p->seq;
	}
	return smsc_send_dlv(&m, seq, err, errsz);
}

const char *
smsc_receipt_stat(uint8_t state)
{
	switch (state) {
	case 1:		return "ENROUTE";
	case 2:		return "DELIVRD";
	case 3:		return "EXPIRED";
	case 4:		return "DELETED";
	case 5:		return "UNDELIV";
	case 6:		return "ACCEPTD";
	case 7:		return "UNKNOWN";
	case 8:		return "REJECTD";
	default:	return NULL;
	}
}

/* A receipt's date, YYMMDDhhmm in local time (SMPP 3.4 Appendix B). */
static void
smsc_receipt_date(time_t t, char *out, size_t outsz)
{
	struct tm	 tm;
	char		 buf[64];

	localtime_r(&t, &tm);
	/* Through buf: the compiler cannot bound each field to 2 digits. */
	snprintf(buf, sizeof(buf), "%02d%02d%02d%02d%02d",
	    tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min);
	snprintf(out, outsz, "%.10s", buf);
}

/*
 * A delivery receipt, as smsc.h describes it.  The text form goes in
 * short_message as GSM-7 (data_coding 0), which for its letters, digits,
 * colons and blanks is the same octets as ASCII; the TLV form alone has
 * an empty short_message.
 */
int
smsc_send_receipt(const struct smsc_receipt *r, uint32_t *seq, char *err,
    size_t errsz)
{
	static struct smpp_msg	 m;
	uint8_t			 buf[SMSC_OUT_MAX];
	char			 id[SMSC_MSGID_MAX + 1], sub[16], done[16];
	char			 text[256];
	const char		*stat = smsc_receipt_stat(r->state);
	const char		*phone = r->phone;
	time_t			 now = time(NULL);
	uintmax_t		 v;
	char			*end;
	int			 n;

	if (!smsc_is_bound()) {
		snprintf(err, errsz, "no ESME bound");
		return -1;
	}
	if (stat == NULL || (r->form & (SMSC_RECEIPT_TLV |
	    SMSC_RECEIPT_TEXT)) == 0) {
		snprintf(err, errsz, "bad state or form");
		return -1;
	}
	memset(&m, 0, sizeof(m));
	if (phone[0] == '+') {
		phone++;
		m.source_ton = 1;
	}
	m.source_npi = 1;
	if (strlen(phone) > 20 || strlen(r->shortcode) > 20) {
		snprintf(err, errsz, "address too long");
		return -1;
	}
	strcpy(m.source_addr, phone);
	strcpy(m.dest_addr, r->shortcode);
	m.esm_class = 0x04;		/* SMSC delivery receipt */
	if (r->form & SMSC_RECEIPT_TLV) {
		m.has_receipted_message_id = 1;
		snprintf(m.receipted_message_id,
		    sizeof(m.receipted_message_id), "%s", r->id);
		m.has_message_state = 1;
		m.message_state = r->state;
	}
	if (r->form & SMSC_RECEIPT_TEXT) {
		snprintf(id, sizeof(id), "%s", r->id);
		if (r->hex) {
			errno = 0;
			v = strtoumax(r->id, &end, 10);
			if (r->id[0] < '0' || r->id[0] > '9' || *end != '\0' ||
			    errno != 0) {
				snprintf(err, errsz, "id `%s' is not decimal: "
				    "no hex form", r->id);
				return -1;
			}
			snprintf(id, sizeof(id), "%jX", v);
		}
		smsc_receipt_date(r->submitted, sub, sizeof(sub));
		smsc_receipt_date(now, done, sizeof(done));
		snprintf(text, sizeof(text), "id:%s sub:001 dlvrd:%s submit "
		    "date:%s done date:%s stat:%s err:000 text:%s", id,
		    r->state == 2 ? "001" : "000", sub, done, stat, r->text);
		n = codec_gsm7_encode(text, m.sm, sizeof(m.sm));
		if (n < 0 || n > 253) {
			snprintf(err, errsz, "receipt text does not encode");
			return -1;
		}
		m.sm_len = (size_t)n;
	}
	*seq = smsc_seq();
	n = smpp_pdu_encode_msg(buf, sizeof(buf), SMPP_DELIVER_SM, *seq, &m);
	if (n < 0) {
		snprintf(err, errsz, "deliver_sm does not encode");
		return -1;
	}
	smsc_log("conn=%u tx deliver_sm (receipt) seq=%u id=%s stat=%s%s%s",
	    smsc_conn_id(), *seq, r->id, stat,
	    r->form & SMSC_RECEIPT_TLV ? " tlv" : "",
	    r->form & SMSC_RECEIPT_TEXT ? (r->hex ? " text(hex)" : " text") :
	    "");
	smsc_stats.mo++;
	smsc_stats.receipts++;
	return smsc_send(buf, n);
}
