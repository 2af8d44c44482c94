/*
 * http.h: pilard's small web server ([http] in pilar.conf), on
 * libevent's evhttp in the daemon's own event loop.
 *
 *	/healthz	200 when the link is bound and the store writable,
 *			503 otherwise (JSON)
 *	/metrics	Prometheus text format 0.0.4
 *	/progress	coordinators' page: graduations toward the target
 *	/		redirects to /progress
 *	[ussd] http_path	the USSD aggregator's callback (POST, see
 *			ussd_http.c): its own address list and secret
 *
 * Everything but /healthz and /metrics needs [http] token, sent as
 * "Authorization: Bearer TOKEN" or "?token=TOKEN"; with no token
 * configured only those two are served.  GET and HEAD only.
 *
 * The store figures (/progress, the record gauges of /metrics) are read
 * by progress.c on a thread of its own over a store connection of its
 * own, never pilard's (which the batch worker owns while a batch runs),
 * and kept for HTTP_SNAPSHOT_TTL_MS; a request that needs newer ones
 * waits for the read without holding up the loop.
 */
#ifndef PILAR_HTTP_H
#define PILAR_HTTP_H

#include <stddef.h>

#define HTTP_SNAPSHOT_TTL_MS	5000

struct config;
struct event_base;
struct http;
struct smpp_session;
struct store;

/*
 * cfg, smpp and st (pilard's store, only asked for its checkpoint
 * counters, which are thread-safe) stay owned by the caller and must
 * outlive the server.  Binds [http] listen if set; a failed bind is
 * logged and pilard goes on without HTTP until a SIGHUP binds it.
 */
struct http	*http_new(struct event_base *, const struct config *,
		    struct smpp_session *, struct store *);
/*
 * The configuration behind cfg was replaced (SIGHUP): bind again only
 * when [http] listen changed; a new address that cannot be bound keeps
 * the old one.  The token and the rest are read at each request.
 */
void		 http_reconfigured(struct http *);
struct ussd;
/* Serve [ussd] http_path (POST) from u (ussd.h); NULL: not served. */
void		 http_set_ussd(struct http *, struct ussd *u);
/* Answer requests still waiting (503), stop the thread, close. */
void		 http_free(struct http *);

struct progress_query;

/*
 * http_query.c.  Decode a query string: token= (into token, for any
 * page) and, when pq is set, the parameters of /progress.  -1 with the
 * reason in err for an unknown parameter, a bad %-escape, a NUL byte or
 * a value too long: a link with a typo gets 400, not a wrong page.
 */
int		 http_query_parse(const char *query, struct progress_query *pq,
		    char *token, size_t tokensz, char *err, size_t errsz);
/* Whether got is want, in a time that does not tell where they differ. */
int		 http_token_equal(const char *want, const char *got);

#endif
