/*
 * test_store_migrate.c: the migrations of store_sqlite.c, on a file: a
 * version 1 database as it is in the field, opened by this pilar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "grammar.h"
#include "store.h"
#include "store_fixture.h"

/*
 * A version 1 database as pilar shipped it (migration 1 of commit
 * d22158d), written here by hand: a fixture of what is in the field,
 * never to be kept in step with store_sqlite.c.
 */
static const char v1_schema[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);"
	"INSERT INTO schema_version (version) VALUES (1);"
	"CREATE TABLE companions ("
	"  id TEXT PRIMARY KEY NOT NULL, phone TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL DEFAULT '', timezone TEXT NOT NULL DEFAULT '',"
	"  language TEXT NOT NULL DEFAULT 'id',"
	"  active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL"
	"    DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))"
	") WITHOUT ROWID;"
	"CREATE INDEX companions_by_phone"
	"  ON companions (phone, active, name, timezone, language);"
	"CREATE TABLE kpm ("
	"  id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL DEFAULT '',"
	"  phone TEXT, companion_id TEXT NOT NULL REFERENCES companions (id),"
	"  opted_out INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE INDEX kpm_phone ON kpm (phone) WHERE phone IS NOT NULL;"
	"CREATE INDEX kpm_companion ON kpm (companion_id);"
	"CREATE TABLE mo ("
	"  id INTEGER PRIMARY KEY, sender TEXT NOT NULL, dest TEXT NOT NULL,"
	"  text TEXT NOT NULL, smsc_ref TEXT, received_at INTEGER NOT NULL);"
	"CREATE TABLE records ("
	"  id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, ref TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('G', 'K')),"
	"  companion_id TEXT NOT NULL REFERENCES companions (id),"
	"  kpm_id TEXT NOT NULL, category INTEGER NOT NULL, note TEXT,"
	"  event_date TEXT NOT NULL, year INTEGER NOT NULL,"
	"  tz_offset INTEGER NOT NULL, recorded_at INTEGER NOT NULL,"
	"  mo_id INTEGER, cancelled_at INTEGER, cancel_reason TEXT);"
	"CREATE UNIQUE INDEX records_seq ON records (companion_id, seq);"
	"CREATE UNIQUE INDEX records_grad_key ON records (kpm_id)"
	"  WHERE kind = 'G' AND cancelled_at IS NULL;"
	"CREATE UNIQUE INDEX records_visit_key"
	"  ON records (companion_id, kpm_id, event_date)"
	"  WHERE kind = 'K' AND cancelled_at IS NULL;"
	"CREATE INDEX records_count"
	"  ON records (companion_id, kind, year, category, cancelled_at)"
	"  WHERE cancelled_at IS NULL;"
	"CREATE INDEX records_last ON records (companion_id, recorded_at)"
	"  WHERE cancelled_at IS NULL;"
	"CREATE TABLE mt ("
	"  id INTEGER PRIMARY KEY, mo_id INTEGER, dest TEXT NOT NULL,"
	"  text TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_status INTEGER NOT NULL DEFAULT 0, message_id TEXT,"
	"  created_at INTEGER NOT NULL, sent_at INTEGER, failed_at INTEGER);"
	"CREATE INDEX mt_state ON mt (state, id);";

