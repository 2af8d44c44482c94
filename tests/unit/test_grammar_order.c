/*
 * test_grammar_order.c: the order of what companions type.
 *
 * An id typed before the command means what it means after it, and two
 * commands in one SMS are both named and neither is done.  Each case is
 * parsed from an exact-size copy (grammar_fixture.c) and checked against
 * the invariants of struct grammar_result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "grammar.h"
#include "grammar_fixture.h"

static int	same_result(const struct grammar_result *,
		    const struct grammar_result *);
static void	test_id_first(void **);
static void	test_two_commands(void **);

/* Whether two results say the same, field by field. */
static int
same_result(const struct grammar_result *a, const struct grammar_result *b)
{
	int	i;

	if (a->error != b->error || a->cmd != b->cmd || a->n_ids != b->n_ids ||
	    a->category != b->category ||
	    a->category_given != b->category_given ||
	    strcmp(a->note, b->note) != 0 || a->note_skip != b->note_skip ||
	    strcmp(a->token, b->token) != 0 || a->corrected != b->corrected ||
	    a->ids_corrected != b->ids_corrected ||
	    a->nik_part != b->nik_part ||
	    memcmp(&a->date, &b->date, sizeof(a->date)) != 0)
		return 0;
	for (i = 0; i < a->n_ids; i++)
		if (strcmp(a->ids[i], b->ids[i]) != 0 ||
		    a->id_is_nik[i] != b->id_is_nik[i])
			return 0;
	return 1;
}

/*
 * An id typed before GRAD or KUNJ means exactly what it means after
 * it, whatever follows (the keyword as typed aside), for every id and
 * every tail that reads it as the id: the same ids, category, date,
 * note and errors.  And a tail that holds an id too never makes one.
 */
static void
test_id_first(void **state)
{
	static const char *const ids[] = {
		"12345", "00001", "3527014101900082", "9927014101900082",
		"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95",
	};
	static const char *const keywords[] = {
		"GRAD", "grad", "GRD", "Grade", "GARD", "KUNJ", "kunj", "KNJ",
		"KUNK", "KJ",
	};
	static const char *const tails[] = {
		"", " sm", " AL terima kasih", ".", " kemarin", " 12/05",
		" 31/02", " pak", " ok", " ibu sakit", " hari ini ibu sehat",
		" sudah mandiri", " \xf0\x9f\x91\x8d", "\n",
	};
	static const char *const refused[] = {
		" 67890", " 7 bulan", " 12345", " 12/05 67890",
	};
	struct grammar_result	 a, b;
	char			 first[128], after[128];
	size_t			 i, k, t;
	int			 n = 0, rc;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		for (k = 0; k < sizeof(keywords) / sizeof(*keywords); k++)
			for (t = 0; t < sizeof(tails) / sizeof(*tails); t++) {
				snprintf(first, sizeof(first), "%s %s%s",
				    ids[i], keywords[k], tails[t]);
				snprintf(after, sizeof(after), "%s %s%s",
				    keywords[k], ids[i], tails[t]);
				rc = parse_exact(first, strlen(first), NULL,
				    &a);
				parse_exact(after, strlen(after), NULL, &b);
				check_invariants(&a, rc);
				if (!same_result(&a, &b))
					fail_msg("'%s' is not '%s': %s %s",
					    first, after,
					    grammar_error_name(a.error),
					    grammar_error_name(b.error));
				n++;
			}
	for (k = 0; k < sizeof(keywords) / sizeof(*keywords); k++)
		for (t = 0; t < sizeof(refused) / sizeof(*refused); t++) {
			if (keywords[k][0] == 'G' || keywords[k][0] == 'g') {
				if (t != 0 && t != 2)
					continue;	/* GRAD: dates, ids */
			}
			snprintf(first, sizeof(first), "12345 %s%s",
			    keywords[k], refused[t]);
			parse_exact(first, strlen(first), NULL, &a);
			if (a.error != GRAMMAR_E_KEYWORD || a.n_ids != 0 ||
			    strcmp(a.token, "12345") != 0)
				fail_msg("'%s': %s, not refused", first,
				    grammar_error_name(a.error));
		}
	print_message("%d messages with the id first\n", n);
}

/*
 * Two commands: the first is what it reads as alone, the second what
 * it reads as alone, and nothing of either is kept -- no ids, no note,
 * no date -- whatever separates them.
 */
static void
test_two_commands(void **state)
{
	static const char *const firsts[] = {
		"GRAD 12345", "GRAD 12345 SM", "grad 123 456", "KUNJ 12345",
		"KUNJ 12345 ibu sakit", "KUNJ 12345 12/05 posyandu",
		"STATUS", "BATAL G004", "BANTUAN", "12345 GRAD", "GRAD 1234",
		"KUNJ 12345 31/02", "P2K2 12/12 09:00 Balai Desa",
	};
	static const char *const seps[] = { " ", "\n", ". ", ", ", " dan " };
	static const char *const seconds[] = {
		"KUNJ 67890", "kunj 67890 rumah kosong", "KNJ 67890",
		"GRAD 67890", "GRD 67890 AL", "BATAL K002",
	};
	struct grammar_result	 r, one, two;
	char			 msg[256];
	size_t			 i, j, k;

	(void)state;
	for (i = 0; i < sizeof(firsts) / sizeof(*firsts); i++)
		for (j = 0; j < sizeof(seps) / sizeof(*seps); j++)
			for (k = 0; k < sizeof(seconds) / sizeof(*seconds);
			    k++) {
				parse_exact(firsts[i], strlen(firsts[i]), NULL,
				    &one);
				parse_exact(seconds[k], strlen(seconds[k]),
				    NULL, &two);
				snprintf(msg, sizeof(msg), "%s%s%s", firsts[i],
				    seps[j], seconds[k]);
				check_invariants(&r, parse_exact(msg,
				    strlen(msg), NULL, &r));
				if (one.cmd == GRAMMAR_CMD_GRAD &&
				    two.cmd == GRAMMAR_CMD_GRAD) {
					/*
					 * GRAD again: one graduation, unless
					 * the id came first: then which is
					 * the id is not guessed.
					 */
					if (r.cmd != (firsts[i][0] == '1' ?
					    GRAMMAR_CMD_NONE :
					    GRAMMAR_CMD_GRAD))
						fail_msg("'%s': %s", msg,
						    grammar_cmd_name(r.cmd));
					continue;
				}
				if (r.error != GRAMMAR_E_TWO_COMMANDS ||
				    r.cmd != one.cmd || r.second != two.cmd ||
				    r.n_ids != 0 || r.note[0] != '\0' ||
				    r.date.kind != GRAMMAR_DATE_NONE)
					fail_msg("'%s': %s %s + %s", msg,
					    grammar_error_name(r.error),
					    grammar_cmd_name(r.cmd),
					    grammar_cmd_name(r.second));
				assert_non_null(strstr(r.token,
				    grammar_cmd_name(two.cmd)));
			}
	/* A NIK in the second command is never echoed whole. */
	assert_int_equal(grammar_parse("KUNJ 123 GRAD 3527014101900082",
	    30, NULL, &r), -1);
	assert_string_equal(r.token, "KUNJ + GRAD");
	assert_int_equal(grammar_parse("BATAL GRAD 3527014101900082",
	    27, NULL, &r), 0);
	assert_int_equal(r.cmd, GRAMMAR_CMD_BATAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_first),
		cmocka_unit_test(test_two_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
