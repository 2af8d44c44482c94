/*
 * grammar_second.c: one SMS, one command.
 *
 * Companions sometimes put two reports in one SMS: "GRAD 12345 KUNJ
 * 67890", "GRAD 12345. STATUS", "KUNJ 12345 ibu sakit\nKUNJ 12346".
 * Read as one command, the second was lost without a word: a trailing
 * word of GRAD, part of a visit's note, the reference of BATAL -- or it
 * got the reply of another mistake ("KNJ" as a mistyped category).
 *
 * Such a message is refused as a whole, GRAMMAR_E_TWO_COMMANDS, with a
 * reply naming both commands ("GRAD 12345 + KUNJ 67890"), and nothing
 * is recorded.  Not "do the first, say the second was not done",
 * because:
 *  - a companion's count stays right only if the reply leaves no doubt.
 *    A confirmation that starts "OK. Graduasi ... tercatat" reads as
 *    success and the lost second report goes unnoticed; "nothing was
 *    recorded, one command per SMS" cannot be misread, and the two are
 *    sent again, each on its own;
 *  - a confirmation filled with its longest values already needs most
 *    of the 160 septets: the notice does not fit in the same SMS, and
 *    two replies to one SMS would be a change to the outbox;
 *  - what follows can only be guessed to be a command.  Refused, a wrong
 *    guess costs one more SMS; done, it would record a visit with its
 *    note cut short, which the person did not mean;
 *  - it is what a visit with several ids already gets (visit_multi).
 *
 * What starts a second command, conservatively, for a note is free text
 * and "status" an ordinary word in it:
 *  - GRAD, GRD, KUNJ or KNJ, in any case, followed by an id-shaped word
 *    (digits, O, l, I among them) or glued to one ("KUNJ67890").  Only
 *    these short forms: the aliases that are also words (lulus,
 *    graduasi, kunjungan, visit) or abbreviations (kj) are left to the
 *    note.  GRAD after GRAD
 *    is no second command: its ids join the first, as they always did
 *    ("GRAD 123\nGRAD 456");
 *  - STATUS in capitals, the last word (emoji aside), after a sentence
 *    break (. ; ! ? or a line break): "GRAD 12345. STATUS";
 *  - BATAL in capitals followed by a reference (letters and digits,
 *    both) that is the last word: "KUNJ 12345 BATAL K002".
 * The word right after BATAL is its argument: "BATAL GRAD 12345" asks
 * to undo that graduation.  BANTUAN, STOP, MULAI and P2K2 are never
 * looked for: "butuh BANTUAN", "ikut P2K2 12/12" are what notes say.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "grammar.h"
#include "grammar_internal.h"

/* Short forms of the commands with an id that mark a second command. */
struct grammar_second_word {
	const char		*word;
	enum grammar_cmd	 cmd;
};

static const struct grammar_second_word grammar_second_words[] = {
	{ "GRAD",	GRAMMAR_CMD_GRAD },
	{ "GRD",	GRAMMAR_CMD_GRAD },
	{ "KUNJ",	GRAMMAR_CMD_KUNJ },
	{ "KNJ",	GRAMMAR_CMD_KUNJ },
};

static enum grammar_cmd grammar_id_command(const unsigned char *, size_t,
		    size_t);
static int	grammar_id_shaped(const unsigned char *, size_t, size_t);
static int	grammar_ref_shaped(const unsigned char *, size_t, size_t);
static int	grammar_caps_is(const unsigned char *, size_t, size_t,
		    const char *);
static int	grammar_last_word(const struct grammar_lexer *);
static int	grammar_sentence_break(const unsigned char *, size_t, size_t);
static void	grammar_second_arg(const unsigned char *, size_t, size_t,
		    int, char *, size_t);
static void	grammar_show_id(const char *, char *, size_t);

/* The command a short form [start, end) names, any case, or NONE. */
static enum grammar_cmd
grammar_id_command(const unsigned char *s, size_t start, size_t end)
{
	size_t	i;

	for (i = 0; i < GRAMMAR_NELEM(grammar_second_words); i++)
		if (grammar_word_is(s + start, end - start,
		    grammar_second_words[i].word))
			return grammar_second_words[i].cmd;
	return GRAMMAR_CMD_NONE;
}

/*
 * Whether [start, end) looks like an id: digits (ASCII or fullwidth), O
 * and o, I and l, with one digit at least.  Its length does not matter.
 */
