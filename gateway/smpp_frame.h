/*
 * smpp_frame.h: cutting a TCP byte stream into SMPP PDUs.
 *
 * A stream cannot resynchronise: a command_length below 16 or above the
 * configured maximum is checked before anything is allocated and ends
 * the session.  Several PDUs per read and one-byte trickles are normal.
 */
#ifndef PILAR_SMPP_FRAME_H
#define PILAR_SMPP_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct evbuffer;

#define SMPP_FRAME_NEED_MORE	0
#define SMPP_FRAME_READY	1
#define SMPP_FRAME_HOSTILE	(-1)

/*
 * Look at the head of in.  SMPP_FRAME_READY with *pdu_len set when a
 * whole PDU is buffered; SMPP_FRAME_NEED_MORE when not yet (*pdu_len is
 * set once the length is known, 0 before); SMPP_FRAME_HOSTILE when the
 * length is < 16 or > max_len.
 */
int	smpp_frame_peek(struct evbuffer *in, uint32_t max_len,
	    uint32_t *pdu_len);

/*
 * Move one PDU of pdu_len bytes (as told by smpp_frame_peek) from in
 * into buf, which holds at least pdu_len + 1 bytes, and write the NUL
 * guard byte at buf[pdu_len].  Returns 0, or -1 if in is short.
 */
int	smpp_frame_take(struct evbuffer *in, uint32_t pdu_len, uint8_t *buf);

#endif
