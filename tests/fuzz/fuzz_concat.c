/*
 * fuzz_concat.c: reassembly of long MOs and segmentation of long MTs.
 *
 * Three drives per input, the clock always injected:
 *  - concat_udh_parse() on the raw bytes: an offset within the data and
 *    an info that keeps 1 <= seq <= total, or -1 with info cleared;
 *  - a script: the input is cut into parts (positions, order,
 *    duplicates and timing from its bytes) under one reference and fed
 *    to a struct concat, possibly interleaved with a second sender: the
 *    last new part must complete with exactly the original text, a
 *    redelivery afterwards is a duplicate, and nothing is lost;
 *  - random operations (add, expire with the clock going forward or
 *    back, flush) on a small memory bound: the bound holds after every
 *    call, the callback sees a plausible incomplete message and cannot
 *    re-enter, and a final flush leaves nothing held;
 *  - segment_split() of the input as text: every part fits, carries a
 *    header concat_udh_parse() reads back as (ref, n, i), and the parts
 *    decoded one by one join to what the whole text decodes to, which
 *    is how a cut inside an escape or surrogate pair would show.
 */
#include <string.h>

#include "codec.h"
#include "concat.h"
#include "segment.h"
#include "fuzz.h"

#define FUZZ_PARTS_MAX	16
#define FUZZ_TEXT_MAX	4096

struct fuzz_lost {
	struct concat	*c;		/* to try re-entering */
	int		 calls;
	size_t		 text_bytes;	/* what the callbacks carried */
};

static void	fuzz_concat_lost(const struct concat_incomplete *, void *);
static void	fuzz_concat_udh(const uint8_t *, size_t);
static void	fuzz_concat_script(const uint8_t *, size_t);
static void	fuzz_concat_ops(const uint8_t *, size_t);
static void	fuzz_segment(const uint8_t *, size_t);

/* The callback: check what it is given, and that it cannot re-enter. */
static void
fuzz_concat_lost(const struct concat_incomplete *inc, void *arg)
{
	struct fuzz_lost	*l = arg;
	char			 out[8];

	fuzz_check(inc->sender != NULL && inc->dest != NULL &&
	    inc->text != NULL);
	fuzz_check(inc->total >= 2);
	fuzz_check(inc->received >= 1 && inc->received < inc->total);
	fuzz_check(inc->reason >= CONCAT_EXPIRED &&
	    inc->reason <= CONCAT_FLUSHED);
	fuzz_check(strstr(inc->text, CONCAT_GAP) != NULL);
	fuzz_check(concat_add(l->c, "x", "y", 1, 1, 1, "z", 0, out,
	    sizeof(out)) == CONCAT_EINVAL);
	fuzz_check(concat_expire(l->c, 0) == -1);
	fuzz_check(concat_flush(l->c) == -1);
	l->calls++;
	l->text_bytes += strlen(inc->text);
}

static void
fuzz_concat_udh(const uint8_t *data, size_t size)
{
	struct concat_part_info	 info;
	int			 off;

	off = concat_udh_parse(data, size, &info);
	if (off == -1) {
		fuzz_check(info.total == 0 && info.seq == 0 &&
		    info.ref == 0 && info.ref_bits == 0);
		return;
	}
	fuzz_check(off >= 1 && (size_t)off <= size && off == data[0] + 1);
	if (info.total == 0)
		fuzz_check(info.seq == 0 && info.ref_bits == 0);
	else {
		fuzz_check(info.seq >= 1 && info.seq <= info.total);
		fuzz_check(info.ref_bits == 8 || info.ref_bits == 16);
		fuzz_check(info.ref_bits == 16 || info.ref <= 0xff);
	}
}

/*
 * data[0]: parts (1..FUZZ_PARTS_MAX); data[1]: reference; data[2]: a
 * second sender's message interleaved; then one byte per delivery
 * (which part, low bits; a clock step, high bits); the rest is the text,
 * cut at evenly spaced points (a UTF-8 sequence may be cut: the parts
 * are bytes to concat).
 */
