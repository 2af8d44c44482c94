/*
 * test_segment.c: MT segmentation (alphabet, the one-segment limits,
 * cuts that never split a character, the part cap) and the round trip
 * segment -> UDH parse -> decode -> concat back to the same text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "concat.h"
#include "segment.h"

#define EURO	"\xe2\x82\xac"		/* GSM extension: 2 septets */
#define ZHE	"\xd0\xb6"		/* Cyrillic zhe: UCS-2, 1 unit */
#define SMILE	"\xf0\x9f\x98\x80"	/* U+1F600: a surrogate pair */
#define TEXT_MAX 8192

static struct segment	seg[SEGMENT_PARTS_MAX];

/* n copies of s followed by tail, in a static buffer. */
static const char *
rep(const char *s, size_t n, const char *tail)
{
	static char	buf[TEXT_MAX];
	size_t		i, o = 0, len = strlen(s);

	for (i = 0; i < n; i++, o += len) {
		assert_true(o + len < sizeof(buf));
		memcpy(buf + o, s, len);
	}
	assert_true(o + strlen(tail) < sizeof(buf));
	memcpy(buf + o, tail, strlen(tail) + 1);
	return buf;
}

static void
on_lost(const struct concat_incomplete *inc, void *arg)
{
	(void)arg;
	fail_msg("lost: %s", inc->text);
}

/*
 * Split text, check each part's shape, feed the parts to a reassembler
 * (last first) as the gateway would receive them, and compare.
 * Returns the number of parts.
 */
static int
round_trip(const char *text, int max_parts)
{
	static char		 out[TEXT_MAX], part[1024];
	struct segment_options	 opts = { max_parts };
	struct concat_part_info	 info;
	struct concat		*c;
	enum segment_encoding	 enc;
	enum concat_status	 rc;
	uint8_t			 last;
	int			 n, i, off, units;

	n = segment_split(text, 0x5c, &opts, seg, SEGMENT_PARTS_MAX);
	assert_true(n >= 1);
	assert_int_equal(segment_count(text, &enc), n);
	if (n == 1) {
		assert_int_equal(seg[0].esm_class, 0);
		assert_true(codec_to_utf8(seg[0].data_coding, seg[0].sm,
		    seg[0].sm_len, out, sizeof(out)) >= 0);
		assert_string_equal(out, text);
		return 1;
	}
	c = concat_new(1 << 20, 60, on_lost, NULL);
	assert_non_null(c);
	for (i = n - 1; i >= 0; i--) {
		assert_int_equal(seg[i].esm_class, SEGMENT_ESM_UDHI);
		assert_int_equal(seg[i].data_coding, enc == SEGMENT_GSM7 ?
		    SEGMENT_DC_GSM7 : SEGMENT_DC_UCS2);
		assert_memory_equal(seg[i].sm, "\x05\x00\x03\x5c", 4);
		assert_int_equal(seg[i].sm[4], n);
		assert_int_equal(seg[i].sm[5], i + 1);
		/* The payload: full but for at most one unit, no half char. */
		units = (int)(seg[i].sm_len - SEGMENT_UDH_LEN);
		last = seg[i].sm[seg[i].sm_len - 1];
		if (enc == SEGMENT_GSM7) {
			assert_true(units <= SEGMENT_GSM7_PART);
			if (i < n - 1)
				assert_true(units >= SEGMENT_GSM7_PART - 1);
			assert_int_not_equal(last, 0x1b);
		} else {
			assert_int_equal(units % 2, 0);
			units /= 2;
			assert_true(units <= SEGMENT_UCS2_PART);
			if (i < n - 1)
				assert_true(units >= SEGMENT_UCS2_PART - 1);
			assert_false(seg[i].sm[seg[i].sm_len - 2] >= 0xd8 &&
			    seg[i].sm[seg[i].sm_len - 2] <= 0xdb);
		}
		off = concat_udh_parse(seg[i].sm, seg[i].sm_len, &info);
		assert_int_equal(off, SEGMENT_UDH_LEN);
		assert_true(codec_ud_to_utf8(seg[i].data_coding, 0, seg[i].sm,
		    seg[i].sm_len, (size_t)off, part, sizeof(part)) >= 0);
		rc = concat_add(c, "628111", "1234", info.ref, info.total,
		    info.seq, part, 0, out, sizeof(out));
		assert_int_equal(rc, i > 0 ? CONCAT_PENDING : CONCAT_COMPLETE);
	}
	if (strcmp(out, text) != 0)
		fail_msg("round trip:\n%s\n%s", text, out);
	concat_free(c);
	return n;
}

