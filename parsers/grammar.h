/*
 * grammar.h: what a companion's SMS means.
 *
 * Pure functions from UTF-8 text to a result struct: no I/O, no SQL, no
 * allocation.  The daemon, the USSD menus and the tests all go through
 * grammar_parse(), so one behaviour serves every channel.
 */
#ifndef PILAR_GRAMMAR_H
#define PILAR_GRAMMAR_H

#include <stddef.h>

#define GRAMMAR_ID_MAX		32	/* longest KPM id we keep, digits */
#define GRAMMAR_IDS_MAX		10	/* ids one message may carry */
#define GRAMMAR_REF_MAX		8	/* record reference, e.g. "G4M8" */
#define GRAMMAR_NOTE_MAX	160	/* visit note, bytes of UTF-8 */
#define GRAMMAR_TOKEN_MAX	24	/* offending token echoed in a reply */

enum grammar_cmd {
	GRAMMAR_CMD_NONE = 0,	/* nothing recognised: see error */
	GRAMMAR_CMD_GRAD,	/* GRAD <kpm> [SM|AL|PK] */
	GRAMMAR_CMD_KUNJ,	/* KUNJ <kpm> [note] */
	GRAMMAR_CMD_STATUS,	/* STATUS */
	GRAMMAR_CMD_BATAL,	/* BATAL [ref] */
	GRAMMAR_CMD_BANTUAN,	/* BANTUAN */
	GRAMMAR_CMD_STOP,	/* STOP: no more reminders */
	GRAMMAR_CMD_MULAI	/* MULAI: reminders again */
};

enum grammar_error {
	GRAMMAR_OK = 0,
	GRAMMAR_E_EMPTY,	/* only blanks and separators */
	GRAMMAR_E_KEYWORD,	/* first word is no keyword we know */
	GRAMMAR_E_NO_ID,	/* GRAD/KUNJ without a KPM id */
	GRAMMAR_E_BAD_ID,	/* id has non-digits or a wrong length */
	GRAMMAR_E_CATEGORY,	/* GRAD with a category other than SM/AL/PK */
	GRAMMAR_E_BAD_REF	/* BATAL with a malformed reference */
};

/* Graduation categories (domain.md); the numbers are stored, keep them. */
enum grammar_category {
	GRAMMAR_CAT_SM = 0,	/* sejahtera mandiri: counts by default */
	GRAMMAR_CAT_AL = 1,	/* alamiah */
	GRAMMAR_CAT_PK = 2	/* paksa */
};

struct grammar_options {
	int	id_min_len;	/* accepted KPM id length, digits */
	int	id_max_len;
};

struct grammar_result {
	/*
	 * On an error, cmd still names the command whose arguments were
	 * wrong (NONE for E_EMPTY and E_KEYWORD), for the right example in
	 * the reply; ids, category, ref and note are then cleared.
	 */
	enum grammar_cmd	cmd;
	enum grammar_error	error;
	/* GRAD and KUNJ: the ids, digits only, in the order typed. */
	int			n_ids;
	char			ids[GRAMMAR_IDS_MAX][GRAMMAR_ID_MAX + 1];
	enum grammar_category	category;	/* GRAD; SM when none given */
	int			category_given;
	char			ref[GRAMMAR_REF_MAX + 1];	/* BATAL; "" = last */
	char			note[GRAMMAR_NOTE_MAX + 1];	/* KUNJ; may be "" */
	/* The offending word for a precise reply, printable ASCII only. */
	char			token[GRAMMAR_TOKEN_MAX + 1];
};

/* Fill in the defaults: ids of 1 to 20 digits. */
void	grammar_options_default(struct grammar_options *);

/*
 * Parse one message of len bytes of UTF-8 (need not be NUL terminated).
 * Always fills *out completely; returns 0 when a command was recognised
 * (out->error == GRAMMAR_OK) and -1 otherwise, with out->error and
 * out->token saying why.
 */
int	grammar_parse(const char *text, size_t len,
	    const struct grammar_options *, struct grammar_result *out);

/* "SM", "AL" or "PK". */
const char *grammar_category_name(enum grammar_category);

/* Canonical keyword of a command ("GRAD", "KUNJ", ...). */
const char *grammar_cmd_name(enum grammar_cmd);

#endif
