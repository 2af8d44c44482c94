/*
 * ussd_menu.c: the USSD menu, from a session's state and an answer to
 * the next screen (see ussd_menu.h).
 *
 *	main menu	1 graduation: id -> category -> confirm -> GRAD id CAT
 *			2 visit: id -> confirm -> KUNJ id
 *			3 progress -> STATUS
 *			4 undo: confirm -> BATAL
 *			5 help (ends)
 *
 * 0 or 00 goes back to the main menu from anywhere.  Ids are read by
 * the SMS grammar (so "l2345" is 12345 here as there); whether a KPM is
 * the companion's is for the store to say, through mo_handle(), on the
 * final screen.
 */
#include <stdio.h>
#include <string.h>

#include "grammar.h"
#include "reply.h"
#include "ussd_menu.h"

static void	ussd_menu_screen(struct ussd_menu *,
		    const struct ussd_menu_opts *, enum reply_id,
		    enum reply_id, const char *, struct ussd_step *);
static enum reply_id ussd_screen_of(enum ussd_state);
static void	ussd_menu_show(struct ussd_menu *,
		    const struct ussd_menu_opts *, struct ussd_step *);
static void	ussd_menu_command(struct ussd_menu *, struct ussd_step *,
		    const char *);
static int	ussd_menu_read_id(const struct ussd_menu_opts *, const char *,
		    char *, size_t, char *, size_t);
static void	ussd_menu_step(struct ussd_menu *,
		    const struct ussd_menu_opts *, const char *,
		    struct ussd_step *);
static void	ussd_show_id(const char *, char *, size_t);

static const char *const ussd_state_names[] = {
	"main", "grad_id", "grad_cat", "grad_confirm", "visit_id",
	"visit_confirm", "undo_confirm", "end"
};

const char *
ussd_state_name(enum ussd_state s)
{
	if ((unsigned)s > USSD_S_END)
		return "?";
	return ussd_state_names[s];
}

