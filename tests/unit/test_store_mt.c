/*
 * test_store_mt.c: the outbox (store_mt.c): rows, the pending page,
 * fates one at a time and many at once (store_mt_sent.c), the reply to
 * an MO and delivery receipts, on ":memory:" and on a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"
#include "store_fixture.h"

struct mt_page {
	int	n;
	int64_t	ids[16];
};

static int
collect_mt(void *arg, const struct store_mt *m)
{
	struct mt_page	*p = arg;

	assert_int_equal(m->state, STORE_MT_PENDING);
	assert_true(p->n < 16);
	p->ids[p->n++] = m->id;
	return 0;
}

static void
test_mt(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mt	 m, got;
	struct mt_page	 p;
	int64_t		 id[6];
	int		 i, n;

	for (i = 0; i < 6; i++) {
		memset(&m, 0, sizeof(m));
		m.mo_id = i == 0 ? 0 : 100 + i;
		snprintf(m.dest, sizeof(m.dest), "62812000000%02d", i);
		snprintf(m.text, sizeof(m.text), "OK. Ref G00%d", i);
		m.created_at = 1780000000 + i;
		assert_int_equal(store_mt_insert(st, &m), STORE_OK);
		id[i] = m.id;
		if (i > 0)
			assert_true(id[i] > id[i - 1]);
	}

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mt_get(st, id[1], &got), STORE_OK);
	assert_int_equal(got.id, id[1]);
	assert_int_equal(got.mo_id, 101);
	assert_string_equal(got.dest, "6281200000001");
	assert_string_equal(got.text, "OK. Ref G001");
	assert_int_equal(got.state, STORE_MT_PENDING);
	assert_int_equal(got.attempts, 0);
	assert_int_equal(got.last_status, 0);
	assert_string_equal(got.message_id, "");
	assert_int_equal(got.created_at, 1780000001);
	assert_int_equal(got.sent_at, 0);
	assert_int_equal(store_mt_get(st, id[0], &got), STORE_OK);
	assert_int_equal(got.mo_id, 0);
	assert_int_equal(store_mt_get(st, 999999, &got), STORE_NOTFOUND);

	/* Paging: two at a time, by id. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_mt_pending(st, 0, 2, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.ids[0], id[0]);
	assert_int_equal(p.ids[1], id[1]);
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_mt_pending(st, id[1], 2, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.ids[0], id[2]);
	assert_int_equal(p.ids[1], id[3]);
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_mt_pending(st, id[5], 2, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(store_mt_pending(st, 0, 0, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 0);

	/* Sent, failed, retried. */
	assert_int_equal(store_mt_mark_sent(st, id[2], "msg-0002", 1780000100),
	    STORE_OK);
	assert_int_equal(store_mt_get(st, id[2], &got), STORE_OK);
	assert_int_equal(got.state, STORE_MT_SENT);
	assert_string_equal(got.message_id, "msg-0002");
	assert_int_equal(got.sent_at, 1780000100);
	assert_int_equal(store_mt_mark_failed(st, id[3], 0x45, 1780000200),
	    STORE_OK);
	assert_int_equal(store_mt_get(st, id[3], &got), STORE_OK);
	assert_int_equal(got.state, STORE_MT_FAILED);
	assert_int_equal(got.last_status, 0x45);
	assert_int_equal(got.sent_at, 0);
	assert_int_equal(store_mt_attempt(st, id[4], 0x58), STORE_OK);
	assert_int_equal(store_mt_attempt(st, id[4], 0x14), STORE_OK);
	assert_int_equal(store_mt_get(st, id[4], &got), STORE_OK);
	assert_int_equal(got.state, STORE_MT_PENDING);
	assert_int_equal(got.attempts, 2);
	assert_int_equal(got.last_status, 0x14);
	assert_int_equal(store_mt_mark_sent(st, 999999, "x", 1),
	    STORE_NOTFOUND);
	assert_int_equal(store_mt_mark_failed(st, 999999, 1, 1),
	    STORE_NOTFOUND);
	assert_int_equal(store_mt_attempt(st, 999999, 1), STORE_NOTFOUND);
	memset(&m, 0, sizeof(m));
	m.state = (enum store_mt_state)7;
	assert_int_equal(store_mt_insert(st, &m), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "state 7"));

	memset(&p, 0, sizeof(p));
	assert_int_equal(store_mt_pending(st, 0, 10, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.ids[0], id[0]);
	assert_int_equal(p.ids[1], id[1]);
	assert_int_equal(p.ids[2], id[4]);
	assert_int_equal(p.ids[3], id[5]);

	assert_int_equal(store_mt_count(st, STORE_MT_PENDING, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_mt_count(st, STORE_MT_SENT, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_mt_count(st, STORE_MT_FAILED, &n), STORE_OK);
	assert_int_equal(n, 1);
}

static int64_t
put_mt(struct store *st, int64_t mo_id, const char *text)
{
	struct store_mt	mt;

	memset(&mt, 0, sizeof(mt));
	mt.mo_id = mo_id;
	snprintf(mt.dest, sizeof(mt.dest), "6281200000001");
	snprintf(mt.text, sizeof(mt.text), "%s", text);
	mt.created_at = 1780000000;
	assert_int_equal(store_mt_insert(st, &mt), STORE_OK);
	return mt.id;
}

/*
 * Many SENT fates at once, as a batch applies them: the same rows as
 * one by one, over more than one statement's worth, with an unknown MT
 * and one named twice (the last message id stays), an empty message id
 * stored as none.
 */
static void
test_mt_sent_many(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mt	 m, got;
	int64_t		 ids[40];
	char		 buf[40][16];
	const char	*msgids[40];
	int		 found[40], i;

	for (i = 0; i < 37; i++) {
		memset(&m, 0, sizeof(m));
		snprintf(m.dest, sizeof(m.dest), "62812000000%02d", i);
		snprintf(m.text, sizeof(m.text), "OK %d", i);
		m.state = STORE_MT_PENDING;
		m.created_at = 1780000000;
		assert_int_equal(store_mt_insert(st, &m), STORE_OK);
		ids[i] = m.id;
		snprintf(buf[i], sizeof(buf[i]), "m%d", i);
		msgids[i] = buf[i];
	}
	msgids[3] = "";
	ids[37] = 999999;
	msgids[37] = "none";
	ids[38] = ids[5];
	msgids[38] = "again";
	ids[39] = ids[6];
	msgids[39] = NULL;
	assert_int_equal(store_mt_mark_sent_many(st, 40, ids, msgids,
	    1780000100, found), STORE_OK);
	for (i = 0; i < 40; i++)
		assert_int_equal(found[i], i == 37 ? STORE_NOTFOUND :
		    STORE_OK);
	for (i = 0; i < 37; i++) {
		assert_int_equal(store_mt_get(st, ids[i], &got), STORE_OK);
		assert_int_equal(got.state, STORE_MT_SENT);
		assert_int_equal(got.sent_at, 1780000100);
		assert_string_equal(got.message_id, i == 3 || i == 6 ? "" :
		    i == 5 ? "again" : buf[i]);
	}
	assert_int_equal(store_mt_mark_sent_many(st, 0, ids, msgids, 1,
	    found), STORE_OK);
}

static void
test_mt_by_mo(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mt	 got;
	int64_t		 a, b, c;

	assert_int_equal(store_mt_by_mo(st, 10, &got), STORE_NOTFOUND);
	a = put_mt(st, 10, "first");
	b = put_mt(st, 11, "other");
	(void)put_mt(st, 0, "broadcast");
	c = put_mt(st, 10, "second");
	assert_true(a < c);

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mt_by_mo(st, 10, &got), STORE_OK);
	assert_int_equal(got.id, c);
	assert_int_equal(got.mo_id, 10);
	assert_string_equal(got.text, "second");
	assert_int_equal(got.state, STORE_MT_PENDING);
	assert_int_equal(got.receipt, STORE_RCPT_NONE);
	assert_int_equal(got.receipt_at, 0);
	assert_int_equal(store_mt_by_mo(st, 11, &got), STORE_OK);
	assert_int_equal(got.id, b);
	assert_int_equal(store_mt_by_mo(st, 12, &got), STORE_NOTFOUND);
	/* 0 is "no MO": an MT made by no SMS answers nobody. */
	assert_int_equal(store_mt_by_mo(st, 0, &got), STORE_NOTFOUND);

	/* Whatever became of it. */
	assert_int_equal(store_mt_mark_sent(st, c, "m-1", 1780000001),
	    STORE_OK);
	assert_int_equal(store_mt_by_mo(st, 10, &got), STORE_OK);
	assert_int_equal(got.id, c);
	assert_int_equal(got.state, STORE_MT_SENT);
}

static void
test_mt_receipt(void **state)
{
	struct store		*st = fx_store(state);
	struct store_mt		 got;
	const char		*ids[4];
	char			 longid[STORE_MSGID_MAX + 8];
	int64_t			 a, b, c, d, e, mt_id;
	int			 n;

	a = put_mt(st, 1, "a");
	b = put_mt(st, 2, "b");
	c = put_mt(st, 3, "c");		/* stays pending: no message id */
	d = put_mt(st, 4, "d");
	assert_int_equal(store_mt_mark_sent(st, a, "abc123DEF", 100),
	    STORE_OK);
	assert_int_equal(store_mt_mark_sent(st, b, "0A1B2C", 101), STORE_OK);
	/* The SMSC reused a's id, in another case, for a later MT. */
	assert_int_equal(store_mt_mark_sent(st, d, "ABC123def", 102),
	    STORE_OK);

	/* Any case; the latest MT with that id wins. */
	ids[0] = "abc123def";
	mt_id = -1;
	assert_int_equal(store_mt_receipt(st, ids, 1, STORE_RCPT_DELIVERED,
	    200, &mt_id), STORE_OK);
	assert_int_equal(mt_id, d);
	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mt_get(st, d, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_DELIVERED);
	assert_int_equal(got.receipt_at, 200);
	assert_int_equal(got.state, STORE_MT_SENT);
	assert_string_equal(got.message_id, "ABC123def");
	assert_int_equal(store_mt_get(st, a, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_NONE);
	assert_int_equal(got.receipt_at, 0);

	/* Any of the forms: here the second. */
	ids[0] = "nope";
	ids[1] = "0a1b2c";
	assert_int_equal(store_mt_receipt(st, ids, 2, STORE_RCPT_ACCEPTED,
	    201, &mt_id), STORE_OK);
	assert_int_equal(mt_id, b);
	/* A later receipt replaces the earlier state. */
	ids[0] = "0A1B2C";
	assert_int_equal(store_mt_receipt(st, ids, 1,
	    STORE_RCPT_UNDELIVERABLE, 202, &mt_id), STORE_OK);
	assert_int_equal(mt_id, b);
	assert_int_equal(store_mt_get(st, b, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_UNDELIVERABLE);
	assert_int_equal(got.receipt_at, 202);

	/* Forms that match different MTs: the latest of them. */
	ids[0] = "0a1b2c";
	ids[1] = "x";
	ids[2] = "abc123def";
	assert_int_equal(store_mt_receipt(st, ids, 3, STORE_RCPT_EXPIRED,
	    203, &mt_id), STORE_OK);
	assert_int_equal(mt_id, d);
	assert_int_equal(store_mt_get(st, d, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_EXPIRED);
	assert_int_equal(store_mt_get(st, b, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_UNDELIVERABLE);

	/* Nothing matches: no change, mt_id 0. */
	ids[0] = "abc123de";
	ids[1] = "";
	ids[2] = "abc123def0";
	mt_id = -1;
	assert_int_equal(store_mt_receipt(st, ids, 3, STORE_RCPT_DELIVERED,
	    204, &mt_id), STORE_NOTFOUND);
	assert_int_equal(mt_id, 0);
	assert_int_equal(store_mt_receipt(st, ids, 0, STORE_RCPT_DELIVERED,
	    204, &mt_id), STORE_NOTFOUND);
	/* An empty form matches no MT, not even one without an id. */
	ids[0] = "";
	assert_int_equal(store_mt_receipt(st, ids, 1, STORE_RCPT_DELIVERED,
	    204, &mt_id), STORE_NOTFOUND);
	assert_int_equal(store_mt_get(st, c, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_NONE);
	/* At most STORE_RCPT_IDS_MAX forms. */
	ids[0] = ids[1] = ids[2] = ids[3] = "0a1b2c";
	assert_int_equal(store_mt_receipt(st, ids, STORE_RCPT_IDS_MAX + 1,
	    STORE_RCPT_DELIVERED, 204, &mt_id), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "forms"));

	/* The longest id matches; a longer form is no overrun. */
	memset(longid, 'f', sizeof(longid));
	longid[STORE_MSGID_MAX] = '\0';
	e = put_mt(st, 5, "e");
	assert_int_equal(store_mt_mark_sent(st, e, longid, 300), STORE_OK);
	longid[0] = 'F';
	ids[0] = longid;
	assert_int_equal(store_mt_receipt(st, ids, 1, STORE_RCPT_DELIVERED,
	    301, &mt_id), STORE_OK);
	assert_int_equal(mt_id, e);
	longid[STORE_MSGID_MAX] = 'f';
	longid[STORE_MSGID_MAX + 1] = '\0';
	assert_int_equal(store_mt_receipt(st, ids, 1, STORE_RCPT_DELIVERED,
	    302, &mt_id), STORE_NOTFOUND);

	/* The pending page reads the new columns too. */
	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mt_pending(st, 0, 10, collect_mt_any, &got),
	    STORE_OK);
	assert_int_equal(got.id, c);
	assert_int_equal(got.receipt, STORE_RCPT_NONE);
	assert_int_equal(got.receipt_at, 0);
	assert_int_equal(store_mt_count(st, STORE_MT_PENDING, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_mt_count(st, STORE_MT_SENT, &n), STORE_OK);
	assert_int_equal(n, 4);
}

#define MT_TESTS(setup)							\
	cmocka_unit_test_setup_teardown(test_mt, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_mt_sent_many, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_mt_by_mo, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_mt_receipt, setup, teardown)

int
main(void)
{
	const struct CMUnitTest memory_tests[] = {
		MT_TESTS(setup_memory),
	};
	const struct CMUnitTest file_tests[] = {
		MT_TESTS(setup_file),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store mt :memory:", memory_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("store mt file", file_tests, NULL,
	    NULL);
	return failed == 0 ? 0 : 1;
}
