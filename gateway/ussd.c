/*
 * ussd.c: USSD sessions (see ussd.h): the table, the steps on the store
 * worker, the idle timeout, and the SMPP transport.
 *
 * Threads: the table and the sessions are the loop's.  A step copies
 * what the worker needs into a job (the menu state, the phone, the
 * answer); the worker fills the job's OUT half; the loop reads it in
 * ussd_job_done() once the batch is settled.  A session with a job out
 * is busy: it takes no other answer and does not time out meanwhile.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "codec.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "mo.h"
#include "phone.h"
#include "smpp_pdu.h"
#include "smpp_session.h"
#include "store.h"
#include "ussd.h"
#include "ussd_menu.h"

#define USSD_TICK_S		1
#define USSD_ENDED_MAX		256	/* keys remembered after their end */
#define USSD_SEQS_MAX		256	/* screens awaiting submit_sm_resp */

struct ussd_session {
	TAILQ_ENTRY(ussd_session) entry;
	struct ussd		*u;
	enum ussd_via		 via;
	char			 phone[SMPP_ADDR_MAX + 1];	/* as given */
	int			 ton;
	char			 key[USSD_KEY_MAX + 1];
	unsigned		 id;		/* for the log */
	struct ussd_menu	 menu;
	int64_t			 last;		/* ms, monotonic */
	int			 busy;		/* a job is out */
	int			 answers;	/* HTTP: of its text taken */
	char			 screen[USSD_SCREEN_BYTES];	/* last sent */
	char			 lang[3];	/* of its last screen */
	/* SMPP */
	char			 dest[SMPP_ADDR_MAX + 1];	/* the code */
	int			 has_its;
	uint16_t		 its;
};
TAILQ_HEAD(ussd_sessions, ussd_session);

/* One step with the worker.  IN set by the loop, OUT by the worker. */
struct ussd_job {
	struct ussd		*u;
	struct ussd_session	*sess;
	ussd_reply_fn		*reply;
	void			*ctx;
	/* IN */
	char			 phone[SMPP_ADDR_MAX + 1];
	int			 ton;
	int			 open;
	int			 split;
	char			 input[USSD_INPUT_MAX * 4 + 1];
	struct ussd_menu	 menu_in;
	int64_t			 now;		/* UTC s */
	/* OUT */
	struct ussd_menu	 menu_out;
	struct ussd_step	 step;
	int			 is_companion;
	char			 lang[3];
	struct mo_result	 r;		/* when a command ran */
};

struct ussd {
	struct event_base	*base;
	const struct config	*cfg;
	struct smpp_session	*smpp;
	struct event		*ev_tick;
	struct ussd_sessions	 sessions;
	size_t			 n_sessions;
	unsigned		 next_id;
	/* Keys that ended lately: an answer to one is told so. */
	char			 ended[USSD_ENDED_MAX][SMPP_ADDR_MAX +
				    USSD_KEY_MAX + 4];
	char			 ended_lang[USSD_ENDED_MAX][3];
	size_t			 ended_next;
	/* Screens sent over SMPP and not yet answered. */
	uint32_t		 seqs[USSD_SEQS_MAX];
	unsigned		 seq_ids[USSD_SEQS_MAX];
	size_t			 seq_next;
};

static int64_t	ussd_now(void);
static int	ussd_session_idle(const struct ussd *,
		    const struct ussd_session *, int64_t);
static void	ussd_tick_cb(evutil_socket_t, short, void *);
static struct ussd_session *ussd_session_new(struct ussd *, enum ussd_via,
		    const char *, int, const char *);
static void	ussd_session_end(struct ussd *, struct ussd_session *,
		    const char *);
static int	ussd_job_run(void *, struct store *, const struct config *);
static void	ussd_job_done(void *, int);
static void	ussd_smpp_reply(void *, const char *, int);
static void	ussd_smpp_send(struct ussd *, const char *, int, const char *,
		    const char *, int, uint16_t, const char *, int, unsigned);
