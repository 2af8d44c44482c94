/*
 * smsc_script.c: the script interpreter of pilar-smsc.
 *
 * One command per line, run in order; a command that waits (wait_bind,
 * expect_*, enquire, sleep...) suspends the script until the server
 * reports what it waits for, or until its deadline.  The loop is never
 * blocked (except by `sh', on purpose).  Events from the server only
 * record state and schedule run_ev; smsc_script_run() then polls the
 * current wait, so it never runs inside the server's read loop.
 *
 * A script file is read whole at start; stdin is followed with a read
 * event when it is a pipe, socket or TTY, and read whole otherwise
 * (epoll refuses regular files and /dev/null).
 * On a TTY a bare `PHONE TEXT' line means `mo PHONE TEXT', a `> '
 * prompt is shown and a failure does not end the simulator.
 *
 * Commands (`#' starts a comment line; TEXT takes \n \t \\ \uXXXX;
 * every wait fails after -t seconds unless it says otherwise):
 *
 *	mo PHONE TEXT		send a deliver_sm ("+62..." = international);
 *				over 253 octets the text goes whole in
 *				message_payload
 *	mo_long PHONE [udh8|udh16|sar] [ref=N] [parts=LIST] TEXT
 *				send TEXT as a long MO, one deliver_sm per
 *				part, cut as pilard cuts its MTs (segment.h:
 *				153 GSM-7 septets or 67 UCS-2 units a part),
 *				behind the UDH 05 00 03 ref total seq (udh8,
 *				the default) or 06 08 04 refHi refLo total
 *				seq (udh16), or with no UDH and the SAR TLVs
 *				(sar).  ref=N: the reference (at most 255
 *				with udh8); by default one more than the last
 *				mo_long's, from 1.  parts=3,1,2: send these
 *				parts in this order (leave some out for an
 *				incomplete message, name one twice for a
 *				redelivery); all, in order, by default.  TEXT
 *				must need two parts at least.  Each part is
 *				printed `>> PHONE: [part 2/3 ref=7 udh8] ...';
 *				the last one sent is the last MO for
 *				expect_resp and redeliver
 *	receipt STATE [FORM] [hex|dec]
 *				send a delivery receipt (deliver_sm,
 *				esm_class 0x04) for the last MT delivered,
 *				quoting the message_id its submit_sm_resp
 *				gave, from its phone to its short code; it
 *				fails if that MT was withheld.  STATE:
 *				DELIVRD UNDELIV EXPIRED REJECTD DELETED
 *				ACCEPTD UNKNOWN ENROUTE (message_state 2 5 3
 *				8 4 6 7 1).  FORM: tlv (receipted_message_id
 *				and message_state only), text ("id:ID sub:001
 *				dlvrd:001 submit date:YYMMDDhhmm done
 *				date:YYMMDDhhmm stat:DELIVRD err:000 text:"
 *				and the MT's first 20 characters, non-ASCII
 *				as `?') or both (the default).  hex writes
 *				the id of the text form in upper-case hex
 *				(message ids are decimal; the TLV keeps the
 *				id as given); dec (the default) as given.
 *				It is the last MO for expect_resp, redeliver
 *				and redeliver_lost
 *	receipt_for ID STATE [FORM] [hex|dec]
 *				the same for message_id ID, which nobody
 *				need have (an unmatched receipt); from the
 *				last MT's phone, or 6280000000000
 *	msgid N			the next submit_sm answered ESME_ROK gets
 *				message_id N (decimal), then N+1... (from 1
 *				at start)
 *	redeliver		send the last MO (or receipt) again (same
 *				content, new sequence number), as an SMSC
 *				does when its deliver_sm_resp was lost
 *	redeliver_lost on|off	(off at start) an MO whose connection closed
 *				before its deliver_sm_resp is sent again
 *				after the next bind, as a store-and-forward
 *				SMSC does; a response of any status settles
 *				an MO
 *	raw HEX			send bytes as they are
 *	enquire, unbind		send one, wait for its response (ESME_ROK)
 *	drop			close the ESME connection now
 *	sh CMD			run CMD with /bin/sh; fail unless it exits 0
 *	quit			exit 0 now
 *	wait_bind		wait until an ESME is bound
 *	expect_resp STATUS	wait for the last MO's (or receipt's)
 *				deliver_sm_resp, fail unless STATUS (ok,
 *				0x64, ESME_RX_T_APPN...)
 *	expect_acked		wait until no MO awaits its deliver_sm_resp
 *	expect_mt [TEXT]	take the next MT; fail unless it contains TEXT
 *	expect_mt_to PHONE [TEXT]  the same, and it must go to PHONE
 *	no_mt MS		fail if an MT comes (or is left) within MS ms
 *	flush_mt		forget the MTs no expectation took yet
 *	settle MS		wait until no MT came for MS ms, then forget
 *				the MTs not taken (fails if they keep coming)
 *	expect_mt_count N	wait until N MTs were delivered since start,
 *				duplicates and withheld ones included; fail
 *				at once if there are more
 *	expect_bind_attempts N	wait until N binds arrived since start,
 *				refused ones included
 *	expect_no_bind MS	fail if a bind arrives within MS ms
 *	expect_close		wait until the ESME we dealt with is gone
 *	sleep MS		wait
 *	fault NAME N [STATUS]	inject faults (N = 0 turns one off):
 *	  drop_every N		  close the connection after every N PDUs
 *				  received on it (the N-th is answered)
 *	  withhold N		  deliver the next N submit_sm but never
 *				  answer them (the ESME must time out and
 *				  resend: the phone then gets it twice)
 *	  throttle N		  answer the next N submit_sm ESME_RTHROTTLED
 *	  throttle_every K	  throttle every K-th submit_sm (2 = every
 *				  other) until `fault throttle_every 0'
 *	  nack N [STATUS]	  answer the next N submit_sm with generic_nack,
 *				  STATUS ESME_RSYSERR (0x08) by default: what
 *				  an overloaded SMSC sends when it cannot
 *				  take a PDU at all
 *	  msgqful N		  answer the next N submit_sm ESME_RMSGQFUL
 *	  refuse_bind N [STATUS]  refuse the next N binds with STATUS,
 *				  ESME_RBINDFAIL (0x0D) by default (0x0E:
 *				  bad password), then close the connection
 *	A submit_sm takes the first of withhold, nack, msgqful, throttle
 *	that is set; throttle_every counts the others.  Error responses are
 *	header-only.  Faults are not MTs: only delivered submits count.
 *
 * USSD dialogues (deliver_sm with ussd_service_op and its_session_info;
 * the screens come back as submit_sm, printed `<< PHONE: [USSD CON ...]'):
 *
 *	ussd PHONE DIALLED	open a dialogue: op 1 (PSSR indication) with
 *				the dial string (*123# or *123*1*12345#) and
 *				a new session number for PHONE
 *	ussd_answer PHONE TEXT	answer the screen: op 18 (USSR confirm) in
 *				PHONE's dialogue, its sequence one up
 *	ussd_abort PHONE	the user cancels: op 18 with the end bit of
 *				its_session_info set (no answer expected)
 *	expect_ussd PHONE con|end [TEXT]
 *				take the next MT; fail unless it goes to
 *				PHONE as a USSD screen that continues (op 2,
 *				end bit clear) or ends (op 17, end bit set),
 *				echoes PHONE's session number and contains
 *				TEXT (\n for a line break)
 *	On a TTY these work at the prompt too: `ussd 62812... *123#', then
 *	`ussd_answer 62812... 1' for each screen.
 */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/buffer.h>

