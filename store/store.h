/*
 * store.h: everything pilar keeps, behind one narrow interface.
 *
 * store_sqlite.c is the only code that speaks SQL.  A second backend
 * (store_pg.c for a shared PostgreSQL) implements these same functions;
 * callers never see a statement, a row id type of the engine or an
 * engine error code.
 *
 * Conventions: functions return STORE_OK (0), a positive STORE_NOTFOUND
 * or STORE_EXISTS where the caller must tell those apart, or STORE_ERROR
 * (-1) with store_errmsg() saying why.  Times are UTC seconds since the
 * epoch (int64_t).  Strings are NUL terminated UTF-8; the _MAX sizes
 * below exclude the NUL.  Nothing here logs: the caller, who knows the
 * context, does.
 *
 * Transactions are explicit: the daemon groups every MO of one loop pass
 * in one transaction (store_begin/store_commit) with a savepoint per MO
 * (store_savepoint/store_release/store_rollback_to), so one bad MO does
 * not undo the others.
 */
#ifndef PILAR_STORE_H
#define PILAR_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_OK	0
#define STORE_NOTFOUND	1
#define STORE_EXISTS	2
#define STORE_ERROR	(-1)

#define STORE_ID_MAX		32	/* companion id, KPM id */
#define STORE_PHONE_MAX		15	/* E.164 digits */
#define STORE_NAME_MAX		100
#define STORE_TZ_MAX		32
#define STORE_REF_MAX		8
#define STORE_NOTE_MAX		1024	/* a visit note: the whole SMS at most */
#define STORE_TEXT_MAX		1024	/* an SMS as UTF-8 */
#define STORE_MSGID_MAX		64	/* SMSC message id */
#define STORE_LANG_MAX		2	/* "id", "en" */
#define STORE_REASON_MAX	100
#define STORE_RCPT_IDS_MAX	3	/* id forms store_mt_receipt takes */
#define STORE_REGION_MAX	64	/* "Kab. Sumba Timur" */
#define STORE_ADDR_MAX		21	/* an SMPP address as delivered */
#define STORE_PART_TEXT_MAX	8192	/* one MO part as UTF-8 */

/* How hard a commit is pushed to disk. */
enum store_sync {
	STORE_SYNC_NORMAL = 0,	/* WAL, survives a crash of pilard (kill -9) */
	STORE_SYNC_FULL		/* WAL + fsync each commit: survives power loss */
};

struct store_options {
	enum store_sync	sync;
	int		busy_timeout_ms;	/* wait for another writer */
	/*
	 * Checkpoint the WAL on a thread of the store's own, every so many
	 * pages of it (STORE_CHECKPOINT_PAGES), instead of in the committing
	 * thread (pilard's store worker); 0: SQLite's own checkpoints.  See
	 * store_checkpoint.c.  Not for ":memory:".
	 */
	int		background_checkpoint;
	/*
	 * An existing file of an older schema is refused instead of
	 * upgraded (a new file is still created): pilarctl sets it, so
	 * that only pilard, at its start, changes the schema under its
	 * own code.  An upgrade made under a pilard still running the old
	 * code would let it write by the old rules (measured: records it
	 * stored after migration 9 were never counted).
	 */
	int		no_upgrade;
};

#define STORE_CHECKPOINT_PAGES	8192	/* 32 MiB of WAL */

struct store_companion {
	char	id[STORE_ID_MAX + 1];		/* operator's id, "C001" */
	char	phone[STORE_PHONE_MAX + 1];
	char	name[STORE_NAME_MAX + 1];
	char	timezone[STORE_TZ_MAX + 1];	/* "Asia/Makassar"; see tz.h */
	char	language[STORE_LANG_MAX + 1];	/* "id" or "en" */
	int	active;
	/*
	 * Where the companion works, as the operator names it (a regency,
	 * "Kab. Sumba Timur"); "" when not given.  Reports group by it.
	 */
	char	region[STORE_REGION_MAX + 1];
};

