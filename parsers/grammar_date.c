/*
 * grammar_date.c: the date a report names, as typed, and its day.
 *
 * Reading: dd/mm, dd-mm-yy, ddmmyy (after the id of a visit only), a
 * month by name ("12 Mei"), yyyy-mm-dd, and days counted back ("hari
 * ini", "kemarin", "3 hari lalu"); a shape of a date with no such day
 * (31/02) is an error, not a note.  Placing: grammar_resolve_date()
 * turns what was typed into a day, given the companion's today, for
 * the grammar has no clock.
 */
#include <stddef.h>
#include <string.h>

#include "grammar.h"
#include "grammar_internal.h"

/* Month names, Indonesian and English, full and short ("12 Mei"). */
struct grammar_monthword {
	const char	*word;
	int		 month;
};

static const struct grammar_monthword grammar_months[] = {
	{ "JANUARI", 1 }, { "JANUARY", 1 }, { "JAN", 1 },
	{ "FEBRUARI", 2 }, { "PEBRUARI", 2 }, { "FEBRUARY", 2 },
	{ "FEB", 2 }, { "PEB", 2 },
	{ "MARET", 3 }, { "MARCH", 3 }, { "MAR", 3 },
	{ "APRIL", 4 }, { "APR", 4 },
	{ "MEI", 5 }, { "MAY", 5 },
	{ "JUNI", 6 }, { "JUNE", 6 }, { "JUN", 6 },
	{ "JULI", 7 }, { "JULY", 7 }, { "JUL", 7 },
	{ "AGUSTUS", 8 }, { "AUGUST", 8 }, { "AGU", 8 }, { "AGT", 8 },
	{ "AGS", 8 }, { "AGST", 8 }, { "AUG", 8 },
	{ "SEPTEMBER", 9 }, { "SEPT", 9 }, { "SEP", 9 },
	{ "OKTOBER", 10 }, { "OCTOBER", 10 }, { "OKT", 10 }, { "OCT", 10 },
	{ "NOVEMBER", 11 }, { "NOPEMBER", 11 }, { "NOV", 11 }, { "NOP", 11 },
	{ "DESEMBER", 12 }, { "DECEMBER", 12 }, { "DES", 12 }, { "DEC", 12 },
};

/*
 * Days counted back from today, as written in SMS: a space in a phrase
 * stands for any run of blanks.  Longer phrases first.  Nothing here
 * points forward ("besok"): a note such as "besok kontrol" must not
 * turn a visit of today into a refused future one.
 */
struct grammar_relword {
	const char	*words;
	int		 days;
};

static const struct grammar_relword grammar_relwords[] = {
	{ "KEMARIN LUSA", -2 }, { "KEMAREN LUSA", -2 }, { "KMRN LUSA", -2 },
	{ "HARI INI", 0 }, { "HARIINI", 0 }, { "HR INI", 0 },
	{ "HRI INI", 0 }, { "HARI NI", 0 }, { "TODAY", 0 },
	{ "KEMARIN", -1 }, { "KEMAREN", -1 }, { "KEMRIN", -1 },
	{ "KMARIN", -1 }, { "KMRIN", -1 }, { "KMREN", -1 }, { "KMRN", -1 },
	{ "YESTERDAY", -1 },
};

/* What follows a number of days: "3 hari lalu", "2 hr yg lalu". */
static const char *const grammar_ago[] = {
	"HARI YANG LALU", "HARI YG LALU", "HARI LALU", "HR YG LALU",
	"HR LALU", "HRI LALU", "DAYS AGO", "DAY AGO",
};

/* Words that announce the date after a visit's id ("tgl 12/05"). */
static const char *const grammar_date_intro[] = {
	"TGL", "TANGGAL", "TG", "TANGGL", "TGGL", "DATE", "PADA", "PD",
};

/* Years a typed date may name. */
#define GRAMMAR_YEAR_MIN	2000
#define GRAMMAR_YEAR_MAX	2099

