/*
 * fuzz_ini_csv.c: the configuration reader and the roster CSV reader.
 *
 * The first byte chooses: INI or CSV.  ini_parse() must hand its
 * callback bounded strings with a section, number lines from 1 and
 * report a failing line within the input.  csv_split() must return
 * fields that lie in its buffer, and quoting those fields with
 * csv_quote() and splitting the line again must give them back (with
 * the apostrophe csv_quote() puts before a formula).
 */
#include <string.h>

#include "csv.h"
#include "ini.h"
#include "fuzz.h"

#define FUZZ_FIELDS	32

struct fuzz_ini {
	int	keys;
	int	last_line;
	int	stop_at;	/* the callback fails on this key, 0: never */
};

static int	fuzz_ini_cb(void *, const char *, const char *, const char *,
		    int, char *, size_t);
static void	fuzz_ini(const uint8_t *, size_t, int);
static void	fuzz_csv(const uint8_t *, size_t);

static int
fuzz_ini_cb(void *arg, const char *section, const char *key,
    const char *value, int line, char *err, size_t errsz)
{
	struct fuzz_ini	*f = arg;

	fuzz_check(section != NULL && key != NULL && value != NULL);
	fuzz_check(strlen(section) < INI_LINE_MAX && strlen(key) <
	    INI_LINE_MAX && strlen(value) < INI_LINE_MAX);
	fuzz_check(key[0] != '\0');
	fuzz_check(line >= 1 && line >= f->last_line);
	f->last_line = line;
	if (++f->keys == f->stop_at) {
		snprintf(err, errsz, "stop");
		return -1;
	}
	return 0;
}

static void
fuzz_ini(const uint8_t *data, size_t size, int stop_at)
{
	struct fuzz_ini	 f;
	char		 err[128];
	size_t		 i;
	int		 line = 0, rc, lines = 1;

	memset(&f, 0, sizeof(f));
	f.stop_at = stop_at;
	err[0] = '\0';
	rc = ini_parse((const char *)data, size, fuzz_ini_cb, &f, &line, err,
	    sizeof(err));
	fuzz_check(rc == 0 || rc == -1);
	fuzz_check(memchr(err, '\0', sizeof(err)) != NULL);
	for (i = 0; i < size; i++)
		if (data[i] == '\n')
			lines++;
	if (rc == -1) {
		fuzz_check(line >= 1 && line <= lines);
		fuzz_check(err[0] != '\0');
		if (stop_at != 0 && f.keys == stop_at)
			fuzz_check(strcmp(err, "stop") == 0);
	} else
		fuzz_check(stop_at == 0 || f.keys < stop_at);
}

static void
fuzz_csv(const uint8_t *data, size_t size)
{
	static char	 buf[8192], buf2[8192], line[16384];
	char		*fields[FUZZ_FIELDS], *again[FUZZ_FIELDS];
	char		 err[128], q[2048];
	size_t		 o = 0, flen;
	int		 n, m, i, k;

	n = csv_split((const char *)data, size, fields, FUZZ_FIELDS, buf,
	    sizeof(buf), err, sizeof(err));
	if (n == -1) {
		fuzz_check(err[0] != '\0');
		return;
	}
	fuzz_check(n >= 1 && n <= FUZZ_FIELDS);
	for (i = 0; i < n; i++) {
		fuzz_check(fields[i] >= buf && fields[i] < buf + sizeof(buf));
		flen = strlen(fields[i]);
		fuzz_check(fields[i] + flen < buf + sizeof(buf));
		k = csv_quote(fields[i], q, sizeof(q));
		if (k < 0)
			return;		/* too long for q: fine */
		fuzz_check((size_t)k == strlen(q) && (size_t)k >= flen);
		if (o + (size_t)k + 1 >= sizeof(line))
			return;
		if (i > 0)
			line[o++] = ',';
		memcpy(line + o, q, (size_t)k);
		o += (size_t)k;
	}
	m = csv_split(line, o, again, FUZZ_FIELDS, buf2, sizeof(buf2), err,
	    sizeof(err));
	fuzz_check(m == n);
	for (i = 0; i < n; i++) {
		if (fields[i][0] != '\0' &&
		    strchr("=+-@\t\r", fields[i][0]) != NULL) {
			fuzz_check(again[i][0] == '\'' &&
			    strcmp(again[i] + 1, fields[i]) == 0);
		} else
			fuzz_check(strcmp(again[i], fields[i]) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_ini(data + 1, size - 1, (data[0] >> 1) % 8);
	else
		fuzz_csv(data + 1, size - 1);
	return 0;
}