struct store_kpm {
	char	id[STORE_ID_MAX + 1];		/* programme id, digits */
	char	name[STORE_NAME_MAX + 1];
	char	phone[STORE_PHONE_MAX + 1];	/* "" when unknown */
	char	companion_id[STORE_ID_MAX + 1];
	int	opted_out;			/* said STOP to reminders */
};

/* An inbound SMS, kept as received (text already decoded to UTF-8). */
struct store_mo {
	int64_t	id;				/* OUT of store_mo_insert */
	char	sender[STORE_PHONE_MAX + 1];	/* normalised */
	char	dest[STORE_ID_MAX + 1];		/* our short code */
	char	text[STORE_TEXT_MAX + 1];
	char	smsc_ref[STORE_MSGID_MAX + 1];	/* "" when none */
	int64_t	received_at;
	int	deliveries;			/* 1 + redeliveries seen */
};

enum store_kind {
	STORE_KIND_GRAD = 'G',		/* graduation */
	STORE_KIND_VISIT = 'K'		/* kunjungan */
};

/*
 * One part of a concatenated MO (a long SMS cut by the phone), kept
 * until its message is finished.  A message is (sender, dest, ref,
 * total), the sender as delivered (not normalised: that is what the
 * SMSC repeats); a part is a message and a seq.  A finished part went
 * into MO mo_id, completed or given up, and is kept a while longer so
 * that a redelivery of it is known for one.
 */
struct store_part {
	char		 sender[STORE_ADDR_MAX + 1];
	int		 sender_ton;		/* SMPP source_addr_ton */
	char		 dest[STORE_ADDR_MAX + 1];
	int		 ref;			/* 0 .. 65535 */
	int		 total;			/* 2 .. 255 */
	int		 seq;			/* 1 .. total */
	const char	*text;			/* UTF-8; from the store:
						   valid during the callback */
	int64_t		 received_at;
	int64_t		 mo_id;			/* 0 while pending */
	int64_t		 finished_at;		/* 0 while pending */
};

struct store_record {
	int64_t		id;
	char		ref[STORE_REF_MAX + 1];	/* OUT of insert: "G4M8" */
	enum store_kind	kind;
	char		companion_id[STORE_ID_MAX + 1];
	char		kpm_id[STORE_ID_MAX + 1];
	int		category;	/* enum grammar_category; visits: -1 */
	char		note[STORE_NOTE_MAX + 1];
	char		event_date[11];	/* YYYY-MM-DD, companion's zone */
	int		year;		/* target year it counts toward */
	int		tz_offset;	/* companion's zone when recorded, s */
	int64_t		recorded_at;
	int64_t		mo_id;		/* 0 when not made by an SMS */
	int64_t		cancelled_at;	/* 0 while active */
	char		cancel_reason[STORE_REASON_MAX + 1];
};

enum store_mt_state {
	STORE_MT_PENDING = 0,	/* to be sent (again) */
	STORE_MT_SENT = 1,	/* submit_sm_resp ESME_ROK received */
	STORE_MT_FAILED = 2,	/* given up: permanent error or too old */
	/*
	 * Submitted and never answered (the link or pilard went down, the
	 * response never came): the SMSC may have it.  Not sent again, so
	 * that nobody gets a reply twice; a companion without a
	 * confirmation sends again and is told "already recorded".
	 */
	STORE_MT_UNKNOWN = 3
};

/* What the last delivery receipt said of an MT (SMPP message_state). */
enum store_receipt {
	STORE_RCPT_NONE = 0,		/* no receipt (yet) */
	STORE_RCPT_DELIVERED = 2,
	STORE_RCPT_EXPIRED = 3,
	STORE_RCPT_DELETED = 4,
	STORE_RCPT_UNDELIVERABLE = 5,
	STORE_RCPT_ACCEPTED = 6,
	STORE_RCPT_UNKNOWN = 7,
	STORE_RCPT_REJECTED = 8
};

