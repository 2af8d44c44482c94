/*
 * receipt.c: the text form of SMSC delivery receipts, and the forms of
 * a message id.
 *
 * The text form is SMPP 3.4 Appendix B's, as Kannel and most SMSCs
 * write it:
 *
 *	id:IIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm
 *	done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
 *
 * Real SMSCs vary it: keys in upper or lower case, fields missing or in
 * another order, vendor keys added, text: left out, NUL padding.  So the
 * parser is a loose tokenizer: separators are spaces, tabs, CR, LF and
 * NUL; a token that starts with a key we know takes the value up to the
 * next separator; anything else is skipped up to the next separator;
 * text: ends the scan (the text is the original message, ignored).
 * Nothing is allocated; the input need not be NUL terminated.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "receipt.h"

/* The keys we look for; "submit date" and "done date" hold a space. */
enum receipt_key {
	KEY_ID,
	KEY_SUB,
	KEY_DLVRD,
	KEY_SUBMIT_DATE,
	KEY_DONE_DATE,
	KEY_STAT,
	KEY_ERR,
	KEY_TEXT,
	KEY_NONE
};

/* An input and a read position. */
struct scan {
	const char	*s;
	size_t		 len;
	size_t		 off;
};

static int	 is_sep(char);
static int	 lower(int);
static int	 word_eq(const char *, size_t, const char *);
static int	 match_word(struct scan *, const char *);
static enum receipt_key match_key(struct scan *);
static size_t	 value_len(const struct scan *);
static enum receipt_state state_from_word(const char *, size_t);
static int	 parse_err(const char *, size_t);
static int	 parse_u64(const char *, int, uint64_t *);
static void	 format_u64(uint64_t, int, char *);
static int	 add_form(char [][RECEIPT_ID_MAX + 1], int, const char *);

static int
is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
}

/* ASCII only: receipts are ASCII, and the locale must not matter. */
static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The n octets at s equal the lowercase word w, ignoring case. */
static int
word_eq(const char *s, size_t n, const char *w)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || lower((unsigned char)s[i]) != w[i])
			return 0;
	return w[n] == '\0';
}

/* Step over the lowercase word w at sc->off, ignoring case. */
static int
match_word(struct scan *sc, const char *w)
{
	size_t	 n = strlen(w);

	if (sc->len - sc->off < n || !word_eq(sc->s + sc->off, n, w))
		return 0;
	sc->off += n;
	return 1;
}

/*
 * The key that starts at sc->off, if any, with its ':' stepped over.
 * "submit" and "done" may be followed by several spaces before "date".
 * On KEY_NONE, sc->off has not moved.
 */
static enum receipt_key
match_key(struct scan *sc)
{
	static const struct {
		const char		*word;
		enum receipt_key	 key;
	} keys[] = {
		{ "id", KEY_ID }, { "sub", KEY_SUB }, { "dlvrd", KEY_DLVRD },
		{ "submit", KEY_SUBMIT_DATE }, { "done", KEY_DONE_DATE },
		{ "stat", KEY_STAT }, { "err", KEY_ERR }, { "text", KEY_TEXT },
	};
	size_t	 i, start = sc->off;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		sc->off = start;
		if (!match_word(sc, keys[i].word))
			continue;
		if (keys[i].key == KEY_SUBMIT_DATE ||
		    keys[i].key == KEY_DONE_DATE) {
			if (sc->off >= sc->len || sc->s[sc->off] != ' ')
				continue;
			while (sc->off < sc->len && sc->s[sc->off] == ' ')
				sc->off++;
			if (!match_word(sc, "date"))
				continue;
		}
		if (sc->off < sc->len && sc->s[sc->off] == ':') {
			sc->off++;
			return keys[i].key;
		}
	}
	sc->off = start;
	return KEY_NONE;
}

/* Octets from sc->off to the next separator or the end. */
static size_t
value_len(const struct scan *sc)
{
	size_t	 n = 0;

	while (sc->off + n < sc->len && !is_sep(sc->s[sc->off + n]))
		n++;
	return n;
}

/* The message_state a stat: word stands for, any case. */
static enum receipt_state
state_from_word(const char *w, size_t n)
{
	static const struct {
		const char		*word;
		enum receipt_state	 state;
	} words[] = {
		{ "delivrd", RECEIPT_DELIVERED },
		{ "delivered", RECEIPT_DELIVERED },
		{ "expired", RECEIPT_EXPIRED },
		{ "deleted", RECEIPT_DELETED },
		{ "undeliv", RECEIPT_UNDELIVERABLE },
		{ "undeliverable", RECEIPT_UNDELIVERABLE },
		{ "acceptd", RECEIPT_ACCEPTED },
		{ "accepted", RECEIPT_ACCEPTED },
		{ "unknown", RECEIPT_UNKNOWN },
		{ "rejectd", RECEIPT_REJECTED },
		{ "rejected", RECEIPT_REJECTED },
		{ "enroute", RECEIPT_ENROUTE },
	};
	size_t	 i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (word_eq(w, n, words[i].word))
			return words[i].state;
	return RECEIPT_NONE;
}

