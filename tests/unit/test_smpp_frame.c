/*
 * test_smpp_frame.c: framing a byte stream into PDUs, whole, trickled,
 * batched and hostile.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <event2/buffer.h>

#include "smpp_frame.h"

#define MAX_LEN	4096

/* Write a PDU of len bytes (len >= 16) whose body bytes are all fill. */
static void
make_pdu(uint8_t *out, uint32_t len, uint32_t seq, uint8_t fill)
{
	memset(out, fill, len);
	out[0] = len >> 24; out[1] = len >> 16; out[2] = len >> 8; out[3] = len;
	out[4] = 0; out[5] = 0; out[6] = 0; out[7] = 0x15;
	memset(out + 8, 0, 4);
	out[12] = seq >> 24; out[13] = seq >> 16; out[14] = seq >> 8;
	out[15] = seq;
}

static void
test_whole_pdu(void **state)
{
	struct evbuffer	*in = evbuffer_new();
	uint8_t		 pdu[16], buf[17];
	uint32_t	 len = 99;

	(void)state;
	make_pdu(pdu, 16, 7, 0);
	evbuffer_add(in, pdu, sizeof(pdu));
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len), SMPP_FRAME_READY);
	assert_int_equal(len, 16);
	memset(buf, 0xAA, sizeof(buf));
	assert_int_equal(smpp_frame_take(in, len, buf), 0);
	assert_memory_equal(buf, pdu, 16);
	assert_int_equal(buf[16], 0);
	assert_int_equal(evbuffer_get_length(in), 0);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len),
	    SMPP_FRAME_NEED_MORE);
	assert_int_equal(len, 0);
	evbuffer_free(in);
}

static void
test_partial_reads(void **state)
{
	struct evbuffer	*in = evbuffer_new();
	uint8_t		 pdu[100], buf[101];
	uint32_t	 len;

	(void)state;
	make_pdu(pdu, 100, 1, 0x5A);
	/* Three bytes: not even the length yet. */
	evbuffer_add(in, pdu, 3);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len),
	    SMPP_FRAME_NEED_MORE);
	assert_int_equal(len, 0);
	/* The length and part of the body: length known, PDU not ready. */
	evbuffer_add(in, pdu + 3, 40);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len),
	    SMPP_FRAME_NEED_MORE);
	assert_int_equal(len, 100);
	assert_int_equal(smpp_frame_take(in, 100, buf), -1);
	assert_int_equal(evbuffer_get_length(in), 43);	/* untouched */
	evbuffer_add(in, pdu + 43, 57);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len), SMPP_FRAME_READY);
	assert_int_equal(smpp_frame_take(in, len, buf), 0);
	assert_memory_equal(buf, pdu, 100);
	assert_int_equal(buf[100], 0);
	evbuffer_free(in);
}

static void
test_one_byte_trickle(void **state)
{
	struct evbuffer	*in = evbuffer_new();
	uint8_t		 pdu[57], buf[58];
	uint32_t	 len, i;

	(void)state;
	make_pdu(pdu, sizeof(pdu), 3, 0x33);
	for (i = 0; i < sizeof(pdu) - 1; i++) {
		evbuffer_add(in, pdu + i, 1);
		assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len),
		    SMPP_FRAME_NEED_MORE);
		assert_int_equal(len, i >= 3 ? sizeof(pdu) : 0);
	}
	evbuffer_add(in, pdu + i, 1);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len), SMPP_FRAME_READY);
	assert_int_equal(smpp_frame_take(in, len, buf), 0);
	assert_memory_equal(buf, pdu, sizeof(pdu));
	evbuffer_free(in);
}

static void
test_several_pdus_in_one_buffer(void **state)
{
	struct evbuffer	*in = evbuffer_new();
	uint8_t		 stream[16 + 30 + 20 + 10], fourth[16], buf[64];
	uint32_t	 len, seq;
	int		 n = 0;

	(void)state;
	make_pdu(stream, 16, 1, 0);
	make_pdu(stream + 16, 30, 2, 0x11);
	make_pdu(stream + 46, 20, 3, 0x22);
	make_pdu(fourth, 16, 4, 0);
	memcpy(stream + 66, fourth, 10);	/* only 10 bytes of it */
	evbuffer_add(in, stream, sizeof(stream));
	while (smpp_frame_peek(in, MAX_LEN, &len) == SMPP_FRAME_READY) {
		assert_int_equal(smpp_frame_take(in, len, buf), 0);
		seq = (uint32_t)buf[12] << 24 | (uint32_t)buf[13] << 16 |
		    (uint32_t)buf[14] << 8 | buf[15];
		assert_int_equal(seq, ++n);
		assert_int_equal(buf[len], 0);
	}
	assert_int_equal(n, 3);
	assert_int_equal(len, 16);
	assert_int_equal(evbuffer_get_length(in), 10);
	evbuffer_free(in);
}

