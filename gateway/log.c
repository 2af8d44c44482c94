/*
 * log.c: operator's log, one line per event.
 *
 * Lines are "TIME LEVEL event key=value ...", TIME in UTC with
 * milliseconds.  Writes go to one FILE (stderr or a file opened for
 * append) through a 64 KiB buffer: under load a line per message costs
 * a write(2) each otherwise.  The daemon calls log_flush() at the end of
 * every loop pass and on its 250 ms tick, so tail -f lags by one pass at
 * most; errors are flushed at once.  A crash loses at most the lines of
 * the pass it happened in.
 *
 * With [log] file = syslog the lines go to syslog(3) instead, facility
 * daemon, one call each (syslogd or journald buffers), without the
 * time.  Whether phones and NIKs are masked is decided here only
 * (log_phone(), log_nik(), log_text()), so [log] mask = no reaches every
 * line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>

#include "grammar.h"
#include "log.h"
#include "phone.h"

static void	log_vwrite(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static void	log_syslog(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static size_t	log_text_run(const char *, const char *, size_t);
static const char *log_quote_mask(const char *, char *, size_t, int);

static FILE	*log_fp;
static int	 log_level = LOG_LEVEL_INFO;
static int	 log_to_syslog;
static int	 log_masked = 1;
static char	 log_path[1024];
static char	 log_buf[65536];

static const char *const log_level_names[] = {
	"error", "warn", "info", "debug"
};

static const int log_syslog_prio[] = {
	LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG
};

/*
 * Also on SIGHUP, with the file of the new configuration: the new
 * destination is opened before the old one is let go, so a file that
 * cannot be opened leaves the log where it was.
 */
int
log_init(int level, const char *file)
{
	FILE	*fp = stderr;	/* NULL: syslog */

	if (file != NULL && strcmp(file, LOG_FILE_SYSLOG) == 0)
		fp = NULL;
	else if (file != NULL && *file != '\0' &&
	    (fp = fopen(file, "a")) == NULL)
		return -1;
	log_level = level;
	if (log_fp != NULL && log_fp != stderr)
		fclose(log_fp);		/* flushes log_buf before reuse */
	else if (log_fp == stderr)
		fflush(stderr);
	log_fp = fp;
	log_path[0] = '\0';
	if (fp == NULL) {
		if (!log_to_syslog)
			openlog("pilard", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_to_syslog = 1;
		return 0;
	}
	if (log_to_syslog)
		closelog();
	log_to_syslog = 0;
	if (fp != stderr) {
		setvbuf(fp, log_buf, _IOFBF, sizeof(log_buf));
		snprintf(log_path, sizeof(log_path), "%s", file);
	}
	return 0;
}

void
log_set_mask(int mask)
{
	log_masked = mask != 0;
}

int
log_mask(void)
{
	return log_masked;
}

void
log_set_level(int level)
{
	log_level = level;
}

/*
 * Reopen the file by name: logrotate has renamed the old one.  On
 * failure keep writing to the old descriptor rather than losing lines.
 * Standard error and syslog have nothing to reopen.
 */
int
log_reopen(void)
{
	FILE	*fp;

	if (log_path[0] == '\0')
		return 0;
	if ((fp = fopen(log_path, "a")) == NULL)
		return -1;
	if (log_fp != NULL && log_fp != stderr)
		fclose(log_fp);
	setvbuf(fp, log_buf, _IOFBF, sizeof(log_buf));
	log_fp = fp;
	return 0;
}

void
log_flush(void)
{
	if (log_fp != NULL)
		fflush(log_fp);
}

void
log_close(void)
{
	if (log_fp != NULL && log_fp != stderr)
		fclose(log_fp);
	log_fp = NULL;
	if (log_to_syslog)
		closelog();
	log_to_syslog = 0;
}

int
log_level_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof(log_level_names) / sizeof(*log_level_names);
	    i++)
		if (strcasecmp(s, log_level_names[i]) == 0)
			return (int)i;
	if (strcasecmp(s, "warning") == 0)
		return LOG_LEVEL_WARN;
	return -1;
}

