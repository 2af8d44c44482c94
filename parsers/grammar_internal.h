/*
 * grammar_internal.h: what the files of the grammar share.
 *
 *	grammar.c		the commands, grammar_parse()
 *	grammar_lex.c		the lexer, the reply token, the visit note
 *	grammar_keyword.c	keywords, aliases, typos; categories, fillers
 *	grammar_date.c		dates as typed, and placing them in time
 *	grammar_nik.c		KPM ids and the structure of a NIK
 *	grammar_second.c	a second command after the first
 *
 * Nothing outside these six files includes this header: the interface
 * is grammar.h.  Every function here reads within [text, text + len)
 * and nothing here allocates.
 */
#ifndef PILAR_GRAMMAR_INTERNAL_H
#define PILAR_GRAMMAR_INTERNAL_H

#include <stddef.h>

#include "grammar.h"

#define GRAMMAR_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct grammar_lexer {
	const unsigned char	*text;
	size_t			 len;
	size_t			 pos;	/* next byte to look at */
};

/*
 * A word: [start, end) with trailing ! ? and emoji dropped; raw_end is
 * past them.
 */
struct grammar_token {
	size_t	start;
	size_t	end;
	size_t	raw_end;
};

/* What a word is made of, as far as the commands care. */
enum grammar_shape {
	GRAMMAR_SHAPE_DIGITS,	/* digits only (ASCII or fullwidth) */
	GRAMMAR_SHAPE_LETTERS,	/* ASCII letters only */
	GRAMMAR_SHAPE_ALNUM,	/* ASCII letters and digits */
	GRAMMAR_SHAPE_OTHER	/* anything else: punctuation, UTF-8 */
};

/* How a keyword lookup ended. */
enum grammar_kw {
	GRAMMAR_KW_NONE = 0,
	GRAMMAR_KW_FOUND,
	GRAMMAR_KW_AMBIGUOUS
};

/* Whether a date is at some place in the text. */
enum grammar_dm {
	GRAMMAR_DM_NONE = 0,	/* nothing date-like: read on */
	GRAMMAR_DM_OK,
	GRAMMAR_DM_BAD		/* date-shaped, but no such day */
};

/* Filler words (grammar_keyword.c): what they do to a command. */
enum grammar_filler_kind {
	GRAMMAR_FILL_NONE = 0,
	GRAMMAR_FILL_INSTRUCTION,	/* skipped wherever it stands */
	GRAMMAR_FILL_COURTESY		/* skipped, or ends the command */
};

static inline int
grammar_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline int
grammar_is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline int
grammar_is_alnum(unsigned char c)
{
	return grammar_is_digit(c) || grammar_is_alpha(c);
}

/* What glues a keyword or a category to an id: GRAD-12345, 12345/SM. */
static inline int
grammar_is_joiner(unsigned char c)
{
	return c == '-' || c == '_' || c == '/' || c == '+';
}

/* grammar_lex.c: the lexer, the token of a reply, the note of a visit. */
size_t	grammar_blank_len(const unsigned char *, size_t);
size_t	grammar_note_lead_len(const unsigned char *, size_t);
size_t	grammar_wide_digit(const unsigned char *, size_t);
int	grammar_next(struct grammar_lexer *, struct grammar_token *);
/* Whether a word holds any ASCII letter or digit. */
int	grammar_has_alnum(const unsigned char *, const struct grammar_token *);
/* Whether a word is nothing but ASCII punctuation: "-", "/", "+". */
int	grammar_punct_only(const unsigned char *,
	    const struct grammar_token *);
/* Classify a word; *has_digit tells whether any digit is in it. */
enum grammar_shape grammar_shape(const unsigned char *,
	    const struct grammar_token *, int *has_digit);
int	grammar_word_is(const unsigned char *, size_t, const char *);
int	grammar_in_list(const unsigned char *, size_t, const char *const *,
	    size_t);
void	grammar_copy_ascii(char *, size_t, const unsigned char *, size_t,
	    size_t);
void	grammar_set_token(struct grammar_result *, const unsigned char *,
	    size_t, size_t);
/* The visit note: the message after the id, safe to store and show. */
void	grammar_copy_note(char *, const unsigned char *, size_t, size_t,
	    size_t *);

/* grammar_keyword.c: the command word and the words after it. */
enum grammar_error grammar_first(struct grammar_lexer *, enum grammar_cmd *,
	    struct grammar_result *, struct grammar_token *);
int	grammar_is_grad_word(const unsigned char *, size_t);
int	grammar_category(const unsigned char *, size_t,
	    enum grammar_category *);
enum grammar_filler_kind grammar_filler(const unsigned char *, size_t);

/* grammar_date.c: dates. */
int	grammar_month_days(int, int);
enum grammar_error grammar_take_date(struct grammar_lexer *,
	    const struct grammar_token *, int *, struct grammar_result *);
enum grammar_dm grammar_time_at(const unsigned char *, size_t, size_t,
	    int *, int *, size_t *);
enum grammar_error grammar_note_date(const unsigned char *, size_t, size_t,
	    struct grammar_result *, size_t *);

/* grammar_second.c: one command per message. */
size_t	grammar_second(const struct grammar_lexer *, enum grammar_cmd,
	    struct grammar_result *, char *, size_t);
void	grammar_second_token(struct grammar_result *, enum grammar_error,
	    const char *);

/* grammar_nik.c: ids and NIKs. */
void	grammar_set_masked(struct grammar_result *, const unsigned char *,
	    size_t, size_t, const char *);
enum grammar_error grammar_add_id(struct grammar_result *,
	    const unsigned char *, const struct grammar_token *,
	    const struct grammar_options *);

#endif
