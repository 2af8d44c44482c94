/*
 * mo.c: one SMS from a phone, from its text to the reply in the outbox.
 *
 * Order matters for durability: the MO row is written first, so that
 * every acknowledged message is in the database whatever it said; then
 * its effect (a record, a cancellation, an opt-out); then the reply.
 * All of it lives in the caller's transaction, and any store error makes
 * mo_handle() fail as a whole so that the caller rolls it back and the
 * SMSC delivers the message again.
 */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "config.h"
#include "flood.h"
#include "grammar.h"
#include "mo.h"
#include "remind.h"
#include "reply.h"
#include "store.h"
#include "tz.h"

#define MO_SMS_MAX	160	/* GSM-7 characters in one segment */
#define MO_DAY		86400	/* seconds */
#define MO_PLACE_MAX	40	/* bytes of a P2K2's place kept */

/* What one message works with, to keep the handlers' argument lists short. */
struct mo_ctx {
	struct store			*st;
	const struct config		*cfg;
	const struct mo_in		*in;
	struct mo_result		*out;
	const struct grammar_result	*g;
	struct store_companion		 comp;
	int				 is_companion;
	const char			*lang;
	int				 tz_offset;	/* companion's zone */
	int				 year;		/* now, in that zone */
	/* First arrival of the MO: a redelivery means the same "today". */
	int64_t				 arrival;
	/* GRAD, KUNJ: the day reported and the year it counts toward. */
	char				 event_date[11];	/* YYYY-MM-DD */
	int				 event_year;
	int				 dup_year;	/* of the GRAD found */
	enum reply_id			 reply;		/* REPLY_COUNT: none */
	struct reply_vars		 vars;
	char				 date[11];	/* DD/MM/YYYY for vars */
	/* An id (a NIK masked) and a token as the reply shows them. */
	char				 kpm[GRAMMAR_ID_MAX + 1];
	char				 token[GRAMMAR_TOKEN_MAX + 1];
	char				 list[STORE_TEXT_MAX + 1];
};

static int	mo_counts(struct mo_ctx *, int);
static void	mo_show_id(const char *, char *, size_t);
static void	mo_dmy(const char *, char *, size_t);
static int	mo_event_date(struct mo_ctx *);
static void	mo_candidates(struct mo_ctx *);
static enum reply_id mo_nik_part(enum grammar_nik_part);
static void	mo_record_init(struct mo_ctx *, enum store_kind, const char *,
		    struct store_record *);
static int	mo_check_kpm(struct mo_ctx *, const char *, int *);
static int	mo_grad_one(struct mo_ctx *, const char *, int *);
static int	mo_grad(struct mo_ctx *);
static int	mo_visit(struct mo_ctx *);
static int	mo_status(struct mo_ctx *);
static int	mo_undo(struct mo_ctx *);
static int	mo_optout(struct mo_ctx *, int);
static int	mo_p2k2_day(struct mo_ctx *, int64_t, int64_t *);
static int	mo_p2k2(struct mo_ctx *);
static int	mo_replay(struct mo_ctx *);
static const char *mo_set_error_reply(struct mo_ctx *);
static void	mo_copy_utf8(char *, size_t, const char *);
static void	mo_copy(char *, size_t, const char *);
static void	mo_iso_date(char *, size_t, int, int, int);

/*
 * Copy src as snprintf(dst, dstsz, "%s", src) would: at most dstsz - 1
 * bytes.  Eleven of those per MO were 4% of the store worker's time.
 */
