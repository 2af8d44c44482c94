/*
 * grammar_keyword.c: the words the grammar knows by heart.
 *
 * The command word: keywords and their aliases, the greetings and
 * instruction words that may stand before it, and typos of it, found
 * with a small Damerau-Levenshtein distance (GARD is GRAD; a word as
 * close to two commands is an ambiguity, never a guess).  And the words
 * a command meets after it: category names and fillers.
 */
#include <stddef.h>
#include <string.h>

#include "grammar.h"
#include "grammar_internal.h"

struct grammar_keyword {
	const char		*word;
	enum grammar_cmd	 cmd;
};

/*
 * Keywords and aliases: domain.md's table, the short forms companions
 * write without vowels (GRD, KNJ, BTL), and what phone keyboards
 * autocorrect them to (GRADE, GRADASI, KUNG, KUNJUNGI).  Anything else
 * is a typo, handled by grammar_fuzzy().  None may exceed
 * GRAMMAR_FUZZY_MAX letters.
 */
static const struct grammar_keyword grammar_keywords[] = {
	{ "GRAD",	GRAMMAR_CMD_GRAD },
	{ "GRADUASI",	GRAMMAR_CMD_GRAD },
	{ "LULUS",	GRAMMAR_CMD_GRAD },
	{ "GRD",	GRAMMAR_CMD_GRAD },
	{ "GRADE",	GRAMMAR_CMD_GRAD },
	{ "GRADASI",	GRAMMAR_CMD_GRAD },
	{ "GRADUATE",	GRAMMAR_CMD_GRAD },
	{ "GRADUATION",	GRAMMAR_CMD_GRAD },
	{ "KELULUSAN",	GRAMMAR_CMD_GRAD },
	{ "KUNJ",	GRAMMAR_CMD_KUNJ },
	{ "KUNJUNGAN",	GRAMMAR_CMD_KUNJ },
	{ "KJ",		GRAMMAR_CMD_KUNJ },
	{ "VISIT",	GRAMMAR_CMD_KUNJ },
	{ "KUNG",	GRAMMAR_CMD_KUNJ },
	{ "KNJ",	GRAMMAR_CMD_KUNJ },
	{ "KUNJUNG",	GRAMMAR_CMD_KUNJ },
	{ "KUNJUNGI",	GRAMMAR_CMD_KUNJ },
	{ "STATUS",	GRAMMAR_CMD_STATUS },
	{ "CEK",	GRAMMAR_CMD_STATUS },
	{ "INFO",	GRAMMAR_CMD_STATUS },
	{ "SKOR",	GRAMMAR_CMD_STATUS },
	{ "STAT",	GRAMMAR_CMD_STATUS },
	{ "SCORE",	GRAMMAR_CMD_STATUS },
	{ "CHECK",	GRAMMAR_CMD_STATUS },
	{ "CAPAIAN",	GRAMMAR_CMD_STATUS },
	{ "REKAP",	GRAMMAR_CMD_STATUS },
	{ "BATAL",	GRAMMAR_CMD_BATAL },
	{ "HAPUS",	GRAMMAR_CMD_BATAL },
	{ "UNDO",	GRAMMAR_CMD_BATAL },
	{ "BATALKAN",	GRAMMAR_CMD_BATAL },
	{ "BATALIN",	GRAMMAR_CMD_BATAL },
	{ "BTL",	GRAMMAR_CMD_BATAL },
	{ "CANCEL",	GRAMMAR_CMD_BATAL },
	{ "BANTUAN",	GRAMMAR_CMD_BANTUAN },
	{ "HELP",	GRAMMAR_CMD_BANTUAN },
	{ "?",		GRAMMAR_CMD_BANTUAN },
	{ "FORMAT",	GRAMMAR_CMD_BANTUAN },
	{ "BANTU",	GRAMMAR_CMD_BANTUAN },
	{ "TOLONG",	GRAMMAR_CMD_BANTUAN },
	{ "PANDUAN",	GRAMMAR_CMD_BANTUAN },
	{ "MENU",	GRAMMAR_CMD_BANTUAN },
	{ "STOP",	GRAMMAR_CMD_STOP },
	{ "BERHENTI",	GRAMMAR_CMD_STOP },
	{ "UNREG",	GRAMMAR_CMD_STOP },
	{ "MULAI",	GRAMMAR_CMD_MULAI },
	{ "START",	GRAMMAR_CMD_MULAI },
	{ "P2K2",	GRAMMAR_CMD_P2K2 },
};

