/*
 * reply_catalog.c: the reply texts operators edit, conf/catalog/.
 *
 *	[id]
 *	# Placeholders: {kpm} {ref} {cat} {year} {count} {target} {visits}
 *	grad_ok = OK. Graduasi {cat} KPM {kpm} tercatat (Ref {ref}). ...
 *
 * A folder with id.ini and en.ini, or one file with both sections.  A
 * catalog is checked as a whole before it replaces the texts in use, so
 * that no edit can make pilard send a reply it cannot: each message once,
 * only the placeholders mo.c fills for it, GSM 03.38 characters only, and
 * one SMS when every placeholder takes its longest value.  Each refusal
 * names the file and the line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "codec.h"
#include "grammar.h"
#include "ini.h"
#include "reply.h"
#include "reply_internal.h"

#define REPLY_SMS_MAX		160	/* GSM-7 septets in one segment */
#define REPLY_FILE_MAX		(256 * 1024)
#define REPLY_PATH_MAX		512
#define REPLY_WORST_NUMBER	99999	/* yearly_target goes to 10000 */
#define REPLY_WORST_YEAR	9999
#define REPLY_WORST_DATE	"31/12/2026"
#define REPLY_WORST_CAT		"SM"	/* SM, AL and PK are alike */

/* The placeholders, one bit each, in the order of struct reply_vars. */
enum {
	RV_KPM = 1 << 0,
	RV_REF = 1 << 1,
	RV_CAT = 1 << 2,
	RV_DATE = 1 << 3,
	RV_TOKEN = 1 << 4,
	RV_LIST = 1 << 5,
	RV_YEAR = 1 << 6,
	RV_COUNT = 1 << 7,
	RV_TARGET = 1 << 8,
	RV_VISITS = 1 << 9
};
#define RV_TOTALS	(RV_YEAR | RV_COUNT | RV_TARGET | RV_VISITS)

static const struct {
	const char	*name;
	unsigned	 bit;
} reply_placeholders[] = {
	{ "kpm", RV_KPM }, { "ref", RV_REF }, { "cat", RV_CAT },
	{ "date", RV_DATE }, { "token", RV_TOKEN }, { "list", RV_LIST },
	{ "year", RV_YEAR }, { "count", RV_COUNT }, { "target", RV_TARGET },
	{ "visits", RV_VISITS }
};

#define REPLY_NPLACEHOLDERS \
	(sizeof(reply_placeholders) / sizeof(*reply_placeholders))

/*
 * Each message's name in a catalog and the placeholders mo.c fills for
 * it: a catalog may use those and no others.  The ref of another
 * companion's record (grad_dup_other) is deliberately not offered.
 */
