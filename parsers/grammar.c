/*
 * grammar.c: what a companion's SMS means.
 *
 * Three layers, each of which can grow on its own:
 *  - a lexer cutting the bytes into words at separators: runs of blanks,
 *    of # . * , : ; = quotes and brackets, NUL bytes, and the Unicode
 *    blanks that phones and copy-paste insert (NBSP, zero-width spaces,
 *    BOM, curly quotes);
 *  - tables: keywords with their aliases, category names, and filler
 *    words ("ok", "spasi", "kpm") that carry no meaning;
 *  - one small parser per command that takes the words it needs.
 * Typo tolerance (GARD, KUNG) and O-for-0 in ids are meant to go into the
 * keyword lookup and grammar_add_id() respectively.
 *
 * Nothing here allocates or does I/O, and every byte is read within
 * [text, text + len), whatever the bytes are.
 */
#include <stddef.h>
#include <string.h>

#include "grammar.h"

struct grammar_lexer {
	const unsigned char	*text;
	size_t			 len;
	size_t			 pos;	/* next byte to look at */
};

/* A word: [start, end) with trailing ! and ? dropped; raw_end is past them. */
struct grammar_token {
	size_t	start;
	size_t	end;
	size_t	raw_end;
};

/* What a word is made of, as far as the commands care. */
enum grammar_shape {
	GRAMMAR_SHAPE_DIGITS,	/* ASCII digits only */
	GRAMMAR_SHAPE_LETTERS,	/* ASCII letters only */
	GRAMMAR_SHAPE_ALNUM,	/* ASCII letters and digits */
	GRAMMAR_SHAPE_OTHER	/* anything else: punctuation, UTF-8 */
};

struct grammar_keyword {
	const char		*word;
	enum grammar_cmd	 cmd;
};

static const struct grammar_keyword grammar_keywords[] = {
	{ "GRAD",	GRAMMAR_CMD_GRAD },
	{ "GRADUASI",	GRAMMAR_CMD_GRAD },
	{ "LULUS",	GRAMMAR_CMD_GRAD },
	{ "GRD",	GRAMMAR_CMD_GRAD },
	{ "KUNJ",	GRAMMAR_CMD_KUNJ },
	{ "KUNJUNGAN",	GRAMMAR_CMD_KUNJ },
	{ "KJ",		GRAMMAR_CMD_KUNJ },
	{ "VISIT",	GRAMMAR_CMD_KUNJ },
	{ "STATUS",	GRAMMAR_CMD_STATUS },
	{ "CEK",	GRAMMAR_CMD_STATUS },
	{ "INFO",	GRAMMAR_CMD_STATUS },
	{ "SKOR",	GRAMMAR_CMD_STATUS },
	{ "BATAL",	GRAMMAR_CMD_BATAL },
	{ "HAPUS",	GRAMMAR_CMD_BATAL },
	{ "UNDO",	GRAMMAR_CMD_BATAL },
	{ "BANTUAN",	GRAMMAR_CMD_BANTUAN },
	{ "HELP",	GRAMMAR_CMD_BANTUAN },
	{ "?",		GRAMMAR_CMD_BANTUAN },
	{ "FORMAT",	GRAMMAR_CMD_BANTUAN },
	{ "STOP",	GRAMMAR_CMD_STOP },
	{ "BERHENTI",	GRAMMAR_CMD_STOP },
	{ "UNREG",	GRAMMAR_CMD_STOP },
	{ "MULAI",	GRAMMAR_CMD_MULAI },
	{ "START",	GRAMMAR_CMD_MULAI },
};

struct grammar_catword {
	const char		*word;
	enum grammar_category	 cat;
};

