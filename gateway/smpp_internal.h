/*
 * smpp_internal.h: what the two halves of the SMPP session share.
 *
 * smpp_session.c keeps the link (connect, bind, timers, dispatch,
 * submits); smpp_batch.c turns deliver_sm into stored MOs and receipts
 * and answers them after the batch's commit.  Nothing outside these two
 * files includes this header.
 */
#ifndef PILAR_SMPP_INTERNAL_H
#define PILAR_SMPP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "phone.h"
#include "smpp_pdu.h"
#include "smpp_session.h"

struct bufferevent;
struct config;
struct event;
struct event_base;
struct flood;
struct outbox;
struct store;

#define SMPP_TEXT_MAX		(4 * SMPP_PAYLOAD_MAX + 1)

enum smpp_state {
	SMPP_S_IDLE,		/* not connected; reconnect timer may run */
	SMPP_S_CONNECTING,
	SMPP_S_BINDING,		/* bind_transceiver sent */
	SMPP_S_BOUND,
	SMPP_S_UNBINDING,	/* unbind sent, or the SMSC's answered */
	SMPP_S_STOPPED
};


/* A response to write once the batch's transaction is settled. */
struct smpp_ack {
	uint32_t	 command_id;	/* the response's id */
	uint32_t	 seq;
	uint32_t	 status;
	int		 needs_commit;	/* ESME_ROK only if the commit holds */
	int64_t		 mt_id;		/* reply to push after commit, or 0 */
	int64_t		 created_at;	/* s, the reply's */
	char		 dest[PHONE_MAX + 1];
	char		*text;		/* From malloc(), reply text */
};

struct smpp_session {
	struct event_base		*base;
	const struct config		*cfg;
	struct store			*st;
	struct outbox			*ob;
	enum smpp_state			 state;
	struct bufferevent		*bev;
	struct event			*ev_tick;
	struct event			*ev_reconnect;
	unsigned			 link_id;	/* per connection */
	uint32_t			 next_seq;
	int				 backoff_ms;
	int64_t				 last_rx;	/* ms */
	int64_t				 state_since;	/* ms */
	uint32_t			 bind_seq;
	uint32_t			 enquire_seq;	/* 0: none out */
	int64_t				 enquire_sent;
	int				 stopping;
	int64_t				 stop_since;
	void				(*stop_done)(void *);
	void				*stop_arg;
	int				 relink;	/* rebind after close */
	int				 auth_failed;
	uint8_t				*rxbuf;		/* max_pdu + 1 */
	size_t				 rxbuf_size;
	int				 in_txn;
	struct smpp_ack			*acks;
	size_t				 n_acks;
	size_t				 cap_acks;
	struct smpp_session_stats	 stats;
	struct flood			*flood;		/* per-sender guards */
	int64_t				 flood_swept;	/* ms */
	char				 text[SMPP_TEXT_MAX];	/* MO */
};

/* smpp_session.c */
int64_t		 smpp_now_ms(void);
void		 smpp_session_write(struct smpp_session *, const uint8_t *,
		    int);

/* smpp_batch.c */
int		 smpp_session_txn(struct smpp_session *);
struct smpp_ack	*smpp_session_ack(struct smpp_session *, uint32_t, uint32_t,
		    uint32_t);
void		 smpp_session_flush(struct smpp_session *);
void		 smpp_session_deliver(struct smpp_session *,
		    const struct smpp_header *, const uint8_t *, size_t);

#endif
