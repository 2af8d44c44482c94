/*
 * grammar_fixture.c: the helpers of the grammar tests (grammar_fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "grammar_fixture.h"

static int	valid_utf8(const char *);

/* Parse from an exact-size copy: no NUL after the last byte. */
int
parse_exact(const char *msg, size_t len, const struct grammar_options *o,
    struct grammar_result *r)
{
	char	*copy;
	int	 rc;

	copy = malloc(len > 0 ? len : 1);
	assert_non_null(copy);
	memcpy(copy, msg, len);
	memset(r, 0x5a, sizeof(*r));	/* every field must be written */
	rc = grammar_parse(copy, len, o, r);
	free(copy);
	return rc;
}

/* Well-formed UTF-8, or the number of bytes where it breaks. */
static int
valid_utf8(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n, i;

	while (*p != 0) {
		if (*p < 0x80)
			n = 0;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		else
			return 0;
		for (i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n + 1;
	}
	return 1;
}

/* The invariants every result must hold, whatever came in. */
void
check_invariants(const struct grammar_result *r, int rc)
{
	size_t	i;
	int	k;

	assert_int_equal(rc, r->error == GRAMMAR_OK ? 0 : -1);
	assert_in_range(r->n_ids, 0, GRAMMAR_IDS_MAX);
	for (k = 0; k < r->n_ids; k++) {
		assert_in_range(strlen(r->ids[k]), 1, GRAMMAR_ID_MAX);
		for (i = 0; r->ids[k][i] != '\0'; i++)
			assert_true(r->ids[k][i] >= '0' && r->ids[k][i] <= '9');
	}
	assert_true(strlen(r->token) <= GRAMMAR_TOKEN_MAX);
	for (i = 0; r->token[i] != '\0'; i++)
		assert_true(r->token[i] >= 0x20 && r->token[i] < 0x7f);
	assert_true(strlen(r->note) <= GRAMMAR_NOTE_MAX);
	assert_true(valid_utf8(r->note));
	for (i = 0; r->note[i] != '\0'; i++)
		assert_true((unsigned char)r->note[i] >= 0x20);
	assert_true(strlen(r->ref) <= GRAMMAR_REF_MAX);
	if (rc == 0 && (r->cmd == GRAMMAR_CMD_GRAD ||
	    r->cmd == GRAMMAR_CMD_KUNJ))
		assert_true(r->n_ids >= 1);
	if (r->cmd == GRAMMAR_CMD_KUNJ && rc == 0)
		assert_int_equal(r->n_ids, 1);
	assert_in_range(r->category, GRAMMAR_CAT_SM, GRAMMAR_CAT_PK);
	for (k = 0; k < r->n_ids; k++)
		if (r->id_is_nik[k])
			assert_int_equal(strlen(r->ids[k]), GRAMMAR_NIK_LEN);
	for (; k < GRAMMAR_IDS_MAX; k++)
		assert_int_equal(r->id_is_nik[k], 0);
	assert_true(strlen(r->keyword) <= GRAMMAR_TOKEN_MAX);
	for (i = 0; r->keyword[i] != '\0'; i++)
		assert_true(r->keyword[i] >= 0x20 && r->keyword[i] < 0x7f);
	assert_true(r->note_skip <= strlen(r->note));
	assert_true((r->error == GRAMMAR_E_AMBIGUOUS) ==
	    (r->n_candidates >= 2));
	assert_true(r->n_candidates <= GRAMMAR_CANDIDATES_MAX);
	assert_true((r->error == GRAMMAR_E_BAD_NIK) ==
	    (r->nik_part != GRAMMAR_NIK_OK));
	assert_true((r->error == GRAMMAR_E_TWO_COMMANDS) ==
	    (r->second != GRAMMAR_CMD_NONE));
	if (r->error == GRAMMAR_E_TWO_COMMANDS)
		assert_true(r->cmd != GRAMMAR_CMD_NONE && r->token[0] != '\0');
	if (r->date.kind == GRAMMAR_DATE_DAY) {
		assert_in_range(r->date.month, 1, 12);
		assert_in_range(r->date.day, 1, 31);
		assert_true(r->date.year == 0 || (r->date.year >= 2000 &&
		    r->date.year <= 2099));
	}
	if (rc != 0)
		assert_int_equal(r->date.kind, GRAMMAR_DATE_NONE);
	/* No command read, none named; a keyword corrected was read. */
	if (r->error == GRAMMAR_E_AMBIGUOUS || r->error == GRAMMAR_E_KEYWORD ||
	    r->error == GRAMMAR_E_EMPTY)
		assert_int_equal(r->cmd, GRAMMAR_CMD_NONE);
	if (r->corrected)
		assert_int_equal(r->error == GRAMMAR_E_KEYWORD, 0);
	/* A NIK is never echoed whole: no token of exactly 16 digits. */
	for (i = 0; r->token[i] >= '0' && r->token[i] <= '9'; i++)
		;
	assert_false(i == GRAMMAR_NIK_LEN && r->token[i] == '\0');
}