#include "codec.h"
#include "segment.h"
#include "smpp_pdu.h"
#include "smsc.h"

#define SCRIPT_PARTS_LIST_MAX	64	/* parts=LIST entries */

enum script_wait {
	WAIT_NONE,
	WAIT_BIND,
	WAIT_RESP,	/* deliver_sm_resp of the last mo */
	WAIT_MT,	/* expect_mt, expect_mt_to */
	WAIT_NO_MT,
	WAIT_REQ,	/* enquire, unbind: the resp to req_seq */
	WAIT_CLOSE,
	WAIT_SLEEP,
	WAIT_ACKED,	/* every MO answered */
	WAIT_MT_COUNT,
	WAIT_BIND_ATTEMPTS,
	WAIT_NO_BIND,
	WAIT_SETTLE
};

static const char *const wait_names[] = {
	"nothing", "a bind", "the deliver_sm_resp", "an MT", "no MT",
	"the response", "the ESME to close", "the time",
	"every deliver_sm_resp", "the MT count", "bind attempts",
	"no bind", "the MTs to settle"
};

enum script_poll {
	POLL_PENDING,
	POLL_MET
};

/* An MO (or receipt) waiting for its deliver_sm_resp. */
struct script_mo {
	struct script_mo	*next;
	char			*phone;		/* as given to mo */
	char			*text;		/* UTF-8 */
	struct smsc_receipt	*rcpt;		/* a receipt: not phone, text */
	struct smsc_part	*part;		/* a part of a long MO (text:
						   the part's) */
	uint32_t		 seq;
	unsigned		 conn;		/* sent on this connection */
	int			 lost;		/* conn closed, no resp */
};

/* An MT not yet consumed by an expectation. */
struct script_mt {
	struct script_mt	*next;
	char			*dest;
	char			*text;		/* UTF-8 */
	int			 ussd_op;	/* -1: an SMS */
	int			 has_its;
	uint16_t		 its;
};

#define SCRIPT_USSD_MAX		256	/* phones in a USSD dialogue */

/* A phone's USSD dialogue: its session number and next sequence. */
struct script_ussd {
	char			 phone[SMSC_ADDR_MAX + 2];
	uint8_t			 session;
	uint8_t			 seq;		/* 0 .. 127 */
};

static char		**lines;	/* every line, comments included */
static size_t		  nlines, lines_cap, pc;
static int		  input_eof, interactive, prompted;
static struct event	 *run_ev, *timer_ev, *stdin_ev;
static struct evbuffer	 *stdin_buf;

static struct script_mt	 *mt_head, **mt_tail = &mt_head;
static struct script_mo	 *mo_head;	/* unanswered MOs */
static char		 *last_phone, *last_text;	/* for redeliver */
static struct smsc_receipt *last_rcpt;	/* for redeliver, if last */
static struct smsc_part	 *last_part;	/* for redeliver, if last */
static unsigned long	  next_ref = 1;	/* mo_long's reference */
/* The last MT delivered, as a receipt for it would quote it. */
static struct smsc_receipt  last_mt;
static int		  last_mt_seen;
static int		  redeliver_lost;
static unsigned long	  mt_arrivals;	/* smsc_script_on_mt calls */
static struct script_ussd  ussds[SCRIPT_USSD_MAX];
static unsigned		  ussd_sessions;	/* numbers given so far */
static const struct smsc_ussd *dlv_ussd;	/* send_dlv: USSD TLVs */
static int		  wait_ussd;	/* expect_ussd: 1 con, 2 end */
static int		  wait_session;	/* its session number, -1 any */

/* The current wait and what it needs. */
static enum script_wait	  wait_kind;
static char		 *wait_text;	/* expect_mt: substring wanted */
static char		 *wait_phone;	/* expect_mt_to: digits wanted */
static uint32_t		  wait_status;	/* expect_resp */
static unsigned		  wait_conn;	/* expect_close, enquire, unbind */
static unsigned long	  wait_count;	/* expect_mt_count, bind attempts */
static long		  wait_ms;	/* settle: quiet time wanted */
static struct timeval	  wait_deadline;	/* settle: give up then */
static int		  wait_timed_out;

/* The last mo, and the pending enquire/unbind. */
static uint32_t		  mo_seq;
static unsigned		  mo_conn;
static int		  mo_resp_got;
static uint32_t		  mo_resp_status;
static uint32_t		  req_seq;
static int		  req_resp_got;
static uint32_t		  req_resp_status;
static unsigned		  script_conn;	/* the ESME the script talks to */

static void	*xmalloc(size_t);
static char	*xstrdup(const char *);
static void	 script_fail(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static void	 script_schedule(void);
static void	 script_add_line(const char *, size_t);
static void	 script_stdin_cb(evutil_socket_t, short, void *);
static void	 script_run_cb(evutil_socket_t, short, void *);
static void	 script_timer_cb(evutil_socket_t, short, void *);
static void	 script_arm(long);
static void	 script_end_wait(void);
static enum script_poll	 script_poll(void);
static int	 script_exec(char *);
static void	 script_run(void);
static char	*next_word(char **);
static void	 unescape(char *);
static void	 digits_of(const char *, char *, size_t);
static int	 parse_status(const char *, uint32_t *);
static int	 cmd_mo(char *, char *);
static int	 cmd_mo_long(char *);
static int	 parse_parts(const char *, int *, int *);
static int	 cmd_redeliver(void);
static int	 cmd_receipt(char *, int);
static int	 cmd_msgid(char *);
static int	 cmd_fault(char *);
static struct script_ussd *ussd_of(const char *, int);
static int	 cmd_ussd(const char *, char *, char *);
static int	 send_mo(const char *, const char *, const char *);
static int	 send_receipt(const struct smsc_receipt *, const char *);
static int	 send_dlv(const char *, const char *,
		    const struct smsc_receipt *, const struct smsc_part *,
		    uint32_t *);
static void	 mo_free(struct script_mo *);
static void	 quote_ascii(const char *, char *, size_t, size_t);
static void	 script_forward(void);
static void	 flush_mts(void);
static size_t	 mo_pending(void);
static int	 parse_count(const char *, unsigned long *);
static int	 cmd_raw(char *);
static int	 cmd_sh(const char *);
static int	 parse_ms(const char *, long *);

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL) {
		fprintf(stderr, "pilar-smsc: out of memory\n");
		exit(1);
	}
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t	 n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/*
 * The first failed expectation ends the run with status 1.  On a TTY
 * the wait is dropped and the caller goes on with the next line.
 */
static void
script_fail(const char *fmt, ...)
{
	va_list	 ap;

	fflush(stdout);
	fprintf(stderr, "pilar-smsc: FAIL line %zu: ", pc + 1);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (!interactive)
		smsc_exit(1);
	script_end_wait();
}

static void
script_schedule(void)
{
	event_active(run_ev, 0, 0);
}

static void
script_add_line(const char *s, size_t n)
{
	char	*l;

	if (nlines == lines_cap) {
		lines_cap = lines_cap ? 2 * lines_cap : 64;
		if ((lines = realloc(lines, lines_cap * sizeof(*lines))) ==
		    NULL) {
			fprintf(stderr, "pilar-smsc: out of memory\n");
			exit(1);
		}
	}
	l = xmalloc(n + 1);
	memcpy(l, s, n);
	l[n] = '\0';
	while (n > 0 && isspace((unsigned char)l[n - 1]))
		l[--n] = '\0';
	lines[nlines++] = l;
}

