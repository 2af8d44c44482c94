/*
 * smpp_pdu_encode.c: our writer of submit_sm, deliver_sm, their *_resp,
 * bind_*_resp and the header-only PDUs, plain big-endian (see the top
 * of smpp_pdu.c for why libsmpp34 does not write them).
 */
#include <stdint.h>
#include <string.h>

#include "smpp_pdu.h"
#include "smpp_pdu_internal.h"

static int	 cstr_len(const char *, size_t, size_t *);
static uint8_t	*put_cstr(uint8_t *, const char *, size_t);
static int	 encode_resp_with_id(uint8_t *, size_t, uint32_t, uint32_t,
		    uint32_t, const char *, size_t);
static int	 put_tlv(uint8_t *, size_t, size_t *, uint16_t,
		    const void *, size_t);
static int	 put_msg_tlvs(uint8_t *, size_t, size_t *,
		    const struct smpp_msg *, int);

/*
 * The length of s (OUT: *n) when s and its NUL fit in wire_max octets.
 * strnlen: s may be an array filled to the brim without NUL.
 */
static int
cstr_len(const char *s, size_t wire_max, size_t *n)
{
	*n = strnlen(s, wire_max);
	return *n < wire_max;
}

int
smpp_pdu_cstr_fits(const char *s, size_t wire_max)
{
	size_t	 n;

	return cstr_len(s, wire_max, &n);
}

/*
 * Every encoder wants seq in 1..0x7FFFFFFF (SMPP 3.4, 3.2), responses
 * included: a response echoes the peer's number, and a peer that used 0
 * or a number with the top bit set broke the rule first.  The caller
 * logs the -1 and sends nothing; the peer times the request out.
 */
int
smpp_pdu_seq_valid(uint32_t seq)
{
	return seq >= 1 && seq <= SEQ_MAX;
}

/* Write s (n octets, as measured by cstr_len) and its NUL at p. */
static uint8_t *
put_cstr(uint8_t *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	p[n] = '\0';
	return p + n + 1;
}

/* Header-only PDU: enquire_link(_resp), unbind(_resp), generic_nack. */
int
smpp_pdu_encode_header(uint8_t *out, size_t outsz, uint32_t command_id,
    uint32_t status, uint32_t seq)
{
	if (outsz < SMPP_HEADER_LEN || !smpp_pdu_seq_valid(seq))
		return -1;
	smpp_pdu_put32(out, SMPP_HEADER_LEN);
	smpp_pdu_put32(out + 4, command_id);
	smpp_pdu_put32(out + 8, status);
	smpp_pdu_put32(out + 12, seq);
	return SMPP_HEADER_LEN;
}

/* A header followed by one C-string (written by hand, any status). */
static int
encode_resp_with_id(uint8_t *out, size_t outsz, uint32_t command_id,
    uint32_t seq, uint32_t status, const char *id, size_t wire_max)
{
	size_t	 n, total;

	if (id == NULL)
		id = "";
	if (!cstr_len(id, wire_max, &n))
		return -1;
	total = SMPP_HEADER_LEN + n + 1;
	if (outsz < total || !smpp_pdu_seq_valid(seq))
		return -1;
	smpp_pdu_put32(out, (uint32_t)total);
	smpp_pdu_put32(out + 4, command_id);
	smpp_pdu_put32(out + 8, status);
	smpp_pdu_put32(out + 12, seq);
	put_cstr(out + SMPP_HEADER_LEN, id, n);
	return (int)total;
}

/* bind_*_resp: system_id with ESME_ROK, the bare header otherwise. */
int
smpp_pdu_encode_bind_resp(uint8_t *out, size_t outsz, uint32_t command_id,
    uint32_t seq, uint32_t status, const char *system_id)
{
	if (status != SMPP_ESME_ROK)
		return smpp_pdu_encode_header(out, outsz, command_id, status,
		    seq);
	return encode_resp_with_id(out, outsz, command_id, seq, status,
	    system_id, WIRE_SYSID);
}

/*
 * submit_sm_resp / deliver_sm_resp.  A submit_sm_resp with an error
 * status has no body (SMPP 3.4, 4.4.2; libsmpp34 parses it so).  A
 * deliver_sm_resp always carries its message_id, normally "" (4.6.2
 * makes no exception, and libsmpp34-based SMSCs such as osmo-msc
 * require the NUL octet whatever the status).
 */
int
smpp_pdu_encode_msg_resp(uint8_t *out, size_t outsz, uint32_t command_id,
    uint32_t seq, uint32_t status, const char *message_id)
{
	if (status != SMPP_ESME_ROK && command_id == SMPP_SUBMIT_SM_RESP)
		return smpp_pdu_encode_header(out, outsz, command_id, status,
		    seq);
	return encode_resp_with_id(out, outsz, command_id, seq, status,
	    message_id, WIRE_MSGID);
}

/* Append one TLV at *off; -1 when it does not fit in outsz. */
static int
put_tlv(uint8_t *out, size_t outsz, size_t *off, uint16_t tag,
    const void *val, size_t vlen)
{
	if (vlen > 0xFFFF || outsz < *off || outsz - *off < 4 + vlen)
		return -1;
	smpp_pdu_put16(out + *off, tag);
	smpp_pdu_put16(out + *off + 2, (uint16_t)vlen);
	if (vlen > 0)
		memcpy(out + *off + 4, val, vlen);
	*off += 4 + vlen;
	return 0;
}