static int
grammar_id_shaped(const unsigned char *s, size_t start, size_t end)
{
	size_t	i, k;
	int	digit = 0;

	for (i = start; i < end; i += k) {
		k = 1;
		if (grammar_is_digit(s[i]))
			digit = 1;
		else if ((k = grammar_wide_digit(s + i, end - i)) > 0)
			digit = 1;
		else if (s[i] == 'O' || s[i] == 'o' || s[i] == 'I' ||
		    s[i] == 'l')
			k = 1;
		else
			return 0;
	}
	return digit;
}

/* Whether [start, end) looks like a record's reference: G004, K12. */
static int
grammar_ref_shaped(const unsigned char *s, size_t start, size_t end)
{
	size_t	i;
	int	letter = 0, digit = 0;

	if (end - start < 2 || end - start > GRAMMAR_REF_MAX)
		return 0;
	for (i = start; i < end; i++) {
		if (grammar_is_digit(s[i]))
			digit = 1;
		else if (grammar_is_alpha(s[i]))
			letter = 1;
		else
			return 0;
	}
	return letter && digit;
}

/* Whether [start, end) is word (upper case) written in capitals. */
static int
grammar_caps_is(const unsigned char *s, size_t start, size_t end,
    const char *word)
{
	size_t	n = strlen(word);

	return end - start == n && memcmp(s + start, word, n) == 0;
}

/* Whether no word with an ASCII letter or digit follows (emoji may). */
static int
grammar_last_word(const struct grammar_lexer *lx)
{
	struct grammar_lexer	q = *lx;
	struct grammar_token	t;
	size_t			i;

	while (grammar_next(&q, &t))
		for (i = t.start; i < t.end; i++)
			if (grammar_is_alnum(q.text[i]))
				return 0;
	return 1;
}

