/*
 * test_smpp_pdu.c: every encoder against its decoder and against
 * libsmpp34 (the oracle: pilard calls it for binds only), and the
 * hostile PDUs from docs/smpp.md.  Run under ASan (PILAR_SANITIZE=ON):
 * the hostile cases must be rejected without touching memory they do
 * not own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <smpp34.h>
#include <smpp34_structs.h>
#include <smpp34_params.h>

#include "smpp_pdu.h"

/* A PDU under construction, written by hand as a peer would send it. */
struct pdu {
	uint8_t	 b[SMPP_PDU_MAX_DEFAULT + 1];
	size_t	 len;
};

static void
pdu_u8(struct pdu *p, uint8_t v)
{
	assert_true(p->len < SMPP_PDU_MAX_DEFAULT);
	p->b[p->len++] = v;
}

static void
pdu_u16(struct pdu *p, uint16_t v)
{
	pdu_u8(p, v >> 8);
	pdu_u8(p, v & 0xFF);
}

static void
pdu_u32(struct pdu *p, uint32_t v)
{
	pdu_u16(p, v >> 16);
	pdu_u16(p, v & 0xFFFF);
}

static void
pdu_bytes(struct pdu *p, const void *v, size_t n)
{
	assert_true(p->len + n <= SMPP_PDU_MAX_DEFAULT);
	memcpy(p->b + p->len, v, n);
	p->len += n;
}

static void
pdu_cstr(struct pdu *p, const char *s)
{
	pdu_bytes(p, s, strlen(s) + 1);
}

static void
pdu_start(struct pdu *p, uint32_t command_id, uint32_t seq)
{
	memset(p, 0, sizeof(*p));
	pdu_u32(p, 0);
	pdu_u32(p, command_id);
	pdu_u32(p, 0);
	pdu_u32(p, seq);
}

/* Fix command_length and write the guard NUL, as smpp_frame_take does. */
static void
pdu_finish(struct pdu *p)
{
	p->b[0] = p->len >> 24;
	p->b[1] = p->len >> 16;
	p->b[2] = p->len >> 8;
	p->b[3] = p->len;
	p->b[p->len] = '\0';
}

/* deliver_sm mandatory part from the phone to 1717, short_message text. */
static void
pdu_deliver_sm(struct pdu *p, const char *from, const char *text)
{
	pdu_start(p, SMPP_DELIVER_SM, 42);
	pdu_cstr(p, "");		/* service_type */
	pdu_u8(p, 1); pdu_u8(p, 1);
	pdu_cstr(p, from);
	pdu_u8(p, 0); pdu_u8(p, 1);
	pdu_cstr(p, "1717");
	pdu_u8(p, 0);			/* esm_class */
	pdu_u8(p, 0);			/* protocol_id */
	pdu_u8(p, 0);			/* priority_flag */
	pdu_cstr(p, "");		/* schedule_delivery_time */
	pdu_cstr(p, "");		/* validity_period */
	pdu_u8(p, 0);			/* registered_delivery */
	pdu_u8(p, 0);			/* replace_if_present_flag */
	pdu_u8(p, 0);			/* data_coding */
	pdu_u8(p, 0);			/* sm_default_msg_id */
	pdu_u8(p, (uint8_t)strlen(text));
	pdu_bytes(p, text, strlen(text));
}

/* Encode out of a work buffer and add the guard byte a framer would. */
static uint8_t	 wbuf[SMPP_PDU_MAX_DEFAULT + 1];

static void
test_header_round_trip(void **state)
{
	struct smpp_header	 h;
	int			 n;

	(void)state;
	n = smpp_pdu_encode_header(wbuf, sizeof(wbuf), SMPP_ENQUIRE_LINK, 0,
	    0x7FFFFFFF);
	assert_int_equal(n, 16);
	smpp_pdu_header(wbuf, &h);
	assert_int_equal(h.length, 16);
	assert_int_equal(h.command_id, SMPP_ENQUIRE_LINK);
	assert_int_equal(h.status, 0);
	assert_int_equal(h.seq, 0x7FFFFFFF);

	n = smpp_pdu_encode_header(wbuf, sizeof(wbuf), SMPP_GENERIC_NACK,
	    SMPP_ESME_RINVCMDID, 3);
	assert_int_equal(n, 16);
	smpp_pdu_header(wbuf, &h);
	assert_int_equal(h.command_id, SMPP_GENERIC_NACK);
	assert_int_equal(h.status, SMPP_ESME_RINVCMDID);

	/* Sequence numbers are 1..0x7FFFFFFF; the buffer must hold 16. */
	assert_int_equal(smpp_pdu_encode_header(wbuf, sizeof(wbuf),
	    SMPP_UNBIND, 0, 0), -1);
	assert_int_equal(smpp_pdu_encode_header(wbuf, sizeof(wbuf),
	    SMPP_UNBIND, 0, 0x80000000u), -1);
	assert_int_equal(smpp_pdu_encode_header(wbuf, 15, SMPP_UNBIND, 0, 1),
	    -1);
	assert_int_equal(smpp_pdu_encode_header(wbuf, 16, SMPP_UNBIND, 0, 1),
	    16);
}

static void
test_bind_round_trip(void **state)
{
	static const uint32_t	 ids[] = { SMPP_BIND_TRANSMITTER,
	    SMPP_BIND_RECEIVER, SMPP_BIND_TRANSCEIVER };
	struct smpp_bind	 b, d;
	struct smpp_header	 h;
	char			 err[128];
	size_t			 i;
	int			 n;

	(void)state;
	memset(&b, 0, sizeof(b));
	strcpy(b.system_id, "pilar-123456789");	/* 15: the maximum */
	strcpy(b.password, "secret12");		/* 8: the maximum */
	strcpy(b.system_type, "SMS");
	b.addr_ton = 1;
	b.addr_npi = 1;
	strcpy(b.address_range, "^62");
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		n = smpp_pdu_encode_bind(wbuf, sizeof(wbuf), ids[i], 7, &b);
		assert_true(n > 16);
		wbuf[n] = '\0';
		smpp_pdu_header(wbuf, &h);
		assert_int_equal(h.length, n);
		assert_int_equal(h.command_id, ids[i]);
		assert_int_equal(h.seq, 7);
		assert_int_equal(smpp_pdu_decode_bind(wbuf, (size_t)n, &d, err,
		    sizeof(err)), 0);
		assert_string_equal(d.system_id, b.system_id);
		assert_string_equal(d.password, b.password);
		assert_string_equal(d.system_type, b.system_type);
		assert_int_equal(d.interface_version, 0x34);
		assert_int_equal(d.addr_ton, 1);
		assert_int_equal(d.addr_npi, 1);
		assert_string_equal(d.address_range, b.address_range);
	}
	/* Exactly the PDU's size is enough; one less is not. */
	n = smpp_pdu_encode_bind(wbuf, sizeof(wbuf), SMPP_BIND_TRANSCEIVER, 1,
	    &b);
	assert_int_equal(smpp_pdu_encode_bind(wbuf, (size_t)n,
	    SMPP_BIND_TRANSCEIVER, 1, &b), n);
	assert_int_equal(smpp_pdu_encode_bind(wbuf, (size_t)n - 1,
	    SMPP_BIND_TRANSCEIVER, 1, &b), -1);
	/* Too long: refused, never truncated. */
	strcpy(b.system_id, "pilar-1234567890");	/* 16 */
	assert_int_equal(smpp_pdu_encode_bind(wbuf, sizeof(wbuf),
	    SMPP_BIND_TRANSCEIVER, 1, &b), -1);
	strcpy(b.system_id, "pilar");
	strcpy(b.password, "secret123");		/* 9 */
	assert_int_equal(smpp_pdu_encode_bind(wbuf, sizeof(wbuf),
	    SMPP_BIND_TRANSCEIVER, 1, &b), -1);
	strcpy(b.password, "pw");
	assert_int_equal(smpp_pdu_encode_bind(wbuf, sizeof(wbuf),
	    SMPP_BIND_TRANSCEIVER, 0, &b), -1);
	assert_int_equal(smpp_pdu_encode_bind(wbuf, sizeof(wbuf),
	    SMPP_SUBMIT_SM, 1, &b), -1);
}

static void
test_bind_decode_hostile(void **state)
{
	struct pdu		 p;
	struct smpp_bind	 d;
	char			 err[128];

	(void)state;
	/* A 3.3 ESME with an odd NPI is still understood. */
	pdu_start(&p, SMPP_BIND_TRANSCEIVER, 1);
	pdu_cstr(&p, "esme");
	pdu_cstr(&p, "pw");
	pdu_cstr(&p, "");
	pdu_u8(&p, 0x33);
	pdu_u8(&p, 0);
	pdu_u8(&p, 2);
	pdu_cstr(&p, "");
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_bind(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_string_equal(d.system_id, "esme");
	assert_int_equal(d.interface_version, 0x33);
	assert_int_equal(d.addr_npi, 2);

	/* system_id without NUL within 16 octets. */
	pdu_start(&p, SMPP_BIND_TRANSCEIVER, 1);
	pdu_cstr(&p, "abcdefghijklmnopqrstuvwxyz");
	pdu_cstr(&p, "pw");
	pdu_cstr(&p, "");
	pdu_u8(&p, 0x34); pdu_u8(&p, 0); pdu_u8(&p, 0);
	pdu_cstr(&p, "");
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_bind(p.b, p.len, &d, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "system_id"));

	/* Truncated before address_range: the guard NUL must not count. */
	pdu_start(&p, SMPP_BIND_TRANSCEIVER, 1);
	pdu_cstr(&p, "esme");
	pdu_cstr(&p, "pw");
	pdu_cstr(&p, "");
	pdu_u8(&p, 0x34); pdu_u8(&p, 0); pdu_u8(&p, 0);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_bind(p.b, p.len, &d, err,
	    sizeof(err)), -1);

	/* Not a bind at all. */
	pdu_start(&p, SMPP_ENQUIRE_LINK, 1);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_bind(p.b, p.len, &d, err,
	    sizeof(err)), -1);
}

