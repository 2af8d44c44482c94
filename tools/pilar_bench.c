/*
 * pilar_bench.c: pilar's load generator, an SMSC that only measures.
 *
 *	pilar-bench [-p port] [--port-file file] [-n mo] [-m phones]
 *	    [-w window] [-s system_id] [-W password] [--kpm-base n]
 *	    [--phone-base n] [--keyword GRAD] [--resilient]
 *	    [--drop-every n] [--throttle-every k] [--throttle-for s]
 *
 * It accepts pilard's bind, then sends n MO deliver_sm, at most window
 * of them unanswered, round robin from m phones: MO number k is
 * "GRAD <kpm-base + k>" from phone phone-base + k % m (--keyword KUNJ
 * makes them visits).  It answers every submit_sm at once and reads
 * the KPM id out of each reply, so the MO->reply latency of MO k is the
 * time from its first deliver_sm to the first reply naming its KPM.
 *
 * When every MO is acknowledged and answered it prints one line of
 * figures and exits 0.  Without --resilient, a lost link or a
 * deliver_sm_resp other than ESME_ROK ends the run with exit 1.  With
 * --resilient it behaves like a real SMSC under faults: it accepts the
 * next connection and delivers again every MO that was not
 * acknowledged (and those answered ESME_RX_T_APPN), and it counts
 * confirmations given twice for one MO (only a reply sent twice can do
 * that: a redelivered report is answered "sudah tercatat").
 *
 * Reminders (--bulk n): pilard also drains a reminder to many KPM; every
 * submit_sm that names no MO of ours counts as one of it, and the run
 * ends only when n of them came.  The MOs then wait for the first
 * reminder and are sent one every --mo-every ms (window 1 is usual),
 * so that their latency is the latency of replies during the drain; the
 * drain rate is measured between the 10th and the 90th percent of n.
 *
 * Faults (with --resilient): --drop-every n closes the link after every
 * n PDUs received; --throttle-every k answers every k-th submit_sm with
 * ESME_RTHROTTLED during the first --throttle-for seconds (default:
 * the whole run).
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "smpp_frame.h"
#include "smpp_pdu.h"

#define BENCH_STALL_S	30
#define BENCH_QUIET_MS	1000	/* --resilient: wait for late resends */
#define BENCH_UNANSWERED_MS 5000 /* ...and this long for missing replies */
#define BENCH_UNBIND_MS	3000	/* at the end: wait this long for unbind_resp */

enum bench_mo_state {
	BENCH_UNSENT = 0,
	BENCH_SENT,		/* on the current link, unacknowledged */
	BENCH_RESEND,		/* to deliver again */
	BENCH_ACKED
};

struct bench {
	struct event_base	*base;
	struct bufferevent	*bev;
	struct event		*ev_tick;
	const char		*system_id;
	const char		*password;
	const char		*keyword;	/* GRAD, KUNJ */
	long			 n;		/* MOs to send */
	long			 m;		/* phones */
	long			 window;
	uint64_t		 kpm_base;
	uint64_t		 phone_base;
	int			 resilient;
	int			 bound;
	uint32_t		 next_seq;
	long			 next_new;	/* next never-sent MO */
	long			 outstanding;	/* SENT on this link */
	long			 acked;
	long			 replied;	/* MOs with a reply */
	long			 mt;		/* submit_sm seen */
	long			 confirm_twice;	/* MOs confirmed more than once */
	long			 again;		/* "sudah tercatat" replies */
	long			 stray;		/* replies naming no MO of ours */
	long			 resent;	/* deliver_sm sent again */
	long			 links;		/* connections accepted */
	long			 tempfail;	/* ESME_RX_T_APPN answers */
	long			 drop_every;	/* PDUs per link, 0 = never */
	long			 link_pdus;	/* received on this link */
	long			 throttle_every;
	int64_t			 throttle_until;	/* ns; 0 = always */
	int			 throttle_for;	/* s */
	long			 submits;
	long			 throttled;
	long			 drops;
	int64_t			 t_first;	/* ns */
	int64_t			 t_last;
	int64_t			 t_progress;
	uint8_t			*state;		/* per MO */
	uint8_t			*confirms;	/* per MO, saturating */
	int64_t			*sent_at;	/* per MO, ns, first send */
	int64_t			*latency;	/* per MO, ns; -1 until replied */
	long			*seq_mo;	/* seq -> MO, for the acks */
	size_t			 seq_cap;
	long			*resend;	/* stack of MOs to resend */
	long			 n_resend;
	int			 exit_code;
	int			 closing;	/* unbind sent, figures printed */
	long			 bulk;		/* reminders to wait for */
	long			 bulk_seen;
	int64_t			 bulk_t[4];	/* ns: first, 10 %, 90 %, last */
	long			 mo_every;	/* ms between MOs, 0: window */
	int64_t			 next_mo_at;	/* ns */
};

