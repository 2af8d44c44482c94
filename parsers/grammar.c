/*
 * grammar.c: what a companion's SMS means.
 *
 * Four layers, each of which can grow on its own:
 *  - a lexer cutting the bytes into words at separators: runs of blanks,
 *    of # . * , : ; = & + quotes and brackets, NUL bytes, and the Unicode
 *    blanks and marks that phones and copy-paste insert (NBSP, zero-width
 *    spaces, BOM, curly quotes, dashes, ellipsis); an emoji glued to the
 *    end of a word is cut off like a trailing '!' (grammar_lex.c);
 *  - tables: keywords with their aliases, words that may stand before the
 *    keyword ("Pak", "ketik"), category names, filler words ("ok",
 *    "spasi", "kpm") (grammar_keyword.c), month names and relative dates
 *    (grammar_date.c), province codes (grammar_nik.c);
 *  - readers for the values: the keyword (exact, glued to the id, or a
 *    typo within a small Damerau-Levenshtein distance: grammar_keyword.c),
 *    ids (O read as 0 and l/I as 1 inside digits only, NIK structure:
 *    grammar_nik.c), dates (grammar_date.c);
 *  - one small parser per command that takes the words it needs (this
 *    file, with grammar_parse() and the names of the errors).
 *
 * Nothing here allocates or does I/O, and every byte is read within
 * [text, text + len), whatever the bytes are.  The grammar has no clock:
 * dates are returned as typed and grammar_resolve_date() places them.
 */
#include <stddef.h>
#include <string.h>

#include "grammar.h"
#include "grammar_internal.h"

/* Ids of 1 to 20 digits unless the configuration says otherwise. */
#define GRAMMAR_ID_MIN_DEFAULT	1
#define GRAMMAR_ID_MAX_DEFAULT	20

/* Unknown words this short after GRAD look like a mistyped category. */
#define GRAMMAR_CATLIKE_MAX	3

static int	grammar_split_category(struct grammar_lexer *,
		    struct grammar_token *);
static enum grammar_error grammar_grad(struct grammar_lexer *,
		    const struct grammar_options *, struct grammar_result *);
static enum grammar_error grammar_kunj(struct grammar_lexer *,
		    const struct grammar_options *, struct grammar_result *);
static enum grammar_error grammar_kunj_note(struct grammar_lexer *, size_t,
		    const struct grammar_token *, struct grammar_result *);
static enum grammar_error grammar_lead_refused(struct grammar_result *,
		    const unsigned char *, const struct grammar_token *);
static enum grammar_error grammar_lead(struct grammar_lexer *,
		    enum grammar_cmd, const struct grammar_token *,
		    const struct grammar_options *, struct grammar_result *);
static enum grammar_error grammar_p2k2(struct grammar_lexer *,
		    struct grammar_result *);
static enum grammar_error grammar_batal(struct grammar_lexer *,
		    struct grammar_result *);

void
grammar_options_default(struct grammar_options *o)
{
	o->id_min_len = GRAMMAR_ID_MIN_DEFAULT;
	o->id_max_len = GRAMMAR_ID_MAX_DEFAULT;
	o->nik = 1;
}

/*
 * An id and a category in one word: "12345SM", "12345-AL", "12345/PK",
 * "SM12345", "AL-12345" (the id may hold O, l, I for digits).  The word
 * t is cut to its first part and the lexer moved back to the second;
 * returns 0 when the word is no such pair.
 */
static int
grammar_split_category(struct grammar_lexer *lx, struct grammar_token *t)
{
	const unsigned char	*s = lx->text;
	enum grammar_category	 cat;
	size_t			 d, e;

	for (d = t->start; d < t->end && (grammar_is_digit(s[d]) ||
	    s[d] == 'O' || s[d] == 'o' || s[d] == 'I' || s[d] == 'l'); d++)
		;
	if (d > t->start && grammar_is_digit(s[t->start])) {
		for (e = d; e < t->end && grammar_is_joiner(s[e]); e++)
			;
		if (e < t->end && grammar_category(s + e, t->end - e, &cat)) {
			t->end = t->raw_end = d;
			lx->pos = e;
			return 1;
		}
		return 0;
	}
	for (d = t->start; d < t->end && grammar_is_alpha(s[d]); d++)
		;
	for (e = d; e < t->end && grammar_is_joiner(s[e]); e++)
		;
	if (d > t->start && e < t->end && grammar_is_digit(s[e]) &&
	    grammar_category(s + t->start, d - t->start, &cat)) {
		t->end = t->raw_end = d;
		lx->pos = e;
		return 1;
	}
	return 0;
}

