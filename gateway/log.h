/*
 * log.h: one line per event, for operators.
 *
 *	2026-11-27T23:40:01.123Z info mo_received seq=12 from=62812****0001 ...
 *
 * logfmt after the level: the first word names the event, then
 * key=value pairs.  Values with spaces or quotes are written with
 * log_quote().  Phones go through phone_mask() before they get here.
 */
#ifndef PILAR_LOG_H
#define PILAR_LOG_H

#include <stddef.h>

#define LOG_LEVEL_ERROR	0
#define LOG_LEVEL_WARN	1
#define LOG_LEVEL_INFO	2
#define LOG_LEVEL_DEBUG	3

/* Start logging at level to file (NULL or "" = stderr).  0 or -1. */
int	log_init(int level, const char *file);
void	log_set_level(int level);
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

#endif