static int	grammar_leap(int);
static size_t	grammar_digits(const unsigned char *, size_t, size_t,
		    int *);
static size_t	grammar_phrase_at(const unsigned char *, size_t, size_t,
		    const char *);
static size_t	grammar_month_at(const unsigned char *, size_t, size_t,
		    int *);
static enum grammar_dm grammar_date_check(struct grammar_date *);
static enum grammar_dm grammar_date_at(const unsigned char *, size_t,
		    size_t, int, struct grammar_date *, size_t *);
static long	grammar_day_number(int, int, int);
static void	grammar_day_civil(long, int *, int *, int *);

static int
grammar_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m of year y; y == 0 (not known) allows 29 February. */
int
grammar_month_days(int y, int m)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && (y == 0 || grammar_leap(y)))
		return 29;
	return days[m - 1];
}

/*
 * The run of ASCII digits at pos: its length (0 if none), its value in
 * *v as long as it has at most 8 digits.
 */
static size_t
grammar_digits(const unsigned char *s, size_t len, size_t pos, int *v)
{
	size_t	i;

	*v = 0;
	for (i = pos; i < len && grammar_is_digit(s[i]); i++)
		if (i - pos < 8)
			*v = *v * 10 + (s[i] - '0');
	return i - pos;
}

/*
 * Whether phrase (upper case, words separated by one space) is at pos,
 * any case, with any run of blanks for each space, and is not followed
 * by a letter or digit.  Returns the end of the match or 0.
 */
static size_t
grammar_phrase_at(const unsigned char *s, size_t len, size_t pos,
    const char *phrase)
{
	size_t	i = pos, k;

	for (; *phrase != '\0'; phrase++) {
		if (*phrase == ' ') {
			if (i >= len || (k = grammar_blank_len(s + i,
			    len - i)) == 0)
				return 0;
			while (i < len && (k = grammar_blank_len(s + i,
			    len - i)) > 0)
				i += k;
			continue;
		}
		if (i >= len || (s[i] & ~0x20) != (unsigned char)*phrase ||
		    !grammar_is_alpha(s[i]))
			return 0;
		i++;
	}
	if (i < len && grammar_is_alnum(s[i]))
		return 0;
	return i;
}

/*
 * A month name at pos, a whole word: its end, with the month in *m, or
 * 0 when there is none.
 */
static size_t
grammar_month_at(const unsigned char *s, size_t len, size_t pos, int *m)
{
	size_t	i, k;

	for (k = pos; k < len && grammar_is_alpha(s[k]); k++)
		;
	if (k == pos || (k < len && grammar_is_digit(s[k])))
		return 0;
	for (i = 0; i < GRAMMAR_NELEM(grammar_months); i++) {
		if (grammar_word_is(s + pos, k - pos, grammar_months[i].word)) {
			*m = grammar_months[i].month;
			return k;
		}
	}
	return 0;
}

/*
 * Whether a typed day exists: month 1-12, a day of that month (29/02
 * only in a leap year, or when no year was typed), a year of
 * GRAMMAR_YEAR_MIN-GRAMMAR_YEAR_MAX when one was typed.
 */
static enum grammar_dm
grammar_date_check(struct grammar_date *dt)
{
	if (dt->year != 0 && (dt->year < GRAMMAR_YEAR_MIN ||
	    dt->year > GRAMMAR_YEAR_MAX))
		return GRAMMAR_DM_BAD;
	if (dt->month < 1 || dt->month > 12 || dt->day < 1 ||
	    dt->day > grammar_month_days(dt->year, dt->month))
		return GRAMMAR_DM_BAD;
	return GRAMMAR_DM_OK;
}