/*
 * GRAD: ids, in order, at most one category and one date, before or
 * after them.  How each word is taken:
 *  - punctuation alone ("-", "/"): skipped;
 *  - a date (12/05, 12 mei, kemarin): the date; a second, different one
 *    is an error, as is an impossible one;
 *  - digits: an id; an id glued to a category ("12345SM", "12345-AL",
 *    "PK12345") is split in two;
 *  - a category name (SM, AL, PK, or SEJAHTERA, MANDIRI, ALAMI(AH),
 *    PAKSA): the category; a second, different one is an error;
 *  - an instruction word ("spasi", "kpm", "kategori", "dan") or the
 *    keyword again (a second line "GRAD 456"): skipped;
 *  - courtesy ("ok", "makasih"): skipped before the first id, and after
 *    an id it ends the command: the rest is free text;
 *  - any other letters-only word of 1 to 3 letters ("SN", "ALM", "x"):
 *    a mistyped category, GRAMMAR_E_CATEGORY, for a wrong category must
 *    never be recorded silently as SM;
 *  - a longer word or one of other characters without digits
 *    ("terima kasih", an emoji): skipped before the first id, ends the
 *    command after one ("GRAD 12345 sudah mandiri 2 anak" is one id);
 *  - any other word with a digit in it ("12-345", "123a5"): a bad id.
 */
static enum grammar_error
grammar_grad(struct grammar_lexer *lx, const struct grammar_options *opt,
    struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	struct grammar_token	 t;
	enum grammar_category	 cat;
	enum grammar_filler_kind fill;
	enum grammar_shape	 shape;
	enum grammar_error	 e;
	size_t			 n;
	int			 has_digit, taken;

	while (grammar_next(lx, &t)) {
		if (grammar_punct_only(s, &t))
			continue;
		if ((e = grammar_take_date(lx, &t, &taken, out)) != GRAMMAR_OK)
			return e;
		if (taken)
			continue;
		shape = grammar_shape(s, &t, &has_digit);
		if (has_digit && grammar_split_category(lx, &t))
			shape = grammar_shape(s, &t, &has_digit);
		n = t.end - t.start;
		if (shape == GRAMMAR_SHAPE_DIGITS || has_digit) {
			if ((e = grammar_add_id(out, s, &t, opt)) != GRAMMAR_OK)
				return e;
			continue;
		}
		if (shape == GRAMMAR_SHAPE_LETTERS &&
		    grammar_category(s + t.start, n, &cat)) {
			if (out->category_given && out->category != cat) {
				grammar_set_token(out, s, t.start, t.end);
				return GRAMMAR_E_CATEGORY;
			}
			out->category = cat;
			out->category_given = 1;
			continue;
		}
		fill = shape == GRAMMAR_SHAPE_LETTERS ?
		    grammar_filler(s + t.start, n) : GRAMMAR_FILL_NONE;
		if (fill == GRAMMAR_FILL_INSTRUCTION ||
		    (shape == GRAMMAR_SHAPE_LETTERS &&
		    grammar_is_grad_word(s + t.start, n)))
			continue;
		if (shape == GRAMMAR_SHAPE_LETTERS &&
		    fill == GRAMMAR_FILL_NONE && n <= GRAMMAR_CATLIKE_MAX) {
			grammar_set_token(out, s, t.start, t.end);
			return GRAMMAR_E_CATEGORY;
		}
		if (out->n_ids > 0)
			break;
	}
	return out->n_ids > 0 ? GRAMMAR_OK : GRAMMAR_E_NO_ID;
}

/*
 * KUNJ: one id, then the note.  Before the id only fillers, a date and
 * words that are not plain ASCII words (an emoji) may come: the note
 * cannot start before the id, so "KUNJ rumah 12345" has no id.
 * Everything after the id, digits included, is the note; a date it
 * starts with ("12345 12/05 posyandu", "12345 kemarin") is also read
 * into out->date, and note_skip says where the rest begins.
 */
