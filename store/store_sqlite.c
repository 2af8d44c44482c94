/*
 * store_sqlite.c: store.h on SQLite.
 *
 * Every statement is written once, in store_sql[], and prepared when the
 * store opens (SQLITE_PREPARE_PERSISTENT: they live as long as the
 * connection).  Values are bound by name.  Each use ends in store_done()
 * (sqlite3_reset + sqlite3_clear_bindings), so no statement keeps a read
 * transaction open or a pointer into the caller's memory: strings are
 * bound SQLITE_STATIC and are only read before that reset.
 *
 * The schema is an ordered list of migrations; the table schema_version
 * holds how many have been applied.  store_open() applies the missing
 * ones in one transaction, so a reopen of a current file changes nothing.
 *
 * A struct store belongs to one thread (the connection is opened
 * SQLITE_OPEN_NOMUTEX).  Every lookup the daemon makes per MO is a seek
 * in an index; the comments on store_sql[] name the index each uses.
 * Nothing per MO grows with a companion's history: the running counts
 * are kept in tallies (migration 2) by triggers on records, in the
 * statement that changes the record.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

#define STORE_ERRMSG_MAX	512
#define STORE_BUSY_DEFAULT	5000		/* ms */
#define STORE_REF_DIGITS_MIN	3		/* "G001" */
#define STORE_PARAM_BITS	9		/* 512 slots */
#define STORE_SUBJOURNAL_MEM	(256 * 1024)	/* bytes, see below */

/* Crockford's base 32: no I, L, O or U, so nothing reads as another. */
static const char store_crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/*
 * 64 MiB of page cache.  Checkpoint every 40000 pages (160 MiB) of WAL
 * rather than SQLite's 1000.  Each MO adds entries to indexes keyed by
 * its sender or companion, so a batch dirties pages all over a large
 * file, and between checkpoints the same pages are written to the WAL
 * again and again: a checkpoint copies each once.  Measured with 1,000
 * records per companion (a 400 MiB file), the former 10000 pages with
 * the WAL cut to 64 MiB after each checkpoint cost over a quarter more
 * per MO; more than 40000 pages gained little.  The WAL file is kept at
 * up to 192 MiB, to be overwritten rather than cut and grown again
 * (that alone was 10%).  Recovery after a crash reads the WAL: 0.3 s
 * for 160 MiB.
 *
 * temp_store stays at its default on purpose.  The savepoint of each MO
 * journals the pages the MO touches in one buffer (sized in
 * store_global_config()); temp_store = MEMORY would keep that journal in
 * 1 KiB chunks instead, allocated and freed for every savepoint:
 * measured 23% more instructions per MO.
 */
static const char *const store_pragmas[] = {
	"PRAGMA foreign_keys = ON",
	"PRAGMA cache_size = -65536",
	"PRAGMA wal_autocheckpoint = 40000",
	"PRAGMA journal_size_limit = 201326592",
};

enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_COMPANION_ADD,
	STMT_COMPANION_UPDATE,
	STMT_COMPANION_GET,
	STMT_COMPANION_BY_PHONE,
	STMT_COMPANION_EACH,
	STMT_KPM_PUT,
	STMT_KPM_GET,
	STMT_KPM_OPTOUT,
	STMT_MO_INSERT,
	STMT_MO_FIND_RECENT,
	STMT_MO_REDELIVERED,
	STMT_RECORD_LAST_SEQ,
	STMT_RECORD_INSERT,
	STMT_RECORD_FIND_GRAD,
	STMT_RECORD_FIND_VISIT,
	STMT_RECORD_BY_REF,
	STMT_RECORD_LAST,
	STMT_RECORD_CANCEL,
	STMT_RECORD_COUNT_GRAD,
	STMT_RECORD_COUNT_VISIT,
	STMT_RECORD_EACH_GRAD,
	STMT_RECORD_EACH_VISIT,
	STMT_MT_INSERT,
	STMT_MT_PENDING,
	STMT_MT_GET,
	STMT_MT_MARK_SENT,
	STMT_MT_MARK_FAILED,
	STMT_MT_ATTEMPT,
	STMT_MT_COUNT,
	STMT_MT_COUNT_PENDING,
	STMT_MT_BY_MO,
	STMT_MT_RECEIPT_FIND,
	STMT_MT_RECEIPT_SET,
	STMT_MAX
};

/*
 * Where a statement's parameter of a given name is.  sqlite3_bind_
 * parameter_index() compares the name with each of the statement's in
 * turn: 6% of the instructions of an MO (about 40 binds), 1% with this
 * cache.  The names are string literals, so their address identifies
 * them.  A slot holds one (statement, name) pair; a collision only
 * means a lookup.
 */
struct store_param {
	const sqlite3_stmt	*stmt;
	const char		*name;
	int			 index;
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[STMT_MAX];
	int		 version;	/* schema version after open */
	int		 bind_rc;	/* first failed bind since the last step */
	char		 errmsg[STORE_ERRMSG_MAX];
	struct store_param params[1 << STORE_PARAM_BITS];
};

/*
 * Column lists shared by the SELECTs and the row readers below: the
 * readers take columns by position, so the two must agree.
 */
#define COMPANION_COLS	"id, phone, name, timezone, language, active"
#define KPM_COLS	"id, name, phone, companion_id, opted_out"
#define MO_COLS		"id, sender, dest, text, smsc_ref, received_at, " \
			"deliveries"
#define RECORD_COLS	"id, ref, kind, companion_id, kpm_id, category, note, " \
			"event_date, year, tz_offset, recorded_at, mo_id, " \
			"cancelled_at, cancel_reason"
#define MT_COLS		"id, mo_id, dest, text, state, attempts, " \
			"last_status, message_id, created_at, sent_at, " \
			"receipt, receipt_at"
/* Positions in RECORD_COLS that store_record_last() looks at. */
#define RECORD_COL_RECORDED_AT	10
#define RECORD_COL_CANCELLED_AT	12