static void	bench_finish(struct bench *, int, const char *);

static int64_t
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
bench_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Print the figures (on success) and leave the loop. */
static void
bench_finish(struct bench *b, int code, const char *why)
{
	struct rusage	ru;
	double		secs, cpu;
	long		k;

	if (b->closing)
		return;		/* the figures are out; late MTs change nothing */
	b->exit_code = code;
	event_base_loopbreak(b->base);
	if (code != 0) {
		fprintf(stderr, "pilar-bench: %s (sent %ld, acked %ld, "
		    "replied %ld)\n", why, b->next_new, b->acked, b->replied);
		return;
	}
	for (k = 0; k < b->n; k++)
		if (b->latency[k] < 0)
			b->latency[k] = INT64_MAX;
	qsort(b->latency, (size_t)b->n, sizeof(*b->latency), bench_cmp);
	secs = (double)(b->t_last - b->t_first) / 1e9;
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("mo=%ld phones=%ld window=%ld seconds=%.3f mo_per_s=%.0f "
	    "latency_ms_p50=%.2f p90=%.2f p99=%.2f max=%.2f mt=%ld "
	    "again=%ld confirm_twice=%ld stray=%ld links=%ld resent=%ld "
	    "tempfail=%ld drops=%ld throttled=%ld unanswered=%ld "
	    "bench_cpu_s=%.2f\n", b->n,
	    b->m, b->window, secs,
	    (double)b->n / secs,
	    (double)b->latency[b->n / 2] / 1e6,
	    (double)b->latency[b->n * 90 / 100] / 1e6,
	    (double)b->latency[b->n * 99 / 100] / 1e6,
	    (double)b->latency[b->n - 1] / 1e6, b->mt, b->again,
	    b->confirm_twice, b->stray, b->links, b->resent, b->tempfail,
	    b->drops, b->throttled, b->n - b->replied, cpu);
	if (b->bulk > 0)
		printf("bulk=%ld bulk_seen=%ld bulk_seconds=%.3f "
		    "bulk_per_s=%.1f bulk_per_s_10_90=%.1f\n", b->bulk,
		    b->bulk_seen,
		    (double)(b->bulk_t[3] - b->bulk_t[0]) / 1e9,
		    (double)(b->bulk - 1) * 1e9 /
		    (double)(b->bulk_t[3] - b->bulk_t[0] + 1),
		    (double)(b->bulk * 9 / 10 - b->bulk / 10) * 1e9 /
		    (double)(b->bulk_t[2] - b->bulk_t[1] + 1));
	fflush(stdout);
}

static uint32_t
bench_seq(struct bench *b)
{
	uint32_t	seq = b->next_seq;

	b->next_seq = seq >= 0x7FFFFFFFu ? 1 : seq + 1;
	return seq;
}

/* Send MO k on the current link. */
static int
bench_send(struct bench *b, long k)
{
	static struct smpp_msg	m;
	uint8_t			buf[1024];
	uint32_t		seq;
	int			len, n;

	memset(&m, 0, sizeof(m));
	m.source_ton = 1;
	m.source_npi = 1;
	snprintf(m.source_addr, sizeof(m.source_addr), "%" PRIu64,
	    b->phone_base + (uint64_t)(k % b->m));
	snprintf(m.dest_addr, sizeof(m.dest_addr), "1717");
	n = snprintf((char *)m.sm, sizeof(m.sm), "%s %" PRIu64, b->keyword,
	    b->kpm_base + (uint64_t)k);
	m.sm_len = (size_t)n;
	seq = bench_seq(b);
	if ((size_t)seq >= b->seq_cap) {
		bench_finish(b, 1, "too many deliver_sm for the seq table");
		return -1;
	}
	len = smpp_pdu_encode_msg(buf, sizeof(buf), SMPP_DELIVER_SM, seq, &m);
	if (len < 0) {
		bench_finish(b, 1, "cannot encode deliver_sm");
		return -1;
	}
	b->seq_mo[seq] = k;
	if (b->sent_at[k] == 0) {
		b->sent_at[k] = bench_now();
		if (b->t_first == 0)
			b->t_first = b->sent_at[k];
	}
	b->state[k] = BENCH_SENT;
	b->outstanding++;
	bufferevent_write(b->bev, buf, (size_t)len);
	return 0;
}

