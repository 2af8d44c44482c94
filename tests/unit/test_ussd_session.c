/*
 * test_ussd_session.c: the idle timeout of USSD sessions, on a clock the
 * test moves.
 *
 * gateway/ussd.c is compiled into this test with clock_gettime renamed,
 * so the session's idle clock is the test's; the SMPP session it talks
 * to is played by the stubs below, which keep the store step the
 * session asks for and the screens it submits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

static int	test_clock_gettime(clockid_t, struct timespec *);
#define clock_gettime test_clock_gettime
#include "../../gateway/ussd.c"
#undef clock_gettime

static int64_t		 mono_ms;	/* the idle clock */
static int64_t		 mono_step_ms;	/* added after each reading */
static void		*job_arg;	/* the store step asked for */
static smpp_done_fn	*job_done;
static char		 submitted[USSD_SCREEN_BYTES + 1];
static int		 n_submitted;

static int
test_clock_gettime(clockid_t c, struct timespec *ts)
{
	if (c != CLOCK_MONOTONIC)
		return clock_gettime(c, ts);
	ts->tv_sec = mono_ms / 1000;
	ts->tv_nsec = (long)(mono_ms % 1000) * 1000000;
	mono_ms += mono_step_ms;
	return 0;
}

void
smpp_session_store_call(struct smpp_session *s, smpp_store_fn *run,
    smpp_done_fn *done, void *arg)
{
	(void)s;
	(void)run;
	job_done = done;
	job_arg = arg;
}

void
smpp_session_set_ussd(struct smpp_session *s, struct ussd *u)
{
	(void)s;
	(void)u;
}

int
smpp_session_submit_now(struct smpp_session *s, const struct smpp_msg *m,
    uint32_t *seq)
{
	(void)s;
	snprintf(submitted, sizeof(submitted), "%.*s", (int)m->sm_len,
	    (const char *)m->sm);
	n_submitted++;
	*seq = (uint32_t)n_submitted;
	return 0;
}

void
metrics_ussd_end(const char *via, const char *why)
{
	(void)via;
	(void)why;
}

struct fixture {
	struct event_base	*base;
	struct config		 cfg;
	struct ussd		*u;
	struct smpp_msg		 m;
};

static int
setup(void **state)
{
	static struct fixture	f;

	memset(&f, 0, sizeof(f));
	config_defaults(&f.cfg);
	f.cfg.ussd_session_timeout = 10;
	f.base = event_base_new();
	f.u = ussd_new(f.base, &f.cfg, (struct smpp_session *)&f);
	snprintf(f.m.source_addr, sizeof(f.m.source_addr), "6281100000001");
	f.m.source_ton = 1;
	f.m.has_ussd_service_op = 1;
	mono_ms = 90000;
	mono_step_ms = 0;
	job_arg = NULL;
	n_submitted = 0;
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	ussd_free(f->u);
	event_base_free(f->base);
	return 0;
}

/*
 * Dial *123# and let the worker answer that the dialogue now waits for
 * the graduation's confirmation, at mono_ms.
 */
static void
open_at_confirm(struct fixture *f)
{
	struct ussd_job	*job;

	f->m.ussd_service_op = USSD_OP_PSSR_IND;
	ussd_smpp_deliver(f->u, &f->m, "*123#");
	assert_non_null(job_arg);
	job = job_arg;
	job_arg = NULL;
	assert_int_equal(job->open, 1);
	job->menu_out.state = USSD_S_GRAD_CONFIRM;
	job->step.end = 0;
	snprintf(job->step.screen, sizeof(job->step.screen),
	    "Graduasi KPM 12345? 1 Ya 2 Tidak");
	job_done(job, 1);
	assert_int_equal(n_submitted, 1);
}

/*
 * An answer read just before the timeout goes on with the dialogue, even
 * when the clock passes the timeout while the request is handled: the
 * session is looked at once.  (Looked at twice, the second look ended it
 * and the answer "1" ran as the main menu's option 1.)
 */
static void
test_answer_at_the_edge(void **state)
{
	struct fixture	*f = *state;
	struct ussd_job	*job;

	open_at_confirm(f);
	mono_ms += 9999;
	mono_step_ms = 1;	/* every reading a millisecond later */
	f->m.ussd_service_op = USSD_OP_USSR_CONF;
	ussd_smpp_deliver(f->u, &f->m, "1");
	assert_non_null(job_arg);
	job = job_arg;
	assert_int_equal(job->open, 0);
	assert_int_equal(job->menu_in.state, USSD_S_GRAD_CONFIRM);
	assert_string_equal(job->input, "1");
	job_done(job, 1);
}

/*
 * An answer after the timeout, before the tick has closed the session,
 * is told the session is over; nothing runs.
 */
static void
test_answer_after_timeout(void **state)
{
	struct fixture	*f = *state;

	open_at_confirm(f);
	mono_ms += 10000;
	f->m.ussd_service_op = USSD_OP_USSR_CONF;
	ussd_smpp_deliver(f->u, &f->m, "1");
	assert_null(job_arg);
	assert_int_equal(n_submitted, 2);
	assert_non_null(strstr(submitted, "berakhir"));
	assert_null(ussd_session_find(f->u, USSD_VIA_SMPP, "6281100000001",
	    "0"));
}

/* An abort of a session past its timeout is still an abort. */
static void
test_abort_after_timeout(void **state)
{
	struct fixture	*f = *state;

	open_at_confirm(f);
	mono_ms += 20000;
	f->m.ussd_service_op = 0x21;	/* ussr_abort-like: any other op */
	ussd_smpp_deliver(f->u, &f->m, "");
	assert_null(job_arg);
	assert_int_equal(n_submitted, 1);
	assert_null(ussd_session_find(f->u, USSD_VIA_SMPP, "6281100000001",
	    "0"));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test_setup_teardown(test_answer_at_the_edge, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_answer_after_timeout,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_after_timeout,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
