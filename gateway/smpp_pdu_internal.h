/*
 * smpp_pdu_internal.h: what the files of the PDU codec share.
 *
 * smpp_pdu.c is the libsmpp34 adapter (the binds), smpp_pdu_decode.c
 * our bounds-checked decoder, smpp_pdu_encode.c our big-endian writer
 * and smpp_pdu_names.c the names of commands and statuses for logs.
 * Nothing outside these four files includes this header; the rest of
 * pilar sees smpp_pdu.h only.
 */
#ifndef PILAR_SMPP_PDU_INTERNAL_H
#define PILAR_SMPP_PDU_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Field sizes on the wire, terminating NUL included (SMPP 3.4, 4.x). */
#define WIRE_SERVICE_TYPE	6
#define WIRE_ADDR		21
#define WIRE_DATA_SM_DEST	65
#define WIRE_TIME		17
#define WIRE_SYSID		16
#define WIRE_PASSWORD		9
#define WIRE_SYSTYPE		13
#define WIRE_ADDR_RANGE		41
#define WIRE_MSGID		65
/*
 * The longest text we put in short_message; longer goes in
 * message_payload.  smpp34_pack() cannot write sm_length 254, and we
 * keep to what it writes so that it can check us (and so that nothing
 * changed on the wire when it stopped writing our messages).
 */
#define WIRE_SM_SHORT_MAX	253
#define SEQ_MAX			0x7FFFFFFFu

/* A mandatory part never exceeds this (submit_sm: 16 + 111 + 254). */
#define MANDATORY_MAX		512

/* A read position in one framed PDU; every step checks against len. */
struct smpp_pdu_walk {
	const uint8_t	*buf;
	size_t		 len;
	size_t		 off;
	char		*err;
	size_t		 errsz;
};

/* Big-endian octets; inline, they run for every field of every PDU. */
static inline uint32_t
smpp_pdu_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint16_t
smpp_pdu_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
smpp_pdu_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void
smpp_pdu_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* smpp_pdu_decode.c: the error text and the walk's steps. */
void	 smpp_pdu_set_err(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 smpp_pdu_set_ok(char *, size_t);
int	 smpp_pdu_walk_u8(struct smpp_pdu_walk *, const char *, uint8_t *);
int	 smpp_pdu_walk_cstr(struct smpp_pdu_walk *, const char *, size_t,
	    char *, size_t);

/* smpp_pdu_encode.c: the checks every encoder makes. */
int	 smpp_pdu_cstr_fits(const char *, size_t);
int	 smpp_pdu_seq_valid(uint32_t);

#endif
