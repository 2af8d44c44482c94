/*
 * mo.h: what pilar does with one SMS from a phone.
 *
 * mo_handle() is the whole reporting loop without a socket: it stores the
 * message, applies it (a graduation, a visit, an undo, a status query,
 * an opt-out), and queues the reply in the outbox, all inside the
 * caller's transaction.  The SMPP session acknowledges the deliver_sm
 * only after the caller committed; USSD and the tests call the same
 * function.
 */
#ifndef PILAR_MO_H
#define PILAR_MO_H

#include <stdint.h>

#include "grammar.h"
#include "phone.h"
#include "store.h"

struct config;
struct flood;

struct mo_in {
	const char	*sender;	/* as delivered: "+62812..", "0812.." */
	int		 sender_ton;	/* SMPP source_addr_ton */
	const char	*dest;		/* our short code as addressed */
	const char	*text;		/* UTF-8, NUL terminated */
	const char	*smsc_ref;	/* SMSC's id for the MO, or NULL */
	int64_t		 now;		/* arrival, UTC seconds */
	struct flood	*flood;		/* rate and loop guard, or NULL */
	/*
	 * A command built by the USSD menu (ussd_menu.c): its reply is the
	 * final screen, in out->reply, not an SMS.  No MT row, no flood
	 * guard, and no redelivery window: each confirmed screen is meant.
	 */
	int		 ussd;
};

struct mo_result {
	int64_t		 mo_id;
	int64_t		 mt_id;		/* reply queued, 0 when none */
	char		 sender[PHONE_MAX + 1];	/* normalised, or as given */
	char		 companion_id[STORE_ID_MAX + 1];
	char		 ref[STORE_REF_MAX + 1];	/* record touched */
	const char	*command;	/* "GRAD", ... or "none" */
	const char	*outcome;	/* "recorded", "duplicate", ... */
	int		 redelivery;	/* same sender and text seen lately */
	const char	*flood;		/* a guard that acted, or NULL */
	/*
	 * What the grammar read with a correction and accepted, or NULL:
	 * "keyword" (a typo of exactly one command, GARD for GRAD), "id"
	 * (O read as 0, l or I as 1, fullwidth digits) or "keyword,id".
	 */
	const char	*corrected;
	/*
	 * The command word as typed when it was corrected or is ambiguous
	 * (outcome "ambiguous"), else "": printable ASCII, no blanks.
	 */
	char		 keyword[GRAMMAR_TOKEN_MAX + 1];
	char		 reply[STORE_TEXT_MAX + 1];
};

/*
 * Handle one inbound SMS.  Returns 0 when the MO and everything it
 * produced are written in the open transaction (commit, then
 * acknowledge), or -1 on a store failure (roll back; answer
 * ESME_RX_T_APPN so the SMSC retries).
 *
 * The same text from the same sender within [limits] redelivery_window
 * is the same message delivered again (the SMSC missed our
 * deliver_sm_resp, or the companion resent it because no confirmation
 * came): no new MO row, its deliveries count goes up, and it is answered
 * again: a report by "already recorded" (natural keys make that
 * automatic), a BATAL by the reply it got the first time, so that a
 * resent BATAL never undoes a second record.
 */
int	mo_handle(struct store *, const struct config *, const struct mo_in *,
	    struct mo_result *out);

#endif
