/*
 * smpp_pdu_decode.c: our decoder of submit_sm, deliver_sm and data_sm,
 * a bounds-checked walk that extracts every field itself (see the top
 * of smpp_pdu.c for why libsmpp34 does not), and the id of a response.
 */
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "smpp_pdu.h"
#include "smpp_pdu_internal.h"

static int	 walk_tlvs(struct smpp_pdu_walk *, struct smpp_msg *);
static int	 decode_sm_body(struct smpp_pdu_walk *, struct smpp_msg *);
static int	 decode_data_sm_body(struct smpp_pdu_walk *, struct smpp_msg *);

void
smpp_pdu_set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* "ok" without vsnprintf: this runs for every PDU that decodes. */
void
smpp_pdu_set_ok(char *err, size_t errsz)
{
	if (err == NULL || errsz == 0)
		return;
	if (errsz < 3) {
		err[0] = '\0';
		return;
	}
	memcpy(err, "ok", 3);
}
void
smpp_pdu_header(const uint8_t *buf, struct smpp_header *out)
{
	out->length = smpp_pdu_get32(buf);
	out->command_id = smpp_pdu_get32(buf + 4);
	out->status = smpp_pdu_get32(buf + 8);
	out->seq = smpp_pdu_get32(buf + 12);
}

int
smpp_pdu_walk_u8(struct smpp_pdu_walk *w, const char *name, uint8_t *v)
{
	if (w->off >= w->len) {
		smpp_pdu_set_err(w->err, w->errsz, "truncated at %s", name);
		return -1;
	}
	*v = w->buf[w->off++];
	return 0;
}

/*
 * Step over a C-octet string that must find its NUL within max octets
 * (NUL included) and within the PDU.  When dst is not NULL the string
 * is copied there with its NUL, and must then be shorter than dstsz
 * (data_sm allows a 64-octet destination_addr, we keep 21).
 */
int
smpp_pdu_walk_cstr(struct smpp_pdu_walk *w, const char *name, size_t max,
    char *dst, size_t dstsz)
{
	const uint8_t	*s, *nul;
	size_t		 room, n;

	if (w->off >= w->len) {
		smpp_pdu_set_err(w->err, w->errsz, "truncated at %s", name);
		return -1;
	}
	s = w->buf + w->off;
	room = w->len - w->off;
	if (room > max)
		room = max;
	if ((nul = memchr(s, '\0', room)) == NULL) {
		smpp_pdu_set_err(w->err, w->errsz,
		    "%s without NUL within %zu octets", name, room);
		return -1;
	}
	n = (size_t)(nul - s);
	if (dst != NULL) {
		if (n >= dstsz) {
			smpp_pdu_set_err(w->err, w->errsz, "%s of %zu octets",
			    name, n);
			return -1;
		}
		memcpy(dst, s, n + 1);
	}
	w->off += n + 1;
	return 0;
}
/*
 * Walk the optional parameters from w->off to the end of the PDU.  Each
 * needs 4 octets of tag and length and a value inside the PDU; more than
 * SMPP_TLV_MAX of them is hostile.  Known tags must have their exact
 * length; unknown ones are skipped.  message_payload becomes the text
 * when short_message was empty.
 */