/* An outbound SMS: the outbox row is the single source of truth. */
struct store_mt {
	int64_t			id;		/* OUT of store_mt_insert */
	int64_t			mo_id;		/* what it answers, or 0 */
	char			dest[STORE_PHONE_MAX + 1];
	char			text[STORE_TEXT_MAX + 1];
	enum store_mt_state	state;
	int			attempts;
	int			last_status;	/* last command_status */
	char			message_id[STORE_MSGID_MAX + 1];
	int64_t			created_at;
	int64_t			sent_at;
	int			receipt;	/* enum store_receipt */
	int64_t			receipt_at;
	int			parts;		/* SMS it went as; 1 until
						   a long one's first part */
	int			via;		/* of a long one: 0 a UDH,
						   1 the sar_* TLVs */
	int			parts_sent;	/* of a long one: the last
						   part the SMSC accepted */
};

struct store;

/*
 * Open (creating and migrating as needed) the store at path; ":memory:"
 * gives a private in-memory store for tests.  On failure returns
 * STORE_ERROR with the reason in err.
 */
int	store_open(const char *path, const struct store_options *,
	    struct store **out, char *err, size_t errsz);
void	store_close(struct store *);
const char *store_errmsg(struct store *);
/* Schema version the store is at (for pilarctl and tests). */
int	store_schema_version(struct store *);
/* Background checkpoints run so far, and how many of them failed. */
void	store_checkpoint_stats(struct store *, long *runs, long *failures);

int	store_begin(struct store *);
int	store_commit(struct store *);
int	store_rollback(struct store *);
/* One nested level inside a transaction, for one MO of a batch. */
int	store_savepoint(struct store *);
int	store_release(struct store *);
int	store_rollback_to(struct store *);

/*
 * Companions.  add: STORE_EXISTS when the id or the phone is taken.
 * update changes all but the id (an empty phone keeps the stored one):
 * STORE_NOTFOUND for an unknown id, STORE_EXISTS for a taken phone.
 */
int	store_companion_add(struct store *, const struct store_companion *);
int	store_companion_update(struct store *, const struct store_companion *);
int	store_companion_get(struct store *, const char *id,
	    struct store_companion *out);
/* Only active companions are found by phone. */
int	store_companion_by_phone(struct store *, const char *phone,
	    struct store_companion *out);
/* Calls cb for each companion ordered by id; cb returning non-zero stops. */
int	store_companion_each(struct store *,
	    int (*cb)(void *, const struct store_companion *), void *arg);

/* KPM.  put inserts or replaces by id (a roster import). */
int	store_kpm_put(struct store *, const struct store_kpm *);
int	store_kpm_get(struct store *, const char *id, struct store_kpm *out);
/* The companion KPM id belongs to (out: STORE_ID_MAX + 1 bytes). */
int	store_kpm_owner(struct store *, const char *id, char *companion_id);
/* Set opted_out on every KPM with this phone; *n gets how many. */
int	store_kpm_set_optout(struct store *, const char *phone, int opted_out,
	    int *n);

/* Inbound messages. */
int	store_mo_insert(struct store *, struct store_mo *);
/*
 * The latest MO from sender with exactly this text received at or after
 * since (a redelivery by the SMSC or a companion's resend), or
 * STORE_NOTFOUND.
 */
int	store_mo_find_recent(struct store *, const char *sender,
	    const char *text, int64_t since, struct store_mo *out);
/* One more delivery of MO id was seen: deliveries + 1. */
int	store_mo_redelivered(struct store *, int64_t id);

/*
 * Parts of long MOs (store_parts.c).  A key is a struct store_part of
 * which only sender, dest, ref and total (and seq where said) count.
 *
 * insert keeps a pending part; STORE_EXISTS, changing nothing, when a
 * part with that key and seq is held, pending or finished.
 */
int	store_part_insert(struct store *, const struct store_part *);
/*
 * The part held with p's key and seq: STORE_NOTFOUND, or STORE_OK with
 * *same set when its text is p's byte for byte and *mo_id to the MO it
 * went into (0: pending).
 */
int	store_part_find(struct store *, const struct store_part *p,
	    int *same, int64_t *mo_id);