static void	ussd_ended_key(const char *, const char *, enum ussd_via,
		    char *, size_t);

/* Milliseconds on a clock that does not jump: the idle timeout. */
static int64_t
ussd_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct ussd *
ussd_new(struct event_base *base, const struct config *cfg,
    struct smpp_session *smpp)
{
	struct ussd	*u;
	struct timeval	 tv = { USSD_TICK_S, 0 };

	if ((u = calloc(1, sizeof(*u))) == NULL)
		fatal("ussd_new");
	u->base = base;
	u->cfg = cfg;
	u->smpp = smpp;
	TAILQ_INIT(&u->sessions);
	u->ev_tick = event_new(base, -1, EV_PERSIST, ussd_tick_cb, u);
	if (u->ev_tick == NULL)
		fatalx("ussd_new: event_new failed");
	event_add(u->ev_tick, &tv);
	smpp_session_set_ussd(smpp, u);
	return u;
}

void
ussd_free(struct ussd *u)
{
	struct ussd_session	*sess;

	if (u == NULL)
		return;
	while ((sess = TAILQ_FIRST(&u->sessions)) != NULL) {
		TAILQ_REMOVE(&u->sessions, sess, entry);
		free(sess);
	}
	event_free(u->ev_tick);
	free(u);
}

size_t
ussd_active(const struct ussd *u)
{
	return u->n_sessions;
}

const struct config *
ussd_config(const struct ussd *u)
{
	return u->cfg;
}

/* "h|phone|key" of a session, as remembered after its end. */
static void
ussd_ended_key(const char *phone, const char *key, enum ussd_via via,
    char *out, size_t outsz)
{
	snprintf(out, outsz, "%c|%s|%s", via == USSD_VIA_HTTP ? 'h' : 's',
	    phone, key);
}

const char *
ussd_ended(struct ussd *u, enum ussd_via via, const char *phone,
    const char *key)
{
	char	k[sizeof(u->ended[0])];
	size_t	i;

	ussd_ended_key(phone, key, via, k, sizeof(k));
	for (i = 0; i < USSD_ENDED_MAX; i++)
		if (strcmp(u->ended[i], k) == 0)
			return u->ended_lang[i][0] != '\0' ?
			    u->ended_lang[i] : u->cfg->program_language;
	return NULL;
}

struct ussd_session *
ussd_session_find(struct ussd *u, enum ussd_via via, const char *phone,
    const char *key)
{
	struct ussd_session	*sess;

	TAILQ_FOREACH(sess, &u->sessions, entry)
		if (sess->via == via && strcmp(sess->phone, phone) == 0 &&
		    strcmp(sess->key, key) == 0)
			return sess;
	return NULL;
}

/* Has sess, no job out, been silent for [ussd] session_timeout? */
static int
ussd_session_idle(const struct ussd *u, const struct ussd_session *sess,
    int64_t now)
{
	return !sess->busy && now - sess->last >=
	    (int64_t)u->cfg->ussd_session_timeout * 1000;
}

/*
 * sess, or NULL when it has been idle for [ussd] session_timeout: then
 * it ends here, even if the tick (once a second) has not closed it yet,
 * so that an answer coming late never carries on a dialogue the timeout
 * closed.  Called once per request, where the request is read: a second
 * look further on could end the session the first one found alive.
 */
struct ussd_session *
ussd_session_alive(struct ussd *u, struct ussd_session *sess)
{
	if (sess != NULL && ussd_session_idle(u, sess, ussd_now())) {
		ussd_session_end(u, sess, "timeout");
		return NULL;
	}
	return sess;
}

int
ussd_session_busy(const struct ussd_session *sess)
{
	return sess->busy;
}

int
ussd_session_answers(const struct ussd_session *sess)
{
	return sess->answers;
}

void
ussd_session_set_answers(struct ussd_session *sess, int n)
{
	sess->answers = n;
}

const char *
ussd_session_screen(const struct ussd_session *sess)
{
	return sess->screen;
}

