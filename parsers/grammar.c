/*
 * grammar.c: what a companion's SMS means.
 *
 * Four layers, each of which can grow on its own:
 *  - a lexer cutting the bytes into words at separators: runs of blanks,
 *    of # . * , : ; = & + quotes and brackets, NUL bytes, and the Unicode
 *    blanks and marks that phones and copy-paste insert (NBSP, zero-width
 *    spaces, BOM, curly quotes, dashes, ellipsis); an emoji glued to the
 *    end of a word is cut off like a trailing '!' (this file);
 *  - tables: keywords with their aliases, words that may stand before the
 *    keyword ("Pak", "ketik"), category names, filler words ("ok",
 *    "spasi", "kpm") (grammar_keyword.c), month names and relative dates
 *    (grammar_date.c), province codes (grammar_nik.c);
 *  - readers for the values: the keyword (exact, glued to the id, or a
 *    typo within a small Damerau-Levenshtein distance: grammar_keyword.c),
 *    ids (O read as 0 and l/I as 1 inside digits only, NIK structure:
 *    grammar_nik.c), dates (grammar_date.c);
 *  - one small parser per command that takes the words it needs (this
 *    file).
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

static size_t	grammar_sep_len(const unsigned char *, size_t);
static size_t	grammar_utf8_decode(const unsigned char *, size_t,
		    unsigned long *);
static size_t	grammar_utf8_len(const unsigned char *, size_t);
static size_t	grammar_symbol_tail(const unsigned char *, size_t, size_t);
static int	grammar_has_alnum(const unsigned char *,
		    const struct grammar_token *);
static int	grammar_punct_only(const unsigned char *,
		    const struct grammar_token *);
static enum grammar_shape grammar_shape(const unsigned char *,
		    const struct grammar_token *, int *);
static void	grammar_copy_note(char *, const unsigned char *, size_t,
		    size_t, size_t *);
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
 * Length of the blank at p (n > 0 bytes left), 0 if there is none.
 * Blanks are ASCII white space and NUL, and the UTF-8 of U+00A0 (NBSP),
 * U+2000-U+200F (spaces, zero-width space and joiners, direction marks),
 * U+2028-U+202F (line separators, embeddings, narrow NBSP), U+2060 (word
 * joiner), U+3000 (ideographic space) and U+FEFF (BOM).  Their lead
 * bytes never occur inside another character, so looking for them at
 * every byte of a word cannot cut a valid character in two.
 */
size_t
grammar_blank_len(const unsigned char *p, size_t n)
{
	if (p[0] == '\0' || p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r'))
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (n < 3)
		return 0;
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8f) || (p[2] >= 0xa8 && p[2] <= 0xaf)))
		return 3;
	if ((p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0xa0) ||
	    (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) ||
	    (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf))
		return 3;
	return 0;
}

/*
 * Length of the separator at p (n > 0 bytes left), 0 if p starts a word:
 * a blank, one of # . * , : ; = & + quotes and brackets, a guillemet, a
 * dash (U+2012-U+2015, what autocorrect makes of "-" between words), a
 * curly quote (U+2018-U+201F) or an ellipsis (U+2026, from "...").
 */
static size_t
grammar_sep_len(const unsigned char *p, size_t n)
{
	static const char	punct[] = "#.*,:;=&+<>()[]{}\"'`";
	size_t			k;

	if ((k = grammar_blank_len(p, n)) > 0)
		return k;
	if (memchr(punct, p[0], sizeof(punct) - 1) != NULL)
		return 1;
	if (n >= 2 && p[0] == 0xc2 && (p[1] == 0xab || p[1] == 0xbb))
		return 2;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x92 && p[2] <= 0x95) || (p[2] >= 0x98 &&
	    p[2] <= 0x9f) || p[2] == 0xa6))
		return 3;
	return 0;
}

/*
 * Length of what may stand between an id and the note it is followed
 * by: a separator other than an opening bracket, or - ! ?.
 */
size_t
grammar_note_lead_len(const unsigned char *p, size_t n)
{
	size_t	k;

	if (p[0] == '(' || p[0] == '[' || p[0] == '{' || p[0] == '<')
		return 0;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xab)
		return 0;	/* opening guillemet */
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0x98 || p[2] == 0x9c))
		return 0;	/* opening curly quotes */
	if ((k = grammar_sep_len(p, n)) > 0)
		return k;
	return p[0] == '-' || p[0] == '!' || p[0] == '?';
}

/*
 * The well-formed UTF-8 character at p (n bytes left): its length, with
 * its code point in *cp, or 0 when the bytes there are not one.
 */
