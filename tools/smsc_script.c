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
 * This file reads and runs the lines (and holds the link commands:
 * fault, raw, sh, msgid); smsc_script_wait.c takes the server's events
 * and polls the waits; smsc_script_mo.c has the commands that send a
 * deliver_sm (mo, mo_long, receipt, redeliver, the USSD dialogues).
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
 *				fails if that MT was withheld; a long MT
 *				gets one receipt per part.  STATE:
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
 *	expect_part_count N	wait until N parts of long MTs were delivered
 *				since start (withheld and repeated ones
 *				included); fail at once if there are more.
 *				It waits for a part in flight, where a
 *				sleep would guess how long pilard takes
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
 *	  withhold_nth K	  the same for the K-th submit_sm from now
 *				  only (the others before it are answered)
 *	  throttle N		  answer the next N submit_sm ESME_RTHROTTLED
 *	  throttle_nth K	  throttle the K-th submit_sm from now only
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

#include "smpp_pdu.h"
#include "smsc.h"
#include "smsc_script_internal.h"

static char		**lines;	/* every line, comments included */
static size_t		  nlines, lines_cap, pc;
static int		  input_eof, interactive;
static struct event	 *run_ev, *timer_ev, *stdin_ev;
static struct evbuffer	 *stdin_buf;

/* Shared with the other files (smsc_script_internal.h says what). */
int			  script_prompted;
struct script_mo	 *script_mo_head;
struct smsc_receipt	  script_last_mt;
int			  script_last_mt_seen;
char			  script_last_mt_parts[SMSC_PARTS_MAX][SMSC_MSGID_MAX + 1];
int			  script_last_mt_nparts;
int			  script_redeliver_lost;
unsigned long		  script_mt_arrivals;
int			  script_wait_ussd;
int			  script_wait_session;
enum script_wait	  script_wait_kind;
char			 *script_wait_text;
char			 *script_wait_phone;
uint32_t		  script_wait_status;
unsigned		  script_wait_conn;
unsigned long		  script_wait_count;
long			  script_wait_ms;
struct timeval		  script_wait_deadline;
int			  script_wait_timed_out;
uint32_t		  script_mo_seq;
unsigned		  script_mo_conn;
int			  script_mo_resp_got;
uint32_t		  script_req_seq;
int			  script_req_resp_got;
unsigned		  script_conn;

static void	 script_add_line(const char *, size_t);
static void	 script_stdin_cb(evutil_socket_t, short, void *);
static void	 script_run_cb(evutil_socket_t, short, void *);
static void	 script_timer_cb(evutil_socket_t, short, void *);
static void	 script_end_wait(void);
static void	 script_run(void);
static int	 parse_status(const char *, uint32_t *);
static int	 cmd_msgid(char *);
static int	 cmd_fault(char *);
static int	 cmd_raw(char *);
static int	 cmd_sh(const char *);
static int	 parse_ms(const char *, long *);
static int	 script_exec(char *);

void *
script_xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL) {
		fprintf(stderr, "pilar-smsc: out of memory\n");
		exit(1);
	}
	return p;
}

char *
script_xstrdup(const char *s)
{
	size_t	 n = strlen(s) + 1;

	return memcpy(script_xmalloc(n), s, n);
}

/*
 * The first failed expectation ends the run with status 1.  On a TTY
 * the wait is dropped and the caller goes on with the next line.
 */
void
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

void
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
	l = script_xmalloc(n + 1);
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
			l = script_xmalloc(n);
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
	script_wait_timed_out = 1;
	script_run();
}

/* Deadline of the current wait, in milliseconds. */
void
script_arm(long ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	script_wait_timed_out = 0;
	evtimer_add(timer_ev, &tv);
}

static void
script_end_wait(void)
{
	script_wait_kind = WAIT_NONE;
	evtimer_del(timer_ev);
	script_wait_timed_out = 0;
	free(script_wait_text);
	free(script_wait_phone);
	script_wait_text = script_wait_phone = NULL;
	script_wait_ussd = 0;
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
		if (script_wait_kind != WAIT_NONE) {
			if (script_poll() == POLL_PENDING)
				return;
			script_end_wait();	/* met, or failed on a TTY */
			pc++;
			continue;
		}
		if (pc >= nlines) {
			if (input_eof)
				smsc_exit(0);
			if (interactive && !script_prompted) {
				printf("> ");
				fflush(stdout);
				script_prompted = 1;
			}
			return;
		}
		script_prompted = 0;
		if (script_exec(lines[pc]) == 0)
			pc++;
	}
}

