/*
 * smpp_session.c: the ESME side of one SMPP link, on libevent.
 *
 * States (every change goes through smpp_session_enter() and is logged):
 *
 *	IDLE -> CONNECTING -> BINDING -> BOUND -> UNBINDING -> IDLE ...
 *	                                       \-> STOPPED (after stop)
 *
 * A periodic tick drives every timer: bind timeout, enquire_link,
 * idle link, response timeouts of submits, the drain before unbind.
 * Each PDU read is dispatched from here: what the SMSC sends goes to
 * smpp_deliver.c, the answers to submits to smpp_submit.c, which also
 * submits the outbox's MTs.
 *
 * Durability: deliver_sm read in one pass are handled inside one store
 * transaction, a savepoint each; their deliver_sm_resp are queued and
 * written only after the commit, ESME_ROK for those stored,
 * ESME_RX_T_APPN (the SMSC retries) for those that were not
 * (smpp_batch.c).
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "config.h"
#include "flood.h"
#include "log.h"
#include "metrics.h"
#include "outbox.h"
#include "sendlog.h"
#include "smpp_frame.h"
#include "smpp_pdu.h"
#include "smpp_internal.h"
#include "smpp_session.h"

#define SMPP_TICK_MS		250
#define SMPP_DRAIN_MS		3000	/* wait for in-flight submits */
#define SMPP_UNBIND_MS		5000	/* wait for unbind_resp */
#define SMPP_AUTH_BACKOFF_S	300	/* after a refused password */

static const char *const smpp_state_names[] = {
	"idle", "connecting", "binding", "bound", "unbinding", "stopped"
};

static void	smpp_session_enter(struct smpp_session *, enum smpp_state);
static void	smpp_session_connect(struct smpp_session *);
static void	smpp_session_close(struct smpp_session *, const char *);
static void	smpp_session_schedule_reconnect(struct smpp_session *, int);
static void	smpp_session_send_header(struct smpp_session *, uint32_t,
		    uint32_t, uint32_t);
static void	smpp_session_send_bind(struct smpp_session *);
static void	smpp_session_send_unbind(struct smpp_session *);
static void	smpp_session_dispatch(struct smpp_session *, const uint8_t *,
		    size_t);
static void	smpp_session_response(struct smpp_session *,
		    const struct smpp_header *, const uint8_t *, size_t);
static void	smpp_session_read_cb(struct bufferevent *, void *);
static void	smpp_session_event_cb(struct bufferevent *, short, void *);
static void	smpp_session_drained_cb(struct bufferevent *, void *);
static void	smpp_session_tick_cb(evutil_socket_t, short, void *);
static void	smpp_session_reconnect_cb(evutil_socket_t, short, void *);

int64_t
smpp_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct smpp_session *
smpp_session_new(struct event_base *base, const struct config *cfg,
    struct store *st)
{
	struct smpp_session	*s;
	struct timeval		 tv = { 0, SMPP_TICK_MS * 1000 };

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("smpp_session_new");
	s->base = base;
	s->cfg = cfg;
	s->st = st;
	s->ob = outbox_new(st, cfg->smpp_window, cfg->smpp_max_attempts);
	outbox_set_pace(s->ob, cfg->smpp_tps, cfg->smpp_max_age);
	outbox_set_resend_unknown(s->ob,
	    (enum outbox_resend)cfg->smpp_resend_unknown);
	s->flood = flood_new(0);
	smpp_batch_init(s);
	s->next_seq = 1;
	s->backoff_ms = cfg->smpp_reconnect_min * 1000;
	s->rxbuf_size = 65536 + 1;	/* the largest max_pdu allowed */
	if ((s->rxbuf = malloc(s->rxbuf_size)) == NULL)
		fatal("smpp_session_new");
	s->ev_tick = event_new(base, -1, EV_PERSIST, smpp_session_tick_cb, s);
	s->ev_reconnect = evtimer_new(base, smpp_session_reconnect_cb, s);
	s->ev_pace = evtimer_new(base, smpp_session_pace_cb, s);
	if (s->ev_tick == NULL || s->ev_reconnect == NULL ||
	    s->ev_pace == NULL)
		fatalx("smpp_session_new: event_new failed");
	event_add(s->ev_tick, &tv);
	s->state = SMPP_S_IDLE;
	s->state_since = smpp_now_ms();
	return s;
}

