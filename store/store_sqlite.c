/*
 * store_sqlite.c: store.h on SQLite: opening, the schema's migrations,
 * transactions and the helpers the other store_*.c files share.
 *
 * Every statement is written once, in store_sql[] (store_sql.c), and
 * prepared when the
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
 * are kept in tallies (migration 2), by store_record_insert() in the
 * transaction that inserts a record (migration 9) and by triggers in
 * the statement that cancels, changes or deletes one.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

#define STORE_BUSY_DEFAULT	5000		/* ms */
#define STORE_SUBJOURNAL_MEM	(256 * 1024)	/* bytes, see below */

/*
 * 32 MiB of page cache: pilard's resident memory stays under 64 MB with
 * a large file (64 MiB took it to 90 MB at 200,000 MO, for no measurable
 * gain).  Checkpoint every 40000 pages (160 MiB) of WAL
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
	"PRAGMA cache_size = -32768",
	"PRAGMA wal_autocheckpoint = 40000",
	"PRAGMA journal_size_limit = 201326592",
};

static int	store_configure(struct store *, int, const struct store_options *,
		    char *, size_t);
static int	store_migrate(struct store *, const struct store_options *,
		    char *, size_t);
static int	store_prepare_all(struct store *, char *, size_t);
static void	store_global_config(void);

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
	st->seq_gen = 1;	/* calloc()'s slots (generation 0) are stale */
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
	    store_migrate(st, opt, err, errsz) != STORE_OK ||
	    store_prepare_all(st, err, errsz) != STORE_OK)
		goto done;
	if (!memory && opt != NULL && opt->background_checkpoint > 0 &&
	    store_ckpt_start(st, path, opt->background_checkpoint,
	    opt->sync == STORE_SYNC_FULL, err, errsz) != STORE_OK)
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
	st->busy_ms = busy;
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
 * Bring the schema to store_version in one IMMEDIATE transaction, so two
 * processes opening a new file at once migrate it once.  A file from a
 * newer pilar is refused rather than half understood.
 */
static int
store_migrate(struct store *st, const struct store_options *opt, char *err,
    size_t errsz)
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
	if (version > store_version) {
		snprintf(err, errsz, "schema version %d is newer than this "
		    "pilar's %d", version, store_version);
		what = NULL;
		goto done;
	}
	if (version > 0 && version < store_version && opt != NULL &&
	    opt->no_upgrade) {
		snprintf(err, errsz, "schema version %d is older than this "
		    "pilar's %d: restart pilard first (the new pilard "
		    "upgrades the database when it starts)", version,
		    store_version);
		what = NULL;
		goto done;
	}

	for (i = version; i < store_version; i++) {
		if (sqlite3_exec(st->db, store_migrations[i], NULL, NULL,
		    NULL) != SQLITE_OK) {
			snprintf(err, errsz, "migration to version %d: %s",
			    i + 1, sqlite3_errmsg(st->db));
			what = NULL;
			goto done;
		}
	}
	if (version != store_version &&
	    (sqlite3_prepare_v2(st->db, "UPDATE schema_version "
	    "SET version = :version", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_bind_int(s, sqlite3_bind_parameter_index(s, ":version"),
	    store_version) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE))
		goto done;
	what = "commit";
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto done;
	st->version = store_version;
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
	store_ckpt_stop(st);
	free(st->comp_cache);
	free(st->seq_cache);
	store_recent_free(st);
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
void
store_fail(struct store *st, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
}

/* What an engine error means to a caller of store.h. */
int
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
int
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
void
store_done(struct store *st, sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	st->bind_rc = SQLITE_OK;
}

/* Run a statement without parameters or rows (transaction control). */
int
store_run(struct store *st, enum store_stmt id, const char *what)
{
	sqlite3_stmt	*s = st->stmt[id];
	int		 rc;

	rc = store_step(st, s, "%s", what);
	store_done(st, s);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_run_count(struct store *st, enum store_stmt id, const char *what,
    int *n)
{
	*n = 0;
	if (store_run(st, id, what) != STORE_OK)
		return STORE_ERROR;
	*n = sqlite3_changes(st->db);
	return STORE_OK;
}

void
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
int
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
void
store_bind_text(struct store *st, sqlite3_stmt *s, const char *name, const char *v,
    size_t max)
{
	store_bind_check(st, sqlite3_bind_text(s,
	    store_param_index(st, s, name), v, (int)strnlen(v, max),
	    SQLITE_STATIC));
}

/* As store_bind_text, but "" is stored as NULL (an optional field). */
void
store_bind_opt_text(struct store *st, sqlite3_stmt *s, const char *name,
    const char *v, size_t max)
{
	if (v == NULL || v[0] == '\0')
		store_bind_check(st, sqlite3_bind_null(s,
		    store_param_index(st, s, name)));
	else
		store_bind_text(st, s, name, v, max);
}

void
store_bind_int64(struct store *st, sqlite3_stmt *s, const char *name, int64_t v)
{
	store_bind_check(st, sqlite3_bind_int64(s,
	    store_param_index(st, s, name), v));
}

/* As store_bind_int64, but 0 ("none", "not yet") is stored as NULL. */
void
store_bind_opt_int64(struct store *st, sqlite3_stmt *s, const char *name, int64_t v)
{
	if (v == 0)
		store_bind_check(st, sqlite3_bind_null(s,
		    store_param_index(st, s, name)));
	else
		store_bind_int64(st, s, name, v);
}

/*
 * Copy len bytes of src into dst (dstsz bytes), always NUL terminated.
 * A cut never splits a UTF-8 sequence: continuation bytes at the cut
 * are dropped with their lead byte.
 */
void
store_copy_str(char *dst, size_t dstsz, const char *src, size_t len)
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
void
store_col_text(sqlite3_stmt *s, int col, char *dst, size_t dstsz)
{
	const char	*v;

	v = (const char *)sqlite3_column_text(s, col);
	if (v == NULL) {
		dst[0] = '\0';
		return;
	}
	store_copy_str(dst, dstsz, v, (size_t)sqlite3_column_bytes(s, col));
}

/* Row readers: columns in the order of the *_COLS lists. */
void
store_read_companion(sqlite3_stmt *s, struct store_companion *c)
{
	store_col_text(s, 0, c->id, sizeof(c->id));
	store_col_text(s, 1, c->phone, sizeof(c->phone));
	store_col_text(s, 2, c->name, sizeof(c->name));
	store_col_text(s, 3, c->timezone, sizeof(c->timezone));
	store_col_text(s, 4, c->language, sizeof(c->language));
	c->active = sqlite3_column_int(s, 5);
	store_col_text(s, 6, c->region, sizeof(c->region));
	/* Not digits: what store_companion_erase() left, no phone. */
	if (c->phone[0] < '0' || c->phone[0] > '9')
		c->phone[0] = '\0';
}

void
store_read_kpm(sqlite3_stmt *s, struct store_kpm *k)
{
	store_col_text(s, 0, k->id, sizeof(k->id));
	store_col_text(s, 1, k->name, sizeof(k->name));
	store_col_text(s, 2, k->phone, sizeof(k->phone));
	store_col_text(s, 3, k->companion_id, sizeof(k->companion_id));
	k->opted_out = sqlite3_column_int(s, 4);
}

void
store_read_mo(sqlite3_stmt *s, struct store_mo *m)
{
	m->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, m->sender, sizeof(m->sender));
	store_col_text(s, 2, m->dest, sizeof(m->dest));
	store_col_text(s, 3, m->text, sizeof(m->text));
	store_col_text(s, 4, m->smsc_ref, sizeof(m->smsc_ref));
	m->received_at = sqlite3_column_int64(s, 5);
	m->deliveries = sqlite3_column_int(s, 6);
}

void
store_read_record(sqlite3_stmt *s, struct store_record *r)
{
	char	kind[2];

	r->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, r->ref, sizeof(r->ref));
	store_col_text(s, 2, kind, sizeof(kind));
	r->kind = kind[0] == 'G' ? STORE_KIND_GRAD : STORE_KIND_VISIT;
	store_col_text(s, 3, r->companion_id, sizeof(r->companion_id));
	store_col_text(s, 4, r->kpm_id, sizeof(r->kpm_id));
	r->category = sqlite3_column_int(s, 5);
	store_col_text(s, 6, r->note, sizeof(r->note));
	store_col_text(s, 7, r->event_date, sizeof(r->event_date));
	r->year = sqlite3_column_int(s, 8);
	r->tz_offset = sqlite3_column_int(s, 9);
	r->recorded_at = sqlite3_column_int64(s, 10);
	r->mo_id = sqlite3_column_int64(s, 11);		/* NULL reads 0 */
	r->cancelled_at = sqlite3_column_int64(s, 12);
	store_col_text(s, 13, r->cancel_reason, sizeof(r->cancel_reason));
}

