/*
 * store_sql.c: the SQL of the SQLite store, in one place.
 *
 * store_sql[] holds every statement the store runs, prepared once when
 * it opens; store_migrations[] the schema, as the ordered list of
 * changes that built it.
 */
#include "store_sqlite.h"

const char *const store_sql[STMT_MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	/* Changes when another connection commits: caches are stale. */
	[STMT_DATA_VERSION] = "PRAGMA data_version",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_SAVEPOINT] = "SAVEPOINT mo",
	[STMT_RELEASE] = "RELEASE mo",
	[STMT_ROLLBACK_TO] = "ROLLBACK TO mo",

	[STMT_COMPANION_ADD] =
	    "INSERT INTO companions (id, phone, name, timezone, language, "
	    "active, region) VALUES (:id, :phone, :name, :timezone, "
	    ":language, :active, :region)",
	/* A NULL phone (one erased, see store_admin.c) keeps the stored one. */
	[STMT_COMPANION_UPDATE] =
	    "UPDATE companions SET phone = coalesce(:phone, phone), "
	    "name = :name, timezone = :timezone, language = :language, "
	    "active = :active, region = :region WHERE id = :id",
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
	/* Whose a KPM is, for every GRAD and KUNJ: one column, no copies. */
	[STMT_KPM_OWNER] =
	    "SELECT companion_id FROM kpm WHERE id = :id",
	/* kpm_phone. */
	[STMT_KPM_OPTOUT] =
	    "UPDATE kpm SET opted_out = :opted_out WHERE phone = :phone",

	[STMT_MO_INSERT] =
	    "INSERT INTO mo (sender, dest, text, smsc_ref, received_at) "
	    "VALUES (:sender, :dest, :text, :smsc_ref, :received_at)",
	/* By rowid: the redelivery window in memory (store_recent.c). */
	[STMT_MO_GET] =
	    "SELECT " MO_COLS " FROM mo WHERE id = :id",
	[STMT_MO_SCAN_DESC] =
	    "SELECT id, sender, text, received_at FROM mo ORDER BY id DESC",
	[STMT_MO_SCAN_AFTER] =
	    "SELECT id, sender, text, received_at FROM mo WHERE id > :id "
	    "ORDER BY id",
	[STMT_MO_REDELIVERED] =
	    "UPDATE mo SET deliveries = deliveries + 1 WHERE id = :id",

	/*
	 * Parts of long MOs.  A message's parts are one range of the
	 * unique index mo_parts_key (sender, dest, ref, total, seq): the
	 * lookups by message are seeks in it.  The table holds only what
	 * waits and what finished within the last concat_timeout, so the
	 * scans by time stay small.
	 */
	[STMT_PART_INSERT] =
	    "INSERT INTO mo_parts (sender, sender_ton, dest, ref, total, seq, "
	    "text, received_at) VALUES (:sender, :sender_ton, :dest, :ref, "
	    ":total, :seq, :text, :received_at)",
	[STMT_PART_FIND] =
	    "SELECT text = :text, coalesce(mo_id, 0) FROM mo_parts "
	    "WHERE sender = :sender AND dest = :dest AND ref = :ref "
	    "AND total = :total AND seq = :seq",
	[STMT_PART_COUNT] =
	    "SELECT count(*) FROM mo_parts WHERE sender = :sender "
	    "AND dest = :dest AND ref = :ref AND total = :total "
	    "AND finished_at IS NULL",
	[STMT_PART_LIST] =
	    "SELECT " PART_COLS " FROM mo_parts WHERE sender = :sender "
	    "AND dest = :dest AND ref = :ref AND total = :total "
	    "AND finished_at IS NULL ORDER BY seq",
	[STMT_PART_FINISH] =
	    "UPDATE mo_parts SET mo_id = :mo_id, finished_at = :when "
	    "WHERE sender = :sender AND dest = :dest AND ref = :ref "
	    "AND total = :total AND finished_at IS NULL",
	[STMT_PART_FORGET] =
	    "DELETE FROM mo_parts WHERE sender = :sender AND dest = :dest "
	    "AND ref = :ref AND total = :total AND finished_at IS NOT NULL",
	[STMT_PART_EXPIRED] =
	    "SELECT sender, max(sender_ton), dest, ref, total, count(*), "
	    "min(received_at) FROM mo_parts WHERE finished_at IS NULL "
	    "GROUP BY sender, dest, ref, total "
	    "HAVING min(received_at) < :before "
	    "ORDER BY min(received_at) LIMIT :limit",
	[STMT_PART_PENDING] =
	    "SELECT " PART_COLS " FROM mo_parts WHERE finished_at IS NULL "
	    "ORDER BY sender, dest, ref, total, seq",
	[STMT_PART_STATS] =
	    "SELECT count(*), coalesce(sum(n), 0) FROM (SELECT count(*) AS n "
	    "FROM mo_parts WHERE finished_at IS NULL "
	    "GROUP BY sender, dest, ref, total)",
	[STMT_PART_PURGE] =
	    "DELETE FROM mo_parts WHERE finished_at < :before",

	/*
	 * The companion's last sequence number: one seek to the end of its
	 * range in records_seq.  A counter in companions would cost an
	 * UPDATE per record and dirty a companions page per MO.
	 */
	[STMT_RECORD_LAST_SEQ] =
	    "SELECT seq FROM records WHERE companion_id = :companion_id "
	    "ORDER BY seq DESC LIMIT 1",
	/*
	 * A new active record's count (store_record_insert): one seek and
	 * a rewrite of the row in place, or the first row of its kind.
	 */
	[STMT_TALLY_ADD] =
	    "UPDATE tallies SET n = n + 1 WHERE companion_id = :companion_id "
	    "AND year = :year AND kind = :kind AND category = :category",
	[STMT_TALLY_NEW] =
	    "INSERT INTO tallies (companion_id, year, kind, category, n) "
	    "VALUES (:companion_id, :year, :kind, :category, 1)",
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
	/* Both of the above in one seek: what every confirmation shows. */
	[STMT_RECORD_COUNTS] =
	    "SELECT coalesce(sum(CASE WHEN kind = 'G' "
	    "AND ((1 << category) & :categories) <> 0 THEN n END), 0), "
	    "coalesce(sum(CASE WHEN kind = 'K' THEN n END), 0) FROM tallies "
	    "WHERE companion_id = :companion_id AND year = :year",
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
	    "WHERE state = 0 AND priority = 0 AND id > :after_id "
	    "ORDER BY id LIMIT :limit",
	[STMT_MT_GET] =
	    "SELECT " MT_COLS " FROM mt WHERE id = :id",
	[STMT_MT_MARK_SENT] =
	    "UPDATE mt SET state = 1, message_id = :message_id, "
	    "sent_at = :when, last_status = 0 WHERE id = :id",
	/*
	 * The SENT fates of a batch, STORE_MT_SENT_ROWS at a time
	 * (store_mt_sent.c): ?2i+1 is an MT's id, ?2i+2 its message id;
	 * unused ids are NULL, which match no MT.  One statement opens
	 * the table and its indexes once for all of them.  :when comes
	 * after the numbered ones: first, it would be number 1.  (UPDATE
	 * FROM a VALUES list cost more: it materializes the list.)
	 */
	[STMT_MT_MARK_SENT_ROWS] =
	    "UPDATE mt SET message_id = CASE id WHEN ?1 THEN ?2 "
	    "WHEN ?3 THEN ?4 WHEN ?5 THEN ?6 WHEN ?7 THEN ?8 WHEN ?9 THEN ?10 "
	    "WHEN ?11 THEN ?12 WHEN ?13 THEN ?14 WHEN ?15 THEN ?16 "
	    "WHEN ?17 THEN ?18 WHEN ?19 THEN ?20 WHEN ?21 THEN ?22 "
	    "WHEN ?23 THEN ?24 WHEN ?25 THEN ?26 WHEN ?27 THEN ?28 "
	    "WHEN ?29 THEN ?30 WHEN ?31 THEN ?32 WHEN ?33 THEN ?34 "
	    "WHEN ?35 THEN ?36 WHEN ?37 THEN ?38 WHEN ?39 THEN ?40 "
	    "WHEN ?41 THEN ?42 WHEN ?43 THEN ?44 WHEN ?45 THEN ?46 "
	    "WHEN ?47 THEN ?48 WHEN ?49 THEN ?50 WHEN ?51 THEN ?52 "
	    "WHEN ?53 THEN ?54 WHEN ?55 THEN ?56 WHEN ?57 THEN ?58 "
	    "WHEN ?59 THEN ?60 WHEN ?61 THEN ?62 WHEN ?63 THEN ?64 END, "
	    "state = 1, sent_at = :when, last_status = 0 "
	    "WHERE id IN (?1, ?3, ?5, ?7, ?9, ?11, ?13, ?15, ?17, ?19, ?21, "
	    "?23, ?25, ?27, ?29, ?31, ?33, ?35, ?37, ?39, ?41, ?43, ?45, "
	    "?47, ?49, ?51, ?53, ?55, ?57, ?59, ?61, ?63)",
	[STMT_MT_MARK_FAILED] =
	    "UPDATE mt SET state = 2, last_status = :status, "
	    "failed_at = :when WHERE id = :id",
	/* failed_at: when it was given up on. */
	[STMT_MT_MARK_UNKNOWN] =
	    "UPDATE mt SET state = 3, last_status = :status, "
	    "failed_at = :when WHERE id = :id AND state = 0",
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
	    "SELECT (SELECT count(*) FROM mt INDEXED BY mt_pending "
	    "WHERE state = 0 AND priority = 0) + (SELECT count(*) FROM mt "
	    "INDEXED BY mt_bulk WHERE state = 0 AND priority = 1)",
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
	/*
	 * The parts of a long MT (migration 8): each part's message id as
	 * its submit_sm_resp gives it.  A part accepted twice (its first
	 * acceptance lost with a crash before the commit, then sent again)
	 * keeps the latest id.
	 */
	[STMT_MT_PART_SENT] =
	    "INSERT INTO mt_parts (mt_id, part, message_id, sent_at) "
	    "VALUES (:id, :part, :message_id, :when) "
	    "ON CONFLICT (mt_id, part) DO UPDATE SET "
	    "message_id = excluded.message_id, sent_at = excluded.sent_at, "
	    "receipt = 0, receipt_at = NULL",
	/* How many parts, and how they are numbered (udh 0, sar 1). */
	[STMT_MT_PARTS_SET] =
	    "UPDATE mt SET parts = :parts, via = :via WHERE id = :id AND "
	    "(parts != :parts OR via != :via)",
	/* mt_parts_message_id, as STMT_MT_RECEIPT_FIND does mt's. */
	[STMT_MT_PART_RECEIPT_FIND] =
	    "SELECT mt_id, part FROM mt_parts INDEXED BY mt_parts_message_id "
	    "WHERE message_id COLLATE NOCASE IN (:id0, :id1, :id2) "
	    "ORDER BY mt_id DESC, part DESC LIMIT 1",
	[STMT_MT_PART_RECEIPT_SET] =
	    "UPDATE mt_parts SET receipt = :receipt, receipt_at = :when "
	    "WHERE mt_id = :id AND part = :part",
	/* The last part accepted (0: none), of how many. */
	[STMT_MT_PARTS_SENT] =
	    "SELECT coalesce(max(part), 0), (SELECT parts FROM mt "
	    "WHERE id = :id) FROM mt_parts WHERE mt_id = :id",
	/* Every part's receipt so far, and how many parts there are. */
	[STMT_MT_PART_RECEIPTS] =
	    "SELECT (SELECT parts FROM mt WHERE id = :id), receipt "
	    "FROM mt_parts WHERE mt_id = :id",

	/*
	 * store_admin.c: pilarctl's walks and erasures.  Nothing here runs
	 * per MO.  A NULL filter value matches all; QPSG keeps one plan
	 * for both, which is why a companion's records have a statement of
	 * their own (a range of records_seq) and the others a scan.  A
	 * KPM's records are a scan too: an index on kpm_id alone would cost
	 * every record one more index write.
	 */
	[STMT_ADMIN_RECORD_FIND_COMPANION] =
	    "SELECT " RECORD_COLS " FROM records INDEXED BY records_seq "
	    "WHERE companion_id = :companion_id AND id > :after_id "
	    "AND (:kpm_id IS NULL OR kpm_id = :kpm_id) "
	    "AND (:from IS NULL OR event_date >= :from) "
	    "AND (:to IS NULL OR event_date <= :to) "
	    "AND (:kind IS NULL OR kind = :kind) "
	    "AND (:year IS NULL OR year = :year) ORDER BY seq",
	[STMT_ADMIN_RECORD_FIND] =
	    "SELECT " RECORD_COLS " FROM records WHERE id > :after_id "
	    "AND (:kpm_id IS NULL OR kpm_id = :kpm_id) "
	    "AND (:from IS NULL OR event_date >= :from) "
	    "AND (:to IS NULL OR event_date <= :to) "
	    "AND (:kind IS NULL OR kind = :kind) "
	    "AND (:year IS NULL OR year = :year) ORDER BY id",
	/*
	 * kpm_id is not among the columns of records_tally_update: the
	 * tallies do not move.  "erased-<id>" is unique, so the natural
	 * keys of other records cannot clash with it.
	 */
	[STMT_ADMIN_RECORD_ERASE] =
	    "UPDATE records SET note = NULL, "
	    "cancel_reason = CASE WHEN cancel_reason IS NULL THEN NULL "
	    "ELSE '[erased]' END, "
	    "kpm_id = CASE WHEN :unlink <> 0 THEN 'erased-' || id "
	    "ELSE kpm_id END WHERE id = :id",
	[STMT_ADMIN_KPM_EACH] =
	    "SELECT " KPM_COLS " FROM kpm ORDER BY id",
	/* kpm_companion, which holds the id too. */
	[STMT_ADMIN_KPM_EACH_COMPANION] =
	    "SELECT " KPM_COLS " FROM kpm WHERE companion_id = :companion_id "
	    "ORDER BY id",
	/* kpm_phone. */
	[STMT_ADMIN_KPM_BY_PHONE] =
	    "SELECT " KPM_COLS " FROM kpm WHERE phone = :phone ORDER BY id",
	[STMT_ADMIN_KPM_DELETE] =
	    "DELETE FROM kpm WHERE id = :id",
	/* kpm_phone. */
	[STMT_ADMIN_KPM_CLEAR_PHONE] =
	    "UPDATE kpm SET phone = NULL WHERE phone = :phone",
	/*
	 * phone is NOT NULL UNIQUE: what takes its place must be unique
	 * and no phone anybody can send from.  It reads as "".
	 */
	[STMT_ADMIN_COMPANION_ERASE] =
	    "UPDATE companions SET name = '', phone = 'erased:' || id, "
	    "active = 0 WHERE id = :id",
	[STMT_ADMIN_MO_EACH] =
	    "SELECT " MO_COLS " FROM mo WHERE id > :after_id ORDER BY id "
	    "LIMIT :limit",
	[STMT_ADMIN_MT_EACH] =
	    "SELECT " MT_COLS " FROM mt WHERE id > :after_id ORDER BY id "
	    "LIMIT :limit",
	[STMT_ADMIN_MO_ERASE] =
	    "UPDATE mo SET sender = '', text = '[erased]' WHERE id = :id",
	/* The SET expressions all see the row as it was. */
	[STMT_ADMIN_MT_ERASE] =
	    "UPDATE mt SET dest = '', text = '[erased]', "
	    "state = CASE WHEN state = 0 THEN 2 ELSE state END, "
	    "failed_at = CASE WHEN state = 0 THEN :when ELSE failed_at END "
	    "WHERE id = :id",
	/* mo_parts_key, by its first column. */
	[STMT_ADMIN_PART_ERASE] =
	    "DELETE FROM mo_parts WHERE sender = :sender",
	[STMT_ADMIN_CHECKPOINT] =
	    "PRAGMA wal_checkpoint(TRUNCATE)",
	[STMT_ADMIN_VACUUM] =
	    "VACUUM",

	/*
	 * store_remind.c: reminders and their recipients.  A recipient is
	 * an mt row of priority 1 keyed by (reminder_id, occurrence,
	 * kpm_id): INSERT OR IGNORE makes a chunk run twice harmless.
	 */
	[STMT_REMIND_ADD] =
	    "INSERT INTO reminders (text, target_kind, target, at_local, "
	    "repeat, origin, created_at) VALUES (:text, :target_kind, "
	    ":target, :at_local, :repeat, :origin, :created_at)",
	[STMT_REMIND_GET] =
	    "SELECT " REMIND_COLS " FROM reminders WHERE id = :id",
	[STMT_REMIND_EACH] =
	    "SELECT " REMIND_COLS " FROM reminders WHERE id > :after_id "
	    "AND (:active = 0 OR (cancelled_at IS NULL AND done = 0)) "
	    "ORDER BY id",
	/* Cancellable while queueing or while its MTs still wait. */
	[STMT_REMIND_CANCEL] =
	    "UPDATE reminders SET cancelled_at = :when "
	    "WHERE id = :id AND cancelled_at IS NULL AND (done = 0 OR "
	    "EXISTS (SELECT 1 FROM mt INDEXED BY mt_reminder "
	    "WHERE reminder_id = :id AND state = 0))",
	[STMT_REMIND_CANCEL_MT] =
	    "UPDATE mt SET state = 2, last_status = :status, failed_at = :when "
	    "WHERE reminder_id = :id AND state = 0 AND parts = 1",
	[STMT_REMIND_PROGRESS] =
	    "UPDATE reminders SET occurrence = :occurrence, "
	    "cursor_zone = :cursor_zone, cursor_kpm = :cursor_kpm, "
	    "done = :done, queued = :queued, skipped_optout = "
	    ":skipped_optout, skipped_nophone = :skipped_nophone, "
	    "skipped_cap = :skipped_cap, skipped_long = :skipped_long "
	    "WHERE id = :id",
	[STMT_REMIND_ZONES] =
	    "SELECT DISTINCT timezone FROM companions ORDER BY timezone",
	/*
	 * One zone's recipients after a KPM id, in id order: a walk of
	 * kpm's primary key with a seek in companions per row.
	 */
	[STMT_REMIND_RCPT] =
	    "SELECT k.id, k.name, coalesce(k.phone, ''), k.opted_out, "
	    "c.name FROM kpm k JOIN companions c ON c.id = k.companion_id "
	    "WHERE k.id > :after_kpm AND c.timezone = :zone "
	    "AND (:kind = 'all' OR (:kind = 'region' AND c.region = :target) "
	    "OR (:kind = 'companion' AND c.id = :target) "
	    "OR (:kind = 'kpm' AND k.id = :target)) "
	    "ORDER BY k.id LIMIT :limit",
	[STMT_REMIND_DAYCOUNT] =
	    "SELECT count(*) FROM mt INDEXED BY mt_kpm_day "
	    "WHERE kpm_id = :kpm_id AND rday = :rday "
	    "AND reminder_id IS NOT NULL",
	[STMT_REMIND_MT_INSERT] =
	    "INSERT OR IGNORE INTO mt (dest, text, state, attempts, "
	    "last_status, created_at, priority, reminder_id, occurrence, "
	    "kpm_id, rday) VALUES (:dest, :text, 0, 0, 0, :created_at, 1, "
	    ":reminder_id, :occurrence, :kpm_id, :rday)",
	[STMT_REMIND_MT_PENDING] =
	    "SELECT " MT_COLS " FROM mt INDEXED BY mt_bulk "
	    "WHERE state = 0 AND priority = 1 AND id > :after_id "
	    "ORDER BY id LIMIT :limit",
	/*
	 * kpm_phone, then mt_kpm_day: the reminders of a phone's KPM.  A
	 * long one with a part already out (parts > 1) is finished, as
	 * one in flight: half a message helps nobody.
	 */
	[STMT_REMIND_WITHDRAW] =
	    "UPDATE mt SET state = 2, last_status = :status, failed_at = :when "
	    "WHERE reminder_id IS NOT NULL AND state = 0 AND parts = 1 AND "
	    "kpm_id IN (SELECT id FROM kpm WHERE phone = :phone)",
	[STMT_REMIND_COUNTS] =
	    "SELECT state, receipt, count(*) FROM mt INDEXED BY mt_reminder "
	    "WHERE reminder_id = :id GROUP BY state, receipt",
	/* A companion's P2K2 asked again (a redelivery): the same row. */
	[STMT_REMIND_FIND] =
	    "SELECT " REMIND_COLS " FROM reminders WHERE origin = :origin "
	    "AND target_kind = :target_kind AND target = :target "
	    "AND at_local = :at_local AND text = :text "
	    "AND cancelled_at IS NULL ORDER BY id LIMIT 1",
	/* Whom a reminder to a companion's KPM reaches, today. */
	[STMT_REMIND_AUDIENCE] =
	    "SELECT count(*) FROM kpm WHERE companion_id = :companion_id "
	    "AND coalesce(phone, '') <> '' AND opted_out = 0",
	/* Nudges to companions: one row per companion, kind and period. */
	[STMT_NUDGE_HAS] =
	    "SELECT 1 FROM nudges WHERE companion_id = :companion_id "
	    "AND kind = :kind AND period = :period",
	[STMT_NUDGE_ADD] =
	    "INSERT OR IGNORE INTO nudges (companion_id, kind, period, "
	    "sent_at) VALUES (:companion_id, :kind, :period, :sent_at)",
	[STMT_NUDGE_MT] =
	    "INSERT INTO mt (dest, text, state, attempts, last_status, "
	    "created_at, priority) VALUES (:dest, :text, 0, 0, 0, "
	    ":created_at, 1)",
};

