/*
 * outbox.c: the in-memory side of the outbox.
 *
 * Three places an MT can be: the queue (in id order, never sent or sent
 * again after a lost link), the retry list (a temporary error, due again
 * at not_before) and the window (submitted, waiting for its response).
 * Memory only decides what to send next; the caller writes every
 * outcome to the store (from the store's thread: nothing here writes
 * to it, and it is read only when the caller says the store is free),
 * so losing memory (a crash) loses nothing: the pending rows are paged
 * in again at the next start.
 *
 * Reminders (priority 1 rows, remind.c) have a queue of their own, paged
 * from the store apart from the replies: a reply, a retry or an MT sent
 * again after a lost link always leaves before the next reminder, so a
 * reply never waits behind a million of them.  Reminders are not
 * expired by max_age: a large one takes hours to drain at the tps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "outbox.h"
#include "smpp_pdu.h"
#include "store.h"

#define OUTBOX_PAGE		1000	/* rows loaded from the store at once */
#define OUTBOX_THROTTLE_MS	1000	/* pause after ESME_RTHROTTLED */
#define OUTBOX_RETRY_MAX_MS	60000
#define OUTBOX_EXPIRED_MAX	256	/* expired ids kept for the caller */

TAILQ_HEAD(outbox_list, outbox_mt);

struct outbox {
	struct store		*st;
	int			 window;
	int			 max_attempts;
	struct outbox_list	 queue;
	struct outbox_list	 retry;
	struct outbox_list	 inflight;
	struct outbox_list	 held;		/* a part accepted, its id
						   not yet stored */
	int			 n_held;
	struct outbox_list	 bulk;		/* reminders, by id */
	size_t			 n_bulk;
	int64_t			 bulk_last_id;
	int			 bulk_more;	/* more of them in the store */
	int			 n_inflight;
	size_t			 n_queued;	/* queue + retry */
	int64_t			 last_loaded_id;
	int			 more_in_store;
	int64_t			 paused_until;	/* ms */
	int			 tps;		/* 0: no limit */
	int			 max_age;	/* s */
	double			 tokens;	/* submits allowed now */
	int64_t			 tokens_at;	/* ms of the last refill */
	struct outbox_stats	 stats;
	int			 may_load;	/* the store is ours now */
	int64_t			 expired[OUTBOX_EXPIRED_MAX];
	int			 n_expired;
	enum outbox_resend	 resend_unknown;
	int64_t			*unknown;	/* ids set aside, for the store */
	int			 n_unknown;
	int			 cap_unknown;
};

static double		 outbox_tokens(const struct outbox *, int64_t);
static int		 outbox_pace(struct outbox *, int64_t);
static struct outbox_mt	*outbox_mt_new(int64_t, const char *, const char *);
static void		 outbox_mt_resume(struct outbox_mt *,
			    const struct store_mt *);
static void		 outbox_mt_free(struct outbox_mt *);
static int		 outbox_load_cb(void *, const struct store_mt *);
static int		 outbox_status_temporary(uint32_t);
static int		 outbox_middle_part(const struct outbox_mt *);
static void		 outbox_set_aside(struct outbox *, struct outbox_mt *,
			    const char *);

struct outbox *
outbox_new(struct store *st, int window, int max_attempts)
{
	struct outbox	*ob;

	if ((ob = calloc(1, sizeof(*ob))) == NULL)
		fatal("outbox_new");
	ob->st = st;
	ob->window = window;
	ob->max_attempts = max_attempts;
	TAILQ_INIT(&ob->queue);
	TAILQ_INIT(&ob->retry);
	TAILQ_INIT(&ob->inflight);
	TAILQ_INIT(&ob->held);
	TAILQ_INIT(&ob->bulk);
	ob->more_in_store = 1;
	ob->bulk_more = 1;
	return ob;
}