static size_t
grammar_utf8_decode(const unsigned char *p, size_t n, unsigned long *cp)
{
	size_t	need, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 2;
		*cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		*cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		*cp = p[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 3 && (*cp < 0x800 || (*cp >= 0xd800 &&
	    *cp <= 0xdfff))) ||
	    (need == 4 && (*cp < 0x10000 || *cp > 0x10ffff)))
		return 0;
	return need;
}

/*
 * Length of the well-formed UTF-8 character at p (n bytes left), or 0
 * when the bytes there are not one.
 */
static size_t
grammar_utf8_len(const unsigned char *p, size_t n)
{
	unsigned long	cp;

	return grammar_utf8_decode(p, n, &cp);
}

/*
 * Length of the emoji or symbol that ends [start, end), 0 if the last
 * character is none: punctuation and symbols U+2010-U+2BFF (but not the
 * superscript and subscript digits U+2070-U+209F, which look like
 * digits), U+2E00-U+2E7F, U+3001-U+303F, variation selectors, emoji
 * U+1F000-U+1FAFF and tag characters.  "12345👍" is the id 12345.
 */
static size_t
grammar_symbol_tail(const unsigned char *s, size_t start, size_t end)
{
	unsigned long	cp;
	size_t		i = end, k;

	while (i > start && end - i < 4) {
		i--;
		if ((s[i] & 0xc0) != 0x80)
			break;
	}
	if (i >= end || s[i] < 0x80)
		return 0;
	k = grammar_utf8_decode(s + i, end - i, &cp);
	if (k != end - i)
		return 0;
	if ((cp >= 0x2010 && cp <= 0x2bff && !(cp >= 0x2070 &&
	    cp <= 0x209f)) || (cp >= 0x2e00 && cp <= 0x2e7f) ||
	    (cp >= 0x3001 && cp <= 0x303f) || (cp >= 0xfe00 &&
	    cp <= 0xfe0f) || (cp >= 0x1f000 && cp <= 0x1faff) ||
	    (cp >= 0xe0000 && cp <= 0xe007f))
		return k;
	return 0;
}

/* 3 when a fullwidth digit (U+FF10-U+FF19) is at p, n bytes left. */
size_t
grammar_wide_digit(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 &&
	    p[2] <= 0x99)
		return 3;
	return 0;
}

/* Whether a word holds any ASCII letter or digit. */
static int
grammar_has_alnum(const unsigned char *text, const struct grammar_token *t)
{
	size_t	i;

	for (i = t->start; i < t->end; i++)
		if (grammar_is_alnum(text[i]))
			return 1;
	return 0;
}

/* Whether a word is nothing but ASCII punctuation: "-", "/", "+". */
static int
grammar_punct_only(const unsigned char *text, const struct grammar_token *t)
{
	size_t	i;

	for (i = t->start; i < t->end; i++)
		if (text[i] <= 0x20 || text[i] >= 0x7f ||
		    grammar_is_alnum(text[i]))
			return 0;
	return 1;
}

/*
 * The next word, or 0 at the end.  Trailing '!', '?' and emoji are
 * dropped ("GRAD 12345!", "GRAD 12345👍"), but a word of nothing but '!'
 * and '?' that holds a '?' is the word "?" (help); one of only '!' is
 * skipped like a separator; one that holds an emoji stays a word.
 */
int
grammar_next(struct grammar_lexer *lx, struct grammar_token *t)
{
	const unsigned char	*s = lx->text;
	size_t			 n, i, e, k;
	int			 symbol = 0;

	for (;;) {
		while (lx->pos < lx->len &&
		    (n = grammar_sep_len(s + lx->pos, lx->len - lx->pos)) > 0)
			lx->pos += n;
		if (lx->pos >= lx->len)
			return 0;
		t->start = lx->pos;
		while (lx->pos < lx->len &&
		    grammar_sep_len(s + lx->pos, lx->len - lx->pos) == 0)
			lx->pos++;
		t->raw_end = e = lx->pos;
		for (;;) {
			if (e > t->start && (s[e - 1] == '!' ||
			    s[e - 1] == '?'))
				e--;
			else if ((k = grammar_symbol_tail(s, t->start,
			    e)) > 0) {
				e -= k;
				symbol = 1;
			} else
				break;
		}
		if (e > t->start) {
			t->end = e;
			return 1;
		}
		if (symbol) {
			/* Nothing but emoji (and ! ?): an emoji word. */
			for (e = t->raw_end; e > t->start &&
			    (s[e - 1] == '!' || s[e - 1] == '?'); e--)
				;
			t->end = e;
			return 1;
		}
		for (i = t->start; i < t->raw_end; i++) {
			if (s[i] == '?') {
				t->start = i;
				t->end = i + 1;
				return 1;
			}
		}
	}
}

/*
 * Classify a word; *has_digit tells whether any digit, ASCII or
 * fullwidth, is in it.
 */
