/*
 * test_reply.c: the reply texts and the catalog operators edit.
 *
 * The shipped conf/catalog repeats the compiled-in texts word for word;
 * every text of both languages, filled with the longest values, fits
 * one SMS; placeholders are filled in; and every way of getting a
 * catalog wrong is refused with FILE:LINE, leaving the texts in use
 * alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "codec.h"
#include "config.h"
#include "grammar.h"
#include "reply.h"

#define SMS_MAX		160
#define ERR_MAX		1024

static const char *const langs[] = { "id", "en" };

static char	tmpdir[64];
static char	catpath[128];

/* Where the writer put each line, for the expected FILE:LINE. */
struct layout {
	int	line[2][REPLY_COUNT];	/* 0: left out */
	int	first[2];		/* first message of each section */
	int	extra;			/* the extra line, 0 if none */
};

/* One change to the default catalog. */
struct edit {
	int		 lang;		/* 0 id, 1 en, -1 no change */
	enum reply_id	 id;
	const char	*text;		/* NULL: leave the message out */
	const char	*extra;		/* a line added to [id], or NULL */
};

static const char *
src_dir(void)
{
	return getenv("PILAR_SRC") != NULL ? getenv("PILAR_SRC") : SRC_DIR;
}

/*
 * Write the compiled-in texts as one catalog file with [id] and [en] at
 * path, with e applied, and say where every line went.
 */
static void
write_catalog(const char *path, const struct edit *e, struct layout *lay)
{
	FILE	*fp;
	int	 l, id, line = 0;

	memset(lay, 0, sizeof(*lay));
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "# a test catalog\n");
	line++;
	for (l = 0; l < 2; l++) {
		fprintf(fp, "[%s]\n", langs[l]);
		line++;
		for (id = 0; id < REPLY_COUNT; id++) {
			const char	*t = reply_default_template(langs[l],
					    (enum reply_id)id);

			if (e != NULL && e->lang == l && (int)e->id == id) {
				if (e->text == NULL)
					continue;
				t = e->text;
			}
			fprintf(fp, "%s = %s\n", reply_name((enum reply_id)id),
			    t);
			lay->line[l][id] = ++line;
			if (lay->first[l] == 0)
				lay->first[l] = line;
		}
		if (l == 0 && e != NULL && e->extra != NULL) {
			fprintf(fp, "%s\n", e->extra);
			lay->extra = ++line;
		}
	}
	fclose(fp);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/pilar-test-reply-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(catpath, sizeof(catpath), "%s/catalog.ini", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	char	p[192];

	(void)state;
	reply_catalog_load(NULL, GRAMMAR_ID_MAX, NULL, 0);
	unlink(catpath);
	snprintf(p, sizeof(p), "%s/cat/id.ini", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/cat/en.ini", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/cat", tmpdir);
	rmdir(p);
	rmdir(tmpdir);
	return 0;
}

/* Load the shipped catalog folder, or fail with its error. */
static void
load_shipped(int id_max_len)
{
	char	path[512], err[ERR_MAX];

	snprintf(path, sizeof(path), "%s/conf/catalog", src_dir());
	if (reply_catalog_load(path, id_max_len, err, sizeof(err)) == -1)
		fail_msg("%s", err);
}

/* conf/catalog says what the compiled-in tables say, no more, no less. */
static void
test_shipped_catalog_equals_defaults(void **state)
{
	int	l, id, j;

	(void)state;
	load_shipped(GRAMMAR_ID_MAX);
	for (l = 0; l < 2; l++)
		for (id = 0; id < REPLY_COUNT; id++) {
			enum reply_id	 r = (enum reply_id)id;
			const char	*got = reply_template(langs[l], r);
			const char	*want = reply_default_template(langs[l],
					    r);

			if (strcmp(got, want) != 0)
				fail_msg("%s in [%s] differs from reply.c:\n"
				    "catalog: %s\nreply.c: %s", reply_name(r),
				    langs[l], got, want);
			assert_true(got != want);	/* really loaded */
		}
	/* Names: snake_case, one per message. */
	for (id = 0; id < REPLY_COUNT; id++) {
		const char	*n = reply_name((enum reply_id)id);

		assert_true(n[0] != '\0');
		assert_int_equal(strspn(n, "abcdefghijklmnopqrstuvwxyz_"),
		    strlen(n));
		for (j = 0; j < id; j++)
			assert_string_not_equal(n,
			    reply_name((enum reply_id)j));
	}
	/* NULL goes back to the compiled-in texts. */
	assert_int_equal(reply_catalog_load(NULL, GRAMMAR_ID_MAX, NULL, 0), 0);
	assert_ptr_equal(reply_template("id", REPLY_GRAD_OK),
	    reply_default_template("id", REPLY_GRAD_OK));
}