static const struct grammar_catword grammar_categories[] = {
	{ "SM",		GRAMMAR_CAT_SM },
	{ "SEJAHTERA",	GRAMMAR_CAT_SM },
	{ "MANDIRI",	GRAMMAR_CAT_SM },
	{ "AL",		GRAMMAR_CAT_AL },
	{ "ALAMI",	GRAMMAR_CAT_AL },
	{ "ALAMIAH",	GRAMMAR_CAT_AL },
	{ "PK",		GRAMMAR_CAT_PK },
	{ "PAKSA",	GRAMMAR_CAT_PK },
};

/*
 * Words that mean nothing to a command.  Instructions copied literally
 * ("GRAD (spasi) 12345 (spasi) SM", "GRAD KPM 12345", "BATAL ref G4M8")
 * are skipped wherever they stand.  Courtesy ("ok", "makasih", "yang
 * terakhir") is skipped before the first argument, and after an id it
 * ends the part of the message that matters: "GRAD 12345 ok 2" is one id.
 */
enum grammar_filler_kind {
	GRAMMAR_FILL_NONE = 0,
	GRAMMAR_FILL_INSTRUCTION,
	GRAMMAR_FILL_COURTESY
};

struct grammar_fillword {
	const char			*word;
	enum grammar_filler_kind	 kind;
};

static const struct grammar_fillword grammar_fillers[] = {
	{ "SPASI",	GRAMMAR_FILL_INSTRUCTION },
	{ "SPACE",	GRAMMAR_FILL_INSTRUCTION },
	{ "KPM",	GRAMMAR_FILL_INSTRUCTION },
	{ "ID",		GRAMMAR_FILL_INSTRUCTION },
	{ "NO",		GRAMMAR_FILL_INSTRUCTION },
	{ "NOMOR",	GRAMMAR_FILL_INSTRUCTION },
	{ "NOMER",	GRAMMAR_FILL_INSTRUCTION },
	{ "KATEGORI",	GRAMMAR_FILL_INSTRUCTION },
	{ "REF",	GRAMMAR_FILL_INSTRUCTION },
	{ "KODE",	GRAMMAR_FILL_INSTRUCTION },
	{ "OK",		GRAMMAR_FILL_COURTESY },
	{ "OKE",	GRAMMAR_FILL_COURTESY },
	{ "OKAY",	GRAMMAR_FILL_COURTESY },
	{ "YA",		GRAMMAR_FILL_COURTESY },
	{ "SIP",	GRAMMAR_FILL_COURTESY },
	{ "TQ",		GRAMMAR_FILL_COURTESY },
	{ "TKS",	GRAMMAR_FILL_COURTESY },
	{ "THX",	GRAMMAR_FILL_COURTESY },
	{ "THANKS",	GRAMMAR_FILL_COURTESY },
	{ "MAKASIH",	GRAMMAR_FILL_COURTESY },
	{ "TERIMA",	GRAMMAR_FILL_COURTESY },
	{ "KASIH",	GRAMMAR_FILL_COURTESY },
	{ "TERIMAKASIH", GRAMMAR_FILL_COURTESY },
	{ "YANG",	GRAMMAR_FILL_COURTESY },
	{ "TADI",	GRAMMAR_FILL_COURTESY },
	{ "TERAKHIR",	GRAMMAR_FILL_COURTESY },
	{ "LAST",	GRAMMAR_FILL_COURTESY },
	{ "SALAH",	GRAMMAR_FILL_COURTESY },
};

#define GRAMMAR_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Ids of 1 to 20 digits unless the configuration says otherwise. */
#define GRAMMAR_ID_MIN_DEFAULT	1
#define GRAMMAR_ID_MAX_DEFAULT	20

/* Unknown words this short after GRAD look like a mistyped category. */
#define GRAMMAR_CATLIKE_MAX	3

static size_t	grammar_blank_len(const unsigned char *, size_t);
static size_t	grammar_sep_len(const unsigned char *, size_t);
static size_t	grammar_note_lead_len(const unsigned char *, size_t);
static int	grammar_has_alnum(const unsigned char *,
		    const struct grammar_token *);
