/*
 * test_ussd_menu.c: the USSD menu as a state machine, without a socket:
 * every path to a command, the way back, shortcuts, refusals, strangers,
 * and every screen within REPLY_USSD_MAX characters in both languages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "codec.h"
#include "reply.h"
#include "ussd_menu.h"

static struct ussd_menu_opts
opts(const char *lang)
{
	struct ussd_menu_opts	o;

	memset(&o, 0, sizeof(o));
	o.lang = lang;
	o.is_companion = 1;
	o.id_min_len = 3;
	o.id_max_len = 20;
	o.service_code = "*123#";
	return o;
}

/* Play answers one by one after a plain start; the last step in out. */
static void
play(struct ussd_menu *m, const struct ussd_menu_opts *o,
    const char *const *answers, struct ussd_step *out)
{
	ussd_menu_start(m, o, "", out);
	for (; *answers != NULL; answers++) {
		assert_int_equal(out->end, 0);
		ussd_menu_input(m, o, *answers, out);
		assert_true(ussd_menu_length(out->screen) <= REPLY_USSD_MAX);
	}
}

static void
test_main_menu(void **state)
{
	struct ussd_menu_opts	o = opts("id");
	struct ussd_menu	m;
	struct ussd_step	s;

	(void)state;
	ussd_menu_start(&m, &o, "", &s);
	assert_int_equal(s.end, 0);
	assert_string_equal(s.command, "");
	assert_non_null(strstr(s.screen, "1 Lapor graduasi\n"));
	assert_int_equal(m.state, USSD_S_MAIN);
	assert_null(strchr(s.screen, '\\'));
}

static void
test_graduation_path(void **state)
{
	static const char *const a[] = { "1", "12345", "2", "1", NULL };
	struct ussd_menu_opts	o = opts("en");
	struct ussd_menu	m;
	struct ussd_step	s;

	(void)state;
	play(&m, &o, a, &s);
	assert_int_equal(s.end, 1);
	assert_string_equal(s.command, "GRAD 12345 AL");
	assert_int_equal(m.state, USSD_S_END);
}

static void
test_graduation_screens(void **state)
{
	struct ussd_menu_opts	o = opts("en");
	struct ussd_menu	m;
	struct ussd_step	s;

	(void)state;
	ussd_menu_start(&m, &o, "", &s);
	ussd_menu_input(&m, &o, "1", &s);
	assert_non_null(strstr(s.screen, "Enter KPM ID"));
	ussd_menu_input(&m, &o, "l2345", &s);	/* the grammar's l -> 1 */
	assert_non_null(strstr(s.screen, "KPM 12345\n"));
	ussd_menu_input(&m, &o, "9", &s);	/* no such category */
	assert_int_equal(m.state, USSD_S_GRAD_CAT);
	assert_non_null(strstr(s.screen, "Unknown choice.\n"));
	ussd_menu_input(&m, &o, "1", &s);
	assert_non_null(strstr(s.screen, "Graduation SM KPM 12345?"));
	ussd_menu_input(&m, &o, "1", &s);
	assert_string_equal(s.command, "GRAD 12345 SM");
}

static void
test_visit_progress_undo_help(void **state)
{
	static const char *const visit[] = { "2", "12345", "1", NULL };
	static const char *const progress[] = { "3", NULL };
	static const char *const undo[] = { "4", "1", NULL };
	static const char *const help[] = { "5", NULL };
	struct ussd_menu_opts	o = opts("id");
	struct ussd_menu	m;
	struct ussd_step	s;

	(void)state;
	play(&m, &o, visit, &s);
	assert_string_equal(s.command, "KUNJ 12345");
	play(&m, &o, progress, &s);
	assert_string_equal(s.command, "STATUS");
	assert_int_equal(s.end, 1);
	play(&m, &o, undo, &s);
	assert_string_equal(s.command, "BATAL");
	play(&m, &o, help, &s);
	assert_string_equal(s.command, "");
	assert_int_equal(s.end, 1);
	assert_non_null(strstr(s.screen, "*123*1*<ID>#"));
}

