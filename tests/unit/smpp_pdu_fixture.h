/*
 * smpp_pdu_fixture.h: what the PDU tests share (test_smpp_pdu.c and the
 * libsmpp34 oracles, test_smpp_pdu_oracle.c for the encoders and
 * test_smpp_pdu_oracle_decode.c for the decoder): PDUs written by hand
 * as a peer would send them, a sample message and its comparison, and
 * the fixed-seed generator of the oracles.
 */
#ifndef PILAR_SMPP_PDU_FIXTURE_H
#define PILAR_SMPP_PDU_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "smpp_pdu.h"

/* A PDU under construction, written by hand as a peer would send it. */
struct pdu {
	uint8_t	 b[SMPP_PDU_MAX_DEFAULT + 1];
	size_t	 len;
};

void	 pdu_u8(struct pdu *, uint8_t);
void	 pdu_u16(struct pdu *, uint16_t);
void	 pdu_u32(struct pdu *, uint32_t);
void	 pdu_bytes(struct pdu *, const void *, size_t);
void	 pdu_cstr(struct pdu *, const char *);
void	 pdu_start(struct pdu *, uint32_t, uint32_t);
/* Fix command_length and write the guard NUL, as smpp_frame_take does. */
void	 pdu_finish(struct pdu *);
/* deliver_sm mandatory part from the phone to 1717, short_message text. */
void	 pdu_deliver_sm(struct pdu *, const char *, const char *);

void	 fill_msg(struct smpp_msg *, const char *);
void	 assert_msg_equal(const struct smpp_msg *, const struct smpp_msg *);

/*
 * libsmpp34 as the oracle.  pilard no longer calls it for messages
 * (see smpp_pdu.c), so these tests hold our writer and our walk to what
 * it packs and unpacks: every encoder byte for byte, the decoder field
 * for field on a generated corpus.  The generator is a fixed-seed
 * xorshift: a failure names its iteration and replays.
 */
#define ORACLE_ROUNDS	3000
#define ORACLE_BUF	(SMPP_PDU_MAX_DEFAULT + 1)

/* The iteration a failure names. */
extern int	 rng_iter;

void		 rng_seed(uint64_t);
/* 0 .. n - 1 (n > 0). */
uint32_t	 rng(uint32_t);
/* A C-string of 0..maxlen octets 1..255: any non-NUL octet is legal. */
void		 rng_cstr(char *, size_t);
/* The TON and NPI values libsmpp34 packs and unpacks. */
uint8_t		 rng_ton(void);
uint8_t		 rng_npi(void);
uint32_t	 rng_seq(void);

#endif
