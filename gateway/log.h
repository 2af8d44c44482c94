/*
 * log.h: one line per event, for operators.
 *
 *	2026-11-27T23:40:01.123Z info mo_received seq=12 from=62812****0001 ...
 *
 * logfmt after the level: the first word names the event, then
 * key=value pairs.  Values with spaces or quotes are written with
 * log_quote(), SMS text with log_text().  Phones go through log_phone()
 * and NIKs through log_nik(): masked unless [log] mask = no, the one
 * place that decides.
 *
 * Lines go to a file, to standard error, or with [log] file = syslog to
 * syslog(3) (facility daemon, ident pilard, without the time: syslog
 * adds its own).
 */
#ifndef PILAR_LOG_H
#define PILAR_LOG_H

#include <stddef.h>

#define LOG_LEVEL_ERROR	0
#define LOG_LEVEL_WARN	1
#define LOG_LEVEL_INFO	2
#define LOG_LEVEL_DEBUG	3

/* [log] file = syslog: to syslog(3) rather than a file of that name. */
#define LOG_FILE_SYSLOG	"syslog"

/*
 * Start logging at level to file (NULL or "" = stderr, LOG_FILE_SYSLOG =
 * syslog).  0 or -1.
 */
int	log_init(int level, const char *file);
void	log_set_level(int level);
/* [log] mask: 1 (the default) masks phones and NIKs, 0 shows them. */
void	log_set_mask(int mask);
int	log_mask(void);
/* Reopen the log file (SIGUSR1, after logrotate moved it). */
int	log_reopen(void);
void	log_close(void);
/* Write out buffered lines (end of a loop pass, the tick, exit). */
void	log_flush(void);
/* "error", "warn", ... to a level; -1 when unknown. */
int	log_level_parse(const char *);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * Escape s for a logfmt value into out: always in double quotes, with
 * \" \\ \n \r \t and \xNN for other control bytes; cut at outsz.
 * Returns out, so it can be used inline.
 */
const char *log_quote(const char *s, char *out, size_t outsz);

/*
 * A phone as a line shows it: phone_mask()ed (62812****0001), or whole
 * with [log] mask = no.  Returns out.
 */
const char *log_phone(const char *phone, char *out, size_t outsz);

/* A NIK as a line shows it: 3527********0082, or whole.  Returns out. */
const char *log_nik(const char *nik, char *out, size_t outsz);

/*
 * SMS text as a line shows it: log_quote() of s, with the NIKs (runs of
 * exactly 16 digits) and the mobile numbers (9 to 15 digits after a '+'
 * or starting 08 or 628) in it masked like log_nik() and log_phone(),
 * unless [log] mask = no.  Other numbers (KPM ids, dates) stay as
 * typed.  Returns out.
 */
const char *log_text(const char *s, char *out, size_t outsz);

#endif