/* A new session in the table, or NULL when it is full. */
static struct ussd_session *
ussd_session_new(struct ussd *u, enum ussd_via via, const char *phone,
    int ton, const char *key)
{
	struct ussd_session	*sess;

	if (u->n_sessions >= USSD_SESSIONS_MAX)
		return NULL;
	if ((sess = calloc(1, sizeof(*sess))) == NULL)
		fatal("ussd_session_new");
	sess->u = u;
	sess->via = via;
	snprintf(sess->phone, sizeof(sess->phone), "%s", phone);
	sess->ton = ton;
	snprintf(sess->key, sizeof(sess->key), "%s", key);
	sess->id = ++u->next_id;
	sess->menu.state = USSD_S_MAIN;
	sess->last = ussd_now();
	TAILQ_INSERT_TAIL(&u->sessions, sess, entry);
	u->n_sessions++;
	return sess;
}

/* Forget a session (not busy), remembering its key for a while. */
static void
ussd_session_end(struct ussd *u, struct ussd_session *sess, const char *why)
{
	char	phone[PHONE_MAX + 8];

	log_phone(sess->phone, phone, sizeof(phone));
	log_info("ussd_end session=%u via=%s from=%s reason=%s state=%s",
	    sess->id, sess->via == USSD_VIA_HTTP ? "http" : "smpp", phone,
	    why, ussd_state_name(sess->menu.state));
	metrics_ussd_end(sess->via == USSD_VIA_HTTP ? "http" : "smpp", why);
	ussd_ended_key(sess->phone, sess->key, sess->via,
	    u->ended[u->ended_next], sizeof(u->ended[0]));
	memcpy(u->ended_lang[u->ended_next], sess->lang, sizeof(sess->lang));
	u->ended_next = (u->ended_next + 1) % USSD_ENDED_MAX;
	TAILQ_REMOVE(&u->sessions, sess, entry);
	u->n_sessions--;
	free(sess);
}

/* Sessions idle for [ussd] session_timeout close quietly. */
static void
ussd_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ussd		*u = arg;
	struct ussd_session	*sess, *next;
	int64_t			 now = ussd_now();

	(void)fd;
	(void)what;
	for (sess = TAILQ_FIRST(&u->sessions); sess != NULL; sess = next) {
		next = TAILQ_NEXT(sess, entry);
		if (ussd_session_idle(u, sess, now))
			ussd_session_end(u, sess, "timeout");
	}
}

int
ussd_step(struct ussd *u, enum ussd_via via, const char *phone, int ton,
    const char *key, int open, const char *input, int split,
    ussd_reply_fn *reply, void *ctx)
{
	struct ussd_session	*sess;
	struct ussd_job		*job;

	sess = ussd_session_find(u, via, phone, key);
	if (sess != NULL && sess->busy)
		return -1;
	if (sess != NULL && open)
		ussd_session_end(u, sess, "reopened");
	if (open || sess == NULL) {
		if ((sess = ussd_session_new(u, via, phone, ton, key)) == NULL)
			return -1;
		open = 1;
	}
	if ((job = calloc(1, sizeof(*job))) == NULL)
		fatal("ussd_step");
	job->u = u;
	job->sess = sess;
	job->reply = reply;
	job->ctx = ctx;
	snprintf(job->phone, sizeof(job->phone), "%s", phone);
	job->ton = ton;
	job->open = open;
	job->split = split;
	snprintf(job->input, sizeof(job->input), "%s", input != NULL ?
	    input : "");
	job->menu_in = sess->menu;
	job->now = (int64_t)time(NULL);
	sess->busy = 1;
	sess->last = ussd_now();
	smpp_session_store_call(u->smpp, ussd_job_run, ussd_job_done, job);
	return 0;
}

/*
 * On the worker, inside the batch's transaction: who the phone is, the
 * menu's step, and the command it ends with through mo_handle().  Runs
 * again from the IN half if the batch is retried.  0, or -1 on a store
 * failure.
 */
