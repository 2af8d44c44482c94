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
 *    decoded by the bounds-checked walk of smpp_pdu_decode.c, which
 *    extracts every field itself; submit_sm, deliver_sm, their *_resp,
 *    bind_*_resp and the header-only PDUs are written by the plain
 *    big-endian writer of smpp_pdu_encode.c; the id of a response is
 *    read by hand.  Responses were already written
 *    by hand before: libsmpp34 refuses the vendor statuses and the empty
 *    error bodies that real SMSCs use.
 *  - libsmpp34 stays the oracle: tests/unit/test_smpp_pdu_oracle.c
 *    checks every encoder byte for byte against smpp34_pack(), and
 *    test_smpp_pdu_oracle_decode.c the decoder field for field against
 *    smpp34_unpack() on a generated corpus.
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
#include <stdio.h>
#include <string.h>

#include <smpp34.h>
#include <smpp34_structs.h>
#include <smpp34_params.h>

#include "smpp_pdu.h"
#include "smpp_pdu_internal.h"

static int	 ton_known(uint8_t);
static int	 npi_known(uint8_t);
static void	 scratch_sanitize_addr(uint8_t *, size_t);
static int	 scratch_prepare(const uint8_t *, size_t, uint8_t *);
static void	 copy_cstr(char *, size_t, const uint8_t *);

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
	smpp_pdu_put32(scratch, (uint32_t)mlen);
	smpp_pdu_put32(scratch + 8, 0);
	if (smpp_pdu_get32(scratch + 12) == 0)
		smpp_pdu_put32(scratch + 12, 1);
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
 * Decode a bind_transmitter/receiver/transceiver.  The three share one
 * layout; libsmpp34 parses it with its bind_transmitter frame.  Octets
 * after address_range (SMPP 3.4 binds have no TLVs) are ignored.
 */
int
smpp_pdu_decode_bind(const uint8_t *buf, size_t len, struct smpp_bind *out,
    char *err, size_t errsz)
{
	struct smpp_pdu_walk	 w;
	struct smpp_header	 h;
	bind_transmitter_t	 t;
	uint8_t			 scratch[MANDATORY_MAX + 1];
	size_t			 ton_off, mlen;
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
	if (h.command_id != SMPP_BIND_TRANSMITTER &&
	    h.command_id != SMPP_BIND_RECEIVER &&
	    h.command_id != SMPP_BIND_TRANSCEIVER) {
		smpp_pdu_set_err(err, errsz, "%s is not a bind",
		    smpp_pdu_command_name(h.command_id));
		return -1;
	}
	w.buf = buf;
	w.len = len;
	w.off = SMPP_HEADER_LEN;
	w.err = err;
	w.errsz = errsz;
	if (smpp_pdu_walk_cstr(&w, "system_id", WIRE_SYSID, NULL, 0) == -1 ||
	    smpp_pdu_walk_cstr(&w, "password", WIRE_PASSWORD, NULL, 0) == -1 ||
	    smpp_pdu_walk_cstr(&w, "system_type", WIRE_SYSTYPE, NULL,
	    0) == -1 ||
	    smpp_pdu_walk_u8(&w, "interface_version",
	    &out->interface_version) == -1)
		return -1;
	ton_off = w.off;
	if (smpp_pdu_walk_u8(&w, "addr_ton", &out->addr_ton) == -1 ||
	    smpp_pdu_walk_u8(&w, "addr_npi", &out->addr_npi) == -1 ||
	    smpp_pdu_walk_cstr(&w, "address_range", WIRE_ADDR_RANGE, NULL,
	    0) == -1)
		return -1;
	mlen = w.off;

	if (scratch_prepare(buf, mlen, scratch) == -1) {
		smpp_pdu_set_err(err, errsz, "mandatory part too long");
		return -1;
	}
	/* We speak 3.4 only, but report what the peer said it speaks. */
	scratch[ton_off - 1] = SMPP_VERSION;
	scratch_sanitize_addr(scratch, ton_off);
	memset(&t, 0, sizeof(t));
	rc = smpp34_unpack(BIND_TRANSMITTER, &t, scratch, (int)mlen);
	if (rc != 0) {
		smpp_pdu_set_err(err, errsz, "libsmpp34: %.80s",
		    smpp34_strerror);
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
	if (!smpp_pdu_seq_valid(seq) ||
	    !smpp_pdu_cstr_fits(b->system_id, WIRE_SYSID) ||
	    !smpp_pdu_cstr_fits(b->password, WIRE_PASSWORD) ||
	    !smpp_pdu_cstr_fits(b->system_type, WIRE_SYSTYPE) ||
	    !smpp_pdu_cstr_fits(b->address_range, WIRE_ADDR_RANGE))
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