int
smsc_script_open(const char *path)
{
	struct stat	 st;
	FILE		*f = NULL;
	char		*l = NULL;
	size_t		 cap = 0;
	ssize_t		 n;

	run_ev = event_new(smsc_base, -1, 0, script_run_cb, NULL);
	timer_ev = evtimer_new(smsc_base, script_timer_cb, NULL);
	if (path == NULL && fstat(STDIN_FILENO, &st) == 0 &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	    isatty(STDIN_FILENO))) {
		/* Follow stdin as it comes. */
		interactive = isatty(STDIN_FILENO);
		stdin_buf = evbuffer_new();
		stdin_ev = event_new(smsc_base, STDIN_FILENO,
		    EV_READ | EV_PERSIST, script_stdin_cb, NULL);
		event_add(stdin_ev, NULL);
		script_schedule();
		return 0;
	}
	if (path == NULL)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "pilar-smsc: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&l, &cap, f)) != -1)
		script_add_line(l, (size_t)n);
	free(l);
	if (f != stdin)
		fclose(f);
	input_eof = 1;
	script_schedule();
	return 0;
}

/* Lines from stdin; the part after the last newline waits for more. */
static void
script_stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	char	*l;
	size_t	 n;
	int	 r;

	(void)what;
	(void)arg;
	r = evbuffer_read(stdin_buf, fd, 4096);
	while ((l = evbuffer_readln(stdin_buf, &n, EVBUFFER_EOL_LF)) != NULL) {
		script_add_line(l, n);
		free(l);
	}
	if (r <= 0 && !(r == -1 && (errno == EAGAIN || errno == EINTR))) {
		n = evbuffer_get_length(stdin_buf);
		if (n > 0) {
			l = xmalloc(n);
			evbuffer_remove(stdin_buf, l, n);
			script_add_line(l, n);
			free(l);
		}
		input_eof = 1;
		event_del(stdin_ev);
	}
	script_schedule();
}

static void
script_run_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	script_run();
}

static void
script_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	wait_timed_out = 1;
	script_run();
}

/* Deadline of the current wait, in milliseconds. */
static void
script_arm(long ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	wait_timed_out = 0;
	evtimer_add(timer_ev, &tv);
}

static void
script_end_wait(void)
{
	wait_kind = WAIT_NONE;
	evtimer_del(timer_ev);
	wait_timed_out = 0;
	free(wait_text);
	free(wait_phone);
	wait_text = wait_phone = NULL;
	wait_ussd = 0;
}

void
smsc_script_on_bound(void)
{
	script_schedule();
}

/*
 * The first maxch characters of utf8 into out (outsz octets), ASCII:
 * a non-ASCII character, a control or a backquote (not in GSM-7)
 * becomes `?'.
 */
static void
quote_ascii(const char *utf8, char *out, size_t outsz, size_t maxch)
{
	const unsigned char	*p = (const unsigned char *)utf8;
	size_t			 n = 0;

	while (*p != '\0' && n < maxch && n + 1 < outsz) {
		if (*p >= 0x80) {
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
			out[n++] = '?';
			continue;
		}
		out[n++] = *p < 0x20 || *p == 0x7F || *p == '`' ? '?' :
		    (char)*p;
		p++;
	}
	out[n] = '\0';
}

void
smsc_script_on_mt(const struct smsc_mt *m)
{
	struct script_mt	*mt;

	/* What `receipt' will quote. */
	memset(&last_mt, 0, sizeof(last_mt));
	snprintf(last_mt.phone, sizeof(last_mt.phone), "%s", m->dest);
	snprintf(last_mt.shortcode, sizeof(last_mt.shortcode), "%s",
	    m->source);
	snprintf(last_mt.id, sizeof(last_mt.id), "%s", m->message_id);
	quote_ascii(m->text, last_mt.text, sizeof(last_mt.text),
	    SMSC_RECEIPT_CHARS);
	last_mt.submitted = time(NULL);
	last_mt_seen = 1;

	mt = xmalloc(sizeof(*mt));
	mt->next = NULL;
	mt->dest = xstrdup(m->dest);
	mt->text = xstrdup(m->text);
	mt->ussd_op = m->ussd_op;
	mt->has_its = m->has_its;
	mt->its = m->its;
	*mt_tail = mt;
	mt_tail = &mt->next;
	mt_arrivals++;
	prompted = 0;		/* the `<<' line took the prompt's place */
	script_schedule();
}

void
smsc_script_on_bind_attempt(void)
{
	script_schedule();
}

/* A generic_nack counts as the response to the request it names. */
void
smsc_script_on_resp(uint32_t command_id, uint32_t seq, uint32_t status)
{
	struct script_mo	*mo, **pp;

	if (command_id == SMPP_DELIVER_SM_RESP ||
	    command_id == SMPP_GENERIC_NACK)
		for (pp = &mo_head; (mo = *pp) != NULL; pp = &mo->next)
			if (mo->seq == seq && !mo->lost) {
				*pp = mo->next;
				mo_free(mo);
				break;
			}
	if (seq == mo_seq && (command_id == SMPP_DELIVER_SM_RESP ||
	    command_id == SMPP_GENERIC_NACK)) {
		mo_resp_got = 1;
		mo_resp_status = command_id == SMPP_GENERIC_NACK &&
		    status == 0 ? SMPP_ESME_RINVCMDID : status;
	} else if (seq == req_seq && (command_id == SMPP_ENQUIRE_LINK_RESP ||
	    command_id == SMPP_UNBIND_RESP ||
	    command_id == SMPP_GENERIC_NACK)) {
		req_resp_got = 1;
		req_resp_status = command_id == SMPP_GENERIC_NACK ?
		    SMPP_ESME_RINVCMDID : status;
	}
	script_schedule();
}

/* MOs sent on that connection and not answered are lost. */
void
smsc_script_on_close(unsigned conn_id)
{
	struct script_mo	*mo;

	for (mo = mo_head; mo != NULL; mo = mo->next)
		if (mo->conn == conn_id)
			mo->lost = 1;
	script_schedule();
}

/* How many MOs still wait for their deliver_sm_resp, lost ones too. */
static size_t
mo_pending(void)
{
	struct script_mo	*mo;
	size_t			 n = 0;

	for (mo = mo_head; mo != NULL; mo = mo->next)
		n++;
	return n;
}

/* redeliver_lost: send the lost MOs again once an ESME is bound. */
static void
script_forward(void)
{
	struct script_mo	*mo;
	char			 err[128];
	uint32_t		 old;

	if (!redeliver_lost || !smsc_is_bound())
		return;
	for (mo = mo_head; mo != NULL; mo = mo->next) {
		if (!mo->lost)
			continue;
		old = mo->seq;
		if ((mo->rcpt != NULL ? smsc_send_receipt(mo->rcpt, &mo->seq,
		    err, sizeof(err)) : mo->part != NULL ?
		    smsc_send_part(mo->phone, mo->part, &mo->seq, err,
		    sizeof(err)) : smsc_send_mo(mo->phone, mo->text,
		    &mo->seq, err, sizeof(err))) == -1) {
			script_fail("redelivery: %s", err);
			return;
		}
		if (old == mo_seq) {
			/* expect_resp now waits for this one. */
			mo_seq = mo->seq;
			mo_conn = smsc_conn_id();
			mo_resp_got = 0;
		}
		mo->conn = smsc_conn_id();
		mo->lost = 0;
		printf(">> %s: %s (redelivered)\n", mo->phone, mo->text);
	}
	fflush(stdout);
}

