/*
 * tz.c: Indonesia's time zones as fixed offsets.
 *
 * Pure arithmetic on UTC seconds: no localtime(), no TZ environment, no
 * zone database.  Civil dates come from Howard Hinnant's days_from_civil
 * and civil_from_days algorithms, exact over the whole proleptic
 * Gregorian calendar, so the year of an instant never depends on the host.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tz.h"

#define TZ_DAY		86400
/*
 * Instants are clamped to +-2^52 s (some 140 million years), far beyond
 * any SMS yet small enough that adding an offset or computing a day count
 * can never overflow an int64_t.
 */
#define TZ_T_LIMIT	((int64_t)1 << 52)

struct tz_zone {
	const char	*name;
	int		 offset;	/* seconds east of UTC */
};

static const struct tz_zone tz_zones[] = {
	{ "Asia/Jakarta",	7 * 3600 },
	{ "Asia/Pontianak",	7 * 3600 },
	{ "Asia/Makassar",	8 * 3600 },
	{ "Asia/Ujung_Pandang",	8 * 3600 },
	{ "Asia/Jayapura",	9 * 3600 },
	{ "WIB",		7 * 3600 },
	{ "WITA",		8 * 3600 },
	{ "WIT",		9 * 3600 },
	{ "UTC",		0 },
	{ "Etc/UTC",		0 },
};

struct tz_civil {
	int64_t	year;
	int	month;		/* 1..12 */
	int	day;		/* 1..31 */
	int	hour, min, sec;
};

static int64_t	tz_floor_div(int64_t, int64_t);
static int64_t	tz_days_from_civil(int64_t, int, int);
static void	tz_civil_from_days(int64_t, struct tz_civil *);
static void	tz_breakdown(int64_t, int, struct tz_civil *);
static int	tz_clamp_year(int64_t);

/*
 * Look a zone name up.  IANA names are matched as written in the zone
 * database but without regard to case, like the abbreviations, because
 * operators type them into a configuration file by hand.
 */
int
tz_offset(const char *name, int *offset)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof(tz_zones) / sizeof(tz_zones[0]); i++) {
		if (strcasecmp(name, tz_zones[i].name) == 0) {
			if (offset != NULL)
				*offset = tz_zones[i].offset;
			return 0;
		}
	}
	return -1;
}

/* Division rounding towards minus infinity (C rounds towards zero). */
static int64_t
tz_floor_div(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t
tz_days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = tz_floor_div(y, 400);
	yoe = y - era * 400;				/* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;	/* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/* The date of a day count since 1970-01-01 (Hinnant); time left zero. */
static void
tz_civil_from_days(int64_t z, struct tz_civil *c)
{
	int64_t	era, doe, yoe, doy, mp, y;

	z += 719468;
	era = tz_floor_div(z, 146097);
	doe = z - era * 146097;				/* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* [0, 365] */
	mp = (5 * doy + 2) / 153;			/* [0, 11] */
	c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->year = y + (c->month <= 2);
	c->hour = c->min = c->sec = 0;
}

/* Local civil time of instant t at offset, t clamped to TZ_T_LIMIT. */
static void
tz_breakdown(int64_t t, int offset, struct tz_civil *c)
{
	int64_t	local, days, secs;

	if (t > TZ_T_LIMIT)
		t = TZ_T_LIMIT;
	if (t < -TZ_T_LIMIT)
		t = -TZ_T_LIMIT;
	local = t + offset;
	days = tz_floor_div(local, TZ_DAY);
	secs = local - days * TZ_DAY;			/* [0, 86399] */
	tz_civil_from_days(days, c);
	c->hour = (int)(secs / 3600);
	c->min = (int)(secs / 60 % 60);
	c->sec = (int)(secs % 60);
}

/* Years outside what an int holds cannot be printed sensibly anyway. */
static int
tz_clamp_year(int64_t y)
{
	if (y > 999999)
		return 999999;
	if (y < -999999)
		return -999999;
	return (int)y;
}

int
tz_year(int64_t t, int offset)
{
	struct tz_civil	c;

	tz_breakdown(t, offset, &c);
	return tz_clamp_year(c.year);
}

/*
 * The year runs from local midnight of 1 January to local midnight of
 * the next 1 January; in UTC both ends move back by the offset.
 */
void
tz_year_bounds(int year, int offset, int64_t *start, int64_t *end)
{
	int64_t	y = year;

	if (start != NULL)
		*start = tz_days_from_civil(y, 1, 1) * TZ_DAY - offset;
	if (end != NULL)
		*end = tz_days_from_civil(y + 1, 1, 1) * TZ_DAY - offset;
}

void
tz_ymd(int64_t t, int offset, int *year, int *month, int *day)
{
	struct tz_civil	c;

	tz_breakdown(t, offset, &c);
	*year = tz_clamp_year(c.year);
	*month = c.month;
	*day = c.day;
}

void
tz_date(int64_t t, int offset, char *out, size_t outsz)
{
	struct tz_civil	c;

	if (out == NULL || outsz == 0)
		return;
	tz_breakdown(t, offset, &c);
	snprintf(out, outsz, "%04d-%02d-%02d", tz_clamp_year(c.year),
	    c.month, c.day);
}

/* The offset is printed as +HH:MM, minutes kept for completeness. */
void
tz_iso8601(int64_t t, int offset, char *out, size_t outsz)
{
	struct tz_civil	c;
	int		off = offset < 0 ? -offset : offset;

	if (out == NULL || outsz == 0)
		return;
	tz_breakdown(t, offset, &c);
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    tz_clamp_year(c.year), c.month, c.day, c.hour, c.min, c.sec,
	    offset < 0 ? '-' : '+', off / 3600 % 100, off / 60 % 60);
}

void
tz_date_dmy(int64_t t, int offset, char *out, size_t outsz)
{
	struct tz_civil	c;

	if (out == NULL || outsz == 0)
		return;
	tz_breakdown(t, offset, &c);
	snprintf(out, outsz, "%02d/%02d/%04d", c.day, c.month,
	    tz_clamp_year(c.year));
}
