/*
 * test_receipt.c: receipts as SMSCs of several schools write them, the
 * stat words, and the forms of a message id.  Every text is parsed from
 * a heap copy of exactly its length, so ASan sees any read past it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "receipt.h"

/* LEN(s): the length of a literal, NULs inside included. */
#define LEN(s)	(sizeof(s) - 1)

struct rcase {
	const char		*name;
	const char		*text;
	size_t			 len;	/* 0: strlen(text) */
	int			 rc;
	const char		*id;
	enum receipt_state	 state;
	int			 err;
	const char		*stat;
};

static const struct rcase rcases[] = {
	/* SMPP 3.4 Appendix B, as Kannel and most SMSCs write it. */
	{ "appendix-b", "id:1A2B3C sub:001 dlvrd:001 submit date:2611271530 "
	  "done date:2611271531 stat:DELIVRD err:000 text:OK. Graduasi SM "
	  "KPM 12345 tercatat", 0,
	  0, "1A2B3C", RECEIPT_DELIVERED, 0, "DELIVRD" },
	{ "no text", "id:0123456789 sub:001 dlvrd:001 submit date:2601011200 "
	  "done date:2601011201 stat:DELIVRD err:000", 0,
	  0, "0123456789", RECEIPT_DELIVERED, 0, "DELIVRD" },
	{ "empty text", "id:77 sub:001 dlvrd:000 submit date:2601011200 "
	  "done date:2601011300 stat:EXPIRED err:000 text:", 0,
	  0, "77", RECEIPT_EXPIRED, 0, "EXPIRED" },
	{ "lower case", "id:c0ffee sub:001 dlvrd:000 submit date:2601011200 "
	  "done date:2601011201 stat:undeliv err:001 text:halo", 0,
	  0, "c0ffee", RECEIPT_UNDELIVERABLE, 1, "undeliv" },
	{ "upper case", "ID:5051 SUB:001 DLVRD:001 SUBMIT DATE:2611271530 "
	  "DONE DATE:2611271531 STAT:DELIVRD ERR:000 TEXT:HALO", 0,
	  0, "5051", RECEIPT_DELIVERED, 0, "DELIVRD" },
	{ "capitalised", "id:9 Sub:001 Dlvrd:001 Submit Date:2611271530 "
	  "Done Date:2611271531 Stat:REJECTD Err:088 Text:x", 0,
	  0, "9", RECEIPT_REJECTED, 88, "REJECTD" },
	{ "any order", "stat:DELETED err:012 done date:2601011201 id:99 "
	  "submit date:2601011200", 0,
	  0, "99", RECEIPT_DELETED, 12, "DELETED" },
	{ "vendor keys", "id:c0a80101 sub:001 dlvrd:001 submit date:"
	  "2611271530 done date:2611271531 stat:DELIVRD err:000 "
	  "imsi:510101234567890 mccmnc:51010 text:x", 0,
	  0, "c0a80101", RECEIPT_DELIVERED, 0, "DELIVRD" },
	{ "ussd-ish acceptd", "id:A1 stat:ACCEPTD err:0", 0,
	  0, "A1", RECEIPT_ACCEPTED, 0, "ACCEPTD" },
	{ "enroute", "id:A1 stat:ENROUTE", 0,
	  0, "A1", RECEIPT_ENROUTE, -1, "ENROUTE" },
	{ "unknown state", "id:A1 stat:UNKNOWN err:999", 0,
	  0, "A1", RECEIPT_UNKNOWN, 999, "UNKNOWN" },
	/* Spelled out: the state is read from the whole word. */
	{ "delivered", "id:42 stat:DELIVERED err:0", 0,
	  0, "42", RECEIPT_DELIVERED, 0, "DELIVER" },
	{ "undeliverable", "id:42 stat:Undeliverable err:34", 0,
	  0, "42", RECEIPT_UNDELIVERABLE, 34, "Undeliv" },
	{ "rejected", "id:42 stat:rejected", 0,
	  0, "42", RECEIPT_REJECTED, -1, "rejecte" },
	/* Missing fields. */
	{ "id only", "id:123", 0, 0, "123", RECEIPT_NONE, -1, "" },
	{ "stat only", "stat:DELIVRD", 0, 0, "", RECEIPT_DELIVERED, -1,
	  "DELIVRD" },
	{ "empty id", "id: sub:001 stat:DELIVRD", 0, 0, "", RECEIPT_DELIVERED,
	  -1, "DELIVRD" },
	{ "empty stat", "id:5 stat: err:000", 0, 0, "5", RECEIPT_NONE, 0, "" },
	{ "neither", "sub:001 dlvrd:001 submit date:2611271530 err:000", 0,
	  -1, "", RECEIPT_NONE, -1, "" },
	/* text: runs to the end, whatever it holds. */
	{ "keys in text", "id:1 stat:DELIVRD text:id:2 stat:EXPIRED err:5",
	  0, 0, "1", RECEIPT_DELIVERED, -1, "DELIVRD" },
	{ "text first", "text:id:2 stat:EXPIRED", 0, -1, "", RECEIPT_NONE, -1,
	  "" },
	{ "text key case", "id:3 stat:DELIVRD Text:stat:EXPIRED", 0,
	  0, "3", RECEIPT_DELIVERED, -1, "DELIVRD" },
	/* Odd stat and err values. */
	{ "unknown stat", "id:1 stat:FOOBARBAZ", 0, 0, "1", RECEIPT_NONE, -1,
	  "FOOBARB" },
	{ "stat prefix", "id:1 stat:DELIV", 0, 0, "1", RECEIPT_NONE, -1,
	  "DELIV" },
	{ "err hex", "id:1 stat:UNDELIV err:0x1F", 0, 0, "1",
	  RECEIPT_UNDELIVERABLE, -1, "UNDELIV" },
	{ "err empty", "id:1 err: stat:UNDELIV", 0, 0, "1",
	  RECEIPT_UNDELIVERABLE, -1, "UNDELIV" },
	{ "err max", "id:1 stat:UNDELIV err:2147483647", 0, 0, "1",
	  RECEIPT_UNDELIVERABLE, 2147483647, "UNDELIV" },
	{ "err huge", "id:1 stat:UNDELIV err:99999999999", 0, 0, "1",
	  RECEIPT_UNDELIVERABLE, -1, "UNDELIV" },
	{ "err negative", "id:1 stat:UNDELIV err:-1", 0, 0, "1",
	  RECEIPT_UNDELIVERABLE, -1, "UNDELIV" },
	/* The first of a repeated key wins. */
	{ "repeated", "id:1 id:2 stat:DELIVRD stat:EXPIRED err:1 err:2", 0,
	  0, "1", RECEIPT_DELIVERED, 1, "DELIVRD" },
	/* Separators. */
	{ "tabs", "id:1\tstat:DELIVRD\terr:000", 0, 0, "1", RECEIPT_DELIVERED,
	  0, "DELIVRD" },
	{ "crlf", "id:1\r\nstat:DELIVRD\r\nerr:000\r\n", 0, 0, "1",
	  RECEIPT_DELIVERED, 0, "DELIVRD" },
	{ "double spaces", "  id:1   submit  date:2611271530  stat:DELIVRD  ",
	  0, 0, "1", RECEIPT_DELIVERED, -1, "DELIVRD" },
	{ "value with colon", "id:ab:cd stat:DELIVRD", 0, 0, "ab:cd",
	  RECEIPT_DELIVERED, -1, "DELIVRD" },
	/* NULs inside len: separators, like a space. */
	{ "nul padding", "id:12\0\0\0 stat:DELIVRD\0\0", LEN("id:12\0\0\0 "
	  "stat:DELIVRD\0\0"), 0, "12", RECEIPT_DELIVERED, -1, "DELIVRD" },
	{ "nul between", "id:12\0stat:DELIVRD\0err:000", LEN("id:12\0"
	  "stat:DELIVRD\0err:000"), 0, "12", RECEIPT_DELIVERED, 0,
	  "DELIVRD" },
	{ "nul in value", "id:1\0002 stat:DELIVRD", LEN("id:1\0002 "
	  "stat:DELIVRD"), 0, "1", RECEIPT_DELIVERED, -1, "DELIVRD" },
	{ "nul first", "\0id:5 stat:EXPIRED", LEN("\0id:5 stat:EXPIRED"),
	  0, "5", RECEIPT_EXPIRED, -1, "EXPIRED" },
	/* len shorter than the string: what is past it is not there. */
	{ "cut by len", "id:123 stat:DELIVRD", 6, 0, "123", RECEIPT_NONE, -1,
	  "" },
	{ "cut in a key", "id:123 stat:DELIVRD", 10, 0, "123", RECEIPT_NONE,
	  -1, "" },
	{ "cut in submit date", "submit da", 0, -1, "", RECEIPT_NONE, -1,
	  "" },
	/* Garbage. */
	{ "empty", "", 0, -1, "", RECEIPT_NONE, -1, "" },
	{ "plain text", "Halo, pesan anda sudah terkirim", 0, -1, "",
	  RECEIPT_NONE, -1, "" },
	{ "colons", ":::: : :", 0, -1, "", RECEIPT_NONE, -1, "" },
	{ "key without colon", "id 5 stat DELIVRD", 0, -1, "", RECEIPT_NONE,
	  -1, "" },
	{ "key inside a word", "xid:5 substat:DELIVRD stat:ENROUTE", 0, 0, "",
	  RECEIPT_ENROUTE, -1, "ENROUTE" },
	{ "binary", "\xff\xfe\x01 id:\x80\x81 stat:\xc3\xa9", 0, 0,
	  "\x80\x81", RECEIPT_NONE, -1, "\xc3\xa9" },
	{ "binary glued", "\xff\xfeid:1 stat:DELIVRD", 0, 0, "",
	  RECEIPT_DELIVERED, -1, "DELIVRD" },
	/* Ids at the limit: 65 octets kept, 66 left out. */
	{ "id 65", "id:0123456789012345678901234567890123456789"
	  "0123456789012345678901234 stat:DELIVRD", 0, 0,
	  "0123456789012345678901234567890123456789"
	  "0123456789012345678901234", RECEIPT_DELIVERED, -1, "DELIVRD" },
	{ "id 66", "id:0123456789012345678901234567890123456789"
	  "01234567890123456789012345 stat:DELIVRD", 0, 0, "",
	  RECEIPT_DELIVERED, -1, "DELIVRD" },
};

