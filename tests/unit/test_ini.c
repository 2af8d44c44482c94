/*
 * test_ini.c: the configuration syntax, line by line, and the precise
 * reason and line number of every error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

/* What the handler saw, "section.key=value|" per call. */
struct seen {
	char	text[4096];
	int	calls;
	int	last_line;
	int	fail_on;	/* line to reject, 0: none */
};

static int
collect(void *arg, const char *section, const char *key, const char *value,
    int line, char *err, size_t errsz)
{
	struct seen	*s = arg;
	size_t		 o = strlen(s->text);

	if (line == s->fail_on) {
		snprintf(err, errsz, "bad value for %s", key);
		return -1;
	}
	snprintf(s->text + o, sizeof(s->text) - o, "%s.%s=%s|", section, key,
	    value);
	s->calls++;
	s->last_line = line;
	return 0;
}

static int
parse(const char *text, struct seen *s, int *line, char *err, size_t errsz)
{
	memset(s->text, 0, sizeof(s->text));
	s->calls = 0;
	s->last_line = 0;
	return ini_parse(text, strlen(text), collect, s, line, err, errsz);
}

static void
test_good(void **state)
{
	struct seen	s = { .fail_on = 0 };
	char		err[128];
	int		line;

	(void)state;
	assert_int_equal(parse(
	    "# pilar.conf\n"
	    "; another comment\n"
	    "\n"
	    "[smpp]\n"
	    "host = 127.0.0.1\n"
	    "port=2775\n"
	    "  system_id   =   pilar   \n"
	    "password = \"  s3cret # not a comment \"\n"
	    "empty =\n"
	    "also.empty = # just a comment\n"
	    "url = http://example.org/#frag;x\n"
	    "note = a ; comment\n"
	    "\t[ program ]  # trailing comment\n"
	    "zone = Asia/Makassar\n"
	    "quoted = \"say \\\"hi\\\" \\\\ C:\\path\"   ; comment\n"
	    "Mixed-Case_key.x = Value With Spaces\n"
	    "utf8 = Capaian \xe2\x82\xac\n",
	    &s, &line, err, sizeof(err)), 0);
	assert_string_equal(s.text,
	    "smpp.host=127.0.0.1|"
	    "smpp.port=2775|"
	    "smpp.system_id=pilar|"
	    "smpp.password=  s3cret # not a comment |"
	    "smpp.empty=|"
	    "smpp.also.empty=|"
	    "smpp.url=http://example.org/#frag;x|"
	    "smpp.note=a|"
	    "program.zone=Asia/Makassar|"
	    "program.quoted=say \"hi\" \\ C:\\path|"
	    "program.Mixed-Case_key.x=Value With Spaces|"
	    "program.utf8=Capaian \xe2\x82\xac|");
	assert_int_equal(s.calls, 12);
	assert_int_equal(s.last_line, 17);
}

/* CRLF, a byte order mark, no final newline, an empty file. */
static void
test_line_endings(void **state)
{
	struct seen	s = { .fail_on = 0 };
	char		err[128];
	int		line;

	(void)state;
	assert_int_equal(parse("\xef\xbb\xbf[a]\r\nk = v\r\n\r\nx=\"q\"\r\n",
	    &s, &line, err, sizeof(err)), 0);
	assert_string_equal(s.text, "a.k=v|a.x=q|");
	assert_int_equal(s.last_line, 4);
	assert_int_equal(parse("[a]\nk = last", &s, &line, err, sizeof(err)),
	    0);
	assert_string_equal(s.text, "a.k=last|");
	assert_int_equal(parse("", &s, &line, err, sizeof(err)), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(parse("\xef\xbb\xbf", &s, &line, err, sizeof(err)),
	    0);
	assert_int_equal(ini_parse(NULL, 0, collect, &s, &line, err,
	    sizeof(err)), 0);
	/* A BOM anywhere but at the start is no blank. */
	assert_int_equal(parse("[a]\n\xef\xbb\xbfk = v\n", &s, &line, err,
	    sizeof(err)), -1);
	assert_int_equal(line, 2);
}

struct ecase {
	const char	*text;
	int		 line;
	const char	*err;	/* exact */
};

static const struct ecase ecases[] = {
	{ "[a]\nkey value\n", 2, "expected '=' after key" },
	{ "[a]\nkey\n", 2, "expected '=' after key" },
	{ "[a]\nsmsc host = x\n", 2, "expected '=' after key" },
	{ "[a]\n= value\n", 2, "expected a key before '='" },
	{ "[a]\n!key = v\n", 2, "expected a key (letters, digits, _ . -)" },
	{ "key = v\n", 1, "key outside a section" },
	{ "# c\n\nkey = v\n[a]\n", 3, "key outside a section" },
	{ "[a]\nk = \"open\n", 2, "unterminated quote" },
	{ "[a]\nk = \"a\\\"\n", 2, "unterminated quote" },
	{ "[a]\nk = \"a\" b\n", 2, "unexpected text after quoted value" },
	{ "[a\n", 1, "bad section header" },
	{ "[a] b\n", 1, "bad section header" },
	{ "[]\n", 1, "bad section header: empty name" },
	{ "[ ]\n", 1, "bad section header: empty name" },
	{ "[a b]\n", 1, "bad section header: use letters, digits, _ . -" },
	{ "[a]\n[b]]\n", 2, "bad section header" },
	{ "[a]\nk = v\r\nk2 = \"x\r\n", 3, "unterminated quote" },
};

static void
test_errors(void **state)
{
	struct seen	s = { .fail_on = 0 };
	char		err[128];
	size_t		i;
	int		line;

	(void)state;
	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		line = -1;
		err[0] = '\0';
		if (parse(ecases[i].text, &s, &line, err, sizeof(err)) != -1 ||
		    line != ecases[i].line || strcmp(err, ecases[i].err) != 0)
			fail_msg("\"%s\": line %d \"%s\", want %d \"%s\"",
			    ecases[i].text, line, err, ecases[i].line,
			    ecases[i].err);
	}
}

