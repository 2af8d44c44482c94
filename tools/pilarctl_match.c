/*
 * pilarctl_match.c: whether a text names a person, for pilarctl erase.
 *
 * A person is named by an id (a KPM id, a NIK), a phone or a full name,
 * typed as people type on basic phones (domain.md): ids glued to the
 * keyword ("GRAD12345"), with O for 0 and l or I for 1, in groups
 * ("3527 0102 0304 0082"), in full-width digits; phones in any of their
 * spellings; names in any case with any spacing.  Erasing too much of
 * a raw SMS costs little (the records stay); missing a NIK would not,
 * so the matching leans toward finding.
 */
#include <stdio.h>
#include <string.h>

#include "phone.h"
#include "pilarctl.h"

#define CTL_RUNS_MAX	64	/* digit groups looked at per text */
#define CTL_RUN_MAX	32	/* digits of one candidate */
#define CTL_GAP_MAX	2	/* separators between groups of one id */

/* A group of digits in a text: where it is, and its digits. */
struct ctl_run {
	size_t	start, end;		/* bytes [start, end) of the text */
	char	d[CTL_RUN_MAX + 1];
	size_t	n;
};

static int	ctl_match_digit(const char *, size_t *, int *, int);
static int	ctl_match_runs(const char *, struct ctl_run *, int, int);
static int	ctl_match_candidate(const struct ctl_match *, const char *);
static int	ctl_match_word_char(unsigned char);
static int	ctl_match_name_at(const char *, size_t, const char *);

void
ctl_match_init(struct ctl_match *m, const char *country_code)
{
	memset(m, 0, sizeof(*m));
	m->country_code = country_code;
}

void
ctl_match_phone(struct ctl_match *m, const char *e164)
{
	if (e164[0] != '\0' && m->nphones < CTL_MATCH_MAX)
		snprintf(m->phones[m->nphones++], PHONE_MAX + 1, "%s", e164);
}

void
ctl_match_id(struct ctl_match *m, const char *digits)
{
	if (digits[0] != '\0' && m->nids < CTL_MATCH_MAX)
		snprintf(m->ids[m->nids++], CTL_MATCH_ID_MAX + 1, "%s",
		    digits);
}

/*
 * Only names of two words or more: a single word ("Sari", which is
 * also a word of the language) would blank the notes of strangers.
 */
int
ctl_match_name(struct ctl_match *m, const char *name)
{
	const char	*sp;

	while (*name == ' ')
		name++;
	if ((sp = strchr(name, ' ')) == NULL || sp[strspn(sp, " ")] == '\0')
		return 0;
	if (m->nnames < CTL_MATCH_MAX)
		snprintf(m->names[m->nnames++], CTL_MATCH_NAME_MAX + 1, "%s",
		    name);
	return 1;
}

/*
 * The digit at *i of s, or -1: ASCII digits, full-width digits (U+FF10
 * to U+FF19) and, when lenient, O and o for 0 and I and l for 1.  *i
 * moves past it; *strict is 1 for a real digit.
 */
static int
ctl_match_digit(const char *s, size_t *i, int *strict, int lenient)
{
	const unsigned char	*p = (const unsigned char *)s + *i;

	*strict = 1;
	if (p[0] >= '0' && p[0] <= '9') {
		(*i)++;
		return p[0] - '0';
	}
	if (p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 && p[2] <= 0x99) {
		*i += 3;
		return p[2] - 0x90;
	}
	*strict = 0;
	if (!lenient)
		return -1;
	if (p[0] == 'O' || p[0] == 'o') {
		(*i)++;
		return 0;
	}
	if (p[0] == 'I' || p[0] == 'l') {
		(*i)++;
		return 1;
	}
	return -1;
}

/*
 * The groups of digits of s, at most max: maximal runs of digits (with
 * lenient, the look-alike letters too) holding at least one real digit.
 * Returns how many.
 */
