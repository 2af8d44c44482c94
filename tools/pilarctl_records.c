/*
 * pilarctl_records.c: the records (graduations and visits) one by one:
 * listing them, cancelling one for a companion, and a companion's page
 * with this year's records and count.
 *
 * Counts come from store_record_count(), the query behind the daemon's
 * STATUS reply, so what an operator reads here and what the companion
 * reads on the phone cannot disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "grammar.h"
#include "pilarctl.h"
#include "store.h"
#include "tz.h"

/* What records list and companion show print, one row per record. */
struct ctl_rec_list {
	struct ctl_table	 t;
	int			 csv;
	long			 n;
};

/* A companion's count of one year. */
struct ctl_count {
	int	year;
	int	counted;	/* graduations of the counted categories */
	int	cat[GRAMMAR_CAT_PK + 1];
	int	visits;
};

static void	ctl_rec_header(struct ctl_rec_list *);
static int	ctl_rec_row(void *, const struct store_record *);
static int	ctl_count_get(struct ctl *, const char *, int,
		    struct ctl_count *);
static int	ctl_kpm_tally(void *, const struct store_kpm *);

/* The columns: the table leaves out what CSV has for the auditor. */
static void
ctl_rec_header(struct ctl_rec_list *l)
{
	if (l->csv) {
		ctl_table_init(&l->t, 12, "llllllrlllll");
		ctl_table_row(&l->t, "ref", "companion_id", "kpm_id", "kind",
		    "category", "event_date", "year", "recorded_at", "status",
		    "cancelled_at", "cancel_reason", "note");
	} else {
		ctl_table_init(&l->t, 10, "llllllrlll");
		ctl_table_row(&l->t, "ref", "companion", "kpm", "kind",
		    "category", "event_date", "year", "recorded_at", "status",
		    "note");
	}
}

/* store_record_find() callback: one row. */
static int
ctl_rec_row(void *arg, const struct store_record *r)
{
	struct ctl_rec_list	*l = arg;
	char			 rec[CTL_TIME_MAX], can[CTL_TIME_MAX];
	char			 year[12], cbuf[12];
	const char		*kind, *cat, *status;

	ctl_time(r->recorded_at, r->tz_offset, rec);
	ctl_time(r->cancelled_at, r->tz_offset, can);
	snprintf(year, sizeof(year), "%d", r->year);
	kind = r->kind == STORE_KIND_GRAD ? "graduation" : "visit";
	cat = r->kind == STORE_KIND_GRAD ?
	    ctl_category(r->category, cbuf, sizeof(cbuf)) : "";
	status = r->cancelled_at != 0 ? "cancelled" : "active";
	if (l->csv)
		ctl_table_row(&l->t, r->ref, r->companion_id, r->kpm_id, kind,
		    cat, r->event_date, year, rec, status, can,
		    r->cancel_reason, r->note);
	else
		ctl_table_row(&l->t, r->ref, r->companion_id, r->kpm_id, kind,
		    cat, r->event_date, year, rec, status, r->note);
	l->n++;
	return 0;
}

/*
 * records list: the filters go to the store (a companion's records are
 * a range of an index; the others a scan of the table).
 */
int
ctl_records_list(struct ctl *ctl, int argc, char **argv)
{
	struct store_record_filter	 f;
	struct ctl_rec_list		 l;
	const char			*kind = NULL, *year = NULL;
	int				 bom = 0, npos, rc;
	const struct ctl_opt		 opts[] = {
		{ "companion", &f.companion_id, NULL },
		{ "kpm", &f.kpm_id, NULL },
		{ "from", &f.from, NULL },
		{ "to", &f.to, NULL },
		{ "kind", &kind, NULL },
		{ "year", &year, NULL },
		{ "csv", NULL, &l.csv },
		{ "bom", NULL, &bom },
		{ NULL, NULL, NULL }
	};

	memset(&f, 0, sizeof(f));
	memset(&l, 0, sizeof(l));
	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (f.companion_id != NULL && !ctl_companion_id_valid(f.companion_id))
		return ctl_usage_error(ctl, "'%s' is no companion id",
		    f.companion_id);
	if (f.kpm_id != NULL && !ctl_kpm_id_valid(f.kpm_id))
		return ctl_usage_error(ctl, "'%s' is no KPM id", f.kpm_id);
	if ((f.from != NULL && ctl_date_arg(ctl, "from", f.from) != 0) ||
	    (f.to != NULL && ctl_date_arg(ctl, "to", f.to) != 0) ||
	    (year != NULL && ctl_year_arg(ctl, "year", year, &f.year) != 0))
		return CTL_EXIT_USAGE;
	if (f.from != NULL && f.to != NULL && strcmp(f.from, f.to) > 0)
		return ctl_usage_error(ctl, "--from %s is after --to %s",
		    f.from, f.to);
	if (kind != NULL) {
		if (strcasecmp(kind, "graduation") == 0 ||
		    strcasecmp(kind, "grad") == 0)
			f.kind = STORE_KIND_GRAD;
		else if (strcasecmp(kind, "visit") == 0 ||
		    strcasecmp(kind, "kunj") == 0)
			f.kind = STORE_KIND_VISIT;
		else
			return ctl_usage_error(ctl, "--kind '%s' is neither "
			    "graduation nor visit", kind);
	}
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	ctl_rec_header(&l);
	rc = CTL_EXIT_OK;
	if (store_record_find(ctl->store, &f, ctl_rec_row, &l) != STORE_OK)
		rc = ctl_store_fail(ctl);
	else if (ctl_csv_start(stdout, l.csv && bom) == -1 ||
	    ctl_table_print(&l.t, stdout, l.csv) == -1 ||
	    (!l.csv && printf("%ld record%s\n", l.n,
	    l.n == 1 ? "" : "s") < 0)) {
		ctl_warnx("stdout: write failed");
		rc = CTL_EXIT_FAIL;
	} else
		rc = ctl_flush();
	ctl_table_free(&l.t);
	return rc;
}

