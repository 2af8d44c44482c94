/*
 * receipt.h: SMSC delivery receipts.
 *
 * A receipt arrives as a deliver_sm with esm_class & 0x3C set, carrying
 * the TLVs receipted_message_id / message_state / network_error_code
 * and, in most SMSCs, the text form
 *
 *	id:1A2B3C sub:001 dlvrd:001 submit date:2611271530
 *	done date:2611271531 stat:DELIVRD err:000 text:OK. Graduasi...
 *
 * Pure functions; the message id may be given in hex in one place and in
 * decimal in the other, so receipt_id_forms() lists both readings.
 */
#ifndef PILAR_RECEIPT_H
#define PILAR_RECEIPT_H

#include <stddef.h>

#define RECEIPT_ID_MAX		65	/* as SMPP's message_id */
#define RECEIPT_FORMS_MAX	3

/* SMPP 3.4 message_state values (5.2.28). */
enum receipt_state {
	RECEIPT_NONE = 0,		/* not said */
	RECEIPT_ENROUTE = 1,
	RECEIPT_DELIVERED = 2,
	RECEIPT_EXPIRED = 3,
	RECEIPT_DELETED = 4,
	RECEIPT_UNDELIVERABLE = 5,
	RECEIPT_ACCEPTED = 6,
	RECEIPT_UNKNOWN = 7,
	RECEIPT_REJECTED = 8
};

struct receipt {
	char			id[RECEIPT_ID_MAX + 1];	/* "" when absent */
	enum receipt_state	state;
	int			err;		/* err:NNN, -1 when absent */
	char			stat[8];	/* as written: "DELIVRD" */
};

/*
 * Parse the text form (len bytes, need not be NUL terminated).  Keys are
 * case-insensitive and may come in any order; unknown keys are skipped.
 * Returns 0 when at least id: or stat: was found, -1 otherwise (*out is
 * then all empty).
 */
int	receipt_parse_text(const char *text, size_t len, struct receipt *out);

/* "DELIVRD" -> RECEIPT_DELIVERED ...; RECEIPT_NONE when unknown. */
enum receipt_state receipt_state_from_stat(const char *stat);

/* "delivered", "expired", ... for logs and exports. */
const char *receipt_state_name(enum receipt_state);

/*
 * The forms under which an SMSC may have given us this id: the id as
 * it is, its decimal reading written in hex (lower case) when it is all
 * decimal digits, and its hex reading written in decimal when it is all
 * hex digits; leading zeros dropped in the converted forms; no
 * duplicates.  Returns how many forms were written into forms (at most
 * RECEIPT_FORMS_MAX), 0 for an empty id.
 */
int	receipt_id_forms(const char *id,
	    char forms[RECEIPT_FORMS_MAX][RECEIPT_ID_MAX + 1]);

#endif
