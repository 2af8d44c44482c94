/*
 * csv.c: one CSV record at a time (RFC 4180 quoting).
 *
 * Rosters come from spreadsheets, so the reader is strict about quotes
 * (a stray one usually means a broken export, better refused than
 * misread) and the writer guards against formula injection when an
 * operator opens our exports in a spreadsheet.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"

static void	csv_err(char *, size_t, const char *, size_t);
static int	csv_formula_start(char);

/* Write a reason, with the 1-based field number it concerns, into err. */
static void
csv_err(char *err, size_t errsz, const char *what, size_t field)
{
	if (err == NULL || errsz == 0)
		return;
	snprintf(err, errsz, "%s (field %zu)", what, field);
}

/*
 * A character that makes a spreadsheet read the cell as a formula.  The
 * header names = + - @; a leading tab or CR is on the OWASP list too.
 */
static int
csv_formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	    c == '\r';
}

/*
 * A small state machine over the bytes.  Output is written into buf as
 * it is recognised, so every store is checked against bufsz first; the
 * fields array is only written below max_fields.  A NUL byte inside the
 * record is refused: the fields are C strings and would be cut short.
 */
int
csv_split(const char *line, size_t len, char **fields, size_t max_fields,
    char *buf, size_t bufsz, char *err, size_t errsz)
{
	size_t	i = 0, o = 0, nf = 0;
	int	quoted;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (line == NULL && len > 0) {
		csv_err(err, errsz, "no input", 1);
		return -1;
	}
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;

	for (;;) {
		/* Start of field nf. */
		if (nf >= max_fields || fields == NULL) {
			csv_err(err, errsz, "too many fields", nf + 1);
			return -1;
		}
		if (o >= bufsz || buf == NULL) {
			csv_err(err, errsz, "buffer too small", nf + 1);
			return -1;
		}
		fields[nf] = buf + o;
		quoted = (i < len && line[i] == '"');
		if (quoted)
			i++;
		for (;;) {
			char	c;

			if (i >= len) {
				if (quoted) {
					csv_err(err, errsz,
					    "unterminated quote", nf + 1);
					return -1;
				}
				break;
			}
			c = line[i];
			if (c == '\0') {
				csv_err(err, errsz, "NUL byte", nf + 1);
				return -1;
			}
			if (quoted && c == '"') {
				if (i + 1 < len && line[i + 1] == '"') {
					i++;	/* "" is one quote */
				} else {
					i++;	/* closing quote */
					if (i < len && line[i] != ',') {
						csv_err(err, errsz,
						    "text after closing quote",
						    nf + 1);
						return -1;
					}
					break;
				}
			} else if (!quoted && c == ',') {
				break;
			} else if (!quoted && c == '"') {
				csv_err(err, errsz,
				    "quote inside an unquoted field", nf + 1);
				return -1;
			}
			/* Room for c and the field's terminating NUL. */
			if (o + 1 >= bufsz) {
				csv_err(err, errsz, "buffer too small",
				    nf + 1);
				return -1;
			}
			buf[o++] = c;
			i++;
		}
		buf[o++] = '\0';
		nf++;
		if (i >= len)
			break;
		i++;		/* the comma; a field always follows it */
	}
	return (int)nf;
}

int
csv_quote(const char *s, char *out, size_t outsz)
{
	size_t		 need, o = 0;
	const char	*p;
	int		 quote, guard;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (s == NULL)
		s = "";
	guard = csv_formula_start(s[0]);
	quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	need = strlen(s) + 1;
	if (quote) {
		need += 2 + (size_t)guard;
		for (p = s; *p != '\0'; p++)
			if (*p == '"')
				need++;
	}
	if (out == NULL || need > outsz || need - 1 > (size_t)0x7fffffff)
		return -1;
	if (quote)
		out[o++] = '"';
	if (guard)
		out[o++] = '\'';
	for (p = s; *p != '\0'; p++) {
		if (quote && *p == '"')
			out[o++] = '"';
		out[o++] = *p;
	}
	if (quote)
		out[o++] = '"';
	out[o] = '\0';
	return (int)o;
}