static void
test_back_and_invalid(void **state)
{
	struct ussd_menu_opts	o = opts("id");
	struct ussd_menu	m;
	struct ussd_step	s;

	(void)state;
	ussd_menu_start(&m, &o, "", &s);
	ussd_menu_input(&m, &o, "1", &s);
	ussd_menu_input(&m, &o, "12345", &s);
	ussd_menu_input(&m, &o, "00", &s);
	assert_int_equal(m.state, USSD_S_MAIN);
	assert_string_equal(m.kpm, "");
	ussd_menu_input(&m, &o, "2", &s);
	ussd_menu_input(&m, &o, "0", &s);
	assert_int_equal(m.state, USSD_S_MAIN);
	ussd_menu_input(&m, &o, "7", &s);
	assert_int_equal(m.state, USSD_S_MAIN);
	assert_int_equal(s.end, 0);
	assert_non_null(strstr(s.screen, "Pilihan tidak dikenal.\nPilar"));
	/* A bad id is asked again, echoed. */
	ussd_menu_input(&m, &o, "1", &s);
	ussd_menu_input(&m, &o, "12ab!", &s);
	assert_int_equal(m.state, USSD_S_GRAD_ID);
	assert_non_null(strstr(s.screen, "ID KPM 12ab! tidak valid."));
	ussd_menu_input(&m, &o, "12", &s);	/* too short */
	assert_int_equal(m.state, USSD_S_GRAD_ID);
	/* Confirm with anything but 1 asks again. */
	ussd_menu_input(&m, &o, "12345", &s);
	ussd_menu_input(&m, &o, "3", &s);
	ussd_menu_input(&m, &o, "2", &s);
	assert_int_equal(m.state, USSD_S_GRAD_CONFIRM);
	assert_string_equal(s.command, "");
	/* After the end, anything says the session is over. */
	ussd_menu_input(&m, &o, "1", &s);
	assert_string_equal(s.command, "GRAD 12345 PK");
	ussd_menu_input(&m, &o, "1", &s);
	assert_int_equal(s.end, 1);
	assert_string_equal(s.command, "");
}

static void
test_shortcuts(void **state)
{
	struct ussd_menu_opts	o = opts("id");
	struct ussd_menu	m;
	struct ussd_step	s;
	const char		*a;
	size_t			 n;

	(void)state;
	a = ussd_menu_shortcut("*123*1*12345#", "*123#", &n);
	assert_non_null(a);
	assert_int_equal(n, 7);
	assert_memory_equal(a, "1*12345", 7);
	a = ussd_menu_shortcut("*123#", "*123#", &n);
	assert_non_null(a);
	assert_int_equal(n, 0);
	assert_null(ussd_menu_shortcut("*124#", "*123#", &n));
	assert_null(ussd_menu_shortcut("*1234#", "*123#", &n));

	ussd_menu_start(&m, &o, "1*12345", &s);
	assert_string_equal(s.command, "GRAD 12345");
	ussd_menu_start(&m, &o, "1*12345*3", &s);
	assert_string_equal(s.command, "GRAD 12345 PK");
	ussd_menu_start(&m, &o, "2*12345", &s);
	assert_string_equal(s.command, "KUNJ 12345");
	ussd_menu_start(&m, &o, "3", &s);
	assert_string_equal(s.command, "STATUS");
	ussd_menu_start(&m, &o, "1", &s);
	assert_int_equal(s.end, 0);
	assert_int_equal(m.state, USSD_S_GRAD_ID);
	/* A refused answer stops there, on its screen. */
	ussd_menu_start(&m, &o, "1*x*1", &s);
	assert_int_equal(s.end, 0);
	assert_int_equal(m.state, USSD_S_GRAD_ID);
	ussd_menu_start(&m, &o, "9*1", &s);
	assert_int_equal(m.state, USSD_S_MAIN);
	assert_string_equal(s.command, "");
}

static void
test_stranger(void **state)
{
	struct ussd_menu_opts	o = opts("en");
	struct ussd_menu	m;
	struct ussd_step	s;

	(void)state;
	o.is_companion = 0;
	ussd_menu_start(&m, &o, "1*12345", &s);
	assert_int_equal(s.end, 1);
	assert_string_equal(s.command, "");
	assert_non_null(strstr(s.screen, "not registered as a companion"));
}

/* Every screen, filled at its longest, fits; and only GSM-7 is used. */
static void
test_screens_fit(void **state)
{
	static const char *const langs[] = { "id", "en" };
	struct reply_vars	v;
	char			kpm[17], token[25], out[USSD_SCREEN_BYTES];
	int			l, id, n;

	(void)state;
	memset(kpm, '9', 16);
	kpm[16] = '\0';
	memset(token, 'W', 24);
	token[24] = '\0';
	memset(&v, 0, sizeof(v));
	v.kpm = kpm;
	v.cat = "SM";
	v.token = token;
	for (l = 0; l < 2; l++)
		for (id = REPLY_USSD_MENU; id <= REPLY_USSD_ERROR; id++) {
			assert_true(reply_is_ussd((enum reply_id)id));
			n = ussd_menu_render(langs[l], (enum reply_id)id, &v,
			    out, sizeof(out));
			assert_true(n > 0);
			assert_true(codec_gsm7_length(out) >= 0);
			if (ussd_menu_length(out) > REPLY_USSD_MAX)
				fail_msg("%s [%s]: %d characters",
				    reply_name((enum reply_id)id), langs[l],
				    ussd_menu_length(out));
		}
	assert_false(reply_is_ussd(REPLY_GRAD_OK));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_menu),
		cmocka_unit_test(test_graduation_path),
		cmocka_unit_test(test_graduation_screens),
		cmocka_unit_test(test_visit_progress_undo_help),
		cmocka_unit_test(test_back_and_invalid),
		cmocka_unit_test(test_shortcuts),
		cmocka_unit_test(test_stranger),
		cmocka_unit_test(test_screens_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
