/*
 * config.h: pilar.conf, the one configuration file of pilard and pilarctl.
 *
 * The section and key names are fixed: operators and scripts depend on
 * them (conf/pilar.conf documents each).  Loading is all or nothing:
 * an unknown key or a bad value is an error "FILE:LINE: what is wrong",
 * and the caller keeps its old configuration (SIGHUP).
 */
#ifndef PILAR_CONFIG_H
#define PILAR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_STR_MAX		256
#define CONFIG_ERR_MAX		(CONFIG_STR_MAX + 256)
#define CONFIG_TOKEN_MAX	128	/* [http] token, characters */

/* [smpp] long_mt: how an MT longer than one SMS goes to the SMSC. */
enum config_long_mt {
	CONFIG_LONG_MT_UDH = 0,		/* parts with a UDH, the default */
	CONFIG_LONG_MT_SAR = 1,		/* parts with the sar_* TLVs */
	CONFIG_LONG_MT_PAYLOAD = 2	/* one submit_sm, message_payload */
};

/* [smpp] resend_unknown; the values are outbox.h's enum outbox_resend. */
enum config_resend {
	CONFIG_RESEND_NEVER = 0,	/* no */
	CONFIG_RESEND_ALWAYS = 1,	/* yes */
	CONFIG_RESEND_LINK_LOST = 2	/* link_lost, the default */
};

enum config_bind {
	CONFIG_BIND_TRANSCEIVER = 0
};

struct config {
	char	path[CONFIG_STR_MAX];		/* the file it came from */

	/* [smpp] */
	char	smpp_host[CONFIG_STR_MAX];
	int	smpp_port;
	char	smpp_system_id[17];
	char	smpp_password[10];
	char	smpp_system_type[14];
	char	smpp_source_addr[22];		/* our short code */
	int	smpp_source_ton;
	int	smpp_source_npi;
	enum config_bind smpp_bind;
	int	smpp_enquire_link_interval;	/* s */
	int	smpp_idle_timeout;		/* s without any traffic */
	int	smpp_bind_timeout;		/* s */
	int	smpp_response_timeout;		/* s for a *_resp */
	int	smpp_window;			/* outstanding submit_sm */
	int	smpp_reconnect_min;		/* s, first backoff */
	int	smpp_reconnect_max;		/* s, backoff ceiling */
	uint32_t smpp_max_pdu;			/* bytes */
	int	smpp_max_attempts;		/* submit tries before failed */
	int	smpp_resend_unknown;		/* CONFIG_RESEND_* */
	int	smpp_long_mt;			/* CONFIG_LONG_MT_* */
	int	smpp_max_age;			/* s an MT may wait, then failed */
	int	smpp_tps;			/* submits per second, 0 = any */
	int	smpp_registered_delivery;	/* ask for receipts: 0 or 1 */

	/* [store] */
	char	store_path[CONFIG_STR_MAX];
	int	store_sync;			/* enum store_sync */

	/* [program] */
	int	program_yearly_target;
	char	program_timezone[33];
	int	program_tz_offset;		/* s, derived from the zone */
	char	program_country_code[5];
	unsigned program_counted;		/* 1 << enum grammar_category */
	int	program_id_min_len;
	int	program_id_max_len;
	char	program_language[3];		/* default reply language */
	int	program_undo_window;		/* s that BATAL reaches back */
	char	program_catalog[CONFIG_STR_MAX];	/* "" = built in */

	/* [limits] */
	int	limits_mo_count;		/* MO per sender per window, */
	int	limits_mo_window;		/* s; count 0 = no limit */
	int	limits_redelivery_window;	/* s: same sender and text */
	int	limits_loop_guard;		/* identical exchanges, 0 = off */
	int	limits_loop_mute;		/* s without replies after */
	int	limits_concat_timeout;		/* s a long MO waits for parts */

	/* [reminders] */
	int	remind_quiet_start;		/* min after local midnight, */
	int	remind_quiet_end;		/* both -1: no quiet hours */
	int	remind_daily_cap;		/* reminders per KPM per local
						   day, 0 = no cap */
	int	remind_chunk;			/* recipients per transaction */
	int	remind_max_segments;		/* a reminder's SMS at most */
	int	remind_p2k2_eve;		/* min after midnight, the day
						   before a P2K2 session */
	int	remind_nudge_day;		/* of the month, 0 = off */
	int	remind_nudge_time;		/* min after local midnight */

	/* [http] */
	char	http_listen[CONFIG_STR_MAX];	/* as written; "" = off */
	char	http_host[46];			/* numeric address */
	int	http_port;			/* 0: any free port */
	int	http_loopback;			/* http_host is 127/8 or ::1 */
	int	http_allow_remote;		/* serve non-loopback */
	char	http_token[CONFIG_TOKEN_MAX + 1];	/* "" = none */

	/* [ussd] */
	char	ussd_service_code[17];		/* "*123#" */
	int	ussd_session_timeout;		/* s without an answer */
	char	ussd_http_path[65];		/* "" = no HTTP callback */
	char	ussd_http_secret[CONFIG_TOKEN_MAX + 1];	/* "" = none */
	char	ussd_http_allow[CONFIG_STR_MAX];	/* addresses, "," */

	/* [log] */
	int	log_level;			/* LOG_LEVEL_* of log.h */
	char	log_file[CONFIG_STR_MAX];	/* "" = stderr, or "syslog" */
	int	log_mask;			/* 1: phones and NIKs masked */
};

/* Fill in every default (what an empty file means). */
void	config_defaults(struct config *);

/*
 * Read path into *cfg (which is only written on success).  Returns 0,
 * or -1 with "FILE:LINE: reason" (or "FILE: reason") in err.
 */
int	config_load(const char *path, struct config *cfg, char *err,
	    size_t errsz);

/* Whether two configurations differ in [http] listen. */
int	config_http_changed(const struct config *, const struct config *);

/* Whether two configurations differ in what the SMPP link uses. */
int	config_link_changed(const struct config *, const struct config *);

#endif