void
smpp_session_free(struct smpp_session *s)
{
	if (s == NULL)
		return;
	/* First the worker: a batch it still holds is answered (into a
	 * closed link, if so) and its replies reach the outbox. */
	smpp_batch_free(s);
	if (s->bev != NULL)
		bufferevent_free(s->bev);
	event_free(s->ev_tick);
	event_free(s->ev_reconnect);
	event_free(s->ev_pace);
	outbox_free(s->ob);
	sendlog_close(s->sendlog);
	flood_free(s->flood);
	free(s->rxbuf);
	free(s);
}

const struct smpp_session_stats *
smpp_session_stats(const struct smpp_session *s)
{
	return &s->stats;
}

int
smpp_session_bound(const struct smpp_session *s)
{
	return s->state == SMPP_S_BOUND;
}

/* Every state change passes here, so the log shows the link's story. */
static void
smpp_session_enter(struct smpp_session *s, enum smpp_state to)
{
	if (s->state == to)
		return;
	log_info("smpp_state link=%u from=%s to=%s", s->link_id,
	    smpp_state_names[s->state], smpp_state_names[to]);
	s->state = to;
	s->state_since = smpp_now_ms();
}

void
smpp_session_start(struct smpp_session *s)
{
	smpp_session_recover(s);
	if (outbox_load(s->ob) > 0)
		log_info("outbox_loaded queued=%zu", outbox_queued(s->ob));
	smpp_session_connect(s);
}

/* Resolve and connect; failures count as a lost link (backoff). */
static void
smpp_session_connect(struct smpp_session *s)
{
	struct addrinfo	 hints, *res = NULL;
	char		 port[16];
	int		 rc;

	s->link_id++;
	s->relink = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", s->cfg->smpp_port);
	log_info("smpp_connect link=%u host=%s port=%s", s->link_id,
	    s->cfg->smpp_host, port);
	if ((rc = getaddrinfo(s->cfg->smpp_host, port, &hints, &res)) != 0) {
		log_warnx("smpp_connect_failed link=%u host=%s err=\"%s\"",
		    s->link_id, s->cfg->smpp_host, gai_strerror(rc));
		smpp_session_schedule_reconnect(s, 0);
		return;
	}
	s->bev = bufferevent_socket_new(s->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL)
		fatalx("bufferevent_socket_new failed");
	bufferevent_setcb(s->bev, smpp_session_read_cb, NULL,
	    smpp_session_event_cb, s);
	/* Bound what one read may pile up; the callback drains it all. */
	bufferevent_setwatermark(s->bev, EV_READ, 0, 256 * 1024);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	smpp_session_enter(s, SMPP_S_CONNECTING);
	if (bufferevent_socket_connect(s->bev, res->ai_addr,
	    (int)res->ai_addrlen) == -1) {
		freeaddrinfo(res);
		smpp_session_close(s, "connect failed");
		return;
	}
	freeaddrinfo(res);
}

/*
 * Drop the connection.  In-flight submits go back to the queue (their
 * rows are still pending), then either the stop completes or a
 * reconnect is scheduled.
 */
