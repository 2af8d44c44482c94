/*
 * test_tz.c: zones, year boundaries and date formats, checked against
 * fixed instants and, across four centuries, against gmtime_r() (which
 * is pure UTC and needs no zone database).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tz.h"

#define WIB	(7 * 3600)
#define WITA	(8 * 3600)
#define WIT	(9 * 3600)

/* 2026-12-31T17:30:00Z: already 2027 in Jakarta, still 2026 in UTC. */
#define T_NYE	INT64_C(1798738200)

static void
test_offsets(void **state)
{
	static const struct {
		const char	*name;
		int		 offset;
	} zones[] = {
		{ "Asia/Jakarta", WIB }, { "Asia/Pontianak", WIB },
		{ "Asia/Makassar", WITA }, { "Asia/Jayapura", WIT },
		{ "WIB", WIB }, { "WITA", WITA }, { "WIT", WIT },
		{ "UTC", 0 }, { "wita", WITA }, { "asia/jakarta", WIB },
	};
	size_t	i;
	int	off;

	(void)state;
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		off = -1;
		assert_int_equal(tz_offset(zones[i].name, &off), 0);
		assert_int_equal(off, zones[i].offset);
	}
	off = 12345;
	assert_int_equal(tz_offset("Asia/Singapore", &off), -1);
	assert_int_equal(tz_offset("Europe/Amsterdam", &off), -1);
	assert_int_equal(tz_offset("", &off), -1);
	assert_int_equal(tz_offset("WIB ", &off), -1);
	assert_int_equal(tz_offset("WI", &off), -1);
	assert_int_equal(tz_offset(NULL, &off), -1);
	assert_int_equal(off, 12345);
}

static void
test_year_boundary(void **state)
{
	char	buf[32];

	(void)state;
	assert_int_equal(tz_year(T_NYE, WIB), 2027);
	assert_int_equal(tz_year(T_NYE, 0), 2026);
	assert_int_equal(tz_year(T_NYE, WITA), 2027);
	assert_int_equal(tz_year(T_NYE - 1800, WIB), 2027);	/* 00:00 */
	assert_int_equal(tz_year(T_NYE - 1801, WIB), 2026);	/* 23:59:59 */
	tz_iso8601(T_NYE, WIB, buf, sizeof(buf));
	assert_string_equal(buf, "2027-01-01T00:30:00+07:00");
	tz_iso8601(T_NYE, 0, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-31T17:30:00+00:00");
	tz_date(T_NYE, WIT, buf, sizeof(buf));
	assert_string_equal(buf, "2027-01-01");
	tz_date_dmy(T_NYE, 0, buf, sizeof(buf));
	assert_string_equal(buf, "31/12/2026");
}

static void
test_bounds(void **state)
{
	static const int offsets[] = { 0, WIB, WITA, WIT, -5 * 3600 };
	int64_t	start, end;
	size_t	i;
	int	y;

	(void)state;
	tz_year_bounds(2026, WIB, &start, &end);
	assert_true(start == INT64_C(1767200400));	/* 2025-12-31T17:00Z */
	assert_true(end == INT64_C(1798736400));	/* 2026-12-31T17:00Z */
	tz_year_bounds(2026, 0, &start, &end);
	assert_true(start == INT64_C(1767225600));
	assert_true(end - start == 365 * 86400);
	tz_year_bounds(2028, WIT, &start, &end);
	assert_true(end - start == 366 * 86400);

	/* Round trip: the bounds belong to the year, their neighbours not. */
	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		for (y = 1900; y <= 2200; y++) {
			tz_year_bounds(y, offsets[i], &start, &end);
			assert_int_equal(tz_year(start, offsets[i]), y);
			assert_int_equal(tz_year(start - 1, offsets[i]), y - 1);
			assert_int_equal(tz_year(end - 1, offsets[i]), y);
			assert_int_equal(tz_year(end, offsets[i]), y + 1);
		}
	}
	tz_year_bounds(2026, WIB, NULL, &end);
	assert_true(end == INT64_C(1798736400));
}

static void
test_formats(void **state)
{
	char	buf[32];

	(void)state;
	tz_iso8601(INT64_C(1778548500), WITA, buf, sizeof(buf));
	assert_string_equal(buf, "2026-05-12T09:15:00+08:00");
	assert_int_equal(strlen(buf), 25);
	tz_date(INT64_C(1778548500), WITA, buf, sizeof(buf));
	assert_string_equal(buf, "2026-05-12");
	tz_date_dmy(INT64_C(1778548500), WITA, buf, sizeof(buf));
	assert_string_equal(buf, "12/05/2026");
	tz_iso8601(0, 0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00+00:00");
	tz_iso8601(-1, 0, buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T23:59:59+00:00");
	tz_iso8601(0, -(5 * 3600 + 1800), buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T18:30:00-05:30");
	/* Leap day. */
	tz_date_dmy(INT64_C(1709164800), WIB, buf, sizeof(buf));
	assert_string_equal(buf, "29/02/2024");

	/* Exact sizes from the header, and truncation without overflow. */
	memset(buf, 'x', sizeof(buf));
	tz_date(0, 0, buf, 11);
	assert_string_equal(buf, "1970-01-01");
	tz_date_dmy(0, 0, buf, 11);
	assert_string_equal(buf, "01/01/1970");
	memset(buf, 'x', sizeof(buf));
	tz_iso8601(0, 0, buf, 26);
	assert_int_equal(strlen(buf), 25);
	memset(buf, 'x', sizeof(buf));
	tz_date(0, 0, buf, 5);
	assert_string_equal(buf, "1970");
	assert_int_equal(buf[5], 'x');
	tz_date(0, 0, NULL, 0);
}

/* Against gmtime_r() every 9 hours 17 minutes over four centuries. */
static void
test_against_gmtime(void **state)
{
	struct tm	tm;
	time_t		tt;
	int64_t		t;
	char		want[32], got[32];
	int		y, m, d;

	(void)state;
	for (t = INT64_C(-2208988800); t < INT64_C(10413792000);
	    t += 9 * 3600 + 17 * 60) {
		tt = (time_t)(t + WIB);
		assert_non_null(gmtime_r(&tt, &tm));
		snprintf(want, sizeof(want), "%04d-%02d-%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		tz_date(t, WIB, got, sizeof(got));
		if (strcmp(want, got) != 0)
			fail_msg("t=%lld: %s, want %s", (long long)t, got,
			    want);
		assert_int_equal(tz_year(t, WIB), tm.tm_year + 1900);
		tz_ymd(t, WIB, &y, &m, &d);
		assert_int_equal(y, tm.tm_year + 1900);
		assert_int_equal(m, tm.tm_mon + 1);
		assert_int_equal(d, tm.tm_mday);
	}
}

/* Absurd instants are clamped, never undefined behaviour. */
static void
test_extremes(void **state)
{
	char	buf[40];

	(void)state;
	assert_true(tz_year(INT64_MAX, WIT) > 9999);
	assert_true(tz_year(INT64_MIN, -WIT) < 0);
	tz_iso8601(INT64_MAX, WIT, buf, sizeof(buf));
	assert_true(strlen(buf) > 0);
	tz_date_dmy(INT64_MIN, 0, buf, sizeof(buf));
	assert_true(strlen(buf) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_year_boundary),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_against_gmtime),
		cmocka_unit_test(test_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