static void
test_single(void **state)
{
	int	n;

	(void)state;
	n = segment_split("GRAD 12345", 1, NULL, seg, 1);
	assert_int_equal(n, 1);
	assert_int_equal(seg[0].data_coding, SEGMENT_DC_GSM7);
	assert_int_equal(seg[0].esm_class, 0);
	assert_int_equal(seg[0].sm_len, 10);
	assert_memory_equal(seg[0].sm, "GRAD 12345", 10);
	/* GSM with an extension character: ESC pairs, one octet each. */
	assert_int_equal(segment_split("[ok] " EURO, 1, NULL, seg, 1), 1);
	assert_int_equal(seg[0].sm_len, 9);
	assert_memory_equal(seg[0].sm, "\x1b\x3cok\x1b\x3e \x1b\x65", 9);
	/* One character outside GSM makes it all UCS-2. */
	assert_int_equal(segment_split("ok \xe2\x80\x9c" "a", 1, NULL, seg,
	    1), 1);
	assert_int_equal(seg[0].data_coding, SEGMENT_DC_UCS2);
	assert_int_equal(seg[0].sm_len, 10);
	assert_memory_equal(seg[0].sm, "\x00o\x00k\x00 \x20\x1c\x00" "a",
	    10);
	/* The empty text: one empty GSM segment. */
	assert_int_equal(segment_split("", 1, NULL, seg, 1), 1);
	assert_int_equal(seg[0].sm_len, 0);
	assert_int_equal(seg[0].data_coding, SEGMENT_DC_GSM7);
}

/* Exactly 160 / 161 septets and 70 / 71 units, with two-unit chars. */
static void
test_limits(void **state)
{
	enum segment_encoding	enc;

	(void)state;
	assert_int_equal(segment_count(rep("a", 160, ""), &enc), 1);
	assert_int_equal(enc, SEGMENT_GSM7);
	assert_int_equal(segment_split(rep("a", 160, ""), 0, NULL, seg, 6),
	    1);
	assert_int_equal(seg[0].sm_len, 160);
	assert_int_equal(segment_split(rep("a", 161, ""), 0, NULL, seg, 6),
	    2);
	assert_int_equal(seg[0].sm_len, 6 + 153);
	assert_int_equal(seg[1].sm_len, 6 + 8);
	assert_int_equal(segment_count(rep("a", 158, EURO), NULL), 1);
	assert_int_equal(segment_count(rep("a", 159, EURO), NULL), 2);
	assert_int_equal(segment_count(rep(EURO, 80, ""), NULL), 1);
	assert_int_equal(segment_count(rep(EURO, 80, "a"), NULL), 2);
	assert_int_equal(segment_count(rep("a", 306, ""), NULL), 2);
	assert_int_equal(segment_count(rep("a", 307, ""), NULL), 3);

	assert_int_equal(segment_count(rep(ZHE, 70, ""), &enc), 1);
	assert_int_equal(enc, SEGMENT_UCS2);
	assert_int_equal(segment_split(rep(ZHE, 70, ""), 0, NULL, seg, 6),
	    1);
	assert_int_equal(seg[0].sm_len, 140);
	assert_int_equal(segment_split(rep(ZHE, 71, ""), 0, NULL, seg, 6),
	    2);
	assert_int_equal(seg[0].sm_len, 6 + 134);
	assert_int_equal(seg[1].sm_len, 6 + 8);
	assert_int_equal(segment_count(rep(ZHE, 68, SMILE), NULL), 1);
	assert_int_equal(segment_count(rep(ZHE, 69, SMILE), NULL), 2);
	assert_int_equal(segment_count(rep(SMILE, 35, ""), NULL), 1);
	assert_int_equal(segment_count(rep(SMILE, 36, ""), NULL), 2);
	/* 67 is odd: 33 pairs a part, so 2 * 33 + 1 pairs need 3. */
	assert_int_equal(segment_count(rep(SMILE, 66, ""), NULL), 2);
	assert_int_equal(segment_count(rep(SMILE, 67, ""), NULL), 3);
	/* A GSM-only text with an accented capital stays GSM. */
	assert_int_equal(segment_count("\xc3\x89" "t\xc3\xa9", &enc), 1);
	assert_int_equal(enc, SEGMENT_GSM7);
}

