/*
 * pilarctl_report.c: what the operators take away: the exports of the
 * records as CSV and the reports of the count toward the yearly
 * target, by companion and by region.
 *
 * Everything here only reads.  Counts come from store_record_count(),
 * the query the daemon's STATUS reply uses, so the report and the SMS a
 * companion gets can never disagree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "grammar.h"
#include "pilarctl.h"
#include "store.h"
#include "tz.h"

#define CTL_EXPORT_FIELDS	9
#define CTL_ISO_MAX		32	/* tz_iso8601() needs 26 */

struct ctl_export {
	FILE		*fp;
	int		 failed;	/* a write to fp failed */
};

/* The active (or, with --all, every) companion, collected first. */
struct ctl_report {
	struct store_companion	*comp;		/* from malloc */
	size_t			 n, cap;
	int			 all;
	const char		*region;	/* only this one, or NULL */
};

/* One companion's numbers of its year. */
struct ctl_report_count {
	int	year;
	int	counted;
	int	cat[GRAMMAR_CAT_PK + 1];
	int	visits;
};

/* A region's sums, for report regions. */
struct ctl_region_sum {
	const char	*key;		/* a companion's spelling of it */
	const char	*name;		/* key, or "(none)" for "" */
	long		 companions, reached, counted, visits;
	long		 cat[GRAMMAR_CAT_PK + 1];
	int		 year_min, year_max;
};

static int	ctl_export(struct ctl *, int, char **, enum store_kind);
static int	ctl_export_grad(void *, const struct store_record *);
static int	ctl_export_visit(void *, const struct store_record *);
static void	ctl_export_times(const struct store_record *, char *, char *,
		    char *);
static int	ctl_report_collect(void *, const struct store_companion *);
static int	ctl_report_load(struct ctl *, struct ctl_report *);
static int	ctl_report_count(struct ctl *, const struct store_companion *,
		    int, struct ctl_report_count *);
static void	ctl_report_one(struct ctl *, const struct store_companion *,
		    const struct ctl_report_count *, struct ctl_table *, int);
static void	ctl_report_counted(unsigned, char *, size_t);
static int	ctl_region_cmp(const void *, const void *);
static void	ctl_region_row(struct ctl *, const struct ctl_region_sum *,
		    struct ctl_table *, int);

/*
 * A record's times, ISO 8601 at the offset of the companion's zone when
 * it was recorded (the zone may have changed since), and its status.
 */
static void
ctl_export_times(const struct store_record *r, char *recorded,
    char *cancelled, char *year)
{
	tz_iso8601(r->recorded_at, r->tz_offset, recorded, CTL_ISO_MAX);
	if (r->cancelled_at != 0)
		tz_iso8601(r->cancelled_at, r->tz_offset, cancelled,
		    CTL_ISO_MAX);
	else
		cancelled[0] = '\0';
	snprintf(year, 12, "%d", r->year);
}

/* store_record_each() callback for graduations; stops when fp fails. */
static int
ctl_export_grad(void *arg, const struct store_record *r)
{
	struct ctl_export	*ex = arg;
	char			 rec[CTL_ISO_MAX], can[CTL_ISO_MAX];
	char			 year[12];
	char			 cat[12];
	const char		*f[CTL_EXPORT_FIELDS];

	ctl_export_times(r, rec, can, year);
	if (r->category >= GRAMMAR_CAT_SM && r->category <= GRAMMAR_CAT_PK)
		snprintf(cat, sizeof(cat), "%s", grammar_category_name(
		    (enum grammar_category)r->category));
	else
		snprintf(cat, sizeof(cat), "%d", r->category);
	f[0] = r->ref;
	f[1] = r->companion_id;
	f[2] = r->kpm_id;
	f[3] = cat;
	f[4] = rec;
	f[5] = r->event_date;
	f[6] = year;
	f[7] = r->cancelled_at != 0 ? "cancelled" : "active";
	f[8] = can;
	if (ctl_csv_row(ex->fp, CTL_EXPORT_FIELDS, f) == -1)
		ex->failed = 1;
	return ex->failed;
}

