/*
 * ini.h: a small INI reader.
 *
 *	# comment, ; comment
 *	[section]
 *	key = value		# trailing comments after whitespace
 *
 * Values may be quoted with "..." to keep '#' or ';' or leading blanks.
 * Pure: the caller reads the file and interprets keys in a callback.
 */
#ifndef PILAR_INI_H
#define PILAR_INI_H

#include <stddef.h>

#define INI_LINE_MAX	1024
#define INI_NAME_MAX	64

/*
 * Called once per key.  Return 0 to go on, or -1 after writing a reason
 * into err (errsz bytes) to stop: ini_parse() then reports that line.
 */
typedef int ini_handler(void *arg, const char *section, const char *key,
    const char *value, int line, char *err, size_t errsz);

/*
 * Parse len bytes of buf.  Returns 0, or -1 with *err_line set to the
 * 1-based line and err holding what is wrong (syntax errors, overlong
 * lines, a key before any section, or the handler's own reason).
 */
int	ini_parse(const char *buf, size_t len, ini_handler *cb, void *arg,
	    int *err_line, char *err, size_t errsz);

#endif
