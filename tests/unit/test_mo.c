/*
 * test_mo.c: the reporting loop without a socket, on a :memory: store.
 *
 * A companion's conversation (graduations, duplicates, visits, status,
 * undo), strangers, other rosters, time zones at the turn of the year,
 * the outbox row behind every reply, and the one-segment bound of every
 * reply template.  Then what people really type, as tables of messages
 * and the replies they must get: typos (corrected or ambiguous), dates
 * (typed, relative, impossible, still to come, last year's), NIKs (each
 * wrong part, in both languages, never echoed whole).
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

#include "codec.h"
#include "config.h"
#include "grammar.h"
#include "mo.h"
#include "remind.h"
#include "reply.h"
#include "store.h"

#define T0	((int64_t)1778551200)	/* 2026-05-12T02:00:00Z */
#define NEWYEAR	((int64_t)1798732800)	/* 2026-12-31T16:00:00Z */
#define JAN2	((int64_t)1798855200)	/* 2027-01-02T02:00:00Z */

/* One message of a table and what it must get. */
struct mo_case {
	const char	*sender;
	const char	*text;
	int64_t		 now;
	const char	*outcome;
	const char	*reply;		/* the whole reply, or NULL */
	const char	*part;		/* a part of it, or NULL */
	const char	*corrected;	/* mo_result.corrected, NULL: none */
};

/* The result of the last say(). */
static struct mo_result	last;

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
	const char		*ids[] = { "12345", "12346", "12347", "12348",
				    "12340" };
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
	reply_catalog_load(NULL, GRAMMAR_ID_MAX, NULL, 0);
	return 0;
}