/* An ESC pair or a surrogate pair at the cut moves whole. */
static void
test_no_split(void **state)
{
	(void)state;
	assert_int_equal(segment_split(rep("a", 152, EURO "bbbbbbbbbb"), 0,
	    NULL, seg, 6), 2);
	assert_int_equal(seg[0].sm_len, 6 + 152);
	assert_int_equal(seg[0].sm[seg[0].sm_len - 1], 'a');
	assert_memory_equal(seg[1].sm + 6, "\x1b\x65" "b", 3);

	assert_int_equal(segment_split(rep(ZHE, 66, SMILE ZHE ZHE ZHE ZHE
	    ZHE), 0, NULL, seg, 6), 2);
	assert_int_equal(seg[0].sm_len, 6 + 132);
	assert_memory_equal(seg[1].sm + 6, "\xd8\x3d\xde\x00\x04\x36", 6);
}

static void
test_max_parts(void **state)
{
	struct segment_options	opts;

	(void)state;
	assert_int_equal(segment_split(rep("a", 6 * 153, ""), 1, NULL, seg,
	    SEGMENT_PARTS_MAX), 6);
	assert_int_equal(segment_split(rep("a", 6 * 153 + 1, ""), 1, NULL,
	    seg, SEGMENT_PARTS_MAX), SEGMENT_ETOOLONG);
	opts.max_parts = 7;
	assert_int_equal(segment_split(rep("a", 6 * 153 + 1, ""), 1, &opts,
	    seg, SEGMENT_PARTS_MAX), 7);
	opts.max_parts = 0;
	assert_int_equal(segment_split(rep("a", 6 * 153 + 1, ""), 1, &opts,
	    seg, SEGMENT_PARTS_MAX), SEGMENT_ETOOLONG);
	opts.max_parts = 1;
	assert_int_equal(segment_split(rep("a", 161, ""), 1, &opts, seg,
	    SEGMENT_PARTS_MAX), SEGMENT_ETOOLONG);
	assert_int_equal(segment_split(rep("a", 160, ""), 1, &opts, seg,
	    SEGMENT_PARTS_MAX), 1);
	opts.max_parts = 255;
	assert_int_equal(segment_split(rep("a", 8000, ""), 1, &opts, seg,
	    SEGMENT_PARTS_MAX), 53);
	assert_int_equal(segment_count(rep("a", 8000, ""), NULL), 53);
	opts.max_parts = 256;
	assert_int_equal(segment_split("a", 1, &opts, seg, 1),
	    SEGMENT_EINVAL);
	opts.max_parts = -1;
	assert_int_equal(segment_split("a", 1, &opts, seg, 1),
	    SEGMENT_EINVAL);
	/* The caller's array is too short: nothing written past it. */
	assert_int_equal(segment_split(rep("a", 161, ""), 1, NULL, seg, 1),
	    SEGMENT_ESPACE);
	assert_int_equal(segment_split("a", 1, NULL, seg, 0), SEGMENT_ESPACE);
	assert_int_equal(segment_split("a", 1, NULL, NULL, 0),
	    SEGMENT_EINVAL);
}

