/*
 * config.c: reading pilar.conf.
 *
 * Every key is in one table with its section, type and bounds, so the
 * parser, the defaults and the error messages cannot drift apart.
 * Relative paths ([store] path, [program] catalog, [log] file) are
 * taken relative to the directory of the configuration file, so a
 * checkout or an /etc install both work without absolute paths.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "config.h"
#include "grammar.h"
#include "ini.h"
#include "log.h"
#include "outbox.h"
#include "store.h"
#include "tz.h"

#define CONFIG_FILE_MAX	(1024 * 1024)
#define CONFIG_TOKEN_MIN	16	/* [http] token, characters */

enum config_type {
	CONFIG_T_STR,		/* bounded string */
	CONFIG_T_INT,		/* integer within [min, max] */
	CONFIG_T_PATH,		/* string, relative to the file's folder */
	CONFIG_T_DURATION,	/* seconds, or a number with s, m, h or d */
	CONFIG_T_SPECIAL	/* parsed by config_special() */
};

struct config_key {
	const char		*section;
	const char		*key;
	enum config_type	 type;
	size_t			 offset;
	size_t			 size;		/* strings: buffer size */
	long			 min, max;	/* integers */
};

#define STR(s, k, f)	{ s, k, CONFIG_T_STR, offsetof(struct config, f), \
			    sizeof(((struct config *)0)->f), 0, 0 }
#define PATH(s, k, f)	{ s, k, CONFIG_T_PATH, offsetof(struct config, f), \
			    sizeof(((struct config *)0)->f), 0, 0 }
#define INT(s, k, f, lo, hi) { s, k, CONFIG_T_INT, \
			    offsetof(struct config, f), 0, lo, hi }
#define DURATION(s, k, f, lo, hi) { s, k, CONFIG_T_DURATION, \
			    offsetof(struct config, f), 0, lo, hi }
#define SPECIAL(s, k)	{ s, k, CONFIG_T_SPECIAL, 0, 0, 0, 0 }

static const struct config_key config_keys[] = {
	STR("smpp", "host", smpp_host),
	INT("smpp", "port", smpp_port, 1, 65535),
	STR("smpp", "system_id", smpp_system_id),
	STR("smpp", "password", smpp_password),
	STR("smpp", "system_type", smpp_system_type),
	STR("smpp", "source_addr", smpp_source_addr),
	INT("smpp", "source_ton", smpp_source_ton, 0, 6),
	INT("smpp", "source_npi", smpp_source_npi, 0, 18),
	SPECIAL("smpp", "bind"),
	INT("smpp", "enquire_link_interval", smpp_enquire_link_interval,
	    5, 3600),
	INT("smpp", "idle_timeout", smpp_idle_timeout, 10, 86400),
	INT("smpp", "bind_timeout", smpp_bind_timeout, 1, 300),
	INT("smpp", "response_timeout", smpp_response_timeout, 1, 600),
	INT("smpp", "window", smpp_window, 1, 1024),
	INT("smpp", "reconnect_min", smpp_reconnect_min, 1, 3600),
	INT("smpp", "reconnect_max", smpp_reconnect_max, 1, 86400),
	INT("smpp", "max_pdu", smpp_max_pdu, 256, 65536),
	INT("smpp", "max_attempts", smpp_max_attempts, 1, 1000),
	DURATION("smpp", "max_age", smpp_max_age, 60, 30 * 86400),
	INT("smpp", "tps", smpp_tps, 0, 100000),
	INT("smpp", "registered_delivery", smpp_registered_delivery, 0, 1),
	SPECIAL("smpp", "resend_unknown"),
	SPECIAL("smpp", "long_mt"),
	PATH("store", "path", store_path),
	SPECIAL("store", "sync"),
	INT("program", "yearly_target", program_yearly_target, 1, 10000),
	SPECIAL("program", "timezone"),
	SPECIAL("program", "country_code"),
	SPECIAL("program", "counted_categories"),
	INT("program", "id_min_length", program_id_min_len, 1,
	    GRAMMAR_ID_MAX),
	INT("program", "id_max_length", program_id_max_len, 1,
	    GRAMMAR_ID_MAX),
	SPECIAL("program", "language"),
	INT("program", "undo_window", program_undo_window, 0, 30 * 86400),
	PATH("program", "catalog", program_catalog),
	SPECIAL("limits", "mo_per_sender"),
	DURATION("limits", "redelivery_window", limits_redelivery_window, 0,
	    86400),
	INT("limits", "loop_guard", limits_loop_guard, 0, 1000),
	DURATION("limits", "loop_mute", limits_loop_mute, 60, 7 * 86400),
	DURATION("limits", "concat_timeout", limits_concat_timeout, 1,
	    7 * 86400),
	SPECIAL("reminders", "quiet_hours"),
	INT("reminders", "daily_cap", remind_daily_cap, 0, 1000),
	/*
	 * A chunk runs under a savepoint; past about 2,000 recipients its
	 * journal spills to a temporary file, and SQLite 3.40.1 then fails
	 * the insert with SQLITE_FULL (measured): 1,000 stays in memory.
	 */
	INT("reminders", "chunk", remind_chunk, 100, 1000),
	/* A long reminder goes in parts (outbox.h): each part is paid. */
	INT("reminders", "max_segments", remind_max_segments, 1,
	    OUTBOX_PARTS_MAX),
	SPECIAL("reminders", "p2k2_eve"),
	INT("reminders", "nudge_day", remind_nudge_day, 0, 31),
	SPECIAL("reminders", "nudge_time"),
	SPECIAL("http", "listen"),
	SPECIAL("http", "allow_remote"),
	SPECIAL("http", "token"),
	STR("ussd", "service_code", ussd_service_code),
	DURATION("ussd", "session_timeout", ussd_session_timeout, 10, 3600),
	STR("ussd", "http_path", ussd_http_path),
	STR("ussd", "http_secret", ussd_http_secret),
	STR("ussd", "http_allow", ussd_http_allow),
	SPECIAL("log", "level"),
	PATH("log", "file", log_file),
	SPECIAL("log", "mask"),
};

