/*
 * ussd_menu.h: the USSD menu as a pure state machine.
 *
 * From (where a session is, what the user sent) to (where it goes, the
 * screen to show, whether the dialogue ends, the command to run).  The
 * command is the text an SMS would carry ("GRAD 12345 SM", "KUNJ 12345",
 * "STATUS", "BATAL"): the transport hands it to mo_handle() with
 * mo_in.ussd set and shows mo_handle()'s reply as the final screen, so
 * that a report made by USSD goes through the same grammar, the same
 * store functions and the same confirmation as one made by SMS.
 *
 * No socket, no store, no clock: tests/unit/test_ussd_menu.c drives it.
 * Screens come from the reply catalog (REPLY_USSD_*) with "\n" turned
 * into line breaks, and never exceed REPLY_USSD_MAX characters.
 */
#ifndef PILAR_USSD_MENU_H
#define PILAR_USSD_MENU_H

#include <stddef.h>

#include "grammar.h"
#include "reply.h"

#define USSD_SCREEN_BYTES	(4 * REPLY_USSD_MAX + 1)	/* UTF-8 */
#define USSD_COMMAND_MAX	(GRAMMAR_ID_MAX + 16)
#define USSD_INPUT_MAX		64	/* bytes of one answer we look at */

enum ussd_state {
	USSD_S_MAIN,		/* the main menu is on screen */
	USSD_S_GRAD_ID,		/* asked the KPM id of a graduation */
	USSD_S_GRAD_CAT,	/* asked its category */
	USSD_S_GRAD_CONFIRM,
	USSD_S_VISIT_ID,
	USSD_S_VISIT_CONFIRM,
	USSD_S_UNDO_CONFIRM,
	USSD_S_END		/* the dialogue is over */
};

/* What the menu needs to know of the user and the configuration. */
struct ussd_menu_opts {
	const char	*lang;		/* "id", "en" */
	int		 is_companion;
	int		 id_min_len;	/* [program] id_min_length */
	int		 id_max_len;
	const char	*service_code;	/* [ussd] service_code, "*123#" */
};

/* A session's place in the menu. */
struct ussd_menu {
	enum ussd_state	 state;
	char		 kpm[GRAMMAR_ID_MAX + 1];	/* GRAD, KUNJ */
	int		 cat;		/* enum grammar_category */
};

/* What to do after one step. */
struct ussd_step {
	int		 end;		/* the screen ends the dialogue */
	/* "" or the SMS text to run; its reply is then the final screen. */
	char		 command[USSD_COMMAND_MAX];
	char		 screen[USSD_SCREEN_BYTES];	/* UTF-8 */
};

/*
 * A dialogue opens with what the user dialled: the service code alone
 * ("*123#") shows the main menu; a code with answers ("*123*1*12345#",
 * or those answers alone when an aggregator strips the code) plays them
 * in turn as a shortcut, and a shortcut that names everything a command
 * needs runs it without asking to confirm.  A stranger gets the stranger
 * text and the end.
 */
void	ussd_menu_start(struct ussd_menu *, const struct ussd_menu_opts *,
	    const char *dialled, struct ussd_step *out);

/* One answer on the screen shown last. */
void	ussd_menu_input(struct ussd_menu *, const struct ussd_menu_opts *,
	    const char *input, struct ussd_step *out);

/*
 * The answers a dial string carries after the service code: for
 * "*123*1*12345#" and "*123#", "1*12345".  Returns a pointer into
 * dialled (its trailing '#' excluded, *len bytes), or NULL when it does
 * not begin with the service code.
 */
const char *ussd_menu_shortcut(const char *dialled, const char *service_code,
	    size_t *len);

/* Render reply id in lang for a screen: "\n" made a line break. */
int	ussd_menu_render(const char *lang, enum reply_id,
	    const struct reply_vars *, char *out, size_t outsz);

/* Characters (not bytes) of a UTF-8 screen. */
int	ussd_menu_length(const char *);

const char *ussd_state_name(enum ussd_state);

#endif