/* The companion's count of year: the counted categories, each, visits. */
static int
ctl_count_get(struct ctl *ctl, const char *id, int year, struct ctl_count *n)
{
	int	i;

	memset(n, 0, sizeof(*n));
	n->year = year;
	if (store_record_counts(ctl->store, id, year,
	    ctl->cfg.program_counted, &n->counted, &n->visits) != STORE_OK)
		return -1;
	for (i = GRAMMAR_CAT_SM; i <= GRAMMAR_CAT_PK; i++)
		if (store_record_count(ctl->store, id, STORE_KIND_GRAD, year,
		    1u << i, &n->cat[i]) != STORE_OK)
			return -1;
	return 0;
}

/*
 * records cancel REF --companion ID --reason TEXT: as the companion's
 * BATAL REF, with the operator's reason.  One transaction: the record
 * read, the cancel and the count after it.
 */
int
ctl_records_cancel(struct ctl *ctl, int argc, char **argv)
{
	struct store_companion	 c;
	struct store_record	 r;
	struct ctl_count	 n;
	const char		*comp = NULL, *reason_arg = NULL;
	char			*pos[1], reason[STORE_REASON_MAX + 1];
	char			 when[CTL_TIME_MAX], cbuf[12];
	int			 npos, rc, sr;
	const struct ctl_opt	 opts[] = {
		{ "companion", &comp, NULL },
		{ "reason", &reason_arg, NULL },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, pos, 1, &npos, &rc) == -1)
		return rc;
	if (npos != 1)
		return ctl_usage_error(ctl, "name one record REF");
	if (comp == NULL || reason_arg == NULL)
		return ctl_usage_error(ctl, "--%s is required",
		    comp == NULL ? "companion" : "reason");
	if (!ctl_companion_id_valid(comp))
		return ctl_usage_error(ctl, "'%s' is no companion id", comp);
	if (ctl_text_arg("reason", reason_arg, STORE_REASON_MAX, 0,
	    reason) == -1)
		return CTL_EXIT_USAGE;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if (store_begin(ctl->store) != STORE_OK)
		return ctl_store_fail(ctl);
	if ((sr = store_companion_get(ctl->store, comp, &c)) ==
	    STORE_NOTFOUND) {
		ctl_warnx("no companion %s", comp);
		goto refused;
	} else if (sr != STORE_OK)
		goto fail;
	if ((sr = store_record_by_ref(ctl->store, c.id, pos[0], &r)) ==
	    STORE_NOTFOUND) {
		ctl_warnx("companion %s has no record %s", c.id, pos[0]);
		goto refused;
	} else if (sr != STORE_OK)
		goto fail;
	if (r.cancelled_at != 0) {
		ctl_time(r.cancelled_at, r.tz_offset, when);
		ctl_warnx("record %s of %s was cancelled already (%s%s%s)",
		    r.ref, c.id, when, r.cancel_reason[0] ? ": " : "",
		    r.cancel_reason);
		goto refused;
	}
	if (store_record_cancel(ctl->store, r.id, (int64_t)time(NULL),
	    reason) != STORE_OK ||
	    ctl_count_get(ctl, c.id, r.year, &n) == -1 ||
	    store_commit(ctl->store) != STORE_OK)
		goto fail;
	if (r.kind == STORE_KIND_GRAD)
		printf("cancelled %s of %s: graduation %s of KPM %s\n"
		    "count of %d: %d/%d\n", r.ref, c.id,
		    ctl_category(r.category, cbuf, sizeof(cbuf)), r.kpm_id,
		    r.year, n.counted, ctl->cfg.program_yearly_target);
	else
		printf("cancelled %s of %s: visit to KPM %s on %s\n"
		    "visits of %d: %d\n", r.ref, c.id, r.kpm_id, r.event_date,
		    r.year, n.visits);
	return ctl_flush();

