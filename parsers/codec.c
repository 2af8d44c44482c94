/*
 * codec.c: SMS alphabets to and from UTF-8.
 *
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension
 * table, IA5, Latin-1 and UCS-2/UTF-16BE.  Every write is checked against
 * the caller's size first; the UTF-8 reader is strict (no overlong forms,
 * no surrogates, nothing above U+10FFFF) so that encoders refuse text
 * that is not UTF-8 instead of sending garbage.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec.h"

#define CODEC_REPLACEMENT	0xfffd
#define CODEC_GSM_ESC		0x1b

/* GSM 03.38 default alphabet: septet value -> Unicode. */
static const uint16_t codec_gsm_basic[128] = {
	0x0040, 0x00a3, 0x0024, 0x00a5, 0x00e8, 0x00e9, 0x00f9, 0x00ec,
	0x00f2, 0x00c7, 0x000a, 0x00d8, 0x00f8, 0x000d, 0x00c5, 0x00e5,
	0x0394, 0x005f, 0x03a6, 0x0393, 0x039b, 0x03a9, 0x03a0, 0x03a8,
	0x03a3, 0x0398, 0x039e, 0x00a0, 0x00c6, 0x00e6, 0x00df, 0x00c9,
	0x0020, 0x0021, 0x0022, 0x0023, 0x00a4, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e, 0x003f,
	0x00a1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005a, 0x00c4, 0x00d6, 0x00d1, 0x00dc, 0x00a7,
	0x00bf, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006a, 0x006b, 0x006c, 0x006d, 0x006e, 0x006f,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007a, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0
};

/* GSM 03.38 extension table, reached through ESC (0x1B). */
struct codec_gsm_ext {
	uint8_t		septet;
	uint16_t	cp;
};

static const struct codec_gsm_ext codec_gsm_ext[] = {
	{ 0x0a, 0x000c },	/* form feed */
	{ 0x14, 0x005e },	/* ^ */
	{ 0x28, 0x007b },	/* { */
	{ 0x29, 0x007d },	/* } */
	{ 0x2f, 0x005c },	/* \ */
	{ 0x3c, 0x005b },	/* [ */
	{ 0x3d, 0x007e },	/* ~ */
	{ 0x3e, 0x005d },	/* ] */
	{ 0x40, 0x007c },	/* | */
	{ 0x65, 0x20ac }	/* euro sign */
};

#define CODEC_NEXT	(sizeof(codec_gsm_ext) / sizeof(codec_gsm_ext[0]))

enum codec_alphabet {
	CODEC_A_GSM,
	CODEC_A_IA5,
	CODEC_A_LATIN1,
	CODEC_A_UCS2,
	CODEC_A_NONE		/* binary, or a coding we cannot read */
};

static enum codec_alphabet codec_alphabet(int);
static int	codec_utf8_next(const char **, uint32_t *);
static int	codec_utf8_put(uint32_t, char *, size_t, size_t *);
static int	codec_gsm_lookup(uint32_t, uint8_t *);
static uint32_t	codec_gsm_decode(const uint8_t *, size_t, size_t *);
static uint8_t	codec_septet_at(const uint8_t *, size_t);
static int	codec_gsm_packed_to_utf8(const uint8_t *, size_t, size_t,
	    char *, size_t);

/*
 * The alphabet of an SMPP data_coding.  Values 0-15 are SMPP's own;
 * above that the octet is a GSM 03.38 data coding scheme, whose general
 * and message-class groups some SMSCs pass through unchanged.
 */