static void
mo_copy(char *dst, size_t dstsz, const char *src)
{
	size_t	n;

	if (dstsz == 0)
		return;
	n = strnlen(src, dstsz - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* "YYYY-MM-DD" (out: 11 bytes or more) without snprintf's cost. */
static void
mo_iso_date(char *out, size_t outsz, int y, int m, int d)
{
	if (outsz < 11 || y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > 31) {
		snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
		return;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* Copy at most dstsz - 1 bytes, never cutting a UTF-8 sequence. */
static void
mo_copy_utf8(char *dst, size_t dstsz, const char *src)
{
	size_t	n = strlen(src);

	if (n >= dstsz) {
		n = dstsz - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Fill vars.count and vars.visits for year: the running totals. */
static int
mo_counts(struct mo_ctx *c, int year)
{
	c->vars.year = year;
	c->vars.target = c->cfg->program_yearly_target;
	if (store_record_counts(c->st, c->comp.id, year,
	    c->cfg->program_counted, &c->vars.count, &c->vars.visits) !=
	    STORE_OK)
		return -1;
	return 0;
}

/*
 * An id as a reply shows it (out: GRAMMAR_ID_MAX + 1 bytes or more): as
 * it is, unless it has the 16 digits of a NIK, which is never echoed
 * whole (domain.md): "3527********0082".  The grammar always reads 16
 * digits as a NIK, so they are one wherever they come from.
 */
static void
mo_show_id(const char *id, char *out, size_t outsz)
{
	if (strlen(id) == GRAMMAR_NIK_LEN &&
	    strspn(id, "0123456789") == GRAMMAR_NIK_LEN)
		snprintf(out, outsz, "%.4s********%.4s", id,
		    id + GRAMMAR_NIK_LEN - 4);
	else if (outsz > 0) {
		size_t	n = strnlen(id, outsz - 1);

		memcpy(out, id, n);
		out[n] = '\0';
	}
}

/* "DD/MM/YYYY" of a record's "YYYY-MM-DD" (out: 11 bytes). */
static void
mo_dmy(const char *iso, char *out, size_t outsz)
{
	if (strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-')
		snprintf(out, outsz, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, outsz, "%s", iso);
}

/*
 * The day a GRAD or KUNJ reports: the date it names, placed against
 * today in the companion's zone, or today.  Today is that of the MO's
 * first arrival, so that a redelivery after midnight means the same
 * day (and finds the same record).  Fills c->event_date and
 * c->event_year, the year the record counts toward: a visit dated 28/12
 * sent on 2 January is last year's.  Returns 0, or 1 with the refusal
 * in c->reply: a date still to come, or none such.
 */
static int
mo_event_date(struct mo_ctx *c)
{
	const struct grammar_date	*dt = &c->g->date;
	enum grammar_error		 e;
	int				 ty, tm, td, y, m, d;

	tz_ymd(c->arrival, c->tz_offset, &ty, &tm, &td);
	e = grammar_resolve_date(c->g, ty, tm, td, &y, &m, &d);
	if (e == GRAMMAR_OK) {
		mo_iso_date(c->event_date, sizeof(c->event_date), y, m, d);
		c->event_year = y;
		return 0;
	}
	if (e == GRAMMAR_E_FUTURE_DATE) {
		/* dd/mm without a year is this year's, still to come. */
		if (dt->kind == GRAMMAR_DATE_DAY)
			snprintf(c->date, sizeof(c->date), "%02d/%02d/%04d",
			    dt->day, dt->month, dt->year != 0 ? dt->year : ty);
		else
			tz_date_dmy(c->arrival + (int64_t)dt->rel_days * MO_DAY,
			    c->tz_offset, c->date, sizeof(c->date));
		c->vars.date = c->date;
		c->reply = REPLY_FUTURE_DATE;
		return 1;
	}
	/* The grammar lets no impossible day through: a safety net. */
	if (dt->kind == GRAMMAR_DATE_DAY && dt->year != 0)
		snprintf(c->token, sizeof(c->token), "%02d/%02d/%04d",
		    dt->day, dt->month, dt->year);
	else if (dt->kind == GRAMMAR_DATE_DAY)
		snprintf(c->token, sizeof(c->token), "%02d/%02d", dt->day,
		    dt->month);
	else
		snprintf(c->token, sizeof(c->token), "%d", dt->rel_days);
	c->vars.token = c->token;
	c->reply = REPLY_BAD_DATE;
	return 1;
}

/*
 * A record of kind about KPM id made by this message: the sender's, on
 * the day it reports and for that day's year (mo_event_date()).
 */
static void
mo_record_init(struct mo_ctx *c, enum store_kind kind, const char *id,
    struct store_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	mo_copy(rec->companion_id, sizeof(rec->companion_id), c->comp.id);
	mo_copy(rec->kpm_id, sizeof(rec->kpm_id), id);
	mo_copy(rec->event_date, sizeof(rec->event_date), c->event_date);
	rec->year = c->event_year;
	rec->tz_offset = c->tz_offset;
	rec->recorded_at = c->in->now;
	rec->mo_id = c->out->mo_id;
}

/*
 * Whether KPM id may be reported by this companion.  *reply gets
 * REPLY_COUNT when it may, otherwise the reason to answer with.
 */
static int
mo_check_kpm(struct mo_ctx *c, const char *id, int *reply)
{
	char	owner[STORE_ID_MAX + 1];
	int	rc;

	rc = store_kpm_owner(c->st, id, owner);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_NOTFOUND)
		*reply = REPLY_UNKNOWN_KPM;
	else if (strcmp(owner, c->comp.id) != 0)
		*reply = REPLY_NOT_THEIRS;
	else
		*reply = REPLY_COUNT;
	return 0;
}

/*
 * Record the graduation of one KPM.  *reply gets what a message about
 * this KPM alone would answer; c->out->ref the record's reference (and
 * c->dup_year the year of the one found, for a duplicate).
 */
static int
mo_grad_one(struct mo_ctx *c, const char *id, int *reply)
{
	struct store_record	rec, old;
	int			rc;

	if (mo_check_kpm(c, id, reply) == -1)
		return -1;
	if (*reply != REPLY_COUNT)
		return 0;
	mo_record_init(c, STORE_KIND_GRAD, id, &rec);
	rec.category = (int)c->g->category;

	rc = store_record_insert(c->st, &rec);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK) {
		mo_copy(c->out->ref, sizeof(c->out->ref), rec.ref);
		*reply = (c->cfg->program_counted & (1u << rec.category)) ?
		    REPLY_GRAD_OK : REPLY_GRAD_OK_OTHER;
		return 0;
	}
	/* STORE_EXISTS: the KPM has an active graduation already. */
	if (store_record_find_key(c->st, &rec, &old) != STORE_OK)
		return -1;
	mo_copy(c->out->ref, sizeof(c->out->ref), old.ref);
	mo_dmy(old.event_date, c->date, sizeof(c->date));
	c->dup_year = old.year;
	*reply = strcmp(old.companion_id, c->comp.id) == 0 ?
	    REPLY_GRAD_DUP : REPLY_GRAD_DUP_OTHER;
	return 0;
}

/* Append ", " or label and the text to the summary of several ids. */
static void
mo_list_add(char *list, size_t sz, const char *label, const char *item)
{
	size_t	n = strlen(list);

	if (label != NULL)
		snprintf(list + n, sz - n, "%s%s: %s", n ? "; " : "", label,
		    item);
	else
		snprintf(list + n, sz - n, ", %s", item);
}

/*
 * GRAD with one or several ids.  The counts are those of the year the
 * graduation counts toward: the one recorded, or the sender's own one
 * found for a single id (a KPM graduated last year shows last year's).
 *
 * Several ids get one summary reply that names each id by outcome, or
 * only the numbers when the names do not fit one SMS: counted in GSM-7
 * septets as the SMSC will ([ ] ^ ~ | \ and the euro sign of a
 * catalog's label take two), a text cut short or out of the alphabet
 * fitting nothing.
 */
static int
mo_grad(struct mo_ctx *c)
{
	enum { REC, DUP, BAD, NGROUPS };
	static const enum reply_id labels[NGROUPS] = {
		REPLY_LABEL_RECORDED, REPLY_LABEL_DUP, REPLY_LABEL_REJECTED
	};
	/* A label fits an SMS; GSM-7 text has at most 2 bytes a septet. */
	char	groups[NGROUPS][STORE_TEXT_MAX + 1], label[2 * MO_SMS_MAX + 1];
	char	item[GRAMMAR_ID_MAX + STORE_REF_MAX + 8], rendered[512];
	char	shown[GRAMMAR_ID_MAX + 1];
	int	ngroup[NGROUPS] = { 0, 0, 0 }, i, k, n, reply = REPLY_COUNT;
	struct reply_vars lv;

	c->vars.cat = grammar_category_name(c->g->category);
	for (i = 0; i < c->g->n_ids; i++) {
		c->out->ref[0] = '\0';
		if (mo_grad_one(c, c->g->ids[i], &reply) == -1)
			return -1;
		if (c->g->n_ids == 1)
			break;
		k = (reply == REPLY_GRAD_OK || reply == REPLY_GRAD_OK_OTHER) ?
		    REC : (reply == REPLY_GRAD_DUP ||
		    reply == REPLY_GRAD_DUP_OTHER) ? DUP : BAD;
		mo_show_id(c->g->ids[i], shown, sizeof(shown));
		if (k == REC)
			snprintf(item, sizeof(item), "%s (%s)", shown,
			    c->out->ref);
		else
			snprintf(item, sizeof(item), "%s", shown);
		if (ngroup[k]++ == 0)
			snprintf(groups[k], sizeof(groups[k]), "%s", item);
		else
			mo_list_add(groups[k], sizeof(groups[k]), NULL, item);
	}
	if (mo_counts(c, c->g->n_ids == 1 && reply == REPLY_GRAD_DUP ?
	    c->dup_year : c->event_year) == -1)
		return -1;
	if (c->g->n_ids == 1) {
		mo_show_id(c->g->ids[0], c->kpm, sizeof(c->kpm));
		c->vars.kpm = c->kpm;
		c->vars.ref = c->out->ref;
		c->vars.date = c->date;
		c->reply = (enum reply_id)reply;
		return 0;
	}

	/* Several ids: first try naming them, then only counting them. */
	memset(&lv, 0, sizeof(lv));
	lv.cat = c->vars.cat;
	c->list[0] = '\0';
	for (k = 0; k < NGROUPS; k++) {
		if (ngroup[k] == 0)
			continue;
		reply_render(c->lang, labels[k], &lv, label, sizeof(label));
		mo_list_add(c->list, sizeof(c->list), label, groups[k]);
	}
	c->vars.list = c->list;
	n = reply_render(c->lang, REPLY_GRAD_MULTI, &c->vars, rendered,
	    sizeof(rendered));
	if (n >= 0)
		n = codec_gsm7_length(rendered);
	if (n < 0 || n > MO_SMS_MAX) {
		c->list[0] = '\0';
		for (k = 0; k < NGROUPS; k++) {
			if (ngroup[k] == 0)
				continue;
			reply_render(c->lang, labels[k], &lv, label,
			    sizeof(label));
			snprintf(item, sizeof(item), "%d", ngroup[k]);
			mo_list_add(c->list, sizeof(c->list), label, item);
		}
	}
	c->out->ref[0] = '\0';
	c->reply = REPLY_GRAD_MULTI;
	return 0;
}

/*
 * KUNJ: one visit per KPM, companion and day visited, the day it names
 * or else today: two visits on different typed days are two visits.
 * The note is what follows the date.
 */
static int
mo_visit(struct mo_ctx *c)
{
	struct store_record	rec, old;
	int			rc, reply;

	mo_show_id(c->g->ids[0], c->kpm, sizeof(c->kpm));
	c->vars.kpm = c->kpm;
	if (c->g->n_ids > 1) {
		c->reply = REPLY_VISIT_MULTI;
		return 0;
	}
	if (mo_check_kpm(c, c->g->ids[0], &reply) == -1)
		return -1;
	if (reply != REPLY_COUNT) {
		c->reply = (enum reply_id)reply;
		return 0;
	}
	mo_record_init(c, STORE_KIND_VISIT, c->g->ids[0], &rec);
	rec.category = -1;
	mo_copy_utf8(rec.note, sizeof(rec.note), c->g->note +
	    c->g->note_skip);

	rc = store_record_insert(c->st, &rec);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_EXISTS) {
		if (store_record_find_key(c->st, &rec, &old) != STORE_OK)
			return -1;
		rec = old;
		c->reply = REPLY_VISIT_DUP;
	} else
		c->reply = REPLY_VISIT_OK;
	mo_copy(c->out->ref, sizeof(c->out->ref), rec.ref);
	mo_dmy(rec.event_date, c->date, sizeof(c->date));
	c->vars.ref = c->out->ref;
	c->vars.date = c->date;
	return mo_counts(c, rec.year);
}

static int
mo_status(struct mo_ctx *c)
{
	if (mo_counts(c, c->year) == -1)
		return -1;
	c->reply = c->vars.count >= c->vars.target ? REPLY_STATUS_DONE :
	    REPLY_STATUS;
	return 0;
}

/*
 * BATAL: the named record, or the sender's latest within the undo
 * window.  Counts are those of the year the record counted toward.
 */
static int
mo_undo(struct mo_ctx *c)
{
	struct store_record	rec;
	int			rc;

	if (c->g->ref[0] != '\0') {
		rc = store_record_by_ref(c->st, c->comp.id, c->g->ref, &rec);
		if (rc == STORE_OK && rec.cancelled_at != 0)
			rc = STORE_NOTFOUND;
	} else
		rc = store_record_last(c->st, c->comp.id,
		    c->in->now - c->cfg->program_undo_window, &rec);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_NOTFOUND) {
		c->vars.ref = c->g->ref;
		c->reply = c->g->ref[0] != '\0' ? REPLY_UNDO_NOREF :
		    REPLY_UNDO_NONE;
		return 0;
	}
	if (store_record_cancel(c->st, rec.id, c->in->now, "BATAL by SMS")
	    == STORE_ERROR)
		return -1;
	mo_copy(c->out->ref, sizeof(c->out->ref), rec.ref);
	mo_show_id(rec.kpm_id, c->kpm, sizeof(c->kpm));
	mo_dmy(rec.event_date, c->date, sizeof(c->date));
	c->vars.kpm = c->kpm;
	c->vars.ref = c->out->ref;
	c->vars.date = c->date;
	c->reply = rec.kind == STORE_KIND_GRAD ? REPLY_UNDO_GRAD :
	    REPLY_UNDO_VISIT;
	return mo_counts(c, rec.year);
}

/*
 * A redelivered BATAL: send again the reply the first one got (kept in
 * c->list), or nothing if it got none.
 */
static int
mo_replay(struct mo_ctx *c)
{
	struct store_mt	mt;
	int		rc;

	rc = store_mt_by_mo(c->st, c->out->mo_id, &mt);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK)
		snprintf(c->list, sizeof(c->list), "%s", mt.text);
	c->reply = REPLY_COUNT;
	return 0;
}

/* STOP / MULAI: consent to reminders, kept by phone. */
static int
mo_optout(struct mo_ctx *c, int opted_out)
{
	int	n = 0;

	if (store_kpm_set_optout(c->st, c->out->sender, opted_out, &n) ==
	    STORE_ERROR)
		return -1;
	/* Never to those who said STOP: not even what is queued already. */
	if (opted_out && store_remind_withdraw(c->st, c->out->sender,
	    c->in->now, &n) == STORE_ERROR)
		return -1;
	c->reply = opted_out ? REPLY_STOP : REPLY_MULAI;
	return 0;
}

/*
 * The {token} of REPLY_DID_YOU_MEAN: the commands a typo is as close to,
 * "GRAD/KUNJ", as many as fit GRAMMAR_TOKEN_MAX (the catalog's bound).
 */
static void
mo_candidates(struct mo_ctx *c)
{
	const char	*name;
	size_t		 n = 0, k;
	int		 i;

	c->token[0] = '\0';
	for (i = 0; i < c->g->n_candidates; i++) {
		name = grammar_cmd_name(c->g->candidates[i]);
		k = strlen(name);
		if (n + (n > 0) + k > GRAMMAR_TOKEN_MAX)
			break;
		if (n > 0)
			c->token[n++] = '/';
		memcpy(c->token + n, name, k + 1);
		n += k;
	}
	c->vars.token = c->token;
}

/* The text naming the wrong part of a NIK, bad_nik's {token}. */
static enum reply_id
mo_nik_part(enum grammar_nik_part part)
{
	switch (part) {
	case GRAMMAR_NIK_PROVINCE:
		return REPLY_NIK_PROVINCE;
	case GRAMMAR_NIK_REGENCY:
		return REPLY_NIK_REGENCY;
	case GRAMMAR_NIK_DISTRICT:
		return REPLY_NIK_DISTRICT;
	case GRAMMAR_NIK_DAY:
		return REPLY_NIK_DAY;
	case GRAMMAR_NIK_MONTH:
		return REPLY_NIK_MONTH;
	case GRAMMAR_NIK_BIRTH_DATE:
		return REPLY_NIK_BIRTH_DATE;
	case GRAMMAR_NIK_SERIAL:
		return REPLY_NIK_SERIAL;
	case GRAMMAR_NIK_OK:
		break;
	}
	return REPLY_COUNT;
}

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
static int
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

/*
 * A message the grammar could not read: say precisely what is wrong.
 * Returns the outcome for the log.
 */
static const char *
mo_set_error_reply(struct mo_ctx *c)
{
	enum reply_id	part;

	c->vars.token = c->g->token;
	c->vars.ref = c->g->token;
	switch (c->g->error) {
	case GRAMMAR_E_NO_ID:
		c->reply = REPLY_NO_ID;
		break;
	case GRAMMAR_E_BAD_ID:
		c->reply = REPLY_BAD_ID;
		break;
	case GRAMMAR_E_CATEGORY:
		c->reply = REPLY_BAD_CATEGORY;
		break;
	case GRAMMAR_E_BAD_REF:
		c->reply = REPLY_BAD_REF;
		break;
	case GRAMMAR_E_AMBIGUOUS:
		mo_candidates(c);
		c->reply = REPLY_DID_YOU_MEAN;
		return "ambiguous";
	case GRAMMAR_E_BAD_DATE:
	case GRAMMAR_E_FUTURE_DATE:	/* grammar_parse() never says so */
		if (c->g->cmd == GRAMMAR_CMD_P2K2 && c->g->token[0] == '\0') {
			c->reply = REPLY_P2K2_FORMAT;
			return "bad_format";
		}
		c->reply = REPLY_BAD_DATE;
		return "bad_date";
	case GRAMMAR_E_BAD_TIME:
	case GRAMMAR_E_NO_PLACE:
		c->reply = REPLY_P2K2_FORMAT;
		return "bad_format";
	case GRAMMAR_E_TWO_COMMANDS:
		/* Neither is done: see grammar_second.c. */
		c->reply = REPLY_TWO_COMMANDS;
		return "two_commands";
	case GRAMMAR_E_BAD_NIK:
		/* The part, in the reply's language; token is masked. */
		if ((part = mo_nik_part(c->g->nik_part)) == REPLY_COUNT) {
			c->reply = REPLY_BAD_ID;
			return "bad_nik";
		}
		reply_render(c->lang, part, &c->vars, c->list,
		    sizeof(c->list));
		c->vars.token = c->list;
		c->reply = REPLY_BAD_NIK;
		return "bad_nik";
	default:
		c->reply = REPLY_FORMAT;
		break;
	}
	return "bad_format";
}

int
mo_handle(struct store *st, const struct config *cfg, const struct mo_in *in,
    struct mo_result *out)
{
	struct grammar_options	 gopt;
	struct grammar_result	 g;
	struct store_mo		 mo;
	struct store_mt		 mt;
	struct mo_ctx		 c;
	const char		*text = in->text != NULL ? in->text : "";
	int			 valid_sender, rc;

	memset(out, 0, sizeof(*out));
	out->command = "none";
	out->outcome = "stored";
	valid_sender = phone_normalize(in->sender, in->sender_ton,
	    cfg->program_country_code, out->sender, sizeof(out->sender)) == 0;
	if (!valid_sender)
		mo_copy_utf8(out->sender, sizeof(out->sender), in->sender);

	memset(&mo, 0, sizeof(mo));
	mo_copy(mo.sender, sizeof(mo.sender), out->sender);
	mo_copy_utf8(mo.dest, sizeof(mo.dest), in->dest != NULL ? in->dest :
	    "");
	mo_copy_utf8(mo.text, sizeof(mo.text), text);
	mo_copy_utf8(mo.smsc_ref, sizeof(mo.smsc_ref), in->smsc_ref != NULL ?
	    in->smsc_ref : "");
	mo.received_at = in->now;
	rc = STORE_NOTFOUND;
	if (cfg->limits_redelivery_window > 0 && !in->ussd)
		rc = store_mo_find_recent(st, mo.sender, mo.text,
		    in->now - cfg->limits_redelivery_window, &mo);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK) {
		out->redelivery = 1;
		if (store_mo_redelivered(st, mo.id) != STORE_OK)
			return -1;
	} else if (store_mo_insert(st, &mo) != STORE_OK)
		return -1;
	out->mo_id = mo.id;
	if (!valid_sender || strcmp(out->sender, cfg->smpp_source_addr) == 0) {
		/* Stored, but nobody to answer: an alphanumeric or
		 * malformed sender, or our own short code (a loop). */
		out->outcome = valid_sender ? "own_address" : "bad_sender";
		return 0;
	}

	grammar_options_default(&gopt);
	gopt.id_min_len = cfg->program_id_min_len;
	gopt.id_max_len = cfg->program_id_max_len;
	grammar_parse(text, strlen(text), &gopt, &g);
	if (g.cmd != GRAMMAR_CMD_NONE)
		out->command = grammar_cmd_name(g.cmd);
	if (g.error == GRAMMAR_OK && (g.corrected || g.ids_corrected))
		out->corrected = !g.ids_corrected ? "keyword" :
		    !g.corrected ? "id" : "keyword,id";
	if ((g.error == GRAMMAR_OK && g.corrected) ||
	    g.error == GRAMMAR_E_AMBIGUOUS)
		snprintf(out->keyword, sizeof(out->keyword), "%s", g.keyword);

	memset(&c, 0, sizeof(c));
	c.st = st;
	c.cfg = cfg;
	c.in = in;
	c.out = out;
	c.g = &g;
	c.reply = REPLY_COUNT;
	c.lang = cfg->program_language;
	c.tz_offset = cfg->program_tz_offset;
	c.arrival = mo.received_at;
	rc = store_companion_by_phone(st, out->sender, &c.comp);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK) {
		c.is_companion = 1;
		mo_copy(out->companion_id, sizeof(out->companion_id),
		    c.comp.id);
		if (c.comp.language[0] != '\0')
			c.lang = c.comp.language;
		if (tz_offset(c.comp.timezone, &c.tz_offset) == -1)
			c.tz_offset = cfg->program_tz_offset;
	}
	c.year = tz_year(in->now, c.tz_offset);

	rc = 0;
	if (out->redelivery && g.cmd == GRAMMAR_CMD_BATAL &&
	    g.error == GRAMMAR_OK) {
		/* Never undo twice: answer what the first BATAL got. */
		rc = mo_replay(&c);
		out->outcome = "replayed";
	} else if (g.error != GRAMMAR_OK) {
		out->outcome = mo_set_error_reply(&c);
	} else if (g.cmd == GRAMMAR_CMD_BANTUAN) {
		c.reply = REPLY_HELP;
		out->outcome = "help";
	} else if (g.cmd == GRAMMAR_CMD_STOP || g.cmd == GRAMMAR_CMD_MULAI) {
		rc = mo_optout(&c, g.cmd == GRAMMAR_CMD_STOP);
		out->outcome = g.cmd == GRAMMAR_CMD_STOP ? "opt_out" : "opt_in";
	} else if (!c.is_companion) {
		c.reply = REPLY_STRANGER;
		out->outcome = "stranger";
	} else {
		switch (g.cmd) {
		case GRAMMAR_CMD_GRAD:
			if (mo_event_date(&c) == 0)
				rc = mo_grad(&c);
			break;
		case GRAMMAR_CMD_KUNJ:
			if (mo_event_date(&c) == 0)
				rc = mo_visit(&c);
			break;
		case GRAMMAR_CMD_STATUS:
			rc = mo_status(&c);
			break;
		case GRAMMAR_CMD_BATAL:
			rc = mo_undo(&c);
			break;
		case GRAMMAR_CMD_P2K2:
			rc = mo_p2k2(&c);
			break;
		default:
			c.reply = REPLY_FORMAT;
			break;
		}
		switch (c.reply) {
		case REPLY_GRAD_OK: case REPLY_GRAD_OK_OTHER:
		case REPLY_VISIT_OK:
			out->outcome = "recorded";
			break;
		case REPLY_GRAD_DUP: case REPLY_GRAD_DUP_OTHER:
		case REPLY_VISIT_DUP:
			out->outcome = "duplicate";
			break;
		case REPLY_GRAD_MULTI:
			out->outcome = "recorded_several";
			break;
		case REPLY_NOT_THEIRS:
			out->outcome = "not_theirs";
			break;
		case REPLY_UNKNOWN_KPM:
			out->outcome = "unknown_kpm";
			break;
		case REPLY_UNDO_GRAD: case REPLY_UNDO_VISIT:
			out->outcome = "cancelled";
			break;
		case REPLY_UNDO_NONE: case REPLY_UNDO_NOREF:
			out->outcome = "nothing_to_cancel";
			break;
		case REPLY_STATUS: case REPLY_STATUS_DONE:
			out->outcome = "status";
			break;
		case REPLY_FUTURE_DATE:
			out->outcome = "future_date";
			break;
		case REPLY_BAD_DATE:
			out->outcome = "bad_date";
			break;
		case REPLY_P2K2_OK:
			out->outcome = "p2k2_scheduled";
			break;
		case REPLY_P2K2_PAST:
			out->outcome = "past_date";
			break;
		default:
			out->outcome = "rejected";
			break;
		}
	}
	if (rc == -1)
		return -1;
	if (c.reply == REPLY_COUNT && c.list[0] == '\0')
		return 0;
	if (c.reply != REPLY_COUNT)
		reply_render(c.lang, c.reply, &c.vars, out->reply,
		    sizeof(out->reply));
	else
		snprintf(out->reply, sizeof(out->reply), "%s", c.list);

	if (in->ussd)
		return 0;	/* the final screen, sent by ussd.c */
	if (in->flood != NULL) {
		enum flood_verdict	v;

		v = flood_check(in->flood, out->sender, text, out->reply,
		    out->redelivery, in->now);
		if (v != FLOOD_REPLY)
			out->flood = flood_verdict_name(v);
		if (v == FLOOD_LIMITED || v == FLOOD_MUTED)
			return 0;	/* stored and acknowledged, not answered */
		if (v == FLOOD_NOTICE) {
			char	minutes[16];

			snprintf(minutes, sizeof(minutes), "%d",
			    (cfg->limits_mo_window + 59) / 60);
			c.vars.token = minutes;
			reply_render(c.lang, REPLY_FLOOD, &c.vars, out->reply,
			    sizeof(out->reply));
		}
	}
	memset(&mt, 0, sizeof(mt));
	mt.mo_id = out->mo_id;
	mo_copy(mt.dest, sizeof(mt.dest), out->sender);
	mo_copy(mt.text, sizeof(mt.text), out->reply);
	mt.state = STORE_MT_PENDING;
	mt.created_at = in->now;
	if (store_mt_insert(st, &mt) != STORE_OK)
		return -1;
	out->mt_id = mt.id;
	return 0;
}
