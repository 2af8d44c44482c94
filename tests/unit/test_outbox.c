/*
 * test_outbox.c: long MTs in the outbox, part by part, and the receipts
 * of their parts in the store.
 *
 * The session cuts the text (segment.h) and tells the outbox how many
 * parts it has; these tests play the session with a fixed part count,
 * and the SMSC with the responses, on a private in-memory store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "outbox.h"
#include "smpp_pdu.h"
#include "store.h"

struct fixture {
	struct store	*st;
	struct outbox	*ob;
};

static int
setup(void **state)
{
	static struct fixture	f;
	char			err[256];

	memset(&f, 0, sizeof(f));
	if (store_open(":memory:", NULL, &f.st, err, sizeof(err)) !=
	    STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	f.ob = outbox_new(f.st, 10, 3);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	outbox_free(f->ob);
	store_close(f->st);
	return 0;
}

/* A pending MT to dest in the store; its id. */
static int64_t
queue_mt(struct fixture *f, const char *dest, const char *text)
{
	struct store_mt	m;

	memset(&m, 0, sizeof(m));
	snprintf(m.dest, sizeof(m.dest), "%s", dest);
	snprintf(m.text, sizeof(m.text), "%s", text);
	m.created_at = 1000;
	assert_int_equal(store_mt_insert(f->st, &m), STORE_OK);
	return m.id;
}

/* Take the next MT as the session does, cutting it into parts parts. */
static struct outbox_mt *
submit(struct fixture *f, int64_t now, uint32_t seq, int parts)
{
	struct outbox_mt	*mt;

	mt = outbox_next(f->ob, now, 1);
	assert_non_null(mt);
	if (mt->parts == 0)
		mt->parts = parts;
	outbox_inflight(f->ob, mt, seq, now);
	return mt;
}

/* Three parts leave in order, each one after the last was accepted, and
 * before a reply queued later. */
static void
test_parts_in_order(void **state)
{
	struct fixture		*f = *state;
	struct outbox_outcome	 oc;
	struct outbox_mt	*mt;
	int64_t			 a, b;

	a = queue_mt(f, "6281100000001", "long");
	b = queue_mt(f, "6281100000002", "short");
	mt = submit(f, 10, 1, 3);
	assert_true(mt->id == a && mt->part == 0);
	/* One part of a message in flight at a time: the next MT may go. */
	mt = submit(f, 11, 2, 1);
	assert_true(mt->id == b);
	assert_int_equal(outbox_resp(f->ob, 1, SMPP_ESME_ROK, 12, &oc),
	    OUTBOX_PART_SENT);
	assert_true(oc.mt_id == a && oc.part == 1 && oc.parts == 3);
	/* Part 2 waits until part 1's message id is stored. */
	assert_true(outbox_has_work(f->ob));
	assert_int_equal(outbox_parts_pending(f->ob), 1);
	assert_null(outbox_next(f->ob, 12, 1));
	outbox_part_stored(f->ob, a);
	assert_int_equal(outbox_resp(f->ob, 2, SMPP_ESME_ROK, 12, &oc),
	    OUTBOX_SENT);
	assert_true(oc.mt_id == b && oc.part == 1 && oc.parts == 1);
	mt = submit(f, 13, 3, 3);
	assert_true(mt->id == a && mt->part == 1);
	assert_int_equal(outbox_resp(f->ob, 3, SMPP_ESME_ROK, 14, &oc),
	    OUTBOX_PART_SENT);
	outbox_part_stored(f->ob, oc.mt_id);
	assert_int_equal(oc.part, 2);
	mt = submit(f, 15, 4, 3);
	assert_true(mt->id == a && mt->part == 2);
	assert_int_equal(outbox_resp(f->ob, 4, SMPP_ESME_ROK, 16, &oc),
	    OUTBOX_SENT);
	assert_true(oc.mt_id == a && oc.part == 3 && oc.parts == 3);
	assert_null(outbox_next(f->ob, 17, 1));
	assert_int_equal(outbox_inflight_count(f->ob), 0);
}

/* A throttled part is retried alone, with its own attempts; a part
 * refused for good fails the MT and says which part. */
