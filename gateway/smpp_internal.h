/*
 * smpp_internal.h: what the smpp_*.c files of the SMPP session share.
 *
 * smpp_session.c keeps the link (connect, bind, timers, dispatch);
 * smpp_submit.c submits the outbox's MTs and reads the answers;
 * smpp_batch.c runs the batches of store work on the worker and answers
 * them after the commit; smpp_deliver.c turns a deliver_sm into the ops
 * of a batch, smpp_parts.c keeps the parts of long MOs and
 * smpp_remind.c queues the tick's reminders and expiries.  Nothing
 * outside these files includes this header.
 */
#ifndef PILAR_SMPP_INTERNAL_H
#define PILAR_SMPP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <event2/util.h>

#include "concat.h"
#include "config.h"
#include "mo.h"
#include "outbox.h"
#include "phone.h"
#include "receipt.h"
#include "remind.h"
#include "smpp_pdu.h"
#include "smpp_session.h"

struct bufferevent;
struct config;
struct event;
struct event_base;
struct flood;
struct outbox;
struct sendlog;
struct store;
struct ussd;
struct worker;

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
	uint32_t	 status;	/* until the batch says otherwise */
};

enum smpp_op_kind {
	SMPP_OP_MO,		/* a deliver_sm to hand to mo_handle() */
	SMPP_OP_RECEIPT,	/* a delivery receipt to record */
	SMPP_OP_MT,		/* an MT's fate to write */
	SMPP_OP_PART,		/* a part of a long MO: kept, and the message
				   handed to mo_handle() once complete */
	SMPP_OP_EXPIRE,		/* long MOs overdue: handled as they are */
	SMPP_OP_REMIND,		/* a chunk of due reminders to queue */
	SMPP_OP_CALL		/* store work of another module (USSD) */
};

/* What became of a part of a long MO (smpp_op.part_state). */
enum smpp_part_state {
	SMPP_PART_STORED,	/* kept; parts still missing */
	SMPP_PART_DUPLICATE,	/* held already: a redelivery, ignored */
	SMPP_PART_COMPLETE	/* the last one: the message is an MO */
};

/*
 * A long MO handled with parts missing, its text the parts that came
 * joined with CONCAT_GAP where others are missing: overdue (expired) or
 * its reference reused by a newer message (superseded).  The worker
 * fills it; the loop logs it and queues its reply.
 */
struct smpp_gone {
	char			 sender[SMPP_ADDR_MAX + 1];	/* as sent */
	uint16_t		 ref;
	uint8_t			 total;
	uint8_t			 received;
	int64_t			 first_at;	/* first part came, s */
	const char		*reason;	/* "expired", "superseded" */
	char			*text;		/* From malloc() */
	struct mo_result	 r;
};

/*
 * One piece of store work of a batch.  IN fields are set by the loop
 * thread, OUT fields by the worker; the loop reads the OUT fields only
 * after the worker handed the batch back.
 */
struct smpp_op {
	enum smpp_op_kind	 kind;
	size_t			 ack;		/* index in acks; SIZE_MAX */
	/* MO, IN */
	uint32_t		 seq;
	char			 sender[SMPP_ADDR_MAX + 1];
	int			 sender_ton;
	char			 dest[SMPP_ADDR_MAX + 1];
	char			*text;		/* From malloc() */
	int64_t			 now;
	/* MO, OUT */
	int			 rc;		/* 0: stored in the batch */
	struct mo_result	 r;
	/* RECEIPT, IN */
	char			 forms[RECEIPT_FORMS_MAX][RECEIPT_ID_MAX + 1];
	int			 n_forms;
	int			 state;
	int			 err;
	/* RECEIPT, OUT; MT, IN */
	int			 found;		/* STORE_OK, _NOTFOUND, _ERROR;
						   _EXISTS: a long MT begun */
	int64_t			 mt_id;
	/* MT, IN */
	enum outbox_fate	 fate;
	uint32_t		 status;
	char			 message_id[SMPP_MSGID_MAX + 1];
	int			 mt_via;	/* a long MT's SMPP_VIA_* */
	/* PART, IN (with the MO's: text is the part's); MT, IN: the part
	 * of a long MT, part_total 0 or 1 for a single SMS */
	uint16_t		 part_ref;
	uint8_t			 part_total;	/* 2 .. 255 */
	uint8_t			 part_seq;	/* 1 .. part_total */
	const char		*part_via;	/* "udh8", "udh16", "sar" */
	/* PART, OUT (and r when COMPLETE) */
	enum smpp_part_state	 part_state;
	int			 part_received;	/* pending, this one too */
	char			*joined;	/* COMPLETE: From malloc() */
	/* PART and EXPIRE, OUT */
	struct smpp_gone	*gone;		/* From malloc(), n_gone */
	size_t			 n_gone;
	int			 more;		/* EXPIRE: others overdue */
	/* REMIND, OUT */
	struct remind_result	 remind;
	/* CALL, IN: run(arg) on the worker, done(arg) on the loop */
	smpp_store_fn		*call_run;
	smpp_done_fn		*call_done;
	void			*call_arg;
};

/* How the parts of a long MT are numbered (mt.via in the store). */
#define SMPP_VIA_UDH	0	/* a concatenation header */
#define SMPP_VIA_SAR	1	/* the sar_* TLVs */

