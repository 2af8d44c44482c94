/*
 * ussd_http.c: USSD through an aggregator's HTTP callback.
 *
 *	POST [ussd] http_path
 *	Content-Type: application/x-www-form-urlencoded
 *	sessionId=ATUid_1&serviceCode=*123%23&phoneNumber=%2B6281200000001
 *	&text=1*12345
 *
 * text holds every answer of the session so far joined by '*', "" on the
 * first request (or the answers of a shortcut, *123*1*12345#, when the
 * aggregator passes them).  The answer is text/plain, "CON screen" to go
 * on or "END screen" to finish.  Fields we do not know (networkCode,
 * ...) are ignored.
 *
 * Who may call: the peer's address must be in [ussd] http_allow, and
 * when [ussd] http_secret is set the request must carry it, in the
 * header "X-Pilar-Secret: SECRET" or the form field secret=SECRET.
 * Anything else, a malformed body or a missing field, is refused with a
 * status and a log line (http.c's http_refused()).
 *
 * The step runs on the store worker like an SMPP one (ussd.c); the
 * request waits, in u's pending list, until its batch is committed.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "phone.h"
#include "ussd.h"

#define USSD_HTTP_BODY_MAX	4096
#define USSD_HTTP_TEXT_MAX	(USSD_INPUT_MAX * 4)

/* A request waiting for its step; req NULL once the server stopped. */
struct ussd_http_wait {
	LIST_ENTRY(ussd_http_wait)	 entry;
	struct evhttp_request		*req;
};

static LIST_HEAD(, ussd_http_wait) ussd_http_waiting =
    LIST_HEAD_INITIALIZER(ussd_http_waiting);

static int	ussd_http_allowed(const char *, const char *);
static void	ussd_http_reply(void *, const char *, int);
static void	ussd_http_send(struct evhttp_request *, int, const char *,
		    const char *);
static int	ussd_http_field_ok(const char *, size_t, const char *);

/* Whether addr is one of the comma-separated numeric addresses of list. */
static int
ussd_http_allowed(const char *list, const char *addr)
{
	unsigned char	want[16], got[16];
	char		one[64];
	const char	*p;
	size_t		k, n;
	int		af, len;

	if (strncmp(addr, "::ffff:", 7) == 0 && strchr(addr, '.') != NULL)
		addr += 7;	/* an IPv4 client of an IPv6 socket */
	af = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	len = af == AF_INET6 ? 16 : 4;
	if (inet_pton(af, addr, got) != 1)
		return 0;
	for (p = list; *p != '\0'; p += k + (p[k] == ',')) {
		while (*p == ' ')
			p++;
		k = strcspn(p, ",");
		snprintf(one, sizeof(one), "%.*s", (int)k, p);
		while ((n = strlen(one)) > 0 && one[n - 1] == ' ')
			one[n - 1] = '\0';
		if (inet_pton(af, one, want) == 1 &&
		    memcmp(want, got, (size_t)len) == 0)
			return 1;
	}
	return 0;
}

/* A field's value: at most max bytes, printable ASCII of allowed set. */
static int
ussd_http_field_ok(const char *v, size_t max, const char *allowed)
{
	size_t	i;

	if (v == NULL || strlen(v) > max)
		return 0;
	for (i = 0; v[i] != '\0'; i++) {
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return 0;
		if (allowed != NULL && strchr(allowed, v[i]) == NULL)
			return 0;
	}
	return 1;
}

