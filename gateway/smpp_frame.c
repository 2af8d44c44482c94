/*
 * smpp_frame.c: cutting a TCP byte stream into SMPP PDUs.
 *
 * The peer is hostile: the 4-byte command_length is judged before a
 * single byte of the body is copied anywhere, and a bad one is reported
 * so the caller can end the session (a stream has no way to find the
 * next PDU boundary once a length is wrong).
 */
#include <stddef.h>
#include <stdint.h>

#include <event2/buffer.h>

#include "smpp_frame.h"

#define SMPP_FRAME_MIN	16	/* the header alone */

/*
 * Peek at the command_length at the head of in without consuming
 * anything.  evbuffer_copyout() copes with a length split across chains,
 * so a one-byte trickle is handled like any other read.
 */
int
smpp_frame_peek(struct evbuffer *in, uint32_t max_len, uint32_t *pdu_len)
{
	uint8_t		 b[4];
	uint32_t	 len;

	*pdu_len = 0;
	if (evbuffer_get_length(in) < sizeof(b))
		return SMPP_FRAME_NEED_MORE;
	if (evbuffer_copyout(in, b, sizeof(b)) != (ev_ssize_t)sizeof(b))
		return SMPP_FRAME_NEED_MORE;
	len = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | (uint32_t)b[3];
	*pdu_len = len;
	if (len < SMPP_FRAME_MIN || len > max_len)
		return SMPP_FRAME_HOSTILE;
	if (evbuffer_get_length(in) < len)
		return SMPP_FRAME_NEED_MORE;
	return SMPP_FRAME_READY;
}

/*
 * Move one whole PDU out of in and terminate it with the guard NUL, so
 * that no C-string read of the copy can run past its end.
 */
int
smpp_frame_take(struct evbuffer *in, uint32_t pdu_len, uint8_t *buf)
{
	if (evbuffer_get_length(in) < pdu_len)
		return -1;
	if (evbuffer_remove(in, buf, pdu_len) != (int)pdu_len)
		return -1;
	buf[pdu_len] = '\0';
	return 0;
}
