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
#define GRAMMAR_NOTE_MAX	1024	/* visit note, bytes of UTF-8: as
				   long as a whole (long) SMS */
#define GRAMMAR_TOKEN_MAX	24	/* offending token echoed in a reply */
#define GRAMMAR_CANDIDATES_MAX	4	/* commands a typo may be close to */
#define GRAMMAR_NIK_LEN		16	/* digits of a NIK (national id) */

enum grammar_cmd {
	GRAMMAR_CMD_NONE = 0,	/* nothing recognised: see error */
	GRAMMAR_CMD_GRAD,	/* GRAD <kpm> [SM|AL|PK] */
	GRAMMAR_CMD_KUNJ,	/* KUNJ <kpm> [note] */
	GRAMMAR_CMD_STATUS,	/* STATUS */
	GRAMMAR_CMD_BATAL,	/* BATAL [ref] */
	GRAMMAR_CMD_BANTUAN,	/* BANTUAN */
	GRAMMAR_CMD_STOP,	/* STOP: no more reminders */
	GRAMMAR_CMD_MULAI,	/* MULAI: reminders again */
	GRAMMAR_CMD_P2K2	/* P2K2 <date> <time> <place>: a session */
};

enum grammar_error {
	GRAMMAR_OK = 0,
	GRAMMAR_E_EMPTY,	/* only blanks and separators */
	GRAMMAR_E_KEYWORD,	/* first word is no keyword we know */
	GRAMMAR_E_NO_ID,	/* GRAD/KUNJ without a KPM id */
	GRAMMAR_E_BAD_ID,	/* id has non-digits or a wrong length */
	GRAMMAR_E_CATEGORY,	/* GRAD with a category other than SM/AL/PK */
	GRAMMAR_E_BAD_REF,	/* BATAL with a malformed reference */
	GRAMMAR_E_AMBIGUOUS,	/* keyword typo as close to two commands:
				 * see candidates, reply "did you mean" */
	GRAMMAR_E_BAD_DATE,	/* a date that cannot be: 31/02, 12/13 */
	GRAMMAR_E_FUTURE_DATE,	/* grammar_resolve_date(): after today */
	GRAMMAR_E_BAD_NIK,	/* 16 digits that are no NIK: see nik_part */
	GRAMMAR_E_BAD_TIME,	/* P2K2 without a time, or 25:00 */
	GRAMMAR_E_NO_PLACE,	/* P2K2 without a place */
	GRAMMAR_E_TWO_COMMANDS	/* a second command follows the first
				 * (see second): nothing is done, the
				 * token names both, "GRAD 12345 + KUNJ
				 * 67890" */
};

/* Which part of a 16-digit NIK is wrong (GRAMMAR_E_BAD_NIK). */
enum grammar_nik_part {
	GRAMMAR_NIK_OK = 0,
	GRAMMAR_NIK_PROVINCE,	/* digits 1-2: no such province code */
	GRAMMAR_NIK_REGENCY,	/* digits 3-4: 00 */
	GRAMMAR_NIK_DISTRICT,	/* digits 5-6: 00 */
	GRAMMAR_NIK_DAY,	/* digits 7-8: not 01-31, nor 41-71 (women) */
	GRAMMAR_NIK_MONTH,	/* digits 9-10: not 01-12 */
	GRAMMAR_NIK_BIRTH_DATE,	/* day and month exist, not together: 31/04 */
	GRAMMAR_NIK_SERIAL	/* digits 13-16: 0000 */
};

/* A date named in a message (KUNJ, GRAD), as typed: no clock here. */
enum grammar_date_kind {
	GRAMMAR_DATE_NONE = 0,	/* none named: the day of arrival */
	GRAMMAR_DATE_DAY,	/* day and month, year when typed */
	GRAMMAR_DATE_RELATIVE	/* hari ini, kemarin: rel_days from today */
};

struct grammar_date {
	enum grammar_date_kind	kind;
	int			day;	/* DAY: 1-31, else 0 */
	int			month;	/* DAY: 1-12, else 0 */
	int			year;	/* DAY: 4 digits, 0 if not typed */
	int			rel_days; /* RELATIVE: 0 today, -1 kemarin */
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
	/*
	 * 1 (default): an id of exactly 16 digits is a NIK, whatever the
	 * lengths above say: its structure is checked (GRAMMAR_E_BAD_NIK)
	 * and it is flagged in id_is_nik.  0: 16 digits are a KPM id.
	 */
	int	nik;
};

