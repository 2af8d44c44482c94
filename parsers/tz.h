/*
 * tz.h: Indonesia's time zones as fixed offsets.
 *
 * WIB (UTC+7), WITA (UTC+8) and WIT (UTC+9) have no daylight saving, so
 * a zone is an offset in seconds.  Accepted names: the IANA ones used
 * in Indonesia (Asia/Jakarta, Asia/Pontianak, Asia/Makassar,
 * Asia/Jayapura) and WIB, WITA, WIT, UTC.  Pure, no TZ database and no
 * global state, so the same instant gives the same year everywhere.
 */
#ifndef PILAR_TZ_H
#define PILAR_TZ_H

#include <stddef.h>
#include <stdint.h>

#define TZ_NAME_MAX	32

/* Offset east of UTC in seconds for name; 0 on success, -1 if unknown. */
int	tz_offset(const char *name, int *offset);

/* Calendar year of the instant t (UTC seconds) at offset. */
int	tz_year(int64_t t, int offset);

/* [*start, *end) in UTC seconds of calendar year at offset. */
void	tz_year_bounds(int year, int offset, int64_t *start, int64_t *end);

/* The calendar date of t at offset, as tz_date() writes it. */
void	tz_ymd(int64_t t, int offset, int *year, int *month, int *day);

/* "YYYY-MM-DD" of the instant t at offset (out: at least 11 bytes). */
void	tz_date(int64_t t, int offset, char *out, size_t outsz);

/*
 * ISO 8601 with the offset, "2026-05-12T09:15:00+08:00"
 * (out: at least 26 bytes).
 */
void	tz_iso8601(int64_t t, int offset, char *out, size_t outsz);

/* "DD/MM/YYYY" of t at offset, as replies show dates (out: 11 bytes). */
void	tz_date_dmy(int64_t t, int offset, char *out, size_t outsz);

#endif
