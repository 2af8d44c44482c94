/*
 * test_grammar_table.c: several hundred messages as companions really
 * type them, each with everything it must mean, read from
 * grammar_cases.txt (its path comes from CMake as GRAMMAR_CASES).
 *
 * A case is one line: the message as a quoted string, then the expected
 * outcome and key=value expectations, e.g.
 *
 *	"grad12345al"		GRAD ids=12345 cat=AL
 *	"STAP"			AMBIGUOUS tok=STAP cand=STATUS,STOP
 *	"KUNJ 12345 28/12"	KUNJ ids=12345 date=28/12 note="28/12" skip=5
 *				(continued:) today=2026-01-02 on=2025-12-28
 *
 * The outcome is a command name (GRAD KUNJ STATUS BATAL BANTUAN STOP
 * MULAI P2K2) for a success, or an error name (EMPTY KEYWORD NO_ID BAD_ID
 * CATEGORY BAD_REF AMBIGUOUS BAD_DATE BAD_NIK BAD_TIME NO_PLACE
 * TWO_COMMANDS) with cmd=NAME for the command whose arguments were wrong
 * (the first command for TWO_COMMANDS).  Keys:
 *	ids=1,2		the ids, in order
 *	cat=AL		the category, typed (otherwise SM, not given)
 *	ref=G004	BATAL's reference
 *	note="..."	KUNJ's note (P2K2's place); skip=N its note_skip
 *	time=HH:MM	P2K2's time (time_given, hour, minute)
 *	second=NAME	TWO_COMMANDS: the command after the first
 *	tok="..."	the token of an error
 *	kw=WORD		the keyword as typed (checked only when named)
 *	typo=WORD	a corrected keyword: corrected = 1, keyword = WORD
 *	cand=A,B	the candidates of an ambiguity, in enum order
 *	date=dd/mm[/yyyy] or rel=N	the date named
 *	nik=0110	per id, whether it is a NIK; part=DAY: E_BAD_NIK's part
 *	fix		some id was read with O, l, I or wide digits
 *	min=N max=N nonik	options (defaults: 1, 20, NIKs checked)
 *	today=yyyy-mm-dd with on=yyyy-mm-dd or resolve=ERROR:
 *			what grammar_resolve_date() makes of it
 * Whatever a line does not name must have its zero value.  Messages
 * take C escapes: \n \r \t \0 \" \\ \xHH, and \u{HHHH} for a character
 * written as UTF-8.  Each message is parsed from an exact-size heap copy
 * so that AddressSanitizer sees any read past its end, and every result
 * must hold the invariants of struct grammar_result.
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

#ifndef GRAMMAR_CASES
#define GRAMMAR_CASES	"grammar_cases.txt"
#endif

#define CASE_TEXT_MAX	1024

struct expect {
	enum grammar_cmd	cmd;
	enum grammar_error	err;
	char			ids[512];
	enum grammar_category	cat;
	int			given;
	char			ref[32];
	char			note[CASE_TEXT_MAX];
	long			skip;
	char			tok[CASE_TEXT_MAX];
	int			has_kw;
	char			kw[64];
	int			corrected;
	int			n_cand;
	enum grammar_cmd	cand[GRAMMAR_CANDIDATES_MAX];
	struct grammar_date	date;
	char			nik[GRAMMAR_IDS_MAX + 1];
	enum grammar_nik_part	part;
	int			fix;
	int			min, max, nonik;
	int			time_given, hour, minute;
	enum grammar_cmd	second;
	int			has_today, ty, tm, td;
	int			has_on, oy, om, od;
	enum grammar_error	resolve;
};

static int	nfailed;

/* Read a quoted string with escapes at *pp into buf; its length or -1. */
static long
read_quoted(const char **pp, char *buf, size_t bufsz)
{
	const char	*p = *pp;
	size_t		 o = 0;
	unsigned long	 cp;
	char		*end;

	if (*p++ != '"')
		return -1;
	while (*p != '"') {
		if (*p == '\0' || o + 4 >= bufsz)
			return -1;
		if (*p != '\\') {
			buf[o++] = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'n':
			buf[o++] = '\n';
			p++;
			break;
		case 'r':
			buf[o++] = '\r';
			p++;
			break;
		case 't':
			buf[o++] = '\t';
			p++;
			break;
		case '0':
			buf[o++] = '\0';
			p++;
			break;
		case '"': case '\\':
			buf[o++] = *p++;
			break;
		case 'x':
			cp = strtoul(p + 1, &end, 16);
			if (end != p + 3)
				return -1;
			buf[o++] = (char)cp;
			p = end;
			break;
		case 'u':
			if (p[1] != '{')
				return -1;
			cp = strtoul(p + 2, &end, 16);
			if (*end != '}')
				return -1;
			p = end + 1;
			if (cp < 0x80) {
				buf[o++] = (char)cp;
			} else if (cp < 0x800) {
				buf[o++] = (char)(0xc0 | cp >> 6);
				buf[o++] = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				buf[o++] = (char)(0xe0 | cp >> 12);
				buf[o++] = (char)(0x80 | (cp >> 6 & 0x3f));
				buf[o++] = (char)(0x80 | (cp & 0x3f));
			} else {
				buf[o++] = (char)(0xf0 | cp >> 18);
				buf[o++] = (char)(0x80 | (cp >> 12 & 0x3f));
				buf[o++] = (char)(0x80 | (cp >> 6 & 0x3f));
				buf[o++] = (char)(0x80 | (cp & 0x3f));
			}
			break;
		default:
			return -1;
		}
	}
	*pp = p + 1;
	buf[o] = '\0';
	return (long)o;
}