/* Its data: what a year of use leaves, cancellations included. */
static const char v1_data[] =
	"INSERT INTO companions (id, phone, name, timezone) VALUES"
	"  ('C001', '6281200000001', 'Siti', 'Asia/Makassar'),"
	"  ('C002', '6281200000002', 'Budi', 'Asia/Jakarta');"
	"INSERT INTO kpm (id, name, phone, companion_id) VALUES"
	"  ('12345', 'Keluarga A', '6285700000001', 'C001'),"
	"  ('12346', 'Keluarga B', NULL, 'C002');"
	"INSERT INTO mo (id, sender, dest, text, smsc_ref, received_at) VALUES"
	"  (1, '6281200000001', '94500', 'GRAD 1', 'r1', 1000),"
	"  (2, '6281200000001', '94500', 'GRAD 2', NULL, 1100),"
	"  (3, '6281200000002', '94500', 'KUNJ 5', NULL, 1200);"
	"INSERT INTO records (id, seq, ref, kind, companion_id, kpm_id,"
	"  category, event_date, year, tz_offset, recorded_at, mo_id,"
	"  cancelled_at, cancel_reason) VALUES"
	"  (1, 1, 'G001', 'G', 'C001', '1', 0, '2025-12-30', 2025, 28800,"
	"   1000, 1, NULL, NULL),"
	"  (2, 2, 'G002', 'G', 'C001', '2', 0, '2026-01-02', 2026, 28800,"
	"   1100, 2, NULL, NULL),"
	"  (3, 3, 'G003', 'G', 'C001', '3', 1, '2026-01-03', 2026, 28800,"
	"   1150, NULL, NULL, NULL),"
	"  (4, 4, 'G004', 'G', 'C001', '4', 2, '2026-01-04', 2026, 28800,"
	"   1160, NULL, NULL, NULL),"
	"  (5, 5, 'G005', 'G', 'C001', '5', 0, '2026-01-05', 2026, 28800,"
	"   1170, NULL, 1180, 'BATAL by SMS'),"
	"  (6, 6, 'K006', 'K', 'C001', '1', -1, '2026-01-06', 2026, 28800,"
	"   1190, NULL, NULL, NULL),"
	"  (7, 7, 'K007', 'K', 'C001', '1', -1, '2026-01-07', 2026, 28800,"
	"   1195, NULL, 1196, 'x'),"
	"  (8, 1, 'K001', 'K', 'C002', '5', -1, '2026-01-01', 2026, 25200,"
	"   1200, 3, NULL, NULL),"
	"  (9, 2, 'G002', 'G', 'C002', '6', 0, '2026-01-02', 2026, 25200,"
	"   1210, NULL, NULL, NULL);"
	"INSERT INTO mt (id, mo_id, dest, text, state, attempts, last_status,"
	"  message_id, created_at, sent_at, failed_at) VALUES"
	"  (1, 1, '6281200000001', 'OK 1', 1, 1, 0, 'a1B2', 1000, 1001, NULL),"
	"  (2, 2, '6281200000001', 'OK 2', 0, 0, 0, NULL, 1100, NULL, NULL),"
	"  (3, 3, '6281200000002', 'OK 3', 2, 3, 69, NULL, 1200, NULL, 1300),"
	"  (4, NULL, '6281200000002', 'Info', 0, 0, 0, NULL, 1400, NULL,"
	"   NULL);";

/*
 * The shape of the schema, one line per fact: objects, columns (type,
 * NOT NULL, default, key), index keys with their collation, which
 * indexes are unique or partial, and the triggers' text.  The text of a
 * CREATE TABLE is left out: the fixture's spacing is not the shipped one.
 */