static void
smpp_session_close(struct smpp_session *s, const char *why)
{
	int	was_bound = s->state == SMPP_S_BOUND ||
	    s->state == SMPP_S_UNBINDING;

	if (s->bev != NULL) {
		bufferevent_free(s->bev);
		s->bev = NULL;
	}
	s->enquire_seq = 0;
	outbox_requeue_inflight(s->ob);
	if (s->state != SMPP_S_IDLE && s->state != SMPP_S_STOPPED) {
		log_info("smpp_closed link=%u reason=\"%s\" queued=%zu",
		    s->link_id, why, outbox_queued(s->ob));
		if (was_bound)
			s->stats.link_losses++;
	}
	if (s->stopping) {
		smpp_session_enter(s, SMPP_S_STOPPED);
		event_del(s->ev_reconnect);
		if (s->stop_done != NULL) {
			void	(*done)(void *) = s->stop_done;

			s->stop_done = NULL;
			done(s->stop_arg);
		}
		return;
	}
	smpp_session_enter(s, SMPP_S_IDLE);
	smpp_session_schedule_reconnect(s, s->relink);
}

/*
 * Exponential backoff with jitter: the delay doubles from reconnect_min
 * to reconnect_max and each wait is drawn from [delay/2, delay], so many
 * gateways do not hammer a recovering SMSC in step.  A refused password
 * waits long: it will not fix itself.
 */
static void
smpp_session_schedule_reconnect(struct smpp_session *s, int now)
{
	struct timeval	tv;
	int64_t		ms;

	if (now)
		ms = 0;
	else if (s->worked) {
		/*
		 * A link that carried traffic and broke: the SMSC is up,
		 * come back at once (a little jitter); backing off is for
		 * links that fail before doing any work.
		 */
		ms = random() % 101;
		s->worked = 0;
	} else if (s->auth_failed) {
		ms = (int64_t)(s->cfg->smpp_reconnect_max > SMPP_AUTH_BACKOFF_S
		    ? s->cfg->smpp_reconnect_max : SMPP_AUTH_BACKOFF_S) * 1000;
		s->auth_failed = 0;
	} else {
		ms = s->backoff_ms / 2 + random() % (s->backoff_ms / 2 + 1);
		s->backoff_ms *= 2;
		if (s->backoff_ms > s->cfg->smpp_reconnect_max * 1000)
			s->backoff_ms = s->cfg->smpp_reconnect_max * 1000;
	}
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	log_info("smpp_reconnect_in link=%u ms=%lld", s->link_id,
	    (long long)ms);
	evtimer_add(s->ev_reconnect, &tv);
}

static void
smpp_session_reconnect_cb(evutil_socket_t fd, short what, void *arg)
{
	struct smpp_session	*s = arg;

	(void)fd;
	(void)what;
	if (s->state == SMPP_S_IDLE && !s->stopping)
		smpp_session_connect(s);
}

/* Sequence numbers run 1..0x7FFFFFFF and wrap to 1. */
uint32_t
smpp_session_seq(struct smpp_session *s)
{
	uint32_t	seq = s->next_seq;

	s->next_seq = seq >= 0x7FFFFFFFu ? 1 : seq + 1;
	return seq;
}

void
smpp_session_write(struct smpp_session *s, const uint8_t *buf, int len)
{
	if (s->bev == NULL || len <= 0)
		return;
	if (bufferevent_write(s->bev, buf, (size_t)len) == -1)
		log_warnx("smpp_write_failed link=%u len=%d", s->link_id, len);
}

static void
smpp_session_send_header(struct smpp_session *s, uint32_t command_id,
    uint32_t status, uint32_t seq)
{
	uint8_t	buf[SMPP_HEADER_LEN + 1];
	int	n;

	n = smpp_pdu_encode_header(buf, sizeof(buf), command_id, status, seq);
	if (n == -1) {
		log_warnx("smpp_encode_failed link=%u cmd=%s seq=%u",
		    s->link_id, smpp_pdu_command_name(command_id), seq);
		return;
	}
	smpp_session_write(s, buf, n);
}

