/*
 * pilar_smsc.c: pilar-smsc, an SMSC simulator for tests and demos.
 *
 *	pilar-smsc [-v] [-l addr] [-p port] [--port-file file] [-s system_id]
 *	    [-w password] [-d shortcode] [-t timeout_s] [-e enquire_s] [script]
 *
 * An SMPP server on one loopback address that serves one ESME at a
 * time (the listener is paused while a connection lives, so the next
 * ESME waits in the backlog).  It answers binds, enquire_link, unbind
 * and every submit_sm (ESME_ROK and an increasing decimal message_id,
 * from 1 or what the script's `msgid' sets), prints each MT as
 * `<< DEST: TEXT', and sends the MOs and delivery receipts its script
 * asks for (smsc_script.c).  Every byte from the ESME is hostile: a bad
 * command_length closes that connection, never the simulator.
 *
 * Faults (the script's `fault' command, struct smsc_faults) make it
 * behave like a loaded or flaky SMSC: a link closed after every N PDUs,
 * submits delivered but never answered, answered ESME_RTHROTTLED,
 * ESME_RMSGQFUL or generic_nack, binds refused.  Error responses are
 * header-only, as SMPP 3.4 says (section 4.4.2) and many SMSCs do.
 * At exit one line sums up what happened, for the tests:
 *
 *	smsc_summary mt=N unique_mt=N binds=N refused_binds=N submits=N
 *	    drops=N mo=N mo_acked=N receipts=N parts=N
 *
 * mt counts the submit_sm delivered (answered ESME_ROK, or withheld:
 * the phone got it, only the response was lost), duplicates included,
 * a long MT once when its last part came (parts counts its parts);
 * unique_mt the distinct destination and text pairs among them; binds
 * the accepted binds, refused_binds the others; submits every submit_sm
 * received while bound; drops the connections closed by drop_every;
 * mo the deliver_sm sent (redeliveries and receipts included),
 * mo_acked those answered ESME_ROK, receipts the delivery receipts
 * among mo.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "codec.h"
#include "concat.h"
#include "smpp_frame.h"
#include "smpp_pdu.h"
#include "smsc.h"
#include "smsc_server.h"

#define SMSC_SYSTEM_ID	"pilar-smsc"
#define SMSC_READ_HIGH	(16 * SMPP_PDU_MAX_DEFAULT)	/* input bound */
#define SMSC_SEEN_MIN	256		/* slots of the unique-MT set */

/* What the faults made of a submit_sm. */
enum smsc_submit {
	SMSC_SUBMIT_NORMAL,	/* ESME_ROK, delivered */
	SMSC_SUBMIT_ANSWERED,	/* an error response, not delivered */
	SMSC_SUBMIT_WITHHELD	/* delivered, never answered */
};

/* The one ESME connection. */
struct smsc_conn {
	unsigned		 id;
	struct bufferevent	*bev;
	int			 bound;
	int			 closing;	/* close once output is flushed */
	const char		*closing_why;
	unsigned long		 pdus;		/* received, for drop_every */
};

struct smsc_opts	 smsc_opts = { "1717", 10, 0 };
struct smsc_faults	 smsc_faults = {
	.nack_status = SMPP_ESME_RSYSERR,
	.refuse_status = SMPP_ESME_RBINDFAIL
};
struct smsc_stats	 smsc_stats;
struct event_base	*smsc_base;

static struct smsc_conn		*conn;
static struct evconnlistener	*listener;
static unsigned			 conn_count;
static uint32_t			 seq_next = 1;
static unsigned long		 msgid_next = 1;
static const char		*opt_system_id;
static const char		*opt_password;
static int			 opt_enquire_s;
static struct event		*enquire_ev;
/* Hashes of the MTs delivered (open addressing, 0 = empty slot). */
static uint64_t			*seen;
static size_t			 seen_cap, seen_n;

static void	 usage(void) __attribute__((noreturn));
static void	 smsc_conn_close(const char *);
static void	 smsc_conn_close_flushed(const char *);
static int	 smsc_seen_add(const char *, const char *);
static void	 smsc_deliver(const struct smpp_msg *, const char *,
		    const char *, const struct smsc_joined *);
static enum smsc_submit smsc_submit_fault(const struct smpp_header *);
static void	 smsc_handle_bind(const uint8_t *, size_t,
		    const struct smpp_header *);