/* Only the 4 length bytes are needed to judge a length hostile. */
static int
peek_length(uint32_t wire_len, uint32_t *len)
{
	struct evbuffer	*in = evbuffer_new();
	uint8_t		 b[4];
	int		 rc;

	b[0] = wire_len >> 24; b[1] = wire_len >> 16; b[2] = wire_len >> 8;
	b[3] = wire_len;
	evbuffer_add(in, b, sizeof(b));
	rc = smpp_frame_peek(in, MAX_LEN, len);
	assert_int_equal(evbuffer_get_length(in), 4);	/* nothing consumed */
	evbuffer_free(in);
	return rc;
}

static void
test_hostile_lengths(void **state)
{
	uint32_t	 len;

	(void)state;
	assert_int_equal(peek_length(0, &len), SMPP_FRAME_HOSTILE);
	assert_int_equal(peek_length(4, &len), SMPP_FRAME_HOSTILE);
	assert_int_equal(peek_length(15, &len), SMPP_FRAME_HOSTILE);
	assert_int_equal(peek_length(MAX_LEN + 1, &len), SMPP_FRAME_HOSTILE);
	assert_int_equal(peek_length(0x7FFFFFFF, &len), SMPP_FRAME_HOSTILE);
	assert_int_equal(peek_length(0xFFFFFFFF, &len), SMPP_FRAME_HOSTILE);
	assert_int_equal(len, 0xFFFFFFFFu);
	/* The boundaries themselves are fine (and then want the body). */
	assert_int_equal(peek_length(16, &len), SMPP_FRAME_NEED_MORE);
	assert_int_equal(len, 16);
	assert_int_equal(peek_length(MAX_LEN, &len), SMPP_FRAME_NEED_MORE);
	assert_int_equal(len, MAX_LEN);
}

static void
test_exact_max(void **state)
{
	struct evbuffer	*in = evbuffer_new();
	static uint8_t	 pdu[MAX_LEN], buf[MAX_LEN + 1];
	uint32_t	 len;

	(void)state;
	make_pdu(pdu, MAX_LEN, 9, 0x7E);
	evbuffer_add(in, pdu, MAX_LEN - 1);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len),
	    SMPP_FRAME_NEED_MORE);
	evbuffer_add(in, pdu + MAX_LEN - 1, 1);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len), SMPP_FRAME_READY);
	assert_int_equal(len, MAX_LEN);
	assert_int_equal(smpp_frame_take(in, len, buf), 0);
	assert_memory_equal(buf, pdu, MAX_LEN);
	assert_int_equal(buf[MAX_LEN], 0);
	/* The same PDU is hostile to a smaller maximum. */
	evbuffer_add(in, pdu, MAX_LEN);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN - 1, &len),
	    SMPP_FRAME_HOSTILE);
	evbuffer_free(in);
}

/* A hostile PDU after a good one: the good one is still delivered. */
static void
test_good_then_hostile(void **state)
{
	struct evbuffer	*in = evbuffer_new();
	uint8_t		 pdu[16], bad[4] = { 0xFF, 0xFF, 0xFF, 0xFF }, buf[17];
	uint32_t	 len;

	(void)state;
	make_pdu(pdu, 16, 1, 0);
	evbuffer_add(in, pdu, sizeof(pdu));
	evbuffer_add(in, bad, sizeof(bad));
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len), SMPP_FRAME_READY);
	assert_int_equal(smpp_frame_take(in, len, buf), 0);
	assert_int_equal(smpp_frame_peek(in, MAX_LEN, &len),
	    SMPP_FRAME_HOSTILE);
	evbuffer_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_pdu),
		cmocka_unit_test(test_partial_reads),
		cmocka_unit_test(test_one_byte_trickle),
		cmocka_unit_test(test_several_pdus_in_one_buffer),
		cmocka_unit_test(test_hostile_lengths),
		cmocka_unit_test(test_exact_max),
		cmocka_unit_test(test_good_then_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
