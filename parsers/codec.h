/*
 * codec.h: SMS alphabets to and from UTF-8.
 *
 * Internally every text is UTF-8.  On the wire: data_coding 0 (SMSC
 * default, taken as GSM 03.38 unpacked, one septet per octet), 1 (IA5,
 * ASCII), 3 (Latin-1), 8 (UCS-2 big-endian, surrogate pairs accepted).
 */
#ifndef PILAR_CODEC_H
#define PILAR_CODEC_H

#include <stddef.h>
#include <stdint.h>

#define CODEC_DC_DEFAULT	0x00
#define CODEC_DC_IA5		0x01
#define CODEC_DC_BINARY		0x02
#define CODEC_DC_LATIN1		0x03
#define CODEC_DC_BINARY2	0x04
#define CODEC_DC_UCS2		0x08

/*
 * Decode len bytes in data_coding into NUL terminated UTF-8 in out
 * (outsz bytes; 4 * len + 1 always suffices).  Characters that have no
 * mapping become U+FFFD.  Returns the UTF-8 length, or -1 for binary
 * data codings or when out is too small.
 */
int	codec_to_utf8(int data_coding, const uint8_t *in, size_t len,
	    char *out, size_t outsz);

/*
 * How many GSM 03.38 septets the UTF-8 string needs (extension-table
 * characters count two), or -1 when a character is not in the GSM
 * alphabet (the text must then go as UCS-2).
 */
int	codec_gsm7_length(const char *utf8);

/*
 * Encode UTF-8 into GSM 03.38, one septet per octet (unpacked, as SMPP
 * carries data_coding 0).  Returns the number of octets written, or -1
 * when a character is not in the GSM alphabet or out is too small.
 */
int	codec_gsm7_encode(const char *utf8, uint8_t *out, size_t outsz);

/* Encode UTF-8 as UCS-2 big-endian (UTF-16BE).  Returns octets or -1. */
int	codec_ucs2_encode(const char *utf8, uint8_t *out, size_t outsz);

/*
 * How many UCS-2 octets the UTF-8 string needs (astral characters take
 * four, as a surrogate pair), or -1 when it is not well-formed UTF-8.
 */
int	codec_ucs2_length(const char *utf8);

/*
 * Decode the text of a user data that may start with a user data header
 * (udh_len octets: UDHL + 1 as concat_udh_parse() returns it, 0 when
 * there is none) into NUL terminated UTF-8, as codec_to_utf8() does.
 *
 * gsm_packed matters only for the GSM 7-bit codings.  0: SMPP's normal
 * form, one septet per octet, so the header simply precedes the
 * septets.  1: the air-interface form some SMSCs pass on, septets packed
 * eight to seven octets and counted from the first octet of the header:
 * the header and its fill bits take ceil(udh_len * 8 / 7) septets, and
 * the text starts at the next septet boundary.  A final CR that ends
 * exactly on an octet boundary is padding (TS 23.038 6.1.2.3.1) and is
 * dropped; seven zero pad bits cannot be told from a final '@' and are
 * kept.  National language shift tables are not supported.
 *
 * Returns the UTF-8 length, or -1 when udh_len exceeds len, for binary
 * codings, or when out is too small (4 * len + 1 always suffices).
 */
int	codec_ud_to_utf8(int data_coding, int gsm_packed, const uint8_t *ud,
	    size_t len, size_t udh_len, char *out, size_t outsz);

#endif
