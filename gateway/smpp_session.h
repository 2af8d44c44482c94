/*
 * smpp_session.h: pilard's link to the operator's SMSC, as an ESME.
 *
 * One session object lives as long as the daemon; it connects, binds as
 * a transceiver, keeps the link alive with enquire_link, reconnects with
 * exponential backoff and jitter, turns each deliver_sm into mo_handle()
 * and each outbox entry into a submit_sm.  Every deliver_sm of one read
 * is handled in one store transaction and acknowledged only after the
 * commit.
 */
#ifndef PILAR_SMPP_SESSION_H
#define PILAR_SMPP_SESSION_H

#include <stdint.h>

struct event_base;
struct config;
struct store;
struct smpp_session;

/* Counters for the operator (and later /metrics). */
struct smpp_session_stats {
	uint64_t	mo_received;
	uint64_t	mo_acked;
	uint64_t	mo_tempfail;	/* answered ESME_RX_T_APPN */
	uint64_t	mo_rejected;	/* malformed deliver_sm */
	uint64_t	mt_submitted;
	uint64_t	mt_sent;
	uint64_t	mt_retried;
	uint64_t	mt_failed;
	uint64_t	mt_unknown;	/* never answered: not resent */
	uint64_t	receipts;
	uint64_t	binds;
	uint64_t	link_losses;
};

/* cfg and st stay owned by the caller and must outlive the session. */
struct smpp_session *smpp_session_new(struct event_base *,
		    const struct config *, struct store *);
void		 smpp_session_free(struct smpp_session *);
/* Start connecting (at once). */
void		 smpp_session_start(struct smpp_session *);
/*
 * Graceful stop: no new submits, wait briefly for those in flight,
 * unbind, wait for unbind_resp, close; then call done(arg) once.
 */
void		 smpp_session_stop(struct smpp_session *,
		    void (*done)(void *), void *arg);
/*
 * The configuration behind cfg was replaced (SIGHUP).  When the link
 * settings changed, unbind and bind again with the new ones.
 */
void		 smpp_session_reconfigured(struct smpp_session *,
		    int link_changed);
const struct smpp_session_stats *smpp_session_stats(
		    const struct smpp_session *);
/* Whether the session is bound (for health reporting). */
int		 smpp_session_bound(const struct smpp_session *);

struct smpp_msg;
struct ussd;

/*
 * Store work of another part of pilard (USSD): run(arg, st, cfg) on the
 * store worker in the next batch's transaction (0, or -1 to have it
 * rolled back; it may run twice if the batch is retried, so it works
 * from its inputs), then done(arg, committed) on the loop once the
 * batch is settled.  The store is never touched on the loop.
 */
typedef int smpp_store_fn(void *arg, struct store *, const struct config *);
typedef void smpp_done_fn(void *arg, int committed);
void		 smpp_session_store_call(struct smpp_session *,
		    smpp_store_fn *run, smpp_done_fn *done, void *arg);
/* deliver_sm with ussd_service_op go to u (ussd.h). */
void		 smpp_session_set_ussd(struct smpp_session *, struct ussd *u);
/*
 * Send a submit_sm at once, outside the outbox, window and pace (a USSD
 * screen, never stored); its sequence number in *seq.  -1 when the link
 * is not bound or the message cannot be encoded.
 */
int		 smpp_session_submit_now(struct smpp_session *,
		    const struct smpp_msg *, uint32_t *seq);

#endif
