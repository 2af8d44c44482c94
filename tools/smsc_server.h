/*
 * smsc_server.h: what the files of pilar-smsc's SMPP server share.
 *
 * pilar_smsc.c keeps the listener, the one ESME connection and the PDUs
 * it receives; smsc_mo.c writes what the simulator sends on its own:
 * MOs, USSD dialogues, parts of long MOs and delivery receipts.
 * Nothing outside these two files includes this header.
 */
#ifndef PILAR_SMSC_SERVER_H
#define PILAR_SMSC_SERVER_H

#include <stdint.h>

#include "smpp_pdu.h"

#define SMSC_OUT_MAX	(SMPP_PDU_MAX_DEFAULT + 1)

/* Our next sequence number: 1..0x7FFFFFFF, then 1 again. */
uint32_t	 smsc_seq(void);
/* Queue n octets of buf for the ESME; -1 without one, or when n < 0. */
int		 smsc_send(const uint8_t *, int);

#endif
