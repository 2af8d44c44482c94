/*
 * smsc_script_wait.c: the server's events, as the script takes them,
 * and the waits they end.
 *
 * Events only record state and schedule the script's run; script_poll()
 * then says whether the current wait (wait_bind, expect_*, no_mt,
 * settle...) is met, so it never runs inside the server's read loop.
 * redeliver_lost sends again, once an ESME is bound, the MOs whose
 * connection closed before their deliver_sm_resp.
 */
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smpp_pdu.h"
#include "smsc.h"
#include "smsc_script_internal.h"

static const char *const wait_names[] = {
	"nothing", "a bind", "the deliver_sm_resp", "an MT", "no MT",
	"the response", "the ESME to close", "the time",
	"every deliver_sm_resp", "the MT count", "bind attempts",
	"no bind", "the MTs to settle"
};

static struct script_mt	 *mt_head, **mt_tail = &mt_head;
static uint32_t		  mo_resp_status;	/* of the last mo */
static uint32_t		  req_resp_status;	/* of the enquire/unbind */

static void	 quote_ascii(const char *, char *, size_t, size_t);
static size_t	 mo_pending(void);

void
smsc_script_on_bound(void)
{
	script_schedule();
}

/*
 * The first maxch characters of utf8 into out (outsz octets), ASCII:
 * a non-ASCII character, a control or a backquote (not in GSM-7)
 * becomes `?'.
 */
static void
quote_ascii(const char *utf8, char *out, size_t outsz, size_t maxch)
{
	const unsigned char	*p = (const unsigned char *)utf8;
	size_t			 n = 0;

	while (*p != '\0' && n < maxch && n + 1 < outsz) {
		if (*p >= 0x80) {
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
			out[n++] = '?';
			continue;
		}
		out[n++] = *p < 0x20 || *p == 0x7F || *p == '`' ? '?' :
		    (char)*p;
		p++;
	}
	out[n] = '\0';
}

void
smsc_script_on_mt(const struct smsc_mt *m)
{
	struct script_mt	*mt;

	/* What `receipt' will quote. */
	memset(&script_last_mt, 0, sizeof(script_last_mt));
	snprintf(script_last_mt.phone, sizeof(script_last_mt.phone), "%s",
	    m->dest);
	snprintf(script_last_mt.shortcode, sizeof(script_last_mt.shortcode),
	    "%s", m->source);
	snprintf(script_last_mt.id, sizeof(script_last_mt.id), "%s",
	    m->message_id);
	quote_ascii(m->text, script_last_mt.text, sizeof(script_last_mt.text),
	    SMSC_RECEIPT_CHARS);
	script_last_mt.submitted = time(NULL);
	script_last_mt_seen = 1;
	script_last_mt_nparts = m->parts > 1 ? m->parts : 0;
	if (m->parts > 1)
		memcpy(script_last_mt_parts, m->part_ids,
		    (size_t)m->parts * sizeof(script_last_mt_parts[0]));

	mt = script_xmalloc(sizeof(*mt));
	mt->next = NULL;
	mt->dest = script_xstrdup(m->dest);
	mt->text = script_xstrdup(m->text);
	mt->ussd_op = m->ussd_op;
	mt->has_its = m->has_its;
	mt->its = m->its;
	*mt_tail = mt;
	mt_tail = &mt->next;
	script_mt_arrivals++;
	script_prompted = 0;	/* the `<<' line took the prompt's place */
	script_schedule();
}

void
smsc_script_on_bind_attempt(void)
{
	script_schedule();
}

/* A part of a long MT came: expect_part_count may be met. */
void
smsc_script_on_part(void)
{
	script_schedule();
}

/* A generic_nack counts as the response to the request it names. */
void
smsc_script_on_resp(uint32_t command_id, uint32_t seq, uint32_t status)
{
	struct script_mo	*mo, **pp;

	if (command_id == SMPP_DELIVER_SM_RESP ||
	    command_id == SMPP_GENERIC_NACK)
		for (pp = &script_mo_head; (mo = *pp) != NULL; pp = &mo->next)
			if (mo->seq == seq && !mo->lost) {
				*pp = mo->next;
				script_mo_free(mo);
				break;
			}
	if (seq == script_mo_seq && (command_id == SMPP_DELIVER_SM_RESP ||
	    command_id == SMPP_GENERIC_NACK)) {
		script_mo_resp_got = 1;
		mo_resp_status = command_id == SMPP_GENERIC_NACK &&
		    status == 0 ? SMPP_ESME_RINVCMDID : status;
	} else if (seq == script_req_seq &&
	    (command_id == SMPP_ENQUIRE_LINK_RESP ||
	    command_id == SMPP_UNBIND_RESP ||
	    command_id == SMPP_GENERIC_NACK)) {
		script_req_resp_got = 1;
		req_resp_status = command_id == SMPP_GENERIC_NACK ?
		    SMPP_ESME_RINVCMDID : status;
	}
	script_schedule();
}

