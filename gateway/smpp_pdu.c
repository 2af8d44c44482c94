/*
 * smpp_pdu.c: SMPP 3.4 PDUs to and from our structs; the one file that
 * calls libsmpp34.
 *
 * What goes through libsmpp34, and why.  smpp34_pack() and
 * smpp34_unpack() format a trace line (snprintf) for every field they
 * touch, on success too.  Measured on the 2-vCPU target when they did
 * the mandatory part of every message, smpp_pdu_encode_msg cost 4.9 us
 * and smpp_pdu_decode_msg 6.4 us per PDU, about 70% of it in vfprintf;
 * our own code does each in 0.1 to 0.2 us.  Every MO costs one deliver_sm
 * decoded, one deliver_sm_resp and one submit_sm encoded and one
 * submit_sm_resp decoded, so at the 25,000 MO/s we must reach the
 * library alone would have eaten over a quarter of a CPU.  Hence:
 *
 *  - libsmpp34 packs bind_transmitter, bind_receiver and
 *    bind_transceiver (smpp_pdu_encode_bind) and unpacks them
 *    (smpp_pdu_decode_bind): once per connection, where its cost does
 *    not matter and its field tables are worth having.
 *  - Everything else is ours: submit_sm, deliver_sm and data_sm are
 *    decoded by the bounds-checked walk below, which extracts every
 *    field itself; submit_sm, deliver_sm, their *_resp, bind_*_resp and
 *    the header-only PDUs are written by a plain big-endian writer; the
 *    id of a response is read by hand.  Responses were already written
 *    by hand before: libsmpp34 refuses the vendor statuses and the empty
 *    error bodies that real SMSCs use.
 *  - libsmpp34 stays the oracle: tests/unit/test_smpp_pdu.c checks every
 *    encoder byte for byte against smpp34_pack() and the decoder field
 *    for field against smpp34_unpack() on a generated corpus.
 *
 * libsmpp34's traps on hostile input (see docs/smpp.md): its error trace
 * has no bound, so a PDU with many TLVs writes past smpp34_strerror, and
 * octet TLVs are capped at 1024 bytes.  It is never shown a TLV: a bind
 * is walked with bounds checks first and unpacked from a scratch copy of
 * its mandatory part.
 *
 * Everything here runs on the event-loop thread: the library's state is
 * global.
 */
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <smpp34.h>
#include <smpp34_structs.h>
#include <smpp34_params.h>

#include "smpp_pdu.h"

/* Field sizes on the wire, terminating NUL included (SMPP 3.4, 4.x). */
#define WIRE_SERVICE_TYPE	6
#define WIRE_ADDR		21
#define WIRE_DATA_SM_DEST	65
#define WIRE_TIME		17
#define WIRE_SYSID		16
#define WIRE_PASSWORD		9
#define WIRE_SYSTYPE		13
#define WIRE_ADDR_RANGE		41
#define WIRE_MSGID		65
/*
 * The longest text we put in short_message; longer goes in
 * message_payload.  smpp34_pack() cannot write sm_length 254, and we
 * keep to what it writes so that it can check us (and so that nothing
 * changed on the wire when it stopped writing our messages).
 */
#define WIRE_SM_SHORT_MAX	253
#define SEQ_MAX			0x7FFFFFFFu

/* A mandatory part never exceeds this (submit_sm: 16 + 111 + 254). */
#define MANDATORY_MAX		512

/* A read position in one framed PDU; every step checks against len. */
struct walk {
	const uint8_t	*buf;
	size_t		 len;
	size_t		 off;
	char		*err;
	size_t		 errsz;
};