static int
ussd_job_run(void *arg, struct store *st, const struct config *cfg)
{
	struct ussd_job		*job = arg;
	struct ussd_menu_opts	 o;
	struct store_companion	 comp;
	struct mo_in		 in;
	struct reply_vars	 v;
	char			 phone[PHONE_MAX + 1], buf[sizeof(job->input)];
	char			*p, *next;
	size_t			 n;
	int			 rc;

	memset(&o, 0, sizeof(o));
	o.lang = cfg->program_language;
	o.id_min_len = cfg->program_id_min_len;
	o.id_max_len = cfg->program_id_max_len;
	o.service_code = cfg->ussd_service_code;
	job->is_companion = 0;
	if (phone_normalize(job->phone, job->ton, cfg->program_country_code,
	    phone, sizeof(phone)) == 0) {
		rc = store_companion_by_phone(st, phone, &comp);
		if (rc == STORE_ERROR)
			return -1;
		if (rc == STORE_OK) {
			job->is_companion = 1;
			if (comp.language[0] != '\0')
				o.lang = comp.language;
		}
	}
	o.is_companion = job->is_companion;
	snprintf(job->lang, sizeof(job->lang), "%s", o.lang);
	job->menu_out = job->menu_in;
	memset(&job->r, 0, sizeof(job->r));
	if (job->open)
		ussd_menu_start(&job->menu_out, &o, job->input, &job->step);
	else if (!job->split)
		ussd_menu_input(&job->menu_out, &o, job->input, &job->step);
	else {
		snprintf(buf, sizeof(buf), "%s", job->input);
		for (p = buf; p != NULL; p = next) {
			if ((next = strchr(p, '*')) != NULL)
				*next++ = '\0';
			ussd_menu_input(&job->menu_out, &o, p, &job->step);
			if (job->step.end)
				break;
		}
	}
	if (job->step.command[0] == '\0')
		return 0;

	memset(&in, 0, sizeof(in));
	in.sender = job->phone;
	in.sender_ton = job->ton;
	in.dest = cfg->ussd_service_code;
	in.text = job->step.command;
	in.now = job->now;
	in.ussd = 1;
	if (mo_handle(st, cfg, &in, &job->r) == -1)
		return -1;
	if (job->r.reply[0] != '\0') {
		/* An SMS reply, 160 characters at most: it fits a screen. */
		n = strlen(job->r.reply);
		if (n >= sizeof(job->step.screen))
			n = sizeof(job->step.screen) - 1;
		while (n > 0 && ((unsigned char)job->r.reply[n] & 0xC0) ==
		    0x80)
			n--;
		memcpy(job->step.screen, job->r.reply, n);
		job->step.screen[n] = '\0';
	} else {
		/* Nobody to answer (our own code?): what a stranger gets. */
		memset(&v, 0, sizeof(v));
		ussd_menu_render(o.lang, REPLY_STRANGER, &v, job->step.screen,
		    sizeof(job->step.screen));
	}
	return 0;
}

/*
 * On the loop, the batch settled: the step's screen goes out (a store
 * failure ends the dialogue with an apology, nothing recorded), and a
 * final screen ends the session.
 */
