/*
 * test_config.c: pilar.conf as operators write it, and as they get it
 * wrong: every error names the file and the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "grammar.h"
#include "log.h"
#include "store.h"

static char	dir[64];
static char	path[128];

static void
write_conf(const char *text)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/pilar-test-config-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pilar.conf", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void
test_shipped_file_loads(void **state)
{
	struct config	cfg;
	char		err[CONFIG_ERR_MAX], shipped[512];

	(void)state;
	snprintf(shipped, sizeof(shipped), "%s/conf/pilar.conf",
	    getenv("PILAR_SRC") != NULL ? getenv("PILAR_SRC") : SRC_DIR);
	if (config_load(shipped, &cfg, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_int_equal(cfg.program_yearly_target, 10);
	assert_int_equal(cfg.smpp_enquire_link_interval, 30);
	assert_string_equal(cfg.program_country_code, "62");
	assert_int_equal(cfg.program_tz_offset, 7 * 3600);
	assert_int_equal(cfg.log_mask, 1);
}

static void
test_keys_and_defaults(void **state)
{
	struct config	cfg;
	char		err[CONFIG_ERR_MAX], want[256];

	(void)state;
	write_conf("# demo\n"
	    "[smpp]\nhost = smsc.example\nport = 2776\nsystem_id = pilar1\n"
	    "password = \"se#cret\"\nsystem_type = \nsource_addr = 98765\n"
	    "bind = transceiver\nenquire_link_interval = 15\n"
	    "max_age = 90\ntps = 50\n"
	    "[store]\npath = data/pilar.db\nsync = full\n"
	    "[program]\nyearly_target = 12\ntimezone = Asia/Makassar\n"
	    "country_code = 62\ncounted_categories = SM, AL\n"
	    "[limits]\nmo_per_sender = 30/5m\nredelivery_window = 2h\n"
	    "loop_mute = 1d\nconcat_timeout = 90s\n"
	    "[log]\nlevel = debug\nfile = syslog\nmask = no\n");
	if (config_load(path, &cfg, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_string_equal(cfg.smpp_host, "smsc.example");
	/* syslog is no file beside the configuration. */
	assert_string_equal(cfg.log_file, LOG_FILE_SYSLOG);
	assert_int_equal(cfg.log_mask, 0);
	assert_int_equal(cfg.smpp_port, 2776);
	assert_string_equal(cfg.smpp_password, "se#cret");
	assert_string_equal(cfg.smpp_system_type, "");
	assert_string_equal(cfg.smpp_source_addr, "98765");
	assert_int_equal(cfg.smpp_enquire_link_interval, 15);
	snprintf(want, sizeof(want), "%s/data/pilar.db", dir);
	assert_string_equal(cfg.store_path, want);
	assert_int_equal(cfg.store_sync, STORE_SYNC_FULL);
	assert_int_equal(cfg.program_yearly_target, 12);
	assert_int_equal(cfg.program_tz_offset, 8 * 3600);
	assert_int_equal(cfg.program_counted,
	    (1u << GRAMMAR_CAT_SM) | (1u << GRAMMAR_CAT_AL));
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG);
	assert_int_equal(cfg.limits_mo_count, 30);
	assert_int_equal(cfg.limits_mo_window, 300);
	assert_int_equal(cfg.limits_redelivery_window, 7200);
	assert_int_equal(cfg.limits_loop_mute, 86400);
	assert_int_equal(cfg.limits_concat_timeout, 90);
	assert_int_equal(cfg.smpp_max_age, 90);
	assert_int_equal(cfg.smpp_tps, 50);
	/* Untouched keys keep their defaults. */
	assert_int_equal(cfg.smpp_window, 10);
	assert_int_equal(cfg.smpp_bind_timeout, 10);
	assert_int_equal(cfg.limits_loop_guard, 3);
	assert_int_equal(cfg.smpp_registered_delivery, 1);
}

