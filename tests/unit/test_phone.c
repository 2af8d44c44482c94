/*
 * test_phone.c: every way an operator delivers the same sender, and
 * masks that never give a number away.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "phone.h"

struct pcase {
	const char	*in;
	int		 ton;
	const char	*want;	/* NULL: must be refused */
};

static const struct pcase pcases[] = {
	/* The four forms of one number. */
	{ "+6281200000001",	PHONE_TON_UNKNOWN,	"6281200000001" },
	{ "6281200000001",	PHONE_TON_UNKNOWN,	"6281200000001" },
	{ "081200000001",	PHONE_TON_UNKNOWN,	"6281200000001" },
	{ "81200000001",	PHONE_TON_UNKNOWN,	"6281200000001" },
	{ "+6281200000001",	PHONE_TON_INTERNATIONAL, "6281200000001" },
	{ "6281200000001",	PHONE_TON_INTERNATIONAL, "6281200000001" },
	{ "081200000001",	PHONE_TON_NATIONAL,	"6281200000001" },
	{ "81200000001",	PHONE_TON_NATIONAL,	"6281200000001" },
	/* A trunk 0 is national whatever the TON claims. */
	{ "081200000001",	PHONE_TON_INTERNATIONAL, "6281200000001" },
	/* The international call prefix. */
	{ "006281200000001",	PHONE_TON_UNKNOWN,	"6281200000001" },
	/* As people type them. */
	{ "+62 812-0000-0001",	PHONE_TON_UNKNOWN,	"6281200000001" },
	{ "0812.0000.0001",	PHONE_TON_UNKNOWN,	"6281200000001" },
	{ "(0812) 0000 0001",	PHONE_TON_UNKNOWN,	"6281200000001" },
	{ "+62 (812) 0000 0001", PHONE_TON_UNKNOWN,	"6281200000001" },
	{ "\t0812 0000 0001 ",	PHONE_TON_UNKNOWN,	"6281200000001" },
	/* Landlines and other countries. */
	{ "0215550123",		PHONE_TON_UNKNOWN,	"62215550123" },
	{ "215550123",		PHONE_TON_NATIONAL,	"62215550123" },
	{ "+60123456789",	PHONE_TON_UNKNOWN,	"60123456789" },
	{ "60123456789",	PHONE_TON_INTERNATIONAL, "60123456789" },
	/* Lengths at the limits: 8 and 15 digits. */
	{ "62812345",		PHONE_TON_INTERNATIONAL, "62812345" },
	{ "628123456789012",	PHONE_TON_INTERNATIONAL, "628123456789012" },
	{ "0812345",		PHONE_TON_UNKNOWN,	"62812345" },
	{ "081234",		PHONE_TON_UNKNOWN,	NULL },	/* 7 with cc */
	{ "6281234",		PHONE_TON_INTERNATIONAL, NULL },
	{ "6281234567890123",	PHONE_TON_INTERNATIONAL, NULL },
	{ "0812345678901234",	PHONE_TON_UNKNOWN,	NULL },
	/* Not phone numbers. */
	{ "",			PHONE_TON_UNKNOWN,	NULL },
	{ "   ",		PHONE_TON_UNKNOWN,	NULL },
	{ "+",			PHONE_TON_UNKNOWN,	NULL },
	{ "--",			PHONE_TON_UNKNOWN,	NULL },
	{ "TELKOMSEL",		PHONE_TON_UNKNOWN,	NULL },
	{ "0812ABC0001",	PHONE_TON_UNKNOWN,	NULL },
	{ "0812-0000-000l",	PHONE_TON_UNKNOWN,	NULL },
	{ "62+81200000001",	PHONE_TON_UNKNOWN,	NULL },
	{ "++6281200000001",	PHONE_TON_UNKNOWN,	NULL },
	{ "+06281200000001",	PHONE_TON_UNKNOWN,	NULL },
	{ "0",			PHONE_TON_NATIONAL,	NULL },
	{ "00",			PHONE_TON_UNKNOWN,	NULL },
	{ "0812\xc2\xa0" "00000001", PHONE_TON_UNKNOWN,	NULL },
	{ "1234567890123456789012345678901234567890", PHONE_TON_UNKNOWN,
	    NULL },
};

