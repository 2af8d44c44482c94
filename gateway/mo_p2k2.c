/*
 * mo_p2k2.c: P2K2, a companion announcing a group session to their KPM.
 *
 * The message makes no record: it schedules a reminder (sent as any
 * other, see remind.c), and its redelivery finds the one it made.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "grammar.h"
#include "mo_internal.h"
#include "remind.h"
#include "reply.h"
#include "store.h"
#include "tz.h"

#define MO_PLACE_MAX	40	/* bytes of a P2K2's place kept */

static int	mo_p2k2_day(struct mo_ctx *, int64_t, int64_t *);

/*
 * The local midnight (seconds as remind_parse_at() counts them) of the
 * day a P2K2 names, given local now.  Without a year, dd/mm is this
 * year's unless that is over, then next year's -- but a day of the last
 * six months is taken as the past it names, to be refused.  -1 for no
 * such day (29/02 of a common year).
 */
static int
mo_p2k2_day(struct mo_ctx *c, int64_t now_local, int64_t *day)
{
	const struct grammar_date	*dt = &c->g->date;
	char				 at[32], today[11];
	int				 ty, tm, td, y;

	tz_date(now_local, 0, today, sizeof(today));
	if (sscanf(today, "%d-%d-%d", &ty, &tm, &td) != 3)
		return -1;
	if (dt->kind == GRAMMAR_DATE_RELATIVE) {
		*day = (now_local / MO_DAY + dt->rel_days) * MO_DAY;
		return 0;
	}
	y = dt->year != 0 ? dt->year : ty;
	snprintf(at, sizeof(at), "%04d-%02d-%02d 00:00", y, dt->month,
	    dt->day);
	if (remind_parse_at(at, day) == -1)
		return -1;
	if (dt->year == 0 && *day < now_local / MO_DAY * MO_DAY &&
	    now_local - *day > 183 * MO_DAY) {
		snprintf(at, sizeof(at), "%04d-%02d-%02d 00:00", y + 1,
		    dt->month, dt->day);
		if (remind_parse_at(at, day) == -1)
			return -1;
	}
	return 0;
}

/*
 * P2K2 <date> <time> <place>: a companion announces a group session.
 * Their KPM are reminded by a reminder to companion:ID, due at [reminders]
 * p2k2_eve the day before in the companion's zone, or at once when that
 * is past and the session still ahead; its text is rendered now from
 * p2k2_remind.  Times are counted from the MO's first arrival, so the
 * same message again (a redelivery, or sent twice) finds the reminder
 * it made instead of adding a second one.
 */
int
mo_p2k2(struct mo_ctx *c)
{
	const struct grammar_result	*g = c->g;
	struct store_remind		 r, old;
	struct reply_vars		 v;
	char				 place[MO_PLACE_MAX + 1], hm[6];
	char				 day[11], ymd[11], err[128];
	char				 session[STORE_TEXT_MAX + 1];
	int64_t				 now_local, start, due, n;
	size_t				 i, o;
	int				 rc;

	now_local = c->arrival + c->tz_offset;
	if (mo_p2k2_day(c, now_local, &start) == -1) {
		c->reply = REPLY_P2K2_FORMAT;
		return 0;
	}
	start += (int64_t)g->hour * 3600 + (int64_t)g->minute * 60;
	tz_date_dmy(start, 0, c->date, sizeof(c->date));
	if (start <= now_local) {
		c->vars.date = c->date;
		c->reply = REPLY_P2K2_PAST;
		return 0;
	}
	due = (start / MO_DAY - 1) * MO_DAY +
	    (int64_t)c->cfg->remind_p2k2_eve * 60;
	if (due < now_local)
		due = now_local / 60 * 60;

	/* The place as a template may hold it: ASCII, no braces. */
	for (i = o = 0; g->note[i] != '\0' && o < MO_PLACE_MAX; i++) {
		unsigned char	ch = (unsigned char)g->note[i];

		if (ch < 0x20 || ch > 0x7e)
			continue;
		place[o++] = ch == '{' ? '(' : ch == '}' ? ')' : (char)ch;
	}
	while (o > 0 && place[o - 1] == ' ')
		o--;
	place[o] = '\0';
	snprintf(hm, sizeof(hm), "%02d:%02d", g->hour, g->minute);

	memset(&r, 0, sizeof(r));
	memset(&v, 0, sizeof(v));
	v.date = c->date;
	v.token = hm;
	v.list = place;
	if (place[0] == '\0' || reply_render(c->lang, REPLY_P2K2_REMIND, &v,
	    r.text, sizeof(r.text)) < 0 || remind_template_check(r.text,
	    c->cfg->remind_max_segments, err, sizeof(err)) == -1) {
		c->reply = REPLY_P2K2_FORMAT;
		return 0;
	}
	snprintf(r.target_kind, sizeof(r.target_kind), "companion");
	snprintf(r.target, sizeof(r.target), "%s", c->comp.id);
	snprintf(r.origin, sizeof(r.origin), "%s", c->comp.id);
	tz_date(due, 0, ymd, sizeof(ymd));
	snprintf(session, sizeof(session), "%s %02d:%02d", ymd,
	    (int)(due % MO_DAY / 3600), (int)(due % 3600 / 60));
	snprintf(r.at_local, sizeof(r.at_local), "%.16s", session);
	r.created_at = c->in->now;
	rc = store_remind_find(c->st, &r, &old);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_NOTFOUND && store_remind_add(c->st, &r) != STORE_OK)
		return -1;
	if (store_remind_audience(c->st, c->comp.id, &n) != STORE_OK)
		return -1;

	/* "12/12 09:00 Balai Desa", as much as {token} holds. */
	snprintf(session, sizeof(session), "%.5s %s %s", c->date, hm, place);
	mo_copy_utf8(c->token, sizeof(c->token), session);
	tz_date_dmy(due, 0, day, sizeof(day));
	snprintf(c->date, sizeof(c->date), "%.5s", day);
	c->vars.token = c->token;
	c->vars.date = c->date;
	c->vars.count = n > 99999 ? 99999 : (int)n;
	c->reply = REPLY_P2K2_OK;
	return 0;
}
