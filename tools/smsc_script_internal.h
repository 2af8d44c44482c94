/*
 * smsc_script_internal.h: what the files of pilar-smsc's script
 * interpreter share.
 *
 * smsc_script.c reads the script and runs it line by line (the parsers
 * and the link commands: fault, raw, sh, msgid, and the waits' set-up);
 * smsc_script_wait.c takes the server's events and says when the current
 * wait is over; smsc_script_mo.c sends what the script asks for: MOs,
 * long MOs, delivery receipts and USSD dialogues.  Nothing outside these
 * three files includes this header.
 */
#ifndef PILAR_SMSC_SCRIPT_INTERNAL_H
#define PILAR_SMSC_SCRIPT_INTERNAL_H

#include <sys/time.h>

#include <stddef.h>
#include <stdint.h>

#include "smsc.h"

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
	WAIT_PART_COUNT,
	WAIT_BIND_ATTEMPTS,
	WAIT_NO_BIND,
	WAIT_SETTLE
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

/* Shared state, defined in smsc_script.c. */
extern int		 script_prompted;	/* the `> ' is shown */
extern struct script_mo	*script_mo_head;	/* unanswered MOs */
/* The last MT delivered, as a receipt for it would quote it. */
extern struct smsc_receipt script_last_mt;
extern int		 script_last_mt_seen;
/* The message ids of the last MT's parts when it was a long one. */
extern char		 script_last_mt_parts[SMSC_PARTS_MAX][SMSC_MSGID_MAX + 1];
extern int		 script_last_mt_nparts;
extern int		 script_redeliver_lost;
extern unsigned long	 script_mt_arrivals;	/* smsc_script_on_mt calls */
extern int		 script_wait_ussd;	/* expect_ussd: 1 con, 2 end */
extern int		 script_wait_session;	/* its session number, -1 any */

/* The current wait and what it needs. */
extern enum script_wait	 script_wait_kind;
/* expect_mt: substring wanted; expect_mt_to: digits wanted. */
extern char		*script_wait_text;
extern char		*script_wait_phone;
extern uint32_t		 script_wait_status;	/* expect_resp */
/* expect_close, enquire, unbind. */
extern unsigned		 script_wait_conn;
/* expect_mt_count, expect_part_count, bind attempts. */
extern unsigned long	 script_wait_count;
extern long		 script_wait_ms;	/* settle: quiet time wanted */
extern struct timeval	 script_wait_deadline;	/* settle: give up then */
extern int		 script_wait_timed_out;

/* The last mo, and the pending enquire/unbind. */
extern uint32_t		 script_mo_seq;
extern unsigned		 script_mo_conn;
extern int		 script_mo_resp_got;
extern uint32_t		 script_req_seq;
extern int		 script_req_resp_got;
extern unsigned		 script_conn;	/* the ESME the script talks to */

/* smsc_script.c: memory, failures, the wait's timer, arguments. */
void	*script_xmalloc(size_t);
char	*script_xstrdup(const char *);
void	 script_fail(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	 script_schedule(void);
void	 script_arm(long);
char	*script_next_word(char **);
void	 script_unescape(char *);
void	 script_digits_of(const char *, char *, size_t);
int	 script_parse_count(const char *, unsigned long *);

/* smsc_script_wait.c: lost MOs, MTs not taken, the current wait. */
void	 script_forward(void);
void	 script_flush_mts(void);
enum script_poll	 script_poll(void);

/* smsc_script_mo.c: the commands that send deliver_sm. */
void	 script_mo_free(struct script_mo *);
struct script_ussd *script_ussd_of(const char *, int);
int	 script_cmd_ussd(const char *, char *, char *);
int	 script_cmd_mo(char *, char *);
int	 script_cmd_mo_long(char *);
int	 script_cmd_redeliver(void);
int	 script_cmd_receipt(char *, int);

#endif