static const struct {
	const char	*name;
	unsigned	 allowed;
} reply_info[REPLY_COUNT] = {
	[REPLY_GRAD_OK] = { "grad_ok", RV_KPM | RV_REF | RV_CAT | RV_TOTALS },
	[REPLY_GRAD_OK_OTHER] = { "grad_ok_other",
	    RV_KPM | RV_REF | RV_CAT | RV_TOTALS },
	[REPLY_GRAD_DUP] = { "grad_dup",
	    RV_KPM | RV_REF | RV_CAT | RV_DATE | RV_TOTALS },
	[REPLY_GRAD_DUP_OTHER] = { "grad_dup_other",
	    RV_KPM | RV_CAT | RV_DATE | RV_TOTALS },
	[REPLY_GRAD_MULTI] = { "grad_multi", RV_LIST | RV_CAT | RV_TOTALS },
	[REPLY_VISIT_OK] = { "visit_ok",
	    RV_KPM | RV_REF | RV_DATE | RV_TOTALS },
	[REPLY_VISIT_DUP] = { "visit_dup",
	    RV_KPM | RV_REF | RV_DATE | RV_TOTALS },
	[REPLY_STATUS] = { "status", RV_TOTALS },
	[REPLY_STATUS_DONE] = { "status_done", RV_TOTALS },
	[REPLY_UNDO_GRAD] = { "undo_grad",
	    RV_KPM | RV_REF | RV_DATE | RV_TOTALS },
	[REPLY_UNDO_VISIT] = { "undo_visit",
	    RV_KPM | RV_REF | RV_DATE | RV_TOTALS },
	[REPLY_UNDO_NONE] = { "undo_none", 0 },
	[REPLY_UNDO_NOREF] = { "undo_noref", RV_REF },
	[REPLY_STRANGER] = { "stranger", 0 },
	[REPLY_NOT_THEIRS] = { "not_theirs", RV_KPM },
	[REPLY_UNKNOWN_KPM] = { "unknown_kpm", RV_KPM },
	[REPLY_FORMAT] = { "format", 0 },
	[REPLY_DID_YOU_MEAN] = { "did_you_mean", RV_TOKEN },
	[REPLY_NO_ID] = { "no_id", 0 },
	[REPLY_BAD_ID] = { "bad_id", RV_TOKEN },
	[REPLY_BAD_CATEGORY] = { "bad_category", RV_TOKEN },
	[REPLY_BAD_REF] = { "bad_ref", RV_TOKEN },
	[REPLY_BAD_DATE] = { "bad_date", RV_TOKEN },
	[REPLY_FUTURE_DATE] = { "future_date", RV_DATE },
	[REPLY_BAD_NIK] = { "bad_nik", RV_TOKEN },
	[REPLY_VISIT_MULTI] = { "visit_multi", 0 },
	[REPLY_TWO_COMMANDS] = { "two_commands", RV_TOKEN },
	[REPLY_HELP] = { "help", 0 },
	[REPLY_STOP] = { "stop", 0 },
	[REPLY_MULAI] = { "mulai", 0 },
	[REPLY_FLOOD] = { "flood", RV_TOKEN },
	[REPLY_LABEL_RECORDED] = { "label_recorded", RV_CAT },
	[REPLY_LABEL_DUP] = { "label_dup", 0 },
	[REPLY_LABEL_REJECTED] = { "label_rejected", 0 },
	[REPLY_NIK_PROVINCE] = { "nik_province", 0 },
	[REPLY_NIK_REGENCY] = { "nik_regency", 0 },
	[REPLY_NIK_DISTRICT] = { "nik_district", 0 },
	[REPLY_NIK_DAY] = { "nik_day", 0 },
	[REPLY_NIK_MONTH] = { "nik_month", 0 },
	[REPLY_NIK_BIRTH_DATE] = { "nik_birth_date", 0 },
	[REPLY_NIK_SERIAL] = { "nik_serial", 0 },
	[REPLY_USSD_MENU] = { "ussd_menu", 0 },
	[REPLY_USSD_GRAD_ID] = { "ussd_grad_id", 0 },
	[REPLY_USSD_GRAD_CAT] = { "ussd_grad_cat", RV_KPM },
	[REPLY_USSD_GRAD_CONFIRM] = { "ussd_grad_confirm", RV_KPM | RV_CAT },
	[REPLY_USSD_VISIT_ID] = { "ussd_visit_id", 0 },
	[REPLY_USSD_VISIT_CONFIRM] = { "ussd_visit_confirm", RV_KPM },
	[REPLY_USSD_UNDO_CONFIRM] = { "ussd_undo_confirm", 0 },
	[REPLY_USSD_HELP] = { "ussd_help", RV_TOKEN },
	[REPLY_USSD_INVALID] = { "ussd_invalid", 0 },
	[REPLY_USSD_BAD_ID] = { "ussd_bad_id", RV_TOKEN },
	[REPLY_USSD_EXPIRED] = { "ussd_expired", 0 },
	[REPLY_USSD_ERROR] = { "ussd_error", 0 },
	[REPLY_P2K2_OK] = { "session_ok", RV_TOKEN | RV_COUNT | RV_DATE },
	[REPLY_P2K2_PAST] = { "session_past", RV_DATE },
	[REPLY_P2K2_FORMAT] = { "session_format", 0 },
	/* {list}, the place, is bounded by mo.c (MO_PLACE_MAX), which
	 * checks the reminder fits before it keeps it. */
	[REPLY_P2K2_REMIND] = { "session_remind",
	    RV_DATE | RV_TOKEN | RV_LIST },
	[REPLY_NUDGE_PROGRESS] = { "nudge_progress", RV_TOTALS | RV_TOKEN },
	[REPLY_NUDGE_CONGRATS] = { "nudge_congrats",
	    RV_YEAR | RV_COUNT | RV_TARGET },
};

/* One reply_catalog_load() in progress: the texts and where each was. */
struct reply_load {
	struct reply_catalog	*cat;		/* From calloc() */
	char			 files[REPLY_LANG_COUNT][REPLY_PATH_MAX];
	int			 nfiles;
	int			 cur;		/* file being read */
	/* Where each message and each section's first one came from. */
	int			 file[REPLY_LANG_COUNT][REPLY_COUNT];
	int			 line[REPLY_LANG_COUNT][REPLY_COUNT];	/* 0 */
	int			 first_file[REPLY_LANG_COUNT];
	int			 first_line[REPLY_LANG_COUNT];	/* 0: none */
};

