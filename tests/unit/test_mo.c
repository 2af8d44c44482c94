/*
 * test_mo.c: the reporting loop without a socket, on a :memory: store.
 *
 * A companion's conversation (graduations, duplicates, visits, status,
 * undo), strangers, other rosters, time zones at the turn of the year,
 * the outbox row behind every reply, and the one-segment bound of every
 * reply template.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "codec.h"
#include "config.h"
#include "grammar.h"
#include "mo.h"
#include "reply.h"
#include "store.h"

#define T0	((int64_t)1778551200)	/* 2026-05-12T02:00:00Z */
#define NEWYEAR	((int64_t)1798732800)	/* 2026-12-31T16:00:00Z */

struct fixture {
	struct store	*st;
	struct config	 cfg;
};

static int
setup(void **state)
{
	static struct fixture	f;
	struct store_companion	c;
	struct store_kpm	k;
	char			err[256];
	const char		*ids[] = { "12345", "12346", "12347", "12348" };
	size_t			i;

	memset(&f, 0, sizeof(f));
	config_defaults(&f.cfg);
	assert_int_equal(store_open(":memory:", NULL, &f.st, err,
	    sizeof(err)), STORE_OK);

	memset(&c, 0, sizeof(c));
	strcpy(c.id, "C001");
	strcpy(c.phone, "6281200000001");
	strcpy(c.name, "Sari");
	strcpy(c.timezone, "Asia/Jakarta");
	strcpy(c.language, "id");
	c.active = 1;
	assert_int_equal(store_companion_add(f.st, &c), STORE_OK);
	strcpy(c.id, "C002");
	strcpy(c.phone, "6281200000002");
	strcpy(c.name, "Budi");
	strcpy(c.timezone, "Asia/Jayapura");
	strcpy(c.language, "en");
	assert_int_equal(store_companion_add(f.st, &c), STORE_OK);

	for (i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		memset(&k, 0, sizeof(k));
		strcpy(k.id, ids[i]);
		strcpy(k.name, "Keluarga");
		strcpy(k.companion_id, "C001");
		assert_int_equal(store_kpm_put(f.st, &k), STORE_OK);
	}
	memset(&k, 0, sizeof(k));
	strcpy(k.id, "22345");
	strcpy(k.name, "Keluarga Papua");
	strcpy(k.phone, "6281300000009");
	strcpy(k.companion_id, "C002");
	assert_int_equal(store_kpm_put(f.st, &k), STORE_OK);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->st);
	return 0;
}