struct config_ctx {
	struct config	*cfg;
	const char	*dir;		/* folder of the file, for PATH */
};

static int	config_set(void *, const char *, const char *, const char *,
		    int, char *, size_t);
static int	config_special(struct config *, const char *, const char *,
		    const char *, char *, size_t);
static int	config_check(struct config *, char *, size_t);
static int	config_check_ussd(struct config *, char *, size_t);
static int	config_duration(const char *, long *);
static int	config_listen(struct config *, const char *, char *, size_t);
static int	config_bool(const char *);

/*
 * "90", "90s", "10m", "1h", "2d" in seconds; 0 or -1.  Operators think
 * in minutes and hours, not in 3600s.
 */
static int
config_duration(const char *value, long *out)
{
	char	*end;
	long	 n, unit = 1;

	errno = 0;
	n = strtol(value, &end, 10);
	if (end == value || errno != 0 || n < 0)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (n > LONG_MAX / unit)
		return -1;
	*out = n * unit;
	return 0;
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->smpp_host, sizeof(cfg->smpp_host), "127.0.0.1");
	cfg->smpp_port = 2775;
	snprintf(cfg->smpp_system_id, sizeof(cfg->smpp_system_id), "pilar");
	snprintf(cfg->smpp_source_addr, sizeof(cfg->smpp_source_addr),
	    "1717");
	cfg->smpp_source_ton = 0;
	cfg->smpp_source_npi = 0;
	cfg->smpp_bind = CONFIG_BIND_TRANSCEIVER;
	cfg->smpp_enquire_link_interval = 30;
	cfg->smpp_idle_timeout = 90;
	cfg->smpp_bind_timeout = 10;
	cfg->smpp_response_timeout = 30;
	cfg->smpp_window = 10;
	cfg->smpp_reconnect_min = 1;
	cfg->smpp_reconnect_max = 60;
	cfg->smpp_max_pdu = 4096;
	cfg->smpp_max_attempts = 10;
	cfg->smpp_resend_unknown = CONFIG_RESEND_LINK_LOST;
	cfg->smpp_max_age = 86400;
	cfg->smpp_tps = 0;
	cfg->smpp_registered_delivery = 1;
	cfg->limits_mo_count = 120;
	cfg->limits_mo_window = 600;
	cfg->limits_redelivery_window = 600;
	cfg->limits_loop_guard = 3;
	cfg->limits_loop_mute = 3600;
	cfg->limits_concat_timeout = 600;
	snprintf(cfg->ussd_service_code, sizeof(cfg->ussd_service_code),
	    "*123#");
	cfg->ussd_session_timeout = 180;
	snprintf(cfg->ussd_http_allow, sizeof(cfg->ussd_http_allow),
	    "127.0.0.1,::1");
	cfg->remind_quiet_start = 21 * 60;
	cfg->remind_quiet_end = 7 * 60;
	cfg->remind_daily_cap = 2;
	cfg->remind_chunk = 1000;
	cfg->remind_max_segments = 1;
	cfg->remind_p2k2_eve = 16 * 60;
	cfg->remind_nudge_time = 9 * 60;
	snprintf(cfg->store_path, sizeof(cfg->store_path), "pilar.db");
	cfg->store_sync = STORE_SYNC_NORMAL;
	cfg->program_yearly_target = 10;
	snprintf(cfg->program_timezone, sizeof(cfg->program_timezone),
	    "Asia/Jakarta");
	cfg->program_tz_offset = 7 * 3600;
	snprintf(cfg->program_country_code,
	    sizeof(cfg->program_country_code), "62");
	cfg->program_counted = 1u << GRAMMAR_CAT_SM;
	cfg->program_id_min_len = 1;
	cfg->program_id_max_len = 20;
	snprintf(cfg->program_language, sizeof(cfg->program_language), "id");
	cfg->program_undo_window = 24 * 3600;
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->log_mask = 1;
}