/* MOs sent on that connection and not answered are lost. */
void
smsc_script_on_close(unsigned conn_id)
{
	struct script_mo	*mo;

	for (mo = script_mo_head; mo != NULL; mo = mo->next)
		if (mo->conn == conn_id)
			mo->lost = 1;
	script_schedule();
}

/* How many MOs still wait for their deliver_sm_resp, lost ones too. */
static size_t
mo_pending(void)
{
	struct script_mo	*mo;
	size_t			 n = 0;

	for (mo = script_mo_head; mo != NULL; mo = mo->next)
		n++;
	return n;
}

/* redeliver_lost: send the lost MOs again once an ESME is bound. */
void
script_forward(void)
{
	struct script_mo	*mo;
	char			 err[128];
	uint32_t		 old;

	if (!script_redeliver_lost || !smsc_is_bound())
		return;
	for (mo = script_mo_head; mo != NULL; mo = mo->next) {
		if (!mo->lost)
			continue;
		old = mo->seq;
		if ((mo->rcpt != NULL ? smsc_send_receipt(mo->rcpt, &mo->seq,
		    err, sizeof(err)) : mo->part != NULL ?
		    smsc_send_part(mo->phone, mo->part, &mo->seq, err,
		    sizeof(err)) : smsc_send_mo(mo->phone, mo->text,
		    &mo->seq, err, sizeof(err))) == -1) {
			script_fail("redelivery: %s", err);
			return;
		}
		if (old == script_mo_seq) {
			/* expect_resp now waits for this one. */
			script_mo_seq = mo->seq;
			script_mo_conn = smsc_conn_id();
			script_mo_resp_got = 0;
		}
		mo->conn = smsc_conn_id();
		mo->lost = 0;
		printf(">> %s: %s (redelivered)\n", mo->phone, mo->text);
	}
	fflush(stdout);
}

/* Forget the MTs no expectation took. */
void
script_flush_mts(void)
{
	struct script_mt	*mt;

	while ((mt = mt_head) != NULL) {
		mt_head = mt->next;
		free(mt->dest);
		free(mt->text);
		free(mt);
	}
	mt_tail = &mt_head;
}

/*
 * expect_mt_count, expect_part_count: met when the counter reaches the
 * count wanted; past it the test's arithmetic is wrong, so fail at once
 * rather than wait for the timeout.
 */
static enum script_poll
script_poll_count(unsigned long have, const char *what)
{
	if (have > script_wait_count) {
		script_fail("%lu %s delivered, expected %lu", have, what,
		    script_wait_count);
		return POLL_MET;
	}
	if (have == script_wait_count)
		return POLL_MET;
	if (script_wait_timed_out) {
		script_fail("timeout after %d s: %lu %s delivered, "
		    "expected %lu", smsc_opts.timeout_s, have, what,
		    script_wait_count);
		return POLL_MET;
	}
	return POLL_PENDING;
}

