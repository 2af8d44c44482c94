/*
 * metrics.c: counters of the loop thread for /metrics.
 *
 * The reply latency runs from the read of an MO's deliver_sm to the
 * submit_sm_resp ESME_ROK of its reply.  Two rings carry the start time
 * across: one by deliver_sm sequence number (until the batch that
 * stores the MO is answered, a few milliseconds), one by outbox row
 * (until the SMSC accepts the reply: seconds, or hours while the link
 * is down).  Sequence numbers and row ids grow, so a ring indexed by
 * their low bits keeps the latest METRICS_TRACK of each without a
 * search; an older entry overwritten, or a reply queued before a
 * restart, is counted as untracked rather than guessed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "metrics.h"
#include "progress.h"
#include "receipt.h"
#include "smpp_session.h"

#define METRICS_TRACK	4096		/* entries per ring, power of 2 */

struct metrics_seen {
	int64_t		key;		/* seq or mt id */
	int64_t		at_ms;		/* monotonic; 0: empty */
};

const int metrics_latency_bounds_ms[METRICS_LATENCY_BUCKETS] = {
	100, 250, 500, 1000, 2000, 5000, 10000, 30000, 60000, 120000,
	300000, 900000, 3600000, 21600000
};

static const char *const	metrics_categories[] = { "SM", "AL", "PK" };
static struct metrics		metrics;
static struct metrics_seen	metrics_by_seq[METRICS_TRACK];
static struct metrics_seen	metrics_by_mt[METRICS_TRACK];

static int64_t	metrics_now_ms(void);
static void	metrics_observe(int64_t);
static void	metrics_one(struct evbuffer *, const char *, const char *,
		    const char *, unsigned long long);
static void	metrics_write_store(struct evbuffer *, const struct progress *);
static void	metrics_write_ussd(struct evbuffer *,
		    const struct metrics_sources *);

static int64_t
metrics_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* Never 0, which marks an empty slot. */
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 1;
}

void
metrics_mo_arrived(uint32_t seq)
{
	struct metrics_seen	*e = &metrics_by_seq[seq % METRICS_TRACK];

	e->key = seq;
	e->at_ms = metrics_now_ms();
}

/*
 * Count the outcome under its own name while the table has room (mo.c
 * has about twenty), and move the MO's start time on to its reply.
 */
void
metrics_mo(const char *outcome, uint32_t seq, int64_t mt_id)
{
	struct metrics_seen	*e = &metrics_by_seq[seq % METRICS_TRACK];
	struct metrics_seen	*m;
	int64_t			 at = 0;
	size_t			 i;

	if (outcome == NULL || *outcome == '\0')
		outcome = "none";
	for (i = 0; i < metrics.n_outcomes; i++)
		if (strcmp(metrics.outcomes[i].name, outcome) == 0)
			break;
	if (i == metrics.n_outcomes && i < METRICS_OUTCOMES_MAX &&
	    strlen(outcome) <= METRICS_OUTCOME_LEN) {
		snprintf(metrics.outcomes[i].name,
		    sizeof(metrics.outcomes[i].name), "%s", outcome);
		metrics.n_outcomes++;
	}
	if (i < metrics.n_outcomes)
		metrics.outcomes[i].count++;
	else
		metrics.outcome_other++;

	if (e->at_ms != 0 && e->key == (int64_t)seq) {
		at = e->at_ms;
		e->at_ms = 0;
	}
	if (mt_id <= 0)
		return;
	m = &metrics_by_mt[(uint64_t)mt_id % METRICS_TRACK];
	m->key = mt_id;
	m->at_ms = at;
}

void
metrics_receipt(int state)
{
	if (state < 0 || state >= METRICS_RECEIPT_STATES)
		state = 0;
	metrics.receipts[state]++;
}

void
metrics_mt_sent(int64_t mt_id)
{
	struct metrics_seen	*m;

	if (mt_id <= 0)
		return;
	m = &metrics_by_mt[(uint64_t)mt_id % METRICS_TRACK];
	if (m->key != mt_id || m->at_ms == 0) {
		metrics.latency_untracked++;
		return;
	}
	metrics_observe(metrics_now_ms() - m->at_ms);
	m->key = 0;
	m->at_ms = 0;
}

static const char *const metrics_ussd_vias[METRICS_USSD_VIAS] = {
	"smpp", "http"
};
static const char *const metrics_ussd_ends[METRICS_USSD_ENDS] = {
	"done", "timeout", "aborted", "reopened", "store_failed", "other"
};

void
metrics_ussd_end(const char *via, const char *why)
{
	int	v, e;

	v = strcmp(via, "http") == 0;
	for (e = 0; e < METRICS_USSD_ENDS - 1; e++)
		if (strcmp(why, metrics_ussd_ends[e]) == 0)
			break;
	metrics.ussd_ended[v][e]++;
}

/* One latency in milliseconds into its bucket. */
static void
metrics_observe(int64_t ms)
{
	int	i;

	if (ms < 0)
		ms = 0;
	metrics.latency_count++;
	metrics.latency_sum_ms += (uint64_t)ms;
	for (i = 0; i < METRICS_LATENCY_BUCKETS; i++)
		if (ms <= metrics_latency_bounds_ms[i]) {
			metrics.latency_le[i]++;
			return;
		}
	metrics.latency_inf++;
}