/* "yes", "no" and their usual spellings: 1, 0, or -1 when neither. */
static int
config_bool(const char *value)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	i;

	for (i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return 1;
		if (strcasecmp(value, no[i]) == 0)
			return 0;
	}
	return -1;
}

/*
 * [http] listen: "ADDRESS:PORT" with a numeric IPv4 address, "[IPv6]:PORT"
 * or "localhost:PORT"; empty turns HTTP off.  No name lookups: what
 * pilard binds to must be what the operator reads here.  Port 0 takes
 * any free port (pilard logs the one it got).  Whether the address is
 * a loopback one is noted for config_check().
 */
static int
config_listen(struct config *cfg, const char *value, char *err, size_t errsz)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	const char	*colon, *port;
	char		 host[sizeof(cfg->http_host)], *end;
	size_t		 hlen;
	long		 n;

	cfg->http_host[0] = '\0';
	cfg->http_port = 0;
	cfg->http_loopback = 1;
	if (strlen(value) >= sizeof(cfg->http_listen)) {
		snprintf(err, errsz, "listen: too long");
		return -1;
	}
	memcpy(cfg->http_listen, value, strlen(value) + 1);
	if (*value == '\0')
		return 0;
	if (*value == '[') {
		if ((colon = strstr(value, "]:")) == NULL)
			goto bad;
		hlen = (size_t)(colon - value - 1);
		port = colon + 2;
		value++;
	} else {
		if ((colon = strrchr(value, ':')) == NULL ||
		    strchr(value, ':') != colon)
			goto bad;
		hlen = (size_t)(colon - value);
		port = colon + 1;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, value, hlen);
	host[hlen] = '\0';
	errno = 0;
	n = strtol(port, &end, 10);
	if (*port < '0' || *port > '9' || *end != '\0' || errno != 0 ||
	    n > 65535)
		goto bad;
	if (strcasecmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &a4) == 1)
		cfg->http_loopback = (ntohl(a4.s_addr) >> 24) == 127;
	else if (inet_pton(AF_INET6, host, &a6) == 1)
		cfg->http_loopback = IN6_IS_ADDR_LOOPBACK(&a6);
	else
		goto bad;
	memcpy(cfg->http_host, host, strlen(host) + 1);
	cfg->http_port = (int)n;
	return 0;
bad:
	snprintf(err, errsz, "listen: '%s' is not ADDRESS:PORT (e.g. "
	    "127.0.0.1:8080 or [::1]:8080; numeric addresses only)",
	    cfg->http_listen);
	cfg->http_listen[0] = '\0';
	return -1;
}