/* Forget the MTs no expectation took. */
static void
flush_mts(void)
{
	struct script_mt	*mt;

	while ((mt = mt_head) != NULL) {
		mt_head = mt->next;
		free(mt->dest);
		free(mt->text);
		free(mt);
	}
	mt_tail = &mt_head;
}

/* Is the current wait over?  script_fail() when it cannot be met. */
static enum script_poll
script_poll(void)
{
	struct script_mt	*mt;
	struct timeval		 now;
	char			 digits[32];
	int			 ok;

	switch (wait_kind) {
	case WAIT_BIND:
		if (smsc_is_bound()) {
			script_conn = smsc_conn_id();
			return POLL_MET;
		}
		break;
	case WAIT_RESP:
		if (mo_resp_got) {
			if (mo_resp_status != wait_status)
				script_fail("deliver_sm_resp %s, expected %s",
				    smpp_pdu_status_name(mo_resp_status),
				    smpp_pdu_status_name(wait_status));
			return POLL_MET;
		}
		if (smsc_conn_id() != mo_conn && !redeliver_lost) {
			script_fail("connection closed before the "
			    "deliver_sm_resp");
			return POLL_MET;
		}
		break;
	case WAIT_MT:
		if ((mt = mt_head) == NULL)
			break;
		if ((mt_head = mt->next) == NULL)
			mt_tail = &mt_head;
		digits_of(mt->dest, digits, sizeof(digits));
		ok = wait_text == NULL || strstr(mt->text, wait_text) != NULL;
		if (wait_phone != NULL && strcmp(digits, wait_phone) != 0)
			script_fail("MT to %s, expected %s: %s", mt->dest,
			    wait_phone, mt->text);
		else if (!ok)
			script_fail("MT \"%s\" lacks \"%s\"", mt->text,
			    wait_text);
		else if (wait_ussd && (mt->ussd_op != (wait_ussd == 1 ? 2 :
		    17) || !mt->has_its || (mt->its & 1) != (wait_ussd == 2) ||
		    (wait_session >= 0 && (mt->its >> 8) != wait_session)))
			script_fail("MT to %s is not a USSD %s screen of "
			    "session %d (op=%d its=0x%04x): %s", mt->dest,
			    wait_ussd == 1 ? "con" : "end", wait_session,
			    mt->ussd_op, (unsigned)mt->its, mt->text);
		free(mt->dest);
		free(mt->text);
		free(mt);
		return POLL_MET;
	case WAIT_NO_MT:
		if (mt_head != NULL) {
			script_fail("unexpected MT to %s: %s", mt_head->dest,
			    mt_head->text);
			return POLL_MET;
		}
		if (wait_timed_out)
			return POLL_MET;
		return POLL_PENDING;
	case WAIT_REQ:
		if (req_resp_got) {
			if (req_resp_status != SMPP_ESME_ROK)
				script_fail("response %s",
				    smpp_pdu_status_name(req_resp_status));
			return POLL_MET;
		}
		if (smsc_conn_id() != wait_conn) {
			script_fail("connection closed before the response");
			return POLL_MET;
		}
		break;
	case WAIT_CLOSE:
		if (wait_conn == 0 || smsc_conn_id() != wait_conn)
			return POLL_MET;
		break;
	case WAIT_SLEEP:
		return wait_timed_out ? POLL_MET : POLL_PENDING;
	case WAIT_ACKED:
		if (mo_head == NULL)
			return POLL_MET;
		if (wait_timed_out) {
			script_fail("timeout after %d s: %zu MO(s) without "
			    "deliver_sm_resp%s", smsc_opts.timeout_s,
			    mo_pending(), redeliver_lost ? "" :
			    " (lost with their connection? redeliver_lost "
			    "is off)");
			return POLL_MET;
		}
		return POLL_PENDING;
	case WAIT_MT_COUNT:
		if (smsc_stats.mt > wait_count) {
			script_fail("%lu MTs delivered, expected %lu",
			    smsc_stats.mt, wait_count);
			return POLL_MET;
		}
		if (smsc_stats.mt == wait_count)
			return POLL_MET;
		if (wait_timed_out) {
			script_fail("timeout after %d s: %lu MTs delivered, "
			    "expected %lu", smsc_opts.timeout_s,
			    smsc_stats.mt, wait_count);
			return POLL_MET;
		}
		return POLL_PENDING;
	case WAIT_BIND_ATTEMPTS:
		if (smsc_stats.bind_attempts >= wait_count)
			return POLL_MET;
		if (wait_timed_out) {
			script_fail("timeout after %d s: %lu bind attempts, "
			    "expected %lu", smsc_opts.timeout_s,
			    smsc_stats.bind_attempts, wait_count);
			return POLL_MET;
		}
		return POLL_PENDING;
	case WAIT_NO_BIND:
		if (smsc_stats.bind_attempts > wait_count) {
			script_fail("a bind attempt (the %lu-th) within %ld ms",
			    smsc_stats.bind_attempts, wait_ms);
			return POLL_MET;
		}
		return wait_timed_out ? POLL_MET : POLL_PENDING;
	case WAIT_SETTLE:
		if (mt_arrivals != wait_count) {
			/* Another MT: the quiet time starts again. */
			wait_count = mt_arrivals;
			gettimeofday(&now, NULL);
			if (timercmp(&now, &wait_deadline, >)) {
				script_fail("MTs still coming after %d s",
				    smsc_opts.timeout_s);
				return POLL_MET;
			}
			script_arm(wait_ms);
			return POLL_PENDING;
		}
		if (!wait_timed_out)
			return POLL_PENDING;
		flush_mts();
		return POLL_MET;
	case WAIT_NONE:
		return POLL_MET;
	}
	if (wait_timed_out) {
		script_fail("timeout after %d s waiting for %s",
		    smsc_opts.timeout_s, wait_names[wait_kind]);
		return POLL_MET;
	}
	return POLL_PENDING;
}

/*
 * Run lines until one waits or the input is exhausted.  At the end of
 * a script (or of stdin) the run is over: exit 0.
 */
static void
script_run(void)
{
	script_forward();
	for (;;) {
		if (wait_kind != WAIT_NONE) {
			if (script_poll() == POLL_PENDING)
				return;
			script_end_wait();	/* met, or failed on a TTY */
			pc++;
			continue;
		}
		if (pc >= nlines) {
			if (input_eof)
				smsc_exit(0);
			if (interactive && !prompted) {
				printf("> ");
				fflush(stdout);
				prompted = 1;
			}
			return;
		}
		prompted = 0;
		if (script_exec(lines[pc]) == 0)
			pc++;
	}
}

/* The next blank-separated word of *p (NUL terminated), or NULL. */
static char *
next_word(char **p)
{
	char	*s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s != '\0' && *s != ' ' && *s != '\t')
		s++;
	if (*s != '\0')
		*s++ = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	*p = s;
	return w;
}

