/*
 * test_csv.c: RFC 4180 records as spreadsheets export rosters, the
 * errors a broken export must produce, and quoting for our own exports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "csv.h"

#define NF	8

struct scase {
	const char	*line;
	int		 n;		/* -1: an error */
	const char	*f[NF];
	const char	*err;		/* substring of the error */
};

static const struct scase scases[] = {
	{ "a,b,c", 3, { "a", "b", "c" }, NULL },
	{ "317101000000001,6281200000001,Siti Aminah", 3,
	    { "317101000000001", "6281200000001", "Siti Aminah" }, NULL },
	{ "a,b,c\r", 3, { "a", "b", "c" }, NULL },
	{ "a,b,c\r\n", 3, { "a", "b", "c" }, NULL },
	{ "", 1, { "" }, NULL },
	{ ",", 2, { "", "" }, NULL },
	{ "a,,c,", 4, { "a", "", "c", "" }, NULL },
	{ "\"a,b\",c", 2, { "a,b", "c" }, NULL },
	{ "\"say \"\"hi\"\"\",x", 2, { "say \"hi\"", "x" }, NULL },
	{ "\"\"", 1, { "" }, NULL },
	{ "\"\",\"\"", 2, { "", "" }, NULL },
	{ "\"line\nbreak\",2", 2, { "line\nbreak", "2" }, NULL },
	{ "\"a\r\",b", 2, { "a\r", "b" }, NULL },
	{ " a , b ", 2, { " a ", " b " }, NULL },
	{ "Desa Sukamaju,\"Kec. Cibinong, Bogor\",\xc3\xa9", 3,
	    { "Desa Sukamaju", "Kec. Cibinong, Bogor", "\xc3\xa9" }, NULL },
	{ "\"unterminated,x", -1, { NULL }, "unterminated quote" },
	{ "a,\"b", -1, { NULL }, "unterminated quote" },
	{ "ab\"c,d", -1, { NULL }, "quote inside an unquoted field" },
	{ "a, \"b\"", -1, { NULL }, "quote inside an unquoted field" },
	{ "\"a\"b,c", -1, { NULL }, "text after closing quote" },
	{ "\"a\" ,c", -1, { NULL }, "text after closing quote" },
	{ "1,2,3,4,5,6,7,8,9", -1, { NULL }, "too many fields" },
};

static void
test_split(void **state)
{
	char	*fields[NF], buf[256], err[128];
	size_t	 i;
	int	 n, k;

	(void)state;
	for (i = 0; i < sizeof(scases) / sizeof(scases[0]); i++) {
		const struct scase *c = &scases[i];

		err[0] = 'x';
		err[1] = '\0';
		n = csv_split(c->line, strlen(c->line), fields, NF, buf,
		    sizeof(buf), err, sizeof(err));
		if (n != c->n)
			fail_msg("\"%s\": %d fields (%s), want %d", c->line, n,
			    err, c->n);
		if (n == -1) {
			if (strstr(err, c->err) == NULL)
				fail_msg("\"%s\": error \"%s\", want \"%s\"",
				    c->line, err, c->err);
			continue;
		}
		for (k = 0; k < n; k++)
			if (strcmp(fields[k], c->f[k]) != 0)
				fail_msg("\"%s\": field %d \"%s\", want \"%s\"",
				    c->line, k, fields[k], c->f[k]);
	}
}