/* Parse len octets of text from an exact heap copy. */
static int
parse_copy(const char *text, size_t len, struct receipt *r)
{
	char	*copy;
	int	 rc;

	copy = malloc(len > 0 ? len : 1);
	assert_non_null(copy);
	memcpy(copy, text, len);
	rc = receipt_parse_text(copy, len, r);
	free(copy);
	return rc;
}

static void
test_parse_table(void **state)
{
	const struct rcase	*c;
	struct receipt		 r;
	size_t			 i, len;

	(void)state;
	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		c = &rcases[i];
		len = c->len != 0 ? c->len : strlen(c->text);
		memset(&r, 0x5A, sizeof(r));
		if (parse_copy(c->text, len, &r) != c->rc)
			fail_msg("%s: rc != %d", c->name, c->rc);
		if (strcmp(r.id, c->id) != 0)
			fail_msg("%s: id \"%s\", want \"%s\"", c->name, r.id,
			    c->id);
		if (r.state != c->state)
			fail_msg("%s: state %d, want %d", c->name, r.state,
			    c->state);
		if (r.err != c->err)
			fail_msg("%s: err %d, want %d", c->name, r.err,
			    c->err);
		if (strcmp(r.stat, c->stat) != 0)
			fail_msg("%s: stat \"%s\", want \"%s\"", c->name,
			    r.stat, c->stat);
	}
}