void
outbox_free(struct outbox *ob)
{
	struct outbox_mt	*mt;

	if (ob == NULL)
		return;
	while ((mt = TAILQ_FIRST(&ob->queue)) != NULL) {
		TAILQ_REMOVE(&ob->queue, mt, entry);
		outbox_mt_free(mt);
	}
	while ((mt = TAILQ_FIRST(&ob->retry)) != NULL) {
		TAILQ_REMOVE(&ob->retry, mt, entry);
		outbox_mt_free(mt);
	}
	while ((mt = TAILQ_FIRST(&ob->inflight)) != NULL) {
		TAILQ_REMOVE(&ob->inflight, mt, entry);
		outbox_mt_free(mt);
	}
	while ((mt = TAILQ_FIRST(&ob->bulk)) != NULL) {
		TAILQ_REMOVE(&ob->bulk, mt, entry);
		outbox_mt_free(mt);
	}
	while ((mt = TAILQ_FIRST(&ob->held)) != NULL) {
		TAILQ_REMOVE(&ob->held, mt, entry);
		outbox_mt_free(mt);
	}
	free(ob->unknown);
	free(ob);
}

void
outbox_set_limits(struct outbox *ob, int window, int max_attempts)
{
	ob->window = window;
	ob->max_attempts = max_attempts;
}

void
outbox_set_pace(struct outbox *ob, int tps, int max_age)
{
	ob->tps = tps;
	ob->max_age = max_age;
	ob->tokens = 0;
	ob->tokens_at = 0;
}

const struct outbox_stats *
outbox_stats(const struct outbox *ob)
{
	return &ob->stats;
}

/*
 * Token bucket for [smpp] tps: refilled at tps per second, holding at
 * most a quarter second's worth (and at least one), so the rate is
 * smooth over a quarter second and exact over any longer span.  The
 * tokens there are at now_ms (tps > 0); a bucket never used is full.
 */
static double
outbox_tokens(const struct outbox *ob, int64_t now_ms)
{
	double	cap, tokens;

	cap = ob->tps / 4.0 < 1.0 ? 1.0 : ob->tps / 4.0;
	if (ob->tokens_at == 0)
		return cap;
	tokens = ob->tokens + (double)(now_ms - ob->tokens_at) * ob->tps /
	    1000.0;
	return tokens > cap ? cap : tokens;
}

/* May an MT go now under [smpp] tps?  The caller takes the token. */
static int
outbox_pace(struct outbox *ob, int64_t now_ms)
{
	if (ob->tps <= 0)
		return 1;
	ob->tokens = outbox_tokens(ob, now_ms);
	ob->tokens_at = now_ms;
	if (ob->tokens < 1.0) {
		ob->stats.paced++;
		return 0;
	}
	return 1;
}

int64_t
outbox_pace_wait(const struct outbox *ob, int64_t now_ms)
{
	double	tokens;

	if (ob->tps <= 0 || ob->n_queued + ob->n_bulk == 0 ||
	    ob->n_inflight >= ob->window || now_ms < ob->paused_until ||
	    (tokens = outbox_tokens(ob, now_ms)) >= 1.0)
		return -1;
	return (int64_t)((1.0 - tokens) * 1000.0 / ob->tps) + 1;
}

static struct outbox_mt *
outbox_mt_new(int64_t id, const char *dest, const char *text)
{
	struct outbox_mt	*mt;

	if ((mt = calloc(1, sizeof(*mt))) == NULL ||
	    (mt->text = strdup(text)) == NULL)
		fatal("outbox_mt_new");
	mt->id = id;
	snprintf(mt->dest, sizeof(mt->dest), "%s", dest);
	return mt;
}

static void
outbox_mt_free(struct outbox_mt *mt)
{
	free(mt->text);
	free(mt);
}

/*
 * A long MT that some part of had left before a restart goes on from
 * the first part the SMSC did not confirm: that one may go twice (a
 * phone keeps one copy of a part), the message is shown whole.
 */
static void
outbox_mt_resume(struct outbox_mt *mt, const struct store_mt *row)
{
	if (row->parts > 1 && row->parts_sent > 0 &&
	    row->parts_sent < row->parts) {
		mt->parts = row->parts;
		mt->via = row->via;
		mt->part = row->parts_sent;
		mt->attempts = 0;	/* the stored count is the MT's */
		log_info("mt_resume mt=%lld part=%d/%d", (long long)mt->id,
		    mt->part + 1, mt->parts);
	}
}