/* Send MOs while the window allows: first those to deliver again. */
static void
bench_pump(struct bench *b)
{
	while (b->bound && !b->closing && b->outstanding < b->window) {
		if (b->mo_every > 0 && b->n_resend == 0) {
			int64_t	now = bench_now();

			if ((b->bulk > 0 && b->bulk_seen == 0) ||
			    now < b->next_mo_at)
				break;
			b->next_mo_at = now + b->mo_every * 1000000;
		}
		if (b->n_resend > 0) {
			if (bench_send(b, b->resend[--b->n_resend]) == -1)
				return;
			b->resent++;
		} else if (b->next_new < b->n) {
			if (bench_send(b, b->next_new++) == -1)
				return;
		} else
			break;
	}
}

/*
 * All done: every MO acknowledged and answered; in --resilient mode
 * every MO acknowledged (a reply lost with a link or a crash is set
 * aside as unknown by pilard, not sent again: counted as unanswered).
 */
static int
bench_done(const struct bench *b)
{
	return b->acked == b->n && (b->resilient || b->replied == b->n) &&
	    b->bulk_seen >= b->bulk;
}

/* --resilient: done, and no reply still on its way (quiet long enough). */
static int
bench_settled(const struct bench *b, int64_t now)
{
	int64_t	quiet = now - b->t_progress;

	return bench_done(b) && (b->replied == b->n ?
	    quiet > (int64_t)BENCH_QUIET_MS * 1000000 :
	    quiet > (int64_t)BENCH_UNANSWERED_MS * 1000000);
}

/* A submit_sm: answer it and credit the MO whose KPM it names. */
static void
bench_on_mt(struct bench *b, const struct smpp_header *h, const uint8_t *pdu,
    size_t len)
{
	static struct smpp_msg	m;
	char			err[128], id[24], text[SMPP_PAYLOAD_MAX + 1];
	const char		*kpm;
	uint8_t			out[128];
	uint64_t		v;
	long			k;
	int			n;

	b->mt++;
	if (smpp_pdu_decode_msg(pdu, len, &m, err, sizeof(err)) == -1) {
		bench_finish(b, 1, "malformed submit_sm");
		return;
	}
	b->submits++;
	b->t_progress = bench_now();	/* throttled or not, pilar is at it */
	if (b->throttle_every > 0 && b->submits % b->throttle_every == 0 &&
	    (b->throttle_until == 0 || bench_now() < b->throttle_until)) {
		b->throttled++;
		b->mt--;
		n = smpp_pdu_encode_header(out, sizeof(out),
		    SMPP_SUBMIT_SM_RESP, SMPP_ESME_RTHROTTLED, h->seq);
		bufferevent_write(b->bev, out, (size_t)n);
		return;
	}
	snprintf(id, sizeof(id), "%ld", b->mt);
	n = smpp_pdu_encode_msg_resp(out, sizeof(out), SMPP_SUBMIT_SM_RESP,
	    h->seq, SMPP_ESME_ROK, id);
	bufferevent_write(b->bev, out, (size_t)n);

	/* GSM-7 unpacked: ASCII for what we look for. */
	memcpy(text, m.sm, m.sm_len);
	text[m.sm_len] = '\0';
	if ((kpm = strstr(text, "KPM ")) == NULL ||
	    (v = strtoull(kpm + 4, NULL, 10)) < b->kpm_base ||
	    v - b->kpm_base >= (uint64_t)b->n) {
		if (b->bulk == 0) {
			b->stray++;
			return;
		}
		b->t_progress = bench_now();
		b->bulk_seen++;
		if (b->bulk_seen == 1)
			b->bulk_t[0] = b->t_progress;
		if (b->bulk_seen == b->bulk / 10)
			b->bulk_t[1] = b->t_progress;
		if (b->bulk_seen == b->bulk * 9 / 10)
			b->bulk_t[2] = b->t_progress;
		if (b->bulk_seen == b->bulk)
			b->bulk_t[3] = b->t_progress;
		if (b->bulk_seen == 1)
			bench_pump(b);
		if (bench_done(b) && !b->resilient)
			bench_finish(b, 0, NULL);
		return;
	}
	k = (long)(v - b->kpm_base);
	b->t_progress = b->t_last = bench_now();
	if (strstr(text, "sudah tercatat") != NULL)
		b->again++;
	else if (b->confirms[k]++ == 1)
		b->confirm_twice++;
	if (b->latency[k] < 0) {
		b->latency[k] = b->t_last - b->sent_at[k];
		b->replied++;
	}
	if (bench_done(b) && !b->resilient)
		bench_finish(b, 0, NULL);
}