static unsigned	reply_placeholder(const char *, size_t);
static void	reply_allowed_list(unsigned, char *, size_t);
static int	reply_utf8(const unsigned char *, uint32_t *);
static int	reply_check_text(enum reply_id, const char *, char *, size_t);
static int	reply_catalog_set(void *, const char *, const char *,
		    const char *, int, char *, size_t);
static int	reply_catalog_file(struct reply_load *, int, char *, size_t);
static void	reply_worst_vars(int, struct reply_vars *, char *, char *,
		    char *);
static int	reply_screen_length(char *);
static int	reply_worst_septets(const struct reply_catalog *,
		    enum reply_lang, enum reply_id, const struct reply_vars *);
static int	reply_check_fit(const struct reply_load *, enum reply_lang,
		    enum reply_id, const struct reply_vars *, int, char *,
		    size_t);

const char *
reply_name(enum reply_id id)
{
	if ((unsigned)id >= REPLY_COUNT)
		return "";
	return reply_info[id].name;
}

/* The bit of placeholder name (n bytes), or 0 when there is none. */
static unsigned
reply_placeholder(const char *name, size_t n)
{
	size_t	i;

	for (i = 0; i < REPLY_NPLACEHOLDERS; i++)
		if (strlen(reply_placeholders[i].name) == n &&
		    memcmp(reply_placeholders[i].name, name, n) == 0)
			return reply_placeholders[i].bit;
	return 0;
}

/* "{kpm} {ref}" for the bits in mask, or "none", for error messages. */
static void
reply_allowed_list(unsigned mask, char *buf, size_t bufsz)
{
	size_t	i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < REPLY_NPLACEHOLDERS && o < bufsz; i++)
		if (mask & reply_placeholders[i].bit)
			o += (size_t)snprintf(buf + o, bufsz - o, "%s{%s}",
			    o > 0 ? " " : "", reply_placeholders[i].name);
	if (buf[0] == '\0')
		snprintf(buf, bufsz, "none");
}

/*
 * The UTF-8 character at s: its length in bytes and its code point in
 * *cp, or -1 for a malformed sequence.  Only to name a character in an
 * error; codec_gsm7_length() has the last word on what is acceptable.
 */
static int
reply_utf8(const unsigned char *s, uint32_t *cp)
{
	int	n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		*cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		*cp = s[0] & 0x07;
	} else
		return -1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return -1;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return n;
}

/*
 * What can be told of a text on its own line: its placeholders are
 * those of message id, braces mark nothing else, and every character is
 * a printable one of GSM 03.38.
 */
static int
reply_check_text(enum reply_id id, const char *t, char *err, size_t errsz)
{
	const char	*p = t, *end;
	const char	*name = reply_info[id].name;
	char		 ch[5], allowed[128];
	unsigned	 bit;
	uint32_t	 cp;
	int		 n;

	if (*t == '\0') {
		snprintf(err, errsz, "%s: empty text", name);
		return -1;
	}
	while (*p != '\0') {
		if (*p == '{') {
			for (end = p + 1; *end >= 'a' && *end <= 'z'; end++)
				;
			if (*end != '}' || end == p + 1) {
				snprintf(err, errsz, "%s: '{' opens no "
				    "placeholder (braces only mark "
				    "placeholders such as {kpm})", name);
				return -1;
			}
			n = (int)(end - p - 1);
			bit = reply_placeholder(p + 1, (size_t)n);
			reply_allowed_list(reply_info[id].allowed, allowed,
			    sizeof(allowed));
			if (bit == 0) {
				snprintf(err, errsz, "%s: unknown placeholder "
				    "{%.*s} (this message takes %s)", name, n,
				    p + 1, allowed);
				return -1;
			}
			if ((reply_info[id].allowed & bit) == 0) {
				snprintf(err, errsz, "%s: placeholder {%.*s} "
				    "is not filled in for this message (it "
				    "takes %s)", name, n, p + 1, allowed);
				return -1;
			}
			p = end + 1;
			continue;
		}
		if (*p == '}') {
			snprintf(err, errsz, "%s: '}' closes no placeholder "
			    "(braces only mark placeholders such as {kpm})",
			    name);
			return -1;
		}
		if ((n = reply_utf8((const unsigned char *)p, &cp)) == -1) {
			snprintf(err, errsz, "%s: not valid UTF-8 at byte %d",
			    name, (int)(p - t) + 1);
			return -1;
		}
		if (cp < 0x20 || cp == 0x7f) {
			snprintf(err, errsz, "%s: control character U+%04X",
			    name, (unsigned)cp);
			return -1;
		}
		memcpy(ch, p, (size_t)n);
		ch[n] = '\0';
		if (codec_gsm7_length(ch) < 0) {
			snprintf(err, errsz, "%s: '%s' (U+%04X) is not in the "
			    "GSM 03.38 alphabet: replies must be GSM-7", name,
			    ch, (unsigned)cp);
			return -1;
		}
		p += n;
	}
	return 0;
}