static const char *const store_sql[STMT_MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_SAVEPOINT] = "SAVEPOINT mo",
	[STMT_RELEASE] = "RELEASE mo",
	[STMT_ROLLBACK_TO] = "ROLLBACK TO mo",

	[STMT_COMPANION_ADD] =
	    "INSERT INTO companions (id, phone, name, timezone, language, "
	    "active) VALUES (:id, :phone, :name, :timezone, :language, "
	    ":active)",
	[STMT_COMPANION_UPDATE] =
	    "UPDATE companions SET phone = :phone, name = :name, "
	    "timezone = :timezone, language = :language, active = :active "
	    "WHERE id = :id",
	[STMT_COMPANION_GET] =
	    "SELECT " COMPANION_COLS " FROM companions WHERE id = :id",
	/*
	 * Every MO starts here: companions_by_phone answers it alone.  The
	 * planner would take the UNIQUE(phone) index and then seek the table
	 * too; INDEXED BY says which, and fails the open if it is missing.
	 */
	[STMT_COMPANION_BY_PHONE] =
	    "SELECT " COMPANION_COLS " FROM companions "
	    "INDEXED BY companions_by_phone "
	    "WHERE phone = :phone AND active <> 0",
	[STMT_COMPANION_EACH] =
	    "SELECT " COMPANION_COLS " FROM companions ORDER BY id",

	/* An upsert, not INSERT OR REPLACE: no delete, no new row. */
	[STMT_KPM_PUT] =
	    "INSERT INTO kpm (id, name, phone, companion_id, opted_out) "
	    "VALUES (:id, :name, :phone, :companion_id, :opted_out) "
	    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
	    "phone = excluded.phone, companion_id = excluded.companion_id, "
	    "opted_out = excluded.opted_out",
	[STMT_KPM_GET] =
	    "SELECT " KPM_COLS " FROM kpm WHERE id = :id",
	/* kpm_phone. */
	[STMT_KPM_OPTOUT] =
	    "UPDATE kpm SET opted_out = :opted_out WHERE phone = :phone",

	[STMT_MO_INSERT] =
	    "INSERT INTO mo (sender, dest, text, smsc_ref, received_at) "
	    "VALUES (:sender, :dest, :text, :smsc_ref, :received_at)",
	/*
	 * mo_recent: one seek to the sender's latest MO with this text; the
	 * table is read for that row only.  Here and below, INDEXED BY
	 * where any other plan would be a scan that grows with the table:
	 * a missing index fails the open instead.
	 */
	[STMT_MO_FIND_RECENT] =
	    "SELECT " MO_COLS " FROM mo INDEXED BY mo_recent "
	    "WHERE sender = :sender AND received_at >= :since "
	    "AND text = :text ORDER BY received_at DESC, id DESC LIMIT 1",
	[STMT_MO_REDELIVERED] =
	    "UPDATE mo SET deliveries = deliveries + 1 WHERE id = :id",

	/*
	 * The companion's last sequence number: one seek to the end of its
	 * range in records_seq.  A counter in companions would cost an
	 * UPDATE per record and dirty a companions page per MO.
	 */
	[STMT_RECORD_LAST_SEQ] =
	    "SELECT seq FROM records WHERE companion_id = :companion_id "
	    "ORDER BY seq DESC LIMIT 1",
	[STMT_RECORD_INSERT] =
	    "INSERT INTO records (seq, ref, kind, companion_id, kpm_id, "
	    "category, note, event_date, year, tz_offset, recorded_at, mo_id) "
	    "VALUES (:seq, :ref, :kind, :companion_id, :kpm_id, :category, "
	    ":note, :event_date, :year, :tz_offset, :recorded_at, :mo_id)",
	/*
	 * The kind and the cancelled_at test are literals so that the
	 * planner can use the partial indexes records_grad_key and
	 * records_visit_key.
	 */
	[STMT_RECORD_FIND_GRAD] =
	    "SELECT " RECORD_COLS " FROM records WHERE kpm_id = :kpm_id "
	    "AND kind = 'G' AND cancelled_at IS NULL",
	[STMT_RECORD_FIND_VISIT] =
	    "SELECT " RECORD_COLS " FROM records "
	    "WHERE companion_id = :companion_id AND kpm_id = :kpm_id "
	    "AND event_date = :event_date AND kind = 'K' "
	    "AND cancelled_at IS NULL",
	/* records_seq; cancelled records are found too. */
	[STMT_RECORD_BY_REF] =
	    "SELECT " RECORD_COLS " FROM records "
	    "WHERE companion_id = :companion_id AND seq = :seq "
	    "AND ref = :ref",
	/*
	 * records_seq read backwards, newest first; store_record_last()
	 * stops at the first row older than its window.
	 */
	[STMT_RECORD_LAST] =
	    "SELECT " RECORD_COLS " FROM records INDEXED BY records_seq "
	    "WHERE companion_id = :companion_id ORDER BY seq DESC",
	[STMT_RECORD_CANCEL] =
	    "UPDATE records SET cancelled_at = :when, cancel_reason = :reason "
	    "WHERE id = :id AND cancelled_at IS NULL",
	/*
	 * The running counts: a seek on the primary key of tallies and at
	 * most one row per category, however many records there are.
	 * Visits sum every category they were recorded with (-1).
	 */
	[STMT_RECORD_COUNT_GRAD] =
	    "SELECT coalesce(sum(n), 0) FROM tallies "
	    "WHERE companion_id = :companion_id AND year = :year "
	    "AND kind = 'G' AND ((1 << category) & :categories) <> 0",
	[STMT_RECORD_COUNT_VISIT] =
	    "SELECT coalesce(sum(n), 0) FROM tallies "
	    "WHERE companion_id = :companion_id AND year = :year "
	    "AND kind = 'K'",
	[STMT_RECORD_EACH_GRAD] =
	    "SELECT " RECORD_COLS " FROM records WHERE kind = 'G' "
	    "ORDER BY id",
	[STMT_RECORD_EACH_VISIT] =
	    "SELECT " RECORD_COLS " FROM records WHERE kind = 'K' "
	    "ORDER BY id",

	[STMT_MT_INSERT] =
	    "INSERT INTO mt (mo_id, dest, text, state, attempts, last_status, "
	    "message_id, created_at, sent_at) VALUES (:mo_id, :dest, :text, "
	    ":state, :attempts, :last_status, :message_id, :created_at, "
	    ":sent_at)",
	/*
	 * mt_pending, which holds only pending rows (the literal 0 is
	 * STORE_MT_PENDING and lets the planner use that partial index).
	 */
	[STMT_MT_PENDING] =
	    "SELECT " MT_COLS " FROM mt INDEXED BY mt_pending "
	    "WHERE state = 0 AND id > :after_id ORDER BY id LIMIT :limit",
	[STMT_MT_GET] =
	    "SELECT " MT_COLS " FROM mt WHERE id = :id",
	[STMT_MT_MARK_SENT] =
	    "UPDATE mt SET state = 1, message_id = :message_id, "
	    "sent_at = :when, last_status = 0 WHERE id = :id",
	[STMT_MT_MARK_FAILED] =
	    "UPDATE mt SET state = 2, last_status = :status, "
	    "failed_at = :when WHERE id = :id",
	[STMT_MT_ATTEMPT] =
	    "UPDATE mt SET attempts = attempts + 1, last_status = :status "
	    "WHERE id = :id",
	/*
	 * Sent and failed MTs are counted by a scan of mt: only pilarctl
	 * asks, and an index on state for them would cost every MT two
	 * index writes.  Pending ones are counted in mt_pending.
	 */
	[STMT_MT_COUNT] =
	    "SELECT count(*) FROM mt WHERE state = :state",
	[STMT_MT_COUNT_PENDING] =
	    "SELECT count(*) FROM mt INDEXED BY mt_pending WHERE state = 0",
	/* mt_mo, backwards. */
	[STMT_MT_BY_MO] =
	    "SELECT " MT_COLS " FROM mt INDEXED BY mt_mo "
	    "WHERE mo_id = :mo_id ORDER BY id DESC LIMIT 1",
	/*
	 * mt_message_id: one seek per form, covering; the COLLATE makes the
	 * comparison the index's.  An unused form is bound NULL, which
	 * matches nothing.
	 */
	[STMT_MT_RECEIPT_FIND] =
	    "SELECT max(id) FROM mt INDEXED BY mt_message_id "
	    "WHERE message_id COLLATE NOCASE IN (:id0, :id1, :id2)",
	[STMT_MT_RECEIPT_SET] =
	    "UPDATE mt SET receipt = :receipt, receipt_at = :when "
	    "WHERE id = :id",
};

/*
 * The migrations, oldest first: migration i takes the schema from
 * version i to i + 1.  Never edit one that has shipped; append.
 */
