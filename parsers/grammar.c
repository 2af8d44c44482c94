/*
 * grammar.c: what a companion's SMS means.
 *
 * Four layers, each of which can grow on its own:
 *  - a lexer cutting the bytes into words at separators: runs of blanks,
 *    of # . * , : ; = & + quotes and brackets, NUL bytes, and the Unicode
 *    blanks and marks that phones and copy-paste insert (NBSP, zero-width
 *    spaces, BOM, curly quotes, dashes, ellipsis); an emoji glued to the
 *    end of a word is cut off like a trailing '!';
 *  - tables: keywords with their aliases, words that may stand before the
 *    keyword ("Pak", "ketik"), category names, filler words ("ok",
 *    "spasi", "kpm"), month names, relative dates, province codes;
 *  - readers for the values: the keyword (exact, glued to the id, or a
 *    typo within a small Damerau-Levenshtein distance), ids (O read as 0
 *    and l/I as 1 inside digits only, NIK structure), dates;
 *  - one small parser per command that takes the words it needs.
 *
 * Nothing here allocates or does I/O, and every byte is read within
 * [text, text + len), whatever the bytes are.  The grammar has no clock:
 * dates are returned as typed and grammar_resolve_date() places them.
 */
#include <stddef.h>
#include <string.h>

#include "grammar.h"

struct grammar_lexer {
	const unsigned char	*text;
	size_t			 len;
	size_t			 pos;	/* next byte to look at */
};

/*
 * A word: [start, end) with trailing ! ? and emoji dropped; raw_end is
 * past them.
 */
struct grammar_token {
	size_t	start;
	size_t	end;
	size_t	raw_end;
};

/* What a word is made of, as far as the commands care. */
enum grammar_shape {
	GRAMMAR_SHAPE_DIGITS,	/* digits only (ASCII or fullwidth) */
	GRAMMAR_SHAPE_LETTERS,	/* ASCII letters only */
	GRAMMAR_SHAPE_ALNUM,	/* ASCII letters and digits */
	GRAMMAR_SHAPE_OTHER	/* anything else: punctuation, UTF-8 */
};

/* How a keyword lookup ended. */
enum grammar_kw {
	GRAMMAR_KW_NONE = 0,
	GRAMMAR_KW_FOUND,
	GRAMMAR_KW_AMBIGUOUS
};

/* Whether a date is at some place in the text. */
enum grammar_dm {
	GRAMMAR_DM_NONE = 0,	/* nothing date-like: read on */
	GRAMMAR_DM_OK,
	GRAMMAR_DM_BAD		/* date-shaped, but no such day */
};

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

/* Month names, Indonesian and English, full and short ("12 Mei"). */
struct grammar_monthword {
	const char	*word;
	int		 month;
};

static const struct grammar_monthword grammar_months[] = {
	{ "JANUARI", 1 }, { "JANUARY", 1 }, { "JAN", 1 },
	{ "FEBRUARI", 2 }, { "PEBRUARI", 2 }, { "FEBRUARY", 2 },
	{ "FEB", 2 }, { "PEB", 2 },
	{ "MARET", 3 }, { "MARCH", 3 }, { "MAR", 3 },
	{ "APRIL", 4 }, { "APR", 4 },
	{ "MEI", 5 }, { "MAY", 5 },
	{ "JUNI", 6 }, { "JUNE", 6 }, { "JUN", 6 },
	{ "JULI", 7 }, { "JULY", 7 }, { "JUL", 7 },
	{ "AGUSTUS", 8 }, { "AUGUST", 8 }, { "AGU", 8 }, { "AGT", 8 },
	{ "AGS", 8 }, { "AGST", 8 }, { "AUG", 8 },
	{ "SEPTEMBER", 9 }, { "SEPT", 9 }, { "SEP", 9 },
	{ "OKTOBER", 10 }, { "OCTOBER", 10 }, { "OKT", 10 }, { "OCT", 10 },
	{ "NOVEMBER", 11 }, { "NOPEMBER", 11 }, { "NOV", 11 }, { "NOP", 11 },
	{ "DESEMBER", 12 }, { "DECEMBER", 12 }, { "DES", 12 }, { "DEC", 12 },
};

/*
 * Days counted back from today, as written in SMS: a space in a phrase
 * stands for any run of blanks.  Longer phrases first.  Nothing here
 * points forward ("besok"): a note such as "besok kontrol" must not
 * turn a visit of today into a refused future one.
 */
struct grammar_relword {
	const char	*words;
	int		 days;
};