static int
walk_tlvs(struct smpp_pdu_walk *w, struct smpp_msg *out)
{
	const uint8_t	*v;
	uint16_t	 tag, vlen;
	int		 count = 0, sar = 0;
	size_t		 n;

	while (w->off < w->len) {
		if (++count > SMPP_TLV_MAX) {
			smpp_pdu_set_err(w->err, w->errsz, "more than %d TLVs",
			    SMPP_TLV_MAX);
			return -1;
		}
		if (w->len - w->off < 4) {
			smpp_pdu_set_err(w->err, w->errsz,
			    "truncated TLV header at offset %zu", w->off);
			return -1;
		}
		tag = smpp_pdu_get16(w->buf + w->off);
		vlen = smpp_pdu_get16(w->buf + w->off + 2);
		w->off += 4;
		if (vlen > w->len - w->off) {
			smpp_pdu_set_err(w->err, w->errsz,
			    "TLV 0x%04x length %u past the end of the PDU",
			    tag, vlen);
			return -1;
		}
		v = w->buf + w->off;
		w->off += vlen;

#define EXPECT_LEN(l)							\
		if (vlen != (l)) {					\
			smpp_pdu_set_err(w->err, w->errsz,		\
			    "TLV 0x%04x length %u, expected %d", tag,	\
			    vlen, (l));					\
			return -1;					\
		}
		switch (tag) {
		case SMPP_TLV_MESSAGE_PAYLOAD:
			if (vlen > SMPP_PAYLOAD_MAX) {
				smpp_pdu_set_err(w->err, w->errsz,
				    "message_payload of %u octets (max %d)",
				    vlen, SMPP_PAYLOAD_MAX);
				return -1;
			}
			/* Never both (5.3.2.32): short_message wins. */
			if (out->sm_len == 0 && !out->payload_from_tlv) {
				memcpy(out->sm, v, vlen);
				out->sm_len = vlen;
				out->payload_from_tlv = 1;
			}
			break;
		case SMPP_TLV_RECEIPTED_MESSAGE_ID:
			if (vlen > WIRE_MSGID) {
				smpp_pdu_set_err(w->err, w->errsz,
				    "receipted_message_id of %u octets", vlen);
				return -1;
			}
			n = strnlen((const char *)v, vlen);
			memcpy(out->receipted_message_id, v, n);
			out->receipted_message_id[n] = '\0';
			out->has_receipted_message_id = 1;
			break;
		case SMPP_TLV_MESSAGE_STATE:
			EXPECT_LEN(1);
			out->message_state = v[0];
			out->has_message_state = 1;
			break;
		case SMPP_TLV_NETWORK_ERROR_CODE:
			EXPECT_LEN(3);
			memcpy(out->network_error_code, v, 3);
			out->has_network_error_code = 1;
			break;
		case SMPP_TLV_USER_MESSAGE_REFERENCE:
			EXPECT_LEN(2);
			out->user_message_reference = smpp_pdu_get16(v);
			out->has_user_message_reference = 1;
			break;
		case SMPP_TLV_SAR_MSG_REF_NUM:
			EXPECT_LEN(2);
			out->sar_msg_ref_num = smpp_pdu_get16(v);
			sar |= 1;
			break;
		case SMPP_TLV_SAR_TOTAL_SEGMENTS:
			EXPECT_LEN(1);
			out->sar_total_segments = v[0];
			sar |= 2;
			break;
		case SMPP_TLV_SAR_SEGMENT_SEQNUM:
			EXPECT_LEN(1);
			out->sar_segment_seqnum = v[0];
			sar |= 4;
			break;
		case SMPP_TLV_USSD_SERVICE_OP:
			EXPECT_LEN(1);
			out->ussd_service_op = v[0];
			out->has_ussd_service_op = 1;
			break;
		case SMPP_TLV_ITS_SESSION_INFO:
			EXPECT_LEN(2);
			out->its_session_info = smpp_pdu_get16(v);
			out->has_its_session_info = 1;
			break;
		default:
			break;
		}
#undef EXPECT_LEN
	}
	out->has_sar = (sar == 7);
	return 0;
}

/*
 * submit_sm and deliver_sm share one layout.  The time fields of a
 * deliver_sm should be empty; some SMSCs fill them anyway, so both are
 * read with submit_sm's limits (17 octets) and skipped.
 */
static int
decode_sm_body(struct smpp_pdu_walk *w, struct smpp_msg *out)
{
	uint8_t		 u, sm_length;

	if (smpp_pdu_walk_cstr(w, "service_type", WIRE_SERVICE_TYPE,
	    out->service_type, sizeof(out->service_type)) == -1 ||
	    smpp_pdu_walk_u8(w, "source_addr_ton", &out->source_ton) == -1 ||
	    smpp_pdu_walk_u8(w, "source_addr_npi", &out->source_npi) == -1 ||
	    smpp_pdu_walk_cstr(w, "source_addr", WIRE_ADDR, out->source_addr,
	    sizeof(out->source_addr)) == -1 ||
	    smpp_pdu_walk_u8(w, "dest_addr_ton", &out->dest_ton) == -1 ||
	    smpp_pdu_walk_u8(w, "dest_addr_npi", &out->dest_npi) == -1 ||
	    smpp_pdu_walk_cstr(w, "destination_addr", WIRE_ADDR, out->dest_addr,
	    sizeof(out->dest_addr)) == -1 ||
	    smpp_pdu_walk_u8(w, "esm_class", &out->esm_class) == -1 ||
	    smpp_pdu_walk_u8(w, "protocol_id", &out->protocol_id) == -1 ||
	    smpp_pdu_walk_u8(w, "priority_flag", &out->priority) == -1 ||
	    smpp_pdu_walk_cstr(w, "schedule_delivery_time", WIRE_TIME, NULL,
	    0) == -1 ||
	    smpp_pdu_walk_cstr(w, "validity_period", WIRE_TIME, NULL,
	    0) == -1 ||
	    smpp_pdu_walk_u8(w, "registered_delivery",
	    &out->registered_delivery) == -1 ||
	    smpp_pdu_walk_u8(w, "replace_if_present_flag", &u) == -1 ||
	    smpp_pdu_walk_u8(w, "data_coding", &out->data_coding) == -1 ||
	    smpp_pdu_walk_u8(w, "sm_default_msg_id", &u) == -1 ||
	    smpp_pdu_walk_u8(w, "sm_length", &sm_length) == -1)
		return -1;
	if (sm_length > SMPP_SM_MAX) {
		smpp_pdu_set_err(w->err, w->errsz, "sm_length %u > %d",
		    sm_length, SMPP_SM_MAX);
		return -1;
	}
	if (sm_length > w->len - w->off) {
		smpp_pdu_set_err(w->err, w->errsz,
		    "sm_length %u past the end of the PDU", sm_length);
		return -1;
	}
	memcpy(out->sm, w->buf + w->off, sm_length);
	out->sm_len = sm_length;	/* walk_tlvs needs to know */
	w->off += sm_length;
	return walk_tlvs(w, out);
}