static const char *const store_migrations[] = {
	/* 1: companions, KPM, inbound messages, records and the outbox. */
	"CREATE TABLE companions ("
	"  id		TEXT PRIMARY KEY NOT NULL,"
	"  phone	TEXT NOT NULL UNIQUE,"
	"  name		TEXT NOT NULL DEFAULT '',"
	"  timezone	TEXT NOT NULL DEFAULT '',"
	"  language	TEXT NOT NULL DEFAULT 'id',"
	"  active	INTEGER NOT NULL DEFAULT 1,"
	"  created_at	INTEGER NOT NULL"
	"    DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))"
	") WITHOUT ROWID;"
	/* Covering for store_companion_by_phone (the id comes with it). */
	"CREATE INDEX companions_by_phone"
	"  ON companions (phone, active, name, timezone, language);"

	"CREATE TABLE kpm ("
	"  id		TEXT PRIMARY KEY NOT NULL,"
	"  name		TEXT NOT NULL DEFAULT '',"
	"  phone	TEXT,"				/* NULL when unknown */
	"  companion_id	TEXT NOT NULL REFERENCES companions (id),"
	"  opted_out	INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	"CREATE INDEX kpm_phone ON kpm (phone) WHERE phone IS NOT NULL;"
	"CREATE INDEX kpm_companion ON kpm (companion_id);"

	/* smsc_ref NULL when none.  No AUTOINCREMENT: ids only grow. */
	"CREATE TABLE mo ("
	"  id		INTEGER PRIMARY KEY,"
	"  sender	TEXT NOT NULL,"
	"  dest		TEXT NOT NULL,"
	"  text		TEXT NOT NULL,"
	"  smsc_ref	TEXT,"
	"  received_at	INTEGER NOT NULL"
	");"

	/*
	 * seq is the companion's sequence number, shared by both kinds;
	 * ref is kind and seq as the companion sees it ("G001").  mo_id is a
	 * plain number, not a foreign key: raw SMS are purged after the
	 * retention period while the records stay.  kpm_id is none either: a
	 * roster import may drop a KPM that has history.
	 */
	"CREATE TABLE records ("
	"  id		INTEGER PRIMARY KEY,"
	"  seq		INTEGER NOT NULL,"
	"  ref		TEXT NOT NULL,"
	"  kind		TEXT NOT NULL CHECK (kind IN ('G', 'K')),"
	"  companion_id	TEXT NOT NULL REFERENCES companions (id),"
	"  kpm_id	TEXT NOT NULL,"
	"  category	INTEGER NOT NULL,"
	"  note		TEXT,"
	"  event_date	TEXT NOT NULL,"
	"  year		INTEGER NOT NULL,"
	"  tz_offset	INTEGER NOT NULL,"
	"  recorded_at	INTEGER NOT NULL,"
	"  mo_id	INTEGER,"
	"  cancelled_at	INTEGER,"			/* NULL while active */
	"  cancel_reason TEXT"
	");"
	"CREATE UNIQUE INDEX records_seq ON records (companion_id, seq);"
	/* The natural keys, which only active records hold. */
	"CREATE UNIQUE INDEX records_grad_key ON records (kpm_id)"
	"  WHERE kind = 'G' AND cancelled_at IS NULL;"
	"CREATE UNIQUE INDEX records_visit_key"
	"  ON records (companion_id, kpm_id, event_date)"
	"  WHERE kind = 'K' AND cancelled_at IS NULL;"
	/* cancelled_at (always NULL here) makes it covering for 3.40. */
	"CREATE INDEX records_count"
	"  ON records (companion_id, kind, year, category, cancelled_at)"
	"  WHERE cancelled_at IS NULL;"
	"CREATE INDEX records_last ON records (companion_id, recorded_at)"
	"  WHERE cancelled_at IS NULL;"

	/* sent_at, failed_at and message_id NULL until they happen. */
	"CREATE TABLE mt ("
	"  id		INTEGER PRIMARY KEY,"
	"  mo_id	INTEGER,"
	"  dest		TEXT NOT NULL,"
	"  text		TEXT NOT NULL,"
	"  state	INTEGER NOT NULL DEFAULT 0,"
	"  attempts	INTEGER NOT NULL DEFAULT 0,"
	"  last_status	INTEGER NOT NULL DEFAULT 0,"
	"  message_id	TEXT,"
	"  created_at	INTEGER NOT NULL,"
	"  sent_at	INTEGER,"
	"  failed_at	INTEGER"
	");"
	"CREATE INDEX mt_state ON mt (state, id);",

	/*
	 * 2: redeliveries and delivery receipts; running counts in
	 * tallies instead of count scans; leaner indexes.  A version 1
	 * file migrates in place (ALTER TABLE ADD COLUMN rewrites no row).
	 *
	 * The text is in mo_recent so that store_mo_find_recent seeks
	 * instead of reading every MO of the sender's window: a busy
	 * sender (a companion catching up, a looping phone, the load test)
	 * has hundreds in ten minutes.  SMS texts are short; a long one
	 * spills to overflow pages like any long key.
	 */
	"ALTER TABLE mo ADD COLUMN deliveries INTEGER NOT NULL DEFAULT 1;"
	"CREATE INDEX mo_recent ON mo (sender, text, received_at);"

	/*
	 * tallies holds, per companion, target year, kind and category,
	 * how many active records there are, built here from the records.
	 * Triggers keep it in step in the very statement that inserts,
	 * cancels (or otherwise changes) or deletes a record, whoever runs
	 * it, so it cannot drift from records.  Rows that fall to 0 stay.
	 */
	"CREATE TABLE tallies ("
	"  companion_id	TEXT NOT NULL,"
	"  year		INTEGER NOT NULL,"
	"  kind		TEXT NOT NULL,"
	"  category	INTEGER NOT NULL,"
	"  n		INTEGER NOT NULL,"
	"  PRIMARY KEY (companion_id, year, kind, category)"
	") WITHOUT ROWID;"
	"INSERT INTO tallies (companion_id, year, kind, category, n)"
	"  SELECT companion_id, year, kind, category, count(*) FROM records"
	"  WHERE cancelled_at IS NULL"
	"  GROUP BY companion_id, year, kind, category;"
	"CREATE TRIGGER records_tally_insert AFTER INSERT ON records"
	"  WHEN new.cancelled_at IS NULL "
	"BEGIN"
	"  INSERT INTO tallies (companion_id, year, kind, category, n)"
	"  VALUES (new.companion_id, new.year, new.kind, new.category, 1)"
	"  ON CONFLICT DO UPDATE SET n = n + 1;"
	"END;"
	"CREATE TRIGGER records_tally_update"
	"  AFTER UPDATE OF companion_id, year, kind, category, cancelled_at"
	"  ON records "
	"BEGIN"
	"  UPDATE tallies SET n = n - 1"
	"  WHERE old.cancelled_at IS NULL"
	"  AND companion_id = old.companion_id AND year = old.year"
	"  AND kind = old.kind AND category = old.category;"
	"  INSERT INTO tallies (companion_id, year, kind, category, n)"
	"  SELECT new.companion_id, new.year, new.kind, new.category, 1"
	"  WHERE new.cancelled_at IS NULL"
	"  ON CONFLICT DO UPDATE SET n = n + 1;"
	"END;"
	"CREATE TRIGGER records_tally_delete AFTER DELETE ON records"
	"  WHEN old.cancelled_at IS NULL "
	"BEGIN"
	"  UPDATE tallies SET n = n - 1"
	"  WHERE companion_id = old.companion_id AND year = old.year"
	"  AND kind = old.kind AND category = old.category;"
	"END;"
	/*
	 * Counting reads tallies now, and store_record_last walks
	 * records_seq: two fewer index writes per record.
	 */
	"DROP INDEX records_count;"
	"DROP INDEX records_last;"

	/*
	 * mt_pending holds pending MTs only: sending one deletes an entry
	 * instead of moving it.  mt_mo for store_mt_by_mo, mt_message_id
	 * for delivery receipts (case-insensitive, as SMSCs change the case
	 * of hex ids between submit_sm_resp and the receipt).
	 */
	"ALTER TABLE mt ADD COLUMN receipt INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE mt ADD COLUMN receipt_at INTEGER;"
	"DROP INDEX mt_state;"
	"CREATE INDEX mt_pending ON mt (state) WHERE state = 0;"
	"CREATE INDEX mt_mo ON mt (mo_id) WHERE mo_id IS NOT NULL;"
	"CREATE INDEX mt_message_id ON mt (message_id COLLATE NOCASE)"
	"  WHERE message_id IS NOT NULL;",
};

#define STORE_VERSION \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

static int	store_configure(struct store *, int, const struct store_options *,
		    char *, size_t);
static int	store_migrate(struct store *, char *, size_t);
static int	store_prepare_all(struct store *, char *, size_t);
static void	store_fail(struct store *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	store_status(int);
static int	store_step(struct store *, sqlite3_stmt *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	store_done(struct store *, sqlite3_stmt *);
static int	store_run(struct store *, enum store_stmt, const char *);
static void	store_bind_check(struct store *, int);
static int	store_param_index(struct store *, sqlite3_stmt *,
		    const char *);
static void	store_global_config(void);
static void	bind_text(struct store *, sqlite3_stmt *, const char *,
		    const char *, size_t);
static void	bind_opt_text(struct store *, sqlite3_stmt *, const char *,
		    const char *, size_t);
static void	bind_int64(struct store *, sqlite3_stmt *, const char *,
		    int64_t);
static void	bind_opt_int64(struct store *, sqlite3_stmt *, const char *,
		    int64_t);
static void	copy_str(char *, size_t, const char *, size_t);
static void	col_text(sqlite3_stmt *, int, char *, size_t);
static void	read_companion(sqlite3_stmt *, struct store_companion *);
static void	read_kpm(sqlite3_stmt *, struct store_kpm *);
static void	read_mo(sqlite3_stmt *, struct store_mo *);
static void	read_record(sqlite3_stmt *, struct store_record *);
static void	read_mt(sqlite3_stmt *, struct store_mt *);
static int	store_get_companion(struct store *, enum store_stmt,
		    const char *, const char *, const char *,
		    struct store_companion *);
static int	store_mt_set(struct store *, enum store_stmt, int64_t,
		    const char *, const char *, int, int64_t);
static int	store_ref_format(int, int64_t, char *, size_t);
static int	store_ref_parse(const char *, int64_t *);

/*
 * Open the store at path: apply the options, migrate, prepare every
 * statement.  A new file is created 0600 (UU PDP: it holds names,
 * phones and health notes); the umask is narrowed for the whole open
 * because the -wal and -shm files appear during it too (later ones copy
 * the database file's mode).  The umask is per process: open the store
 * before starting threads that create files.  An existing file keeps
 * the mode its operator gave it.
 */
int
store_open(const char *path, const struct store_options *opt,
    struct store **out, char *err, size_t errsz)
{
	struct store	*st;
	mode_t		 oldmask = 0;
	int		 memory, rc = STORE_ERROR;

	*out = NULL;
	if (errsz > 0)
		err[0] = '\0';
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		return STORE_ERROR;
	}
	store_global_config();
	memory = strcmp(path, ":memory:") == 0;
	if (!memory)
		oldmask = umask(077);

	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, st->db == NULL ?
		    "out of memory" : sqlite3_errmsg(st->db));
		goto done;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (store_configure(st, memory, opt, err, errsz) != STORE_OK ||
	    store_migrate(st, err, errsz) != STORE_OK ||
	    store_prepare_all(st, err, errsz) != STORE_OK)
		goto done;
	rc = STORE_OK;

done:
	if (!memory)
		umask(oldmask);
	if (rc != STORE_OK) {
		store_close(st);
		return rc;
	}
	*out = st;
	return STORE_OK;
}