static void
test_resp_round_trip(void **state)
{
	struct smpp_header	 h;
	char			 id[SMPP_MSGID_MAX + 1];
	int			 n;

	(void)state;
	n = smpp_pdu_encode_bind_resp(wbuf, sizeof(wbuf),
	    SMPP_BIND_TRANSCEIVER_RESP, 5, SMPP_ESME_ROK, "pilar-smsc");
	assert_int_equal(n, 16 + 11);
	wbuf[n] = '\0';
	assert_int_equal(smpp_pdu_decode_resp_id(wbuf, (size_t)n, id,
	    sizeof(id)), 0);
	assert_string_equal(id, "pilar-smsc");

	/* An error bind_resp is the bare header. */
	n = smpp_pdu_encode_bind_resp(wbuf, sizeof(wbuf),
	    SMPP_BIND_TRANSCEIVER_RESP, 5, SMPP_ESME_RINVPASWD, "pilar-smsc");
	assert_int_equal(n, 16);
	smpp_pdu_header(wbuf, &h);
	assert_int_equal(h.status, SMPP_ESME_RINVPASWD);
	assert_int_equal(smpp_pdu_decode_resp_id(wbuf, (size_t)n, id,
	    sizeof(id)), 0);
	assert_string_equal(id, "");

	/* submit_sm_resp with a 64-character id (the maximum). */
	n = smpp_pdu_encode_msg_resp(wbuf, sizeof(wbuf), SMPP_SUBMIT_SM_RESP,
	    9, SMPP_ESME_ROK,
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	assert_int_equal(n, 16 + 65);
	wbuf[n] = '\0';
	assert_int_equal(smpp_pdu_decode_resp_id(wbuf, (size_t)n, id,
	    sizeof(id)), 0);
	assert_int_equal(strlen(id), 64);
	assert_int_equal(smpp_pdu_encode_msg_resp(wbuf, sizeof(wbuf),
	    SMPP_SUBMIT_SM_RESP, 9, SMPP_ESME_ROK,
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefX"),
	    -1);

	/* An error submit_sm_resp has no body. */
	n = smpp_pdu_encode_msg_resp(wbuf, sizeof(wbuf), SMPP_SUBMIT_SM_RESP,
	    9, SMPP_ESME_RTHROTTLED, "123");
	assert_int_equal(n, 16);
	smpp_pdu_header(wbuf, &h);
	assert_int_equal(h.status, SMPP_ESME_RTHROTTLED);

	/* deliver_sm_resp: "" is one NUL octet, error or not. */
	n = smpp_pdu_encode_msg_resp(wbuf, sizeof(wbuf), SMPP_DELIVER_SM_RESP,
	    10, SMPP_ESME_ROK, "");
	assert_int_equal(n, 17);
	n = smpp_pdu_encode_msg_resp(wbuf, sizeof(wbuf), SMPP_DELIVER_SM_RESP,
	    10, SMPP_ESME_RX_T_APPN, "");
	assert_int_equal(n, 17);
	assert_int_equal(wbuf[16], 0);
	n = smpp_pdu_encode_msg_resp(wbuf, sizeof(wbuf), SMPP_DELIVER_SM_RESP,
	    10, 0x0400u, "");
	assert_int_equal(n, 17);
	smpp_pdu_header(wbuf, &h);
	assert_int_equal(h.status, 0x0400u);
	assert_int_equal(h.command_id, SMPP_DELIVER_SM_RESP);
	assert_int_equal(h.seq, 10);
}

/* What many SMSCs send: an error submit_sm_resp with no body at all. */
static void
test_resp_id_tolerant(void **state)
{
	struct pdu	 p;
	char		 id[SMPP_MSGID_MAX + 1], small[4];

	(void)state;
	pdu_start(&p, SMPP_SUBMIT_SM_RESP, 3);
	p.b[11] = 0x58;			/* ESME_RTHROTTLED */
	pdu_finish(&p);
	strcpy(id, "junk");
	assert_int_equal(smpp_pdu_decode_resp_id(p.b, p.len, id, sizeof(id)),
	    0);
	assert_string_equal(id, "");

	/* An id without its NUL: taken up to the end of the PDU. */
	pdu_start(&p, SMPP_SUBMIT_SM_RESP, 3);
	pdu_bytes(&p, "abc123", 6);
	pdu_finish(&p);
	p.b[p.len] = 'X';		/* even a missing guard is not read */
	assert_int_equal(smpp_pdu_decode_resp_id(p.b, p.len, id, sizeof(id)),
	    0);
	assert_string_equal(id, "abc123");

	/* A long id is cut to the caller's buffer. */
	assert_int_equal(smpp_pdu_decode_resp_id(p.b, p.len, small,
	    sizeof(small)), 0);
	assert_string_equal(small, "abc");
	assert_int_equal(smpp_pdu_decode_resp_id(p.b, p.len, small, 0), -1);
}

static void
fill_msg(struct smpp_msg *m, const char *text)
{
	memset(m, 0, sizeof(*m));
	m->source_ton = 0;
	m->source_npi = 1;
	strcpy(m->source_addr, "1717");
	m->dest_ton = 1;
	m->dest_npi = 1;
	strcpy(m->dest_addr, "6281200000001");
	m->sm_len = strlen(text);
	memcpy(m->sm, text, m->sm_len);
}

static void
assert_msg_equal(const struct smpp_msg *a, const struct smpp_msg *b)
{
	assert_string_equal(a->service_type, b->service_type);
	assert_int_equal(a->source_ton, b->source_ton);
	assert_int_equal(a->source_npi, b->source_npi);
	assert_string_equal(a->source_addr, b->source_addr);
	assert_int_equal(a->dest_ton, b->dest_ton);
	assert_int_equal(a->dest_npi, b->dest_npi);
	assert_string_equal(a->dest_addr, b->dest_addr);
	assert_int_equal(a->esm_class, b->esm_class);
	assert_int_equal(a->protocol_id, b->protocol_id);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->registered_delivery, b->registered_delivery);
	assert_int_equal(a->data_coding, b->data_coding);
	assert_int_equal(a->sm_len, b->sm_len);
	assert_memory_equal(a->sm, b->sm, a->sm_len);
	assert_int_equal(a->has_receipted_message_id,
	    b->has_receipted_message_id);
	assert_string_equal(a->receipted_message_id, b->receipted_message_id);
	assert_int_equal(a->has_message_state, b->has_message_state);
	assert_int_equal(a->message_state, b->message_state);
	assert_int_equal(a->has_network_error_code, b->has_network_error_code);
	assert_memory_equal(a->network_error_code, b->network_error_code, 3);
	assert_int_equal(a->has_user_message_reference,
	    b->has_user_message_reference);
	assert_int_equal(a->user_message_reference, b->user_message_reference);
	assert_int_equal(a->has_sar, b->has_sar);
	assert_int_equal(a->sar_msg_ref_num, b->sar_msg_ref_num);
	assert_int_equal(a->sar_total_segments, b->sar_total_segments);
	assert_int_equal(a->sar_segment_seqnum, b->sar_segment_seqnum);
	assert_int_equal(a->has_ussd_service_op, b->has_ussd_service_op);
	assert_int_equal(a->ussd_service_op, b->ussd_service_op);
	assert_int_equal(a->has_its_session_info, b->has_its_session_info);
	assert_int_equal(a->its_session_info, b->its_session_info);
}

/* Encode, decode, compare; returns the PDU length. */
static int
round_trip(uint32_t command_id, const struct smpp_msg *m,
    struct smpp_msg *d)
{
	struct smpp_header	 h;
	char			 err[128];
	int			 n;

	n = smpp_pdu_encode_msg(wbuf, sizeof(wbuf), command_id, 77, m);
	assert_true(n > 16);
	wbuf[n] = '\0';
	smpp_pdu_header(wbuf, &h);
	assert_int_equal(h.length, n);
	assert_int_equal(h.command_id, command_id);
	assert_int_equal(h.seq, 77);
	assert_int_equal(smpp_pdu_decode_msg(wbuf, (size_t)n, d, err,
	    sizeof(err)), 0);
	assert_msg_equal(m, d);
	return n;
}

static void
test_msg_round_trip(void **state)
{
	struct smpp_msg	 m, d;

	(void)state;
	fill_msg(&m, "OK. Graduasi SM KPM 12345 tercatat (Ref G4M8).");
	round_trip(SMPP_SUBMIT_SM, &m, &d);
	assert_int_equal(d.payload_from_tlv, 0);
	round_trip(SMPP_DELIVER_SM, &m, &d);

	/* Every field and every TLV we know. */
	strcpy(m.service_type, "USSD");
	m.esm_class = 0x40;
	m.protocol_id = 0x7F;
	m.priority = 1;
	m.registered_delivery = 1;
	m.data_coding = 8;
	m.has_receipted_message_id = 1;
	strcpy(m.receipted_message_id, "A1B2C3");
	m.has_message_state = 1;
	m.message_state = 2;
	m.has_network_error_code = 1;
	memcpy(m.network_error_code, "\x03\x00\x45", 3);
	m.has_user_message_reference = 1;
	m.user_message_reference = 0xBEEF;
	m.has_sar = 1;
	m.sar_msg_ref_num = 0x1234;
	m.sar_total_segments = 3;
	m.sar_segment_seqnum = 2;
	m.has_ussd_service_op = 1;
	m.ussd_service_op = 17;
	m.has_its_session_info = 1;
	m.its_session_info = 0x2A01;
	round_trip(SMPP_SUBMIT_SM, &m, &d);
	round_trip(SMPP_DELIVER_SM, &m, &d);

	/* An empty text. */
	fill_msg(&m, "");
	round_trip(SMPP_SUBMIT_SM, &m, &d);

	/* Only submit_sm and deliver_sm; seq 0 and long fields refused. */
	fill_msg(&m, "x");
	assert_int_equal(smpp_pdu_encode_msg(wbuf, sizeof(wbuf), SMPP_DATA_SM,
	    1, &m), -1);
	assert_int_equal(smpp_pdu_encode_msg(wbuf, sizeof(wbuf),
	    SMPP_SUBMIT_SM, 0, &m), -1);
	strcpy(m.dest_addr, "123456789012345678901");	/* 21 */
	assert_int_equal(smpp_pdu_encode_msg(wbuf, sizeof(wbuf),
	    SMPP_SUBMIT_SM, 1, &m), -1);
	strcpy(m.dest_addr, "12345678901234567890");	/* 20 */
	assert_true(smpp_pdu_encode_msg(wbuf, sizeof(wbuf), SMPP_SUBMIT_SM,
	    1, &m) > 0);
	strcpy(m.service_type, "CMTABC");
	assert_int_equal(smpp_pdu_encode_msg(wbuf, sizeof(wbuf),
	    SMPP_SUBMIT_SM, 1, &m), -1);
}

/*
 * A USSD dialogue's PDUs as pilard and the simulator use them: op 1 with
 * the dial string in, a full 182-character screen out with op 2, the
 * last with op 17 and the end bit of its_session_info.
 */
static void
test_ussd_round_trip(void **state)
{
	struct smpp_msg	 m, d;
	char		 screen[183];

	(void)state;
	fill_msg(&m, "*123*1*12345#");
	strcpy(m.service_type, "USSD");
	m.has_ussd_service_op = 1;
	m.ussd_service_op = 1;
	m.has_its_session_info = 1;
	m.its_session_info = 0x0700;
	round_trip(SMPP_DELIVER_SM, &m, &d);
	assert_int_equal(d.ussd_service_op, 1);
	assert_int_equal(d.its_session_info >> 8, 7);

	memset(screen, 'x', sizeof(screen) - 1);
	screen[sizeof(screen) - 1] = '\0';
	screen[10] = screen[40] = '\n';
	fill_msg(&m, screen);
	m.has_ussd_service_op = 1;
	m.ussd_service_op = 2;
	m.has_its_session_info = 1;
	m.its_session_info = 0x0702;
	round_trip(SMPP_SUBMIT_SM, &m, &d);
	assert_int_equal(d.sm_len, 182);
	assert_int_equal(d.payload_from_tlv, 0);
	m.ussd_service_op = 17;
	m.its_session_info = 0x0703;
	round_trip(SMPP_SUBMIT_SM, &m, &d);
	assert_int_equal(d.its_session_info & 1, 1);
}

static void
test_msg_sizes(void **state)
{
	struct smpp_msg	 m, d;
	char		 text[SMPP_PAYLOAD_MAX + 2], err[128];
	int		 n;

	(void)state;
	/* 253 octets still go in short_message. */
	memset(text, 'a', 253);
	text[253] = '\0';
	fill_msg(&m, text);
	n = round_trip(SMPP_SUBMIT_SM, &m, &d);
	assert_int_equal(d.payload_from_tlv, 0);
	assert_int_equal(wbuf[n - 254], 253);		/* sm_length */

	/* 254 octets cannot be packed: message_payload, sm_length 0. */
	text[253] = 'b';
	text[254] = '\0';
	fill_msg(&m, text);
	/* The same mandatory part with sm_length 0, plus a 4 + 254 TLV. */
	assert_int_equal(smpp_pdu_encode_msg(wbuf, sizeof(wbuf),
	    SMPP_SUBMIT_SM, 1, &m), n - 253 + 4 + 254);
	n = smpp_pdu_encode_msg(wbuf, sizeof(wbuf), SMPP_SUBMIT_SM, 1, &m);
	wbuf[n] = '\0';
	assert_int_equal(smpp_pdu_decode_msg(wbuf, (size_t)n, &d, err,
	    sizeof(err)), 0);
	assert_int_equal(d.payload_from_tlv, 1);
	assert_int_equal(d.sm_len, 254);
	assert_memory_equal(d.sm, text, 254);

	/* 1500 octets, and the largest payload we keep. */
	memset(text, 'c', 1500);
	text[1500] = '\0';
	fill_msg(&m, text);
	n = round_trip(SMPP_DELIVER_SM, &m, &d);
	assert_int_equal(d.payload_from_tlv, 1);
	assert_int_equal(d.sm_len, 1500);
	memset(text, 'd', SMPP_PAYLOAD_MAX);
	text[SMPP_PAYLOAD_MAX] = '\0';
	fill_msg(&m, text);
	round_trip(SMPP_DELIVER_SM, &m, &d);

	/* A short text sent as payload on request. */
	fill_msg(&m, "via payload");
	m.payload_from_tlv = 1;
	round_trip(SMPP_SUBMIT_SM, &m, &d);
	assert_int_equal(d.payload_from_tlv, 1);

	/* Out buffer exactly the PDU's size, then one octet short. */
	fill_msg(&m, "hello");
	n = smpp_pdu_encode_msg(wbuf, sizeof(wbuf), SMPP_SUBMIT_SM, 1, &m);
	assert_int_equal(smpp_pdu_encode_msg(wbuf, (size_t)n, SMPP_SUBMIT_SM,
	    1, &m), n);
	assert_int_equal(smpp_pdu_encode_msg(wbuf, (size_t)n - 1,
	    SMPP_SUBMIT_SM, 1, &m), -1);
	m.has_ussd_service_op = 1;
	assert_int_equal(smpp_pdu_encode_msg(wbuf, (size_t)n + 4,
	    SMPP_SUBMIT_SM, 1, &m), -1);
	assert_int_equal(smpp_pdu_encode_msg(wbuf, (size_t)n + 5,
	    SMPP_SUBMIT_SM, 1, &m), n + 5);
}

/* A deliver_sm written octet by octet, as an SMSC would send it. */
static void
test_decode_hand_made(void **state)
{
	struct pdu	 p;
	struct smpp_msg	 d;
	char		 err[128];

	(void)state;
	pdu_deliver_sm(&p, "6281200000001", "GRAD 12345");
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_string_equal(d.source_addr, "6281200000001");
	assert_int_equal(d.source_ton, 1);
	assert_string_equal(d.dest_addr, "1717");
	assert_int_equal(d.sm_len, 10);
	assert_memory_equal(d.sm, "GRAD 12345", 10);
	assert_int_equal(d.has_sar, 0);

	/* A delivery receipt: esm_class 0x04 and the receipt TLVs. */
	pdu_deliver_sm(&p, "6281200000001", "id:7 stat:DELIVRD");
	p.b[16 + 1 + 2 + 14 + 2 + 5] = 0x04;
	pdu_u16(&p, SMPP_TLV_RECEIPTED_MESSAGE_ID);
	pdu_u16(&p, 2);
	pdu_cstr(&p, "7");
	pdu_u16(&p, SMPP_TLV_MESSAGE_STATE);
	pdu_u16(&p, 1);
	pdu_u8(&p, 2);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_int_equal(d.esm_class, 0x04);
	assert_int_equal(d.has_receipted_message_id, 1);
	assert_string_equal(d.receipted_message_id, "7");
	assert_int_equal(d.has_message_state, 1);
	assert_int_equal(d.message_state, 2);

	/* Only two of the three SAR TLVs: has_sar stays 0. */
	pdu_deliver_sm(&p, "6281200000001", "part");
	pdu_u16(&p, SMPP_TLV_SAR_MSG_REF_NUM);
	pdu_u16(&p, 2);
	pdu_u16(&p, 9);
	pdu_u16(&p, SMPP_TLV_SAR_TOTAL_SEGMENTS);
	pdu_u16(&p, 1);
	pdu_u8(&p, 2);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_int_equal(d.has_sar, 0);

	/* Tolerated: odd TON/NPI, a filled time field, a vendor status. */
	pdu_start(&p, SMPP_DELIVER_SM, 5);
	p.b[11] = 0x42;
	pdu_cstr(&p, "CMT");
	pdu_u8(&p, 7); pdu_u8(&p, 2);
	pdu_cstr(&p, "TELKOM");
	pdu_u8(&p, 0); pdu_u8(&p, 0);
	pdu_cstr(&p, "1717");
	pdu_u8(&p, 0); pdu_u8(&p, 0); pdu_u8(&p, 0);
	pdu_cstr(&p, "260101000000000+");
	pdu_cstr(&p, "");
	pdu_u8(&p, 0); pdu_u8(&p, 0); pdu_u8(&p, 3); pdu_u8(&p, 0);
	pdu_u8(&p, 2);
	pdu_bytes(&p, "\xe9!", 2);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_string_equal(d.service_type, "CMT");
	assert_int_equal(d.source_ton, 7);
	assert_int_equal(d.source_npi, 2);
	assert_string_equal(d.source_addr, "TELKOM");
	assert_int_equal(d.data_coding, 3);
	assert_memory_equal(d.sm, "\xe9!", 2);

	/* data_sm: the text comes in message_payload. */
	pdu_start(&p, SMPP_DATA_SM, 6);
	pdu_cstr(&p, "");
	pdu_u8(&p, 1); pdu_u8(&p, 1);
	pdu_cstr(&p, "6281200000001");
	pdu_u8(&p, 0); pdu_u8(&p, 0);
	pdu_cstr(&p, "1717");
	pdu_u8(&p, 0); pdu_u8(&p, 0); pdu_u8(&p, 0);
	pdu_u16(&p, SMPP_TLV_MESSAGE_PAYLOAD);
	pdu_u16(&p, 6);
	pdu_bytes(&p, "STATUS", 6);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_string_equal(d.source_addr, "6281200000001");
	assert_int_equal(d.payload_from_tlv, 1);
	assert_int_equal(d.sm_len, 6);
	assert_memory_equal(d.sm, "STATUS", 6);

	/* Not a message. */
	pdu_start(&p, SMPP_ENQUIRE_LINK, 1);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), -1);
}