/* What one read pass (or several, while the worker is busy) produced. */
struct smpp_batch {
	struct smpp_op		*ops;
	size_t			 n_ops;
	size_t			 cap_ops;
	struct smpp_ack		*acks;
	size_t			 n_acks;
	size_t			 cap_acks;
	struct config		 cfg;		/* the worker's copy */
	int			 committed;	/* OUT */
	int			 retried;	/* OUT: run again with savepoints */
	char			 err[256];	/* OUT: why not */
};

struct smpp_session {
	struct event_base		*base;
	const struct config		*cfg;
	struct store			*st;
	struct outbox			*ob;
	struct sendlog			*sendlog;	/* NULL: none */
	enum smpp_state			 state;
	struct bufferevent		*bev;
	struct event			*ev_tick;
	struct event			*ev_reconnect;
	struct event			*ev_pace;	/* next token of tps */
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
	struct smpp_batch		 batch[2];
	struct smpp_batch		*filling;	/* the loop adds here */
	struct smpp_batch		*running;	/* with the worker */
	struct worker			*worker;
	int				 worker_stopping;
	int				 acks_first;	/* since the bind */
	int				 worked;	/* PDUs while bound */
	struct smpp_session_stats	 stats;
	/* The worker's own (see smpp_batch.c): */
	struct flood			*flood;		/* per-sender guards */
	int64_t				 flood_swept;	/* s */
	/* Long MOs: when to look for overdue ones next (s), and whether
	 * an SMPP_OP_EXPIRE is in a batch. */
	int64_t				 concat_sweep;
	int				 concat_queued;
	/* Reminders: when to look for due ones next (s), and whether an
	 * SMPP_OP_REMIND is in a batch. */
	int64_t				 remind_next;
	int				 remind_queued;
	struct ussd			*ussd;		/* NULL: no USSD */
};

/* smpp_session.c */
int64_t		 smpp_now_ms(void);
/* The next sequence number of a PDU we send. */
uint32_t	 smpp_session_seq(struct smpp_session *);
void		 smpp_session_write(struct smpp_session *, const uint8_t *,
		    int);

/* smpp_submit.c: MTs out, and the SMSC's answers to them */
/* At start: set aside the MTs of the last send log, open a new one. */
void		 smpp_session_recover(struct smpp_session *);
/* Submit what the window, the pace and the outbox allow. */
void		 smpp_session_pump(struct smpp_session *);
/* The ev_pace timer: a token of [smpp] tps is due, pump. */
void		 smpp_session_pace_cb(evutil_socket_t, short, void *);
/* A submit_sm_resp, or a generic_nack not the enquire_link's. */
void		 smpp_submit_resp(struct smpp_session *,
		    const struct smpp_header *, const uint8_t *, size_t);

/* smpp_batch.c */
void		 smpp_batch_init(struct smpp_session *);
void		 smpp_batch_free(struct smpp_session *);
/* Queue a response: written when the batch it belongs to is settled. */
struct smpp_ack	*smpp_session_ack(struct smpp_session *, uint32_t, uint32_t,
		    uint32_t);
/*
 * Queue an MT's fate (or an expired MT: OUTBOX_FAILED, status 0); the
 * op is returned for the part of a long MT (part_seq, part_total).
 */
struct smpp_op	*smpp_session_mt_op(struct smpp_session *, int64_t,
		    enum outbox_fate, uint32_t, const char *);
/* End of a read pass: hand the batch to the worker, or answer now. */
void		 smpp_session_flush(struct smpp_session *);
/* A new op in the filling batch, zeroed but for its kind. */
struct smpp_op	*smpp_batch_op(struct smpp_session *, enum smpp_op_kind);

/* smpp_deliver.c: a deliver_sm read on the loop, into the filling batch */
void		 smpp_session_deliver(struct smpp_session *,
		    const struct smpp_header *, const uint8_t *, size_t);

/* smpp_remind.c: the ops the tick queues */
/* From the session's tick: queue reminders and the expiry of overdue
 * long MOs. */
void		 smpp_batch_tick(struct smpp_session *);
/* On the worker: queue a chunk of due reminders under a savepoint. */
void		 smpp_remind_exec(struct smpp_session *, struct smpp_batch *,
		    struct smpp_op *, int64_t);
/* On the loop: a chunk of reminders is queued (or not); the next one. */
void		 smpp_remind_done(struct smpp_session *, struct smpp_batch *,
		    struct smpp_op *);

/* smpp_parts.c: long MOs */
/*
 * On the loop: a deliver_sm's user data split into the text's offset
 * (*udh_len) and its concatenation (ci->total 0: a message of its own),
 * *via "udh8", "udh16", "sar" or "".  -1 when the UDH runs past the
 * message.
 */
int		 smpp_session_concat(struct smpp_session *,
		    const struct smpp_header *, const struct smpp_msg *,
		    size_t *, struct concat_part_info *, const char **);
/* On the worker: keep one part, handle its message when complete. */
int		 smpp_part_exec(struct smpp_session *, const struct config *,
		    struct smpp_op *);
/* On the worker: handle the long MOs overdue as they are. */
int		 smpp_part_expire(struct smpp_session *,
		    const struct config *, struct smpp_op *, int64_t);

#endif
