/*
 * metrics.h: what pilard counts for /metrics that the SMPP session does
 * not already count: MO by outcome, receipts by state, and how long a
 * companion waits for the reply to an MO.
 *
 * Loop thread only: the hooks are called where the session logs the
 * same events (smpp_session.c, smpp_submit.c, smpp_batch.c), and http.c
 * reads the counters on the same thread.  No locks, no allocation after
 * the first distinct outcomes.
 */
#ifndef PILAR_METRICS_H
#define PILAR_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct evbuffer;
struct progress;
struct smpp_session_stats;

/* Distinct MO outcome names kept; others are counted as "other". */
#define METRICS_OUTCOMES_MAX	48
#define METRICS_OUTCOME_LEN	31
/* Receipt states: SMPP message_state 0..8 (others are counted as 0). */
#define METRICS_RECEIPT_STATES	9
/*
 * Upper bounds of the reply latency histogram, in milliseconds; the
 * last bucket, +Inf, is implicit.
 */
#define METRICS_LATENCY_BUCKETS	14

struct metrics_outcome {
	char		name[METRICS_OUTCOME_LEN + 1];
	uint64_t	count;
};

/* USSD dialogues by channel (smpp, http) and how they ended. */
#define METRICS_USSD_VIAS	2
#define METRICS_USSD_ENDS	6	/* done timeout aborted reopened
					   store_failed other */

struct metrics {
	struct metrics_outcome	outcomes[METRICS_OUTCOMES_MAX];
	size_t			n_outcomes;
	uint64_t		outcome_other;		/* past the table */
	uint64_t		receipts[METRICS_RECEIPT_STATES];
	uint64_t		latency_le[METRICS_LATENCY_BUCKETS]; /* not
							 * cumulative */
	uint64_t		latency_inf;		/* above the last */
	uint64_t		latency_count;
	uint64_t		latency_sum_ms;
	uint64_t		latency_untracked;	/* replies sent whose
							 * MO time was lost */
	uint64_t		ussd_ended[METRICS_USSD_VIAS]
				    [METRICS_USSD_ENDS];
};

extern const int	metrics_latency_bounds_ms[METRICS_LATENCY_BUCKETS];

/*
 * Hooks, on the loop thread.  A deliver_sm with sequence number seq has
 * just been read (smpp_session.c).
 */
void	metrics_mo_arrived(uint32_t seq);
/*
 * The MO of deliver_sm seq is stored and answered with outcome (mo.c's
 * word); mt_id is its reply's outbox row, 0 when none (smpp_batch.c).
 */
void	metrics_mo(const char *outcome, uint32_t seq, int64_t mt_id);
/* A delivery receipt with this SMPP message_state was stored. */
void	metrics_receipt(int state);
/* The SMSC accepted MT mt_id (submit_sm_resp ESME_ROK). */
void	metrics_mt_sent(int64_t mt_id);
/* A USSD dialogue ended: via "smpp" or "http", why as ussd.c logs it. */
void	metrics_ussd_end(const char *via, const char *why);

/* The counters so far (for http.c and the tests). */
const struct metrics *metrics_get(void);

/*
 * Append a Prometheus label value to buf, escaped as the text format
 * 0.0.4 asks (backslash, double quote, newline).
 */
void	metrics_label(struct evbuffer *, const char *);
/* What else /metrics shows, gathered by http.c on the loop thread. */
struct metrics_sources {
	const struct smpp_session_stats	*smpp;
	int				 bound;		/* link state */
	long				 ckpt_runs;	/* store_checkpoint_ */
	long				 ckpt_failures;	/* stats() */
	const struct progress		*snap;		/* NULL: none yet */
	uint64_t			 snap_errors;	/* failed reads */
	uint64_t			 http_bad;	/* 4xx answered */
	int				 has_ussd;	/* USSD served */
	size_t				 ussd_active;	/* dialogues open */
};

/* Append every family of /metrics in the Prometheus text format 0.0.4. */
void	metrics_write(struct evbuffer *, const struct metrics_sources *);

#endif