static int
cmd_by_name(const char *name, enum grammar_cmd *c)
{
	int	i;

	for (i = GRAMMAR_CMD_GRAD; i <= GRAMMAR_CMD_P2K2; i++) {
		if (strcmp(grammar_cmd_name((enum grammar_cmd)i), name) == 0) {
			*c = (enum grammar_cmd)i;
			return 0;
		}
	}
	return -1;
}

/* "NO_ID" or "E_NO_ID" */
static int
error_by_name(const char *name, enum grammar_error *e)
{
	int	i;

	if (strncmp(name, "E_", 2) == 0)
		name += 2;
	for (i = GRAMMAR_E_EMPTY; i <= GRAMMAR_E_TWO_COMMANDS; i++) {
		if (strcmp(grammar_error_name((enum grammar_error)i) + 2,
		    name) == 0) {
			*e = (enum grammar_error)i;
			return 0;
		}
	}
	return -1;
}

static int
part_by_name(const char *name, enum grammar_nik_part *p)
{
	int	i;

	for (i = GRAMMAR_NIK_PROVINCE; i <= GRAMMAR_NIK_SERIAL; i++) {
		if (strcmp(grammar_nik_part_name((enum grammar_nik_part)i),
		    name) == 0) {
			*p = (enum grammar_nik_part)i;
			return 0;
		}
	}
	return -1;
}

static int
read_ymd(const char *v, int *y, int *m, int *d)
{
	return sscanf(v, "%d-%d-%d", y, m, d) == 3 ? 0 : -1;
}

