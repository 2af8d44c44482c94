/*
 * grammar_fixture.h: what the grammar tests share (test_grammar.c and
 * test_grammar_order.c): parsing from an exact-size copy, so that
 * AddressSanitizer catches any read past len, and the invariants every
 * result must hold.
 */
#ifndef PILAR_GRAMMAR_FIXTURE_H
#define PILAR_GRAMMAR_FIXTURE_H

#include <stddef.h>

#include "grammar.h"

/* Parse from an exact-size copy: no NUL after the last byte. */
int	parse_exact(const char *, size_t, const struct grammar_options *,
	    struct grammar_result *);
/* The invariants every result r must hold, grammar_parse() having said rc. */
void	check_invariants(const struct grammar_result *r, int rc);

#endif