/* The link is gone: what it left unacknowledged is delivered again. */
static void
bench_link_lost(struct bench *b)
{
	long	k;

	bufferevent_free(b->bev);
	b->bev = NULL;
	b->bound = 0;
	b->outstanding = 0;
	for (k = b->next_new - 1; k >= 0; k--)
		if (b->state[k] == BENCH_SENT) {
			b->state[k] = BENCH_RESEND;
			b->resend[b->n_resend++] = k;
		}
}

static void
bench_read_cb(struct bufferevent *bev, void *arg)
{
	static uint8_t		 pdu[SMPP_PDU_MAX_DEFAULT + 1];
	struct bench		*b = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct smpp_header	 h;
	uint8_t			 out[64];
	uint32_t		 len;
	long			 k;
	int			 rc, n;

	while ((rc = smpp_frame_peek(in, SMPP_PDU_MAX_DEFAULT, &len)) ==
	    SMPP_FRAME_READY) {
		smpp_frame_take(in, len, pdu);
		smpp_pdu_header(pdu, &h);
		switch (h.command_id) {
		case SMPP_BIND_TRANSCEIVER: {
			struct smpp_bind	bd;
			char			err[64];
			uint32_t		st = SMPP_ESME_ROK;

			if (smpp_pdu_decode_bind(pdu, len, &bd, err,
			    sizeof(err)) == -1 ||
			    strcmp(bd.system_id, b->system_id) != 0 ||
			    strcmp(bd.password, b->password) != 0)
				st = SMPP_ESME_RINVPASWD;
			n = smpp_pdu_encode_bind_resp(out, sizeof(out),
			    SMPP_BIND_TRANSCEIVER_RESP, h.seq, st,
			    "pilar-bench");
			bufferevent_write(bev, out, (size_t)n);
			if (st == SMPP_ESME_ROK) {
				b->bound = 1;
				b->t_progress = bench_now();
			}
			break;
		}
		case SMPP_DELIVER_SM_RESP:
			if ((size_t)h.seq >= b->seq_cap)
				break;
			k = b->seq_mo[h.seq];
			if (b->state[k] != BENCH_SENT)
				break;
			b->outstanding--;
			if (h.status == SMPP_ESME_ROK) {
				b->state[k] = BENCH_ACKED;
				b->acked++;
				b->t_progress = bench_now();
			} else if (b->resilient &&
			    h.status == SMPP_ESME_RX_T_APPN) {
				b->tempfail++;
				b->state[k] = BENCH_RESEND;
				b->resend[b->n_resend++] = k;
			} else {
				bench_finish(b, 1,
				    "deliver_sm_resp not ESME_ROK");
				return;
			}
			break;
		case SMPP_SUBMIT_SM:
			bench_on_mt(b, &h, pdu, len);
			break;
		case SMPP_ENQUIRE_LINK:
			n = smpp_pdu_encode_header(out, sizeof(out),
			    SMPP_ENQUIRE_LINK_RESP, SMPP_ESME_ROK, h.seq);
			bufferevent_write(bev, out, (size_t)n);
			break;
		case SMPP_UNBIND:
			n = smpp_pdu_encode_header(out, sizeof(out),
			    SMPP_UNBIND_RESP, SMPP_ESME_ROK, h.seq);
			bufferevent_write(bev, out, (size_t)n);
			break;
		case SMPP_UNBIND_RESP:
			if (b->closing)
				event_base_loopbreak(b->base);
			break;
		default:
			break;
		}
		if (b->closing)
			continue;	/* no drops, no more MOs: ending */
		if (b->exit_code != -1)
			return;
		if (b->drop_every > 0 && ++b->link_pdus >= b->drop_every) {
			/* Answers so far go out; the rest is lost. */
			b->drops++;
			bench_link_lost(b);
			return;
		}
	}
	if (rc == SMPP_FRAME_HOSTILE) {
		bench_finish(b, 1, "hostile PDU length from the ESME");
		return;
	}
	bench_pump(b);
}