/*
 * Very long inputs: 100 KB of noise before a receipt, a receipt whose
 * text: is 100 KB, and 100 KB of nothing we know.
 */
static void
test_parse_long(void **state)
{
	static const char	 rc[] = " id:7 stat:DELIVRD err:000";
	struct receipt		 r;
	size_t			 n = 100000, i;
	char			*big;

	(void)state;
	big = malloc(n + sizeof(rc));
	assert_non_null(big);
	for (i = 0; i < n; i++)
		big[i] = i % 7 == 6 ? ' ' : 'a' + (char)(i % 26);
	memcpy(big + n, rc, LEN(rc));
	assert_int_equal(parse_copy(big, n + LEN(rc), &r), 0);
	assert_string_equal(r.id, "7");
	assert_int_equal(r.state, RECEIPT_DELIVERED);
	assert_int_equal(r.err, 0);

	memcpy(big, "id:8 stat:EXPIRED text:", 23);
	assert_int_equal(parse_copy(big, n, &r), 0);
	assert_string_equal(r.id, "8");
	assert_int_equal(r.state, RECEIPT_EXPIRED);

	/* One token of 100 KB: never a key, never copied. */
	memset(big, 'x', n);
	memcpy(big, "id:", 3);
	assert_int_equal(parse_copy(big, n, &r), 0);
	assert_string_equal(r.id, "");
	memset(big, ':', n);
	assert_int_equal(parse_copy(big, n, &r), -1);
	free(big);

	assert_int_equal(receipt_parse_text(NULL, 0, &r), -1);
}

