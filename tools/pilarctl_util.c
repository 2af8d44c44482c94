/*
 * pilarctl_util.c: what the commands of pilarctl share: messages,
 * allocation, checks of what the operator typed, UTF-8, CSV rows and
 * aligned tables.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "grammar.h"
#include "pilarctl.h"
#include "store.h"
#include "tz.h"

#define CTL_TABLE_GAP	2	/* spaces between columns */

static int	ctl_put_cell(FILE *, const char *, size_t, int, int);

void
ctl_warnx(const char *fmt, ...)
{
	va_list	ap;

	fputs("pilarctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
ctl_store_fail(struct ctl *ctl)
{
	ctl_warnx("store: %s", store_errmsg(ctl->store));
	return CTL_EXIT_FAIL;
}

int
ctl_flush(void)
{
	if (ferror(stdout) || fflush(stdout) == EOF) {
		ctl_warnx("stdout: %s", strerror(errno));
		return CTL_EXIT_FAIL;
	}
	return CTL_EXIT_OK;
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL) {
		ctl_warnx("out of memory");
		exit(CTL_EXIT_FAIL);
	}
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		ctl_warnx("out of memory");
		exit(CTL_EXIT_FAIL);
	}
	if ((p = realloc(p, nmemb * size == 0 ? 1 : nmemb * size)) == NULL) {
		ctl_warnx("out of memory");
		exit(CTL_EXIT_FAIL);
	}
	return p;
}

char *
xstrdup(const char *s)
{
	size_t	n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/*
 * Strict UTF-8 (no overlong forms, no surrogates, nothing above
 * U+10FFFF) and no C0 control, DEL or C1 control: names end up in
 * tables, CSV files and SMS replies, where those only do harm.  A roster
 * saved as Windows-1252 by a spreadsheet fails here rather than being
 * stored as mojibake.
 */
int
ctl_utf8_valid(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp, min;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return 0;
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 1;
			cp = *p & 0x1f;
			min = 0x80;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			cp = *p & 0x0f;
			min = 0x800;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			cp = *p & 0x07;
			min = 0x10000;
		} else
			return 0;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;	/* also stops at the NUL */
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp <= 0x9f))
			return 0;
		p += n + 1;
	}
	return 1;
}

size_t
ctl_utf8_width(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

const char *
ctl_trim(const char *s, size_t *len)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

int
ctl_text_arg(const char *what, const char *s, size_t max, int may_be_empty,
    char *out)
{
	size_t	n;

	s = ctl_trim(s, &n);
	if (n == 0 && !may_be_empty) {
		ctl_warnx("%s is empty", what);
		return -1;
	}
	if (n > max) {
		ctl_warnx("%s is longer than %zu bytes", what, max);
		return -1;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	if (!ctl_utf8_valid(out)) {
		ctl_warnx("%s is not UTF-8 text", what);
		return -1;
	}
	return 0;
}

/*
 * Operators' ids ("C001", "PKH-3527-0012"): characters that need no
 * quoting anywhere.
 */
int
ctl_companion_id_valid(const char *id)
{
	size_t	n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-");

	return n > 0 && n <= STORE_ID_MAX && id[n] == '\0';
}

int
ctl_kpm_id_valid(const char *id)
{
	size_t	n = strspn(id, "0123456789");

	return n > 0 && n <= STORE_ID_MAX && id[n] == '\0';
}

int
ctl_year_arg(struct ctl *ctl, const char *opt, const char *s, int *year)
{
	char	*end;
	long	 y;

	errno = 0;
	y = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || y < 1970 || y > 9999)
		return ctl_usage_error(ctl, "--%s '%s' is not a year "
		    "(1970 to 9999)", opt, s);
	*year = (int)y;
	return 0;
}

/* Exactly YYYY-MM-DD, and a day that exists (29-02 of leap years). */
int
ctl_date_arg(struct ctl *ctl, const char *opt, const char *s)
{
	static const int	days[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			y, m, d, i;

	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' :
		    (s[i] < '0' || s[i] > '9'))
			break;
	if (i < 10 || s[10] != '\0')
		goto bad;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0))))
		goto bad;
	return 0;
bad:
	return ctl_usage_error(ctl, "--%s '%s' is not a date (YYYY-MM-DD)",
	    opt, s);
}