/* \n \r \t \\ and \uXXXX (as UTF-8) in TEXT arguments, in place. */
static void
unescape(char *s)
{
	char		*o = s, hex[5];
	unsigned long	 u;

	while (*s != '\0') {
		if (*s != '\\' || s[1] == '\0') {
			*o++ = *s++;
			continue;
		}
		switch (s[1]) {
		case 'n': *o++ = '\n'; s += 2; continue;
		case 'r': *o++ = '\r'; s += 2; continue;
		case 't': *o++ = '\t'; s += 2; continue;
		case '\\': *o++ = '\\'; s += 2; continue;
		case 'u':
			if (strspn(s + 2, "0123456789abcdefABCDEF") < 4)
				break;
			memcpy(hex, s + 2, 4);
			hex[4] = '\0';
			u = strtoul(hex, NULL, 16);
			if (u < 0x80)
				*o++ = (char)u;
			else if (u < 0x800) {
				*o++ = (char)(0xC0 | u >> 6);
				*o++ = (char)(0x80 | (u & 0x3F));
			} else {
				*o++ = (char)(0xE0 | u >> 12);
				*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
				*o++ = (char)(0x80 | (u & 0x3F));
			}
			s += 6;
			continue;
		default:
			break;
		}
		*o++ = *s++;
	}
	*o = '\0';
}

static void
digits_of(const char *s, char *out, size_t outsz)
{
	size_t	 n = 0;

	for (; *s != '\0' && n + 1 < outsz; s++)
		if (isdigit((unsigned char)*s))
			out[n++] = *s;
	out[n] = '\0';
}