/* store_record_each() callback for visits. */
static int
ctl_export_visit(void *arg, const struct store_record *r)
{
	struct ctl_export	*ex = arg;
	char			 rec[CTL_ISO_MAX], can[CTL_ISO_MAX];
	char			 year[12];
	const char		*f[CTL_EXPORT_FIELDS];

	ctl_export_times(r, rec, can, year);
	f[0] = r->ref;
	f[1] = r->companion_id;
	f[2] = r->kpm_id;
	f[3] = r->event_date;
	f[4] = r->note;
	f[5] = rec;
	f[6] = year;
	f[7] = r->cancelled_at != 0 ? "cancelled" : "active";
	f[8] = can;
	if (ctl_csv_row(ex->fp, CTL_EXPORT_FIELDS, f) == -1)
		ex->failed = 1;
	return ex->failed;
}

/*
 * export graduations | visits: a header and every record, cancelled
 * ones too (an auditor wants to see what was withdrawn), by id.
 */
static int
ctl_export(struct ctl *ctl, int argc, char **argv, enum store_kind kind)
{
	static const char *const grad_header[CTL_EXPORT_FIELDS] = {
		"ref", "companion_id", "kpm_id", "category", "recorded_at",
		"event_date", "year", "status", "cancelled_at"
	};
	static const char *const visit_header[CTL_EXPORT_FIELDS] = {
		"ref", "companion_id", "kpm_id", "event_date", "note",
		"recorded_at", "year", "status", "cancelled_at"
	};
	struct ctl_export	ex;
	int			bom = 0, npos, rc;
	const struct ctl_opt	opts[] = {
		{ "bom", NULL, &bom },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	ex.fp = stdout;
	ex.failed = ctl_csv_start(stdout, bom) == -1 ||
	    ctl_csv_row(stdout, CTL_EXPORT_FIELDS,
	    kind == STORE_KIND_GRAD ? grad_header : visit_header) == -1;
	if (!ex.failed && store_record_each(ctl->store, kind,
	    kind == STORE_KIND_GRAD ? ctl_export_grad : ctl_export_visit,
	    &ex) != STORE_OK) {
		ctl_warnx("store: %s", store_errmsg(ctl->store));
		return CTL_EXIT_FAIL;
	}
	if (ex.failed || fflush(stdout) == EOF) {
		ctl_warnx("stdout: %s", strerror(errno));
		return CTL_EXIT_FAIL;
	}
	return CTL_EXIT_OK;
}

int
ctl_export_graduations(struct ctl *ctl, int argc, char **argv)
{
	return ctl_export(ctl, argc, argv, STORE_KIND_GRAD);
}

int
ctl_export_visits(struct ctl *ctl, int argc, char **argv)
{
	return ctl_export(ctl, argc, argv, STORE_KIND_VISIT);
}

/*
 * store_companion_each() callback: keep the companion.  The counts are
 * taken afterwards, each with its own statement, not from inside the
 * iteration.
 */
static int
ctl_report_collect(void *arg, const struct store_companion *c)
{
	struct ctl_report	*rep = arg;

	if ((!c->active && !rep->all) ||
	    (rep->region != NULL && strcasecmp(rep->region, c->region) != 0))
		return 0;
	if (rep->n == rep->cap) {
		rep->cap = rep->cap == 0 ? 64 : rep->cap * 2;
		rep->comp = xreallocarray(rep->comp, rep->cap,
		    sizeof(*rep->comp));
	}
	rep->comp[rep->n++] = *c;
	return 0;
}

/* Every companion the report covers, into rep. */
static int
ctl_report_load(struct ctl *ctl, struct ctl_report *rep)
{
	if (store_companion_each(ctl->store, ctl_report_collect, rep) !=
	    STORE_OK)
		return ctl_store_fail(ctl);
	return CTL_EXIT_OK;
}

/*
 * One companion's numbers.  The year, unless given, is the current one
 * in the companion's zone; a zone the store holds but tz.h does not
 * know falls back to [program] timezone, as the daemon does.
 */
static int
ctl_report_count(struct ctl *ctl, const struct store_companion *c, int year,
    struct ctl_report_count *n)
{
	struct store	*st = ctl->store;
	int		 i;

	memset(n, 0, sizeof(*n));
	if (year == 0)
		year = tz_year((int64_t)time(NULL),
		    ctl_zone_offset(ctl, c->timezone));
	n->year = year;
	if (store_record_counts(st, c->id, year, ctl->cfg.program_counted,
	    &n->counted, &n->visits) != STORE_OK)
		return -1;
	for (i = GRAMMAR_CAT_SM; i <= GRAMMAR_CAT_PK; i++)
		if (store_record_count(st, c->id, STORE_KIND_GRAD, year,
		    1u << i, &n->cat[i]) != STORE_OK)
			return -1;
	return 0;
}

/*
 * One companion's row.  The table shows counted as "4/10"; CSV has
 * counted and target apart, for a spreadsheet.
 */
static void
ctl_report_one(struct ctl *ctl, const struct store_companion *c,
    const struct ctl_report_count *n, struct ctl_table *t, int csv)
{
	const struct config	*cfg = &ctl->cfg;
	char			 ys[12], prog[32], gs[12], ts[12], vs[12];
	char			 cs[3][12];
	const char		*reached;
	int			 i;

	for (i = GRAMMAR_CAT_SM; i <= GRAMMAR_CAT_PK; i++)
		snprintf(cs[i], sizeof(cs[i]), "%d", n->cat[i]);
	snprintf(ys, sizeof(ys), "%d", n->year);
	snprintf(gs, sizeof(gs), "%d", n->counted);
	snprintf(ts, sizeof(ts), "%d", cfg->program_yearly_target);
	snprintf(prog, sizeof(prog), "%d/%d", n->counted,
	    cfg->program_yearly_target);
	snprintf(vs, sizeof(vs), "%d", n->visits);
	reached = n->counted >= cfg->program_yearly_target ? "yes" : "no";
	if (csv)
		ctl_table_row(t, c->id, c->name, ys, gs, ts, cs[0], cs[1],
		    cs[2], vs, reached, c->region);
	else
		ctl_table_row(t, c->id, c->name, ys, prog, cs[0], cs[1],
		    cs[2], vs, reached, c->region);
}

/* "SM" or "SM+AL": the categories counted toward the target. */
static void
ctl_report_counted(unsigned mask, char *out, size_t outsz)
{
	size_t	n = 0;
	int	i;

	out[0] = '\0';
	for (i = GRAMMAR_CAT_SM; i <= GRAMMAR_CAT_PK && n < outsz; i++)
		if (mask & (1u << i))
			n += (size_t)snprintf(out + n, outsz - n, "%s%s",
			    n > 0 ? "+" : "",
			    grammar_category_name((enum grammar_category)i));
}

/*
 * report: a table for the terminal, or CSV.  The totals line ends the
 * table; with --csv it goes to stderr, so that stdout stays plain CSV.
 */
int
ctl_report(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_report	 rep;
	struct ctl_report_count	 n;
	struct ctl_table	 t;
	const char		*year_arg = NULL;
	char			 cats[16], region[STORE_REGION_MAX + 1];
	int			 csv = 0, bom = 0, npos, rc, year = 0;
	long			 total = 0, nreached = 0;
	size_t			 i;
	const struct ctl_opt	 opts[] = {
		{ "year", &year_arg, NULL },
		{ "csv", NULL, &csv },
		{ "bom", NULL, &bom },
		{ "all", NULL, &rep.all },
		{ "region", &rep.region, NULL },
		{ NULL, NULL, NULL }
	};

	memset(&rep, 0, sizeof(rep));
	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (year_arg != NULL && ctl_year_arg(ctl, "year", year_arg,
	    &year) != 0)
		return CTL_EXIT_USAGE;
	if (rep.region != NULL) {
		if (ctl_text_arg("region", rep.region, STORE_REGION_MAX, 1,
		    region) == -1)
			return CTL_EXIT_USAGE;
		rep.region = region;
	}
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if ((rc = ctl_report_load(ctl, &rep)) != CTL_EXIT_OK) {
		free(rep.comp);
		return rc;
	}

	if (csv) {
		ctl_table_init(&t, 11, "llrrrrrrrll");
		ctl_table_row(&t, "companion_id", "name", "year", "counted",
		    "target", "sm", "al", "pk", "visits", "reached", "region");
	} else {
		ctl_table_init(&t, 10, "llrrrrrrll");
		ctl_table_row(&t, "id", "name", "year", "counted", "SM", "AL",
		    "PK", "visits", "reached", "region");
	}
	rc = CTL_EXIT_OK;
	for (i = 0; i < rep.n; i++) {
		if (ctl_report_count(ctl, &rep.comp[i], year, &n) == -1) {
			rc = ctl_store_fail(ctl);
			goto done;
		}
		ctl_report_one(ctl, &rep.comp[i], &n, &t, csv);
		total += n.counted;
		nreached += n.counted >= ctl->cfg.program_yearly_target;
	}
	ctl_report_counted(ctl->cfg.program_counted, cats, sizeof(cats));
	if (ctl_csv_start(stdout, csv && bom) == -1 ||
	    ctl_table_print(&t, stdout, csv) == -1 ||
	    fprintf(csv ? stderr : stdout, "total: %zu companion%s, %ld "
	    "graduation%s counted (%s), target %d reached by %ld of %zu\n",
	    rep.n, rep.n == 1 ? "" : "s", total, total == 1 ? "" : "s", cats,
	    ctl->cfg.program_yearly_target, nreached, rep.n) < 0 ||
	    fflush(stdout) == EOF) {
		ctl_warnx("stdout: %s", strerror(errno));
		rc = CTL_EXIT_FAIL;
	}
done:
	ctl_table_free(&t);
	free(rep.comp);
	return rc;
}

/* By region, any case; the companions without one last. */
static int
ctl_region_cmp(const void *a, const void *b)
{
	const struct store_companion	*x = a, *y = b;
	int				 c;

	if ((x->region[0] == '\0') != (y->region[0] == '\0'))
		return x->region[0] == '\0' ? 1 : -1;
	if ((c = strcasecmp(x->region, y->region)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

/* One region's row: the target is its companions' targets summed. */
static void
ctl_region_row(struct ctl *ctl, const struct ctl_region_sum *r,
    struct ctl_table *t, int csv)
{
	long	target = r->companions * ctl->cfg.program_yearly_target;
	char	nc[24], ys[24], gs[24], ts[24], prog[48], cs[3][24], vs[24];
	char	rs[48];
	int	i;

	snprintf(nc, sizeof(nc), "%ld", r->companions);
	if (r->year_min == r->year_max)
		snprintf(ys, sizeof(ys), "%d", r->year_min);
	else
		snprintf(ys, sizeof(ys), "%d-%d", r->year_min, r->year_max);
	snprintf(gs, sizeof(gs), "%ld", r->counted);
	snprintf(ts, sizeof(ts), "%ld", target);
	snprintf(prog, sizeof(prog), "%ld/%ld", r->counted, target);
	for (i = GRAMMAR_CAT_SM; i <= GRAMMAR_CAT_PK; i++)
		snprintf(cs[i], sizeof(cs[i]), "%ld", r->cat[i]);
	snprintf(vs, sizeof(vs), "%ld", r->visits);
	if (csv) {
		snprintf(rs, sizeof(rs), "%ld", r->reached);
		ctl_table_row(t, r->name, nc, ys, gs, ts, cs[0], cs[1], cs[2],
		    vs, rs, r->counted >= target ? "yes" : "no");
	} else {
		snprintf(rs, sizeof(rs), "%ld/%ld", r->reached,
		    r->companions);
		ctl_table_row(t, r->name, nc, ys, prog, cs[0], cs[1], cs[2],
		    vs, rs, r->counted >= target ? "yes" : "no");
	}
}

/*
 * report regions: the companions sorted by region and summed, one
 * region after the other.  A region is reached when its graduations
 * reach its companions' targets together; how many companions reached
 * theirs is a column of its own.
 */
int
ctl_report_regions(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_report	 rep;
	struct ctl_report_count	 n;
	struct ctl_region_sum	 r, all;
	struct ctl_table	 t;
	const struct store_companion *c;
	const char		*year_arg = NULL;
	char			 cats[16];
	int			 csv = 0, bom = 0, npos, rc, year = 0, i;
	long			 nregions = 0, rreached = 0;
	size_t			 k;
	const struct ctl_opt	 opts[] = {
		{ "year", &year_arg, NULL },
		{ "csv", NULL, &csv },
		{ "bom", NULL, &bom },
		{ "all", NULL, &rep.all },
		{ NULL, NULL, NULL }
	};

	memset(&rep, 0, sizeof(rep));
	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (year_arg != NULL && ctl_year_arg(ctl, "year", year_arg,
	    &year) != 0)
		return CTL_EXIT_USAGE;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if ((rc = ctl_report_load(ctl, &rep)) != CTL_EXIT_OK) {
		free(rep.comp);
		return rc;
	}
	if (rep.n > 0)
		qsort(rep.comp, rep.n, sizeof(*rep.comp), ctl_region_cmp);

	if (csv) {
		ctl_table_init(&t, 11, "lrrrrrrrrrl");
		ctl_table_row(&t, "region", "companions", "year", "counted",
		    "target", "sm", "al", "pk", "visits",
		    "companions_reached", "reached");
	} else {
		ctl_table_init(&t, 10, "lrrrrrrrrl");
		ctl_table_row(&t, "region", "companions", "year", "counted",
		    "SM", "AL", "PK", "visits", "at target", "reached");
	}
	memset(&all, 0, sizeof(all));
	memset(&r, 0, sizeof(r));
	rc = CTL_EXIT_OK;
	for (k = 0; k <= rep.n; k++) {
		c = k < rep.n ? &rep.comp[k] : NULL;
		if (r.companions > 0 && (c == NULL ||
		    strcasecmp(c->region, r.key) != 0)) {
			ctl_region_row(ctl, &r, &t, csv);
			nregions++;
			rreached += r.counted >= r.companions *
			    ctl->cfg.program_yearly_target;
			memset(&r, 0, sizeof(r));
		}
		if (c == NULL)
			break;
		if (ctl_report_count(ctl, c, year, &n) == -1) {
			rc = ctl_store_fail(ctl);
			goto done;
		}
		if (r.companions == 0) {
			r.key = c->region;
			r.name = c->region[0] != '\0' ? c->region : "(none)";
			r.year_min = r.year_max = n.year;
		}
		r.companions++;
		r.reached += n.counted >= ctl->cfg.program_yearly_target;
		r.counted += n.counted;
		r.visits += n.visits;
		for (i = GRAMMAR_CAT_SM; i <= GRAMMAR_CAT_PK; i++)
			r.cat[i] += n.cat[i];
		if (n.year < r.year_min)
			r.year_min = n.year;
		if (n.year > r.year_max)
			r.year_max = n.year;
		all.counted += n.counted;
		all.reached += n.counted >= ctl->cfg.program_yearly_target;
	}
	ctl_report_counted(ctl->cfg.program_counted, cats, sizeof(cats));
	if (ctl_csv_start(stdout, csv && bom) == -1 ||
	    ctl_table_print(&t, stdout, csv) == -1 ||
	    fprintf(csv ? stderr : stdout, "total: %ld region%s, %zu "
	    "companion%s, %ld graduation%s counted (%s), target reached by "
	    "%ld region%s and %ld companion%s\n", nregions,
	    nregions == 1 ? "" : "s", rep.n, rep.n == 1 ? "" : "s",
	    all.counted, all.counted == 1 ? "" : "s", cats, rreached,
	    rreached == 1 ? "" : "s", all.reached,
	    all.reached == 1 ? "" : "s") < 0 || fflush(stdout) == EOF) {
		ctl_warnx("stdout: %s", strerror(errno));
		rc = CTL_EXIT_FAIL;
	}
done:
	ctl_table_free(&t);
	free(rep.comp);
	return rc;
}