static int	grammar_next(struct grammar_lexer *, struct grammar_token *);
static enum grammar_shape grammar_shape(const unsigned char *,
		    const struct grammar_token *, int *);
static int	grammar_word_is(const unsigned char *, size_t, const char *);
static int	grammar_keyword(const unsigned char *, size_t,
		    enum grammar_cmd *);
static int	grammar_category(const unsigned char *, size_t,
		    enum grammar_category *);
static enum grammar_filler_kind grammar_filler(const unsigned char *,
		    size_t);
static int	grammar_first(struct grammar_lexer *, struct grammar_token *,
		    enum grammar_cmd *);
static void	grammar_set_token(struct grammar_result *,
		    const unsigned char *, size_t, size_t);
static enum grammar_error grammar_add_id(struct grammar_result *,
		    const unsigned char *, const struct grammar_token *,
		    const struct grammar_options *);
static size_t	grammar_utf8_len(const unsigned char *, size_t);
static void	grammar_copy_note(char *, const unsigned char *, size_t);
static enum grammar_error grammar_grad(struct grammar_lexer *,
		    const struct grammar_options *, struct grammar_result *);
static enum grammar_error grammar_kunj(struct grammar_lexer *,
		    const struct grammar_options *, struct grammar_result *);
static enum grammar_error grammar_batal(struct grammar_lexer *,
		    struct grammar_result *);

void
grammar_options_default(struct grammar_options *o)
{
	o->id_min_len = GRAMMAR_ID_MIN_DEFAULT;
	o->id_max_len = GRAMMAR_ID_MAX_DEFAULT;
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
static size_t
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
 * a blank, one of # . * , : ; = quotes and brackets, or a curly quote
 * (U+2018-U+201F).
 */
static size_t
grammar_sep_len(const unsigned char *p, size_t n)
{
	static const char	punct[] = "#.*,:;=<>()[]{}\"'`";
	size_t			k;

	if ((k = grammar_blank_len(p, n)) > 0)
		return k;
	if (memchr(punct, p[0], sizeof(punct) - 1) != NULL)
		return 1;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x98 &&
	    p[2] <= 0x9f)
		return 3;
	return 0;
}

/*
 * Length of what may stand between an id and the note it is followed
 * by: a separator other than an opening bracket, or - ! ?.
 */
static size_t
grammar_note_lead_len(const unsigned char *p, size_t n)
{
	size_t	k;

	if (p[0] == '(' || p[0] == '[' || p[0] == '{' || p[0] == '<')
		return 0;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0x98 || p[2] == 0x9c))
		return 0;	/* opening curly quotes */
	if ((k = grammar_sep_len(p, n)) > 0)
		return k;
	return p[0] == '-' || p[0] == '!' || p[0] == '?';
}

/*
 * The next word, or 0 at the end.  Trailing '!' and '?' are dropped
 * ("GRAD 12345!"), but a word of nothing but them that holds a '?' is
 * the word "?" (help); one of only '!' is skipped like a separator.
 */
static int
grammar_next(struct grammar_lexer *lx, struct grammar_token *t)
{
	size_t	n, i;

	for (;;) {
		while (lx->pos < lx->len &&
		    (n = grammar_sep_len(lx->text + lx->pos,
		    lx->len - lx->pos)) > 0)
			lx->pos += n;
		if (lx->pos >= lx->len)
			return 0;
		t->start = lx->pos;
		while (lx->pos < lx->len &&
		    grammar_sep_len(lx->text + lx->pos,
		    lx->len - lx->pos) == 0)
			lx->pos++;
		t->raw_end = t->end = lx->pos;
		while (t->end > t->start && (lx->text[t->end - 1] == '!' ||
		    lx->text[t->end - 1] == '?'))
			t->end--;
		if (t->end > t->start)
			return 1;
		for (i = t->start; i < t->raw_end; i++) {
			if (lx->text[i] == '?') {
				t->start = i;
				t->end = i + 1;
				return 1;
			}
		}
	}
}

