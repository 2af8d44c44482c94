/*
 * smpp_pdu_fixture.c: the helpers of the PDU tests (smpp_pdu_fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "smpp_pdu.h"
#include "smpp_pdu_fixture.h"

void
pdu_u8(struct pdu *p, uint8_t v)
{
	assert_true(p->len < SMPP_PDU_MAX_DEFAULT);
	p->b[p->len++] = v;
}

void
pdu_u16(struct pdu *p, uint16_t v)
{
	pdu_u8(p, v >> 8);
	pdu_u8(p, v & 0xFF);
}

void
pdu_u32(struct pdu *p, uint32_t v)
{
	pdu_u16(p, v >> 16);
	pdu_u16(p, v & 0xFFFF);
}

void
pdu_bytes(struct pdu *p, const void *v, size_t n)
{
	assert_true(p->len + n <= SMPP_PDU_MAX_DEFAULT);
	memcpy(p->b + p->len, v, n);
	p->len += n;
}

void
pdu_cstr(struct pdu *p, const char *s)
{
	pdu_bytes(p, s, strlen(s) + 1);
}

void
pdu_start(struct pdu *p, uint32_t command_id, uint32_t seq)
{
	memset(p, 0, sizeof(*p));
	pdu_u32(p, 0);
	pdu_u32(p, command_id);
	pdu_u32(p, 0);
	pdu_u32(p, seq);
}

/* Fix command_length and write the guard NUL, as smpp_frame_take does. */
void
pdu_finish(struct pdu *p)
{
	p->b[0] = p->len >> 24;
	p->b[1] = p->len >> 16;
	p->b[2] = p->len >> 8;
	p->b[3] = p->len;
	p->b[p->len] = '\0';
}

/* deliver_sm mandatory part from the phone to 1717, short_message text. */
void
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

void
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

void
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

static uint64_t	 rng_state;
int		 rng_iter;

void
rng_seed(uint64_t seed)
{
	rng_state = seed;
}

/* 0 .. n - 1 (n > 0). */
uint32_t
rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

/* A C-string of 0..maxlen octets 1..255: any non-NUL octet is legal. */
void
rng_cstr(char *dst, size_t maxlen)
{
	size_t	 i, n;

	n = rng((uint32_t)maxlen + 1);
	for (i = 0; i < n; i++)
		dst[i] = (char)(1 + rng(255));
	dst[n] = '\0';
}

/* The TON and NPI values libsmpp34 packs and unpacks. */
uint8_t
rng_ton(void)
{
	return (uint8_t)rng(7);
}

uint8_t
rng_npi(void)
{
	static const uint8_t	 npi[] = {
	    0, 1, 3, 4, 6, 8, 9, 10, 14, 18 };

	return npi[rng(sizeof(npi))];
}

uint32_t
rng_seq(void)
{
	return 1 + rng(0x7FFFFFFFu);
}