/*
 * A date starting at pos, ending (in *end) before anything that is not
 * a letter or digit:
 *  - dd/mm, dd-mm, d/m; with a year: dd/mm/yy, dd-mm-yyyy, dd.mm.yyyy
 *    (dd.mm alone is a time, 10.30, or a list: not a date);
 *  - yyyy-mm-dd, as smartphones write it;
 *  - dd Mei, 12-agustus-2026: after a month name only four digits are
 *    a year (in "1 jan 26" the 26 stays what it is);
 *  - hari ini, kemarin, kmrn, kemarin lusa, 3 hari lalu, today,
 *    yesterday: a relative date;
 *  - with compact, ddmmyy and ddmmyyyy, but only when they are a valid
 *    day: any other 6 or 8 digits are just digits.
 * GRAMMAR_DM_BAD when the shape is a date's and the day does not exist
 * (31/02, 12/13, 1/5/202); GRAMMAR_DM_NONE when it is no date at all.
 */
static enum grammar_dm
grammar_date_at(const unsigned char *s, size_t len, size_t pos, int compact,
    struct grammar_date *dt, size_t *end)
{
	size_t	na, nb, nc, i, j, k, e;
	int	a, b, c, m;
	char	sep;

	memset(dt, 0, sizeof(*dt));
	if (pos >= len)
		return GRAMMAR_DM_NONE;
	if (grammar_is_alpha(s[pos])) {
		for (i = 0; i < GRAMMAR_NELEM(grammar_relwords); i++) {
			e = grammar_phrase_at(s, len, pos,
			    grammar_relwords[i].words);
			if (e > 0) {
				dt->kind = GRAMMAR_DATE_RELATIVE;
				dt->rel_days = grammar_relwords[i].days;
				*end = e;
				return GRAMMAR_DM_OK;
			}
		}
		return GRAMMAR_DM_NONE;
	}
	if ((na = grammar_digits(s, len, pos, &a)) == 0)
		return GRAMMAR_DM_NONE;
	i = pos + na;
	dt->kind = GRAMMAR_DATE_DAY;

	/* Numbers joined by / - or . */
	if (i + 1 < len && (s[i] == '/' || s[i] == '-' || s[i] == '.') &&
	    grammar_is_digit(s[i + 1])) {
		sep = (char)s[i];
		nb = grammar_digits(s, len, i + 1, &b);
		j = i + 1 + nb;
		nc = 0;
		c = 0;
		if (j + 1 < len && (s[j] == '/' || s[j] == '-' ||
		    s[j] == '.') && grammar_is_digit(s[j + 1])) {
			nc = grammar_digits(s, len, j + 1, &c);
			j += 1 + nc;
		}
		if (j < len && grammar_is_alnum(s[j]))
			return GRAMMAR_DM_NONE;
		*end = j;
		if (na == 4 && sep != '.' && nb <= 2 && nc >= 1 && nc <= 2) {
			dt->year = a;
			dt->month = b;
			dt->day = c;
			return grammar_date_check(dt);
		}
		if (na > 2 || nb > 2)
			return GRAMMAR_DM_NONE;
		if (nc == 0 && sep == '.')
			return GRAMMAR_DM_NONE;
		if (nc != 0 && nc != 2 && nc != 4)
			return sep == '.' ? GRAMMAR_DM_NONE : GRAMMAR_DM_BAD;
		dt->day = a;
		dt->month = b;
		dt->year = nc == 2 ? 2000 + c : c;
		return grammar_date_check(dt);
	}

	if (na <= 2) {
		/* "3 hari lalu" */
		for (j = i; j < len && (k = grammar_blank_len(s + j,
		    len - j)) > 0; j += k)
			;
		if (j > i) {
			for (k = 0; k < GRAMMAR_NELEM(grammar_ago); k++) {
				if ((e = grammar_phrase_at(s, len, j,
				    grammar_ago[k])) > 0) {
					dt->kind = GRAMMAR_DATE_RELATIVE;
					dt->rel_days = -a;
					*end = e;
					return GRAMMAR_DM_OK;
				}
			}
		}
		/* "12 Mei", "12-mei-2026", "12mei" */
		for (j = i; j < len; j += k) {
			if ((k = grammar_blank_len(s + j, len - j)) == 0 &&
			    s[j] != '-' && s[j] != '/' && s[j] != '.')
				break;
			if (k == 0)
				k = 1;
		}
		if ((e = grammar_month_at(s, len, j, &m)) > 0) {
			dt->day = a;
			dt->month = m;
			*end = e;
			for (j = e; j < len; j += k) {
				if ((k = grammar_blank_len(s + j,
				    len - j)) == 0 && s[j] != '-' &&
				    s[j] != '/' && s[j] != '.' && s[j] != ',')
					break;
				if (k == 0)
					k = 1;
			}
			if (j > e && grammar_digits(s, len, j, &c) == 4 &&
			    (j + 4 >= len || !grammar_is_alnum(s[j + 4]))) {
				dt->year = c;
				*end = j + 4;
			}
			return grammar_date_check(dt);
		}
	}

