/*
 * test_store_mo.c: MO rows (store_mo.c), the redelivery window
 * (store_recent.c) and the parts of long MOs (store_parts.c), on
 * ":memory:" and on a file.
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

static void
test_mo(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mo	 mo;
	int64_t		 first;

	memset(&mo, 0, sizeof(mo));
	strcpy(mo.sender, "6281200000001");
	strcpy(mo.dest, "94500");
	strcpy(mo.text, "GRAD 12345");
	mo.received_at = 1780000000;
	assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
	assert_true(mo.id > 0);
	first = mo.id;
	strcpy(mo.smsc_ref, "abc-1");
	assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
	assert_true(mo.id > first);
}

static int64_t
put_mo(struct store *st, const char *sender, const char *text, int64_t t)
{
	struct store_mo	mo;

	memset(&mo, 0x55, sizeof(mo));
	snprintf(mo.sender, sizeof(mo.sender), "%s", sender);
	snprintf(mo.dest, sizeof(mo.dest), "94500");
	snprintf(mo.text, sizeof(mo.text), "%s", text);
	snprintf(mo.smsc_ref, sizeof(mo.smsc_ref), "ref-%lld", (long long)t);
	mo.received_at = t;
	assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
	assert_int_equal(mo.deliveries, 1);
	return mo.id;
}

/* Redeliveries: the latest MO from a sender with exactly this text. */
static void
test_mo_find_recent(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mo	 got;
	int64_t		 b, e, f, u;
	const char	*s1 = "6281200000001", *s2 = "6281200000002";

	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 0, &got),
	    STORE_NOTFOUND);
	(void)put_mo(st, s1, "GRAD 12345", 1000);
	b = put_mo(st, s1, "GRAD 12345", 1100);
	(void)put_mo(st, s1, "GRAD 12346", 1200);
	(void)put_mo(st, s2, "GRAD 12345", 1300);
	e = put_mo(st, s1, "grad 12345", 1250);

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 0, &got),
	    STORE_OK);
	assert_int_equal(got.id, b);
	assert_string_equal(got.sender, s1);
	assert_string_equal(got.dest, "94500");
	assert_string_equal(got.text, "GRAD 12345");
	assert_string_equal(got.smsc_ref, "ref-1100");
	assert_int_equal(got.received_at, 1100);
	assert_int_equal(got.deliveries, 1);

	/* since is inclusive. */
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 1100,
	    &got), STORE_OK);
	assert_int_equal(got.id, b);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 1101,
	    &got), STORE_NOTFOUND);

	/* Exactly this text: not another case, not another space. */
	assert_int_equal(store_mo_find_recent(st, s1, "grad 12345", 0, &got),
	    STORE_OK);
	assert_int_equal(got.id, e);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345 ", 0,
	    &got), STORE_NOTFOUND);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 1234", 0, &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_mo_find_recent(st, "6281200000003",
	    "GRAD 12345", 0, &got), STORE_NOTFOUND);

	/* The same second: the later row; an earlier time inserted later
	 * (the clock stepped back) does not hide the latest. */
	f = put_mo(st, s1, "GRAD 12345", 1100);
	(void)put_mo(st, s1, "GRAD 12345", 1050);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 0, &got),
	    STORE_OK);
	assert_int_equal(got.id, f);

	/* UTF-8 text, as decoded from UCS-2. */
	u = put_mo(st, s2, "GRAD 12345 \xf0\x9f\x98\x8a", 1400);
	assert_int_equal(store_mo_find_recent(st, s2,
	    "GRAD 12345 \xf0\x9f\x98\x8a", 1300, &got), STORE_OK);
	assert_int_equal(got.id, u);

	/* Redeliveries are counted on the row. */
	assert_int_equal(store_mo_redelivered(st, f), STORE_OK);
	assert_int_equal(store_mo_redelivered(st, f), STORE_OK);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 0, &got),
	    STORE_OK);
	assert_int_equal(got.id, f);
	assert_int_equal(got.deliveries, 3);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 1000,
	    &got), STORE_OK);
	assert_int_equal(got.deliveries, 3);
	assert_int_equal(store_mo_redelivered(st, 999999), STORE_NOTFOUND);
	assert_non_null(strstr(store_errmsg(st), "999999"));
}

/* Parts of long MOs, as store_part_list() and friends hand them out. */
struct part_seen {
	int	seqs[8];
	char	text[256];
	int	n;
	int	stop_after;		/* 0: never */
};