static void
bench_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct bench	*b = arg;

	(void)bev;
	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	if (b->closing) {
		event_base_loopbreak(b->base);
		return;
	}
	if (!b->resilient) {
		bench_finish(b, 1, "the ESME closed the link");
		return;
	}
	bench_link_lost(b);
}

static void
bench_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct bench	*b = arg;
	int		 one = 1;

	(void)l;
	(void)sa;
	(void)salen;
	if (b->bev != NULL) {
		if (!b->resilient) {
			evutil_closesocket(fd);
			return;
		}
		/* The old ESME is gone even if we did not see it yet. */
		bench_link_lost(b);
	}
	b->links++;
	b->link_pdus = 0;
	if (b->throttle_until == 0 && b->throttle_for > 0)
		b->throttle_until = bench_now() +
		    (int64_t)b->throttle_for * 1000000000;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	b->bev = bufferevent_socket_new(b->base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(b->bev, bench_read_cb, NULL, bench_event_cb, b);
	bufferevent_enable(b->bev, EV_READ | EV_WRITE);
}

/*
 * Ten times a second: give up when nothing moved for BENCH_STALL_S; in
 * --resilient mode, finish once all is done and the line stayed quiet.
 */
static void
bench_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bench	*b = arg;
	int64_t		 now = bench_now();

	(void)fd;
	(void)what;
	if (b->closing)
		return;
	if (b->resilient && bench_settled(b, now)) {
		bench_finish(b, 0, NULL);
		return;
	}
	/* Before the first bind, progress is measured from the start. */
	if (b->t_progress == 0)
		b->t_progress = now;
	if (now - b->t_progress > (int64_t)BENCH_STALL_S * 1000000000)
		bench_finish(b, 1, "no progress for 30 s");
	else if (b->mo_every > 0)
		bench_pump(b);
}

/*
 * A run that succeeded ends as an SMSC ends a session: unbind, and wait
 * (at most BENCH_UNBIND_MS) for the answer.  Until then the submits
 * still coming are answered: had the bench just closed, the responses
 * it had queued for the last submits would be lost with the socket and
 * pilard would find those replies in doubt at its next start.
 */
static void
bench_unbind(struct bench *b)
{
	struct timeval	tv = { BENCH_UNBIND_MS / 1000,
			    (BENCH_UNBIND_MS % 1000) * 1000 };
	uint8_t		out[16];
	int		n;

	b->closing = 1;
	n = smpp_pdu_encode_header(out, sizeof(out), SMPP_UNBIND,
	    SMPP_ESME_ROK, b->next_seq++);
	bufferevent_write(b->bev, out, (size_t)n);
	event_base_loopexit(b->base, &tv);
	event_base_dispatch(b->base);
}

