/*
 * test_grammar.c: what companions really type, and what it must mean.
 *
 * A table of messages with the expected result, each parsed from an
 * exact-size heap copy without a terminating NUL so that AddressSanitizer
 * catches any read past len; then hostile input: huge messages, NUL
 * bytes, invalid UTF-8, and a seeded stream of random bytes checked
 * against the invariants of struct grammar_result (grammar_fixture.c).
 * The order of words, the id first or two commands in one SMS, is
 * tested in test_grammar_order.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "grammar_fixture.h"

#define G	GRAMMAR_CMD_GRAD
#define K	GRAMMAR_CMD_KUNJ
#define S	GRAMMAR_CMD_STATUS
#define B	GRAMMAR_CMD_BATAL
#define H	GRAMMAR_CMD_BANTUAN
#define STP	GRAMMAR_CMD_STOP
#define M	GRAMMAR_CMD_MULAI

struct gcase {
	const char		*msg;
	enum grammar_cmd	 cmd;
	enum grammar_error	 err;
	const char		*ids;	/* space separated; NULL: none */
	enum grammar_category	 cat;
	int			 given;
	const char		*ref;
	const char		*note;
	const char		*token;
	int			 min, max;	/* id lengths; 0: defaults */
};

static const struct gcase cases[] = {
	/* GRAD as designed, and as typed on basic phones. */
	{ .msg = "GRAD 12345", .cmd = G, .ids = "12345" },
	{ .msg = "grad 12345", .cmd = G, .ids = "12345" },
	{ .msg = "Grad 12345 sm", .cmd = G, .ids = "12345", .given = 1 },
	{ .msg = "GRAD 12345 AL", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_AL, .given = 1 },
	{ .msg = "gRaD 12345 pk", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_PK, .given = 1 },
	{ .msg = "  GRAD   12345  ", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD\n12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD\r\n12345\r\n", .cmd = G, .ids = "12345" },
	{ .msg = "\tGRAD\t\t12345\tAL\t", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_AL, .given = 1 },
	{ .msg = "GRAD12345", .cmd = G, .ids = "12345" },
	{ .msg = "grad12345al", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_AL, .given = 1 },
	{ .msg = "GRAD 12345PK", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_PK, .given = 1 },
	{ .msg = "GRAD#12345", .cmd = G, .ids = "12345" },
	{ .msg = "grad.12345.sm", .cmd = G, .ids = "12345", .given = 1 },
	{ .msg = "GRAD:12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD*12345#", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD;12345;AL;", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_AL, .given = 1 },
	{ .msg = "GRAD-12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD=12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 12345.", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 12345!", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 12345?!", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 12345 ok", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 12345 OK pak", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 12345 sm, terima kasih", .cmd = G, .ids = "12345",
	    .given = 1 },
	{ .msg = "GRAD 12345 Makasih bu", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 123 456", .cmd = G, .ids = "123 456" },
	{ .msg = "GRAD 123,456", .cmd = G, .ids = "123 456" },
	{ .msg = "GRAD 123, 456, 789 PK", .cmd = G, .ids = "123 456 789",
	    .cat = GRAMMAR_CAT_PK, .given = 1 },
	{ .msg = "GRAD 123 SM 456", .cmd = G, .ids = "123 456",
	    .given = 1 },
	{ .msg = "GRAD <12345>", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD (12345)", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD [12345] [AL]", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_AL, .given = 1 },
	{ .msg = "GRAD (spasi) 12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD spasi 12345 spasi SM", .cmd = G, .ids = "12345",
	    .given = 1 },
	{ .msg = "GRAD (spasi) 12345 (spasi) AL", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_AL, .given = 1 },
	{ .msg = "GRAD 12345 kategori PK", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_PK, .given = 1 },
	{ .msg = "GRAD 12345 ok 678", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD KPM 12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD no. 12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRADUASI 12345 AL", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_AL, .given = 1 },
	{ .msg = "Lulus 12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRD 12345", .cmd = G, .ids = "12345" },
	{ .msg = "graduasi12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD SM 12345", .cmd = G, .ids = "12345", .given = 1 },
	{ .msg = "GRADE 12345", .cmd = G, .ids = "12345" },
	{ .msg = "GARD 12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 12345 alamiah", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_AL, .given = 1 },
	{ .msg = "GRAD 12345 PAKSA", .cmd = G, .ids = "12345",
	    .cat = GRAMMAR_CAT_PK, .given = 1 },
	{ .msg = "GRAD 12345 sejahtera mandiri", .cmd = G, .ids = "12345",
	    .given = 1 },
	/* A free word after the ids ends the command: "2" is no id. */
	{ .msg = "GRAD 12345 sudah mandiri 2 anak", .cmd = G,
	    .ids = "12345" },
	{ .msg = "GRAD 12345 sm sm", .cmd = G, .ids = "12345", .given = 1 },
	{ .msg = "GRAD 012345", .cmd = G, .ids = "012345" },
	{ .msg = "GRAD 12345 \xf0\x9f\x91\x8d", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 12345 SM \xf0\x9f\x91\x8d AL", .cmd = G,
	    .ids = "12345", .given = 1 },
	{ .msg = "GRAD \xe2\x80\x9c" "12345\xe2\x80\x9d", .cmd = G,
	    .ids = "12345" },
	{ .msg = "GRAD\xc2\xa0" "12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD\xe2\x80\x8b" "12345\xe2\x80\x8d", .cmd = G,
	    .ids = "12345" },
	{ .msg = "\xef\xbb\xbfGRAD 12345", .cmd = G, .ids = "12345" },
	{ .msg = "GRAD 317101000000001", .cmd = G,
	    .ids = "317101000000001", .min = 15, .max = 15 },
	{ .msg = "GRAD 317101000000001 317101000000002", .cmd = G,
	    .ids = "317101000000001 317101000000002", .min = 15, .max = 15 },

	/* GRAD that must get a precise reply. */
	{ .msg = "GRAD", .cmd = G, .err = GRAMMAR_E_NO_ID },
	{ .msg = "GRAD SM", .cmd = G, .err = GRAMMAR_E_NO_ID },
	{ .msg = "GRAD ok", .cmd = G, .err = GRAMMAR_E_NO_ID },
	{ .msg = "GRAD?", .cmd = G, .err = GRAMMAR_E_NO_ID },
	{ .msg = "GRAD budi santoso", .cmd = G, .err = GRAMMAR_E_NO_ID },
	{ .msg = "GRAD 12345 SN", .cmd = G, .err = GRAMMAR_E_CATEGORY,
	    .token = "SN" },
	{ .msg = "GRAD 12345 xx", .cmd = G, .err = GRAMMAR_E_CATEGORY,
	    .token = "xx" },
	{ .msg = "GRAD 12345 ALM", .cmd = G, .err = GRAMMAR_E_CATEGORY,
	    .token = "ALM" },
	{ .msg = "GRAD 12345 S", .cmd = G, .err = GRAMMAR_E_CATEGORY,
	    .token = "S" },
	{ .msg = "GRAD XY 12345", .cmd = G, .err = GRAMMAR_E_CATEGORY,
	    .token = "XY" },
	{ .msg = "GRAD 12345 SM AL", .cmd = G, .err = GRAMMAR_E_CATEGORY,
	    .token = "AL" },
	{ .msg = "GRAD 12a45", .cmd = G, .err = GRAMMAR_E_BAD_ID,
	    .token = "12a45" },
	/* O for 0 and l, I for 1 inside digits; any other letter is bad. */
	{ .msg = "GRAD 12O45", .cmd = G, .ids = "12045" },
	{ .msg = "GRAD 12Q45", .cmd = G, .err = GRAMMAR_E_BAD_ID,
	    .token = "12Q45" },
	{ .msg = "GRAD 12-345", .cmd = G, .err = GRAMMAR_E_BAD_ID,
	    .token = "12-345" },
	{ .msg = "GRAD 12345/SM", .cmd = G, .ids = "12345", .given = 1 },
	{ .msg = "GRAD 12345/XY", .cmd = G, .err = GRAMMAR_E_BAD_ID,
	    .token = "12345/XY" },
	{ .msg = "GRAD 1 2 3 4 5 6 7 8 9 10 11", .cmd = G,
	    .err = GRAMMAR_E_BAD_ID, .token = "11" },
	{ .msg = "GRAD 123456789012345678901", .cmd = G,
	    .err = GRAMMAR_E_BAD_ID, .token = "123456789012345678901" },
	{ .msg = "GRAD 1234", .cmd = G, .err = GRAMMAR_E_BAD_ID,
	    .token = "1234", .min = 5, .max = 15 },
	{ .msg = "GRAD 12345 2026", .cmd = G, .err = GRAMMAR_E_BAD_ID,
	    .token = "2026", .min = 5, .max = 15 },
	/* 16 digits are a NIK, checked (day 78) and never echoed whole. */
	{ .msg = "GRAD 1234567890123456", .cmd = G, .err = GRAMMAR_E_BAD_NIK,
	    .token = "1234********3456", .min = 5, .max = 15 },
	{ .msg = "GRAD 12345 1\xc2\xb2", .cmd = G, .err = GRAMMAR_E_BAD_ID,
	    .token = "1?" },

	/* KUNJ: one id, then the note as typed. */
	{ .msg = "KUNJ 12345", .cmd = K, .ids = "12345" },
	{ .msg = "KUNJ 12345 rumah kosong, ibu ke pasar", .cmd = K,
	    .ids = "12345", .note = "rumah kosong, ibu ke pasar" },
	{ .msg = "kunj 12345 12/05 posyandu", .cmd = K, .ids = "12345",
	    .note = "12/05 posyandu" },
	{ .msg = "KJ 12345. Anak demam, sudah ke puskesmas.", .cmd = K,
	    .ids = "12345", .note = "Anak demam, sudah ke puskesmas." },
	{ .msg = "KUNJUNGAN 12345 123 456", .cmd = K, .ids = "12345",
	    .note = "123 456" },
	{ .msg = "VISIT 12345 ok", .cmd = K, .ids = "12345", .note = "ok" },
	{ .msg = "KUNJ12345 hadir", .cmd = K, .ids = "12345",
	    .note = "hadir" },
	{ .msg = "KUNJ 12345\r\nbaris dua\r\n", .cmd = K, .ids = "12345",
	    .note = "baris dua" },
	{ .msg = "KUNJ 12345   banyak    spasi  ", .cmd = K,
	    .ids = "12345", .note = "banyak spasi" },
	{ .msg = "KUNJ KPM 12345 ibu hamil 7 bulan", .cmd = K,
	    .ids = "12345", .note = "ibu hamil 7 bulan" },
	{ .msg = "KUNJ <12345> (ibu sakit)", .cmd = K, .ids = "12345",
	    .note = "(ibu sakit)" },
	{ .msg = "KUNJ 12345 - kemarin", .cmd = K, .ids = "12345",
	    .note = "kemarin" },
	{ .msg = "KUNJ 12345: hari ini", .cmd = K, .ids = "12345",
	    .note = "hari ini" },
	{ .msg = "KUNJ 12345 Ibu bilang \xe2\x80\x9cmakasih\xe2\x80\x9d "
	    "\xf0\x9f\x98\x8a", .cmd = K, .ids = "12345",
	    .note = "Ibu bilang \xe2\x80\x9cmakasih\xe2\x80\x9d "
	    "\xf0\x9f\x98\x8a" },
	{ .msg = "KUNJ 12345 anak\xe2\x80\x8b\xe2\x80\x8bsekolah", .cmd = K,
	    .ids = "12345", .note = "anak sekolah" },
	{ .msg = "KUNJ", .cmd = K, .err = GRAMMAR_E_NO_ID },
	{ .msg = "KUNJ rumah 12345", .cmd = K, .err = GRAMMAR_E_NO_ID },
	{ .msg = "KUNJ 12a45 catatan", .cmd = K, .err = GRAMMAR_E_BAD_ID,
	    .token = "12a45" },
	{ .msg = "KUNJ 12/05 12345", .cmd = K, .ids = "12345" },
	{ .msg = "KUNJ 12/13 12345", .cmd = K, .err = GRAMMAR_E_BAD_DATE,
	    .token = "12/13" },

	/* STATUS, BANTUAN, STOP, MULAI: the rest of the message is chat. */
	{ .msg = "STATUS", .cmd = S },
	{ .msg = "cek", .cmd = S },
	{ .msg = "Info", .cmd = S },
	{ .msg = "SKOR", .cmd = S },
	{ .msg = "status 2026 pak", .cmd = S },
	{ .msg = "STATUS?", .cmd = S },
	{ .msg = "BANTUAN", .cmd = H },
	{ .msg = "help", .cmd = H },
	{ .msg = "?", .cmd = H },
	{ .msg = "???", .cmd = H },
	{ .msg = " ? ", .cmd = H },
	{ .msg = "format", .cmd = H },
	{ .msg = "HELP?", .cmd = H },
	{ .msg = "STOP", .cmd = STP },
	{ .msg = "berhenti", .cmd = STP },
	{ .msg = "UNREG", .cmd = STP },
	{ .msg = "stop sms", .cmd = STP },
	{ .msg = "MULAI", .cmd = M },
	{ .msg = "start", .cmd = M },

	/* BATAL, with and without a reference. */
	{ .msg = "BATAL", .cmd = B },
	{ .msg = "BATAL G004", .cmd = B, .ref = "G004" },
	{ .msg = "batal g4m8", .cmd = B, .ref = "G4M8" },
	{ .msg = "BATAL GOO4", .cmd = B, .ref = "G004" },
	{ .msg = "BATAL K0lZ", .cmd = B, .ref = "K01Z" },
	{ .msg = "BATAL KOIZ", .cmd = B, .ref = "K01Z" },
	{ .msg = "HAPUS G004", .cmd = B, .ref = "G004" },
	{ .msg = "undo g004.", .cmd = B, .ref = "G004" },
	{ .msg = "BATAL #G004", .cmd = B, .ref = "G004" },
	{ .msg = "BATAL ref G004", .cmd = B, .ref = "G004" },
	{ .msg = "BATAL (G4M8)", .cmd = B, .ref = "G4M8" },
	{ .msg = "BATAL G004 salah ketik", .cmd = B, .ref = "G004" },
	{ .msg = "BATAL yang terakhir", .cmd = B },
	{ .msg = "BATAL \xf0\x9f\x99\x8f", .cmd = B },
	{ .msg = "BATAL G", .cmd = B, .err = GRAMMAR_E_BAD_REF,
	    .token = "G" },
	{ .msg = "BATAL G0123456789", .cmd = B, .err = GRAMMAR_E_BAD_REF,
	    .token = "G0123456789" },
	{ .msg = "BATAL G-004", .cmd = B, .err = GRAMMAR_E_BAD_REF,
	    .token = "G-004" },
	{ .msg = "BATAL GU04", .cmd = B, .err = GRAMMAR_E_BAD_REF,
	    .token = "GU04" },
	{ .msg = "BATAL G\xc3\x98" "04", .cmd = B, .err = GRAMMAR_E_BAD_REF,
	    .token = "G?04" },

	/* Nothing we know. */
	{ .msg = "", .err = GRAMMAR_E_EMPTY },
	{ .msg = "   ", .err = GRAMMAR_E_EMPTY },
	{ .msg = " \t\r\n#.*,:;=<>()[]{}\"'`", .err = GRAMMAR_E_EMPTY },
	{ .msg = "!!!", .err = GRAMMAR_E_EMPTY },
	{ .msg = "\xe2\x80\x8b\xc2\xa0\xef\xbb\xbf", .err = GRAMMAR_E_EMPTY },
	{ .msg = "HALO", .err = GRAMMAR_E_KEYWORD, .token = "HALO" },
	{ .msg = "Selamat pagi pak", .err = GRAMMAR_E_KEYWORD,
	    .token = "Selamat" },
	{ .msg = "GRAMMAR 12345", .err = GRAMMAR_E_KEYWORD,
	    .token = "GRAMMAR" },
	{ .msg = "12345", .err = GRAMMAR_E_KEYWORD, .token = "12345" },
	/* GRAD glued to its category, but no id: the GRAD example. */
	{ .msg = "GRADSM", .cmd = G, .err = GRAMMAR_E_NO_ID },
	{ .msg = "BATALG004", .err = GRAMMAR_E_KEYWORD,
	    .token = "BATALG004" },
	{ .msg = "\xf0\x9f\x98\x80 GRAD 12345", .err = GRAMMAR_E_KEYWORD,
	    .token = "?" },
	{ .msg = "Gr\xc3\xa4" "d 12345", .err = GRAMMAR_E_KEYWORD,
	    .token = "Gr?d" },
};

/* Join the ids with single spaces, as the table writes them. */
static void
join_ids(const struct grammar_result *r, char *buf, size_t bufsz)
{
	size_t	o = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < r->n_ids; i++)
		o += (size_t)snprintf(buf + o, bufsz - o, "%s%s",
		    i > 0 ? " " : "", r->ids[i]);
}

static int	nfailed;

static void
check_case(const struct gcase *c)
{
	struct grammar_options	o;
	struct grammar_result	r;
	char			ids[512];
	int			rc;

	grammar_options_default(&o);
	if (c->min > 0)
		o.id_min_len = c->min;
	if (c->max > 0)
		o.id_max_len = c->max;
	rc = parse_exact(c->msg, strlen(c->msg), &o, &r);
	join_ids(&r, ids, sizeof(ids));

	if (rc != (c->err == GRAMMAR_OK ? 0 : -1) || r.error != c->err ||
	    r.cmd != c->cmd || strcmp(ids, c->ids ? c->ids : "") != 0 ||
	    r.category != c->cat || r.category_given != c->given ||
	    strcmp(r.ref, c->ref ? c->ref : "") != 0 ||
	    strcmp(r.note, c->note ? c->note : "") != 0 ||
	    strcmp(r.token, c->token ? c->token : "") != 0) {
		nfailed++;
		print_error("\"%s\": rc %d error %d cmd %s ids \"%s\" cat %s "
		    "given %d ref \"%s\" note \"%s\" token \"%s\"\n", c->msg,
		    rc, r.error, grammar_cmd_name(r.cmd), ids,
		    grammar_category_name(r.category), r.category_given,
		    r.ref, r.note, r.token);
	}
}

static void
test_table(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
	print_message("%zu messages\n", sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(nfailed, 0);
}

/* NULL options mean the defaults, 1 to 20 digits. */
static void
test_defaults(void **state)
{
	struct grammar_options	o;
	struct grammar_result	r;

	(void)state;
	grammar_options_default(&o);
	assert_int_equal(o.id_min_len, 1);
	assert_int_equal(o.id_max_len, 20);
	assert_int_equal(grammar_parse("GRAD 1", 6, NULL, &r), 0);
	assert_string_equal(r.ids[0], "1");
	assert_int_equal(grammar_parse("GRAD 12345678901234567890", 25,
	    NULL, &r), 0);
	assert_int_equal(grammar_parse("GRAD 123456789012345678901", 26,
	    NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_BAD_ID);
	/* A configured maximum above what the struct holds is capped. */
	o.id_max_len = 99;
	assert_int_equal(grammar_parse("GRAD 123456789012345678901234567890123",
	    38, &o, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_BAD_ID);
	assert_int_equal(strlen(r.token), GRAMMAR_TOKEN_MAX);
	assert_int_equal(grammar_parse("GRAD 12345678901234567890123456789012",
	    37, &o, &r), 0);
	assert_int_equal(strlen(r.ids[0]), GRAMMAR_ID_MAX);
}

/* Only len bytes count; what follows is never looked at. */
static void
test_len_bounds(void **state)
{
	struct grammar_result	r;

	(void)state;
	assert_int_equal(parse_exact("GRAD 12345", 6, NULL, &r), 0);
	assert_int_equal(r.n_ids, 1);
	assert_string_equal(r.ids[0], "1");
	assert_int_equal(parse_exact("GRAD 12345", 4, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_NO_ID);
	assert_int_equal(parse_exact("GRAD 12345", 0, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_EMPTY);
	assert_int_equal(grammar_parse(NULL, 0, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_EMPTY);
	assert_int_equal(grammar_parse(NULL, 10, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_EMPTY);
	/* A UTF-8 sequence cut by len. */
	assert_int_equal(parse_exact("GRAD 12345 \xe2\x80", 13, NULL, &r), 0);
	assert_int_equal(parse_exact("KUNJ 12345 \xe2\x80", 13, NULL, &r), 0);
	assert_string_equal(r.note, "\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(parse_exact("GRAD\xc2", 5, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_KEYWORD);
	assert_string_equal(r.token, "GRAD?");
}

/* NUL bytes inside len separate words; they never end the message. */
static void
test_nul_bytes(void **state)
{
	struct grammar_result	r;

	(void)state;
	assert_int_equal(parse_exact("GRAD\0" "12345", 10, NULL, &r), 0);
	assert_string_equal(r.ids[0], "12345");
	assert_int_equal(parse_exact("\0\0GRAD 1\0" "2\0", 11, NULL, &r), 0);
	assert_int_equal(r.n_ids, 2);
	assert_string_equal(r.ids[1], "2");
	assert_int_equal(parse_exact("\0\0\0", 3, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_EMPTY);
	assert_int_equal(parse_exact("KUNJ 12345 a\0b", 14, NULL, &r), 0);
	assert_string_equal(r.note, "a b");
	assert_int_equal(parse_exact("X\0Y", 3, NULL, &r), -1);
	assert_string_equal(r.token, "X");
}

/* Invalid UTF-8 never crashes and never reaches a token or a note. */
static void
test_invalid_utf8(void **state)
{
	struct grammar_result	r;

	(void)state;
	assert_int_equal(parse_exact("\xff\xfe\x80", 3, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_KEYWORD);
	assert_string_equal(r.token, "???");
	assert_int_equal(parse_exact("GRAD 12345 \xff\xff", 13, NULL, &r), 0);
	assert_string_equal(r.ids[0], "12345");
	assert_int_equal(parse_exact("KUNJ 12345 \xffok\xc3", 15, NULL, &r),
	    0);
	assert_string_equal(r.note, "\xef\xbf\xbdok\xef\xbf\xbd");
	/* Overlong '/' and an encoded surrogate are not characters. */
	assert_int_equal(parse_exact("KUNJ 1 \xc0\xaf\xed\xa0\x80", 12,
	    NULL, &r), 0);
	assert_string_equal(r.note, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(parse_exact("GRAD 12\xc3\xa9", 9, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_BAD_ID);
	assert_string_equal(r.token, "12?");
}

/* Very long messages: linear work, bounded output. */
static void
test_long(void **state)
{
	struct grammar_result	 r;
	char			*buf;
	size_t			 n = 200000, i;

	(void)state;
	buf = malloc(n);
	assert_non_null(buf);

	memset(buf, 'A', n);
	assert_int_equal(parse_exact(buf, n, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_KEYWORD);
	assert_int_equal(strlen(r.token), GRAMMAR_TOKEN_MAX);

	memset(buf, ' ', n);
	assert_int_equal(parse_exact(buf, n, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_EMPTY);

	for (i = 0; i < n; i++)
		buf[i] = " \t\r\n#.*,:;"[i % 10];
	assert_int_equal(parse_exact(buf, n, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_EMPTY);

	/* GRAD followed by a huge number of ids: the eleventh is refused. */
	memcpy(buf, "GRAD", 4);
	for (i = 4; i + 2 <= n; i += 2)
		memcpy(buf + i, " 7", 2);
	assert_int_equal(parse_exact(buf, n, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_BAD_ID);
	assert_string_equal(r.token, "7");
	assert_int_equal(r.n_ids, 0);

	/* A huge id. */
	memcpy(buf, "GRAD ", 5);
	memset(buf + 5, '9', n - 5);
	assert_int_equal(parse_exact(buf, n, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_BAD_ID);
	assert_int_equal(strlen(r.token), GRAMMAR_TOKEN_MAX);

	/* A huge note is cut at GRAMMAR_NOTE_MAX, between characters. */
	memcpy(buf, "KUNJ 12345 ", 11);
	for (i = 11; i + 3 <= n; i += 3)
		memcpy(buf + i, "\xe2\x82\xac", 3);	/* euro sign */
	assert_int_equal(parse_exact(buf, i, NULL, &r), 0);
	assert_int_equal(strlen(r.note), GRAMMAR_NOTE_MAX / 3 * 3);
	assert_memory_equal(r.note, "\xe2\x82\xac\xe2\x82\xac", 6);

	/* Words of noise before the id are skipped, however many. */
	memcpy(buf, "GRAD ", 5);
	for (i = 5; i + 6 <= n - 6; i += 6)
		memcpy(buf + i, "spasi ", 6);
	memcpy(buf + i, "12345", 5);
	assert_int_equal(parse_exact(buf, i + 5, NULL, &r), 0);
	assert_string_equal(r.ids[0], "12345");
	free(buf);
}

/* A note of exactly GRAMMAR_NOTE_MAX bytes is kept whole. */
static void
test_note_limit(void **state)
{
	struct grammar_result	r;
	char			buf[GRAMMAR_NOTE_MAX + 64];
	size_t			i, half = GRAMMAR_NOTE_MAX / 2;

	(void)state;
	memcpy(buf, "KUNJ 1 ", 7);
	for (i = 0; i < GRAMMAR_NOTE_MAX + 10; i++)
		buf[7 + i] = (char)('a' + i % 26);
	assert_int_equal(parse_exact(buf, 7 + GRAMMAR_NOTE_MAX, NULL, &r), 0);
	assert_int_equal(strlen(r.note), GRAMMAR_NOTE_MAX);
	assert_memory_equal(r.note, buf + 7, GRAMMAR_NOTE_MAX);
	assert_int_equal(parse_exact(buf, 7 + GRAMMAR_NOTE_MAX + 10, NULL,
	    &r), 0);
	assert_int_equal(strlen(r.note), GRAMMAR_NOTE_MAX);
	/* Two-byte characters: half as many fill it exactly. */
	memcpy(buf, "KUNJ 1 ", 7);
	for (i = 0; i < half + 10; i++)
		memcpy(buf + 7 + 2 * i, "\xc3\xa9", 2);
	assert_int_equal(parse_exact(buf, 7 + 2 * (half + 10), NULL, &r), 0);
	assert_int_equal(strlen(r.note), GRAMMAR_NOTE_MAX);
	/* One ASCII byte first: the last character no longer fits. */
	memcpy(buf, "KUNJ 1 x", 8);
	for (i = 0; i < half + 10; i++)
		memcpy(buf + 8 + 2 * i, "\xc3\xa9", 2);
	assert_int_equal(parse_exact(buf, 8 + 2 * (half + 10), NULL, &r), 0);
	assert_int_equal(strlen(r.note), GRAMMAR_NOTE_MAX - 1);
	assert_int_equal(r.note[0], 'x');
}

/* An error leaves no ids, ref or note behind for a careless caller. */
static void
test_error_clears(void **state)
{
	struct grammar_result	r;

	(void)state;
	assert_int_equal(grammar_parse("GRAD 1 2 3 x", 12, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_CATEGORY);
	assert_int_equal(r.cmd, GRAMMAR_CMD_GRAD);
	assert_int_equal(r.n_ids, 0);
	assert_string_equal(r.ids[0], "");
	assert_int_equal(r.category_given, 0);
	assert_string_equal(r.token, "x");
	assert_int_equal(grammar_parse("GRAD 1 AL BB", 12, NULL, &r), -1);
	assert_int_equal(r.category, GRAMMAR_CAT_SM);
	assert_int_equal(r.category_given, 0);
	/* A date, a NIK and an O-for-0 id before the error: all gone. */
	assert_int_equal(grammar_parse("GRAD 12/05 3527014101900082 12O45 "
	    "31/02", 39, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_BAD_DATE);
	assert_string_equal(r.token, "31/02");
	assert_int_equal(r.n_ids, 0);
	assert_int_equal(r.id_is_nik[0], 0);
	assert_int_equal(r.ids_corrected, 0);
	assert_int_equal(r.date.kind, GRAMMAR_DATE_NONE);
	assert_int_equal(r.date.day, 0);
	assert_int_equal(grammar_parse("KUNJ 12345 kemarin ibu 12/13", 28,
	    NULL, &r), 0);
	assert_int_equal(r.date.rel_days, -1);
	assert_string_equal(r.note + r.note_skip, "ibu 12/13");
	assert_int_equal(grammar_parse("KUNJ 12345 12/13 ibu", 20, NULL, &r),
	    -1);
	assert_string_equal(r.note, "");
	assert_int_equal(r.note_skip, 0);
}

/* A typo is flagged, an ambiguity names its candidates, never a guess. */
static void
test_typos(void **state)
{
	struct grammar_result	r;

	(void)state;
	assert_int_equal(grammar_parse("GRAD 12345", 10, NULL, &r), 0);
	assert_int_equal(r.corrected, 0);
	assert_string_equal(r.keyword, "GRAD");
	assert_int_equal(grammar_parse("Gard 12345", 10, NULL, &r), 0);
	assert_int_equal(r.cmd, GRAMMAR_CMD_GRAD);
	assert_int_equal(r.corrected, 1);
	assert_string_equal(r.keyword, "Gard");
	assert_int_equal(r.n_candidates, 0);
	assert_int_equal(r.candidates[0], GRAMMAR_CMD_NONE);
	assert_int_equal(grammar_parse("STAP", 4, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_AMBIGUOUS);
	assert_int_equal(r.cmd, GRAMMAR_CMD_NONE);
	assert_int_equal(r.corrected, 0);
	assert_int_equal(r.n_candidates, 2);
	assert_int_equal(r.candidates[0], GRAMMAR_CMD_STATUS);
	assert_int_equal(r.candidates[1], GRAMMAR_CMD_STOP);
	assert_string_equal(r.token, "STAP");
	/* Three letters are too few to correct, one edit too many. */
	assert_int_equal(grammar_parse("GRA 1", 5, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_KEYWORD);
	assert_int_equal(grammar_parse("GDRA 1", 6, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_KEYWORD);
	/* Two edits in a long word, not in a short one. */
	assert_int_equal(grammar_parse("KUNJUGNAN 1", 11, NULL, &r), 0);
	assert_int_equal(r.cmd, GRAMMAR_CMD_KUNJ);
	assert_int_equal(grammar_parse("GXADX 1", 7, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_KEYWORD);
	/* A keyword glued to a category is never read as a typo. */
	assert_int_equal(grammar_parse("GRADUASIAL 1", 12, NULL, &r), 0);
	assert_int_equal(r.category, GRAMMAR_CAT_AL);
	assert_int_equal(r.corrected, 0);
}

/* 16 digits: a NIK, checked part by part, masked in the token. */
static void
test_nik(void **state)
{
	static const struct {
		const char		*id;
		enum grammar_nik_part	 part;
	} niks[] = {
		{ "3527014101900082", GRAMMAR_NIK_OK },
		{ "1101010101000001", GRAMMAR_NIK_OK },
		{ "9601017112990001", GRAMMAR_NIK_OK },
		{ "2001010101000001", GRAMMAR_NIK_PROVINCE },
		{ "9701010101000001", GRAMMAR_NIK_PROVINCE },
		{ "1100010101000001", GRAMMAR_NIK_REGENCY },
		{ "1101000101000001", GRAMMAR_NIK_DISTRICT },
		{ "1101013201000001", GRAMMAR_NIK_DAY },
		{ "1101014001000001", GRAMMAR_NIK_DAY },
		{ "1101017201000001", GRAMMAR_NIK_DAY },
		{ "1101010113000001", GRAMMAR_NIK_MONTH },
		{ "1101013106000001", GRAMMAR_NIK_BIRTH_DATE },
		{ "1101016902010001", GRAMMAR_NIK_BIRTH_DATE },
		{ "1101016902040001", GRAMMAR_NIK_OK },
		{ "1101010101000000", GRAMMAR_NIK_SERIAL },
	};
	struct grammar_options	o;
	struct grammar_result	r;
	char			msg[64];
	size_t			i;

	(void)state;
	grammar_options_default(&o);
	assert_int_equal(o.nik, 1);
	o.id_min_len = o.id_max_len = 15;
	for (i = 0; i < sizeof(niks) / sizeof(niks[0]); i++) {
		snprintf(msg, sizeof(msg), "KUNJ %s", niks[i].id);
		grammar_parse(msg, strlen(msg), &o, &r);
		assert_int_equal(r.nik_part, niks[i].part);
		if (niks[i].part == GRAMMAR_NIK_OK) {
			assert_int_equal(r.error, GRAMMAR_OK);
			assert_int_equal(r.id_is_nik[0], 1);
			assert_string_equal(r.ids[0], niks[i].id);
			continue;
		}
		assert_int_equal(r.error, GRAMMAR_E_BAD_NIK);
		assert_int_equal(strlen(r.token), GRAMMAR_NIK_LEN);
		assert_memory_equal(r.token, niks[i].id, 4);
		assert_memory_equal(r.token + 4, "********", 8);
		assert_string_equal(r.token + 12, niks[i].id + 12);
	}
	/* Masked whatever the error. */
	snprintf(msg, sizeof(msg), "GRAD 1 2 3 4 5 6 7 8 9 10 "
	    "3527014101900082");
	assert_int_equal(grammar_parse(msg, strlen(msg), NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_BAD_ID);
	assert_string_equal(r.token, "3527********0082");
	/* A NIK sent alone, or as a reference: masked too. */
	assert_int_equal(grammar_parse("3527014101900082", 16, NULL, &r), -1);
	assert_int_equal(r.error, GRAMMAR_E_KEYWORD);
	assert_string_equal(r.token, "3527********0082");
	assert_int_equal(grammar_parse("BATAL 35270141019OOO82", 22, NULL, &r),
	    -1);
	assert_int_equal(r.error, GRAMMAR_E_BAD_REF);
	assert_string_equal(r.token, "3527********OO82");
}

static int
month_days(int y, int m)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && y % 4 == 0 ? 29 : days[m - 1];
}

/*
 * Every dd/mm without a year, typed on ty-tm-td: an impossible one is
 * refused; a later one this year is either refused as future (when it
 * is nearer than last year's) or last year's; a possible one is never
 * after today nor more than four years back (29/02).
 */
static void
check_resolve_all_days(int ty, int tm, int td)
{
	struct grammar_result	r;
	enum grammar_error	e;
	int			dd, mm, y, m, d, later;

	memset(&r, 0, sizeof(r));
	r.date.kind = GRAMMAR_DATE_DAY;
	for (mm = 1; mm <= 12; mm++) {
		for (dd = 1; dd <= 31; dd++) {
			r.date.day = dd;
			r.date.month = mm;
			e = grammar_resolve_date(&r, ty, tm, td, &y, &m, &d);
			later = mm > tm || (mm == tm && dd > td);
			if (dd > month_days(2024, mm)) {
				assert_int_equal(e, GRAMMAR_E_BAD_DATE);
				continue;
			}
			if (e == GRAMMAR_E_FUTURE_DATE) {
				assert_true(later);
				continue;
			}
			assert_int_equal(e, GRAMMAR_OK);
			assert_true(m == mm && d == dd);
			if (mm == 2 && dd == 29) {
				/* The latest leap year's not after today. */
				assert_int_equal(y % 4, 0);
				assert_true(y < ty || !later);
				assert_true(y > ty - 4 || (y == ty - 4 &&
				    !later));
			} else
				assert_int_equal(y, later ? ty - 1 : ty);
		}
	}
}

/* Dates on the calendar: every day of four years as today. */
static void
test_resolve(void **state)
{
	struct grammar_result	r;
	int			ty, tm, td, y, m, d;
	int			py = 2023, pm = 12, pd = 31;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (ty = 2024; ty <= 2027; ty++) {
		for (tm = 1; tm <= 12; tm++) {
			for (td = 1; td <= month_days(ty, tm); td++) {
				r.date.kind = GRAMMAR_DATE_NONE;
				assert_int_equal(grammar_resolve_date(&r, ty,
				    tm, td, &y, &m, &d), GRAMMAR_OK);
				assert_true(y == ty && m == tm && d == td);
				r.date.kind = GRAMMAR_DATE_RELATIVE;
				r.date.rel_days = -1;
				assert_int_equal(grammar_resolve_date(&r, ty,
				    tm, td, &y, &m, &d), GRAMMAR_OK);
				assert_true(y == py && m == pm && d == pd);
				r.date.rel_days = 1;
				assert_int_equal(grammar_resolve_date(&r, ty,
				    tm, td, &y, &m, &d),
				    GRAMMAR_E_FUTURE_DATE);
				assert_true(y == 0 && m == 0 && d == 0);
				check_resolve_all_days(ty, tm, td);
				py = ty, pm = tm, pd = td;
			}
		}
	}
	memset(&r, 0, sizeof(r));
	/* Impossible days, and an impossible today. */
	r.date.kind = GRAMMAR_DATE_DAY;
	r.date.day = 31;
	r.date.month = 4;
	r.date.year = 0;
	assert_int_equal(grammar_resolve_date(&r, 2026, 5, 12, &y, &m, &d),
	    GRAMMAR_E_BAD_DATE);
	r.date.day = 29;
	r.date.month = 2;
	r.date.year = 2026;
	assert_int_equal(grammar_resolve_date(&r, 2026, 5, 12, &y, &m, &d),
	    GRAMMAR_E_BAD_DATE);
	r.date.year = 2024;
	assert_int_equal(grammar_resolve_date(&r, 2026, 5, 12, &y, &m, &d),
	    GRAMMAR_OK);
	assert_true(y == 2024 && m == 2 && d == 29);
	r.date.kind = GRAMMAR_DATE_NONE;
	assert_int_equal(grammar_resolve_date(&r, 2026, 2, 29, &y, &m, &d),
	    GRAMMAR_E_BAD_DATE);
	assert_int_equal(grammar_resolve_date(&r, 2026, 13, 1, &y, &m, &d),
	    GRAMMAR_E_BAD_DATE);
	assert_int_equal(grammar_resolve_date(&r, 0, 1, 1, &y, &m, &d),
	    GRAMMAR_E_BAD_DATE);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(grammar_category_name(GRAMMAR_CAT_SM), "SM");
	assert_string_equal(grammar_category_name(GRAMMAR_CAT_AL), "AL");
	assert_string_equal(grammar_category_name(GRAMMAR_CAT_PK), "PK");
	assert_string_equal(grammar_cmd_name(GRAMMAR_CMD_GRAD), "GRAD");
	assert_string_equal(grammar_cmd_name(GRAMMAR_CMD_KUNJ), "KUNJ");
	assert_string_equal(grammar_cmd_name(GRAMMAR_CMD_STATUS), "STATUS");
	assert_string_equal(grammar_cmd_name(GRAMMAR_CMD_BATAL), "BATAL");
	assert_string_equal(grammar_cmd_name(GRAMMAR_CMD_BANTUAN), "BANTUAN");
	assert_string_equal(grammar_cmd_name(GRAMMAR_CMD_STOP), "STOP");
	assert_string_equal(grammar_cmd_name(GRAMMAR_CMD_MULAI), "MULAI");
	assert_string_equal(grammar_cmd_name(GRAMMAR_CMD_NONE), "NONE");
	assert_string_equal(grammar_error_name(GRAMMAR_OK), "OK");
	assert_string_equal(grammar_error_name(GRAMMAR_E_AMBIGUOUS),
	    "E_AMBIGUOUS");
	assert_string_equal(grammar_error_name(GRAMMAR_E_BAD_NIK),
	    "E_BAD_NIK");
	assert_string_equal(grammar_error_name(GRAMMAR_E_TWO_COMMANDS),
	    "E_TWO_COMMANDS");
	assert_string_equal(grammar_nik_part_name(GRAMMAR_NIK_DAY), "DAY");
	assert_string_equal(grammar_nik_part_name(GRAMMAR_NIK_OK), "OK");
}

/*
 * A seeded stream of random messages made of words that matter (keywords,
 * ids, categories, separators, broken UTF-8, NULs) and of random bytes.
 */
static void
test_random(void **state)
{
	static const char *const parts[] = {
		"GRAD", "kunj", "BATAL", "?", "12345", "1", "SM", "al", "ok",
		" ", "  ", "#", ".", ",", "\n", "\xe2\x80\x8b", "\xc2\xa0",
		"\xff", "\xc3", "\xe2\x80", "\xf0\x9f\x98\x80", "(", ")", "<",
		"G004", "12O45", "-", "!", "spasi", "\xef\xbb\xbf", "XY",
		"\xe2\x80\x9c", "99999999999999999999999999",
		"12/05", "31/02", "29/02/2024", "kemarin", "hari ini", "12 mei",
		"tgl", "120526", "3527014101900082", "9927014101900082", "GARD",
		"STAP", "Pak", "Format", "\xef\xbc\x91", "l", "O", "/", "&",
		"\xf0\x9f\x91\x8d", "\xe2\x80\xa6", "GRADSM", "KUNG",
		"3 hari lalu", "2026-05-12", "12.05.2026", "STATUS", "KNJ",
		"KUNJ67890", "GRD", "lulus",
	};
	struct grammar_result	 r;
	unsigned long		 seed = 20260512;
	char			 buf[600];
	size_t			 len, nparts = sizeof(parts) / sizeof(parts[0]);
	int			 iter, rc, y, m, d;
	enum grammar_error	 e;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		len = 0;
		while (len < 500) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			if ((seed >> 60) == 0)
				break;
			if ((seed >> 33) % 4 == 0) {
				buf[len++] = (char)(seed >> 40);
			} else {
				const char *p = parts[(seed >> 33) % nparts];
				size_t n = strlen(p);

				memcpy(buf + len, p, n);
				len += n;
			}
		}
		rc = parse_exact(buf, len, NULL, &r);
		check_invariants(&r, rc);
		e = grammar_resolve_date(&r, 2026, 5, 12, &y, &m, &d);
		if (e == GRAMMAR_OK)
			assert_true(y >= 2000 && (y < 2026 || (y == 2026 &&
			    (m < 5 || (m == 5 && d <= 12)))));
		else
			assert_true(e == GRAMMAR_E_FUTURE_DATE && y == 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_len_bounds),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_note_limit),
		cmocka_unit_test(test_error_clears),
		cmocka_unit_test(test_typos),
		cmocka_unit_test(test_nik),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