/* Decode p and expect a rejection whose reason mentions what. */
static void
assert_rejected(struct pdu *p, const char *what)
{
	struct smpp_msg	 d;
	char		 err[128];

	memset(&d, 0x5A, sizeof(d));
	assert_int_equal(smpp_pdu_decode_msg(p->b, p->len, &d, err,
	    sizeof(err)), -1);
	if (strstr(err, what) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", err, what);
	assert_int_equal(d.sm_len, 0);		/* nothing half-decoded */
}

/*
 * The PDU from docs/smpp.md that writes past smpp34_strerror when given
 * to libsmpp34: ~155 octets, a deliver_sm with 29 empty vendor TLVs.
 */
static void
test_hostile_many_tlvs(void **state)
{
	struct pdu	 p;
	struct smpp_msg	 d;
	char		 err[128];
	int		 i;

	(void)state;
	pdu_deliver_sm(&p, "628", "");
	for (i = 0; i < 29; i++) {
		pdu_u16(&p, 0x1400 + i);
		pdu_u16(&p, 0);
	}
	pdu_finish(&p);
	assert_true(p.len >= 150 && p.len <= 160);
	assert_rejected(&p, "TLVs");

	/* SMPP_TLV_MAX of them is fine, one more is not. */
	pdu_deliver_sm(&p, "628", "hi");
	for (i = 0; i < SMPP_TLV_MAX; i++) {
		pdu_u16(&p, 0x1400 + i);
		pdu_u16(&p, 0);
	}
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	pdu_u16(&p, 0x1500);
	pdu_u16(&p, 0);
	pdu_finish(&p);
	assert_rejected(&p, "TLVs");

	/* The library is still sane afterwards. */
	pdu_deliver_sm(&p, "6281200000001", "still here");
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_memory_equal(d.sm, "still here", 10);
}

static void
test_hostile_fields(void **state)
{
	struct pdu	 p;
	int		 i;

	(void)state;
	/* A TLV whose length runs past the PDU. */
	pdu_deliver_sm(&p, "6281200000001", "x");
	pdu_u16(&p, SMPP_TLV_MESSAGE_PAYLOAD);
	pdu_u16(&p, 100);
	pdu_bytes(&p, "short", 5);
	pdu_finish(&p);
	assert_rejected(&p, "past the end");

	/* One octet short: the guard NUL must not count. */
	pdu_deliver_sm(&p, "6281200000001", "x");
	pdu_u16(&p, 0x1400);
	pdu_u16(&p, 6);
	pdu_bytes(&p, "short", 5);
	pdu_finish(&p);
	assert_rejected(&p, "past the end");

	/* receipted_message_id: 65 octets at most, with or without NUL. */
	pdu_deliver_sm(&p, "6281200000001", "x");
	pdu_u16(&p, SMPP_TLV_RECEIPTED_MESSAGE_ID);
	pdu_u16(&p, SMPP_MSGID_MAX + 1);
	for (i = 0; i < SMPP_MSGID_MAX + 1; i++)
		pdu_u8(&p, '7');
	pdu_finish(&p);
	assert_rejected(&p, "receipted_message_id");

	/* A TLV header cut short. */
	pdu_deliver_sm(&p, "6281200000001", "x");
	pdu_u16(&p, SMPP_TLV_USSD_SERVICE_OP);
	pdu_u8(&p, 0);
	pdu_finish(&p);
	assert_rejected(&p, "truncated TLV");

	/* A typed TLV with the wrong length. */
	pdu_deliver_sm(&p, "6281200000001", "x");
	pdu_u16(&p, SMPP_TLV_ITS_SESSION_INFO);
	pdu_u16(&p, 1);
	pdu_u8(&p, 1);
	pdu_finish(&p);
	assert_rejected(&p, "0x1383");

	/* An address without NUL within 21 octets. */
	pdu_deliver_sm(&p, "6281200000001000000000000000", "x");
	pdu_finish(&p);
	assert_rejected(&p, "source_addr");

	/* An address that runs to the end of the PDU (guard NUL after). */
	pdu_start(&p, SMPP_DELIVER_SM, 1);
	pdu_cstr(&p, "");
	pdu_u8(&p, 1); pdu_u8(&p, 1);
	pdu_bytes(&p, "62812", 5);
	pdu_finish(&p);
	assert_rejected(&p, "source_addr");

	/* sm_length past the end. */
	pdu_deliver_sm(&p, "6281200000001", "abc");
	p.b[p.len - 4] = 200;
	pdu_finish(&p);
	assert_rejected(&p, "sm_length");

	/* sm_length 255. */
	pdu_deliver_sm(&p, "6281200000001", "");
	p.b[p.len - 1] = 255;
	for (i = 0; i < 255; i++)
		pdu_u8(&p, 'a');
	pdu_finish(&p);
	assert_rejected(&p, "sm_length");

	/* Truncated in the middle of the mandatory part. */
	pdu_start(&p, SMPP_SUBMIT_SM, 1);
	pdu_cstr(&p, "");
	pdu_u8(&p, 1);
	pdu_finish(&p);
	assert_rejected(&p, "truncated");

	/* A payload longer than we keep. */
	pdu_deliver_sm(&p, "6281200000001", "");
	pdu_u16(&p, SMPP_TLV_MESSAGE_PAYLOAD);
	pdu_u16(&p, SMPP_PAYLOAD_MAX + 1);
	for (i = 0; i < SMPP_PAYLOAD_MAX + 1; i++)
		pdu_u8(&p, 'p');
	pdu_finish(&p);
	assert_rejected(&p, "message_payload");

	/* command_length that disagrees with the framed length. */
	pdu_deliver_sm(&p, "6281200000001", "abc");
	pdu_finish(&p);
	p.b[3]++;
	assert_rejected(&p, "command_length");
}

/* A receipted_message_id of 65 octets without NUL is still an id. */
static void
test_receipted_id_no_nul(void **state)
{
	struct pdu	 p;
	struct smpp_msg	 d;
	char		 err[128];
	int		 i;

	(void)state;
	pdu_deliver_sm(&p, "6281200000001", "x");
	pdu_u16(&p, SMPP_TLV_RECEIPTED_MESSAGE_ID);
	pdu_u16(&p, SMPP_MSGID_MAX);
	for (i = 0; i < SMPP_MSGID_MAX; i++)
		pdu_u8(&p, 'a' + i % 26);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_int_equal(strlen(d.receipted_message_id), SMPP_MSGID_MAX);
	assert_int_equal(d.receipted_message_id[64], 'a' + 64 % 26);
}

/* 1500 octets in message_payload: libsmpp34 would refuse over 1024. */
static void
test_payload_1500_hand_made(void **state)
{
	struct pdu	 p;
	struct smpp_msg	 d;
	char		 err[128];
	int		 i;

	(void)state;
	pdu_deliver_sm(&p, "6281200000001", "");
	pdu_u16(&p, SMPP_TLV_MESSAGE_PAYLOAD);
	pdu_u16(&p, 1500);
	for (i = 0; i < 1500; i++)
		pdu_u8(&p, 'A' + i % 26);
	pdu_finish(&p);
	assert_int_equal(smpp_pdu_decode_msg(p.b, p.len, &d, err,
	    sizeof(err)), 0);
	assert_int_equal(d.payload_from_tlv, 1);
	assert_int_equal(d.sm_len, 1500);
	assert_int_equal(d.sm[1499], 'A' + 1499 % 26);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(smpp_pdu_command_name(SMPP_DELIVER_SM),
	    "deliver_sm");
	assert_string_equal(smpp_pdu_command_name(SMPP_GENERIC_NACK),
	    "generic_nack");
	assert_string_equal(smpp_pdu_command_name(0x12345678),
	    "0x12345678");
	assert_string_equal(smpp_pdu_status_name(SMPP_ESME_RTHROTTLED),
	    "ESME_RTHROTTLED");
	assert_string_equal(smpp_pdu_status_name(0x400), "0x00000400");
}

/*
 * libsmpp34 as the oracle.  pilard no longer calls it for messages
 * (see smpp_pdu.c), so these tests hold our writer and our walk to what
 * it packs and unpacks: every encoder byte for byte, the decoder field
 * for field on a generated corpus.  The generator is a fixed-seed
 * xorshift: a failure names its iteration and replays.
 */
#define ORACLE_ROUNDS	3000
#define ORACLE_BUF	(SMPP_PDU_MAX_DEFAULT + 1)

static uint64_t	 rng_state;
static int	 rng_iter;

static void
rng_seed(uint64_t seed)
{
	rng_state = seed;
}

/* 0 .. n - 1 (n > 0). */
static uint32_t
rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

/* A C-string of 0..maxlen octets 1..255: any non-NUL octet is legal. */
static void
rng_cstr(char *dst, size_t maxlen)
{
	size_t	 i, n;

	n = rng((uint32_t)maxlen + 1);
	for (i = 0; i < n; i++)
		dst[i] = (char)(1 + rng(255));
	dst[n] = '\0';
}

/* The TON and NPI values libsmpp34 packs and unpacks. */
static uint8_t
rng_ton(void)
{
	return (uint8_t)rng(7);
}

static uint8_t
rng_npi(void)
{
	static const uint8_t	 npi[] = {
	    0, 1, 3, 4, 6, 8, 9, 10, 14, 18 };

	return npi[rng(sizeof(npi))];
}

static uint32_t
rng_seq(void)
{
	return 1 + rng(0x7FFFFFFFu);
}

/* Fail with the first differing octet and the iteration. */
static void
assert_bytes_equal(const uint8_t *ours, size_t olen, const uint8_t *want,
    size_t wlen, const char *what)
{
	size_t	 i;

	for (i = 0; i < olen && i < wlen; i++)
		if (ours[i] != want[i])
			break;
	if (olen != wlen || i < olen)
		fail_msg("%s, iteration %d: %zu vs %zu octets, first "
		    "difference at %zu", what, rng_iter, olen, wlen, i);
}

/*
 * A random message: fields any value libsmpp34 packs, 0..253 octets of
 * text (or up to SMPP_PAYLOAD_MAX in message_payload), a random subset
 * of the TLVs we write.
 */
static void
rng_msg(struct smpp_msg *m)
{
	size_t	 i;

	memset(m, 0, sizeof(*m));
	rng_cstr(m->service_type, 5);
	m->source_ton = rng_ton();
	m->source_npi = rng_npi();
	rng_cstr(m->source_addr, 20);
	m->dest_ton = rng_ton();
	m->dest_npi = rng_npi();
	rng_cstr(m->dest_addr, 20);
	m->esm_class = (uint8_t)rng(256);
	m->protocol_id = (uint8_t)rng(256);
	m->priority = (uint8_t)rng(256);
	m->registered_delivery = (uint8_t)rng(256);
	m->data_coding = (uint8_t)rng(256);
	switch (rng(8)) {
	case 0:		/* long: message_payload */
		m->sm_len = 254 + rng(SMPP_PAYLOAD_MAX - 254 + 1);
		break;
	case 1:		/* short, sent as payload on request */
		m->sm_len = rng(254);
		m->payload_from_tlv = 1;
		break;
	case 2:		/* the edges */
		m->sm_len = rng(2) ? 0 : 253;
		break;
	default:
		m->sm_len = rng(254);
		break;
	}
	for (i = 0; i < m->sm_len; i++)
		m->sm[i] = (uint8_t)rng(256);
	if ((m->has_receipted_message_id = rng(4) == 0))
		rng_cstr(m->receipted_message_id, SMPP_MSGID_MAX - 1);
	if ((m->has_message_state = rng(4) == 0))
		m->message_state = (uint8_t)rng(256);
	if ((m->has_network_error_code = rng(4) == 0))
		for (i = 0; i < 3; i++)
			m->network_error_code[i] = (uint8_t)rng(256);
	if ((m->has_user_message_reference = rng(4) == 0))
		m->user_message_reference = (uint16_t)rng(65536);
	if ((m->has_sar = rng(4) == 0)) {
		m->sar_msg_ref_num = (uint16_t)rng(65536);
		m->sar_total_segments = (uint8_t)rng(256);
		m->sar_segment_seqnum = (uint8_t)rng(256);
	}
	if ((m->has_ussd_service_op = rng(4) == 0))
		m->ussd_service_op = (uint8_t)rng(256);
	if ((m->has_its_session_info = rng(4) == 0))
		m->its_session_info = (uint16_t)rng(65536);
}

/* Prepend one TLV to *list (libsmpp34 packs the list head first). */
static void
oracle_tlv(tlv_t **list, uint16_t tag, uint16_t len, const void *octets,
    int typed16, uint16_t v16)
{
	tlv_t	 t;

	memset(&t, 0, sizeof(t));
	t.tag = tag;
	t.length = len;
	if (typed16)
		t.value.val16 = v16;
	else
		memcpy(t.value.octet, octets, len);
	assert_int_equal(build_tlv(list, &t), 0);
}

/*
 * The TLVs of m as libsmpp34 lists, in the order smpp_pdu_encode_msg
 * writes them: built last to first, as build_tlv prepends.  A payload
 * over libsmpp34's 1024 octets is left out (*payload_out says so).
 */
static tlv_t *
oracle_tlvs(const struct smpp_msg *m, int use_payload, int *payload_out)
{
	tlv_t	*l = NULL;

	*payload_out = 0;
	if (m->has_its_session_info)
		oracle_tlv(&l, TLVID_its_session_info, 2, NULL, 1,
		    m->its_session_info);
	if (m->has_ussd_service_op)
		oracle_tlv(&l, TLVID_ussd_service_op, 1, &m->ussd_service_op,
		    0, 0);
	if (m->has_sar) {
		oracle_tlv(&l, TLVID_sar_segment_seqnum, 1,
		    &m->sar_segment_seqnum, 0, 0);
		oracle_tlv(&l, TLVID_sar_total_segments, 1,
		    &m->sar_total_segments, 0, 0);
		oracle_tlv(&l, TLVID_sar_msg_ref_num, 2, NULL, 1,
		    m->sar_msg_ref_num);
	}
	if (m->has_user_message_reference)
		oracle_tlv(&l, TLVID_user_message_reference, 2, NULL, 1,
		    m->user_message_reference);
	if (m->has_network_error_code)
		oracle_tlv(&l, TLVID_network_error_code, 3,
		    m->network_error_code, 0, 0);
	if (m->has_message_state)
		oracle_tlv(&l, TLVID_message_state, 1, &m->message_state, 0,
		    0);
	if (m->has_receipted_message_id)
		oracle_tlv(&l, TLVID_receipted_message_id,
		    (uint16_t)(strlen(m->receipted_message_id) + 1),
		    m->receipted_message_id, 0, 0);
	if (use_payload) {
		if (m->sm_len <= 1024)
			oracle_tlv(&l, TLVID_message_payload,
			    (uint16_t)m->sm_len, m->sm, 0, 0);
		else
			*payload_out = 1;
	}
	return l;
}

/* The fields of a submit_sm_t or deliver_sm_t from m (same names). */
#define ORACLE_FILL(t, m, cmd, seq, short_len) do {			\
	memset(&(t), 0, sizeof(t));					\
	(t).command_id = (cmd);						\
	(t).sequence_number = (seq);					\
	strcpy((char *)(t).service_type, (m)->service_type);		\
	(t).source_addr_ton = (m)->source_ton;				\
	(t).source_addr_npi = (m)->source_npi;				\
	strcpy((char *)(t).source_addr, (m)->source_addr);		\
	(t).dest_addr_ton = (m)->dest_ton;				\
	(t).dest_addr_npi = (m)->dest_npi;				\
	strcpy((char *)(t).destination_addr, (m)->dest_addr);		\
	(t).esm_class = (m)->esm_class;					\
	(t).protocol_id = (m)->protocol_id;				\
	(t).priority_flag = (m)->priority;				\
	(t).registered_delivery = (m)->registered_delivery;		\
	(t).data_coding = (m)->data_coding;				\
	(t).sm_length = (uint8_t)(short_len);				\
	memcpy((t).short_message, (m)->sm, (short_len));		\
} while (0)