static void
fuzz_concat_script(const uint8_t *data, size_t size)
{
	static char		 text[FUZZ_TEXT_MAX + 1], out[2 * FUZZ_TEXT_MAX];
	static char		 part[FUZZ_PARTS_MAX][FUZZ_TEXT_MAX + 1];
	struct fuzz_lost	 l;
	struct concat		*c;
	enum concat_status	 st;
	size_t			 tlen, cut[FUZZ_PARTS_MAX + 1], nsched, i, k;
	int			 seen[FUZZ_PARTS_MAX], left, total, other;
	int			 other_sent = 0;
	int64_t			 now = 1000;

	if (size < 4)
		return;
	total = 1 + data[0] % FUZZ_PARTS_MAX;
	other = data[2] & 1;
	nsched = 2 * (size_t)total < size - 3 ? 2 * (size_t)total : size - 3;
	if (nsched < 1)
		return;
	tlen = size - 3 - nsched;
	if (tlen > FUZZ_TEXT_MAX)
		tlen = FUZZ_TEXT_MAX;
	/* The text is a C string to concat: NULs become spaces. */
	for (i = 0; i < tlen; i++)
		text[i] = data[3 + nsched + i] ? (char)data[3 + nsched + i] :
		    ' ';
	text[tlen] = '\0';
	for (k = 0; k <= (size_t)total; k++)
		cut[k] = tlen * k / (size_t)total;
	for (k = 0; k < (size_t)total; k++) {
		memcpy(part[k], text + cut[k], cut[k + 1] - cut[k]);
		part[k][cut[k + 1] - cut[k]] = '\0';
	}

	memset(&l, 0, sizeof(l));
	c = concat_new(1 << 20, 300, fuzz_concat_lost, &l);
	fuzz_check(c != NULL);
	l.c = c;
	memset(seen, 0, sizeof(seen));
	left = total;
	/* The schedule first, then every part still missing in order. */
	for (i = 0; left > 0; i++) {
		if (i < nsched) {
			k = data[3 + i] % (size_t)total;
			now += data[3 + i] >> 6;	/* 0..3 s */
		} else
			for (k = 0; seen[k]; k++)
				;
		if (other && i % 2) {
			st = concat_add(c, "6281299999999", "1717",
			    data[1], 2, 1, "lain", now, out, sizeof(out));
			fuzz_check(st == (other_sent ? CONCAT_DUPLICATE :
			    CONCAT_PENDING));
			other_sent = 1;
		}
		st = concat_add(c, "6281200000001", "1717", data[1],
		    (uint8_t)total, (uint8_t)(k + 1), part[k], now, out,
		    sizeof(out));
		if (seen[k]) {
			fuzz_check(st == CONCAT_DUPLICATE);
			continue;
		}
		seen[k] = 1;
		left--;
		if (left > 0) {
			fuzz_check(st == CONCAT_PENDING);
			fuzz_check(out[0] == '\0');
		} else {
			fuzz_check(st == CONCAT_COMPLETE);
			fuzz_check(strcmp(out, text) == 0);
		}
	}
	fuzz_check(l.calls == 0);
	/* Redelivered after completion: a duplicate, not a new message. */
	st = concat_add(c, "6281200000001", "1717", data[1], (uint8_t)total,
	    1, part[0], now + 1, out, sizeof(out));
	fuzz_check(st == (total == 1 ? CONCAT_COMPLETE : CONCAT_DUPLICATE));
	/* Only the other sender's message, if any, is lost at expiry. */
	fuzz_check(concat_expire(c, now + 10000) == other_sent);
	fuzz_check(l.calls == other_sent);
	concat_stats(c, &i, &k);
	fuzz_check(i == 0 && k == 0);
	concat_free(c);
}

/*
 * Operations on a small bound: 5 bytes each (op, who, ref/total, seq,
 * text length), texts taken from the input's tail.
 */
static void
fuzz_concat_ops(const uint8_t *data, size_t size)
{
	static char		 text[256], out[4096 + 256];
	struct fuzz_lost	 l;
	struct concat		*c;
	enum concat_status	 st;
	const uint8_t		*op;
	size_t			 max, pending, bytes, i, n, tpos;
	int64_t			 now = 0;
	uint8_t			 total, seq;
	static const char	*who[3] = { "6281200000001", "6281200000002",
				    "" };

	if (size < 2)
		return;
	max = 32 + (size_t)data[0] * 16;	/* 32 .. 4112 bytes */
	memset(&l, 0, sizeof(l));
	c = concat_new(max, 1 + data[1] % 60, fuzz_concat_lost, &l);
	fuzz_check(c != NULL);
	l.c = c;
	tpos = size / 2;
	for (op = data + 2; op + 5 <= data + size / 2 + 2 &&
	    op + 5 <= data + size; op += 5) {
		switch (op[0] % 8) {
		case 0: case 1: case 2: case 3: case 4:
			n = op[4] % 64;
			for (i = 0; i < n; i++) {
				text[i] = (char)(data[tpos % size] | 0x20);
				tpos++;
			}
			text[n] = '\0';
			total = (uint8_t)(op[2] % 5);
			seq = (uint8_t)(op[3] % 6);
			st = concat_add(c, who[op[1] % 3], who[(op[1] >> 2) % 2],
			    (uint16_t)(op[2] >> 3), total, seq, text, now, out,
			    op[0] & 0x80 ? 8 : sizeof(out));
			if (total == 0 || seq == 0 || seq > total)
				fuzz_check(st == CONCAT_EINVAL);
			if (st == CONCAT_COMPLETE)
				fuzz_check(strlen(out) < sizeof(out) &&
				    strlen(out) >= n);
			else
				fuzz_check(out[0] == '\0');
			fuzz_check(st != CONCAT_ENOMEM);
			break;
		case 5:
			now += op[1];
			(void)concat_expire(c, now);
			break;
		case 6:
			now -= op[1] % 16;	/* a clock step back */
			(void)concat_expire(c, now);
			break;
		default:
			if (op[1] == 0)
				(void)concat_flush(c);
			break;
		}
		concat_stats(c, &pending, &bytes);
		fuzz_check(bytes <= max);
		fuzz_check(pending == 0 || bytes > 0);
	}
	fuzz_check(concat_flush(c) >= 0);
	concat_stats(c, &pending, &bytes);
	fuzz_check(pending == 0 && bytes == 0);
	concat_free(c);
}