/* The optional parameters of m, written by hand after the mandatory part. */
static int
put_msg_tlvs(uint8_t *out, size_t outsz, size_t *off,
    const struct smpp_msg *m, int use_payload)
{
	uint8_t	 v[2];

	if (use_payload && put_tlv(out, outsz, off, SMPP_TLV_MESSAGE_PAYLOAD,
	    m->sm, m->sm_len) == -1)
		return -1;
	if (m->has_receipted_message_id) {
		if (!smpp_pdu_cstr_fits(m->receipted_message_id, WIRE_MSGID) ||
		    put_tlv(out, outsz, off, SMPP_TLV_RECEIPTED_MESSAGE_ID,
		    m->receipted_message_id,
		    strlen(m->receipted_message_id) + 1) == -1)
			return -1;
	}
	if (m->has_message_state && put_tlv(out, outsz, off,
	    SMPP_TLV_MESSAGE_STATE, &m->message_state, 1) == -1)
		return -1;
	if (m->has_network_error_code && put_tlv(out, outsz, off,
	    SMPP_TLV_NETWORK_ERROR_CODE, m->network_error_code, 3) == -1)
		return -1;
	if (m->has_user_message_reference) {
		smpp_pdu_put16(v, m->user_message_reference);
		if (put_tlv(out, outsz, off, SMPP_TLV_USER_MESSAGE_REFERENCE,
		    v, 2) == -1)
			return -1;
	}
	if (m->has_sar) {
		smpp_pdu_put16(v, m->sar_msg_ref_num);
		if (put_tlv(out, outsz, off, SMPP_TLV_SAR_MSG_REF_NUM,
		    v, 2) == -1 ||
		    put_tlv(out, outsz, off, SMPP_TLV_SAR_TOTAL_SEGMENTS,
		    &m->sar_total_segments, 1) == -1 ||
		    put_tlv(out, outsz, off, SMPP_TLV_SAR_SEGMENT_SEQNUM,
		    &m->sar_segment_seqnum, 1) == -1)
			return -1;
	}
	if (m->has_ussd_service_op && put_tlv(out, outsz, off,
	    SMPP_TLV_USSD_SERVICE_OP, &m->ussd_service_op, 1) == -1)
		return -1;
	if (m->has_its_session_info) {
		smpp_pdu_put16(v, m->its_session_info);
		if (put_tlv(out, outsz, off, SMPP_TLV_ITS_SESSION_INFO,
		    v, 2) == -1)
			return -1;
	}
	return 0;
}

/*
 * submit_sm or deliver_sm, written field by field (SMPP 3.4, 4.4.1 and
 * 4.6.1).  We never schedule nor set a validity period, and never ask
 * for replace_if_present or a canned message, so those fields are
 * empty or zero: which is also the only form a deliver_sm may take.
 * Any TON/NPI octet is written as given (the decoder accepts any too).
 * Text over 253 octets goes in message_payload, see WIRE_SM_SHORT_MAX.
 */
int
smpp_pdu_encode_msg(uint8_t *out, size_t outsz, uint32_t command_id,
    uint32_t seq, const struct smpp_msg *m)
{
	uint8_t		*p;
	size_t		 st, sa, da, smlen, off;
	int		 use_payload;

	if (command_id != SMPP_SUBMIT_SM && command_id != SMPP_DELIVER_SM)
		return -1;
	if (!smpp_pdu_seq_valid(seq) || m->sm_len > SMPP_PAYLOAD_MAX ||
	    !cstr_len(m->service_type, WIRE_SERVICE_TYPE, &st) ||
	    !cstr_len(m->source_addr, WIRE_ADDR, &sa) ||
	    !cstr_len(m->dest_addr, WIRE_ADDR, &da))
		return -1;
	use_payload = m->payload_from_tlv || m->sm_len > WIRE_SM_SHORT_MAX;
	smlen = use_payload ? 0 : m->sm_len;

	/* Header, three C-strings, two empty time fields, 12 octets. */
	off = SMPP_HEADER_LEN + st + 1 + sa + 1 + da + 1 + 2 + 12 + smlen;
	if (outsz < off)
		return -1;
	smpp_pdu_put32(out + 4, command_id);
	smpp_pdu_put32(out + 8, SMPP_ESME_ROK);
	smpp_pdu_put32(out + 12, seq);
	p = out + SMPP_HEADER_LEN;
	p = put_cstr(p, m->service_type, st);
	*p++ = m->source_ton;
	*p++ = m->source_npi;
	p = put_cstr(p, m->source_addr, sa);
	*p++ = m->dest_ton;
	*p++ = m->dest_npi;
	p = put_cstr(p, m->dest_addr, da);
	*p++ = m->esm_class;
	*p++ = m->protocol_id;
	*p++ = m->priority;
	*p++ = '\0';			/* schedule_delivery_time */
	*p++ = '\0';			/* validity_period */
	*p++ = m->registered_delivery;
	*p++ = 0;			/* replace_if_present_flag */
	*p++ = m->data_coding;
	*p++ = 0;			/* sm_default_msg_id */
	*p++ = (uint8_t)smlen;
	memcpy(p, m->sm, smlen);
	if (put_msg_tlvs(out, outsz, &off, m, use_payload) == -1)
		return -1;
	smpp_pdu_put32(out, (uint32_t)off);
	return (int)off;
}