static int
outbox_load_cb(void *arg, const struct store_mt *row)
{
	struct outbox		*ob = arg;
	struct outbox_mt	*mt;

	mt = outbox_mt_new(row->id, row->dest, row->text);
	mt->attempts = row->attempts;
	mt->created_at = row->created_at;
	outbox_mt_resume(mt, row);
	TAILQ_INSERT_TAIL(&ob->queue, mt, entry);
	ob->n_queued++;
	ob->last_loaded_id = row->id;
	return 0;
}

int
outbox_load(struct outbox *ob)
{
	size_t	before = ob->n_queued;
	int	n;

	if (!ob->more_in_store)
		return 0;
	if (store_mt_pending(ob->st, ob->last_loaded_id, OUTBOX_PAGE,
	    outbox_load_cb, ob) != STORE_OK) {
		log_warnx("outbox_load_failed err=\"%s\"",
		    store_errmsg(ob->st));
		return -1;
	}
	n = (int)(ob->n_queued - before);
	ob->more_in_store = n == OUTBOX_PAGE;
	return n;
}

static int
outbox_bulk_cb(void *arg, const struct store_mt *row)
{
	struct outbox		*ob = arg;
	struct outbox_mt	*mt;

	mt = outbox_mt_new(row->id, row->dest, row->text);
	mt->attempts = row->attempts;
	outbox_mt_resume(mt, row);
	TAILQ_INSERT_TAIL(&ob->bulk, mt, entry);
	ob->n_bulk++;
	ob->bulk_last_id = row->id;
	return 0;
}

/* Page the next reminders in; the number loaded or -1. */
static int
outbox_bulk_load(struct outbox *ob)
{
	size_t	before = ob->n_bulk;
	int	n;

	if (store_remind_mt_pending(ob->st, ob->bulk_last_id, OUTBOX_PAGE,
	    outbox_bulk_cb, ob) != STORE_OK) {
		log_warnx("outbox_load_failed queue=reminders err=\"%s\"",
		    store_errmsg(ob->st));
		return -1;
	}
	n = (int)(ob->n_bulk - before);
	ob->bulk_more = n == OUTBOX_PAGE;
	return n;
}

void
outbox_bulk_more(struct outbox *ob)
{
	ob->bulk_more = 1;
}

int
outbox_bulk_withdraw(struct outbox *ob, const char *dest)
{
	struct outbox_mt	*mt, *next;
	int			 n = 0;

	for (mt = TAILQ_FIRST(&ob->bulk); mt != NULL; mt = next) {
		next = TAILQ_NEXT(mt, entry);
		if (strcmp(mt->dest, dest) != 0)
			continue;
		TAILQ_REMOVE(&ob->bulk, mt, entry);
		ob->n_bulk--;
		outbox_mt_free(mt);
		n++;
	}
	return n;
}

void
outbox_bulk_fill(struct outbox *ob)
{
	while (ob->bulk_more && ob->n_bulk < OUTBOX_PAGE)
		if (outbox_bulk_load(ob) <= 0)
			break;
}

void
outbox_push(struct outbox *ob, int64_t id, const char *dest,
    const char *text, int64_t created_at)
{
	struct outbox_mt	*mt;

	/* Rows beyond what was paged in are reached by the next page. */
	if (ob->more_in_store || id <= ob->last_loaded_id)
		return;
	/* TAILQ_INSERT_TAIL evaluates its element more than once. */
	mt = outbox_mt_new(id, dest, text);
	mt->created_at = created_at;
	TAILQ_INSERT_TAIL(&ob->queue, mt, entry);
	ob->n_queued++;
	ob->last_loaded_id = id;
}

/*
 * The next MT due, taken off its list; NULL when none is due.  With
 * begun_only, only the next part of a long MT begun (a retry, or the
 * head of the queue where a part stored goes): nothing new is paged in.
 */