/* ini_parse() callback: find the key in the table and store its value. */
static int
config_set(void *arg, const char *section, const char *key,
    const char *value, int line, char *err, size_t errsz)
{
	struct config_ctx	*ctx = arg;
	const struct config_key	*k = NULL;
	char			*field, *end;
	size_t			 i;
	long			 n;

	(void)line;
	for (i = 0; i < sizeof(config_keys) / sizeof(*config_keys); i++)
		if (strcasecmp(config_keys[i].section, section) == 0 &&
		    strcasecmp(config_keys[i].key, key) == 0) {
			k = &config_keys[i];
			break;
		}
	if (k == NULL) {
		snprintf(err, errsz, "unknown key '%s' in section [%s]", key,
		    section);
		return -1;
	}
	field = (char *)ctx->cfg + k->offset;
	switch (k->type) {
	case CONFIG_T_STR:
		if (strlen(value) >= k->size) {
			snprintf(err, errsz, "%s: longer than %zu characters",
			    key, k->size - 1);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case CONFIG_T_PATH:
		if (*value == '\0') {
			field[0] = '\0';
			return 0;
		}
		/* [log] file = syslog names no file (a file: ./syslog). */
		if (*value == '/' || strcmp(value, ":memory:") == 0 ||
		    (k->offset == offsetof(struct config, log_file) &&
		    strcmp(value, LOG_FILE_SYSLOG) == 0) ||
		    ctx->dir[0] == '\0')
			n = snprintf(field, k->size, "%s", value);
		else
			n = snprintf(field, k->size, "%s/%s", ctx->dir, value);
		if (n < 0 || (size_t)n >= k->size) {
			snprintf(err, errsz, "%s: path too long", key);
			return -1;
		}
		return 0;
	case CONFIG_T_INT:
		errno = 0;
		n = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0) {
			snprintf(err, errsz, "%s: '%s' is not a number", key,
			    value);
			return -1;
		}
		if (n < k->min || n > k->max) {
			snprintf(err, errsz, "%s: %ld is out of range %ld..%ld",
			    key, n, k->min, k->max);
			return -1;
		}
		*(int *)(void *)field = (int)n;
		return 0;
	case CONFIG_T_DURATION:
		if (config_duration(value, &n) == -1) {
			snprintf(err, errsz, "%s: '%s' is not a duration "
			    "(e.g. 90, 90s, 10m, 1h, 2d)", key, value);
			return -1;
		}
		if (n < k->min || n > k->max) {
			snprintf(err, errsz, "%s: %ld s is out of range "
			    "%ld..%ld s", key, n, k->min, k->max);
			return -1;
		}
		*(int *)(void *)field = (int)n;
		return 0;
	case CONFIG_T_SPECIAL:
		return config_special(ctx->cfg, section, key, value, err,
		    errsz);
	}
	return -1;
}

