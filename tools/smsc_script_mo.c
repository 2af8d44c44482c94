/*
 * smsc_script_mo.c: the script's commands that send a deliver_sm: mo,
 * mo_long, receipt, receipt_for, redeliver and the USSD dialogues (ussd,
 * ussd_answer, ussd_abort); see the commands at the top of
 * smsc_script.c.  Each MO is kept until its deliver_sm_resp comes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "codec.h"
#include "segment.h"
#include "smpp_pdu.h"
#include "smsc.h"
#include "smsc_script_internal.h"

#define SCRIPT_PARTS_LIST_MAX	64	/* parts=LIST entries */

static char		 *last_phone, *last_text;	/* for redeliver */
static struct smsc_receipt *last_rcpt;	/* for redeliver, if last */
static struct smsc_part	 *last_part;	/* for redeliver, if last */
static unsigned long	  next_ref = 1;	/* mo_long's reference */
static struct script_ussd  ussds[SCRIPT_USSD_MAX];
static unsigned		  ussd_sessions;	/* numbers given so far */
static const struct smsc_ussd *dlv_ussd;	/* send_dlv: USSD TLVs */

static int	 send_dlv(const char *, const char *,
		    const struct smsc_receipt *, const struct smsc_part *,
		    uint32_t *);
static int	 send_mo(const char *, const char *, const char *);
static int	 send_receipt(const struct smsc_receipt *, const char *);
static int	 parse_parts(const char *, int *, int *);

void
script_mo_free(struct script_mo *mo)
{
	free(mo->phone);
	free(mo->text);
	free(mo->rcpt);
	free(mo->part);
	free(mo);
}

/*
 * Send an MO (phone, text), a part of a long one (phone, part; text is
 * the part's) or a receipt (rcpt, phone and text NULL) and keep it
 * until its deliver_sm_resp comes (for expect_acked and
 * redeliver_lost); it becomes the last MO, the one expect_resp waits
 * for.  0, or -1 after script_fail().
 */
