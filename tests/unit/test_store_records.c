/*
 * test_store_records.c: store_records.c, on ":memory:" and on a file:
 * references and their sequence, natural keys and cancels, the latest
 * record, the walk, and the counts kept in tallies (and remembered in a
 * transaction) against the records themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar.h"
#include "store.h"
#include "store_fixture.h"

static void
test_record_refs(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, got;
	int64_t			 t = 1780000000, g3;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");

	/* One sequence per companion, shared by both kinds. */
	r = make_rec(STORE_KIND_GRAD, "C001", "111", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_VISIT, "C001", "222", 0, "2026-05-12", t);
	insert_ok(st, &r, "K002");
	r = make_rec(STORE_KIND_GRAD, "C002", "333", GRAMMAR_CAT_AL,
	    "2026-05-12", t);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C001", "444", GRAMMAR_CAT_PK,
	    "2026-05-13", t + 60);
	strcpy(r.note, "pindah kota");
	r.mo_id = 77;
	insert_ok(st, &r, "G003");

	/*
	 * The sequence this connection remembers is forgotten with what a
	 * rollback undoes: the next record takes the number again.
	 */
	g3 = r.id;
	assert_int_equal(store_begin(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C002", "555", GRAMMAR_CAT_SM,
	    "2026-05-13", t + 61);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_rollback(st), STORE_OK);
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_savepoint(st), STORE_OK);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_rollback_to(st), STORE_OK);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(store_record_cancel(st, r.id, t + 62, "x"), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "444", GRAMMAR_CAT_PK,
	    "2026-05-13", t + 60);
	strcpy(r.note, "pindah kota");
	r.mo_id = 77;
	r.id = g3;

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_record_by_ref(st, "C001", "G003", &got),
	    STORE_OK);
	assert_int_equal(got.id, r.id);
	assert_string_equal(got.ref, "G003");
	assert_int_equal(got.kind, STORE_KIND_GRAD);
	assert_string_equal(got.companion_id, "C001");
	assert_string_equal(got.kpm_id, "444");
	assert_int_equal(got.category, GRAMMAR_CAT_PK);
	assert_string_equal(got.note, "pindah kota");
	assert_string_equal(got.event_date, "2026-05-13");
	assert_int_equal(got.year, 2026);
	assert_int_equal(got.tz_offset, 8 * 3600);
	assert_int_equal(got.recorded_at, t + 60);
	assert_int_equal(got.mo_id, 77);
	assert_int_equal(got.cancelled_at, 0);
	assert_string_equal(got.cancel_reason, "");

	/* A visit reads back with category -1, no note, no MO. */
	assert_int_equal(store_record_by_ref(st, "C001", "K002", &got),
	    STORE_OK);
	assert_int_equal(got.kind, STORE_KIND_VISIT);
	assert_int_equal(got.category, -1);
	assert_string_equal(got.note, "");
	assert_int_equal(got.mo_id, 0);

	/* References are per companion, and read the Crockford way. */
	assert_int_equal(store_record_by_ref(st, "C002", "G001", &got),
	    STORE_OK);
	assert_string_equal(got.kpm_id, "333");
	assert_int_equal(store_record_by_ref(st, "C002", "G003", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "k0o2", &got),
	    STORE_OK);
	assert_string_equal(got.ref, "K002");
	assert_int_equal(store_record_by_ref(st, "C001", "GOOl", &got),
	    STORE_OK);
	assert_string_equal(got.ref, "G001");
	assert_int_equal(store_record_by_ref(st, "C001", "g1", &got),
	    STORE_OK);
	assert_string_equal(got.ref, "G001");
	assert_int_equal(store_record_by_ref(st, "C001", "K2", &got),
	    STORE_OK);
	assert_string_equal(got.ref, "K002");

	/* Not references, or not this one. */
	assert_int_equal(store_record_by_ref(st, "C001", "K001", &got),
	    STORE_NOTFOUND);		/* seq 1 is a graduation */
	assert_int_equal(store_record_by_ref(st, "C001", "G004", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "X001", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "G00U", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "G", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "G0000000001",
	    &got), STORE_NOTFOUND);
}