/*
 * Not in store_sql[]: SQLite applies this pragma when the statement is
 * prepared, not when it runs, so preparing it with the others would
 * turn it on for every connection, pilard's too.  store_secure_delete()
 * runs it when asked.
 */
const char store_sql_secure_delete[] = "PRAGMA secure_delete = ON";

/*
 * The migrations, oldest first: migration i takes the schema from
 * version i to i + 1.  Never edit one that has shipped; append.
 */
const char *const store_migrations[] = {
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
	 * (From 9 on, an insert is counted by store_record_insert().)
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

	/*
	 * 3: the redelivery window is kept in memory (store_recent.c):
	 * mo_recent cost a page write per MO in a random place of the file.
	 */
	"DROP INDEX mo_recent;",

	/*
	 * 4: the parts of long MOs until their message is finished
	 * (store_parts.c).  The key makes a redelivered part a conflict
	 * instead of a second row.  mo_id and finished_at stay NULL while
	 * the part waits; a finished part is kept for a while to tell a
	 * redelivery from a new message.
	 */
	"CREATE TABLE mo_parts ("
	"  id		INTEGER PRIMARY KEY,"
	"  sender	TEXT NOT NULL,"
	"  sender_ton	INTEGER NOT NULL DEFAULT 0,"
	"  dest		TEXT NOT NULL,"
	"  ref		INTEGER NOT NULL,"
	"  total	INTEGER NOT NULL,"
	"  seq		INTEGER NOT NULL,"
	"  text		TEXT NOT NULL,"
	"  received_at	INTEGER NOT NULL,"
	"  mo_id	INTEGER,"
	"  finished_at	INTEGER"
	");"
	"CREATE UNIQUE INDEX mo_parts_key"
	"  ON mo_parts (sender, dest, ref, total, seq);",

	/*
	 * 5: a region for each companion (pilarctl): reports and the
	 * progress page group by it.  A KPM's region is its companion's.
	 * companions_by_phone gets the column too, so that it still
	 * answers store_companion_by_phone alone.
	 */
	"ALTER TABLE companions ADD COLUMN region TEXT NOT NULL DEFAULT '';"
	"DROP INDEX companions_by_phone;"
	"CREATE INDEX companions_by_phone"
	"  ON companions (phone, active, name, timezone, language, region);",

	/*
	 * 6: reminders (store_remind.c).  A reminder's recipients are mt
	 * rows of priority 1 (replies are 0 and always leave first), keyed
	 * by reminder, occurrence and KPM; rday is the recipient's local
	 * day (YYYYMMDD) for the daily cap.  The cursor (zone, KPM id) says
	 * how far the current occurrence is queued: it moves in the
	 * transaction that queues the chunk.  mt_pending becomes the
	 * replies' only; mt_bulk holds the pending reminders.
	 */
	"CREATE TABLE reminders ("
	"  id		INTEGER PRIMARY KEY,"
	"  text		TEXT NOT NULL,"
	"  target_kind	TEXT NOT NULL,"
	"  target	TEXT NOT NULL DEFAULT '',"
	"  at_local	TEXT NOT NULL,"
	"  repeat	TEXT NOT NULL DEFAULT '',"
	"  origin	TEXT NOT NULL DEFAULT '',"
	"  created_at	INTEGER NOT NULL,"
	"  cancelled_at	INTEGER,"
	"  occurrence	INTEGER NOT NULL DEFAULT 0,"
	"  cursor_zone	TEXT NOT NULL DEFAULT '',"
	"  cursor_kpm	TEXT NOT NULL DEFAULT '',"
	"  done		INTEGER NOT NULL DEFAULT 0,"
	"  queued	INTEGER NOT NULL DEFAULT 0,"
	"  skipped_optout INTEGER NOT NULL DEFAULT 0,"
	"  skipped_nophone INTEGER NOT NULL DEFAULT 0,"
	"  skipped_cap	INTEGER NOT NULL DEFAULT 0,"
	"  skipped_long	INTEGER NOT NULL DEFAULT 0"
	");"
	"ALTER TABLE mt ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE mt ADD COLUMN reminder_id INTEGER;"
	"ALTER TABLE mt ADD COLUMN occurrence INTEGER;"
	"ALTER TABLE mt ADD COLUMN kpm_id TEXT;"
	"ALTER TABLE mt ADD COLUMN rday INTEGER;"
	"CREATE UNIQUE INDEX mt_reminder ON mt (reminder_id, occurrence,"
	"  kpm_id) WHERE reminder_id IS NOT NULL;"
	"CREATE INDEX mt_kpm_day ON mt (kpm_id, rday)"
	"  WHERE reminder_id IS NOT NULL;"
	"DROP INDEX mt_pending;"
	"CREATE INDEX mt_pending ON mt (state) WHERE state = 0 AND priority = 0;"
	"CREATE INDEX mt_bulk ON mt (state) WHERE state = 0 AND priority = 1;",

	/*
	 * 7: nudges to companions (remind.c): the monthly progress (kind
	 * 0, period YYYYMM) and the congratulation on reaching the target
	 * (kind 1, period YYYY), each remembered once it is queued, in
	 * the transaction that queues its MT (priority 1, a broadcast).
	 */
	"CREATE TABLE nudges ("
	"  companion_id	TEXT NOT NULL,"
	"  kind		INTEGER NOT NULL,"
	"  period	INTEGER NOT NULL,"
	"  sent_at	INTEGER NOT NULL,"
	"  PRIMARY KEY (companion_id, kind, period)"
	") WITHOUT ROWID;",

	/*
	 * 8: MTs longer than one SMS go as parts (gateway/outbox.c), each
	 * with its own message id and delivery receipt.  mt.parts is 1
	 * for a single SMS, which has no rows here: its id and receipt
	 * stay on the mt row.  mt.via: how the parts are numbered (0 a
	 * UDH, 1 the sar_* TLVs), kept so that a message resumed after a
	 * restart goes on as it began.
	 */
	"CREATE TABLE mt_parts ("
	"  mt_id	INTEGER NOT NULL,"
	"  part		INTEGER NOT NULL,"
	"  message_id	TEXT NOT NULL,"
	"  sent_at	INTEGER NOT NULL,"
	"  receipt	INTEGER NOT NULL DEFAULT 0,"
	"  receipt_at	INTEGER,"
	"  PRIMARY KEY (mt_id, part)"
	") WITHOUT ROWID;"
	"CREATE INDEX mt_parts_message_id"
	"  ON mt_parts (message_id COLLATE NOCASE);"
	"ALTER TABLE mt ADD COLUMN parts INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE mt ADD COLUMN via INTEGER NOT NULL DEFAULT 0;",

	/*
	 * 9: a new record is counted by store_record_insert(), the only
	 * code that inserts records, in the transaction of the insert.  A
	 * trigger made the INSERT a statement of several writes that may
	 * abort, which SQLite runs in a statement journal of its own: each
	 * page the insert touched was copied there first, and the trigger's
	 * program ran in a frame allocated for it, 5,500 instructions per
	 * MO (4.5%).  Updates and deletes keep their triggers: they are
	 * rare, and made by pilarctl too.  The counts are made again from
	 * the records here, in the transaction that changes the rule, and
	 * only pilard upgrades (pilarctl refuses an older file): no pilard
	 * of the old code writes after it.
	 */
	"DROP TRIGGER records_tally_insert;"
	"DELETE FROM tallies;"
	"INSERT INTO tallies (companion_id, year, kind, category, n)"
	"  SELECT companion_id, year, kind, category, count(*) FROM records"
	"  WHERE cancelled_at IS NULL"
	"  GROUP BY companion_id, year, kind, category;",
};

const int store_version =
    (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