/* Classify a word; *has_digit tells whether any ASCII digit is in it. */
static enum grammar_shape
grammar_shape(const unsigned char *text, const struct grammar_token *t,
    int *has_digit)
{
	size_t	i, digits = 0, letters = 0;

	for (i = t->start; i < t->end; i++) {
		if (text[i] >= '0' && text[i] <= '9')
			digits++;
		else if ((text[i] | 0x20) >= 'a' && (text[i] | 0x20) <= 'z')
			letters++;
	}
	*has_digit = digits > 0;
	if (digits + letters != t->end - t->start)
		return GRAMMAR_SHAPE_OTHER;
	if (letters == 0)
		return GRAMMAR_SHAPE_DIGITS;
	return digits == 0 ? GRAMMAR_SHAPE_LETTERS : GRAMMAR_SHAPE_ALNUM;
}

/* Whether a word holds any ASCII letter or digit. */
static int
grammar_has_alnum(const unsigned char *text, const struct grammar_token *t)
{
	size_t	i;

	for (i = t->start; i < t->end; i++)
		if ((text[i] >= '0' && text[i] <= '9') ||
		    ((text[i] | 0x20) >= 'a' && (text[i] | 0x20) <= 'z'))
			return 1;
	return 0;
}

/* Whether the n bytes at s spell word (upper-case ASCII), any case. */
static int
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

static int
grammar_keyword(const unsigned char *s, size_t n, enum grammar_cmd *cmd)
{
	size_t	i;

	for (i = 0; i < GRAMMAR_NELEM(grammar_keywords); i++) {
		if (grammar_word_is(s, n, grammar_keywords[i].word)) {
			*cmd = grammar_keywords[i].cmd;
			return 1;
		}
	}
	return 0;
}

static int
grammar_category(const unsigned char *s, size_t n, enum grammar_category *c)
{
	size_t	i;

	for (i = 0; i < GRAMMAR_NELEM(grammar_categories); i++) {
		if (grammar_word_is(s, n, grammar_categories[i].word)) {
			*c = grammar_categories[i].cat;
			return 1;
		}
	}
	return 0;
}

static enum grammar_filler_kind
grammar_filler(const unsigned char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < GRAMMAR_NELEM(grammar_fillers); i++)
		if (grammar_word_is(s, n, grammar_fillers[i].word))
			return grammar_fillers[i].kind;
	return GRAMMAR_FILL_NONE;
}

/*
 * The keyword.  A word that is no keyword may still start with one
 * glued to the id: "GRAD12345", "KJ-12345", "GRADUASI_12345".  The
 * letters before the first non-letter are looked up and, if they are a
 * keyword followed (after any - _ / +) by a digit, the lexer is moved
 * back to that digit so the id becomes the next word.
 */
static int
grammar_first(struct grammar_lexer *lx, struct grammar_token *t,
    enum grammar_cmd *cmd)
{
	const unsigned char	*s = lx->text;
	size_t			 k, d;

	if (grammar_keyword(s + t->start, t->end - t->start, cmd))
		return 1;
	for (k = t->start; k < t->end && (s[k] | 0x20) >= 'a' &&
	    (s[k] | 0x20) <= 'z'; k++)
		;
	for (d = k; d < t->end && (s[d] == '-' || s[d] == '_' ||
	    s[d] == '/' || s[d] == '+'); d++)
		;
	if (k == t->start || d == t->end || s[d] < '0' || s[d] > '9' ||
	    !grammar_keyword(s + t->start, k - t->start, cmd))
		return 0;
	t->end = t->raw_end = k;
	lx->pos = d;
	return 1;
}

/*
 * Keep the offending word for the reply: printable ASCII as typed, any
 * other byte sequence (a UTF-8 character, an invalid byte, a control)
 * shown as a single '?', cut at GRAMMAR_TOKEN_MAX characters.
 */