/* Keys whose values are words or lists rather than plain numbers. */
static int
config_special(struct config *cfg, const char *section, const char *key,
    const char *value, char *err, size_t errsz)
{
	char		 buf[64], *tok, *save = NULL;
	unsigned	 mask = 0;
	int		 lvl;
	size_t		 i;

	if (strcasecmp(key, "bind") == 0) {
		if (strcasecmp(value, "transceiver") != 0) {
			snprintf(err, errsz, "bind: '%s' is not supported "
			    "(use transceiver)", value);
			return -1;
		}
		cfg->smpp_bind = CONFIG_BIND_TRANSCEIVER;
	} else if (strcasecmp(key, "resend_unknown") == 0) {
		if (strcasecmp(value, "yes") == 0)
			cfg->smpp_resend_unknown = CONFIG_RESEND_ALWAYS;
		else if (strcasecmp(value, "no") == 0)
			cfg->smpp_resend_unknown = CONFIG_RESEND_NEVER;
		else if (strcasecmp(value, "link_lost") == 0)
			cfg->smpp_resend_unknown = CONFIG_RESEND_LINK_LOST;
		else {
			snprintf(err, errsz, "resend_unknown: '%s' is not "
			    "link_lost, yes or no", value);
			return -1;
		}
	} else if (strcasecmp(key, "long_mt") == 0) {
		if (strcasecmp(value, "udh") == 0)
			cfg->smpp_long_mt = CONFIG_LONG_MT_UDH;
		else if (strcasecmp(value, "sar") == 0)
			cfg->smpp_long_mt = CONFIG_LONG_MT_SAR;
		else if (strcasecmp(value, "payload") == 0)
			cfg->smpp_long_mt = CONFIG_LONG_MT_PAYLOAD;
		else {
			snprintf(err, errsz, "long_mt: '%s' is not udh, sar "
			    "or payload", value);
			return -1;
		}
	} else if (strcasecmp(key, "sync") == 0) {
		if (strcasecmp(value, "normal") == 0)
			cfg->store_sync = STORE_SYNC_NORMAL;
		else if (strcasecmp(value, "full") == 0)
			cfg->store_sync = STORE_SYNC_FULL;
		else {
			snprintf(err, errsz, "sync: '%s' is neither normal "
			    "nor full", value);
			return -1;
		}
	} else if (strcasecmp(key, "timezone") == 0) {
		if (strlen(value) >= sizeof(cfg->program_timezone) ||
		    tz_offset(value, &cfg->program_tz_offset) == -1) {
			snprintf(err, errsz, "timezone: unknown zone '%s' (use "
			    "Asia/Jakarta, Asia/Makassar or Asia/Jayapura)",
			    value);
			return -1;
		}
		memcpy(cfg->program_timezone, value, strlen(value) + 1);
	} else if (strcasecmp(key, "country_code") == 0) {
		for (i = 0; value[i] != '\0'; i++)
			if (value[i] < '0' || value[i] > '9')
				break;
		if (i == 0 || value[i] != '\0' || i > 3 || value[0] == '0') {
			snprintf(err, errsz, "country_code: '%s' is not 1 to 3 "
			    "digits", value);
			return -1;
		}
		memcpy(cfg->program_country_code, value, i + 1);
	} else if (strcasecmp(key, "counted_categories") == 0) {
		if (strlen(value) >= sizeof(buf)) {
			snprintf(err, errsz, "counted_categories: too long");
			return -1;
		}
		memcpy(buf, value, strlen(value) + 1);
		for (tok = strtok_r(buf, ", ", &save); tok != NULL;
		    tok = strtok_r(NULL, ", ", &save)) {
			if (strcasecmp(tok, "SM") == 0)
				mask |= 1u << GRAMMAR_CAT_SM;
			else if (strcasecmp(tok, "AL") == 0)
				mask |= 1u << GRAMMAR_CAT_AL;
			else if (strcasecmp(tok, "PK") == 0)
				mask |= 1u << GRAMMAR_CAT_PK;
			else {
				snprintf(err, errsz, "counted_categories: '%s' "
				    "is not SM, AL or PK", tok);
				return -1;
			}
		}
		if (mask == 0) {
			snprintf(err, errsz, "counted_categories: name at "
			    "least one of SM, AL, PK");
			return -1;
		}
		cfg->program_counted = mask;
	} else if (strcasecmp(key, "language") == 0) {
		if (strcasecmp(value, "id") != 0 &&
		    strcasecmp(value, "en") != 0) {
			snprintf(err, errsz, "language: '%s' is neither id nor "
			    "en", value);
			return -1;
		}
		cfg->program_language[0] = (char)(value[0] | 0x20);
		cfg->program_language[1] = (char)(value[1] | 0x20);
		cfg->program_language[2] = '\0';
	} else if (strcasecmp(key, "mo_per_sender") == 0) {
		long	 count, window;
		char	*slash, *end;

		errno = 0;
		count = strtol(value, &end, 10);
		if (end == value || errno != 0 || count < 0 ||
		    count > 1000000 || (*end != '\0' && *end != '/')) {
			snprintf(err, errsz, "mo_per_sender: '%s' is not "
			    "COUNT/WINDOW (e.g. 120/10m) or 0", value);
			return -1;
		}
		window = 0;
		if ((slash = strchr(value, '/')) != NULL &&
		    (config_duration(slash + 1, &window) == -1 ||
		    window < 1 || window > 86400)) {
			snprintf(err, errsz, "mo_per_sender: window '%s' is "
			    "not a duration of 1 s to 1 d", slash + 1);
			return -1;
		}
		if (count > 0 && slash == NULL) {
			snprintf(err, errsz, "mo_per_sender: '%s' needs a "
			    "window, e.g. %ld/10m", value, count);
			return -1;
		}
		cfg->limits_mo_count = (int)count;
		cfg->limits_mo_window = (int)window;
	} else if (strcasecmp(section, "http") == 0 &&
	    strcasecmp(key, "listen") == 0) {
		return config_listen(cfg, value, err, errsz);
	} else if (strcasecmp(key, "allow_remote") == 0) {
		if ((cfg->http_allow_remote = config_bool(value)) == -1) {
			snprintf(err, errsz, "allow_remote: '%s' is neither yes "
			    "nor no", value);
			return -1;
		}
	} else if (strcasecmp(key, "token") == 0) {
		/* Sent in URLs too: only characters that need no escaping. */
		for (i = 0; value[i] != '\0'; i++)
			if (strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~",
			    value[i]) == NULL)
				break;
		if (value[i] != '\0' || (i > 0 && i < CONFIG_TOKEN_MIN) ||
		    i > CONFIG_TOKEN_MAX) {
			snprintf(err, errsz, "token: use %d to %d letters, "
			    "digits, '-', '_', '.' or '~' (e.g. the output of "
			    "openssl rand -hex 24)", CONFIG_TOKEN_MIN,
			    CONFIG_TOKEN_MAX);
			return -1;
		}
		memcpy(cfg->http_token, value, i + 1);
	} else if (strcasecmp(key, "quiet_hours") == 0) {
		unsigned	h1, m1, h2, m2;
		char		c;

		if (strcasecmp(value, "none") == 0) {
			cfg->remind_quiet_start = cfg->remind_quiet_end = -1;
			return 0;
		}
		if (sscanf(value, "%2u:%2u-%2u:%2u%c", &h1, &m1, &h2, &m2,
		    &c) != 4 || h1 > 23 || m1 > 59 || h2 > 23 || m2 > 59 ||
		    (h1 == h2 && m1 == m2)) {
			snprintf(err, errsz, "quiet_hours: '%s' is neither "
			    "HH:MM-HH:MM (e.g. 21:00-07:00) nor none", value);
			return -1;
		}
		cfg->remind_quiet_start = (int)(h1 * 60 + m1);
		cfg->remind_quiet_end = (int)(h2 * 60 + m2);
	} else if (strcasecmp(key, "p2k2_eve") == 0 ||
	    strcasecmp(key, "nudge_time") == 0) {
		unsigned	h1, m1;
		char		c;

		if (sscanf(value, "%2u:%2u%c", &h1, &m1, &c) != 2 ||
		    h1 > 23 || m1 > 59) {
			snprintf(err, errsz, "%s: '%s' is no HH:MM "
			    "(e.g. 16:00)", key, value);
			return -1;
		}
		if (strcasecmp(key, "p2k2_eve") == 0)
			cfg->remind_p2k2_eve = (int)(h1 * 60 + m1);
		else
			cfg->remind_nudge_time = (int)(h1 * 60 + m1);
	} else if (strcasecmp(key, "level") == 0) {
		if ((lvl = log_level_parse(value)) == -1) {
			snprintf(err, errsz, "level: '%s' is not one of error, "
			    "warn, info, debug", value);
			return -1;
		}
		cfg->log_level = lvl;
	} else if (strcasecmp(key, "mask") == 0) {
		if ((cfg->log_mask = config_bool(value)) == -1) {
			snprintf(err, errsz, "mask: '%s' is neither yes nor no",
			    value);
			return -1;
		}
	} else {
		snprintf(err, errsz, "unhandled key %s.%s", section, key);
		return -1;
	}
	return 0;
}