static enum codec_alphabet
codec_alphabet(int dc)
{
	switch (dc) {
	case CODEC_DC_DEFAULT:
		return CODEC_A_GSM;
	case CODEC_DC_IA5:
		return CODEC_A_IA5;
	case CODEC_DC_LATIN1:
		return CODEC_A_LATIN1;
	case CODEC_DC_UCS2:
		return CODEC_A_UCS2;
	}
	if (dc < 0x10 || dc > 0xff)
		return CODEC_A_NONE;
	if ((dc & 0xc0) == 0x00) {		/* general data coding */
		if (dc & 0x20)
			return CODEC_A_NONE;	/* compressed */
		switch (dc & 0x0c) {
		case 0x00:
			return CODEC_A_GSM;
		case 0x08:
			return CODEC_A_UCS2;
		default:
			return CODEC_A_NONE;
		}
	}
	if ((dc & 0xf0) == 0xc0 || (dc & 0xf0) == 0xd0)
		return CODEC_A_GSM;		/* message waiting */
	if ((dc & 0xf0) == 0xe0)
		return CODEC_A_UCS2;		/* message waiting, UCS-2 */
	if ((dc & 0xf0) == 0xf0)
		return (dc & 0x04) ? CODEC_A_NONE : CODEC_A_GSM;
	return CODEC_A_NONE;
}

/*
 * Read one code point from *s and advance.  Returns 1, 0 at the end of
 * the string, or -1 on anything that is not well-formed UTF-8.
 */
static int
codec_utf8_next(const char **s, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)*s;
	uint32_t		 c, min;
	int			 n, i;

	if (p[0] == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		*s += 1;
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 1;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 2;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 3;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		return -1;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return -1;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	*s += n + 1;
	return 1;
}

/*
 * Append cp as UTF-8 at out[*o], keeping room for the final NUL.
 * Returns 0, or -1 when it does not fit.
 */
static int
codec_utf8_put(uint32_t cp, char *out, size_t outsz, size_t *o)
{
	unsigned char	b[4];
	size_t		n;

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = CODEC_REPLACEMENT;	/* a NUL would cut the string */
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (*o + n >= outsz)
		return -1;
	memcpy(out + *o, b, n);
	*o += n;
	return 0;
}

/*
 * Septets for cp: one (basic table) or two (ESC + extension).  Returns
 * the count, 0 when cp is not in the GSM alphabet.  Form feed is taken
 * from the extension table even though 0x0A (LF) shares its septet.
 */
static int
codec_gsm_lookup(uint32_t cp, uint8_t *septets)
{
	/*
	 * ASCII is nearly all of what pilar sends, and every reply goes
	 * through here: remember the basic-table septet of each ASCII
	 * character (0xff: not in the basic table) instead of searching.
	 */
	static uint8_t	ascii[128];
	static int	ascii_ready;
	size_t		i;

	if (!ascii_ready) {
		memset(ascii, 0xff, sizeof(ascii));
		for (i = 127; i != (size_t)-1; i--)
			if (codec_gsm_basic[i] < 128 && i != 0x1b)
				ascii[codec_gsm_basic[i]] = (uint8_t)i;
		ascii_ready = 1;
	}
	if (cp < 128 && ascii[cp] != 0xff) {
		septets[0] = ascii[cp];
		return 1;
	}
	if (cp == 0x00a0)	/* 0x1B in the basic table is ESC, not NBSP */
		return 0;
	for (i = 0; i < 128; i++) {
		if (codec_gsm_basic[i] == cp) {
			septets[0] = (uint8_t)i;
			return 1;
		}
	}
	for (i = 0; i < CODEC_NEXT; i++) {
		if (codec_gsm_ext[i].cp == cp) {
			septets[0] = CODEC_GSM_ESC;
			septets[1] = codec_gsm_ext[i].septet;
			return 2;
		}
	}
	return 0;
}

/*
 * Decode the character at in[0] (len > 0 bytes left) and say in *used
 * how many octets it took.  ESC followed by something the extension
 * table lacks shows the basic character, as TS 23.038 asks; ESC ESC and
 * a final ESC show a space.  Octets above 0x7F are no septets: U+FFFD.
 */