/*
 * What libsmpp34 packs for m: deliver_sm with its own frame, submit_sm
 * with its own.  A payload it cannot pack (over 1024 octets) is spliced
 * in by hand where ours must be: first after the mandatory part.
 */
static size_t
oracle_pack_msg(uint32_t command_id, uint32_t seq, const struct smpp_msg *m,
    uint8_t *out)
{
	static uint8_t	 tmp[ORACLE_BUF + 8];
	submit_sm_t	 s;
	deliver_sm_t	 d;
	tlv_t		*tlvs;
	size_t		 shortlen, mlen, len;
	int		 use_payload, splice, plen = 0, rc;

	use_payload = m->payload_from_tlv || m->sm_len > 253;
	shortlen = use_payload ? 0 : m->sm_len;

	/* The mandatory part alone tells where a spliced payload goes. */
	if (command_id == SMPP_DELIVER_SM) {
		ORACLE_FILL(d, m, DELIVER_SM, seq, shortlen);
		rc = smpp34_pack(DELIVER_SM, tmp, sizeof(tmp), &plen, &d);
	} else {
		ORACLE_FILL(s, m, SUBMIT_SM, seq, shortlen);
		rc = smpp34_pack(SUBMIT_SM, tmp, sizeof(tmp), &plen, &s);
	}
	if (rc != 0)
		fail_msg("iteration %d: smpp34_pack: %s", rng_iter,
		    smpp34_strerror);
	mlen = (size_t)plen;

	tlvs = oracle_tlvs(m, use_payload, &splice);
	if (command_id == SMPP_DELIVER_SM) {
		d.tlv = tlvs;
		rc = smpp34_pack(DELIVER_SM, tmp, sizeof(tmp), &plen, &d);
	} else {
		s.tlv = tlvs;
		rc = smpp34_pack(SUBMIT_SM, tmp, sizeof(tmp), &plen, &s);
	}
	destroy_tlv(tlvs);
	if (rc != 0)
		fail_msg("iteration %d: smpp34_pack: %s", rng_iter,
		    smpp34_strerror);
	len = (size_t)plen;
	if (!splice) {
		memcpy(out, tmp, len);
		return len;
	}
	memcpy(out, tmp, mlen);
	out[mlen] = SMPP_TLV_MESSAGE_PAYLOAD >> 8;
	out[mlen + 1] = SMPP_TLV_MESSAGE_PAYLOAD & 0xFF;
	out[mlen + 2] = (uint8_t)(m->sm_len >> 8);
	out[mlen + 3] = (uint8_t)m->sm_len;
	memcpy(out + mlen + 4, m->sm, m->sm_len);
	memcpy(out + mlen + 4 + m->sm_len, tmp + mlen, len - mlen);
	len += 4 + m->sm_len;
	out[0] = (uint8_t)(len >> 24);
	out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	return len;
}

