/*
 * remind.c: reminders to KPM, from template to queued MTs.
 *
 * An occurrence of a reminder is due at its local time in each
 * recipient's companion's zone, so it is queued zone by zone, earliest
 * due first: the cursor (zone, last KPM id) in the reminder row says how
 * far it got, and moves in the same transaction as the chunk it covers.
 * A crash loses the chunk and its cursor move together; the unique key
 * (reminder, occurrence, KPM) on mt would turn a chunk queued twice into
 * no-ops anyway.  A zone added after an occurrence began and sorting
 * before the cursor is not reminded of that occurrence.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "remind.h"
#include "reply.h"
#include "segment.h"
#include "store.h"
#include "tz.h"

#define REMIND_BATCH_MAX	64	/* active reminders looked at a run */
#define REMIND_NUDGE_LATE	86400	/* s a progress nudge may be late */

/* One zone of an occurrence: when it is due there. */
struct remind_zone {
	char	name[STORE_TZ_MAX + 1];
	int	offset;
	int64_t	due;		/* UTC s */
};

/* Active companions with a phone, collected before any is nudged. */
struct remind_companions {
	struct store_companion	*c;		/* From realloc() */
	int			 n;
	int			 cap;
	int			 failed;	/* out of memory */
};

/* Active reminders, collected before any is worked on. */
struct remind_list {
	struct store_remind	*r;
	int			 n;
};

static int64_t	remind_days(int64_t, int, int);
static void	remind_civil(int64_t, int *, int *, int *);
static int	remind_zone_cmp(const void *, const void *);
static int	remind_collect(void *, const struct store_remind *);
static int	remind_zones(struct store *, const struct config *,
		    const struct store_remind *, int64_t,
		    struct remind_zone *, int *);
static int	remind_chunk(struct store *, const struct config *,
		    struct store_remind *, const struct remind_zone *,
		    int64_t, struct remind_result *, int *);
static int	remind_collect_companion(void *,
		    const struct store_companion *);