/*
 * Process-wide settings, which SQLite takes only before it initializes,
 * i.e. before the first connection is opened.  Once SQLite is
 * initialized (another store, another library) the calls change nothing
 * and fail harmlessly.  Not thread-safe: open stores before starting
 * threads, as for the umask.
 *
 * No memory statistics: this SQLite build has no lookaside allocator,
 * so the engine allocates for every cursor and record, and with
 * statistics on takes a global mutex for each allocation (measured: 9%
 * of the instructions of an MO).  Nothing in pilar reads them.
 *
 * The savepoint of each MO journals every page the MO touches.  That
 * sub-journal stays in memory up to a threshold (64 KiB: 15 pages) and
 * then becomes a temporary file until the transaction ends, so every
 * later MO of the batch writes its pages with two pwrite()s each.  In
 * one batch of 64 MO in four, a page split or two took an MO over
 * 64 KiB; with 256 KiB none did (over 100,000 MO: 374 temporary files
 * and 244,000 pwrite()s fewer).  It also keeps those copies of messages
 * and phones out of temporary files.
 */
static void
store_global_config(void)
{
	static int	done;

	if (done)
		return;
	done = 1;
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL,
	    STORE_SUBJOURNAL_MEM);
}

/*
 * The PRAGMAs, before any transaction: journal_mode cannot change
 * inside one.  An in-memory database keeps its own journal mode.
 */
static int
store_configure(struct store *st, int memory, const struct store_options *opt,
    char *err, size_t errsz)
{
	sqlite3_stmt	*s = NULL;
	const char	*sync, *mode;
	size_t		 i;
	int		 busy, rc = STORE_ERROR;

	busy = STORE_BUSY_DEFAULT;
	sync = "PRAGMA synchronous = NORMAL";
	if (opt != NULL) {
		if (opt->busy_timeout_ms > 0)
			busy = opt->busy_timeout_ms;
		if (opt->sync == STORE_SYNC_FULL)
			sync = "PRAGMA synchronous = FULL";
	}
	sqlite3_busy_timeout(st->db, busy);
	/*
	 * Plans must not depend on bound values: otherwise SQLite marks a
	 * statement whose plan looked at a value (a partial index test, STAT4
	 * samples) for re-preparation at every new bind, which costs more
	 * than the statement.  Defensive: no writable_schema tricks.
	 */
	if (sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_QPSG, 1,
	    (int *)NULL) != SQLITE_OK ||
	    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
	    (int *)NULL) != SQLITE_OK) {
		snprintf(err, errsz, "db_config: %s", sqlite3_errmsg(st->db));
		goto done;
	}

	if (!memory) {
		if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1,
		    &s, NULL) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_ROW) {
			snprintf(err, errsz, "journal_mode: %s",
			    sqlite3_errmsg(st->db));
			goto done;
		}
		mode = (const char *)sqlite3_column_text(s, 0);
		if (mode == NULL || strcmp(mode, "wal") != 0) {
			snprintf(err, errsz, "journal_mode: got %s, not wal",
			    mode == NULL ? "nothing" : mode);
			goto done;
		}
	}
	if (sqlite3_exec(st->db, sync, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", sync, sqlite3_errmsg(st->db));
		goto done;
	}
	for (i = 0; i < sizeof(store_pragmas) / sizeof(store_pragmas[0]);
	    i++) {
		if (sqlite3_exec(st->db, store_pragmas[i], NULL, NULL, NULL) !=
		    SQLITE_OK) {
			snprintf(err, errsz, "%s: %s", store_pragmas[i],
			    sqlite3_errmsg(st->db));
			goto done;
		}
	}
	rc = STORE_OK;

done:
	sqlite3_finalize(s);
	return rc;
}

/*
 * Bring the schema to STORE_VERSION in one IMMEDIATE transaction, so two
 * processes opening a new file at once migrate it once.  A file from a
 * newer pilar is refused rather than half understood.
 */
