/*
 * segment.c: one MT text as the submit_sm short_messages it needs.
 *
 * The alphabet and the one-segment case come from codec.c's lengths.
 * A longer text is cut greedily, one character at a time: each
 * character is encoded alone (one or two septets, two or four UCS-2
 * octets) and goes into the current part if all of it fits, else opens
 * the next part.  Cutting only between characters is what keeps ESC
 * pairs, surrogate pairs and UTF-8 sequences whole.  segment_count()
 * runs the same walk without writing, so the two always agree.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "segment.h"

static int	segment_char(const char **, enum segment_encoding, uint8_t *,
		    size_t *);
static int	segment_plan(const char *, enum segment_encoding,
		    struct segment *, size_t);

/*
 * Encode the character at *s (well-formed UTF-8, checked by the
 * caller) into buf (4 octets) and advance.  Returns the units it costs
 * (septets, or UTF-16 units), 0 at the end of the string, -1 if it
 * cannot be encoded; *octets says how many octets went into buf.
 */
static int
segment_char(const char **s, enum segment_encoding enc, uint8_t *buf,
    size_t *octets)
{
	const unsigned char	*p = (const unsigned char *)*s;
	char			 one[5];
	size_t			 len;
	int			 n;

	if (p[0] == 0)
		return 0;
	if (p[0] < 0x80)
		len = 1;
	else if (p[0] < 0xe0)
		len = 2;
	else if (p[0] < 0xf0)
		len = 3;
	else
		len = 4;
	memcpy(one, *s, len);
	one[len] = '\0';
	*s += len;
	if (enc == SEGMENT_GSM7) {
		if ((n = codec_gsm7_encode(one, buf, 4)) <= 0)
			return -1;
		*octets = (size_t)n;
		return n;
	}
	if ((n = codec_ucs2_encode(one, buf, 4)) <= 0)
		return -1;
	*octets = (size_t)n;
	return n / 2;
}

/*
 * Cut utf8 (longer than one segment) into parts; count them only when
 * out is NULL, else write each part's text after room for its header
 * into out (nout parts, enough: the caller counted first).  Returns the
 * number of parts or SEGMENT_EINVAL.
 */
static int
segment_plan(const char *utf8, enum segment_encoding enc,
    struct segment *out, size_t nout)
{
	uint8_t	 buf[4];
	size_t	 per, cur = 0, octets = 0, n = 0;
	int	 units;

	per = enc == SEGMENT_GSM7 ? SEGMENT_GSM7_PART : SEGMENT_UCS2_PART;
	while ((units = segment_char(&utf8, enc, buf, &octets)) > 0) {
		if (n == 0 || cur + (size_t)units > per) {
			if (n == INT_MAX || (out != NULL && n == nout))
				return SEGMENT_EINVAL;
			n++;
			cur = 0;
			if (out != NULL)
				out[n - 1].sm_len = SEGMENT_UDH_LEN;
		}
		if (out != NULL) {
			memcpy(out[n - 1].sm + out[n - 1].sm_len, buf, octets);
			out[n - 1].sm_len += octets;
		}
		cur += (size_t)units;
	}
	return units < 0 ? SEGMENT_EINVAL : (int)n;
}

int
segment_count(const char *utf8, enum segment_encoding *enc)
{
	enum segment_encoding	e;
	int			n;

	if (utf8 == NULL)
		return -1;
	if ((n = codec_gsm7_length(utf8)) >= 0) {
		e = SEGMENT_GSM7;
		n = n <= SEGMENT_GSM7_SINGLE ? 1 : segment_plan(utf8, e,
		    NULL, 0);
	} else if ((n = codec_ucs2_length(utf8)) >= 0) {
		e = SEGMENT_UCS2;
		n = n / 2 <= SEGMENT_UCS2_SINGLE ? 1 : segment_plan(utf8, e,
		    NULL, 0);
	} else
		return -1;
	if (n < 0)
		return -1;
	if (enc != NULL)
		*enc = e;
	return n;
}

/*
 * Count first, so that a text too long fails before anything is
 * written; then one segment straight from the encoder, or the parts
 * and their headers.
 */
int
segment_split(const char *utf8, uint8_t ref,
    const struct segment_options *opts, struct segment *out, size_t nout)
{
	enum segment_encoding	enc;
	int			max_parts = SEGMENT_PARTS_DEFAULT, n, k, i;
	uint8_t			dc;

	if (opts != NULL && opts->max_parts != 0)
		max_parts = opts->max_parts;
	if (max_parts < 1 || max_parts > SEGMENT_PARTS_MAX || out == NULL)
		return SEGMENT_EINVAL;
	if ((n = segment_count(utf8, &enc)) < 0)
		return SEGMENT_EINVAL;
	if (n > max_parts)
		return SEGMENT_ETOOLONG;
	if ((size_t)n > nout)
		return SEGMENT_ESPACE;

	dc = enc == SEGMENT_GSM7 ? SEGMENT_DC_GSM7 : SEGMENT_DC_UCS2;
	memset(out, 0, (size_t)n * sizeof(*out));
	if (n == 1) {
		k = enc == SEGMENT_GSM7 ?
		    codec_gsm7_encode(utf8, out[0].sm, sizeof(out[0].sm)) :
		    codec_ucs2_encode(utf8, out[0].sm, sizeof(out[0].sm));
		if (k < 0)
			return SEGMENT_EINVAL;
		out[0].data_coding = dc;
		out[0].sm_len = (size_t)k;
		return 1;
	}
	if (segment_plan(utf8, enc, out, (size_t)n) != n)
		return SEGMENT_EINVAL;
	for (i = 0; i < n; i++) {
		out[i].data_coding = dc;
		out[i].esm_class = SEGMENT_ESM_UDHI;
		out[i].sm[0] = SEGMENT_UDH_LEN - 1;
		out[i].sm[1] = 0x00;		/* IEI: 8-bit reference */
		out[i].sm[2] = 0x03;
		out[i].sm[3] = ref;
		out[i].sm[4] = (uint8_t)n;
		out[i].sm[5] = (uint8_t)(i + 1);
	}
	return n;
}
