/*
 * smsc.h: the two halves of pilar-smsc, the SMSC simulator.
 *
 * pilar_smsc.c is the SMPP server (one ESME at a time, everything it
 * sends is hostile; smsc_mo.c writes the MOs and receipts it sends);
 * smsc_script.c is the script interpreter that drives it (its events
 * and waits in smsc_script_wait.c, its MO commands in smsc_script_mo.c).  The server reports events to the script, which never
 * acts inside them: it records state and runs later from its own event,
 * so a command like `drop' cannot pull a connection out from under the
 * server's read loop.
 */
#ifndef PILAR_SMSC_H
#define PILAR_SMSC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct event_base;

/* Options both halves read (set once by main). */
struct smsc_opts {
	const char	*shortcode;	/* -d: MO destination */
	int		 timeout_s;	/* -t: for every expectation */
	int		 verbose;	/* -v: protocol events to stderr */
};

/*
 * Faults the script injects (smsc_script.c sets them, pilar_smsc.c
 * applies them).  One-shot counts go down as submits or binds use them.
 * A submit_sm takes the first of withhold, nack, msgqful, throttle that
 * is set; throttle_every counts only the submits none of them took.
 */
struct smsc_faults {
	unsigned	 drop_every;	/* close after every N PDUs of a conn */
	unsigned	 withhold;	/* delivered, never answered */
	unsigned	 withhold_nth;	/* the nth submit from now: withheld */
	unsigned	 throttle_nth;	/* the nth submit from now: throttled */
	unsigned	 nack;		/* generic_nack with nack_status */
	uint32_t	 nack_status;
	unsigned	 msgqful;	/* ESME_RMSGQFUL */
	unsigned	 throttle;	/* ESME_RTHROTTLED */
	unsigned	 throttle_every;	/* every K-th submit: THROTTLED */
	unsigned	 throttle_seen;	/* submits counted by throttle_every */
	unsigned	 refuse_bind;	/* bind_resp refuse_status, then close */
	uint32_t	 refuse_status;
};

/* Counters since start, for expectations and the exit summary. */
struct smsc_stats {
	unsigned long	 mt;		/* submit_sm delivered (dups included) */
	unsigned long	 unique_mt;	/* distinct destination and text */
	unsigned long	 submits;	/* every submit_sm while bound */
	unsigned long	 bind_attempts;	/* binds received, refused or not */
	unsigned long	 binds;		/* accepted */
	unsigned long	 refused_binds;
	unsigned long	 drops;		/* connections closed by drop_every */
	unsigned long	 mo;		/* deliver_sm sent, redeliveries too */
	unsigned long	 mo_acked;	/* deliver_sm_resp ESME_ROK */
	unsigned long	 receipts;	/* of mo: delivery receipts */
	unsigned long	 parts;		/* submit_sm that were a part of a
					   long MT (mt counts the message) */
};

#define SMSC_ADDR_MAX		21	/* address octets, without NUL */
#define SMSC_MSGID_MAX		65	/* message_id octets, without NUL */
#define SMSC_RECEIPT_CHARS	20	/* of the MT quoted after text: */

#define SMSC_PARTS_MAX		16	/* parts of a long MT joined */

/* A long MT whose parts have all come (smsc_join.c). */
struct smsc_joined {
	int		 parts;
	char		 text[SMSC_PARTS_MAX * 4 * 160 + 1];	/* UTF-8 */
	char		 ids[SMSC_PARTS_MAX][SMSC_MSGID_MAX + 1];
};

/*
 * Part seq of total of the long MT ref to dest (numbered by a UDH, or
 * the SAR TLVs when sar is set), its text and the message_id it was
 * given: 1 when that completes the message (out holds it), 0 while
 * parts are missing, -1 for numbers we do not join.
 */
int	smsc_join(const char *dest, int sar, unsigned ref, unsigned total,
	    unsigned seq, const char *text, const char *msgid,
	    struct smsc_joined *out);

/* An MT that reached the simulator, as the script sees it. */
struct smsc_mt {
	const char	*dest;		/* dest_addr: the phone */
	const char	*source;	/* source_addr: the short code */
	const char	*text;		/* UTF-8 */
	const char	*message_id;	/* given in submit_sm_resp; "" when
					   withheld (the ESME never saw one) */
	int		 parts;		/* 1, or the parts of a long MT */
	const char	(*part_ids)[SMSC_MSGID_MAX + 1];	/* parts of
					   them, when parts > 1 */
	int		 ussd_op;	/* ussd_service_op, -1: an SMS */
	int		 has_its;	/* its_session_info came */
	uint16_t	 its;
};

/* A USSD deliver_sm: ussd_service_op and its_session_info. */
struct smsc_ussd {
	uint8_t		 op;		/* 1 PSSR ind, 18 USSR confirm */
	uint16_t	 its;		/* session << 8 | seq << 1 | end */
};

#define SMSC_PART_MAX		160	/* octets of a part's short_message */

/*
 * One part of a long MO as the script cut it: short_message as it goes
 * (a UDH and the text, or the text alone with the SAR TLVs).
 */
