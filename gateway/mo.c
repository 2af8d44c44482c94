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

#include "config.h"
#include "flood.h"
#include "grammar.h"
#include "mo.h"
#include "reply.h"
#include "store.h"
#include "tz.h"

#define MO_SMS_MAX	160	/* GSM-7 characters in one segment */

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
	enum reply_id			 reply;		/* REPLY_COUNT: none */
	struct reply_vars		 vars;
	char				 date[11];	/* DD/MM/YYYY for vars */
	char				 list[STORE_TEXT_MAX + 1];
};

static int	mo_counts(struct mo_ctx *, int);
static void	mo_record_init(struct mo_ctx *, enum store_kind, const char *,
		    struct store_record *);
static int	mo_check_kpm(struct mo_ctx *, const char *, int *);
static int	mo_grad_one(struct mo_ctx *, const char *, int *);
static int	mo_grad(struct mo_ctx *);
static int	mo_visit(struct mo_ctx *);
static int	mo_status(struct mo_ctx *);
static int	mo_undo(struct mo_ctx *);
static int	mo_optout(struct mo_ctx *, int);
static int	mo_replay(struct mo_ctx *);
static void	mo_set_error_reply(struct mo_ctx *);
static void	mo_copy_utf8(char *, size_t, const char *);

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
 * A record of kind about KPM id made by this message: the sender's, on
 * the date and for the year of its arrival in the sender's zone.
 */
static void
mo_record_init(struct mo_ctx *c, enum store_kind kind, const char *id,
    struct store_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	snprintf(rec->companion_id, sizeof(rec->companion_id), "%s",
	    c->comp.id);
	snprintf(rec->kpm_id, sizeof(rec->kpm_id), "%s", id);
	tz_date(c->in->now, c->tz_offset, rec->event_date,
	    sizeof(rec->event_date));
	rec->year = c->year;
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
	struct store_kpm	kpm;
	int			rc;

	rc = store_kpm_get(c->st, id, &kpm);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_NOTFOUND)
		*reply = REPLY_UNKNOWN_KPM;
	else if (strcmp(kpm.companion_id, c->comp.id) != 0)
		*reply = REPLY_NOT_THEIRS;
	else
		*reply = REPLY_COUNT;
	return 0;
}

/*
 * Record the graduation of one KPM.  *reply gets what a message about
 * this KPM alone would answer; c->out->ref the record's reference.
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
		snprintf(c->out->ref, sizeof(c->out->ref), "%s", rec.ref);
		*reply = (c->cfg->program_counted & (1u << rec.category)) ?
		    REPLY_GRAD_OK : REPLY_GRAD_OK_OTHER;
		return 0;
	}
	/* STORE_EXISTS: the KPM has an active graduation already. */
	if (store_record_find_key(c->st, &rec, &old) != STORE_OK)
		return -1;
	snprintf(c->out->ref, sizeof(c->out->ref), "%s", old.ref);
	tz_date_dmy(old.recorded_at, old.tz_offset, c->date, sizeof(c->date));
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
 * GRAD with one or several ids.  Several ids get one summary reply that
 * names each id by outcome, or only the numbers when the names do not
 * fit one SMS.
 */
static int
mo_grad(struct mo_ctx *c)
{
	enum { REC, DUP, BAD, NGROUPS };
	static const enum reply_id labels[NGROUPS] = {
		REPLY_LABEL_RECORDED, REPLY_LABEL_DUP, REPLY_LABEL_REJECTED
	};
	char	groups[NGROUPS][STORE_TEXT_MAX + 1], label[64];
	char	item[GRAMMAR_ID_MAX + STORE_REF_MAX + 8], rendered[512];
	int	ngroup[NGROUPS] = { 0, 0, 0 }, i, k, reply = REPLY_COUNT;
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
		if (k == REC)
			snprintf(item, sizeof(item), "%s (%s)", c->g->ids[i],
			    c->out->ref);
		else
			snprintf(item, sizeof(item), "%s", c->g->ids[i]);
		if (ngroup[k]++ == 0)
			snprintf(groups[k], sizeof(groups[k]), "%s", item);
		else
			mo_list_add(groups[k], sizeof(groups[k]), NULL, item);
	}
	if (mo_counts(c, c->year) == -1)
		return -1;
	if (c->g->n_ids == 1) {
		c->vars.kpm = c->g->ids[0];
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
	if (reply_render(c->lang, REPLY_GRAD_MULTI, &c->vars, rendered,
	    sizeof(rendered)) > MO_SMS_MAX) {
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

/* KUNJ: one visit per KPM, companion and day. */
static int
mo_visit(struct mo_ctx *c)
{
	struct store_record	rec, old;
	int			rc, reply;

	c->vars.kpm = c->g->ids[0];
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
	mo_copy_utf8(rec.note, sizeof(rec.note), c->g->note);

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
	snprintf(c->out->ref, sizeof(c->out->ref), "%s", rec.ref);
	tz_date_dmy(rec.recorded_at, rec.tz_offset, c->date, sizeof(c->date));
	c->vars.ref = c->out->ref;
	c->vars.date = c->date;
	return mo_counts(c, c->year);
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
	snprintf(c->out->ref, sizeof(c->out->ref), "%s", rec.ref);
	snprintf(c->list, sizeof(c->list), "%s", rec.kpm_id);
	tz_date_dmy(rec.recorded_at, rec.tz_offset, c->date, sizeof(c->date));
	c->vars.kpm = c->list;
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
	c->reply = opted_out ? REPLY_STOP : REPLY_MULAI;
	return 0;
}

/* A message the grammar could not read: say precisely what is wrong. */
static void
mo_set_error_reply(struct mo_ctx *c)
{
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
	default:
		c->reply = REPLY_FORMAT;
		break;
	}
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
	snprintf(mo.sender, sizeof(mo.sender), "%s", out->sender);
	mo_copy_utf8(mo.dest, sizeof(mo.dest), in->dest != NULL ? in->dest :
	    "");
	mo_copy_utf8(mo.text, sizeof(mo.text), text);
	mo_copy_utf8(mo.smsc_ref, sizeof(mo.smsc_ref), in->smsc_ref != NULL ?
	    in->smsc_ref : "");
	mo.received_at = in->now;
	rc = STORE_NOTFOUND;
	if (cfg->limits_redelivery_window > 0)
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

	memset(&c, 0, sizeof(c));
	c.st = st;
	c.cfg = cfg;
	c.in = in;
	c.out = out;
	c.g = &g;
	c.reply = REPLY_COUNT;
	c.lang = cfg->program_language;
	c.tz_offset = cfg->program_tz_offset;
	rc = store_companion_by_phone(st, out->sender, &c.comp);
	if (rc == STORE_ERROR)
		return -1;
	if (rc == STORE_OK) {
		c.is_companion = 1;
		snprintf(out->companion_id, sizeof(out->companion_id), "%s",
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
		mo_set_error_reply(&c);
		out->outcome = "bad_format";
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
			rc = mo_grad(&c);
			break;
		case GRAMMAR_CMD_KUNJ:
			rc = mo_visit(&c);
			break;
		case GRAMMAR_CMD_STATUS:
			rc = mo_status(&c);
			break;
		case GRAMMAR_CMD_BATAL:
			rc = mo_undo(&c);
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
	snprintf(mt.dest, sizeof(mt.dest), "%s", out->sender);
	snprintf(mt.text, sizeof(mt.text), "%s", out->reply);
	mt.state = STORE_MT_PENDING;
	mt.created_at = in->now;
	if (store_mt_insert(st, &mt) != STORE_OK)
		return -1;
	out->mt_id = mt.id;
	return 0;
}
