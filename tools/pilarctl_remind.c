/*
 * pilarctl_remind.c: remind add, list, cancel and show.
 *
 * pilarctl only writes the reminder row; pilard's scheduler (remind.c)
 * queues its recipients when it is due, in each companion's zone, and
 * the outbox sends them after the replies at [smpp] tps.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pilarctl.h"
#include "remind.h"
#include "store.h"
#include "tz.h"

static int	ctl_remind_id(struct ctl *, const char *, int64_t *);
static int	ctl_remind_to(const char *, struct store_remind *);
static const char *ctl_remind_state(const struct store_remind *);
static int	ctl_remind_row(void *, const struct store_remind *);

/* A reminder id as given on the command line. */
static int
ctl_remind_id(struct ctl *ctl, const char *s, int64_t *id)
{
	char	*end;
	long long v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v <= 0) {
		ctl_usage_error(ctl, "'%s' is no reminder id", s);
		return -1;
	}
	*id = v;
	return 0;
}

/* "all", "region:R", "companion:ID" or "kpm:ID" into r's target. */
static int
ctl_remind_to(const char *to, struct store_remind *r)
{
	static const char *const kinds[] = { "region", "companion", "kpm" };
	const char	*colon;
	size_t		 i, n;

	if (strcmp(to, "all") == 0) {
		snprintf(r->target_kind, sizeof(r->target_kind), "all");
		return 0;
	}
	if ((colon = strchr(to, ':')) == NULL || colon[1] == '\0')
		return -1;
	n = (size_t)(colon - to);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i]) == n && strncmp(to, kinds[i], n) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]) ||
	    strlen(colon + 1) >= sizeof(r->target))
		return -1;
	if ((i == 1 && !ctl_companion_id_valid(colon + 1)) ||
	    (i == 2 && !ctl_kpm_id_valid(colon + 1)))
		return -1;
	snprintf(r->target_kind, sizeof(r->target_kind), "%s", kinds[i]);
	snprintf(r->target, sizeof(r->target), "%s", colon + 1);
	return 0;
}

/*
 * remind add --text TEXT --to TARGET [--at 'YYYY-MM-DD HH:MM']
 * [--repeat daily|weekly|monthly]: the template is checked here, where
 * the operator can fix it, not when pilard fills it in.  Without --at,
 * now in [program] timezone (recipients in other zones at that time of
 * their day).
 */
int
ctl_remind_add(struct ctl *ctl, int argc, char **argv)
{
	struct store_remind	 r;
	const char		*text = NULL, *to = NULL, *at = NULL;
	const char		*repeat = NULL;
	char			 err[256], date[11];
	int64_t			 local, now = (int64_t)time(NULL), t;
	int			 npos, rc;
	const struct ctl_opt	 opts[] = {
		{ "text", &text, NULL },
		{ "to", &to, NULL },
		{ "at", &at, NULL },
		{ "repeat", &repeat, NULL },
		{ NULL, NULL, NULL }
	};

	memset(&r, 0, sizeof(r));
	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (text == NULL || to == NULL)
		return ctl_usage_error(ctl, "--%s is required",
		    text == NULL ? "text" : "to");
	if (!ctl_utf8_valid(text) || strlen(text) >= sizeof(r.text))
		return ctl_usage_error(ctl, "--text must be UTF-8 without "
		    "control characters, at most %zu bytes",
		    sizeof(r.text) - 1);
	if (ctl_remind_to(to, &r) == -1)
		return ctl_usage_error(ctl, "--to '%s' is none of all, "
		    "region:R, companion:ID, kpm:ID", to);
	if (repeat != NULL && (remind_repeat_valid(repeat) == -1 ||
	    repeat[0] == '\0'))
		return ctl_usage_error(ctl, "--repeat '%s' is none of daily, "
		    "weekly, monthly", repeat);
	if (at != NULL && remind_parse_at(at, &local) == -1)
		return ctl_usage_error(ctl, "--at '%s' is not a time "
		    "'YYYY-MM-DD HH:MM'", at);
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if (remind_template_check(text, ctl->cfg.remind_max_segments, err,
	    sizeof(err)) == -1) {
		ctl_warnx("--text: %s", err);
		ctl_close(ctl);
		return CTL_EXIT_USAGE;
	}
	snprintf(r.text, sizeof(r.text), "%s", text);
	snprintf(r.repeat, sizeof(r.repeat), "%s", repeat ? repeat : "");
	if (at != NULL)
		snprintf(r.at_local, sizeof(r.at_local), "%s", at);
	else {
		t = now + ctl->cfg.program_tz_offset;
		tz_date(now, ctl->cfg.program_tz_offset, date, sizeof(date));
		snprintf(r.at_local, sizeof(r.at_local), "%.10s %02u:%02u",
		    date, (unsigned)(t % 86400 / 3600) % 24,
		    (unsigned)(t % 3600 / 60) % 60);
	}
	r.created_at = now;
	if (store_remind_add(ctl->store, &r) != STORE_OK) {
		rc = ctl_store_fail(ctl);
		ctl_close(ctl);
		return rc;
	}
	printf("reminder %" PRId64 " added: to %s at %s%s%s\n", r.id, to,
	    r.at_local, r.repeat[0] ? ", " : "", r.repeat);
	ctl_close(ctl);
	return ctl_flush();
}

static const char *
ctl_remind_state(const struct store_remind *r)
{
	if (r->cancelled_at != 0)
		return "cancelled";
	if (r->done)
		return "done";
	return "active";
}

