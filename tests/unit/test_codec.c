/*
 * test_codec.c: the GSM 03.38 tables both ways, UCS-2 with surrogates,
 * IA5 and Latin-1, and strict bounds on every output buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "codec.h"

/* Decode into a buffer of exactly outsz bytes on the heap. */
static int
decode(int dc, const void *in, size_t len, char *out, size_t outsz)
{
	char	*buf;
	int	 n;

	buf = malloc(outsz > 0 ? outsz : 1);
	assert_non_null(buf);
	n = codec_to_utf8(dc, in, len, outsz > 0 ? buf : NULL, outsz);
	if (n >= 0)
		memcpy(out, buf, (size_t)n + 1);
	free(buf);
	return n;
}

/* Every septet of the basic table decodes and encodes back to itself. */
static void
test_gsm_basic_round_trip(void **state)
{
	uint8_t	in[1], back[4];
	char	utf8[8];
	int	i, n;

	(void)state;
	for (i = 0; i < 128; i++) {
		if (i == 0x1b)
			continue;	/* ESC */
		in[0] = (uint8_t)i;
		n = codec_to_utf8(CODEC_DC_DEFAULT, in, 1, utf8, sizeof(utf8));
		assert_true(n > 0);
		assert_int_equal(codec_gsm7_length(utf8), 1);
		assert_int_equal(codec_gsm7_encode(utf8, back, sizeof(back)),
		    1);
		if (back[0] != i)
			fail_msg("septet 0x%02x -> \"%s\" -> 0x%02x", i, utf8,
			    back[0]);
	}
}

