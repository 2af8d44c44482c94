/*
 * fuzz_smpp.c: a TCP byte stream from a hostile peer, framed and decoded.
 *
 * The input is what arrives on the socket.  It is framed twice, once as
 * one read and once as a trickle of reads whose size comes from the
 * first byte: both must cut the same PDUs, stop at the same hostile
 * length, and account for every byte.  Each PDU is copied into a buffer
 * of exactly its length plus the guard NUL (so ASan sees any read past
 * it) and given to every decoder whatever its command_id: they must
 * fail cleanly or return bounded, NUL terminated fields.  A message
 * that decodes is encoded again as deliver_sm and decoded to the same
 * fields; a bind that decodes survives encode and decode too.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "smpp_frame.h"
#include "smpp_pdu.h"
#include "fuzz.h"

#define FUZZ_PDUS_MAX	64

static void	fuzz_smpp_pdu(const uint8_t *, size_t);
static void	fuzz_smpp_msg(const uint8_t *, size_t);
static void	fuzz_smpp_bind(const uint8_t *, size_t);
static size_t	fuzz_smpp_frame(const uint8_t *, size_t, size_t, uint32_t,
		    uint32_t *, int *);

/* Whether the fields two decoded messages carry are the same. */
static int
fuzz_smpp_msg_same(const struct smpp_msg *a, const struct smpp_msg *b)
{
	return strcmp(a->service_type, b->service_type) == 0 &&
	    a->source_ton == b->source_ton && a->source_npi == b->source_npi &&
	    strcmp(a->source_addr, b->source_addr) == 0 &&
	    a->dest_ton == b->dest_ton && a->dest_npi == b->dest_npi &&
	    strcmp(a->dest_addr, b->dest_addr) == 0 &&
	    a->esm_class == b->esm_class && a->data_coding == b->data_coding &&
	    a->registered_delivery == b->registered_delivery &&
	    a->sm_len == b->sm_len && memcmp(a->sm, b->sm, a->sm_len) == 0 &&
	    a->has_receipted_message_id == b->has_receipted_message_id &&
	    strcmp(a->receipted_message_id, b->receipted_message_id) == 0 &&
	    a->has_message_state == b->has_message_state &&
	    a->message_state == b->message_state &&
	    a->has_network_error_code == b->has_network_error_code &&
	    memcmp(a->network_error_code, b->network_error_code, 3) == 0 &&
	    a->has_user_message_reference == b->has_user_message_reference &&
	    a->user_message_reference == b->user_message_reference &&
	    a->has_sar == b->has_sar && (!a->has_sar ||
	    (a->sar_msg_ref_num == b->sar_msg_ref_num &&
	    a->sar_total_segments == b->sar_total_segments &&
	    a->sar_segment_seqnum == b->sar_segment_seqnum)) &&
	    a->has_ussd_service_op == b->has_ussd_service_op &&
	    a->ussd_service_op == b->ussd_service_op &&
	    a->has_its_session_info == b->has_its_session_info &&
	    a->its_session_info == b->its_session_info;
}

static void
fuzz_smpp_msg(const uint8_t *pdu, size_t len)
{
	static struct smpp_msg	 m, again;
	static uint8_t		 enc[SMPP_PDU_MAX_DEFAULT + 1];
	struct smpp_header	 h;
	char			 err[128];
	int			 rc, n;

	rc = smpp_pdu_decode_msg(pdu, len, &m, err, sizeof(err));
	fuzz_check(memchr(err, '\0', sizeof(err)) != NULL && err[0] != '\0');
	if (rc == -1) {
		fuzz_check(m.sm_len == 0 && m.source_addr[0] == '\0');
		fuzz_check(strcmp(err, "ok") != 0);
		return;
	}
	fuzz_check(rc == 0 && strcmp(err, "ok") == 0);
	smpp_pdu_header(pdu, &h);
	fuzz_check(h.command_id == SMPP_SUBMIT_SM ||
	    h.command_id == SMPP_DELIVER_SM || h.command_id == SMPP_DATA_SM);
	fuzz_check(m.sm_len <= SMPP_PAYLOAD_MAX && m.sm_len < len);
	fuzz_check(m.payload_from_tlv || m.sm_len <= SMPP_SM_MAX);
	fuzz_check(memchr(m.service_type, '\0', sizeof(m.service_type)));
	fuzz_check(memchr(m.source_addr, '\0', sizeof(m.source_addr)));
	fuzz_check(memchr(m.dest_addr, '\0', sizeof(m.dest_addr)));
	fuzz_check(memchr(m.receipted_message_id, '\0',
	    sizeof(m.receipted_message_id)));

	/* Written again as a deliver_sm, it reads back the same. */
	n = smpp_pdu_encode_msg(enc, sizeof(enc) - 1, SMPP_DELIVER_SM, 7, &m);
	if (n == -1) {
		/*
		 * Only what deliver_sm cannot carry: an id that fills its 65
		 * octets without NUL, or data_sm's longer destination_addr
		 * (21 characters where deliver_sm has room for 20).
		 */
		fuzz_check(strlen(m.receipted_message_id) == SMPP_MSGID_MAX ||
		    (h.command_id == SMPP_DATA_SM &&
		    strlen(m.dest_addr) == SMPP_ADDR_MAX));
		return;
	}
	fuzz_check(n >= SMPP_HEADER_LEN && (size_t)n < sizeof(enc));
	enc[n] = '\0';
	rc = smpp_pdu_decode_msg(enc, (size_t)n, &again, err, sizeof(err));
	fuzz_check(rc == 0);
	fuzz_check(fuzz_smpp_msg_same(&m, &again));
	smpp_pdu_header(enc, &h);
	fuzz_check(h.length == (uint32_t)n && h.seq == 7 &&
	    h.command_id == SMPP_DELIVER_SM);
}

