/*
 * smpp_pdu.h: SMPP 3.4 PDUs as our own structs.
 *
 * smpp_pdu.c is the one file that calls libsmpp34 (whose only error
 * state is a global buffer): the rest of pilar, the simulator included,
 * sees these structs and plain return codes.  Decoding never trusts the
 * wire: the caller hands over one framed PDU (see smpp_frame.h) followed
 * by a NUL guard byte, and every field is bounds checked.
 *
 * Only the binds go through libsmpp34 (smpp_pdu_encode_bind and
 * smpp_pdu_decode_bind); it costs microseconds of snprintf per PDU, too
 * much for the per-message path, which is our own code (see the comment
 * at the top of smpp_pdu.c).  libsmpp34 is never shown a TLV, which
 * sidesteps both of its memory-safety traps (unbounded error trace on
 * many TLVs, 1024-byte cap on octet TLVs).
 */
#ifndef PILAR_SMPP_PDU_H
#define PILAR_SMPP_PDU_H

#include <stddef.h>
#include <stdint.h>

#define SMPP_HEADER_LEN		16
#define SMPP_PDU_MAX_DEFAULT	4096	/* largest PDU we accept by default */
#define SMPP_TLV_MAX		16	/* more optional parameters: hostile */
#define SMPP_ADDR_MAX		21	/* address octets, without NUL */
#define SMPP_SYSID_MAX		16
#define SMPP_PASSWORD_MAX	9
#define SMPP_SYSTYPE_MAX	13
#define SMPP_MSGID_MAX		65
#define SMPP_SM_MAX		254	/* short_message octets */
#define SMPP_PAYLOAD_MAX	2048	/* message_payload octets we keep */

/* Command ids and statuses we use by name (values from SMPP 3.4). */
#define SMPP_GENERIC_NACK		0x80000000u
#define SMPP_BIND_RECEIVER		0x00000001u
#define SMPP_BIND_TRANSMITTER		0x00000002u
#define SMPP_SUBMIT_SM			0x00000004u
#define SMPP_SUBMIT_SM_RESP		0x80000004u
#define SMPP_DELIVER_SM			0x00000005u
#define SMPP_DELIVER_SM_RESP		0x80000005u
#define SMPP_UNBIND			0x00000006u
#define SMPP_UNBIND_RESP		0x80000006u
#define SMPP_BIND_TRANSCEIVER		0x00000009u
#define SMPP_BIND_TRANSCEIVER_RESP	0x80000009u
#define SMPP_ENQUIRE_LINK		0x00000015u
#define SMPP_ENQUIRE_LINK_RESP		0x80000015u
#define SMPP_DATA_SM			0x00000103u
#define SMPP_RESP_BIT			0x80000000u

#define SMPP_ESME_ROK		0x00000000u
#define SMPP_ESME_RINVMSGLEN	0x00000001u
#define SMPP_ESME_RINVCMDLEN	0x00000002u
#define SMPP_ESME_RINVCMDID	0x00000003u
#define SMPP_ESME_RINVBNDSTS	0x00000004u
#define SMPP_ESME_RALYBND	0x00000005u
#define SMPP_ESME_RSYSERR	0x00000008u
#define SMPP_ESME_RBINDFAIL	0x0000000Du
#define SMPP_ESME_RINVPASWD	0x0000000Eu
#define SMPP_ESME_RINVSYSID	0x0000000Fu
#define SMPP_ESME_RMSGQFUL	0x00000014u
#define SMPP_ESME_RTHROTTLED	0x00000058u
#define SMPP_ESME_RX_T_APPN	0x00000064u
#define SMPP_ESME_RX_P_APPN	0x00000065u
#define SMPP_ESME_RINVOPTPARSTREAM 0x000000C0u

/* Optional parameter tags we read or write. */
#define SMPP_TLV_RECEIPTED_MESSAGE_ID	0x001E
#define SMPP_TLV_USER_MESSAGE_REFERENCE	0x0204
#define SMPP_TLV_SAR_MSG_REF_NUM	0x020C
#define SMPP_TLV_SAR_TOTAL_SEGMENTS	0x020E
#define SMPP_TLV_SAR_SEGMENT_SEQNUM	0x020F
#define SMPP_TLV_NETWORK_ERROR_CODE	0x0423
#define SMPP_TLV_MESSAGE_PAYLOAD	0x0424
#define SMPP_TLV_MESSAGE_STATE		0x0427
#define SMPP_TLV_USSD_SERVICE_OP	0x0501
#define SMPP_TLV_ITS_SESSION_INFO	0x1383

struct smpp_header {
	uint32_t	length;
	uint32_t	command_id;
	uint32_t	status;
	uint32_t	seq;
};

struct smpp_bind {
	char	system_id[SMPP_SYSID_MAX + 1];
	char	password[SMPP_PASSWORD_MAX + 1];
	char	system_type[SMPP_SYSTYPE_MAX + 1];
	uint8_t	interface_version;	/* 0x34 */
	uint8_t	addr_ton;
	uint8_t	addr_npi;
	char	address_range[41];
};