static void
smpp_session_send_bind(struct smpp_session *s)
{
	struct smpp_bind	b;
	uint8_t			buf[256];
	int			n;

	memset(&b, 0, sizeof(b));
	snprintf(b.system_id, sizeof(b.system_id), "%s",
	    s->cfg->smpp_system_id);
	snprintf(b.password, sizeof(b.password), "%s", s->cfg->smpp_password);
	snprintf(b.system_type, sizeof(b.system_type), "%s",
	    s->cfg->smpp_system_type);
	b.interface_version = 0x34;
	s->bind_seq = smpp_session_seq(s);
	n = smpp_pdu_encode_bind(buf, sizeof(buf), SMPP_BIND_TRANSCEIVER,
	    s->bind_seq, &b);
	if (n == -1) {
		smpp_session_close(s, "cannot encode bind");
		return;
	}
	smpp_session_write(s, buf, n);
	smpp_session_enter(s, SMPP_S_BINDING);
	log_info("smpp_bind link=%u system_id=%s seq=%u", s->link_id,
	    b.system_id, s->bind_seq);
}

static void
smpp_session_send_unbind(struct smpp_session *s)
{
	smpp_session_send_header(s, SMPP_UNBIND, 0, smpp_session_seq(s));
	smpp_session_enter(s, SMPP_S_UNBINDING);
}

void
smpp_session_stop(struct smpp_session *s, void (*done)(void *), void *arg)
{
	s->stopping = 1;
	s->stop_since = smpp_now_ms();
	s->stop_done = done;
	s->stop_arg = arg;
	event_del(s->ev_reconnect);
	log_info("smpp_stopping link=%u state=%s inflight=%d", s->link_id,
	    smpp_state_names[s->state], outbox_inflight_count(s->ob));
	if (s->state != SMPP_S_BOUND && s->state != SMPP_S_UNBINDING)
		smpp_session_close(s, "stopping");
	/* BOUND: the tick drains in-flight submits, then unbinds. */
}

void
smpp_session_reconfigured(struct smpp_session *s, int link_changed)
{
	outbox_set_limits(s->ob, s->cfg->smpp_window,
	    s->cfg->smpp_max_attempts);
	outbox_set_pace(s->ob, s->cfg->smpp_tps, s->cfg->smpp_max_age);
	outbox_set_resend_unknown(s->ob,
	    (enum outbox_resend)s->cfg->smpp_resend_unknown);
	/* The flood guards take the new values with the next batch. */
	if (!link_changed || s->stopping)
		return;
	log_info("smpp_relink link=%u reason=\"link settings changed\"",
	    s->link_id);
	s->backoff_ms = s->cfg->smpp_reconnect_min * 1000;
	if (s->state == SMPP_S_BOUND) {
		s->relink = 1;
		smpp_session_send_unbind(s);
	} else if (s->state == SMPP_S_IDLE) {
		event_del(s->ev_reconnect);
		smpp_session_connect(s);
	} else {
		s->relink = 1;
		smpp_session_close(s, "link settings changed");
	}
}

void
smpp_session_set_ussd(struct smpp_session *s, struct ussd *u)
{
	s->ussd = u;
}

static void
smpp_session_read_cb(struct bufferevent *bev, void *arg)
{
	struct smpp_session	*s = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	uint32_t		 len;
	int			 rc;

	while (s->bev != NULL) {
		rc = smpp_frame_peek(in, s->cfg->smpp_max_pdu, &len);
		if (rc == SMPP_FRAME_NEED_MORE)
			break;
		if (rc == SMPP_FRAME_HOSTILE || len + 1 > s->rxbuf_size) {
			log_warnx("pdu_hostile link=%u command_length=%u "
			    "max=%u", s->link_id, len, s->cfg->smpp_max_pdu);
			smpp_session_flush(s);
			smpp_session_close(s, "hostile command_length");
			return;
		}
		if (smpp_frame_take(in, len, s->rxbuf) == -1)
			break;
		s->last_rx = smpp_now_ms();
		if (s->state == SMPP_S_BOUND)
			s->worked = 1;
		smpp_session_dispatch(s, s->rxbuf, len);
	}
	smpp_session_flush(s);
	smpp_session_pump(s);
	log_flush();
}