static enum grammar_error
grammar_kunj(struct grammar_lexer *lx, const struct grammar_options *opt,
    struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	struct grammar_token	 t;
	enum grammar_shape	 shape;
	enum grammar_error	 e;
	int			 has_digit, taken;

	while (grammar_next(lx, &t)) {
		if (grammar_punct_only(s, &t))
			continue;
		if ((e = grammar_take_date(lx, &t, &taken, out)) != GRAMMAR_OK)
			return e;
		if (taken)
			continue;
		shape = grammar_shape(s, &t, &has_digit);
		if (has_digit) {
			if ((e = grammar_add_id(out, s, &t, opt)) != GRAMMAR_OK)
				return e;
			return grammar_kunj_note(lx, t.raw_end, NULL, out);
		}
		if (shape == GRAMMAR_SHAPE_LETTERS &&
		    grammar_filler(s + t.start, t.end - t.start) ==
		    GRAMMAR_FILL_NONE)
			break;
	}
	return GRAMMAR_E_NO_ID;
}

/*
 * KUNJ's note: the message from byte from (just after the id, or after
 * the keyword when the id came first) to its end, and the date it may
 * start with.  With lead (the id typed before the keyword), a note that
 * starts with a number, "12345 KUNJ 67890", refuses that reading: which
 * of the two is the id would be a guess.
 */
static enum grammar_error
grammar_kunj_note(struct grammar_lexer *lx, size_t from,
    const struct grammar_token *lead, struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	struct grammar_lexer	 q;
	struct grammar_token	 w;
	enum grammar_error	 e;
	size_t			 rest = from;
	int			 has_digit;

	if (out->date.kind == GRAMMAR_DATE_NONE &&
	    (e = grammar_note_date(s, lx->len, from, out, &rest)) !=
	    GRAMMAR_OK)
		return e;
	if (lead != NULL) {
		q = *lx;
		q.pos = rest;
		if (grammar_next(&q, &w)) {
			(void)grammar_shape(s, &w, &has_digit);
			if (has_digit)
				return grammar_lead_refused(out, s, lead);
		}
	}
	grammar_copy_note(out->note, s + from, lx->len - from, rest - from,
	    &out->note_skip);
	if (rest == from)
		out->note_skip = 0;
	return GRAMMAR_OK;
}

/*
 * The reading of an id before the keyword given up: the message is as
 * unknown as it always was, GRAMMAR_E_KEYWORD with its first word as
 * the token.
 */
static enum grammar_error
grammar_lead_refused(struct grammar_result *out, const unsigned char *s,
    const struct grammar_token *lead)
{
	grammar_set_token(out, s, lead->start, lead->raw_end);
	out->cmd = GRAMMAR_CMD_NONE;
	out->keyword[0] = '\0';
	out->corrected = 0;
	return GRAMMAR_E_KEYWORD;
}

/*
 * An id typed before GRAD or KUNJ (grammar_lead_id()): read as though it
 * followed the keyword, "12345 grad sm" as "GRAD 12345 sm".  Never a
 * guess: when the words after the keyword hold an id too (a second one
 * for GRAD, or a note starting with a number for KUNJ), or when the
 * digits are no id of the configured length ("2 GRAD" with 5-digit ids),
 * the message is refused as unknown, as it was before ids could come
 * first.  A NIK whose structure is wrong gets its precise reply.
 */
static enum grammar_error
grammar_lead(struct grammar_lexer *lx, enum grammar_cmd cmd,
    const struct grammar_token *lead, const struct grammar_options *opt,
    struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	enum grammar_error	 e;

	if ((e = grammar_add_id(out, s, lead, opt)) == GRAMMAR_E_BAD_ID)
		return grammar_lead_refused(out, s, lead);
	if (e != GRAMMAR_OK)
		return e;	/* a NIK, wrong: say which part */
	if (cmd == GRAMMAR_CMD_KUNJ)
		return grammar_kunj_note(lx, lx->pos, lead, out);
	e = grammar_grad(lx, opt, out);
	if ((e == GRAMMAR_OK && out->n_ids > 1) || e == GRAMMAR_E_BAD_ID ||
	    e == GRAMMAR_E_BAD_NIK) {
		out->nik_part = GRAMMAR_NIK_OK;
		return grammar_lead_refused(out, s, lead);
	}
	return e;
}

/*
 * BATAL: an optional reference, the first word that is no filler.  It
 * must be 2 to GRAMMAR_REF_MAX ASCII letters and digits; it is upper-
 * cased with O read as 0 and I, L as 1 (Crockford base 32, which has no
 * U, so a U makes it malformed).  Words with neither letters nor digits
 * (an emoji) are skipped; words after the reference are ignored.
 */