int
ctl_zone_offset(struct ctl *ctl, const char *zone)
{
	int	off;

	if (tz_offset(zone, &off) == -1)
		off = ctl->cfg.program_tz_offset;
	return off;
}

void
ctl_time(int64_t t, int offset, char *out)
{
	if (t == 0)
		out[0] = '\0';
	else
		tz_iso8601(t, offset, out, CTL_TIME_MAX);
}

const char *
ctl_category(int category, char *buf, size_t bufsz)
{
	if (category >= GRAMMAR_CAT_SM && category <= GRAMMAR_CAT_PK)
		return grammar_category_name((enum grammar_category)category);
	snprintf(buf, bufsz, "%d", category);
	return buf;
}

int
ctl_csv_start(FILE *fp, int bom)
{
	return bom && fputs("\xef\xbb\xbf", fp) == EOF ? -1 : 0;
}

/*
 * Each field through csv_quote(); the buffer is sized for the worst case
 * (every byte a quote, plus the quotes and the apostrophe).
 */
int
ctl_csv_row(FILE *fp, size_t n, const char *const *fields)
{
	char		 sbuf[512], *buf;
	const char	*f;
	size_t		 i, need;
	int		 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		f = fields[i] != NULL ? fields[i] : "";
		need = 2 * strlen(f) + 4;
		buf = need <= sizeof(sbuf) ? sbuf : xmalloc(need);
		if (csv_quote(f, buf, need) == -1 ||
		    (i > 0 && fputc(',', fp) == EOF) ||
		    fputs(buf, fp) == EOF)
			rc = -1;
		if (buf != sbuf)
			free(buf);
	}
	if (rc == 0 && fputc('\n', fp) == EOF)
		rc = -1;
	return rc;
}

void
ctl_table_init(struct ctl_table *t, size_t ncols, const char *align)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->align = align;
}

void
ctl_table_row(struct ctl_table *t, ...)
{
	va_list		 ap;
	const char	*s;
	size_t		 i;

	if (t->nrows == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->cells = xreallocarray(t->cells, t->cap,
		    t->ncols * sizeof(*t->cells));
	}
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		s = va_arg(ap, const char *);
		t->cells[t->nrows * t->ncols + i] = xstrdup(s != NULL ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

/*
 * One cell padded to width columns.  Control bytes become '?': a name
 * must not move the cursor of the operator's terminal.  The last column
 * gets no trailing blanks.
 */
static int
ctl_put_cell(FILE *fp, const char *s, size_t width, int right, int last)
{
	size_t		 pad, w = ctl_utf8_width(s);
	const char	*p;

	pad = width > w ? width - w : 0;
	if (right)
		for (; pad > 0; pad--)
			if (fputc(' ', fp) == EOF)
				return -1;
	for (p = s; *p != '\0'; p++)
		if (fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p,
		    fp) == EOF)
			return -1;
	if (!last)
		for (pad += CTL_TABLE_GAP; pad > 0; pad--)
			if (fputc(' ', fp) == EOF)
				return -1;
	return 0;
}

int
ctl_table_print(const struct ctl_table *t, FILE *fp, int csv)
{
	size_t	*width, r, c, w;
	int	 rc = 0;

	if (csv) {
		for (r = 0; r < t->nrows && rc == 0; r++)
			rc = ctl_csv_row(fp, t->ncols, (const char *const *)
			    &t->cells[r * t->ncols]);
		return rc;
	}
	width = xreallocarray(NULL, t->ncols, sizeof(*width));
	for (c = 0; c < t->ncols; c++) {
		width[c] = 0;
		for (r = 0; r < t->nrows; r++)
			if ((w = ctl_utf8_width(t->cells[r * t->ncols + c])) >
			    width[c])
				width[c] = w;
	}
	for (r = 0; r < t->nrows && rc == 0; r++) {
		for (c = 0; c < t->ncols && rc == 0; c++)
			rc = ctl_put_cell(fp, t->cells[r * t->ncols + c],
			    width[c], t->align[c] == 'r', c + 1 == t->ncols);
		if (rc == 0 && fputc('\n', fp) == EOF)
			rc = -1;
	}
	free(width);
	return rc;
}

void
ctl_table_free(struct ctl_table *t)
{
	size_t	i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