struct smsc_part {
	uint8_t		 data_coding;
	uint8_t		 esm_class;	/* 0x40 (UDHI) with a UDH */
	uint8_t		 sm[SMSC_PART_MAX];
	size_t		 sm_len;
	int		 sar;		/* send the SAR TLVs */
	uint16_t	 ref;		/* for the SAR TLVs */
	uint8_t		 total;
	uint8_t		 seq;
};

/* Which forms a delivery receipt takes (bits). */
#define SMSC_RECEIPT_TLV	0x01	/* receipted_message_id, message_state */
#define SMSC_RECEIPT_TEXT	0x02	/* "id:... stat:DELIVRD ..." */

/*
 * A delivery receipt (deliver_sm, esm_class 0x04) from the phone that
 * got an MT back to the short code that sent it.
 */
struct smsc_receipt {
	char		 phone[SMSC_ADDR_MAX + 1];	/* source_addr */
	char		 shortcode[SMSC_ADDR_MAX + 1];	/* dest_addr */
	char		 id[SMSC_MSGID_MAX + 1];	/* as submit_sm_resp */
	/* The first SMSC_RECEIPT_CHARS characters of the MT, ASCII. */
	char		 text[SMSC_RECEIPT_CHARS + 1];
	time_t		 submitted;	/* when the MT came */
	uint8_t		 state;		/* SMPP message_state (5.2.28) */
	int		 form;		/* SMSC_RECEIPT_* bits, at least one */
	int		 hex;		/* the text form's id in upper-case hex
					   (id must be decimal) */
};

extern struct smsc_opts	 smsc_opts;
extern struct smsc_faults smsc_faults;
extern struct smsc_stats smsc_stats;
extern struct event_base *smsc_base;

/* The server, for the script. */
int		 smsc_is_bound(void);
/* Id of the current connection (they count from 1), 0 when none. */
unsigned	 smsc_conn_id(void);
/*
 * Send a deliver_sm from phone ("+62..." means TON international) to
 * the short code with the UTF-8 text: GSM-7 when it fits the alphabet,
 * UCS-2 otherwise.  *seq gets its sequence number.  0, or -1 with a
 * reason in err.
 */
int		 smsc_send_mo(const char *phone, const char *utf8,
		    uint32_t *seq, char *err, size_t errsz);
/* The same with the USSD TLVs of u (dest_addr: the short code). */
int		 smsc_send_ussd(const char *phone, const char *utf8,
		    const struct smsc_ussd *u, uint32_t *seq, char *err,
		    size_t errsz);
/* The same for one part of a long MO, sent as it is given. */
int		 smsc_send_part(const char *phone, const struct smsc_part *,
		    uint32_t *seq, char *err, size_t errsz);
/*
 * Send a delivery receipt: receipted_message_id (the id as it is) and
 * message_state TLVs, and/or the text form in short_message
 *	id:ID sub:001 dlvrd:001 submit date:YYMMDDhhmm
 *	done date:YYMMDDhhmm stat:DELIVRD err:000 text:FIRST 20 CHARS
 * (dlvrd:000 unless delivered; the dates in local time).  *seq gets
 * its sequence number.  0, or -1 with a reason in err.
 */
int		 smsc_send_receipt(const struct smsc_receipt *, uint32_t *seq,
		    char *err, size_t errsz);
/* "DELIVRD" for SMPP message_state 2, ...; NULL when unknown. */
const char	*smsc_receipt_stat(uint8_t state);
/* The message_id of the next submit_sm answered ESME_ROK (decimal). */
void		 smsc_set_next_msgid(unsigned long);
/* Send a header-only request (enquire_link, unbind); -1 if no ESME. */
int		 smsc_send_request(uint32_t command_id, uint32_t *seq);
/* Send bytes as they are; -1 if no ESME is connected. */
int		 smsc_send_raw(const uint8_t *, size_t);
/* Close the ESME connection now (no-op without one). */
void		 smsc_drop(void);
/* With -v: one protocol event to stderr. */
void		 smsc_log(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
/*
 * Print the `smsc_summary' line, flush what is queued for the ESME
 * (best effort) and exit.
 */
void		 smsc_exit(int) __attribute__((noreturn));

/* The script, for the server. */
/* Load a script file (path) or follow stdin (NULL).  0 or -1. */
int		 smsc_script_open(const char *path);
void		 smsc_script_on_bound(void);
/* A bind arrived (smsc_stats.bind_attempts counts it), refused or not. */
void		 smsc_script_on_bind_attempt(void);
/* A part of a long MT was delivered (smsc_stats.parts counts it). */
void		 smsc_script_on_part(void);
/* A submit_sm was delivered (answered ESME_ROK, or withheld). */
void		 smsc_script_on_mt(const struct smsc_mt *);
/* A response (or generic_nack) to one of our requests. */
void		 smsc_script_on_resp(uint32_t command_id, uint32_t seq,
		    uint32_t status);
/* The connection with this id is gone. */
void		 smsc_script_on_close(unsigned conn_id);

#endif
