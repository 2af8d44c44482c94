/*
 * test_concat.c: MO reassembly (order, duplicates, references, expiry,
 * the memory bound), the user data header parser on every malformed
 * shape, and the text after a header, unpacked and packed.
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

#define LOST_MAX	16
#define OUT_SZ		4096
#define GAP		CONCAT_GAP

/* What the callback was given, copied. */
struct lost {
	char			sender[32];
	char			text[OUT_SZ];
	uint16_t		ref;
	uint8_t			total;
	uint8_t			received;
	int64_t			first_seen;
	enum concat_reason	reason;
};

struct fixture {
	struct concat	*c;
	struct lost	 lost[LOST_MAX];
	int		 n_lost;
	int		 reenter;	/* call concat_add from the callback */
	int		 reenter_rc;
	char		 out[OUT_SZ];
};

static void
on_lost(const struct concat_incomplete *inc, void *arg)
{
	struct fixture	*f = arg;
	struct lost	*l;

	assert_true(f->n_lost < LOST_MAX);
	l = &f->lost[f->n_lost++];
	snprintf(l->sender, sizeof(l->sender), "%s", inc->sender);
	snprintf(l->text, sizeof(l->text), "%s", inc->text);
	l->ref = inc->ref;
	l->total = inc->total;
	l->received = inc->received;
	l->first_seen = inc->first_seen;
	l->reason = inc->reason;
	if (f->reenter)
		f->reenter_rc = concat_add(f->c, "x", "y", 1, 2, 1, "z", 0,
		    NULL, 0);
}

static int
setup(void **state)
{
	struct fixture	*f;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->c = concat_new(64 * 1024, 600, on_lost, f);
	assert_non_null(f->c);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	concat_free(f->c);
	free(f);
	return 0;
}

/* Add one part from 628111 to 1234 with the fixture's out buffer. */
static enum concat_status
add(struct fixture *f, uint16_t ref, uint8_t total, uint8_t seq,
    const char *text, int64_t now)
{
	return concat_add(f->c, "628111", "1234", ref, total, seq, text, now,
	    f->out, sizeof(f->out));
}

static size_t
pending(const struct concat *c)
{
	size_t	n;

	concat_stats(c, &n, NULL);
	return n;
}

static size_t
bytes(const struct concat *c)
{
	size_t	n;

	concat_stats(c, NULL, &n);
	return n;
}

static void
test_in_order(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(add(f, 7, 3, 1, "GRAD 12345 ", 100), CONCAT_PENDING);
	assert_string_equal(f->out, "");
	assert_int_equal(pending(f->c), 1);
	assert_int_equal(add(f, 7, 3, 2, "SM kunjungan ", 101),
	    CONCAT_PENDING);
	assert_int_equal(add(f, 7, 3, 3, "selesai \xe2\x82\xac", 102),
	    CONCAT_COMPLETE);
	assert_string_equal(f->out,
	    "GRAD 12345 SM kunjungan selesai \xe2\x82\xac");
	assert_int_equal(pending(f->c), 0);
	assert_int_equal(concat_expire(f->c, 10000), 0);
	assert_int_equal(f->n_lost, 0);
	assert_int_equal(bytes(f->c), 0);
}

/* Every order of four parts gives the same text. */
static void
test_out_of_order(void **state)
{
	static const char *const part[] = { "a1", "b22", "c333", "d4444" };
	struct fixture	*f = *state;
	int		 perm[4], used, i, j, k, n = 0;
	uint16_t	 ref;

	for (i = 0; i < 4 * 4 * 4 * 4; i++) {
		used = 0;
		for (j = 0, k = i; j < 4; j++, k /= 4) {
			perm[j] = k % 4;
			if (used & (1 << perm[j]))
				break;
			used |= 1 << perm[j];
		}
		if (j < 4)
			continue;
		ref = (uint16_t)(1000 + n++);
		for (j = 0; j < 4; j++)
			assert_int_equal(add(f, ref, 4, (uint8_t)(perm[j] + 1),
			    part[perm[j]], 5), j < 3 ? CONCAT_PENDING :
			    CONCAT_COMPLETE);
		assert_string_equal(f->out, "a1b22c333d4444");
	}
	assert_int_equal(n, 24);
	assert_int_equal(pending(f->c), 0);
	assert_int_equal(f->n_lost, 0);
}