static int
send_dlv(const char *phone, const char *text,
    const struct smsc_receipt *rcpt, const struct smsc_part *part,
    uint32_t *seq)
{
	struct script_mo	*mo, **pp;
	char			 err[128];

	if ((rcpt != NULL ? smsc_send_receipt(rcpt, seq, err, sizeof(err)) :
	    dlv_ussd != NULL ? smsc_send_ussd(phone, text, dlv_ussd, seq, err,
	    sizeof(err)) : part != NULL ? smsc_send_part(phone, part, seq, err,
	    sizeof(err)) : smsc_send_mo(phone, text, seq, err,
	    sizeof(err))) == -1) {
		script_fail("%s: %s", rcpt != NULL ? "receipt" :
		    part != NULL ? "mo_long" : "mo", err);
		return -1;
	}
	script_mo_seq = *seq;
	script_mo_conn = script_conn = smsc_conn_id();
	script_mo_resp_got = 0;
	mo = script_xmalloc(sizeof(*mo));
	mo->next = NULL;
	mo->phone = phone != NULL ? script_xstrdup(phone) : NULL;
	mo->text = text != NULL ? script_xstrdup(text) : NULL;
	mo->rcpt = NULL;
	if (rcpt != NULL) {
		mo->rcpt = script_xmalloc(sizeof(*mo->rcpt));
		*mo->rcpt = *rcpt;
	}
	mo->part = NULL;
	if (part != NULL) {
		mo->part = script_xmalloc(sizeof(*mo->part));
		*mo->part = *part;
	}
	mo->seq = script_mo_seq;
	mo->conn = script_mo_conn;
	mo->lost = 0;
	for (pp = &script_mo_head; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = mo;
	return 0;
}

/* An MO; tag is printed after the text. */
static int
send_mo(const char *phone, const char *text, const char *tag)
{
	uint32_t	 seq;

	if (send_dlv(phone, text, NULL, NULL, &seq) == -1)
		return -1;
	printf(">> %s: %s%s\n", phone, text, tag);
	fflush(stdout);
	return 0;
}

/* A receipt, printed as `>> PHONE: receipt ID STAT (FORM)TAG'. */
static int
send_receipt(const struct smsc_receipt *r, const char *tag)
{
	uint32_t	 seq;

	if (send_dlv(NULL, NULL, r, NULL, &seq) == -1)
		return -1;
	printf(">> %s: receipt id=%s stat=%s (%s%s)%s\n", r->phone, r->id,
	    smsc_receipt_stat(r->state),
	    r->form == (SMSC_RECEIPT_TLV | SMSC_RECEIPT_TEXT) ? "both" :
	    r->form == SMSC_RECEIPT_TLV ? "tlv" : "text",
	    r->hex && (r->form & SMSC_RECEIPT_TEXT) ? ", hex" : "", tag);
	fflush(stdout);
	return 0;
}

/* PHONE's dialogue (by its digits); a new one when create is set. */
struct script_ussd *
script_ussd_of(const char *phone, int create)
{
	char	digits[SMSC_ADDR_MAX + 2];
	size_t	i, free_slot = SCRIPT_USSD_MAX;

	script_digits_of(phone, digits, sizeof(digits));
	for (i = 0; i < SCRIPT_USSD_MAX; i++) {
		if (ussds[i].phone[0] == '\0') {
			if (free_slot == SCRIPT_USSD_MAX)
				free_slot = i;
			continue;
		}
		if (strcmp(ussds[i].phone, digits) == 0)
			break;
	}
	if (i == SCRIPT_USSD_MAX && (!create || free_slot == SCRIPT_USSD_MAX))
		return NULL;
	if (i == SCRIPT_USSD_MAX)
		i = free_slot;
	if (create) {
		snprintf(ussds[i].phone, sizeof(ussds[i].phone), "%s", digits);
		ussds[i].session = (uint8_t)(++ussd_sessions % 255 + 1);
		ussds[i].seq = 0;
	}
	return &ussds[i];
}

/*
 * ussd, ussd_answer, ussd_abort: a deliver_sm of PHONE's dialogue with
 * its_session_info = session << 8 | seq << 1 | end.
 */
int
script_cmd_ussd(const char *cmd, char *phone, char *text)
{
	struct script_ussd	*u;
	struct smsc_ussd	 su;
	uint32_t		 seq;
	int			 abort = strcmp(cmd, "ussd_abort") == 0;
	int			 open = strcmp(cmd, "ussd") == 0;

	if (phone == NULL || (!abort && *text == '\0')) {
		script_fail("%s: PHONE%s expected", cmd, abort ? "" :
		    open ? " DIALLED" : " TEXT");
		return 0;
	}
	if ((u = script_ussd_of(phone, open)) == NULL) {
		script_fail("%s: no dialogue of %s (ussd first)", cmd, phone);
		return 0;
	}
	script_unescape(text);
	if (!open)
		u->seq = (uint8_t)((u->seq + 1) & 0x7F);
	su.op = open ? 1 : 18;
	su.its = (uint16_t)(u->session << 8 | u->seq << 1 | abort);
	dlv_ussd = &su;
	if (send_dlv(phone, text, NULL, NULL, &seq) == 0) {
		printf(">> %s: [USSD op=%u its=0x%04x] %s\n", phone,
		    (unsigned)su.op, (unsigned)su.its, text);
		fflush(stdout);
	}
	dlv_ussd = NULL;
	return 0;
}

int
script_cmd_mo(char *phone, char *text)
{
	if (phone == NULL) {
		script_fail("mo: PHONE TEXT expected");
		return 0;
	}
	script_unescape(text);
	if (send_mo(phone, text, "") == 0) {
		free(last_phone);
		free(last_text);
		last_phone = script_xstrdup(phone);
		last_text = script_xstrdup(text);
		free(last_rcpt);
		last_rcpt = NULL;
		free(last_part);
		last_part = NULL;
	}
	return 0;
}

/*
 * parts=3,1,2: part numbers from 1 to total (checked by the caller),
 * at most SCRIPT_PARTS_LIST_MAX of them, into seqs; *n gets how many.
 * 0, or -1 when it is not such a list.
 */
static int
parse_parts(const char *s, int *seqs, int *n)
{
	char		*end;
	long		 v;

	*n = 0;
	for (;;) {
		if (!isdigit((unsigned char)*s) ||
		    *n == SCRIPT_PARTS_LIST_MAX)
			return -1;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno != 0 || v < 1 || v > SEGMENT_PARTS_MAX)
			return -1;
		seqs[(*n)++] = (int)v;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/*
 * mo_long PHONE [udh8|udh16|sar] [ref=N] [parts=LIST] TEXT: see the
 * commands at the top.  The options are the words after PHONE that
 * read as one; the text is the rest of the line.
 */
int
script_cmd_mo_long(char *p)
{
	static struct segment	 segs[SEGMENT_PARTS_MAX];
	static const char *const modes[] = { "sar", "udh8", "udh16" };
	struct segment_options	 so;
	struct smsc_part	 part;
	const struct segment	*g;
	const uint8_t		*body;
	char			*phone, word[64], shown[4 * SMSC_PART_MAX + 1];
	unsigned long		 ref = next_ref;
	size_t			 wl, blen;
	uint32_t		 seq;
	int			 seqs[SCRIPT_PARTS_LIST_MAX];
	int			 mode = 1, given_ref = 0, nseq = 0, n, i;

	if ((phone = script_next_word(&p)) == NULL) {
		script_fail("mo_long: PHONE [udh8|udh16|sar] [ref=N] "
		    "[parts=LIST] TEXT expected");
		return 0;
	}
	for (;;) {
		p += strspn(p, " \t");
		wl = strcspn(p, " \t");
		if (wl == 0 || wl >= sizeof(word))
			break;
		memcpy(word, p, wl);
		word[wl] = '\0';
		if (strcmp(word, "sar") == 0)
			mode = 0;
		else if (strcmp(word, "udh8") == 0)
			mode = 1;
		else if (strcmp(word, "udh16") == 0)
			mode = 2;
		else if (strncmp(word, "ref=", 4) == 0) {
			if (script_parse_count(word + 4, &ref) == -1 ||
			    ref > 0xFFFF) {
				script_fail("mo_long: bad `%s'", word);
				return 0;
			}
			given_ref = 1;
		} else if (strncmp(word, "parts=", 6) == 0) {
			if (parse_parts(word + 6, seqs, &nseq) == -1) {
				script_fail("mo_long: bad `%s'", word);
				return 0;
			}
		} else
			break;
		p += wl;
	}
	script_unescape(p);
	if (mode == 1 && ref > 0xFF) {
		script_fail("mo_long: ref=%lu does not fit udh8", ref);
		return 0;
	}
	memset(&so, 0, sizeof(so));
	so.max_parts = SEGMENT_PARTS_MAX;
	n = segment_split(p, (uint8_t)ref, &so, segs, SEGMENT_PARTS_MAX);
	if (n < 2) {
		script_fail("mo_long: TEXT %s", n < 0 ? "cannot be cut" :
		    "fits one message (use mo)");
		return 0;
	}
	if (!given_ref)
		next_ref = next_ref % 255 + 1;
	if (nseq == 0)
		for (nseq = 0; nseq < n && nseq < SCRIPT_PARTS_LIST_MAX; nseq++)
			seqs[nseq] = nseq + 1;
	for (i = 0; i < nseq; i++)
		if (seqs[i] > n) {
			script_fail("mo_long: part %d of %d", seqs[i], n);
			return 0;
		}

	for (i = 0; i < nseq; i++) {
		g = &segs[seqs[i] - 1];
		body = g->sm + SEGMENT_UDH_LEN;
		blen = g->sm_len - SEGMENT_UDH_LEN;
		memset(&part, 0, sizeof(part));
		part.data_coding = g->data_coding;
		part.ref = (uint16_t)ref;
		part.total = (uint8_t)n;
		part.seq = (uint8_t)seqs[i];
		switch (mode) {
		case 0:
			part.sar = 1;
			memcpy(part.sm, body, blen);
			part.sm_len = blen;
			break;
		case 1:
			part.esm_class = SEGMENT_ESM_UDHI;
			memcpy(part.sm, g->sm, g->sm_len);
			part.sm_len = g->sm_len;
			break;
		default:
			/* Seven octets of header: one more than udh8's. */
			if (blen + 7 > sizeof(part.sm)) {
				script_fail("mo_long: part too long for udh16");
				return 0;
			}
			part.esm_class = SEGMENT_ESM_UDHI;
			part.sm[0] = 6;
			part.sm[1] = 0x08;
			part.sm[2] = 4;
			part.sm[3] = (uint8_t)(ref >> 8);
			part.sm[4] = (uint8_t)ref;
			part.sm[5] = (uint8_t)n;
			part.sm[6] = (uint8_t)seqs[i];
			memcpy(part.sm + 7, body, blen);
			part.sm_len = blen + 7;
			break;
		}
		if (codec_to_utf8(g->data_coding, body, blen, shown,
		    sizeof(shown)) < 0)
			snprintf(shown, sizeof(shown), "?");
		if (send_dlv(phone, shown, NULL, &part, &seq) == -1)
			return 0;
		printf(">> %s: [part %d/%d ref=%lu %s] %s\n", phone, seqs[i],
		    n, ref, modes[mode], shown);
		free(last_phone);
		free(last_text);
		free(last_rcpt);
		free(last_part);
		last_phone = script_xstrdup(phone);
		last_text = script_xstrdup(shown);
		last_rcpt = NULL;
		last_part = script_xmalloc(sizeof(*last_part));
		*last_part = part;
	}
	fflush(stdout);
	return 0;
}

/*
 * The last MO (or receipt) again, as if its deliver_sm_resp had been
 * lost.
 */
int
script_cmd_redeliver(void)
{
	uint32_t	 seq;

	if (last_rcpt != NULL)
		send_receipt(last_rcpt, " (redelivered)");
	else if (last_part != NULL) {
		if (send_dlv(last_phone, last_text, NULL, last_part,
		    &seq) == 0) {
			printf(">> %s: [part %u/%u ref=%u] %s (redelivered)\n",
			    last_phone, last_part->seq, last_part->total,
			    last_part->ref, last_text);
			fflush(stdout);
		}
	} else if (last_phone == NULL)
		script_fail("redeliver: no mo before");
	else
		send_mo(last_phone, last_text, " (redelivered)");
	return 0;
}

/*
 * receipt STATE [FORM] [hex|dec] (for_id 0) or receipt_for ID STATE
 * [FORM] [hex|dec] (for_id 1); see the commands at the top.
 */
int
script_cmd_receipt(char *p, int for_id)
{
	static const struct {
		const char	*name;
		uint8_t		 state;
	} states[] = {
		{ "DELIVRD", 2 }, { "UNDELIV", 5 }, { "EXPIRED", 3 },
		{ "REJECTD", 8 }, { "DELETED", 4 }, { "ACCEPTD", 6 },
		{ "UNKNOWN", 7 }, { "ENROUTE", 1 },
	};
	const char		*cmd = for_id ? "receipt_for" : "receipt";
	struct smsc_receipt	 r;
	char			*id = NULL, *w;
	size_t			 i;

	if (for_id && (id = script_next_word(&p)) == NULL) {
		script_fail("receipt_for: ID STATE [tlv|text|both] [hex|dec] "
		    "expected");
		return 0;
	}
	if (for_id) {
		memset(&r, 0, sizeof(r));
		if (script_last_mt_seen) {
			memcpy(r.phone, script_last_mt.phone, sizeof(r.phone));
			memcpy(r.shortcode, script_last_mt.shortcode,
			    sizeof(r.shortcode));
		} else {
			snprintf(r.phone, sizeof(r.phone), "6280000000000");
			snprintf(r.shortcode, sizeof(r.shortcode), "%s",
			    smsc_opts.shortcode);
		}
		if (strlen(id) >= sizeof(r.id)) {
			script_fail("receipt_for: ID longer than %d",
			    SMSC_MSGID_MAX);
			return 0;
		}
		snprintf(r.id, sizeof(r.id), "%s", id);
		r.submitted = time(NULL);
	} else if (!script_last_mt_seen) {
		script_fail("receipt: no MT before");
		return 0;
	} else if (script_last_mt.id[0] == '\0') {
		script_fail("receipt: the last MT was withheld (no message_id)");
		return 0;
	} else
		r = script_last_mt;
	if ((w = script_next_word(&p)) == NULL) {
		script_fail("%s: STATE expected", cmd);
		return 0;
	}
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcasecmp(w, states[i].name) == 0)
			break;
	if (i == sizeof(states) / sizeof(states[0])) {
		script_fail("%s: unknown STATE `%s'", cmd, w);
		return 0;
	}
	r.state = states[i].state;
	r.form = SMSC_RECEIPT_TLV | SMSC_RECEIPT_TEXT;
	r.hex = 0;
	while ((w = script_next_word(&p)) != NULL) {
		if (strcmp(w, "tlv") == 0)
			r.form = SMSC_RECEIPT_TLV;
		else if (strcmp(w, "text") == 0)
			r.form = SMSC_RECEIPT_TEXT;
		else if (strcmp(w, "both") == 0)
			r.form = SMSC_RECEIPT_TLV | SMSC_RECEIPT_TEXT;
		else if (strcmp(w, "hex") == 0)
			r.hex = 1;
		else if (strcmp(w, "dec") == 0)
			r.hex = 0;
		else {
			script_fail("%s: `%s': tlv, text, both, hex or dec "
			    "expected", cmd, w);
			return 0;
		}
	}
	if (r.hex && !(r.form & SMSC_RECEIPT_TEXT)) {
		script_fail("%s: hex needs the text form", cmd);
		return 0;
	}
	/* A long MT: a receipt for each part, as SMSCs send them. */
	if (!for_id && script_last_mt_nparts > 1) {
		char	tag[32];
		int	k;

		for (k = 0; k < script_last_mt_nparts; k++) {
			snprintf(r.id, sizeof(r.id), "%.*s",
			    (int)sizeof(r.id) - 1, script_last_mt_parts[k]);
			snprintf(tag, sizeof(tag), " (part %d/%d)", k + 1,
			    script_last_mt_nparts);
			if (send_receipt(&r, tag) == -1)
				return 0;
		}
		free(last_rcpt);
		last_rcpt = script_xmalloc(sizeof(*last_rcpt));
		*last_rcpt = r;
		return 0;
	}
	if (send_receipt(&r, "") == 0) {
		free(last_rcpt);
		last_rcpt = script_xmalloc(sizeof(*last_rcpt));
		*last_rcpt = r;
	}
	return 0;
}