static void	 set_err(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 set_ok(char *, size_t);
static uint32_t	 get32(const uint8_t *);
static uint16_t	 get16(const uint8_t *);
static void	 put32(uint8_t *, uint32_t);
static void	 put16(uint8_t *, uint16_t);
static int	 walk_u8(struct walk *, const char *, uint8_t *);
static int	 walk_cstr(struct walk *, const char *, size_t, char *,
		    size_t);
static int	 ton_known(uint8_t);
static int	 npi_known(uint8_t);
static void	 scratch_sanitize_addr(uint8_t *, size_t);
static int	 scratch_prepare(const uint8_t *, size_t, uint8_t *);
static void	 copy_cstr(char *, size_t, const uint8_t *);
static int	 walk_tlvs(struct walk *, struct smpp_msg *);
static int	 decode_sm_body(struct walk *, struct smpp_msg *);
static int	 decode_data_sm_body(struct walk *, struct smpp_msg *);
static int	 cstr_len(const char *, size_t, size_t *);
static int	 cstr_fits(const char *, size_t);
static int	 seq_valid(uint32_t);
static uint8_t	*put_cstr(uint8_t *, const char *, size_t);
static int	 encode_resp_with_id(uint8_t *, size_t, uint32_t, uint32_t,
		    uint32_t, const char *, size_t);
static int	 put_tlv(uint8_t *, size_t, size_t *, uint16_t,
		    const void *, size_t);
static int	 put_msg_tlvs(uint8_t *, size_t, size_t *,
		    const struct smpp_msg *, int);

static void
set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* "ok" without vsnprintf: this runs for every PDU that decodes. */
static void
set_ok(char *err, size_t errsz)
{
	if (err == NULL || errsz == 0)
		return;
	if (errsz < 3) {
		err[0] = '\0';
		return;
	}
	memcpy(err, "ok", 3);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

void
smpp_pdu_header(const uint8_t *buf, struct smpp_header *out)
{
	out->length = get32(buf);
	out->command_id = get32(buf + 4);
	out->status = get32(buf + 8);
	out->seq = get32(buf + 12);
}

static int
walk_u8(struct walk *w, const char *name, uint8_t *v)
{
	if (w->off >= w->len) {
		set_err(w->err, w->errsz, "truncated at %s", name);
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
static int
walk_cstr(struct walk *w, const char *name, size_t max, char *dst,
    size_t dstsz)
{
	const uint8_t	*s, *nul;
	size_t		 room, n;

	if (w->off >= w->len) {
		set_err(w->err, w->errsz, "truncated at %s", name);
		return -1;
	}
	s = w->buf + w->off;
	room = w->len - w->off;
	if (room > max)
		room = max;
	if ((nul = memchr(s, '\0', room)) == NULL) {
		set_err(w->err, w->errsz, "%s without NUL within %zu octets",
		    name, room);
		return -1;
	}
	n = (size_t)(nul - s);
	if (dst != NULL) {
		if (n >= dstsz) {
			set_err(w->err, w->errsz, "%s of %zu octets", name, n);
			return -1;
		}
		memcpy(dst, s, n + 1);
	}
	w->off += n + 1;
	return 0;
}

/* The TON and NPI values libsmpp34 accepts (def_list/addr_*.list). */
static int
ton_known(uint8_t ton)
{
	return ton <= 6;
}

static int
npi_known(uint8_t npi)
{
	switch (npi) {
	case 0: case 1: case 3: case 4: case 6: case 8: case 9: case 10:
	case 14: case 18:
		return 1;
	default:
		return 0;
	}
}

/*
 * libsmpp34 refuses TON/NPI values outside its lists; an ESME that uses
 * another one should not cost it the bind.  We already hold the real
 * values from our walk, so the scratch copy gets harmless zeroes.
 */
static void
scratch_sanitize_addr(uint8_t *scratch, size_t ton_off)
{
	if (!ton_known(scratch[ton_off]))
		scratch[ton_off] = 0;
	if (!npi_known(scratch[ton_off + 1]))
		scratch[ton_off + 1] = 0;
}

/*
 * Copy the header and the mandatory part (mlen bytes, already walked)
 * into scratch with a NUL guard, and make the header say that this is
 * the whole PDU.  The status of a request carries no meaning and
 * libsmpp34 refuses vendor values, so it is zeroed; so is a zero
 * sequence number replaced (libsmpp34 refuses it, we just report it).
 */
static int
scratch_prepare(const uint8_t *buf, size_t mlen, uint8_t *scratch)
{
	if (mlen > MANDATORY_MAX)
		return -1;
	memcpy(scratch, buf, mlen);
	scratch[mlen] = '\0';
	put32(scratch, (uint32_t)mlen);
	put32(scratch + 8, 0);
	if (get32(scratch + 12) == 0)
		put32(scratch + 12, 1);
	return 0;
}

/* Copy a NUL terminated string that libsmpp34 unpacked (checked by us). */
static void
copy_cstr(char *dst, size_t dstsz, const uint8_t *src)
{
	size_t	 n;

	n = strnlen((const char *)src, dstsz - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * Walk the optional parameters from w->off to the end of the PDU.  Each
 * needs 4 octets of tag and length and a value inside the PDU; more than
 * SMPP_TLV_MAX of them is hostile.  Known tags must have their exact
 * length; unknown ones are skipped.  message_payload becomes the text
 * when short_message was empty.
 */
static int
walk_tlvs(struct walk *w, struct smpp_msg *out)
{
	const uint8_t	*v;
	uint16_t	 tag, vlen;
	int		 count = 0, sar = 0;
	size_t		 n;

	while (w->off < w->len) {
		if (++count > SMPP_TLV_MAX) {
			set_err(w->err, w->errsz, "more than %d TLVs",
			    SMPP_TLV_MAX);
			return -1;
		}
		if (w->len - w->off < 4) {
			set_err(w->err, w->errsz, "truncated TLV header at "
			    "offset %zu", w->off);
			return -1;
		}
		tag = get16(w->buf + w->off);
		vlen = get16(w->buf + w->off + 2);
		w->off += 4;
		if (vlen > w->len - w->off) {
			set_err(w->err, w->errsz, "TLV 0x%04x length %u past "
			    "the end of the PDU", tag, vlen);
			return -1;
		}
		v = w->buf + w->off;
		w->off += vlen;

#define EXPECT_LEN(l)							\
		if (vlen != (l)) {					\
			set_err(w->err, w->errsz, "TLV 0x%04x length %u, "	\
			    "expected %d", tag, vlen, (l));		\
			return -1;					\
		}
		switch (tag) {
		case SMPP_TLV_MESSAGE_PAYLOAD:
			if (vlen > SMPP_PAYLOAD_MAX) {
				set_err(w->err, w->errsz, "message_payload of "
				    "%u octets (max %d)", vlen,
				    SMPP_PAYLOAD_MAX);
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
				set_err(w->err, w->errsz, "receipted_message_id "
				    "of %u octets", vlen);
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
			out->user_message_reference = get16(v);
			out->has_user_message_reference = 1;
			break;
		case SMPP_TLV_SAR_MSG_REF_NUM:
			EXPECT_LEN(2);
			out->sar_msg_ref_num = get16(v);
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
			out->its_session_info = get16(v);
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
decode_sm_body(struct walk *w, struct smpp_msg *out)
{
	uint8_t		 u, sm_length;

	if (walk_cstr(w, "service_type", WIRE_SERVICE_TYPE,
	    out->service_type, sizeof(out->service_type)) == -1 ||
	    walk_u8(w, "source_addr_ton", &out->source_ton) == -1 ||
	    walk_u8(w, "source_addr_npi", &out->source_npi) == -1 ||
	    walk_cstr(w, "source_addr", WIRE_ADDR, out->source_addr,
	    sizeof(out->source_addr)) == -1 ||
	    walk_u8(w, "dest_addr_ton", &out->dest_ton) == -1 ||
	    walk_u8(w, "dest_addr_npi", &out->dest_npi) == -1 ||
	    walk_cstr(w, "destination_addr", WIRE_ADDR, out->dest_addr,
	    sizeof(out->dest_addr)) == -1 ||
	    walk_u8(w, "esm_class", &out->esm_class) == -1 ||
	    walk_u8(w, "protocol_id", &out->protocol_id) == -1 ||
	    walk_u8(w, "priority_flag", &out->priority) == -1 ||
	    walk_cstr(w, "schedule_delivery_time", WIRE_TIME, NULL, 0) == -1 ||
	    walk_cstr(w, "validity_period", WIRE_TIME, NULL, 0) == -1 ||
	    walk_u8(w, "registered_delivery",
	    &out->registered_delivery) == -1 ||
	    walk_u8(w, "replace_if_present_flag", &u) == -1 ||
	    walk_u8(w, "data_coding", &out->data_coding) == -1 ||
	    walk_u8(w, "sm_default_msg_id", &u) == -1 ||
	    walk_u8(w, "sm_length", &sm_length) == -1)
		return -1;
	if (sm_length > SMPP_SM_MAX) {
		set_err(w->err, w->errsz, "sm_length %u > %d", sm_length,
		    SMPP_SM_MAX);
		return -1;
	}
	if (sm_length > w->len - w->off) {
		set_err(w->err, w->errsz, "sm_length %u past the end of the "
		    "PDU", sm_length);
		return -1;
	}
	memcpy(out->sm, w->buf + w->off, sm_length);
	out->sm_len = sm_length;	/* walk_tlvs needs to know */
	w->off += sm_length;
	return walk_tlvs(w, out);
}

/* data_sm: no short_message, the text comes in message_payload. */
static int
decode_data_sm_body(struct walk *w, struct smpp_msg *out)
{
	if (walk_cstr(w, "service_type", WIRE_SERVICE_TYPE,
	    out->service_type, sizeof(out->service_type)) == -1 ||
	    walk_u8(w, "source_addr_ton", &out->source_ton) == -1 ||
	    walk_u8(w, "source_addr_npi", &out->source_npi) == -1 ||
	    walk_cstr(w, "source_addr", WIRE_ADDR, out->source_addr,
	    sizeof(out->source_addr)) == -1 ||
	    walk_u8(w, "dest_addr_ton", &out->dest_ton) == -1 ||
	    walk_u8(w, "dest_addr_npi", &out->dest_npi) == -1 ||
	    walk_cstr(w, "destination_addr", WIRE_DATA_SM_DEST,
	    out->dest_addr, sizeof(out->dest_addr)) == -1 ||
	    walk_u8(w, "esm_class", &out->esm_class) == -1 ||
	    walk_u8(w, "registered_delivery",
	    &out->registered_delivery) == -1 ||
	    walk_u8(w, "data_coding", &out->data_coding) == -1)
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
	struct walk		 w;
	struct smpp_header	 h;
	int			 rc;

	memset(out, 0, sizeof(*out));
	set_ok(err, errsz);
	if (len < SMPP_HEADER_LEN) {
		set_err(err, errsz, "PDU shorter than its header");
		return -1;
	}
	smpp_pdu_header(buf, &h);
	if (h.length != len) {
		set_err(err, errsz, "command_length %u but %zu octets",
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
		set_err(err, errsz, "%s is not a message",
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
 * Decode a bind_transmitter/receiver/transceiver.  The three share one
 * layout; libsmpp34 parses it with its bind_transmitter frame.  Octets
 * after address_range (SMPP 3.4 binds have no TLVs) are ignored.
 */
int
smpp_pdu_decode_bind(const uint8_t *buf, size_t len, struct smpp_bind *out,
    char *err, size_t errsz)
{
	struct walk		 w;
	struct smpp_header	 h;
	bind_transmitter_t	 t;
	uint8_t			 scratch[MANDATORY_MAX + 1];
	size_t			 ton_off, mlen;
	int			 rc;

	memset(out, 0, sizeof(*out));
	set_ok(err, errsz);
	if (len < SMPP_HEADER_LEN) {
		set_err(err, errsz, "PDU shorter than its header");
		return -1;
	}
	smpp_pdu_header(buf, &h);
	if (h.length != len) {
		set_err(err, errsz, "command_length %u but %zu octets",
		    h.length, len);
		return -1;
	}
	if (h.command_id != SMPP_BIND_TRANSMITTER &&
	    h.command_id != SMPP_BIND_RECEIVER &&
	    h.command_id != SMPP_BIND_TRANSCEIVER) {
		set_err(err, errsz, "%s is not a bind",
		    smpp_pdu_command_name(h.command_id));
		return -1;
	}
	w.buf = buf;
	w.len = len;
	w.off = SMPP_HEADER_LEN;
	w.err = err;
	w.errsz = errsz;
	if (walk_cstr(&w, "system_id", WIRE_SYSID, NULL, 0) == -1 ||
	    walk_cstr(&w, "password", WIRE_PASSWORD, NULL, 0) == -1 ||
	    walk_cstr(&w, "system_type", WIRE_SYSTYPE, NULL, 0) == -1 ||
	    walk_u8(&w, "interface_version", &out->interface_version) == -1)
		return -1;
	ton_off = w.off;
	if (walk_u8(&w, "addr_ton", &out->addr_ton) == -1 ||
	    walk_u8(&w, "addr_npi", &out->addr_npi) == -1 ||
	    walk_cstr(&w, "address_range", WIRE_ADDR_RANGE, NULL, 0) == -1)
		return -1;
	mlen = w.off;

	if (scratch_prepare(buf, mlen, scratch) == -1) {
		set_err(err, errsz, "mandatory part too long");
		return -1;
	}
	/* We speak 3.4 only, but report what the peer said it speaks. */
	scratch[ton_off - 1] = SMPP_VERSION;
	scratch_sanitize_addr(scratch, ton_off);
	memset(&t, 0, sizeof(t));
	rc = smpp34_unpack(BIND_TRANSMITTER, &t, scratch, (int)mlen);
	if (rc != 0) {
		set_err(err, errsz, "libsmpp34: %.80s", smpp34_strerror);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	copy_cstr(out->system_id, sizeof(out->system_id), t.system_id);
	copy_cstr(out->password, sizeof(out->password), t.password);
	copy_cstr(out->system_type, sizeof(out->system_type), t.system_type);
	copy_cstr(out->address_range, sizeof(out->address_range),
	    t.address_range);
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

static int
cstr_fits(const char *s, size_t wire_max)
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
static int
seq_valid(uint32_t seq)
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
	if (outsz < SMPP_HEADER_LEN || !seq_valid(seq))
		return -1;
	put32(out, SMPP_HEADER_LEN);
	put32(out + 4, command_id);
	put32(out + 8, status);
	put32(out + 12, seq);
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
	if (outsz < total || !seq_valid(seq))
		return -1;
	put32(out, (uint32_t)total);
	put32(out + 4, command_id);
	put32(out + 8, status);
	put32(out + 12, seq);
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

/*
 * A bind of any of the three kinds.  libsmpp34 packs it with its
 * bind_transmitter frame (the layouts are identical); interface_version
 * is always 0x34, the only version we speak and the only one it packs.
 */
int
smpp_pdu_encode_bind(uint8_t *out, size_t outsz, uint32_t command_id,
    uint32_t seq, const struct smpp_bind *b)
{
	bind_transmitter_t	 t;
	uint8_t			 tmp[MANDATORY_MAX + 1];
	int			 plen = 0, rc;

	if (command_id != SMPP_BIND_TRANSMITTER &&
	    command_id != SMPP_BIND_RECEIVER &&
	    command_id != SMPP_BIND_TRANSCEIVER)
		return -1;
	if (!seq_valid(seq) || !cstr_fits(b->system_id, WIRE_SYSID) ||
	    !cstr_fits(b->password, WIRE_PASSWORD) ||
	    !cstr_fits(b->system_type, WIRE_SYSTYPE) ||
	    !cstr_fits(b->address_range, WIRE_ADDR_RANGE))
		return -1;
	memset(&t, 0, sizeof(t));
	t.command_id = command_id;
	t.command_status = 0;
	t.sequence_number = seq;
	memcpy(t.system_id, b->system_id, strlen(b->system_id) + 1);
	memcpy(t.password, b->password, strlen(b->password) + 1);
	memcpy(t.system_type, b->system_type, strlen(b->system_type) + 1);
	t.interface_version = SMPP_VERSION;
	t.addr_ton = b->addr_ton;
	t.addr_npi = b->addr_npi;
	memcpy(t.address_range, b->address_range,
	    strlen(b->address_range) + 1);
	/* tmp is larger than any bind: pack wants a spare byte. */
	rc = smpp34_pack(BIND_TRANSMITTER, tmp, (int)sizeof(tmp), &plen, &t);
	if (rc != 0 || plen < SMPP_HEADER_LEN || (size_t)plen > outsz)
		return -1;
	memcpy(out, tmp, (size_t)plen);
	return plen;
}

/* Append one TLV at *off; -1 when it does not fit in outsz. */
static int
put_tlv(uint8_t *out, size_t outsz, size_t *off, uint16_t tag,
    const void *val, size_t vlen)
{
	if (vlen > 0xFFFF || outsz < *off || outsz - *off < 4 + vlen)
		return -1;
	put16(out + *off, tag);
	put16(out + *off + 2, (uint16_t)vlen);
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
		if (!cstr_fits(m->receipted_message_id, WIRE_MSGID) ||
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
		put16(v, m->user_message_reference);
		if (put_tlv(out, outsz, off, SMPP_TLV_USER_MESSAGE_REFERENCE,
		    v, 2) == -1)
			return -1;
	}
	if (m->has_sar) {
		put16(v, m->sar_msg_ref_num);
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
		put16(v, m->its_session_info);
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
	if (!seq_valid(seq) || m->sm_len > SMPP_PAYLOAD_MAX ||
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
	put32(out + 4, command_id);
	put32(out + 8, SMPP_ESME_ROK);
	put32(out + 12, seq);
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
	put32(out, (uint32_t)off);
	return (int)off;
}

const char *
smpp_pdu_command_name(uint32_t command_id)
{
	static char	 buf[4][16];
	static int	 n;

	switch (command_id) {
	case SMPP_GENERIC_NACK:		return "generic_nack";
	case SMPP_BIND_RECEIVER:	return "bind_receiver";
	case 0x80000001u:		return "bind_receiver_resp";
	case SMPP_BIND_TRANSMITTER:	return "bind_transmitter";
	case 0x80000002u:		return "bind_transmitter_resp";
	case 0x00000003u:		return "query_sm";
	case 0x80000003u:		return "query_sm_resp";
	case SMPP_SUBMIT_SM:		return "submit_sm";
	case SMPP_SUBMIT_SM_RESP:	return "submit_sm_resp";
	case SMPP_DELIVER_SM:		return "deliver_sm";
	case SMPP_DELIVER_SM_RESP:	return "deliver_sm_resp";
	case SMPP_UNBIND:		return "unbind";
	case SMPP_UNBIND_RESP:		return "unbind_resp";
	case 0x00000007u:		return "replace_sm";
	case 0x80000007u:		return "replace_sm_resp";
	case 0x00000008u:		return "cancel_sm";
	case 0x80000008u:		return "cancel_sm_resp";
	case SMPP_BIND_TRANSCEIVER:	return "bind_transceiver";
	case SMPP_BIND_TRANSCEIVER_RESP: return "bind_transceiver_resp";
	case 0x0000000Bu:		return "outbind";
	case SMPP_ENQUIRE_LINK:		return "enquire_link";
	case SMPP_ENQUIRE_LINK_RESP:	return "enquire_link_resp";
	case 0x00000021u:		return "submit_multi";
	case 0x80000021u:		return "submit_multi_resp";
	case 0x00000102u:		return "alert_notification";
	case SMPP_DATA_SM:		return "data_sm";
	case 0x80000103u:		return "data_sm_resp";
	default:
		/* A few rotating buffers: several names in one log line. */
		n = (n + 1) % 4;
		snprintf(buf[n], sizeof(buf[n]), "0x%08x", command_id);
		return buf[n];
	}
}

const char *
smpp_pdu_status_name(uint32_t status)
{
	static char	 buf[4][16];
	static int	 n;

	switch (status) {
	case SMPP_ESME_ROK:		return "ESME_ROK";
	case SMPP_ESME_RINVMSGLEN:	return "ESME_RINVMSGLEN";
	case SMPP_ESME_RINVCMDLEN:	return "ESME_RINVCMDLEN";
	case SMPP_ESME_RINVCMDID:	return "ESME_RINVCMDID";
	case SMPP_ESME_RINVBNDSTS:	return "ESME_RINVBNDSTS";
	case SMPP_ESME_RALYBND:		return "ESME_RALYBND";
	case SMPP_ESME_RSYSERR:		return "ESME_RSYSERR";
	case 0x0000000Au:		return "ESME_RINVSRCADR";
	case 0x0000000Bu:		return "ESME_RINVDSTADR";
	case 0x0000000Cu:		return "ESME_RINVMSGID";
	case SMPP_ESME_RBINDFAIL:	return "ESME_RBINDFAIL";
	case SMPP_ESME_RINVPASWD:	return "ESME_RINVPASWD";
	case SMPP_ESME_RINVSYSID:	return "ESME_RINVSYSID";
	case SMPP_ESME_RMSGQFUL:	return "ESME_RMSGQFUL";
	case 0x00000045u:		return "ESME_RSUBMITFAIL";
	case SMPP_ESME_RTHROTTLED:	return "ESME_RTHROTTLED";
	case SMPP_ESME_RX_T_APPN:	return "ESME_RX_T_APPN";
	case 0x00000065u:		return "ESME_RX_P_APPN";
	case 0x00000066u:		return "ESME_RX_R_APPN";
	case SMPP_ESME_RINVOPTPARSTREAM: return "ESME_RINVOPTPARSTREAM";
	case 0x000000C1u:		return "ESME_ROPTPARNOTALLWD";
	case 0x000000C2u:		return "ESME_RINVPARLEN";
	case 0x000000C3u:		return "ESME_RMISSINGOPTPARAM";
	case 0x000000C4u:		return "ESME_RINVOPTPARAMVAL";
	case 0x000000FEu:		return "ESME_RDELIVERYFAILURE";
	case 0x000000FFu:		return "ESME_RUNKNOWNERR";
	default:
		n = (n + 1) % 4;
		snprintf(buf[n], sizeof(buf[n]), "0x%08x", status);
		return buf[n];
	}
}