static void
test_duplicates(void **state)
{
	struct fixture	*f = *state;

	/* Redelivered while pending: ignored, not doubled. */
	assert_int_equal(add(f, 9, 3, 2, "B", 10), CONCAT_PENDING);
	assert_int_equal(add(f, 9, 3, 2, "B", 11), CONCAT_DUPLICATE);
	assert_int_equal(add(f, 9, 3, 1, "A", 12), CONCAT_PENDING);
	assert_int_equal(add(f, 9, 3, 1, "A", 12), CONCAT_DUPLICATE);
	assert_int_equal(add(f, 9, 3, 3, "C", 13), CONCAT_COMPLETE);
	assert_string_equal(f->out, "ABC");

	/* Redelivered after completion (a lost deliver_sm_resp). */
	assert_int_equal(add(f, 9, 3, 3, "C", 14), CONCAT_DUPLICATE);
	assert_string_equal(f->out, "");
	assert_int_equal(add(f, 9, 3, 1, "A", 15), CONCAT_DUPLICATE);
	assert_int_equal(pending(f->c), 0);

	/* The same reference with new text: a new message. */
	assert_int_equal(add(f, 9, 3, 1, "X", 20), CONCAT_PENDING);
	assert_int_equal(add(f, 9, 3, 2, "Y", 20), CONCAT_PENDING);
	assert_int_equal(add(f, 9, 3, 3, "Z", 20), CONCAT_COMPLETE);
	assert_string_equal(f->out, "XYZ");
	assert_int_equal(f->n_lost, 0);

	/* Reused while still pending: the old one is given up. */
	assert_int_equal(add(f, 5, 2, 1, "old", 30), CONCAT_PENDING);
	assert_int_equal(add(f, 5, 2, 1, "new", 31), CONCAT_PENDING);
	assert_int_equal(f->n_lost, 1);
	assert_int_equal(f->lost[0].reason, CONCAT_SUPERSEDED);
	assert_string_equal(f->lost[0].text, "old" GAP);
	assert_int_equal(add(f, 5, 2, 2, "er", 32), CONCAT_COMPLETE);
	assert_string_equal(f->out, "newer");

	/* One part of one completes at once and leaves nothing behind. */
	assert_int_equal(add(f, 6, 1, 1, "one", 33), CONCAT_COMPLETE);
	assert_int_equal(add(f, 6, 1, 1, "one", 33), CONCAT_COMPLETE);
	assert_string_equal(f->out, "one");
	assert_int_equal(pending(f->c), 0);

	/* Completed records are forgotten after the expiry. */
	assert_true(bytes(f->c) > 0);
	assert_int_equal(concat_expire(f->c, 32 + 600), 0);
	assert_int_equal(bytes(f->c), 0);
	assert_int_equal(f->n_lost, 1);
	/* ... after which a redelivery would start a message again. */
	assert_int_equal(add(f, 9, 3, 3, "Z", 700), CONCAT_PENDING);
}

/* 8- and 16-bit references, from real headers, do not mix. */
static void
test_refs(void **state)
{
	static const uint8_t p8a[] = { 5, 0x00, 3, 0x34, 2, 1, 'a' };
	static const uint8_t p16a[] = { 6, 0x08, 4, 0x12, 0x34, 2, 1, 'X' };
	static const uint8_t p8b[] = { 5, 0x00, 3, 0x34, 2, 2, 'b' };
	static const uint8_t p16b[] = { 6, 0x08, 4, 0x12, 0x34, 2, 2, 'Y' };
	static const uint8_t *const pdu[] = { p8a, p16a, p8b, p16b };
	static const size_t len[] = { sizeof(p8a), sizeof(p16a), sizeof(p8b),
	    sizeof(p16b) };
	struct fixture		*f = *state;
	struct concat_part_info	 info;
	char			 text[16];
	int			 i, off;
	enum concat_status	 rc;

	for (i = 0; i < 4; i++) {
		off = concat_udh_parse(pdu[i], len[i], &info);
		assert_int_equal(off, (int)len[i] - 1);
		assert_int_equal(info.ref_bits, i % 2 ? 16 : 8);
		assert_int_equal(info.ref, i % 2 ? 0x1234 : 0x34);
		assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 0, pdu[i],
		    len[i], (size_t)off, text, sizeof(text)), 1);
		rc = add(f, info.ref, info.total, info.seq, text, 1);
		assert_int_equal(rc, i < 2 ? CONCAT_PENDING : CONCAT_COMPLETE);
		if (i == 2)
			assert_string_equal(f->out, "ab");
		if (i == 3)
			assert_string_equal(f->out, "XY");
	}
	/* Refs 0 and 0xFFFF are references like the others. */
	assert_int_equal(add(f, 0, 2, 2, "0b", 2), CONCAT_PENDING);
	assert_int_equal(add(f, 0xffff, 2, 2, "Fb", 2), CONCAT_PENDING);
	assert_int_equal(add(f, 0xffff, 2, 1, "Fa", 2), CONCAT_COMPLETE);
	assert_string_equal(f->out, "FaFb");
	assert_int_equal(add(f, 0, 2, 1, "0a", 2), CONCAT_COMPLETE);
	assert_string_equal(f->out, "0a0b");
}