static void
grammar_set_token(struct grammar_result *out, const unsigned char *s,
    size_t start, size_t end)
{
	size_t	i = start, o = 0, n;

	while (i < end && o < GRAMMAR_TOKEN_MAX) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			out->token[o++] = (char)s[i++];
			continue;
		}
		out->token[o++] = '?';
		n = grammar_utf8_len(s + i, end - i);
		i += n > 0 ? n : 1;
	}
	out->token[o] = '\0';
}

/*
 * Append the word t as an id.  All digits, within the configured length
 * (and GRAMMAR_ID_MAX), at most GRAMMAR_IDS_MAX of them; otherwise the
 * word becomes the token of GRAMMAR_E_BAD_ID.  Ids are kept as typed,
 * leading zeros included.
 */
static enum grammar_error
grammar_add_id(struct grammar_result *out, const unsigned char *s,
    const struct grammar_token *t, const struct grammar_options *opt)
{
	size_t	n = t->end - t->start, i;
	int	max = opt->id_max_len;

	if (max > GRAMMAR_ID_MAX)
		max = GRAMMAR_ID_MAX;
	for (i = t->start; i < t->end; i++)
		if (s[i] < '0' || s[i] > '9')
			break;
	if (i < t->end || out->n_ids >= GRAMMAR_IDS_MAX ||
	    n < (size_t)(opt->id_min_len > 1 ? opt->id_min_len : 1) ||
	    max < 1 || n > (size_t)max) {
		grammar_set_token(out, s, t->start, t->end);
		return GRAMMAR_E_BAD_ID;
	}
	memcpy(out->ids[out->n_ids], s + t->start, n);
	out->ids[out->n_ids][n] = '\0';
	out->n_ids++;
	return GRAMMAR_OK;
}

/*
 * Length of the well-formed UTF-8 character at p (n bytes left), or 0
 * when the bytes there are not one.
 */
static size_t
grammar_utf8_len(const unsigned char *p, size_t n)
{
	size_t		need, i;
	unsigned long	cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

/*
 * The visit note: the message after the id as typed, made safe to store
 * and show.  What stands between the id and the note (separators, closing
 * brackets, - ! ?) goes; every run of blanks, controls and zero-width
 * characters becomes one space; invalid UTF-8 becomes U+FFFD; trailing
 * blanks go.  The result is cut at GRAMMAR_NOTE_MAX bytes, never inside
 * a character.
 */
static void
grammar_copy_note(char *note, const unsigned char *s, size_t n)
{
	static const char	repl[] = "\xef\xbf\xbd";
	size_t			i = 0, o = 0, k;
	int			space = 0;

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
}

/*
 * GRAD: ids, in order, and at most one category, before or after them.
 * How each word is taken:
 *  - digits: an id; digits glued to a category ("12345SM") are split;
 *  - a category name (SM, AL, PK, or SEJAHTERA, MANDIRI, ALAMI(AH),
 *    PAKSA): the category; a second, different one is an error;
 *  - an instruction word ("spasi", "kpm", "kategori"): skipped;
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
	size_t			 n, d;
	int			 has_digit;

	while (grammar_next(lx, &t)) {
		n = t.end - t.start;
		shape = grammar_shape(s, &t, &has_digit);
		if (shape == GRAMMAR_SHAPE_ALNUM) {
			for (d = t.start; s[d] >= '0' && s[d] <= '9'; d++)
				;
			if (d > t.start &&
			    grammar_category(s + d, t.end - d, &cat)) {
				lx->pos = d;	/* the category is next */
				t.end = t.raw_end = d;
				shape = GRAMMAR_SHAPE_DIGITS;
			}
		}
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
		if (fill == GRAMMAR_FILL_INSTRUCTION)
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
 * KUNJ: one id, then the note.  Before the id only fillers and words
 * that are not plain ASCII words (an emoji) may come: the note cannot
 * start before the id, so "KUNJ rumah 12345" has no id.  Everything
 * after the id, digits included, is the note.
 */
