/*
 * progress_page.c: the coordinators' page, drawn from a snapshot.
 *
 * One request is one page of HTML with the bars as inline SVG: no
 * script, no style sheet or font to fetch, so it works in any browser,
 * without JavaScript and behind any proxy.  Names come from rosters
 * that anyone may have typed: every stored string goes through
 * progress_html(), every value put back into a link through
 * progress_url().  The filter is a GET form, so a filtered page is a
 * link a coordinator can share.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>

#include "grammar.h"
#include "progress.h"
#include "tz.h"

#define PROGRESS_BAR_W		240	/* px of a full bar: the target */
#define PROGRESS_BAR_H		14

/*
 * The words of the page, in the two reply languages.  Numbers go
 * between them ("%s %d %s"): the formats stay literals.
 */
struct progress_words {
	const char	*lang;
	const char	*title;		/* ... YEAR */
	const char	*target[3];	/* ... N ... (SM) ... */
	const char	*as_of;
	const char	*overall;
	const char	*reached[2];	/* N ... M ... */
	const char	*totals[2];	/* N ..., M ... */
	const char	*region, *all, *search, *sort, *show;
	const char	*sort_id, *sort_least, *sort_most;
	const char	*h_name, *h_progress, *h_visits;
	const char	*page[2];	/* ... N ... M */
	const char	*prev, *next, *none, *stale;
};

static const struct progress_words progress_words[] = {
	{ "id", "Capaian graduasi",
	  { "Target:", "graduasi", "per pendamping per tahun." },
	  "Data per", "Capaian bersama menuju target:",
	  { "dari", "pendamping mencapai target" },
	  { "graduasi dihitung", "kunjungan" },
	  "Wilayah", "Semua", "Nama atau ID", "Urutkan", "Tampilkan",
	  "ID", "Capaian terendah", "Capaian tertinggi",
	  "Nama", "Capaian", "Kunjungan",
	  { "Halaman", "dari" }, "\xc2\xab Sebelumnya", "Berikutnya \xc2\xbb",
	  "Tidak ada pendamping yang cocok.",
	  "Data belum dapat dibaca dari basis data; angka ini mungkin lama." },
	{ "en", "Graduations",
	  { "Target:", "graduations", "per companion per year." },
	  "As of", "Together toward the target:",
	  { "of", "companions reached the target" },
	  { "graduations counted", "visits" },
	  "Region", "All", "Name or ID", "Sort", "Show",
	  "ID", "Fewest first", "Most first",
	  "Name", "Progress", "Visits",
	  { "Page", "of" }, "\xc2\xab Previous", "Next \xc2\xbb",
	  "No companion matches.",
	  "The database could not be read; these figures may be old." },
};

static const char *const progress_cat_names[] = { "SM", "AL", "PK" };

static const char *const progress_sort_names[] = { "id", "least", "most" };

static void	progress_html(struct evbuffer *, const char *);
static void	progress_url(struct evbuffer *, const char *);
static void	progress_link(struct evbuffer *, const struct progress_query *,
		    int);
static void	progress_bar(struct evbuffer *, int64_t, int64_t, int);
static void	progress_head(struct evbuffer *, const struct progress *,
		    const struct progress_words *);
static void	progress_table(struct evbuffer *, const struct progress *,
		    const struct progress_row *const *, size_t, size_t, int,
		    const struct progress_words *);
static int	progress_match(const struct progress_row *,
		    const struct progress_query *);
static int	progress_contains(const char *, const char *);
static int	progress_cmp_least(const void *, const void *);
static int	progress_cmp_most(const void *, const void *);
static int	progress_cmp_str(const void *, const void *);
static void	progress_form(struct evbuffer *, const struct progress *,
		    const struct progress_query *,
		    const struct progress_words *);