void
store_read_mt(sqlite3_stmt *s, struct store_mt *m)
{
	m->id = sqlite3_column_int64(s, 0);
	m->mo_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, m->dest, sizeof(m->dest));
	store_col_text(s, 3, m->text, sizeof(m->text));
	switch (sqlite3_column_int(s, 4)) {
	case STORE_MT_SENT:
		m->state = STORE_MT_SENT;
		break;
	case STORE_MT_FAILED:
		m->state = STORE_MT_FAILED;
		break;
	case STORE_MT_UNKNOWN:
		m->state = STORE_MT_UNKNOWN;
		break;
	default:
		m->state = STORE_MT_PENDING;
		break;
	}
	m->attempts = sqlite3_column_int(s, 5);
	m->last_status = sqlite3_column_int(s, 6);
	store_col_text(s, 7, m->message_id, sizeof(m->message_id));
	m->created_at = sqlite3_column_int64(s, 8);
	m->sent_at = sqlite3_column_int64(s, 9);
	m->receipt = sqlite3_column_int(s, 10);
	m->receipt_at = sqlite3_column_int64(s, 11);	/* NULL reads 0 */
	m->parts = sqlite3_column_int(s, 12);
	m->via = sqlite3_column_int(s, 13);
	m->parts_sent = sqlite3_column_int(s, 14);	/* NULL reads 0 */
}

/* Transactions: BEGIN IMMEDIATE takes the write lock up front. */
int
store_begin(struct store *st)
{
	int	rc;

	if ((rc = store_run(st, STMT_BEGIN, "begin")) != STORE_OK)
		return rc;
	return store_cache_check(st);
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
	/* Forget what the transaction may have put in memory. */
	store_comp_cache_clear(st);
	store_recent_free(st);
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

	store_comp_cache_clear(st);
	store_recent_free(st);
	if ((rc = store_run(st, STMT_ROLLBACK_TO, "rollback to")) !=
	    STORE_OK)
		return rc;
	return store_run(st, STMT_RELEASE, "release after rollback to");
}