/* Whether [from, to) ends a sentence: . ; ! ? or a line break. */
static int
grammar_sentence_break(const unsigned char *s, size_t from, size_t to)
{
	size_t	i;

	for (i = from; i < to; i++)
		if (s[i] == '.' || s[i] == ';' || s[i] == '!' ||
		    s[i] == '?' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

/*
 * An id as a reply may show it: "3527********0082" for 16 digits, which
 * may be a NIK (domain.md); dst is left empty when it does not fit.
 */
static void
grammar_show_id(const char *id, char *dst, size_t dstsz)
{
	char	buf[GRAMMAR_ID_MAX + 1];
	size_t	n = strlen(id);

	if (n == GRAMMAR_NIK_LEN)
		snprintf(buf, sizeof(buf), "%.4s********%.4s", id,
		    id + GRAMMAR_NIK_LEN - 4);
	else
		snprintf(buf, sizeof(buf), "%s", id);
	dst[0] = '\0';
	if (strlen(buf) < dstsz)
		memcpy(dst, buf, strlen(buf) + 1);
}

/*
 * The argument of the second command, [start, end), as the reply shows
 * it: an id read as the grammar reads ids (whatever the configured
 * lengths), or a reference in capitals; "" when it cannot be shown.
 */
static void
grammar_second_arg(const unsigned char *s, size_t start, size_t end,
    int is_ref, char *arg, size_t argsz)
{
	struct grammar_options	 any = { 1, GRAMMAR_ID_MAX, 0 };
	struct grammar_result	 scratch;
	struct grammar_token	 t;
	size_t			 i;

	arg[0] = '\0';
	if (is_ref) {
		if (end - start >= argsz)
			return;
		for (i = start; i < end; i++)
			arg[i - start] = (char)(s[i] >= 'a' && s[i] <= 'z' ?
			    s[i] - 'a' + 'A' : s[i]);
		arg[end - start] = '\0';
		return;
	}
	memset(&scratch, 0, sizeof(scratch));
	t.start = start;
	t.end = t.raw_end = end;
	if (grammar_add_id(&scratch, s, &t, &any) == GRAMMAR_OK)
		grammar_show_id(scratch.ids[0], arg, argsz);
}

/*
 * Where in the message, after the first command's keyword (lx->pos), a
 * second command starts (see above), or lx->len when none does.  cmd is
 * the first command; a second one goes to out->second, its argument as
 * shown to arg (argsz bytes, "" if none).
 */
size_t
grammar_second(const struct grammar_lexer *lx, enum grammar_cmd cmd,
    struct grammar_result *out, char *arg, size_t argsz)
{
	const unsigned char	*s = lx->text;
	struct grammar_lexer	 q = *lx, after;
	struct grammar_token	 t, u;
	enum grammar_cmd	 c;
	size_t			 prev = lx->pos, k, d, as = 0, ae = 0;
	int			 nword, is_ref;

	arg[0] = '\0';
	for (nword = 0; grammar_next(&q, &t); prev = t.end, nword++) {
		c = GRAMMAR_CMD_NONE;
		is_ref = 0;
		after = q;
		for (k = t.start; k < t.end && grammar_is_alpha(s[k]); k++)
			;
		for (d = k; d < t.end && grammar_is_joiner(s[d]); d++)
			;
		if (k > t.start && k < t.end) {
			/* Glued: "KUNJ67890", "GRAD-12345". */
			if (d < t.end && grammar_id_shaped(s, d, t.end)) {
				c = grammar_id_command(s, t.start, k);
				as = d;
				ae = t.end;
			}
		} else if (k == t.end && (c = grammar_id_command(s, t.start,
		    t.end)) != GRAMMAR_CMD_NONE) {
			if (grammar_next(&after, &u) &&
			    grammar_id_shaped(s, u.start, u.end)) {
				as = u.start;
				ae = u.end;
			} else
				c = GRAMMAR_CMD_NONE;
		} else if (grammar_caps_is(s, t.start, t.end, "STATUS")) {
			if (grammar_last_word(&after) &&
			    grammar_sentence_break(s, prev, t.start)) {
				c = GRAMMAR_CMD_STATUS;
				as = ae = 0;
			}
		} else if (grammar_caps_is(s, t.start, t.end, "BATAL")) {
			if (grammar_next(&after, &u) &&
			    grammar_ref_shaped(s, u.start, u.end) &&
			    grammar_last_word(&after)) {
				c = GRAMMAR_CMD_BATAL;
				is_ref = 1;
				as = u.start;
				ae = u.end;
			}
		}
		if (c == GRAMMAR_CMD_NONE ||
		    (c == GRAMMAR_CMD_GRAD && cmd == GRAMMAR_CMD_GRAD) ||
		    (c == GRAMMAR_CMD_STATUS && cmd == GRAMMAR_CMD_STATUS) ||
		    (cmd == GRAMMAR_CMD_BATAL && nword == 0))
			continue;
		out->second = c;
		if (ae > as)
			grammar_second_arg(s, as, ae, is_ref, arg, argsz);
		return t.start;
	}
	return lx->len;
}

/*
 * The token of GRAMMAR_E_TWO_COMMANDS: both commands, with their
 * arguments while they fit GRAMMAR_TOKEN_MAX, "GRAD 12345 + KUNJ 67890",
 * else "GRAD + KUNJ 67890", else "GRAD + KUNJ".  The first one's id or
 * reference is shown when it read well (e == GRAMMAR_OK) and is one.
 */
void
grammar_second_token(struct grammar_result *out, enum grammar_error e,
    const char *arg)
{
	char		 a1[GRAMMAR_TOKEN_MAX + 1], buf[3][128];
	const char	*n1 = grammar_cmd_name(out->cmd);
	const char	*n2 = grammar_cmd_name(out->second);
	const char	*sep2 = arg[0] != '\0' ? " " : "";
	int		 i;

	a1[0] = '\0';
	if (e == GRAMMAR_OK && out->n_ids == 1 &&
	    (out->cmd == GRAMMAR_CMD_GRAD || out->cmd == GRAMMAR_CMD_KUNJ))
		grammar_show_id(out->ids[0], a1, sizeof(a1));
	else if (e == GRAMMAR_OK && out->cmd == GRAMMAR_CMD_BATAL)
		snprintf(a1, sizeof(a1), "%s", out->ref);
	snprintf(buf[0], sizeof(buf[0]), "%s%s%s + %s%s%s", n1,
	    a1[0] != '\0' ? " " : "", a1, n2, sep2, arg);
	snprintf(buf[1], sizeof(buf[1]), "%s + %s%s%s", n1, n2, sep2, arg);
	snprintf(buf[2], sizeof(buf[2]), "%s + %s", n1, n2);
	/* The last is two command names: 7 + 3 + 7 characters at most. */
	for (i = 0; i < 2 && strlen(buf[i]) > GRAMMAR_TOKEN_MAX; i++)
		;
	memcpy(out->token, buf[i], strlen(buf[i]) + 1);
}