static void
test_invalid(void **state)
{
	static const char *const bad[] = { "\xff", "a\x80", "\xc3",
	    "\xed\xa0\x80", "ok\xf0\x9f\x98" };
	size_t	i;

	(void)state;
	assert_int_equal(segment_split(NULL, 1, NULL, seg, 6), SEGMENT_EINVAL);
	assert_int_equal(segment_count(NULL, NULL), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(segment_split(bad[i], 1, NULL, seg, 6),
		    SEGMENT_EINVAL);
		assert_int_equal(segment_count(bad[i], NULL), -1);
	}
	assert_int_equal(codec_ucs2_length(""), 0);
	assert_int_equal(codec_ucs2_length("a" EURO SMILE), 8);
	assert_int_equal(codec_ucs2_length(NULL), -1);
	assert_int_equal(codec_ucs2_length("a\xc3"), -1);
}

/* An escape at every position across the first two cuts. */
static void
test_round_trip_gsm(void **state)
{
	char	text[TEXT_MAX];
	size_t	pos;

	(void)state;
	for (pos = 0; pos < 2 * 153 + 10; pos++) {
		snprintf(text, sizeof(text), "%s", rep("a", pos, EURO
		    "zz\xc3\xa9}"));
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		    "%s", rep("b", 320 - pos, "\n" EURO));
		round_trip(text, 6);
	}
	/* Only escapes: 76 pairs a part. */
	assert_int_equal(round_trip(rep(EURO, 200, ""), 6), 3);
	assert_int_equal(segment_split(rep("^", 200, ""), 0, NULL, seg, 6),
	    3);
	assert_int_equal(seg[0].sm_len, 6 + 152);
	/* Around one segment. */
	assert_int_equal(round_trip(rep("a", 160, ""), 6), 1);
	assert_int_equal(round_trip(rep("a", 161, ""), 6), 2);
	assert_int_equal(round_trip(rep("a", 159, "|"), 6), 2);
	assert_int_equal(round_trip(rep("a", 158, "|"), 6), 1);
	/* Every GSM character, basic and extension, across cuts. */
	assert_int_equal(round_trip(rep("@\xc2\xa3$\xc2\xa5\xc3\xa8\xc3\xa9"
	    "\xc3\xb9\xc3\xac\xc3\xb2\xc3\x87\n\xc3\x98\xc3\xb8\r\xc3\x85"
	    "\xc3\xa5\xce\x94_\xce\xa6\xce\x93\xce\x9b\xce\xa9\xce\xa0\xce\xa8"
	    "\xce\xa3\xce\x98\xce\x9e\xc3\x86\xc3\xa6\xc3\x9f\xc3\x89 !\"#"
	    "\xc2\xa4%&'()*+,-./0123456789:;<=>?\xc2\xa1"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ\xc3\x84\xc3\x96\xc3\x91\xc3\x9c"
	    "\xc2\xa7\xc2\xbf" "abcdefghijklmnopqrstuvwxyz\xc3\xa4\xc3\xb6"
	    "\xc3\xb1\xc3\xbc\xc3\xa0\f^{}\\[~]|" EURO, 3, ""), 10), 3);
}

/* A surrogate pair at every position across the first two cuts. */
static void
test_round_trip_ucs2(void **state)
{
	char	text[TEXT_MAX];
	size_t	pos;

	(void)state;
	for (pos = 0; pos < 2 * 67 + 6; pos++) {
		snprintf(text, sizeof(text), "%s", rep(ZHE, pos, SMILE "a"));
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		    "%s", rep("b", 140 - pos, SMILE EURO));
		round_trip(text, 6);
	}
	assert_int_equal(round_trip(rep(SMILE, 100, ""), 6), 4);
	assert_int_equal(round_trip(rep(ZHE, 70, ""), 6), 1);
	assert_int_equal(round_trip(rep(ZHE, 71, ""), 6), 2);
	assert_int_equal(round_trip(rep(ZHE, 68, SMILE), 6), 1);
	assert_int_equal(round_trip(rep(ZHE, 69, SMILE), 6), 2);
	assert_int_equal(round_trip(rep("Ibu sehat \xf0\x9f\x98\x8a ", 40,
	    ""), 20), 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_no_split),
		cmocka_unit_test(test_max_parts),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_round_trip_gsm),
		cmocka_unit_test(test_round_trip_ucs2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