/*
 * Words that may come before the keyword and mean nothing: greetings and
 * forms of address ("Selamat pagi Pak, GRAD 12345"), and the words of a
 * copied instruction ("Ketik GRAD 12345", "REG GRAD 12345", "Format:
 * GRAD 12345").  At most GRAMMAR_PREFIX_MAX of them are skipped, and
 * only when a keyword follows; otherwise the first word is read alone
 * ("FORMAT" is help).
 */
static const char *const grammar_prefixes[] = {
	"REG", "KETIK", "KTK", "SMS", "KIRIM",
	"HALO", "HALLO", "HAI", "HI", "HELLO", "SELAMAT", "PAGI", "SIANG",
	"SORE", "MALAM", "ASSALAMUALAIKUM", "ASSALAMMUALAIKUM", "PAK",
	"BU", "BPK", "BAPAK", "IBU", "MAS", "MBAK", "KAK", "MIN", "ADMIN",
	"MAAF", "MOHON", "IZIN", "IJIN", "FORMAT", "CONTOH",
};

#define GRAMMAR_PREFIX_MAX	4

/*
 * The command words that may follow an id typed first ("12345 GRAD"),
 * exactly or within one edit: the keywords and the forms that are no
 * ordinary words.  "2 lulus tahun ini", "3 kunjungan", "5 graduasi" are
 * counts in a sentence, not an id and its command.
 */