static const struct grammar_relword grammar_relwords[] = {
	{ "KEMARIN LUSA", -2 }, { "KEMAREN LUSA", -2 }, { "KMRN LUSA", -2 },
	{ "HARI INI", 0 }, { "HARIINI", 0 }, { "HR INI", 0 },
	{ "HRI INI", 0 }, { "HARI NI", 0 }, { "TODAY", 0 },
	{ "KEMARIN", -1 }, { "KEMAREN", -1 }, { "KEMRIN", -1 },
	{ "KMARIN", -1 }, { "KMRIN", -1 }, { "KMREN", -1 }, { "KMRN", -1 },
	{ "YESTERDAY", -1 },
};

/* What follows a number of days: "3 hari lalu", "2 hr yg lalu". */
static const char *const grammar_ago[] = {
	"HARI YANG LALU", "HARI YG LALU", "HARI LALU", "HR YG LALU",
	"HR LALU", "HRI LALU", "DAYS AGO", "DAY AGO",
};

/* Words that announce the date after a visit's id ("tgl 12/05"). */
static const char *const grammar_date_intro[] = {
	"TGL", "TANGGAL", "TG", "TANGGL", "TGGL", "DATE", "PADA", "PD",
};

/*
 * Province codes of Kemendagri, which Dukcapil uses in the NIK: 91-96
 * are Papua, Papua Barat and the provinces split from them in 2022.
 */
static const unsigned char grammar_provinces[] = {
	11, 12, 13, 14, 15, 16, 17, 18, 19, 21,
	31, 32, 33, 34, 35, 36, 51, 52, 53,
	61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76,
	81, 82, 91, 92, 93, 94, 95, 96,
};

#define GRAMMAR_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Ids of 1 to 20 digits unless the configuration says otherwise. */
#define GRAMMAR_ID_MIN_DEFAULT	1
#define GRAMMAR_ID_MAX_DEFAULT	20

/* Unknown words this short after GRAD look like a mistyped category. */
#define GRAMMAR_CATLIKE_MAX	3

/*
 * Typo tolerance: words of GRAMMAR_FUZZY_MIN to GRAMMAR_FUZZY_MAX letters
 * are compared with the aliases of at least 3 letters; one edit is
 * allowed, two when both the word and the alias have GRAMMAR_FUZZY_LONG
 * letters or more.  Shorter words are too easily another word.
 */
#define GRAMMAR_FUZZY_MIN	4
#define GRAMMAR_FUZZY_MAX	12
#define GRAMMAR_FUZZY_LONG	7

/* Years a typed date may name. */
#define GRAMMAR_YEAR_MIN	2000
#define GRAMMAR_YEAR_MAX	2099

static size_t	grammar_blank_len(const unsigned char *, size_t);
static size_t	grammar_sep_len(const unsigned char *, size_t);
static size_t	grammar_note_lead_len(const unsigned char *, size_t);
static size_t	grammar_utf8_decode(const unsigned char *, size_t,
		    unsigned long *);
static size_t	grammar_utf8_len(const unsigned char *, size_t);
static size_t	grammar_symbol_tail(const unsigned char *, size_t, size_t);
static int	grammar_is_digit(unsigned char);
static int	grammar_is_alpha(unsigned char);
static int	grammar_is_alnum(unsigned char);
static int	grammar_is_joiner(unsigned char);
static size_t	grammar_wide_digit(const unsigned char *, size_t);
static int	grammar_has_alnum(const unsigned char *,
		    const struct grammar_token *);
static int	grammar_punct_only(const unsigned char *,
		    const struct grammar_token *);
static int	grammar_next(struct grammar_lexer *, struct grammar_token *);
static enum grammar_shape grammar_shape(const unsigned char *,
		    const struct grammar_token *, int *);
static int	grammar_word_is(const unsigned char *, size_t, const char *);
static int	grammar_in_list(const unsigned char *, size_t,
		    const char *const *, size_t);
static int	grammar_distance(const unsigned char *, size_t, const char *,
		    size_t);
static enum grammar_kw grammar_fuzzy(const unsigned char *, size_t,
		    unsigned, enum grammar_cmd *, struct grammar_result *);
static int	grammar_keyword(const unsigned char *, size_t,
		    enum grammar_cmd *);
static int	grammar_is_grad_word(const unsigned char *, size_t);
static size_t	grammar_grad_category(const unsigned char *, size_t,
		    size_t);
static int	grammar_category(const unsigned char *, size_t,
		    enum grammar_category *);
static enum grammar_filler_kind grammar_filler(const unsigned char *,
		    size_t);
static enum grammar_kw grammar_first_word(struct grammar_lexer *,
		    struct grammar_token *, enum grammar_cmd *,
		    struct grammar_result *);