/* The reference grows a digit after ZZZ (sequence 32767). */
static void
test_record_ref_growth(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r;
	char			 kpm[16];
	int			 i;

	add_companion(st, "C001", "6281200000001");
	assert_int_equal(store_begin(st), STORE_OK);
	for (i = 1; i <= 32769; i++) {
		snprintf(kpm, sizeof(kpm), "%d", 100000 + i);
		r = make_rec(STORE_KIND_VISIT, "C001", kpm, 0, "2026-01-02",
		    1780000000 + i);
		assert_int_equal(store_record_insert(st, &r), STORE_OK);
		switch (i) {
		case 9:
			assert_string_equal(r.ref, "K009");
			break;
		case 10:
			assert_string_equal(r.ref, "K00A");
			break;
		case 31:
			assert_string_equal(r.ref, "K00Z");
			break;
		case 32:
			assert_string_equal(r.ref, "K010");
			break;
		case 1023:
			assert_string_equal(r.ref, "K0ZZ");
			break;
		case 1024:
			assert_string_equal(r.ref, "K100");
			break;
		case 32767:
			assert_string_equal(r.ref, "KZZZ");
			break;
		case 32768:
			assert_string_equal(r.ref, "K1000");
			break;
		case 32769:
			assert_string_equal(r.ref, "K1001");
			break;
		}
	}
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(store_record_by_ref(st, "C001", "K1000", &r),
	    STORE_OK);
	assert_string_equal(r.kpm_id, "132768");
}