static void
test_gsm_decode(void **state)
{
	static const uint8_t hello[] = { 'H', 'a', 'l', 'o', 0x00, 0x01,
	    0x02, 0x04, 0x11, 0x10, 0x5f, 0x60, 0x7f };
	static const uint8_t ext[] = { 0x1b, 0x14, 0x1b, 0x28, 0x1b, 0x29,
	    0x1b, 0x2f, 0x1b, 0x3c, 0x1b, 0x3d, 0x1b, 0x3e, 0x1b, 0x40,
	    0x1b, 0x65, 0x1b, 0x0a };
	char	out[128];

	(void)state;
	assert_int_equal(decode(CODEC_DC_DEFAULT, hello, sizeof(hello), out,
	    sizeof(out)), 19);
	assert_string_equal(out, "Halo@\xc2\xa3$\xc3\xa8_\xce\x94\xc2\xa7"
	    "\xc2\xbf\xc3\xa0");
	assert_int_equal(decode(CODEC_DC_DEFAULT, ext, sizeof(ext), out,
	    sizeof(out)), 12);
	assert_string_equal(out, "^{}\\[~]|\xe2\x82\xac\f");
	/* ESC + unknown: the basic character; ESC ESC and a final ESC. */
	assert_int_equal(decode(CODEC_DC_DEFAULT, "\x1b" "A", 2, out,
	    sizeof(out)), 1);
	assert_string_equal(out, "A");
	assert_int_equal(decode(CODEC_DC_DEFAULT, "\x1b\x1b" "A", 3, out,
	    sizeof(out)), 2);
	assert_string_equal(out, " A");
	assert_int_equal(decode(CODEC_DC_DEFAULT, "A\x1b", 2, out,
	    sizeof(out)), 2);
	assert_string_equal(out, "A ");
	/* Octets above 0x7F are no septets. */
	assert_int_equal(decode(CODEC_DC_DEFAULT, "\x80\xff", 2, out,
	    sizeof(out)), 6);
	assert_string_equal(out, "\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(decode(CODEC_DC_DEFAULT, "", 0, out, 1), 0);
	assert_string_equal(out, "");
}

static void
test_gsm_encode(void **state)
{
	uint8_t	out[200];
	char	text[200];

	(void)state;
	assert_int_equal(codec_gsm7_encode("GRAD 12345", out, sizeof(out)),
	    10);
	assert_memory_equal(out, "GRAD 12345", 10);
	assert_int_equal(codec_gsm7_encode("@\xc2\xa3$", out, sizeof(out)), 3);
	assert_memory_equal(out, "\x00\x01\x02", 3);
	assert_int_equal(codec_gsm7_encode("a{b}\xe2\x82\xac", out,
	    sizeof(out)), 8);
	assert_memory_equal(out, "a\x1b\x28" "b\x1b\x29\x1b\x65", 8);
	assert_int_equal(codec_gsm7_encode("\f", out, sizeof(out)), 2);
	assert_memory_equal(out, "\x1b\x0a", 2);
	assert_int_equal(codec_gsm7_encode("\n", out, sizeof(out)), 1);
	assert_int_equal(out[0], 0x0a);
	assert_int_equal(codec_gsm7_encode("", out, sizeof(out)), 0);

	/* Not in the alphabet: the text must go as UCS-2. */
	assert_int_equal(codec_gsm7_encode("caf\xc3\xa7", out, sizeof(out)),
	    -1);		/* small c cedilla: only the capital is GSM */
	assert_int_equal(codec_gsm7_encode("\xf0\x9f\x98\x80", out,
	    sizeof(out)), -1);
	assert_int_equal(codec_gsm7_encode("`", out, sizeof(out)), -1);
	assert_int_equal(codec_gsm7_encode("\xc2\xa0", out, sizeof(out)), -1);

	/* A reply near the one-segment limit. */
	memset(text, 'a', 160);
	text[160] = '\0';
	memcpy(text + 150, "\xe2\x82\xac", 3);	/* 2 septets, 3 bytes */
	text[159] = '\0';
	assert_int_equal(codec_gsm7_length(text), 158);
	assert_int_equal(codec_gsm7_encode(text, out, 158), 158);
	assert_int_equal(codec_gsm7_encode(text, out, 157), -1);
	assert_memory_equal(out + 150, "\x1b\x65" "aaaaaa", 8);
}

/* Every size up to the needed one fails without writing past it. */
static void
test_gsm_encode_bounds(void **state)
{
	uint8_t	*out;
	size_t	 sz;

	(void)state;
	for (sz = 0; sz <= 5; sz++) {
		out = malloc(sz > 0 ? sz : 1);
		assert_non_null(out);
		assert_int_equal(codec_gsm7_encode("ab[c", sz > 0 ? out : NULL,
		    sz), sz < 5 ? -1 : 5);
		free(out);
	}
}

static void
test_gsm_length(void **state)
{
	(void)state;
	assert_int_equal(codec_gsm7_length(""), 0);
	assert_int_equal(codec_gsm7_length("OK. Graduasi SM KPM 12345 "
	    "tercatat (Ref G4M8). Capaian 2026: 4/10. Salah? BATAL G4M8"), 84);
	assert_int_equal(codec_gsm7_length("[x]"), 5);
	assert_int_equal(codec_gsm7_length("\xe2\x82\xac" "5"), 3);
	assert_int_equal(codec_gsm7_length("\xc3\x84\xc3\x96\xc3\x9c"), 3);
	assert_int_equal(codec_gsm7_length("\xce\xa9"), 1);	/* Omega */
	assert_int_equal(codec_gsm7_length("\xce\xb1"), -1);	/* alpha */
	assert_int_equal(codec_gsm7_length("\xe2\x80\x9cquote"), -1);
	assert_int_equal(codec_gsm7_length(NULL), -1);
}

/* Invalid UTF-8 in, -1 out, from every encoder. */
static void
test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\xff", "a\x80", "\xc3", "\xc3(", "\xc0\xaf", "\xe0\x80\xaf",
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80",
		"\xf8\x88\x80\x80\x80", "\xe2\x82", "ok\xf0\x9f\x98",
	};
	uint8_t	out[64];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (codec_gsm7_length(bad[i]) != -1 ||
		    codec_gsm7_encode(bad[i], out, sizeof(out)) != -1 ||
		    codec_ucs2_encode(bad[i], out, sizeof(out)) != -1)
			fail_msg("invalid UTF-8 #%zu accepted", i);
	}
}

