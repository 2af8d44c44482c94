/*
 * outbox.h: the replies waiting to leave, and the window of submit_sm in
 * flight.
 *
 * The outbox table in the store is the single source of truth: a reply
 * is there before its MO is acknowledged, and is marked sent only on
 * submit_sm_resp ESME_ROK.  This module keeps the part of it that is
 * about to be sent in memory (paging through the table after a restart),
 * hands the session the next MT when the window has room, and turns
 * responses and timeouts into store updates and retries.
 */
#ifndef PILAR_OUTBOX_H
#define PILAR_OUTBOX_H

#include <stdint.h>
#include <sys/queue.h>

#include "store.h"

/*
 * Parts one MT may take: a reply is one SMS in GSM-7, at most three when
 * a name forces UCS-2; a reminder at most [reminders] max_segments.
 */
#define OUTBOX_PARTS_MAX	6

struct outbox_mt {
	TAILQ_ENTRY(outbox_mt)	 entry;
	int64_t			 id;		/* outbox row */
	int			 attempts;	/* submits so far */
	int64_t			 not_before;	/* ms, monotonic */
	uint32_t		 seq;		/* while in flight */
	int			 part;		/* of a long MT: the one to
						   send next, from 0 */
	int			 parts;		/* 0 until the caller cut
						   the text, then 1 .. */
	int			 via;		/* how the caller numbers
						   the parts (its choice at
						   part 0, kept) */
	int64_t			 sent_at;	/* ms, monotonic */
	int64_t			 created_at;	/* s, wall clock */
	char			 dest[STORE_PHONE_MAX + 1];
	char			*text;		/* From malloc() */
};

/* What became of an MT after its response, for the session's log line. */
enum outbox_fate {
	OUTBOX_UNKNOWN_SEQ = 0,	/* no MT in flight had this seq */
	OUTBOX_SENT,		/* accepted by the SMSC */
	OUTBOX_PART_SENT,	/* one part of a long MT accepted: the
				   next goes at once */
	OUTBOX_RETRY,		/* temporary error: sent again later */
	OUTBOX_FAILED,		/* permanent error or attempts exhausted */
	OUTBOX_UNKNOWN		/* submitted, never answered: not resent */
};

/* Which MT a response was for, as outbox_resp() found it. */
struct outbox_outcome {
	int64_t		mt_id;
	int		attempts;	/* submits of this part so far */
	int		part;		/* 1-based: the part answered */
	int		parts;		/* 1 for a single SMS */
	int		via;		/* outbox_mt's */
};

/* Counters for the operator. */
struct outbox_stats {
	uint64_t	expired;	/* failed for max_age */
	uint64_t	paced;		/* times the tps limit held a submit */
	uint64_t	unknown;	/* never answered, held back */
};

struct outbox;

struct outbox	*outbox_new(struct store *, int window, int max_attempts);
void		 outbox_free(struct outbox *);
void		 outbox_set_limits(struct outbox *, int window,
		    int max_attempts);
/*
 * At most tps submits per second (0: no limit), smoothed over quarter
 * seconds; replies older than max_age seconds are marked failed instead
 * of being sent late.
 */
void		 outbox_set_pace(struct outbox *, int tps, int max_age);
/*
 * Milliseconds until the tps limit lets the next MT go, when it is what
 * holds back MTs queued (nothing else would wake the caller: a reply
 * must not wait for the next tick); -1 when it is not.
 */
int64_t		 outbox_pace_wait(const struct outbox *, int64_t now_ms);

/*
 * What to do with an MT submitted and never answered: the SMSC may have
 * taken it or not.  Sent again (the phone may get it twice), or set
 * aside as unknown (it may never get it).  A link that breaks mostly
 * takes the submits in flight with it (measured: 715 replies of 20,000
 * never arrived over 79 drops when none was sent again, 5 doubled when
 * all were), while an SMSC that stays silent on a live link, or a
 * pilard that dies, mostly has them through (788 of 788 over 20 kill
 * -9).  OUTBOX_RESEND_LINK_LOST, the default, follows that.
 */
