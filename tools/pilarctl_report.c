/*
 * pilarctl_report.c: what the operators take away: the exports of the
 * records as CSV and the report of each companion's count toward the
 * yearly target.
 *
 * Everything here only reads.  Counts come from store_record_count(),
 * the query the daemon's STATUS reply uses, so the report and the SMS a
 * companion gets can never disagree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
};

static int	ctl_export(struct ctl *, int, char **, enum store_kind);
static int	ctl_export_grad(void *, const struct store_record *);
static int	ctl_export_visit(void *, const struct store_record *);
static void	ctl_export_times(const struct store_record *, char *, char *,
		    char *);
static int	ctl_report_collect(void *, const struct store_companion *);
static int	ctl_report_year(struct ctl *, const char *, int *);
static int	ctl_report_one(struct ctl *, const struct store_companion *,
		    int, struct ctl_table *, int, int *);
static void	ctl_report_counted(unsigned, char *, size_t);

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
	int			npos, rc;

	if (ctl_parse(ctl, argc, argv, NULL, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	ex.fp = stdout;
	ex.failed = ctl_csv_row(stdout, CTL_EXPORT_FIELDS,
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

	if (!c->active && !rep->all)
		return 0;
	if (rep->n == rep->cap) {
		rep->cap = rep->cap == 0 ? 64 : rep->cap * 2;
		rep->comp = xreallocarray(rep->comp, rep->cap,
		    sizeof(*rep->comp));
	}
	rep->comp[rep->n++] = *c;
	return 0;
}

/* --year: a plain four-digit year. */
static int
ctl_report_year(struct ctl *ctl, const char *s, int *year)
{
	char	*end;
	long	 y;

	errno = 0;
	y = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || y < 1970 || y > 9999)
		return ctl_usage_error(ctl, "--year '%s' is not a year "
		    "(1970 to 9999)", s);
	*year = (int)y;
	return 0;
}

/*
 * One companion's row.  The year, unless given, is the current one in
 * the companion's zone; a zone the store holds but tz.h does not know
 * falls back to [program] timezone, as the daemon does.  The table
 * shows counted as "4/10"; CSV has counted and target apart, for a
 * spreadsheet.
 */
static int
ctl_report_one(struct ctl *ctl, const struct store_companion *c, int year,
    struct ctl_table *t, int csv, int *counted)
{
	const struct config	*cfg = &ctl->cfg;
	struct store		*st = ctl->store;
	char			 ys[12], prog[32], gs[12], ts[12], vs[12];
	char			 cs[3][12];
	const char		*reached;
	int			 off, grad, cat[3], visits, i;

	if (year == 0) {
		if (tz_offset(c->timezone, &off) == -1)
			off = cfg->program_tz_offset;
		year = tz_year((int64_t)time(NULL), off);
	}
	if (store_record_count(st, c->id, STORE_KIND_GRAD, year,
	    cfg->program_counted, &grad) != STORE_OK ||
	    store_record_count(st, c->id, STORE_KIND_VISIT, year, 0,
	    &visits) != STORE_OK)
		return -1;
	for (i = GRAMMAR_CAT_SM; i <= GRAMMAR_CAT_PK; i++) {
		if (store_record_count(st, c->id, STORE_KIND_GRAD, year,
		    1u << i, &cat[i]) != STORE_OK)
			return -1;
		snprintf(cs[i], sizeof(cs[i]), "%d", cat[i]);
	}
	snprintf(ys, sizeof(ys), "%d", year);
	snprintf(gs, sizeof(gs), "%d", grad);
	snprintf(ts, sizeof(ts), "%d", cfg->program_yearly_target);
	snprintf(prog, sizeof(prog), "%d/%d", grad,
	    cfg->program_yearly_target);
	snprintf(vs, sizeof(vs), "%d", visits);
	reached = grad >= cfg->program_yearly_target ? "yes" : "no";
	if (csv)
		ctl_table_row(t, c->id, c->name, ys, gs, ts, cs[0], cs[1],
		    cs[2], vs, reached);
	else
		ctl_table_row(t, c->id, c->name, ys, prog, cs[0], cs[1],
		    cs[2], vs, reached);
	*counted = grad;
	return 0;
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
	struct ctl_table	 t;
	const char		*year_arg = NULL;
	char			 cats[16];
	int			 csv = 0, npos, rc, year = 0, counted;
	long			 total = 0, nreached = 0;
	size_t			 i;
	const struct ctl_opt	 opts[] = {
		{ "year", &year_arg, NULL },
		{ "csv", NULL, &csv },
		{ "all", NULL, &rep.all },
		{ NULL, NULL, NULL }
	};

	memset(&rep, 0, sizeof(rep));
	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (year_arg != NULL && ctl_report_year(ctl, year_arg, &year) != 0)
		return CTL_EXIT_USAGE;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if (store_companion_each(ctl->store, ctl_report_collect, &rep) !=
	    STORE_OK) {
		ctl_warnx("store: %s", store_errmsg(ctl->store));
		free(rep.comp);
		return CTL_EXIT_FAIL;
	}

	if (csv) {
		ctl_table_init(&t, 10, "llrrrrrrrl");
		ctl_table_row(&t, "companion_id", "name", "year", "counted",
		    "target", "sm", "al", "pk", "visits", "reached");
	} else {
		ctl_table_init(&t, 9, "llrrrrrrl");
		ctl_table_row(&t, "id", "name", "year", "counted", "SM", "AL",
		    "PK", "visits", "reached");
	}
	rc = CTL_EXIT_OK;
	for (i = 0; i < rep.n; i++) {
		if (ctl_report_one(ctl, &rep.comp[i], year, &t, csv,
		    &counted) == -1) {
			ctl_warnx("store: %s", store_errmsg(ctl->store));
			rc = CTL_EXIT_FAIL;
			goto done;
		}
		total += counted;
		nreached += counted >= ctl->cfg.program_yearly_target;
	}
	ctl_report_counted(ctl->cfg.program_counted, cats, sizeof(cats));
	if (ctl_table_print(&t, stdout, csv) == -1 ||
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
