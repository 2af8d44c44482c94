/*
 * test_smpp_pdu.c: every encoder against its decoder, and the hostile
 * PDUs from docs/smpp.md.  Run under ASan (PILAR_SANITIZE=ON): the
 * hostile cases must be rejected without touching memory they do not
 * own.  libsmpp34, the oracle, checks the encoders in
 * test_smpp_pdu_oracle.c and the decoder in test_smpp_pdu_oracle_decode.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "smpp_pdu.h"
#include "smpp_pdu_fixture.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