fail:
	ctl_store_fail(ctl);
refused:
	store_rollback(ctl->store);
	return CTL_EXIT_FAIL;
}

/* store_kpm_each() callback: KPM assigned, and how many opted out. */
static int
ctl_kpm_tally(void *arg, const struct store_kpm *k)
{
	long	*n = arg;

	n[0]++;
	n[1] += k->opted_out != 0;
	return 0;
}

/*
 * companion show ID [--year YYYY]: the details, the roster size, the
 * count of the year and its records.
 */
int
ctl_companion_show(struct ctl *ctl, int argc, char **argv)
{
	struct store_record_filter	 f;
	struct store_companion		 c;
	struct ctl_rec_list		 l;
	struct ctl_count		 n;
	const char			*year_arg = NULL;
	char				*pos[1];
	long				 nkpm[2] = { 0, 0 };
	int				 npos, rc, sr, year = 0;
	const struct ctl_opt		 opts[] = {
		{ "year", &year_arg, NULL },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, pos, 1, &npos, &rc) == -1)
		return rc;
	if (npos != 1)
		return ctl_usage_error(ctl, "name one companion ID");
	if (!ctl_companion_id_valid(pos[0]))
		return ctl_usage_error(ctl, "'%s' is no companion id", pos[0]);
	if (year_arg != NULL && ctl_year_arg(ctl, "year", year_arg,
	    &year) != 0)
		return CTL_EXIT_USAGE;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if ((sr = store_companion_get(ctl->store, pos[0], &c)) ==
	    STORE_NOTFOUND) {
		ctl_warnx("no companion %s", pos[0]);
		return CTL_EXIT_FAIL;
	} else if (sr != STORE_OK)
		return ctl_store_fail(ctl);
	if (year == 0)
		year = tz_year((int64_t)time(NULL),
		    ctl_zone_offset(ctl, c.timezone));
	if (store_kpm_each(ctl->store, c.id, ctl_kpm_tally, nkpm) !=
	    STORE_OK || ctl_count_get(ctl, c.id, year, &n) == -1)
		return ctl_store_fail(ctl);

	printf("companion  %s\n", c.id);
	printf("name       %s\n", c.phone[0] == '\0' && c.name[0] == '\0' ?
	    "(erased)" : c.name);
	printf("phone      %s\n", c.phone[0] != '\0' ? c.phone : "(none)");
	printf("region     %s\n", c.region[0] != '\0' ? c.region : "(none)");
	printf("timezone   %s\n", c.timezone);
	printf("language   %s\n", c.language);
	printf("active     %s\n", c.active ? "yes" : "no");
	printf("kpm        %ld (%ld opted out of reminders)\n", nkpm[0],
	    nkpm[1]);
	printf("year       %d\n", year);
	printf("counted    %d/%d, target %s\n", n.counted,
	    ctl->cfg.program_yearly_target,
	    n.counted >= ctl->cfg.program_yearly_target ? "reached" :
	    "not reached");
	printf("graduations SM %d, AL %d, PK %d\n", n.cat[GRAMMAR_CAT_SM],
	    n.cat[GRAMMAR_CAT_AL], n.cat[GRAMMAR_CAT_PK]);
	printf("visits     %d\n\n", n.visits);

	memset(&f, 0, sizeof(f));
	f.companion_id = c.id;
	f.year = year;
	memset(&l, 0, sizeof(l));
	ctl_rec_header(&l);
	rc = CTL_EXIT_OK;
	if (store_record_find(ctl->store, &f, ctl_rec_row, &l) != STORE_OK)
		rc = ctl_store_fail(ctl);
	else if ((l.n > 0 && ctl_table_print(&l.t, stdout, 0) == -1) ||
	    printf("%ld record%s of %d\n", l.n, l.n == 1 ? "" : "s",
	    year) < 0) {
		ctl_warnx("stdout: write failed");
		rc = CTL_EXIT_FAIL;
	} else
		rc = ctl_flush();
	ctl_table_free(&l.t);
	return rc;
}
