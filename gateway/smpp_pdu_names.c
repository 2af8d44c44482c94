/*
 * smpp_pdu_names.c: the names of SMPP commands and statuses, for logs.
 */
#include <stdint.h>
#include <stdio.h>

#include "smpp_pdu.h"

const char *
smpp_pdu_command_name(uint32_t command_id)
{
	static char	 buf[4][16];
	static int	 n;

	switch (command_id) {
	case SMPP_GENERIC_NACK:		return "generic_nack";
	case SMPP_BIND_RECEIVER:	return "bind_receiver";
	case 0x80000001u:		return "bind_receiver_resp";
	case SMPP_BIND_TRANSMITTER:	return "bind_transmitter";
	case 0x80000002u:		return "bind_transmitter_resp";
	case 0x00000003u:		return "query_sm";
	case 0x80000003u:		return "query_sm_resp";
	case SMPP_SUBMIT_SM:		return "submit_sm";
	case SMPP_SUBMIT_SM_RESP:	return "submit_sm_resp";
	case SMPP_DELIVER_SM:		return "deliver_sm";
	case SMPP_DELIVER_SM_RESP:	return "deliver_sm_resp";
	case SMPP_UNBIND:		return "unbind";
	case SMPP_UNBIND_RESP:		return "unbind_resp";
	case 0x00000007u:		return "replace_sm";
	case 0x80000007u:		return "replace_sm_resp";
	case 0x00000008u:		return "cancel_sm";
	case 0x80000008u:		return "cancel_sm_resp";
	case SMPP_BIND_TRANSCEIVER:	return "bind_transceiver";
	case SMPP_BIND_TRANSCEIVER_RESP: return "bind_transceiver_resp";
	case 0x0000000Bu:		return "outbind";
	case SMPP_ENQUIRE_LINK:		return "enquire_link";
	case SMPP_ENQUIRE_LINK_RESP:	return "enquire_link_resp";
	case 0x00000021u:		return "submit_multi";
	case 0x80000021u:		return "submit_multi_resp";
	case 0x00000102u:		return "alert_notification";
	case SMPP_DATA_SM:		return "data_sm";
	case 0x80000103u:		return "data_sm_resp";
	default:
		/* A few rotating buffers: several names in one log line. */
		n = (n + 1) % 4;
		snprintf(buf[n], sizeof(buf[n]), "0x%08x", command_id);
		return buf[n];
	}
}

const char *
smpp_pdu_status_name(uint32_t status)
{
	static char	 buf[4][16];
	static int	 n;

	switch (status) {
	case SMPP_ESME_ROK:		return "ESME_ROK";
	case SMPP_ESME_RINVMSGLEN:	return "ESME_RINVMSGLEN";
	case SMPP_ESME_RINVCMDLEN:	return "ESME_RINVCMDLEN";
	case SMPP_ESME_RINVCMDID:	return "ESME_RINVCMDID";
	case SMPP_ESME_RINVBNDSTS:	return "ESME_RINVBNDSTS";
	case SMPP_ESME_RALYBND:		return "ESME_RALYBND";
	case SMPP_ESME_RSYSERR:		return "ESME_RSYSERR";
	case 0x0000000Au:		return "ESME_RINVSRCADR";
	case 0x0000000Bu:		return "ESME_RINVDSTADR";
	case 0x0000000Cu:		return "ESME_RINVMSGID";
	case SMPP_ESME_RBINDFAIL:	return "ESME_RBINDFAIL";
	case SMPP_ESME_RINVPASWD:	return "ESME_RINVPASWD";
	case SMPP_ESME_RINVSYSID:	return "ESME_RINVSYSID";
	case SMPP_ESME_RMSGQFUL:	return "ESME_RMSGQFUL";
	case 0x00000045u:		return "ESME_RSUBMITFAIL";
	case SMPP_ESME_RTHROTTLED:	return "ESME_RTHROTTLED";
	case SMPP_ESME_RX_T_APPN:	return "ESME_RX_T_APPN";
	case 0x00000065u:		return "ESME_RX_P_APPN";
	case 0x00000066u:		return "ESME_RX_R_APPN";
	case SMPP_ESME_RINVOPTPARSTREAM: return "ESME_RINVOPTPARSTREAM";
	case 0x000000C1u:		return "ESME_ROPTPARNOTALLWD";
	case 0x000000C2u:		return "ESME_RINVPARLEN";
	case 0x000000C3u:		return "ESME_RMISSINGOPTPARAM";
	case 0x000000C4u:		return "ESME_RINVOPTPARAMVAL";
	case 0x000000FEu:		return "ESME_RDELIVERYFAILURE";
	case 0x000000FFu:		return "ESME_RUNKNOWNERR";
	default:
		n = (n + 1) % 4;
		snprintf(buf[n], sizeof(buf[n]), "0x%08x", status);
		return buf[n];
	}
}