/* `ok', a number (0x64, 100) or a name (ESME_RX_T_APPN). */
static int
parse_status(const char *s, uint32_t *out)
{
	char		*end;
	unsigned long	 v;
	uint32_t	 i;

	if (strcasecmp(s, "ok") == 0) {
		*out = SMPP_ESME_ROK;
		return 0;
	}
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno == 0 && *end == '\0' && end != s && v <= 0xFFFFFFFFul) {
		*out = (uint32_t)v;
		return 0;
	}
	for (i = 0; i < 0x500; i++)
		if (strcasecmp(s, smpp_pdu_status_name(i)) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

static void
mo_free(struct script_mo *mo)
{
	free(mo->phone);
	free(mo->text);
	free(mo->rcpt);
	free(mo->part);
	free(mo);
}

/*
 * Send an MO (phone, text), a part of a long one (phone, part; text is
 * the part's) or a receipt (rcpt, phone and text NULL) and keep it
 * until its deliver_sm_resp comes (for expect_acked and
 * redeliver_lost); it becomes the last MO, the one expect_resp waits
 * for.  0, or -1 after script_fail().
 */
static int
send_dlv(const char *phone, const char *text,
    const struct smsc_receipt *rcpt, const struct smsc_part *part,
    uint32_t *seq)
{
	struct script_mo	*mo, **pp;
	char			 err[128];

	if ((rcpt != NULL ? smsc_send_receipt(rcpt, seq, err, sizeof(err)) :
	    dlv_ussd != NULL ? smsc_send_ussd(phone, text, dlv_ussd, seq, err,
	    sizeof(err)) : part != NULL ? smsc_send_part(phone, part, seq, err,
	    sizeof(err)) : smsc_send_mo(phone, text, seq, err,
	    sizeof(err))) == -1) {
		script_fail("%s: %s", rcpt != NULL ? "receipt" :
		    part != NULL ? "mo_long" : "mo", err);
		return -1;
	}
	mo_seq = *seq;
	mo_conn = script_conn = smsc_conn_id();
	mo_resp_got = 0;
	mo = xmalloc(sizeof(*mo));
	mo->next = NULL;
	mo->phone = phone != NULL ? xstrdup(phone) : NULL;
	mo->text = text != NULL ? xstrdup(text) : NULL;
	mo->rcpt = NULL;
	if (rcpt != NULL) {
		mo->rcpt = xmalloc(sizeof(*mo->rcpt));
		*mo->rcpt = *rcpt;
	}
	mo->part = NULL;
	if (part != NULL) {
		mo->part = xmalloc(sizeof(*mo->part));
		*mo->part = *part;
	}
	mo->seq = mo_seq;
	mo->conn = mo_conn;
	mo->lost = 0;
	for (pp = &mo_head; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = mo;
	return 0;
}

/* An MO; tag is printed after the text. */
static int
send_mo(const char *phone, const char *text, const char *tag)
{
	uint32_t	 seq;

	if (send_dlv(phone, text, NULL, NULL, &seq) == -1)
		return -1;
	printf(">> %s: %s%s\n", phone, text, tag);
	fflush(stdout);
	return 0;
}

/* A receipt, printed as `>> PHONE: receipt ID STAT (FORM)TAG'. */
static int
send_receipt(const struct smsc_receipt *r, const char *tag)
{
	uint32_t	 seq;

	if (send_dlv(NULL, NULL, r, NULL, &seq) == -1)
		return -1;
	printf(">> %s: receipt id=%s stat=%s (%s%s)%s\n", r->phone, r->id,
	    smsc_receipt_stat(r->state),
	    r->form == (SMSC_RECEIPT_TLV | SMSC_RECEIPT_TEXT) ? "both" :
	    r->form == SMSC_RECEIPT_TLV ? "tlv" : "text",
	    r->hex && (r->form & SMSC_RECEIPT_TEXT) ? ", hex" : "", tag);
	fflush(stdout);
	return 0;
}

/* PHONE's dialogue (by its digits); a new one when create is set. */
static struct script_ussd *
ussd_of(const char *phone, int create)
{
	char	digits[SMSC_ADDR_MAX + 2];
	size_t	i, free_slot = SCRIPT_USSD_MAX;

	digits_of(phone, digits, sizeof(digits));
	for (i = 0; i < SCRIPT_USSD_MAX; i++) {
		if (ussds[i].phone[0] == '\0') {
			if (free_slot == SCRIPT_USSD_MAX)
				free_slot = i;
			continue;
		}
		if (strcmp(ussds[i].phone, digits) == 0)
			break;
	}
	if (i == SCRIPT_USSD_MAX && (!create || free_slot == SCRIPT_USSD_MAX))
		return NULL;
	if (i == SCRIPT_USSD_MAX)
		i = free_slot;
	if (create) {
		snprintf(ussds[i].phone, sizeof(ussds[i].phone), "%s", digits);
		ussds[i].session = (uint8_t)(++ussd_sessions % 255 + 1);
		ussds[i].seq = 0;
	}
	return &ussds[i];
}

/*
 * ussd, ussd_answer, ussd_abort: a deliver_sm of PHONE's dialogue with
 * its_session_info = session << 8 | seq << 1 | end.
 */
static int
cmd_ussd(const char *cmd, char *phone, char *text)
{
	struct script_ussd	*u;
	struct smsc_ussd	 su;
	uint32_t		 seq;
	int			 abort = strcmp(cmd, "ussd_abort") == 0;
	int			 open = strcmp(cmd, "ussd") == 0;

	if (phone == NULL || (!abort && *text == '\0')) {
		script_fail("%s: PHONE%s expected", cmd, abort ? "" :
		    open ? " DIALLED" : " TEXT");
		return 0;
	}
	if ((u = ussd_of(phone, open)) == NULL) {
		script_fail("%s: no dialogue of %s (ussd first)", cmd, phone);
		return 0;
	}
	unescape(text);
	if (!open)
		u->seq = (uint8_t)((u->seq + 1) & 0x7F);
	su.op = open ? 1 : 18;
	su.its = (uint16_t)(u->session << 8 | u->seq << 1 | abort);
	dlv_ussd = &su;
	if (send_dlv(phone, text, NULL, NULL, &seq) == 0) {
		printf(">> %s: [USSD op=%u its=0x%04x] %s\n", phone,
		    (unsigned)su.op, (unsigned)su.its, text);
		fflush(stdout);
	}
	dlv_ussd = NULL;
	return 0;
}

static int
cmd_mo(char *phone, char *text)
{
	if (phone == NULL) {
		script_fail("mo: PHONE TEXT expected");
		return 0;
	}
	unescape(text);
	if (send_mo(phone, text, "") == 0) {
		free(last_phone);
		free(last_text);
		last_phone = xstrdup(phone);
		last_text = xstrdup(text);
		free(last_rcpt);
		last_rcpt = NULL;
		free(last_part);
		last_part = NULL;
	}
	return 0;
}

/*
 * parts=3,1,2: part numbers from 1 to total (checked by the caller),
 * at most SCRIPT_PARTS_LIST_MAX of them, into seqs; *n gets how many.
 * 0, or -1 when it is not such a list.
 */
static int
parse_parts(const char *s, int *seqs, int *n)
{
	char		*end;
	long		 v;

	*n = 0;
	for (;;) {
		if (!isdigit((unsigned char)*s) ||
		    *n == SCRIPT_PARTS_LIST_MAX)
			return -1;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno != 0 || v < 1 || v > SEGMENT_PARTS_MAX)
			return -1;
		seqs[(*n)++] = (int)v;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/*
 * mo_long PHONE [udh8|udh16|sar] [ref=N] [parts=LIST] TEXT: see the
 * commands at the top.  The options are the words after PHONE that
 * read as one; the text is the rest of the line.
 */
static int
cmd_mo_long(char *p)
{
	static struct segment	 segs[SEGMENT_PARTS_MAX];
	static const char *const modes[] = { "sar", "udh8", "udh16" };
	struct segment_options	 so;
	struct smsc_part	 part;
	const struct segment	*g;
	const uint8_t		*body;
	char			*phone, word[64], shown[4 * SMSC_PART_MAX + 1];
	unsigned long		 ref = next_ref;
	size_t			 wl, blen;
	uint32_t		 seq;
	int			 seqs[SCRIPT_PARTS_LIST_MAX];
	int			 mode = 1, given_ref = 0, nseq = 0, n, i;

	if ((phone = next_word(&p)) == NULL) {
		script_fail("mo_long: PHONE [udh8|udh16|sar] [ref=N] "
		    "[parts=LIST] TEXT expected");
		return 0;
	}
	for (;;) {
		p += strspn(p, " \t");
		wl = strcspn(p, " \t");
		if (wl == 0 || wl >= sizeof(word))
			break;
		memcpy(word, p, wl);
		word[wl] = '\0';
		if (strcmp(word, "sar") == 0)
			mode = 0;
		else if (strcmp(word, "udh8") == 0)
			mode = 1;
		else if (strcmp(word, "udh16") == 0)
			mode = 2;
		else if (strncmp(word, "ref=", 4) == 0) {
			if (parse_count(word + 4, &ref) == -1 ||
			    ref > 0xFFFF) {
				script_fail("mo_long: bad `%s'", word);
				return 0;
			}
			given_ref = 1;
		} else if (strncmp(word, "parts=", 6) == 0) {
			if (parse_parts(word + 6, seqs, &nseq) == -1) {
				script_fail("mo_long: bad `%s'", word);
				return 0;
			}
		} else
			break;
		p += wl;
	}
	unescape(p);
	if (mode == 1 && ref > 0xFF) {
		script_fail("mo_long: ref=%lu does not fit udh8", ref);
		return 0;
	}
	memset(&so, 0, sizeof(so));
	so.max_parts = SEGMENT_PARTS_MAX;
	n = segment_split(p, (uint8_t)ref, &so, segs, SEGMENT_PARTS_MAX);
	if (n < 2) {
		script_fail("mo_long: TEXT %s", n < 0 ? "cannot be cut" :
		    "fits one message (use mo)");
		return 0;
	}
	if (!given_ref)
		next_ref = next_ref % 255 + 1;
	if (nseq == 0)
		for (nseq = 0; nseq < n && nseq < SCRIPT_PARTS_LIST_MAX; nseq++)
			seqs[nseq] = nseq + 1;
	for (i = 0; i < nseq; i++)
		if (seqs[i] > n) {
			script_fail("mo_long: part %d of %d", seqs[i], n);
			return 0;
		}

	for (i = 0; i < nseq; i++) {
		g = &segs[seqs[i] - 1];
		body = g->sm + SEGMENT_UDH_LEN;
		blen = g->sm_len - SEGMENT_UDH_LEN;
		memset(&part, 0, sizeof(part));
		part.data_coding = g->data_coding;
		part.ref = (uint16_t)ref;
		part.total = (uint8_t)n;
		part.seq = (uint8_t)seqs[i];
		switch (mode) {
		case 0:
			part.sar = 1;
			memcpy(part.sm, body, blen);
			part.sm_len = blen;
			break;
		case 1:
			part.esm_class = SEGMENT_ESM_UDHI;
			memcpy(part.sm, g->sm, g->sm_len);
			part.sm_len = g->sm_len;
			break;
		default:
			/* Seven octets of header: one more than udh8's. */
			if (blen + 7 > sizeof(part.sm)) {
				script_fail("mo_long: part too long for udh16");
				return 0;
			}
			part.esm_class = SEGMENT_ESM_UDHI;
			part.sm[0] = 6;
			part.sm[1] = 0x08;
			part.sm[2] = 4;
			part.sm[3] = (uint8_t)(ref >> 8);
			part.sm[4] = (uint8_t)ref;
			part.sm[5] = (uint8_t)n;
			part.sm[6] = (uint8_t)seqs[i];
			memcpy(part.sm + 7, body, blen);
			part.sm_len = blen + 7;
			break;
		}
		if (codec_to_utf8(g->data_coding, body, blen, shown,
		    sizeof(shown)) < 0)
			snprintf(shown, sizeof(shown), "?");
		if (send_dlv(phone, shown, NULL, &part, &seq) == -1)
			return 0;
		printf(">> %s: [part %d/%d ref=%lu %s] %s\n", phone, seqs[i],
		    n, ref, modes[mode], shown);
		free(last_phone);
		free(last_text);
		free(last_rcpt);
		free(last_part);
		last_phone = xstrdup(phone);
		last_text = xstrdup(shown);
		last_rcpt = NULL;
		last_part = xmalloc(sizeof(*last_part));
		*last_part = part;
	}
	fflush(stdout);
	return 0;
}

/*
 * The last MO (or receipt) again, as if its deliver_sm_resp had been
 * lost.
 */
static int
cmd_redeliver(void)
{
	uint32_t	 seq;

	if (last_rcpt != NULL)
		send_receipt(last_rcpt, " (redelivered)");
	else if (last_part != NULL) {
		if (send_dlv(last_phone, last_text, NULL, last_part,
		    &seq) == 0) {
			printf(">> %s: [part %u/%u ref=%u] %s (redelivered)\n",
			    last_phone, last_part->seq, last_part->total,
			    last_part->ref, last_text);
			fflush(stdout);
		}
	} else if (last_phone == NULL)
		script_fail("redeliver: no mo before");
	else
		send_mo(last_phone, last_text, " (redelivered)");
	return 0;
}

/*
 * receipt STATE [FORM] [hex|dec] (for_id 0) or receipt_for ID STATE
 * [FORM] [hex|dec] (for_id 1); see the commands at the top.
 */
static int
cmd_receipt(char *p, int for_id)
{
	static const struct {
		const char	*name;
		uint8_t		 state;
	} states[] = {
		{ "DELIVRD", 2 }, { "UNDELIV", 5 }, { "EXPIRED", 3 },
		{ "REJECTD", 8 }, { "DELETED", 4 }, { "ACCEPTD", 6 },
		{ "UNKNOWN", 7 }, { "ENROUTE", 1 },
	};
	const char		*cmd = for_id ? "receipt_for" : "receipt";
	struct smsc_receipt	 r;
	char			*id = NULL, *w;
	size_t			 i;

	if (for_id && (id = next_word(&p)) == NULL) {
		script_fail("receipt_for: ID STATE [tlv|text|both] [hex|dec] "
		    "expected");
		return 0;
	}
	if (for_id) {
		memset(&r, 0, sizeof(r));
		if (last_mt_seen) {
			memcpy(r.phone, last_mt.phone, sizeof(r.phone));
			memcpy(r.shortcode, last_mt.shortcode,
			    sizeof(r.shortcode));
		} else {
			snprintf(r.phone, sizeof(r.phone), "6280000000000");
			snprintf(r.shortcode, sizeof(r.shortcode), "%s",
			    smsc_opts.shortcode);
		}
		if (strlen(id) >= sizeof(r.id)) {
			script_fail("receipt_for: ID longer than %d",
			    SMSC_MSGID_MAX);
			return 0;
		}
		snprintf(r.id, sizeof(r.id), "%s", id);
		r.submitted = time(NULL);
	} else if (!last_mt_seen) {
		script_fail("receipt: no MT before");
		return 0;
	} else if (last_mt.id[0] == '\0') {
		script_fail("receipt: the last MT was withheld (no message_id)");
		return 0;
	} else
		r = last_mt;
	if ((w = next_word(&p)) == NULL) {
		script_fail("%s: STATE expected", cmd);
		return 0;
	}
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcasecmp(w, states[i].name) == 0)
			break;
	if (i == sizeof(states) / sizeof(states[0])) {
		script_fail("%s: unknown STATE `%s'", cmd, w);
		return 0;
	}
	r.state = states[i].state;
	r.form = SMSC_RECEIPT_TLV | SMSC_RECEIPT_TEXT;
	r.hex = 0;
	while ((w = next_word(&p)) != NULL) {
		if (strcmp(w, "tlv") == 0)
			r.form = SMSC_RECEIPT_TLV;
		else if (strcmp(w, "text") == 0)
			r.form = SMSC_RECEIPT_TEXT;
		else if (strcmp(w, "both") == 0)
			r.form = SMSC_RECEIPT_TLV | SMSC_RECEIPT_TEXT;
		else if (strcmp(w, "hex") == 0)
			r.hex = 1;
		else if (strcmp(w, "dec") == 0)
			r.hex = 0;
		else {
			script_fail("%s: `%s': tlv, text, both, hex or dec "
			    "expected", cmd, w);
			return 0;
		}
	}
	if (r.hex && !(r.form & SMSC_RECEIPT_TEXT)) {
		script_fail("%s: hex needs the text form", cmd);
		return 0;
	}
	if (send_receipt(&r, "") == 0) {
		free(last_rcpt);
		last_rcpt = xmalloc(sizeof(*last_rcpt));
		*last_rcpt = r;
	}
	return 0;
}

/* msgid N */
static int
cmd_msgid(char *p)
{
	unsigned long	 n;

	if (parse_count(next_word(&p), &n) == -1 || n == 0)
		script_fail("msgid: a number from 1 expected");
	else
		smsc_set_next_msgid(n);
	return 0;
}

/* A count argument: 0 or more. */
static int
parse_count(const char *s, unsigned long *out)
{
	char	*end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno != 0 || *end != '\0' || *out > 0xFFFFFFFFul ? -1 : 0;
}

/* fault NAME N [STATUS] */
static int
cmd_fault(char *p)
{
	struct smsc_faults	*f = &smsc_faults;
	char			*name, *w;
	unsigned long		 n;
	uint32_t		 status = 0;
	int			 has_status = 0;

	name = next_word(&p);
	if (name == NULL || parse_count(next_word(&p), &n) == -1) {
		script_fail("fault: NAME N [STATUS] expected");
		return 0;
	}
	if ((w = next_word(&p)) != NULL) {
		if (parse_status(w, &status) == -1 ||
		    (strcmp(name, "nack") != 0 &&
		    strcmp(name, "refuse_bind") != 0)) {
			script_fail("fault %s: bad STATUS `%s'", name, w);
			return 0;
		}
		has_status = 1;
	}
	if (strcmp(name, "drop_every") == 0)
		f->drop_every = (unsigned)n;
	else if (strcmp(name, "withhold") == 0)
		f->withhold = (unsigned)n;
	else if (strcmp(name, "throttle") == 0)
		f->throttle = (unsigned)n;
	else if (strcmp(name, "throttle_every") == 0) {
		f->throttle_every = (unsigned)n;
		f->throttle_seen = 0;
	} else if (strcmp(name, "nack") == 0) {
		f->nack = (unsigned)n;
		f->nack_status = has_status ? status : SMPP_ESME_RSYSERR;
	} else if (strcmp(name, "msgqful") == 0)
		f->msgqful = (unsigned)n;
	else if (strcmp(name, "refuse_bind") == 0) {
		if (has_status && status == SMPP_ESME_ROK) {
			script_fail("fault refuse_bind: a refusal needs an "
			    "error status");
			return 0;
		}
		f->refuse_bind = (unsigned)n;
		f->refuse_status = has_status ? status : SMPP_ESME_RBINDFAIL;
	} else
		script_fail("fault: unknown fault `%s'", name);
	return 0;
}

/* raw HEX: blanks between the digits are allowed. */
static int
cmd_raw(char *hex)
{
	uint8_t		 buf[8192];
	size_t		 n = 0;
	int		 hi = -1, d;

	for (; *hex != '\0'; hex++) {
		if (*hex == ' ' || *hex == '\t')
			continue;
		if (!isxdigit((unsigned char)*hex) || n == sizeof(buf)) {
			script_fail("raw: bad hex");
			return 0;
		}
		d = isdigit((unsigned char)*hex) ? *hex - '0' :
		    tolower((unsigned char)*hex) - 'a' + 10;
		if (hi < 0)
			hi = d;
		else {
			buf[n++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	if (hi >= 0 || n == 0)
		script_fail("raw: odd or no hex digits");
	else if (smsc_send_raw(buf, n) == -1)
		script_fail("raw: no ESME connected");
	else
		script_conn = smsc_conn_id();
	return 0;
}

static int
cmd_sh(const char *cmd)
{
	int	 st;

	fflush(stdout);
	fflush(stderr);
	st = system(cmd);
	if (st == -1)
		script_fail("sh: %s", strerror(errno));
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		script_fail("sh: `%s' exited %d", cmd,
		    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	else {
		/*
		 * Let the loop see what happened meanwhile (a restarted
		 * ESME's EOF) before the next line: a 0 ms timer runs
		 * after the I/O of the next pass.
		 */
		wait_kind = WAIT_SLEEP;
		script_arm(0);
		return 1;
	}
	return 0;
}

/* Milliseconds argument of sleep and no_mt. */
static int
parse_ms(const char *s, long *ms)
{
	char	*end;

	if (s == NULL)
		return -1;
	errno = 0;
	*ms = strtol(s, &end, 10);
	return errno != 0 || *end != '\0' || end == s || *ms < 0 ? -1 : 0;
}

/*
 * Execute one line.  0: done, go on; 1: a wait was set up (the line
 * stays current until the wait is over).
 */
static int
script_exec(char *line)
{
	char		 buf[8192], *p = buf, *cmd, *w;
	long		 ms;

	snprintf(buf, sizeof(buf), "%s", line);
	if ((cmd = next_word(&p)) == NULL || cmd[0] == '#')
		return 0;
	if (interactive && (cmd[0] == '+' || isdigit((unsigned char)cmd[0])))
		return cmd_mo(cmd, p);

	if (strcmp(cmd, "mo") == 0) {
		w = next_word(&p);
		return cmd_mo(w, p);
	} else if (strcmp(cmd, "ussd") == 0 ||
	    strcmp(cmd, "ussd_answer") == 0 ||
	    strcmp(cmd, "ussd_abort") == 0) {
		w = next_word(&p);
		return cmd_ussd(cmd, w, p);
	} else if (strcmp(cmd, "mo_long") == 0)
		return cmd_mo_long(p); else if (strcmp(cmd, "raw") == 0)
		return cmd_raw(p);
	else if (strcmp(cmd, "sh") == 0)
		return cmd_sh(p);
	else if (strcmp(cmd, "quit") == 0)
		smsc_exit(0);
	else if (strcmp(cmd, "drop") == 0) {
		smsc_drop();
		return 0;
	} else if (strcmp(cmd, "redeliver") == 0)
		return cmd_redeliver();
	else if (strcmp(cmd, "receipt") == 0)
		return cmd_receipt(p, 0);
	else if (strcmp(cmd, "receipt_for") == 0)
		return cmd_receipt(p, 1);
	else if (strcmp(cmd, "msgid") == 0)
		return cmd_msgid(p);
	else if (strcmp(cmd, "fault") == 0)
		return cmd_fault(p);
	else if (strcmp(cmd, "flush_mt") == 0) {
		flush_mts();
		return 0;
	} else if (strcmp(cmd, "redeliver_lost") == 0) {
		w = next_word(&p);
		if (w != NULL && strcmp(w, "on") == 0)
			redeliver_lost = 1;
		else if (w != NULL && strcmp(w, "off") == 0)
			redeliver_lost = 0;
		else
			script_fail("redeliver_lost: on or off expected");
		script_schedule();	/* lost MOs may go now */
		return 0;
	}

	/* The rest wait for something. */
	if (strcmp(cmd, "wait_bind") == 0) {
		wait_kind = WAIT_BIND;
	} else if (strcmp(cmd, "expect_resp") == 0) {
		if ((w = next_word(&p)) == NULL ||
		    parse_status(w, &wait_status) == -1) {
			script_fail("expect_resp: ok or a status expected");
			return 0;
		}
		if (mo_seq == 0) {
			script_fail("expect_resp: no mo before");
			return 0;
		}
		wait_kind = WAIT_RESP;
	} else if (strcmp(cmd, "expect_mt") == 0 ||
	    strcmp(cmd, "expect_mt_to") == 0) {
		if (strcmp(cmd, "expect_mt_to") == 0) {
			if ((w = next_word(&p)) == NULL) {
				script_fail("expect_mt_to: PHONE expected");
				return 0;
			}
			wait_phone = xmalloc(32);
			digits_of(w, wait_phone, 32);
		}
		unescape(p);
		wait_text = *p != '\0' ? xstrdup(p) : NULL;
		wait_kind = WAIT_MT;
	} else if (strcmp(cmd, "expect_ussd") == 0) {
		struct script_ussd	*u;

		if ((w = next_word(&p)) == NULL) {
			script_fail("expect_ussd: PHONE con|end expected");
			return 0;
		}
		wait_phone = xmalloc(32);
		digits_of(w, wait_phone, 32);
		u = ussd_of(w, 0);
		wait_session = u != NULL ? u->session : -1;
		if ((w = next_word(&p)) == NULL || (strcmp(w, "con") != 0 &&
		    strcmp(w, "end") != 0)) {
			script_fail("expect_ussd: con or end expected");
			return 0;
		}
		wait_ussd = w[0] == 'c' ? 1 : 2;
		unescape(p);
		wait_text = *p != '\0' ? xstrdup(p) : NULL;
		wait_kind = WAIT_MT;
	} else if (strcmp(cmd, "no_mt") == 0 || strcmp(cmd, "sleep") == 0) {
		if (parse_ms(next_word(&p), &ms) == -1) {
			script_fail("%s: milliseconds expected", cmd);
			return 0;
		}
		wait_kind = cmd[0] == 'n' ? WAIT_NO_MT : WAIT_SLEEP;
		script_arm(ms);
		return 1;
	} else if (strcmp(cmd, "expect_no_bind") == 0 ||
	    strcmp(cmd, "settle") == 0) {
		if (parse_ms(next_word(&p), &ms) == -1) {
			script_fail("%s: milliseconds expected", cmd);
			return 0;
		}
		wait_ms = ms;
		if (cmd[0] == 'e') {
			wait_kind = WAIT_NO_BIND;
			wait_count = smsc_stats.bind_attempts;
		} else {
			wait_kind = WAIT_SETTLE;
			wait_count = mt_arrivals;
			gettimeofday(&wait_deadline, NULL);
			wait_deadline.tv_sec += smsc_opts.timeout_s;
		}
		script_arm(ms);
		return 1;
	} else if (strcmp(cmd, "expect_mt_count") == 0 ||
	    strcmp(cmd, "expect_bind_attempts") == 0) {
		if (parse_count(next_word(&p), &wait_count) == -1) {
			script_fail("%s: a count expected", cmd);
			return 0;
		}
		wait_kind = cmd[7] == 'm' ? WAIT_MT_COUNT : WAIT_BIND_ATTEMPTS;
	} else if (strcmp(cmd, "expect_acked") == 0) {
		wait_kind = WAIT_ACKED;
	} else if (strcmp(cmd, "enquire") == 0 || strcmp(cmd, "unbind") == 0) {
		req_resp_got = 0;
		if (smsc_send_request(cmd[0] == 'e' ? SMPP_ENQUIRE_LINK :
		    SMPP_UNBIND, &req_seq) == -1) {
			script_fail("%s: no ESME connected", cmd);
			return 0;
		}
		wait_conn = script_conn = smsc_conn_id();
		wait_kind = WAIT_REQ;
	} else if (strcmp(cmd, "expect_close") == 0) {
		/* The ESME we last dealt with, or the current one. */
		wait_conn = script_conn != 0 ? script_conn : smsc_conn_id();
		wait_kind = WAIT_CLOSE;
	} else {
		script_fail("unknown command `%s'", cmd);
		return 0;
	}
	script_arm(1000L * smsc_opts.timeout_s);
	return 1;
}
