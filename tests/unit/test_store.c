/*
 * test_store.c: store.h on SQLite, run on ":memory:" and on a file: the
 * open and the schema version, companions and KPM (store_roster.c),
 * transactions and savepoints, fields at their bounds; on a file only,
 * a reopen, the file mode, refused files and two connections.
 *
 * The other store tests, by the store file they cover:
 * test_store_migrate.c (a version 1 file migrated), test_store_records.c,
 * test_store_mo.c (MO, redeliveries, long-MO parts), test_store_mt.c and
 * test_store_admin.c; what they share is in store_fixture.c.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "grammar.h"
#include "store.h"
#include "store_fixture.h"

static void
test_open(void **state)
{
	struct store	*st = fx_store(state);

	assert_int_equal(store_schema_version(st), 9);
	assert_string_equal(store_errmsg(st), "");
}

static int
collect_ids(void *arg, const struct store_companion *c)
{
	char	*buf = arg;

	strcat(buf, c->id);
	strcat(buf, ",");
	return strcmp(c->id, "C003") == 0;	/* stop after C003 */
}

static void
test_companion(void **state)
{
	struct store		*st = fx_store(state);
	struct store_companion	 c;
	char			 ids[64] = "";

	add_companion(st, "C002", "6281200000002");
	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C004", "6281200000004");
	add_companion(st, "C003", "6281200000003");

	/* Taken id, taken phone. */
	memset(&c, 0, sizeof(c));
	strcpy(c.id, "C001");
	strcpy(c.phone, "6281299999999");
	assert_int_equal(store_companion_add(st, &c), STORE_EXISTS);
	assert_non_null(strstr(store_errmsg(st), "companion add C001"));
	assert_non_null(strstr(store_errmsg(st), "UNIQUE"));
	strcpy(c.id, "C009");
	strcpy(c.phone, "6281200000002");
	assert_int_equal(store_companion_add(st, &c), STORE_EXISTS);
	assert_non_null(strstr(store_errmsg(st), "companions.phone"));

	memset(&c, 0x55, sizeof(c));
	assert_int_equal(store_companion_get(st, "C001", &c), STORE_OK);
	assert_string_equal(c.id, "C001");
	assert_string_equal(c.phone, "6281200000001");
	assert_string_equal(c.name, "Pendamping C001");
	assert_string_equal(c.timezone, "Asia/Makassar");
	assert_string_equal(c.language, "id");
	assert_int_equal(c.active, 1);
	assert_int_equal(store_companion_get(st, "C999", &c), STORE_NOTFOUND);

	assert_int_equal(store_companion_by_phone(st, "6281200000002", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C002");
	assert_int_equal(store_companion_by_phone(st, "6281200000009", &c),
	    STORE_NOTFOUND);

	/* Update: new name and language, then inactive. */
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	strcpy(c.name, "Siti Rahma");
	strcpy(c.language, "en");
	strcpy(c.timezone, "Asia/Jayapura");
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	assert_string_equal(c.name, "Siti Rahma");
	assert_string_equal(c.language, "en");
	assert_string_equal(c.timezone, "Asia/Jayapura");
	c.active = 0;
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_by_phone(st, "6281200000002", &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	assert_int_equal(c.active, 0);

	/* Update to another's phone; update of nobody. */
	strcpy(c.phone, "6281200000001");
	assert_int_equal(store_companion_update(st, &c), STORE_EXISTS);
	strcpy(c.id, "C999");
	strcpy(c.phone, "6281200000999");
	assert_int_equal(store_companion_update(st, &c), STORE_NOTFOUND);

	/* Ordered by id, and the callback can stop the walk. */
	assert_int_equal(store_companion_each(st, collect_ids, ids),
	    STORE_OK);
	assert_string_equal(ids, "C001,C002,C003,");
}

static void
test_kpm(void **state)
{
	struct store		*st = fx_store(state);
	struct store_kpm	 k;
	char			 owner[STORE_ID_MAX + 1];
	int			 n;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	add_kpm(st, "350101", "6285700000001", "C001");
	add_kpm(st, "350102", "6285700000001", "C001");	/* shared phone */
	add_kpm(st, "350103", "", "C002");

	memset(&k, 0x55, sizeof(k));
	assert_int_equal(store_kpm_get(st, "350101", &k), STORE_OK);
	assert_string_equal(k.id, "350101");
	assert_string_equal(k.name, "Keluarga 350101");
	assert_string_equal(k.phone, "6285700000001");
	assert_string_equal(k.companion_id, "C001");
	assert_int_equal(k.opted_out, 0);
	assert_int_equal(store_kpm_get(st, "350103", &k), STORE_OK);
	assert_string_equal(k.phone, "");
	assert_int_equal(store_kpm_get(st, "999999", &k), STORE_NOTFOUND);
	assert_int_equal(store_kpm_owner(st, "350103", owner), STORE_OK);
	assert_string_equal(owner, "C002");
	assert_int_equal(store_kpm_owner(st, "999999", owner), STORE_NOTFOUND);

	/* Replace by id: another companion, name and phone. */
	add_kpm(st, "350101", "6285700000009", "C002");
	assert_int_equal(store_kpm_get(st, "350101", &k), STORE_OK);
	assert_string_equal(k.companion_id, "C002");
	assert_string_equal(k.phone, "6285700000009");

	/* A companion that does not exist. */
	strcpy(k.id, "350104");
	strcpy(k.companion_id, "C404");
	assert_int_equal(store_kpm_put(st, &k), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "350104"));
	assert_non_null(strstr(store_errmsg(st), "C404"));
	assert_int_equal(store_kpm_get(st, "350104", &k), STORE_NOTFOUND);

	/* STOP from a phone two families share, then MULAI. */
	add_kpm(st, "350101", "6285700000001", "C001");
	assert_int_equal(store_kpm_set_optout(st, "6285700000001", 1, &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_kpm_get(st, "350102", &k), STORE_OK);
	assert_int_equal(k.opted_out, 1);
	assert_int_equal(store_kpm_get(st, "350103", &k), STORE_OK);
	assert_int_equal(k.opted_out, 0);
	assert_int_equal(store_kpm_set_optout(st, "6285700000001", 0, &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_kpm_get(st, "350102", &k), STORE_OK);
	assert_int_equal(k.opted_out, 0);
	assert_int_equal(store_kpm_set_optout(st, "6285711111111", 1, &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	/* An empty phone matches nobody, not the KPM without one. */
	assert_int_equal(store_kpm_set_optout(st, "", 1, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/*
 * The daemon's batch: one transaction, a savepoint per MO; rolling one
 * MO back keeps the others, sequence numbers included.
 */
static void
test_savepoint(void **state)
{
	struct store		*st = fx_store(state);
	struct store_companion	 c;
	struct store_record	 r;
	struct store_mo		 mo;
	struct store_mt		 mt;
	int			 n;

	add_companion(st, "C001", "6281200000001");
	assert_int_equal(store_begin(st), STORE_OK);

	/* MO 1: kept. */
	assert_int_equal(store_savepoint(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	assert_int_equal(store_release(st), STORE_OK);

	/* MO 2: undone, all of it. */
	assert_int_equal(store_savepoint(st), STORE_OK);
	memset(&mo, 0, sizeof(mo));
	strcpy(mo.sender, "6281200000001");
	strcpy(mo.dest, "94500");
	strcpy(mo.text, "GRAD 2");
	assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "2", 0, "2026-01-01", 101);
	insert_ok(st, &r, "G002");
	memset(&mt, 0, sizeof(mt));
	strcpy(mt.dest, "6281200000001");
	strcpy(mt.text, "OK");
	assert_int_equal(store_mt_insert(st, &mt), STORE_OK);
	add_companion(st, "C002", "6281200000002");
	assert_int_equal(store_rollback_to(st), STORE_OK);

	/* MO 3: kept, and takes G002 again. */
	assert_int_equal(store_savepoint(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "3", 0, "2026-01-01", 102);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_release(st), STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);

	assert_int_equal(store_companion_get(st, "C002", &c), STORE_NOTFOUND);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    ~0u, &n), STORE_OK);
	assert_int_equal(n, 2);
	r = make_rec(STORE_KIND_GRAD, "C001", "2", 0, "2026-01-01", 101);
	assert_int_equal(store_record_find_key(st, &r, &r), STORE_NOTFOUND);
	assert_int_equal(store_mt_count(st, STORE_MT_PENDING, &n), STORE_OK);
	assert_int_equal(n, 0);

	/* A plain rollback undoes the whole batch. */
	assert_int_equal(store_begin(st), STORE_OK);
	add_companion(st, "C003", "6281200000003");
	r = make_rec(STORE_KIND_GRAD, "C001", "4", 0, "2026-01-01", 103);
	insert_ok(st, &r, "G003");
	assert_int_equal(store_rollback(st), STORE_OK);
	assert_int_equal(store_companion_get(st, "C003", &c), STORE_NOTFOUND);
	insert_ok(st, &r, "G003");
	/* With no transaction open, rollback has nothing to do. */
	assert_int_equal(store_rollback(st), STORE_OK);
	/* A commit without one is an error with a reason. */
	assert_int_equal(store_commit(st), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "commit"));
}

/* Fields at their maximum come back whole; UTF-8 survives. */
static void
test_bounds(void **state)
{
	struct store		*st = fx_store(state);
	struct store_kpm	 k, kg;
	struct store_mt		 m, mg;
	size_t			 i;

	add_companion(st, "C001", "6281200000001");
	memset(&k, 0, sizeof(k));
	memset(k.id, '7', STORE_ID_MAX);
	memset(k.name, 'n', STORE_NAME_MAX);
	memset(k.phone, '6', STORE_PHONE_MAX);
	strcpy(k.companion_id, "C001");
	assert_int_equal(store_kpm_put(st, &k), STORE_OK);
	assert_int_equal(store_kpm_get(st, k.id, &kg), STORE_OK);
	assert_int_equal(strlen(kg.id), STORE_ID_MAX);
	assert_string_equal(kg.name, k.name);
	assert_string_equal(kg.phone, k.phone);

	/* 512 two-byte characters: exactly STORE_TEXT_MAX bytes. */
	memset(&m, 0, sizeof(m));
	for (i = 0; i + 2 <= STORE_TEXT_MAX; i += 2)
		memcpy(m.text + i, "\xc3\xa9", 2);	/* é */
	strcpy(m.dest, "6281200000001");
	memset(m.message_id, 'm', STORE_MSGID_MAX);
	assert_int_equal(store_mt_insert(st, &m), STORE_OK);
	assert_int_equal(store_mt_get(st, m.id, &mg), STORE_OK);
	assert_int_equal(strlen(mg.text), STORE_TEXT_MAX);
	assert_string_equal(mg.text, m.text);
	assert_string_equal(mg.message_id, m.message_id);
}

/* Reopen a file: data kept, no migration reapplied, sequence goes on. */
static void
test_file_reopen(void **state)
{
	struct fixture		*f = *state;
	struct store_record	 r;
	struct store_companion	 c;
	char			 err[256];
	int			 version;

	add_companion(f->st, "C001", "6281200000001");
	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(f->st, &r, "G001");
	version = store_schema_version(f->st);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, NULL, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(f->st), version);
	assert_int_equal(store_companion_get(f->st, "C001", &c), STORE_OK);
	assert_int_equal(store_record_by_ref(f->st, "C001", "G001", &r),
	    STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "2", 0, "2026-01-01", 100);
	insert_ok(f->st, &r, "G002");
	store_close(f->st);
	f->st = NULL;

	/* Twice, with options this time. */
	{
		struct store_options	o = { STORE_SYNC_FULL, 100, 0, 0 };

		assert_int_equal(store_open(f->path, &o, &f->st, err,
		    sizeof(err)), STORE_OK);
	}
	assert_int_equal(store_schema_version(f->st), version);
	assert_int_equal(store_record_by_ref(f->st, "C001", "G002", &r),
	    STORE_OK);
}

/* The database and its WAL are 0600 whatever the umask. */
static void
test_file_mode(void **state)
{
	struct fixture	*f = *state;
	struct stat	 sb;
	char		 p[160], err[256];
	mode_t		 old;

	/* Recreate the file under a permissive umask. */
	store_close(f->st);
	f->st = NULL;
	fixture_unlink(f);
	old = umask(022);
	assert_int_equal(store_open(f->path, NULL, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(umask(old), 022);	/* and it was restored */
	add_companion(f->st, "C001", "6281200000001");

	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	assert_int_equal(stat(p, &sb), 0);		/* WAL mode is on */
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	if (stat(p, &sb) == 0)
		assert_int_equal(sb.st_mode & 0777, 0600);
}

/* A file from a newer pilar is refused; so is a path that cannot be. */
static void
test_file_errors(void **state)
{
	struct fixture	*f = *state;
	struct store	*st2 = (struct store *)1;
	sqlite3		*db;
	char		 err[256], p[160];

	snprintf(p, sizeof(p), "%s/no/such/dir.db", f->dir);
	assert_int_equal(store_open(p, NULL, &st2, err, sizeof(err)),
	    STORE_ERROR);
	assert_null(st2);
	assert_true(err[0] != '\0');

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE schema_version SET "
	    "version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, NULL, &st2, err, sizeof(err)),
	    STORE_ERROR);
	assert_null(st2);
	assert_non_null(strstr(err, "newer"));
}

/*
 * Two connections, as pilard and pilarctl: what one commits, the
 * other's companion cache does not hide, whether it looks a phone up
 * in a transaction or outside one, found or not found before.  And the
 * writer with background checkpoints: they run, and the WAL starts over
 * instead of growing with every commit.
 */
static void
test_file_two_connections(void **state)
{
	struct fixture		*f = *state;
	struct store_options	 o = { STORE_SYNC_NORMAL, 1000, 16, 0 };
	struct store		*w;
	struct store_companion	 c;
	struct store_record	 r;
	struct store_mo		 mo;
	struct stat		 sb;
	char			 err[256], wal[160];
	long			 runs, failures;
	int			 i;

	assert_int_equal(store_open(f->path, &o, &w, err, sizeof(err)),
	    STORE_OK);
	add_companion(f->st, "C001", "6281200000001");
	assert_int_equal(store_companion_by_phone(w, "6281200000001", &c),
	    STORE_OK);
	assert_int_equal(store_companion_by_phone(w, "6281200000002", &c),
	    STORE_NOTFOUND);

	/* Another connection deactivates one and adds the other. */
	assert_int_equal(store_companion_get(f->st, "C001", &c), STORE_OK);
	c.active = 0;
	assert_int_equal(store_companion_update(f->st, &c), STORE_OK);
	add_companion(f->st, "C002", "6281200000002");
	assert_int_equal(store_companion_by_phone(w, "6281200000001", &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_begin(w), STORE_OK);
	assert_int_equal(store_companion_by_phone(w, "6281200000002", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C002");
	assert_int_equal(store_commit(w), STORE_OK);

	/* A change of phone, seen inside the next transaction. */
	c.active = 1;
	snprintf(c.phone, sizeof(c.phone), "6281200000003");
	assert_int_equal(store_companion_update(f->st, &c), STORE_OK);
	assert_int_equal(store_begin(w), STORE_OK);
	assert_int_equal(store_companion_by_phone(w, "6281200000002", &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_companion_by_phone(w, "6281200000003", &c),
	    STORE_OK);
	assert_int_equal(store_commit(w), STORE_OK);

	/* A sequence number the other connection took is not taken again. */
	r = make_rec(STORE_KIND_GRAD, "C002", "601", GRAMMAR_CAT_SM,
	    "2026-05-12", 1780000000);
	insert_ok(w, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C002", "602", GRAMMAR_CAT_SM,
	    "2026-05-12", 1780000000);
	insert_ok(f->st, &r, "G002");
	r = make_rec(STORE_KIND_GRAD, "C002", "603", GRAMMAR_CAT_SM,
	    "2026-05-12", 1780000000);
	assert_int_equal(store_begin(w), STORE_OK);
	insert_ok(w, &r, "G003");
	assert_int_equal(store_commit(w), STORE_OK);

	/*
	 * The redelivery window (in memory on each connection): an MO the
	 * other connection inserts is found, a rolled back one is not, and
	 * a reopened store reads the window back from the table.
	 */
	memset(&mo, 0, sizeof(mo));
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1", 0,
	    &mo), STORE_NOTFOUND);
	snprintf(mo.sender, sizeof(mo.sender), "6281200000009");
	snprintf(mo.dest, sizeof(mo.dest), "1234");
	snprintf(mo.text, sizeof(mo.text), "GRAD 1");
	mo.received_at = 500;
	assert_int_equal(store_mo_insert(f->st, &mo), STORE_OK);
	assert_int_equal(store_begin(w), STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1",
	    400, &mo), STORE_OK);
	assert_int_equal(mo.received_at, 500);
	snprintf(mo.text, sizeof(mo.text), "GRAD 2");
	assert_int_equal(store_mo_insert(w, &mo), STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 2",
	    400, &mo), STORE_OK);
	assert_int_equal(store_rollback(w), STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 2",
	    400, &mo), STORE_NOTFOUND);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1",
	    400, &mo), STORE_OK);
	store_close(w);
	assert_int_equal(store_open(f->path, &o, &w, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1",
	    400, &mo), STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1",
	    501, &mo), STORE_NOTFOUND);

	/* 16 pages between checkpoints: 400 commits make many. */
	for (i = 0; i < 400; i++) {
		memset(&mo, 0, sizeof(mo));
		snprintf(mo.sender, sizeof(mo.sender), "62812%08d", i);
		snprintf(mo.dest, sizeof(mo.dest), "1234");
		snprintf(mo.text, sizeof(mo.text), "GRAD %d %0200d", i, i);
		mo.received_at = 1000 + i;
		assert_int_equal(store_begin(w), STORE_OK);
		assert_int_equal(store_mo_insert(w, &mo), STORE_OK);
		assert_int_equal(store_commit(w), STORE_OK);
	}
	/* The thread may not have had the CPU yet on a busy machine. */
	for (i = 0; i < 500; i++) {
		store_checkpoint_stats(w, &runs, &failures);
		if (runs > 0)
			break;
		usleep(10000);
	}
	assert_true(runs > 0);
	assert_int_equal(failures, 0);
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	/*
	 * Started over, again and again: the file (overwritten from its
	 * start, not cut) is as long as the WAL ever was, a few restart
	 * points (80 pages) at most.  Without restarts: 4.7 MB.
	 */
	assert_true(sb.st_size < 4096 * 16 * 32);
	store_close(w);
}

#define STORE_TESTS(setup)						\
	cmocka_unit_test_setup_teardown(test_open, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_companion, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_kpm, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_savepoint, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_bounds, setup, teardown)

int
main(void)
{
	const struct CMUnitTest memory_tests[] = {
		STORE_TESTS(setup_memory),
	};
	const struct CMUnitTest file_tests[] = {
		STORE_TESTS(setup_file),
		cmocka_unit_test_setup_teardown(test_file_reopen, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_mode, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_two_connections,
		    setup_file, teardown),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store :memory:", memory_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("store file", file_tests, NULL,
	    NULL);
	return failed == 0 ? 0 : 1;
}