static void
test_record_natural_key(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, dup, got;
	int64_t			 t = 1780000000;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");

	/* One active graduation per KPM, whoever records it. */
	r = make_rec(STORE_KIND_GRAD, "C001", "12345", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	insert_ok(st, &r, "G001");
	dup = make_rec(STORE_KIND_GRAD, "C002", "12345", GRAMMAR_CAT_AL,
	    "2026-06-01", t + 100);
	assert_int_equal(store_record_insert(st, &dup), STORE_EXISTS);
	assert_int_equal(dup.id, 0);
	assert_string_equal(dup.ref, "");
	assert_int_equal(store_record_find_key(st, &dup, &got), STORE_OK);
	assert_int_equal(got.id, r.id);
	assert_string_equal(got.companion_id, "C001");
	assert_string_equal(got.ref, "G001");

	/* No sequence number was taken by the duplicate. */
	dup = make_rec(STORE_KIND_GRAD, "C002", "67890", GRAMMAR_CAT_SM,
	    "2026-06-01", t + 100);
	insert_ok(st, &dup, "G001");

	/* Visits: per companion, KPM and day. */
	r = make_rec(STORE_KIND_VISIT, "C001", "12345", 0, "2026-05-12", t);
	insert_ok(st, &r, "K002");
	dup = r;
	memset(dup.ref, 0, sizeof(dup.ref));
	dup.id = 0;
	assert_int_equal(store_record_insert(st, &dup), STORE_EXISTS);
	dup = make_rec(STORE_KIND_VISIT, "C001", "12345", 0, "2026-05-13", t);
	insert_ok(st, &dup, "K003");
	dup = make_rec(STORE_KIND_VISIT, "C002", "12345", 0, "2026-05-12", t);
	insert_ok(st, &dup, "K002");
	dup = make_rec(STORE_KIND_VISIT, "C001", "12345", 0, "2026-05-14", t);
	assert_int_equal(store_record_find_key(st, &dup, &got),
	    STORE_NOTFOUND);

	/* An unknown companion is an error, with a reason. */
	dup = make_rec(STORE_KIND_GRAD, "C404", "55555", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	assert_int_equal(store_record_insert(st, &dup), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "no companion C404"));
	/* ... and leaves no transaction of its own open behind it. */
	assert_int_equal(store_begin(st), STORE_OK);
	/* Inside the caller's, the failure spoils nothing else. */
	assert_int_equal(store_record_insert(st, &dup), STORE_ERROR);
	dup = make_rec(STORE_KIND_VISIT, "C002", "55555", 0, "2026-05-12", t);
	insert_ok(st, &dup, "K003");
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(store_record_by_ref(st, "C002", "K003", &got),
	    STORE_OK);

	/* Cancel frees the key; a second cancel finds nothing. */
	r = make_rec(STORE_KIND_GRAD, "C001", "12345", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	assert_int_equal(store_record_find_key(st, &r, &got), STORE_OK);
	assert_int_equal(store_record_cancel(st, got.id, t + 10, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_cancel(st, got.id, t + 20, "BATAL"),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_cancel(st, 424242, t + 20, "x"),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_cancel(st, got.id, 0, "x"),
	    STORE_ERROR);		/* 0 would read as active */
	assert_int_equal(store_record_find_key(st, &r, &dup), STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "G001", &dup),
	    STORE_OK);
	assert_int_equal(dup.cancelled_at, t + 10);
	assert_string_equal(dup.cancel_reason, "BATAL");
	insert_ok(st, &r, "G004");
	assert_int_equal(store_record_find_key(st, &r, &got), STORE_OK);
	assert_string_equal(got.ref, "G004");

	/* The same for a visit. */
	r = make_rec(STORE_KIND_VISIT, "C001", "12345", 0, "2026-05-12", t);
	assert_int_equal(store_record_find_key(st, &r, &got), STORE_OK);
	assert_int_equal(store_record_cancel(st, got.id, t + 10, NULL),
	    STORE_OK);
	insert_ok(st, &r, "K005");
}

static void
test_record_count(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r;
	int64_t			 t = 1780000000;
	int			 n, v, i;
	const unsigned		 all = CAT_BIT(GRAMMAR_CAT_SM) |
				    CAT_BIT(GRAMMAR_CAT_AL) |
				    CAT_BIT(GRAMMAR_CAT_PK);
	static const struct {
		int		 cat;
		const char	*kpm;
		const char	*date;
	} grads[] = {
		{ GRAMMAR_CAT_SM, "1", "2026-01-01" },
		{ GRAMMAR_CAT_SM, "2", "2026-12-31" },
		{ GRAMMAR_CAT_AL, "3", "2026-03-01" },
		{ GRAMMAR_CAT_PK, "4", "2026-03-02" },
		{ GRAMMAR_CAT_SM, "5", "2025-12-31" },
	};

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	for (i = 0; i < (int)(sizeof(grads) / sizeof(grads[0])); i++) {
		r = make_rec(STORE_KIND_GRAD, "C001", grads[i].kpm,
		    grads[i].cat, grads[i].date, t);
		assert_int_equal(store_record_insert(st, &r), STORE_OK);
	}
	r = make_rec(STORE_KIND_GRAD, "C002", "6", GRAMMAR_CAT_SM,
	    "2026-02-02", t);
	assert_int_equal(store_record_insert(st, &r), STORE_OK);
	r = make_rec(STORE_KIND_VISIT, "C001", "1", 0, "2026-02-02", t);
	assert_int_equal(store_record_insert(st, &r), STORE_OK);
	r = make_rec(STORE_KIND_VISIT, "C001", "2", 0, "2026-02-02", t);
	assert_int_equal(store_record_insert(st, &r), STORE_OK);

	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    CAT_BIT(GRAMMAR_CAT_SM), &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    CAT_BIT(GRAMMAR_CAT_SM) | CAT_BIT(GRAMMAR_CAT_AL), &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    all, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    0, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2025,
	    all, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_count(st, "C002", STORE_KIND_GRAD, 2026,
	    all, &n), STORE_OK);
	assert_int_equal(n, 1);
	/* The mask does not apply to visits. */
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_VISIT,
	    2026, 0, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_record_count(st, "C404", STORE_KIND_GRAD, 2026,
	    all, &n), STORE_OK);
	assert_int_equal(n, 0);
	/* Both at once, as a confirmation shows them. */
	assert_int_equal(store_record_counts(st, "C001", 2026,
	    CAT_BIT(GRAMMAR_CAT_SM) | CAT_BIT(GRAMMAR_CAT_AL), &n, &v),
	    STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(v, 2);
	assert_int_equal(store_record_counts(st, "C001", 2025, all, &n, &v),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v, 0);
	assert_int_equal(store_record_counts(st, "C404", 2026, all, &n, &v),
	    STORE_OK);
	assert_int_equal(n + v, 0);

	/* A cancelled record stops counting. */
	assert_int_equal(store_record_by_ref(st, "C001", "G002", &r),
	    STORE_OK);
	assert_int_equal(store_record_cancel(st, r.id, t + 1, "salah"),
	    STORE_OK);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    CAT_BIT(GRAMMAR_CAT_SM), &n), STORE_OK);
	assert_int_equal(n, 1);
}

/*
 * BATAL without a reference: the companion's latest active record, the
 * one with the highest sequence number, recorded at or after since.
 */