/* Send text from sender at now; check the outcome and return the reply. */
static const char *
say(struct fixture *f, const char *sender, const char *text, int64_t now,
    const char *outcome)
{
	struct mo_result	*r = &last;
	struct mo_in		in;
	struct store_mt		mt;

	memset(&in, 0, sizeof(in));
	in.sender = sender;
	in.sender_ton = sender[0] == '+' ? 1 : 0;
	in.dest = "1717";
	in.text = text;
	in.now = now;
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(mo_handle(f->st, &f->cfg, &in, r), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_true(r->mo_id > 0);
	if (strcmp(r->outcome, outcome) != 0)
		fail_msg("'%s': outcome %s, expected %s (reply: %s)", text,
		    r->outcome, outcome, r->reply);
	if (r->mt_id != 0) {
		/* The reply waits in the outbox, addressed to the sender. */
		assert_int_equal(store_mt_get(f->st, r->mt_id, &mt), STORE_OK);
		assert_string_equal(mt.text, r->reply);
		assert_string_equal(mt.dest, r->sender);
		assert_int_equal(mt.state, STORE_MT_PENDING);
		if (codec_gsm7_length(r->reply) < 0 ||
		    codec_gsm7_length(r->reply) > 160)
			fail_msg("'%s': reply of %d septets: %s", text,
			    codec_gsm7_length(r->reply), r->reply);
	}
	return r->reply;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

/* Send each message of a table in order; check what each one gets. */
static void
run_cases(struct fixture *f, const struct mo_case *cases, size_t n)
{
	const char	*r;
	size_t		 i;

	for (i = 0; i < n; i++) {
		r = say(f, cases[i].sender, cases[i].text, cases[i].now,
		    cases[i].outcome);
		if (cases[i].reply != NULL && strcmp(r, cases[i].reply) != 0)
			fail_msg("case %zu '%s':\n got: %s\nwant: %s", i,
			    cases[i].text, r, cases[i].reply);
		if (cases[i].part != NULL && strstr(r, cases[i].part) == NULL)
			fail_msg("case %zu '%s': '%s' does not contain '%s'",
			    i, cases[i].text, r, cases[i].part);
		if (cases[i].corrected == NULL ? last.corrected != NULL :
		    last.corrected == NULL ||
		    strcmp(last.corrected, cases[i].corrected) != 0)
			fail_msg("case %zu '%s': corrected %s, want %s", i,
			    cases[i].text,
			    last.corrected != NULL ? last.corrected : "NULL",
			    cases[i].corrected != NULL ? cases[i].corrected :
			    "NULL");
	}
}

/* The active record with ref of companion C001 (it must exist). */
static void
record(struct fixture *f, const char *ref, struct store_record *rec)
{
	if (store_record_by_ref(f->st, "C001", ref, rec) != STORE_OK)
		fail_msg("no record %s", ref);
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

#define C1	"081200000001"	/* Sari, Jakarta, Bahasa Indonesia */
#define C2	"081200000002"	/* Budi, Jayapura, English */

/*
 * Keyword typos: one command near is taken and flagged (the log says
 * so), two are asked about and nothing is recorded; O, l and I inside
 * an id are digits.  A valid NIK is taken as an id, never echoed whole.
 */
static void
test_typing(void **state)
{
	static const struct mo_case cases[] = {
		{ C1, "STAP", T0, "ambiguous",
		  "Kata kunci tidak dikenal. Maksud Anda STATUS/STOP? Kirim "
		  "ulang SMS dengan STATUS/STOP di awal. Ketik BANTUAN.",
		  NULL, NULL },
		{ C2, "stot 22345", T0, "ambiguous",
		  "Unknown keyword. Did you mean STATUS/STOP? Send the SMS "
		  "again starting with STATUS/STOP. Send BANTUAN for help.",
		  NULL, NULL },
		{ C1, "GARD 12345", T0, "recorded",
		  "OK. Graduasi SM KPM 12345 tercatat (Ref G001). Capaian "
		  "2026: 1/10. Salah? BATAL G001", NULL, "keyword" },
		{ C1, "GRAD 1234O", T0 + 1, "recorded", NULL,
		  "KPM 12340 tercatat (Ref G002). Capaian 2026: 2/10", "id" },
		{ C1, "gard l2346 al", T0 + 2, "recorded", NULL,
		  "Graduasi AL KPM 12346 tercatat (Ref G003)", "keyword,id" },
		{ C1, "KUNK 12347", T0 + 3, "recorded", NULL,
		  "Kunjungan KPM 12347 tgl 12/05/2026 tercatat (Ref K004)",
		  "keyword" },
		{ C1, "grad 12345", T0 + 4, "duplicate", NULL, "(Ref G001)",
		  NULL },
		{ C1, "GRAD 3527014506900082", T0 + 5, "unknown_kpm",
		  "KPM 3527********0082 tidak terdaftar. Periksa ID atau "
		  "hubungi koordinator.", NULL, NULL },
		{ C1, "GRAD 12348 3527014506900082", T0 + 6,
		  "recorded_several", "OK. Graduasi SM tercatat: 12348 (G005);"
		  " ditolak (ketik STATUS/cek ID): 3527********0082. Capaian "
		  "2026: 3/10", NULL, NULL },
	};
	struct fixture	*f = *state;
	int		 n;

	run_cases(f, cases, sizeof(cases) / sizeof(*cases));
	/* The ambiguity was asked about, not guessed: nothing for C002. */
	assert_int_equal(store_record_count(f->st, "C002", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 0);
	say(f, C1, "STAP", T0 + 7, "ambiguous");
	assert_string_equal(last.keyword, "STAP");
	say(f, C1, "GARD 12345", T0 + 8, "duplicate");
	assert_string_equal(last.keyword, "GARD");
	say(f, C1, "GRAD 1234O", T0 + 9, "duplicate");
	assert_string_equal(last.keyword, "");
}

/*
 * A visit on a typed day is that day's: its own natural key, so other
 * days are other visits and the same day again is a duplicate, however
 * the day is written.  The note is what follows the date.  Dates still
 * to come and days that cannot be are refused, nothing recorded.
 */
static void
test_visit_dates(void **state)
{
	static const struct mo_case cases[] = {
		{ C1, "KUNJ 12346 10/05 posyandu", T0, "recorded",
		  "OK. Kunjungan KPM 12346 tgl 10/05/2026 tercatat (Ref K001)."
		  " Kunjungan 2026: 1. Salah? BATAL K001", NULL, NULL },
		{ C1, "kunj 12346 10/05", T0 + 60, "duplicate",
		  "Kunjungan KPM 12346 tgl 10/05/2026 sudah tercatat (Ref "
		  "K001). Tidak dihitung ulang. Kunjungan 2026: 1", NULL,
		  NULL },
		{ C1, "KUNJ 12346 tgl 11-05-2026 ibu sakit", T0 + 120,
		  "recorded", NULL, "tgl 11/05/2026 tercatat (Ref K002). "
		  "Kunjungan 2026: 2", NULL },
		{ C1, "KUNJ 12346", T0 + 180, "recorded", NULL,
		  "tgl 12/05/2026 tercatat (Ref K003). Kunjungan 2026: 3",
		  NULL },
		{ C1, "kunj 12346 hari ini", T0 + 240, "duplicate", NULL,
		  "tgl 12/05/2026 sudah tercatat (Ref K003)", NULL },
		{ C1, "KUNJ 12346 kemarin", T0 + 300, "duplicate", NULL,
		  "tgl 11/05/2026 sudah tercatat (Ref K002)", NULL },
		{ C1, "KUNJ 12346 100526", T0 + 360, "duplicate", NULL,
		  "tgl 10/05/2026 sudah tercatat (Ref K001)", NULL },
		{ C1, "KUNJ 12346 9 mei", T0 + 420, "recorded", NULL,
		  "tgl 09/05/2026 tercatat (Ref K004). Kunjungan 2026: 4",
		  NULL },
		/* Refused: nothing recorded, no ref used up. */
		{ C1, "KUNJ 12345 13/05", T0, "future_date",
		  "Tanggal 13/05/2026 belum terjadi. Laporkan hanya hari ini "
		  "atau tanggal sebelumnya.", NULL, NULL },
		{ C2, "GRAD 22345 01/06/2026", T0, "future_date",
		  "Date 01/06/2026 is in the future. Report only today or an "
		  "earlier date.", NULL, NULL },
		{ C1, "KUNJ 12345 31/02", T0, "bad_date",
		  "Tanggal 31/02 tidak valid. Tulis tgl/bln/thn, contoh "
		  "12/05/2026.", NULL, NULL },
		{ C2, "grad 22345 30/02/2026", T0, "bad_date",
		  "Date 30/02/2026 is not valid. Write day/month/year, e.g. "
		  "12/05/2026.", NULL, NULL },
		{ C1, "KUNJ 12345 kemarin", T0 + 480, "recorded", NULL,
		  "tgl 11/05/2026 tercatat (Ref K005). Kunjungan 2026: 5",
		  NULL },
	};
	struct fixture		*f = *state;
	struct store_record	 rec;
	int			 n;

	run_cases(f, cases, sizeof(cases) / sizeof(*cases));
	record(f, "K001", &rec);
	assert_string_equal(rec.event_date, "2026-05-10");
	assert_string_equal(rec.note, "posyandu");
	assert_int_equal(rec.year, 2026);
	record(f, "K002", &rec);
	assert_string_equal(rec.event_date, "2026-05-11");
	assert_string_equal(rec.note, "ibu sakit");
	record(f, "K003", &rec);
	assert_string_equal(rec.event_date, "2026-05-12");
	assert_string_equal(rec.note, "");
	assert_int_equal(store_record_count(f->st, "C002", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/*
 * A report dated last year counts in last year, whenever it arrives:
 * 28/12 sent on 2 January.  Its reply shows last year's totals; STATUS
 * and this year's reports show this year's; BATAL gives back the count
 * of the year the record was in.
 */
static void
test_last_year(void **state)
{
	static const struct mo_case cases[] = {
		{ C1, "GRAD 12345", T0, "recorded", NULL, "Capaian 2026: 1/10",
		  NULL },
		{ C1, "KUNJ 12346", T0, "recorded", NULL, "Kunjungan 2026: 1",
		  NULL },
		/* 2 January 2027, 09:00 in Jakarta. */
		{ C1, "KUNJ 12347 28/12 posyandu", JAN2, "recorded",
		  "OK. Kunjungan KPM 12347 tgl 28/12/2026 tercatat (Ref K003)."
		  " Kunjungan 2026: 2. Salah? BATAL K003", NULL, NULL },
		{ C1, "GRAD 12348 28/12", JAN2 + 1, "recorded",
		  "OK. Graduasi SM KPM 12348 tercatat (Ref G004). Capaian "
		  "2026: 2/10. Salah? BATAL G004", NULL, NULL },
		{ C1, "GRAD 12348", JAN2 + 2, "duplicate",
		  "KPM 12348 sudah tercatat graduasi 28/12/2026 (Ref G004). "
		  "Tidak dihitung ulang. Capaian 2026: 2/10", NULL, NULL },
		{ C1, "GRAD 12347 kemarin", JAN2 + 3, "recorded", NULL,
		  "(Ref G005). Capaian 2027: 1/10", NULL },
		{ C1, "STATUS", JAN2 + 4, "status",
		  "Capaian 2027: 1/10 graduasi, 0 kunjungan. Lapor: GRAD <ID>"
		  " atau KUNJ <ID>", NULL, NULL },
		{ C1, "KUNJ 12347 02/01", JAN2 + 5, "recorded", NULL,
		  "tgl 02/01/2027 tercatat (Ref K006). Kunjungan 2027: 1",
		  NULL },
		{ C1, "KUNJ 12347 03/01", JAN2 + 6, "future_date",
		  "Tanggal 03/01/2027 belum terjadi. Laporkan hanya hari ini "
		  "atau tanggal sebelumnya.", NULL, NULL },
		{ C1, "BATAL K003", JAN2 + 7, "cancelled",
		  "Dibatalkan: kunjungan KPM 12347 tgl 28/12/2026 (Ref K003). "
		  "Kunjungan 2026: 1", NULL, NULL },
		{ C1, "BATAL", JAN2 + 8, "cancelled",
		  "Dibatalkan: kunjungan KPM 12347 tgl 02/01/2027 (Ref K006). "
		  "Kunjungan 2027: 0", NULL, NULL },
		/* Several ids dated last year: last year's totals. */
		{ C1, "GRAD 12346 12340 31/12", JAN2 + 9, "recorded_several",
		  "OK. Graduasi SM tercatat: 12346 (G007), 12340 (G008). "
		  "Capaian 2026: 4/10", NULL, NULL },
	};
	struct fixture		*f = *state;
	struct store_record	 rec;

	run_cases(f, cases, sizeof(cases) / sizeof(*cases));
	record(f, "G004", &rec);
	assert_string_equal(rec.event_date, "2026-12-28");
	assert_int_equal(rec.year, 2026);
	record(f, "G005", &rec);
	assert_string_equal(rec.event_date, "2027-01-01");
	assert_int_equal(rec.year, 2027);
	record(f, "G007", &rec);
	assert_int_equal(rec.year, 2026);
}

/* A redelivery after midnight means the day of the first delivery. */
static void
test_redelivery_keeps_the_day(void **state)
{
	struct fixture		*f = *state;
	struct store_record	 rec;
	const char		*r;

	/* 23:59 on 12 May in Jakarta, then again at 00:04 on 13 May. */
	r = say(f, C1, "KUNJ 12345 kemarin", T0 + 14 * 3600 + 59 * 60,
	    "recorded");
	assert_contains(r, "tgl 11/05/2026 tercatat (Ref K001)");
	r = say(f, C1, "KUNJ 12345 kemarin", T0 + 15 * 3600 + 4 * 60,
	    "duplicate");
	assert_true(last.redelivery);
	assert_contains(r, "tgl 11/05/2026 sudah tercatat (Ref K001)");
	record(f, "K001", &rec);
	assert_string_equal(rec.event_date, "2026-05-11");
}

/*
 * A NIK whose structure cannot be: the reply names the wrong part in
 * the companion's language and never shows the NIK.
 */
static void
test_bad_nik(void **state)
{
	static const struct {
		const char	*nik;
		const char	*id;	/* the part, Bahasa Indonesia */
		const char	*en;
	} parts[] = {
		{ "9927014506900082", "kode provinsi (angka 1-2)",
		  "province code (digits 1-2)" },
		{ "3500014506900082", "kode kabupaten/kota (angka 3-4)",
		  "regency/city code (digits 3-4)" },
		{ "3527004506900082", "kode kecamatan (angka 5-6)",
		  "district code (digits 5-6)" },
		{ "3527013206900082", "tanggal lahir (angka 7-8, perempuan "
		  "+40)", "birth day (digits 7-8, women +40)" },
		{ "3527017506900082", "tanggal lahir (angka 7-8, perempuan "
		  "+40)", "birth day (digits 7-8, women +40)" },
		{ "3527011513900082", "bulan lahir (angka 9-10)",
		  "birth month (digits 9-10)" },
		{ "3527013104900082", "tanggal/bulan lahir (angka 7-10)",
		  "birth date (digits 7-10)" },
		{ "3527011504900000", "nomor urut (angka 13-16)",
		  "serial number (digits 13-16)" },
	};
	struct fixture	*f = *state;
	char		 text[64], want[256], head[5];
	const char	*r;
	size_t		 i;
	int		 l, n;

	for (i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		for (l = 0; l < 2; l++) {
			snprintf(text, sizeof(text), l == 0 ? "GRAD %s" :
			    "kunj %s rumah", parts[i].nik);
			r = say(f, l == 0 ? C1 : C2, text,
			    T0 + (int64_t)i * 10 + l, "bad_nik");
			if (l == 0)
				snprintf(want, sizeof(want), "NIK tidak valid: "
				    "%s salah. NIK 16 angka sesuai KTP/KK, "
				    "periksa lagi.", parts[i].id);
			else
				snprintf(want, sizeof(want), "NIK is not "
				    "valid: the %s is wrong. A NIK has 16 "
				    "digits as on the KTP/KK, please check "
				    "it.", parts[i].en);
			assert_string_equal(r, want);
			/* Neither whole nor its middle digits. */
			assert_null(strstr(r, parts[i].nik));
			memcpy(head, parts[i].nik + 4, 4);
			head[4] = '\0';
			assert_null(strstr(r, head));
		}
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/*
 * Several ids, named: the fit is counted in GSM-7 septets.  With this
 * label the named summary of eight ids is 156 bytes but 165 septets
 * (the label's [ ] and seven ~ take two each): it must fall back to the
 * counts, where counting bytes kept a reply of two segments.
 */
static void
test_multi_counts_septets(void **state)
{
	struct fixture		*f = *state;
	struct store_kpm	 k;
	char			 dir[64], path[96], err[512];
	const char		*ids[] = { "12349", "12350", "12351", "12352" };
	const char		*langs[] = { "id", "en" };
	const char		*r;
	FILE			*fp;
	size_t			 i;
	int			 l, id;

	for (i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		memset(&k, 0, sizeof(k));
		strcpy(k.id, ids[i]);
		strcpy(k.name, "Keluarga");
		strcpy(k.companion_id, "C001");
		assert_int_equal(store_kpm_put(f->st, &k), STORE_OK);
	}
	strcpy(dir, "/tmp/pilar-test-mo-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/catalog.ini", dir);
	assert_non_null(fp = fopen(path, "w"));
	for (l = 0; l < 2; l++) {
		fprintf(fp, "[%s]\n", langs[l]);
		for (id = 0; id < REPLY_COUNT; id++)
			fprintf(fp, "%s = %s\n", reply_name((enum reply_id)id),
			    id == REPLY_LABEL_RECORDED ? "OK {cat} [tercatat] "
			    "~~~~~~~" : reply_default_template(langs[l],
			    (enum reply_id)id));
	}
	fclose(fp);
	if (reply_catalog_load(path, 20, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	unlink(path);
	rmdir(dir);

	r = say(f, C1, "GRAD 12345 12346 12347 12348 12349 12350 12351 "
	    "12352", T0, "recorded_several");
	assert_string_equal(r, "OK SM [tercatat] ~~~~~~~: 8. Capaian 2026: "
	    "8/10");
	/* Undone and sent again as two ids: those fit by name. */
	say(f, C1, "BATAL G008", T0 + 1, "cancelled");
	say(f, C1, "BATAL G007", T0 + 2, "cancelled");
	r = say(f, C1, "GRAD 12351 12352", T0 + 3, "recorded_several");
	assert_string_equal(r, "OK SM [tercatat] ~~~~~~~: 12351 (G009), "
	    "12352 (G00A). Capaian 2026: 8/10");
}

/* Count the reminders a callback is shown. */
static int
count_remind(void *arg, const struct store_remind *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

/* The first reminder (there is one). */
static int
first_remind(void *arg, const struct store_remind *r)
{
	*(struct store_remind *)arg = *r;
	return 1;
}

/*
 * P2K2: a companion's session becomes a reminder to their KPM due the
 * day before at p2k2_eve (or at once), answered with how many families
 * it reaches (with a phone, not STOP'd); a redelivery adds none; a past
 * or unreadable one gets a precise reply.  T0 is 09:00 in Jakarta.
 */
static void
test_p2k2(void **state)
{
	struct fixture		*f = *state;
	struct store_kpm	 k;
	struct store_remind	 rem;
	struct remind_result	 res;
	const char		*r;
	const char		*phones[] = { "6281500000001", "6281500000002",
				    "6281500000003" };
	int			 i, n;

	for (i = 0; i < 3; i++) {
		assert_int_equal(store_kpm_get(f->st, i == 0 ? "12345" :
		    i == 1 ? "12346" : "12347", &k), STORE_OK);
		strcpy(k.phone, phones[i]);
		k.opted_out = i == 2;
		assert_int_equal(store_kpm_put(f->st, &k), STORE_OK);
	}
	r = say(f, C1, "P2K2 14/05 09:00 Balai Desa", T0, "p2k2_scheduled");
	assert_string_equal(r, "OK. P2K2 14/05 09:00 Balai Desa tercatat. "
	    "2 keluarga akan diingatkan 13/05.");
	r = say(f, C1, "P2K2 14/05 09:00 Balai Desa", T0 + 60,
	    "p2k2_scheduled");
	assert_true(last.redelivery);
	assert_contains(r, "2 keluarga akan diingatkan 13/05.");
	n = 0;
	assert_int_equal(store_remind_each(f->st, 0, 0, count_remind, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_remind_each(f->st, 0, 0, first_remind, &rem),
	    STORE_OK);
	assert_string_equal(rem.target_kind, "companion");
	assert_string_equal(rem.target, "C001");
	assert_string_equal(rem.origin, "C001");
	assert_string_equal(rem.at_local, "2026-05-13 16:00");
	assert_string_equal(rem.text, "Pengingat: pertemuan P2K2 14/05/2026 "
	    "pukul 09:00 di Balai Desa. Mohon hadir.");

	/* Nothing before 16:00 on 13 May in Jakarta (09:00 UTC). */
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(remind_run(f->st, &f->cfg, T0 + 86400, &res), 0);
	assert_int_equal(res.queued, 0);
	/* The earliest zone's eve: Jayapura's, where C001 has nobody. */
	assert_int_equal(res.next_due, T0 + 86400 + 5 * 3600);
	n = i = 0;
	do {
		assert_int_equal(remind_run(f->st, &f->cfg,
		    T0 + 86400 + 7 * 3600, &res), 0);
		n += res.queued;
		i += res.skipped;
	} while (res.more);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(n, 2);		/* 12347 said STOP */
	assert_int_equal(i, 3);

	/* The eve is past: at once; the session's time in any form. */
	r = say(f, C1, "p2k2 12-05-26 jam 20.00 WIB di masjid", T0,
	    "p2k2_scheduled");
	assert_string_equal(r, "OK. P2K2 12/05 20:00 masjid tercatat. "
	    "2 keluarga akan diingatkan 12/05.");
	r = say(f, C1, "P2K2 13/5 0800 Rumah Bu RT", T0, "p2k2_scheduled");
	assert_contains(r, "diingatkan 12/05.");

	/* Over, unreadable, or not a companion's. */
	r = say(f, C1, "P2K2 10/05 09:00 Balai Desa", T0, "past_date");
	assert_string_equal(r, "P2K2 10/05/2026 sudah lewat. Kirim jadwal "
	    "yang akan datang, contoh: P2K2 12/12 09:00 Balai Desa");
	r = say(f, C1, "P2K2 12/05 08:00 Balai Desa", T0, "past_date");
	r = say(f, C1, "P2K2 12/12", T0, "bad_format");
	assert_string_equal(r, "Format P2K2: P2K2 TGL JAM TEMPAT. Contoh: "
	    "P2K2 12/12 09:00 Balai Desa");
	r = say(f, C1, "P2K2", T0, "bad_format");
	r = say(f, C1, "P2K2 12/12 09:00", T0, "bad_format");
	r = say(f, C1, "P2K2 31/02 09:00 Balai Desa", T0, "bad_date");
	assert_contains(r, "Tanggal 31/02 tidak valid");
	r = say(f, C2, "P2K2 2027-01-05 10:00 Kantor Desa", T0,
	    "p2k2_scheduled");
	assert_string_equal(r, "OK. P2K2 05/01 10:00 Kantor Desa recorded. "
	    "1 families will be reminded on 04/01.");
	say(f, "081299999999", "P2K2 14/05 09:00 Balai Desa", T0, "stranger");
	n = 0;
	assert_int_equal(store_remind_each(f->st, 0, 0, count_remind, &n),
	    STORE_OK);
	assert_int_equal(n, 4);
}

/*
 * Word order: an id typed before GRAD or KUNJ is recorded as if after
 * it; two commands in one SMS get one reply naming both, and neither
 * is recorded, in both languages.
 */
static void
test_word_order(void **state)
{
	static const struct mo_case cases[] = {
		{ C1, "12345 GRAD", T0, "recorded",
		  "OK. Graduasi SM KPM 12345 tercatat (Ref G001). Capaian "
		  "2026: 1/10. Salah? BATAL G001", NULL, NULL },
		{ C1, "12346 grad al", T0 + 1, "recorded", NULL,
		  "Graduasi AL KPM 12346 tercatat (Ref G002)", NULL },
		{ C1, "12347 KUNK ibu sakit", T0 + 2, "recorded", NULL,
		  "Kunjungan KPM 12347 tgl 12/05/2026 tercatat (Ref K003)",
		  "keyword" },
		{ C1, "12345 GRAD 67890", T0 + 3, "bad_format",
		  "Format tidak dikenal. Contoh: GRAD 12345 atau KUNJ 12345. "
		  "Ketik BANTUAN.", NULL, NULL },
		{ C1, "GRAD 12348 KUNJ 12340", T0 + 4, "two_commands",
		  "Satu perintah per SMS: GRAD 12348 + KUNJ 12340 tidak "
		  "diproses, tidak ada yang dicatat. Kirim tiap perintah "
		  "dalam SMS terpisah.", NULL, NULL },
		{ C1, "GRAD 12348. STATUS", T0 + 5, "two_commands", NULL,
		  "GRAD 12348 + STATUS tidak diproses", NULL },
		{ C1, "KUNJ 12348 ibu sakit\nKUNJ 12340 rumah kosong", T0 + 6,
		  "two_commands", NULL, "KUNJ 12348 + KUNJ 12340", NULL },
		{ C2, "GRAD 22345 KUNJ 22345", T0 + 7, "two_commands",
		  "One command per SMS: GRAD 22345 + KUNJ 22345 not "
		  "processed, nothing was recorded. Send each command in an "
		  "SMS of its own.", NULL, NULL },
		{ C1, "KUNJ 12348 ibu sakit, status rumah rusak", T0 + 8,
		  "recorded", NULL, "Kunjungan KPM 12348", NULL },
	};
	struct fixture		*f = *state;
	struct store_record	 rec;
	int			 n;

	run_cases(f, cases, sizeof(cases) / sizeof(*cases));
	/* Two graduations and two visits, none from a double message. */
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_VISIT,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_record_count(f->st, "C002", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 0);
	/* The note of the last visit is whole: "status" is no command. */
	assert_int_equal(store_record_last(f->st, "C001", 0, &rec), STORE_OK);
	assert_string_equal(rec.note, "ibu sakit, status rumah rusak");
	assert_string_equal(last.command, "KUNJ");
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
		cmocka_unit_test_setup_teardown(test_typing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visit_dates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_last_year, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_redelivery_keeps_the_day,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_nik, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multi_counts_septets,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_p2k2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_word_order, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
