/*
 * http.c: /healthz, /metrics and /progress on evhttp, in pilard's loop.
 *
 * Every handler runs on the loop thread and answers from what the loop
 * already has (the session's counters, metrics.c), except the store
 * figures: those come from a snapshot that progress.c reads on a thread
 * of its own over a second connection to the store, which it only
 * reads.  A request that needs the figures when the snapshot is older
 * than HTTP_SNAPSHOT_TTL_MS waits in h->waiting (the evhttp request
 * stays ours until we answer it, even if its client leaves) while one
 * read runs; all those waiting are answered when it ends.
 *
 * Hostile input: the request line and headers are parsed by evhttp,
 * which answers 400 itself to what it cannot parse (without a line in
 * our log: libevent 2.1 tells us nothing of those); the query string
 * by http_query.c, strictly: an unknown parameter or a bad escape is a
 * 400 with a log line.  The path reaches the log escaped, the query
 * (which may hold the token) never.
 */
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/queue.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "progress.h"
#include "smpp_session.h"
#include "store.h"
#include "ussd.h"

#define HTTP_TIMEOUT_S		30	/* to send a request, or read a reply */
#define HTTP_HEADERS_MAX	8192
#define HTTP_STORE_FREE_MIN	(1024 * 1024)	/* bytes, for /healthz */
#define HTTP_BODY_MAX		8192	/* the USSD form: ussd_http.c refuses over 4 KB */

enum http_route {
	HTTP_R_HEALTHZ,
	HTTP_R_METRICS,
	HTTP_R_PROGRESS,
	HTTP_R_ROOT
};

/* A request waiting for the snapshot. */
struct http_wait {
	TAILQ_ENTRY(http_wait)	 entry;
	struct evhttp_request	*req;
	enum http_route		 route;
	struct progress_query	 q;
	char			 token[CONFIG_TOKEN_MAX + 1];	/* q.token */
};
TAILQ_HEAD(http_waits, http_wait);

struct http {
	struct event_base		*base;
	const struct config		*cfg;
	struct smpp_session		*smpp;
	struct store			*st;		/* pilard's */
	struct evhttp			*evh;
	struct evhttp_bound_socket	*sock;
	char				 bound[CONFIG_STR_MAX];	/* listen */
	struct progress_cache		*cache;		/* NULL until needed */
	struct http_waits		 waiting;
	uint64_t			 bad;
	struct ussd			*ussd;		/* NULL: no /ussd */
};

static int	http_bind(struct http *);
static void	http_request_cb(struct evhttp_request *, void *);
static void	http_done_cb(struct evhttp_request *, void *);
static void	http_refused(struct http *, struct evhttp_request *, int,
		    const char *);
static int	http_authorized(struct http *, struct evhttp_request *,
		    const char *, int *);
static void	http_healthz(struct http *, struct evhttp_request *);
static void	http_answer(struct http *, struct evhttp_request *,
		    enum http_route, const struct progress_query *);
static void	http_send(struct evhttp_request *, int, const char *,
		    struct evbuffer *);
static int	http_store_writable(const char *, char *, size_t);
static void	http_ready(void *);
static const char *http_peer(struct evhttp_request *, char *, size_t);

struct http *
http_new(struct event_base *base, const struct config *cfg,
    struct smpp_session *smpp, struct store *st)
{
	struct http	*h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		fatal("http_new");
	h->base = base;
	h->cfg = cfg;
	h->smpp = smpp;
	h->st = st;
	TAILQ_INIT(&h->waiting);
	if ((h->evh = evhttp_new(base)) == NULL)
		fatalx("evhttp_new failed");
	evhttp_set_timeout(h->evh, HTTP_TIMEOUT_S);
	evhttp_set_max_headers_size(h->evh, HTTP_HEADERS_MAX);
	/* Only the USSD callback has a body (a small form). */
	evhttp_set_max_body_size(h->evh, HTTP_BODY_MAX);
	/* Every method reaches http_request_cb, which answers 405 and logs
	 * it; evhttp's own refusal would not be logged. */
	evhttp_set_allowed_methods(h->evh, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
	    EVHTTP_REQ_PATCH);
	evhttp_set_gencb(h->evh, http_request_cb, h);
	if (cfg->http_listen[0] != '\0')
		(void)http_bind(h);
	return h;
}