/* How many parts of the key's message are pending. */
int	store_part_count(struct store *, const struct store_part *key,
	    int *n);
/*
 * The pending parts of the key's message in seq order; cb returning
 * non-zero stops.  cb must not use the store.
 */
int	store_part_list(struct store *, const struct store_part *key,
	    int (*cb)(void *, const struct store_part *), void *arg);
/* The message's pending parts went into MO mo_id at when. */
int	store_part_finish(struct store *, const struct store_part *key,
	    int64_t mo_id, int64_t when);
/* Forget the finished parts of the key's message (its ref is reused). */
int	store_part_forget(struct store *, const struct store_part *key);
/*
 * The messages with pending parts whose first part came before before,
 * oldest first, at most limit: cb gets each key with seq set to how
 * many parts are pending, received_at to the first one's arrival and
 * text NULL.  cb must not use the store.
 */
int	store_part_expired(struct store *, int64_t before, int limit,
	    int (*cb)(void *, const struct store_part *), void *arg);
/* Every pending part, by message and seq (what waits after a restart). */
int	store_part_pending(struct store *,
	    int (*cb)(void *, const struct store_part *), void *arg);
/* Messages and parts pending (either pointer may be NULL). */
int	store_part_stats(struct store *, int *messages, int *parts);
/* Delete the parts finished before before; *n gets how many. */
int	store_part_purge(struct store *, int64_t before, int *n);

/*
 * Records.  insert assigns id and ref (a kind letter and a per-companion
 * sequence in Crockford base 32, "G001", "K01Z") and returns STORE_EXISTS,
 * changing nothing, when an active record already holds the natural
 * key: a graduation of this KPM (whoever recorded it), or a visit by this
 * companion to this KPM on this event_date.
 */
int	store_record_insert(struct store *, struct store_record *rec);
/* The active record holding rec's natural key (kind, kpm, ...). */
int	store_record_find_key(struct store *, const struct store_record *key,
	    struct store_record *out);
int	store_record_by_ref(struct store *, const char *companion_id,
	    const char *ref, struct store_record *out);
/*
 * The companion's latest active record recorded at or after since;
 * latest is the highest sequence number, the last one inserted.
 */
int	store_record_last(struct store *, const char *companion_id,
	    int64_t since, struct store_record *out);
/* STORE_NOTFOUND when there is no such active record. */
int	store_record_cancel(struct store *, int64_t id, int64_t when,
	    const char *reason);
/*
 * Active records of a kind by a companion for a target year;
 * categories is a bit mask (1 << GRAMMAR_CAT_SM | ...) and only
 * matters for graduations.
 */
int	store_record_count(struct store *, const char *companion_id,
	    enum store_kind, int year, unsigned categories, int *count);
/* Both counts of a year at once: graduations (by categories) and visits. */
int	store_record_counts(struct store *, const char *companion_id,
	    int year, unsigned categories, int *graduations, int *visits);
/* Each record of a kind (cancelled ones too) ordered by id, for exports. */
int	store_record_each(struct store *, enum store_kind,
	    int (*cb)(void *, const struct store_record *), void *arg);

/* Outbox. */
int	store_mt_insert(struct store *, struct store_mt *);
/*
 * Pending MTs with id > after_id, oldest first, at most limit of them;
 * the daemon pages through the outbox with this after a restart.
 */
int	store_mt_pending(struct store *, int64_t after_id, int limit,
	    int (*cb)(void *, const struct store_mt *), void *arg);
int	store_mt_get(struct store *, int64_t id, struct store_mt *out);
int	store_mt_mark_sent(struct store *, int64_t id, const char *message_id,
	    int64_t when);
/* The same for n MTs (store_mt_sent.c); found[i] as each would return. */
int	store_mt_mark_sent_many(struct store *, size_t n, const int64_t *ids,
	    const char *const *message_ids, int64_t when, int *found);
int	store_mt_mark_failed(struct store *, int64_t id, int status,
	    int64_t when);
