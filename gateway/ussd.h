/*
 * ussd.h: USSD sessions, one engine behind two transports.
 *
 * Over SMPP (ussd.c): a deliver_sm with ussd_service_op 1 (PSSR
 * indication) opens a session, op 18 (USSR confirm) answers a screen;
 * pilard answers with a submit_sm of op 2 (USSR request, the dialogue
 * goes on) or 17 (PSSR response, the end), its_session_info echoed with
 * its end bit (bit 0) set on the last screen.  A deliver_sm whose
 * its_session_info has the end bit, or with another op, is the user (or
 * the network) giving up: the session closes quietly.
 *
 * Over HTTP (ussd_http.c): an aggregator POSTs each screen's answer to
 * [ussd] http_path on pilard's HTTP listener.
 *
 * Each step (the opening included, to know whether the phone is a
 * companion's and in which language) runs on the store worker inside a
 * batch, with the menu (ussd_menu.c) and, at the end of a report, the
 * SMS logic (mo_handle() with mo_in.ussd): the screen is sent once the
 * batch is committed, so a record is durable before its final screen.
 *
 * Screens are not SMS: they never enter the outbox and are never stored
 * (a screen is useless a few seconds later, and one resent after a
 * restart would reach a phone with no dialogue open).  A screen that
 * cannot be sent (the link is down) is dropped with a log line; the
 * record it confirms is kept, and shows in the next STATUS.  Sessions
 * live in memory: a restart loses the dialogues in progress, never a
 * record.
 */
#ifndef PILAR_USSD_H
#define PILAR_USSD_H

#include <stddef.h>
#include <stdint.h>

#include "ussd_menu.h"

#define USSD_OP_PSSD_IND	0
#define USSD_OP_PSSR_IND	1
#define USSD_OP_USSR_REQ	2
#define USSD_OP_PSSR_RESP	17
#define USSD_OP_USSR_CONF	18
#define USSD_ITS_END		0x0001	/* its_session_info: last message */
#define USSD_SESSIONS_MAX	10000	/* more at once: refused */
#define USSD_KEY_MAX		64	/* aggregator's sessionId, bytes */

struct config;
struct event_base;
struct evhttp_request;
struct smpp_msg;
struct smpp_session;
struct ussd;

enum ussd_via {
	USSD_VIA_SMPP,
	USSD_VIA_HTTP
};

/* cfg and smpp stay the caller's and must outlive the engine. */
struct ussd	*ussd_new(struct event_base *, const struct config *,
		    struct smpp_session *);
/* After smpp_session_free(): no step is then with the worker. */
void		 ussd_free(struct ussd *);

/* SMPP: a deliver_sm that carried ussd_service_op; text in UTF-8. */
void		 ussd_smpp_deliver(struct ussd *, const struct smpp_msg *,
		    const char *text);
/* SMPP: a submit_sm_resp or generic_nack; 1 when seq was a screen's. */
int		 ussd_smpp_resp(struct ussd *, uint32_t seq, uint32_t status);

/*
 * ussd_http.c.  A POST to [ussd] http_path.  Returns 0 when the request
 * is taken (answered once its step is committed), or an HTTP status to
 * refuse it with (400, 403, 405, 503) and the reason in why.
 */
int		 ussd_http_request(struct ussd *, struct evhttp_request *,
		    char *why, size_t whysz);
/* The HTTP server stops: answer the requests still waiting (503). */
void		 ussd_http_close(struct ussd *);

/*
 * ussd.c, for ussd_http.c.  One step of session key of phone on
 * transport via: open (with the answers of a shortcut) or answer (with
 * one or more answers, '*' separated when split is set).  When the step
 * is done, reply(ctx, screen, end) is called on the loop (ctx NULL: the
 * session is passed instead), before a final screen ends the session.
 * Returns 0, or -1 when the session is busy or there are too many
 * (reply is then never called).
 */
typedef void ussd_reply_fn(void *ctx, const char *screen, int end);
int		 ussd_step(struct ussd *, enum ussd_via, const char *phone,
		    int ton, const char *key, int open, const char *input,
		    int split, ussd_reply_fn *, void *ctx);
/*
 * What ussd_http.c needs of a session: whether it exists and is busy,
 * how many answers of the aggregator's text it took, and its last screen.
 */
struct ussd_session	*ussd_session_find(struct ussd *, enum ussd_via,
		    const char *phone, const char *key);
/* The session found, or NULL when it timed out (it is ended then). */
struct ussd_session	*ussd_session_alive(struct ussd *,
		    struct ussd_session *);
int		 ussd_session_busy(const struct ussd_session *);
int		 ussd_session_answers(const struct ussd_session *);
void		 ussd_session_set_answers(struct ussd_session *, int);
const char	*ussd_session_screen(const struct ussd_session *);
/* Whether key of phone ended (or timed out) lately: its language. */
const char	*ussd_ended(struct ussd *, enum ussd_via, const char *phone,
		    const char *key);
const struct config *ussd_config(const struct ussd *);
/* Dialogues open now, both channels. */
size_t		 ussd_active(const struct ussd *);

#endif