/*
 * [ussd]: a service code of the form *DIGITS# (with * between digit
 * groups), a path that starts with '/', a secret that needs no escaping
 * in a header, and a list of numeric addresses.
 */
static int
config_check_ussd(struct config *cfg, char *err, size_t errsz)
{
	const char	*c = cfg->ussd_service_code, *p;
	char		 addr[64], buf[16];
	size_t		 n = strlen(c), i, k;

	if (n < 3 || c[0] != '*' || c[n - 1] != '#' ||
	    strspn(c, "*0123456789") != n - 1 || strstr(c, "**") != NULL ||
	    c[n - 2] == '*') {
		snprintf(err, errsz, "[ussd] service_code: '%s' is not a code "
		    "like *123# or *123*4#", c);
		return -1;
	}
	p = cfg->ussd_http_path;
	if (p[0] != '\0' && (p[0] != '/' || strcspn(p, " ?#%") != strlen(p))) {
		snprintf(err, errsz, "[ussd] http_path: '%s' must start with / "
		    "and hold no blank, ?, # or %%", p);
		return -1;
	}
	for (i = 0; cfg->ussd_http_secret[i] != '\0'; i++)
		if (cfg->ussd_http_secret[i] <= ' ' ||
		    cfg->ussd_http_secret[i] >= 0x7f) {
			snprintf(err, errsz, "[ussd] http_secret: printable "
			    "ASCII only, no blanks");
			return -1;
		}
	for (p = cfg->ussd_http_allow; *p != '\0'; p += k + (p[k] == ',')) {
		while (*p == ' ')
			p++;
		k = strcspn(p, ",");
		snprintf(addr, sizeof(addr), "%.*s", (int)k, p);
		while ((n = strlen(addr)) > 0 && addr[n - 1] == ' ')
			addr[n - 1] = '\0';
		if (addr[0] == '\0' && p[k] == '\0')
			break;
		if (inet_pton(AF_INET, addr, buf) != 1 &&
		    inet_pton(AF_INET6, addr, buf) != 1) {
			snprintf(err, errsz, "[ussd] http_allow: '%s' is not a "
			    "numeric IPv4 or IPv6 address", addr);
			return -1;
		}
	}
	return 0;
}