/* One key=value (or a bare key) of a case line into *x; -1 if unknown. */
static int
read_key(const char *key, const char *v, struct expect *x)
{
	char	buf[128], *w, *save;

	if (strcmp(key, "ids") == 0) {
		snprintf(x->ids, sizeof(x->ids), "%s", v);
	} else if (strcmp(key, "cat") == 0) {
		x->given = 1;
		if (strcmp(v, "SM") == 0)
			x->cat = GRAMMAR_CAT_SM;
		else if (strcmp(v, "AL") == 0)
			x->cat = GRAMMAR_CAT_AL;
		else if (strcmp(v, "PK") == 0)
			x->cat = GRAMMAR_CAT_PK;
		else
			return -1;
	} else if (strcmp(key, "ref") == 0) {
		snprintf(x->ref, sizeof(x->ref), "%s", v);
	} else if (strcmp(key, "note") == 0) {
		snprintf(x->note, sizeof(x->note), "%s", v);
	} else if (strcmp(key, "skip") == 0) {
		x->skip = atol(v);
	} else if (strcmp(key, "tok") == 0) {
		snprintf(x->tok, sizeof(x->tok), "%s", v);
	} else if (strcmp(key, "kw") == 0) {
		x->has_kw = 1;
		snprintf(x->kw, sizeof(x->kw), "%s", v);
	} else if (strcmp(key, "typo") == 0) {
		x->has_kw = 1;
		x->corrected = 1;
		snprintf(x->kw, sizeof(x->kw), "%s", v);
	} else if (strcmp(key, "cand") == 0) {
		snprintf(buf, sizeof(buf), "%s", v);
		for (w = strtok_r(buf, ",", &save); w != NULL;
		    w = strtok_r(NULL, ",", &save)) {
			if (x->n_cand == GRAMMAR_CANDIDATES_MAX ||
			    cmd_by_name(w, &x->cand[x->n_cand]) == -1)
				return -1;
			x->n_cand++;
		}
	} else if (strcmp(key, "date") == 0) {
		x->date.kind = GRAMMAR_DATE_DAY;
		if (sscanf(v, "%d/%d/%d", &x->date.day, &x->date.month,
		    &x->date.year) < 2)
			return -1;
	} else if (strcmp(key, "rel") == 0) {
		x->date.kind = GRAMMAR_DATE_RELATIVE;
		x->date.rel_days = atoi(v);
	} else if (strcmp(key, "nik") == 0) {
		snprintf(x->nik, sizeof(x->nik), "%s", v);
	} else if (strcmp(key, "part") == 0) {
		return part_by_name(v, &x->part);
	} else if (strcmp(key, "fix") == 0) {
		x->fix = 1;
	} else if (strcmp(key, "min") == 0) {
		x->min = atoi(v);
	} else if (strcmp(key, "max") == 0) {
		x->max = atoi(v);
	} else if (strcmp(key, "time") == 0) {
		x->time_given = 1;
		if (sscanf(v, "%d:%d", &x->hour, &x->minute) != 2)
			return -1;
	} else if (strcmp(key, "nonik") == 0) {
		x->nonik = 1;
	} else if (strcmp(key, "cmd") == 0) {
		return cmd_by_name(v, &x->cmd);
	} else if (strcmp(key, "second") == 0) {
		return cmd_by_name(v, &x->second);
	} else if (strcmp(key, "today") == 0) {
		x->has_today = 1;
		return read_ymd(v, &x->ty, &x->tm, &x->td);
	} else if (strcmp(key, "on") == 0) {
		x->has_on = 1;
		return read_ymd(v, &x->oy, &x->om, &x->od);
	} else if (strcmp(key, "resolve") == 0) {
		return error_by_name(v, &x->resolve);
	} else
		return -1;
	return 0;
}

/* The expectations after the message; -1 on a malformed line. */
static int
read_expect(const char *p, struct expect *x)
{
	char	word[64], val[CASE_TEXT_MAX];
	size_t	n;

	memset(x, 0, sizeof(*x));
	while (*p == ' ' || *p == '\t')
		p++;
	for (n = 0; *p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' &&
	    n + 1 < sizeof(word); p++)
		word[n++] = *p;
	word[n] = '\0';
	if (cmd_by_name(word, &x->cmd) == -1 &&
	    error_by_name(word, &x->err) == -1)
		return -1;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		for (n = 0; *p != '\0' && *p != '=' && *p != ' ' &&
		    *p != '\t' && *p != '\n' && n + 1 < sizeof(word); p++)
			word[n++] = *p;
		word[n] = '\0';
		val[0] = '\0';
		if (*p == '=') {
			p++;
			if (*p == '"') {
				if (read_quoted(&p, val, sizeof(val)) < 0)
					return -1;
			} else {
				for (n = 0; *p != '\0' && *p != ' ' &&
				    *p != '\t' && *p != '\n' &&
				    n + 1 < sizeof(val); p++)
					val[n++] = *p;
				val[n] = '\0';
			}
		}
		if (read_key(word, val, x) == -1)
			return -1;
	}
	return 0;
}