static enum grammar_shape
grammar_shape(const unsigned char *text, const struct grammar_token *t,
    int *has_digit)
{
	size_t	i, k, digits = 0, letters = 0, other = 0;

	for (i = t->start; i < t->end; i++) {
		if (grammar_is_digit(text[i]))
			digits++;
		else if (grammar_is_alpha(text[i]))
			letters++;
		else if ((k = grammar_wide_digit(text + i,
		    t->end - i)) > 0) {
			digits++;
			i += k - 1;
		} else
			other++;
	}
	*has_digit = digits > 0;
	if (other > 0)
		return GRAMMAR_SHAPE_OTHER;
	if (letters == 0)
		return GRAMMAR_SHAPE_DIGITS;
	return digits == 0 ? GRAMMAR_SHAPE_LETTERS : GRAMMAR_SHAPE_ALNUM;
}

/* Whether the n bytes at s spell word (upper-case ASCII), any case. */
int
grammar_word_is(const unsigned char *s, size_t n, const char *word)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		unsigned char	c = s[i];

		if (word[i] == '\0')
			return 0;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c != (unsigned char)word[i])
			return 0;
	}
	return word[n] == '\0';
}

/* Whether the n bytes at s are one of the nwords words, any case. */
int
grammar_in_list(const unsigned char *s, size_t n, const char *const *words,
    size_t nwords)
{
	size_t	i;

	for (i = 0; i < nwords; i++)
		if (grammar_word_is(s, n, words[i]))
			return 1;
	return 0;
}

/*
 * Copy [start, end) of s into dst (size dstsz) as printable ASCII: any
 * other byte sequence (a UTF-8 character, an invalid byte, a control)
 * becomes a single '?'; cut at dstsz - 1 characters.
 */
void
grammar_copy_ascii(char *dst, size_t dstsz, const unsigned char *s,
    size_t start, size_t end)
{
	size_t	i = start, o = 0, n;

	while (i < end && o + 1 < dstsz) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			dst[o++] = (char)s[i++];
			continue;
		}
		dst[o++] = '?';
		n = grammar_utf8_len(s + i, end - i);
		i += n > 0 ? n : 1;
	}
	dst[o] = '\0';
}

/*
 * Keep the offending word for the reply, printable ASCII.  Whatever the
 * error, a word that could be a NIK (16 digits, O, l or I) is masked:
 * a message that starts with one, "BATAL 3527...".
 */
void
grammar_set_token(struct grammar_result *out, const unsigned char *s,
    size_t start, size_t end)
{
	size_t	i;

	if (end - start == GRAMMAR_NIK_LEN) {
		for (i = start; i < end && (grammar_is_digit(s[i]) ||
		    s[i] == 'O' || s[i] == 'o' || s[i] == 'I' ||
		    s[i] == 'l'); i++)
			;
		if (i == end) {
			grammar_set_masked(out, s, start, end, NULL);
			return;
		}
	}
	grammar_copy_ascii(out->token, sizeof(out->token), s, start, end);
}

/*
 * The visit note: the message after the id as typed, made safe to store
 * and show.  What stands between the id and the note (separators, closing
 * brackets, - ! ?) goes; every run of blanks, controls and zero-width
 * characters becomes one space; invalid UTF-8 becomes U+FFFD; trailing
 * blanks go.  The result is cut at GRAMMAR_NOTE_MAX bytes, never inside
 * a character.  *mark_out (when not NULL) receives where in the note
 * the input from byte mark on begins (strlen(note) if it was cut before).
 */
static void
grammar_copy_note(char *note, const unsigned char *s, size_t n, size_t mark,
    size_t *mark_out)
{
	static const char	repl[] = "\xef\xbf\xbd";
	size_t			i = 0, o = 0, k;
	int			space = 0, marked = 0;

	while (i < n && (k = grammar_note_lead_len(s + i, n - i)) > 0)
		i += k;
	while (i < n) {
		if ((k = grammar_blank_len(s + i, n - i)) > 0 ||
		    s[i] < 0x20 || s[i] == 0x7f) {
			/* Remembered, written before the next character. */
			space = 1;
			i += k > 0 ? k : 1;
			continue;
		}
		k = grammar_utf8_len(s + i, n - i);
		if (o + (size_t)space + (k > 0 ? k : 3) > GRAMMAR_NOTE_MAX)
			break;
		if (space)
			note[o++] = ' ';
		space = 0;
		if (!marked && i >= mark) {
			marked = 1;
			if (mark_out != NULL)
				*mark_out = o;
		}
		if (k > 0) {
			memcpy(note + o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(note + o, repl, 3);
			o += 3;
			i++;
		}
	}
	note[o] = '\0';
	if (!marked && mark_out != NULL)
		*mark_out = o;
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