/* Send text from sender at now; check the outcome and return the reply. */
static const char *
say(struct fixture *f, const char *sender, const char *text, int64_t now,
    const char *outcome)
{
	static struct mo_result	r;
	struct mo_in		in;
	struct store_mt		mt;

	memset(&in, 0, sizeof(in));
	in.sender = sender;
	in.sender_ton = sender[0] == '+' ? 1 : 0;
	in.dest = "1717";
	in.text = text;
	in.now = now;
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(mo_handle(f->st, &f->cfg, &in, &r), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_true(r.mo_id > 0);
	if (strcmp(r.outcome, outcome) != 0)
		fail_msg("'%s': outcome %s, expected %s (reply: %s)", text,
		    r.outcome, outcome, r.reply);
	if (r.mt_id != 0) {
		/* The reply waits in the outbox, addressed to the sender. */
		assert_int_equal(store_mt_get(f->st, r.mt_id, &mt), STORE_OK);
		assert_string_equal(mt.text, r.reply);
		assert_string_equal(mt.dest, r.sender);
		assert_int_equal(mt.state, STORE_MT_PENDING);
		assert_true(codec_gsm7_length(r.reply) <= 160);
	}
	return r.reply;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

static void
test_conversation(void **state)
{
	struct fixture	*f = *state;
	const char	*r;
	int		 n;

	r = say(f, "081200000001", "GRAD 12345", T0, "recorded");
	assert_string_equal(r, "OK. Graduasi SM KPM 12345 tercatat (Ref G001)."
	    " Capaian 2026: 1/10. Salah? BATAL G001");

	/* The same KPM again, from another spelling of the same phone. */
	r = say(f, "+6281200000001", "grad 12345", T0 + 60, "duplicate");
	assert_string_equal(r, "KPM 12345 sudah tercatat graduasi 12/05/2026 "
	    "(Ref G001). Tidak dihitung ulang. Capaian 2026: 1/10");
	r = say(f, "6281200000001", "GRAD12345.", T0 + 61, "duplicate");
	assert_contains(r, "1/10");

	r = say(f, "081200000001", "KUNJ 12346 ibu sakit", T0 + 120,
	    "recorded");
	assert_contains(r, "Kunjungan KPM 12346 tgl 12/05/2026 tercatat "
	    "(Ref K002)");
	assert_contains(r, "Kunjungan 2026: 1");
	r = say(f, "081200000001", "KUNJ 12346", T0 + 180, "duplicate");
	assert_contains(r, "sudah tercatat (Ref K002)");

	r = say(f, "081200000001", "STATUS", T0 + 200, "status");
	assert_string_equal(r, "Capaian 2026: 1/10 graduasi, 1 kunjungan. "
	    "Lapor: GRAD <ID> atau KUNJ <ID>");

	/* BATAL alone takes back the latest: the visit. */
	r = say(f, "081200000001", "BATAL", T0 + 300, "cancelled");
	assert_contains(r, "Dibatalkan: kunjungan KPM 12346");
	assert_contains(r, "Kunjungan 2026: 0");
	r = say(f, "081200000001", "batal g001", T0 + 301, "cancelled");
	assert_contains(r, "Dibatalkan: graduasi KPM 12345 (Ref G001). "
	    "Capaian 2026: 0/10");
	r = say(f, "081200000001", "BATAL G001", T0 + 302,
	    "nothing_to_cancel");
	assert_contains(r, "Ref G001 tidak ditemukan");

	/* After an undo the KPM may be graduated again, with a new ref. */
	r = say(f, "081200000001", "GRAD 12345", T0 + 400, "recorded");
	assert_contains(r, "(Ref G003)");
	assert_contains(r, "1/10");

	/* A category outside the counted ones is recorded, not counted. */
	r = say(f, "081200000001", "GRAD 12347 AL", T0 + 500, "recorded");
	assert_contains(r, "Graduasi AL KPM 12347");
	assert_contains(r, "tidak dihitung");
	assert_contains(r, "1/10");
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, 1u << GRAMMAR_CAT_AL, &n), STORE_OK);
	assert_int_equal(n, 1);
}