/*
 * deliver_sm or submit_sm.  sm holds short_message, or message_payload
 * when short_message was empty and the TLV was there (payload_from_tlv
 * then says so).  The has_* flags say which optional parameters came.
 */
struct smpp_msg {
	char		service_type[6];
	uint8_t		source_ton;
	uint8_t		source_npi;
	char		source_addr[SMPP_ADDR_MAX + 1];
	uint8_t		dest_ton;
	uint8_t		dest_npi;
	char		dest_addr[SMPP_ADDR_MAX + 1];
	uint8_t		esm_class;
	uint8_t		protocol_id;
	uint8_t		priority;
	uint8_t		registered_delivery;
	uint8_t		data_coding;
	uint8_t		sm[SMPP_PAYLOAD_MAX];
	size_t		sm_len;
	int		payload_from_tlv;

	int		has_receipted_message_id;
	char		receipted_message_id[SMPP_MSGID_MAX + 1];
	int		has_message_state;
	uint8_t		message_state;
	int		has_network_error_code;
	uint8_t		network_error_code[3];
	int		has_user_message_reference;
	uint16_t	user_message_reference;
	int		has_sar;		/* all three present */
	uint16_t	sar_msg_ref_num;
	uint8_t		sar_total_segments;
	uint8_t		sar_segment_seqnum;
	int		has_ussd_service_op;
	uint8_t		ussd_service_op;
	int		has_its_session_info;
	uint16_t	its_session_info;
};

/* Read the 16-byte header of buf (len >= 16).  Always succeeds. */
void	smpp_pdu_header(const uint8_t *buf, struct smpp_header *out);

/*
 * Decode the body of a deliver_sm, submit_sm or data_sm held in buf
 * (len bytes, the whole PDU, buf[len] == 0).  Returns 0, or -1 with a
 * short reason in err (truncated field, C-string without NUL within its
 * maximum, sm_length beyond the PDU or over 254, malformed TLV, more than
 * SMPP_TLV_MAX TLVs, message_payload over SMPP_PAYLOAD_MAX); err is "ok"
 * on success.  Any TON/NPI octet is accepted.  The caller answers a -1
 * with an error status; it never needs to close the link for it, the
 * framing is intact.
 */
int	smpp_pdu_decode_msg(const uint8_t *buf, size_t len,
	    struct smpp_msg *out, char *err, size_t errsz);

/* Decode a bind_transmitter/receiver/transceiver body (for the simulator). */
int	smpp_pdu_decode_bind(const uint8_t *buf, size_t len,
	    struct smpp_bind *out, char *err, size_t errsz);

/*
 * The message_id of a submit_sm_resp or deliver_sm_resp, or the system_id
 * of a bind_*_resp: the one C-string after the header.  Tolerant: an
 * absent or empty body gives "" (many SMSCs send no id with an error).
 */
int	smpp_pdu_decode_resp_id(const uint8_t *buf, size_t len,
	    char *out, size_t outsz);

/*
 * Encoders write one whole PDU into out (outsz bytes) and return its
 * length, or -1 when a field is too long or out too small (out may then
 * hold a partial PDU).  seq must be 1..0x7FFFFFFF, for responses too:
 * they echo the peer's number, and one outside that range cannot be
 * answered (the caller logs it and sends nothing).
 */
int	smpp_pdu_encode_bind(uint8_t *out, size_t outsz, uint32_t command_id,
	    uint32_t seq, const struct smpp_bind *);
/* bind_*_resp with system_id ("" allowed); header only when status != 0. */
int	smpp_pdu_encode_bind_resp(uint8_t *out, size_t outsz,
	    uint32_t command_id, uint32_t seq, uint32_t status,
	    const char *system_id);
/*
 * submit_sm or deliver_sm.  sm_len <= 253 goes in short_message (or
 * message_payload when payload_from_tlv is set), up to SMPP_PAYLOAD_MAX
 * in message_payload; the has_* TLVs that are set are added.  Time
 * fields are empty, replace_if_present and sm_default_msg_id 0; TON and
 * NPI are written as given.
 */
int	smpp_pdu_encode_msg(uint8_t *out, size_t outsz, uint32_t command_id,
	    uint32_t seq, const struct smpp_msg *);
/* submit_sm_resp / deliver_sm_resp with a message_id ("" allowed). */
int	smpp_pdu_encode_msg_resp(uint8_t *out, size_t outsz,
	    uint32_t command_id, uint32_t seq, uint32_t status,
	    const char *message_id);
/* enquire_link(_resp), unbind(_resp), generic_nack: header only. */
int	smpp_pdu_encode_header(uint8_t *out, size_t outsz, uint32_t command_id,
	    uint32_t status, uint32_t seq);

/* Name of a command id for logs ("deliver_sm"), "0x..." when unknown. */
const char *smpp_pdu_command_name(uint32_t command_id);
/* Name of a status for logs ("ESME_RTHROTTLED"), "0x..." when unknown. */
const char *smpp_pdu_status_name(uint32_t status);

#endif