/* Each broken file and the error it must give. */
static void
test_errors_name_file_and_line(void **state)
{
	static const struct {
		const char	*text;
		int		 line;
		const char	*what;
	} cases[] = {
		{ "[smpp]\nhots = x\n", 2, "unknown key 'hots'" },
		{ "[smpp]\nport = 70000\n", 2, "out of range" },
		{ "[smpp]\nport = 27a\n", 2, "not a number" },
		{ "\n\n[smpp]\nbind = receiver\n", 4, "not supported" },
		{ "[program]\ntimezone = Europe/Paris\n", 2, "unknown zone" },
		{ "[program]\ncounted_categories = SM,XX\n", 2, "'XX'" },
		{ "[program]\ncountry_code = +62\n", 2, "country_code" },
		{ "[log]\nlevel = loud\n", 2, "level" },
		{ "[log]\nmask = sometimes\n", 2, "mask" },
		{ "[store]\nsync = sometimes\n", 2, "sync" },
		{ "[smpp]\nsystem_id = 12345678901234567\n", 2, "longer than" },
		{ "host = x\n", 1, "" },
		{ "[smpp\n", 1, "" },
		{ "[nosuch]\nkey = 1\n", 2, "unknown key" },
		{ "[limits]\nmo_per_sender = 120\n", 2, "needs a window" },
		{ "[limits]\nmo_per_sender = 12x/10m\n", 2, "COUNT/WINDOW" },
		{ "[limits]\nmo_per_sender = 120/10y\n", 2, "window" },
		{ "[limits]\nredelivery_window = soon\n", 2, "duration" },
		{ "[smpp]\nmax_age = 10s\n", 2, "out of range" },
		{ "[smpp]\nregistered_delivery = 2\n", 2, "out of range" },
	};
	struct config	cfg;
	char		err[CONFIG_ERR_MAX], prefix[200];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		write_conf(cases[i].text);
		cfg.smpp_port = 4242;
		if (config_load(path, &cfg, err, sizeof(err)) != -1)
			fail_msg("case %zu loaded", i);
		snprintf(prefix, sizeof(prefix), "%s:%d: ", path,
		    cases[i].line);
		if (strncmp(err, prefix, strlen(prefix)) != 0 ||
		    strstr(err, cases[i].what) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s...%s\"", i,
			    err, prefix, cases[i].what);
		/* A failed load leaves the old configuration alone. */
		assert_int_equal(cfg.smpp_port, 4242);
	}
}

static void
test_cross_checks_and_missing_file(void **state)
{
	struct config	cfg;
	char		err[CONFIG_ERR_MAX];

	(void)state;
	write_conf("[program]\nid_min_length = 9\nid_max_length = 5\n");
	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "id_min_length"));
	write_conf("[limits]\nmo_per_sender = 0\nloop_guard = 0\n");
	if (config_load(path, &cfg, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_int_equal(cfg.limits_mo_count, 0);
	assert_int_equal(cfg.limits_loop_guard, 0);
	assert_int_equal(config_load("/nonexistent/pilar.conf", &cfg, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/pilar.conf: "));
}

static void
test_link_changed(void **state)
{
	struct config	a, b;

	(void)state;
	config_defaults(&a);
	b = a;
	b.program_yearly_target = 20;
	b.smpp_window = 50;
	assert_false(config_link_changed(&a, &b));
	strcpy(b.smpp_password, "other");
	assert_true(config_link_changed(&a, &b));
}

/*
 * [http]: listen as ADDRESS:PORT, loopback unless allow_remote says
 * otherwise, and a token that can go in a URL as it is.
 */
/* [ussd]: the defaults, and what is refused. */
static void
test_ussd(void **state)
{
	static const struct {
		const char	*text;
		const char	*what;	/* NULL: loads */
	} cases[] = {
		{ "[ussd]\nservice_code = *123#\n", NULL },
		{ "[ussd]\nservice_code = *123*4#\n", NULL },
		{ "[ussd]\nservice_code = 123#\n", "service_code" },
		{ "[ussd]\nservice_code = *123\n", "service_code" },
		{ "[ussd]\nservice_code = *12a#\n", "service_code" },
		{ "[ussd]\nservice_code = *123*#\n", "service_code" },
		{ "[ussd]\nservice_code = *1**2#\n", "service_code" },
		{ "[ussd]\nservice_code = *12345678901234567#\n", "long" },
		{ "[ussd]\nsession_timeout = 2m\n", NULL },
		{ "[ussd]\nsession_timeout = 5\n", "session_timeout" },
		{ "[ussd]\nhttp_path = /ussd\n", NULL },
		{ "[ussd]\nhttp_path = ussd\n", "http_path" },
		{ "[ussd]\nhttp_path = /us sd\n", "http_path" },
		{ "[ussd]\nhttp_path = /ussd?x\n", "http_path" },
		{ "[ussd]\nhttp_allow = 127.0.0.1, ::1, 10.0.0.7\n", NULL },
		{ "[ussd]\nhttp_allow = localhost\n", "http_allow" },
		{ "[ussd]\nhttp_allow = 10.0.0.0/8\n", "http_allow" },
		{ "[ussd]\nhttp_secret = s3cr3t-value\n", NULL },
	};
	struct config	cfg;
	char		err[CONFIG_ERR_MAX];
	size_t		i;
	int		rc;

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.ussd_service_code, "*123#");
	assert_int_equal(cfg.ussd_session_timeout, 180);
	assert_string_equal(cfg.ussd_http_path, "");
	assert_string_equal(cfg.ussd_http_allow, "127.0.0.1,::1");
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		write_conf(cases[i].text);
		rc = config_load(path, &cfg, err, sizeof(err));
		if (cases[i].what == NULL && rc == -1)
			fail_msg("case %zu: %s", i, err);
		if (cases[i].what != NULL && (rc != -1 ||
		    strstr(err, cases[i].what) == NULL))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    rc == -1 ? err : "loaded", cases[i].what);
	}
	write_conf("[ussd]\nsession_timeout = 2m\n");
	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.ussd_session_timeout, 120);
}