static void
ussd_job_done(void *arg, int committed)
{
	struct ussd_job		*job = arg;
	struct ussd		*u = job->u;
	struct ussd_session	*sess = job->sess;
	struct reply_vars	 v;
	char			 phone[PHONE_MAX + 8], q[128];
	const char		*screen;
	int			 end;

	log_phone(job->phone, phone, sizeof(phone));
	if (!committed) {
		memset(&v, 0, sizeof(v));
		ussd_menu_render(sess->lang[0] != '\0' ? sess->lang :
		    u->cfg->program_language, REPLY_USSD_ERROR, &v,
		    sess->screen, sizeof(sess->screen));
		log_warnx("ussd_store_failed session=%u from=%s", sess->id,
		    phone);
		end = 1;
	} else {
		log_info("ussd_step session=%u via=%s from=%s open=%d "
		    "state=%s->%s end=%d companion=%d%s%s%s%s%s%s mo=%lld "
		    "ref=%s", sess->id, sess->via == USSD_VIA_HTTP ? "http" :
		    "smpp", phone, job->open, ussd_state_name(
		    job->menu_in.state), ussd_state_name(job->menu_out.state),
		    job->step.end, job->is_companion,
		    job->step.command[0] ? " cmd=" : "",
		    job->step.command[0] ? log_text(job->step.command, q,
		    sizeof(q)) : "", job->step.command[0] ? " outcome=" : "",
		    job->step.command[0] ? job->r.outcome : "",
		    job->r.companion_id[0] ? " companion_id=" : "",
		    job->r.companion_id, (long long)job->r.mo_id,
		    job->r.ref[0] ? job->r.ref : "-");
		sess->menu = job->menu_out;
		memcpy(sess->lang, job->lang, sizeof(sess->lang));
		snprintf(sess->screen, sizeof(sess->screen), "%s",
		    job->step.screen);
		end = job->step.end;
	}
	screen = sess->screen;
	sess->busy = 0;
	sess->last = ussd_now();
	if (job->reply != NULL)
		job->reply(job->ctx != NULL ? job->ctx : sess, screen, end);
	if (end)
		ussd_session_end(u, sess, committed ? "done" : "store_failed");
	free(job);
}

/* The reply of an SMPP session (ctx): a submit_sm now, not the outbox. */
static void
ussd_smpp_reply(void *ctx, const char *screen, int end)
{
	struct ussd_session	*sess = ctx;

	ussd_smpp_send(sess->u, sess->phone, sess->ton, sess->dest, screen,
	    sess->has_its, sess->its, "screen", end, sess->id);
}

/*
 * Send screen to phone as a USSD submit_sm: op 2 to go on, 17 to end;
 * its_session_info echoed with bit 0 set on the last.  Dropped with a
 * log line when the link is down: no screen is worth sending later.
 */
static void
ussd_smpp_send(struct ussd *u, const char *phone, int ton, const char *code,
    const char *screen, int has_its, uint16_t its, const char *why, int end,
    unsigned id)
{
	static struct smpp_msg	 m;
	char			 masked[PHONE_MAX + 8];
	uint32_t		 seq;
	int			 n;

	memset(&m, 0, sizeof(m));
	snprintf(m.service_type, sizeof(m.service_type), "USSD");
	snprintf(m.source_addr, sizeof(m.source_addr), "%s", code);
	snprintf(m.dest_addr, sizeof(m.dest_addr), "%s", phone);
	m.dest_ton = (uint8_t)ton;
	m.dest_npi = 1;
	n = codec_gsm7_encode(screen, m.sm, sizeof(m.sm));
	if (n >= 0)
		m.data_coding = CODEC_DC_DEFAULT;
	else {
		n = codec_ucs2_encode(screen, m.sm, sizeof(m.sm));
		m.data_coding = CODEC_DC_UCS2;
	}
	m.sm_len = n > 0 ? (size_t)n : 0;
	m.has_ussd_service_op = 1;
	m.ussd_service_op = end ? USSD_OP_PSSR_RESP : USSD_OP_USSR_REQ;
	if (has_its) {
		m.has_its_session_info = 1;
		m.its_session_info = (uint16_t)((its & ~USSD_ITS_END) |
		    (end ? USSD_ITS_END : 0));
	}
	log_phone(phone, masked, sizeof(masked));
	if (smpp_session_submit_now(u->smpp, &m, &seq) == -1) {
		log_warnx("ussd_screen_dropped session=%u to=%s reason=%s "
		    "why=%s", id, masked, "link_down", why);
		return;
	}
	u->seqs[u->seq_next] = seq;
	u->seq_ids[u->seq_next] = id;
	u->seq_next = (u->seq_next + 1) % USSD_SEQS_MAX;
	log_debug("ussd_submit session=%u to=%s seq=%u op=%u end=%d", id,
	    masked, seq, (unsigned)m.ussd_service_op, end);
}