static void
test_record_last(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, got;
	int64_t			 ids[40];
	char			 kpm[16];
	int			 i;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	assert_int_equal(store_record_last(st, "C001", 0, &got),
	    STORE_NOTFOUND);

	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C001", "4", 0, "2026-01-01", 150);
	insert_ok(st, &r, "G002");
	r = make_rec(STORE_KIND_VISIT, "C001", "2", 0, "2026-01-01", 200);
	insert_ok(st, &r, "K003");
	r = make_rec(STORE_KIND_VISIT, "C001", "3", 0, "2026-01-01", 200);
	insert_ok(st, &r, "K004");	/* same second: the higher seq wins */
	r = make_rec(STORE_KIND_GRAD, "C002", "5", 0, "2026-01-01", 900);
	insert_ok(st, &r, "G001");

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "K004");
	assert_string_equal(got.kpm_id, "3");
	assert_int_equal(got.recorded_at, 200);
	assert_int_equal(got.cancelled_at, 0);
	assert_int_equal(store_record_last(st, "C001", 200, &got), STORE_OK);
	assert_string_equal(got.ref, "K004");
	assert_int_equal(store_record_last(st, "C001", 201, &got),
	    STORE_NOTFOUND);

	/* Cancelled records are passed over. */
	assert_int_equal(store_record_cancel(st, got.id, 300, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "K003");
	assert_int_equal(store_record_last(st, "C001", 160, &got), STORE_OK);
	assert_string_equal(got.ref, "K003");
	assert_int_equal(store_record_cancel(st, got.id, 300, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 160, &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_last(st, "C001", 150, &got), STORE_OK);
	assert_string_equal(got.ref, "G002");
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "G002");

	/* Others' records are not ours, whatever their time. */
	assert_int_equal(store_record_last(st, "C002", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "G001");
	assert_string_equal(got.companion_id, "C002");
	assert_int_equal(store_record_last(st, "C003", 0, &got),
	    STORE_NOTFOUND);

	/* A run of cancelled records is walked past to an active one. */
	r = make_rec(STORE_KIND_GRAD, "C001", "6", 0, "2026-01-01", 400);
	insert_ok(st, &r, "G005");
	for (i = 0; i < 40; i++) {
		snprintf(kpm, sizeof(kpm), "%d", 700 + i);
		r = make_rec(STORE_KIND_VISIT, "C001", kpm, 0, "2026-01-02",
		    500 + i);
		assert_int_equal(store_record_insert(st, &r), STORE_OK);
		ids[i] = r.id;
	}
	for (i = 0; i < 40; i++)
		assert_int_equal(store_record_cancel(st, ids[i], 600,
		    "BATAL"), STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 400, &got), STORE_OK);
	assert_string_equal(got.ref, "G005");
	assert_int_equal(store_record_last(st, "C001", 401, &got),
	    STORE_NOTFOUND);

	/* All cancelled: nothing, however far back. */
	assert_int_equal(store_record_cancel(st, got.id, 700, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "G002");
	assert_int_equal(store_record_cancel(st, got.id, 700, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_by_ref(st, "C001", "G001", &got),
	    STORE_OK);
	assert_int_equal(store_record_cancel(st, got.id, 700, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 0, &got),
	    STORE_NOTFOUND);
}

struct each_acc {
	int	n;
	int	stop_at;
	int64_t	last_id;
	int	cancelled;
	char	refs[128];
};

static int
each_record(void *arg, const struct store_record *r)
{
	struct each_acc	*a = arg;

	assert_true(r->id > a->last_id);
	a->last_id = r->id;
	a->n++;
	if (r->cancelled_at != 0)
		a->cancelled++;
	strcat(a->refs, r->ref);
	strcat(a->refs, ",");
	return a->n == a->stop_at;
}

static void
test_record_each(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r;
	struct each_acc		 a;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	assert_int_equal(store_record_cancel(st, r.id, 101, "x"), STORE_OK);
	r = make_rec(STORE_KIND_VISIT, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "K002");
	r = make_rec(STORE_KIND_GRAD, "C002", "2", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G003");

	memset(&a, 0, sizeof(a));
	assert_int_equal(store_record_each(st, STORE_KIND_GRAD, each_record,
	    &a), STORE_OK);
	assert_int_equal(a.n, 3);
	assert_int_equal(a.cancelled, 1);
	assert_string_equal(a.refs, "G001,G001,G003,");

	memset(&a, 0, sizeof(a));
	a.stop_at = 2;
	assert_int_equal(store_record_each(st, STORE_KIND_GRAD, each_record,
	    &a), STORE_OK);
	assert_int_equal(a.n, 2);

	memset(&a, 0, sizeof(a));
	assert_int_equal(store_record_each(st, STORE_KIND_VISIT, each_record,
	    &a), STORE_OK);
	assert_string_equal(a.refs, "K002,");
}

/* Both counts, and the same from store_record_count() (no memory). */
static void
counts_are(struct store *st, int year, unsigned mask, int grad, int visits)
{
	int	g, v, n;

	assert_int_equal(store_record_counts(st, "C001", year, mask, &g, &v),
	    STORE_OK);
	assert_int_equal(g, grad);
	assert_int_equal(v, visits);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, year,
	    mask, &n), STORE_OK);
	assert_int_equal(n, grad);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_VISIT,
	    year, 0, &n), STORE_OK);
	assert_int_equal(n, visits);
}

