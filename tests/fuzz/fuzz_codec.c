/*
 * fuzz_codec.c: the SMS alphabets, both ways.
 *
 * The first byte picks a data_coding, whether GSM is packed and a UDH
 * length; the rest is user data.  Decoding must give well-formed UTF-8
 * without NULs, exactly the length it returns, and fail only as
 * documented (binary codings, a UDH longer than the data, a short out).
 * The rest, read as UTF-8 text, must encode as documented: lengths
 * agree with what the encoders write, an encoder never writes past the
 * size it is given, and decode(encode(s)) gives s back for UCS-2 and a
 * fixed point for GSM 03.38 (whose table maps some characters alike).
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "fuzz.h"

static const int	fuzz_dcs[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x08,
			    0x10, 0x18, 0xf0, 0xf4, 0xc0, 0xe0, 0x11, 0x40 };

static void	fuzz_codec_decode(const uint8_t *, size_t, int, int, size_t);
static void	fuzz_codec_encode(const char *, size_t);
static void	fuzz_codec_packed(const uint8_t *, size_t, size_t);

/* Decode ud (len octets, udh_len of header) in dc, checking the result. */
static void
fuzz_codec_decode(const uint8_t *ud, size_t len, int dc, int packed,
    size_t udh_len)
{
	size_t	 outsz = 4 * len + 1, small;
	char	*out, *tiny;
	int	 n, m;

	if ((out = malloc(outsz)) == NULL)
		return;
	n = codec_ud_to_utf8(dc, packed, ud, len, udh_len, out, outsz);
	if (n == -1) {
		fuzz_check(udh_len > len || dc == 0x02 || dc == 0x04 ||
		    codec_to_utf8(dc, ud, 0, out, 1) == -1);
		fuzz_check(out[0] == '\0');
		free(out);
		return;
	}
	fuzz_check(n >= 0 && (size_t)n < outsz);
	fuzz_check(strlen(out) == (size_t)n);
	fuzz_check(fuzz_utf8_valid(out, (size_t)n));
	if (!packed && udh_len == 0) {
		/* codec_to_utf8() is the same decoder without a header. */
		tiny = malloc(outsz);
		fuzz_check(tiny != NULL);
		m = codec_to_utf8(dc, ud, len, tiny, outsz);
		fuzz_check(m == n && memcmp(out, tiny, (size_t)n + 1) == 0);
		free(tiny);
	}

	/* Exactly n + 1 bytes suffice; n do not, and nothing is written past. */
	small = (size_t)n + 1;
	if ((tiny = malloc(small)) != NULL) {
		m = codec_ud_to_utf8(dc, packed, ud, len, udh_len, tiny, small);
		fuzz_check(m == n && memcmp(out, tiny, small) == 0);
		if (n > 0) {
			m = codec_ud_to_utf8(dc, packed, ud, len, udh_len,
			    tiny, small - 1);
			fuzz_check(m == -1 && tiny[0] == '\0');
		}
		free(tiny);
	}
	free(out);
}

