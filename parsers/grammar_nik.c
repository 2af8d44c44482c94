/*
 * grammar_nik.c: KPM ids, and the NIK when one is given instead.
 *
 * An id is digits, with O read as 0 and l, I as 1 once it holds a real
 * digit, and fullwidth digits read as digits.  Sixteen digits are a NIK
 * (unless the options say otherwise): its structure is checked, part by
 * part, and it is never echoed whole (domain.md): "3527********0082".
 */
#include <stddef.h>
#include <string.h>

#include "grammar.h"
#include "grammar_internal.h"

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

static long	grammar_id_read(const unsigned char *,
		    const struct grammar_token *, char *, size_t, int *);
static enum grammar_nik_part grammar_nik_check(const char *);

/*
 * Keep a NIK-like word for the reply without echoing it whole
 * (domain.md): "3527********0082".  The digits come from id when given
 * (the word as read), else from the bytes typed.
 */
void
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
enum grammar_error
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