static uint32_t
codec_gsm_decode(const uint8_t *in, size_t len, size_t *used)
{
	size_t	i;

	*used = 1;
	if (in[0] > 0x7f)
		return CODEC_REPLACEMENT;
	if (in[0] != CODEC_GSM_ESC)
		return codec_gsm_basic[in[0]];
	if (len < 2)
		return 0x20;
	*used = 2;
	if (in[1] > 0x7f)
		return CODEC_REPLACEMENT;
	if (in[1] == CODEC_GSM_ESC)
		return 0x20;
	for (i = 0; i < CODEC_NEXT; i++)
		if (codec_gsm_ext[i].septet == in[1])
			return codec_gsm_ext[i].cp;
	return codec_gsm_basic[in[1]];
}

/*
 * NUL octets (or U+0000 in UCS-2) come out as U+FFFD: the result is a C
 * string and must not end early.  In UCS-2 a high surrogate followed by
 * a low one is one astral character; either alone is U+FFFD, as is an
 * odd final octet.
 */
int
codec_to_utf8(int data_coding, const uint8_t *in, size_t len, char *out,
    size_t outsz)
{
	enum codec_alphabet	 a = codec_alphabet(data_coding);
	size_t			 i = 0, o = 0, used;
	uint32_t		 cp, lo;

	if (out == NULL || outsz == 0)
		return -1;
	out[0] = '\0';
	if (a == CODEC_A_NONE || (in == NULL && len > 0))
		return -1;

	while (i < len) {
		switch (a) {
		case CODEC_A_GSM:
			cp = codec_gsm_decode(in + i, len - i, &used);
			i += used;
			break;
		case CODEC_A_IA5:
			cp = in[i] < 0x80 ? in[i] : CODEC_REPLACEMENT;
			i++;
			break;
		case CODEC_A_LATIN1:
			cp = in[i++];
			break;
		case CODEC_A_UCS2:
		default:
			if (len - i < 2) {
				cp = CODEC_REPLACEMENT;
				i = len;
				break;
			}
			cp = (uint32_t)in[i] << 8 | in[i + 1];
			i += 2;
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				cp = CODEC_REPLACEMENT;
			} else if (cp >= 0xd800 && cp <= 0xdbff) {
				lo = len - i >= 2 ?
				    ((uint32_t)in[i] << 8 | in[i + 1]) : 0;
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					i += 2;
				} else
					cp = CODEC_REPLACEMENT;
			}
			break;
		}
		if (codec_utf8_put(cp, out, outsz, &o) == -1) {
			out[0] = '\0';
			return -1;
		}
	}
	out[o] = '\0';
	if (o > INT_MAX)
		return -1;
	return (int)o;
}

int
codec_gsm7_length(const char *utf8)
{
	uint8_t		sept[2];
	uint32_t	cp;
	size_t		n = 0;
	int		r, k;

	if (utf8 == NULL)
		return -1;
	while ((r = codec_utf8_next(&utf8, &cp)) == 1) {
		if ((k = codec_gsm_lookup(cp, sept)) == 0)
			return -1;
		n += (size_t)k;
		if (n > INT_MAX)
			return -1;
	}
	return r == 0 ? (int)n : -1;
}

int
codec_gsm7_encode(const char *utf8, uint8_t *out, size_t outsz)
{
	uint8_t		sept[2];
	uint32_t	cp;
	size_t		o = 0;
	int		r, k;

	if (utf8 == NULL || (out == NULL && outsz > 0))
		return -1;
	while ((r = codec_utf8_next(&utf8, &cp)) == 1) {
		if ((k = codec_gsm_lookup(cp, sept)) == 0)
			return -1;
		if ((size_t)k > outsz - o || o + (size_t)k > INT_MAX)
			return -1;
		memcpy(out + o, sept, (size_t)k);
		o += (size_t)k;
	}
	return r == 0 ? (int)o : -1;
}