static int	remind_nudge_one(struct store *, const struct config *,
		    const struct store_companion *, int64_t, int *);

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t
remind_days(int64_t y, int m, int d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The civil date of a day number, the inverse of remind_days(). */
static void
remind_civil(int64_t z, int *y, int *m, int *d)
{
	int64_t		era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
remind_parse_at(const char *s, int64_t *local)
{
	unsigned	y, mo, d, h, mi;
	char		c;
	int		yy, mm, dd;

	if (s == NULL || strlen(s) != 16 ||
	    sscanf(s, "%4u-%2u-%2u %2u:%2u%c", &y, &mo, &d, &h, &mi,
	    &c) != 5 || y < 2000 || y > 2999 || mo < 1 || mo > 12 ||
	    d < 1 || d > 31 || h > 23 || mi > 59)
		return -1;
	remind_civil(remind_days(y, (int)mo, (int)d), &yy, &mm, &dd);
	if (dd != (int)d)	/* 31 April */
		return -1;
	*local = remind_days(y, (int)mo, (int)d) * 86400 + h * 3600 +
	    mi * 60;
	return 0;
}

int
remind_repeat_valid(const char *r)
{
	return strcmp(r, "") == 0 || strcmp(r, "daily") == 0 ||
	    strcmp(r, "weekly") == 0 || strcmp(r, "monthly") == 0 ? 0 : -1;
}

int64_t
remind_occurrence(int64_t at_local, const char *repeat, int n)
{
	int64_t	day = at_local / 86400, tod = at_local % 86400;
	int	y, m, d, last, mm, yy;

	if (n == 0)
		return at_local;
	if (n < 0)
		return -1;
	if (strcmp(repeat, "daily") == 0)
		return at_local + (int64_t)n * 86400;
	if (strcmp(repeat, "weekly") == 0)
		return at_local + (int64_t)n * 7 * 86400;
	if (strcmp(repeat, "monthly") != 0)
		return -1;
	remind_civil(day, &y, &m, &d);
	mm = (m - 1 + n) % 12 + 1;
	yy = y + (m - 1 + n) / 12;
	/* The month's last day: the day before the next month's first. */
	last = (int)(remind_days(mm == 12 ? yy + 1 : yy, mm == 12 ? 1 :
	    mm + 1, 1) - remind_days(yy, mm, 1));
	return remind_days(yy, mm, d < last ? d : last) * 86400 + tod;
}

/*
 * Quiet hours are minutes of the local day, [start, end), wrapping
 * midnight when start > end (21:00-07:00).
 */
int64_t
remind_due(const struct config *cfg, int64_t local, int offset)
{
	int64_t	day = local / 86400 * 86400;
	int	m = (int)(local % 86400 / 60);
	int	s = cfg->remind_quiet_start, e = cfg->remind_quiet_end;

	if (s >= 0 && e >= 0 && s != e) {
		if (s < e && m >= s && m < e)
			local = day + (int64_t)e * 60;
		else if (s > e && m >= s)
			local = day + 86400 + (int64_t)e * 60;
		else if (s > e && m < e)
			local = day + (int64_t)e * 60;
	}
	return local - offset;
}

/* Walk the template, copying or measuring; -1 at an unknown {...}. */
static int
remind_fill(const char *tmpl, const char *name, const char *companion,
    const char *date, char *out, size_t outsz, char *bad, size_t badsz)
{
	const char	*p, *q, *v;
	size_t		 len = 0, n;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '{') {
			if (len + 1 < outsz)
				out[len] = *p;
			len++;
			continue;
		}
		if ((q = strchr(p, '}')) == NULL)
			q = p + strlen(p) - 1;
		n = (size_t)(q - p + 1);
		if (n == 6 && strncmp(p, "{name}", n) == 0)
			v = name;
		else if (n == 11 && strncmp(p, "{companion}", n) == 0)
			v = companion;
		else if (n == 6 && strncmp(p, "{date}", n) == 0)
			v = date;
		else {
			snprintf(bad, badsz, "%.*s", (int)(n > 40 ? 40 : n),
			    p);
			return -1;
		}
		if (len + strlen(v) < outsz)
			memcpy(out + len, v, strlen(v));
		len += strlen(v);
		p = q;
	}
	if (len >= outsz)
		return -2;
	out[len] = '\0';
	return 0;
}

int
remind_template_check(const char *text, int max_segments, char *err,
    size_t errsz)
{
	char	name[REMIND_NAME_CHECK + 1], date[REMIND_DATE_LEN + 1];
	char	out[STORE_TEXT_MAX + 1], bad[48];
	int	rc, n;

	memset(name, 'x', REMIND_NAME_CHECK);
	name[REMIND_NAME_CHECK] = '\0';
	memcpy(date, "31/12/2026", sizeof(date));
	if (text[0] == '\0') {
		snprintf(err, errsz, "the text is empty");
		return -1;
	}
	rc = remind_fill(text, name, name, date, out, sizeof(out), bad,
	    sizeof(bad));
	if (rc == -1) {
		snprintf(err, errsz, "unknown placeholder %s (use {name}, "
		    "{companion} or {date})", bad);
		return -1;
	}
	if (rc == -2 || (n = segment_count(out, NULL)) < 0 ||
	    n > max_segments) {
		snprintf(err, errsz, "too long: with {name} and {companion} "
		    "of %d characters it needs more than %d SMS ([reminders] "
		    "max_segments)", REMIND_NAME_CHECK, max_segments);
		return -1;
	}
	return 0;
}

int
remind_render(const char *tmpl, const char *name, const char *companion,
    const char *date, int max_segments, char *out, size_t outsz)
{
	char	bad[48];
	int	n;

	if (remind_fill(tmpl, name, companion, date, out, outsz, bad,
	    sizeof(bad)) != 0)
		return -1;
	if (max_segments > 0 && ((n = segment_count(out, NULL)) < 0 ||
	    n > max_segments))
		return -1;
	return 0;
}