/* submit_sm and deliver_sm: ours == smpp34_pack, and decodes back to m. */
static void
test_oracle_encode_msg(void **state)
{
	static uint8_t		 want[ORACLE_BUF + 8];
	static struct smpp_msg	 m, d;
	struct smpp_header	 h;
	uint32_t		 cmd, seq;
	size_t			 wlen;
	char			 err[128];
	int			 n, long_payloads = 0;

	(void)state;
	rng_seed(0x5EED0001u);
	for (rng_iter = 0; rng_iter < ORACLE_ROUNDS; rng_iter++) {
		rng_msg(&m);
		cmd = rng(2) ? SMPP_SUBMIT_SM : SMPP_DELIVER_SM;
		seq = rng_seq();
		n = smpp_pdu_encode_msg(wbuf, sizeof(wbuf), cmd, seq, &m);
		if (n < 0)
			fail_msg("iteration %d: encode refused", rng_iter);
		wlen = oracle_pack_msg(cmd, seq, &m, want);
		assert_bytes_equal(wbuf, (size_t)n, want, wlen,
		    smpp_pdu_command_name(cmd));
		if (m.sm_len > 1024)
			long_payloads++;

		/* The exact size is enough, one octet less is not. */
		assert_int_equal(smpp_pdu_encode_msg(wbuf, (size_t)n, cmd, seq,
		    &m), n);
		assert_int_equal(smpp_pdu_encode_msg(wbuf, (size_t)n - 1, cmd,
		    seq, &m), -1);

		n = smpp_pdu_encode_msg(wbuf, sizeof(wbuf), cmd, seq, &m);
		wbuf[n] = '\0';
		smpp_pdu_header(wbuf, &h);
		assert_int_equal(h.seq, seq);
		if (smpp_pdu_decode_msg(wbuf, (size_t)n, &d, err,
		    sizeof(err)) != 0)
			fail_msg("iteration %d: %s", rng_iter, err);
		assert_msg_equal(&m, &d);
		assert_int_equal(d.payload_from_tlv,
		    m.payload_from_tlv || m.sm_len > 253);
	}
	assert_true(long_payloads > ORACLE_ROUNDS / 20);
}

/*
 * TON/NPI octets libsmpp34 does not know are written as given (it
 * refused them, which cost the message); the rest of the PDU is what
 * it packs with known values in their place.
 */
static void
test_encode_msg_any_ton_npi(void **state)
{
	static uint8_t		 want[ORACLE_BUF + 8];
	static struct smpp_msg	 m, d;
	char			 err[128];
	size_t			 wlen, src_ton, dst_ton;
	int			 n;

	(void)state;
	fill_msg(&m, "ton");
	strcpy(m.source_addr, "TELKOM");
	m.source_ton = 0x07;
	m.source_npi = 0x02;
	m.dest_ton = 0xFF;
	m.dest_npi = 0x7F;
	n = smpp_pdu_encode_msg(wbuf, sizeof(wbuf), SMPP_SUBMIT_SM, 9, &m);
	assert_true(n > 0);
	src_ton = 16 + 1;
	dst_ton = src_ton + 2 + strlen(m.source_addr) + 1;
	assert_int_equal(wbuf[src_ton], 0x07);
	assert_int_equal(wbuf[src_ton + 1], 0x02);
	assert_int_equal(wbuf[dst_ton], 0xFF);
	assert_int_equal(wbuf[dst_ton + 1], 0x7F);
	wbuf[n] = '\0';
	assert_int_equal(smpp_pdu_decode_msg(wbuf, (size_t)n, &d, err,
	    sizeof(err)), 0);
	assert_msg_equal(&m, &d);

	m.source_ton = m.source_npi = m.dest_ton = m.dest_npi = 0;
	wlen = oracle_pack_msg(SMPP_SUBMIT_SM, 9, &m, want);
	want[src_ton] = 0x07;
	want[src_ton + 1] = 0x02;
	want[dst_ton] = 0xFF;
	want[dst_ton + 1] = 0x7F;
	assert_bytes_equal(wbuf, (size_t)n, want, wlen, "odd TON/NPI");
}

/* Pack a header-only or one-C-string PDU with libsmpp34. */
static size_t
oracle_pack(uint32_t type, void *t, uint8_t *out)
{
	int	 plen = 0;

	if (smpp34_pack(type, out, ORACLE_BUF, &plen, t) != 0)
		fail_msg("iteration %d: smpp34_pack(0x%08x): %s", rng_iter,
		    type, smpp34_strerror);
	return (size_t)plen;
}

/* Statuses libsmpp34 packs; ours writes any. */
static const uint32_t oracle_statuses[] = {
	ESME_ROK, ESME_RINVMSGLEN, ESME_RINVCMDID, ESME_RINVBNDSTS,
	ESME_RSYSERR, ESME_RINVSRCADR, ESME_RINVDSTADR, ESME_RMSGQFUL,
	ESME_RSUBMITFAIL, ESME_RTHROTTLED, ESME_RX_T_APPN, ESME_RX_P_APPN,
	ESME_RX_R_APPN, ESME_RINVOPTPARSTREAM, ESME_RUNKNOWNERR,
};

/*
 * The responses and header-only PDUs, byte for byte.  Where libsmpp34
 * cannot say what we send (an error bind_resp without body, a vendor
 * status) the hand-written expectations of test_resp_round_trip hold.
 */
static void
test_oracle_encode_resp(void **state)
{
	static uint8_t		 want[ORACLE_BUF + 8];
	static const uint32_t	 header_only[] = { ENQUIRE_LINK,
	    ENQUIRE_LINK_RESP, UNBIND, UNBIND_RESP, GENERIC_NACK };
	submit_sm_resp_t	 sr;
	deliver_sm_resp_t	 dr;
	bind_transceiver_resp_t	 btr;
	bind_transmitter_resp_t	 bxr;
	bind_receiver_resp_t	 brr;
	generic_nack_t		 g;
	char			 id[SMPP_MSGID_MAX + 1];
	uint32_t		 seq, status, cmd;
	size_t			 wlen;
	int			 n, which;

	(void)state;
	rng_seed(0x5EED0002u);
	for (rng_iter = 0; rng_iter < ORACLE_ROUNDS; rng_iter++) {
		seq = rng_seq();
		status = rng(2) ? ESME_ROK : oracle_statuses[rng(
		    sizeof(oracle_statuses) / sizeof(oracle_statuses[0]))];

		/* submit_sm_resp: message_id, no body on error. */
		rng_cstr(id, SMPP_MSGID_MAX - 1);
		memset(&sr, 0, sizeof(sr));
		sr.command_id = SUBMIT_SM_RESP;
		sr.command_status = status;
		sr.sequence_number = seq;
		strcpy((char *)sr.message_id, id);
		wlen = oracle_pack(SUBMIT_SM_RESP, &sr, want);
		n = smpp_pdu_encode_msg_resp(wbuf, sizeof(wbuf),
		    SMPP_SUBMIT_SM_RESP, seq, status, id);
		assert_true(n > 0);
		assert_bytes_equal(wbuf, (size_t)n, want, wlen,
		    "submit_sm_resp");
		assert_int_equal(smpp_pdu_encode_msg_resp(wbuf, (size_t)n - 1,
		    SMPP_SUBMIT_SM_RESP, seq, status, id), -1);

		/* deliver_sm_resp: libsmpp34 knows only the empty id. */
		memset(&dr, 0, sizeof(dr));
		dr.command_id = DELIVER_SM_RESP;
		dr.command_status = status;
		dr.sequence_number = seq;
		wlen = oracle_pack(DELIVER_SM_RESP, &dr, want);
		n = smpp_pdu_encode_msg_resp(wbuf, sizeof(wbuf),
		    SMPP_DELIVER_SM_RESP, seq, status, rng(2) ? "" : NULL);
		assert_bytes_equal(wbuf, (size_t)n, want, wlen,
		    "deliver_sm_resp");

		/* bind_*_resp with ESME_ROK: system_id. */
		rng_cstr(id, SMPP_SYSID_MAX - 1);
		which = (int)rng(3);
		cmd = which == 0 ? BIND_TRANSCEIVER_RESP : which == 1 ?
		    BIND_TRANSMITTER_RESP : BIND_RECEIVER_RESP;
		memset(&btr, 0, sizeof(btr));
		memset(&bxr, 0, sizeof(bxr));
		memset(&brr, 0, sizeof(brr));
#define FILL_BIND_RESP(t) do {						\
		(t).command_id = cmd;					\
		(t).sequence_number = seq;				\
		strcpy((char *)(t).system_id, id);			\
		wlen = oracle_pack(cmd, &(t), want);			\
	} while (0)
		if (which == 0)
			FILL_BIND_RESP(btr);
		else if (which == 1)
			FILL_BIND_RESP(bxr);
		else
			FILL_BIND_RESP(brr);
#undef FILL_BIND_RESP
		n = smpp_pdu_encode_bind_resp(wbuf, sizeof(wbuf), cmd, seq,
		    ESME_ROK, id);
		assert_bytes_equal(wbuf, (size_t)n, want, wlen, "bind_resp");

		/* Header only. */
		cmd = header_only[rng(sizeof(header_only) /
		    sizeof(header_only[0]))];
		memset(&g, 0, sizeof(g));
		g.command_id = cmd;
		g.command_status = cmd == GENERIC_NACK ? ESME_RINVCMDID :
		    (cmd & SMPP_RESP_BIT) ? status : ESME_ROK;
		g.sequence_number = seq;
		wlen = oracle_pack(cmd, &g, want);
		n = smpp_pdu_encode_header(wbuf, sizeof(wbuf), cmd,
		    g.command_status, seq);
		assert_bytes_equal(wbuf, (size_t)n, want, wlen,
		    smpp_pdu_command_name(cmd));
	}
}