static void
usage(void)
{
	fprintf(stderr, "usage: pilar-bench [-p port] [--port-file file] "
	    "[-n mo] [-m phones] [-w window]\n"
	    "    [-s system_id] [-W password] [--kpm-base n] "
	    "[--phone-base n] [--keyword GRAD] [--resilient]\n"
	    "    [--drop-every n] [--throttle-every k] [--throttle-for s]\n"
	    "    [--bulk n] [--mo-every ms]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "port-file", required_argument, NULL, 'P' },
		{ "kpm-base", required_argument, NULL, 'K' },
		{ "phone-base", required_argument, NULL, 'B' },
		{ "keyword", required_argument, NULL, 'T' },
		{ "resilient", no_argument, NULL, 'R' },
		{ "bulk", required_argument, NULL, 'U' },
		{ "mo-every", required_argument, NULL, 'E' },
		{ "drop-every", required_argument, NULL, 'D' },
		{ "throttle-every", required_argument, NULL, 'H' },
		{ "throttle-for", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	struct bench		 b;
	struct evconnlistener	*l;
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof(sin);
	struct timeval		 tick = { 0, 100000 };
	const char		*port_file = NULL;
	char			 tmp[512];
	FILE			*fp;
	int			 ch, port = 0;

	memset(&b, 0, sizeof(b));
	b.system_id = "pilar";
	b.password = "secret";
	b.keyword = "GRAD";
	b.n = 10000;
	b.m = 1000;
	b.window = 64;
	b.kpm_base = 100000000;
	b.phone_base = 6281100000000ULL;
	b.next_seq = 1;
	b.exit_code = -1;
	while ((ch = getopt_long(argc, argv, "p:n:m:w:s:W:", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'P':
			port_file = optarg;
			break;
		case 'n':
			b.n = atol(optarg);
			break;
		case 'm':
			b.m = atol(optarg);
			break;
		case 'w':
			b.window = atol(optarg);
			break;
		case 's':
			b.system_id = optarg;
			break;
		case 'W':
			b.password = optarg;
			break;
		case 'K':
			b.kpm_base = strtoull(optarg, NULL, 10);
			break;
		case 'B':
			b.phone_base = strtoull(optarg, NULL, 10);
			break;
		case 'T':
			b.keyword = optarg;
			break;
		case 'R':
			b.resilient = 1;
			break;
		case 'D':
			b.drop_every = atol(optarg);
			break;
		case 'H':
			b.throttle_every = atol(optarg);
			break;
		case 'F':
			b.throttle_for = atoi(optarg);
			break;
		case 'U':
			b.bulk = atol(optarg);
			break;
		case 'E':
			b.mo_every = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (b.n < 1 || b.m < 1 || b.window < 1 || optind != argc ||
	    strlen(b.keyword) > 16 || b.drop_every < 0 ||
	    b.throttle_every < 0 || b.bulk < 0 || b.mo_every < 0 ||
	    ((b.drop_every || b.throttle_every) &&
	    !b.resilient))
		usage();
	b.seq_cap = (size_t)b.n * 8 + 4096;
	b.state = calloc((size_t)b.n, 1);
	b.confirms = calloc((size_t)b.n, 1);
	b.sent_at = calloc((size_t)b.n, sizeof(*b.sent_at));
	b.latency = malloc((size_t)b.n * sizeof(*b.latency));
	b.seq_mo = calloc(b.seq_cap, sizeof(*b.seq_mo));
	b.resend = calloc((size_t)b.n, sizeof(*b.resend));
	if (b.state == NULL || b.confirms == NULL || b.sent_at == NULL ||
	    b.latency == NULL || b.seq_mo == NULL || b.resend == NULL) {
		fprintf(stderr, "pilar-bench: out of memory\n");
		return 1;
	}
	memset(b.latency, 0xff, (size_t)b.n * sizeof(*b.latency));

	b.base = event_base_new();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	l = evconnlistener_new_bind(b.base, bench_accept_cb, &b,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 16,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (l == NULL) {
		fprintf(stderr, "pilar-bench: listen: %s\n", strerror(errno));
		return 1;
	}
	getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&sin, &slen);
	if (port_file != NULL) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
		if ((fp = fopen(tmp, "w")) == NULL) {
			fprintf(stderr, "pilar-bench: %s: %s\n", tmp,
			    strerror(errno));
			return 1;
		}
		fprintf(fp, "%u\n", ntohs(sin.sin_port));
		fclose(fp);
		rename(tmp, port_file);
	}
	b.ev_tick = event_new(b.base, -1, EV_PERSIST, bench_tick_cb, &b);
	event_add(b.ev_tick, &tick);
	event_base_dispatch(b.base);
	if (b.exit_code == 0 && b.bev != NULL)
		bench_unbind(&b);

	if (b.bev != NULL)
		bufferevent_free(b.bev);
	event_free(b.ev_tick);
	evconnlistener_free(l);
	event_base_free(b.base);
	free(b.state);
	free(b.confirms);
	free(b.sent_at);
	free(b.latency);
	free(b.seq_mo);
	free(b.resend);
	return b.exit_code == 0 ? 0 : 1;
}