/* Encode the NUL terminated s (len bytes) both ways, and back. */
static void
fuzz_codec_encode(const char *s, size_t len)
{
	uint8_t	*enc, *enc2;
	char	*dec;
	size_t	 encsz = 4 * len + 4, decsz;
	int	 glen, ulen, n, m, valid;

	valid = fuzz_utf8_valid(s, len);
	enc = malloc(encsz);
	enc2 = malloc(encsz);
	decsz = 4 * encsz + 1;
	dec = malloc(decsz);
	if (enc == NULL || enc2 == NULL || dec == NULL)
		goto done;

	/* UCS-2: the length says what is written, and it comes back. */
	ulen = codec_ucs2_length(s);
	n = codec_ucs2_encode(s, enc, encsz);
	fuzz_check(ulen == n);
	fuzz_check((n >= 0) == valid);
	if (n >= 0) {
		fuzz_check(n % 2 == 0 && (size_t)n <= 2 * len);
		m = codec_to_utf8(0x08, enc, (size_t)n, dec, decsz);
		fuzz_check(m >= 0);
		/* U+0000 cannot be in s, which is a C string. */
		fuzz_check((size_t)m == len && memcmp(dec, s, len) == 0);
		if (n > 0) {
			m = codec_ucs2_encode(s, enc2, (size_t)n - 1);
			fuzz_check(m == -1);
		}
	}

	/* GSM 03.38: the same, up to the table's many-to-one mappings. */
	glen = codec_gsm7_length(s);
	n = codec_gsm7_encode(s, enc, encsz);
	fuzz_check(glen == n);
	if (!valid)
		fuzz_check(n == -1);
	if (n >= 0) {
		fuzz_check((size_t)n <= 2 * len);
		for (m = 0; m < n; m++)
			fuzz_check(enc[m] < 0x80);
		m = codec_to_utf8(0x00, enc, (size_t)n, dec, decsz);
		fuzz_check(m >= 0 && fuzz_utf8_valid(dec, (size_t)m));
		m = codec_gsm7_encode(dec, enc2, encsz);
		fuzz_check(m == n && memcmp(enc, enc2, (size_t)n) == 0);
		if (n > 0) {
			m = codec_gsm7_encode(s, enc2, (size_t)n - 1);
			fuzz_check(m == -1);
		}
	}
done:
	free(enc);
	free(enc2);
	free(dec);
}

/*
 * Packed GSM against unpacked: the header (udh octets of in), fill bits,
 * then the septets of in (each octet & 0x7F) packed as an SMSC would,
 * must decode to what the unpacked septets decode to, give or take the
 * documented padding: a septet of zero bits when the last octet has
 * room for one (read as '@'), and a final CR on an octet boundary.
 */
static void
fuzz_codec_packed(const uint8_t *in, size_t len, size_t udh)
{
	static uint8_t	 packed[4096], sept[4096];
	static char	 want[4 * 4096 + 1], got[4 * 4096 + 1];
	size_t		 k, skip, total, plen, n, bit, j, ns;
	int		 w, g;

	if (udh > len || len > 2048)
		return;
	k = len - udh;
	skip = (udh * 8 + 6) / 7;
	total = skip + k;
	plen = (7 * total + 7) / 8;
	if (plen < udh)
		plen = udh;
	memset(packed, 0, plen + 1);
	memcpy(packed, in, udh);
	for (j = 0; j < k; j++) {
		sept[j] = in[udh + j] & 0x7f;
		bit = 7 * (skip + j);
		packed[bit / 8] |= (uint8_t)(sept[j] << (bit % 8));
		if (bit % 8 > 1)
			packed[bit / 8 + 1] |= (uint8_t)(sept[j] >>
			    (8 - bit % 8));
	}
	n = plen / 7 * 8 + (plen % 7) * 8 / 7;
	ns = k;
	for (; skip + ns < n; ns++)
		sept[ns] = 0;			/* pad bits: '@' */
	if (plen % 7 == 0 && ns > 0 && sept[ns - 1] == 0x0d)
		ns--;				/* CR padding */
	w = codec_to_utf8(0x00, sept, ns, want, sizeof(want));
	g = codec_ud_to_utf8(0x00, 1, packed, plen, udh, got, sizeof(got));
	fuzz_check(w >= 0 && g >= 0);
	fuzz_check(w == g && memcmp(want, got, (size_t)w) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	size_t	 len, udh;
	int	 dc, packed;

	if (size < 1)
		return 0;
	dc = fuzz_dcs[(data[0] & 0x0f) % (sizeof(fuzz_dcs) /
	    sizeof(fuzz_dcs[0]))];
	packed = (data[0] >> 4) & 1;
	udh = (data[0] >> 5) & 7;	/* 0..7 octets, sometimes too many */
	len = size - 1;

	fuzz_codec_decode(data + 1, len, dc, packed, udh);
	fuzz_codec_packed(data + 1, len, udh);
	if (udh > 0)
		fuzz_codec_decode(data + 1, len, dc, packed, 0);

	/* The same bytes as text to encode (a C string: up to a NUL). */
	if ((s = malloc(len + 1)) == NULL)
		return 0;
	memcpy(s, data + 1, len);
	s[len] = '\0';
	fuzz_codec_encode(s, strlen(s));
	free(s);
	return 0;
}
