/*
 * phone.c: one canonical form for a phone number.
 *
 * Every sender is stored as E.164 digits without the plus, whatever form
 * the operator delivered: "+62812...", "62812...", "0812..." or, from
 * some SMSCs with TON unknown or national, a bare "812...".
 */
#include <stddef.h>
#include <string.h>

#include "phone.h"

/* Digits we collect before judging; anything longer is no phone. */
#define PHONE_SCRATCH	32

static int	phone_is_digits(const char *);

/* Non-empty and nothing but ASCII digits. */
static int
phone_is_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/*
 * The rules, in order:
 *  - a leading '+' (only before the first digit) means international;
 *  - "00" before the digits is the international call prefix: dropped,
 *    the rest is international;
 *  - a leading '0' is the national trunk prefix, whatever the TON says
 *    (no country code starts with 0): dropped, country code prepended;
 *  - TON national: country code prepended;
 *  - TON unknown (or anything else) with a leading '8', the start of
 *    every Indonesian mobile number: country code prepended;
 *  - otherwise the digits are taken as international, as they are.
 * Spaces, tabs, dashes, dots and brackets are ignored; any other
 * character (letters above all: alphanumeric senders) is refused.
 */
int
phone_normalize(const char *in, int ton, const char *country_code,
    char *out, size_t outsz)
{
	char		 digits[PHONE_SCRATCH + 1];
	const char	*d = digits;
	size_t		 n = 0, cclen, dlen;
	int		 plus = 0, national = 0;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (in == NULL || out == NULL || country_code == NULL ||
	    !phone_is_digits(country_code))
		return -1;
	cclen = strlen(country_code);
	if (cclen > 3)
		return -1;

	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '\t' || *in == '-' || *in == '.' ||
		    *in == '(' || *in == ')')
			continue;
		if (*in == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (*in < '0' || *in > '9')
			return -1;
		if (n == PHONE_SCRATCH)
			return -1;
		digits[n++] = *in;
	}
	digits[n] = '\0';
	if (n == 0)
		return -1;

	if (!plus) {
		if (n >= 2 && d[0] == '0' && d[1] == '0')
			d += 2;
		else if (d[0] == '0') {
			d++;
			national = 1;
		} else if (ton == PHONE_TON_NATIONAL)
			national = 1;
		else if (ton != PHONE_TON_INTERNATIONAL && d[0] == '8')
			national = 1;
	}

	dlen = strlen(d);
	if (dlen == 0 || d[0] == '0')
		return -1;
	if (national)
		dlen += cclen;
	if (dlen < PHONE_MIN || dlen > PHONE_MAX || dlen + 1 > outsz)
		return -1;
	if (national) {
		memcpy(out, country_code, cclen);
		memcpy(out + cclen, d, dlen - cclen + 1);
	} else
		memcpy(out, d, dlen + 1);
	return 0;
}

/*
 * Numbers of 13 digits or more (every Indonesian mobile in E.164) keep
 * their first 5 and last 4 digits.  Shorter ones keep a third at each
 * end, rounded down: at least a third of the digits (rounded down) is
 * always hidden, and nothing of numbers under 3 digits shows.
 */
void
phone_mask(const char *phone, char *out, size_t outsz)
{
	size_t	n, head, tail, i;

	if (out == NULL || outsz == 0)
		return;
	if (phone == NULL) {
		out[0] = '\0';
		return;
	}
	n = strlen(phone);
	if (n >= 13) {
		head = 5;
		tail = 4;
	} else {
		head = n / 3;
		tail = n / 3;
	}
	for (i = 0; i < n && i + 1 < outsz; i++)
		out[i] = (i < head || i >= n - tail) ? phone[i] : '*';
	out[i] = '\0';
}
