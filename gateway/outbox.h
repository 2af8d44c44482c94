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

struct outbox_mt {
	TAILQ_ENTRY(outbox_mt)	 entry;
	int64_t			 id;		/* outbox row */
	int			 attempts;	/* submits so far */
	int64_t			 not_before;	/* ms, monotonic */
	uint32_t		 seq;		/* while in flight */
	int64_t			 sent_at;	/* ms, monotonic */
	int64_t			 created_at;	/* s, wall clock */
	char			 dest[STORE_PHONE_MAX + 1];
	char			*text;		/* From malloc() */
};

/* What became of an MT after its response, for the session's log line. */
enum outbox_fate {
	OUTBOX_UNKNOWN_SEQ = 0,	/* no MT in flight had this seq */
	OUTBOX_SENT,		/* accepted by the SMSC */
	OUTBOX_RETRY,		/* temporary error: sent again later */
	OUTBOX_FAILED		/* permanent error or attempts exhausted */
};

/* Counters for the operator. */
struct outbox_stats {
	uint64_t	expired;	/* failed for max_age */
	uint64_t	paced;		/* times the tps limit held a submit */
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
 * Page pending rows from the store into memory (at start, and whenever
 * the queue runs dry while rows remain).  Returns the number loaded or -1.
 */
int		 outbox_load(struct outbox *);
/* An MT just committed by mo_handle(); copies dest and text. */
void		 outbox_push(struct outbox *, int64_t id, const char *dest,
		    const char *text, int64_t created_at);
/*
 * The next MT to submit at now_ms, or NULL when the window is full,
 * sending is paused (throttled) or nothing is due.  The caller submits it
 * and calls outbox_inflight() with the seq it used.  may_load says
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
 * the caller writes to the store; *mt_id and *attempts tell which MT it
 * was.
 */
enum outbox_fate outbox_resp(struct outbox *, uint32_t seq, uint32_t status,
		    const char *message_id, int64_t now_ms, int64_t *mt_id,
		    int *attempts);
/* Move MTs whose response is overdue back to the queue; returns how many. */
int		 outbox_sweep(struct outbox *, int64_t now_ms,
		    int64_t timeout_ms);
/* The link is gone: every MT in flight goes back to the head of the queue. */
void		 outbox_requeue_inflight(struct outbox *);
int		 outbox_inflight_count(const struct outbox *);
size_t		 outbox_queued(const struct outbox *);
/* Whether the queue, in memory or in the store, holds anything. */
int		 outbox_has_work(const struct outbox *);
const struct outbox_stats *outbox_stats(const struct outbox *);

#endif
