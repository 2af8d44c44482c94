/*
 * csv.h: one CSV record at a time (RFC 4180 quoting).
 */
#ifndef PILAR_CSV_H
#define PILAR_CSV_H

#include <stddef.h>

/*
 * Split one record (without its line ending; a trailing CR is dropped)
 * into at most max_fields fields.  The field texts are written, NUL
 * separated, into buf (bufsz bytes) and fields[i] points into buf.
 * "a,""b"",c" quoting is honoured; a quote inside an unquoted field or an
 * unterminated quote is an error.  Returns the number of fields, or -1
 * with err describing the problem (too many fields, bad quoting, buffer
 * too small).
 */
int	csv_split(const char *line, size_t len, char **fields,
	    size_t max_fields, char *buf, size_t bufsz, char *err,
	    size_t errsz);

/*
 * Write s as one CSV field into out: quoted when it holds a comma, a
 * quote, CR or LF, or begins with = + - @ (spreadsheet formula
 * injection: those get a leading apostrophe inside the quotes).
 * Returns the length written, or -1 when out is too small.
 */
int	csv_quote(const char *s, char *out, size_t outsz);

#endif