/* Count attempts and remember the status of a temporary failure. */
/*
 * Mark MT id unknown (see STORE_MT_UNKNOWN) if it is still pending;
 * STORE_NOTFOUND when it is not (its fate is known already).  A long MT
 * some part of which the SMSC accepted stays pending (STORE_EXISTS),
 * unless only its last part is in doubt: it is finished rather than left
 * half on the phone.
 */
int	store_mt_mark_unknown(struct store *, int64_t id, int64_t when);
int	store_mt_attempt(struct store *, int64_t id, int status);
/* How many MTs are in a state. */
int	store_mt_count(struct store *, enum store_mt_state, int *count);
/* The latest MT answering MO mo_id, or STORE_NOTFOUND. */
int	store_mt_by_mo(struct store *, int64_t mo_id, struct store_mt *out);
/*
 * Part part (1..parts) of a long MT was accepted with message_id: kept
 * (with mt.parts and via, how they are numbered) so that the receipt of
 * each part can be matched and a restart goes on where the message
 * stood.  The last part also goes through store_mt_mark_sent().
 */
int	store_mt_part_sent(struct store *, int64_t id, int part, int parts,
	    int via, const char *message_id, int64_t when);
/*
 * A delivery receipt: record state (enum store_receipt) on the sent MT
 * whose message_id equals one of the n forms given (compared without
 * regard to case), the latest such MT if several.  *mt_id gets its row;
 * STORE_NOTFOUND when none matches.  At most STORE_RCPT_IDS_MAX forms.
 * A receipt for a part of a long MT is recorded on that part, and the
 * MT gets what its parts say together: delivered when all were, failed
 * when one failed; of an MT and a part with that id, the latest MT.
 */
int	store_mt_receipt(struct store *, const char *const *ids, int n,
	    int state, int64_t when, int64_t *mt_id);

/*
 * Administration (store_admin.c): what pilarctl needs beyond the daemon,
 * mostly walks and the erasure of a person's data (UU PDP 27/2022).
 * Callbacks of the walks may use the store, but not the walk itself;
 * cb returning non-zero stops the walk.
 */

/* Which records store_record_find() returns; zero fields match all. */
struct store_record_filter {
	const char	*companion_id;	/* NULL: any companion */
	const char	*kpm_id;	/* NULL: any KPM */
	const char	*from;		/* event_date >= "YYYY-MM-DD", or NULL */
	const char	*to;		/* event_date <= "YYYY-MM-DD", or NULL */
	int		 kind;		/* enum store_kind, 0: both */
	int		 year;		/* target year, 0: any */
	int64_t		 after_id;	/* only records with a larger id */
};

/*
 * Records matching f, cancelled ones too: a companion's in sequence
 * order, otherwise by id (the same order for one companion).
 */
int	store_record_find(struct store *, const struct store_record_filter *f,
	    int (*cb)(void *, const struct store_record *), void *arg);
/*
 * Blank a record's personal fields: its note and its cancel reason
 * ("[erased]" where there was one); with unlink_kpm also its KPM id,
 * replaced by one that names nobody ("erased-" and the record's id).
 * Kind, companion, year, category and status stay, so every count
 * stays as it was.  STORE_NOTFOUND for an unknown id.
 */
int	store_record_erase(struct store *, int64_t id, int unlink_kpm);

/* Each KPM by id, of one companion or (companion_id NULL) of all. */
int	store_kpm_each(struct store *, const char *companion_id,
	    int (*cb)(void *, const struct store_kpm *), void *arg);
/* Each KPM with this phone (a family phone may be several's), by id. */
int	store_kpm_by_phone(struct store *, const char *phone,
	    int (*cb)(void *, const struct store_kpm *), void *arg);
/* Remove a KPM from the roster; STORE_NOTFOUND when it is not there. */
int	store_kpm_delete(struct store *, const char *id);
/* Forget phone on every KPM that has it; *n gets how many. */
int	store_kpm_clear_phone(struct store *, const char *phone, int *n);