/*
 * Bind cfg's [http] listen, then let go of the old socket: a failed
 * bind leaves the old one serving.  Returns 0 or -1 (logged).
 */
static int
http_bind(struct http *h)
{
	const struct config		*cfg = h->cfg;
	struct evhttp_bound_socket	*sock = NULL;
	struct sockaddr_storage		 ss;
	socklen_t			 len = sizeof(ss);
	char				 addr[INET6_ADDRSTRLEN];
	int				 port = cfg->http_port;

	if (cfg->http_listen[0] != '\0') {
		sock = evhttp_bind_socket_with_handle(h->evh, cfg->http_host,
		    (uint16_t)cfg->http_port);
		if (sock == NULL) {
			log_error("http_bind_failed listen=%s err=\"%s\"%s",
			    cfg->http_listen, strerror(errno), h->sock != NULL ?
			    " kept=old" : "");
			return -1;
		}
	}
	if (h->sock != NULL) {
		evhttp_del_accept_socket(h->evh, h->sock);
		log_info("http_closed listen=%s", h->bound);
	}
	h->sock = sock;
	snprintf(h->bound, sizeof(h->bound), "%s", cfg->http_listen);
	if (sock == NULL)
		return 0;
	/* Port 0 took a free one: say which, scripts read it here. */
	if (getsockname(evhttp_bound_socket_get_fd(sock),
	    (struct sockaddr *)&ss, &len) == 0)
		port = ntohs(ss.ss_family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	snprintf(addr, sizeof(addr), "%s", cfg->http_host);
	log_info("http_listening addr=%s%s%s port=%d token=%s remote=%s",
	    strchr(addr, ':') ? "[" : "", addr, strchr(addr, ':') ? "]" : "",
	    port, cfg->http_token[0] != '\0' ? "set" : "none",
	    cfg->http_loopback ? "no" : "yes");
	return 0;
}

void
http_set_ussd(struct http *h, struct ussd *u)
{
	h->ussd = u;
}

void
http_reconfigured(struct http *h)
{
	if (strcmp(h->bound, h->cfg->http_listen) == 0 && (h->sock != NULL ||
	    h->bound[0] == '\0'))
		return;
	(void)http_bind(h);
}

void
http_free(struct http *h)
{
	struct http_wait	*w;

	if (h == NULL)
		return;
	/* A read in hand finishes first; http_ready() answers the waiting. */
	progress_cache_free(h->cache);
	if (h->ussd != NULL)
		ussd_http_close(h->ussd);
	while ((w = TAILQ_FIRST(&h->waiting)) != NULL) {
		TAILQ_REMOVE(&h->waiting, w, entry);
		http_send(w->req, 503, "stopping\n", NULL);
		free(w);
	}
	evhttp_free(h->evh);
	free(h);
}

/* "127.0.0.1:40522" of the client, for the log. */
static const char *
http_peer(struct evhttp_request *req, char *out, size_t outsz)
{
	struct evhttp_connection	*evcon;
	char				*addr = NULL;
	uint16_t			 port = 0;

	snprintf(out, outsz, "-");
	if ((evcon = evhttp_request_get_connection(req)) != NULL) {
		evhttp_connection_get_peer(evcon, &addr, &port);
		if (addr != NULL)
			snprintf(out, outsz, "%s:%u", addr, (unsigned)port);
	}
	return out;
}

/*
 * Once a reply has gone out: one debug line per request, with the path
 * but not the query (which may hold the token).
 */
static void
http_done_cb(struct evhttp_request *req, void *arg)
{
	const struct evhttp_uri	*u = evhttp_request_get_evhttp_uri(req);
	const char		*path = u != NULL ? evhttp_uri_get_path(u) :
				    NULL;
	char			 peer[64], q[128];

	(void)arg;
	log_debug("http_request peer=%s path=%s status=%d",
	    http_peer(req, peer, sizeof(peer)),
	    log_quote(path != NULL ? path : "", q, sizeof(q)),
	    evhttp_request_get_response_code(req));
}

/*
 * A request refused (4xx): a log line that names why, then a short
 * plain answer.  The path is logged without its query (which may hold
 * the token).
 */
static void
http_refused(struct http *h, struct evhttp_request *req, int status,
    const char *why)
{
	const struct evhttp_uri	*u = evhttp_request_get_evhttp_uri(req);
	const char		*path = u != NULL ? evhttp_uri_get_path(u) :
				    NULL;
	char			 peer[64], qp[128], qw[256], body[64];

	h->bad++;
	log_warnx("http_refused peer=%s status=%d path=%s reason=%s",
	    http_peer(req, peer, sizeof(peer)), status,
	    log_quote(path != NULL ? path : "", qp, sizeof(qp)),
	    log_quote(why, qw, sizeof(qw)));
	snprintf(body, sizeof(body), "%d %s\n", status,
	    status == 400 ? "bad request" : status == 403 ? "forbidden" :
	    status == 404 ? "not found" : "method not allowed");
	if (status == 405)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
	http_send(req, status, body, NULL);
}

/*
 * Whether the request carries [http] token, as a bearer token or in the
 * query (qtoken).  *via_query tells the page to carry it in its links.
 */
static int
http_authorized(struct http *h, struct evhttp_request *req,
    const char *qtoken, int *via_query)
{
	const char	*want = h->cfg->http_token, *hdr;

	*via_query = 0;
	hdr = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (hdr != NULL && strncasecmp(hdr, "Bearer ", 7) == 0) {
		for (hdr += 7; *hdr == ' '; hdr++)
			;
		if (http_token_equal(want, hdr))
			return 1;
	}
	if (qtoken[0] != '\0' && http_token_equal(want, qtoken)) {
		*via_query = 1;
		return 1;
	}
	return 0;
}

/*
 * Send status with body (text) or buf (taken).  Nothing here is to be
 * cached or sniffed: the pages hold personal data.
 */
static void
http_send(struct evhttp_request *req, int status, const char *text,
    struct evbuffer *buf)
{
	struct evkeyvalq	*hd = evhttp_request_get_output_headers(req);
	struct evbuffer		*own = NULL;
	const char		*reason;

	if (evhttp_find_header(hd, "Content-Type") == NULL)
		evhttp_add_header(hd, "Content-Type",
		    "text/plain; charset=utf-8");
	evhttp_add_header(hd, "Cache-Control", "no-store");
	evhttp_add_header(hd, "X-Content-Type-Options", "nosniff");
	if (buf == NULL && (buf = own = evbuffer_new()) == NULL)
		fatal("http_send");
	if (text != NULL)
		evbuffer_add(buf, text, strlen(text));
	switch (status) {
	case 200: reason = "OK"; break;
	case 302: reason = "Found"; break;
	case 400: reason = "Bad Request"; break;
	case 403: reason = "Forbidden"; break;
	case 404: reason = "Not Found"; break;
	case 405: reason = "Method Not Allowed"; break;
	default: reason = "Service Unavailable"; break;
	}
	evhttp_send_reply(req, status, reason, buf);
	if (own != NULL)
		evbuffer_free(own);
}

/*
 * Whether pilard could write the store: the file writable to us and its
 * file system not full.  Cheap system calls on the loop; the store's
 * own errors show in pilar_mo_tempfail_total and in the log.
 */
static int
http_store_writable(const char *path, char *why, size_t whysz)
{
	struct statvfs	sv;

	if (strcmp(path, ":memory:") == 0)
		return 1;
	if (access(path, W_OK) == -1) {
		snprintf(why, whysz, "%s", strerror(errno));
		return 0;
	}
	if (statvfs(path, &sv) == 0 &&
	    (uint64_t)sv.f_bavail * sv.f_frsize < HTTP_STORE_FREE_MIN) {
		snprintf(why, whysz, "file system full");
		return 0;
	}
	return 1;
}

/* /healthz: JSON, 200 when both are fine and 503 when either is not. */
static void
http_healthz(struct http *h, struct evhttp_request *req)
{
	struct evbuffer	*buf;
	char		 why[128] = "";
	int		 bound, writable;

	bound = smpp_session_bound(h->smpp);
	writable = http_store_writable(h->cfg->store_path, why, sizeof(why));
	if ((buf = evbuffer_new()) == NULL)
		fatal("http_healthz");
	evbuffer_add_printf(buf, "{\"status\":\"%s\",\"link\":\"%s\","
	    "\"store\":\"%s\"", bound && writable ? "ok" : "unavailable",
	    bound ? "bound" : "unbound", writable ? "writable" :
	    "not_writable");
	if (!writable) {
		/* strerror() and our own words: no quote to escape. */
		evbuffer_add_printf(buf, ",\"store_error\":\"%s\"", why);
	}
	evbuffer_add_printf(buf, "}\n");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	http_send(req, bound && writable ? 200 : 503, NULL, buf);
	evbuffer_free(buf);
}

/* Answer a request that needed the snapshot, now that there is one. */
static void
http_answer(struct http *h, struct evhttp_request *req,
    enum http_route route, const struct progress_query *q)
{
	struct evkeyvalq	*hd = evhttp_request_get_output_headers(req);
	const struct progress	*snap = h->cache != NULL ?
				    progress_cache_get(h->cache) : NULL;
	struct metrics_sources	 src;
	struct evbuffer		*buf;

	if ((buf = evbuffer_new()) == NULL)
		fatal("http_answer");
	if (route == HTTP_R_METRICS) {
		memset(&src, 0, sizeof(src));
		src.smpp = smpp_session_stats(h->smpp);
		src.bound = smpp_session_bound(h->smpp);
		store_checkpoint_stats(h->st, &src.ckpt_runs,
		    &src.ckpt_failures);
		src.snap = snap;
		src.snap_errors = h->cache != NULL ?
		    progress_cache_errors(h->cache) : 0;
		src.http_bad = h->bad;
		src.has_ussd = h->ussd != NULL;
		src.ussd_active = h->ussd != NULL ? ussd_active(h->ussd) : 0;
		metrics_write(buf, &src);
		evhttp_add_header(hd, "Content-Type",
		    "text/plain; version=0.0.4; charset=utf-8");
		http_send(req, 200, NULL, buf);
	} else if (snap == NULL) {
		http_send(req, 503, "the store could not be read; see the "
		    "log\n", buf);
	} else {
		progress_page(buf, snap, q);
		evhttp_add_header(hd, "Content-Type",
		    "text/html; charset=utf-8");
		/* No script may run even if escaping failed somewhere. */
		evhttp_add_header(hd, "Content-Security-Policy",
		    "default-src 'none'; style-src 'unsafe-inline'; "
		    "form-action 'self'; frame-ancestors 'none'; "
		    "base-uri 'none'");
		evhttp_add_header(hd, "Referrer-Policy", "no-referrer");
		http_send(req, 200, NULL, buf);
	}
	evbuffer_free(buf);
}

/* Every request starts here, on the loop thread. */
static void
http_request_cb(struct evhttp_request *req, void *arg)
{
	struct http		*h = arg;
	const struct evhttp_uri	*u = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);
	struct progress_query	 pq;
	struct http_wait	*w;
	enum http_route		 route;
	struct evbuffer		*loc;
	const char		*path, *query;
	char			 token[CONFIG_TOKEN_MAX + 1], err[128];
	int			 via_query = 0;

	evhttp_request_set_on_complete_cb(req, http_done_cb, h);
	path = u != NULL ? evhttp_uri_get_path(u) : NULL;
	if (h->ussd != NULL && h->cfg->ussd_http_path[0] != '\0' &&
	    path != NULL && strcmp(path, h->cfg->ussd_http_path) == 0) {
		int	status;

		if ((status = ussd_http_request(h->ussd, req, err,
		    sizeof(err))) != 0)
			http_refused(h, req, status, err);
		return;
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		http_refused(h, req, 405, "method not allowed");
		return;
	}
	path = u != NULL ? evhttp_uri_get_path(u) : NULL;
	query = u != NULL ? evhttp_uri_get_query(u) : NULL;
	if (path == NULL || *path == '\0')
		path = "/";
	if (strcmp(path, "/healthz") == 0)
		route = HTTP_R_HEALTHZ;
	else if (strcmp(path, "/metrics") == 0)
		route = HTTP_R_METRICS;
	else if (strcmp(path, "/progress") == 0)
		route = HTTP_R_PROGRESS;
	else if (strcmp(path, "/") == 0)
		route = HTTP_R_ROOT;
	else {
		http_refused(h, req, 404, "no such page");
		return;
	}
	memset(&pq, 0, sizeof(pq));
	pq.page = 1;
	if (http_query_parse(query, route >= HTTP_R_PROGRESS ? &pq : NULL,
	    token, sizeof(token), err, sizeof(err)) == -1) {
		http_refused(h, req, 400, err);
		return;
	}
	if (route >= HTTP_R_PROGRESS) {
		if (h->cfg->http_token[0] == '\0') {
			http_refused(h, req, 404, "no [http] token set: only "
			    "/healthz and /metrics are served");
			return;
		}
		if (!http_authorized(h, req, token, &via_query)) {
			http_refused(h, req, 403, "missing or wrong token");
			return;
		}
	}
	switch (route) {
	case HTTP_R_HEALTHZ:
		http_healthz(h, req);
		return;
	case HTTP_R_ROOT:
		if ((loc = evbuffer_new()) == NULL)
			fatal("http_request_cb");
		evbuffer_add_printf(loc, "/progress%s%s", query != NULL &&
		    *query != '\0' ? "?" : "", query != NULL ? query : "");
		evbuffer_add(loc, "", 1);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Location", (const char *)evbuffer_pullup(loc, -1));
		evbuffer_free(loc);
		http_send(req, 302, "/progress\n", NULL);
		return;
	default:
		break;
	}
	if (route == HTTP_R_PROGRESS && via_query)
		pq.token = token;
	if (h->cache != NULL &&
	    progress_cache_fresh(h->cache, HTTP_SNAPSHOT_TTL_MS)) {
		http_answer(h, req, route, &pq);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal("http_request_cb");
	w->req = req;
	w->route = route;
	w->q = pq;
	if (pq.token != NULL) {
		snprintf(w->token, sizeof(w->token), "%s", pq.token);
		w->q.token = w->token;
	}
	TAILQ_INSERT_TAIL(&h->waiting, w, entry);
	if (h->cache == NULL)
		h->cache = progress_cache_new(h->base, http_ready, h);
	progress_cache_refresh(h->cache, h->cfg);
}

/* On the loop: a read of the store ended; answer all who waited. */
static void
http_ready(void *arg)
{
	struct http		*h = arg;
	struct http_wait	*w;

	while ((w = TAILQ_FIRST(&h->waiting)) != NULL) {
		TAILQ_REMOVE(&h->waiting, w, entry);
		http_answer(h, w->req, w->route, &w->q);
		free(w);
	}
	log_flush();
}