static int
collect_parts(void *arg, const struct store_part *p)
{
	struct part_seen	*ps = arg;
	size_t			 len = strlen(ps->text);

	if (ps->n < 8)
		ps->seqs[ps->n] = p->seq;
	ps->n++;
	snprintf(ps->text + len, sizeof(ps->text) - len, "%s",
	    p->text != NULL ? p->text : "");
	return ps->stop_after != 0 && ps->n == ps->stop_after;
}

/*
 * A message of three parts kept out of order: the key refuses a second
 * copy of a part, the list comes in seq order, finishing leaves the
 * parts to recognise redeliveries, forget and purge remove them.
 */
static void
test_parts(void **state)
{
	struct store		*st = fx_store(state);
	struct store_part	 p, key;
	struct part_seen	 ps;
	int64_t			 mo_id;
	int			 n, same, msgs, parts;

	p = make_part("6281200000001", 7, 3, 3, "three", 100);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000001", 7, 3, 1, "one ", 101);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	/* The same part again, whatever its text: refused. */
	assert_int_equal(store_part_insert(st, &p), STORE_EXISTS);
	p.text = "other";
	assert_int_equal(store_part_insert(st, &p), STORE_EXISTS);
	assert_int_equal(store_part_find(st, &p, &same, &mo_id), STORE_OK);
	assert_int_equal(same, 0);
	assert_int_equal(mo_id, 0);
	p.text = "one ";
	assert_int_equal(store_part_find(st, &p, &same, &mo_id), STORE_OK);
	assert_int_equal(same, 1);
	p.seq = 2;
	assert_int_equal(store_part_find(st, &p, &same, &mo_id),
	    STORE_NOTFOUND);

	/* Other messages: another ref, total, sender or dest. */
	p = make_part("6281200000001", 8, 3, 2, "x", 102);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000001", 7, 2, 2, "y", 103);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000002", 7, 3, 2, "z", 104);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000001", 7, 3, 2, "w", 105);
	snprintf(p.dest, sizeof(p.dest), "1718");
	assert_int_equal(store_part_insert(st, &p), STORE_OK);

	key = make_part("6281200000001", 7, 3, 0, NULL, 0);
	assert_int_equal(store_part_count(st, &key, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_part_stats(st, &msgs, &parts), STORE_OK);
	assert_int_equal(msgs, 5);
	assert_int_equal(parts, 6);

	p = make_part("6281200000001", 7, 3, 2, "two ", 106);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(store_part_list(st, &key, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.n, 3);
	assert_int_equal(ps.seqs[0], 1);
	assert_int_equal(ps.seqs[1], 2);
	assert_int_equal(ps.seqs[2], 3);
	assert_string_equal(ps.text, "one two three");
	memset(&ps, 0, sizeof(ps));
	ps.stop_after = 1;
	assert_int_equal(store_part_list(st, &key, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.n, 1);

	/* Finished: no longer pending, still known. */
	assert_int_equal(store_part_finish(st, &key, 42, 200), STORE_OK);
	assert_int_equal(store_part_count(st, &key, &n), STORE_OK);
	assert_int_equal(n, 0);
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(store_part_list(st, &key, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.n, 0);
	p = make_part("6281200000001", 7, 3, 3, "three", 300);
	assert_int_equal(store_part_insert(st, &p), STORE_EXISTS);
	assert_int_equal(store_part_find(st, &p, &same, &mo_id), STORE_OK);
	assert_int_equal(same, 1);
	assert_int_equal(mo_id, 42);
	assert_int_equal(store_part_stats(st, &msgs, &parts), STORE_OK);
	assert_int_equal(msgs, 4);
	assert_int_equal(parts, 4);

	/* Forget: the finished parts go, a pending one stays. */
	assert_int_equal(store_part_insert(st, &(struct store_part){ 0 }),
	    STORE_ERROR);
	assert_int_equal(store_part_forget(st, &key), STORE_OK);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	assert_int_equal(store_part_forget(st, &key), STORE_OK);
	assert_int_equal(store_part_count(st, &key, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* Purge: only what finished before the time given. */
	assert_int_equal(store_part_finish(st, &key, 43, 400), STORE_OK);
	assert_int_equal(store_part_purge(st, 400, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_part_purge(st, 401, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_part_find(st, &p, &same, &mo_id),
	    STORE_NOTFOUND);
}

/* Overdue messages by their first part, oldest first; all pending. */
static int
collect_keys(void *arg, const struct store_part *p)
{
	struct store_part	*keys = arg;
	int			 i;

	for (i = 0; keys[i].total != 0; i++)
		;
	keys[i] = *p;
	return 0;
}

static void
test_parts_expired(void **state)
{
	struct store		*st = fx_store(state);
	struct store_part	 p, keys[8];
	struct part_seen	 ps;

	p = make_part("6281200000001", 1, 3, 2, "b", 50);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000001", 1, 3, 3, "c", 10);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000002", 2, 2, 1, "a", 30);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000003", 65535, 255, 255, "z", 90);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	/* Out of range: what no UDH or SAR TLV can carry. */
	p.ref = 65536;
	assert_int_equal(store_part_insert(st, &p), STORE_ERROR);
	p = make_part("6281200000003", 1, 3, 4, "z", 90);
	assert_int_equal(store_part_insert(st, &p), STORE_ERROR);
	p.seq = 0;
	assert_int_equal(store_part_insert(st, &p), STORE_ERROR);

	memset(keys, 0, sizeof(keys));
	assert_int_equal(store_part_expired(st, 31, 8, collect_keys, keys),
	    STORE_OK);
	assert_string_equal(keys[0].sender, "6281200000001");
	assert_int_equal(keys[0].ref, 1);
	assert_int_equal(keys[0].total, 3);
	assert_int_equal(keys[0].seq, 2);		/* parts pending */
	assert_int_equal(keys[0].received_at, 10);
	assert_int_equal(keys[0].sender_ton, 1);
	assert_string_equal(keys[0].dest, "1717");
	assert_null(keys[0].text);
	assert_string_equal(keys[1].sender, "6281200000002");
	assert_int_equal(keys[2].total, 0);
	memset(keys, 0, sizeof(keys));
	assert_int_equal(store_part_expired(st, 1000, 1, collect_keys, keys),
	    STORE_OK);
	assert_int_equal(keys[0].ref, 1);
	assert_int_equal(keys[1].total, 0);
	assert_int_equal(store_part_finish(st, &keys[0], 7, 60), STORE_OK);
	memset(keys, 0, sizeof(keys));
	assert_int_equal(store_part_expired(st, 1000, 8, collect_keys, keys),
	    STORE_OK);
	assert_int_equal(keys[0].ref, 2);
	assert_int_equal(keys[1].ref, 65535);
	assert_int_equal(keys[1].total, 255);

	/* Every pending part, by message then seq. */
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(store_part_pending(st, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.text, "az");
}

/*
 * A part and a long text survive a reopen of the file (the daemon's
 * restart); a savepoint rolled back takes its part with it.
 */
static void
test_parts_durable(void **state)
{
	struct fixture		*f = *state;
	struct store_part	 p, key;
	struct part_seen	 ps;
	static char		 big[STORE_PART_TEXT_MAX + 2];
	char			 err[256];
	int			 n;

	memset(big, 'x', sizeof(big) - 1);
	big[STORE_PART_TEXT_MAX] = '\0';
	p = make_part("6281200000001", 9, 2, 1, big, 10);
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(store_part_insert(f->st, &p), STORE_OK);
	assert_int_equal(store_savepoint(f->st), STORE_OK);
	p.seq = 2;
	p.text = "tail";
	assert_int_equal(store_part_insert(f->st, &p), STORE_OK);
	assert_int_equal(store_rollback_to(f->st), STORE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);
	/* One byte over: refused, nothing stored. */
	big[STORE_PART_TEXT_MAX] = 'x';
	p.text = big;
	assert_int_equal(store_part_insert(f->st, &p), STORE_ERROR);
	big[STORE_PART_TEXT_MAX] = '\0';

	if (f->file) {
		store_close(f->st);
		assert_int_equal(store_open(f->path, NULL, &f->st, err,
		    sizeof(err)), STORE_OK);
	}
	key = make_part("6281200000001", 9, 2, 0, NULL, 0);
	assert_int_equal(store_part_count(f->st, &key, &n), STORE_OK);
	assert_int_equal(n, 1);
	memset(&ps, 0, sizeof(ps));
	ps.stop_after = 1;
	assert_int_equal(store_part_list(f->st, &key, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.seqs[0], 1);
	assert_int_equal(strlen(ps.text), sizeof(ps.text) - 1);
}

#define MO_TESTS(setup)							\
	cmocka_unit_test_setup_teardown(test_mo, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_mo_find_recent, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_parts, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_parts_expired, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_parts_durable, setup,	\
	    teardown)

int
main(void)
{
	const struct CMUnitTest memory_tests[] = {
		MO_TESTS(setup_memory),
	};
	const struct CMUnitTest file_tests[] = {
		MO_TESTS(setup_file),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store mo :memory:", memory_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("store mo file", file_tests, NULL,
	    NULL);
	return failed == 0 ? 0 : 1;
}
