/*
 * store_sqlite.h: what the files of the SQLite store share.  Not an
 * interface: only store/store_*.c include it; everyone else has store.h.
 */
#ifndef PILAR_STORE_SQLITE_H
#define PILAR_STORE_SQLITE_H

#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

#define STORE_ERRMSG_MAX	512
#define STORE_PARAM_BITS	9		/* 512 slots */
#define STORE_MT_SENT_ROWS	32		/* MTs per statement */
#define STORE_COMP_CACHE_BITS	14		/* 16384 phones, 4.5 MiB */
#define STORE_SEQ_CACHE_BITS	12		/* 4096 slots, 288 KiB */

enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_DATA_VERSION,
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
	STMT_KPM_OWNER,
	STMT_KPM_OPTOUT,
	STMT_MO_INSERT,
	STMT_MO_GET,
	STMT_MO_SCAN_DESC,
	STMT_MO_SCAN_AFTER,
	STMT_PART_INSERT,
	STMT_PART_FIND,
	STMT_PART_COUNT,
	STMT_PART_LIST,
	STMT_PART_FINISH,
	STMT_PART_FORGET,
	STMT_PART_EXPIRED,
	STMT_PART_PENDING,
	STMT_PART_STATS,
	STMT_PART_PURGE,
	STMT_MO_REDELIVERED,
	STMT_RECORD_LAST_SEQ,
	STMT_RECORD_INSERT,
	STMT_TALLY_ADD,
	STMT_TALLY_NEW,
	STMT_RECORD_FIND_GRAD,
	STMT_RECORD_FIND_VISIT,
	STMT_RECORD_BY_REF,
	STMT_RECORD_LAST,
	STMT_RECORD_CANCEL,
	STMT_RECORD_COUNT_GRAD,
	STMT_RECORD_COUNT_VISIT,
	STMT_RECORD_COUNTS,
	STMT_RECORD_EACH_GRAD,
	STMT_RECORD_EACH_VISIT,
	STMT_MT_INSERT,
	STMT_MT_PENDING,
	STMT_MT_GET,
	STMT_MT_MARK_SENT,
	STMT_MT_MARK_SENT_ROWS,
	STMT_MT_MARK_FAILED,
	STMT_MT_MARK_UNKNOWN,
	STMT_MT_ATTEMPT,
	STMT_MT_COUNT,
	STMT_MT_COUNT_PENDING,
	STMT_MT_BY_MO,
	STMT_MT_RECEIPT_FIND,
	STMT_MT_RECEIPT_SET,
	STMT_MT_PART_SENT,
	STMT_MT_PARTS_SET,
	STMT_MT_PART_RECEIPT_FIND,
	STMT_MT_PART_RECEIPT_SET,
	STMT_MT_PART_RECEIPTS,
	STMT_MT_PARTS_SENT,
	/* store_admin.c (pilarctl). */
	STMT_ADMIN_RECORD_FIND_COMPANION,
	STMT_ADMIN_RECORD_FIND,
	STMT_ADMIN_RECORD_ERASE,
	STMT_ADMIN_KPM_EACH,
	STMT_ADMIN_KPM_EACH_COMPANION,
	STMT_ADMIN_KPM_BY_PHONE,
	STMT_ADMIN_KPM_DELETE,
	STMT_ADMIN_KPM_CLEAR_PHONE,
	STMT_ADMIN_COMPANION_ERASE,
	STMT_ADMIN_MO_EACH,
	STMT_ADMIN_MT_EACH,
	STMT_ADMIN_MO_ERASE,
	STMT_ADMIN_MT_ERASE,
	STMT_ADMIN_PART_ERASE,
	STMT_ADMIN_CHECKPOINT,
	STMT_ADMIN_VACUUM,
	STMT_REMIND_ADD,
	STMT_REMIND_GET,
	STMT_REMIND_EACH,
	STMT_REMIND_CANCEL,
	STMT_REMIND_PROGRESS,
	STMT_REMIND_ZONES,
	STMT_REMIND_RCPT,
	STMT_REMIND_DAYCOUNT,
	STMT_REMIND_MT_INSERT,
	STMT_REMIND_MT_PENDING,
	STMT_REMIND_WITHDRAW,
	STMT_REMIND_CANCEL_MT,
	STMT_REMIND_COUNTS,
	STMT_REMIND_FIND,
	STMT_REMIND_AUDIENCE,
	STMT_NUDGE_HAS,
	STMT_NUDGE_ADD,
	STMT_NUDGE_MT,
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

/*
 * A companion (or the absence of one) by phone, as last read: pilard
 * looks one up for every MO and nearly always the same few thousand.
 */
struct store_comp_slot {
	char			phone[STORE_PHONE_MAX + 1];	/* "": empty */
	int			found;
	struct store_companion	c;
};

/*
 * What this connection knows of a companion's records (store_records.c),
 * valid while gen is the store's seq_gen: the last sequence number it
 * wrote or read (0: not known), and its counts of one year for one set
 * of counted categories.
 */