static enum grammar_error
grammar_kunj(struct grammar_lexer *lx, const struct grammar_options *opt,
    struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	struct grammar_token	 t;
	enum grammar_shape	 shape;
	enum grammar_error	 e;
	int			 has_digit;

	while (grammar_next(lx, &t)) {
		shape = grammar_shape(s, &t, &has_digit);
		if (has_digit) {
			if ((e = grammar_add_id(out, s, &t, opt)) != GRAMMAR_OK)
				return e;
			grammar_copy_note(out->note, s + t.raw_end,
			    lx->len - t.raw_end);
			return GRAMMAR_OK;
		}
		if (shape == GRAMMAR_SHAPE_LETTERS &&
		    grammar_filler(s + t.start, t.end - t.start) ==
		    GRAMMAR_FILL_NONE)
			break;
	}
	return GRAMMAR_E_NO_ID;
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

/*
 * On an error out->cmd still names the command whose arguments were
 * wrong (GRAMMAR_CMD_NONE for E_EMPTY and E_KEYWORD) so the reply can
 * show the right example; ids, ref and note are cleared.
 */
int
grammar_parse(const char *text, size_t len, const struct grammar_options *o,
    struct grammar_result *out)
{
	struct grammar_options	 defaults;
	struct grammar_lexer	 lx;
	struct grammar_token	 t;
	enum grammar_cmd	 cmd = GRAMMAR_CMD_NONE;
	enum grammar_error	 e = GRAMMAR_OK;

	memset(out, 0, sizeof(*out));
	out->cmd = GRAMMAR_CMD_NONE;
	out->category = GRAMMAR_CAT_SM;
	if (o == NULL) {
		grammar_options_default(&defaults);
		o = &defaults;
	}
	lx.text = (const unsigned char *)text;
	lx.len = text != NULL ? len : 0;
	lx.pos = 0;

	if (!grammar_next(&lx, &t))
		e = GRAMMAR_E_EMPTY;
	else if (!grammar_first(&lx, &t, &cmd)) {
		grammar_set_token(out, lx.text, t.start, t.end);
		e = GRAMMAR_E_KEYWORD;
	} else {
		out->cmd = cmd;
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
		default:
			/* STATUS, BANTUAN, STOP, MULAI: the rest is chat. */
			break;
		}
	}

	out->error = e;
	if (e == GRAMMAR_OK) {
		out->token[0] = '\0';
		return 0;
	}
	out->n_ids = 0;
	memset(out->ids, 0, sizeof(out->ids));
	out->category = GRAMMAR_CAT_SM;
	out->category_given = 0;
	out->ref[0] = '\0';
	out->note[0] = '\0';
	return -1;
}

const char *
grammar_category_name(enum grammar_category c)
{
	switch (c) {
	case GRAMMAR_CAT_SM:
		return "SM";
	case GRAMMAR_CAT_AL:
		return "AL";
	case GRAMMAR_CAT_PK:
		return "PK";
	}
	return "?";
}

const char *
grammar_cmd_name(enum grammar_cmd c)
{
	switch (c) {
	case GRAMMAR_CMD_NONE:
		return "NONE";
	case GRAMMAR_CMD_GRAD:
		return "GRAD";
	case GRAMMAR_CMD_KUNJ:
		return "KUNJ";
	case GRAMMAR_CMD_STATUS:
		return "STATUS";
	case GRAMMAR_CMD_BATAL:
		return "BATAL";
	case GRAMMAR_CMD_BANTUAN:
		return "BANTUAN";
	case GRAMMAR_CMD_STOP:
		return "STOP";
	case GRAMMAR_CMD_MULAI:
		return "MULAI";
	}
	return "?";
}
