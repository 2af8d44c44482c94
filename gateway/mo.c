/*
 * mo.c: one SMS from a phone, from its text to the reply in the outbox.
 *
 * Order matters for durability: the MO row is written first, so that
 * every acknowledged message is in the database whatever it said; then
 * its effect (a record, a cancellation, an opt-out); then the reply.
 * All of it lives in the caller's transaction, and any store error makes
 * mo_handle() fail as a whole so that the caller rolls it back and the
 * SMSC delivers the message again.
 *
 * This file holds that flow: storing the MO, reading it, choosing the
 * handler, the replies to a message the grammar could not read, and
 * queueing the reply.  The handlers of the commands are in mo_cmd.c
 * (records, undo, status, consent) and mo_p2k2.c (group sessions).
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "flood.h"
#include "grammar.h"
#include "mo.h"
#include "mo_internal.h"
#include "reply.h"
#include "store.h"
#include "tz.h"

static void	mo_candidates(struct mo_ctx *);
static enum reply_id mo_nik_part(enum grammar_nik_part);
static const char *mo_set_error_reply(struct mo_ctx *);

/*
 * Copy src as snprintf(dst, dstsz, "%s", src) would: at most dstsz - 1
 * bytes.  Eleven of those per MO were 4% of the store worker's time.
 */
void
mo_copy(char *dst, size_t dstsz, const char *src)
{
	size_t	n;

	if (dstsz == 0)
		return;
	n = strnlen(src, dstsz - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Copy at most dstsz - 1 bytes, never cutting a UTF-8 sequence. */
void
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