/* pilar.conf names the shipped catalog relative to its own folder. */
static void
test_shipped_config_names_catalog(void **state)
{
	struct config	cfg;
	char		path[512], want[512], err[ERR_MAX];

	(void)state;
	snprintf(path, sizeof(path), "%s/conf/pilar.conf", src_dir());
	snprintf(want, sizeof(want), "%s/conf/catalog", src_dir());
	if (config_load(path, &cfg, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_string_equal(cfg.program_catalog, want);
	if (reply_catalog_load(cfg.program_catalog, cfg.program_id_max_len,
	    err, sizeof(err)) == -1)
		fail_msg("%s", err);
	config_defaults(&cfg);
	assert_string_equal(cfg.program_catalog, "");
}

/*
 * Every message of both languages, at the longest values, in one SMS:
 * checked here by rendering, apart from the catalog's own check.  The
 * summary of several ids is checked in the form mo.c falls back to,
 * the labels with their counts; bad_nik with each part of a NIK.
 */
static void
check_worst_case_fits(void)
{
	static const enum reply_id labels[] = {
		REPLY_LABEL_RECORDED, REPLY_LABEL_DUP, REPLY_LABEL_REJECTED
	};
	struct reply_vars	v, lv;
	char			kpm[GRAMMAR_ID_MAX + 1];
	char			token[GRAMMAR_TOKEN_MAX + 1];
	char			label[3][256], list[1024], out[2048];
	int			l, id, k, n, shape;

	memset(kpm, '9', GRAMMAR_ID_MAX);
	kpm[GRAMMAR_ID_MAX] = '\0';
	memset(token, 'W', GRAMMAR_TOKEN_MAX);
	token[GRAMMAR_TOKEN_MAX] = '\0';
	memset(&v, 0, sizeof(v));
	v.kpm = kpm;
	v.ref = "G4M8G4M8";
	v.cat = "SM";
	v.date = "31/12/2026";
	v.token = token;
	v.list = "";
	v.year = 2026;
	v.count = 99999;
	v.target = 10000;
	v.visits = 99999;
	memset(&lv, 0, sizeof(lv));
	lv.cat = "PK";
	for (l = 0; l < 2; l++) {
		for (k = 0; k < 3; k++)
			assert_true(reply_render(langs[l], labels[k], &lv,
			    label[k], sizeof(label[k])) > 0);
		for (id = 0; id < REPLY_COUNT; id++)
			for (shape = 0; shape < 4; shape++) {
				if (id != REPLY_GRAD_MULTI && shape > 0)
					break;
				if (id == REPLY_GRAD_MULTI && shape == 0)
					snprintf(list, sizeof(list),
					    "%s: 8; %s: 1; %s: 1", label[0],
					    label[1], label[2]);
				else if (id == REPLY_GRAD_MULTI)
					snprintf(list, sizeof(list), "%s: 10",
					    label[shape - 1]);
				v.list = list;
				assert_true(reply_render(langs[l],
				    (enum reply_id)id, &v, out,
				    sizeof(out)) > 0);
				n = codec_gsm7_length(out);
				if (n < 0 || n > SMS_MAX)
					fail_msg("%s [%s] needs %d septets: %s",
					    reply_name((enum reply_id)id),
					    langs[l], n, out);
			}
		for (id = REPLY_NIK_PROVINCE; id <= REPLY_NIK_SERIAL; id++) {
			assert_true(reply_render(langs[l], (enum reply_id)id,
			    &lv, label[0], sizeof(label[0])) > 0);
			v.token = label[0];
			assert_true(reply_render(langs[l], REPLY_BAD_NIK, &v,
			    out, sizeof(out)) > 0);
			n = codec_gsm7_length(out);
			if (n < 0 || n > SMS_MAX)
				fail_msg("bad_nik [%s] with %s needs %d "
				    "septets: %s", langs[l],
				    reply_name((enum reply_id)id), n, out);
		}
		v.token = token;
	}
}

static void
test_worst_case_fits_one_sms(void **state)
{
	(void)state;
	check_worst_case_fits();	/* compiled in */
	load_shipped(GRAMMAR_ID_MAX);
	check_worst_case_fits();
}

/* Placeholders are filled in, in either language, from any catalog. */
static void
test_placeholders(void **state)
{
	struct reply_vars	v;
	struct edit		e;
	struct layout		lay;
	char			out[256], err[ERR_MAX];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.kpm = "12345";
	v.ref = "G4M8";
	v.cat = "SM";
	v.date = "12/05/2026";
	v.year = 2026;
	v.count = 4;
	v.target = 10;
	v.visits = 7;
	/* domain.md's examples, word for word. */
	assert_true(reply_render("id", REPLY_GRAD_OK, &v, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "OK. Graduasi SM KPM 12345 tercatat (Ref "
	    "G4M8). Capaian 2026: 4/10. Salah? BATAL G4M8");
	assert_true(reply_render("id", REPLY_GRAD_DUP, &v, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "KPM 12345 sudah tercatat graduasi "
	    "12/05/2026 (Ref G4M8). Tidak dihitung ulang. Capaian 2026: 4/10");
	/* Any other language is Bahasa Indonesia. */
	assert_true(reply_render("fr", REPLY_NOT_THEIRS, &v, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "KPM 12345 bukan dampingan Anda. Periksa "
	    "ID atau hubungi koordinator.");
	assert_true(reply_render("en", REPLY_STATUS, &v, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "Progress 2026: 4/10 graduations, 7 visits. "
	    "Report: GRAD <ID> or KUNJ <ID>");
	/* Too small a buffer: cut, NUL terminated, -1. */
	assert_int_equal(reply_render("id", REPLY_GRAD_OK, &v, out, 10), -1);
	assert_int_equal(strlen(out), 9);

	/* A catalog's own wording, with every placeholder of grad_dup. */
	e.lang = 1;
	e.id = REPLY_GRAD_DUP;
	e.text = "{kpm}/{ref}/{cat}/{date}/{year}/{count}/{target}/{visits}"
	    " ^ \xe2\x82\xac \xc3\xa9";
	e.extra = NULL;
	write_catalog(catpath, &e, &lay);
	if (reply_catalog_load(catpath, 20, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_true(reply_render("en", REPLY_GRAD_DUP, &v, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "12345/G4M8/SM/12/05/2026/2026/4/10/7"
	    " ^ \xe2\x82\xac \xc3\xa9");
	assert_true(reply_render("id", REPLY_GRAD_DUP, &v, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "KPM 12345 sudah tercatat graduasi "
	    "12/05/2026 (Ref G4M8). Tidak dihitung ulang. Capaian 2026: 4/10");
	v.token = "GRAD";
	assert_true(reply_render("id", REPLY_DID_YOU_MEAN, &v, out,
	    sizeof(out)) > 0);
	assert_non_null(strstr(out, "Maksud Anda GRAD?"));
	/* bad_nik reads well with each part, in both languages. */
	v.token = "kode provinsi (angka 1-2)";
	assert_true(reply_render("id", REPLY_BAD_NIK, &v, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "NIK tidak valid: kode provinsi (angka 1-2) "
	    "salah. NIK 16 angka sesuai KTP/KK, periksa lagi.");
	assert_true(reply_render("en", REPLY_NIK_DAY, &v, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "birth day (digits 7-8, women +40)");
}

/* A folder holds id.ini and en.ini; each may be checked on its own. */
static void
test_folder_layout(void **state)
{
	char		dir[128], path[192], err[ERR_MAX], want[256];
	FILE		*fp;
	int		l, id;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/cat", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/id.ini", dir);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "[id]\n");
	for (id = 0; id < REPLY_COUNT; id++)
		fprintf(fp, "%s = %s\n", reply_name((enum reply_id)id),
		    id == REPLY_HELP ? "Bantuan dari folder" :
		    reply_default_template("id", (enum reply_id)id));
	fclose(fp);

	/* en.ini missing: refused, nothing changes. */
	assert_int_equal(reply_catalog_load(dir, 20, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/en.ini: ", dir);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got \"%s\"", err);
	assert_string_equal(reply_template("id", REPLY_HELP),
	    reply_default_template("id", REPLY_HELP));

	snprintf(path, sizeof(path), "%s/en.ini", dir);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "\xef\xbb\xbf# with a byte order mark\r\n[en]\r\n");
	for (id = 0; id < REPLY_COUNT; id++)
		fprintf(fp, "%s = \"%s\"\r\n", reply_name((enum reply_id)id),
		    reply_default_template("en", (enum reply_id)id));
	fclose(fp);
	if (reply_catalog_load(dir, 20, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_string_equal(reply_template("id", REPLY_HELP),
	    "Bantuan dari folder");
	for (l = 0; l < 2; l++)
		assert_string_equal(reply_template(langs[l], REPLY_STOP),
		    reply_default_template(langs[l], REPLY_STOP));
}

/* Each broken catalog and the error it must give. */
static void
test_refusals_name_file_and_line(void **state)
{
	enum at { AT_MSG, AT_FIRST, AT_EXTRA, AT_FILE };
	static const struct {
		struct edit	 e;
		int		 id_max_len;
		enum at		 at;	/* which line the error names */
		enum reply_id	 at_id;	/* AT_MSG: this message's line */
		const char	*what;
	} cases[] = {
		{ { -1, 0, NULL, "grad_okk = OK" }, 20, AT_EXTRA, 0,
		  "unknown message 'grad_okk'" },
		{ { -1, 0, NULL, "stop = lagi" }, 20, AT_EXTRA, 0,
		  "stop given twice in [id], first at line " },
		{ { 1, REPLY_BAD_NIK, NULL, NULL }, 20, AT_FIRST, 0,
		  "[en] lacks message 'bad_nik'" },
		{ { 0, REPLY_STATUS, "Capaian {yaer}", NULL }, 20, AT_MSG,
		  REPLY_STATUS, "status: unknown placeholder {yaer}" },
		{ { 1, REPLY_STRANGER, "Hello {kpm}", NULL }, 20, AT_MSG,
		  REPLY_STRANGER, "placeholder {kpm} is not filled in" },
		{ { 0, REPLY_GRAD_DUP_OTHER, "KPM {kpm} Ref {ref}", NULL }, 20,
		  AT_MSG, REPLY_GRAD_DUP_OTHER, "placeholder {ref}" },
		{ { 0, REPLY_HELP, "Ketik {BANTUAN}", NULL }, 20, AT_MSG,
		  REPLY_HELP, "'{' opens no placeholder" },
		{ { 0, REPLY_HELP, "Ketik {kpm", NULL }, 20, AT_MSG,
		  REPLY_HELP, "'{' opens no placeholder" },
		{ { 0, REPLY_HELP, "Ketik } BANTUAN", NULL }, 20, AT_MSG,
		  REPLY_HELP, "'}' closes no placeholder" },
		{ { 1, REPLY_HELP, "Don\xe2\x80\x99t", NULL }, 20, AT_MSG,
		  REPLY_HELP, "(U+2019) is not in the GSM 03.38 alphabet" },
		{ { 1, REPLY_HELP, "Ketik\tBANTUAN", NULL }, 20, AT_MSG,
		  REPLY_HELP, "control character U+0009" },
		{ { 1, REPLY_HELP, "Ketik \xff", NULL }, 20, AT_MSG,
		  REPLY_HELP, "not valid UTF-8" },
		{ { 0, REPLY_HELP, "", NULL }, 20, AT_MSG, REPLY_HELP,
		  "help: empty text" },
		/* 81 extension characters are 162 septets. */
		{ { 1, REPLY_STOP, "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"
		    "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^", NULL }, 20,
		  AT_MSG, REPLY_STOP, "stop: 162 GSM-7 characters, one SMS "
		  "holds 160: shorten it by 2" },
		/* 137 septets and an id: 157 with 20 digits, 169 with 32. */
		{ { 0, REPLY_NOT_THEIRS, "KPM {kpm} xxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL },
		  32,
		  AT_MSG, REPLY_NOT_THEIRS, "(ids of 32 digits), one SMS holds "
		  "160: shorten it by 9" },
		/* A long label makes the counted summary too long. */
		{ { 1, REPLY_LABEL_DUP, "already recorded before, not counted "
		    "again, nothing to do, check STATUS for your totals",
		    NULL }, 20, AT_MSG, REPLY_GRAD_MULTI, "{list} made of the label_* "
		  "texts" },
		{ { -1, 0, NULL, "grad_ok is fine" }, 20, AT_EXTRA, 0,
		  "expected '=' after key" },
		/* bad_nik's {token} is a nik_* text: a long one is refused. */
		{ { 0, REPLY_NIK_SERIAL, "nomor urut, yaitu empat angka "
		    "terakhir dari NIK (angka ke-13 sampai ke-16), yang tidak "
		    "boleh 0000 menurut aturan Dukcapil", NULL }, 20, AT_MSG,
		  REPLY_BAD_NIK, "bad_nik: up to 187 GSM-7 characters once "
		  "filled in ({token} the longest nik_* text)" },
		{ { 1, REPLY_NIK_DAY, "{kpm}", NULL }, 20, AT_MSG,
		  REPLY_NIK_DAY, "placeholder {kpm} is not filled in" },
		/* USSD screens hold 182 characters, not 160. */
		{ { 0, REPLY_USSD_MENU, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL }, 20, AT_MSG,
		  REPLY_USSD_MENU, "ussd_menu: 183 GSM-7 characters, one "
		  "USSD screen holds 182: shorten it by 1" },
		{ { 1, REPLY_USSD_GRAD_CAT, "KPM {kpm} Ref {ref}", NULL }, 20,
		  AT_MSG, REPLY_USSD_GRAD_CAT, "placeholder {ref} is not "
		  "filled in" },
		/* 154 characters and a 32-digit id: 186. */
		{ { 0, REPLY_USSD_GRAD_CONFIRM, "KPM {kpm} yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		    "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		    "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", NULL }, 32,
		  AT_MSG, REPLY_USSD_GRAD_CONFIRM, "(ids of 32 digits), one "
		  "USSD screen holds 182: shorten it by 4" },
	};
	struct layout	lay;
	struct edit	ok;
	char		err[ERR_MAX], prefix[256];
	size_t		i;
	int		line, l;

	(void)state;
	/* A catalog in use that every refusal must leave alone. */
	ok.lang = 0;
	ok.id = REPLY_STRANGER;
	ok.text = "Nomor asing.";
	ok.extra = NULL;
	write_catalog(catpath, &ok, &lay);
	if (reply_catalog_load(catpath, 20, err, sizeof(err)) == -1)
		fail_msg("%s", err);

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		write_catalog(catpath, &cases[i].e, &lay);
		l = cases[i].e.lang;
		line = cases[i].at == AT_MSG ? lay.line[l][cases[i].at_id] :
		    cases[i].at == AT_FIRST ? lay.first[l] :
		    cases[i].at == AT_EXTRA ? lay.extra : 0;
		if (reply_catalog_load(catpath, cases[i].id_max_len, err,
		    sizeof(err)) != -1)
			fail_msg("case %zu loaded", i);
		if (line > 0)
			snprintf(prefix, sizeof(prefix), "%s:%d: ", catpath,
			    line);
		else
			snprintf(prefix, sizeof(prefix), "%s: ", catpath);
		if (strncmp(err, prefix, strlen(prefix)) != 0 ||
		    strstr(err, cases[i].what) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s...%s\"", i,
			    err, prefix, cases[i].what);
		assert_string_equal(reply_template("id", REPLY_STRANGER),
		    "Nomor asing.");
	}
}

/* An [fr] section is refused at its first line, naming the language. */
static void
test_sections(void **state)
{
	FILE	*fp;
	char	 err[ERR_MAX], want[256];
	int	 id;

	(void)state;
	assert_non_null(fp = fopen(catpath, "w"));
	fprintf(fp, "[fr]\n\ngrad_ok = Bonjour\n");
	fclose(fp);
	assert_int_equal(reply_catalog_load(catpath, 20, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s:3: unknown language [fr]", catpath);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got \"%s\"", err);

	/* Only [id]: no line to name, the file and the section. */
	assert_non_null(fp = fopen(catpath, "w"));
	fprintf(fp, "[ID]\n");
	for (id = 0; id < REPLY_COUNT; id++)
		fprintf(fp, "%s = %s\n", reply_name((enum reply_id)id),
		    reply_default_template("id", (enum reply_id)id));
	fclose(fp);
	assert_int_equal(reply_catalog_load(catpath, 20, err, sizeof(err)),
	    -1);
	snprintf(want, sizeof(want), "%s: no [en] section", catpath);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got \"%s\"", err);

	assert_int_equal(reply_catalog_load("/nonexistent/catalog", 20, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/catalog: "));
}

/* A text that fits with ids of 20 digits may not with 32. */
static void
test_fit_follows_id_length(void **state)
{
	struct edit	e;
	struct layout	lay;
	char		text[200], err[ERR_MAX];

	(void)state;
	/* "KPM " + 20 digits + 136 'x' = 160 septets. */
	memset(text, 'x', sizeof(text));
	memcpy(text, "KPM {kpm} ", 10);
	text[10 + 135] = '\0';
	e.lang = 1;
	e.id = REPLY_UNKNOWN_KPM;
	e.text = text;
	e.extra = NULL;
	write_catalog(catpath, &e, &lay);
	if (reply_catalog_load(catpath, 20, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_int_equal(reply_catalog_load(catpath, 21, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "shorten it by 1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_shipped_catalog_equals_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shipped_config_names_catalog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worst_case_fits_one_sms,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_placeholders, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_folder_layout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_refusals_name_file_and_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sections, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fit_follows_id_length,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