static void
test_normalize(void **state)
{
	char	out[PHONE_MAX + 1];
	size_t	i;
	int	rc;

	(void)state;
	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		memset(out, 'x', sizeof(out));
		rc = phone_normalize(pcases[i].in, pcases[i].ton, "62", out,
		    sizeof(out));
		if (pcases[i].want == NULL) {
			if (rc != -1)
				fail_msg("\"%s\" ton %d: accepted as %s",
				    pcases[i].in, pcases[i].ton, out);
			assert_string_equal(out, "");
		} else if (rc != 0 || strcmp(out, pcases[i].want) != 0)
			fail_msg("\"%s\" ton %d: rc %d \"%s\", want \"%s\"",
			    pcases[i].in, pcases[i].ton, rc,
			    rc == 0 ? out : "", pcases[i].want);
	}
}

/* The country code comes from the configuration. */
static void
test_country_code(void **state)
{
	char	out[PHONE_MAX + 1];

	(void)state;
	assert_int_equal(phone_normalize("0123456789", PHONE_TON_UNKNOWN,
	    "60", out, sizeof(out)), 0);
	assert_string_equal(out, "60123456789");
	assert_int_equal(phone_normalize("23456789", PHONE_TON_NATIONAL,
	    "670", out, sizeof(out)), 0);
	assert_string_equal(out, "67023456789");
	assert_int_equal(phone_normalize("0812", PHONE_TON_UNKNOWN, "",
	    out, sizeof(out)), -1);
	assert_int_equal(phone_normalize("081200000001", PHONE_TON_UNKNOWN,
	    "6a", out, sizeof(out)), -1);
	assert_int_equal(phone_normalize("081200000001", PHONE_TON_UNKNOWN,
	    "6262", out, sizeof(out)), -1);
	assert_int_equal(phone_normalize("081200000001", PHONE_TON_UNKNOWN,
	    NULL, out, sizeof(out)), -1);
	assert_int_equal(phone_normalize(NULL, PHONE_TON_UNKNOWN, "62",
	    out, sizeof(out)), -1);
}

/* out is never written past outsz. */
static void
test_small_out(void **state)
{
	char	out[20];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(phone_normalize("081200000001", PHONE_TON_UNKNOWN,
	    "62", out, 13), -1);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[13], 'x');
	assert_int_equal(phone_normalize("081200000001", PHONE_TON_UNKNOWN,
	    "62", out, 14), 0);
	assert_string_equal(out, "6281200000001");
	assert_int_equal(out[14], 'x');
	assert_int_equal(phone_normalize("081200000001", PHONE_TON_UNKNOWN,
	    "62", NULL, 0), -1);
}

struct mcase {
	const char	*in;
	const char	*want;
};

static const struct mcase mcases[] = {
	{ "6281200000001",	"62812****0001" },
	{ "628123456789012",	"62812******9012" },
	{ "6281234567890",	"62812****7890" },
	{ "621234567890",	"6212****7890" },
	{ "62215550123",	"622*****123" },
	{ "62812345",		"62****45" },
	{ "123456789",		"123***789" },
	{ "123456",		"12**56" },
	{ "12345",		"1***5" },
	{ "123",		"1*3" },
	{ "12",			"**" },
	{ "1",			"*" },
	{ "",			"" },
};

static void
test_mask(void **state)
{
	char	out[32];
	size_t	i, j, n;

	(void)state;
	for (i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++) {
		phone_mask(mcases[i].in, out, sizeof(out));
		if (strcmp(out, mcases[i].want) != 0)
			fail_msg("mask \"%s\": \"%s\", want \"%s\"",
			    mcases[i].in, out, mcases[i].want);
		/*
		 * A third (rounded down) is hidden, and from 6 digits on
		 * never fewer than 2.
		 */
		n = strlen(mcases[i].in);
		assert_int_equal(strlen(out), n);
		{
			size_t stars = 0;

			for (j = 0; j < n; j++)
				stars += out[j] == '*';
			assert_true(stars >= n / 3);
			assert_true(n < 6 || stars >= 2);
		}
	}
	phone_mask(NULL, out, sizeof(out));
	assert_string_equal(out, "");
}

/* A short buffer gets a truncated mask, still NUL terminated. */
static void
test_mask_small(void **state)
{
	char	out[8];

	(void)state;
	memset(out, 'x', sizeof(out));
	phone_mask("6281200000001", out, 6);
	assert_string_equal(out, "62812");
	assert_int_equal(out[6], 'x');
	phone_mask("6281200000001", out, 1);
	assert_string_equal(out, "");
	out[0] = 'x';
	phone_mask("6281200000001", out, 0);
	assert_int_equal(out[0], 'x');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_country_code),
		cmocka_unit_test(test_small_out),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_mask_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