static struct outbox_mt *
outbox_take(struct outbox *ob, int64_t now_ms, int begun_only)
{
	struct outbox_mt	*mt;

	TAILQ_FOREACH(mt, &ob->retry, entry)
		if (mt->not_before <= now_ms &&
		    (!begun_only || mt->part > 0)) {
			TAILQ_REMOVE(&ob->retry, mt, entry);
			ob->n_queued--;
			return mt;
		}
	if (!begun_only && TAILQ_EMPTY(&ob->queue) && ob->more_in_store &&
	    ob->may_load)
		outbox_load(ob);
	if ((mt = TAILQ_FIRST(&ob->queue)) != NULL &&
	    (!begun_only || mt->part > 0)) {
		TAILQ_REMOVE(&ob->queue, mt, entry);
		ob->n_queued--;
		return mt;
	}
	/* Replies first: a reminder only when none is waiting. */
	if (begun_only || ob->more_in_store)
		return NULL;
	if (TAILQ_EMPTY(&ob->bulk) && ob->bulk_more && ob->may_load)
		outbox_bulk_load(ob);
	if ((mt = TAILQ_FIRST(&ob->bulk)) != NULL) {
		TAILQ_REMOVE(&ob->bulk, mt, entry);
		ob->n_bulk--;
	}
	return mt;
}

/* outbox_next() and outbox_next_part(): begun_only as outbox_take(). */
static struct outbox_mt *
outbox_next_from(struct outbox *ob, int64_t now_ms, int may_load,
    int begun_only)
{
	struct outbox_mt	*mt;
	int64_t			 now = (int64_t)time(NULL);

	ob->may_load = may_load;
	if (ob->n_inflight >= ob->window || now_ms < ob->paused_until ||
	    ob->n_expired >= OUTBOX_EXPIRED_MAX || !outbox_pace(ob, now_ms))
		return NULL;
	while ((mt = outbox_take(ob, now_ms, begun_only)) != NULL) {
		/* A message half out is finished, however old. */
		if (ob->max_age <= 0 || mt->created_at == 0 || mt->part > 0 ||
		    now - mt->created_at <= ob->max_age)
			break;
		/* Too late to be useful: a reply about yesterday's report. */
		ob->stats.expired++;
		log_warnx("mt_expired mt=%lld age_s=%lld attempts=%d",
		    (long long)mt->id, (long long)(now - mt->created_at),
		    mt->attempts);
		ob->expired[ob->n_expired++] = mt->id;
		outbox_mt_free(mt);
		if (ob->n_expired == OUTBOX_EXPIRED_MAX)
			return NULL;	/* the caller drains them first */
	}
	if (mt != NULL && ob->tps > 0)
		ob->tokens -= 1.0;
	return mt;
}

struct outbox_mt *
outbox_next(struct outbox *ob, int64_t now_ms, int may_load)
{
	return outbox_next_from(ob, now_ms, may_load, 0);
}

void
outbox_inflight(struct outbox *ob, struct outbox_mt *mt, uint32_t seq,
    int64_t now_ms)
{
	mt->seq = seq;
	mt->sent_at = now_ms;
	mt->attempts++;
	TAILQ_INSERT_TAIL(&ob->inflight, mt, entry);
	ob->n_inflight++;
}

/* Statuses after which the same submit may succeed later. */
static int
outbox_status_temporary(uint32_t status)
{
	switch (status) {
	case SMPP_ESME_RTHROTTLED:
	case SMPP_ESME_RMSGQFUL:
	case SMPP_ESME_RX_T_APPN:
	case SMPP_ESME_RSYSERR:
	case SMPP_ESME_RINVCMDID:	/* generic_nack on a busy SMSC */
		return 1;
	default:
		return 0;
	}
}

/* Put mt on the retry list, due after a backoff growing with attempts. */
static void
outbox_retry_later(struct outbox *ob, struct outbox_mt *mt, int64_t now_ms)
{
	int64_t	delay = 1000;
	int	i;

	for (i = 1; i < mt->attempts && delay < OUTBOX_RETRY_MAX_MS; i++)
		delay *= 2;
	if (delay > OUTBOX_RETRY_MAX_MS)
		delay = OUTBOX_RETRY_MAX_MS;
	mt->not_before = now_ms + delay;
	TAILQ_INSERT_TAIL(&ob->retry, mt, entry);
	ob->n_queued++;
}