	if (compact && (na == 6 || na == 8) &&
	    (i >= len || !grammar_is_alnum(s[i]))) {
		dt->day = na == 6 ? a / 10000 : a / 1000000;
		dt->month = na == 6 ? a / 100 % 100 : a / 10000 % 100;
		dt->year = na == 6 ? 2000 + a % 100 : a % 10000;
		*end = i;
		if (grammar_date_check(dt) == GRAMMAR_DM_OK)
			return GRAMMAR_DM_OK;
	}
	memset(dt, 0, sizeof(*dt));
	return GRAMMAR_DM_NONE;
}

/*
 * Between the words of GRAD, and before the id of KUNJ: whether the word
 * t starts a date.  If it does, the date is kept (a second, different
 * one is an error) and the lexer moved past it, *taken set; an
 * impossible one is GRAMMAR_E_BAD_DATE with the date as token.
 */
enum grammar_error
grammar_take_date(struct grammar_lexer *lx, const struct grammar_token *t,
    int *taken, struct grammar_result *out)
{
	struct grammar_date	dt;
	enum grammar_dm		dm;
	size_t			end = t->end;

	*taken = 0;
	dm = grammar_date_at(lx->text, lx->len, t->start, 0, &dt, &end);
	if (dm == GRAMMAR_DM_NONE)
		return GRAMMAR_OK;
	if (dm == GRAMMAR_DM_BAD || (out->date.kind != GRAMMAR_DATE_NONE &&
	    memcmp(&out->date, &dt, sizeof(dt)) != 0)) {
		grammar_set_token(out, lx->text, t->start, end);
		return GRAMMAR_E_BAD_DATE;
	}
	out->date = dt;
	lx->pos = end;
	*taken = 1;
	return GRAMMAR_OK;
}

/*
 * The date a visit note may start with, from pos (just after the id):
 * after the separators, an optional "tgl"/"tanggal", then a date of any
 * form grammar_date_at() knows, ddmmyy included.  *rest receives where
 * the note proper begins, after the date and its separators; it stays
 * pos when there is no date.
 */
enum grammar_error
grammar_note_date(const unsigned char *s, size_t len, size_t pos,
    struct grammar_result *out, size_t *rest)
{
	struct grammar_date	dt;
	enum grammar_dm		dm;
	size_t			p = pos, q, k, end = pos;

	*rest = pos;
	while (p < len && (k = grammar_note_lead_len(s + p, len - p)) > 0)
		p += k;
	for (q = p; q < len && grammar_is_alpha(s[q]); q++)
		;
	if (q > p && grammar_in_list(s + p, q - p, grammar_date_intro,
	    GRAMMAR_NELEM(grammar_date_intro))) {
		while (q < len && (k = grammar_note_lead_len(s + q,
		    len - q)) > 0)
			q += k;
		if (grammar_date_at(s, len, q, 1, &dt, &end) !=
		    GRAMMAR_DM_NONE)
			p = q;
	}
	dm = grammar_date_at(s, len, p, 1, &dt, &end);
	if (dm == GRAMMAR_DM_NONE)
		return GRAMMAR_OK;
	if (dm == GRAMMAR_DM_BAD) {
		grammar_set_token(out, s, p, end);
		return GRAMMAR_E_BAD_DATE;
	}
	out->date = dt;
	while (end < len && (k = grammar_note_lead_len(s + end,
	    len - end)) > 0)
		end += k;
	*rest = end;
	return GRAMMAR_OK;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), and back.
 */