struct grammar_result {
	/*
	 * On an error, cmd still names the command whose arguments were
	 * wrong (NONE for E_EMPTY, E_KEYWORD and E_AMBIGUOUS), for the
	 * right example in the reply; ids, category, ref, note and date are
	 * then cleared.
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

	/*
	 * Added for typo tolerance, NIKs and dates; all zero when unused.
	 * keyword: the command word as typed (printable ASCII, cut), set
	 * whenever a command or an ambiguity was found.  corrected: 1 when
	 * it is no keyword or alias, but the aliases of one command only
	 * are nearest within one edit (two for long words): GARD, KUNK.
	 * Accepted, worth a log line.
	 */
	char			keyword[GRAMMAR_TOKEN_MAX + 1];
	int			corrected;
	/* E_AMBIGUOUS: the commands the word is as close to, enum order. */
	int			n_candidates;
	enum grammar_cmd	candidates[GRAMMAR_CANDIDATES_MAX];
	/* ids[i] has 16 digits and the structure of a NIK. */
	unsigned char		id_is_nik[GRAMMAR_IDS_MAX];
	/* Some id was read with O as 0, l or I as 1, or wide digits. */
	int			ids_corrected;
	/* E_BAD_NIK: the wrong part; token then holds the NIK masked. */
	enum grammar_nik_part	nik_part;
	/* The date the message names (KUNJ, GRAD); see grammar_resolve_date. */
	struct grammar_date	date;
	/*
	 * KUNJ: note keeps the text after the id as typed, the date included
	 * ("12/05 posyandu"); note + note_skip is what follows the date
	 * ("posyandu"), 0 when the note does not start with one.
	 */
	size_t			note_skip;
	/*
	 * P2K2: the session's date is in date (a day, or relative), its
	 * time here (time_given 1), and its place in note, as typed.
	 */
	int			time_given;
	int			hour;		/* 0-23 */
	int			minute;		/* 0-59 */
	/*
	 * E_TWO_COMMANDS only (NONE otherwise): the command found after the
	 * first one, cmd.  One SMS is one command; see grammar_second.c.
	 */
	enum grammar_cmd	second;
};

/* Fill in the defaults: ids of 1 to 20 digits, 16 digits are a NIK. */
void	grammar_options_default(struct grammar_options *);

/*
 * Parse one message of len bytes of UTF-8 (need not be NUL terminated).
 * Always fills *out completely; returns 0 when a command was recognised
 * (out->error == GRAMMAR_OK) and -1 otherwise, with out->error and
 * out->token saying why.
 */
int	grammar_parse(const char *text, size_t len,
	    const struct grammar_options *, struct grammar_result *out);

/*
 * The day a parsed message means, given the companion's local today
 * (today_y, today_m, today_d: 2026, 5, 12).  No date: today.  hari ini,
 * kemarin: counted back from today.  dd/mm without a year: its latest
 * occurrence not after today (28/12 sent on 02/01 is last year's; 29/02
 * the last leap year's) -- unless this year's, still to come, is nearer
 * (03/01 sent on 02/01 is tomorrow, not eleven months ago): that one is
 * a future date.  Returns GRAMMAR_OK and fills *y, *m, *d, or
 * GRAMMAR_E_BAD_DATE (no such day, or a bad today) or
 * GRAMMAR_E_FUTURE_DATE (after today: refused) and sets them to 0.
 */
enum grammar_error grammar_resolve_date(const struct grammar_result *,
	    int today_y, int today_m, int today_d, int *y, int *m, int *d);

/* "OK", "E_KEYWORD", ...: for logs and tests. */
const char *grammar_error_name(enum grammar_error);

/* "PROVINCE", "DAY", ...: which part of a NIK is wrong. */
const char *grammar_nik_part_name(enum grammar_nik_part);

/* "SM", "AL" or "PK". */
const char *grammar_category_name(enum grammar_category);

/* Canonical keyword of a command ("GRAD", "KUNJ", ...). */
const char *grammar_cmd_name(enum grammar_cmd);

#endif