static void
test_ucs2_decode(void **state)
{
	char	out[64];

	(void)state;
	assert_int_equal(decode(CODEC_DC_UCS2, "\x00G\x00R\x00" "A\x00" "D",
	    8, out, sizeof(out)), 4);
	assert_string_equal(out, "GRAD");
	/* A surrogate pair: U+1F600. */
	assert_int_equal(decode(CODEC_DC_UCS2, "\xd8\x3d\xde\x00", 4, out,
	    sizeof(out)), 4);
	assert_string_equal(out, "\xf0\x9f\x98\x80");
	/* High surrogate then a letter; a lone low one; one at the end. */
	assert_int_equal(decode(CODEC_DC_UCS2, "\xd8\x3d\x00" "a", 4, out,
	    sizeof(out)), 4);
	assert_string_equal(out, "\xef\xbf\xbd" "a");
	assert_int_equal(decode(CODEC_DC_UCS2, "\xde\x00\x00" "a", 4, out,
	    sizeof(out)), 4);
	assert_string_equal(out, "\xef\xbf\xbd" "a");
	assert_int_equal(decode(CODEC_DC_UCS2, "\x00" "a\xd8\x3d", 4, out,
	    sizeof(out)), 4);
	assert_string_equal(out, "a\xef\xbf\xbd");
	/* An odd final octet, a NUL, the euro sign, a zero-width space. */
	assert_int_equal(decode(CODEC_DC_UCS2, "\x00" "a\x00", 3, out,
	    sizeof(out)), 4);
	assert_string_equal(out, "a\xef\xbf\xbd");
	assert_int_equal(decode(CODEC_DC_UCS2, "\x00\x00\x00" "b", 4, out,
	    sizeof(out)), 4);
	assert_string_equal(out, "\xef\xbf\xbd" "b");
	assert_int_equal(decode(CODEC_DC_UCS2, "\x20\xac\x20\x0b", 4, out,
	    sizeof(out)), 6);
	assert_string_equal(out, "\xe2\x82\xac\xe2\x80\x8b");
}

static void
test_ucs2_encode(void **state)
{
	uint8_t	out[64];
	char	back[64];

	(void)state;
	assert_int_equal(codec_ucs2_encode("GRAD", out, sizeof(out)), 8);
	assert_memory_equal(out, "\x00G\x00R\x00" "A\x00" "D", 8);
	assert_int_equal(codec_ucs2_encode("\xe2\x82\xac", out, sizeof(out)),
	    2);
	assert_memory_equal(out, "\x20\xac", 2);
	assert_int_equal(codec_ucs2_encode("\xf0\x9f\x98\x80", out,
	    sizeof(out)), 4);
	assert_memory_equal(out, "\xd8\x3d\xde\x00", 4);
	assert_int_equal(codec_ucs2_encode("\xf4\x8f\xbf\xbf", out,
	    sizeof(out)), 4);
	assert_memory_equal(out, "\xdb\xff\xdf\xff", 4);
	assert_int_equal(codec_ucs2_encode("", out, sizeof(out)), 0);
	/* Bounds: an astral character needs all four octets. */
	assert_int_equal(codec_ucs2_encode("a\xf0\x9f\x98\x80", out, 5), -1);
	assert_int_equal(codec_ucs2_encode("a\xf0\x9f\x98\x80", out, 6), 6);
	assert_int_equal(codec_ucs2_encode("ab", out, 3), -1);
	assert_int_equal(codec_ucs2_encode("a", NULL, 0), -1);
	/* Round trip. */
	assert_int_equal(codec_ucs2_encode("Ibu \xf0\x9f\x98\x8a sehat",
	    out, sizeof(out)), 24);
	assert_int_equal(decode(CODEC_DC_UCS2, out, 24, back, sizeof(back)),
	    14);
	assert_string_equal(back, "Ibu \xf0\x9f\x98\x8a sehat");
}

static void
test_ia5_latin1(void **state)
{
	char	out[64];

	(void)state;
	assert_int_equal(decode(CODEC_DC_IA5, "GRAD 1", 6, out, sizeof(out)),
	    6);
	assert_string_equal(out, "GRAD 1");
	assert_int_equal(decode(CODEC_DC_IA5, "a\xe9", 2, out, sizeof(out)),
	    4);
	assert_string_equal(out, "a\xef\xbf\xbd");
	assert_int_equal(decode(CODEC_DC_IA5, "a\0b", 3, out, sizeof(out)),
	    5);
	assert_string_equal(out, "a\xef\xbf\xbd" "b");
	assert_int_equal(decode(CODEC_DC_LATIN1, "caf\xe9 \xa3" "5", 7, out,
	    sizeof(out)), 9);
	assert_string_equal(out, "caf\xc3\xa9 \xc2\xa3" "5");
	assert_int_equal(decode(CODEC_DC_LATIN1, "\xff", 1, out,
	    sizeof(out)), 2);
	assert_string_equal(out, "\xc3\xbf");
}

