/*
 * concat.h: reassembly of concatenated MO messages.
 *
 * A long message arrives as parts, each a deliver_sm carrying either a
 * user data header (esm_class & 0x40; IEI 0x00 "05 00 03 ref total seq"
 * or IEI 0x08 "06 08 04 refHi refLo total seq") or the SAR TLVs
 * (sar_msg_ref_num, sar_total_segments, sar_segment_seqnum).  Both come
 * down to (ref, total, seq) for concat_add().  The caller decodes each
 * part to UTF-8 first (codec_ud_to_utf8() for the text after a UDH).
 *
 * Parts come in any order, twice, or never.  A message is keyed by
 * (sender, dest, ref, total); it is complete when every seq from 1 to
 * total has arrived, and concat_add() then hands back the whole text.
 * What never completes is not dropped: after expiry_seconds from its
 * first part, or earlier when memory is short, the parts that did
 * arrive go, joined in order with CONCAT_GAP where parts are missing,
 * to the callback given to concat_new().
 *
 * A completed message is remembered (without its text) for
 * expiry_seconds more, so that a part the SMSC redelivers after the
 * message completed (a deliver_sm_resp it did not see) is recognised as
 * a duplicate instead of starting a message that would only expire.
 * A part with a seq already received and the same text is a duplicate;
 * with another text, the sender has reused the reference: the old
 * message is given up (through the callback) and a new one begins.
 *
 * Pure: no I/O, no clock (the caller passes now, in seconds), no global
 * state.  One struct concat per thread.  Lookups are linear in the
 * number of messages held, which max_bytes keeps small.
 */
#ifndef PILAR_CONCAT_H
#define PILAR_CONCAT_H

#include <stddef.h>
#include <stdint.h>

#define CONCAT_GAP		"\xe2\x80\xa6"	/* U+2026: parts missing */

#define CONCAT_IEI_8BIT		0x00	/* 8-bit reference */
#define CONCAT_IEI_16BIT	0x08	/* 16-bit reference */

/* What a user data header says about concatenation. */
struct concat_part_info {
	uint16_t	ref;
	uint8_t		total;		/* 0: no concatenation IE */
	uint8_t		seq;		/* 1 .. total */
	uint8_t		ref_bits;	/* 8, 16, or 0 with no IE */
};

enum concat_status {
	CONCAT_COMPLETE = 0,	/* out holds the whole text */
	CONCAT_PENDING = 1,	/* kept; more parts to come */
	CONCAT_DUPLICATE = 2,	/* a part already received: ignored */
	CONCAT_EINVAL = -1,	/* total 0, seq 0 or > total, NULL, or
				   called from the callback */
	CONCAT_ETOOBIG = -2,	/* the message would exceed max_bytes on
				   its own: the caller keeps the part */
	CONCAT_ESPACE = -3,	/* out cannot hold the whole text */
	CONCAT_ENOMEM = -4
};

/* Why an incomplete message left. */
enum concat_reason {
	CONCAT_EXPIRED,		/* expiry_seconds after its first part */
	CONCAT_EVICTED,		/* memory was needed for newer parts */
	CONCAT_SUPERSEDED,	/* its reference was reused */
	CONCAT_FLUSHED		/* concat_flush(), e.g. at shutdown */
};

/* An incomplete message, as the callback sees it; valid during the call. */
struct concat_incomplete {
	const char		*sender;
	const char		*dest;
	uint16_t		 ref;
	uint8_t			 total;
	uint8_t			 received;	/* 1 .. total - 1 */
	int64_t			 first_seen;	/* now of its first part */
	enum concat_reason	 reason;
	const char		*text;		/* parts joined, CONCAT_GAP
						   for each run missing */
};

struct concat;

/*
 * A reassembler holding at most max_bytes (message records, addresses
 * and part texts all counted) and giving incomplete messages up after
 * expiry_seconds.  lost is called for each message given up, with arg;
 * it must not call back into this struct concat.  Returns NULL when
 * max_bytes or expiry_seconds is not positive, lost is NULL, or out of
 * memory.
 */
struct concat	*concat_new(size_t max_bytes, int expiry_seconds,
		    void (*lost)(const struct concat_incomplete *, void *),
		    void *arg);

/* Free everything, without calling the callback (see concat_flush()). */
void		 concat_free(struct concat *);

/*
 * Add part seq of total of message ref from sender to dest, its text
 * already decoded to UTF-8.  On CONCAT_COMPLETE out (outsz bytes;
 * max_bytes + strlen(utf8_text) + 1 always suffices) holds the whole
 * text, parts in seq order, and the message is forgotten but for
 * duplicate detection; on anything else out holds "".  total 1
 * completes at once.  On an error nothing was stored (though older
 * messages may have been given up through the callback before
 * CONCAT_ENOMEM).  The SAR TLVs map straight onto ref, total and seq.
 * now is in seconds.
 */
enum concat_status concat_add(struct concat *, const char *sender,
		    const char *dest, uint16_t ref, uint8_t total,
		    uint8_t seq, const char *utf8_text, int64_t now,
		    char *out, size_t outsz);

/*
 * Give up the incomplete messages whose first part is expiry_seconds
 * old or more, through the callback, and forget completed ones as old.
 * Returns how many were given up, or -1 when out of memory (those not
 * yet given up stay, for the next call).
 */
int		 concat_expire(struct concat *, int64_t now);

/* Give up every incomplete message now (CONCAT_FLUSHED); as above. */
int		 concat_flush(struct concat *);

/* Incomplete messages held, and bytes held by everything (either NULL). */
void		 concat_stats(const struct concat *, size_t *pending,
		    size_t *bytes);

/*
 * Read the user data header at the start of ud (len octets; the caller
 * saw esm_class & 0x40).  Fills *info (total 0 when the header has no
 * concatenation IE: the payload is then a message on its own) and
 * returns the offset of the payload, UDHL + 1.  Other IEs are skipped;
 * of several concatenation IEs the last counts (TS 23.040 9.2.3.24).
 * Returns -1 when the header runs past len, an IE runs past the
 * header, a concatenation IE has the wrong length, or its total is 0,
 * or its seq is 0 or above total.
 */
int		 concat_udh_parse(const uint8_t *ud, size_t len,
		    struct concat_part_info *info);

#endif