static int
ctl_match_runs(const char *s, struct ctl_run *runs, int max, int lenient)
{
	size_t	i = 0, j;
	int	n = 0, d, strict, real;

	while (s[i] != '\0' && n < max) {
		j = i;
		runs[n].n = 0;
		real = 0;
		while ((d = ctl_match_digit(s, &j, &strict, lenient)) != -1) {
			if (runs[n].n < CTL_RUN_MAX)
				runs[n].d[runs[n].n++] = (char)('0' + d);
			real |= strict;
		}
		if (j == i) {
			i++;
			continue;
		}
		runs[n].d[runs[n].n] = '\0';
		runs[n].start = i;
		runs[n].end = j;
		if (real)
			n++;
		i = j;
	}
	return n;
}

/* Whether the digits c are a needle id, or a needle phone spelled. */
static int
ctl_match_candidate(const struct ctl_match *m, const char *c)
{
	char	e164[PHONE_MAX + 1];
	int	i;

	for (i = 0; i < m->nids; i++)
		if (strcmp(c, m->ids[i]) == 0)
			return 1;
	if (m->nphones == 0 || phone_normalize(c, PHONE_TON_UNKNOWN,
	    m->country_code, e164, sizeof(e164)) == -1)
		return 0;
	for (i = 0; i < m->nphones; i++)
		if (strcmp(e164, m->phones[i]) == 0)
			return 1;
	return 0;
}

/* Letters, digits and any byte of a UTF-8 sequence are in words. */
static int
ctl_match_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

/*
 * Whether name is at byte at of s, as whole words: ASCII letters in any
 * case, a blank of the name as any run of blanks or line breaks.
 */
static int
ctl_match_name_at(const char *s, size_t at, const char *name)
{
	const unsigned char	*p = (const unsigned char *)s + at;
	const unsigned char	*q = (const unsigned char *)name;
	unsigned char		 a, b;

	if (at > 0 && ctl_match_word_char((unsigned char)s[at - 1]))
		return 0;
	while (*q != '\0') {
		if (*q == ' ') {
			if (*p != ' ' && *p != '\t' && *p != '\r' &&
			    *p != '\n')
				return 0;
			while (*p == ' ' || *p == '\t' || *p == '\r' ||
			    *p == '\n')
				p++;
			while (*q == ' ')
				q++;
			continue;
		}
		a = *p >= 'A' && *p <= 'Z' ? *p + 32 : *p;
		b = *q >= 'A' && *q <= 'Z' ? *q + 32 : *q;
		if (a != b || a == '\0')
			return 0;
		p++;
		q++;
	}
	return !ctl_match_word_char(*p);
}

/*
 * Whether text names anyone of m.  Every group of digits is tried
 * alone and joined with the groups that follow it across one or two
 * separators (" ", ".", "-"), strictly and with the look-alike letters
 * read as digits.
 */
int
ctl_match_text(const struct ctl_match *m, const char *text)
{
	struct ctl_run	runs[CTL_RUNS_MAX];
	char		cand[CTL_RUN_MAX + 1];
	size_t		len, k, g;
	int		lenient, n, i, j, ok;

	if (text == NULL || text[0] == '\0')
		return 0;
	for (lenient = 0; lenient <= 1 && (m->nids > 0 ||
	    m->nphones > 0); lenient++) {
		n = ctl_match_runs(text, runs, CTL_RUNS_MAX, lenient);
		for (i = 0; i < n; i++) {
			len = 0;
			for (j = i; j < n; j++) {
				if (j > i) {
					ok = runs[j].start - runs[j - 1].end <=
					    CTL_GAP_MAX;
					for (g = runs[j - 1].end; ok &&
					    g < runs[j].start; g++)
						ok = strchr(" .-", text[g]) !=
						    NULL;
					if (!ok)
						break;
				}
				if (len + runs[j].n > CTL_RUN_MAX)
					break;
				memcpy(cand + len, runs[j].d, runs[j].n);
				len += runs[j].n;
				cand[len] = '\0';
				if (ctl_match_candidate(m, cand))
					return 1;
			}
		}
	}
	for (i = 0; i < m->nnames; i++)
		for (k = 0; text[k] != '\0'; k++)
			if (ctl_match_name_at(text, k, m->names[i]))
				return 1;
	return 0;
}