static long
grammar_day_number(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
grammar_day_civil(long z, int *y, int *m, int *d)
{
	long	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

enum grammar_error
grammar_resolve_date(const struct grammar_result *r, int today_y,
    int today_m, int today_d, int *y, int *m, int *d)
{
	const struct grammar_date	*dt = &r->date;
	long				 today, day;
	int				 yy, ahead;

	*y = *m = *d = 0;
	if (today_y < 1 || today_y > 9999 || today_m < 1 || today_m > 12 ||
	    today_d < 1 || today_d > grammar_month_days(today_y, today_m))
		return GRAMMAR_E_BAD_DATE;
	today = grammar_day_number(today_y, today_m, today_d);
	switch (dt->kind) {
	case GRAMMAR_DATE_NONE:
		day = today;
		break;
	case GRAMMAR_DATE_RELATIVE:
		if (dt->rel_days < -3660 || dt->rel_days > 3660)
			return GRAMMAR_E_BAD_DATE;
		day = today + dt->rel_days;
		break;
	case GRAMMAR_DATE_DAY:
		if (dt->month < 1 || dt->month > 12 || dt->day < 1 ||
		    dt->day > grammar_month_days(dt->year, dt->month) ||
		    dt->year < 0 || dt->year > 9999)
			return GRAMMAR_E_BAD_DATE;
		if (dt->year != 0) {
			day = grammar_day_number(dt->year, dt->month,
			    dt->day);
			break;
		}
		/*
		 * The latest such day not after today, unless this year's,
		 * still to come, is nearer: then it is a future date.
		 */
		yy = today_y;
		ahead = dt->month > today_m || (dt->month == today_m &&
		    dt->day > today_d);
		if (ahead)
			yy--;
		while (dt->day > grammar_month_days(yy, dt->month))
			yy--;	/* 29/02: back to a leap year */
		day = grammar_day_number(yy, dt->month, dt->day);
		if (ahead && dt->day <= grammar_month_days(today_y,
		    dt->month) && grammar_day_number(today_y, dt->month,
		    dt->day) - today < today - day)
			return GRAMMAR_E_FUTURE_DATE;
		break;
	default:
		return GRAMMAR_E_BAD_DATE;
	}
	if (day > today)
		return GRAMMAR_E_FUTURE_DATE;
	grammar_day_civil(day, y, m, d);
	return GRAMMAR_OK;
}

/*
 * A time of day at pos, as typed for a P2K2 session: 09:00, 9:00, 9.00,
 * 0900.  *end receives where it stops.  GRAMMAR_DM_BAD for the shape of
 * a time with no such hour or minute (25:00, 9:75), GRAMMAR_DM_NONE for
 * anything else.
 */
enum grammar_dm
grammar_time_at(const unsigned char *s, size_t len, size_t pos, int *h,
    int *m, size_t *end)
{
	size_t	na, nb;
	int	a, b;

	*h = *m = 0;
	if (pos >= len || (na = grammar_digits(s, len, pos, &a)) == 0)
		return GRAMMAR_DM_NONE;
	*end = pos + na;
	if (na == 4 && (*end >= len || !grammar_is_alnum(s[*end]))) {
		b = a % 100;
		a /= 100;
	} else if (na <= 2 && *end + 1 < len && (s[*end] == ':' ||
	    s[*end] == '.') && grammar_is_digit(s[*end + 1])) {
		nb = grammar_digits(s, len, *end + 1, &b);
		*end += 1 + nb;
		if (nb != 2 || (*end < len && grammar_is_alnum(s[*end])))
			return GRAMMAR_DM_BAD;
	} else
		return GRAMMAR_DM_NONE;
	if (a > 23 || b > 59)
		return GRAMMAR_DM_BAD;
	*h = a;
	*m = b;
	return GRAMMAR_DM_OK;
}