static enum grammar_error
grammar_batal(struct grammar_lexer *lx, struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	struct grammar_token	 t;
	enum grammar_shape	 shape;
	size_t			 n, i;
	int			 has_digit;
	char			 c;

	while (grammar_next(lx, &t)) {
		n = t.end - t.start;
		shape = grammar_shape(s, &t, &has_digit);
		if (shape == GRAMMAR_SHAPE_LETTERS &&
		    grammar_filler(s + t.start, n) != GRAMMAR_FILL_NONE)
			continue;
		if (shape == GRAMMAR_SHAPE_OTHER && !grammar_has_alnum(s, &t))
			continue;	/* an emoji, a dash */
		if (shape == GRAMMAR_SHAPE_OTHER || n < 2 ||
		    n > GRAMMAR_REF_MAX) {
			grammar_set_token(out, s, t.start, t.end);
			return GRAMMAR_E_BAD_REF;
		}
		for (i = 0; i < n; i++) {
			c = (char)s[t.start + i];
			if (!grammar_is_alnum((unsigned char)c)) {
				/* A fullwidth digit. */
				grammar_set_token(out, s, t.start, t.end);
				return GRAMMAR_E_BAD_REF;
			}
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			if (c == 'O')
				c = '0';
			else if (c == 'I' || c == 'L')
				c = '1';
			else if (c == 'U') {
				grammar_set_token(out, s, t.start, t.end);
				return GRAMMAR_E_BAD_REF;
			}
			out->ref[i] = c;
		}
		out->ref[n] = '\0';
		break;
	}
	return GRAMMAR_OK;
}

/* Words that may stand before a session's time or place. */
static const char *const grammar_p2k2_skip[] = {
	"JAM", "JM", "PUKUL", "PKL", "WIB", "WITA", "WIT", "DI", "TEMPAT",
	"LOKASI", "TGL", "TANGGAL",
};

/*
 * P2K2: a date (any form grammar_take_date() reads), a time (09:00,
 * 9.00, 0900), then the place, the rest of the message, into note.
 * "jam", "pukul", a zone (WIB) and "di" may stand in between and are
 * dropped.  No date is GRAMMAR_E_BAD_DATE with the word found (or
 * none) as token; no time GRAMMAR_E_BAD_TIME; no place
 * GRAMMAR_E_NO_PLACE.
 */
static enum grammar_error
grammar_p2k2(struct grammar_lexer *lx, struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	struct grammar_token	 t;
	enum grammar_error	 e;
	enum grammar_dm		 dm;
	size_t			 end = 0;
	int			 taken, h, m;

	do {
		if (!grammar_next(lx, &t))
			return GRAMMAR_E_BAD_DATE;
	} while (grammar_in_list(s + t.start, t.end - t.start,
	    grammar_p2k2_skip, GRAMMAR_NELEM(grammar_p2k2_skip)));
	if ((e = grammar_take_date(lx, &t, &taken, out)) != GRAMMAR_OK)
		return e;
	if (!taken) {
		grammar_set_token(out, s, t.start, t.end);
		return GRAMMAR_E_BAD_DATE;
	}
	do {
		if (!grammar_next(lx, &t))
			return GRAMMAR_E_BAD_TIME;
	} while (grammar_in_list(s + t.start, t.end - t.start,
	    grammar_p2k2_skip, GRAMMAR_NELEM(grammar_p2k2_skip)));
	dm = grammar_time_at(s, lx->len, t.start, &h, &m, &end);
	if (dm != GRAMMAR_DM_OK) {
		grammar_set_token(out, s, t.start, dm == GRAMMAR_DM_BAD ?
		    end : t.end);
		return GRAMMAR_E_BAD_TIME;
	}
	out->time_given = 1;
	out->hour = h;
	out->minute = m;
	lx->pos = end;
	for (;;) {
		if (!grammar_next(lx, &t))
			return GRAMMAR_E_NO_PLACE;
		if (!grammar_in_list(s + t.start, t.end - t.start,
		    grammar_p2k2_skip, GRAMMAR_NELEM(grammar_p2k2_skip)) &&
		    !grammar_punct_only(s, &t))
			break;
	}
	grammar_copy_note(out->note, s + t.start, lx->len - t.start, 0,
	    NULL);
	if (out->note[0] == '\0')
		return GRAMMAR_E_NO_PLACE;
	return GRAMMAR_OK;
}

/*
 * On an error out->cmd still names the command whose arguments were
 * wrong (GRAMMAR_CMD_NONE for E_EMPTY, E_KEYWORD and E_AMBIGUOUS) so the
 * reply can show the right example; ids, ref, note and date are cleared.
 * The command is read from the part of the message before a second
 * command, if any; finding one is GRAMMAR_E_TWO_COMMANDS whatever the
 * first part holds (grammar_second.c says why).
 */
