/*
 * test_flood.c: the per-sender rate limit and the reply-loop guard,
 * driven by an explicit clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "flood.h"

static void
test_rate_limit(void **state)
{
	struct flood	*f = flood_new(0);
	char		 text[32];
	int		 i;

	(void)state;
	flood_configure(f, 5, 600, 0, 3600);
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "KUNJ %d", 10000 + i);
		assert_int_equal(flood_check(f, "6281200000001", text, "OK", 0,
		    1000 + i), FLOOD_REPLY);
	}
	/* The sixth in the window gets the notice, the rest nothing. */
	assert_int_equal(flood_check(f, "6281200000001", "KUNJ 1", "OK", 0,
	    1010), FLOOD_NOTICE);
	assert_int_equal(flood_check(f, "6281200000001", "KUNJ 2", "OK", 0,
	    1011), FLOOD_LIMITED);
	/* Another sender is not affected. */
	assert_int_equal(flood_check(f, "6281200000002", "KUNJ 2", "OK", 0,
	    1011), FLOOD_REPLY);
	/* A new window starts afresh. */
	assert_int_equal(flood_check(f, "6281200000001", "KUNJ 3", "OK", 0,
	    1000 + 600), FLOOD_REPLY);
	flood_free(f);
}

static void
test_loop_guard(void **state)
{
	struct flood	*f = flood_new(0);
	int64_t		 t = 5000;

	(void)state;
	flood_configure(f, 0, 0, 3, 3600);
	/* An auto-responder: the same text in, the same reply out, fast. */
	assert_int_equal(flood_check(f, "628", "Nomor tidak aktif", "Format", 0,
	    t), FLOOD_REPLY);
	assert_int_equal(flood_check(f, "628", "Nomor tidak aktif", "Format", 0,
	    t + 2), FLOOD_REPLY);
	assert_int_equal(flood_check(f, "628", "Nomor tidak aktif", "Format", 0,
	    t + 4), FLOOD_REPLY);
	assert_int_equal(flood_check(f, "628", "Nomor tidak aktif", "Format", 0,
	    t + 6), FLOOD_MUTED);
	/* Muted for loop_mute, whatever it says. */
	assert_int_equal(flood_check(f, "628", "GRAD 12345", "OK", 0, t + 100),
	    FLOOD_MUTED);
	assert_int_equal(flood_check(f, "628", "GRAD 12345", "OK", 0,
	    t + 6 + 3600), FLOOD_REPLY);
	flood_free(f);
}

/* A person asking STATUS now and then is no loop. */
static void
test_slow_repeats_are_people(void **state)
{
	struct flood	*f = flood_new(0);
	int		 i;

	(void)state;
	flood_configure(f, 120, 600, 3, 3600);
	for (i = 0; i < 10; i++)
		assert_int_equal(flood_check(f, "6281200000001", "STATUS",
		    "Capaian 2026: 4/10", 0, 1000 + i * 300), FLOOD_REPLY);
	/* Different replies to the same text are no loop either. */
	for (i = 0; i < 10; i++) {
		char	reply[32];

		snprintf(reply, sizeof(reply), "Capaian: %d/10", i);
		assert_int_equal(flood_check(f, "6281200000003", "STATUS",
		    reply, 0, 5000 + i), FLOOD_REPLY);
	}
	flood_free(f);
}

static void
test_bounded_and_swept(void **state)
{
	struct flood	*f = flood_new(3);
	char		 phone[16];
	int		 i;

	(void)state;
	flood_configure(f, 1, 60, 0, 60);
	for (i = 0; i < 3; i++) {
		snprintf(phone, sizeof(phone), "62812000000%02d", i);
		assert_int_equal(flood_check(f, phone, "x", "y", 0, 100),
		    FLOOD_REPLY);
	}
	/* Full: a fourth sender is answered, not tracked. */
	assert_int_equal(flood_check(f, "6281299999999", "x", "y", 0, 100),
	    FLOOD_REPLY);
	assert_int_equal(flood_check(f, "6281299999999", "x", "y", 0, 101),
	    FLOOD_REPLY);
	/* Once the others are idle long enough they are swept. */
	assert_int_equal(flood_sweep(f, 100 + 61), 3);
	assert_int_equal(flood_check(f, "6281299999999", "x", "y", 0, 200),
	    FLOOD_REPLY);
	assert_int_equal(flood_check(f, "6281299999999", "x", "y", 0, 201),
	    FLOOD_NOTICE);
	flood_free(f);
}

/* Redeliveries do not count toward the rate: a flapping link. */
static void
test_redeliveries_do_not_count(void **state)
{
	struct flood	*f = flood_new(0);
	int		 i;

	(void)state;
	flood_configure(f, 2, 600, 0, 3600);
	for (i = 0; i < 50; i++)
		assert_int_equal(flood_check(f, "628", "GRAD 1", "OK", 1,
		    100 + i), FLOOD_REPLY);
	assert_int_equal(flood_check(f, "628", "GRAD 2", "OK", 0, 200),
	    FLOOD_REPLY);
	assert_int_equal(flood_check(f, "628", "GRAD 3", "OK", 0, 201),
	    FLOOD_REPLY);
	assert_int_equal(flood_check(f, "628", "GRAD 4", "OK", 0, 202),
	    FLOOD_NOTICE);
	flood_free(f);
}

static void
test_off(void **state)
{
	struct flood	*f = flood_new(0);
	int		 i;

	(void)state;
	flood_configure(f, 0, 0, 0, 60);
	for (i = 0; i < 1000; i++)
		assert_int_equal(flood_check(f, "628", "x", "y", 0, 1),
		    FLOOD_REPLY);
	flood_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_loop_guard),
		cmocka_unit_test(test_slow_repeats_are_people),
		cmocka_unit_test(test_bounded_and_swept),
		cmocka_unit_test(test_redeliveries_do_not_count),
		cmocka_unit_test(test_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