/*
 * The binds still go through libsmpp34's bind_transmitter frame with
 * the command id changed: check it against the frames of the other two.
 */
static void
test_oracle_encode_bind(void **state)
{
	static uint8_t		 want[ORACLE_BUF + 8];
	bind_transceiver_t	 tx;
	bind_receiver_t		 rx;
	struct smpp_bind	 b, d;
	char			 err[128];
	uint32_t		 seq;
	size_t			 wlen;
	int			 n;

	(void)state;
	rng_seed(0x5EED0003u);
	for (rng_iter = 0; rng_iter < ORACLE_ROUNDS / 10; rng_iter++) {
		memset(&b, 0, sizeof(b));
		rng_cstr(b.system_id, SMPP_SYSID_MAX - 1);
		rng_cstr(b.password, SMPP_PASSWORD_MAX - 1);
		rng_cstr(b.system_type, SMPP_SYSTYPE_MAX - 1);
		b.addr_ton = rng_ton();
		b.addr_npi = rng_npi();
		rng_cstr(b.address_range, 40);
		seq = rng_seq();
#define FILL_BIND(t, cmd) do {						\
		memset(&(t), 0, sizeof(t));				\
		(t).command_id = (cmd);					\
		(t).sequence_number = seq;				\
		strcpy((char *)(t).system_id, b.system_id);		\
		strcpy((char *)(t).password, b.password);		\
		strcpy((char *)(t).system_type, b.system_type);		\
		(t).interface_version = SMPP_VERSION;			\
		(t).addr_ton = b.addr_ton;				\
		(t).addr_npi = b.addr_npi;				\
		strcpy((char *)(t).address_range, b.address_range);	\
		wlen = oracle_pack((cmd), &(t), want);			\
	} while (0)
		FILL_BIND(tx, BIND_TRANSCEIVER);
		n = smpp_pdu_encode_bind(wbuf, sizeof(wbuf),
		    SMPP_BIND_TRANSCEIVER, seq, &b);
		assert_bytes_equal(wbuf, (size_t)n, want, wlen,
		    "bind_transceiver");
		FILL_BIND(rx, BIND_RECEIVER);
		n = smpp_pdu_encode_bind(wbuf, sizeof(wbuf),
		    SMPP_BIND_RECEIVER, seq, &b);
		assert_bytes_equal(wbuf, (size_t)n, want, wlen,
		    "bind_receiver");
#undef FILL_BIND
		wbuf[n] = '\0';
		assert_int_equal(smpp_pdu_decode_bind(wbuf, (size_t)n, &d,
		    err, sizeof(err)), 0);
		assert_string_equal(d.system_id, b.system_id);
		assert_string_equal(d.password, b.password);
		assert_string_equal(d.system_type, b.system_type);
		assert_string_equal(d.address_range, b.address_range);
	}
}

/*
 * A PDU the decoder must accept, as an SMSC could send it, with what it
 * must decode to: the mandatory part is mlen octets, TLVs follow.
 */
struct corpus {
	struct pdu	 p;
	size_t		 mlen;
	struct smpp_msg	 want;
	int		 time_fields;	/* deliver_sm, times filled */
};

/* Random bytes of a TLV value. */
static void
rng_bytes(struct pdu *p, size_t n)
{
	while (n-- > 0)
		pdu_u8(p, (uint8_t)rng(256));
}

/*
 * Random TLVs within our limits: each known tag at most once, vendor
 * and unknown tags of any length in between, at most SMPP_TLV_MAX in
 * all.  c->want gets what the decoder must find.
 */
static void
rng_corpus_tlvs(struct corpus *c)
{
	struct smpp_msg	*w = &c->want;
	struct pdu	*p = &c->p;
	uint8_t		 v[SMPP_MSGID_MAX];
	int		 i, count, used = 0, sar = 0;
	size_t		 n, k, vlen;
	uint16_t	 tag;

	count = (int)rng(SMPP_TLV_MAX + 1);
	for (i = 0; i < count; i++) {
		switch (rng(12)) {
		case 0:
			if (used & 1)
				goto vendor;
			used |= 1;
			n = rng(SMPP_PAYLOAD_MAX + 1);
			if (p->len + 4 + n + 64 > SMPP_PDU_MAX_DEFAULT)
				n = 10;
			pdu_u16(p, SMPP_TLV_MESSAGE_PAYLOAD);
			pdu_u16(p, (uint16_t)n);
			k = p->len;
			rng_bytes(p, n);
			if (w->sm_len == 0) {	/* short_message wins */
				memcpy(w->sm, p->b + k, n);
				w->sm_len = n;
				w->payload_from_tlv = 1;
			}
			break;
		case 1:
			if (used & 2)
				goto vendor;
			used |= 2;
			/* Up to 65 octets, NUL inside or none at all. */
			vlen = rng(SMPP_MSGID_MAX + 1);
			for (k = 0; k < vlen; k++)
				v[k] = (uint8_t)(1 + rng(255));
			if (vlen > 0 && rng(4) != 0)
				v[rng((uint32_t)vlen)] = '\0';
			pdu_u16(p, SMPP_TLV_RECEIPTED_MESSAGE_ID);
			pdu_u16(p, (uint16_t)vlen);
			pdu_bytes(p, v, vlen);
			n = strnlen((const char *)v, vlen);
			memcpy(w->receipted_message_id, v, n);
			w->receipted_message_id[n] = '\0';
			w->has_receipted_message_id = 1;
			break;
		case 2:
			if (used & 4)
				goto vendor;
			used |= 4;
			w->has_message_state = 1;
			w->message_state = (uint8_t)rng(256);
			pdu_u16(p, SMPP_TLV_MESSAGE_STATE);
			pdu_u16(p, 1);
			pdu_u8(p, w->message_state);
			break;
		case 3:
			if (used & 8)
				goto vendor;
			used |= 8;
			w->has_network_error_code = 1;
			for (k = 0; k < 3; k++)
				w->network_error_code[k] = (uint8_t)rng(256);
			pdu_u16(p, SMPP_TLV_NETWORK_ERROR_CODE);
			pdu_u16(p, 3);
			pdu_bytes(p, w->network_error_code, 3);
			break;
		case 4:
			if (used & 16)
				goto vendor;
			used |= 16;
			w->has_user_message_reference = 1;
			w->user_message_reference = (uint16_t)rng(65536);
			pdu_u16(p, SMPP_TLV_USER_MESSAGE_REFERENCE);
			pdu_u16(p, 2);
			pdu_u16(p, w->user_message_reference);
			break;
		case 5:
			if (used & 32)
				goto vendor;
			used |= 32;
			sar |= 1;
			w->sar_msg_ref_num = (uint16_t)rng(65536);
			pdu_u16(p, SMPP_TLV_SAR_MSG_REF_NUM);
			pdu_u16(p, 2);
			pdu_u16(p, w->sar_msg_ref_num);
			break;
		case 6:
			if (used & 64)
				goto vendor;
			used |= 64;
			sar |= 2;
			w->sar_total_segments = (uint8_t)rng(256);
			pdu_u16(p, SMPP_TLV_SAR_TOTAL_SEGMENTS);
			pdu_u16(p, 1);
			pdu_u8(p, w->sar_total_segments);
			break;
		case 7:
			if (used & 128)
				goto vendor;
			used |= 128;
			sar |= 4;
			w->sar_segment_seqnum = (uint8_t)rng(256);
			pdu_u16(p, SMPP_TLV_SAR_SEGMENT_SEQNUM);
			pdu_u16(p, 1);
			pdu_u8(p, w->sar_segment_seqnum);
			break;
		case 8:
			if (used & 256)
				goto vendor;
			used |= 256;
			w->has_ussd_service_op = 1;
			w->ussd_service_op = (uint8_t)rng(256);
			pdu_u16(p, SMPP_TLV_USSD_SERVICE_OP);
			pdu_u16(p, 1);
			pdu_u8(p, w->ussd_service_op);
			break;
		case 9:
			if (used & 512)
				goto vendor;
			used |= 512;
			w->has_its_session_info = 1;
			w->its_session_info = (uint16_t)rng(65536);
			pdu_u16(p, SMPP_TLV_ITS_SESSION_INFO);
			pdu_u16(p, 2);
			pdu_u16(p, w->its_session_info);
			break;
		default:
		vendor:
			/* Vendor (0x1400..0x3FFF) or a tag we do not read. */
			tag = rng(2) ? (uint16_t)(0x1400 + rng(0x2C00)) :
			    (uint16_t)(0x0005 + rng(0x18));
			n = rng(40);
			pdu_u16(p, tag);
			pdu_u16(p, (uint16_t)n);
			rng_bytes(p, n);
			break;
		}
	}
	w->has_sar = (sar == 7);
}