/*
 * Forget a companion's name and phone and make it inactive; the id, the
 * zone, the language and the region stay, as do its records.  The phone
 * is free again afterwards, and reads as "" (so does the phone of any
 * companion whose stored phone is not digits).  STORE_NOTFOUND for an
 * unknown id.
 */
int	store_companion_erase(struct store *, const char *id);

/*
 * Walk the inbound and outbound messages with id > after_id in id
 * order, at most limit of them: a caller pages through a large table
 * with the last id it saw.
 */
int	store_mo_each(struct store *, int64_t after_id, int limit,
	    int (*cb)(void *, const struct store_mo *), void *arg);
int	store_mt_each(struct store *, int64_t after_id, int limit,
	    int (*cb)(void *, const struct store_mt *), void *arg);
/* An MO's sender and text are forgotten; the text reads "[erased]". */
int	store_mo_erase(struct store *, int64_t id);
/*
 * An MT's recipient and text are forgotten, likewise; a pending one
 * will not be sent (it is marked failed at when).
 */
int	store_mt_erase(struct store *, int64_t id, int64_t when);
/*
 * Delete the parts of unfinished long MOs from sender, spelled as
 * delivered; *n gets how many.
 */
int	store_part_erase(struct store *, const char *sender, int *n);

/*
 * From now on, content this connection deletes or overwrites is
 * overwritten in the file too, not merely marked free.
 */
int	store_secure_delete(struct store *);
/*
 * Copy every change into the main file and empty the journal, where
 * older versions of changed rows would linger.  Outside a transaction.
 * *complete is 0 when another connection's reads kept it from finishing
 * (try again later).
 */
int	store_flush(struct store *, int *complete);
/*
 * Rebuild the store's file: no free space is left in it, so nothing
 * that was deleted or overwritten before survives there.  Outside a
 * transaction; holds the write lock for as long as it takes.
 */
int	store_vacuum(struct store *);

/*
 * Reminders (store_remind.c).  A reminder is a template sent to a
 * target at a local time (each recipient's companion's zone), once or
 * repeated; each occurrence is queued in chunks, its recipients mt rows
 * of priority 1 that replies (priority 0) always pass.
 */
#define STORE_REMIND_TEXT_MAX	640
#define STORE_REMIND_AT_MAX	16	/* "YYYY-MM-DD HH:MM" */
#define STORE_REMIND_KIND_MAX	9	/* all, region, companion, kpm */
#define STORE_REMIND_REPEAT_MAX	7	/* "", daily, weekly, monthly */

struct store_remind {
	int64_t	id;				/* OUT of store_remind_add */
	char	text[STORE_REMIND_TEXT_MAX + 1];	/* the template */
	char	target_kind[STORE_REMIND_KIND_MAX + 1];
	char	target[STORE_REGION_MAX + 1];	/* region, companion, kpm */
	char	at_local[STORE_REMIND_AT_MAX + 1];
	char	repeat[STORE_REMIND_REPEAT_MAX + 1];
	char	origin[STORE_ID_MAX + 1];	/* "": an operator; else the
						   companion who asked */
	int64_t	created_at;
	int64_t	cancelled_at;			/* 0 while active */
	/* Progress, kept by the scheduler in the chunk's transaction. */
	int	occurrence;			/* 0: the first */
	char	cursor_zone[STORE_TZ_MAX + 1];	/* "": not begun */
	char	cursor_kpm[STORE_ID_MAX + 1];	/* last KPM queued */
	int	done;				/* no occurrence left */
	int64_t	queued;				/* over all occurrences */
	int64_t	skipped_optout;
	int64_t	skipped_nophone;
	int64_t	skipped_cap;
	int64_t	skipped_long;			/* too long once filled in */
};

/* A KPM to remind, as the recipient walk returns it. */
struct store_remind_rcpt {
	char	kpm_id[STORE_ID_MAX + 1];
	char	name[STORE_NAME_MAX + 1];
	char	phone[STORE_PHONE_MAX + 1];	/* "" when unknown */
	int	opted_out;
	char	companion[STORE_NAME_MAX + 1];	/* the companion's name */
};