static void
join_ids(const struct grammar_result *r, char *buf, size_t bufsz)
{
	size_t	o = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < r->n_ids && o < bufsz; i++)
		o += (size_t)snprintf(buf + o, bufsz - o, "%s%s",
		    i > 0 ? "," : "", r->ids[i]);
}

/* What a result says, in the syntax of the case file, for a failure. */
static void
describe(const struct grammar_result *r, char *buf, size_t bufsz)
{
	char	ids[512];
	size_t	o;
	int	i;

	if (r->error == GRAMMAR_OK)
		o = (size_t)snprintf(buf, bufsz, "%s",
		    grammar_cmd_name(r->cmd));
	else
		o = (size_t)snprintf(buf, bufsz, "%s cmd=%s",
		    grammar_error_name(r->error) + 2, grammar_cmd_name(r->cmd));
	join_ids(r, ids, sizeof(ids));
#define ADD(...) do {							\
		if (o < bufsz)						\
			o += (size_t)snprintf(buf + o, bufsz - o,	\
			    __VA_ARGS__);				\
	} while (0)
	if (ids[0] != '\0')
		ADD(" ids=%s", ids);
	if (r->category_given)
		ADD(" cat=%s", grammar_category_name(r->category));
	else if (r->category != GRAMMAR_CAT_SM)
		ADD(" cat=%s(not given!)", grammar_category_name(r->category));
	if (r->ref[0] != '\0')
		ADD(" ref=%s", r->ref);
	if (r->note[0] != '\0')
		ADD(" note=\"%s\"", r->note);
	if (r->note_skip != 0)
		ADD(" skip=%zu", r->note_skip);
	if (r->token[0] != '\0')
		ADD(" tok=\"%s\"", r->token);
	ADD(" %s=%s", r->corrected ? "typo" : "kw", r->keyword);
	for (i = 0; i < r->n_candidates; i++)
		ADD("%s%s", i == 0 ? " cand=" : ",",
		    grammar_cmd_name(r->candidates[i]));
	if (r->date.kind == GRAMMAR_DATE_DAY && r->date.year != 0)
		ADD(" date=%02d/%02d/%d", r->date.day, r->date.month,
		    r->date.year);
	else if (r->date.kind == GRAMMAR_DATE_DAY)
		ADD(" date=%02d/%02d", r->date.day, r->date.month);
	else if (r->date.kind == GRAMMAR_DATE_RELATIVE)
		ADD(" rel=%d", r->date.rel_days);
	for (i = 0; i < r->n_ids; i++)
		if (r->id_is_nik[i])
			break;
	if (i < r->n_ids) {
		ADD(" nik=");
		for (i = 0; i < r->n_ids; i++)
			ADD("%d", r->id_is_nik[i]);
	}
	if (r->nik_part != GRAMMAR_NIK_OK)
		ADD(" part=%s", grammar_nik_part_name(r->nik_part));
	if (r->time_given)
		ADD(" time=%02d:%02d", r->hour, r->minute);
	if (r->ids_corrected)
		ADD(" fix");
	if (r->second != GRAMMAR_CMD_NONE)
		ADD(" second=%s", grammar_cmd_name(r->second));
#undef ADD
}