static void	 smsc_handle_submit(const uint8_t *, size_t,
		    const struct smpp_header *);
static void	 smsc_handle_pdu(const uint8_t *, size_t);
static void	 smsc_text_of(const struct smpp_msg *, char *, size_t);
static void	 smsc_deliver_part(const struct smpp_msg *, const char *,
		    const char *);
static void	 smsc_read_cb(struct bufferevent *, void *);
static void	 smsc_write_cb(struct bufferevent *, void *);
static void	 smsc_event_cb(struct bufferevent *, short, void *);
static void	 smsc_accept_cb(struct evconnlistener *, evutil_socket_t,
		    struct sockaddr *, int, void *);
static void	 smsc_enquire_cb(evutil_socket_t, short, void *);
static int	 smsc_write_port_file(const char *, unsigned);

static void
usage(void)
{
	fprintf(stderr, "usage: pilar-smsc [-v] [-l addr] [-p port] "
	    "[--port-file file] [-s system_id]\n"
	    "\t[-w password] [-d shortcode] [-t timeout_s] [-e enquire_s] "
	    "[script]\n");
	exit(2);
}

void
smsc_log(const char *fmt, ...)
{
	va_list	 ap;

	if (!smsc_opts.verbose)
		return;
	fputs("pilar-smsc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Our sequence numbers: 1..0x7FFFFFFF, then 1 again. */
uint32_t
smsc_seq(void)
{
	uint32_t	 s = seq_next;

	seq_next = seq_next >= 0x7FFFFFFFu ? 1 : seq_next + 1;
	return s;
}

int
smsc_is_bound(void)
{
	return conn != NULL && conn->bound && !conn->closing;
}

unsigned
smsc_conn_id(void)
{
	return conn != NULL ? conn->id : 0;
}

/* Forget the connection, let the next ESME in, tell the script. */
static void
smsc_conn_close(const char *why)
{
	unsigned	 id;

	if (conn == NULL)
		return;
	id = conn->id;
	smsc_log("conn=%u closed: %s", id, why);
	bufferevent_free(conn->bev);
	free(conn);
	conn = NULL;
	evconnlistener_enable(listener);
	smsc_script_on_close(id);
}

void
smsc_drop(void)
{
	smsc_conn_close("dropped by the script");
}

/*
 * Stop reading from the ESME and close once what is queued for it is
 * written (at once when nothing is).  What it sends meanwhile is never
 * read, as when a link breaks.
 */
static void
smsc_conn_close_flushed(const char *why)
{
	if (conn == NULL)
		return;
	conn->bound = 0;
	conn->closing = 1;
	conn->closing_why = why;
	if (evbuffer_get_length(bufferevent_get_output(conn->bev)) == 0)
		smsc_conn_close(why);
}

/*
 * Remember an MT by a 64-bit FNV-1a hash of its destination and text:
 * 1 if it is new, 0 if it was delivered before.  A collision would
 * merely undercount unique_mt.
 */
static int
smsc_seen_add(const char *dest, const char *text)
{
	uint64_t	 h = 14695981039346656037ull, *old;
	size_t		 i, oldcap;
	const char	*p;

	for (p = dest; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	h = (h ^ 0xFF) * 1099511628211ull;	/* between the two */
	for (p = text; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	if (h == 0)
		h = 1;
	if (2 * (seen_n + 1) > seen_cap) {
		old = seen;
		oldcap = seen_cap;
		seen_cap = seen_cap ? 2 * seen_cap : SMSC_SEEN_MIN;
		if ((seen = calloc(seen_cap, sizeof(*seen))) == NULL) {
			fprintf(stderr, "pilar-smsc: out of memory\n");
			exit(1);
		}
		seen_n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0) {
				size_t	 j = old[i] % seen_cap;

				while (seen[j] != 0)
					j = (j + 1) % seen_cap;
				seen[j] = old[i];
				seen_n++;
			}
		free(old);
	}
	for (i = h % seen_cap; seen[i] != 0; i = (i + 1) % seen_cap)
		if (seen[i] == h)
			return 0;
	seen[i] = h;
	seen_n++;
	return 1;
}

int
smsc_send(const uint8_t *buf, int n)
{
	if (conn == NULL || n < 0)
		return -1;
	return bufferevent_write(conn->bev, buf, (size_t)n);
}

int
smsc_send_raw(const uint8_t *buf, size_t n)
{
	if (conn == NULL)
		return -1;
	smsc_log("conn=%u tx raw %zu octets", conn->id, n);
	return bufferevent_write(conn->bev, buf, n);
}

int
smsc_send_request(uint32_t command_id, uint32_t *seq)
{
	uint8_t	 buf[SMPP_HEADER_LEN];

	if (conn == NULL)
		return -1;
	*seq = smsc_seq();
	smsc_log("conn=%u tx %s seq=%u", conn->id,
	    smpp_pdu_command_name(command_id), *seq);
	return smsc_send(buf, smpp_pdu_encode_header(buf, sizeof(buf),
	    command_id, 0, *seq));
}

void
smsc_set_next_msgid(unsigned long id)
{
	msgid_next = id;
}

/*
 * Answer a bind: credentials from -s/-w, one bind per connection.  A
 * bind refused by `fault refuse_bind' gets a header-only bind_resp and
 * the connection is closed, as SMSCs do after a failed bind.
 */
static void
smsc_handle_bind(const uint8_t *buf, size_t len, const struct smpp_header *h)
{
	struct smpp_bind	 b;
	uint8_t			 out[64];
	uint32_t		 status = SMPP_ESME_ROK;
	char			 err[128];

	smsc_stats.bind_attempts++;
	smsc_script_on_bind_attempt();
	if (conn->bound)
		status = SMPP_ESME_RALYBND;
	else if (smsc_faults.refuse_bind > 0) {
		smsc_faults.refuse_bind--;
		smsc_stats.refused_binds++;
		smsc_log("conn=%u rx %s seq=%u -> %s (fault refuse_bind)",
		    conn->id, smpp_pdu_command_name(h->command_id), h->seq,
		    smpp_pdu_status_name(smsc_faults.refuse_status));
		smsc_send(out, smpp_pdu_encode_header(out, sizeof(out),
		    h->command_id | SMPP_RESP_BIT, smsc_faults.refuse_status,
		    h->seq));
		smsc_conn_close_flushed("bind refused (fault)");
		return;
	} else if (smpp_pdu_decode_bind(buf, len, &b, err, sizeof(err)) == -1) {
		fprintf(stderr, "pilar-smsc: undecodable %s: %s\n",
		    smpp_pdu_command_name(h->command_id), err);
		status = SMPP_ESME_RBINDFAIL;
	} else if (opt_system_id != NULL &&
	    strcmp(b.system_id, opt_system_id) != 0)
		status = SMPP_ESME_RINVSYSID;
	else if (opt_password != NULL && strcmp(b.password, opt_password) != 0)
		status = SMPP_ESME_RINVPASWD;
	smsc_log("conn=%u rx %s seq=%u -> %s", conn->id,
	    smpp_pdu_command_name(h->command_id), h->seq,
	    smpp_pdu_status_name(status));
	smsc_send(out, smpp_pdu_encode_bind_resp(out, sizeof(out),
	    h->command_id | SMPP_RESP_BIT, h->seq, status, SMSC_SYSTEM_ID));
	if (status == SMPP_ESME_ROK) {
		smsc_stats.binds++;
		conn->bound = 1;
		smsc_script_on_bound();
	} else
		smsc_stats.refused_binds++;
}

/*
 * The text of an MT in UTF-8: a user data header (esm_class UDHI) is
 * skipped; binary codings are shown as hex.
 */
static void
smsc_text_of(const struct smpp_msg *m, char *out, size_t outsz)
{
	const uint8_t	*p = m->sm;
	size_t		 n = m->sm_len, i, o;

	if ((m->esm_class & 0x40) && n > 0 && (size_t)p[0] + 1 <= n) {
		n -= (size_t)p[0] + 1;
		p += (size_t)p[0] + 1;
	}
	if (codec_to_utf8(m->data_coding, p, n, out, outsz) >= 0)
		return;
	o = (size_t)snprintf(out, outsz, "<data_coding %u:", m->data_coding);
	for (i = 0; i < n && o + 4 < outsz; i++)
		o += (size_t)snprintf(out + o, outsz - o, " %02x", p[i]);
	if (o + 2 <= outsz)
		snprintf(out + o, outsz - o, ">");
}

/*
 * An MT reaches its phone: print it, count it, tell the script.  msgid
 * is the message_id the ESME was given, "" when it was withheld.
 */
static void
smsc_deliver(const struct smpp_msg *m, const char *text, const char *msgid,
    const struct smsc_joined *joined)
{
	struct smsc_mt	 mt;

	smsc_stats.mt++;
	if (smsc_seen_add(m->dest_addr, text))
		smsc_stats.unique_mt++;
	if (m->has_ussd_service_op)
		printf("<< %s: [USSD %s op=%u its=0x%04x] %s\n", m->dest_addr,
		    m->ussd_service_op == 2 ? "CON" : m->ussd_service_op ==
		    17 ? "END" : "?", (unsigned)m->ussd_service_op,
		    (unsigned)m->its_session_info, text);
	else
		printf("<< %s: %s\n", m->dest_addr, text);
	fflush(stdout);
	mt.ussd_op = m->has_ussd_service_op ? m->ussd_service_op : -1;
	mt.has_its = m->has_its_session_info;
	mt.its = m->its_session_info;
	mt.dest = m->dest_addr;
	mt.source = m->source_addr;
	mt.text = text;
	mt.message_id = msgid;
	mt.parts = joined != NULL ? joined->parts : 1;
	mt.part_ids = joined != NULL ? joined->ids : NULL;
	smsc_script_on_mt(&mt);
}

/*
 * Apply the submit faults to one submit_sm: SMSC_SUBMIT_ANSWERED when
 * a fault answered it with an error (it is not delivered),
 * SMSC_SUBMIT_WITHHELD when it is to be delivered without an answer,
 * SMSC_SUBMIT_NORMAL otherwise.
 */
static enum smsc_submit
smsc_submit_fault(const struct smpp_header *h)
{
	struct smsc_faults	*f = &smsc_faults;
	uint8_t			 out[SMPP_HEADER_LEN];
	uint32_t		 cmd = SMPP_SUBMIT_SM_RESP, status;

	if (f->withhold_nth > 0 && --f->withhold_nth == 0) {
		smsc_log("conn=%u rx submit_sm seq=%u -> withheld (nth)",
		    conn->id, h->seq);
		return SMSC_SUBMIT_WITHHELD;
	}
	if (f->withhold > 0) {
		f->withhold--;
		smsc_log("conn=%u rx submit_sm seq=%u -> withheld", conn->id,
		    h->seq);
		return SMSC_SUBMIT_WITHHELD;
	}
	if (f->nack > 0) {
		f->nack--;
		cmd = SMPP_GENERIC_NACK;
		status = f->nack_status;
	} else if (f->msgqful > 0) {
		f->msgqful--;
		status = SMPP_ESME_RMSGQFUL;
	} else if (f->throttle > 0) {
		f->throttle--;
		status = SMPP_ESME_RTHROTTLED;
	} else if (f->throttle_nth > 0 && --f->throttle_nth == 0) {
		status = SMPP_ESME_RTHROTTLED;
	} else if (f->throttle_every > 0 &&
	    ++f->throttle_seen % f->throttle_every == 0)
		status = SMPP_ESME_RTHROTTLED;
	else
		return SMSC_SUBMIT_NORMAL;
	smsc_log("conn=%u rx submit_sm seq=%u -> %s %s (fault)", conn->id,
	    h->seq, smpp_pdu_command_name(cmd), smpp_pdu_status_name(status));
	smsc_send(out, smpp_pdu_encode_header(out, sizeof(out), cmd, status,
	    h->seq));
	return SMSC_SUBMIT_ANSWERED;
}

/*
 * Every submit_sm gets ESME_ROK and the next message_id, unless a
 * fault takes it (smsc_submit_fault).
 */
static void
smsc_handle_submit(const uint8_t *buf, size_t len,
    const struct smpp_header *h)
{
	static struct smpp_msg	 m;
	static char		 text[4 * SMPP_PAYLOAD_MAX + 1];
	uint8_t			 out[128];
	char			 err[128], id[32] = "";

	if (!conn->bound) {
		smsc_send(out, smpp_pdu_encode_msg_resp(out, sizeof(out),
		    SMPP_SUBMIT_SM_RESP, h->seq, SMPP_ESME_RINVBNDSTS, ""));
		return;
	}
	if (smpp_pdu_decode_msg(buf, len, &m, err, sizeof(err)) == -1) {
		fprintf(stderr, "pilar-smsc: undecodable submit_sm seq=%u: "
		    "%s\n", h->seq, err);
		smsc_send(out, smpp_pdu_encode_msg_resp(out, sizeof(out),
		    SMPP_SUBMIT_SM_RESP, h->seq, SMPP_ESME_RSYSERR, ""));
		return;
	}
	smsc_stats.submits++;
	switch (smsc_submit_fault(h)) {
	case SMSC_SUBMIT_ANSWERED:
		return;
	case SMSC_SUBMIT_WITHHELD:
		break;
	default:
		snprintf(id, sizeof(id), "%lu", msgid_next++);
		smsc_log("conn=%u rx submit_sm seq=%u dest=%s dc=%u "
		    "octets=%zu -> message_id=%s", conn->id, h->seq,
		    m.dest_addr, m.data_coding, m.sm_len, id);
		smsc_send(out, smpp_pdu_encode_msg_resp(out, sizeof(out),
		    SMPP_SUBMIT_SM_RESP, h->seq, SMPP_ESME_ROK, id));
		break;
	}
	smsc_text_of(&m, text, sizeof(text));
	smsc_deliver_part(&m, text, id);
}

/*
 * A submit_sm reaches the phone: a part of a long MT waits for the
 * others (smsc_join.c), and the phone shows the whole message once.
 */
static void
smsc_deliver_part(const struct smpp_msg *m, const char *text,
    const char *msgid)
{
	static struct smsc_joined	joined;
	struct concat_part_info		pi;

	memset(&pi, 0, sizeof(pi));
	if (m->has_sar) {
		pi.ref = m->sar_msg_ref_num;
		pi.total = m->sar_total_segments;
		pi.seq = m->sar_segment_seqnum;
	} else if (!(m->esm_class & 0x40) || concat_udh_parse(m->sm,
	    m->sm_len, &pi) < 0)
		pi.total = 0;
	if (pi.total < 2) {
		smsc_deliver(m, text, msgid, NULL);
		return;
	}
	smsc_stats.parts++;
	smsc_script_on_part();
	smsc_log("conn=%u part dest=%s ref=%u part=%u/%u via=%s "
	    "message_id=%s", conn->id, m->dest_addr, (unsigned)pi.ref,
	    (unsigned)pi.seq, (unsigned)pi.total, m->has_sar ? "sar" : "udh",
	    msgid);
	switch (smsc_join(m->dest_addr, m->has_sar, pi.ref, pi.total, pi.seq,
	    text, msgid, &joined)) {
	case 1:
		smsc_deliver(m, joined.text, msgid, &joined);
		break;
	case 0:
		break;
	default:
		fprintf(stderr, "pilar-smsc: part %u/%u to %s not joined\n",
		    (unsigned)pi.seq, (unsigned)pi.total, m->dest_addr);
		smsc_deliver(m, text, msgid, NULL);
		break;
	}
}

/* One framed PDU from the ESME (buf[len] is the guard NUL). */
static void
smsc_handle_pdu(const uint8_t *buf, size_t len)
{
	struct smpp_header	 h;
	uint8_t			 out[SMPP_HEADER_LEN];

	smpp_pdu_header(buf, &h);
	if (h.command_id & SMPP_RESP_BIT) {
		smsc_log("conn=%u rx %s seq=%u status=%s", conn->id,
		    smpp_pdu_command_name(h.command_id), h.seq,
		    smpp_pdu_status_name(h.status));
		if (h.command_id == SMPP_DELIVER_SM_RESP &&
		    h.status == SMPP_ESME_ROK)
			smsc_stats.mo_acked++;
		smsc_script_on_resp(h.command_id, h.seq, h.status);
		return;
	}
	switch (h.command_id) {
	case SMPP_BIND_TRANSMITTER:
	case SMPP_BIND_RECEIVER:
	case SMPP_BIND_TRANSCEIVER:
		smsc_handle_bind(buf, len, &h);
		break;
	case SMPP_ENQUIRE_LINK:
		smsc_log("conn=%u rx enquire_link seq=%u", conn->id, h.seq);
		smsc_send(out, smpp_pdu_encode_header(out, sizeof(out),
		    SMPP_ENQUIRE_LINK_RESP, SMPP_ESME_ROK, h.seq));
		break;
	case SMPP_UNBIND:
		smsc_log("conn=%u rx unbind seq=%u", conn->id, h.seq);
		smsc_send(out, smpp_pdu_encode_header(out, sizeof(out),
		    SMPP_UNBIND_RESP, conn->bound ? SMPP_ESME_ROK :
		    SMPP_ESME_RINVBNDSTS, h.seq));
		conn->bound = 0;
		conn->closing = 1;
		break;
	case SMPP_SUBMIT_SM:
		smsc_handle_submit(buf, len, &h);
		break;
	default:
		smsc_log("conn=%u rx %s seq=%u -> generic_nack", conn->id,
		    smpp_pdu_command_name(h.command_id), h.seq);
		/* encode_header refuses seq 0: nack with seq 1 then. */
		smsc_send(out, smpp_pdu_encode_header(out, sizeof(out),
		    SMPP_GENERIC_NACK, SMPP_ESME_RINVCMDID,
		    h.seq != 0 && h.seq <= 0x7FFFFFFFu ? h.seq : 1));
		break;
	}
}

/*
 * Cut the input into PDUs; a hostile length ends this connection, and
 * so does the N-th PDU under `fault drop_every N' once it is handled
 * (its response is written; what follows it is never read).
 */
static void
smsc_read_cb(struct bufferevent *bev, void *arg)
{
	static uint8_t	 buf[SMPP_PDU_MAX_DEFAULT + 1];
	struct evbuffer	*in = bufferevent_get_input(bev);
	uint32_t	 len;
	char		 why[64];

	(void)arg;
	while (conn != NULL && !conn->closing) {
		switch (smpp_frame_peek(in, SMPP_PDU_MAX_DEFAULT, &len)) {
		case SMPP_FRAME_NEED_MORE:
			return;
		case SMPP_FRAME_HOSTILE:
			fprintf(stderr, "pilar-smsc: hostile command_length "
			    "%u from the ESME, closing\n", len);
			snprintf(why, sizeof(why), "command_length %u", len);
			smsc_conn_close(why);
			return;
		default:
			break;
		}
		if (smpp_frame_take(in, len, buf) == -1)
			return;
		conn->pdus++;
		smsc_handle_pdu(buf, len);
		if (conn != NULL && !conn->closing && smsc_faults.drop_every > 0 &&
		    conn->pdus % smsc_faults.drop_every == 0) {
			smsc_stats.drops++;
			smsc_log("conn=%u dropping after %lu PDUs (fault)",
			    conn->id, conn->pdus);
			smsc_conn_close_flushed("dropped (fault drop_every)");
		}
	}
}

static void
smsc_write_cb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	if (conn != NULL && conn->closing &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		smsc_conn_close(conn->closing_why != NULL ? conn->closing_why :
		    "after unbind");
}

static void
smsc_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	if (what & BEV_EVENT_EOF)
		smsc_conn_close("closed by the ESME");
	else if (what & BEV_EVENT_ERROR)
		smsc_conn_close(strerror(EVUTIL_SOCKET_ERROR()));
}

/* A new ESME: take it and pause the listener until it is gone. */
static void
smsc_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	(void)l;
	(void)sa;
	(void)salen;
	(void)arg;
	if (conn != NULL) {
		evutil_closesocket(fd);
		return;
	}
	if ((conn = calloc(1, sizeof(*conn))) == NULL) {
		fprintf(stderr, "pilar-smsc: out of memory\n");
		exit(1);
	}
	conn->id = ++conn_count;
	conn->bev = bufferevent_socket_new(smsc_base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (conn->bev == NULL) {
		fprintf(stderr, "pilar-smsc: bufferevent_socket_new failed\n");
		exit(1);
	}
	bufferevent_setcb(conn->bev, smsc_read_cb, smsc_write_cb,
	    smsc_event_cb, NULL);
	bufferevent_setwatermark(conn->bev, EV_READ, 0, SMSC_READ_HIGH);
	bufferevent_enable(conn->bev, EV_READ | EV_WRITE);
	evconnlistener_disable(listener);
	smsc_log("conn=%u accepted", conn->id);
}

/* -e: our own enquire_link while an ESME is bound. */
static void
smsc_enquire_cb(evutil_socket_t fd, short what, void *arg)
{
	uint32_t	 seq;

	(void)fd;
	(void)what;
	(void)arg;
	if (smsc_is_bound())
		smsc_send_request(SMPP_ENQUIRE_LINK, &seq);
}

/* Flush what is queued for the ESME, then exit. */
void
smsc_exit(int status)
{
	struct evbuffer	*out;
	evutil_socket_t	 fd;
	int		 tries;

	printf("smsc_summary mt=%lu unique_mt=%lu binds=%lu refused_binds=%lu "
	    "submits=%lu drops=%lu mo=%lu mo_acked=%lu receipts=%lu "
	    "parts=%lu\n", smsc_stats.mt, smsc_stats.unique_mt,
	    smsc_stats.binds, smsc_stats.refused_binds, smsc_stats.submits,
	    smsc_stats.drops, smsc_stats.mo, smsc_stats.mo_acked,
	    smsc_stats.receipts, smsc_stats.parts);
	fflush(stdout);
	if (conn != NULL) {
		out = bufferevent_get_output(conn->bev);
		fd = bufferevent_getfd(conn->bev);
		for (tries = 0; tries < 100 &&
		    evbuffer_get_length(out) > 0; tries++)
			if (evbuffer_write(out, fd) < 0 && errno != EAGAIN)
				break;
		bufferevent_free(conn->bev);
		free(conn);
		conn = NULL;
	}
	exit(status);
}

/* Written to a temporary name and renamed: readers never see half. */
static int
smsc_write_port_file(const char *path, unsigned port)
{
	char	 tmp[4096];
	FILE	*f;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path,
	    (long)getpid()) >= sizeof(tmp))
		return -1;
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(f, "%u\n", port);
	if (fclose(f) != 0 || rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "port-file", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_in	 sin;
	socklen_t		 slen;
	const char		*addr = "127.0.0.1", *port_file = NULL;
	long			 port = 0;
	char			*end;
	int			 ch;

	while ((ch = getopt_long(argc, argv, "d:e:hl:p:s:t:vw:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			smsc_opts.shortcode = optarg;
			break;
		case 'e':
			opt_enquire_s = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || opt_enquire_s < 0)
				usage();
			break;
		case 'l':
			addr = optarg;
			break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end != '\0' || port < 0 || port > 65535)
				usage();
			break;
		case 'P':
			port_file = optarg;
			break;
		case 's':
			opt_system_id = optarg;
			break;
		case 't':
			smsc_opts.timeout_s = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || smsc_opts.timeout_s <= 0)
				usage();
			break;
		case 'v':
			smsc_opts.verbose = 1;
			break;
		case 'w':
			opt_password = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((smsc_base = event_base_new()) == NULL) {
		fprintf(stderr, "pilar-smsc: event_base_new failed\n");
		return 1;
	}
	/* A bad script path fails before anyone could connect. */
	if (smsc_script_open(argc == 1 ? argv[0] : NULL) == -1)
		return 2;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "pilar-smsc: %s: not an IPv4 address\n", addr);
		return 2;
	}
	listener = evconnlistener_new_bind(smsc_base, smsc_accept_cb, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 16,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (listener == NULL) {
		fprintf(stderr, "pilar-smsc: listen on %s:%ld: %s\n", addr,
		    port, strerror(errno));
		return 1;
	}
	slen = sizeof(sin);
	if (getsockname(evconnlistener_get_fd(listener),
	    (struct sockaddr *)&sin, &slen) == -1) {
		fprintf(stderr, "pilar-smsc: getsockname: %s\n",
		    strerror(errno));
		return 1;
	}
	smsc_log("listening on %s:%u", addr, ntohs(sin.sin_port));
	if (port_file != NULL &&
	    smsc_write_port_file(port_file, ntohs(sin.sin_port)) == -1) {
		fprintf(stderr, "pilar-smsc: %s: %s\n", port_file,
		    strerror(errno));
		return 1;
	}
	if (opt_enquire_s > 0) {
		struct timeval	 tv = { opt_enquire_s, 0 };

		enquire_ev = event_new(smsc_base, -1, EV_PERSIST,
		    smsc_enquire_cb, NULL);
		event_add(enquire_ev, &tv);
	}
	event_base_dispatch(smsc_base);
	smsc_exit(0);
}
