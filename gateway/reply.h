/*
 * reply.h: the texts pilar answers with, in Bahasa Indonesia and English.
 *
 * Each reply is a template with named placeholders ({kpm}, {ref}, ...)
 * filled from struct reply_vars.  Every template, filled with the longest
 * values the grammar lets through, fits one SMS of 160 GSM-7 characters
 * (tests/unit/test_mo.c checks it).
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
	REPLY_NO_ID,
	REPLY_BAD_ID,
	REPLY_BAD_CATEGORY,
	REPLY_BAD_REF,
	REPLY_VISIT_MULTI,	/* KUNJ takes one id */
	REPLY_HELP,
	REPLY_STOP,
	REPLY_MULAI,
	REPLY_FLOOD,		/* rate limit hit: {token} minutes */
	REPLY_LABEL_RECORDED,	/* labels of the {list} in REPLY_GRAD_MULTI */
	REPLY_LABEL_DUP,
	REPLY_LABEL_REJECTED,
	REPLY_COUNT
};

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
 * then holds a truncated, NUL terminated text).
 */
int	reply_render(const char *lang, enum reply_id, const struct reply_vars *,
	    char *out, size_t outsz);

/* The raw template, for tests and for the catalog checks. */
const char *reply_template(const char *lang, enum reply_id);

#endif
