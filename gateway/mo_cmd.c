/*
 * mo_cmd.c: what the reporting commands of an MO do in the store.
 *
 * GRAD and KUNJ make records (on the day they report, for the year it
 * counts toward), BATAL cancels one (or, redelivered, replays the reply
 * it got), STATUS counts them, STOP and MULAI keep consent to reminders.
 * Each sets the context's reply and its variables; mo.c calls them
 * inside the caller's transaction and renders the reply.
 */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "config.h"
#include "grammar.h"
#include "mo_internal.h"
#include "reply.h"
#include "store.h"
#include "tz.h"

#define MO_SMS_MAX	160	/* GSM-7 characters in one segment */

static void	mo_iso_date(char *, size_t, int, int, int);
static int	mo_counts(struct mo_ctx *, int);
static void	mo_show_id(const char *, char *, size_t);
static void	mo_dmy(const char *, char *, size_t);
static void	mo_record_init(struct mo_ctx *, enum store_kind, const char *,
		    struct store_record *);
static int	mo_check_kpm(struct mo_ctx *, const char *, int *);
static int	mo_grad_one(struct mo_ctx *, const char *, int *);
static void	mo_list_add(char *, size_t, const char *, const char *);

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
int
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
int
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
int
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

int
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
int
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
int
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
int
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