static void
test_part_retry_and_failure(void **state)
{
	struct fixture		*f = *state;
	struct outbox_outcome	 oc;
	struct outbox_mt	*mt;
	int64_t			 a;

	a = queue_mt(f, "6281100000001", "long");
	submit(f, 10, 1, 2);
	assert_int_equal(outbox_resp(f->ob, 1, SMPP_ESME_ROK, 11, &oc),
	    OUTBOX_PART_SENT);
	outbox_part_stored(f->ob, oc.mt_id);
	mt = submit(f, 12, 2, 2);
	assert_int_equal(mt->part, 1);
	assert_int_equal(outbox_resp(f->ob, 2, SMPP_ESME_RTHROTTLED, 13, &oc),
	    OUTBOX_RETRY);
	assert_true(oc.part == 2 && oc.attempts == 1);
	/* Paused, then due again after the backoff: the same part. */
	assert_null(outbox_next(f->ob, 14, 1));
	mt = submit(f, 5000, 3, 2);
	assert_true(mt->id == a && mt->part == 1 && mt->attempts == 2);
	assert_int_equal(outbox_resp(f->ob, 3, SMPP_ESME_RX_P_APPN, 5001,
	    &oc), OUTBOX_FAILED);
	assert_true(oc.mt_id == a && oc.part == 2 && oc.parts == 2);
	assert_null(outbox_next(f->ob, 90000, 1));
}

/* A lost link sends the part in flight again, not the message. */
static void
test_part_after_link_lost(void **state)
{
	struct fixture		*f = *state;
	struct outbox_outcome	 oc;
	struct outbox_mt	*mt;

	queue_mt(f, "6281100000001", "long");
	outbox_set_resend_unknown(f->ob, OUTBOX_RESEND_LINK_LOST);
	submit(f, 10, 1, 3);
	assert_int_equal(outbox_resp(f->ob, 1, SMPP_ESME_ROK, 11, &oc),
	    OUTBOX_PART_SENT);
	outbox_part_stored(f->ob, oc.mt_id);
	submit(f, 12, 2, 3);
	outbox_requeue_inflight(f->ob);
	mt = submit(f, 13, 7, 3);
	assert_int_equal(mt->part, 1);
	assert_int_equal(outbox_resp(f->ob, 2, SMPP_ESME_ROK, 14, &oc),
	    OUTBOX_UNKNOWN_SEQ);
	assert_int_equal(outbox_resp(f->ob, 7, SMPP_ESME_ROK, 14, &oc),
	    OUTBOX_PART_SENT);
	outbox_part_stored(f->ob, oc.mt_id);
	assert_int_equal(oc.part, 2);
}

/*
 * [smpp] tps: an MT held back by the limit says when the next may go,
 * so that the session wakes for it instead of waiting for its tick; and
 * says nothing when something else holds it back, or nothing waits.
 */
static void
test_pace_wait(void **state)
{
	struct fixture		*f = *state;
	struct outbox_mt	*mt;

	outbox_set_pace(f->ob, 4, 0);	/* a bucket of one token */
	assert_int_equal(outbox_pace_wait(f->ob, 1000), -1);
	queue_mt(f, "6281100000001", "satu");
	queue_mt(f, "6281100000002", "dua");
	queue_mt(f, "6281100000003", "tiga");
	mt = submit(f, 1000, 1, 1);
	assert_string_equal(mt->text, "satu");
	assert_null(outbox_next(f->ob, 1000, 1));
	assert_int_equal(outbox_pace_wait(f->ob, 1000), 251);
	assert_int_equal(outbox_pace_wait(f->ob, 1100), 151);
	assert_null(outbox_next(f->ob, 1200, 1));
	mt = submit(f, 1251, 2, 1);
	assert_string_equal(mt->text, "dua");
	/* A full window holds them back, not the limit: no wake-up. */
	outbox_set_limits(f->ob, 2, 3);
	assert_int_equal(outbox_pace_wait(f->ob, 1252), -1);
	outbox_set_limits(f->ob, 10, 3);
	assert_true(outbox_pace_wait(f->ob, 1252) > 0);
	/* No limit, no wait. */
	outbox_set_pace(f->ob, 0, 0);
	assert_int_equal(outbox_pace_wait(f->ob, 1252), -1);
	mt = submit(f, 1252, 3, 1);
	assert_string_equal(mt->text, "tiga");
	/* Nothing left to send: no wait either. */
	outbox_set_pace(f->ob, 4, 0);
	assert_null(outbox_next(f->ob, 1253, 1));
	assert_int_equal(outbox_pace_wait(f->ob, 1253), -1);
}