/* Astral characters become a surrogate pair, four octets. */
int
codec_ucs2_encode(const char *utf8, uint8_t *out, size_t outsz)
{
	uint32_t	cp, hi, lo;
	size_t		o = 0;
	int		r;

	if (utf8 == NULL || (out == NULL && outsz > 0))
		return -1;
	while ((r = codec_utf8_next(&utf8, &cp)) == 1) {
		if (cp < 0x10000) {
			if (outsz - o < 2 || o + 2 > INT_MAX)
				return -1;
			out[o++] = (uint8_t)(cp >> 8);
			out[o++] = (uint8_t)cp;
		} else {
			if (outsz - o < 4 || o + 4 > INT_MAX)
				return -1;
			hi = 0xd800 + ((cp - 0x10000) >> 10);
			lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
			out[o++] = (uint8_t)(hi >> 8);
			out[o++] = (uint8_t)hi;
			out[o++] = (uint8_t)(lo >> 8);
			out[o++] = (uint8_t)lo;
		}
	}
	return r == 0 ? (int)o : -1;
}

int
codec_ucs2_length(const char *utf8)
{
	uint32_t	cp;
	size_t		n = 0;
	int		r;

	if (utf8 == NULL)
		return -1;
	while ((r = codec_utf8_next(&utf8, &cp)) == 1) {
		n += cp < 0x10000 ? 2 : 4;
		if (n > INT_MAX)
			return -1;
	}
	return r == 0 ? (int)n : -1;
}

/*
 * Septet i of packed GSM 7-bit data: bits 7i to 7i + 6, least
 * significant bit first.  The caller keeps i below len * 8 / 7, so the
 * second octet, when the septet straddles two, is inside the data.
 */
static uint8_t
codec_septet_at(const uint8_t *in, size_t i)
{
	size_t		bit = 7 * i;
	unsigned int	v, shift = bit % 8;

	v = in[bit / 8] >> shift;
	if (shift > 1)
		v |= (unsigned int)in[bit / 8 + 1] << (8 - shift);
	return (uint8_t)(v & 0x7f);
}

/*
 * Packed GSM 7-bit user data (len octets) to UTF-8, leaving out the
 * first skip septets (the header and its fill bits).  Each character is
 * read through a two-septet window so that an ESC pair is decoded as
 * codec_to_utf8() decodes it, without unpacking into a buffer.
 */
static int
codec_gsm_packed_to_utf8(const uint8_t *in, size_t len, size_t skip,
    char *out, size_t outsz)
{
	uint8_t		win[2];
	uint32_t	cp;
	size_t		n, i, o = 0, used;

	n = len / 7 * 8 + (len % 7) * 8 / 7;	/* len * 8 / 7, no overflow */
	if (len % 7 == 0 && n > skip && codec_septet_at(in, n - 1) == 0x0d)
		n--;		/* CR padding up to the octet boundary */
	for (i = skip; i < n; i += used) {
		win[0] = codec_septet_at(in, i);
		win[1] = i + 1 < n ? codec_septet_at(in, i + 1) : 0;
		cp = codec_gsm_decode(win, n - i >= 2 ? 2 : 1, &used);
		if (codec_utf8_put(cp, out, outsz, &o) == -1) {
			out[0] = '\0';
			return -1;
		}
	}
	out[o] = '\0';
	if (o > INT_MAX)
		return -1;
	return (int)o;
}

int
codec_ud_to_utf8(int data_coding, int gsm_packed, const uint8_t *ud,
    size_t len, size_t udh_len, char *out, size_t outsz)
{
	size_t	skip;

	if (out == NULL || outsz == 0)
		return -1;
	out[0] = '\0';
	if (udh_len > len || (ud == NULL && len > 0))
		return -1;
	if (!gsm_packed || codec_alphabet(data_coding) != CODEC_A_GSM)
		return codec_to_utf8(data_coding, ud != NULL ? ud + udh_len :
		    NULL, len - udh_len, out, outsz);
	/* udh_len is at most len: no overflow in udh_len * 8 below. */
	skip = udh_len / 7 * 8 + ((udh_len % 7) * 8 + 6) / 7;
	return codec_gsm_packed_to_utf8(ud, len, skip, out, outsz);
}