/*
 * The counts a transaction remembers follow its inserts, and forget
 * what a cancellation, a rollback to a savepoint or a rollback changed.
 */
static void
test_record_counts_cached(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, sm;
	const unsigned		 mask = CAT_BIT(GRAMMAR_CAT_SM);
	int64_t			 t = 1780000000;

	add_companion(st, "C001", "6281200000001");
	assert_int_equal(store_begin(st), STORE_OK);
	counts_are(st, 2026, mask, 0, 0);
	sm = make_rec(STORE_KIND_GRAD, "C001", "701", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	insert_ok(st, &sm, "G001");
	counts_are(st, 2026, mask, 1, 0);
	r = make_rec(STORE_KIND_VISIT, "C001", "702", 0, "2026-05-12", t);
	insert_ok(st, &r, "K002");
	counts_are(st, 2026, mask, 1, 1);
	r = make_rec(STORE_KIND_GRAD, "C001", "703", GRAMMAR_CAT_AL,
	    "2026-05-12", t);
	insert_ok(st, &r, "G003");
	counts_are(st, 2026, mask, 1, 1);
	counts_are(st, 2026, mask | CAT_BIT(GRAMMAR_CAT_AL), 2, 1);
	r = make_rec(STORE_KIND_GRAD, "C001", "704", GRAMMAR_CAT_SM,
	    "2025-12-30", t);
	insert_ok(st, &r, "G004");
	counts_are(st, 2026, mask, 1, 1);
	counts_are(st, 2025, mask, 1, 0);
	assert_int_equal(store_commit(st), STORE_OK);

	assert_int_equal(store_begin(st), STORE_OK);
	counts_are(st, 2026, mask, 1, 1);
	assert_int_equal(store_record_cancel(st, sm.id, t + 1, "x"), STORE_OK);
	counts_are(st, 2026, mask, 0, 1);
	assert_int_equal(store_savepoint(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "705", GRAMMAR_CAT_SM,
	    "2026-05-13", t);
	insert_ok(st, &r, "G005");
	counts_are(st, 2026, mask, 1, 1);
	assert_int_equal(store_rollback_to(st), STORE_OK);
	counts_are(st, 2026, mask, 0, 1);
	insert_ok(st, &r, "G005");
	counts_are(st, 2026, mask, 1, 1);
	assert_int_equal(store_rollback(st), STORE_OK);
	assert_int_equal(store_begin(st), STORE_OK);
	counts_are(st, 2026, mask, 1, 1);
	assert_int_equal(store_commit(st), STORE_OK);

	/* An insert in a transaction of its own counts too. */
	r = make_rec(STORE_KIND_GRAD, "C001", "706", GRAMMAR_CAT_SM,
	    "2026-05-14", t);
	insert_ok(st, &r, "G005");
	assert_int_equal(store_begin(st), STORE_OK);
	counts_are(st, 2026, mask, 2, 1);
	assert_int_equal(store_commit(st), STORE_OK);
}

static void
test_tallies(void **state)
{
	static const int	 cats[] = {
		GRAMMAR_CAT_SM, GRAMMAR_CAT_AL, GRAMMAR_CAT_PK
	};
	struct store		*st = fx_store(state);
	struct store_record	*recs, r;
	char			 comp[8], kpm[16], date[11];
	unsigned		 x = 12345;
	int			 i, n = 0, dups = 0, rc;

	recs = calloc(240, sizeof(*recs));
	assert_non_null(recs);
	for (i = 1; i <= TALLY_COMPANIONS; i++) {
		snprintf(comp, sizeof(comp), "C%03d", i);
		snprintf(kpm, sizeof(kpm), "62812000000%02d", i);
		add_companion(st, comp, kpm);
	}
	tally_check(st);

	/*
	 * Inserts over companions, years, kinds and categories; KPM and
	 * days repeat, so some are duplicates, which change nothing.
	 */
	for (i = 0; i < 240; i++) {
		x = x * 1103515245u + 12345u;
		snprintf(comp, sizeof(comp), "C%03d",
		    1 + (int)((x >> 8) % TALLY_COMPANIONS));
		snprintf(date, sizeof(date), "%d-0%d-1%d",
		    TALLY_YEAR0 + (int)((x >> 12) % TALLY_YEARS),
		    1 + (int)((x >> 16) % 9), (int)((x >> 20) % 10));
		snprintf(kpm, sizeof(kpm), "%d", 500 + (int)((x >> 4) % 60));
		r = make_rec((x >> 24) & 1 ? STORE_KIND_GRAD :
		    STORE_KIND_VISIT, comp, kpm, cats[(x >> 26) % 3], date,
		    1000 + i);
		rc = store_record_insert(st, &r);
		assert_true(rc == STORE_OK || rc == STORE_EXISTS);
		if (rc == STORE_OK)
			recs[n++] = r;
		else
			dups++;
	}
	assert_true(n > 100);
	assert_true(dups > 10);
	tally_check(st);

	/* Cancel every third; a second cancel changes nothing. */
	for (i = 0; i < n; i += 3)
		assert_int_equal(store_record_cancel(st, recs[i].id, 5000,
		    "x"), STORE_OK);
	tally_check(st);
	for (i = 0; i < n; i += 3)
		assert_int_equal(store_record_cancel(st, recs[i].id, 5001,
		    "x"), STORE_NOTFOUND);
	tally_check(st);

	/*
	 * Their keys are free again: insert them anew, counted toward
	 * another year and (graduations) another category.
	 */
	for (i = 0; i < n; i += 3) {
		r = recs[i];
		r.year = TALLY_YEAR0 + (r.year - TALLY_YEAR0 + 1) % TALLY_YEARS;
		if (r.kind == STORE_KIND_GRAD)
			r.category = r.category == GRAMMAR_CAT_PK ?
			    GRAMMAR_CAT_SM : r.category + 1;
		assert_int_equal(store_record_insert(st, &r), STORE_OK);
		assert_true(r.id > recs[n - 1].id);
	}
	tally_check(st);

	/* The same keys again: duplicates now. */
	for (i = 0; i < n; i += 3) {
		r = recs[i];
		assert_int_equal(store_record_insert(st, &r), STORE_EXISTS);
	}
	tally_check(st);

	/* A savepoint rolled back takes its counts with it. */
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_savepoint(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C002", "999", GRAMMAR_CAT_AL,
	    "2026-06-01", 9000);
	assert_int_equal(store_record_insert(st, &r), STORE_OK);
	assert_int_equal(store_record_cancel(st, recs[1].id, 9001, "x"),
	    STORE_OK);
	assert_int_equal(store_rollback_to(st), STORE_OK);
	assert_int_equal(store_savepoint(st), STORE_OK);
	assert_int_equal(store_record_cancel(st, recs[2].id, 9002, "x"),
	    STORE_OK);
	assert_int_equal(store_release(st), STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);
	tally_check(st);
	free(recs);
}

#define RECORD_TESTS(setup)						\
	cmocka_unit_test_setup_teardown(test_record_refs, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_record_ref_growth, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_record_natural_key, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_record_count, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_record_last, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_record_each, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_tallies, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_record_counts_cached, setup, \
	    teardown)

int
main(void)
{
	const struct CMUnitTest memory_tests[] = {
		RECORD_TESTS(setup_memory),
	};
	const struct CMUnitTest file_tests[] = {
		RECORD_TESTS(setup_file),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store records :memory:",
	    memory_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("store records file", file_tests,
	    NULL, NULL);
	return failed == 0 ? 0 : 1;
}