/* A message half out is finished, even once it is older than max_age. */
static void
test_part_not_expired(void **state)
{
	struct fixture		*f = *state;
	struct outbox_outcome	 oc;
	struct outbox_mt	*mt;
	int64_t			 ids[4];

	queue_mt(f, "6281100000001", "long");
	mt = outbox_next(f->ob, 10, 1);
	assert_non_null(mt);
	outbox_set_pace(f->ob, 0, 60);
	mt->parts = 2;
	mt->created_at = (int64_t)time(NULL) - 30;
	outbox_inflight(f->ob, mt, 1, 10);
	assert_int_equal(outbox_resp(f->ob, 1, SMPP_ESME_ROK, 11, &oc),
	    OUTBOX_PART_SENT);
	outbox_part_stored(f->ob, oc.mt_id);
	mt->created_at -= 3600;		/* still the same MT in memory */
	mt = outbox_next(f->ob, 12, 1);
	assert_non_null(mt);
	assert_int_equal(mt->part, 1);
	assert_int_equal(outbox_expired(f->ob, ids, 4), 0);
	outbox_inflight(f->ob, mt, 2, 12);	/* the outbox frees it */
}

/*
 * A part whose response never comes is sent again once an earlier part
 * was accepted (half a message on the phone is worse than a part twice),
 * whatever resend_unknown says; the first part is set aside as any MT.
 */
static void
test_part_timeout(void **state)
{
	struct fixture		*f = *state;
	struct outbox_outcome	 oc;
	struct outbox_mt	*mt;
	int64_t			 a, b, ids[4];

	a = queue_mt(f, "6281100000001", "long");
	outbox_set_resend_unknown(f->ob, OUTBOX_RESEND_NEVER);
	submit(f, 10, 1, 3);
	assert_int_equal(outbox_resp(f->ob, 1, SMPP_ESME_ROK, 11, &oc),
	    OUTBOX_PART_SENT);
	outbox_part_stored(f->ob, oc.mt_id);
	submit(f, 12, 2, 3);
	assert_int_equal(outbox_sweep(f->ob, 40000, 30000), 1);
	assert_int_equal(outbox_unknown(f->ob, ids, 4), 0);
	mt = submit(f, 90000, 3, 3);
	assert_true(mt->id == a && mt->part == 1);
	/* A lost link under "never": the same. */
	outbox_requeue_inflight(f->ob);
	assert_int_equal(outbox_unknown(f->ob, ids, 4), 0);
	mt = submit(f, 90001, 4, 3);
	assert_true(mt->id == a && mt->part == 1);
	assert_int_equal(outbox_resp(f->ob, 4, SMPP_ESME_ROK, 90002, &oc),
	    OUTBOX_PART_SENT);
	outbox_part_stored(f->ob, oc.mt_id);

	/* The first and the last part are in doubt as a single SMS. */
	b = queue_mt(f, "6281100000002", "long too");
	outbox_push(f->ob, b, "6281100000002", "long too", 1000);
	mt = submit(f, 90003, 5, 3);
	assert_true(mt->id == a && mt->part == 2);
	mt = submit(f, 90004, 6, 2);
	assert_true(mt->id == b && mt->part == 0);
	assert_int_equal(outbox_sweep(f->ob, 200000, 30000), 2);
	assert_int_equal(outbox_unknown(f->ob, ids, 4), 2);
	assert_true(ids[0] == a && ids[1] == b);
	assert_null(outbox_next(f->ob, 300000, 1));
	assert_int_equal(outbox_parts_pending(f->ob), 0);
}

/* A middle part that never gets an answer fails the MT at max_attempts. */
static void
test_part_gives_up(void **state)
{
	struct fixture		*f = *state;
	struct outbox_outcome	 oc;
	struct outbox_mt	*mt;
	int64_t			 a, ids[4], now = 10;
	int			 k;

	a = queue_mt(f, "6281100000001", "long");
	submit(f, now, 1, 3);
	assert_int_equal(outbox_resp(f->ob, 1, SMPP_ESME_ROK, now, &oc),
	    OUTBOX_PART_SENT);
	outbox_part_stored(f->ob, a);
	for (k = 0; k < 3; k++) {		/* max_attempts of setup() */
		now += 70000;			/* past any backoff */
		mt = submit(f, now, (uint32_t)(2 + k), 3);
		assert_true(mt->id == a && mt->part == 1 &&
		    mt->attempts == k + 1);
		now += 40000;
		assert_int_equal(outbox_sweep(f->ob, now, 30000), 1);
	}
	assert_int_equal(outbox_unknown(f->ob, ids, 4), 0);
	assert_int_equal(outbox_expired(f->ob, ids, 4), 1);
	assert_int_equal(ids[0], a);
	assert_null(outbox_next(f->ob, now + 100000, 1));
}

/*
 * After a restart: a long MT with an accepted part is not set aside but
 * paged in again at its first unconfirmed part.
 */
