/*
 * ini.c: a small INI reader.
 *
 * One line at a time, copied into a fixed buffer of INI_LINE_MAX bytes:
 * nothing is allocated, and a line that does not fit is an error rather
 * than silently cut.  Error reasons start with a fixed phrase ("expected
 * '=' after key", "line too long", "key outside a section", "unterminated
 * quote", "bad section header") so the caller can print them after its
 * own "file:line: ".
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ini.h"

static int	ini_is_blank(char);
static int	ini_is_name(char);
static char	*ini_trim(char *);
static int	ini_rest_is_comment(const char *);
static int	ini_section(char *, char *, char *, size_t);
static int	ini_value(char *, char **, char *, size_t);
static void	ini_seterr(char *, size_t, const char *);

static int
ini_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Section and key names: [A-Za-z0-9_.-], passed on as written. */
static int
ini_is_name(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* Strip blanks at both ends in place; returns the new start. */
static char *
ini_trim(char *s)
{
	size_t	n;

	while (ini_is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && ini_is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Nothing but blanks, possibly followed by a comment. */
static int
ini_rest_is_comment(const char *s)
{
	while (ini_is_blank(*s))
		s++;
	return *s == '\0' || *s == '#' || *s == ';';
}

static void
ini_seterr(char *err, size_t errsz, const char *what)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "%s", what);
}

/*
 * "[name]" with optional blanks inside the brackets and an optional
 * comment after them.  The name is copied into section (INI_NAME_MAX).
 */
static int
ini_section(char *s, char *section, char *err, size_t errsz)
{
	char	*close, *name;
	size_t	 i;

	close = strchr(s, ']');
	if (close == NULL || !ini_rest_is_comment(close + 1)) {
		ini_seterr(err, errsz, "bad section header");
		return -1;
	}
	*close = '\0';
	name = ini_trim(s + 1);
	if (*name == '\0') {
		ini_seterr(err, errsz, "bad section header: empty name");
		return -1;
	}
	for (i = 0; name[i] != '\0'; i++) {
		if (!ini_is_name(name[i])) {
			ini_seterr(err, errsz,
			    "bad section header: use letters, digits, _ . -");
			return -1;
		}
	}
	if (i >= INI_NAME_MAX) {
		ini_seterr(err, errsz, "bad section header: name too long");
		return -1;
	}
	memcpy(section, name, i + 1);
	return 0;
}

/*
 * The value after '=' (s points past it), in place.  Quoted: up to the
 * closing quote, with \" and \\ as the only escapes, then nothing but a
 * comment.  Unquoted: up to a '#' or ';' that follows a blank, trimmed;
 * so "url = http://host/#x" keeps its '#' and "k =" is an empty value.
 */
static int
ini_value(char *s, char **value, char *err, size_t errsz)
{
	char	*r, *w;

	while (ini_is_blank(*s))
		s++;
	if (*s == '"') {
		r = w = s + 1;
		for (;;) {
			if (*r == '\0') {
				ini_seterr(err, errsz, "unterminated quote");
				return -1;
			}
			if (*r == '"')
				break;
			if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
				r++;
			*w++ = *r++;
		}
		*w = '\0';
		if (!ini_rest_is_comment(r + 1)) {
			ini_seterr(err, errsz,
			    "unexpected text after quoted value");
			return -1;
		}
		*value = s + 1;
		return 0;
	}
	for (r = s; *r != '\0'; r++) {
		if ((*r == '#' || *r == ';') &&
		    (r == s || ini_is_blank(r[-1]))) {
			*r = '\0';
			break;
		}
	}
	*value = ini_trim(s);
	return 0;
}

/*
 * Walk the lines.  A UTF-8 byte order mark at the very start is skipped;
 * lines end in LF or CRLF; comments start with '#' or ';' as the first
 * non-blank character.
 */
int
ini_parse(const char *buf, size_t len, ini_handler *cb, void *arg,
    int *err_line, char *err, size_t errsz)
{
	char		 line[INI_LINE_MAX], section[INI_NAME_MAX];
	char		 scratch[128], *e = err, *s, *key, *value;
	size_t		 pos = 0, n, esz = errsz, klen;
	int		 lineno = 0;

	if (err_line != NULL)
		*err_line = 0;
	if (e == NULL || esz == 0) {
		e = scratch;
		esz = sizeof(scratch);
	}
	e[0] = '\0';
	section[0] = '\0';
	if (buf == NULL)
		len = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;

	while (pos < len) {
		const char	*nl;

		lineno++;
		nl = memchr(buf + pos, '\n', len - pos);
		n = (nl != NULL ? (size_t)(nl - buf) : len) - pos;
		if (n > 0 && buf[pos + n - 1] == '\r')
			n--;
		if (n >= sizeof(line)) {
			ini_seterr(e, esz, "line too long");
			goto fail;
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos = nl != NULL ? (size_t)(nl - buf) + 1 : len;
		if (strlen(line) != n) {
			ini_seterr(e, esz, "NUL byte in line");
			goto fail;
		}

		s = ini_trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (ini_section(s, section, e, esz) == -1)
				goto fail;
			continue;
		}

		key = s;
		for (klen = 0; ini_is_name(key[klen]); klen++)
			;
		if (klen == 0) {
			ini_seterr(e, esz, key[0] == '=' ?
			    "expected a key before '='" :
			    "expected a key (letters, digits, _ . -)");
			goto fail;
		}
		s = key + klen;
		while (ini_is_blank(*s))
			s++;
		if (*s != '=') {
			ini_seterr(e, esz, "expected '=' after key");
			goto fail;
		}
		key[klen] = '\0';
		if (klen >= INI_NAME_MAX) {
			ini_seterr(e, esz, "key too long");
			goto fail;
		}
		if (section[0] == '\0') {
			ini_seterr(e, esz, "key outside a section");
			goto fail;
		}
		if (ini_value(s + 1, &value, e, esz) == -1)
			goto fail;
		if (cb != NULL &&
		    cb(arg, section, key, value, lineno, e, esz) != 0) {
			if (e[0] == '\0')
				ini_seterr(e, esz, "rejected");
			goto fail;
		}
	}
	return 0;

fail:
	if (err_line != NULL)
		*err_line = lineno;
	return -1;
}
