/*
 * mo_internal.h: what the files of the MO handling share.
 *
 * mo.c stores an MO, reads it, answers what the grammar could not read
 * and queues the reply; mo_cmd.c holds the reporting commands (GRAD,
 * KUNJ, BATAL, STATUS, STOP, MULAI) and mo_p2k2.c the group sessions.
 * Nothing outside these three files includes this header.
 */
#ifndef PILAR_MO_INTERNAL_H
#define PILAR_MO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "grammar.h"
#include "mo.h"
#include "reply.h"
#include "store.h"

struct config;

#define MO_DAY		86400	/* seconds */

/* What one message works with, to keep the handlers' argument lists short. */
struct mo_ctx {
	struct store			*st;
	const struct config		*cfg;
	const struct mo_in		*in;
	struct mo_result		*out;
	const struct grammar_result	*g;
	struct store_companion		 comp;
	int				 is_companion;
	const char			*lang;
	int				 tz_offset;	/* companion's zone */
	int				 year;		/* now, in that zone */
	/* First arrival of the MO: a redelivery means the same "today". */
	int64_t				 arrival;
	/* GRAD, KUNJ: the day reported and the year it counts toward. */
	char				 event_date[11];	/* YYYY-MM-DD */
	int				 event_year;
	int				 dup_year;	/* of the GRAD found */
	enum reply_id			 reply;		/* REPLY_COUNT: none */
	struct reply_vars		 vars;
	char				 date[11];	/* DD/MM/YYYY for vars */
	/* An id (a NIK masked) and a token as the reply shows them. */
	char				 kpm[GRAMMAR_ID_MAX + 1];
	char				 token[GRAMMAR_TOKEN_MAX + 1];
	char				 list[STORE_TEXT_MAX + 1];
};

/* mo.c */
/* Copy at most dstsz - 1 bytes of src, as snprintf("%s") would. */
void	mo_copy(char *dst, size_t dstsz, const char *src);
/* Copy at most dstsz - 1 bytes, never cutting a UTF-8 sequence. */
void	mo_copy_utf8(char *dst, size_t dstsz, const char *src);

/* mo_cmd.c: each returns 0 with c->reply set, -1 on a store error. */
/*
 * The day a GRAD or KUNJ reports, into c->event_date and c->event_year;
 * 1 with the refusal in c->reply for a day to come or none such.
 */
int	mo_event_date(struct mo_ctx *);
/* GRAD with one or several ids: the records, and one reply. */
int	mo_grad(struct mo_ctx *);
/* KUNJ: one visit per KPM, companion and day visited. */
int	mo_visit(struct mo_ctx *);
/* STATUS: the sender's counts of this year against the target. */
int	mo_status(struct mo_ctx *);
/* BATAL: the named record, or the sender's latest within the window. */
int	mo_undo(struct mo_ctx *);
/* A redelivered BATAL: the reply the first one got, into c->list. */
int	mo_replay(struct mo_ctx *);
/* STOP (opted_out 1) or MULAI (0): consent to reminders, by phone. */
int	mo_optout(struct mo_ctx *, int opted_out);

/* mo_p2k2.c */
/* P2K2 <date> <time> <place>: the reminder of a group session. */
int	mo_p2k2(struct mo_ctx *);

#endif