int
grammar_parse(const char *text, size_t len, const struct grammar_options *o,
    struct grammar_result *out)
{
	struct grammar_options	 defaults;
	struct grammar_lexer	 lx;
	struct grammar_token	 lead;
	enum grammar_cmd	 cmd = GRAMMAR_CMD_NONE;
	enum grammar_error	 e;
	char			 arg[GRAMMAR_TOKEN_MAX + 1];

	memset(out, 0, sizeof(*out));
	out->cmd = GRAMMAR_CMD_NONE;
	out->category = GRAMMAR_CAT_SM;
	out->nik_part = GRAMMAR_NIK_OK;
	out->date.kind = GRAMMAR_DATE_NONE;
	if (o == NULL) {
		grammar_options_default(&defaults);
		o = &defaults;
	}
	lx.text = (const unsigned char *)text;
	lx.len = text != NULL ? len : 0;
	lx.pos = 0;

	if ((e = grammar_first(&lx, &cmd, out, &lead)) == GRAMMAR_OK) {
		out->cmd = cmd;
		/* The first command ends where a second one starts. */
		lx.len = grammar_second(&lx, cmd, out, arg, sizeof(arg));
		if (lead.end > lead.start)
			e = grammar_lead(&lx, cmd, &lead, o, out);
		else {
			switch (cmd) {
			case GRAMMAR_CMD_GRAD:
				e = grammar_grad(&lx, o, out);
				break;
			case GRAMMAR_CMD_KUNJ:
				e = grammar_kunj(&lx, o, out);
				break;
			case GRAMMAR_CMD_BATAL:
				e = grammar_batal(&lx, out);
				break;
			case GRAMMAR_CMD_P2K2:
				e = grammar_p2k2(&lx, out);
				break;
			default:
				/* STATUS, BANTUAN, STOP, MULAI: chat. */
				break;
			}
		}
		/* An id-first reading refused: there was no first one. */
		if (out->second != GRAMMAR_CMD_NONE && e == GRAMMAR_E_KEYWORD)
			out->second = GRAMMAR_CMD_NONE;
		else if (out->second != GRAMMAR_CMD_NONE) {
			grammar_second_token(out, e, arg);
			out->nik_part = GRAMMAR_NIK_OK;
			e = GRAMMAR_E_TWO_COMMANDS;
		}
	}

	out->error = e;
	if (e == GRAMMAR_OK) {
		out->token[0] = '\0';
		return 0;
	}
	out->n_ids = 0;
	memset(out->ids, 0, sizeof(out->ids));
	memset(out->id_is_nik, 0, sizeof(out->id_is_nik));
	out->ids_corrected = 0;
	out->category = GRAMMAR_CAT_SM;
	out->category_given = 0;
	out->ref[0] = '\0';
	out->note[0] = '\0';
	out->note_skip = 0;
	memset(&out->date, 0, sizeof(out->date));
	out->date.kind = GRAMMAR_DATE_NONE;
	out->time_given = out->hour = out->minute = 0;
	return -1;
}

const char *
grammar_error_name(enum grammar_error e)
{
	switch (e) {
	case GRAMMAR_OK:
		return "OK";
	case GRAMMAR_E_EMPTY:
		return "E_EMPTY";
	case GRAMMAR_E_KEYWORD:
		return "E_KEYWORD";
	case GRAMMAR_E_NO_ID:
		return "E_NO_ID";
	case GRAMMAR_E_BAD_ID:
		return "E_BAD_ID";
	case GRAMMAR_E_CATEGORY:
		return "E_CATEGORY";
	case GRAMMAR_E_BAD_REF:
		return "E_BAD_REF";
	case GRAMMAR_E_AMBIGUOUS:
		return "E_AMBIGUOUS";
	case GRAMMAR_E_BAD_DATE:
		return "E_BAD_DATE";
	case GRAMMAR_E_FUTURE_DATE:
		return "E_FUTURE_DATE";
	case GRAMMAR_E_BAD_NIK:
		return "E_BAD_NIK";
	case GRAMMAR_E_BAD_TIME:
		return "E_BAD_TIME";
	case GRAMMAR_E_NO_PLACE:
		return "E_NO_PLACE";
	case GRAMMAR_E_TWO_COMMANDS:
		return "E_TWO_COMMANDS";
	}
	return "?";
}