/* ini_parse() callback: one "name = text" of a catalog file. */
static int
reply_catalog_set(void *arg, const char *section, const char *key,
    const char *value, int line, char *err, size_t errsz)
{
	struct reply_load	*ld = arg;
	int			 l, id;

	for (l = 0; l < REPLY_LANG_COUNT; l++)
		if (strcasecmp(section, reply_langs[l]) == 0)
			break;
	if (l == REPLY_LANG_COUNT) {
		snprintf(err, errsz, "unknown language [%s] (sections are "
		    "[id] and [en])", section);
		return -1;
	}
	for (id = 0; id < REPLY_COUNT; id++)
		if (strcasecmp(key, reply_info[id].name) == 0)
			break;
	if (id == REPLY_COUNT) {
		snprintf(err, errsz, "unknown message '%s'", key);
		return -1;
	}
	if (ld->line[l][id] != 0 && ld->file[l][id] == ld->cur) {
		snprintf(err, errsz, "%s given twice in [%s], first at line "
		    "%d", reply_info[id].name, reply_langs[l], ld->line[l][id]);
		return -1;
	}
	if (ld->line[l][id] != 0) {
		snprintf(err, errsz, "%s given twice in [%s], first at %s:%d",
		    reply_info[id].name, reply_langs[l],
		    ld->files[ld->file[l][id]], ld->line[l][id]);
		return -1;
	}
	if (reply_check_text((enum reply_id)id, value, err, errsz) == -1)
		return -1;
	/* ini_parse() never hands over more than a line. */
	snprintf(ld->cat->text[l][id], sizeof(ld->cat->text[l][id]), "%s",
	    value);
	ld->file[l][id] = ld->cur;
	ld->line[l][id] = line;
	if (ld->first_line[l] == 0) {
		ld->first_file[l] = ld->cur;
		ld->first_line[l] = line;
	}
	return 0;
}

/* Read catalog file number f of ld and take its messages. */
static int
reply_catalog_file(struct reply_load *ld, int f, char *err, size_t errsz)
{
	const char	*path = ld->files[f];
	struct stat	 st;
	FILE		*fp;
	char		*buf = NULL, msg[512];
	size_t		 n;
	int		 rc = -1, line = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > REPLY_FILE_MAX) {
		snprintf(err, errsz, "%s: not a regular file of at most %d "
		    "bytes", path, REPLY_FILE_MAX);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		goto out;
	}
	n = fread(buf, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	ld->cur = f;
	if (ini_parse(buf, n, reply_catalog_set, ld, &line, msg,
	    sizeof(msg)) == -1) {
		snprintf(err, errsz, "%s:%d: %s", path, line, msg);
		goto out;
	}
	rc = 0;
out:
	fclose(fp);
	free(buf);
	return rc;
}

/*
 * The longest values each placeholder can take: ids of id_max_len
 * digits, refs and tokens as long as the grammar keeps them, five-digit
 * totals.  kpm, ref and token are buffers of GRAMMAR_*_MAX + 1 bytes.
 */
static void
reply_worst_vars(int id_max_len, struct reply_vars *v, char *kpm, char *ref,
    char *token)
{
	memset(kpm, '9', (size_t)id_max_len);
	kpm[id_max_len] = '\0';
	memset(ref, 'W', GRAMMAR_REF_MAX);
	ref[GRAMMAR_REF_MAX] = '\0';
	memset(token, 'W', GRAMMAR_TOKEN_MAX);
	token[GRAMMAR_TOKEN_MAX] = '\0';
	memset(v, 0, sizeof(*v));
	v->kpm = kpm;
	v->ref = ref;
	v->cat = REPLY_WORST_CAT;
	v->date = REPLY_WORST_DATE;
	v->token = token;
	v->list = "";
	v->year = REPLY_WORST_YEAR;
	v->count = REPLY_WORST_NUMBER;
	v->target = REPLY_WORST_NUMBER;
	v->visits = REPLY_WORST_NUMBER;
}