/* The next blank-separated word of *p (NUL terminated), or NULL. */
char *
script_next_word(char **p)
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
void
script_unescape(char *s)
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

void
script_digits_of(const char *s, char *out, size_t outsz)
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

/* msgid N */
static int
cmd_msgid(char *p)
{
	unsigned long	 n;

	if (script_parse_count(script_next_word(&p), &n) == -1 || n == 0)
		script_fail("msgid: a number from 1 expected");
	else
		smsc_set_next_msgid(n);
	return 0;
}

/* A count argument: 0 or more. */
int
script_parse_count(const char *s, unsigned long *out)
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

	name = script_next_word(&p);
	if (name == NULL ||
	    script_parse_count(script_next_word(&p), &n) == -1) {
		script_fail("fault: NAME N [STATUS] expected");
		return 0;
	}
	if ((w = script_next_word(&p)) != NULL) {
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
	else if (strcmp(name, "withhold_nth") == 0)
		f->withhold_nth = (unsigned)n;
	else if (strcmp(name, "throttle_nth") == 0)
		f->throttle_nth = (unsigned)n;
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
		script_wait_kind = WAIT_SLEEP;
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
	if ((cmd = script_next_word(&p)) == NULL || cmd[0] == '#')
		return 0;
	if (interactive && (cmd[0] == '+' || isdigit((unsigned char)cmd[0])))
		return script_cmd_mo(cmd, p);

	if (strcmp(cmd, "mo") == 0) {
		w = script_next_word(&p);
		return script_cmd_mo(w, p);
	} else if (strcmp(cmd, "ussd") == 0 ||
	    strcmp(cmd, "ussd_answer") == 0 ||
	    strcmp(cmd, "ussd_abort") == 0) {
		w = script_next_word(&p);
		return script_cmd_ussd(cmd, w, p);
	} else if (strcmp(cmd, "mo_long") == 0)
		return script_cmd_mo_long(p); else if (strcmp(cmd, "raw") == 0)
		return cmd_raw(p);
	else if (strcmp(cmd, "sh") == 0)
		return cmd_sh(p);
	else if (strcmp(cmd, "quit") == 0)
		smsc_exit(0);
	else if (strcmp(cmd, "drop") == 0) {
		smsc_drop();
		return 0;
	} else if (strcmp(cmd, "redeliver") == 0)
		return script_cmd_redeliver();
	else if (strcmp(cmd, "receipt") == 0)
		return script_cmd_receipt(p, 0);
	else if (strcmp(cmd, "receipt_for") == 0)
		return script_cmd_receipt(p, 1);
	else if (strcmp(cmd, "msgid") == 0)
		return cmd_msgid(p);
	else if (strcmp(cmd, "fault") == 0)
		return cmd_fault(p);
	else if (strcmp(cmd, "flush_mt") == 0) {
		script_flush_mts();
		return 0;
	} else if (strcmp(cmd, "redeliver_lost") == 0) {
		w = script_next_word(&p);
		if (w != NULL && strcmp(w, "on") == 0)
			script_redeliver_lost = 1;
		else if (w != NULL && strcmp(w, "off") == 0)
			script_redeliver_lost = 0;
		else
			script_fail("redeliver_lost: on or off expected");
		script_schedule();	/* lost MOs may go now */
		return 0;
	}

	/* The rest wait for something. */
	if (strcmp(cmd, "wait_bind") == 0) {
		script_wait_kind = WAIT_BIND;
	} else if (strcmp(cmd, "expect_resp") == 0) {
		if ((w = script_next_word(&p)) == NULL ||
		    parse_status(w, &script_wait_status) == -1) {
			script_fail("expect_resp: ok or a status expected");
			return 0;
		}
		if (script_mo_seq == 0) {
			script_fail("expect_resp: no mo before");
			return 0;
		}
		script_wait_kind = WAIT_RESP;
	} else if (strcmp(cmd, "expect_mt") == 0 ||
	    strcmp(cmd, "expect_mt_to") == 0) {
		if (strcmp(cmd, "expect_mt_to") == 0) {
			if ((w = script_next_word(&p)) == NULL) {
				script_fail("expect_mt_to: PHONE expected");
				return 0;
			}
			script_wait_phone = script_xmalloc(32);
			script_digits_of(w, script_wait_phone, 32);
		}
		script_unescape(p);
		script_wait_text = *p != '\0' ? script_xstrdup(p) : NULL;
		script_wait_kind = WAIT_MT;
	} else if (strcmp(cmd, "expect_ussd") == 0) {
		struct script_ussd	*u;

		if ((w = script_next_word(&p)) == NULL) {
			script_fail("expect_ussd: PHONE con|end expected");
			return 0;
		}
		script_wait_phone = script_xmalloc(32);
		script_digits_of(w, script_wait_phone, 32);
		u = script_ussd_of(w, 0);
		script_wait_session = u != NULL ? u->session : -1;
		if ((w = script_next_word(&p)) == NULL ||
		    (strcmp(w, "con") != 0 && strcmp(w, "end") != 0)) {
			script_fail("expect_ussd: con or end expected");
			return 0;
		}
		script_wait_ussd = w[0] == 'c' ? 1 : 2;
		script_unescape(p);
		script_wait_text = *p != '\0' ? script_xstrdup(p) : NULL;
		script_wait_kind = WAIT_MT;
	} else if (strcmp(cmd, "no_mt") == 0 || strcmp(cmd, "sleep") == 0) {
		if (parse_ms(script_next_word(&p), &ms) == -1) {
			script_fail("%s: milliseconds expected", cmd);
			return 0;
		}
		script_wait_kind = cmd[0] == 'n' ? WAIT_NO_MT : WAIT_SLEEP;
		script_arm(ms);
		return 1;
	} else if (strcmp(cmd, "expect_no_bind") == 0 ||
	    strcmp(cmd, "settle") == 0) {
		if (parse_ms(script_next_word(&p), &ms) == -1) {
			script_fail("%s: milliseconds expected", cmd);
			return 0;
		}
		script_wait_ms = ms;
		if (cmd[0] == 'e') {
			script_wait_kind = WAIT_NO_BIND;
			script_wait_count = smsc_stats.bind_attempts;
		} else {
			script_wait_kind = WAIT_SETTLE;
			script_wait_count = script_mt_arrivals;
			gettimeofday(&script_wait_deadline, NULL);
			script_wait_deadline.tv_sec += smsc_opts.timeout_s;
		}
		script_arm(ms);
		return 1;
	} else if (strcmp(cmd, "expect_mt_count") == 0 ||
	    strcmp(cmd, "expect_part_count") == 0 ||
	    strcmp(cmd, "expect_bind_attempts") == 0) {
		if (script_parse_count(script_next_word(&p),
		    &script_wait_count) == -1) {
			script_fail("%s: a count expected", cmd);
			return 0;
		}
		script_wait_kind = cmd[7] == 'm' ? WAIT_MT_COUNT :
		    cmd[7] == 'p' ? WAIT_PART_COUNT : WAIT_BIND_ATTEMPTS;
	} else if (strcmp(cmd, "expect_acked") == 0) {
		script_wait_kind = WAIT_ACKED;
	} else if (strcmp(cmd, "enquire") == 0 || strcmp(cmd, "unbind") == 0) {
		script_req_resp_got = 0;
		if (smsc_send_request(cmd[0] == 'e' ? SMPP_ENQUIRE_LINK :
		    SMPP_UNBIND, &script_req_seq) == -1) {
			script_fail("%s: no ESME connected", cmd);
			return 0;
		}
		script_wait_conn = script_conn = smsc_conn_id();
		script_wait_kind = WAIT_REQ;
	} else if (strcmp(cmd, "expect_close") == 0) {
		/* The ESME we last dealt with, or the current one. */
		script_wait_conn = script_conn != 0 ? script_conn :
		    smsc_conn_id();
		script_wait_kind = WAIT_CLOSE;
	} else {
		script_fail("unknown command `%s'", cmd);
		return 0;
	}
	script_arm(1000L * smsc_opts.timeout_s);
	return 1;
}