static void
test_http(void **state)
{
	static const struct {
		const char	*text;
		const char	*what;	/* NULL: loads */
	} cases[] = {
		{ "[http]\nlisten = 127.0.0.1:8080\n", NULL },
		{ "[http]\nlisten = localhost:0\n", NULL },
		{ "[http]\nlisten = [::1]:9100\n", NULL },
		{ "[http]\nlisten =\n", NULL },
		{ "[http]\nlisten = 127.0.0.1\n", "ADDRESS:PORT" },
		{ "[http]\nlisten = 127.0.0.1:65536\n", "ADDRESS:PORT" },
		{ "[http]\nlisten = ::1:8080\n", "ADDRESS:PORT" },
		{ "[http]\nlisten = example.org:80\n", "numeric" },
		{ "[http]\nlisten = 0.0.0.0:8080\n", "allow_remote" },
		{ "[http]\nlisten = [::]:8080\n", "allow_remote" },
		{ "[http]\nlisten = 10.0.0.5:8080\nallow_remote = yes\n", NULL },
		{ "[http]\nallow_remote = perhaps\n", "neither yes" },
		{ "[http]\ntoken = short\n", "token" },
		{ "[http]\ntoken = has space in it 0123456789\n", "token" },
		{ "[http]\ntoken = abc&def0123456789xyz\n", "token" },
		{ "[http]\ntoken = 0123456789abcdef-._~\n", NULL },
	};
	struct config	cfg, other;
	char		err[CONFIG_ERR_MAX];
	size_t		i;
	int		rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		write_conf(cases[i].text);
		rc = config_load(path, &cfg, err, sizeof(err));
		if (cases[i].what == NULL && rc == -1)
			fail_msg("case %zu: %s", i, err);
		if (cases[i].what != NULL && (rc != -1 ||
		    strstr(err, cases[i].what) == NULL))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    rc == -1 ? err : "loaded", cases[i].what);
	}
	write_conf("[http]\nlisten = localhost:8080\ntoken = "
	    "0123456789abcdef\n");
	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.http_host, "127.0.0.1");
	assert_int_equal(cfg.http_port, 8080);
	assert_true(cfg.http_loopback);
	assert_string_equal(cfg.http_token, "0123456789abcdef");
	other = cfg;
	other.http_token[0] = '\0';
	assert_false(config_http_changed(&cfg, &other));
	strcpy(other.http_listen, "127.0.0.1:8081");
	assert_true(config_http_changed(&cfg, &other));
	config_defaults(&cfg);
	assert_string_equal(cfg.http_listen, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_file_loads),
		cmocka_unit_test(test_keys_and_defaults),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_cross_checks_and_missing_file),
		cmocka_unit_test(test_link_changed),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_ussd),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
