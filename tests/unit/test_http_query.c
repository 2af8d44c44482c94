/*
 * test_http_query.c: what a client may put in a URL of pilard's HTTP
 * server, and what the progress page makes of hostile names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/buffer.h>

#include "config.h"
#include "http.h"
#include "progress.h"

static int
parse(const char *query, struct progress_query *pq, char *token)
{
	char	err[128];

	memset(pq, 0, sizeof(*pq));
	pq->page = 1;
	return http_query_parse(query, pq, token, CONFIG_TOKEN_MAX + 1, err,
	    sizeof(err));
}

static void
test_query_decodes(void **state)
{
	struct progress_query	pq;
	char			token[CONFIG_TOKEN_MAX + 1];

	(void)state;
	assert_int_equal(parse("q=Sari+Dewi&region=Kab.%20Sumba%2fTimur"
	    "&sort=least&page=3&token=abc", &pq, token), 0);
	assert_string_equal(pq.q, "Sari Dewi");
	assert_string_equal(pq.region, "Kab. Sumba/Timur");
	assert_int_equal(pq.sort, PROGRESS_SORT_LEAST);
	assert_int_equal(pq.page, 3);
	assert_string_equal(token, "abc");
	assert_int_equal(parse("&&q=a&", &pq, token), 0);
	assert_string_equal(pq.q, "a");
	assert_string_equal(token, "");
	assert_int_equal(parse("", &pq, token), 0);
	assert_int_equal(parse(NULL, &pq, token), 0);
	assert_int_equal(parse("q", &pq, token), 0);
	assert_string_equal(pq.q, "");
	assert_int_equal(parse("sort=most", &pq, token), 0);
	assert_int_equal(pq.sort, PROGRESS_SORT_MOST);
	assert_int_equal(parse("q=%E2%9C%93", &pq, token), 0);
	assert_string_equal(pq.q, "\xe2\x9c\x93");
}

static void
test_query_refuses(void **state)
{
	static const char *const bad[] = {
		"q=%", "q=%z1", "q=%1", "q=a%00b", "%zz=1", "page=0",
		"page=-1", "page=abc", "page=2x", "page=", "sort=random",
		"nosuch=1", "Q=upper",
	};
	struct progress_query	pq;
	char			token[CONFIG_TOKEN_MAX + 1], err[128];
	char			big[4096];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (parse(bad[i], &pq, token) != -1)
			fail_msg("accepted %s", bad[i]);
	memset(big, 'a', sizeof(big));
	memcpy(big, "q=", 2);
	big[2 + PROGRESS_QUERY_MAX + 1] = '\0';
	assert_int_equal(parse(big, &pq, token), -1);
	big[2 + PROGRESS_QUERY_MAX] = '\0';
	assert_int_equal(parse(big, &pq, token), 0);
	memset(big, 'a', sizeof(big));
	memcpy(big, "token=", 6);
	big[6 + CONFIG_TOKEN_MAX + 1] = '\0';
	assert_int_equal(parse(big, &pq, token), -1);
	memset(big, '&', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(big, &pq, token), -1);
	/* /healthz and /metrics: nothing but the token. */
	assert_int_equal(http_query_parse("token=x", NULL, token,
	    sizeof(token), err, sizeof(err)), 0);
	assert_int_equal(http_query_parse("q=x", NULL, token,
	    sizeof(token), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown parameter q"));
}

static void
test_token_equal(void **state)
{
	(void)state;
	assert_true(http_token_equal("0123456789abcdef", "0123456789abcdef"));
	assert_false(http_token_equal("0123456789abcdef", "0123456789abcde"));
	assert_false(http_token_equal("0123456789abcdef",
	    "0123456789abcdefg"));
	assert_false(http_token_equal("0123456789abcdef", ""));
	assert_false(http_token_equal("0123456789abcdef", "1123456789abcdef"));
}

/* Hostile names and filters come out as text, never as markup. */
static void
test_page_escapes(void **state)
{
	struct progress_row	rows[3];
	struct progress		p;
	struct progress_query	q;
	struct evbuffer		*buf;
	char			*html;
	size_t			len;

	(void)state;
	memset(rows, 0, sizeof(rows));
	memset(&p, 0, sizeof(p));
	strcpy(rows[0].id, "C001");
	strcpy(rows[0].name, "<script>alert(1)</script>");
	strcpy(rows[0].region, "Kab. \"Sumba\" & 'Timur'");
	rows[0].active = 1;
	rows[0].counted = 12;
	strcpy(rows[1].id, "C002");
	strcpy(rows[1].name, "Budi\x01\x1b[31m");
	rows[1].active = 1;
	rows[1].counted = 3;
	strcpy(rows[2].id, "C003");
	strcpy(rows[2].name, "Gone");
	rows[2].active = 0;
	p.rows = rows;
	p.n_rows = 3;
	p.n_active = 2;
	p.target = 10;
	p.counted_mask = 1;
	p.ok = 1;
	p.taken_at = 1780000000;
	strcpy(p.tz_name, "Asia/Jakarta");
	strcpy(p.language, "id");
	memset(&q, 0, sizeof(q));
	q.page = 1;
	strcpy(q.q, "\"><b>");
	q.token = "tok\"en";

	assert_non_null(buf = evbuffer_new());
	progress_page(buf, &p, &q);
	len = evbuffer_get_length(buf);
	html = calloc(1, len + 1);
	assert_non_null(html);
	evbuffer_remove(buf, html, len);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "\x1b"));
	assert_null(strstr(html, "Gone"));	/* inactive: not shown */
	assert_non_null(strstr(html, "value=\"&quot;&gt;&lt;b&gt;\""));
	assert_non_null(strstr(html, "value=\"tok&quot;en\""));
	free(html);

	/* With a region filter: only that region's companions. */
	strcpy(q.q, "");
	strcpy(q.region, "kab. \"sumba\" & 'timur'");
	progress_page(buf, &p, &q);
	len = evbuffer_get_length(buf);
	html = calloc(1, len + 1);
	assert_non_null(html);
	evbuffer_remove(buf, html, len);
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html,
	    "Kab. &quot;Sumba&quot; &amp; &#39;Timur&#39;"));
	assert_null(strstr(html, ">Budi"));
	assert_non_null(strstr(html, ">12/10<"));
	free(html);
	evbuffer_free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_decodes),
		cmocka_unit_test(test_query_refuses),
		cmocka_unit_test(test_token_equal),
		cmocka_unit_test(test_page_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