/* Zones by when they are due, then by name: the order of the cursor. */
static int
remind_zone_cmp(const void *a, const void *b)
{
	const struct remind_zone	*x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
remind_collect(void *arg, const struct store_remind *r)
{
	struct remind_list	*l = arg;

	l->r[l->n++] = *r;
	return l->n == REMIND_BATCH_MAX;
}

/* The companions' zones with when occurrence local is due in each. */
static int
remind_zones(struct store *st, const struct config *cfg,
    const struct store_remind *r, int64_t local, struct remind_zone *z,
    int *n)
{
	char	names[REMIND_ZONES_MAX][STORE_TZ_MAX + 1];
	int	i;

	(void)r;
	if (store_remind_zones(st, names, REMIND_ZONES_MAX, n) != STORE_OK)
		return -1;
	for (i = 0; i < *n; i++) {
		snprintf(z[i].name, sizeof(z[i].name), "%s", names[i]);
		if (tz_offset(names[i], &z[i].offset) == -1)
			z[i].offset = cfg->program_tz_offset;
		z[i].due = remind_due(cfg, local, z[i].offset);
	}
	qsort(z, (size_t)*n, sizeof(*z), remind_zone_cmp);
	return 0;
}

/*
 * Queue up to a chunk of r's recipients in zone z after the cursor;
 * *got gets how many recipients the walk returned.
 */
static int
remind_chunk(struct store *st, const struct config *cfg,
    struct store_remind *r, const struct remind_zone *z, int64_t now,
    struct remind_result *res, int *got)
{
	struct store_remind_rcpt	*rc;
	char				 text[STORE_TEXT_MAX + 1], date[11];
	int64_t				 local = z->due + z->offset;
	int				 i, n, cnt, rday, y, m, d, ret = -1;

	if ((rc = calloc((size_t)cfg->remind_chunk, sizeof(*rc))) == NULL)
		return -1;
	remind_civil(local / 86400, &y, &m, &d);
	rday = y * 10000 + m * 100 + d;
	snprintf(date, sizeof(date), "%02d/%02d/%04d", d, m, y);
	if (store_remind_rcpt(st, r, z->name, r->cursor_kpm, cfg->remind_chunk,
	    rc, &n) != STORE_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (rc[i].opted_out) {
			r->skipped_optout++;
			res->skipped++;
			continue;
		}
		if (rc[i].phone[0] == '\0') {
			r->skipped_nophone++;
			res->skipped++;
			continue;
		}
		if (cfg->remind_daily_cap > 0) {
			if (store_remind_daycount(st, rc[i].kpm_id, rday,
			    &cnt) != STORE_OK)
				goto out;
			if (cnt >= cfg->remind_daily_cap) {
				r->skipped_cap++;
				res->skipped++;
				continue;
			}
		}
		if (remind_render(r->text, rc[i].name, rc[i].companion, date,
		    cfg->remind_max_segments, text, sizeof(text)) == -1) {
			r->skipped_long++;
			res->skipped++;
			continue;
		}
		switch (store_remind_mt_insert(st, r->id, r->occurrence,
		    rc[i].kpm_id, rday, rc[i].phone, text, now)) {
		case STORE_OK:
			r->queued++;
			res->queued++;
			break;
		case STORE_EXISTS:
			break;
		default:
			goto out;
		}
	}
	if (n > 0)
		snprintf(r->cursor_kpm, sizeof(r->cursor_kpm), "%s",
		    rc[n - 1].kpm_id);
	*got = n;
	ret = 0;
out:
	free(rc);
	return ret;
}

/* Move r to its next occurrence; done when there is none. */
static void
remind_advance(struct store_remind *r, int64_t at)
{
	r->cursor_zone[0] = '\0';
	r->cursor_kpm[0] = '\0';
	r->occurrence++;
	if (remind_occurrence(at, r->repeat, r->occurrence) == -1)
		r->done = 1;
}

/*
 * A repeat not begun whose next occurrence is due already (pilard was
 * down) moves on to the latest one due: yesterday's reminder sent with
 * today's helps nobody.  Returns the occurrence's local time.
 */
static int
remind_catch_up(struct store *st, const struct config *cfg,
    struct store_remind *r, int64_t at, int64_t now, int64_t *local)
{
	struct remind_zone	z[REMIND_ZONES_MAX];
	int64_t			next;
	int			nz;

	if (r->repeat[0] == '\0' || r->cursor_zone[0] != '\0')
		return 0;
	while ((next = remind_occurrence(at, r->repeat,
	    r->occurrence + 1)) != -1) {
		if (remind_zones(st, cfg, r, next, z, &nz) == -1)
			return -1;
		if (nz == 0 || z[0].due > now)
			break;
		r->occurrence++;
		*local = next;
	}
	return 0;
}

int
remind_run(struct store *st, const struct config *cfg, int64_t now,
    struct remind_result *res)
{
	struct store_remind	 list[REMIND_BATCH_MAX];
	struct remind_list	 l = { list, 0 };
	struct remind_zone	 z[REMIND_ZONES_MAX];
	struct store_remind	*r;
	int64_t			 at, local;
	int			 i, k, nz, got;

	memset(res, 0, sizeof(*res));
	if (store_remind_each(st, 0, 1, remind_collect, &l) != STORE_OK)
		return -1;
	for (i = 0; i < l.n; i++) {
		r = &list[i];
		if (remind_parse_at(r->at_local, &at) == -1 ||
		    remind_repeat_valid(r->repeat) == -1) {
			r->done = 1;
			if (store_remind_progress(st, r) != STORE_OK)
				return -1;
			continue;
		}
		if ((local = remind_occurrence(at, r->repeat,
		    r->occurrence)) == -1)
			continue;
		if (remind_catch_up(st, cfg, r, at, now, &local) == -1)
			return -1;
		if (remind_zones(st, cfg, r, local, z, &nz) == -1)
			return -1;
		k = 0;
		if (r->cursor_zone[0] != '\0')
			for (k = 0; k < nz; k++)
				if (strcmp(z[k].name, r->cursor_zone) == 0)
					break;
		if (k == nz) {
			/* Its zone is gone: from the first again (no
			 * doubles, the key sees to that). */
			k = 0;
			r->cursor_kpm[0] = '\0';
		}
		if (nz == 0 || z[k].due > now) {
			if (nz > 0 && (res->next_due == 0 ||
			    z[k].due < res->next_due))
				res->next_due = z[k].due;
			continue;
		}
		memcpy(r->cursor_zone, z[k].name, sizeof(r->cursor_zone));
		res->reminder_id = r->id;
		res->occurrence = r->occurrence;
		if (remind_chunk(st, cfg, r, &z[k], now, res, &got) == -1)
			return -1;
		if (got < cfg->remind_chunk) {
			/* This zone is done: the next one, or the next
			 * occurrence. */
			if (k + 1 < nz) {
				memcpy(r->cursor_zone, z[k + 1].name,
				    sizeof(r->cursor_zone));
				r->cursor_kpm[0] = '\0';
			} else
				remind_advance(r, at);
		}
		if (store_remind_progress(st, r) != STORE_OK)
			return -1;
		res->more = 1;
		return 0;
	}
	/* Nothing due for KPM: the companions' nudges, if any. */
	return remind_nudge(st, cfg, now, &res->queued, &res->more);
}

static int
remind_collect_companion(void *arg, const struct store_companion *c)
{
	struct remind_companions	*l = arg;
	struct store_companion		*p;
	int				 cap;

	if (!c->active || c->phone[0] == '\0')
		return 0;
	if (l->n == l->cap) {
		cap = l->cap > 0 ? l->cap * 2 : 64;
		if ((p = realloc(l->c, (size_t)cap * sizeof(*p))) == NULL) {
			l->failed = 1;
			return 1;
		}
		l->c = p;
		l->cap = cap;
	}
	l->c[l->n++] = *c;
	return 0;
}

/*
 * Nudge companion c if anything is due at now (see remind_nudge());
 * *sent gets how many MTs were queued.
 */
static int
remind_nudge_one(struct store *st, const struct config *cfg,
    const struct store_companion *c, int64_t now, int *sent)
{
	struct reply_vars	 v;
	enum reply_id		 id;
	char			 text[STORE_TEXT_MAX + 1], left[16];
	const char		*lang;
	int64_t			 local, at, due;
	int			 offset, y, m, d, nd, last, done, congrats;
	int			 progress, rc;

	*sent = 0;
	if (tz_offset(c->timezone, &offset) == -1)
		offset = cfg->program_tz_offset;
	local = now + offset;
	remind_civil(local / 86400, &y, &m, &d);
	last = (int)(remind_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1,
	    1) - remind_days(y, m, 1));
	nd = cfg->remind_nudge_day < last ? cfg->remind_nudge_day : last;
	at = remind_days(y, m, nd) * 86400 +
	    (int64_t)cfg->remind_nudge_time * 60;
	due = remind_due(cfg, at, offset);
	progress = now >= due && now < due + REMIND_NUDGE_LATE;
	if (progress) {
		if (store_nudge_has(st, c->id, STORE_NUDGE_PROGRESS,
		    y * 100 + m, &done) != STORE_OK)
			return -1;
		progress = !done;
	}
	/* Not inside the quiet hours: remind_due() would move it. */
	congrats = cfg->program_yearly_target > 0 &&
	    remind_due(cfg, local, offset) == now;
	if (congrats) {
		if (store_nudge_has(st, c->id, STORE_NUDGE_CONGRATS, y,
		    &done) != STORE_OK)
			return -1;
		congrats = !done;
	}
	if (!progress && !congrats)
		return 0;

	memset(&v, 0, sizeof(v));
	v.year = y;
	v.target = cfg->program_yearly_target;
	if (store_record_counts(st, c->id, y, cfg->program_counted, &v.count,
	    &v.visits) != STORE_OK)
		return -1;
	snprintf(left, sizeof(left), "%d", 12 - m);
	v.token = left;
	congrats = congrats && v.count >= v.target;
	if (!progress && !congrats)
		return 0;
	lang = c->language[0] != '\0' ? c->language : cfg->program_language;
	id = congrats ? REPLY_NUDGE_CONGRATS : REPLY_NUDGE_PROGRESS;
	if (reply_render(lang, id, &v, text, sizeof(text)) < 0)
		return 0;
	rc = store_nudge_add(st, c->id, congrats ? STORE_NUDGE_CONGRATS :
	    STORE_NUDGE_PROGRESS, congrats ? y : y * 100 + m, c->phone, text,
	    now);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK)
		(*sent)++;
	/* The congratulation has the totals: it stands for the progress. */
	if (congrats && progress && store_nudge_add(st, c->id,
	    STORE_NUDGE_PROGRESS, y * 100 + m, NULL, NULL, now) == STORE_ERROR)
		return -1;
	return 0;
}

int
remind_nudge(struct store *st, const struct config *cfg, int64_t now,
    int *queued, int *more)
{
	/*
	 * Once a minute is enough (nudge times are minutes): the poll
	 * comes every second and a pass reads every active companion.  A
	 * pass cut short by the chunk goes on at once.  One store worker
	 * per process calls this, so the state can be the module's.
	 */
	static int64_t			last_minute = INT64_MIN;
	static int			last_more;
	struct remind_companions	l;
	int				i, sent, ret = -1;

	*queued = *more = 0;
	if (cfg->remind_nudge_day <= 0)
		return 0;
	if (!last_more && now / 60 == last_minute)
		return 0;
	memset(&l, 0, sizeof(l));
	if (store_companion_each(st, remind_collect_companion, &l) !=
	    STORE_OK || l.failed)
		goto out;
	for (i = 0; i < l.n; i++) {
		if (*queued >= cfg->remind_chunk) {
			*more = 1;
			break;
		}
		if (remind_nudge_one(st, cfg, &l.c[i], now, &sent) == -1)
			goto out;
		*queued += sent;
	}
	ret = 0;
	last_minute = now / 60;
	last_more = *more;
out:
	free(l.c);
	return ret;
}