/* err: decimal digits only ("000", "1"); -1 for anything else. */
static int
parse_err(const char *v, size_t n)
{
	long	 e = 0;
	size_t	 i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		e = e * 10 + (v[i] - '0');
		if (e > 0x7FFFFFFFL)
			return -1;
	}
	return (int)e;
}

/*
 * Read a receipt's text form into out.  The first id:, stat: and err:
 * win (a vendor may repeat a key inside its own fields).  An id longer
 * than RECEIPT_ID_MAX is no SMPP message_id: it is left out, as is a
 * stat: word we do not know (out->stat still says what it was, cut to
 * 7 octets).
 */
int
receipt_parse_text(const char *text, size_t len, struct receipt *out)
{
	struct scan		 sc;
	enum receipt_key	 key;
	size_t			 n, cut;
	int			 seen_id = 0, seen_stat = 0, seen_err = 0;

	memset(out, 0, sizeof(*out));
	out->state = RECEIPT_NONE;
	out->err = -1;
	if (text == NULL)
		return -1;
	sc.s = text;
	sc.len = len;
	sc.off = 0;
	while (sc.off < sc.len) {
		if (is_sep(sc.s[sc.off])) {
			sc.off++;
			continue;
		}
		key = match_key(&sc);
		if (key == KEY_TEXT)
			break;
		n = value_len(&sc);
		switch (key) {
		case KEY_ID:
			if (!seen_id && n <= RECEIPT_ID_MAX) {
				memcpy(out->id, sc.s + sc.off, n);
				out->id[n] = '\0';
			}
			seen_id = 1;
			break;
		case KEY_STAT:
			if (!seen_stat) {
				out->state = state_from_word(sc.s + sc.off, n);
				cut = n < sizeof(out->stat) - 1 ? n :
				    sizeof(out->stat) - 1;
				memcpy(out->stat, sc.s + sc.off, cut);
				out->stat[cut] = '\0';
			}
			seen_stat = 1;
			break;
		case KEY_ERR:
			if (!seen_err)
				out->err = parse_err(sc.s + sc.off, n);
			seen_err = 1;
			break;
		default:
			/* sub:, dlvrd:, the dates, unknown keys, garbage. */
			break;
		}
		sc.off += n;
	}
	if (!seen_id && !seen_stat) {
		out->err = -1;
		return -1;
	}
	return 0;
}

enum receipt_state
receipt_state_from_stat(const char *stat)
{
	if (stat == NULL)
		return RECEIPT_NONE;
	return state_from_word(stat, strlen(stat));
}

const char *
receipt_state_name(enum receipt_state state)
{
	switch (state) {
	case RECEIPT_ENROUTE:		return "enroute";
	case RECEIPT_DELIVERED:		return "delivered";
	case RECEIPT_EXPIRED:		return "expired";
	case RECEIPT_DELETED:		return "deleted";
	case RECEIPT_UNDELIVERABLE:	return "undeliverable";
	case RECEIPT_ACCEPTED:		return "accepted";
	case RECEIPT_UNKNOWN:		return "unknown";
	case RECEIPT_REJECTED:		return "rejected";
	case RECEIPT_NONE:
	default:			return "none";
	}
}

/*
 * The value of s, all digits of base 10 or 16 (OUT: *v).  0 when s is
 * empty, holds another character, or the value needs more than 64 bits
 * (leading zeros do not count).
 */
static int
parse_u64(const char *s, int base, uint64_t *v)
{
	uint64_t	 x = 0;
	int		 d;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && lower((unsigned char)*s) >= 'a' &&
		    lower((unsigned char)*s) <= 'f')
			d = lower((unsigned char)*s) - 'a' + 10;
		else
			return 0;
		if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return 0;
		x = x * (uint64_t)base + (uint64_t)d;
	}
	*v = x;
	return 1;
}

/* v in base 10 or 16 (lower case), no leading zeros, into out (>= 21). */
static void
format_u64(uint64_t v, int base, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	char			 tmp[24];
	size_t			 n = 0, i;

	do {
		tmp[n++] = digits[v % (uint64_t)base];
		v /= (uint64_t)base;
	} while (v != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* Append s to the n forms unless it is there already; the new count. */
static int
add_form(char forms[][RECEIPT_ID_MAX + 1], int n, const char *s)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(forms[i], s) == 0)
			return n;
	memcpy(forms[n], s, strlen(s) + 1);
	return n + 1;
}

/*
 * The forms of id, as receipt.h says.  An id longer than RECEIPT_ID_MAX
 * has none (0), like an empty one: it cannot be one of ours.
 */
int
receipt_id_forms(const char *id,
    char forms[RECEIPT_FORMS_MAX][RECEIPT_ID_MAX + 1])
{
	char		 conv[24];
	uint64_t	 v;
	size_t		 len;
	int		 n = 0;

	if (id == NULL || (len = strnlen(id, RECEIPT_ID_MAX + 1)) == 0 ||
	    len > RECEIPT_ID_MAX)
		return 0;
	n = add_form(forms, n, id);
	if (parse_u64(id, 10, &v)) {
		format_u64(v, 16, conv);
		n = add_form(forms, n, conv);
	}
	if (parse_u64(id, 16, &v)) {
		format_u64(v, 10, conv);
		n = add_form(forms, n, conv);
	}
	return n;
}