struct store_seq_slot {
	char			companion_id[STORE_ID_MAX + 1];
	uint64_t		gen;
	int64_t			seq;
	int			has_counts;
	int			year;
	unsigned		categories;
	int			graduations;
	int			visits;
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*stmt[STMT_MAX];
	int		 version;	/* schema version after open */
	int		 bind_rc;	/* first failed bind since the last step */
	char		 errmsg[STORE_ERRMSG_MAX];
	struct store_param params[1 << STORE_PARAM_BITS];
	struct store_ckpt *ckpt;	/* background checkpoints, or NULL */
	/* Valid while data_version stays what it was when filled. */
	struct store_comp_slot *comp_cache;
	int64_t		 data_version;
	int		 busy_ms;	/* the busy timeout set at open */
	struct store_recent *recent;	/* the redelivery window, or NULL */
	struct store_seq_slot *seq_cache;	/* From calloc(), or NULL */
	uint64_t	 seq_gen;	/* moved on: every slot is stale */
};

/*
 * Column lists shared by the SELECTs and the row readers below: the
 * readers take columns by position, so the two must agree.
 */
#define COMPANION_COLS	"id, phone, name, timezone, language, active, region"
#define KPM_COLS	"id, name, phone, companion_id, opted_out"
#define MO_COLS		"id, sender, dest, text, smsc_ref, received_at, " \
			"deliveries"
#define RECORD_COLS	"id, ref, kind, companion_id, kpm_id, category, note, " \
			"event_date, year, tz_offset, recorded_at, mo_id, " \
			"cancelled_at, cancel_reason"
#define MT_COLS		"id, mo_id, dest, text, state, attempts, " \
			"last_status, message_id, created_at, sent_at, " \
			"receipt, receipt_at, parts, via, CASE WHEN " \
			"parts > 1 THEN (SELECT max(part) FROM mt_parts " \
			"WHERE mt_parts.mt_id = mt.id) ELSE 0 END"
#define PART_COLS	"sender, sender_ton, dest, ref, total, seq, text, " \
			"received_at, mo_id, finished_at"
#define REMIND_COLS	"id, text, target_kind, target, at_local, repeat, " \
			"origin, created_at, cancelled_at, occurrence, " \
			"cursor_zone, cursor_kpm, done, queued, " \
			"skipped_optout, skipped_nophone, skipped_cap, " \
			"skipped_long"
/* Positions in RECORD_COLS that store_record_last() looks at. */
#define RECORD_COL_RECORDED_AT	10
#define RECORD_COL_CANCELLED_AT	12

/* store_sql.c: every statement, by enum store_stmt, and the schema. */
extern const char *const	store_sql[STMT_MAX];
extern const char *const	store_migrations[];
extern const char		store_sql_secure_delete[];
extern const int		store_version;

/* store_checkpoint.c: WAL checkpoints on a thread of their own. */
int	store_ckpt_start(struct store *, const char *path, int pages,
	    int full_sync, char *err, size_t errsz);
void	store_ckpt_stop(struct store *);

/* store_mt.c: a page of MTs, replies or reminders. */
int	store_mt_page(struct store *, enum store_stmt, const char *what,
	    int64_t after_id, int limit,
	    int (*)(void *, const struct store_mt *), void *);

/* store_roster.c: the companion cache, and what else may go stale. */
void	store_comp_cache_clear(struct store *);
int	store_cache_check(struct store *);

/* store_recent.c: the redelivery window in memory. */
int	store_recent_find(struct store *, const char *sender,
	    const char *text, int64_t since, struct store_mo *out);
void	store_recent_add(struct store *, const struct store_mo *);
void	store_recent_stale(struct store *);
void	store_recent_free(struct store *);

/* store_sqlite.c: running statements, binding, reading rows. */
void	store_fail(struct store *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int	store_status(int);
int	store_step(struct store *, sqlite3_stmt *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void	store_done(struct store *, sqlite3_stmt *);
int	store_run(struct store *, enum store_stmt, const char *);
/* store_run() for a write that says how many rows it changed (*n). */
int	store_run_count(struct store *, enum store_stmt, const char *,
	    int *n);
void	store_bind_check(struct store *, int);
int	store_param_index(struct store *, sqlite3_stmt *,
		    const char *);
void	store_bind_text(struct store *, sqlite3_stmt *, const char *,
		    const char *, size_t);
void	store_bind_opt_text(struct store *, sqlite3_stmt *, const char *,
		    const char *, size_t);
void	store_bind_int64(struct store *, sqlite3_stmt *, const char *,
		    int64_t);
void	store_bind_opt_int64(struct store *, sqlite3_stmt *, const char *,
		    int64_t);
void	store_copy_str(char *, size_t, const char *, size_t);
void	store_col_text(sqlite3_stmt *, int, char *, size_t);
void	store_read_companion(sqlite3_stmt *, struct store_companion *);
void	store_read_kpm(sqlite3_stmt *, struct store_kpm *);
void	store_read_mo(sqlite3_stmt *, struct store_mo *);
void	store_read_record(sqlite3_stmt *, struct store_record *);
void	store_read_mt(sqlite3_stmt *, struct store_mt *);

#endif
