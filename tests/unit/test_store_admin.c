/*
 * test_store_admin.c: store_admin.c, what pilarctl needs (regions, KPM
 * walks, record search, erasure of records, companions, messages and
 * parts, the scrubbing of the file), on ":memory:" and on a file.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar.h"
#include "store.h"
#include "store_fixture.h"

/*
 * store_admin.c: what pilarctl needs.  A companion's region is kept,
 * read by every lookup (store_companion_by_phone() included) and
 * changed by update; an empty phone in an update keeps the stored one.
 */
static void
test_admin_region(void **state)
{
	struct store		*st = fx_store(state);
	struct store_companion	 c;

	memset(&c, 0, sizeof(c));
	strcpy(c.id, "C001");
	strcpy(c.phone, "6281200000001");
	strcpy(c.name, "Sari Wulandari");
	strcpy(c.timezone, "Asia/Jakarta");
	strcpy(c.language, "id");
	strcpy(c.region, "Kab. Sumba Timur");
	c.active = 1;
	assert_int_equal(store_companion_add(st, &c), STORE_OK);
	add_companion(st, "C002", "6281200000002");

	memset(&c, 0x55, sizeof(c));
	assert_int_equal(store_companion_get(st, "C001", &c), STORE_OK);
	assert_string_equal(c.region, "Kab. Sumba Timur");
	assert_int_equal(store_companion_by_phone(st, "6281200000001", &c),
	    STORE_OK);
	assert_string_equal(c.region, "Kab. Sumba Timur");
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	assert_string_equal(c.region, "");

	strcpy(c.region, "Kota Makassar");
	c.phone[0] = '\0';
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_by_phone(st, "6281200000002", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C002");
	assert_string_equal(c.region, "Kota Makassar");
}

static int
collect_kpm_ids(void *arg, const struct store_kpm *k)
{
	char	*buf = arg;

	strcat(buf, k->id);
	strcat(buf, k->opted_out ? "!," : ",");
	return strcmp(k->id, "30002") == 0;	/* stop after 30002 */
}

/* KPM walks by companion and by phone, a phone forgotten, a delete. */
static void
test_admin_kpm(void **state)
{
	struct store		*st = fx_store(state);
	struct store_kpm	 k;
	char			 ids[128];
	int			 n;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	add_kpm(st, "30003", "6285700000001", "C002");
	add_kpm(st, "20001", "6285700000001", "C001");
	add_kpm(st, "20002", "", "C001");
	add_kpm(st, "30001", "6285700000002", "C002");
	add_kpm(st, "30002", "", "C002");
	assert_int_equal(store_kpm_set_optout(st, "6285700000002", 1, &n),
	    STORE_OK);

	ids[0] = '\0';
	assert_int_equal(store_kpm_each(st, NULL, collect_kpm_ids, ids),
	    STORE_OK);
	assert_string_equal(ids, "20001,20002,30001!,30002,");
	ids[0] = '\0';
	assert_int_equal(store_kpm_each(st, "C001", collect_kpm_ids, ids),
	    STORE_OK);
	assert_string_equal(ids, "20001,20002,");
	ids[0] = '\0';
	assert_int_equal(store_kpm_each(st, "C009", collect_kpm_ids, ids),
	    STORE_OK);
	assert_string_equal(ids, "");

	/* A family phone: both KPM, by id; then forgotten on both. */
	ids[0] = '\0';
	assert_int_equal(store_kpm_by_phone(st, "6285700000001",
	    collect_kpm_ids, ids), STORE_OK);
	assert_string_equal(ids, "20001,30003,");
	assert_int_equal(store_kpm_clear_phone(st, "6285700000001", &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_kpm_get(st, "30003", &k), STORE_OK);
	assert_string_equal(k.phone, "");
	ids[0] = '\0';
	assert_int_equal(store_kpm_by_phone(st, "6285700000001",
	    collect_kpm_ids, ids), STORE_OK);
	assert_string_equal(ids, "");
	assert_int_equal(store_kpm_clear_phone(st, "", &n), STORE_OK);
	assert_int_equal(n, 0);

	assert_int_equal(store_kpm_delete(st, "30003"), STORE_OK);
	assert_int_equal(store_kpm_get(st, "30003", &k), STORE_NOTFOUND);
	assert_int_equal(store_kpm_delete(st, "30003"), STORE_NOTFOUND);
	assert_non_null(strstr(store_errmsg(st), "kpm delete 30003"));
}

struct rec_seen {
	char	refs[256];
	int	n;
	int	stop_after;		/* 0: never */
};

static int
collect_refs(void *arg, const struct store_record *r)
{
	struct rec_seen	*rs = arg;
	size_t		 len = strlen(rs->refs);

	snprintf(rs->refs + len, sizeof(rs->refs) - len, "%s%s:%s",
	    len > 0 ? "," : "", r->companion_id, r->ref);
	rs->n++;
	return rs->stop_after != 0 && rs->n == rs->stop_after;
}

/* Run store_record_find() and compare the records it found. */
static void
find_check(struct store *st, const struct store_record_filter *f,
    const char *want)
{
	struct rec_seen	rs;

	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_record_find(st, f, collect_refs, &rs),
	    STORE_OK);
	assert_string_equal(rs.refs, want);
}

/*
 * Two companions' records over two years: every filter alone and some
 * together; a companion's come in sequence order, others by id.
 */
static void
test_admin_record_find(void **state)
{
	struct store			*st = fx_store(state);
	struct store_record_filter	 f;
	struct store_record		 r;
	struct rec_seen			 rs;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	r = make_rec(STORE_KIND_GRAD, "C001", "111", GRAMMAR_CAT_SM,
	    "2025-12-31", 1000);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_VISIT, "C002", "222", 0, "2026-01-02", 1001);
	insert_ok(st, &r, "K001");
	r = make_rec(STORE_KIND_VISIT, "C001", "111", 0, "2026-01-05", 1002);
	insert_ok(st, &r, "K002");
	r = make_rec(STORE_KIND_GRAD, "C002", "222", GRAMMAR_CAT_AL,
	    "2026-02-01", 1003);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_record_cancel(st, r.id, 1004, "salah"),
	    STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "333", GRAMMAR_CAT_PK,
	    "2026-03-01", 1005);
	insert_ok(st, &r, "G003");

	memset(&f, 0, sizeof(f));
	find_check(st, &f, "C001:G001,C002:K001,C001:K002,C002:G002,"
	    "C001:G003");
	f.companion_id = "C001";
	find_check(st, &f, "C001:G001,C001:K002,C001:G003");
	f.kind = STORE_KIND_GRAD;
	find_check(st, &f, "C001:G001,C001:G003");
	f.year = 2026;
	find_check(st, &f, "C001:G003");
	memset(&f, 0, sizeof(f));
	f.kpm_id = "222";
	find_check(st, &f, "C002:K001,C002:G002");
	f.kpm_id = "999";
	find_check(st, &f, "");
	memset(&f, 0, sizeof(f));
	f.from = "2026-01-02";
	f.to = "2026-02-01";
	find_check(st, &f, "C002:K001,C001:K002,C002:G002");
	f.companion_id = "C002";
	f.kind = STORE_KIND_VISIT;
	find_check(st, &f, "C002:K001");
	memset(&f, 0, sizeof(f));
	f.to = "2025-12-31";
	find_check(st, &f, "C001:G001");
	f.companion_id = "C009";
	find_check(st, &f, "");

	/* after_id: what came since; a callback stops the walk. */
	memset(&f, 0, sizeof(f));
	f.after_id = r.id - 2;
	find_check(st, &f, "C002:G002,C001:G003");
	f.after_id = r.id;
	find_check(st, &f, "");
	memset(&f, 0, sizeof(f));
	memset(&rs, 0, sizeof(rs));
	rs.stop_after = 2;
	assert_int_equal(store_record_find(st, &f, collect_refs, &rs),
	    STORE_OK);
	assert_string_equal(rs.refs, "C001:G001,C002:K001");

	/* The cancelled record comes with its cancel. */
	assert_int_equal(store_record_by_ref(st, "C002", "G002", &r),
	    STORE_OK);
	assert_int_equal(r.cancelled_at, 1004);
}