/* data_sm: no short_message, the text comes in message_payload. */
static int
decode_data_sm_body(struct smpp_pdu_walk *w, struct smpp_msg *out)
{
	if (smpp_pdu_walk_cstr(w, "service_type", WIRE_SERVICE_TYPE,
	    out->service_type, sizeof(out->service_type)) == -1 ||
	    smpp_pdu_walk_u8(w, "source_addr_ton", &out->source_ton) == -1 ||
	    smpp_pdu_walk_u8(w, "source_addr_npi", &out->source_npi) == -1 ||
	    smpp_pdu_walk_cstr(w, "source_addr", WIRE_ADDR, out->source_addr,
	    sizeof(out->source_addr)) == -1 ||
	    smpp_pdu_walk_u8(w, "dest_addr_ton", &out->dest_ton) == -1 ||
	    smpp_pdu_walk_u8(w, "dest_addr_npi", &out->dest_npi) == -1 ||
	    smpp_pdu_walk_cstr(w, "destination_addr", WIRE_DATA_SM_DEST,
	    out->dest_addr, sizeof(out->dest_addr)) == -1 ||
	    smpp_pdu_walk_u8(w, "esm_class", &out->esm_class) == -1 ||
	    smpp_pdu_walk_u8(w, "registered_delivery",
	    &out->registered_delivery) == -1 ||
	    smpp_pdu_walk_u8(w, "data_coding", &out->data_coding) == -1)
		return -1;
	return walk_tlvs(w, out);
}

/*
 * Decode a deliver_sm, submit_sm or data_sm.  out is cleared first, so
 * on failure it holds nothing the caller could mistake for a message.
 */
int
smpp_pdu_decode_msg(const uint8_t *buf, size_t len, struct smpp_msg *out,
    char *err, size_t errsz)
{
	struct smpp_pdu_walk	 w;
	struct smpp_header	 h;
	int			 rc;

	memset(out, 0, sizeof(*out));
	smpp_pdu_set_ok(err, errsz);
	if (len < SMPP_HEADER_LEN) {
		smpp_pdu_set_err(err, errsz, "PDU shorter than its header");
		return -1;
	}
	smpp_pdu_header(buf, &h);
	if (h.length != len) {
		smpp_pdu_set_err(err, errsz, "command_length %u but %zu octets",
		    h.length, len);
		return -1;
	}
	w.buf = buf;
	w.len = len;
	w.off = SMPP_HEADER_LEN;
	w.err = err;
	w.errsz = errsz;
	switch (h.command_id) {
	case SMPP_SUBMIT_SM:
	case SMPP_DELIVER_SM:
		rc = decode_sm_body(&w, out);
		break;
	case SMPP_DATA_SM:
		rc = decode_data_sm_body(&w, out);
		break;
	default:
		smpp_pdu_set_err(err, errsz, "%s is not a message",
		    smpp_pdu_command_name(h.command_id));
		rc = -1;
		break;
	}
	if (rc == -1) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}
/*
 * The one C-string after a response header, read by hand because
 * libsmpp34 refuses an error status with an empty body.  An id that
 * lacks its NUL is taken up to the end of the PDU; a long one is cut
 * to outsz - 1.
 */
int
smpp_pdu_decode_resp_id(const uint8_t *buf, size_t len, char *out,
    size_t outsz)
{
	size_t	 n, room;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	if (len <= SMPP_HEADER_LEN)
		return 0;
	room = len - SMPP_HEADER_LEN;
	n = strnlen((const char *)buf + SMPP_HEADER_LEN, room);
	if (n > outsz - 1)
		n = outsz - 1;
	memcpy(out, buf + SMPP_HEADER_LEN, n);
	out[n] = '\0';
	return 0;
}