/*
 * Split the input as text with max_parts from its first byte, and check
 * each part and the whole.
 */
static void
fuzz_segment(const uint8_t *data, size_t size)
{
	static struct segment	 seg[SEGMENT_PARTS_MAX];
	static char		 s[FUZZ_TEXT_MAX + 1];
	static char		 whole[4 * 2 * FUZZ_TEXT_MAX + 1];
	static char		 joined[4 * 2 * FUZZ_TEXT_MAX + 1];
	static uint8_t		 enc[2 * FUZZ_TEXT_MAX + 4];
	struct segment_options	 opt;
	struct concat_part_info	 info;
	enum segment_encoding	 e;
	size_t			 len, jl = 0;
	int			 n, cnt, k, i, off, m;

	if (size < 1)
		return;
	len = size - 1 < FUZZ_TEXT_MAX ? size - 1 : FUZZ_TEXT_MAX;
	memcpy(s, data + 1, len);
	s[len] = '\0';
	opt.max_parts = data[0];	/* 0: the default */

	cnt = segment_count(s, &e);
	n = segment_split(s, data[0] ^ 0x5a, &opt, seg, SEGMENT_PARTS_MAX);
	if (!fuzz_utf8_valid(s, strlen(s))) {
		fuzz_check(cnt == -1 && n == SEGMENT_EINVAL);
		return;
	}
	fuzz_check(cnt >= 1);
	if (n < 0) {
		fuzz_check((n == SEGMENT_ETOOLONG && cnt > (data[0] ? data[0] :
		    SEGMENT_PARTS_DEFAULT)) || (n == SEGMENT_ESPACE &&
		    cnt > SEGMENT_PARTS_MAX));
		return;
	}
	fuzz_check(n == cnt);

	/* The whole text as its alphabet's encoder writes it, decoded. */
	k = e == SEGMENT_GSM7 ? codec_gsm7_encode(s, enc, sizeof(enc)) :
	    codec_ucs2_encode(s, enc, sizeof(enc));
	fuzz_check(k >= 0);
	fuzz_check(e == SEGMENT_UCS2 || codec_gsm7_length(s) == k);
	m = codec_to_utf8(e == SEGMENT_GSM7 ? 0x00 : 0x08, enc, (size_t)k,
	    whole, sizeof(whole));
	fuzz_check(m >= 0);

	for (i = 0; i < n; i++) {
		fuzz_check(seg[i].sm_len <= SEGMENT_SM_MAX);
		fuzz_check(seg[i].data_coding == (e == SEGMENT_GSM7 ?
		    SEGMENT_DC_GSM7 : SEGMENT_DC_UCS2));
		off = 0;
		if (n > 1) {
			fuzz_check(seg[i].esm_class == SEGMENT_ESM_UDHI);
			off = concat_udh_parse(seg[i].sm, seg[i].sm_len, &info);
			fuzz_check(off == SEGMENT_UDH_LEN);
			fuzz_check(info.total == n && info.seq == i + 1 &&
			    info.ref == (uint8_t)(data[0] ^ 0x5a) &&
			    info.ref_bits == 8);
			fuzz_check(seg[i].sm_len - SEGMENT_UDH_LEN <= (e ==
			    SEGMENT_GSM7 ? SEGMENT_GSM7_PART :
			    2 * SEGMENT_UCS2_PART));
			fuzz_check(seg[i].sm_len > SEGMENT_UDH_LEN);
		} else {
			fuzz_check(seg[i].esm_class == 0);
			fuzz_check(seg[i].sm_len <= (e == SEGMENT_GSM7 ?
			    SEGMENT_GSM7_SINGLE : 2 * SEGMENT_UCS2_SINGLE));
		}
		/* No ESC, no high surrogate left at the end of a part. */
		if (e == SEGMENT_GSM7 && seg[i].sm_len > (size_t)off)
			fuzz_check(seg[i].sm[seg[i].sm_len - 1] != 0x1b);
		if (e == SEGMENT_UCS2 && seg[i].sm_len > (size_t)off) {
			fuzz_check((seg[i].sm_len - (size_t)off) % 2 == 0);
			fuzz_check((seg[i].sm[seg[i].sm_len - 2] & 0xfc) !=
			    0xd8);
		}
		m = codec_ud_to_utf8(seg[i].data_coding, 0, seg[i].sm,
		    seg[i].sm_len, (size_t)off, joined + jl,
		    sizeof(joined) - jl);
		fuzz_check(m >= 0);
		jl += (size_t)m;
	}
	fuzz_check(strcmp(joined, whole) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_concat_udh(data, size);
	fuzz_concat_script(data, size);
	fuzz_concat_ops(data, size);
	fuzz_segment(data, size);
	return 0;
}
