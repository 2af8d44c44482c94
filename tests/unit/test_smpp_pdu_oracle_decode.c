/*
 * test_smpp_pdu_oracle_decode.c: the decoder against libsmpp34 (the
 * oracle), field for field on a generated corpus and on hand-made PDUs,
 * and the longest field each accepts.
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
#include "smpp_pdu_fixture.h"

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
		cmocka_unit_test(test_oracle_decode),
		cmocka_unit_test(test_oracle_decode_hand_made),
		cmocka_unit_test(test_decode_field_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