static void
test_part_resume(void **state)
{
	struct fixture		*f = *state;
	struct outbox_mt	*mt;
	struct store_mt		 m;
	int64_t			 a, b, c;

	a = queue_mt(f, "6281100000001", "begun");
	b = queue_mt(f, "6281100000002", "not begun");
	assert_int_equal(store_mt_part_sent(f->st, a, 1, 3, 0, "A1", 100),
	    STORE_OK);
	assert_int_equal(store_mt_mark_unknown(f->st, a, 200), STORE_EXISTS);
	assert_int_equal(store_mt_mark_unknown(f->st, b, 200), STORE_OK);
	/* With only the last part in doubt, a long MT is set aside too. */
	c = queue_mt(f, "6281100000003", "last in doubt");
	assert_int_equal(store_mt_part_sent(f->st, c, 1, 2, 1, "C1", 100),
	    STORE_OK);
	assert_int_equal(store_mt_mark_unknown(f->st, c, 200), STORE_OK);
	assert_int_equal(store_mt_get(f->st, a, &m), STORE_OK);
	assert_true(m.state == STORE_MT_PENDING && m.parts == 3 &&
	    m.parts_sent == 1);
	mt = outbox_next(f->ob, 10, 1);
	assert_non_null(mt);
	assert_true(mt->id == a && mt->parts == 3 && mt->part == 1 &&
	    mt->via == 0 && mt->attempts == 0);
	outbox_inflight(f->ob, mt, 1, 10);
	assert_null(outbox_next(f->ob, 11, 1));
}

/* Store: each part's id, receipts per part, and the MT's verdict. */
static void
test_store_part_receipts(void **state)
{
	struct fixture	*f = *state;
	struct store_mt	 m;
	const char	*ids[1];
	int64_t		 a, b, mt_id;

	a = queue_mt(f, "6281100000001", "long");
	b = queue_mt(f, "6281100000002", "long too");
	assert_int_equal(store_mt_part_sent(f->st, a, 1, 3, 0, "A1", 100),
	    STORE_OK);
	assert_int_equal(store_mt_part_sent(f->st, a, 2, 3, 0, "a2", 101),
	    STORE_OK);
	assert_int_equal(store_mt_part_sent(f->st, a, 3, 3, 0, "A3", 102),
	    STORE_OK);
	assert_int_equal(store_mt_mark_sent(f->st, a, "A3", 102), STORE_OK);
	assert_int_equal(store_mt_part_sent(f->st, a, 4, 3, 0, "A4", 102),
	    STORE_ERROR);
	/* Two of three delivered: not yet delivered. */
	ids[0] = "a1";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_DELIVERED,
	    200, &mt_id), STORE_OK);
	assert_int_equal(mt_id, a);
	ids[0] = "A2";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_DELIVERED,
	    201, &mt_id), STORE_OK);
	assert_int_equal(store_mt_get(f->st, a, &m), STORE_OK);
	assert_int_equal(m.receipt, STORE_RCPT_NONE);
	/* The last part's id is on the mt row too: matched as a part. */
	ids[0] = "A3";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_DELIVERED,
	    202, &mt_id), STORE_OK);
	assert_int_equal(mt_id, a);
	assert_int_equal(store_mt_get(f->st, a, &m), STORE_OK);
	assert_int_equal(m.receipt, STORE_RCPT_DELIVERED);
	assert_int_equal(m.receipt_at, 202);

	/* One part expired: the message did not arrive. */
	assert_int_equal(store_mt_part_sent(f->st, b, 1, 2, 0, "B1", 100),
	    STORE_OK);
	assert_int_equal(store_mt_part_sent(f->st, b, 2, 2, 0, "B2", 100),
	    STORE_OK);
	ids[0] = "B2";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_EXPIRED,
	    300, &mt_id), STORE_OK);
	ids[0] = "B1";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_DELIVERED,
	    301, &mt_id), STORE_OK);
	assert_int_equal(store_mt_get(f->st, b, &m), STORE_OK);
	assert_int_equal(m.receipt, STORE_RCPT_EXPIRED);
	/* A part sent again after a lost link: its new id, no receipt. */
	assert_int_equal(store_mt_part_sent(f->st, b, 2, 2, 0, "B2bis", 400),
	    STORE_OK);
	ids[0] = "B2bis";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_DELIVERED,
	    401, &mt_id), STORE_OK);
	assert_int_equal(store_mt_get(f->st, b, &m), STORE_OK);
	assert_int_equal(m.receipt, STORE_RCPT_DELIVERED);
	/* Ids nobody was given still match nothing. */
	ids[0] = "B2";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_DELIVERED,
	    402, &mt_id), STORE_NOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_pace_wait, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_parts_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_part_retry_and_failure,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_after_link_lost,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_not_expired, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_part_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_part_gives_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_part_resume, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_part_receipts,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