/* Whether the result is what the line expects; complains if not. */
static void
check_line(int lineno, const char *msg, size_t len, const struct expect *x)
{
	struct grammar_options	 o;
	struct grammar_result	 r;
	char			 ids[512], got[2048], nik[GRAMMAR_IDS_MAX + 1];
	char			*copy;
	const char		*why = NULL;
	int			 rc, i, y, m, d;
	enum grammar_error	 re;

	grammar_options_default(&o);
	if (x->min > 0)
		o.id_min_len = x->min;
	if (x->max > 0)
		o.id_max_len = x->max;
	if (x->nonik)
		o.nik = 0;
	copy = malloc(len > 0 ? len : 1);
	assert_non_null(copy);
	memcpy(copy, msg, len);
	memset(&r, 0x5a, sizeof(r));
	rc = grammar_parse(copy, len, &o, &r);
	free(copy);
	check_invariants(&r, rc);

	join_ids(&r, ids, sizeof(ids));
	for (i = 0; i < r.n_ids; i++)
		nik[i] = r.id_is_nik[i] ? '1' : '0';
	nik[i] = '\0';
	if (r.error != x->err)
		why = "error";
	else if (r.cmd != x->cmd)
		why = "command";
	else if (strcmp(ids, x->ids) != 0)
		why = "ids";
	else if (r.category != x->cat || r.category_given != x->given)
		why = "category";
	else if (strcmp(r.ref, x->ref) != 0)
		why = "ref";
	else if (strcmp(r.note, x->note) != 0)
		why = "note";
	else if ((long)r.note_skip != x->skip)
		why = "note_skip";
	else if (strcmp(r.token, x->tok) != 0)
		why = "token";
	else if (r.corrected != x->corrected)
		why = "corrected";
	else if (x->has_kw && strcmp(r.keyword, x->kw) != 0)
		why = "keyword";
	else if (r.n_candidates != x->n_cand || memcmp(r.candidates, x->cand,
	    (size_t)x->n_cand * sizeof(x->cand[0])) != 0)
		why = "candidates";
	else if (r.date.kind != x->date.kind || r.date.day != x->date.day ||
	    r.date.month != x->date.month || r.date.year != x->date.year ||
	    r.date.rel_days != x->date.rel_days)
		why = "date";
	else if (x->nik[0] != '\0' ? strcmp(nik, x->nik) != 0 :
	    strchr(nik, '1') != NULL)
		why = "nik";
	else if (r.nik_part != x->part)
		why = "nik part";
	else if (r.ids_corrected != x->fix)
		why = "fix";
	else if (r.time_given != x->time_given || r.hour != x->hour ||
	    r.minute != x->minute)
		why = "time";
	else if (r.second != x->second)
		why = "second command";
	if (why == NULL && x->has_today) {
		re = grammar_resolve_date(&r, x->ty, x->tm, x->td, &y, &m, &d);
		if (re != x->resolve)
			why = "resolve";
		else if (x->has_on && (y != x->oy || m != x->om ||
		    d != x->od))
			why = "resolved day";
		else if (re != GRAMMAR_OK && (y != 0 || m != 0 || d != 0))
			why = "resolved day not cleared";
	}
	if (why != NULL) {
		describe(&r, got, sizeof(got));
		if (x->has_today) {
			re = grammar_resolve_date(&r, x->ty, x->tm, x->td, &y,
			    &m, &d);
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    " resolve=%s on=%04d-%02d-%02d",
			    grammar_error_name(re), y, m, d);
		}
		print_error("%s:%d: wrong %s\n    got: %s\n", GRAMMAR_CASES,
		    lineno, why, got);
		nfailed++;
	}
}

static void
test_cases(void **state)
{
	FILE	*f;
	char	 line[4096], msg[CASE_TEXT_MAX];
	const char *p;
	struct expect x;
	long	 len;
	int	 lineno = 0, ncases = 0;

	(void)state;
	f = fopen(GRAMMAR_CASES, "r");
	if (f == NULL)
		fail_msg("cannot open %s", GRAMMAR_CASES);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		if ((len = read_quoted(&p, msg, sizeof(msg))) < 0 ||
		    read_expect(p, &x) == -1) {
			print_error("%s:%d: malformed line\n", GRAMMAR_CASES,
			    lineno);
			nfailed++;
			continue;
		}
		check_line(lineno, msg, (size_t)len, &x);
		ncases++;
	}
	fclose(f);
	print_message("%d messages, %d wrong\n", ncases, nfailed);
	assert_int_equal(nfailed, 0);
	assert_true(ncases >= 300);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