/* A random deliver_sm, submit_sm or data_sm for the decoder. */
static uint32_t
rng_corpus(struct corpus *c)
{
	struct smpp_msg	*w = &c->want;
	struct pdu	*p = &c->p;
	char		 t1[17], t2[17];
	uint32_t	 cmd;
	uint8_t		 sm_length;
	size_t		 i;

	memset(c, 0, sizeof(*c));
	switch (rng(5)) {
	case 0:
		cmd = SMPP_DATA_SM;
		break;
	case 1:
	case 2:
		cmd = SMPP_SUBMIT_SM;
		break;
	default:
		cmd = SMPP_DELIVER_SM;
		break;
	}
	pdu_start(p, cmd, rng_seq());
	/* Any status: a request's carries no meaning, vendors set it. */
	p->b[8] = (uint8_t)rng(256);
	p->b[11] = (uint8_t)rng(256);
	rng_cstr(w->service_type, 5);
	pdu_cstr(p, w->service_type);
	w->source_ton = rng_ton();
	w->source_npi = rng_npi();
	pdu_u8(p, w->source_ton);
	pdu_u8(p, w->source_npi);
	rng_cstr(w->source_addr, 20);
	pdu_cstr(p, w->source_addr);
	w->dest_ton = rng_ton();
	w->dest_npi = rng_npi();
	pdu_u8(p, w->dest_ton);
	pdu_u8(p, w->dest_npi);
	rng_cstr(w->dest_addr, 20);
	pdu_cstr(p, w->dest_addr);
	w->esm_class = (uint8_t)rng(256);
	pdu_u8(p, w->esm_class);
	if (cmd == SMPP_DATA_SM) {
		w->registered_delivery = (uint8_t)rng(256);
		w->data_coding = (uint8_t)rng(256);
		pdu_u8(p, w->registered_delivery);
		pdu_u8(p, w->data_coding);
	} else {
		w->protocol_id = (uint8_t)rng(256);
		w->priority = (uint8_t)rng(256);
		pdu_u8(p, w->protocol_id);
		pdu_u8(p, w->priority);
		t1[0] = t2[0] = '\0';
		if (cmd == SMPP_SUBMIT_SM || rng(4) == 0) {
			rng_cstr(t1, 16);
			rng_cstr(t2, 16);
			c->time_fields = t1[0] != '\0' || t2[0] != '\0';
		}
		pdu_cstr(p, t1);
		pdu_cstr(p, t2);
		w->registered_delivery = (uint8_t)rng(256);
		pdu_u8(p, w->registered_delivery);
		pdu_u8(p, (uint8_t)rng(256));	/* replace_if_present */
		w->data_coding = (uint8_t)rng(256);
		pdu_u8(p, w->data_coding);
		pdu_u8(p, (uint8_t)rng(256));	/* sm_default_msg_id */
		sm_length = rng(4) == 0 ? 0 : (uint8_t)rng(SMPP_SM_MAX + 1);
		pdu_u8(p, sm_length);
		for (i = 0; i < sm_length; i++)
			w->sm[i] = (uint8_t)rng(256);
		pdu_bytes(p, w->sm, sm_length);
		w->sm_len = sm_length;
	}
	c->mlen = p->len;
	rng_corpus_tlvs(c);
	pdu_finish(p);
	return cmd;
}

/*
 * libsmpp34's reading of the mandatory part of buf (mlen octets): a
 * copy without TLVs, as the old adapter made, with command_length
 * fixed, status 0 and the guard NUL.  Returns its verdict.
 */
static int
oracle_unpack(uint32_t type, const uint8_t *buf, size_t mlen, void *t)
{
	static uint8_t	 scratch[ORACLE_BUF];

	memcpy(scratch, buf, mlen);
	scratch[mlen] = '\0';
	scratch[0] = (uint8_t)(mlen >> 24);
	scratch[1] = (uint8_t)(mlen >> 16);
	scratch[2] = (uint8_t)(mlen >> 8);
	scratch[3] = (uint8_t)mlen;
	memset(scratch + 8, 0, 4);
	return smpp34_unpack(type, t, scratch, (int)mlen);
}

/* Our decoding of c->p against libsmpp34's, field by field. */
static void
oracle_compare(uint32_t cmd, const struct corpus *c,
    const struct smpp_msg *d)
{
	static submit_sm_t	 s;
	static deliver_sm_t	 dl;
	static data_sm_t	 ds;
	int			 rc;

#define CMP_FIELDS(t) do {						\
	assert_string_equal(d->service_type, (const char *)(t).service_type); \
	assert_int_equal(d->source_ton, (t).source_addr_ton);		\
	assert_int_equal(d->source_npi, (t).source_addr_npi);		\
	assert_string_equal(d->source_addr, (const char *)(t).source_addr); \
	assert_int_equal(d->dest_ton, (t).dest_addr_ton);		\
	assert_int_equal(d->dest_npi, (t).dest_addr_npi);		\
	assert_string_equal(d->dest_addr,				\
	    (const char *)(t).destination_addr);			\
	assert_int_equal(d->esm_class, (t).esm_class);			\
	assert_int_equal(d->registered_delivery, (t).registered_delivery); \
	assert_int_equal(d->data_coding, (t).data_coding);		\
} while (0)
#define CMP_SM(t) do {							\
	assert_int_equal(d->protocol_id, (t).protocol_id);		\
	assert_int_equal(d->priority, (t).priority_flag);		\
	if (d->payload_from_tlv)					\
		assert_int_equal((t).sm_length, 0);			\
	else {								\
		assert_int_equal(d->sm_len, (t).sm_length);		\
		assert_memory_equal(d->sm, (t).short_message, d->sm_len); \
	}								\
} while (0)
	if (cmd == SMPP_DATA_SM) {
		memset(&ds, 0, sizeof(ds));
		rc = oracle_unpack(DATA_SM, c->p.b, c->mlen, &ds);
		destroy_tlv(ds.tlv);
		if (rc != 0)
			fail_msg("iteration %d: libsmpp34 refused: %s",
			    rng_iter, smpp34_strerror);
		CMP_FIELDS(ds);
	} else if (cmd == SMPP_DELIVER_SM && !c->time_fields) {
		memset(&dl, 0, sizeof(dl));
		rc = oracle_unpack(DELIVER_SM, c->p.b, c->mlen, &dl);
		destroy_tlv(dl.tlv);
		if (rc != 0)
			fail_msg("iteration %d: libsmpp34 refused: %s",
			    rng_iter, smpp34_strerror);
		CMP_FIELDS(dl);
		CMP_SM(dl);
	} else {
		/* Its deliver_sm frame refuses filled time fields. */
		memset(&s, 0, sizeof(s));
		rc = oracle_unpack(SUBMIT_SM, c->p.b, c->mlen, &s);
		destroy_tlv(s.tlv);
		if (rc != 0)
			fail_msg("iteration %d: libsmpp34 refused: %s",
			    rng_iter, smpp34_strerror);
		CMP_FIELDS(s);
		CMP_SM(s);
	}
#undef CMP_FIELDS
#undef CMP_SM
}

/*
 * Every cut of the mandatory part is refused by both (command_length
 * fixed to the cut, so only the walk can object).
 */
static void
oracle_truncations(uint32_t cmd, const struct corpus *c)
{
	static struct pdu	 t;
	static struct smpp_msg	 d;
	static submit_sm_t	 s;
	static data_sm_t	 ds;
	char			 err[128];
	size_t			 cut;
	int			 rc;

	for (cut = SMPP_HEADER_LEN; cut < c->mlen; cut++) {
		memcpy(t.b, c->p.b, cut);
		t.len = cut;
		pdu_finish(&t);
		if (smpp_pdu_decode_msg(t.b, t.len, &d, err,
		    sizeof(err)) != -1)
			fail_msg("iteration %d: cut at %zu of %zu accepted",
			    rng_iter, cut, c->mlen);
		if (cmd == SMPP_DATA_SM) {
			memset(&ds, 0, sizeof(ds));
			rc = oracle_unpack(DATA_SM, t.b, cut, &ds);
			destroy_tlv(ds.tlv);
		} else {
			memset(&s, 0, sizeof(s));
			rc = oracle_unpack(SUBMIT_SM, t.b, cut, &s);
			destroy_tlv(s.tlv);
		}
		if (rc != -1)
			fail_msg("iteration %d: libsmpp34 took a cut at %zu "
			    "of %zu", rng_iter, cut, c->mlen);
	}
}

/* The generated corpus: ours == what was sent == libsmpp34's reading. */
static void
test_oracle_decode(void **state)
{
	static struct corpus	 c;
	static struct smpp_msg	 d;
	char			 err[128];
	uint32_t		 cmd;
	int			 kinds[3] = { 0, 0, 0 }, payloads = 0;
	int			 tlvs = 0;

	(void)state;
	rng_seed(0x5EED0004u);
	for (rng_iter = 0; rng_iter < ORACLE_ROUNDS; rng_iter++) {
		cmd = rng_corpus(&c);
		kinds[cmd == SMPP_DATA_SM ? 2 : cmd == SMPP_SUBMIT_SM]++;
		if (smpp_pdu_decode_msg(c.p.b, c.p.len, &d, err,
		    sizeof(err)) != 0)
			fail_msg("iteration %d: %s", rng_iter, err);
		assert_string_equal(err, "ok");
		assert_msg_equal(&c.want, &d);
		assert_int_equal(d.payload_from_tlv, c.want.payload_from_tlv);
		payloads += d.payload_from_tlv;
		tlvs += c.p.len > c.mlen;
		oracle_compare(cmd, &c, &d);
		if (rng_iter % 10 == 0)
			oracle_truncations(cmd, &c);
	}
	/* The generator covers what it claims to. */
	assert_true(kinds[0] > ORACLE_ROUNDS / 5);
	assert_true(kinds[1] > ORACLE_ROUNDS / 5);
	assert_true(kinds[2] > ORACLE_ROUNDS / 10);
	assert_true(payloads > ORACLE_ROUNDS / 10);
	assert_true(tlvs > ORACLE_ROUNDS / 2);
}

/* Finish a hand-made corpus entry and check it against libsmpp34. */
static void
oracle_hand_made(uint32_t cmd, struct corpus *c, size_t mlen)
{
	static struct smpp_msg	 d;
	char			 err[128];

	c->mlen = mlen;
	pdu_finish(&c->p);
	if (smpp_pdu_decode_msg(c->p.b, c->p.len, &d, err, sizeof(err)) != 0)
		fail_msg("hand-made %d: %s", rng_iter, err);
	oracle_compare(cmd, c, &d);
	oracle_truncations(cmd, c);
	rng_iter++;
}