enum outbox_resend {
	OUTBOX_RESEND_NEVER = 0,
	OUTBOX_RESEND_ALWAYS = 1,
	OUTBOX_RESEND_LINK_LOST = 2	/* after a lost link only */
};
void		 outbox_set_resend_unknown(struct outbox *, enum outbox_resend);
/* Take up to max ids of MTs set aside as unknown, to mark in the store. */
int		 outbox_unknown(struct outbox *, int64_t *ids, int max);

/*
 * Page pending rows from the store into memory (at start, and whenever
 * the queue runs dry while rows remain).  Returns the number loaded or -1.
 */
int		 outbox_load(struct outbox *);
/*
 * Reminders were queued in the store (remind.c): page them in when the
 * replies leave room.
 */
void		 outbox_bulk_more(struct outbox *);
/* Page reminders in while few are in memory; only when the store is free. */
void		 outbox_bulk_fill(struct outbox *);
/*
 * dest said STOP: forget the reminders to it waiting in memory (the
 * store withdrew them in the same transaction).  Returns how many.
 */
int		 outbox_bulk_withdraw(struct outbox *, const char *dest);
/* An MT just committed by mo_handle(); copies dest and text. */
void		 outbox_push(struct outbox *, int64_t id, const char *dest,
		    const char *text, int64_t created_at);
/*
 * The next MT to submit at now_ms, or NULL when the window is full,
 * sending is paused (throttled) or nothing is due.  The caller submits it
 * and calls outbox_inflight() with the seq it used.  A text longer than
 * one SMS goes part by part: the caller cuts it, sets parts (and via)
 * the first time and submits part `part'; a part accepted
 * (OUTBOX_PART_SENT) is held until the caller has stored its message id
 * (outbox_part_stored()), then the MT is back at the head of the queue
 * for the next part.  One part in flight at a time: the parts leave in
 * order, a part refused is retried alone, and after a crash the part in
 * doubt is the one after the last stored.  may_load says
 * whether the store may be read now to page in more pending rows.  MTs
 * found too old on the way are dropped and their ids kept for
 * outbox_expired().
 */
struct outbox_mt *outbox_next(struct outbox *, int64_t now_ms,
		    int may_load);
/* Take up to max ids of expired MTs, to be marked failed in the store. */
int		 outbox_expired(struct outbox *, int64_t *ids, int max);
void		 outbox_inflight(struct outbox *, struct outbox_mt *,
		    uint32_t seq, int64_t now_ms);
/*
 * A submit_sm_resp (or generic_nack) for seq: returns the fate, which
 * the caller writes to the store; *out tells which MT (and part) it was.
 */
enum outbox_fate outbox_resp(struct outbox *, uint32_t seq, uint32_t status,
		    int64_t now_ms, struct outbox_outcome *out);
/*
 * While stopping: the next part of a long MT begun, or NULL, as
 * outbox_next() gives MTs (window, pause, tps).  A message half out is
 * finished before the link goes down, not left in doubt.
 */
struct outbox_mt *outbox_next_part(struct outbox *, int64_t now_ms);
/* Whether a long MT begun still has parts to send. */
int		 outbox_parts_pending(const struct outbox *);
/* The message id of part k of MT id is stored: part k + 1 may go. */
void		 outbox_part_stored(struct outbox *, int64_t id);
/*
 * MTs whose response is overdue go back to the queue, or are set aside
 * as unknown (see outbox_set_resend_unknown); returns how many.  A
 * middle part of a long MT always goes again (the phone keeps one copy
 * of a part of a message it has not completed) until max_attempts,
 * then the MT fails; the first and the last part are in doubt as a
 * single SMS is.
 */
int		 outbox_sweep(struct outbox *, int64_t now_ms,
		    int64_t timeout_ms);
/*
 * The link is gone: every MT in flight goes back to the head of the
 * queue, or is set aside as unknown.
 */
void		 outbox_requeue_inflight(struct outbox *);
int		 outbox_inflight_count(const struct outbox *);
/* When the oldest MT in flight was submitted (ms), or now_ms if none. */
int64_t		 outbox_oldest_inflight(const struct outbox *, int64_t now_ms);
size_t		 outbox_queued(const struct outbox *);
/* Whether the queue, in memory or in the store, holds anything. */
int		 outbox_has_work(const struct outbox *);
const struct outbox_stats *outbox_stats(const struct outbox *);

#endif