/* One row of remind list. */
static int
ctl_remind_row(void *arg, const struct store_remind *r)
{
	struct ctl_table	*t = arg;
	char			 id[24], to[STORE_REGION_MAX + 16], q[24];

	snprintf(id, sizeof(id), "%" PRId64, r->id);
	if (strcmp(r->target_kind, "all") == 0)
		snprintf(to, sizeof(to), "all");
	else
		snprintf(to, sizeof(to), "%s:%s", r->target_kind, r->target);
	snprintf(q, sizeof(q), "%" PRId64, r->queued);
	ctl_table_row(t, id, to, r->at_local, r->repeat[0] ? r->repeat : "-",
	    ctl_remind_state(r), q, r->origin[0] ? r->origin : "-", r->text);
	return 0;
}

/* remind list: every reminder, cancelled and done ones too. */
int
ctl_remind_list(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_table	 t;
	int			 npos, rc, csv = 0;
	const struct ctl_opt	 opts[] = {
		{ "csv", NULL, &csv },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	ctl_table_init(&t, 8, "rllllrll");
	ctl_table_row(&t, "ID", "TO", "AT", "REPEAT", "STATE", "QUEUED",
	    "BY", "TEXT");
	rc = CTL_EXIT_OK;
	if (store_remind_each(ctl->store, 0, 0, ctl_remind_row, &t) !=
	    STORE_OK)
		rc = ctl_store_fail(ctl);
	else if (ctl_table_print(&t, stdout, csv) == -1)
		rc = CTL_EXIT_FAIL;
	ctl_table_free(&t);
	ctl_close(ctl);
	return rc == CTL_EXIT_OK ? ctl_flush() : rc;
}

/*
 * remind cancel ID: no recipient is queued any more; what was queued
 * already still leaves (it may be in pilard's memory).
 */
int
ctl_remind_cancel(struct ctl *ctl, int argc, char **argv)
{
	char	*pos[1];
	int64_t	 id;
	int	 npos, rc, sr;

	if (ctl_parse(ctl, argc, argv, NULL, pos, 1, &npos, &rc) == -1)
		return rc;
	if (npos != 1)
		return ctl_usage_error(ctl, "name one reminder ID");
	if (ctl_remind_id(ctl, pos[0], &id) == -1)
		return CTL_EXIT_USAGE;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	sr = store_remind_cancel(ctl->store, id, (int64_t)time(NULL));
	if (sr == STORE_ERROR)
		rc = ctl_store_fail(ctl);
	else if (sr == STORE_NOTFOUND) {
		ctl_warnx("no active reminder %" PRId64, id);
		rc = CTL_EXIT_FAIL;
	} else {
		printf("reminder %" PRId64 " cancelled\n", id);
		rc = ctl_flush();
	}
	ctl_close(ctl);
	return rc;
}

/* remind show ID: what it is, and what became of its SMS. */
int
ctl_remind_show(struct ctl *ctl, int argc, char **argv)
{
	struct store_remind		 r;
	struct store_remind_counts	 c;
	char				*pos[1];
	int64_t				 id;
	int				 npos, rc, sr;

	if (ctl_parse(ctl, argc, argv, NULL, pos, 1, &npos, &rc) == -1)
		return rc;
	if (npos != 1)
		return ctl_usage_error(ctl, "name one reminder ID");
	if (ctl_remind_id(ctl, pos[0], &id) == -1)
		return CTL_EXIT_USAGE;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if ((sr = store_remind_get(ctl->store, id, &r)) != STORE_OK ||
	    store_remind_counts(ctl->store, id, &c) != STORE_OK) {
		if (sr == STORE_NOTFOUND) {
			ctl_warnx("no reminder %" PRId64, id);
			rc = CTL_EXIT_FAIL;
		} else
			rc = ctl_store_fail(ctl);
		ctl_close(ctl);
		return rc;
	}
	printf("reminder:    %" PRId64 "\n", r.id);
	printf("state:       %s\n", ctl_remind_state(&r));
	printf("to:          %s%s%s\n", r.target_kind, r.target[0] ? ":" : "",
	    r.target);
	printf("at:          %s (each companion's zone)\n", r.at_local);
	printf("repeat:      %s\n", r.repeat[0] ? r.repeat : "-");
	printf("by:          %s\n", r.origin[0] ? r.origin : "operator");
	printf("text:        %s\n", r.text);
	printf("occurrence:  %d%s%s\n", r.occurrence + (r.done ? 0 : 1),
	    r.cursor_zone[0] ? ", queueing in " : "", r.cursor_zone);
	printf("queued:      %" PRId64 "\n", r.queued);
	printf("pending:     %" PRId64 "\n", c.pending);
	printf("sent:        %" PRId64 "\n", c.sent);
	printf("failed:      %" PRId64 "\n", c.failed);
	printf("unknown:     %" PRId64 "\n", c.unknown);
	printf("delivered:   %" PRId64 "\n", c.delivered);
	printf("undelivered: %" PRId64 "\n", c.undelivered);
	printf("skipped:     %" PRId64 " (stop %" PRId64 ", no phone %"
	    PRId64 ", daily cap %" PRId64 ", too long %" PRId64 ")\n",
	    r.skipped_optout + r.skipped_nophone + r.skipped_cap +
	    r.skipped_long, r.skipped_optout, r.skipped_nophone,
	    r.skipped_cap, r.skipped_long);
	ctl_close(ctl);
	return ctl_flush();
}