/* Format one line; suffix (strerror) is appended as err="...". */
static void
log_vwrite(int level, const char *suffix, const char *fmt, va_list ap)
{
	/* The formatted second is kept: most lines share it under load. */
	static time_t	 ts_sec = -1;
	static char	 ts[32];
	FILE		*fp = log_fp != NULL ? log_fp : stderr;
	struct timeval	 tv;
	struct tm	 tm;
	char		 q[256];

	if (level > log_level)
		return;
	if (log_to_syslog) {
		log_syslog(level, suffix, fmt, ap);
		return;
	}
	gettimeofday(&tv, NULL);
	if (tv.tv_sec != ts_sec) {
		ts_sec = tv.tv_sec;
		gmtime_r(&tv.tv_sec, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	}
	fprintf(fp, "%s.%03dZ %s ", ts, (int)(tv.tv_usec / 1000),
	    log_level_names[level]);
	vfprintf(fp, fmt, ap);
	if (suffix != NULL)
		fprintf(fp, " err=%s", log_quote(suffix, q, sizeof(q)));
	fputc('\n', fp);
	if (level <= LOG_LEVEL_WARN)
		fflush(fp);
}

/* One line to syslog(3): "LEVEL event key=value ...", no time. */
static void
log_syslog(int level, const char *suffix, const char *fmt, va_list ap)
{
	char	line[4096], q[256];

	vsnprintf(line, sizeof(line), fmt, ap);
	syslog(log_syslog_prio[level], "%s %s%s%s", log_level_names[level],
	    line, suffix != NULL ? " err=" : "",
	    suffix != NULL ? log_quote(suffix, q, sizeof(q)) : "");
}

void
log_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	char	e[128];

	snprintf(e, sizeof(e), "%s", strerror(errno));
	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARN, e, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARN, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	char	e[128];

	snprintf(e, sizeof(e), "%s", strerror(errno));
	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, e, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

const char *
log_quote(const char *s, char *out, size_t outsz)
{
	return log_quote_mask(s, out, outsz, 0);
}

const char *
log_text(const char *s, char *out, size_t outsz)
{
	return log_quote_mask(s, out, outsz, log_masked);
}

const char *
log_phone(const char *phone, char *out, size_t outsz)
{
	if (log_masked)
		phone_mask(phone, out, outsz);
	else if (outsz > 0)
		snprintf(out, outsz, "%s", phone != NULL ? phone : "");
	return out;
}

/* domain.md: a NIK is never shown whole, 3527********0082. */
const char *
log_nik(const char *nik, char *out, size_t outsz)
{
	if (!log_masked || nik == NULL || strlen(nik) != GRAMMAR_NIK_LEN)
		return log_phone(nik, out, outsz);
	snprintf(out, outsz, "%.4s********%s", nik, nik + GRAMMAR_NIK_LEN - 4);
	return out;
}

/*
 * For the run of n digits at p in the text s: how many of its first
 * digits stay visible, as log_phone() and log_nik() would show them;
 * n for a run shown whole.  A NIK is exactly 16 digits; a mobile number
 * 9 to 15 digits after a '+', or starting 08 or 628 (the forms people
 * type).
 */
static size_t
log_text_run(const char *s, const char *p, size_t n)
{
	if (n == GRAMMAR_NIK_LEN)
		return 4;
	if (n < 9 || n > 15)
		return n;
	if ((p > s && p[-1] == '+') || strncmp(p, "08", 2) == 0 ||
	    strncmp(p, "628", 3) == 0)
		return n >= 13 ? 5 : n / 3;
	return n;
}

/*
 * log_quote(), masking the digits of NIKs and phones when mask is set.
 * In a masked run the first head digits show, then stars, then the
 * last 4 (of 13 digits or more; of a shorter phone as many as show at
 * its head, as phone_mask() does).
 */
static const char *
log_quote_mask(const char *s, char *out, size_t outsz, int mask)
{
	static const char hex[] = "0123456789abcdef";
	const char	*p, *run = NULL;
	size_t		o = 0, run_len = 0, head = 0, tail = 0, i;
	unsigned char	c;

	if (outsz < 3) {
		if (outsz > 0)
			out[0] = '\0';
		return out;
	}
	out[o++] = '"';
	for (p = s; p != NULL && (c = (unsigned char)*p) != '\0'; p++) {
		char	esc[4];
		size_t	n = 0;

		if (mask && c >= '0' && c <= '9' &&
		    (p == s || p[-1] < '0' || p[-1] > '9')) {
			run = p;
			run_len = strspn(p, "0123456789");
			head = log_text_run(s, p, run_len);
			tail = head == run_len ? 0 :
			    run_len >= 13 ? 4 : head;
		}
		if (run != NULL && p < run + run_len) {
			i = (size_t)(p - run);
			if (i >= head && i < run_len - tail)
				c = '*';
		}
		if (c == '"' || c == '\\') {
			esc[n++] = '\\';
			esc[n++] = (char)c;
		} else if (c == '\n') {
			esc[n++] = '\\';
			esc[n++] = 'n';
		} else if (c == '\r') {
			esc[n++] = '\\';
			esc[n++] = 'r';
		} else if (c == '\t') {
			esc[n++] = '\\';
			esc[n++] = 't';
		} else if (c < 0x20 || c == 0x7f) {
			esc[n++] = '\\';
			esc[n++] = 'x';
			esc[n++] = hex[c >> 4];
			esc[n++] = hex[c & 15];
		} else
			esc[n++] = (char)c;
		/* Keep room for the closing quote and the NUL. */
		if (o + n + 2 > outsz)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}