/*
 * Erasing a record's personal fields: the KPM id replaced by one that
 * names nobody, the note and reason blanked; every count stays, and the
 * family's natural key is free for a new report.
 */
static void
test_admin_record_erase(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 g, v, c, r;
	int			 n;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	add_companion(st, "C003", "6281200000003");
	c = make_rec(STORE_KIND_GRAD, "C002", "12347", GRAMMAR_CAT_AL,
	    "2025-05-01", 998);
	insert_ok(st, &c, "G001");
	assert_int_equal(store_record_cancel(st, c.id, 999, "Dewi pindah"),
	    STORE_OK);
	g = make_rec(STORE_KIND_GRAD, "C001", "12347", GRAMMAR_CAT_SM,
	    "2026-05-01", 1000);
	insert_ok(st, &g, "G001");
	v = make_rec(STORE_KIND_VISIT, "C001", "12347", 0, "2026-05-02", 1001);
	strcpy(v.note, "ibu Dewi hamil, NIK 3527014501900082");
	insert_ok(st, &v, "K002");
	r = make_rec(STORE_KIND_VISIT, "C003", "55555", 0, "2027-01-01", 1004);
	strcpy(r.note, "tetangga bu Dewi Lestari");
	insert_ok(st, &r, "K001");
	tally_check(st);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    ~0u, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(store_record_erase(st, g.id, 1), STORE_OK);
	assert_int_equal(store_record_erase(st, v.id, 1), STORE_OK);
	assert_int_equal(store_record_erase(st, c.id, 1), STORE_OK);
	assert_int_equal(store_record_erase(st, r.id, 0), STORE_OK);
	tally_check(st);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    ~0u, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(store_record_by_ref(st, "C001", "G001", &g),
	    STORE_OK);
	assert_true(strncmp(g.kpm_id, "erased-", 7) == 0);
	assert_int_equal(g.category, GRAMMAR_CAT_SM);
	assert_int_equal(g.cancelled_at, 0);
	assert_string_equal(g.event_date, "2026-05-01");
	assert_int_equal(store_record_by_ref(st, "C001", "K002", &v),
	    STORE_OK);
	assert_string_equal(v.note, "");
	assert_true(strcmp(v.kpm_id, g.kpm_id) != 0);
	assert_int_equal(store_record_by_ref(st, "C002", "G001", &c),
	    STORE_OK);
	assert_string_equal(c.cancel_reason, "[erased]");
	assert_int_equal(c.cancelled_at, 999);
	assert_int_equal(store_record_by_ref(st, "C003", "K001", &r),
	    STORE_OK);
	assert_string_equal(r.kpm_id, "55555");
	assert_string_equal(r.note, "");

	/* The family's key is free: a new graduation of 12347 is taken. */
	g = make_rec(STORE_KIND_GRAD, "C001", "12347", GRAMMAR_CAT_SM,
	    "2026-06-01", 1005);
	insert_ok(st, &g, "G003");
	tally_check(st);
	assert_int_equal(store_record_erase(st, 999999, 1), STORE_NOTFOUND);
}