static void
schema_dump(const char *path, char *out, size_t outsz)
{
	static const char *const q[] = {
		"SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name",
		"SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", "
		"p.dflt_value, p.pk FROM sqlite_schema m, "
		"pragma_table_info(m.name) p WHERE m.type = 'table' "
		"ORDER BY 1, 2",
		"SELECT m.name, x.seqno, x.name, x.\"desc\", x.coll, x.key "
		"FROM sqlite_schema m, pragma_index_xinfo(m.name) x "
		"WHERE m.type = 'index' ORDER BY 1, 2",
		"SELECT m.name, l.name, l.\"unique\", l.origin, l.partial "
		"FROM sqlite_schema m, pragma_index_list(m.name) l "
		"WHERE m.type = 'table' ORDER BY 1, 2",
		"SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' "
		"ORDER BY name",
	};
	sqlite3		*db;
	sqlite3_stmt	*s;
	size_t		 n = 0, i;
	int		 col;

	out[0] = '\0';
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		assert_int_equal(sqlite3_prepare_v2(db, q[i], -1, &s, NULL),
		    SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (col = 0; col < sqlite3_column_count(s); col++) {
				const unsigned char *v;

				v = sqlite3_column_text(s, col);
				n += (size_t)snprintf(out + n, outsz - n,
				    "%s|", v == NULL ? "NULL" :
				    (const char *)v);
				assert_true(n < outsz);
			}
			n += (size_t)snprintf(out + n, outsz - n, "\n");
			assert_true(n < outsz);
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

/*
 * A version 1 file migrates in place: the data stays, the counts come
 * out of the records as they were, the new columns have their
 * defaults, and the schema is the one a new file gets.
 */
static void
test_file_migrate_v1(void **state)
{
	struct fixture		*f = *state;
	struct store_companion	 c;
	struct store_kpm	 k;
	struct store_record	 r;
	struct store_mo		 mo;
	struct store_mt		 mt;
	struct store_options	 o = { STORE_SYNC_NORMAL, 100, 0, 0 };
	static char		 fresh[32768], migrated[32768];
	const char		*ids[1];
	char			 err[256];
	sqlite3			*db;
	int64_t			 mt_id;
	int			 n;

	/* The fixture's fresh v2 file is the reference schema. */
	store_close(f->st);
	f->st = NULL;
	schema_dump(f->path, fresh, sizeof(fresh));
	fixture_unlink(f);

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1_schema, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1_data, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(f->st), 9);

	/* Data kept. */
	assert_int_equal(store_companion_by_phone(f->st, "6281200000002", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C002");
	assert_int_equal(store_kpm_get(f->st, "12345", &k), STORE_OK);
	assert_string_equal(k.phone, "6285700000001");
	assert_int_equal(store_record_by_ref(f->st, "C001", "G005", &r),
	    STORE_OK);
	assert_int_equal(r.cancelled_at, 1180);
	assert_string_equal(r.cancel_reason, "BATAL by SMS");

	/* Counts from the records: active only, by year and category. */
	tally_check(f->st);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, CAT_BIT(GRAMMAR_CAT_SM), &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2025, ~0u, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_VISIT,
	    2026, 0, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_count(f->st, "C002", STORE_KIND_VISIT,
	    2026, 0, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* New columns: one delivery, no receipt. */
	assert_int_equal(store_mo_find_recent(f->st, "6281200000001",
	    "GRAD 1", 0, &mo), STORE_OK);
	assert_int_equal(mo.id, 1);
	assert_int_equal(mo.deliveries, 1);
	assert_string_equal(mo.smsc_ref, "r1");
	assert_int_equal(store_mo_redelivered(f->st, 1), STORE_OK);
	assert_int_equal(store_mo_find_recent(f->st, "6281200000001",
	    "GRAD 1", 1000, &mo), STORE_OK);
	assert_int_equal(mo.deliveries, 2);
	assert_int_equal(store_mt_get(f->st, 3, &mt), STORE_OK);
	assert_int_equal(mt.state, STORE_MT_FAILED);
	assert_int_equal(mt.last_status, 69);
	assert_int_equal(mt.receipt, STORE_RCPT_NONE);
	assert_int_equal(mt.receipt_at, 0);

	/* The outbox as it was, through the new indexes. */
	assert_int_equal(store_mt_count(f->st, STORE_MT_PENDING, &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_mt_count(f->st, STORE_MT_SENT, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_mt_count(f->st, STORE_MT_FAILED, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	memset(&mt, 0, sizeof(mt));
	assert_int_equal(store_mt_pending(f->st, 2, 10, collect_mt_any, &mt),
	    STORE_OK);
	assert_int_equal(mt.id, 4);
	assert_int_equal(store_mt_by_mo(f->st, 2, &mt), STORE_OK);
	assert_int_equal(mt.id, 2);
	ids[0] = "A1b2";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_DELIVERED,
	    2000, &mt_id), STORE_OK);
	assert_int_equal(mt_id, 1);

	/* Life goes on: sequences, cancels, BATAL. */
	r = make_rec(STORE_KIND_GRAD, "C001", "7", GRAMMAR_CAT_SM,
	    "2026-02-01", 3000);
	insert_ok(f->st, &r, "G008");
	r = make_rec(STORE_KIND_GRAD, "C001", "2", GRAMMAR_CAT_SM,
	    "2026-02-01", 3000);
	assert_int_equal(store_record_insert(f->st, &r), STORE_EXISTS);
	r = make_rec(STORE_KIND_GRAD, "C001", "5", GRAMMAR_CAT_SM,
	    "2026-02-01", 3001);
	insert_ok(f->st, &r, "G009");	/* G005's key was freed by BATAL */
	assert_int_equal(store_record_by_ref(f->st, "C001", "G003", &r),
	    STORE_OK);
	assert_int_equal(store_record_cancel(f->st, r.id, 3002, "x"),
	    STORE_OK);
	tally_check(f->st);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_record_last(f->st, "C001", 3000, &r),
	    STORE_OK);
	assert_string_equal(r.ref, "G009");
	assert_int_equal(store_record_last(f->st, "C002", 0, &r), STORE_OK);
	assert_string_equal(r.ref, "G002");

	/* Reopened, nothing more to do; the schema is a new file's. */
	store_close(f->st);
	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(f->st), 9);
	store_close(f->st);
	f->st = NULL;
	schema_dump(f->path, migrated, sizeof(migrated));
	assert_string_equal(migrated, fresh);
	assert_null(strstr(migrated, "records_count"));
	assert_null(strstr(migrated, "records_last"));
	assert_null(strstr(migrated, "mt_state"));
	assert_non_null(strstr(migrated, "table|tallies|tallies|"));
	assert_non_null(strstr(migrated, "mt_message_id|0|message_id|0|NOCASE"));
	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_OK);
}

/*
 * The tallies across migration 9: a file at 8 whose counts drifted (an
 * old pilard wrote records after a pilarctl of the new code dropped the
 * insert trigger, as happened before pilarctl stopped upgrading) is
 * refused by a pilarctl-style open (no_upgrade), and upgraded by
 * pilard's, which counts again from the records.
 */
static void
test_file_migrate_9_recounts(void **state)
{
	struct fixture		*f = *state;
	struct store_options	 o = { STORE_SYNC_NORMAL, 100, 0, 0 };
	struct store_record	 r;
	char			 err[256];
	sqlite3			*db;

	add_companion(f->st, "C001", "6281200000001");
	add_kpm(f->st, "12345", "", "C001");
	add_kpm(f->st, "12346", "", "C001");
	r = make_rec(STORE_KIND_GRAD, "C001", "12345", 0, "2026-03-01", 1000);
	insert_ok(f->st, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C001", "12346", 0, "2026-03-02", 1001);
	insert_ok(f->st, &r, "G002");
	store_close(f->st);
	f->st = NULL;

	/* Back to 8, with its trigger, and a count that lost a record. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "UPDATE schema_version SET version = 8;"
	    "CREATE TRIGGER records_tally_insert AFTER INSERT ON records"
	    "  WHEN new.cancelled_at IS NULL BEGIN"
	    "  INSERT INTO tallies (companion_id, year, kind, category, n)"
	    "  VALUES (new.companion_id, new.year, new.kind, new.category, 1)"
	    "  ON CONFLICT DO UPDATE SET n = n + 1; END;"
	    "UPDATE tallies SET n = n - 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	o.no_upgrade = 1;
	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_ERROR);
	assert_non_null(strstr(err, "schema version 8 is older"));
	assert_non_null(strstr(err, "restart pilard"));
	f->st = NULL;

	o.no_upgrade = 0;
	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(f->st), 9);
	tally_check(f->st);
	/* Now at 9, a no_upgrade open is fine. */
	store_close(f->st);
	o.no_upgrade = 1;
	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_OK);
}

int
main(void)
{
	const struct CMUnitTest file_tests[] = {
		cmocka_unit_test_setup_teardown(test_file_migrate_v1,
		    setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_file_migrate_9_recounts,
		    setup_file, teardown),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store migrate file", file_tests,
	    NULL, NULL);
	return failed == 0 ? 0 : 1;
}