enum outbox_fate
outbox_resp(struct outbox *ob, uint32_t seq, uint32_t status,
    int64_t now_ms, struct outbox_outcome *out)
{
	struct outbox_mt	*mt;
	enum outbox_fate	 fate;

	memset(out, 0, sizeof(*out));
	TAILQ_FOREACH(mt, &ob->inflight, entry)
		if (mt->seq == seq)
			break;
	if (mt == NULL)
		return OUTBOX_UNKNOWN_SEQ;
	TAILQ_REMOVE(&ob->inflight, mt, entry);
	ob->n_inflight--;
	out->mt_id = mt->id;
	out->attempts = mt->attempts;
	out->parts = mt->parts > 1 ? mt->parts : 1;
	out->part = mt->parts > 1 ? mt->part + 1 : 1;
	out->via = mt->via;

	if (status == SMPP_ESME_ROK) {
		if (mt->part + 1 < mt->parts) {
			/* Held until its message id is stored. */
			mt->part++;
			mt->attempts = 0;
			TAILQ_INSERT_TAIL(&ob->held, mt, entry);
			ob->n_held++;
			return OUTBOX_PART_SENT;
		}
		outbox_mt_free(mt);
		return OUTBOX_SENT;
	}
	if (outbox_status_temporary(status) &&
	    mt->attempts < ob->max_attempts) {
		if (status == SMPP_ESME_RTHROTTLED ||
		    status == SMPP_ESME_RMSGQFUL)
			ob->paused_until = now_ms + OUTBOX_THROTTLE_MS;
		outbox_retry_later(ob, mt, now_ms);
		fate = OUTBOX_RETRY;
	} else {
		outbox_mt_free(mt);
		fate = OUTBOX_FAILED;
	}
	return fate;
}

struct outbox_mt *
outbox_next_part(struct outbox *ob, int64_t now_ms)
{
	return outbox_next_from(ob, now_ms, 0, 1);
}

int
outbox_parts_pending(const struct outbox *ob)
{
	const struct outbox_mt	*mt;

	if (ob->n_held > 0)
		return 1;
	TAILQ_FOREACH(mt, &ob->retry, entry)
		if (mt->part > 0)
			return 1;
	mt = TAILQ_FIRST(&ob->queue);
	return mt != NULL && mt->part > 0;
}

void
outbox_part_stored(struct outbox *ob, int64_t id)
{
	struct outbox_mt	*mt;

	TAILQ_FOREACH(mt, &ob->held, entry)
		if (mt->id == id)
			break;
	if (mt == NULL)
		return;
	/* The next part before anything else. */
	TAILQ_REMOVE(&ob->held, mt, entry);
	ob->n_held--;
	TAILQ_INSERT_HEAD(&ob->queue, mt, entry);
	ob->n_queued++;
}

/* A middle part of a long MT: in doubt, it goes again (see .h). */
static int
outbox_middle_part(const struct outbox_mt *mt)
{
	return mt->part > 0 && mt->part + 1 < mt->parts;
}

int
outbox_sweep(struct outbox *ob, int64_t now_ms, int64_t timeout_ms)
{
	struct outbox_mt	*mt, *next;
	int			 n = 0;

	for (mt = TAILQ_FIRST(&ob->inflight); mt != NULL; mt = next) {
		next = TAILQ_NEXT(mt, entry);
		if (now_ms - mt->sent_at < timeout_ms)
			continue;
		TAILQ_REMOVE(&ob->inflight, mt, entry);
		ob->n_inflight--;
		log_warnx("mt_timeout mt=%lld seq=%u attempts=%d part=%d/%d",
		    (long long)mt->id, mt->seq, mt->attempts, mt->part + 1,
		    mt->parts > 1 ? mt->parts : 1);
		if (outbox_middle_part(mt) && mt->attempts >= ob->max_attempts &&
		    ob->n_expired < OUTBOX_EXPIRED_MAX) {
			/* Failed by the caller, as an expired MT is. */
			log_warnx("mt_gave_up mt=%lld part=%d/%d attempts=%d",
			    (long long)mt->id, mt->part + 1, mt->parts,
			    mt->attempts);
			ob->expired[ob->n_expired++] = mt->id;
			outbox_mt_free(mt);
		} else if (ob->resend_unknown == OUTBOX_RESEND_ALWAYS ||
		    outbox_middle_part(mt))
			/* Half a message on the phone is worse than a part
			 * twice. */
			outbox_retry_later(ob, mt, now_ms);
		else
			outbox_set_aside(ob, mt, "response_timeout");
		n++;
	}
	return n;
}

