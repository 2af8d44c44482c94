/*
 * test_log.c: the operator's log line, and what it never shows whole
 * unless [log] mask = no: phones and NIKs, on their own or inside the
 * text of an SMS.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

struct tcase {
	const char	*in;
	const char	*masked;	/* what log_text() gives, masking */
};

static const struct tcase tcases[] = {
	/* A NIK: 16 digits, first and last 4 shown. */
	{ "GRAD 3527091204850082 SM", "\"GRAD 3527********0082 SM\"" },
	/* Mobile numbers in the forms people type. */
	{ "hp 081234567890", "\"hp 0812****7890\"" },
	{ "+6281200000001 ok", "\"+62812****0001 ok\"" },
	{ "6281200000001", "\"62812****0001\"" },
	/* KPM ids, dates and other numbers stay as typed. */
	{ "GRAD 12345", "\"GRAD 12345\"" },
	{ "KUNJ 12345 28/11/2026", "\"KUNJ 12345 28/11/2026\"" },
	{ "KUNJ 123456789012", "\"KUNJ 123456789012\"" },
	{ "id 12345678901234567", "\"id 12345678901234567\"" },
	/* Escaping is log_quote()'s. */
	{ "a \"b\"\n3527091204850082", "\"a \\\"b\\\"\\n3527********0082\"" },
	{ "", "\"\"" },
};

static void
test_text_masked(void **state)
{
	char	out[256];
	size_t	i;

	(void)state;
	log_set_mask(1);
	for (i = 0; i < sizeof(tcases) / sizeof(*tcases); i++)
		assert_string_equal(log_text(tcases[i].in, out, sizeof(out)),
		    tcases[i].masked);
}

/* mask = no: the text whole, exactly as log_quote() writes it. */
static void
test_text_unmasked(void **state)
{
	char	out[256], want[256];
	size_t	i;

	(void)state;
	log_set_mask(0);
	for (i = 0; i < sizeof(tcases) / sizeof(*tcases); i++)
		assert_string_equal(log_text(tcases[i].in, out, sizeof(out)),
		    log_quote(tcases[i].in, want, sizeof(want)));
	log_set_mask(1);
}

static void
test_phone_and_nik(void **state)
{
	char	out[64];

	(void)state;
	log_set_mask(1);
	assert_int_equal(log_mask(), 1);
	assert_string_equal(log_phone("6281200000001", out, sizeof(out)),
	    "62812****0001");
	assert_string_equal(log_nik("3527091204850082", out, sizeof(out)),
	    "3527********0082");
	assert_string_equal(log_phone(NULL, out, sizeof(out)), "");
	log_set_mask(0);
	assert_int_equal(log_mask(), 0);
	assert_string_equal(log_phone("6281200000001", out, sizeof(out)),
	    "6281200000001");
	assert_string_equal(log_nik("3527091204850082", out, sizeof(out)),
	    "3527091204850082");
	log_set_mask(1);
}

/* A cut text still ends in a quote; a tiny buffer gets nothing. */
static void
test_text_small_out(void **state)
{
	char	out[8];

	(void)state;
	log_set_mask(1);
	assert_string_equal(log_text("3527091204850082", out, sizeof(out)),
	    "\"3527*\"");
	assert_string_equal(log_text("abc", out, 2), "");
}

/* "TIME LEVEL event key=value" in a file; syslog takes lines too. */
static void
test_line_and_syslog(void **state)
{
	char	path[] = "/tmp/test_log.XXXXXX", line[256];
	regex_t	re;
	FILE	*fp;
	int	fd;

	(void)state;
	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp");
	close(fd);
	assert_int_equal(log_init(LOG_LEVEL_INFO, path), 0);
	log_info("mo seq=%u from=%s", 7u, "62812****0001");
	log_debug("not_shown");
	log_flush();
	if ((fp = fopen(path, "r")) == NULL)
		fail_msg("fopen");
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_null(fgets(line + 128, 128, fp));	/* one line only */
	fclose(fp);
	assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T"
	    "[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z info mo seq=7 "
	    "from=62812\\*{4}0001\n$", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regexec(&re, line, 0, NULL, 0), 0);
	regfree(&re);

	/* To syslog: nothing to reopen, and the file is let go. */
	assert_int_equal(log_init(LOG_LEVEL_DEBUG, LOG_FILE_SYSLOG), 0);
	log_debug("test_log syslog=1");
	log_warnx("test_log syslog=1 level=warn");
	assert_int_equal(log_reopen(), 0);
	unlink(path);
	/* Back to a file, then stderr. */
	assert_int_equal(log_init(LOG_LEVEL_INFO, path), 0);
	log_info("back");
	log_flush();
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(log_init(LOG_LEVEL_INFO, NULL), 0);
	log_close();
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_masked),
		cmocka_unit_test(test_text_unmasked),
		cmocka_unit_test(test_phone_and_nik),
		cmocka_unit_test(test_text_small_out),
		cmocka_unit_test(test_line_and_syslog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