static int
store_migrate(struct store *st, char *err, size_t errsz)
{
	sqlite3_stmt	*s = NULL;
	int		 version = 0, i, rc = STORE_ERROR;
	const char	*what = "begin";

	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto done;
	what = "schema_version";
	if (sqlite3_exec(st->db,
	    "CREATE TABLE IF NOT EXISTS schema_version ("
	    "  version INTEGER NOT NULL);"
	    "INSERT INTO schema_version (version) SELECT 0"
	    "  WHERE NOT EXISTS (SELECT 1 FROM schema_version)",
	    NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	if (sqlite3_prepare_v2(st->db, "SELECT max(version) FROM "
	    "schema_version", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		goto done;
	version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	if (version > STORE_VERSION) {
		snprintf(err, errsz, "schema version %d is newer than this "
		    "pilar's %d", version, STORE_VERSION);
		what = NULL;
		goto done;
	}

	for (i = version; i < STORE_VERSION; i++) {
		if (sqlite3_exec(st->db, store_migrations[i], NULL, NULL,
		    NULL) != SQLITE_OK) {
			snprintf(err, errsz, "migration to version %d: %s",
			    i + 1, sqlite3_errmsg(st->db));
			what = NULL;
			goto done;
		}
	}
	if (version != STORE_VERSION &&
	    (sqlite3_prepare_v2(st->db, "UPDATE schema_version "
	    "SET version = :version", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_bind_int(s, sqlite3_bind_parameter_index(s, ":version"),
	    STORE_VERSION) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE))
		goto done;
	what = "commit";
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	st->version = STORE_VERSION;
	rc = STORE_OK;

done:
	/* what: the step that failed, when the engine has the reason. */
	if (rc != STORE_OK && what != NULL)
		snprintf(err, errsz, "%s: %s", what, sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	if (rc != STORE_OK && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Prepare store_sql[], all of it, once: a typo fails the open. */
static int
store_prepare_all(struct store *st, char *err, size_t errsz)
{
	int	i;

	for (i = 0; i < STMT_MAX; i++) {
		/* Checked comment: every id has its SQL. */
		if (store_sql[i] == NULL) {
			snprintf(err, errsz, "statement %d: no SQL", i);
			return STORE_ERROR;
		}
		if (sqlite3_prepare_v3(st->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) !=
		    SQLITE_OK) {
			snprintf(err, errsz, "prepare %d: %s", i,
			    sqlite3_errmsg(st->db));
			return STORE_ERROR;
		}
	}
	return STORE_OK;
}

/*
 * Finalize everything and close.  No PRAGMA optimize: the plans are
 * chosen for these queries without statistics (each names its index in
 * store_sql[]), and an ANALYZE of ten million KPM at shutdown would hold
 * up a restart.
 */
void
store_close(struct store *st)
{
	int	i;

	if (st == NULL)
		return;
	for (i = 0; i < STMT_MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL)
		sqlite3_close(st->db);
	free(st);
}

const char *
store_errmsg(struct store *st)
{
	return st->errmsg;
}

int
store_schema_version(struct store *st)
{
	return st->version;
}

/*
 * Remember an error of ours (not the engine's) as the last one.  Phones
 * never go into it: callers log it as it is.
 */
static void
store_fail(struct store *st, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
}

/* What an engine error means to a caller of store.h. */
static int
store_status(int rc)
{
	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return STORE_EXISTS;
	return STORE_ERROR;
}

/*
 * Step s once.  Returns SQLITE_ROW or SQLITE_DONE, or an engine error
 * code with errmsg set to "context: engine message"; the context is only
 * formatted on failure, so the fast path pays nothing for it.  A failed
 * bind since the last step fails the step instead of running a
 * half-bound statement.
 */
static int
store_step(struct store *st, sqlite3_stmt *s, const char *fmt, ...)
{
	va_list	ap;
	size_t	n;
	int	rc;

	if ((rc = st->bind_rc) == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			return rc;
	}
	va_start(ap, fmt);
	vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
	n = strlen(st->errmsg);
	snprintf(st->errmsg + n, sizeof(st->errmsg) - n, ": %s",
	    st->bind_rc != SQLITE_OK ? sqlite3_errstr(st->bind_rc) :
	    sqlite3_errmsg(st->db));
	st->bind_rc = SQLITE_OK;
	return rc;
}

/* After each use: no open read, no bound pointer left behind. */
static void
store_done(struct store *st, sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	st->bind_rc = SQLITE_OK;
}

/* Run a statement without parameters or rows (transaction control). */
static int
store_run(struct store *st, enum store_stmt id, const char *what)
{
	sqlite3_stmt	*s = st->stmt[id];
	int		 rc;

	rc = store_step(st, s, "%s", what);
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

static void
store_bind_check(struct store *st, int rc)
{
	if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
		st->bind_rc = rc;
}

/*
 * The index of parameter name in s (0 when it has none, which makes the
 * bind fail with SQLITE_RANGE).  name must be a string literal or other
 * storage that never changes: its address is the key of the cache.
 */
static int
store_param_index(struct store *st, sqlite3_stmt *s, const char *name)
{
	struct store_param	*p;
	uint64_t		 h;

	/* Fibonacci hashing of both addresses: the top bits are mixed. */
	h = ((uint64_t)(uintptr_t)s ^ ((uint64_t)(uintptr_t)name << 7)) *
	    UINT64_C(0x9E3779B97F4A7C15);
	p = &st->params[h >> (64 - STORE_PARAM_BITS)];
	if (p->stmt != s || p->name != name) {
		p->stmt = s;
		p->name = name;
		p->index = sqlite3_bind_parameter_index(s, name);
	}
	return p->index;
}

/*
 * Bind a string field of at most max bytes (the field's size: a missing
 * NUL cannot make us read past it).  SQLITE_STATIC: the caller's memory
 * is read before store_done() resets the statement.
 */
static void
bind_text(struct store *st, sqlite3_stmt *s, const char *name, const char *v,
    size_t max)
{
	store_bind_check(st, sqlite3_bind_text(s,
	    store_param_index(st, s, name), v, (int)strnlen(v, max),
	    SQLITE_STATIC));
}

/* As bind_text, but "" is stored as NULL (an optional field). */
static void
bind_opt_text(struct store *st, sqlite3_stmt *s, const char *name,
    const char *v, size_t max)
{
	if (v == NULL || v[0] == '\0')
		store_bind_check(st, sqlite3_bind_null(s,
		    store_param_index(st, s, name)));
	else
		bind_text(st, s, name, v, max);
}

static void
bind_int64(struct store *st, sqlite3_stmt *s, const char *name, int64_t v)
{
	store_bind_check(st, sqlite3_bind_int64(s,
	    store_param_index(st, s, name), v));
}

/* As bind_int64, but 0 ("none", "not yet") is stored as NULL. */
static void
bind_opt_int64(struct store *st, sqlite3_stmt *s, const char *name, int64_t v)
{
	if (v == 0)
		store_bind_check(st, sqlite3_bind_null(s,
		    store_param_index(st, s, name)));
	else
		bind_int64(st, s, name, v);
}

/*
 * Copy len bytes of src into dst (dstsz bytes), always NUL terminated.
 * A cut never splits a UTF-8 sequence: continuation bytes at the cut
 * are dropped with their lead byte.
 */
static void
copy_str(char *dst, size_t dstsz, const char *src, size_t len)
{
	if (dstsz == 0)
		return;
	if (len >= dstsz) {
		len = dstsz - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Column col as text into a fixed field; NULL reads as "". */
static void
col_text(sqlite3_stmt *s, int col, char *dst, size_t dstsz)
{
	const char	*v;

	v = (const char *)sqlite3_column_text(s, col);
	if (v == NULL) {
		dst[0] = '\0';
		return;
	}
	copy_str(dst, dstsz, v, (size_t)sqlite3_column_bytes(s, col));
}

/* Row readers: columns in the order of the *_COLS lists. */
static void
read_companion(sqlite3_stmt *s, struct store_companion *c)
{
	col_text(s, 0, c->id, sizeof(c->id));
	col_text(s, 1, c->phone, sizeof(c->phone));
	col_text(s, 2, c->name, sizeof(c->name));
	col_text(s, 3, c->timezone, sizeof(c->timezone));
	col_text(s, 4, c->language, sizeof(c->language));
	c->active = sqlite3_column_int(s, 5);
}

static void
read_kpm(sqlite3_stmt *s, struct store_kpm *k)
{
	col_text(s, 0, k->id, sizeof(k->id));
	col_text(s, 1, k->name, sizeof(k->name));
	col_text(s, 2, k->phone, sizeof(k->phone));
	col_text(s, 3, k->companion_id, sizeof(k->companion_id));
	k->opted_out = sqlite3_column_int(s, 4);
}

static void
read_mo(sqlite3_stmt *s, struct store_mo *m)
{
	m->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, m->sender, sizeof(m->sender));
	col_text(s, 2, m->dest, sizeof(m->dest));
	col_text(s, 3, m->text, sizeof(m->text));
	col_text(s, 4, m->smsc_ref, sizeof(m->smsc_ref));
	m->received_at = sqlite3_column_int64(s, 5);
	m->deliveries = sqlite3_column_int(s, 6);
}

static void
read_record(sqlite3_stmt *s, struct store_record *r)
{
	char	kind[2];

	r->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, r->ref, sizeof(r->ref));
	col_text(s, 2, kind, sizeof(kind));
	r->kind = kind[0] == 'G' ? STORE_KIND_GRAD : STORE_KIND_VISIT;
	col_text(s, 3, r->companion_id, sizeof(r->companion_id));
	col_text(s, 4, r->kpm_id, sizeof(r->kpm_id));
	r->category = sqlite3_column_int(s, 5);
	col_text(s, 6, r->note, sizeof(r->note));
	col_text(s, 7, r->event_date, sizeof(r->event_date));
	r->year = sqlite3_column_int(s, 8);
	r->tz_offset = sqlite3_column_int(s, 9);
	r->recorded_at = sqlite3_column_int64(s, 10);
	r->mo_id = sqlite3_column_int64(s, 11);		/* NULL reads 0 */
	r->cancelled_at = sqlite3_column_int64(s, 12);
	col_text(s, 13, r->cancel_reason, sizeof(r->cancel_reason));
}

static void
read_mt(sqlite3_stmt *s, struct store_mt *m)
{
	m->id = sqlite3_column_int64(s, 0);
	m->mo_id = sqlite3_column_int64(s, 1);
	col_text(s, 2, m->dest, sizeof(m->dest));
	col_text(s, 3, m->text, sizeof(m->text));
	switch (sqlite3_column_int(s, 4)) {
	case STORE_MT_SENT:
		m->state = STORE_MT_SENT;
		break;
	case STORE_MT_FAILED:
		m->state = STORE_MT_FAILED;
		break;
	default:
		m->state = STORE_MT_PENDING;
		break;
	}
	m->attempts = sqlite3_column_int(s, 5);
	m->last_status = sqlite3_column_int(s, 6);
	col_text(s, 7, m->message_id, sizeof(m->message_id));
	m->created_at = sqlite3_column_int64(s, 8);
	m->sent_at = sqlite3_column_int64(s, 9);
	m->receipt = sqlite3_column_int(s, 10);
	m->receipt_at = sqlite3_column_int64(s, 11);	/* NULL reads 0 */
}

/* Transactions: BEGIN IMMEDIATE takes the write lock up front. */
int
store_begin(struct store *st)
{
	return store_run(st, STMT_BEGIN, "begin");
}

int
store_commit(struct store *st)
{
	return store_run(st, STMT_COMMIT, "commit");
}

/*
 * Roll back the open transaction.  SQLite itself rolls back on some
 * errors (SQLITE_FULL, SQLITE_IOERR, ...), so with none open there is
 * nothing left to do and that is not an error.
 */
int
store_rollback(struct store *st)
{
	if (sqlite3_get_autocommit(st->db))
		return STORE_OK;
	return store_run(st, STMT_ROLLBACK, "rollback");
}

int
store_savepoint(struct store *st)
{
	return store_run(st, STMT_SAVEPOINT, "savepoint");
}

int
store_release(struct store *st)
{
	return store_run(st, STMT_RELEASE, "release");
}

/*
 * Undo the work since store_savepoint() and close the savepoint: ROLLBACK
 * TO leaves it open, so a RELEASE follows, and the next MO of the batch
 * starts a fresh one.
 */
int
store_rollback_to(struct store *st)
{
	int	rc;

	if ((rc = store_run(st, STMT_ROLLBACK_TO, "rollback to")) !=
	    STORE_OK)
		return rc;
	return store_run(st, STMT_RELEASE, "release after rollback to");
}

/* Add a companion; STORE_EXISTS when the id or the phone is taken. */
int
store_companion_add(struct store *st, const struct store_companion *c)
{
	sqlite3_stmt	*s = st->stmt[STMT_COMPANION_ADD];
	int		 rc;

	bind_text(st, s, ":id", c->id, sizeof(c->id));
	bind_text(st, s, ":phone", c->phone, sizeof(c->phone));
	bind_text(st, s, ":name", c->name, sizeof(c->name));
	bind_text(st, s, ":timezone", c->timezone, sizeof(c->timezone));
	bind_text(st, s, ":language", c->language, sizeof(c->language));
	bind_int64(st, s, ":active", c->active != 0);
	rc = store_step(st, s, "companion add %.*s", STORE_ID_MAX, c->id);
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : store_status(rc);
}

/*
 * Change everything but the id (and the sequence).  STORE_NOTFOUND for
 * an unknown id, STORE_EXISTS when the new phone is another's.
 */
int
store_companion_update(struct store *st, const struct store_companion *c)
{
	sqlite3_stmt	*s = st->stmt[STMT_COMPANION_UPDATE];
	int		 rc;

	bind_text(st, s, ":id", c->id, sizeof(c->id));
	bind_text(st, s, ":phone", c->phone, sizeof(c->phone));
	bind_text(st, s, ":name", c->name, sizeof(c->name));
	bind_text(st, s, ":timezone", c->timezone, sizeof(c->timezone));
	bind_text(st, s, ":language", c->language, sizeof(c->language));
	bind_int64(st, s, ":active", c->active != 0);
	rc = store_step(st, s, "companion update %.*s", STORE_ID_MAX, c->id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_status(rc);
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "companion update %.*s: no such "
		    "companion", STORE_ID_MAX, c->id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * One companion by the single key (parameter name) that statement id
 * takes; what is the error context, which must not hold a phone.
 */
static int
store_get_companion(struct store *st, enum store_stmt id, const char *what,
    const char *name, const char *key, struct store_companion *out)
{
	sqlite3_stmt	*s = st->stmt[id];
	int		 rc;

	bind_text(st, s, name, key, STORE_ID_MAX + 1);
	rc = store_step(st, s, "%s", what);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		read_companion(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

int
store_companion_get(struct store *st, const char *id,
    struct store_companion *out)
{
	return store_get_companion(st, STMT_COMPANION_GET, "companion get",
	    ":id", id, out);
}

int
store_companion_by_phone(struct store *st, const char *phone,
    struct store_companion *out)
{
	return store_get_companion(st, STMT_COMPANION_BY_PHONE,
	    "companion by phone", ":phone", phone, out);
}

/*
 * Call cb for each companion by id.  cb may use the store, but not
 * store_companion_each itself: the statement is in use until we return.
 */
int
store_companion_each(struct store *st,
    int (*cb)(void *, const struct store_companion *), void *arg)
{
	sqlite3_stmt		*s = st->stmt[STMT_COMPANION_EACH];
	struct store_companion	 c;
	int			 rc;

	while ((rc = store_step(st, s, "companion each")) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		read_companion(s, &c);
		if (cb(arg, &c) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/*
 * Insert or replace a KPM by id.  An unknown companion fails the
 * foreign key; the message names it, since pilarctl reports it per line.
 */
int
store_kpm_put(struct store *st, const struct store_kpm *k)
{
	sqlite3_stmt	*s = st->stmt[STMT_KPM_PUT];
	int		 rc;

	bind_text(st, s, ":id", k->id, sizeof(k->id));
	bind_text(st, s, ":name", k->name, sizeof(k->name));
	bind_opt_text(st, s, ":phone", k->phone, sizeof(k->phone));
	bind_text(st, s, ":companion_id", k->companion_id,
	    sizeof(k->companion_id));
	bind_int64(st, s, ":opted_out", k->opted_out != 0);
	rc = store_step(st, s, "kpm put %.*s", STORE_ID_MAX, k->id);
	store_done(st, s);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		store_fail(st, "kpm put %.*s: no companion %.*s",
		    STORE_ID_MAX, k->id, STORE_ID_MAX, k->companion_id);
	return STORE_ERROR;
}

int
store_kpm_get(struct store *st, const char *id, struct store_kpm *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_KPM_GET];
	int		 rc;

	bind_text(st, s, ":id", id, STORE_ID_MAX + 1);
	rc = store_step(st, s, "kpm get %.*s", STORE_ID_MAX, id);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		read_kpm(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * STOP / MULAI from a phone: every KPM with it.  An empty phone
 * matches nobody (unknown phones are stored as NULL).
 */
int
store_kpm_set_optout(struct store *st, const char *phone, int opted_out,
    int *n)
{
	sqlite3_stmt	*s = st->stmt[STMT_KPM_OPTOUT];
	int		 rc;

	*n = 0;
	if (phone[0] == '\0')
		return STORE_OK;
	bind_text(st, s, ":phone", phone, STORE_PHONE_MAX + 1);
	bind_int64(st, s, ":opted_out", opted_out != 0);
	rc = store_step(st, s, "kpm optout");
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	*n = sqlite3_changes(st->db);
	return STORE_OK;
}

int
store_mo_insert(struct store *st, struct store_mo *mo)
{
	sqlite3_stmt	*s = st->stmt[STMT_MO_INSERT];
	int		 rc;

	bind_text(st, s, ":sender", mo->sender, sizeof(mo->sender));
	bind_text(st, s, ":dest", mo->dest, sizeof(mo->dest));
	bind_text(st, s, ":text", mo->text, sizeof(mo->text));
	bind_opt_text(st, s, ":smsc_ref", mo->smsc_ref, sizeof(mo->smsc_ref));
	bind_int64(st, s, ":received_at", mo->received_at);
	rc = store_step(st, s, "mo insert");
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	mo->id = sqlite3_last_insert_rowid(st->db);
	mo->deliveries = 1;
	return STORE_OK;
}

/*
 * The latest MO (by received_at, then id) from sender with exactly this
 * text (byte for byte) received at or after since.
 */
int
store_mo_find_recent(struct store *st, const char *sender, const char *text,
    int64_t since, struct store_mo *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_MO_FIND_RECENT];
	int		 rc;

	bind_text(st, s, ":sender", sender, STORE_PHONE_MAX + 1);
	bind_text(st, s, ":text", text, STORE_TEXT_MAX + 1);
	bind_int64(st, s, ":since", since);
	rc = store_step(st, s, "mo find recent");
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		read_mo(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/* Count one more delivery of MO id; STORE_NOTFOUND for no such MO. */
int
store_mo_redelivered(struct store *st, int64_t id)
{
	sqlite3_stmt	*s = st->stmt[STMT_MO_REDELIVERED];
	int		 rc;

	bind_int64(st, s, ":id", id);
	rc = store_step(st, s, "mo redelivered %lld", (long long)id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "mo redelivered %lld: no such mo",
		    (long long)id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * A record reference: the kind letter and seq in Crockford base 32,
 * at least STORE_REF_DIGITS_MIN digits.  -1 when it does not fit.
 */
static int
store_ref_format(int kind, int64_t seq, char *out, size_t outsz)
{
	char			 rev[16];
	size_t			 n = 0, i;

	if (seq < 0)
		return -1;
	do {
		rev[n++] = store_crockford[seq % 32];
		seq /= 32;
	} while (seq > 0 && n < sizeof(rev));
	while (n < STORE_REF_DIGITS_MIN)
		rev[n++] = '0';
	if (seq > 0 || n + 2 > outsz)
		return -1;
	out[0] = (char)kind;
	for (i = 0; i < n; i++)
		out[1 + i] = rev[n - 1 - i];
	out[1 + n] = '\0';
	return 0;
}

/*
 * The sequence number in a reference typed by a person: a G or a K
 * (any case), then one to STORE_REF_MAX - 1 Crockford digits.  -1 when
 * it is not one.
 */
static int
store_ref_parse(const char *ref, int64_t *seq)
{
	const char		*p;
	size_t			 n;
	int			 c;

	*seq = 0;
	c = ref[0] & ~0x20;		/* ASCII upper case */
	if (c != STORE_KIND_GRAD && c != STORE_KIND_VISIT)
		return -1;
	for (n = 1; ref[n] != '\0'; n++) {
		if (n >= STORE_REF_MAX)
			return -1;
		c = (unsigned char)ref[n];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if ((p = strchr(store_crockford, c)) == NULL)
			return -1;
		*seq = *seq * 32 + (p - store_crockford);
	}
	return n > 1 ? 0 : -1;
}

/*
 * Insert a record unless an active one holds its natural key.  The
 * sequence is the companion's, shared by both kinds ("G001", "K002").
 * Outside a transaction the sequence and the insert run in one of our
 * own (IMMEDIATE: no other writer between them); inside the caller's, a
 * failure is undone by the caller's savepoint.
 *
 * The natural key is checked by the insert itself: records_grad_key and
 * records_visit_key are UNIQUE over active records, and a statement that
 * breaks one changes nothing.  Only then is the holder looked up, for
 * the message; a lookup before every insert cost a statement per MO.
 */
int
store_record_insert(struct store *st, struct store_record *rec)
{
	sqlite3_stmt		*s;
	struct store_record	 old;
	char			 ref[STORE_REF_MAX + 1];
	int64_t			 seq = 0, id = 0;
	int			 rc, own = 0;

	if (rec->kind != STORE_KIND_GRAD && rec->kind != STORE_KIND_VISIT) {
		store_fail(st, "record insert: kind %d is not G "
		    "or K", (int)rec->kind);
		return STORE_ERROR;
	}
	if (rec->kind == STORE_KIND_GRAD &&
	    (rec->category < 0 || rec->category > 31)) {
		store_fail(st, "record insert: category %d out of "
		    "range", rec->category);
		return STORE_ERROR;
	}
	if (sqlite3_get_autocommit(st->db)) {
		if ((rc = store_begin(st)) != STORE_OK)
			return rc;
		own = 1;
	}

	/*
	 * In a write transaction nobody else can take seq before our
	 * insert; records_seq would refuse it if someone did.
	 */
	s = st->stmt[STMT_RECORD_LAST_SEQ];
	bind_text(st, s, ":companion_id", rec->companion_id,
	    sizeof(rec->companion_id));
	rc = store_step(st, s, "record insert: sequence of %.*s",
	    STORE_ID_MAX, rec->companion_id);
	seq = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) + 1 : 1;
	store_done(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = STORE_ERROR;
		goto done;
	}
	if (store_ref_format(rec->kind, seq, ref, sizeof(ref)) == -1) {
		store_fail(st, "record insert: sequence %lld of "
		    "%.*s does not fit a reference", (long long)seq,
		    STORE_ID_MAX, rec->companion_id);
		rc = STORE_ERROR;
		goto done;
	}

	s = st->stmt[STMT_RECORD_INSERT];
	bind_int64(st, s, ":seq", seq);
	bind_text(st, s, ":ref", ref, sizeof(ref));
	bind_text(st, s, ":kind", rec->kind == STORE_KIND_GRAD ? "G" : "K",
	    2);
	bind_text(st, s, ":companion_id", rec->companion_id,
	    sizeof(rec->companion_id));
	bind_text(st, s, ":kpm_id", rec->kpm_id, sizeof(rec->kpm_id));
	bind_int64(st, s, ":category", rec->category);
	bind_opt_text(st, s, ":note", rec->note, sizeof(rec->note));
	bind_text(st, s, ":event_date", rec->event_date,
	    sizeof(rec->event_date));
	bind_int64(st, s, ":year", rec->year);
	bind_int64(st, s, ":tz_offset", rec->tz_offset);
	bind_int64(st, s, ":recorded_at", rec->recorded_at);
	bind_opt_int64(st, s, ":mo_id", rec->mo_id);
	rc = store_step(st, s, "record insert %s", ref);
	store_done(st, s);
	if (rc == SQLITE_DONE) {
		id = sqlite3_last_insert_rowid(st->db);
		rc = STORE_OK;
	} else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		/* A natural key, unless (impossibly) records_seq. */
		rc = store_record_find_key(st, rec, &old);
		if (rc == STORE_OK) {
			store_fail(st, "record insert: %.*s already holds "
			    "the key", STORE_REF_MAX, old.ref);
			rc = STORE_EXISTS;
		} else if (rc == STORE_NOTFOUND) {
			store_fail(st, "record insert: sequence %lld of "
			    "%.*s taken", (long long)seq, STORE_ID_MAX,
			    rec->companion_id);
			rc = STORE_ERROR;
		}
	} else {
		/* The foreign key is how an unknown companion shows. */
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			store_fail(st, "record insert: no companion %.*s",
			    STORE_ID_MAX, rec->companion_id);
		rc = STORE_ERROR;
	}

done:
	if (own) {
		if (rc == STORE_OK && store_commit(st) != STORE_OK)
			rc = STORE_ERROR;
		if (rc != STORE_OK)
			(void)store_rollback(st);	/* keeps our errmsg */
	}
	if (rc == STORE_OK) {
		rec->id = id;
		copy_str(rec->ref, sizeof(rec->ref), ref, strlen(ref));
		rec->cancelled_at = 0;
		rec->cancel_reason[0] = '\0';
	}
	return rc;
}

/*
 * The active record holding key's natural key: for a graduation the
 * KPM alone (one graduation per family, whoever recorded it), for a
 * visit the companion, the KPM and the day.
 */
int
store_record_find_key(struct store *st, const struct store_record *key,
    struct store_record *out)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (key->kind == STORE_KIND_GRAD)
		s = st->stmt[STMT_RECORD_FIND_GRAD];
	else {
		s = st->stmt[STMT_RECORD_FIND_VISIT];
		bind_text(st, s, ":companion_id", key->companion_id,
		    sizeof(key->companion_id));
		bind_text(st, s, ":event_date", key->event_date,
		    sizeof(key->event_date));
	}
	bind_text(st, s, ":kpm_id", key->kpm_id, sizeof(key->kpm_id));
	rc = store_step(st, s, "record find %.*s", STORE_ID_MAX, key->kpm_id);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		read_record(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * A record by its reference, cancelled or not (BATAL on a cancelled one
 * deserves its own answer).  The reference is read as Crockford does:
 * any case, O as 0, I and L as 1, leading zeros optional ("g1" is
 * G001).  The sequence number finds the row; the canonical reference,
 * which holds the kind, must match it too.
 */
int
store_record_by_ref(struct store *st, const char *companion_id,
    const char *ref, struct store_record *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_RECORD_BY_REF];
	char		 canon[STORE_REF_MAX + 1];
	int64_t		 seq;
	int		 rc;

	if (store_ref_parse(ref, &seq) == -1 ||
	    store_ref_format(ref[0] & ~0x20, seq, canon, sizeof(canon)) == -1)
		return STORE_NOTFOUND;		/* cannot be a reference */

	bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX + 1);
	bind_int64(st, s, ":seq", seq);
	bind_text(st, s, ":ref", canon, sizeof(canon));
	rc = store_step(st, s, "record by ref %s", canon);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		read_record(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * BATAL without a reference: the companion's active record with the
 * highest seq among those recorded at or after since.  "Latest" is the
 * highest seq, i.e. the last inserted: records are inserted in seq order
 * per companion with recorded_at the time of insertion, so recorded_at
 * does not fall as seq rises and the walk back from the newest record
 * stops at the first one older than since (cancelled or not) instead of
 * reading the companion's whole history.  (Were the clock set back,
 * that stop could hide an older record: BATAL would then find nothing,
 * never a wrong record.)
 */
int
store_record_last(struct store *st, const char *companion_id, int64_t since,
    struct store_record *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_RECORD_LAST];
	int		 rc;

	bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX + 1);
	while ((rc = store_step(st, s, "record last %.*s", STORE_ID_MAX,
	    companion_id)) == SQLITE_ROW) {
		if (sqlite3_column_int64(s, RECORD_COL_RECORDED_AT) < since) {
			rc = SQLITE_DONE;
			break;
		}
		if (sqlite3_column_type(s, RECORD_COL_CANCELLED_AT) ==
		    SQLITE_NULL)
			break;
	}
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		read_record(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * Cancel an active record: it stops counting and frees its natural key.
 * when must be non-zero, as 0 means "active" in struct store_record.
 */
int
store_record_cancel(struct store *st, int64_t id, int64_t when,
    const char *reason)
{
	sqlite3_stmt	*s = st->stmt[STMT_RECORD_CANCEL];
	int		 rc;

	if (when == 0) {
		store_fail(st, "record cancel %lld: no time",
		    (long long)id);
		return STORE_ERROR;
	}
	bind_int64(st, s, ":id", id);
	bind_int64(st, s, ":when", when);
	bind_opt_text(st, s, ":reason", reason == NULL ? "" : reason,
	    STORE_REASON_MAX);
	rc = store_step(st, s, "record cancel %lld", (long long)id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "record cancel %lld: no such active "
		    "record", (long long)id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * From tallies, kept by triggers on records: the cost does not grow with
 * the companion's records.  Categories outside 0..31 cannot be in the
 * mask and count for nothing.
 */
int
store_record_count(struct store *st, const char *companion_id,
    enum store_kind kind, int year, unsigned categories, int *count)
{
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if (kind == STORE_KIND_GRAD) {
		s = st->stmt[STMT_RECORD_COUNT_GRAD];
		bind_int64(st, s, ":categories", (int64_t)categories);
	} else
		s = st->stmt[STMT_RECORD_COUNT_VISIT];
	bind_text(st, s, ":companion_id", companion_id, STORE_ID_MAX + 1);
	bind_int64(st, s, ":year", year);
	rc = store_step(st, s, "record count %.*s", STORE_ID_MAX,
	    companion_id);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(s, 0);
		rc = STORE_OK;
	} else
		rc = STORE_ERROR;
	store_done(st, s);
	return rc;
}

/* Export: every record of a kind, cancelled ones too, by id. */
int
store_record_each(struct store *st, enum store_kind kind,
    int (*cb)(void *, const struct store_record *), void *arg)
{
	sqlite3_stmt		*s;
	struct store_record	 r;
	int			 rc;

	s = st->stmt[kind == STORE_KIND_GRAD ? STMT_RECORD_EACH_GRAD :
	    STMT_RECORD_EACH_VISIT];
	while ((rc = store_step(st, s, "record each")) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		read_record(s, &r);
		if (cb(arg, &r) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

/* Queue an MT as given (normally pending, no attempts yet). */
int
store_mt_insert(struct store *st, struct store_mt *mt)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_INSERT];
	int		 rc;

	if (mt->state != STORE_MT_PENDING && mt->state != STORE_MT_SENT &&
	    mt->state != STORE_MT_FAILED) {
		store_fail(st, "mt insert: state %d unknown", (int)mt->state);
		return STORE_ERROR;
	}
	bind_opt_int64(st, s, ":mo_id", mt->mo_id);
	bind_text(st, s, ":dest", mt->dest, sizeof(mt->dest));
	bind_text(st, s, ":text", mt->text, sizeof(mt->text));
	bind_int64(st, s, ":state", mt->state);
	bind_int64(st, s, ":attempts", mt->attempts);
	bind_int64(st, s, ":last_status", mt->last_status);
	bind_opt_text(st, s, ":message_id", mt->message_id,
	    sizeof(mt->message_id));
	bind_int64(st, s, ":created_at", mt->created_at);
	bind_opt_int64(st, s, ":sent_at", mt->sent_at);
	rc = store_step(st, s, "mt insert");
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	mt->id = sqlite3_last_insert_rowid(st->db);
	return STORE_OK;
}

/*
 * One page of the outbox.  cb may mark the MTs it is shown (other
 * statements), but must not call store_mt_pending itself.
 */
int
store_mt_pending(struct store *st, int64_t after_id, int limit,
    int (*cb)(void *, const struct store_mt *), void *arg)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_PENDING];
	struct store_mt	 m;
	int		 rc;

	if (limit <= 0)
		return STORE_OK;
	bind_int64(st, s, ":after_id", after_id);
	bind_int64(st, s, ":limit", limit);
	while ((rc = store_step(st, s, "mt pending")) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		read_mt(s, &m);
		if (cb(arg, &m) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_mt_get(struct store *st, int64_t id, struct store_mt *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_GET];
	int		 rc;

	bind_int64(st, s, ":id", id);
	rc = store_step(st, s, "mt get %lld", (long long)id);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		read_mt(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * The three outbox updates: by id, an optional message id, status and
 * time for the statements that take them.  STORE_NOTFOUND for no row.
 */
static int
store_mt_set(struct store *st, enum store_stmt id, int64_t mt_id,
    const char *what, const char *message_id, int status, int64_t when)
{
	sqlite3_stmt	*s = st->stmt[id];
	int		 rc;

	bind_int64(st, s, ":id", mt_id);
	if (id == STMT_MT_MARK_SENT)
		bind_opt_text(st, s, ":message_id", message_id == NULL ? "" :
		    message_id, STORE_MSGID_MAX);
	else
		bind_int64(st, s, ":status", status);
	if (id != STMT_MT_ATTEMPT)
		bind_opt_int64(st, s, ":when", when);
	rc = store_step(st, s, "%s %lld", what, (long long)mt_id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	if (sqlite3_changes(st->db) == 0) {
		store_fail(st, "%s %lld: no such mt", what,
		    (long long)mt_id);
		return STORE_NOTFOUND;
	}
	return STORE_OK;
}

/*
 * submit_sm_resp ESME_ROK: sent, with the SMSC's message id, whatever
 * the state was (a late response after giving up still tells the truth).
 */
int
store_mt_mark_sent(struct store *st, int64_t id, const char *message_id,
    int64_t when)
{
	return store_mt_set(st, STMT_MT_MARK_SENT, id, "mt mark sent",
	    message_id, 0, when);
}

/* Given up; when goes to the failed_at column (sent_at stays 0). */
int
store_mt_mark_failed(struct store *st, int64_t id, int status, int64_t when)
{
	return store_mt_set(st, STMT_MT_MARK_FAILED, id, "mt mark failed",
	    NULL, status, when);
}

int
store_mt_attempt(struct store *st, int64_t id, int status)
{
	return store_mt_set(st, STMT_MT_ATTEMPT, id, "mt attempt", NULL,
	    status, 0);
}

/*
 * Pending MTs are counted in their partial index; sent and failed ones
 * by a scan of the outbox (pilarctl only, see store_sql[]).
 */
int
store_mt_count(struct store *st, enum store_mt_state state, int *count)
{
	sqlite3_stmt	*s;
	int		 rc;

	*count = 0;
	if (state == STORE_MT_PENDING)
		s = st->stmt[STMT_MT_COUNT_PENDING];
	else {
		s = st->stmt[STMT_MT_COUNT];
		bind_int64(st, s, ":state", state);
	}
	rc = store_step(st, s, "mt count");
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(s, 0);
		rc = STORE_OK;
	} else
		rc = STORE_ERROR;
	store_done(st, s);
	return rc;
}

/* The reply to an MO: the latest MT (highest id) with this mo_id. */
int
store_mt_by_mo(struct store *st, int64_t mo_id, struct store_mt *out)
{
	sqlite3_stmt	*s = st->stmt[STMT_MT_BY_MO];
	int		 rc;

	bind_int64(st, s, ":mo_id", mo_id);
	rc = store_step(st, s, "mt by mo %lld", (long long)mo_id);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		read_mt(s, out);
		rc = STORE_OK;
	} else
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
	store_done(st, s);
	return rc;
}

/*
 * A delivery receipt.  SMSCs quote the message id of submit_sm_resp in
 * another base or case (the caller derives up to STORE_RCPT_IDS_MAX
 * forms): the MT whose message_id equals any form, ignoring ASCII case,
 * and the latest of them if an SMSC reused an id, gets the state and the
 * time.  Empty forms are ignored.  The state is recorded whatever the
 * MT's own state: a receipt is the SMSC's word that it had the message.
 */
int
store_mt_receipt(struct store *st, const char *const *ids, int n,
    int state, int64_t when, int64_t *mt_id)
{
	static const char *const names[] = { ":id0", ":id1", ":id2" };
	sqlite3_stmt	*s = st->stmt[STMT_MT_RECEIPT_FIND];
	int64_t		 id = 0;
	int		 i, rc;

	_Static_assert(sizeof(names) / sizeof(names[0]) ==
	    STORE_RCPT_IDS_MAX, "a parameter per id form");
	*mt_id = 0;
	if (n < 0 || n > STORE_RCPT_IDS_MAX) {
		store_fail(st, "mt receipt: %d id forms, at most %d", n,
		    STORE_RCPT_IDS_MAX);
		return STORE_ERROR;
	}
	/* Unbound parameters are NULL, and NULL matches no id. */
	for (i = 0; i < n; i++)
		if (ids[i] != NULL && ids[i][0] != '\0')
			bind_text(st, s, names[i], ids[i],
			    STORE_MSGID_MAX + 1);
	rc = store_step(st, s, "mt receipt");
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);	/* no row: NULL, 0 */
	store_done(st, s);
	if (rc != SQLITE_ROW)
		return STORE_ERROR;
	if (id == 0) {
		store_fail(st, "mt receipt: no mt with that message id");
		return STORE_NOTFOUND;
	}

	s = st->stmt[STMT_MT_RECEIPT_SET];
	bind_int64(st, s, ":id", id);
	bind_int64(st, s, ":receipt", state);
	bind_opt_int64(st, s, ":when", when);
	rc = store_step(st, s, "mt receipt %lld", (long long)id);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	*mt_id = id;
	return STORE_OK;
}