/* Binary and unknown codings; GSM DCS values SMSCs pass through. */
static void
test_data_codings(void **state)
{
	char	out[16];

	(void)state;
	assert_int_equal(codec_to_utf8(CODEC_DC_BINARY, (const uint8_t *)"a",
	    1, out, sizeof(out)), -1);
	assert_int_equal(codec_to_utf8(CODEC_DC_BINARY2, (const uint8_t *)"a",
	    1, out, sizeof(out)), -1);
	assert_int_equal(codec_to_utf8(5, (const uint8_t *)"a", 1, out,
	    sizeof(out)), -1);
	assert_int_equal(codec_to_utf8(-1, (const uint8_t *)"a", 1, out,
	    sizeof(out)), -1);
	assert_int_equal(codec_to_utf8(0x100, (const uint8_t *)"a", 1, out,
	    sizeof(out)), -1);
	assert_int_equal(decode(0xf0, "\x00", 1, out, sizeof(out)), 1);
	assert_string_equal(out, "@");
	assert_int_equal(codec_to_utf8(0xf4, (const uint8_t *)"a", 1, out,
	    sizeof(out)), -1);
	assert_int_equal(decode(0x18, "\x00" "a", 2, out, sizeof(out)), 1);
	assert_string_equal(out, "a");
	assert_int_equal(decode(0x10, "\x00", 1, out, sizeof(out)), 1);
	assert_string_equal(out, "@");
	assert_int_equal(codec_to_utf8(0x04 | 0x10, (const uint8_t *)"a", 1,
	    out, sizeof(out)), -1);
	assert_int_equal(codec_to_utf8(CODEC_DC_DEFAULT, NULL, 1, out,
	    sizeof(out)), -1);
}

/* Output exactly as large as needed works; one byte less fails. */
static void
test_decode_bounds(void **state)
{
	char	out[64];
	size_t	sz;
	int	n;

	(void)state;
	for (sz = 0; sz <= 8; sz++) {
		/* "\xd8\x3d\xde\x00" "\x00" "a": 4 + 1 bytes + NUL = 6. */
		n = decode(CODEC_DC_UCS2, "\xd8\x3d\xde\x00\x00" "a", 6, out,
		    sz);
		assert_int_equal(n, sz < 6 ? -1 : 5);
		/* "\x1b\x65": the euro sign, 3 bytes + NUL = 4. */
		n = decode(CODEC_DC_DEFAULT, "\x1b\x65", 2, out, sz);
		assert_int_equal(n, sz < 4 ? -1 : 3);
	}
	/* The header's promise: 4 * len + 1 always suffices. */
	{
		uint8_t	in[16];
		size_t	i;

		for (i = 0; i < sizeof(in); i++)
			in[i] = (uint8_t)(0x80 + i);
		assert_true(decode(CODEC_DC_DEFAULT, in, sizeof(in), out,
		    4 * sizeof(in) + 1) > 0);
		assert_true(decode(CODEC_DC_LATIN1, in, sizeof(in), out,
		    4 * sizeof(in) + 1) > 0);
		assert_true(decode(CODEC_DC_IA5, in, sizeof(in), out,
		    4 * sizeof(in) + 1) > 0);
		assert_true(decode(CODEC_DC_UCS2, in, sizeof(in), out,
		    4 * sizeof(in) + 1) > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gsm_basic_round_trip),
		cmocka_unit_test(test_gsm_decode),
		cmocka_unit_test(test_gsm_encode),
		cmocka_unit_test(test_gsm_encode_bounds),
		cmocka_unit_test(test_gsm_length),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_ucs2_decode),
		cmocka_unit_test(test_ucs2_encode),
		cmocka_unit_test(test_ia5_latin1),
		cmocka_unit_test(test_data_codings),
		cmocka_unit_test(test_decode_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