/* Is the current wait over?  script_fail() when it cannot be met. */
enum script_poll
script_poll(void)
{
	struct script_mt	*mt;
	struct timeval		 now;
	char			 digits[32];
	int			 ok;

	switch (script_wait_kind) {
	case WAIT_BIND:
		if (smsc_is_bound()) {
			script_conn = smsc_conn_id();
			return POLL_MET;
		}
		break;
	case WAIT_RESP:
		if (script_mo_resp_got) {
			if (mo_resp_status != script_wait_status)
				script_fail("deliver_sm_resp %s, expected %s",
				    smpp_pdu_status_name(mo_resp_status),
				    smpp_pdu_status_name(script_wait_status));
			return POLL_MET;
		}
		if (smsc_conn_id() != script_mo_conn &&
		    !script_redeliver_lost) {
			script_fail("connection closed before the "
			    "deliver_sm_resp");
			return POLL_MET;
		}
		break;
	case WAIT_MT:
		if ((mt = mt_head) == NULL)
			break;
		if ((mt_head = mt->next) == NULL)
			mt_tail = &mt_head;
		script_digits_of(mt->dest, digits, sizeof(digits));
		ok = script_wait_text == NULL ||
		    strstr(mt->text, script_wait_text) != NULL;
		if (script_wait_phone != NULL &&
		    strcmp(digits, script_wait_phone) != 0)
			script_fail("MT to %s, expected %s: %s", mt->dest,
			    script_wait_phone, mt->text);
		else if (!ok)
			script_fail("MT \"%s\" lacks \"%s\"", mt->text,
			    script_wait_text);
		else if (script_wait_ussd &&
		    (mt->ussd_op != (script_wait_ussd == 1 ? 2 : 17) ||
		    !mt->has_its || (mt->its & 1) != (script_wait_ussd == 2) ||
		    (script_wait_session >= 0 &&
		    (mt->its >> 8) != script_wait_session)))
			script_fail("MT to %s is not a USSD %s screen of "
			    "session %d (op=%d its=0x%04x): %s", mt->dest,
			    script_wait_ussd == 1 ? "con" : "end",
			    script_wait_session, mt->ussd_op,
			    (unsigned)mt->its, mt->text);
		free(mt->dest);
		free(mt->text);
		free(mt);
		return POLL_MET;
	case WAIT_NO_MT:
		if (mt_head != NULL) {
			script_fail("unexpected MT to %s: %s", mt_head->dest,
			    mt_head->text);
			return POLL_MET;
		}
		if (script_wait_timed_out)
			return POLL_MET;
		return POLL_PENDING;
	case WAIT_REQ:
		if (script_req_resp_got) {
			if (req_resp_status != SMPP_ESME_ROK)
				script_fail("response %s",
				    smpp_pdu_status_name(req_resp_status));
			return POLL_MET;
		}
		if (smsc_conn_id() != script_wait_conn) {
			script_fail("connection closed before the response");
			return POLL_MET;
		}
		break;
	case WAIT_CLOSE:
		if (script_wait_conn == 0 || smsc_conn_id() != script_wait_conn)
			return POLL_MET;
		break;
	case WAIT_SLEEP:
		return script_wait_timed_out ? POLL_MET : POLL_PENDING;
	case WAIT_ACKED:
		if (script_mo_head == NULL)
			return POLL_MET;
		if (script_wait_timed_out) {
			script_fail("timeout after %d s: %zu MO(s) without "
			    "deliver_sm_resp%s", smsc_opts.timeout_s,
			    mo_pending(), script_redeliver_lost ? "" :
			    " (lost with their connection? redeliver_lost "
			    "is off)");
			return POLL_MET;
		}
		return POLL_PENDING;
	case WAIT_MT_COUNT:
		return script_poll_count(smsc_stats.mt, "MTs");
	case WAIT_PART_COUNT:
		return script_poll_count(smsc_stats.parts, "parts");
	case WAIT_BIND_ATTEMPTS:
		if (smsc_stats.bind_attempts >= script_wait_count)
			return POLL_MET;
		if (script_wait_timed_out) {
			script_fail("timeout after %d s: %lu bind attempts, "
			    "expected %lu", smsc_opts.timeout_s,
			    smsc_stats.bind_attempts, script_wait_count);
			return POLL_MET;
		}
		return POLL_PENDING;
	case WAIT_NO_BIND:
		if (smsc_stats.bind_attempts > script_wait_count) {
			script_fail("a bind attempt (the %lu-th) within %ld ms",
			    smsc_stats.bind_attempts, script_wait_ms);
			return POLL_MET;
		}
		return script_wait_timed_out ? POLL_MET : POLL_PENDING;
	case WAIT_SETTLE:
		if (script_mt_arrivals != script_wait_count) {
			/* Another MT: the quiet time starts again. */
			script_wait_count = script_mt_arrivals;
			gettimeofday(&now, NULL);
			if (timercmp(&now, &script_wait_deadline, >)) {
				script_fail("MTs still coming after %d s",
				    smsc_opts.timeout_s);
				return POLL_MET;
			}
			script_arm(script_wait_ms);
			return POLL_PENDING;
		}
		if (!script_wait_timed_out)
			return POLL_PENDING;
		script_flush_mts();
		return POLL_MET;
	case WAIT_NONE:
		return POLL_MET;
	}
	if (script_wait_timed_out) {
		script_fail("timeout after %d s waiting for %s",
		    smsc_opts.timeout_s, wait_names[script_wait_kind]);
		return POLL_MET;
	}
	return POLL_PENDING;
}