int
ussd_menu_length(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int
ussd_menu_render(const char *lang, enum reply_id id,
    const struct reply_vars *v, char *out, size_t outsz)
{
	char	*r, *w;
	int	 n;

	if ((n = reply_render(lang, id, v, out, outsz)) < 0)
		return -1;
	for (r = w = out; *r != '\0'; r++) {
		if (r[0] == '\\' && r[1] == 'n') {
			*w++ = '\n';
			r++;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return (int)(w - out);
}

/* An id as a screen shows it: a NIK (16 digits) never whole. */
static void
ussd_show_id(const char *id, char *out, size_t outsz)
{
	if (strlen(id) == GRAMMAR_NIK_LEN &&
	    strspn(id, "0123456789") == GRAMMAR_NIK_LEN)
		snprintf(out, outsz, "%.4s********%s", id,
		    id + GRAMMAR_NIK_LEN - 4);
	else
		snprintf(out, outsz, "%s", id);
}

const char *
ussd_menu_shortcut(const char *dialled, const char *service_code,
    size_t *len)
{
	size_t	n = strlen(service_code), d = strlen(dialled);

	/* "*123#" is matched as "*123", then "#" or "*answers#". */
	if (n > 0 && service_code[n - 1] == '#')
		n--;
	if (n == 0 || d < n || memcmp(dialled, service_code, n) != 0)
		return NULL;
	dialled += n;
	d -= n;
	if (d > 0 && dialled[d - 1] == '#')
		d--;
	if (d == 0) {
		*len = 0;
		return dialled;
	}
	if (dialled[0] != '*')
		return NULL;
	*len = d - 1;
	return dialled + 1;
}

/*
 * Put screen id on out, under the text of prefix (a REPLY_USSD_* or
 * REPLY_COUNT for none) when both fit one screen; token fills {token}.
 */
static void
ussd_menu_screen(struct ussd_menu *m, const struct ussd_menu_opts *o,
    enum reply_id id, enum reply_id prefix, const char *token,
    struct ussd_step *out)
{
	struct reply_vars	 v;
	char			 kpm[GRAMMAR_ID_MAX + 1];
	char			 pre[USSD_SCREEN_BYTES], body[USSD_SCREEN_BYTES];
	size_t			 np, nb;

	memset(&v, 0, sizeof(v));
	ussd_show_id(m->kpm, kpm, sizeof(kpm));
	v.kpm = kpm;
	v.cat = grammar_category_name((enum grammar_category)m->cat);
	v.token = token;
	if (ussd_menu_render(o->lang, id, &v, body, sizeof(body)) < 0)
		body[0] = '\0';
	np = nb = 0;
	if (prefix != REPLY_COUNT && ussd_menu_render(o->lang, prefix, &v,
	    pre, sizeof(pre)) >= 0 && ussd_menu_length(pre) + 1 +
	    ussd_menu_length(body) <= REPLY_USSD_MAX) {
		np = strlen(pre);
		nb = strlen(body);
	}
	if (np > 0 && np + 1 + nb < sizeof(out->screen)) {
		memcpy(out->screen, pre, np);
		out->screen[np] = '\n';
		memcpy(out->screen + np + 1, body, nb + 1);
	} else
		snprintf(out->screen, sizeof(out->screen), "%s", body);
}

/* The screen that asks what state s waits for. */
static enum reply_id
ussd_screen_of(enum ussd_state s)
{
	static const enum reply_id screens[] = {
		[USSD_S_MAIN] = REPLY_USSD_MENU,
		[USSD_S_GRAD_ID] = REPLY_USSD_GRAD_ID,
		[USSD_S_GRAD_CAT] = REPLY_USSD_GRAD_CAT,
		[USSD_S_GRAD_CONFIRM] = REPLY_USSD_GRAD_CONFIRM,
		[USSD_S_VISIT_ID] = REPLY_USSD_VISIT_ID,
		[USSD_S_VISIT_CONFIRM] = REPLY_USSD_VISIT_CONFIRM,
		[USSD_S_UNDO_CONFIRM] = REPLY_USSD_UNDO_CONFIRM,
		[USSD_S_END] = REPLY_USSD_EXPIRED
	};

	return (unsigned)s <= USSD_S_END ? screens[s] : REPLY_USSD_MENU;
}

/* The screen of the state m is in, with no prefix. */
static void
ussd_menu_show(struct ussd_menu *m, const struct ussd_menu_opts *o,
    struct ussd_step *out)
{
	ussd_menu_screen(m, o, ussd_screen_of(m->state), REPLY_COUNT, NULL,
	    out);
	out->end = m->state == USSD_S_END;
}

/* The dialogue ends by running text; its reply is the final screen. */
static void
ussd_menu_command(struct ussd_menu *m, struct ussd_step *out,
    const char *text)
{
	snprintf(out->command, sizeof(out->command), "%s", text);
	out->screen[0] = '\0';
	out->end = 1;
	m->state = USSD_S_END;
}

/*
 * Read one KPM id with the SMS grammar, as "GRAD <input>" would be:
 * 0 with it in id, or -1 with what to echo back in token.
 */
static int
ussd_menu_read_id(const struct ussd_menu_opts *o, const char *input,
    char *id, size_t idsz, char *token, size_t tokensz)
{
	struct grammar_options	gopt;
	struct grammar_result	g;
	char			text[USSD_INPUT_MAX + 8];
	size_t			i, k;

	grammar_options_default(&gopt);
	gopt.id_min_len = o->id_min_len;
	gopt.id_max_len = o->id_max_len;
	snprintf(text, sizeof(text), "GRAD %s", input);
	grammar_parse(text, strlen(text), &gopt, &g);
	if (g.error == GRAMMAR_OK && g.cmd == GRAMMAR_CMD_GRAD &&
	    g.n_ids == 1 && !g.category_given) {
		snprintf(id, idsz, "%s", g.ids[0]);
		return 0;
	}
	/* Printable ASCII only, as the grammar's tokens are. */
	for (i = k = 0; input[i] != '\0' && k + 1 < tokensz &&
	    k < GRAMMAR_TOKEN_MAX; i++)
		if (input[i] > ' ' && input[i] < 0x7f)
			token[k++] = input[i];
	token[k] = '\0';
	return -1;
}

/* One answer, in any state; shortcut answers run the same way. */
static void
ussd_menu_step(struct ussd_menu *m, const struct ussd_menu_opts *o,
    const char *raw, struct ussd_step *out)
{
	char	input[USSD_INPUT_MAX + 1], token[GRAMMAR_TOKEN_MAX + 1];
	char	cmd[USSD_COMMAND_MAX], shortcut[GRAMMAR_TOKEN_MAX + 1];
	size_t	n;

	memset(out, 0, sizeof(*out));
	while (*raw == ' ')
		raw++;
	snprintf(input, sizeof(input), "%s", raw);
	n = strlen(input);
	while (n > 0 && (input[n - 1] == ' ' || input[n - 1] == '\r' ||
	    input[n - 1] == '\n'))
		input[--n] = '\0';

	if (m->state == USSD_S_END) {
		ussd_menu_show(m, o, out);
		return;
	}
	if (strcmp(input, "0") == 0 || strcmp(input, "00") == 0) {
		memset(m, 0, sizeof(*m));
		m->state = USSD_S_MAIN;
		ussd_menu_show(m, o, out);
		return;
	}
	switch (m->state) {
	case USSD_S_MAIN:
		if (strcmp(input, "1") == 0)
			m->state = USSD_S_GRAD_ID;
		else if (strcmp(input, "2") == 0)
			m->state = USSD_S_VISIT_ID;
		else if (strcmp(input, "3") == 0) {
			ussd_menu_command(m, out, "STATUS");
			return;
		} else if (strcmp(input, "4") == 0)
			m->state = USSD_S_UNDO_CONFIRM;
		else if (strcmp(input, "5") == 0) {
			n = strlen(o->service_code);
			if (n > 0 && o->service_code[n - 1] == '#')
				n--;
			snprintf(shortcut, sizeof(shortcut), "%.*s*1*<ID>#",
			    (int)n, o->service_code);
			m->state = USSD_S_END;
			ussd_menu_screen(m, o, REPLY_USSD_HELP, REPLY_COUNT,
			    shortcut, out);
			out->end = 1;
			return;
		} else
			break;
		ussd_menu_show(m, o, out);
		return;
	case USSD_S_GRAD_ID:
	case USSD_S_VISIT_ID:
		if (ussd_menu_read_id(o, input, m->kpm, sizeof(m->kpm), token,
		    sizeof(token)) == -1) {
			ussd_menu_screen(m, o, m->state == USSD_S_GRAD_ID ?
			    REPLY_USSD_GRAD_ID : REPLY_USSD_VISIT_ID,
			    REPLY_USSD_BAD_ID, token, out);
			return;
		}
		m->state = m->state == USSD_S_GRAD_ID ? USSD_S_GRAD_CAT :
		    USSD_S_VISIT_CONFIRM;
		ussd_menu_show(m, o, out);
		return;
	case USSD_S_GRAD_CAT:
		if (strlen(input) != 1 || input[0] < '1' || input[0] > '3')
			break;
		m->cat = input[0] - '1';	/* SM, AL, PK */
		m->state = USSD_S_GRAD_CONFIRM;
		ussd_menu_show(m, o, out);
		return;
	case USSD_S_GRAD_CONFIRM:
	case USSD_S_VISIT_CONFIRM:
	case USSD_S_UNDO_CONFIRM:
		if (strcmp(input, "1") != 0)
			break;
		if (m->state == USSD_S_GRAD_CONFIRM)
			snprintf(cmd, sizeof(cmd), "GRAD %s %s", m->kpm,
			    grammar_category_name(
			    (enum grammar_category)m->cat));
		else if (m->state == USSD_S_VISIT_CONFIRM)
			snprintf(cmd, sizeof(cmd), "KUNJ %s", m->kpm);
		else
			snprintf(cmd, sizeof(cmd), "BATAL");
		ussd_menu_command(m, out, cmd);
		return;
	case USSD_S_END:
		break;
	}
	/* Not a choice of this screen: say so, and ask again. */
	ussd_menu_screen(m, o, ussd_screen_of(m->state), REPLY_USSD_INVALID,
	    NULL, out);
}

void
ussd_menu_input(struct ussd_menu *m, const struct ussd_menu_opts *o,
    const char *input, struct ussd_step *out)
{
	ussd_menu_step(m, o, input, out);
}

void
ussd_menu_start(struct ussd_menu *m, const struct ussd_menu_opts *o,
    const char *answers, struct ussd_step *out)
{
	struct reply_vars v;
	char		 buf[USSD_INPUT_MAX * 4], *p, *next;
	enum ussd_state	 before;
	char		 cmd[USSD_COMMAND_MAX];

	memset(m, 0, sizeof(*m));
	memset(out, 0, sizeof(*out));
	m->state = USSD_S_MAIN;
	if (!o->is_companion) {
		memset(&v, 0, sizeof(v));
		if (ussd_menu_render(o->lang, REPLY_STRANGER, &v, out->screen,
		    sizeof(out->screen)) < 0)
			out->screen[0] = '\0';
		out->end = 1;
		m->state = USSD_S_END;
		return;
	}
	if (answers == NULL || *answers == '\0') {
		ussd_menu_show(m, o, out);
		return;
	}
	snprintf(buf, sizeof(buf), "%s", answers);
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, '*')) != NULL)
			*next++ = '\0';
		before = m->state;
		ussd_menu_step(m, o, p, out);
		if (out->end)
			return;
		/* A refused answer stops the shortcut: ask it on screen. */
		if (m->state == before && before != USSD_S_MAIN)
			return;
		if (m->state == USSD_S_MAIN && strcmp(p, "0") != 0 &&
		    strcmp(p, "00") != 0)
			return;
	}
	/* Everything a command needs is given: run it, unasked. */
	switch (m->state) {
	case USSD_S_GRAD_CAT:		/* the category SMS would mean: SM */
		snprintf(cmd, sizeof(cmd), "GRAD %s", m->kpm);
		break;
	case USSD_S_GRAD_CONFIRM:
		snprintf(cmd, sizeof(cmd), "GRAD %s %s", m->kpm,
		    grammar_category_name((enum grammar_category)m->cat));
		break;
	case USSD_S_VISIT_CONFIRM:
		snprintf(cmd, sizeof(cmd), "KUNJ %s", m->kpm);
		break;
	case USSD_S_UNDO_CONFIRM:
		snprintf(cmd, sizeof(cmd), "BATAL");
		break;
	default:
		return;
	}
	ussd_menu_command(m, out, cmd);
}