/*
 * An erased companion: no name, no phone (it reads as ""), inactive;
 * its phone is free again; updates keep its placeholder, so that two
 * erased companions never clash on it.
 */
static void
test_admin_companion_erase(void **state)
{
	struct store		*st = fx_store(state);
	struct store_companion	 c;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	assert_int_equal(store_companion_by_phone(st, "6281200000001", &c),
	    STORE_OK);
	assert_int_equal(store_companion_erase(st, "C001"), STORE_OK);
	assert_int_equal(store_companion_erase(st, "C002"), STORE_OK);
	assert_int_equal(store_companion_by_phone(st, "6281200000001", &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_companion_get(st, "C001", &c), STORE_OK);
	assert_string_equal(c.phone, "");
	assert_string_equal(c.name, "");
	assert_string_equal(c.timezone, "Asia/Makassar");
	assert_int_equal(c.active, 0);

	strcpy(c.name, "Nama Baru");
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	assert_int_equal(store_companion_update(st, &c), STORE_OK);

	add_companion(st, "C003", "6281200000001");
	assert_int_equal(store_companion_get(st, "C001", &c), STORE_OK);
	strcpy(c.phone, "6281200000009");
	c.active = 1;
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_by_phone(st, "6281200000009", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C001");
	assert_string_equal(c.name, "Nama Baru");
	assert_int_equal(store_companion_erase(st, "C009"), STORE_NOTFOUND);
}

struct msg_seen {
	int64_t	ids[16];
	int	n;
};

static int
collect_mo_ids(void *arg, const struct store_mo *m)
{
	struct msg_seen	*ms = arg;

	if (ms->n < 16)
		ms->ids[ms->n] = m->id;
	ms->n++;
	return 0;
}

static int
collect_mt_ids(void *arg, const struct store_mt *m)
{
	struct msg_seen	*ms = arg;

	if (ms->n < 16)
		ms->ids[ms->n] = m->id;
	ms->n++;
	return 0;
}

/*
 * Messages walked in pages and erased: the text reads "[erased]", the
 * sender or recipient is gone; a pending reply is not sent; a sent one
 * keeps its state; the redelivery window forgets the MO.
 */
static void
test_admin_messages(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mo	 mo;
	struct store_mt	 mt;
	struct msg_seen	 ms;
	int64_t		 mo_id[5], mt_id[5];
	int		 i, n;

	for (i = 0; i < 5; i++) {
		memset(&mo, 0, sizeof(mo));
		snprintf(mo.sender, sizeof(mo.sender), "62812000000%02d", i);
		strcpy(mo.dest, "1717");
		snprintf(mo.text, sizeof(mo.text), "GRAD 1234%d", i);
		mo.received_at = 1780000000 + i;
		assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
		mo_id[i] = mo.id;
		memset(&mt, 0, sizeof(mt));
		mt.mo_id = mo.id;
		strcpy(mt.dest, mo.sender);
		snprintf(mt.text, sizeof(mt.text), "OK. KPM 1234%d", i);
		mt.created_at = 1780000000 + i;
		assert_int_equal(store_mt_insert(st, &mt), STORE_OK);
		mt_id[i] = mt.id;
	}
	assert_int_equal(store_mt_mark_sent(st, mt_id[1], "m1", 1780000100),
	    STORE_OK);

	memset(&ms, 0, sizeof(ms));
	assert_int_equal(store_mo_each(st, 0, 2, collect_mo_ids, &ms),
	    STORE_OK);
	assert_int_equal(ms.n, 2);
	assert_true(ms.ids[0] == mo_id[0] && ms.ids[1] == mo_id[1]);
	memset(&ms, 0, sizeof(ms));
	assert_int_equal(store_mo_each(st, mo_id[1], 10, collect_mo_ids, &ms),
	    STORE_OK);
	assert_int_equal(ms.n, 3);
	assert_true(ms.ids[0] == mo_id[2]);
	memset(&ms, 0, sizeof(ms));
	assert_int_equal(store_mt_each(st, mt_id[3], 10, collect_mt_ids, &ms),
	    STORE_OK);
	assert_int_equal(ms.n, 1);
	assert_true(ms.ids[0] == mt_id[4]);

	assert_int_equal(store_mo_find_recent(st, "6281200000002",
	    "GRAD 12342", 0, &mo), STORE_OK);
	assert_int_equal(store_mo_erase(st, mo_id[2]), STORE_OK);
	assert_int_equal(store_mo_find_recent(st, "6281200000002",
	    "GRAD 12342", 0, &mo), STORE_NOTFOUND);
	assert_int_equal(store_mo_erase(st, 999999), STORE_NOTFOUND);

	assert_int_equal(store_mt_erase(st, mt_id[1], 1780000200), STORE_OK);
	assert_int_equal(store_mt_erase(st, mt_id[2], 1780000200), STORE_OK);
	assert_int_equal(store_mt_erase(st, 999999, 1), STORE_NOTFOUND);
	assert_int_equal(store_mt_get(st, mt_id[1], &mt), STORE_OK);
	assert_int_equal(mt.state, STORE_MT_SENT);
	assert_string_equal(mt.message_id, "m1");
	assert_string_equal(mt.dest, "");
	assert_string_equal(mt.text, "[erased]");
	assert_int_equal(store_mt_get(st, mt_id[2], &mt), STORE_OK);
	assert_int_equal(mt.state, STORE_MT_FAILED);
	assert_int_equal(mt.mo_id, mo_id[2]);
	assert_int_equal(store_mt_count(st, STORE_MT_PENDING, &n), STORE_OK);
	assert_int_equal(n, 3);
}

/*
 * Unfinished long MOs from a sender, as delivered, deleted; then the
 * scrubbing: secure_delete on, the WAL emptied, the file rebuilt, and
 * the data still there.
 */
static void
test_admin_parts_scrub(void **state)
{
	struct fixture		*f = *state;
	struct store		*st = f->st;
	struct store_part	 p;
	struct store_kpm	 k;
	struct store_companion	 c;
	struct stat		 sb;
	char			 wal[160];
	int			 n, complete;

	add_companion(st, "C001", "6281200000001");
	add_kpm(st, "12345", "6285700000001", "C001");
	p = make_part("081299999999", 3, 2, 1, "first half", 100);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281299999999", 4, 2, 2, "second half", 101);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	assert_int_equal(store_part_erase(st, "081299999999", &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_part_erase(st, "081299999999", &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_part_stats(st, NULL, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(store_secure_delete(st), STORE_OK);
	assert_int_equal(store_kpm_delete(st, "12345"), STORE_OK);
	assert_int_equal(store_flush(st, &complete), STORE_OK);
	assert_int_equal(complete, 1);
	assert_int_equal(store_vacuum(st), STORE_OK);
	assert_int_equal(store_flush(st, &complete), STORE_OK);
	assert_int_equal(complete, 1);
	if (f->file) {
		snprintf(wal, sizeof(wal), "%s-wal", f->path);
		assert_int_equal(stat(wal, &sb), 0);
		assert_int_equal(sb.st_size, 0);
	}
	assert_int_equal(store_kpm_get(st, "12345", &k), STORE_NOTFOUND);
	assert_int_equal(store_companion_by_phone(st, "6281200000001", &c),
	    STORE_OK);
	/* Inside a transaction a vacuum is refused, not run. */
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_vacuum(st), STORE_ERROR);
	assert_int_equal(store_rollback(st), STORE_OK);
}

#define ADMIN_TESTS(setup)						\
	cmocka_unit_test_setup_teardown(test_admin_region, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_admin_kpm, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_admin_record_find, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_admin_record_erase, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_admin_companion_erase, setup, \
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_admin_messages, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_admin_parts_scrub, setup,	\
	    teardown)

int
main(void)
{
	const struct CMUnitTest memory_tests[] = {
		ADMIN_TESTS(setup_memory),
	};
	const struct CMUnitTest file_tests[] = {
		ADMIN_TESTS(setup_file),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store admin :memory:",
	    memory_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("store admin file", file_tests,
	    NULL, NULL);
	return failed == 0 ? 0 : 1;
}