const struct metrics *
metrics_get(void)
{
	return &metrics;
}

void
metrics_label(struct evbuffer *buf, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			evbuffer_add(buf, "\\\\", 2);
		else if (*s == '"')
			evbuffer_add(buf, "\\\"", 2);
		else if (*s == '\n')
			evbuffer_add(buf, "\\n", 2);
		else
			evbuffer_add(buf, s, 1);
	}
}

/* A family of one sample: HELP, TYPE and the value. */
static void
metrics_one(struct evbuffer *buf, const char *name, const char *type,
    const char *help, unsigned long long v)
{
	evbuffer_add_printf(buf, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name,
	    help, name, type, name, v);
}

/* The families read from the store's snapshot (progress.c). */
static void
metrics_write_store(struct evbuffer *buf, const struct progress *p)
{
	unsigned long long	 grad[3] = { 0, 0, 0 }, visits = 0, reached = 0;
	size_t			 i;
	int			 c;

	for (i = 0; i < p->n_rows; i++) {
		for (c = 0; c < 3; c++)
			grad[c] += (unsigned long long)p->rows[i].grad[c];
		visits += (unsigned long long)p->rows[i].visits;
		if (p->rows[i].active && p->rows[i].counted >= p->target)
			reached++;
	}
	evbuffer_add_printf(buf,
	    "# HELP pilar_graduations_this_year Active graduation records of "
	    "this year (each companion's zone), by category.\n"
	    "# TYPE pilar_graduations_this_year gauge\n");
	for (c = 0; c < 3; c++)
		evbuffer_add_printf(buf, "pilar_graduations_this_year"
		    "{category=\"%s\"} %llu\n", metrics_categories[c], grad[c]);
	metrics_one(buf, "pilar_visits_this_year", "gauge", "Active visit "
	    "records of this year (each companion's zone).", visits);
	evbuffer_add_printf(buf,
	    "# HELP pilar_companions Companions on the roster.\n"
	    "# TYPE pilar_companions gauge\n"
	    "pilar_companions{state=\"active\"} %zu\n"
	    "pilar_companions{state=\"inactive\"} %zu\n",
	    p->n_active, p->n_rows - p->n_active);
	metrics_one(buf, "pilar_companions_target_reached", "gauge",
	    "Active companions whose counted graduations this year reach "
	    "[program] yearly_target.", reached);
	metrics_one(buf, "pilar_outbox_pending", "gauge", "Replies waiting "
	    "in the outbox to be accepted by the SMSC.",
	    (unsigned long long)p->outbox_pending);
	evbuffer_add_printf(buf,
	    "# HELP pilar_store_snapshot_age_seconds Age of the store figures "
	    "above.\n"
	    "# TYPE pilar_store_snapshot_age_seconds gauge\n"
	    "pilar_store_snapshot_age_seconds %.3f\n"
	    "# HELP pilar_store_snapshot_read_seconds Time the last read of "
	    "those figures took.\n"
	    "# TYPE pilar_store_snapshot_read_seconds gauge\n"
	    "pilar_store_snapshot_read_seconds %.3f\n",
	    (double)(metrics_now_ms() - 1 - p->taken_ms) / 1000.0,
	    p->took_ms / 1000.0);
}