int
progress_query_set(struct progress_query *q, const char *key,
    const char *value, char *err, size_t errsz)
{
	char		*end;
	long		 n;
	size_t		 i;

	if (strcmp(key, "region") == 0 || strcmp(key, "q") == 0) {
		if (strlen(value) > PROGRESS_QUERY_MAX) {
			snprintf(err, errsz, "%s longer than %d bytes", key,
			    PROGRESS_QUERY_MAX);
			return -1;
		}
		snprintf(key[0] == 'q' ? q->q : q->region, sizeof(q->q), "%s",
		    value);
		return 0;
	}
	if (strcmp(key, "sort") == 0) {
		for (i = 0; i < sizeof(progress_sort_names) /
		    sizeof(*progress_sort_names); i++)
			if (strcmp(value, progress_sort_names[i]) == 0) {
				q->sort = (enum progress_sort)i;
				return 0;
			}
		snprintf(err, errsz, "sort is not id, least or most");
		return -1;
	}
	if (strcmp(key, "page") == 0) {
		n = strtol(value, &end, 10);
		if (*value < '0' || *value > '9' || *end != '\0' || n < 1 ||
		    n > 1000000) {
			snprintf(err, errsz, "page is not a number from 1");
			return -1;
		}
		q->page = (int)n;
		return 0;
	}
	snprintf(err, errsz, "unknown parameter %s", key);
	return -1;
}

/*
 * Text into HTML, for element content and quoted attributes alike.
 * Control characters are dropped: a name has no use for them.
 */
static void
progress_html(struct evbuffer *buf, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			evbuffer_add(buf, "&amp;", 5);
			break;
		case '<':
			evbuffer_add(buf, "&lt;", 4);
			break;
		case '>':
			evbuffer_add(buf, "&gt;", 4);
			break;
		case '"':
			evbuffer_add(buf, "&quot;", 6);
			break;
		case '\'':
			evbuffer_add(buf, "&#39;", 5);
			break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				evbuffer_add(buf, p, 1);
			break;
		}
	}
}

/* A query value: unreserved characters as they are, the rest %XX. */
static void
progress_url(struct evbuffer *buf, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			evbuffer_add(buf, p, 1);
		else
			evbuffer_add_printf(buf, "%%%02X", *p);
	}
}

/* An href to page of the same filter, already escaped for HTML. */
static void
progress_link(struct evbuffer *buf, const struct progress_query *q, int page)
{
	evbuffer_add_printf(buf, "/progress?sort=%s&amp;page=%d",
	    progress_sort_names[q->sort], page);
	if (q->region[0] != '\0') {
		evbuffer_add_printf(buf, "&amp;region=");
		progress_url(buf, q->region);
	}
	if (q->q[0] != '\0') {
		evbuffer_add_printf(buf, "&amp;q=");
		progress_url(buf, q->q);
	}
	if (q->token != NULL) {
		evbuffer_add_printf(buf, "&amp;token=");
		progress_url(buf, q->token);
	}
}

/*
 * A horizontal bar: the full width is the target, the filled part what
 * is done (green once the target is reached).  The numbers are in the
 * table beside it; the title is for screen readers and tooltips.
 */
static void
progress_bar(struct evbuffer *buf, int64_t done, int64_t target, int width)
{
	int	w;

	if (target < 1)
		target = 1;
	w = done >= target ? width : (int)(done * width / target);
	if (w < 0)
		w = 0;
	evbuffer_add_printf(buf, "<svg width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\"><title>%lld/%lld</title>"
	    "<rect width=\"%d\" height=\"%d\" rx=\"3\" fill=\"#e5e7eb\"/>"
	    "<rect width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"/></svg>",
	    width, PROGRESS_BAR_H, width, PROGRESS_BAR_H, (long long)done,
	    (long long)target,
	    width, PROGRESS_BAR_H, w, PROGRESS_BAR_H,
	    done >= target ? "#15803d" : "#2563eb");
}