int
ussd_smpp_resp(struct ussd *u, uint32_t seq, uint32_t status)
{
	size_t	i;

	if (u == NULL || seq == 0)
		return 0;
	for (i = 0; i < USSD_SEQS_MAX; i++) {
		if (u->seqs[i] != seq)
			continue;
		u->seqs[i] = 0;
		if (status != SMPP_ESME_ROK)
			log_warnx("ussd_screen_refused session=%u seq=%u "
			    "status=%s", u->seq_ids[i], seq,
			    smpp_pdu_status_name(status));
		return 1;
	}
	return 0;
}

/*
 * A deliver_sm with ussd_service_op: op 1 opens (its text the dial
 * string), op 18 answers; the end bit of its_session_info or any other
 * op closes quietly.  Keyed by the phone and the session number of
 * its_session_info (its high octet) when present.
 */
void
ussd_smpp_deliver(struct ussd *u, const struct smpp_msg *m, const char *text)
{
	struct ussd_session	*sess;
	char			 key[8], phone[PHONE_MAX + 8];
	const char		*answers, *code;
	char			 buf[USSD_INPUT_MAX * 4 + 1];
	size_t			 n = 0;
	int			 op = m->ussd_service_op, open;

	snprintf(key, sizeof(key), "%u", m->has_its_session_info ?
	    (unsigned)(m->its_session_info >> 8) : 0u);
	log_phone(m->source_addr, phone, sizeof(phone));
	sess = ussd_session_find(u, USSD_VIA_SMPP, m->source_addr, key);
	code = m->dest_addr[0] != '\0' ? m->dest_addr :
	    u->cfg->ussd_service_code;
	if ((m->has_its_session_info && (m->its_session_info &
	    USSD_ITS_END)) || (op != USSD_OP_PSSR_IND &&
	    op != USSD_OP_USSR_CONF)) {
		log_info("ussd_abort from=%s op=%d session=%u", phone, op,
		    sess != NULL ? sess->id : 0);
		if (sess != NULL && !sess->busy)
			ussd_session_end(u, sess, "aborted");
		return;
	}
	sess = ussd_session_alive(u, sess);
	open = op == USSD_OP_PSSR_IND;
	if (!open && sess == NULL) {
		struct reply_vars	v;
		char			scr[USSD_SCREEN_BYTES];

		const char		*lang;

		if ((lang = ussd_ended(u, USSD_VIA_SMPP, m->source_addr,
		    key)) == NULL)
			lang = u->cfg->program_language;
		memset(&v, 0, sizeof(v));
		ussd_menu_render(lang, REPLY_USSD_EXPIRED, &v, scr,
		    sizeof(scr));
		log_info("ussd_unknown_session from=%s its=%u", phone,
		    (unsigned)m->its_session_info);
		ussd_smpp_send(u, m->source_addr, m->source_ton, code, scr,
		    m->has_its_session_info, m->its_session_info, "expired",
		    1, 0);
		return;
	}
	if (open) {
		/* "*123*1*12345#": the answers after the code. */
		answers = ussd_menu_shortcut(text, u->cfg->ussd_service_code,
		    &n);
		if (answers == NULL) {
			answers = "";
			n = 0;
			if (text[0] != '\0')
				log_info("ussd_other_code from=%s text_len=%zu",
				    phone, strlen(text));
		}
		snprintf(buf, sizeof(buf), "%.*s", (int)n, answers);
	} else
		snprintf(buf, sizeof(buf), "%s", text);
	if (ussd_step(u, USSD_VIA_SMPP, m->source_addr, m->source_ton, key,
	    open, buf, 0, ussd_smpp_reply, NULL) == -1) {
		log_warnx("ussd_busy from=%s op=%d", phone, op);
		return;
	}
	sess = ussd_session_find(u, USSD_VIA_SMPP, m->source_addr, key);
	if (sess != NULL) {
		snprintf(sess->dest, sizeof(sess->dest), "%s", code);
		sess->has_its = m->has_its_session_info;
		sess->its = m->its_session_info;
	}
}