static void
fuzz_smpp_bind(const uint8_t *pdu, size_t len)
{
	static uint8_t		 enc[SMPP_PDU_MAX_DEFAULT + 1];
	struct smpp_bind	 b, again;
	char			 err[128];
	int			 rc, n;

	rc = smpp_pdu_decode_bind(pdu, len, &b, err, sizeof(err));
	fuzz_check(memchr(err, '\0', sizeof(err)) != NULL);
	if (rc == -1) {
		fuzz_check(b.system_id[0] == '\0' && b.password[0] == '\0');
		return;
	}
	fuzz_check(rc == 0);
	fuzz_check(memchr(b.system_id, '\0', sizeof(b.system_id)));
	fuzz_check(memchr(b.password, '\0', sizeof(b.password)));
	fuzz_check(memchr(b.system_type, '\0', sizeof(b.system_type)));
	fuzz_check(memchr(b.address_range, '\0', sizeof(b.address_range)));
	b.interface_version = 0x34;
	n = smpp_pdu_encode_bind(enc, sizeof(enc) - 1,
	    SMPP_BIND_TRANSCEIVER, 3, &b);
	if (n == -1)
		return;		/* libsmpp34 has its own TON/NPI lists */
	fuzz_check(n >= SMPP_HEADER_LEN && (size_t)n < sizeof(enc));
	enc[n] = '\0';
	rc = smpp_pdu_decode_bind(enc, (size_t)n, &again, err, sizeof(err));
	fuzz_check(rc == 0);
	fuzz_check(strcmp(b.system_id, again.system_id) == 0 &&
	    strcmp(b.password, again.password) == 0 &&
	    strcmp(b.system_type, again.system_type) == 0 &&
	    strcmp(b.address_range, again.address_range) == 0);
}

/* One framed PDU, len bytes at pdu, already followed by its guard NUL. */
static void
fuzz_smpp_pdu(const uint8_t *pdu, size_t len)
{
	struct smpp_header	 h;
	char			 id[SMPP_MSGID_MAX + 1];
	size_t			 sz;

	smpp_pdu_header(pdu, &h);
	fuzz_check(h.length == len);
	fuzz_smpp_msg(pdu, len);
	fuzz_smpp_bind(pdu, len);
	for (sz = 1; sz <= sizeof(id); sz += 16) {
		fuzz_check(smpp_pdu_decode_resp_id(pdu, len, id, sz) == 0);
		fuzz_check(strlen(id) < sz);
	}
	fuzz_check(smpp_pdu_decode_resp_id(pdu, len, id, 0) == -1);
	fuzz_check(smpp_pdu_command_name(h.command_id)[0] != '\0');
	fuzz_check(smpp_pdu_status_name(h.status)[0] != '\0');
}

/*
 * Frame data (size bytes) fed in reads of chunk bytes; record each PDU
 * length in lens (at most FUZZ_PDUS_MAX) and decode each PDU when decode
 * is set.  Returns the bytes consumed; *hostile says how it ended.
 */
static size_t
fuzz_smpp_frame(const uint8_t *data, size_t size, size_t chunk,
    uint32_t max_len, uint32_t *lens, int *npdus)
{
	struct evbuffer	*in;
	uint8_t		*buf;
	size_t		 fed = 0, taken = 0, n;
	uint32_t	 len;
	int		 r, decode = lens == NULL, hostile = 0, k = 0;

	in = evbuffer_new();
	fuzz_check(in != NULL);
	while ((fed < size || evbuffer_get_length(in) > 0) && !hostile &&
	    k < FUZZ_PDUS_MAX) {
		n = size - fed < chunk ? size - fed : chunk;
		if (n > 0) {
			fuzz_check(evbuffer_add(in, data + fed, n) == 0);
			fed += n;
		}
		while (k < FUZZ_PDUS_MAX) {
			r = smpp_frame_peek(in, max_len, &len);
			if (r == SMPP_FRAME_HOSTILE) {
				fuzz_check(len < 16 || len > max_len);
				hostile = 1;
				break;
			}
			if (r == SMPP_FRAME_NEED_MORE) {
				fuzz_check(len == 0 ||
				    evbuffer_get_length(in) < len);
				break;
			}
			fuzz_check(r == SMPP_FRAME_READY && len >= 16 &&
			    len <= max_len);
			buf = malloc((size_t)len + 1);
			fuzz_check(buf != NULL);
			fuzz_check(smpp_frame_take(in, len, buf) == 0);
			fuzz_check(buf[len] == '\0');
			fuzz_check(memcmp(buf, data + taken, len) == 0);
			taken += len;
			if (decode)
				fuzz_smpp_pdu(buf, len);
			else
				lens[k] = len;
			k++;
			free(buf);
		}
		if (n == 0)
			break;		/* nothing more will come */
	}
	fuzz_check(taken + evbuffer_get_length(in) == fed);
	evbuffer_free(in);
	*npdus = k;
	return taken | (size_t)hostile << 62;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t	 lens[FUZZ_PDUS_MAX], max_len;
	size_t		 whole, trickle, chunk;
	int		 n1, n2;

	if (size < 1)
		return 0;
	chunk = 1 + data[0] % 17;
	max_len = data[0] & 0x80 ? 64 + data[0] : SMPP_PDU_MAX_DEFAULT;
	data++;
	size--;
	whole = fuzz_smpp_frame(data, size, size ? size : 1, max_len, NULL,
	    &n1);
	trickle = fuzz_smpp_frame(data, size, chunk, max_len, lens, &n2);
	fuzz_check(n1 == n2);
	fuzz_check(whole == trickle || n1 == FUZZ_PDUS_MAX);
	return 0;
}