static void
smpp_session_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct smpp_session	*s = arg;

	if (what & BEV_EVENT_CONNECTED) {
		int	one = 1;

		/* Replies are small and latency matters: no Nagle delay. */
		if (setsockopt(bufferevent_getfd(bev), IPPROTO_TCP,
		    TCP_NODELAY, &one, sizeof(one)) == -1)
			log_warn("smpp_nodelay_failed link=%u", s->link_id);
		log_info("smpp_connected link=%u", s->link_id);
		s->last_rx = smpp_now_ms();
		smpp_session_send_bind(s);
		return;
	}
	if (what & BEV_EVENT_EOF)
		smpp_session_close(s, "closed by peer");
	else if (what & BEV_EVENT_ERROR)
		smpp_session_close(s, evutil_socket_error_to_string(
		    EVUTIL_SOCKET_ERROR()));
}

/* The SMSC unbound us and our unbind_resp has left: close. */
static void
smpp_session_drained_cb(struct bufferevent *bev, void *arg)
{
	struct smpp_session	*s = arg;

	(void)bev;
	smpp_session_close(s, "unbound by peer");
}

/* One PDU from the SMSC, already framed with a guard NUL. */
static void
smpp_session_dispatch(struct smpp_session *s, const uint8_t *buf, size_t len)
{
	struct smpp_header	h;

	smpp_pdu_header(buf, &h);
	log_debug("pdu_in link=%u cmd=%s seq=%u status=%s len=%zu",
	    s->link_id, smpp_pdu_command_name(h.command_id), h.seq,
	    smpp_pdu_status_name(h.status), len);
	if (h.command_id & SMPP_RESP_BIT) {
		smpp_session_response(s, &h, buf, len);
		return;
	}
	switch (h.command_id) {
	case SMPP_ENQUIRE_LINK:
		smpp_session_ack(s, SMPP_ENQUIRE_LINK_RESP, h.seq,
		    SMPP_ESME_ROK);
		return;
	case SMPP_UNBIND:
		log_info("smpp_unbind_by_peer link=%u seq=%u", s->link_id,
		    h.seq);
		smpp_session_flush(s);
		smpp_session_send_header(s, SMPP_UNBIND_RESP, SMPP_ESME_ROK,
		    h.seq);
		smpp_session_enter(s, SMPP_S_UNBINDING);
		/* Close once the unbind_resp is flushed. */
		bufferevent_disable(s->bev, EV_READ);
		bufferevent_setwatermark(s->bev, EV_WRITE, 0, 0);
		bufferevent_setcb(s->bev, NULL, smpp_session_drained_cb,
		    smpp_session_event_cb, s);
		return;
	case SMPP_DELIVER_SM:
		if (s->state != SMPP_S_BOUND && s->state != SMPP_S_UNBINDING) {
			smpp_session_ack(s, SMPP_DELIVER_SM_RESP, h.seq,
			    SMPP_ESME_RINVBNDSTS);
			return;
		}
		metrics_mo_arrived(h.seq);
		smpp_session_deliver(s, &h, buf, len);
		return;
	default:
		log_warnx("pdu_unknown link=%u command_id=0x%08x seq=%u",
		    s->link_id, h.command_id, h.seq);
		smpp_session_ack(s, SMPP_GENERIC_NACK, h.seq,
		    SMPP_ESME_RINVCMDID);
		return;
	}
}

