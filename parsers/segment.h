/*
 * segment.h: one MT text as the submit_sm short_messages it needs.
 *
 * The alphabet is GSM 03.38 when every character of the text is in the
 * default alphabet or its extension table (an extension character costs
 * two septets, ESC and itself), UCS-2 otherwise.  A text of up to 160
 * septets or 70 UCS-2 units goes as one segment without a header.  A
 * longer one is cut into parts of at most 153 septets or 67 units, each
 * behind the header 05 00 03 ref total seq (IEI 0x00, 8-bit reference),
 * with UDHI in esm_class.  A cut never falls inside a character: not
 * between ESC and its character, not between the two halves of a
 * surrogate pair, not inside a UTF-8 sequence; a part may then be a
 * unit short of full.
 *
 * GSM septets go one per octet (unpacked), as SMPP carries data_coding
 * 0: a part is 6 + 153 = 159 octets, the SMSC packs it for the air.
 * UCS-2 is big-endian: a part is 6 + 134 = 140 octets.
 */
#ifndef PILAR_SEGMENT_H
#define PILAR_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#define SEGMENT_GSM7_SINGLE	160	/* septets in one segment */
#define SEGMENT_GSM7_PART	153	/* septets in a part with a UDH */
#define SEGMENT_UCS2_SINGLE	70	/* UTF-16 units in one segment */
#define SEGMENT_UCS2_PART	67	/* UTF-16 units in a part */
#define SEGMENT_UDH_LEN		6	/* 05 00 03 ref total seq */
#define SEGMENT_SM_MAX		160	/* octets of short_message at most */

#define SEGMENT_PARTS_DEFAULT	6
#define SEGMENT_PARTS_MAX	255

#define SEGMENT_ESM_UDHI	0x40
#define SEGMENT_DC_GSM7		0x00	/* SMSC default alphabet */
#define SEGMENT_DC_UCS2		0x08

enum segment_encoding {
	SEGMENT_GSM7,
	SEGMENT_UCS2
};

enum segment_error {
	SEGMENT_EINVAL = -1,	/* NULL, not UTF-8, bad options */
	SEGMENT_ETOOLONG = -2,	/* needs more than max_parts */
	SEGMENT_ESPACE = -3	/* more segments than the caller's array */
};

struct segment {
	uint8_t		data_coding;	/* SEGMENT_DC_GSM7 or _UCS2 */
	uint8_t		esm_class;	/* SEGMENT_ESM_UDHI or 0; OR in
					   the caller's own bits */
	size_t		sm_len;
	uint8_t		sm[SEGMENT_SM_MAX];	/* UDH, then the text */
};

struct segment_options {
	int		max_parts;	/* 1 .. SEGMENT_PARTS_MAX;
					   0: SEGMENT_PARTS_DEFAULT */
};

/*
 * Cut utf8 into segments in out (nout of them), ref being the
 * concatenation reference the caller chose for this message (used only
 * when there are several parts).  opts may be NULL for the defaults.
 * The empty text is one empty GSM segment.  Returns the number of
 * segments, or a negative enum segment_error.
 */
int	segment_split(const char *utf8, uint8_t ref,
	    const struct segment_options *opts, struct segment *out,
	    size_t nout);

/*
 * How many segments utf8 needs, with no cap, cut as segment_split()
 * cuts it; the alphabet in *enc unless enc is NULL.  Returns -1 when
 * utf8 is NULL or not UTF-8.
 */
int	segment_count(const char *utf8, enum segment_encoding *enc);

#endif