/* Checks that involve several keys; they have no line of their own. */
static int
config_check(struct config *cfg, char *err, size_t errsz)
{
	if (cfg->program_id_min_len > cfg->program_id_max_len) {
		snprintf(err, errsz, "[program] id_min_length %d is above "
		    "id_max_length %d", cfg->program_id_min_len,
		    cfg->program_id_max_len);
		return -1;
	}
	if (cfg->smpp_reconnect_min > cfg->smpp_reconnect_max) {
		snprintf(err, errsz, "[smpp] reconnect_min is above "
		    "reconnect_max");
		return -1;
	}
	if (cfg->smpp_host[0] == '\0') {
		snprintf(err, errsz, "[smpp] host is empty");
		return -1;
	}
	if (cfg->smpp_system_id[0] == '\0') {
		snprintf(err, errsz, "[smpp] system_id is empty");
		return -1;
	}
	if (cfg->store_path[0] == '\0') {
		snprintf(err, errsz, "[store] path is empty");
		return -1;
	}
	if (cfg->http_listen[0] != '\0' && !cfg->http_loopback &&
	    !cfg->http_allow_remote) {
		snprintf(err, errsz, "[http] listen: %s is not a loopback "
		    "address; set [http] allow_remote = yes to serve other "
		    "hosts", cfg->http_host);
		return -1;
	}
	if (config_check_ussd(cfg, err, errsz) == -1)
		return -1;
	return 0;
}

int
config_load(const char *path, struct config *out, char *err, size_t errsz)
{
	struct config		*cfg = NULL;
	struct config_ctx	 ctx;
	struct stat		 st;
	FILE			*fp = NULL;
	char			*buf = NULL, dir[CONFIG_STR_MAX], msg[256];
	const char		*slash;
	size_t			 n;
	int			 rc = -1, line = 0;

	if (strlen(path) >= sizeof(cfg->path)) {
		snprintf(err, errsz, "%s: path too long", path);
		return -1;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > CONFIG_FILE_MAX) {
		snprintf(err, errsz, "%s: not a regular file of at most %d "
		    "bytes", path, CONFIG_FILE_MAX);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL ||
	    (cfg = malloc(sizeof(*cfg))) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		goto out;
	}
	n = fread(buf, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	buf[n] = '\0';

	config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	if ((slash = strrchr(path, '/')) == NULL)
		dir[0] = '\0';
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	ctx.cfg = cfg;
	ctx.dir = dir;
	if (ini_parse(buf, n, config_set, &ctx, &line, msg, sizeof(msg))
	    == -1) {
		snprintf(err, errsz, "%s:%d: %s", path, line, msg);
		goto out;
	}
	if (config_check(cfg, msg, sizeof(msg)) == -1) {
		snprintf(err, errsz, "%s: %s", path, msg);
		goto out;
	}
	*out = *cfg;
	rc = 0;
out:
	if (fp != NULL)
		fclose(fp);
	free(buf);
	free(cfg);
	return rc;
}

int
config_http_changed(const struct config *a, const struct config *b)
{
	return strcmp(a->http_listen, b->http_listen) != 0;
}

int
config_link_changed(const struct config *a, const struct config *b)
{
	return strcmp(a->smpp_host, b->smpp_host) != 0 ||
	    a->smpp_port != b->smpp_port ||
	    strcmp(a->smpp_system_id, b->smpp_system_id) != 0 ||
	    strcmp(a->smpp_password, b->smpp_password) != 0 ||
	    strcmp(a->smpp_system_type, b->smpp_system_type) != 0 ||
	    a->smpp_bind != b->smpp_bind;
}
