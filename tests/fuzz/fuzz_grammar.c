/*
 * fuzz_grammar.c: grammar_parse() and grammar_resolve_date() on any bytes.
 *
 * The input is the SMS text itself, parsed with the default options,
 * with no options (NULL) and with odd ones taken from its last bytes;
 * it is not NUL terminated, so ASan sees any read past len.  Beyond not
 * crashing, a result must keep its documented shape: the return value
 * agrees with error, ids are digits of an accepted length, the echoed
 * token and keyword are printable ASCII, a note cut of valid UTF-8 stays
 * valid UTF-8, everything is cleared on an error, parsing is
 * deterministic, and a resolved date is a real day not after today.
 */
#include <string.h>

#include "grammar.h"
#include "fuzz.h"

static void	fuzz_grammar_check(const uint8_t *, size_t,
		    const struct grammar_options *,
		    const struct grammar_result *, int);
static void	fuzz_grammar_date(const struct grammar_result *,
		    const uint8_t *, size_t);
static int	fuzz_days_in_month(int, int);

static int
fuzz_days_in_month(int y, int m)
{
	static const int	days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* The invariants of one result r, which grammar_parse() returned as rc. */
static void
fuzz_grammar_check(const uint8_t *data, size_t size,
    const struct grammar_options *o, const struct grammar_result *r, int rc)
{
	struct grammar_options	 def;
	int			 i, min, max;
	size_t			 n;

	if (o == NULL) {
		grammar_options_default(&def);
		o = &def;
	}
	fuzz_check((rc == 0) == (r->error == GRAMMAR_OK));
	fuzz_check(rc == 0 || rc == -1);
	fuzz_check(r->n_ids >= 0 && r->n_ids <= GRAMMAR_IDS_MAX);
	fuzz_check(fuzz_ascii_printable(r->token, sizeof(r->token)));
	fuzz_check(fuzz_ascii_printable(r->keyword, sizeof(r->keyword)));
	fuzz_check(memchr(r->note, '\0', sizeof(r->note)) != NULL);
	fuzz_check(memchr(r->ref, '\0', sizeof(r->ref)) != NULL);
	n = strlen(r->note);
	fuzz_check(r->note_skip <= n);
	if (fuzz_utf8_valid((const char *)data, size) &&
	    memchr(data, '\0', size) == NULL)
		fuzz_check(fuzz_utf8_valid(r->note, n));
	fuzz_check(r->n_candidates >= 0 &&
	    r->n_candidates <= GRAMMAR_CANDIDATES_MAX);
	fuzz_check(r->error != GRAMMAR_E_AMBIGUOUS || r->n_candidates >= 2);
	for (i = 0; i < r->n_candidates; i++)
		fuzz_check(r->candidates[i] > GRAMMAR_CMD_NONE &&
		    r->candidates[i] <= GRAMMAR_CMD_P2K2);
	fuzz_check(r->category >= GRAMMAR_CAT_SM &&
	    r->category <= GRAMMAR_CAT_PK);
	fuzz_check(grammar_error_name(r->error)[0] != '?');
	fuzz_check(grammar_nik_part_name(r->nik_part)[0] != '?');
	fuzz_check((r->error == GRAMMAR_E_BAD_NIK) ==
	    (r->nik_part != GRAMMAR_NIK_OK));
	fuzz_check((r->error == GRAMMAR_E_TWO_COMMANDS) ==
	    (r->second != GRAMMAR_CMD_NONE));
	for (i = r->n_ids; i < GRAMMAR_IDS_MAX; i++)
		fuzz_check(r->id_is_nik[i] == 0);
	/* A keyword corrected was read; a NIK is never echoed whole. */
	fuzz_check(!r->corrected || r->error != GRAMMAR_E_KEYWORD);
	fuzz_check(!(strlen(r->token) == GRAMMAR_NIK_LEN &&
	    strspn(r->token, "0123456789") == GRAMMAR_NIK_LEN));

	if (r->error != GRAMMAR_OK) {
		fuzz_check(r->n_ids == 0 && r->ref[0] == '\0' &&
		    r->note[0] == '\0' && r->note_skip == 0);
		fuzz_check(r->date.kind == GRAMMAR_DATE_NONE);
		fuzz_check(r->token[0] != '\0' || r->error == GRAMMAR_E_EMPTY ||
		    r->error == GRAMMAR_E_NO_ID ||
		    r->error == GRAMMAR_E_AMBIGUOUS ||
		    r->error == GRAMMAR_E_KEYWORD ||
		    r->error == GRAMMAR_E_BAD_DATE ||
		    r->error == GRAMMAR_E_CATEGORY ||
		    r->error == GRAMMAR_E_BAD_REF ||
		    r->error == GRAMMAR_E_BAD_TIME ||
		    r->error == GRAMMAR_E_NO_PLACE);
		if (r->error == GRAMMAR_E_EMPTY || r->error ==
		    GRAMMAR_E_KEYWORD || r->error == GRAMMAR_E_AMBIGUOUS)
			fuzz_check(r->cmd == GRAMMAR_CMD_NONE);
		return;
	}
	fuzz_check(r->cmd > GRAMMAR_CMD_NONE && r->cmd <= GRAMMAR_CMD_P2K2);
	fuzz_check(r->token[0] == '\0');
	if (r->cmd == GRAMMAR_CMD_GRAD || r->cmd == GRAMMAR_CMD_KUNJ)
		fuzz_check(r->n_ids >= 1);
	else
		fuzz_check(r->n_ids == 0);
	min = o->id_min_len > 1 ? o->id_min_len : 1;
	max = o->id_max_len < GRAMMAR_ID_MAX ? o->id_max_len : GRAMMAR_ID_MAX;
	for (i = 0; i < r->n_ids; i++) {
		n = strlen(r->ids[i]);
		fuzz_check(n > 0 && n <= GRAMMAR_ID_MAX);
		fuzz_check(strspn(r->ids[i], "0123456789") == n);
		if (r->id_is_nik[i])
			fuzz_check(o->nik && n == GRAMMAR_NIK_LEN);
		else
			fuzz_check((int)n >= min && (int)n <= max &&
			    !(o->nik && n == GRAMMAR_NIK_LEN));
	}
	for (n = 0; r->ref[n] != '\0'; n++)
		fuzz_check((r->ref[n] >= '0' && r->ref[n] <= '9') ||
		    (r->ref[n] >= 'A' && r->ref[n] <= 'Z'));
	switch (r->date.kind) {
	case GRAMMAR_DATE_NONE:
		fuzz_check(r->date.day == 0 && r->date.month == 0);
		break;
	case GRAMMAR_DATE_DAY:
		fuzz_check(r->date.month >= 1 && r->date.month <= 12);
		fuzz_check(r->date.day >= 1 && r->date.day <=
		    fuzz_days_in_month(r->date.year ? r->date.year : 2024,
		    r->date.month));
		fuzz_check(r->date.year == 0 || (r->date.year >= 1000 &&
		    r->date.year <= 9999));
		break;
	case GRAMMAR_DATE_RELATIVE:
		fuzz_check(r->date.rel_days <= 0);
		break;
	default:
		fuzz_check(!"unknown date kind");
	}
}

/*
 * Resolve the date of r against a today taken from the input (often a
 * real day, sometimes not).  OK: a real day, not after today.  Errors:
 * all zero.
 */
static void
fuzz_grammar_date(const struct grammar_result *r, const uint8_t *data,
    size_t size)
{
	enum grammar_error	 e;
	int			 ty = 2026, tm = 5, td = 12, y, m, d;

	if (size >= 3) {
		ty = 2000 + data[0] % 60;
		tm = 1 + data[1] % 13;		/* 13: a bad today */
		td = 1 + data[2] % 32;
	}
	e = grammar_resolve_date(r, ty, tm, td, &y, &m, &d);
	if (e != GRAMMAR_OK) {
		fuzz_check(e == GRAMMAR_E_BAD_DATE ||
		    e == GRAMMAR_E_FUTURE_DATE);
		fuzz_check(y == 0 && m == 0 && d == 0);
		return;
	}
	fuzz_check(tm <= 12 && td <= fuzz_days_in_month(ty, tm));
	fuzz_check(m >= 1 && m <= 12 && d >= 1 &&
	    d <= fuzz_days_in_month(y, m));
	fuzz_check(y < ty || (y == ty && (m < tm || (m == tm && d <= td))));
	if (r->date.kind == GRAMMAR_DATE_NONE)
		fuzz_check(y == ty && m == tm && d == td);
	if (r->date.kind == GRAMMAR_DATE_DAY)
		fuzz_check(m == r->date.month && d == r->date.day &&
		    (r->date.year == 0 || y == r->date.year));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grammar_options	 def, odd;
	struct grammar_result	 r, again;
	const char		*text = (const char *)data;
	int			 rc;

	grammar_options_default(&def);
	rc = grammar_parse(text, size, &def, &r);
	fuzz_grammar_check(data, size, &def, &r, rc);
	fuzz_grammar_date(&r, data, size);

	/* Deterministic, and NULL options are the defaults. */
	rc = grammar_parse(text, size, NULL, &again);
	fuzz_check(memcmp(&r, &again, sizeof(r)) == 0);

	/* Odd options from the last two bytes: min > max, 0, above 32. */
	if (size >= 2) {
		odd.id_min_len = (int)(data[size - 2] % 40) - 2;
		odd.id_max_len = (int)(data[size - 1] % 40) - 2;
		odd.nik = data[size - 1] & 0x80 ? 0 : 1;
		rc = grammar_parse(text, size, &odd, &r);
		fuzz_grammar_check(data, size, &odd, &r, rc);
		fuzz_grammar_date(&r, data + size - 3 > data ? data + size - 3
		    : data, 3 <= size ? 3 : size);
	}

	/*
	 * Blanks around a message change nothing it means: the same
	 * command, error, ids and category (people type leading spaces
	 * and trailing line breaks).
	 */
	if (size <= 1024) {
		static char	 padded[1024 + 8];

		memcpy(padded, "  ", 2);
		memcpy(padded + 2, data, size);
		memcpy(padded + 2 + size, " \r\n", 3);
		grammar_parse(text, size, &def, &r);
		rc = grammar_parse(padded, size + 5, &def, &again);
		fuzz_check(r.cmd == again.cmd && r.error == again.error);
		fuzz_check(r.n_ids == again.n_ids && memcmp(r.ids, again.ids,
		    sizeof(r.ids)) == 0 && r.category == again.category);
		fuzz_check(strcmp(r.ref, again.ref) == 0);
	}

	/* No text at all. */
	rc = grammar_parse(NULL, size, &def, &r);
	fuzz_check(rc == -1 && r.error == GRAMMAR_E_EMPTY);
	return 0;
}