/* Responses to what we sent: bind, submits, enquire_link, unbind. */
static void
smpp_session_response(struct smpp_session *s, const struct smpp_header *h,
    const uint8_t *buf, size_t len)
{
	char			id[SMPP_MSGID_MAX + 1];

	switch (h->command_id) {
	case SMPP_BIND_TRANSCEIVER_RESP:
		if (s->state != SMPP_S_BINDING || h->seq != s->bind_seq)
			break;
		if (h->status == SMPP_ESME_ROK) {
			smpp_pdu_decode_resp_id(buf, len, id, sizeof(id));
			s->stats.binds++;
			s->backoff_ms = s->cfg->smpp_reconnect_min * 1000;
			smpp_session_enter(s, SMPP_S_BOUND);
			s->acks_first = 1;
			log_info("smpp_bound link=%u smsc=%s queued=%zu",
			    s->link_id, id, outbox_queued(s->ob));
			return;
		}
		if (h->status == SMPP_ESME_RINVPASWD ||
		    h->status == SMPP_ESME_RINVSYSID) {
			log_error("smpp_bind_refused link=%u status=%s "
			    "system_id=%s hint=\"check [smpp] system_id and "
			    "password in %s\"", s->link_id,
			    smpp_pdu_status_name(h->status),
			    s->cfg->smpp_system_id, s->cfg->path);
			s->auth_failed = 1;
		} else
			log_warnx("smpp_bind_refused link=%u status=%s",
			    s->link_id, smpp_pdu_status_name(h->status));
		smpp_session_close(s, "bind refused");
		return;
	case SMPP_SUBMIT_SM_RESP:
	case SMPP_GENERIC_NACK:
		if (h->command_id == SMPP_GENERIC_NACK &&
		    h->seq == s->enquire_seq) {
			s->enquire_seq = 0;
			return;
		}
		smpp_submit_resp(s, h, buf, len);
		return;
	case SMPP_ENQUIRE_LINK_RESP:
		if (h->seq == s->enquire_seq)
			s->enquire_seq = 0;
		return;
	case SMPP_UNBIND_RESP:
		if (s->state == SMPP_S_UNBINDING) {
			smpp_session_flush(s);
			smpp_session_close(s, "unbound");
		}
		return;
	default:
		break;
	}
	log_warnx("pdu_unexpected link=%u cmd=%s seq=%u status=%s", s->link_id,
	    smpp_pdu_command_name(h->command_id), h->seq,
	    smpp_pdu_status_name(h->status));
}

/* Timers: bind timeout, keep-alive, idle link, overdue responses, stop. */
static void
smpp_session_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct smpp_session	*s = arg;
	const struct config	*cfg = s->cfg;
	int64_t			 now = smpp_now_ms();

	(void)fd;
	(void)what;
	log_flush();
	smpp_batch_tick(s);
	switch (s->state) {
	case SMPP_S_CONNECTING:
	case SMPP_S_BINDING:
		if (now - s->state_since > cfg->smpp_bind_timeout * 1000) {
			log_warnx("smpp_bind_timeout link=%u state=%s s=%d",
			    s->link_id, smpp_state_names[s->state],
			    cfg->smpp_bind_timeout);
			smpp_session_close(s, "bind timeout");
		}
		return;
	case SMPP_S_BOUND:
		if (now - s->last_rx > cfg->smpp_idle_timeout * 1000) {
			log_warnx("smpp_idle link=%u s=%d", s->link_id,
			    cfg->smpp_idle_timeout);
			smpp_session_close(s, "link idle");
			return;
		}
		if (s->enquire_seq != 0 && now - s->enquire_sent >
		    cfg->smpp_response_timeout * 1000) {
			smpp_session_close(s, "enquire_link unanswered");
			return;
		}
		if (s->enquire_seq == 0 && now - s->last_rx >=
		    cfg->smpp_enquire_link_interval * 1000) {
			s->enquire_seq = smpp_session_seq(s);
			s->enquire_sent = now;
			smpp_session_send_header(s, SMPP_ENQUIRE_LINK, 0,
			    s->enquire_seq);
		}
		if (outbox_sweep(s->ob, now,
		    (int64_t)cfg->smpp_response_timeout * 1000) > 0)
			s->stats.mt_retried++;
		if (s->stopping && ((outbox_inflight_count(s->ob) == 0 &&
		    !outbox_parts_pending(s->ob)) ||
		    now - s->stop_since > SMPP_DRAIN_MS)) {
			smpp_session_send_unbind(s);
			return;
		}
		smpp_session_pump(s);
		return;
	case SMPP_S_UNBINDING:
		if (now - s->state_since > SMPP_UNBIND_MS)
			smpp_session_close(s, "unbind_resp timeout");
		return;
	default:
		return;
	}
}