static void
test_state_words(void **state)
{
	static const struct {
		const char		*stat;
		enum receipt_state	 state;
	} words[] = {
		{ "DELIVRD", RECEIPT_DELIVERED },
		{ "delivrd", RECEIPT_DELIVERED },
		{ "DELIVERED", RECEIPT_DELIVERED },
		{ "EXPIRED", RECEIPT_EXPIRED }, { "DELETED", RECEIPT_DELETED },
		{ "UNDELIV", RECEIPT_UNDELIVERABLE },
		{ "UNDELIVERABLE", RECEIPT_UNDELIVERABLE },
		{ "ACCEPTD", RECEIPT_ACCEPTED },
		{ "ACCEPTED", RECEIPT_ACCEPTED },
		{ "UNKNOWN", RECEIPT_UNKNOWN }, { "REJECTD", RECEIPT_REJECTED },
		{ "REJECTED", RECEIPT_REJECTED },
		{ "EnRoute", RECEIPT_ENROUTE },
		{ "", RECEIPT_NONE }, { "DELIV", RECEIPT_NONE },
		{ "DELIVRDX", RECEIPT_NONE }, { " DELIVRD", RECEIPT_NONE },
		{ "FAILED", RECEIPT_NONE },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (receipt_state_from_stat(words[i].stat) != words[i].state)
			fail_msg("\"%s\": want %d", words[i].stat,
			    words[i].state);
	assert_int_equal(receipt_state_from_stat(NULL), RECEIPT_NONE);

	assert_string_equal(receipt_state_name(RECEIPT_NONE), "none");
	assert_string_equal(receipt_state_name(RECEIPT_ENROUTE), "enroute");
	assert_string_equal(receipt_state_name(RECEIPT_DELIVERED),
	    "delivered");
	assert_string_equal(receipt_state_name(RECEIPT_EXPIRED), "expired");
	assert_string_equal(receipt_state_name(RECEIPT_DELETED), "deleted");
	assert_string_equal(receipt_state_name(RECEIPT_UNDELIVERABLE),
	    "undeliverable");
	assert_string_equal(receipt_state_name(RECEIPT_ACCEPTED), "accepted");
	assert_string_equal(receipt_state_name(RECEIPT_UNKNOWN), "unknown");
	assert_string_equal(receipt_state_name(RECEIPT_REJECTED), "rejected");
	assert_string_equal(receipt_state_name((enum receipt_state)99),
	    "none");
}

struct fcase {
	const char	*id;
	int		 n;
	const char	*forms[RECEIPT_FORMS_MAX];
};

static const struct fcase fcases[] = {
	{ "", 0, { NULL } },
	{ "0", 1, { "0" } },
	{ "7", 1, { "7" } },
	{ "10", 3, { "10", "a", "16" } },
	{ "255", 3, { "255", "ff", "597" } },
	{ "ff", 2, { "ff", "255" } },
	{ "FF", 2, { "FF", "255" } },
	{ "1A2B3C", 2, { "1A2B3C", "1715004" } },
	{ "1a2b3c", 2, { "1a2b3c", "1715004" } },
	/* Leading zeros are dropped in the converted forms only. */
	{ "007", 2, { "007", "7" } },
	{ "000a", 2, { "000a", "10" } },
	{ "0010", 3, { "0010", "a", "16" } },
	{ "00000000000000000000000001", 2, { "00000000000000000000000001",
	  "1" } },
	/* 64 bits and beyond. */
	{ "18446744073709551615", 2, { "18446744073709551615",
	  "ffffffffffffffff" } },
	{ "18446744073709551616", 1, { "18446744073709551616" } },
	{ "ffffffffffffffff", 2, { "ffffffffffffffff",
	  "18446744073709551615" } },
	{ "10000000000000000", 2, { "10000000000000000", "2386f26fc10000" } },
	{ "1ffffffffffffffff", 1, { "1ffffffffffffffff" } },
	/* Neither all decimal nor all hex. */
	{ "0x1F", 1, { "0x1F" } },
	{ "abc-123", 1, { "abc-123" } },
	{ "G1", 1, { "G1" } },
	{ " 12", 1, { " 12" } },
	{ "c0a80101-0001", 1, { "c0a80101-0001" } },
};

static void
test_id_forms(void **state)
{
	char		 forms[RECEIPT_FORMS_MAX][RECEIPT_ID_MAX + 1];
	char		 id[RECEIPT_ID_MAX + 2];
	const struct fcase *c;
	size_t		 i;
	int		 n, k;

	(void)state;
	for (i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		c = &fcases[i];
		memset(forms, 0x5A, sizeof(forms));
		n = receipt_id_forms(c->id, forms);
		if (n != c->n)
			fail_msg("\"%s\": %d forms, want %d", c->id, n, c->n);
		for (k = 0; k < n; k++)
			if (strcmp(forms[k], c->forms[k]) != 0)
				fail_msg("\"%s\": form %d \"%s\", want \"%s\"",
				    c->id, k, forms[k], c->forms[k]);
	}
	assert_int_equal(receipt_id_forms(NULL, forms), 0);

	/* 65 octets: a form; 66: none (it cannot be one of ours). */
	memset(id, '9', RECEIPT_ID_MAX);
	id[RECEIPT_ID_MAX] = '\0';
	assert_int_equal(receipt_id_forms(id, forms), 1);
	assert_string_equal(forms[0], id);
	id[RECEIPT_ID_MAX] = '9';
	id[RECEIPT_ID_MAX + 1] = '\0';
	assert_int_equal(receipt_id_forms(id, forms), 0);
}

/* A parsed id goes straight into receipt_id_forms, as pilard does. */
static const char padded_rcpt[] = "id:0000012345 sub:001 dlvrd:001 "
    "submit date:2611271530 done date:2611271531 stat:DELIVRD err:000 text:";

static void
test_parse_then_forms(void **state)
{
	char		 forms[RECEIPT_FORMS_MAX][RECEIPT_ID_MAX + 1];
	struct receipt	 r;

	(void)state;
	assert_int_equal(parse_copy(padded_rcpt, LEN(padded_rcpt), &r), 0);
	assert_int_equal(receipt_id_forms(r.id, forms), 3);
	assert_string_equal(forms[0], "0000012345");
	assert_string_equal(forms[1], "3039");
	assert_string_equal(forms[2], "74565");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_state_words),
		cmocka_unit_test(test_id_forms),
		cmocka_unit_test(test_parse_then_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
