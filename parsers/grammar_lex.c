/*
 * grammar_lex.c: the lexer of the grammar, and text copied out of an SMS.
 *
 * The message is cut into words at separators: runs of blanks, of
 * # . * , : ; = & + quotes and brackets, NUL bytes, and the Unicode
 * blanks and marks that phones and copy-paste insert (NBSP, zero-width
 * spaces, BOM, curly quotes, dashes, ellipsis); an emoji glued to the
 * end of a word is cut off like a trailing '!'.  Here too are what a
 * word is made of (its shape), the comparison of words with the tables,
 * and the copies of the message that leave the grammar: the offending
 * word for a reply (printable ASCII) and the note of a visit (UTF-8).
 *
 * Every byte is read within [text, text + len), whatever the bytes are.
 */
#include <stddef.h>
#include <string.h>

#include "grammar.h"
#include "grammar_internal.h"

static size_t	grammar_sep_len(const unsigned char *, size_t);
static size_t	grammar_utf8_decode(const unsigned char *, size_t,
		    unsigned long *);
static size_t	grammar_utf8_len(const unsigned char *, size_t);
static size_t	grammar_symbol_tail(const unsigned char *, size_t, size_t);

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
int
grammar_has_alnum(const unsigned char *text, const struct grammar_token *t)
{
	size_t	i;

	for (i = t->start; i < t->end; i++)
		if (grammar_is_alnum(text[i]))
			return 1;
	return 0;
}

/* Whether a word is nothing but ASCII punctuation: "-", "/", "+". */
int
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
enum grammar_shape
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
void
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
