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
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "log.h"

static void	log_vwrite(int, const char *, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

static FILE	*log_fp;
static int	 log_level = LOG_LEVEL_INFO;
static char	 log_path[1024];
static char	 log_buf[65536];

static const char *const log_level_names[] = {
	"error", "warn", "info", "debug"
};

int
log_init(int level, const char *file)
{
	FILE	*fp;

	log_level = level;
	if (file == NULL || *file == '\0') {
		log_path[0] = '\0';
		if (log_fp != NULL && log_fp != stderr)
			fclose(log_fp);
		log_fp = stderr;
		return 0;
	}
	if ((fp = fopen(file, "a")) == NULL)
		return -1;
	if (log_fp != NULL && log_fp != stderr)
		fclose(log_fp);
	setvbuf(fp, log_buf, _IOFBF, sizeof(log_buf));
	log_fp = fp;
	snprintf(log_path, sizeof(log_path), "%s", file);
	return 0;
}

void
log_set_level(int level)
{
	log_level = level;
}

/*
 * Reopen the file by name: logrotate has renamed the old one.  On
 * failure keep writing to the old descriptor rather than losing lines.
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
	static const char hex[] = "0123456789abcdef";
	size_t		o = 0;
	unsigned char	c;

	if (outsz < 3) {
		if (outsz > 0)
			out[0] = '\0';
		return out;
	}
	out[o++] = '"';
	for (; s != NULL && (c = (unsigned char)*s) != '\0'; s++) {
		char	esc[4];
		size_t	n = 0;

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