/* Two senders (and two destinations) with the same ref, interleaved. */
static void
test_interleaved(void **state)
{
	struct fixture	*f = *state;
	char		 out[64];

	assert_int_equal(concat_add(f->c, "628111", "1234", 42, 2, 1, "A1",
	    1, out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(concat_add(f->c, "628222", "1234", 42, 2, 2, "B2",
	    1, out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(concat_add(f->c, "628111", "5678", 42, 2, 2, "C2",
	    1, out, sizeof(out)), CONCAT_PENDING);
	/* Same sender and ref, another total: another message. */
	assert_int_equal(concat_add(f->c, "628111", "1234", 42, 3, 1, "D1",
	    1, out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(pending(f->c), 4);
	assert_int_equal(concat_add(f->c, "628222", "1234", 42, 2, 1, "B1",
	    2, out, sizeof(out)), CONCAT_COMPLETE);
	assert_string_equal(out, "B1B2");
	assert_int_equal(concat_add(f->c, "628111", "1234", 42, 2, 2, "A2",
	    2, out, sizeof(out)), CONCAT_COMPLETE);
	assert_string_equal(out, "A1A2");
	assert_int_equal(concat_add(f->c, "628111", "5678", 42, 2, 1, "C1",
	    2, out, sizeof(out)), CONCAT_COMPLETE);
	assert_string_equal(out, "C1C2");
	assert_int_equal(pending(f->c), 1);
	assert_int_equal(f->n_lost, 0);
}

/* What arrived of an incomplete message reaches the callback. */
static void
test_expiry(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(add(f, 1, 3, 1, "Halo ", 1000), CONCAT_PENDING);
	assert_int_equal(add(f, 1, 3, 3, " dunia", 1100), CONCAT_PENDING);
	assert_int_equal(add(f, 2, 6, 2, "B", 1200), CONCAT_PENDING);
	assert_int_equal(add(f, 2, 6, 5, "E", 1200), CONCAT_PENDING);
	assert_int_equal(add(f, 2, 6, 6, "F", 1200), CONCAT_PENDING);

	/* Expiry counts from the first part; a clock gone back is fine. */
	assert_int_equal(concat_expire(f->c, 1599), 0);
	assert_int_equal(concat_expire(f->c, -5), 0);
	assert_int_equal(concat_expire(f->c, 1600), 1);
	assert_int_equal(f->n_lost, 1);
	assert_string_equal(f->lost[0].sender, "628111");
	assert_string_equal(f->lost[0].text, "Halo " GAP " dunia");
	assert_int_equal(f->lost[0].ref, 1);
	assert_int_equal(f->lost[0].total, 3);
	assert_int_equal(f->lost[0].received, 2);
	assert_int_equal(f->lost[0].first_seen, 1000);
	assert_int_equal(f->lost[0].reason, CONCAT_EXPIRED);
	assert_int_equal(pending(f->c), 1);

	/* Runs of missing parts, at the start too: one marker each. */
	assert_int_equal(concat_expire(f->c, INT64_MAX), 1);
	assert_string_equal(f->lost[1].text, GAP "B" GAP "EF");
	assert_int_equal(f->lost[1].received, 3);
	assert_int_equal(bytes(f->c), 0);

	/* Missing at the end; then flush. */
	assert_int_equal(add(f, 3, 4, 1, "A", INT64_MIN), CONCAT_PENDING);
	assert_int_equal(concat_expire(f->c, INT64_MAX), 1);
	assert_string_equal(f->lost[2].text, "A" GAP);
	assert_int_equal(add(f, 4, 2, 2, "y", 1), CONCAT_PENDING);
	assert_int_equal(add(f, 5, 2, 1, "x", 1), CONCAT_PENDING);
	assert_int_equal(concat_flush(f->c), 2);
	assert_int_equal(f->lost[3].reason, CONCAT_FLUSHED);
	assert_string_equal(f->lost[3].text, GAP "y");
	assert_string_equal(f->lost[4].text, "x" GAP);
	assert_int_equal(pending(f->c), 0);
	assert_int_equal(bytes(f->c), 0);
}

/* The bound holds; the oldest incomplete goes first, reported. */
static void
test_memory_cap(void **state)
{
	struct fixture	 f;
	char		 text[200], btext[101], out[1024];
	size_t		 b, one;
	int		 i;

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(text, 'x', 100);
	text[100] = '\0';

	/* Measure one pending message of one 100-byte part. */
	f.c = concat_new(1 << 20, 60, on_lost, &f);
	assert_non_null(f.c);
	assert_int_equal(concat_add(f.c, "628111", "1234", 0, 2, 1, text, 0,
	    out, sizeof(out)), CONCAT_PENDING);
	one = bytes(f.c);
	assert_true(one > 100);
	concat_free(f.c);

	/* Room for three such messages. */
	f.c = concat_new(3 * one + one / 2, 60, on_lost, &f);
	assert_non_null(f.c);
	for (i = 0; i < 10; i++) {
		text[0] = (char)('a' + i);
		assert_int_equal(concat_add(f.c, "628111", "1234",
		    (uint16_t)i, 2, 1, text, i, out, sizeof(out)),
		    CONCAT_PENDING);
		concat_stats(f.c, NULL, &b);
		assert_true(b <= 3 * one + one / 2);
	}
	assert_int_equal(pending(f.c), 3);
	assert_int_equal(f.n_lost, 7);
	for (i = 0; i < 7; i++) {
		assert_int_equal(f.lost[i].reason, CONCAT_EVICTED);
		assert_int_equal(f.lost[i].ref, i);
		assert_int_equal(f.lost[i].text[0], 'a' + i);
		assert_int_equal(strlen(f.lost[i].text), 100 + strlen(GAP));
	}
	/* The survivors complete. */
	for (i = 7; i < 10; i++) {
		assert_int_equal(concat_add(f.c, "628111", "1234",
		    (uint16_t)i, 2, 2, "!", 20, out, sizeof(out)),
		    CONCAT_COMPLETE);
		assert_int_equal(out[0], 'a' + i);
		assert_int_equal(strlen(out), 101);
	}
	/* Completed records make way silently before anything pending. */
	assert_int_equal(concat_add(f.c, "628111", "1234", 50, 2, 1, text,
	    21, out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(concat_add(f.c, "628111", "1234", 51, 2, 1, text,
	    21, out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(concat_add(f.c, "628111", "1234", 52, 2, 1, text,
	    21, out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(f.n_lost, 7);
	assert_int_equal(pending(f.c), 3);

	/* A new message needing more than is free evicts the oldest. */
	text[0] = 'Z';
	text[50] = '\0';
	assert_int_equal(concat_add(f.c, "628111", "1234", 53, 2, 1, text,
	    22, out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(f.n_lost, 8);
	assert_int_equal(f.lost[7].ref, 50);
	assert_int_equal(pending(f.c), 3);
	concat_stats(f.c, NULL, &b);
	assert_true(b <= 3 * one + one / 2);
	concat_free(f.c);

	/* A part of the oldest message evicts a younger one, not its own. */
	memset(text, 'x', 100);
	text[0] = 'A';
	text[100] = '\0';
	f.c = concat_new(1 << 20, 60, on_lost, &f);
	assert_non_null(f.c);
	assert_int_equal(concat_add(f.c, "628111", "1234", 1, 3, 1, text, 0,
	    out, sizeof(out)), CONCAT_PENDING);
	one = bytes(f.c);
	concat_free(f.c);
	f.c = concat_new(2 * one + 50, 60, on_lost, &f);
	assert_non_null(f.c);
	assert_int_equal(concat_add(f.c, "628111", "1234", 1, 3, 1, text, 0,
	    out, sizeof(out)), CONCAT_PENDING);
	memset(btext, 'B', 100);
	btext[100] = '\0';
	assert_int_equal(concat_add(f.c, "628111", "1234", 2, 3, 1, btext, 1,
	    out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(concat_add(f.c, "628111", "1234", 1, 3, 2, text, 2,
	    out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(f.n_lost, 9);
	assert_int_equal(f.lost[8].ref, 2);
	assert_memory_equal(f.lost[8].text, btext, 100);
	assert_string_equal(f.lost[8].text + 100, GAP);
	assert_int_equal(concat_add(f.c, "628111", "1234", 1, 3, 3, "!", 3,
	    out, sizeof(out)), CONCAT_COMPLETE);
	assert_int_equal(strlen(out), 201);

	/* Too big on its own: refused, nothing evicted, nothing kept. */
	memset(text, 'y', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	concat_free(f.c);
	f.c = concat_new(one + 50, 60, on_lost, &f);
	assert_non_null(f.c);
	assert_int_equal(concat_add(f.c, "628111", "1234", 1, 2, 1, "ok", 0,
	    out, sizeof(out)), CONCAT_PENDING);
	assert_int_equal(concat_add(f.c, "628111", "1234", 2, 2, 1, text, 0,
	    out, sizeof(out)), CONCAT_ETOOBIG);
	assert_int_equal(concat_add(f.c, "628111", "1234", 1, 2, 2, text, 0,
	    out, sizeof(out)), CONCAT_COMPLETE);	/* completing: no limit */
	assert_int_equal(strlen(out), 2 + sizeof(text) - 1);
	assert_int_equal(concat_add(f.c, "628111", "1234", 3, 2, 1, "ok",
	    0, out, sizeof(out)), CONCAT_PENDING);
	text[150] = '\0';
	assert_int_equal(concat_add(f.c, "628111", "1234", 3, 2, 1, "ok",
	    0, out, sizeof(out)), CONCAT_DUPLICATE);
	assert_int_equal(concat_add(f.c, "628111", "1234", 4, 5, 2, text, 0,
	    out, sizeof(out)), CONCAT_ETOOBIG);
	assert_int_equal(f.n_lost, 9);
	assert_int_equal(pending(f.c), 1);
	concat_free(f.c);
}

/* out too small for the whole text: nothing changes, retry works. */
static void
test_out_space(void **state)
{
	struct fixture	*f = *state;
	char		 small[6];

	assert_int_equal(add(f, 1, 2, 1, "abc", 0), CONCAT_PENDING);
	assert_int_equal(concat_add(f->c, "628111", "1234", 1, 2, 2, "def",
	    0, small, sizeof(small)), CONCAT_ESPACE);
	assert_string_equal(small, "");
	assert_int_equal(concat_add(f->c, "628111", "1234", 1, 2, 2, "def",
	    0, NULL, 0), CONCAT_ESPACE);
	assert_int_equal(pending(f->c), 1);
	assert_int_equal(concat_add(f->c, "628111", "1234", 1, 2, 2, "de",
	    0, small, sizeof(small)), CONCAT_COMPLETE);
	assert_string_equal(small, "abcde");
	assert_int_equal(concat_add(f->c, "628111", "1234", 1, 1, 1,
	    "123456", 0, small, sizeof(small)), CONCAT_ESPACE);
	assert_int_equal(f->n_lost, 0);
}

static void
test_invalid(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(add(f, 1, 0, 0, "a", 0), CONCAT_EINVAL);
	assert_int_equal(add(f, 1, 0, 1, "a", 0), CONCAT_EINVAL);
	assert_int_equal(add(f, 1, 3, 0, "a", 0), CONCAT_EINVAL);
	assert_int_equal(add(f, 1, 3, 4, "a", 0), CONCAT_EINVAL);
	assert_int_equal(add(f, 1, 3, 255, "a", 0), CONCAT_EINVAL);
	assert_int_equal(add(f, 1, 3, 1, NULL, 0), CONCAT_EINVAL);
	assert_int_equal(concat_add(f->c, NULL, "1234", 1, 2, 1, "a", 0,
	    f->out, sizeof(f->out)), CONCAT_EINVAL);
	assert_int_equal(concat_add(f->c, "628111", NULL, 1, 2, 1, "a", 0,
	    f->out, sizeof(f->out)), CONCAT_EINVAL);
	assert_int_equal(concat_add(NULL, "628111", "1234", 1, 2, 1, "a", 0,
	    f->out, sizeof(f->out)), CONCAT_EINVAL);
	assert_int_equal(pending(f->c), 0);
	/* 255 parts, the most there can be; a single part; empty texts. */
	assert_int_equal(add(f, 1, 255, 255, "z", 0), CONCAT_PENDING);
	assert_int_equal(add(f, 2, 1, 1, "", 0), CONCAT_COMPLETE);
	assert_string_equal(f->out, "");
	assert_int_equal(add(f, 3, 2, 1, "", 0), CONCAT_PENDING);
	assert_int_equal(add(f, 3, 2, 2, "", 0), CONCAT_COMPLETE);

	assert_null(concat_new(0, 60, on_lost, f));
	assert_null(concat_new(1024, 0, on_lost, f));
	assert_null(concat_new(1024, -1, on_lost, f));
	assert_null(concat_new(1024, 60, NULL, f));
	assert_int_equal(concat_expire(NULL, 0), -1);
	assert_int_equal(concat_flush(NULL), -1);
	concat_free(NULL);
}

/* The callback cannot reenter; nothing breaks if it tries. */
static void
test_reentry(void **state)
{
	struct fixture	*f = *state;

	f->reenter = 1;
	f->reenter_rc = 99;
	assert_int_equal(add(f, 1, 2, 1, "a", 0), CONCAT_PENDING);
	assert_int_equal(concat_expire(f->c, 600), 1);
	assert_int_equal(f->reenter_rc, CONCAT_EINVAL);
	assert_int_equal(pending(f->c), 0);
}

static void
test_udh_parse(void **state)
{
	struct concat_part_info	 info;
	/* A 16-bit concatenation IE between two others. */
	static const uint8_t mixed[] = { 13, 0x0a, 3, 0, 4, 0,
	    0x08, 4, 0xab, 0xcd, 9, 3, 0x70, 0, 't' };
	static const uint8_t last[] = { 11, 0x00, 3, 1, 2, 1,
	    0x08, 4, 0, 7, 5, 4, 'x' };
	static const uint8_t other[] = { 4, 0x05, 2, 0x0b, 0x84, 'h', 'i' };
	static const uint8_t empty[] = { 0, 'h', 'i' };
	int			 off;

	(void)state;
	off = concat_udh_parse(mixed, sizeof(mixed), &info);
	assert_int_equal(off, 14);
	assert_int_equal(info.ref, 0xabcd);
	assert_int_equal(info.total, 9);
	assert_int_equal(info.seq, 3);
	assert_int_equal(info.ref_bits, 16);
	/* Several concatenation IEs: the last counts. */
	assert_int_equal(concat_udh_parse(last, sizeof(last), &info), 12);
	assert_int_equal(info.ref, 7);
	assert_int_equal(info.total, 5);
	assert_int_equal(info.seq, 4);
	/* No concatenation IE, an empty header, no payload at all. */
	assert_int_equal(concat_udh_parse(other, sizeof(other), &info), 5);
	assert_int_equal(info.total, 0);
	assert_int_equal(info.ref_bits, 0);
	assert_int_equal(concat_udh_parse(empty, sizeof(empty), &info), 1);
	assert_int_equal(info.total, 0);
	assert_int_equal(concat_udh_parse(empty, 1, &info), 1);
	assert_int_equal(concat_udh_parse((const uint8_t *)
	    "\x05\x00\x03\x01\x02\x02", 6, &info), 6);
	assert_int_equal(info.seq, 2);
	assert_int_equal(concat_udh_parse((const uint8_t *)
	    "\x05\x00\x03\x01\xff\xff", 6, &info), 6);
	assert_int_equal(info.seq, 255);
}

static void
test_udh_malformed(void **state)
{
	static const struct {
		const char	*ud;
		size_t		 len;
		const char	*why;
	} bad[] = {
		{ "", 0, "no octets" },
		{ "\x01", 1, "UDHL past the data" },
		{ "\x05\x00\x03\x01\x02", 5, "UDHL one past" },
		{ "\xff\x00\x03\x01\x02\x01", 6, "UDHL 255" },
		{ "\x01\x00" "a", 3, "IEI without IEDL" },
		{ "\x06\x00\x03\x01\x02\x01\x00" "a", 8, "trailing IEI" },
		{ "\x02\x00\x01" "a", 4, "IEDL past the header" },
		{ "\x05\x00\x04\x01\x02\x01" "a", 7, "IEDL past by one" },
		{ "\x05\x00\xff\x01\x02\x01" "a", 7, "IEDL 255" },
		{ "\x07\x0a\x06\x00\x00\x00\x00\x00" "a", 9,
		    "other IE past the header" },
		{ "\x04\x00\x02\x01\x02" "a", 6, "8-bit IE too short" },
		{ "\x06\x00\x04\x01\x02\x01\x00" "a", 8, "8-bit IE too long" },
		{ "\x05\x08\x03\x01\x02\x01" "a", 7, "16-bit IE too short" },
		{ "\x07\x08\x05\x00\x01\x02\x01\x00" "a", 9,
		    "16-bit IE too long" },
		{ "\x05\x00\x03\x01\x00\x00" "a", 7, "total 0" },
		{ "\x05\x00\x03\x01\x02\x00" "a", 7, "seq 0" },
		{ "\x05\x00\x03\x01\x02\x03" "a", 7, "seq > total" },
		{ "\x05\x00\x03\x01\x01\xff" "a", 7, "seq 255 of 1" },
		{ "\x06\x08\x04\x00\x01\x00\x01" "a", 8, "16-bit total 0" },
		{ "\x06\x08\x04\x00\x01\x03\x00" "a", 8, "16-bit seq 0" },
		{ "\x06\x08\x04\x00\x01\x03\x04" "a", 8, "16-bit seq > total" },
		{ "\x0b\x00\x03\x01\x02\x03\x08\x04\x00\x01\x02\x01" "a", 13,
		    "a bad IE before a good one" },
	};
	static const uint8_t good[] = { 10, 0x0a, 3, 0, 4, 0,
	    0x00, 3, 0x77, 2, 1, 'x' };
	struct concat_part_info	 info;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&info, 0x5a, sizeof(info));
		if (concat_udh_parse((const uint8_t *)bad[i].ud, bad[i].len,
		    &info) != -1)
			fail_msg("accepted: %s", bad[i].why);
		assert_int_equal(info.total, 0);
	}
	/* Every truncation of a good header; NULLs. */
	for (i = 0; i < 11; i++)
		assert_int_equal(concat_udh_parse(good, i, &info), -1);
	assert_int_equal(concat_udh_parse(good, 11, &info), 11);
	assert_int_equal(concat_udh_parse(good, 12, &info), 11);
	assert_int_equal(info.ref, 0x77);
	assert_int_equal(concat_udh_parse(NULL, 5, &info), -1);
	assert_int_equal(concat_udh_parse(good, 12, NULL), -1);
}

/*
 * Random headers on an exact-size heap buffer: ASan sees any read past
 * it; what parses must fit and say something consistent.
 */
static void
test_udh_random(void **state)
{
	struct concat_part_info	 info;
	uint8_t			*ud;
	uint32_t		 x = 12345;
	size_t			 len, i;
	int			 n, off, ok = 0;

	(void)state;
	for (n = 0; n < 200000; n++) {
		x = x * 1103515245u + 12345u;
		len = (x >> 16) % 12 + 1;
		ud = malloc(len);
		assert_non_null(ud);
		for (i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			ud[i] = (uint8_t)(x >> 16);
			if (i == 0)
				ud[i] %= 12;
			else if ((x >> 8) % 3 == 0)
				ud[i] = (uint8_t)((x >> 24) % 8);
		}
		off = concat_udh_parse(ud, len, &info);
		if (off != -1) {
			ok++;
			assert_true(off >= 1 && (size_t)off <= len);
			assert_int_equal(off, ud[0] + 1);
			if (info.total != 0)
				assert_true(info.seq >= 1 &&
				    info.seq <= info.total);
		}
		free(ud);
	}
	assert_true(ok > 1000);
}

static void
count_lost(const struct concat_incomplete *inc, void *arg)
{
	int	*n = arg;

	assert_true(inc->received >= 1 && inc->received < inc->total);
	assert_non_null(strstr(inc->text, GAP));
	(*n)++;
}

/*
 * Random parts, redeliveries and clock ticks against a small bound:
 * the bound always holds, every answer is a status, and what is held
 * at the end can be flushed down to nothing.
 */
static void
test_random_ops(void **state)
{
	struct concat	*c;
	char		 sender[8], text[64], out[8192];
	uint32_t	 x = 777;
	int64_t		 now = 0;
	size_t		 b;
	int		 i, lost = 0, complete = 0;
	uint8_t		 total, seq;
	enum concat_status rc;

	(void)state;
	c = concat_new(3000, 50, count_lost, &lost);
	assert_non_null(c);
	for (i = 0; i < 100000; i++) {
		x = x * 1103515245u + 12345u;
		snprintf(sender, sizeof(sender), "62%u", (x >> 8) % 3);
		total = (uint8_t)((x >> 12) % 4 + 1);
		seq = (uint8_t)((x >> 16) % total + 1);
		snprintf(text, sizeof(text), "<%s/%u/%u/%u:%.*s>", sender,
		    (x >> 20) % 4, total, seq, (int)((x >> 24) % 40),
		    "........................................");
		rc = concat_add(c, sender, "1234", (uint16_t)((x >> 20) % 4),
		    total, seq, text, now, out, sizeof(out));
		assert_true(rc == CONCAT_COMPLETE || rc == CONCAT_PENDING ||
		    rc == CONCAT_DUPLICATE);
		complete += rc == CONCAT_COMPLETE;
		concat_stats(c, NULL, &b);
		assert_true(b <= 3000);
		if ((x >> 28) == 0)
			now += 7;
		if ((x >> 27) == 1)
			assert_true(concat_expire(c, now) >= 0);
	}
	assert_true(complete > 1000);
	assert_true(lost > 100);
	assert_true(concat_flush(c) >= 0);
	assert_int_equal(concat_expire(c, INT64_MAX), 0);
	concat_stats(c, NULL, &b);
	assert_int_equal(b, 0);
	concat_free(c);
}

/* Pack UDH octets, fill bits and septets the way a handset does. */
static size_t
pack(const uint8_t *udh, size_t udh_len, const uint8_t *sept, size_t n,
    uint8_t *out)
{
	size_t	bit = 0, i;
	int	b;

	memset(out, 0, 300);
	for (i = 0; i < udh_len; i++, bit += 8)
		for (b = 0; b < 8; b++)
			if (udh[i] & (1 << b))
				out[(bit + b) / 8] |= (uint8_t)(1 << ((bit + b) % 8));
	bit += (7 - (udh_len * 8) % 7) % 7;		/* fill bits */
	for (i = 0; i < n; i++, bit += 7)
		for (b = 0; b < 7; b++)
			if (sept[i] & (1 << b))
				out[(bit + b) / 8] |= (uint8_t)(1 << ((bit + b) % 8));
	return (bit + 7) / 8;
}

/* codec_ud_to_utf8(): the text after a header, unpacked and packed. */
static void
test_payload(void **state)
{
	static const uint8_t udh6[] = { 5, 0x00, 3, 0x11, 2, 1 };
	static const uint8_t udh7[] = { 6, 0x08, 4, 0x01, 0x11, 2, 1 };
	static const uint8_t udh12[] = { 11, 0x0a, 3, 0, 4, 0, 0x00, 3, 0x11,
	    2, 1, 0 };
	static const uint8_t *const udhs[] = { NULL, udh6, udh7, udh12 };
	static const size_t udh_lens[] = { 0, 6, 7, 12 };
	static const uint8_t hellohello[] = { 0xe8, 0x32, 0x9b, 0xfd, 0x46,
	    0x97, 0xd9, 0xec, 0x37 };
	uint8_t		sept[200], ud[300];
	char		out[1024], want[256];
	size_t		n, len, u, k;
	int		off;

	(void)state;
	/* The textbook example, no header. */
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, hellohello,
	    sizeof(hellohello), 0, out, sizeof(out)), 10);
	assert_string_equal(out, "hellohello");

	/* Unpacked: the header simply precedes the septets. */
	memcpy(ud, udh6, 6);
	memcpy(ud + 6, "a\x1b\x65" "b", 4);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 0, ud, 10, 6,
	    out, sizeof(out)), 5);
	assert_string_equal(out, "a\xe2\x82\xac" "b");
	/* UCS-2 after an odd-length header; packed means nothing there. */
	memcpy(ud, udh7, 7);
	memcpy(ud + 7, "\xd8\x3d\xde\x00\x00!", 6);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_UCS2, 1, ud, 13, 7, out,
	    sizeof(out)), 5);
	assert_string_equal(out, "\xf0\x9f\x98\x80!");
	/* IA5 and Latin-1 too. */
	memcpy(ud + 7, "caf\xe9", 4);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_LATIN1, 0, ud, 11, 7, out,
	    sizeof(out)), 5);
	assert_string_equal(out, "caf\xc3\xa9");

	/* Packed, every header length and text length, with an ESC pair. */
	for (u = 0; u < 4; u++) {
		for (n = 0; n < 40; n++) {
			for (k = 0; k < n; k++)
				sept[k] = (uint8_t)('a' + k % 26);
			if (n >= 3) {
				sept[1] = 0x1b;		/* "{" */
				sept[2] = 0x28;
			}
			len = pack(udhs[u], udh_lens[u], sept, n, ud);
			off = codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, ud, len,
			    udh_lens[u], out, sizeof(out));
			assert_true(off >= 0);
			assert_true(codec_to_utf8(CODEC_DC_DEFAULT, sept, n,
			    want, sizeof(want)) >= 0);
			/*
			 * Seven spare bits at the end read as one more '@'
			 * (no way to tell): that is the one difference.
			 */
			if (strcmp(out, want) != 0) {
				assert_int_equal((udh_lens[u] * 8 +
				    (7 - (udh_lens[u] * 8) % 7) % 7 + 7 * n) %
				    8, 1);
				assert_int_equal(strlen(out), strlen(want) + 1);
				assert_memory_equal(out, want, strlen(want));
				assert_int_equal(out[strlen(want)], '@');
			}
		}
	}
	/*
	 * Seven septets leave seven spare bits: zeros read as '@' (kept,
	 * as said), the CR that TS 23.038 asks for is dropped; a CR that
	 * does not end on an octet boundary is text.
	 */
	memcpy(sept, "abcdefg", 7);
	len = pack(NULL, 0, sept, 7, ud);
	assert_int_equal(len, 7);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, ud, len, 0,
	    out, sizeof(out)), 8);
	assert_string_equal(out, "abcdefg@");
	memcpy(sept, "abc\r", 4);
	len = pack(NULL, 0, sept, 4, ud);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, ud, len, 0,
	    out, sizeof(out)), 4);
	assert_string_equal(out, "abc\r");
	memcpy(sept, "abcdefg\r", 8);
	len = pack(NULL, 0, sept, 8, ud);
	assert_int_equal(len, 7);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, ud, len, 0,
	    out, sizeof(out)), 7);
	assert_string_equal(out, "abcdefg");
	memcpy(sept, "abcdefghijklm\r", 14);
	len = pack(NULL, 0, sept, 14, ud);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, ud, len, 0,
	    out, sizeof(out)), 14);
	assert_string_equal(out, "abcdefghijklm\r");
	memcpy(sept, "abcdef\r\r", 8);
	len = pack(NULL, 0, sept, 8, ud);
	assert_int_equal(len, 7);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, ud, len, 0,
	    out, sizeof(out)), 7);
	assert_string_equal(out, "abcdef\r");

	/* Bounds: header past the data, binary, out too small, NULLs. */
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 0, udh6, 6, 7,
	    out, sizeof(out)), -1);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, udh6, 6, 7,
	    out, sizeof(out)), -1);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 0, udh6, 6, 6,
	    out, sizeof(out)), 0);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, udh6, 6, 6,
	    out, sizeof(out)), 0);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_BINARY, 0, udh6, 6, 0,
	    out, sizeof(out)), -1);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, hellohello,
	    sizeof(hellohello), 0, out, 10), -1);
	assert_string_equal(out, "");
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, hellohello,
	    sizeof(hellohello), 0, out, 11), 10);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 1, NULL, 0, 0,
	    out, sizeof(out)), 0);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 0, NULL, 1, 0,
	    out, sizeof(out)), -1);
	assert_int_equal(codec_ud_to_utf8(CODEC_DC_DEFAULT, 0, udh6, 6, 0,
	    NULL, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interleaved, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
		cmocka_unit_test(test_memory_cap),
		cmocka_unit_test_setup_teardown(test_out_space, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reentry, setup,
		    teardown),
		cmocka_unit_test(test_udh_parse),
		cmocka_unit_test(test_udh_malformed),
		cmocka_unit_test(test_udh_random),
		cmocka_unit_test(test_random_ops),
		cmocka_unit_test(test_payload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