void
outbox_requeue_inflight(struct outbox *ob)
{
	struct outbox_mt	*mt;

	/* Back to the head, keeping their order. */
	while ((mt = TAILQ_LAST(&ob->inflight, outbox_list)) != NULL) {
		TAILQ_REMOVE(&ob->inflight, mt, entry);
		ob->n_inflight--;
		if (ob->resend_unknown == OUTBOX_RESEND_NEVER &&
		    !outbox_middle_part(mt)) {
			outbox_set_aside(ob, mt, "link_lost");
			continue;
		}
		mt->attempts--;		/* never answered: not an attempt */
		TAILQ_INSERT_HEAD(&ob->queue, mt, entry);
		ob->n_queued++;
	}
}

void
outbox_set_resend_unknown(struct outbox *ob, enum outbox_resend resend)
{
	ob->resend_unknown = resend;
}

/*
 * mt was submitted and will never be answered: keep its id for the
 * store (state unknown) and forget it.  Out of memory, it stays pending
 * in the store and is sent again after a restart: a reply doubled
 * rather than lost.
 */
static void
outbox_set_aside(struct outbox *ob, struct outbox_mt *mt, const char *why)
{
	int64_t	*ids;
	int	 cap;

	ob->stats.unknown++;
	log_warnx("mt_unknown mt=%lld seq=%u attempts=%d why=%s",
	    (long long)mt->id, mt->seq, mt->attempts, why);
	if (ob->n_unknown == ob->cap_unknown) {
		cap = ob->cap_unknown ? ob->cap_unknown * 2 : 64;
		if ((ids = reallocarray(ob->unknown, (size_t)cap,
		    sizeof(*ids))) == NULL) {
			outbox_mt_free(mt);
			return;
		}
		ob->unknown = ids;
		ob->cap_unknown = cap;
	}
	ob->unknown[ob->n_unknown++] = mt->id;
	outbox_mt_free(mt);
}

int
outbox_unknown(struct outbox *ob, int64_t *ids, int max)
{
	int	n = ob->n_unknown < max ? ob->n_unknown : max;

	if (n == 0)
		return 0;
	memcpy(ids, ob->unknown, (size_t)n * sizeof(*ids));
	memmove(ob->unknown, ob->unknown + n,
	    (size_t)(ob->n_unknown - n) * sizeof(*ids));
	ob->n_unknown -= n;
	return n;
}

int
outbox_inflight_count(const struct outbox *ob)
{
	return ob->n_inflight;
}

int64_t
outbox_oldest_inflight(const struct outbox *ob, int64_t now_ms)
{
	const struct outbox_mt	*mt;
	int64_t			 oldest = now_ms;

	/* Retries go in at the tail with their new time: look at all. */
	TAILQ_FOREACH(mt, &ob->inflight, entry)
		if (mt->sent_at < oldest)
			oldest = mt->sent_at;
	return oldest;
}

size_t
outbox_queued(const struct outbox *ob)
{
	return ob->n_queued + ob->n_bulk;
}

int
outbox_expired(struct outbox *ob, int64_t *ids, int max)
{
	int	n = ob->n_expired < max ? ob->n_expired : max;

	memcpy(ids, ob->expired, (size_t)n * sizeof(*ids));
	memmove(ob->expired, ob->expired + n,
	    (size_t)(ob->n_expired - n) * sizeof(*ids));
	ob->n_expired -= n;
	return n;
}

int
outbox_has_work(const struct outbox *ob)
{
	return ob->n_queued > 0 || ob->more_in_store || ob->n_bulk > 0 ||
	    ob->bulk_more || ob->n_held > 0;
}