/* PDUs as real SMSCs send them, against libsmpp34. */
static void
test_oracle_decode_hand_made(void **state)
{
	static struct corpus	 c;
	static const char	 rcpt[] = "id:0A1B2C3D sub:001 dlvrd:001 "
	    "submit date:2611271530 done date:2611271531 stat:DELIVRD "
	    "err:000 text:OK. Graduasi SM";
	static const uint8_t	 udh[] = { 0x05, 0x00, 0x03, 0x2A, 0x02,
	    0x01, 0x00, 0x47, 0x00, 0x52 };
	size_t			 mlen;
	int			 i;

	(void)state;
	rng_iter = 0;
	/* A Kannel-style receipt with its TLVs. */
	memset(&c, 0, sizeof(c));
	pdu_deliver_sm(&c.p, "6281200000001", rcpt);
	c.p.b[16 + 1 + 2 + 14 + 2 + 5] = 0x04;
	mlen = c.p.len;
	pdu_u16(&c.p, SMPP_TLV_RECEIPTED_MESSAGE_ID);
	pdu_u16(&c.p, 9);
	pdu_cstr(&c.p, "0A1B2C3D");
	pdu_u16(&c.p, SMPP_TLV_MESSAGE_STATE);
	pdu_u16(&c.p, 1);
	pdu_u8(&c.p, 2);
	pdu_u16(&c.p, SMPP_TLV_NETWORK_ERROR_CODE);
	pdu_u16(&c.p, 3);
	pdu_bytes(&c.p, "\x03\x00\x00", 3);
	oracle_hand_made(SMPP_DELIVER_SM, &c, mlen);

	/* Part 2 of 2 of a UCS-2 MO, with UDH. */
	memset(&c, 0, sizeof(c));
	pdu_start(&c.p, SMPP_DELIVER_SM, 0x7FFFFFFF);
	pdu_cstr(&c.p, "");
	pdu_u8(&c.p, 1); pdu_u8(&c.p, 1);
	pdu_cstr(&c.p, "6281200000001");
	pdu_u8(&c.p, 0); pdu_u8(&c.p, 1);
	pdu_cstr(&c.p, "1717");
	pdu_u8(&c.p, 0x40); pdu_u8(&c.p, 0); pdu_u8(&c.p, 0);
	pdu_cstr(&c.p, ""); pdu_cstr(&c.p, "");
	pdu_u8(&c.p, 0); pdu_u8(&c.p, 0); pdu_u8(&c.p, 8); pdu_u8(&c.p, 0);
	pdu_u8(&c.p, sizeof(udh));
	pdu_bytes(&c.p, udh, sizeof(udh));
	oracle_hand_made(SMPP_DELIVER_SM, &c, c.p.len);

	/* USSD: PSSR indication with its session. */
	memset(&c, 0, sizeof(c));
	pdu_deliver_sm(&c.p, "6281200000001", "*123#");
	mlen = c.p.len;
	pdu_u16(&c.p, SMPP_TLV_USSD_SERVICE_OP);
	pdu_u16(&c.p, 1);
	pdu_u8(&c.p, 1);
	pdu_u16(&c.p, SMPP_TLV_ITS_SESSION_INFO);
	pdu_u16(&c.p, 2);
	pdu_u16(&c.p, 0x2A00);
	oracle_hand_made(SMPP_DELIVER_SM, &c, mlen);

	/* A submit_sm with both time fields, maximal fields, 254 octets. */
	memset(&c, 0, sizeof(c));
	pdu_start(&c.p, SMPP_SUBMIT_SM, 1);
	pdu_cstr(&c.p, "CMT12");
	pdu_u8(&c.p, 5); pdu_u8(&c.p, 0);
	pdu_cstr(&c.p, "ABCDEFGHIJKLMNOPQRST");
	pdu_u8(&c.p, 1); pdu_u8(&c.p, 1);
	pdu_cstr(&c.p, "62812000000012345678");
	pdu_u8(&c.p, 3); pdu_u8(&c.p, 0x7F); pdu_u8(&c.p, 3);
	pdu_cstr(&c.p, "260101000000000+");
	pdu_cstr(&c.p, "000001000000000R");
	pdu_u8(&c.p, 1); pdu_u8(&c.p, 1); pdu_u8(&c.p, 4); pdu_u8(&c.p, 7);
	pdu_u8(&c.p, 254);
	for (i = 0; i < 254; i++)
		pdu_u8(&c.p, (uint8_t)i);
	oracle_hand_made(SMPP_SUBMIT_SM, &c, c.p.len);

	/* data_sm with the text and SAR in TLVs, a vendor TLV between. */
	memset(&c, 0, sizeof(c));
	pdu_start(&c.p, SMPP_DATA_SM, 77);
	pdu_cstr(&c.p, "WAP");
	pdu_u8(&c.p, 1); pdu_u8(&c.p, 1);
	pdu_cstr(&c.p, "6281200000001");
	pdu_u8(&c.p, 0); pdu_u8(&c.p, 0);
	pdu_cstr(&c.p, "1717");
	pdu_u8(&c.p, 0); pdu_u8(&c.p, 1); pdu_u8(&c.p, 0);
	mlen = c.p.len;
	pdu_u16(&c.p, SMPP_TLV_SAR_MSG_REF_NUM);
	pdu_u16(&c.p, 2);
	pdu_u16(&c.p, 0x1234);
	pdu_u16(&c.p, 0x1401);
	pdu_u16(&c.p, 3);
	pdu_bytes(&c.p, "abc", 3);
	pdu_u16(&c.p, SMPP_TLV_SAR_TOTAL_SEGMENTS);
	pdu_u16(&c.p, 1);
	pdu_u8(&c.p, 2);
	pdu_u16(&c.p, SMPP_TLV_SAR_SEGMENT_SEQNUM);
	pdu_u16(&c.p, 1);
	pdu_u8(&c.p, 1);
	pdu_u16(&c.p, SMPP_TLV_MESSAGE_PAYLOAD);
	pdu_u16(&c.p, 6);
	pdu_bytes(&c.p, "STATUS", 6);
	oracle_hand_made(SMPP_DATA_SM, &c, mlen);

	/* An alphanumeric sender, empty text, no TLVs. */
	memset(&c, 0, sizeof(c));
	pdu_deliver_sm(&c.p, "TELKOMSEL", "");
	c.p.b[16 + 1] = 5;
	c.p.b[16 + 2] = 0;
	oracle_hand_made(SMPP_DELIVER_SM, &c, c.p.len);
}

/* A submit_sm or deliver_sm with these C-strings and a short text. */
static void
pdu_sm_fields(struct pdu *p, uint32_t cmd, const char *const f[5])
{
	pdu_start(p, cmd, 3);
	pdu_cstr(p, f[0]);
	pdu_u8(p, 1); pdu_u8(p, 1);
	pdu_cstr(p, f[1]);
	pdu_u8(p, 1); pdu_u8(p, 1);
	pdu_cstr(p, f[2]);
	pdu_u8(p, 0); pdu_u8(p, 0); pdu_u8(p, 0);
	pdu_cstr(p, f[3]);
	pdu_cstr(p, f[4]);
	pdu_u8(p, 0); pdu_u8(p, 0); pdu_u8(p, 0); pdu_u8(p, 0);
	pdu_u8(p, 2);
	pdu_bytes(p, "hi", 2);
}

/* A data_sm with these C-strings and no TLV. */
static void
pdu_data_sm_fields(struct pdu *p, const char *const f[3])
{
	pdu_start(p, SMPP_DATA_SM, 3);
	pdu_cstr(p, f[0]);
	pdu_u8(p, 1); pdu_u8(p, 1);
	pdu_cstr(p, f[1]);
	pdu_u8(p, 1); pdu_u8(p, 1);
	pdu_cstr(p, f[2]);
	pdu_u8(p, 0); pdu_u8(p, 0); pdu_u8(p, 0);
}

/*
 * Each C-string at its longest (NUL included, SMPP 3.4 4.4.1, 4.7.1) is
 * taken, one octet more is refused, by us and by libsmpp34 alike.  Two
 * limits are ours on purpose: a deliver_sm's time fields may be filled
 * (libsmpp34's deliver_sm frame wants them empty, so the oracle reads
 * with its submit_sm frame) and a data_sm's destination_addr is cut to
 * the 21 octets we keep instead of 65.
 */
static void
test_decode_field_limits(void **state)
{
	static const size_t	 sm_max[5] = { 6, 21, 21, 17, 17 };
	static const size_t	 data_max[3] = { 6, 21, 65 };
	static const uint32_t	 cmds[2] = {
	    SMPP_SUBMIT_SM, SMPP_DELIVER_SM };
	static struct corpus	 c;
	static struct smpp_msg	 d;
	static submit_sm_t	 s;
	static data_sm_t	 ds;
	const char		*f[5];
	char			 big[80], err[128];
	size_t			 i, k;
	int			 rc;

	(void)state;
	rng_iter = 0;
	for (k = 0; k < 2; k++)
		for (i = 0; i < 5; i++) {
			f[0] = f[1] = f[2] = f[3] = f[4] = "";
			f[i] = big;
			memset(big, 'x', sm_max[i] - 1);
			big[sm_max[i] - 1] = '\0';
			memset(&c, 0, sizeof(c));
			pdu_sm_fields(&c.p, cmds[k], f);
			c.time_fields = i >= 3;
			oracle_hand_made(cmds[k], &c, c.p.len);

			memset(big, 'x', sm_max[i]);
			big[sm_max[i]] = '\0';
			pdu_sm_fields(&c.p, cmds[k], f);
			pdu_finish(&c.p);
			assert_int_equal(smpp_pdu_decode_msg(c.p.b, c.p.len,
			    &d, err, sizeof(err)), -1);
			assert_non_null(strstr(err, "without NUL"));
			memset(&s, 0, sizeof(s));
			rc = oracle_unpack(SUBMIT_SM, c.p.b, c.p.len, &s);
			destroy_tlv(s.tlv);
			assert_int_equal(rc, -1);
		}
	for (i = 0; i < 3; i++) {
		f[0] = f[1] = f[2] = "";
		f[i] = big;
		memset(big, 'x', data_max[i] - 1);
		big[data_max[i] - 1] = '\0';
		memset(&c, 0, sizeof(c));
		pdu_data_sm_fields(&c.p, f);
		pdu_finish(&c.p);
		if (i < 2)
			oracle_hand_made(SMPP_DATA_SM, &c, c.p.len);
		else {
			/* libsmpp34 takes 64 octets, we keep 21. */
			memset(&ds, 0, sizeof(ds));
			rc = oracle_unpack(DATA_SM, c.p.b, c.p.len, &ds);
			destroy_tlv(ds.tlv);
			assert_int_equal(rc, 0);
			assert_int_equal(smpp_pdu_decode_msg(c.p.b, c.p.len,
			    &d, err, sizeof(err)), -1);
			assert_string_equal(err,
			    "destination_addr of 64 octets");
			big[SMPP_ADDR_MAX] = '\0';
			pdu_data_sm_fields(&c.p, f);
			oracle_hand_made(SMPP_DATA_SM, &c, c.p.len);
			assert_int_equal(smpp_pdu_decode_msg(c.p.b, c.p.len,
			    &d, err, sizeof(err)), 0);
			assert_string_equal(d.dest_addr, big);
			big[SMPP_ADDR_MAX] = 'x';
			big[SMPP_ADDR_MAX + 1] = '\0';
			pdu_data_sm_fields(&c.p, f);
			pdu_finish(&c.p);
			assert_int_equal(smpp_pdu_decode_msg(c.p.b, c.p.len,
			    &d, err, sizeof(err)), -1);
			assert_string_equal(err,
			    "destination_addr of 22 octets");
			big[SMPP_ADDR_MAX + 1] = 'x';
		}

		memset(big, 'x', data_max[i]);
		big[data_max[i]] = '\0';
		pdu_data_sm_fields(&c.p, f);
		pdu_finish(&c.p);
		assert_int_equal(smpp_pdu_decode_msg(c.p.b, c.p.len, &d, err,
		    sizeof(err)), -1);
		memset(&ds, 0, sizeof(ds));
		rc = oracle_unpack(DATA_SM, c.p.b, c.p.len, &ds);
		destroy_tlv(ds.tlv);
		assert_int_equal(rc, -1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_round_trip),
		cmocka_unit_test(test_bind_round_trip),
		cmocka_unit_test(test_bind_decode_hostile),
		cmocka_unit_test(test_resp_round_trip),
		cmocka_unit_test(test_resp_id_tolerant),
		cmocka_unit_test(test_msg_round_trip),
		cmocka_unit_test(test_ussd_round_trip),
		cmocka_unit_test(test_msg_sizes),
		cmocka_unit_test(test_decode_hand_made),
		cmocka_unit_test(test_hostile_many_tlvs),
		cmocka_unit_test(test_hostile_fields),
		cmocka_unit_test(test_payload_1500_hand_made),
		cmocka_unit_test(test_receipted_id_no_nul),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_oracle_encode_msg),
		cmocka_unit_test(test_encode_msg_any_ton_npi),
		cmocka_unit_test(test_oracle_encode_resp),
		cmocka_unit_test(test_oracle_encode_bind),
		cmocka_unit_test(test_oracle_decode),
		cmocka_unit_test(test_oracle_decode_hand_made),
		cmocka_unit_test(test_decode_field_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