/* INI_LINE_MAX - 1 bytes fit, one more does not; CR does not count. */
static void
test_long_line(void **state)
{
	struct seen	 s = { .fail_on = 0 };
	char		 err[128], *text;
	size_t		 n;
	int		 line;

	(void)state;
	text = malloc(INI_LINE_MAX + 64);
	assert_non_null(text);
	memcpy(text, "[a]\nk=", 6);
	n = 4 + INI_LINE_MAX - 1;
	memset(text + 6, 'v', n - 6);
	memcpy(text + n, "\r\n", 3);
	assert_int_equal(parse(text, &s, &line, err, sizeof(err)), 0);
	assert_int_equal(s.calls, 1);
	assert_int_equal(strlen(s.text), strlen("a.k=|") + INI_LINE_MAX - 3);
	memset(text + 6, 'v', n - 5);
	memcpy(text + n + 1, "\n", 2);
	assert_int_equal(parse(text, &s, &line, err, sizeof(err)), -1);
	assert_int_equal(line, 2);
	assert_string_equal(err, "line too long");
	free(text);
}

/* Names up to INI_NAME_MAX - 1 bytes. */
static void
test_long_names(void **state)
{
	struct seen	s = { .fail_on = 0 };
	char		text[256], name[INI_NAME_MAX + 1], err[128];
	int		line;

	(void)state;
	memset(name, 'n', INI_NAME_MAX - 1);
	name[INI_NAME_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "[%s]\n%s = 1\n", name, name);
	assert_int_equal(parse(text, &s, &line, err, sizeof(err)), 0);
	assert_int_equal(s.calls, 1);
	strcat(name, "n");
	snprintf(text, sizeof(text), "[%s]\n", name);
	assert_int_equal(parse(text, &s, &line, err, sizeof(err)), -1);
	assert_string_equal(err, "bad section header: name too long");
	snprintf(text, sizeof(text), "[a]\n%s = 1\n", name);
	assert_int_equal(parse(text, &s, &line, err, sizeof(err)), -1);
	assert_int_equal(line, 2);
	assert_string_equal(err, "key too long");
}

/* The handler's reason and line are reported; parsing stops there. */
static void
test_handler_error(void **state)
{
	struct seen	s = { .fail_on = 3 };
	char		err[128];
	int		line;

	(void)state;
	assert_int_equal(parse("[a]\nk1 = 1\nport = x\nk3 = 3\n", &s, &line,
	    err, sizeof(err)), -1);
	assert_int_equal(line, 3);
	assert_string_equal(err, "bad value for port");
	assert_string_equal(s.text, "a.k1=1|");
}

/* NUL bytes inside len, no err buffer, no handler. */
static void
test_odd_input(void **state)
{
	struct seen	s = { .fail_on = 0 };
	char		err[128];
	int		line;

	(void)state;
	assert_int_equal(ini_parse("[a]\nk = v\0w\n", 12, collect, &s, &line,
	    err, sizeof(err)), -1);
	assert_int_equal(line, 2);
	assert_string_equal(err, "NUL byte in line");
	assert_int_equal(ini_parse("k = v\n", 6, collect, &s, &line, NULL,
	    0), -1);
	assert_int_equal(line, 1);
	assert_int_equal(ini_parse("[a]\nk = v\n", 10, NULL, NULL, NULL,
	    NULL, 0), 0);
	/* Only len bytes are read: the section header is cut short. */
	assert_int_equal(ini_parse("[abc]\n", 3, collect, &s, &line, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "bad section header");
	/* A small err buffer gets a truncated, terminated reason. */
	assert_int_equal(ini_parse("k = v\n", 6, collect, &s, &line, err,
	    8), -1);
	assert_string_equal(err, "key out");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_handler_error),
		cmocka_unit_test(test_odd_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