/* Exactly max_fields is fine; one more is not. */
static void
test_max_fields(void **state)
{
	char	*fields[3], buf[64], err[64];

	(void)state;
	assert_int_equal(csv_split("a,b,c", 5, fields, 3, buf, sizeof(buf),
	    err, sizeof(err)), 3);
	assert_int_equal(csv_split("a,b,c,", 6, fields, 3, buf, sizeof(buf),
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too many fields"));
	assert_int_equal(csv_split("a", 1, fields, 0, buf, sizeof(buf),
	    err, sizeof(err)), -1);
}

/* buf is never overrun: every size from 0 up to what is needed. */
static void
test_small_buffer(void **state)
{
	const char	*line = "\"ab\"\"c\",de,f";	/* needs 5+3+2 = 10 */
	char		*fields[4], err[64], *buf;
	size_t		 sz;
	int		 n;

	(void)state;
	for (sz = 0; sz <= 12; sz++) {
		buf = malloc(sz > 0 ? sz : 1);
		assert_non_null(buf);
		n = csv_split(line, strlen(line), fields, 4, sz > 0 ? buf :
		    NULL, sz, err, sizeof(err));
		if (sz < 10) {
			assert_int_equal(n, -1);
			assert_non_null(strstr(err, "buffer too small"));
		} else {
			assert_int_equal(n, 3);
			assert_string_equal(fields[0], "ab\"c");
			assert_string_equal(fields[1], "de");
			assert_string_equal(fields[2], "f");
		}
		free(buf);
	}
}

/* Only len bytes are read; NUL bytes inside them are refused. */
static void
test_len(void **state)
{
	char	*fields[4], buf[64], err[64], *line;

	(void)state;
	line = malloc(5);
	assert_non_null(line);
	memcpy(line, "ab,cd", 5);
	assert_int_equal(csv_split(line, 5, fields, 4, buf, sizeof(buf),
	    err, sizeof(err)), 2);
	assert_string_equal(fields[1], "cd");
	assert_int_equal(csv_split(line, 3, fields, 4, buf, sizeof(buf),
	    err, sizeof(err)), 2);
	assert_string_equal(fields[1], "");
	free(line);
	assert_int_equal(csv_split("a\0b,c", 5, fields, 4, buf, sizeof(buf),
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NUL"));
	/* No err buffer is fine too. */
	assert_int_equal(csv_split("\"a", 2, fields, 4, buf, sizeof(buf),
	    NULL, 0), -1);
}

struct qcase {
	const char	*in;
	const char	*want;
};

static const struct qcase qcases[] = {
	{ "plain", "plain" },
	{ "", "" },
	{ "Siti Aminah", "Siti Aminah" },
	{ "a,b", "\"a,b\"" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "two\nlines", "\"two\nlines\"" },
	{ "cr\r", "\"cr\r\"" },
	{ "=SUM(A1:A9)", "\"'=SUM(A1:A9)\"" },
	{ "+6281200000001", "\"'+6281200000001\"" },
	{ "-1", "\"'-1\"" },
	{ "@cmd", "\"'@cmd\"" },
	{ "\t=1", "\"'\t=1\"" },
	{ "=\"x\",y", "\"'=\"\"x\"\",y\"" },
	{ "a=b", "a=b" },
	{ "6281200000001", "6281200000001" },
	{ "\xe2\x82\xac 5", "\xe2\x82\xac 5" },
};

static void
test_quote(void **state)
{
	char	out[64];
	size_t	i;
	int	n;

	(void)state;
	for (i = 0; i < sizeof(qcases) / sizeof(qcases[0]); i++) {
		n = csv_quote(qcases[i].in, out, sizeof(out));
		if (n < 0 || strcmp(out, qcases[i].want) != 0 ||
		    (size_t)n != strlen(qcases[i].want))
			fail_msg("quote \"%s\": %d \"%s\", want \"%s\"",
			    qcases[i].in, n, n < 0 ? "" : out,
			    qcases[i].want);
	}
}

/* What csv_quote() writes, csv_split() reads back (minus the guard). */
static void
test_round_trip(void **state)
{
	static const char *const values[] = {
		"a", "", "a,b", "\"", "\"\"", "x\ny", "Kec. \"Baru\", Bogor",
	};
	char	 line[512], *fields[16], buf[512], err[64];
	size_t	 i, o = 0;
	int	 n;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		if (i > 0)
			line[o++] = ',';
		n = csv_quote(values[i], line + o, sizeof(line) - o);
		assert_true(n >= 0);
		o += (size_t)n;
	}
	n = csv_split(line, o, fields, 16, buf, sizeof(buf), err,
	    sizeof(err));
	assert_int_equal(n, (int)(sizeof(values) / sizeof(values[0])));
	for (i = 0; i < (size_t)n; i++)
		assert_string_equal(fields[i], values[i]);
}

/* Exactly enough room, and one byte less. */
static void
test_quote_small(void **state)
{
	char	out[16];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(csv_quote("abc", out, 4), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(csv_quote("abc", out, 3), -1);
	assert_int_equal(out[0], '\0');
	memset(out, 'x', sizeof(out));
	assert_int_equal(csv_quote("a\"b", out, 7), 6);	/* "a""b" */
	assert_string_equal(out, "\"a\"\"b\"");
	assert_int_equal(out[7], 'x');
	assert_int_equal(csv_quote("a\"b", out, 6), -1);
	assert_int_equal(csv_quote("=1", out, 6), 5);	/* "'=1" */
	assert_int_equal(csv_quote("=1", out, 5), -1);
	assert_int_equal(csv_quote("a", NULL, 0), -1);
	assert_int_equal(csv_quote("", out, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_max_fields),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_len),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_quote_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