/* What became of a reminder's MTs. */
struct store_remind_counts {
	int64_t	pending;
	int64_t	sent;
	int64_t	failed;
	int64_t	unknown;
	int64_t	delivered;		/* receipts saying so */
	int64_t	undelivered;		/* receipts of any other end */
};

int	store_remind_add(struct store *, struct store_remind *);
int	store_remind_get(struct store *, int64_t id, struct store_remind *);
/*
 * Reminders with id > after_id by id, all or (active) only those
 * neither cancelled nor done; cb returning non-zero stops.  cb must not
 * use the store.
 */
int	store_remind_each(struct store *, int64_t after_id, int active,
	    int (*cb)(void *, const struct store_remind *), void *arg);
/*
 * Cancel a reminder still queueing or with MTs still waiting, and
 * withdraw those (last_status STORE_MT_CANCELLED; pilard sends at most
 * the few it already holds in memory).  STORE_NOTFOUND otherwise.
 */
int	store_remind_cancel(struct store *, int64_t id, int64_t when);
/* Write the progress fields of r (occurrence .. skipped_long). */
int	store_remind_progress(struct store *, const struct store_remind *r);
/* The companions' zones, each once, by name; at most max into zones. */
int	store_remind_zones(struct store *, char zones[][STORE_TZ_MAX + 1],
	    int max, int *n);
/*
 * Up to limit recipients of r in zone after KPM after_kpm, by KPM id;
 * *n gets how many were put in out.
 */
int	store_remind_rcpt(struct store *, const struct store_remind *r,
	    const char *zone, const char *after_kpm, int limit,
	    struct store_remind_rcpt *out, int *n);
/* How many reminders a KPM was queued on local day rday (YYYYMMDD). */
int	store_remind_daycount(struct store *, const char *kpm_id, int rday,
	    int *n);
/*
 * Queue a reminder's MT to one KPM; STORE_EXISTS, changing nothing,
 * when this occurrence was queued to this KPM already.
 */
int	store_remind_mt_insert(struct store *, int64_t reminder_id,
	    int occurrence, const char *kpm_id, int rday, const char *dest,
	    const char *text, int64_t created_at);
/* As store_mt_pending, for reminders' MTs (which it does not return). */
/*
 * STOP from phone: reminders queued for its KPM and not sent yet are
 * withdrawn (state failed, last_status STORE_MT_OPTED_OUT); *n gets
 * how many.
 */
#define STORE_MT_OPTED_OUT	0x10000		/* not an SMPP status */
#define STORE_MT_CANCELLED	0x10001		/* remind cancel */
int	store_remind_withdraw(struct store *, const char *phone, int64_t when,
	    int *n);
int	store_remind_mt_pending(struct store *, int64_t after_id, int limit,
	    int (*cb)(void *, const struct store_mt *), void *arg);
int	store_remind_counts(struct store *, int64_t id,
	    struct store_remind_counts *out);
/*
 * The active reminder with r's origin, target, at_local and text into
 * out: STORE_NOTFOUND when there is none (a P2K2 not asked before).
 */
int	store_remind_find(struct store *, const struct store_remind *r,
	    struct store_remind *out);
/*
 * Nudges to companions (store_remind.c): kind STORE_NUDGE_* of period
 * (YYYYMM for progress, YYYY for the congratulation).  has: 1 or 0 in
 * *yes.  add remembers it and queues text to dest as a broadcast MT
 * (dest NULL: only remembers it); STORE_EXISTS, changing nothing, when
 * it was queued already.
 */
#define STORE_NUDGE_PROGRESS	0
#define STORE_NUDGE_CONGRATS	1
int	store_nudge_has(struct store *, const char *companion_id, int kind,
	    int period, int *yes);
int	store_nudge_add(struct store *, const char *companion_id, int kind,
	    int period, const char *dest, const char *text, int64_t now);
/* How many KPM of a companion have a phone and did not say STOP. */
int	store_remind_audience(struct store *, const char *companion_id,
	    int64_t *n);

#endif