void
metrics_write(struct evbuffer *buf, const struct metrics_sources *src)
{
	const struct smpp_session_stats	*st = src->smpp;
	uint64_t			 cum;
	size_t				 i;
	int				 k;

	metrics_one(buf, "pilar_deliver_sm_total", "counter", "deliver_sm "
	    "received: messages and delivery receipts.",
	    (unsigned long long)st->mo_received);
	metrics_one(buf, "pilar_mo_rejected_total", "counter", "deliver_sm "
	    "refused as malformed (ESME_RX_P_APPN).",
	    (unsigned long long)st->mo_rejected);
	metrics_one(buf, "pilar_mo_tempfail_total", "counter", "MO not "
	    "stored, answered ESME_RX_T_APPN for the SMSC to deliver again.",
	    (unsigned long long)st->mo_tempfail);
	evbuffer_add_printf(buf,
	    "# HELP pilar_mo_total MO stored and answered, by the outcome "
	    "the log line names.\n"
	    "# TYPE pilar_mo_total counter\n");
	for (i = 0; i < metrics.n_outcomes; i++) {
		evbuffer_add_printf(buf, "pilar_mo_total{outcome=\"");
		metrics_label(buf, metrics.outcomes[i].name);
		evbuffer_add_printf(buf, "\"} %llu\n",
		    (unsigned long long)metrics.outcomes[i].count);
	}
	if (metrics.outcome_other > 0)
		evbuffer_add_printf(buf, "pilar_mo_total{outcome=\"other\"} "
		    "%llu\n", (unsigned long long)metrics.outcome_other);

	metrics_one(buf, "pilar_mt_submitted_total", "counter", "submit_sm "
	    "written, retries included.",
	    (unsigned long long)st->mt_submitted);
	evbuffer_add_printf(buf,
	    "# HELP pilar_mt_total Replies answered by the SMSC (or timed "
	    "out), by what became of them.\n"
	    "# TYPE pilar_mt_total counter\n"
	    "pilar_mt_total{fate=\"sent\"} %llu\n"
	    "pilar_mt_total{fate=\"retried\"} %llu\n"
	    "pilar_mt_total{fate=\"failed\"} %llu\n"
	    "pilar_mt_total{fate=\"unknown\"} %llu\n",
	    (unsigned long long)st->mt_sent,
	    (unsigned long long)st->mt_retried,
	    (unsigned long long)st->mt_failed,
	    (unsigned long long)st->mt_unknown);
	evbuffer_add_printf(buf,
	    "# HELP pilar_receipts_total Delivery receipts stored, by the "
	    "state the SMSC reported.\n"
	    "# TYPE pilar_receipts_total counter\n");
	for (k = 0; k < METRICS_RECEIPT_STATES; k++)
		evbuffer_add_printf(buf, "pilar_receipts_total{state=\"%s\"} "
		    "%llu\n", receipt_state_name((enum receipt_state)k),
		    (unsigned long long)metrics.receipts[k]);

	evbuffer_add_printf(buf,
	    "# HELP pilar_reply_latency_seconds From the deliver_sm of an MO "
	    "to the SMSC's acceptance of its reply.\n"
	    "# TYPE pilar_reply_latency_seconds histogram\n");
	for (cum = 0, k = 0; k < METRICS_LATENCY_BUCKETS; k++) {
		cum += metrics.latency_le[k];
		evbuffer_add_printf(buf,
		    "pilar_reply_latency_seconds_bucket{le=\"%g\"} %llu\n",
		    metrics_latency_bounds_ms[k] / 1000.0,
		    (unsigned long long)cum);
	}
	evbuffer_add_printf(buf,
	    "pilar_reply_latency_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "pilar_reply_latency_seconds_sum %.3f\n"
	    "pilar_reply_latency_seconds_count %llu\n",
	    (unsigned long long)metrics.latency_count,
	    metrics.latency_sum_ms / 1000.0,
	    (unsigned long long)metrics.latency_count);
	evbuffer_add_printf(buf,
	    "# HELP pilar_reply_latency_untracked_total Replies accepted "
	    "whose MO time was not known (queued before a restart).\n"
	    "# TYPE pilar_reply_latency_untracked_total counter\n"
	    "pilar_reply_latency_untracked_total %llu\n",
	    (unsigned long long)metrics.latency_untracked);
	metrics_one(buf, "pilar_smpp_bound", "gauge", "1 while the SMPP "
	    "link is bound, 0 otherwise.", (unsigned long long)src->bound);
	metrics_one(buf, "pilar_smpp_binds_total", "counter", "Successful "
	    "binds: the first, and one per reconnect.",
	    (unsigned long long)st->binds);
	metrics_one(buf, "pilar_smpp_link_losses_total", "counter", "Bound "
	    "links that were lost.", (unsigned long long)st->link_losses);
	metrics_one(buf, "pilar_store_checkpoints_total", "counter", "WAL "
	    "checkpoints run by the store's checkpoint thread.",
	    (unsigned long long)src->ckpt_runs);
	metrics_one(buf, "pilar_store_checkpoint_failures_total", "counter",
	    "WAL checkpoints that failed.",
	    (unsigned long long)src->ckpt_failures);
	metrics_one(buf, "pilar_store_snapshot_errors_total", "counter",
	    "Reads of the store figures that failed.",
	    (unsigned long long)src->snap_errors);
	metrics_one(buf, "pilar_http_bad_requests_total", "counter",
	    "HTTP requests answered 400, 403, 404 or 405.",
	    (unsigned long long)src->http_bad);
	if (src->has_ussd)
		metrics_write_ussd(buf, src);
	if (src->snap != NULL)
		metrics_write_store(buf, src->snap);
}

/* The USSD families: dialogues open now, and ended by channel and why. */
static void
metrics_write_ussd(struct evbuffer *buf, const struct metrics_sources *src)
{
	int	v, e;

	metrics_one(buf, "pilar_ussd_sessions_active", "gauge", "USSD "
	    "dialogues open now.", (unsigned long long)src->ussd_active);
	evbuffer_add_printf(buf,
	    "# HELP pilar_ussd_sessions_total USSD dialogues ended, by "
	    "channel and how: done (a report or answer), timeout, aborted "
	    "by the network, reopened by the phone, store_failed.\n"
	    "# TYPE pilar_ussd_sessions_total counter\n");
	for (v = 0; v < METRICS_USSD_VIAS; v++)
		for (e = 0; e < METRICS_USSD_ENDS; e++)
			evbuffer_add_printf(buf, "pilar_ussd_sessions_total"
			    "{via=\"%s\",end=\"%s\"} %llu\n",
			    metrics_ussd_vias[v], metrics_ussd_ends[e],
			    (unsigned long long)metrics.ussd_ended[v][e]);
}