static enum grammar_error grammar_first(struct grammar_lexer *,
		    enum grammar_cmd *, struct grammar_result *);
static void	grammar_copy_ascii(char *, size_t, const unsigned char *,
		    size_t, size_t);
static void	grammar_set_token(struct grammar_result *,
		    const unsigned char *, size_t, size_t);
static void	grammar_set_masked(struct grammar_result *,
		    const unsigned char *, size_t, size_t, const char *);
static long	grammar_id_read(const unsigned char *,
		    const struct grammar_token *, char *, size_t, int *);
static int	grammar_leap(int);
static int	grammar_month_days(int, int);
static enum grammar_nik_part grammar_nik_check(const char *);
static enum grammar_error grammar_add_id(struct grammar_result *,
		    const unsigned char *, const struct grammar_token *,
		    const struct grammar_options *);
static size_t	grammar_digits(const unsigned char *, size_t, size_t,
		    int *);
static size_t	grammar_phrase_at(const unsigned char *, size_t, size_t,
		    const char *);
static size_t	grammar_month_at(const unsigned char *, size_t, size_t,
		    int *);
static enum grammar_dm grammar_date_check(struct grammar_date *);
static enum grammar_dm grammar_date_at(const unsigned char *, size_t,
		    size_t, int, struct grammar_date *, size_t *);
static enum grammar_error grammar_take_date(struct grammar_lexer *,
		    const struct grammar_token *, int *,
		    struct grammar_result *);
static void	grammar_copy_note(char *, const unsigned char *, size_t,
		    size_t, size_t *);
static enum grammar_error grammar_note_date(const unsigned char *, size_t,
		    size_t, struct grammar_result *, size_t *);
static int	grammar_split_category(struct grammar_lexer *,
		    struct grammar_token *);
static enum grammar_error grammar_grad(struct grammar_lexer *,
		    const struct grammar_options *, struct grammar_result *);
static enum grammar_error grammar_kunj(struct grammar_lexer *,
		    const struct grammar_options *, struct grammar_result *);
static enum grammar_error grammar_batal(struct grammar_lexer *,
		    struct grammar_result *);
static long	grammar_day_number(int, int, int);
static void	grammar_day_civil(long, int *, int *, int *);

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
static size_t
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

static int
grammar_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
grammar_is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int
grammar_is_alnum(unsigned char c)
{
	return grammar_is_digit(c) || grammar_is_alpha(c);
}

/* What glues a keyword or a category to an id: GRAD-12345, 12345/SM. */
static int
grammar_is_joiner(unsigned char c)
{
	return c == '-' || c == '_' || c == '/' || c == '+';
}

/* 3 when a fullwidth digit (U+FF10-U+FF19) is at p, n bytes left. */
static size_t
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
static int
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