static void
test_refusals(void **state)
{
	struct fixture	*f = *state;
	const char	*r;
	int		 n;

	r = say(f, "081299999999", "GRAD 12345", T0, "stranger");
	assert_string_equal(r, "Nomor ini belum terdaftar sebagai pendamping. "
	    "Hubungi koordinator Anda.");
	r = say(f, "081200000001", "GRAD 22345", T0, "not_theirs");
	assert_string_equal(r, "KPM 22345 bukan dampingan Anda. Periksa ID "
	    "atau hubungi koordinator.");
	r = say(f, "081200000001", "GRAD 99999", T0, "unknown_kpm");
	assert_contains(r, "KPM 99999 tidak terdaftar");
	r = say(f, "081200000001", "halo pak", T0, "bad_format");
	assert_string_equal(r, "Format tidak dikenal. Contoh: GRAD 12345 atau "
	    "KUNJ 12345. Ketik BANTUAN.");
	r = say(f, "081200000001", "GRAD", T0, "bad_format");
	assert_contains(r, "ID KPM belum ada");
	r = say(f, "081200000001", "BANTUAN", T0, "help");
	assert_contains(r, "GRAD <ID>");
	r = say(f, "081200000001", "BATAL", T0, "nothing_to_cancel");
	assert_contains(r, "Tidak ada laporan");
	/* Nothing of the above was counted. */
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void
test_several_ids(void **state)
{
	struct fixture	*f = *state;
	const char	*r;

	say(f, "081200000001", "GRAD 12348", T0, "recorded");
	r = say(f, "081200000001", "GRAD 12345 12346,12348 22345", T0 + 10,
	    "recorded_several");
	assert_string_equal(r, "OK. Graduasi SM tercatat: 12345 (G002), 12346 "
	    "(G003); sudah tercatat: 12348; ditolak (ketik STATUS/cek ID): "
	    "22345. Capaian 2026: 3/10");
}

/* The target year is the companion's, in the companion's zone. */
static void
test_year_in_companion_zone(void **state)
{
	struct fixture	*f = *state;
	struct store_record rec;
	const char	*r;

	/* 2026-12-31T16:00Z is 01:00 on 1 January 2027 in Jayapura. */
	r = say(f, "081200000002", "GRAD 22345", NEWYEAR, "recorded");
	assert_contains(r, "Progress 2027: 1/10");
	assert_int_equal(store_record_last(f->st, "C002", 0, &rec), STORE_OK);
	assert_int_equal(rec.year, 2027);
	assert_string_equal(rec.event_date, "2027-01-01");
	/* ... and still 2026 in Jakarta. */
	r = say(f, "081200000001", "GRAD 12345", NEWYEAR, "recorded");
	assert_contains(r, "Capaian 2026: 1/10");
}

static void
test_optout(void **state)
{
	struct fixture	*f = *state;
	struct store_kpm k;
	const char	*r;

	r = say(f, "081300000009", "STOP", T0, "opt_out");
	assert_contains(r, "MULAI");
	assert_int_equal(store_kpm_get(f->st, "22345", &k), STORE_OK);
	assert_int_equal(k.opted_out, 1);
	say(f, "081300000009", "mulai", T0 + 5, "opt_in");
	assert_int_equal(store_kpm_get(f->st, "22345", &k), STORE_OK);
	assert_int_equal(k.opted_out, 0);
}

/* An alphanumeric sender: stored, nobody to answer. */
static void
test_bad_sender(void **state)
{
	struct fixture		*f = *state;
	struct mo_result	 r;
	struct mo_in		 in;
	int			 n;

	memset(&in, 0, sizeof(in));
	in.sender = "TELKOMSEL";
	in.text = "Promo!";
	in.now = T0;
	assert_int_equal(mo_handle(f->st, &f->cfg, &in, &r), 0);
	assert_true(r.mo_id > 0);
	assert_int_equal(r.mt_id, 0);
	assert_string_equal(r.outcome, "bad_sender");
	assert_int_equal(store_mt_count(f->st, STORE_MT_PENDING, &n),
	    STORE_OK);
	assert_int_equal(n, 0);
}

/* Every template, filled with the longest values, fits one segment. */
static void
test_replies_fit_one_sms(void **state)
{
	static const char *const langs[] = { "id", "en" };
	struct reply_vars	v;
	char			out[1024];
	size_t			l;
	int			id, n;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.kpm = "12345678901234567890";
	v.ref = "G00000";
	v.cat = "SM";
	v.date = "31/12/2026";
	v.token = "ABCDEFGHIJKLMNOPQRSTUVWX";
	v.list = "";
	v.year = 2026;
	v.count = 9999;
	v.target = 9999;
	v.visits = 99999;
	for (l = 0; l < 2; l++)
		for (id = 0; id < REPLY_COUNT; id++) {
			if (id == REPLY_GRAD_MULTI)
				continue;	/* mo.c bounds its list */
			assert_true(reply_render(langs[l], (enum reply_id)id,
			    &v, out, sizeof(out)) > 0);
			n = codec_gsm7_length(out);
			if (n < 0 || n > 160)
				fail_msg("reply %d (%s) needs %d septets: %s",
				    id, langs[l], n, out);
		}
}

/* Ten long ids: the summary falls back to numbers and still fits. */
static void
test_multi_summary_fits(void **state)
{
	struct fixture	*f = *state;
	const char	*r;

	f->cfg.program_id_max_len = 20;
	r = say(f, "081200000001", "GRAD 11111111111111111111 "
	    "11111111111111111112 11111111111111111113 11111111111111111114 "
	    "11111111111111111115 11111111111111111116 11111111111111111117 "
	    "11111111111111111118 11111111111111111119 11111111111111111110",
	    T0, "recorded_several");
	assert_contains(r, "ditolak (ketik STATUS/cek ID): 10");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conversation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_ids, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_year_in_companion_zone,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_optout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sender, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multi_summary_fits, setup,
		    teardown),
		cmocka_unit_test(test_replies_fit_one_sms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
