/*
 * reply.h: the texts pilar answers with, in Bahasa Indonesia and English.
 *
 * Each reply is a template with named placeholders ({kpm}, {ref}, ...)
 * filled from struct reply_vars.  Every template, filled with the longest
 * values the grammar lets through, fits one SMS of 160 GSM-7 characters
 * (tests/unit/test_reply.c and test_mo.c check it).
 *
 * The texts in use are the compiled-in ones until reply_catalog_load()
 * installs a catalog from conf/catalog/ ([program] catalog), which
 * operators may edit; it is checked as a whole when loaded, so a catalog
 * in use always meets the bounds above.
 */
#ifndef PILAR_REPLY_H
#define PILAR_REPLY_H

#include <stddef.h>

enum reply_id {
	REPLY_GRAD_OK,		/* graduation recorded, counted */
	REPLY_GRAD_OK_OTHER,	/* recorded, category not counted */
	REPLY_GRAD_DUP,		/* this KPM already graduated by sender */
	REPLY_GRAD_DUP_OTHER,	/* ... by another companion */
	REPLY_GRAD_MULTI,	/* several ids: {list} */
	REPLY_VISIT_OK,
	REPLY_VISIT_DUP,
	REPLY_STATUS,
	REPLY_STATUS_DONE,	/* target reached */
	REPLY_UNDO_GRAD,
	REPLY_UNDO_VISIT,
	REPLY_UNDO_NONE,	/* nothing recent to undo */
	REPLY_UNDO_NOREF,	/* no such active ref */
	REPLY_STRANGER,		/* sender is no companion */
	REPLY_NOT_THEIRS,	/* KPM in another roster */
	REPLY_UNKNOWN_KPM,	/* KPM in no roster */
	REPLY_FORMAT,		/* unknown keyword */
	REPLY_DID_YOU_MEAN,	/* keyword misspelt: {token} the commands
				 * it is as close to, "GRAD/KUNJ" */
	REPLY_NO_ID,
	REPLY_BAD_ID,
	REPLY_BAD_CATEGORY,
	REPLY_BAD_REF,
	REPLY_BAD_DATE,		/* {token}: the date as typed */
	REPLY_FUTURE_DATE,	/* {date}: a date after today */
	REPLY_BAD_NIK,		/* {token}: the part of the NIK that is off,
				 * one of the REPLY_NIK_* texts */
	REPLY_VISIT_MULTI,	/* KUNJ takes one id */
	REPLY_TWO_COMMANDS,	/* two commands in one SMS, nothing done:
				 * {token} both, "GRAD 12345 + KUNJ 67890" */
	REPLY_HELP,
	REPLY_STOP,
	REPLY_MULAI,
	REPLY_FLOOD,		/* rate limit hit: {token} minutes */
	REPLY_LABEL_RECORDED,	/* labels of the {list} in REPLY_GRAD_MULTI */
	REPLY_LABEL_DUP,
	REPLY_LABEL_REJECTED,
	REPLY_NIK_PROVINCE,	/* parts of a NIK, the {token} of bad_nik */
	REPLY_NIK_REGENCY,
	REPLY_NIK_DISTRICT,
	REPLY_NIK_DAY,
	REPLY_NIK_MONTH,
	REPLY_NIK_BIRTH_DATE,
	REPLY_NIK_SERIAL,
	/*
	 * USSD screens (ussd_menu.c): at most REPLY_USSD_MAX characters
	 * once filled, a line break written "\n" in the text.
	 */
	REPLY_USSD_MENU,	/* the main menu */
	REPLY_USSD_GRAD_ID,	/* ask the KPM id of a graduation */
	REPLY_USSD_GRAD_CAT,	/* {kpm}: ask the category */
	REPLY_USSD_GRAD_CONFIRM,	/* {kpm} {cat} */
	REPLY_USSD_VISIT_ID,
	REPLY_USSD_VISIT_CONFIRM,	/* {kpm} */
	REPLY_USSD_UNDO_CONFIRM,
	REPLY_USSD_HELP,	/* {token}: the shortcut, "*123*1*<ID>#" */
	REPLY_USSD_INVALID,	/* a choice not on the screen (a prefix) */
	REPLY_USSD_BAD_ID,	/* {token}: an id the grammar refused */
	REPLY_USSD_EXPIRED,	/* an answer to a session we do not have */
	REPLY_USSD_ERROR,	/* the store failed: nothing recorded */
	/* P2K2 sessions announced by a companion (mo_p2k2.c). */
	REPLY_P2K2_OK,		/* {token} the session, {count} families,
				 * {date} the day they are reminded */
	REPLY_P2K2_PAST,	/* {date}: the session is over */
	REPLY_P2K2_FORMAT,	/* no date, time or place */
	REPLY_P2K2_REMIND,	/* to the KPM: {date}, {token} the time,
				 * {list} the place */
	/* Nudges to companions (remind.c). */
	REPLY_NUDGE_PROGRESS,	/* totals, {token} months left */
	REPLY_NUDGE_CONGRATS,	/* target reached: totals */
	REPLY_COUNT
};

#define REPLY_USSD_MAX	182	/* characters on one USSD screen */

/* Whether id is a USSD screen (bounded by REPLY_USSD_MAX, not an SMS). */
int	reply_is_ussd(enum reply_id);

struct reply_vars {
	const char	*kpm;		/* KPM id */
	const char	*ref;		/* record reference */
	const char	*cat;		/* SM, AL, PK */
	const char	*date;		/* DD/MM/YYYY */
	const char	*token;		/* what the sender typed wrong */
	const char	*list;		/* summary of several ids */
	int		 year;
	int		 count;		/* graduations counted this year */
	int		 target;
	int		 visits;	/* visits this year */
};

/*
 * Fill template id in language lang ("id" or "en"; anything else means
 * "id") into out.  Returns the length, or -1 if out was too small (out
 * then holds a truncated, NUL terminated text).  Safe on any thread: a
 * catalog being installed meanwhile waits for it.
 */
int	reply_render(const char *lang, enum reply_id, const struct reply_vars *,
	    char *out, size_t outsz);

/*
 * The template in use (of the catalog, or compiled in), for tests and
 * tools.  The pointer is valid until the next reply_catalog_load(): the
 * worker thread must use reply_render() instead.
 */
const char *reply_template(const char *lang, enum reply_id);

/* The compiled-in template, whatever catalog is in use. */
const char *reply_default_template(const char *lang, enum reply_id);

/* The message's name in a catalog: "grad_ok" for REPLY_GRAD_OK. */
const char *reply_name(enum reply_id);

/*
 * Check the catalog at path and use it from now on.  path is a folder
 * holding id.ini and en.ini, or one file; in both, a section [id] or
 * [en] gives the language of the "name = text" lines under it.  Every
 * message of both languages must be given exactly once, use only the
 * placeholders of that message and characters of GSM 03.38, and fit one
 * SMS with its placeholders at their longest (KPM ids of id_max_len
 * digits, 16 at least: a NIK is taken whatever the KPM lengths).  NULL
 * or "" means the compiled-in texts.
 *
 * All or nothing: returns 0, or -1 with "FILE:LINE: reason" (or "FILE:
 * reason") in err and the texts in use unchanged (SIGHUP keeps them).
 * Called on the loop thread only.
 */
int	reply_catalog_load(const char *path, int id_max_len, char *err,
	    size_t errsz);

#endif