static const struct grammar_keyword grammar_lead_words[] = {
	{ "GRAD",	GRAMMAR_CMD_GRAD },
	{ "GRD",	GRAMMAR_CMD_GRAD },
	{ "GRADE",	GRAMMAR_CMD_GRAD },
	{ "GRADASI",	GRAMMAR_CMD_GRAD },
	{ "KUNJ",	GRAMMAR_CMD_KUNJ },
	{ "KNJ",	GRAMMAR_CMD_KUNJ },
	{ "KJ",		GRAMMAR_CMD_KUNJ },
	{ "KUNG",	GRAMMAR_CMD_KUNJ },
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
 * ("GRAD (spasi) 12345 (spasi) SM", "GRAD KPM 12345", "BATAL ref G4M8",
 * "KUNJ 12345 tgl 12/05") and the joining "dan" are skipped wherever
 * they stand.  Courtesy ("ok", "makasih", "yang terakhir") is skipped
 * before the first argument, and after an id it ends the part of the
 * message that matters: "GRAD 12345 ok 2" is one id.  Short words that
 * could be a mistyped category (PAK for PK, ALM) are deliberately not
 * here: those get GRAMMAR_E_CATEGORY.
 */
struct grammar_fillword {
	const char			*word;
	enum grammar_filler_kind	 kind;
};

static const struct grammar_fillword grammar_fillers[] = {
	{ "SPASI",	GRAMMAR_FILL_INSTRUCTION },
	{ "SPACE",	GRAMMAR_FILL_INSTRUCTION },
	{ "KPM",	GRAMMAR_FILL_INSTRUCTION },
	{ "ID",		GRAMMAR_FILL_INSTRUCTION },
	{ "NIK",	GRAMMAR_FILL_INSTRUCTION },
	{ "NO",		GRAMMAR_FILL_INSTRUCTION },
	{ "NOMOR",	GRAMMAR_FILL_INSTRUCTION },
	{ "NOMER",	GRAMMAR_FILL_INSTRUCTION },
	{ "KATEGORI",	GRAMMAR_FILL_INSTRUCTION },
	{ "REF",	GRAMMAR_FILL_INSTRUCTION },
	{ "KODE",	GRAMMAR_FILL_INSTRUCTION },
	{ "TGL",	GRAMMAR_FILL_INSTRUCTION },
	{ "TANGGAL",	GRAMMAR_FILL_INSTRUCTION },
	{ "DAN",	GRAMMAR_FILL_INSTRUCTION },
	{ "AND",	GRAMMAR_FILL_INSTRUCTION },
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
	{ "MKS",	GRAMMAR_FILL_COURTESY },
	{ "TERIMA",	GRAMMAR_FILL_COURTESY },
	{ "KASIH",	GRAMMAR_FILL_COURTESY },
	{ "TERIMAKASIH", GRAMMAR_FILL_COURTESY },
	{ "YANG",	GRAMMAR_FILL_COURTESY },
	{ "YG",		GRAMMAR_FILL_COURTESY },
	{ "SDH",	GRAMMAR_FILL_COURTESY },
	{ "UDH",	GRAMMAR_FILL_COURTESY },
	{ "DGN",	GRAMMAR_FILL_COURTESY },
	{ "BU",		GRAMMAR_FILL_COURTESY },
	{ "IBU",	GRAMMAR_FILL_COURTESY },
	{ "KAK",	GRAMMAR_FILL_COURTESY },
	{ "MAS",	GRAMMAR_FILL_COURTESY },
	{ "MIN",	GRAMMAR_FILL_COURTESY },
	{ "TADI",	GRAMMAR_FILL_COURTESY },
	{ "TERAKHIR",	GRAMMAR_FILL_COURTESY },
	{ "LAST",	GRAMMAR_FILL_COURTESY },
	{ "SALAH",	GRAMMAR_FILL_COURTESY },
};

/*
 * Typo tolerance: words of GRAMMAR_FUZZY_MIN to GRAMMAR_FUZZY_MAX letters
 * are compared with the aliases of at least 3 letters; one edit is
 * allowed, two when both the word and the alias have GRAMMAR_FUZZY_LONG
 * letters or more.  Shorter words are too easily another word.
 */
#define GRAMMAR_FUZZY_MIN	4
#define GRAMMAR_FUZZY_MAX	12
#define GRAMMAR_FUZZY_LONG	7

static int	grammar_distance(const unsigned char *, size_t, const char *,
		    size_t);
static enum grammar_kw grammar_fuzzy(const unsigned char *, size_t,
		    unsigned, enum grammar_cmd *, struct grammar_result *);
static int	grammar_keyword(const unsigned char *, size_t,
		    enum grammar_cmd *);
static size_t	grammar_grad_category(const unsigned char *, size_t,
		    size_t);
static enum grammar_kw grammar_first_word(struct grammar_lexer *,
		    struct grammar_token *, enum grammar_cmd *,
		    struct grammar_result *);
static int	grammar_lead_word(const unsigned char *, size_t,
		    enum grammar_cmd *, struct grammar_result *);
static enum grammar_kw grammar_lead_id(struct grammar_lexer *,
		    struct grammar_token *, enum grammar_cmd *,
		    struct grammar_result *, struct grammar_token *);

/*
 * Optimal string alignment distance (Damerau-Levenshtein where no
 * substring is edited twice) between the na letters at a, any case, and
 * the upper-case b of nb letters; both at most GRAMMAR_FUZZY_MAX long.
 * One transposition (GARD, GRDA) costs one edit.
 */
static int
grammar_distance(const unsigned char *a, size_t na, const char *b,
    size_t nb)
{
	int		d[GRAMMAR_FUZZY_MAX + 1][GRAMMAR_FUZZY_MAX + 1];
	size_t		i, j;
	unsigned char	ci, cp = 0;
	int		v;

	for (i = 0; i <= na; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= nb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= na; i++) {
		ci = a[i - 1] >= 'a' && a[i - 1] <= 'z' ?
		    (unsigned char)(a[i - 1] - 'a' + 'A') : a[i - 1];
		for (j = 1; j <= nb; j++) {
			v = d[i - 1][j - 1] + (ci != (unsigned char)b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ci == (unsigned char)b[j - 2] &&
			    cp == (unsigned char)b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
		cp = ci;
	}
	return d[na][nb];
}

/*
 * A typo of a keyword: the n letters at s compared with every alias of
 * a command in mask (bit 1 << cmd).  The commands at the smallest
 * distance within the allowed one win: one of them is the command,
 * several are an ambiguity whose candidates go to out (never a guess).
 */
static enum grammar_kw
grammar_fuzzy(const unsigned char *s, size_t n, unsigned mask,
    enum grammar_cmd *cmd, struct grammar_result *out)
{
	enum grammar_cmd	cand[GRAMMAR_CANDIDATES_MAX];
	int			best[GRAMMAR_CMD_P2K2 + 1];
	int			dmin = 99, allowed, d, c, nc = 0;
	size_t			i, k, nb;

	if (n < GRAMMAR_FUZZY_MIN || n > GRAMMAR_FUZZY_MAX)
		return GRAMMAR_KW_NONE;
	for (k = 0; k < n; k++)
		if (!grammar_is_alpha(s[k]))
			return GRAMMAR_KW_NONE;
	for (c = 0; c <= GRAMMAR_CMD_P2K2; c++)
		best[c] = 99;
	for (i = 0; i < GRAMMAR_NELEM(grammar_keywords); i++) {
		c = (int)grammar_keywords[i].cmd;
		nb = strlen(grammar_keywords[i].word);
		if (!(mask & (1u << c)) || nb < 3 || nb > GRAMMAR_FUZZY_MAX)
			continue;
		allowed = n >= GRAMMAR_FUZZY_LONG && nb >= GRAMMAR_FUZZY_LONG ?
		    2 : 1;
		if ((n > nb ? n - nb : nb - n) > (size_t)allowed)
			continue;
		d = grammar_distance(s, n, grammar_keywords[i].word, nb);
		if (d <= allowed && d < best[c])
			best[c] = d;
	}
	for (c = 0; c <= GRAMMAR_CMD_P2K2; c++)
		if (best[c] < dmin)
			dmin = best[c];
	if (dmin == 99)
		return GRAMMAR_KW_NONE;
	for (c = 0; c <= GRAMMAR_CMD_P2K2; c++) {
		if (best[c] != dmin)
			continue;
		*cmd = (enum grammar_cmd)c;
		if (nc < GRAMMAR_CANDIDATES_MAX)
			cand[nc] = (enum grammar_cmd)c;
		nc++;
	}
	if (nc == 1)
		return GRAMMAR_KW_FOUND;
	out->n_candidates = nc < GRAMMAR_CANDIDATES_MAX ? nc :
	    GRAMMAR_CANDIDATES_MAX;
	memcpy(out->candidates, cand, (size_t)out->n_candidates *
	    sizeof(cand[0]));
	*cmd = GRAMMAR_CMD_NONE;
	return GRAMMAR_KW_AMBIGUOUS;
}

/* An exact keyword or alias, any case. */
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

/*
 * Whether the letters [start, end) are a GRAD keyword followed by a
 * category ("GRADSM", "GRDAL", "GRADUASIPK"): where the category starts,
 * or 0.
 */
static size_t
grammar_grad_category(const unsigned char *s, size_t start, size_t end)
{
	enum grammar_category	cat;
	size_t			i, n;

	for (i = 0; i < GRAMMAR_NELEM(grammar_keywords); i++) {
		n = strlen(grammar_keywords[i].word);
		if (grammar_keywords[i].cmd != GRAMMAR_CMD_GRAD ||
		    n >= end - start || !grammar_word_is(s + start, n,
		    grammar_keywords[i].word))
			continue;
		if (grammar_category(s + start + n, end - start - n, &cat))
			return start + n;
	}
	return 0;
}

/* Whether a word is a GRAD keyword: a second line "GRAD 456". */
int
grammar_is_grad_word(const unsigned char *s, size_t n)
{
	enum grammar_cmd	cmd;

	return grammar_keyword(s, n, &cmd) && cmd == GRAMMAR_CMD_GRAD;
}

int
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

enum grammar_filler_kind
grammar_filler(const unsigned char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < GRAMMAR_NELEM(grammar_fillers); i++)
		if (grammar_word_is(s, n, grammar_fillers[i].word))
			return grammar_fillers[i].kind;
	return GRAMMAR_FILL_NONE;
}

/*
 * Whether the word t names a command, in this order: an exact keyword;
 * one glued to the id ("GRAD12345", "KJ-12345", "GRADUASI_12345": the
 * letters before the first non-letter, followed after any - _ / + by a
 * digit); a GRAD keyword glued to a category ("GRADSM", "GRADAL12345");
 * a typo of a keyword (GARD); a typo glued to an id (GARD12345, only for
 * GRAD and KUNJ, whose argument is a number).  For a glued id the word
 * is cut after the letters and the lexer moved back to the digit (or the
 * category), so that becomes the next word.
 */
static enum grammar_kw
grammar_first_word(struct grammar_lexer *lx, struct grammar_token *t,
    enum grammar_cmd *cmd, struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	enum grammar_kw		 r;
	size_t			 k, d, c;
	int			 glued;

	if (grammar_keyword(s + t->start, t->end - t->start, cmd))
		return GRAMMAR_KW_FOUND;
	for (k = t->start; k < t->end && grammar_is_alpha(s[k]); k++)
		;
	for (d = k; d < t->end && grammar_is_joiner(s[d]); d++)
		;
	glued = k > t->start && d < t->end && grammar_is_digit(s[d]);
	if (glued && grammar_keyword(s + t->start, k - t->start, cmd)) {
		t->end = t->raw_end = k;
		lx->pos = d;
		return GRAMMAR_KW_FOUND;
	}
	if ((glued || k == t->end) && (c = grammar_grad_category(s, t->start,
	    k)) > 0) {
		/* GRADSM, GRADUASIAL12345: never a typo for plain GRAD. */
		*cmd = GRAMMAR_CMD_GRAD;
		t->end = t->raw_end = c;
		lx->pos = c;
		return GRAMMAR_KW_FOUND;
	}
	if (k == t->end) {
		r = grammar_fuzzy(s + t->start, k - t->start, ~0u, cmd, out);
		if (r == GRAMMAR_KW_FOUND)
			out->corrected = 1;
		return r;
	}
	if (!glued)
		return GRAMMAR_KW_NONE;
	r = grammar_fuzzy(s + t->start, k - t->start,
	    1u << GRAMMAR_CMD_GRAD | 1u << GRAMMAR_CMD_KUNJ, cmd, out);
	if (r != GRAMMAR_KW_NONE) {
		t->end = t->raw_end = k;
		lx->pos = d;
	}
	if (r == GRAMMAR_KW_FOUND)
		out->corrected = 1;
	return r;
}

/*
 * Whether the n letters at s, after an id, name GRAD or KUNJ: one of
 * grammar_lead_words, or a word that is no alias, that grammar_fuzzy()
 * takes for one command only and that is within one edit of one of that
 * command's lead words (GARD, KUNK; not LULIS, which is lulus).  Sets
 * out->corrected for a typo; candidates of an ambiguity are forgotten,
 * for this is then no command at all.
 */
static int
grammar_lead_word(const unsigned char *s, size_t n, enum grammar_cmd *cmd,
    struct grammar_result *out)
{
	enum grammar_cmd	c;
	size_t			i, nb;
	int			typo = 0;

	for (i = 0; i < GRAMMAR_NELEM(grammar_lead_words); i++) {
		if (grammar_word_is(s, n, grammar_lead_words[i].word)) {
			*cmd = grammar_lead_words[i].cmd;
			return 1;
		}
	}
	/* Another alias is the word it is ("graduasi"), never a typo. */
	if (n > GRAMMAR_FUZZY_MAX || grammar_keyword(s, n, &c))
		return 0;
	if (grammar_fuzzy(s, n, ~0u, &c, out) != GRAMMAR_KW_FOUND) {
		out->n_candidates = 0;
		memset(out->candidates, 0, sizeof(out->candidates));
		return 0;
	}
	for (i = 0; i < GRAMMAR_NELEM(grammar_lead_words) && !typo; i++) {
		nb = strlen(grammar_lead_words[i].word);
		typo = grammar_lead_words[i].cmd == c &&
		    (n > nb ? n - nb : nb - n) <= 1 &&
		    grammar_distance(s, n, grammar_lead_words[i].word,
		    nb) <= 1;
	}
	if (typo) {
		*cmd = c;
		out->corrected = 1;
	}
	return typo;
}

/*
 * An id typed before the keyword: "12345 GRAD", "12345 grad sm",
 * "12345 KUNJ catatan", "12345GRAD".  The word t, which names no
 * command, must be digits (ASCII or fullwidth; no O, l or I here, for
 * nothing else says it is an id), and the word right after it, or the
 * letters glued after the digits, a command that takes a KPM id (GRAD,
 * KUNJ): as grammar_lead_word() says, or as GRAD glued to a category
 * (GRADSM).  Anything else leaves the
 * digits what they were, no command (GRAMMAR_E_KEYWORD): a bare id, a
 * date (12/05 is one word, not digits), a NIK alone, digits and any
 * other word, digits and a command without an id (STATUS).
 *
 * On success *lead is the id (its raw_end the end of the whole first
 * word, the token should the reading be refused later), t the keyword
 * and the lexer past it (or at the category glued to it).
 */
static enum grammar_kw
grammar_lead_id(struct grammar_lexer *lx, struct grammar_token *t,
    enum grammar_cmd *cmd, struct grammar_result *out,
    struct grammar_token *lead)
{
	const unsigned char	*s = lx->text;
	struct grammar_lexer	 next = *lx;
	struct grammar_token	 id = *t, kw;
	enum grammar_cmd	 c = GRAMMAR_CMD_NONE;
	size_t			 i, k, d, pos;

	for (i = t->start; i < t->end; i += k) {
		if (grammar_is_digit(s[i]))
			k = 1;
		else if ((k = grammar_wide_digit(s + i, t->end - i)) == 0)
			break;
	}
	if (i == t->start)
		return GRAMMAR_KW_NONE;
	if (i < t->end) {
		/* Glued: "12345GRAD", "12345-KUNJ". */
		for (d = i; d < t->end && grammar_is_joiner(s[d]); d++)
			;
		kw.start = d;
		kw.end = t->end;
		kw.raw_end = t->raw_end;
		id.end = i;
	} else if (!grammar_next(&next, &kw))
		return GRAMMAR_KW_NONE;
	for (k = kw.start; k < kw.end && grammar_is_alpha(s[k]); k++)
		;
	if (k == kw.start || k < kw.end)
		return GRAMMAR_KW_NONE;
	pos = kw.raw_end;
	if ((d = grammar_grad_category(s, kw.start, kw.end)) > 0) {
		c = GRAMMAR_CMD_GRAD;
		kw.end = kw.raw_end = pos = d;
	} else if (!grammar_lead_word(s + kw.start, kw.end - kw.start, &c,
	    out))
		return GRAMMAR_KW_NONE;
	id.raw_end = t->end;
	*lead = id;
	*t = kw;
	*cmd = c;
	lx->pos = pos;
	return GRAMMAR_KW_FOUND;
}

/*
 * The command: the first word, or the first after up to
 * GRAMMAR_PREFIX_MAX greetings and instruction words when it names one;
 * or an id followed by GRAD or KUNJ (grammar_lead_id()), the id then in
 * *lead (lead->end > lead->start; both 0 otherwise).  On
 * GRAMMAR_E_KEYWORD the token is the first word that is no such prefix
 * (or the very first word when all are); on GRAMMAR_E_AMBIGUOUS the
 * typo, with the candidates already in out.
 */
enum grammar_error
grammar_first(struct grammar_lexer *lx, enum grammar_cmd *cmd,
    struct grammar_result *out, struct grammar_token *lead)
{
	const unsigned char	*s = lx->text;
	struct grammar_lexer	 at_first;
	struct grammar_token	 t, first;
	enum grammar_kw		 r = GRAMMAR_KW_NONE;
	int			 nprefix = 0, have = 1;

	memset(lead, 0, sizeof(*lead));
	if (!grammar_next(lx, &t))
		return GRAMMAR_E_EMPTY;
	first = t;
	at_first = *lx;
	while (grammar_in_list(s + t.start, t.end - t.start,
	    grammar_prefixes, GRAMMAR_NELEM(grammar_prefixes))) {
		if (nprefix++ == GRAMMAR_PREFIX_MAX || !grammar_next(lx, &t)) {
			have = 0;
			break;
		}
	}
	if (have)
		r = grammar_first_word(lx, &t, cmd, out);
	if (have && r == GRAMMAR_KW_NONE)
		r = grammar_lead_id(lx, &t, cmd, out, lead);
	if (r == GRAMMAR_KW_NONE && nprefix > 0) {
		/* No keyword after the prefixes: the first word alone. */
		*lx = at_first;
		out->corrected = 0;
		out->n_candidates = 0;
		memset(out->candidates, 0, sizeof(out->candidates));
		if (grammar_keyword(s + first.start, first.end - first.start,
		    cmd)) {
			t = first;
			r = GRAMMAR_KW_FOUND;
		} else if (!have)
			t = first;
	}
	if (r == GRAMMAR_KW_NONE) {
		grammar_set_token(out, s, t.start, t.end);
		return GRAMMAR_E_KEYWORD;
	}
	grammar_copy_ascii(out->keyword, sizeof(out->keyword), s, t.start,
	    t.end);
	if (r == GRAMMAR_KW_AMBIGUOUS) {
		grammar_set_token(out, s, t.start, t.end);
		return GRAMMAR_E_AMBIGUOUS;
	}
	return GRAMMAR_OK;
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
	case GRAMMAR_CMD_P2K2:
		return "P2K2";
	}
	return "?";
}