/* Whether needle is in hay, ASCII letters compared without case. */
static int
progress_contains(const char *hay, const char *needle)
{
	size_t	n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

/*
 * Whether the page shows r: active companions only, of the region asked
 * for (compared without case), whose name or id holds q.
 */
static int
progress_match(const struct progress_row *r, const struct progress_query *q)
{
	if (!r->active)
		return 0;
	if (q->region[0] != '\0' && strcasecmp(r->region, q->region) != 0)
		return 0;
	return q->q[0] == '\0' || progress_contains(r->name, q->q) ||
	    progress_contains(r->id, q->q);
}

static int
progress_cmp_least(const void *a, const void *b)
{
	const struct progress_row	*x = *(const struct progress_row *const *)a;
	const struct progress_row	*y = *(const struct progress_row *const *)b;

	if (x->counted != y->counted)
		return x->counted < y->counted ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
progress_cmp_most(const void *a, const void *b)
{
	const struct progress_row	*x = *(const struct progress_row *const *)a;
	const struct progress_row	*y = *(const struct progress_row *const *)b;

	if (x->counted != y->counted)
		return x->counted > y->counted ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
progress_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The filter: a region menu when companions have regions, a search
 * box, the order; the token rides along when it came in the URL.
 */
static void
progress_form(struct evbuffer *buf, const struct progress *p,
    const struct progress_query *q, const struct progress_words *w)
{
	const char	**regions;
	size_t		  i, n = 0;

	evbuffer_add_printf(buf, "<form method=\"get\" action=\"/progress\">");
	if ((regions = calloc(p->n_rows + 1, sizeof(*regions))) != NULL) {
		for (i = 0; i < p->n_rows; i++)
			if (p->rows[i].active && p->rows[i].region[0] != '\0')
				regions[n++] = p->rows[i].region;
		qsort(regions, n, sizeof(*regions), progress_cmp_str);
	}
	if (n > 0) {
		evbuffer_add_printf(buf, "<label>%s <select name=\"region\">"
		    "<option value=\"\">%s</option>", w->region, w->all);
		for (i = 0; i < n; i++) {
			if (i > 0 && strcmp(regions[i], regions[i - 1]) == 0)
				continue;
			evbuffer_add_printf(buf, "<option value=\"");
			progress_html(buf, regions[i]);
			evbuffer_add_printf(buf, "\"%s>", strcasecmp(regions[i],
			    q->region) == 0 ? " selected" : "");
			progress_html(buf, regions[i]);
			evbuffer_add_printf(buf, "</option>");
		}
		evbuffer_add_printf(buf, "</select></label> ");
	}
	free(regions);
	evbuffer_add_printf(buf, "<label>%s <input type=\"search\" name=\"q\" "
	    "maxlength=\"%d\" value=\"", w->search, PROGRESS_QUERY_MAX);
	progress_html(buf, q->q);
	evbuffer_add_printf(buf, "\"></label> <label>%s <select name=\"sort\">"
	    "<option value=\"id\"%s>%s</option>"
	    "<option value=\"least\"%s>%s</option>"
	    "<option value=\"most\"%s>%s</option></select></label> ",
	    w->sort, q->sort == PROGRESS_SORT_ID ? " selected" : "", w->sort_id,
	    q->sort == PROGRESS_SORT_LEAST ? " selected" : "", w->sort_least,
	    q->sort == PROGRESS_SORT_MOST ? " selected" : "", w->sort_most);
	if (q->token != NULL) {
		evbuffer_add_printf(buf, "<input type=\"hidden\" name=\"token\" "
		    "value=\"");
		progress_html(buf, q->token);
		evbuffer_add_printf(buf, "\">");
	}
	evbuffer_add_printf(buf, "<button type=\"submit\">%s</button></form>\n",
	    w->show);
}

/* The page up to the summary: title, target, date, a warning if old. */
static void
progress_head(struct evbuffer *buf, const struct progress *p,
    const struct progress_words *w)
{
	struct tm	tm;
	time_t		t;
	char		when[32], cats[16];
	int		c, year = tz_year(p->taken_at, p->tz_offset);

	cats[0] = '\0';
	for (c = GRAMMAR_CAT_SM; c <= GRAMMAR_CAT_PK; c++)
		if (p->counted_mask & (1u << c))
			snprintf(cats + strlen(cats), sizeof(cats) - strlen(cats),
			    "%s%s", cats[0] ? "+" : "", progress_cat_names[c]);
	t = (time_t)(p->taken_at + p->tz_offset);
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%d/%m/%Y %H:%M", &tm);

	evbuffer_add_printf(buf, "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\"><title>pilar: "
	    "%s %d</title><style>", w->lang, w->title, year);
	evbuffer_add_printf(buf, "%s",
	    "body{font-family:sans-serif;margin:1.5em;color:#111827}"
	    "h1{font-size:1.4em;margin:0 0 .3em}p{margin:.3em 0}"
	    "form{margin:1em 0}label{margin-right:1em}"
	    "table{border-collapse:collapse;margin-top:.5em}"
	    "th,td{padding:.25em .6em;text-align:left;vertical-align:middle}"
	    "th{border-bottom:2px solid #9ca3af}"
	    "tr:nth-child(even) td{background:#f3f4f6}"
	    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
	    ".warn{color:#b91c1c}.small{color:#4b5563;font-size:.9em}"
	    ".sum svg{vertical-align:middle;margin-right:.5em}"
	    "</style></head><body>\n");
	evbuffer_add_printf(buf, "<h1>%s %d</h1>\n<p>%s %d %s (%s) %s", w->title,
	    year, w->target[0], p->target, w->target[1], cats, w->target[2]);
	evbuffer_add_printf(buf, " <span class=\"small\">%s %s ", w->as_of,
	    when);
	progress_html(buf, p->tz_name);
	evbuffer_add_printf(buf, "</span></p>\n");
	if (!p->ok || p->stale)
		evbuffer_add_printf(buf, "<p class=\"warn\">%s</p>\n", w->stale);
}

/*
 * The rows of one page.  The region column appears once any companion
 * has a region.
 */
static void
progress_table(struct evbuffer *buf, const struct progress *p,
    const struct progress_row *const *v, size_t first, size_t last,
    int any_region, const struct progress_words *w)
{
	size_t	i;

	evbuffer_add_printf(buf, "<table><thead><tr><th>ID</th><th>%s</th>",
	    w->h_name);
	if (any_region)
		evbuffer_add_printf(buf, "<th>%s</th>", w->region);
	evbuffer_add_printf(buf, "<th>%s</th><th></th><th>SM</th><th>AL</th>"
	    "<th>PK</th><th>%s</th></tr></thead><tbody>\n", w->h_progress,
	    w->h_visits);
	for (i = first; i < last; i++) {
		evbuffer_add_printf(buf, "<tr><td>");
		progress_html(buf, v[i]->id);
		evbuffer_add_printf(buf, "</td><td>");
		progress_html(buf, v[i]->name);
		if (any_region) {
			evbuffer_add_printf(buf, "</td><td>");
			progress_html(buf, v[i]->region);
		}
		evbuffer_add_printf(buf, "</td><td>");
		progress_bar(buf, v[i]->counted, p->target, PROGRESS_BAR_W);
		evbuffer_add_printf(buf, "</td><td class=\"n\">%d/%d</td>"
		    "<td class=\"n\">%d</td><td class=\"n\">%d</td>"
		    "<td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n",
		    v[i]->counted, p->target, v[i]->grad[GRAMMAR_CAT_SM],
		    v[i]->grad[GRAMMAR_CAT_AL], v[i]->grad[GRAMMAR_CAT_PK],
		    v[i]->visits);
	}
	evbuffer_add_printf(buf, "</tbody></table>\n");
}

/*
 * The page: the companions that match q, in q's order, a page of
 * PROGRESS_PAGE_ROWS at a time.  The summary covers every match: how
 * far they are toward n times the target together (each counted up to
 * the target, so that one companion's 30 do not hide another's 0), how
 * many reached it, and the totals.
 */
void
progress_page(struct evbuffer *buf, const struct progress *p,
    const struct progress_query *q)
{
	const struct progress_words	 *w = &progress_words[0];
	const struct progress_row	**v;
	unsigned long long		  grads = 0, visits = 0, toward = 0;
	unsigned long long		  goal;
	size_t				  i, n = 0, reached = 0, first, last;
	int				  pages, page, any_region = 0;

	if (strcmp(p->language, "en") == 0)
		w = &progress_words[1];
	if ((v = calloc(p->n_rows + 1, sizeof(*v))) == NULL) {
		evbuffer_add_printf(buf, "out of memory\n");
		return;
	}
	for (i = 0; i < p->n_rows; i++) {
		if (p->rows[i].region[0] != '\0')
			any_region = 1;
		if (!progress_match(&p->rows[i], q))
			continue;
		v[n++] = &p->rows[i];
		grads += (unsigned long long)p->rows[i].counted;
		visits += (unsigned long long)p->rows[i].visits;
		if (p->rows[i].counted >= p->target) {
			reached++;
			toward += (unsigned long long)p->target;
		} else if (p->rows[i].counted > 0)
			toward += (unsigned long long)p->rows[i].counted;
	}
	if (q->sort == PROGRESS_SORT_LEAST)
		qsort(v, n, sizeof(*v), progress_cmp_least);
	else if (q->sort == PROGRESS_SORT_MOST)
		qsort(v, n, sizeof(*v), progress_cmp_most);
	pages = n == 0 ? 1 : (int)((n + PROGRESS_PAGE_ROWS - 1) /
	    PROGRESS_PAGE_ROWS);
	page = q->page < 1 ? 1 : q->page > pages ? pages : q->page;
	goal = (unsigned long long)n * (unsigned long long)p->target;

	progress_head(buf, p, w);
	evbuffer_add_printf(buf, "<p class=\"sum\">%s ", w->overall);
	progress_bar(buf, (int64_t)toward, goal > 0 ? (int64_t)goal : 1,
	    2 * PROGRESS_BAR_W);
	evbuffer_add_printf(buf, "%llu%%<br>%zu %s %zu %s; %llu %s, %llu %s."
	    "</p>\n", goal > 0 ? toward * 100 / goal : 0, reached,
	    w->reached[0], n, w->reached[1], grads, w->totals[0], visits,
	    w->totals[1]);
	progress_form(buf, p, q, w);
	if (n == 0)
		evbuffer_add_printf(buf, "<p>%s</p>\n", w->none);
	else {
		first = (size_t)(page - 1) * PROGRESS_PAGE_ROWS;
		last = first + PROGRESS_PAGE_ROWS < n ? first +
		    PROGRESS_PAGE_ROWS : n;
		progress_table(buf, p, v, first, last, any_region, w);
	}
	if (pages > 1) {
		evbuffer_add_printf(buf, "<p>");
		if (page > 1) {
			evbuffer_add_printf(buf, "<a href=\"");
			progress_link(buf, q, page - 1);
			evbuffer_add_printf(buf, "\">%s</a> ", w->prev);
		}
		evbuffer_add_printf(buf, "%s %d %s %d", w->page[0], page,
		    w->page[1], pages);
		if (page < pages) {
			evbuffer_add_printf(buf, " <a href=\"");
			progress_link(buf, q, page + 1);
			evbuffer_add_printf(buf, "\">%s</a>", w->next);
		}
		evbuffer_add_printf(buf, "</p>\n");
	}
	evbuffer_add_printf(buf, "</body></html>\n");
	free(v);
}
