/*
 * phone.h: one canonical form for a phone number.
 *
 * Operators deliver the same sender as "+62812...", "62812..." or
 * "0812..." (TON international or national).  We store E.164 digits
 * without the plus: "6281200000001".
 */
#ifndef PILAR_PHONE_H
#define PILAR_PHONE_H

#include <stddef.h>

#define PHONE_MAX	15	/* E.164 digits */
#define PHONE_MIN	8

/* SMPP type of number of the address, as far as we care. */
#define PHONE_TON_UNKNOWN	0
#define PHONE_TON_INTERNATIONAL	1
#define PHONE_TON_NATIONAL	2

/*
 * Normalise in (NUL terminated, as typed or as delivered) into E.164
 * digits in out (at least PHONE_MAX + 1 bytes).  country_code is digits,
 * e.g. "62".  Spaces, dashes, dots and brackets are ignored.  Returns 0,
 * or -1 when in is not a plausible phone number (letters, too short,
 * too long, empty).
 */
int	phone_normalize(const char *in, int ton, const char *country_code,
	    char *out, size_t outsz);

/*
 * Mask an E.164 number for logs: keep the first 5 and last 4 digits,
 * "6281200000001" -> "62812****0001".  Short numbers keep fewer digits.
 * Writes a NUL terminated string of at most outsz - 1 bytes.
 */
void	phone_mask(const char *phone, char *out, size_t outsz);

#endif