/* "CON ..." or "END ...", text/plain, not to be cached. */
static void
ussd_http_send(struct evhttp_request *req, int status, const char *prefix,
    const char *text)
{
	struct evkeyvalq	*hd = evhttp_request_get_output_headers(req);
	struct evbuffer		*buf;

	if ((buf = evbuffer_new()) == NULL)
		fatal("ussd_http_send");
	evhttp_add_header(hd, "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(hd, "Cache-Control", "no-store");
	evbuffer_add_printf(buf, "%s%s", prefix, text);
	evhttp_send_reply(req, status, status == 200 ? "OK" :
	    "Service Unavailable", buf);
	evbuffer_free(buf);
}

/* The step is done (ussd.c): answer the aggregator, if still there. */
static void
ussd_http_reply(void *ctx, const char *screen, int end)
{
	struct ussd_http_wait	*w = ctx;

	if (w->req != NULL)
		ussd_http_send(w->req, 200, end ? "END " : "CON ", screen);
	LIST_REMOVE(w, entry);
	free(w);
}

void
ussd_http_close(struct ussd *u)
{
	struct ussd_http_wait	*w;

	(void)u;
	LIST_FOREACH(w, &ussd_http_waiting, entry)
		if (w->req != NULL) {
			ussd_http_send(w->req, 503, "", "stopping\n");
			w->req = NULL;
		}
}

int
ussd_http_request(struct ussd *u, struct evhttp_request *req, char *why,
    size_t whysz)
{
	const struct config		*cfg = ussd_config(u);
	struct evhttp_connection	*evcon;
	struct evkeyvalq		 kv;
	struct evbuffer			*in;
	struct ussd_session		*sess;
	struct ussd_http_wait		*w;
	const char			*sid, *phone, *text, *secret, *hdr;
	const char			*lang;
	char				*addr = NULL, *body = NULL, masked[32];
	char				 fresh[USSD_HTTP_TEXT_MAX + 1];
	char				 plus[PHONE_MAX + 3];
	const char			*p;
	uint16_t			 port = 0;
	size_t				 len;
	int				 status = 400, n, i, open;

	TAILQ_INIT(&kv);
	if ((evcon = evhttp_request_get_connection(req)) != NULL)
		evhttp_connection_get_peer(evcon, &addr, &port);
	if (addr == NULL || !ussd_http_allowed(cfg->ussd_http_allow, addr)) {
		snprintf(why, whysz, "ussd: address not in [ussd] http_allow");
		return 403;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		snprintf(why, whysz, "ussd: POST only");
		return 405;
	}
	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	if (len > USSD_HTTP_BODY_MAX) {
		snprintf(why, whysz, "ussd: body over %d bytes",
		    USSD_HTTP_BODY_MAX);
		return 400;
	}
	if ((body = malloc(len + 1)) == NULL)
		fatal("ussd_http_request");
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	if (memchr(body, '\0', len) != NULL) {
		snprintf(why, whysz, "ussd: NUL byte in the body");
		goto refuse;
	}
	if (evhttp_parse_query_str(body, &kv) == -1) {
		snprintf(why, whysz, "ussd: body is not a form");
		goto refuse;
	}
	sid = evhttp_find_header(&kv, "sessionId");
	if ((phone = evhttp_find_header(&kv, "phoneNumber")) != NULL &&
	    phone[0] == ' ') {
		/* A '+' sent unescaped reads as a blank in a form. */
		snprintf(plus, sizeof(plus), "+%s", phone + 1);
		phone = plus;
	}
	text = evhttp_find_header(&kv, "text");
	if (text == NULL)
		text = "";
	if (cfg->ussd_http_secret[0] != '\0') {
		hdr = evhttp_find_header(evhttp_request_get_input_headers(req),
		    "X-Pilar-Secret");
		secret = evhttp_find_header(&kv, "secret");
		if (!(hdr != NULL && http_token_equal(cfg->ussd_http_secret,
		    hdr)) && !(secret != NULL &&
		    http_token_equal(cfg->ussd_http_secret, secret))) {
			snprintf(why, whysz, "ussd: missing or wrong secret");
			status = 403;
			goto refuse;
		}
	}
	if (sid == NULL || *sid == '\0' ||
	    !ussd_http_field_ok(sid, USSD_KEY_MAX, NULL) ||
	    strchr(sid, ' ') != NULL) {
		snprintf(why, whysz, "ussd: sessionId missing or malformed");
		goto refuse;
	}
	if (phone == NULL || *phone == '\0' ||
	    !ussd_http_field_ok(phone, PHONE_MAX + 1, "+0123456789")) {
		snprintf(why, whysz, "ussd: phoneNumber missing or malformed");
		goto refuse;
	}
	if (!ussd_http_field_ok(text, USSD_HTTP_TEXT_MAX, NULL)) {
		snprintf(why, whysz, "ussd: text too long or with control "
		    "characters");
		goto refuse;
	}

	/*
	 * Which answers are new: those past the ones the session took.  A
	 * first request with answers is a shortcut; a session that ended
	 * (or timed out) is told so rather than replayed.
	 */
	sess = ussd_session_alive(u, ussd_session_find(u, USSD_VIA_HTTP,
	    phone, sid));
	log_phone(phone, masked, sizeof(masked));
	if (sess == NULL && (lang = ussd_ended(u, USSD_VIA_HTTP, phone,
	    sid)) != NULL) {
		struct reply_vars	v;
		char			scr[USSD_SCREEN_BYTES];

		memset(&v, 0, sizeof(v));
		ussd_menu_render(lang, REPLY_USSD_EXPIRED, &v, scr,
		    sizeof(scr));
		log_info("ussd_unknown_session via=http from=%s", masked);
		ussd_http_send(req, 200, "END ", scr);
		goto done;
	}
	if (sess != NULL && ussd_session_busy(sess)) {
		log_warnx("ussd_busy via=http from=%s", masked);
		ussd_http_send(req, 503, "", "busy\n");
		goto done;
	}
	open = sess == NULL;
	n = text[0] == '\0' ? 0 : 1;
	for (p = text; *p != '\0'; p++)
		n += *p == '*';
	if (!open) {
		/* Skip the answers taken: the rest are new. */
		for (p = text, i = 0; i < ussd_session_answers(sess) && *p !=
		    '\0'; p++)
			if (*p == '*')
				i++;
		if (n <= ussd_session_answers(sess)) {
			/* The same request again: the same screen. */
			ussd_http_send(req, 200, "CON ",
			    ussd_session_screen(sess));
			goto done;
		}
		if (ussd_session_answers(sess) == 0)
			p = text;
	} else
		p = text;
	snprintf(fresh, sizeof(fresh), "%s", p);

	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal("ussd_http_request");
	w->req = req;
	LIST_INSERT_HEAD(&ussd_http_waiting, w, entry);
	if (ussd_step(u, USSD_VIA_HTTP, phone, 0, sid, open, fresh, 1,
	    ussd_http_reply, w) == -1) {
		LIST_REMOVE(w, entry);
		free(w);
		log_warnx("ussd_refused via=http from=%s reason=too_many",
		    masked);
		ussd_http_send(req, 503, "", "too many sessions\n");
		goto done;
	}
	if ((sess = ussd_session_find(u, USSD_VIA_HTTP, phone, sid)) != NULL)
		ussd_session_set_answers(sess, n);
done:
	evhttp_clear_headers(&kv);
	free(body);
	return 0;
refuse:
	evhttp_clear_headers(&kv);
	free(body);
	return status;
}