/*
 * Characters of a USSD screen (text, changed in place): each "\\n" is one
 * line break, and a screen counts characters, not septets; -1 when a
 * character is outside GSM 03.38.
 */
static int
reply_screen_length(char *text)
{
	char	*r, *w;
	int	 n;

	for (r = w = text; *r != '\0'; r++) {
		if (r[0] == '\\' && r[1] == 'n') {
			*w++ = '\n';
			r++;
		} else
			*w++ = *r;
	}
	*w = '\0';
	if (codec_gsm7_length(text) < 0)
		return -1;
	for (n = 0, r = text; *r != '\0'; r++)
		if (((unsigned char)*r & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * Septets of message id of cat in language l filled with the worst
 * values w, or INT32_MAX when far beyond any SMS.  grad_multi's {list}
 * is what mo.c falls back to when naming the ids does not fit: the
 * label_* texts with their counts, "LABEL: n; LABEL: n", mirroring its
 * mo_list_add().  At most GRAMMAR_IDS_MAX ids: three groups have one
 * digit each, two digits mean a single group.  bad_nik's {token} is
 * always one of the nik_* texts: the longest of them.
 */
static int
reply_worst_septets(const struct reply_catalog *cat, enum reply_lang l,
    enum reply_id id, const struct reply_vars *w)
{
	static const enum reply_id labels[] = {
		REPLY_LABEL_RECORDED, REPLY_LABEL_DUP, REPLY_LABEL_REJECTED
	};
	struct reply_vars	 v = *w;
	char			 out[4 * INI_LINE_MAX];
	char			 label[3][INI_LINE_MAX + 8];
	char			 list[4 * INI_LINE_MAX];
	int			 k, worst = 0, n, shape;

	if (id == REPLY_BAD_NIK) {
		for (k = REPLY_NIK_PROVINCE; k <= REPLY_NIK_SERIAL; k++) {
			v.token = cat->text[l][k];
			if (reply_fill(cat->text[l][id], &v, out,
			    sizeof(out)) == -1)
				return INT32_MAX;
			if ((n = codec_gsm7_length(out)) > worst)
				worst = n;
		}
		return worst;
	}
	if (id != REPLY_GRAD_MULTI) {
		if (reply_fill(cat->text[l][id], &v, out, sizeof(out)) == -1)
			return INT32_MAX;
		if (reply_is_ussd(id))
			return reply_screen_length(out);
		return codec_gsm7_length(out);
	}
	for (k = 0; k < 3; k++)
		if (reply_fill(cat->text[l][labels[k]], &v, label[k],
		    sizeof(label[k])) == -1)
			return INT32_MAX;
	/* Shape 0: all three groups; shapes 1-3: one group of 10 ids. */
	for (shape = 0; shape < 4; shape++) {
		if (shape == 0)
			snprintf(list, sizeof(list), "%s: 8; %s: 1; %s: 1",
			    label[0], label[1], label[2]);
		else
			snprintf(list, sizeof(list), "%s: %d",
			    label[shape - 1], GRAMMAR_IDS_MAX);
		v.list = list;
		if (reply_fill(cat->text[l][id], &v, out, sizeof(out)) == -1)
			return INT32_MAX;
		if ((n = codec_gsm7_length(out)) > worst)
			worst = n;
	}
	return worst;
}

/*
 * Whether message id of language l fits one SMS with the worst values w
 * (ids of id_max_len digits); if not, say by how much, at its line.
 */
static int
reply_check_fit(const struct reply_load *ld, enum reply_lang l,
    enum reply_id id, const struct reply_vars *w, int id_max_len, char *err,
    size_t errsz)
{
	const char	*file = ld->files[ld->file[l][id]];
	const char	*name = reply_info[id].name;
	const char	*unit = reply_is_ussd(id) ? "USSD screen" : "SMS";
	char		 how[64] = "";
	int		 n, line = ld->line[l][id];
	int		 max = reply_is_ussd(id) ? REPLY_USSD_MAX : REPLY_SMS_MAX;

	if ((n = reply_worst_septets(ld->cat, l, id, w)) <= max)
		return 0;
	if (n == INT32_MAX) {
		snprintf(err, errsz, "%s:%d: %s: far longer than one %s of %d "
		    "GSM-7 characters", file, line, name, unit, max);
		return -1;
	}
	if (reply_info[id].allowed == 0) {
		snprintf(err, errsz, "%s:%d: %s: %d GSM-7 characters, one %s "
		    "holds %d: shorten it by %d", file, line, name, n, unit,
		    max, n - max);
		return -1;
	}
	if (reply_info[id].allowed & RV_KPM)
		snprintf(how, sizeof(how), " (ids of %d digits)", id_max_len);
	else if (id == REPLY_GRAD_MULTI)
		snprintf(how, sizeof(how), " ({list} made of the label_* "
		    "texts)");
	else if (id == REPLY_BAD_NIK)
		snprintf(how, sizeof(how), " ({token} the longest nik_* "
		    "text)");
	snprintf(err, errsz, "%s:%d: %s: up to %d GSM-7 characters once "
	    "filled in%s, one %s holds %d: shorten it by %d", file, line,
	    name, n, how, unit, max, n - max);
	return -1;
}

int
reply_catalog_load(const char *path, int id_max_len, char *err,
    size_t errsz)
{
	struct reply_load	*ld = NULL;
	struct reply_vars	 worst;
	struct stat		 st;
	char			 kpm[GRAMMAR_ID_MAX + 1];
	char			 ref[GRAMMAR_REF_MAX + 1];
	char			 token[GRAMMAR_TOKEN_MAX + 1];
	int			 rc = -1, l, id, f, n, dir;

	if (path == NULL || *path == '\0') {
		reply_catalog_install(NULL);
		return 0;
	}
	if (id_max_len < 1 || id_max_len > GRAMMAR_ID_MAX)
		id_max_len = GRAMMAR_ID_MAX;
	/* A NIK is taken whatever the KPM lengths: {kpm} shows it masked. */
	if (id_max_len < GRAMMAR_NIK_LEN)
		id_max_len = GRAMMAR_NIK_LEN;
	if ((ld = calloc(1, sizeof(*ld))) == NULL ||
	    (ld->cat = calloc(1, sizeof(*ld->cat))) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		goto out;
	}
	if (stat(path, &st) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	dir = S_ISDIR(st.st_mode);
	ld->nfiles = dir ? REPLY_LANG_COUNT : 1;
	for (f = 0; f < ld->nfiles; f++) {
		if (dir)
			n = snprintf(ld->files[f], sizeof(ld->files[f]),
			    "%s/%s.ini", path, reply_langs[f]);
		else
			n = snprintf(ld->files[f], sizeof(ld->files[f]), "%s",
			    path);
		if (n < 0 || (size_t)n >= sizeof(ld->files[f])) {
			snprintf(err, errsz, "%s: path too long", path);
			goto out;
		}
	}
	for (f = 0; f < ld->nfiles; f++)
		if (reply_catalog_file(ld, f, err, errsz) == -1)
			goto out;

	/* Complete: both languages, every message. */
	for (l = 0; l < REPLY_LANG_COUNT; l++) {
		if (ld->first_line[l] == 0) {
			snprintf(err, errsz, "%s: no [%s] section with the "
			    "%s texts", ld->files[dir ? l : 0], reply_langs[l],
			    l == REPLY_LANG_ID ? "Bahasa Indonesia" :
			    "English");
			goto out;
		}
		for (id = 0; id < REPLY_COUNT; id++)
			if (ld->line[l][id] == 0) {
				snprintf(err, errsz, "%s:%d: [%s] lacks "
				    "message '%s'", ld->files[ld->first_file[l]],
				    ld->first_line[l], reply_langs[l],
				    reply_info[id].name);
				goto out;
			}
	}

	/* One SMS each, at the longest values. */
	reply_worst_vars(id_max_len, &worst, kpm, ref, token);
	for (l = 0; l < REPLY_LANG_COUNT; l++)
		for (id = 0; id < REPLY_COUNT; id++)
			if (reply_check_fit(ld, (enum reply_lang)l,
			    (enum reply_id)id, &worst, id_max_len, err,
			    errsz) == -1)
				goto out;

	reply_catalog_install(ld->cat);
	ld->cat = NULL;
	rc = 0;
out:
	if (ld != NULL)
		free(ld->cat);
	free(ld);
	return rc;
}
