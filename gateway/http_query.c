/*
 * http_query.c: the query string of a request, decoded strictly.
 *
 * Pure functions over the bytes a client sent: nothing here logs or
 * allocates, so they are unit-tested alone (tests/unit/test_http_query.c).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "http.h"
#include "progress.h"

#define HTTP_QUERY_MAX		2048	/* bytes of a query string */

static int	http_hex(int);
static int	http_decode(const char *, size_t, char *, size_t);

static int
http_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode src[0..len) into out, '+' as a space (as forms send
 * it); -1 on a bad escape, a NUL byte or a result that does not fit.
 */
static int
http_decode(const char *src, size_t len, char *out, size_t outsz)
{
	size_t	i, n = 0;
	int	c, hi, lo;

	for (i = 0; i < len; i++) {
		c = (unsigned char)src[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (len - i < 3 || (hi = http_hex(src[i + 1])) == -1 ||
			    (lo = http_hex(src[i + 2])) == -1)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		}
		if (c == '\0' || n + 1 >= outsz)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

/*
 * The query string: token= for any page, the filter of /progress when
 * pq is set.  Anything else is refused, so a typo in a bookmarked link
 * shows up instead of silently showing everything.  err gets the reason,
 * with the client's words quoted by the caller's log line.
 */
int
http_query_parse(const char *query, struct progress_query *pq, char *token,
    size_t tokensz, char *err, size_t errsz)
{
	const char	*p, *amp, *eq, *end, *v;
	char		 key[32], val[256];

	token[0] = '\0';
	if (query == NULL || *query == '\0')
		return 0;
	if (strlen(query) > HTTP_QUERY_MAX) {
		snprintf(err, errsz, "query string longer than %d bytes",
		    HTTP_QUERY_MAX);
		return -1;
	}
	for (p = query; p != NULL; p = amp != NULL ? amp + 1 : NULL) {
		amp = strchr(p, '&');
		end = amp != NULL ? amp : p + strlen(p);
		if (end == p)
			continue;
		eq = memchr(p, '=', (size_t)(end - p));
		v = eq != NULL ? eq + 1 : end;
		if (http_decode(p, (size_t)((eq != NULL ? eq : end) - p), key,
		    sizeof(key)) == -1) {
			snprintf(err, errsz, "bad parameter name");
			return -1;
		}
		if (http_decode(v, (size_t)(end - v), val, sizeof(val)) == -1) {
			snprintf(err, errsz, "bad value of %s", key);
			return -1;
		}
		if (strcmp(key, "token") == 0) {
			if (strlen(val) >= tokensz) {
				snprintf(err, errsz, "token too long");
				return -1;
			}
			memcpy(token, val, strlen(val) + 1);
		} else if (pq == NULL) {
			snprintf(err, errsz, "unknown parameter %s", key);
			return -1;
		} else if (progress_query_set(pq, key, val, err, errsz) == -1)
			return -1;
	}
	return 0;
}

int
http_token_equal(const char *want, const char *got)
{
	size_t		n = strlen(want), m = strlen(got), i;
	unsigned	d = n != m;

	for (i = 0; i < n; i++)
		d |= (unsigned char)want[i] ^
		    (unsigned char)(i < m ? got[i] : 0);
	return d == 0;
}