/* Whether the n bytes at s are one of the nwords words, any case. */
static int
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
	int			best[GRAMMAR_CMD_MULAI + 1];
	int			dmin = 99, allowed, d, c, nc = 0;
	size_t			i, k, nb;

	if (n < GRAMMAR_FUZZY_MIN || n > GRAMMAR_FUZZY_MAX)
		return GRAMMAR_KW_NONE;
	for (k = 0; k < n; k++)
		if (!grammar_is_alpha(s[k]))
			return GRAMMAR_KW_NONE;
	for (c = 0; c <= GRAMMAR_CMD_MULAI; c++)
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
	for (c = 0; c <= GRAMMAR_CMD_MULAI; c++)
		if (best[c] < dmin)
			dmin = best[c];
	if (dmin == 99)
		return GRAMMAR_KW_NONE;
	for (c = 0; c <= GRAMMAR_CMD_MULAI; c++) {
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
static int
grammar_is_grad_word(const unsigned char *s, size_t n)
{
	enum grammar_cmd	cmd;

	return grammar_keyword(s, n, &cmd) && cmd == GRAMMAR_CMD_GRAD;
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
 * The command: the first word, or the first after up to
 * GRAMMAR_PREFIX_MAX greetings and instruction words when it names one.
 * On GRAMMAR_E_KEYWORD the token is the first word that is no such
 * prefix (or the very first word when all are); on GRAMMAR_E_AMBIGUOUS
 * the typo, with the candidates already in out.
 */
static enum grammar_error
grammar_first(struct grammar_lexer *lx, enum grammar_cmd *cmd,
    struct grammar_result *out)
{
	const unsigned char	*s = lx->text;
	struct grammar_lexer	 at_first;
	struct grammar_token	 t, first;
	enum grammar_kw		 r = GRAMMAR_KW_NONE;
	int			 nprefix = 0, have = 1;

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

/*
 * Copy [start, end) of s into dst (size dstsz) as printable ASCII: any
 * other byte sequence (a UTF-8 character, an invalid byte, a control)
 * becomes a single '?'; cut at dstsz - 1 characters.
 */
static void
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
static void
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
 * Keep a NIK-like word for the reply without echoing it whole
 * (domain.md): "3527********0082".  The digits come from id when given
 * (the word as read), else from the bytes typed.
 */
static void
grammar_set_masked(struct grammar_result *out, const unsigned char *s,
    size_t start, size_t end, const char *id)
{
	char	head[5], tail[5];

	if (id != NULL) {
		memcpy(head, id, 4);
		memcpy(tail, id + GRAMMAR_NIK_LEN - 4, 4);
		head[4] = tail[4] = '\0';
	} else {
		grammar_copy_ascii(head, sizeof(head), s, start, start + 4);
		grammar_copy_ascii(tail, sizeof(tail), s, end - 4, end);
	}
	memcpy(out->token, head, strlen(head) + 1);
	strncat(out->token, "********", GRAMMAR_TOKEN_MAX - strlen(out->token));
	strncat(out->token, tail, GRAMMAR_TOKEN_MAX - strlen(out->token));
}

/*
 * The digits of the word t read as an id into buf (bufsz > 0, NUL
 * terminated, cut at bufsz - 1 digits): ASCII and fullwidth digits, and
 * the letters O and o read as 0, I and l as 1 once the word holds a real
 * digit ("12O45", "l2345").  Returns how many digits the word spells, or
 * -1 when it holds anything else; *fixed is set when a letter or a wide
 * digit was read.  Other letters are never guessed at.
 */
static long
grammar_id_read(const unsigned char *s, const struct grammar_token *t,
    char *buf, size_t bufsz, int *fixed)
{
	size_t	i, k;
	long	n = 0;
	int	digit = 0, letter = 0, wide = 0;
	char	c;

	for (i = t->start; i < t->end; i++) {
		if (grammar_is_digit(s[i])) {
			c = (char)s[i];
			digit = 1;
		} else if ((k = grammar_wide_digit(s + i, t->end - i)) > 0) {
			c = (char)('0' + (s[i + 2] - 0x90));
			i += k - 1;
			digit = wide = 1;
		} else if (s[i] == 'O' || s[i] == 'o') {
			c = '0';
			letter = 1;
		} else if (s[i] == 'I' || s[i] == 'l') {
			c = '1';
			letter = 1;
		} else
			return -1;
		if ((size_t)n + 1 < bufsz)
			buf[n] = c;
		n++;
	}
	if (!digit)
		return -1;
	buf[(size_t)n + 1 < bufsz ? (size_t)n : bufsz - 1] = '\0';
	*fixed = letter || wide;
	return n;
}

static int
grammar_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m of year y; y == 0 (not known) allows 29 February. */
static int
grammar_month_days(int y, int m)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && (y == 0 || grammar_leap(y)))
		return 29;
	return days[m - 1];
}

/*
 * The structure of a NIK of 16 digits: province(2) regency(2)
 * district(2), birth day (+40 for women), month and two-digit year,
 * serial(4).  The century of the year is unknown, so 29/02 passes in
 * every year divisible by four.
 */
static enum grammar_nik_part
grammar_nik_check(const char *id)
{
	int	v[8], i, day;
	size_t	p;

	for (i = 0; i < 8; i++)
		v[i] = (id[2 * i] - '0') * 10 + (id[2 * i + 1] - '0');
	for (p = 0; p < GRAMMAR_NELEM(grammar_provinces); p++)
		if (grammar_provinces[p] == v[0])
			break;
	if (p == GRAMMAR_NELEM(grammar_provinces))
		return GRAMMAR_NIK_PROVINCE;
	if (v[1] == 0)
		return GRAMMAR_NIK_REGENCY;
	if (v[2] == 0)
		return GRAMMAR_NIK_DISTRICT;
	day = v[3] > 40 ? v[3] - 40 : v[3];
	if (day < 1 || day > 31)
		return GRAMMAR_NIK_DAY;
	if (v[4] < 1 || v[4] > 12)
		return GRAMMAR_NIK_MONTH;
	if (day > grammar_month_days(v[5] % 4 == 0 ? 2000 : 2001, v[4]))
		return GRAMMAR_NIK_BIRTH_DATE;
	if (v[6] == 0 && v[7] == 0)
		return GRAMMAR_NIK_SERIAL;
	return GRAMMAR_NIK_OK;
}

/*
 * Append the word t as an id.  Digits (with O, l, I read inside them),
 * within the configured length (and GRAMMAR_ID_MAX), at most
 * GRAMMAR_IDS_MAX of them; otherwise the word becomes the token of
 * GRAMMAR_E_BAD_ID.  Exactly 16 digits are a NIK when opt->nik says so:
 * accepted whatever the KPM lengths if its structure holds,
 * GRAMMAR_E_BAD_NIK otherwise.  A 16-character token is masked.  Ids are
 * kept as read, leading zeros included.
 */
static enum grammar_error
grammar_add_id(struct grammar_result *out, const unsigned char *s,
    const struct grammar_token *t, const struct grammar_options *opt)
{
	char			id[GRAMMAR_ID_MAX + 1];
	enum grammar_nik_part	part;
	long			n;
	int			max = opt->id_max_len, fixed = 0, nik = 0;

	if (max > GRAMMAR_ID_MAX)
		max = GRAMMAR_ID_MAX;
	n = grammar_id_read(s, t, id, sizeof(id), &fixed);
	if (n == GRAMMAR_NIK_LEN && opt->nik) {
		if ((part = grammar_nik_check(id)) != GRAMMAR_NIK_OK) {
			out->nik_part = part;
			grammar_set_masked(out, s, t->start, t->end, id);
			return GRAMMAR_E_BAD_NIK;
		}
		nik = 1;
	} else if (n < 0 || n < (opt->id_min_len > 1 ? opt->id_min_len : 1) ||
	    max < 1 || n > max) {
		if (t->end - t->start == GRAMMAR_NIK_LEN)
			grammar_set_masked(out, s, t->start, t->end, NULL);
		else
			grammar_set_token(out, s, t->start, t->end);
		return GRAMMAR_E_BAD_ID;	/* 16 characters: masked */
	}
	if (out->n_ids >= GRAMMAR_IDS_MAX) {
		if (nik)
			grammar_set_masked(out, s, t->start, t->end, id);
		else
			grammar_set_token(out, s, t->start, t->end);
		return GRAMMAR_E_BAD_ID;
	}
	memcpy(out->ids[out->n_ids], id, (size_t)n + 1);
	out->id_is_nik[out->n_ids] = (unsigned char)nik;
	out->n_ids++;
	out->ids_corrected |= fixed;
	return GRAMMAR_OK;
}

/*
 * The run of ASCII digits at pos: its length (0 if none), its value in
 * *v as long as it has at most 8 digits.
 */
static size_t
grammar_digits(const unsigned char *s, size_t len, size_t pos, int *v)
{
	size_t	i;

	*v = 0;
	for (i = pos; i < len && grammar_is_digit(s[i]); i++)
		if (i - pos < 8)
			*v = *v * 10 + (s[i] - '0');
	return i - pos;
}

/*
 * Whether phrase (upper case, words separated by one space) is at pos,
 * any case, with any run of blanks for each space, and is not followed
 * by a letter or digit.  Returns the end of the match or 0.
 */
static size_t
grammar_phrase_at(const unsigned char *s, size_t len, size_t pos,
    const char *phrase)
{
	size_t	i = pos, k;

	for (; *phrase != '\0'; phrase++) {
		if (*phrase == ' ') {
			if (i >= len || (k = grammar_blank_len(s + i,
			    len - i)) == 0)
				return 0;
			while (i < len && (k = grammar_blank_len(s + i,
			    len - i)) > 0)
				i += k;
			continue;
		}
		if (i >= len || (s[i] & ~0x20) != (unsigned char)*phrase ||
		    !grammar_is_alpha(s[i]))
			return 0;
		i++;
	}
	if (i < len && grammar_is_alnum(s[i]))
		return 0;
	return i;
}

/*
 * A month name at pos, a whole word: its end, with the month in *m, or
 * 0 when there is none.
 */
static size_t
grammar_month_at(const unsigned char *s, size_t len, size_t pos, int *m)
{
	size_t	i, k;

	for (k = pos; k < len && grammar_is_alpha(s[k]); k++)
		;
	if (k == pos || (k < len && grammar_is_digit(s[k])))
		return 0;
	for (i = 0; i < GRAMMAR_NELEM(grammar_months); i++) {
		if (grammar_word_is(s + pos, k - pos, grammar_months[i].word)) {
			*m = grammar_months[i].month;
			return k;
		}
	}
	return 0;
}

/*
 * Whether a typed day exists: month 1-12, a day of that month (29/02
 * only in a leap year, or when no year was typed), a year of
 * GRAMMAR_YEAR_MIN-GRAMMAR_YEAR_MAX when one was typed.
 */
static enum grammar_dm
grammar_date_check(struct grammar_date *dt)
{
	if (dt->year != 0 && (dt->year < GRAMMAR_YEAR_MIN ||
	    dt->year > GRAMMAR_YEAR_MAX))
		return GRAMMAR_DM_BAD;
	if (dt->month < 1 || dt->month > 12 || dt->day < 1 ||
	    dt->day > grammar_month_days(dt->year, dt->month))
		return GRAMMAR_DM_BAD;
	return GRAMMAR_DM_OK;
}

/*
 * A date starting at pos, ending (in *end) before anything that is not
 * a letter or digit:
 *  - dd/mm, dd-mm, d/m; with a year: dd/mm/yy, dd-mm-yyyy, dd.mm.yyyy
 *    (dd.mm alone is a time, 10.30, or a list: not a date);
 *  - yyyy-mm-dd, as smartphones write it;
 *  - dd Mei, 12-agustus-2026: after a month name only four digits are
 *    a year (in "1 jan 26" the 26 stays what it is);
 *  - hari ini, kemarin, kmrn, kemarin lusa, 3 hari lalu, today,
 *    yesterday: a relative date;
 *  - with compact, ddmmyy and ddmmyyyy, but only when they are a valid
 *    day: any other 6 or 8 digits are just digits.
 * GRAMMAR_DM_BAD when the shape is a date's and the day does not exist
 * (31/02, 12/13, 1/5/202); GRAMMAR_DM_NONE when it is no date at all.
 */
static enum grammar_dm
grammar_date_at(const unsigned char *s, size_t len, size_t pos, int compact,
    struct grammar_date *dt, size_t *end)
{
	size_t	na, nb, nc, i, j, k, e;
	int	a, b, c, m;
	char	sep;

	memset(dt, 0, sizeof(*dt));
	if (pos >= len)
		return GRAMMAR_DM_NONE;
	if (grammar_is_alpha(s[pos])) {
		for (i = 0; i < GRAMMAR_NELEM(grammar_relwords); i++) {
			e = grammar_phrase_at(s, len, pos,
			    grammar_relwords[i].words);
			if (e > 0) {
				dt->kind = GRAMMAR_DATE_RELATIVE;
				dt->rel_days = grammar_relwords[i].days;
				*end = e;
				return GRAMMAR_DM_OK;
			}
		}
		return GRAMMAR_DM_NONE;
	}
	if ((na = grammar_digits(s, len, pos, &a)) == 0)
		return GRAMMAR_DM_NONE;
	i = pos + na;
	dt->kind = GRAMMAR_DATE_DAY;

	/* Numbers joined by / - or . */
	if (i + 1 < len && (s[i] == '/' || s[i] == '-' || s[i] == '.') &&
	    grammar_is_digit(s[i + 1])) {
		sep = (char)s[i];
		nb = grammar_digits(s, len, i + 1, &b);
		j = i + 1 + nb;
		nc = 0;
		c = 0;
		if (j + 1 < len && (s[j] == '/' || s[j] == '-' ||
		    s[j] == '.') && grammar_is_digit(s[j + 1])) {
			nc = grammar_digits(s, len, j + 1, &c);
			j += 1 + nc;
		}
		if (j < len && grammar_is_alnum(s[j]))
			return GRAMMAR_DM_NONE;
		*end = j;
		if (na == 4 && sep != '.' && nb <= 2 && nc >= 1 && nc <= 2) {
			dt->year = a;
			dt->month = b;
			dt->day = c;
			return grammar_date_check(dt);
		}
		if (na > 2 || nb > 2)
			return GRAMMAR_DM_NONE;
		if (nc == 0 && sep == '.')
			return GRAMMAR_DM_NONE;
		if (nc != 0 && nc != 2 && nc != 4)
			return sep == '.' ? GRAMMAR_DM_NONE : GRAMMAR_DM_BAD;
		dt->day = a;
		dt->month = b;
		dt->year = nc == 2 ? 2000 + c : c;
		return grammar_date_check(dt);
	}

	if (na <= 2) {
		/* "3 hari lalu" */
		for (j = i; j < len && (k = grammar_blank_len(s + j,
		    len - j)) > 0; j += k)
			;
		if (j > i) {
			for (k = 0; k < GRAMMAR_NELEM(grammar_ago); k++) {
				if ((e = grammar_phrase_at(s, len, j,
				    grammar_ago[k])) > 0) {
					dt->kind = GRAMMAR_DATE_RELATIVE;
					dt->rel_days = -a;
					*end = e;
					return GRAMMAR_DM_OK;
				}
			}
		}
		/* "12 Mei", "12-mei-2026", "12mei" */
		for (j = i; j < len; j += k) {
			if ((k = grammar_blank_len(s + j, len - j)) == 0 &&
			    s[j] != '-' && s[j] != '/' && s[j] != '.')
				break;
			if (k == 0)
				k = 1;
		}
		if ((e = grammar_month_at(s, len, j, &m)) > 0) {
			dt->day = a;
			dt->month = m;
			*end = e;
			for (j = e; j < len; j += k) {
				if ((k = grammar_blank_len(s + j,
				    len - j)) == 0 && s[j] != '-' &&
				    s[j] != '/' && s[j] != '.' && s[j] != ',')
					break;
				if (k == 0)
					k = 1;
			}
			if (j > e && grammar_digits(s, len, j, &c) == 4 &&
			    (j + 4 >= len || !grammar_is_alnum(s[j + 4]))) {
				dt->year = c;
				*end = j + 4;
			}
			return grammar_date_check(dt);
		}
	}

	if (compact && (na == 6 || na == 8) &&
	    (i >= len || !grammar_is_alnum(s[i]))) {
		dt->day = na == 6 ? a / 10000 : a / 1000000;
		dt->month = na == 6 ? a / 100 % 100 : a / 10000 % 100;
		dt->year = na == 6 ? 2000 + a % 100 : a % 10000;
		*end = i;
		if (grammar_date_check(dt) == GRAMMAR_DM_OK)
			return GRAMMAR_DM_OK;
	}
	memset(dt, 0, sizeof(*dt));
	return GRAMMAR_DM_NONE;
}

/*
 * Between the words of GRAD, and before the id of KUNJ: whether the word
 * t starts a date.  If it does, the date is kept (a second, different
 * one is an error) and the lexer moved past it, *taken set; an
 * impossible one is GRAMMAR_E_BAD_DATE with the date as token.
 */
static enum grammar_error
grammar_take_date(struct grammar_lexer *lx, const struct grammar_token *t,
    int *taken, struct grammar_result *out)
{
	struct grammar_date	dt;
	enum grammar_dm		dm;
	size_t			end = t->end;

	*taken = 0;
	dm = grammar_date_at(lx->text, lx->len, t->start, 0, &dt, &end);
	if (dm == GRAMMAR_DM_NONE)
		return GRAMMAR_OK;
	if (dm == GRAMMAR_DM_BAD || (out->date.kind != GRAMMAR_DATE_NONE &&
	    memcmp(&out->date, &dt, sizeof(dt)) != 0)) {
		grammar_set_token(out, lx->text, t->start, end);
		return GRAMMAR_E_BAD_DATE;
	}
	out->date = dt;
	lx->pos = end;
	*taken = 1;
	return GRAMMAR_OK;
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
 * The date a visit note may start with, from pos (just after the id):
 * after the separators, an optional "tgl"/"tanggal", then a date of any
 * form grammar_date_at() knows, ddmmyy included.  *rest receives where
 * the note proper begins, after the date and its separators; it stays
 * pos when there is no date.
 */
static enum grammar_error
grammar_note_date(const unsigned char *s, size_t len, size_t pos,
    struct grammar_result *out, size_t *rest)
{
	struct grammar_date	dt;
	enum grammar_dm		dm;
	size_t			p = pos, q, k, end = pos;

	*rest = pos;
	while (p < len && (k = grammar_note_lead_len(s + p, len - p)) > 0)
		p += k;
	for (q = p; q < len && grammar_is_alpha(s[q]); q++)
		;
	if (q > p && grammar_in_list(s + p, q - p, grammar_date_intro,
	    GRAMMAR_NELEM(grammar_date_intro))) {
		while (q < len && (k = grammar_note_lead_len(s + q,
		    len - q)) > 0)
			q += k;
		if (grammar_date_at(s, len, q, 1, &dt, &end) !=
		    GRAMMAR_DM_NONE)
			p = q;
	}
	dm = grammar_date_at(s, len, p, 1, &dt, &end);
	if (dm == GRAMMAR_DM_NONE)
		return GRAMMAR_OK;
	if (dm == GRAMMAR_DM_BAD) {
		grammar_set_token(out, s, p, end);
		return GRAMMAR_E_BAD_DATE;
	}
	out->date = dt;
	while (end < len && (k = grammar_note_lead_len(s + end,
	    len - end)) > 0)
		end += k;
	*rest = end;
	return GRAMMAR_OK;
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
	size_t			 rest;
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
			rest = t.raw_end;
			if (out->date.kind == GRAMMAR_DATE_NONE &&
			    (e = grammar_note_date(s, lx->len, t.raw_end, out,
			    &rest)) != GRAMMAR_OK)
				return e;
			grammar_copy_note(out->note, s + t.raw_end,
			    lx->len - t.raw_end, rest - t.raw_end,
			    &out->note_skip);
			if (rest == t.raw_end)
				out->note_skip = 0;
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

/*
 * On an error out->cmd still names the command whose arguments were
 * wrong (GRAMMAR_CMD_NONE for E_EMPTY, E_KEYWORD and E_AMBIGUOUS) so the
 * reply can show the right example; ids, ref, note and date are cleared.
 */
int
grammar_parse(const char *text, size_t len, const struct grammar_options *o,
    struct grammar_result *out)
{
	struct grammar_options	 defaults;
	struct grammar_lexer	 lx;
	enum grammar_cmd	 cmd = GRAMMAR_CMD_NONE;
	enum grammar_error	 e;

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

	if ((e = grammar_first(&lx, &cmd, out)) == GRAMMAR_OK) {
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
	memset(out->id_is_nik, 0, sizeof(out->id_is_nik));
	out->ids_corrected = 0;
	out->category = GRAMMAR_CAT_SM;
	out->category_given = 0;
	out->ref[0] = '\0';
	out->note[0] = '\0';
	out->note_skip = 0;
	memset(&out->date, 0, sizeof(out->date));
	out->date.kind = GRAMMAR_DATE_NONE;
	return -1;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), and back.
 */
static long
grammar_day_number(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
grammar_day_civil(long z, int *y, int *m, int *d)
{
	long	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

enum grammar_error
grammar_resolve_date(const struct grammar_result *r, int today_y,
    int today_m, int today_d, int *y, int *m, int *d)
{
	const struct grammar_date	*dt = &r->date;
	long				 today, day;
	int				 yy, ahead;

	*y = *m = *d = 0;
	if (today_y < 1 || today_y > 9999 || today_m < 1 || today_m > 12 ||
	    today_d < 1 || today_d > grammar_month_days(today_y, today_m))
		return GRAMMAR_E_BAD_DATE;
	today = grammar_day_number(today_y, today_m, today_d);
	switch (dt->kind) {
	case GRAMMAR_DATE_NONE:
		day = today;
		break;
	case GRAMMAR_DATE_RELATIVE:
		if (dt->rel_days < -3660 || dt->rel_days > 3660)
			return GRAMMAR_E_BAD_DATE;
		day = today + dt->rel_days;
		break;
	case GRAMMAR_DATE_DAY:
		if (dt->month < 1 || dt->month > 12 || dt->day < 1 ||
		    dt->day > grammar_month_days(dt->year, dt->month) ||
		    dt->year < 0 || dt->year > 9999)
			return GRAMMAR_E_BAD_DATE;
		if (dt->year != 0) {
			day = grammar_day_number(dt->year, dt->month,
			    dt->day);
			break;
		}
		/*
		 * The latest such day not after today, unless this year's,
		 * still to come, is nearer: then it is a future date.
		 */
		yy = today_y;
		ahead = dt->month > today_m || (dt->month == today_m &&
		    dt->day > today_d);
		if (ahead)
			yy--;
		while (dt->day > grammar_month_days(yy, dt->month))
			yy--;	/* 29/02: back to a leap year */
		day = grammar_day_number(yy, dt->month, dt->day);
		if (ahead && dt->day <= grammar_month_days(today_y,
		    dt->month) && grammar_day_number(today_y, dt->month,
		    dt->day) - today < today - day)
			return GRAMMAR_E_FUTURE_DATE;
		break;
	default:
		return GRAMMAR_E_BAD_DATE;
	}
	if (day > today)
		return GRAMMAR_E_FUTURE_DATE;
	grammar_day_civil(day, y, m, d);
	return GRAMMAR_OK;
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
	}
	return "?";
}

const char *
grammar_nik_part_name(enum grammar_nik_part p)
{
	switch (p) {
	case GRAMMAR_NIK_OK:
		return "OK";
	case GRAMMAR_NIK_PROVINCE:
		return "PROVINCE";
	case GRAMMAR_NIK_REGENCY:
		return "REGENCY";
	case GRAMMAR_NIK_DISTRICT:
		return "DISTRICT";
	case GRAMMAR_NIK_DAY:
		return "DAY";
	case GRAMMAR_NIK_MONTH:
		return "MONTH";
	case GRAMMAR_NIK_BIRTH_DATE:
		return "BIRTH_DATE";
	case GRAMMAR_NIK_SERIAL:
		return "SERIAL";
	}
	return "?";
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
