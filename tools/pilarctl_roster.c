/*
 * pilarctl_roster.c: the KPM roster beyond imports: the export, moving
 * families to another companion, and opting them out of reminders or
 * back in.
 *
 * Changes follow kpm import's rule: everything is checked first, every
 * problem is reported (FILE:LINE: reason for a file), and then all is
 * written in one transaction or nothing is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "pilarctl.h"
#include "store.h"

#define CTL_ROSTER_LINE_MAX	4096	/* bytes of one line of a file */
#define CTL_ROSTER_FIELDS_MAX	32
#define CTL_ROSTER_SHOW		24	/* bytes of a bad value echoed */

struct ctl_kpm_out {
	FILE	*fp;
	int	 failed;
};

/* A KPM id a reassign moves, and the line of the file it is on. */
struct ctl_ra_item {
	char	id[STORE_ID_MAX + 1];
	long	line;			/* 0: not from a file */
};

struct ctl_reassign {
	struct ctl		*ctl;
	struct ctl_ra_item	*items;		/* from malloc */
	size_t			 n, cap;
	long			 errors;
	const char		*file;
	long			 line;
};

static int	ctl_kpm_export_row(void *, const struct store_kpm *);
static void	ctl_reassign_add(struct ctl_reassign *, const char *, long);
static int	ctl_reassign_cmp(const void *, const void *);
static void	ctl_reassign_dups(struct ctl_reassign *);
static int	ctl_reassign_check(struct ctl_reassign *, const char *);
static char	*ctl_roster_trim(char *);
static int	ctl_reassign_file(struct ctl_reassign *);
static int	ctl_reassign_from(void *, const struct store_kpm *);
static int	ctl_reassign_write(struct ctl_reassign *, const char *, int,
		    long *, long *);
static void	ctl_show(const char *, char *, size_t);
static int	ctl_kpm_optset(struct ctl *, int, char **, int);

/*
 * A bad value as it may be echoed: cut, control bytes as '?', so a
 * broken file cannot garble the operator's terminal.
 */
static void
ctl_show(const char *s, char *out, size_t outsz)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i < CTL_ROSTER_SHOW && i + 4 < outsz; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	if (s[i] != '\0' && i + 4 <= outsz) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

/* store_kpm_each() callback: one CSV row; stops when the output fails. */
static int
ctl_kpm_export_row(void *arg, const struct store_kpm *k)
{
	struct ctl_kpm_out	*o = arg;
	const char		*f[5];

	f[0] = k->id;
	f[1] = k->name;
	f[2] = k->phone;
	f[3] = k->companion_id;
	f[4] = k->opted_out ? "yes" : "no";
	if (ctl_csv_row(o->fp, 5, f) == -1)
		o->failed = 1;
	return o->failed;
}

/* kpm export [--companion ID] [--bom] */
int
ctl_kpm_export(struct ctl *ctl, int argc, char **argv)
{
	static const char *const header[5] = {
		"kpm_id", "name", "phone", "companion_id", "opted_out"
	};
	struct ctl_kpm_out	 o;
	struct store_companion	 c;
	const char		*comp = NULL;
	int			 bom = 0, npos, rc, sr;
	const struct ctl_opt	 opts[] = {
		{ "companion", &comp, NULL },
		{ "bom", NULL, &bom },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (comp != NULL && !ctl_companion_id_valid(comp))
		return ctl_usage_error(ctl, "'%s' is no companion id", comp);
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if (comp != NULL && (sr = store_companion_get(ctl->store, comp,
	    &c)) != STORE_OK) {
		if (sr != STORE_NOTFOUND)
			return ctl_store_fail(ctl);
		ctl_warnx("no companion %s", comp);
		return CTL_EXIT_FAIL;
	}
	o.fp = stdout;
	o.failed = ctl_csv_start(stdout, bom) == -1 ||
	    ctl_csv_row(stdout, 5, header) == -1;
	if (!o.failed && store_kpm_each(ctl->store, comp, ctl_kpm_export_row,
	    &o) != STORE_OK)
		return ctl_store_fail(ctl);
	if (o.failed) {
		ctl_warnx("stdout: %s", strerror(errno));
		return CTL_EXIT_FAIL;
	}
	return ctl_flush();
}

static void
ctl_reassign_add(struct ctl_reassign *ra, const char *id, long line)
{
	if (ra->n == ra->cap) {
		ra->cap = ra->cap == 0 ? 64 : ra->cap * 2;
		ra->items = xreallocarray(ra->items, ra->cap,
		    sizeof(*ra->items));
	}
	snprintf(ra->items[ra->n].id, sizeof(ra->items[ra->n].id), "%s",
	    id);
	ra->items[ra->n].line = line;
	ra->n++;
}

/* By id, then by line: a duplicate follows its first occurrence. */
static int
ctl_reassign_cmp(const void *a, const void *b)
{
	const struct ctl_ra_item	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->id, y->id)) != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/*
 * Sort the ids and keep each once.  A second line of a file with the
 * same id is an error (the file is not what the operator thinks); the
 * same id twice on the command line is not.
 */
static void
ctl_reassign_dups(struct ctl_reassign *ra)
{
	size_t	i, o;

	if (ra->n == 0)
		return;
	qsort(ra->items, ra->n, sizeof(*ra->items), ctl_reassign_cmp);
	for (i = o = 1; i < ra->n; i++) {
		if (strcmp(ra->items[i].id, ra->items[o - 1].id) != 0) {
			ra->items[o++] = ra->items[i];
			continue;
		}
		if (ra->items[i].line > 0) {
			fprintf(stderr, "%s:%ld: kpm_id %s is already on line "
			    "%ld\n", ra->file, ra->items[i].line,
			    ra->items[i].id, ra->items[o - 1].line);
			ra->errors++;
		}
	}
	ra->n = o;
}

/* Blanks around a field are a spreadsheet's, not the operator's data. */
static char *
ctl_roster_trim(char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/*
 * One id from the command line or the file: a KPM id the roster has.
 * Problems are counted and reported (as FILE:LINE from a file).
 * -1 only when the store fails.
 */
static int
ctl_reassign_check(struct ctl_reassign *ra, const char *id)
{
	struct store_kpm	k;
	char			show[CTL_ROSTER_SHOW + 4], where[300];
	const char		*why = NULL;
	int			sr;

	if (ra->file != NULL)
		snprintf(where, sizeof(where), "%s:%ld: ", ra->file,
		    ra->line);
	else
		snprintf(where, sizeof(where), "pilarctl: ");
	ctl_show(id, show, sizeof(show));
	if (!ctl_kpm_id_valid(id))
		why = "is not a KPM id (digits)";
	else if ((sr = store_kpm_get(ra->ctl->store, id, &k)) ==
	    STORE_NOTFOUND)
		why = "is not in the roster";
	else if (sr != STORE_OK)
		return -1;
	if (why != NULL) {
		fprintf(stderr, "%skpm_id '%s' %s\n", where, show, why);
		ra->errors++;
		return 0;
	}
	ctl_reassign_add(ra, id, ra->file != NULL ? ra->line : 0);
	return 0;
}

/*
 * A file of ids: a header whose first field is kpm_id, then an id first
 * on each line; other columns are not read (a filtered kpm export will
 * do).  Returns 0 (ra->errors says whether it was good) or -1.
 */
static int
ctl_reassign_file(struct ctl_reassign *ra)
{
	FILE	*fp;
	char	*line = NULL, *fields[CTL_ROSTER_FIELDS_MAX];
	char	 buf[CTL_ROSTER_LINE_MAX + CTL_ROSTER_FIELDS_MAX], err[128];
	char	*p, show[CTL_ROSTER_SHOW + 4];
	size_t	 cap = 0, len;
	ssize_t	 got;
	int	 n, rc = 0;

	if ((fp = fopen(ra->file, "r")) == NULL) {
		ctl_warnx("%s: %s", ra->file, strerror(errno));
		return -1;
	}
	while (rc == 0 && (got = getline(&line, &cap, fp)) != -1) {
		ra->line++;
		len = (size_t)got;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		p = line;
		if (ra->line == 1 && len >= 3 &&
		    memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			len -= 3;
		}
		if (len > CTL_ROSTER_LINE_MAX) {
			fprintf(stderr, "%s:%ld: line longer than %d bytes\n",
			    ra->file, ra->line, CTL_ROSTER_LINE_MAX);
			ra->errors++;
			continue;
		}
		n = csv_split(p, len, fields, CTL_ROSTER_FIELDS_MAX, buf,
		    sizeof(buf), err, sizeof(err));
		if (n == -1) {
			fprintf(stderr, "%s:%ld: bad CSV: %s\n", ra->file,
			    ra->line, err);
			ra->errors++;
			continue;
		}
		p = n > 0 ? ctl_roster_trim(fields[0]) : NULL;
		if (ra->line == 1) {
			if (p == NULL || strcasecmp(p, "kpm_id") != 0) {
				ctl_show(line, show, sizeof(show));
				fprintf(stderr, "%s:1: the header must start "
				    "with kpm_id (found '%s')\n", ra->file,
				    show);
				ra->errors++;
				break;
			}
			continue;
		}
		if (p == NULL || *p == '\0')
			continue;	/* an empty row */
		rc = ctl_reassign_check(ra, p);
	}
	if (rc == 0 && ferror(fp)) {
		ctl_warnx("%s: %s", ra->file, strerror(errno));
		rc = -1;
	} else if (rc == 0 && ra->line == 0) {
		fprintf(stderr, "%s:1: the file is empty (expected the "
		    "header kpm_id)\n", ra->file);
		ra->errors++;
	}
	if (rc == -1 && !ferror(fp))
		ctl_warnx("%s:%ld: store: %s", ra->file, ra->line,
		    store_errmsg(ra->ctl->store));
	free(line);
	fclose(fp);
	return rc;
}

/* store_kpm_each() callback: every KPM of the --from companion. */
static int
ctl_reassign_from(void *arg, const struct store_kpm *k)
{
	ctl_reassign_add(arg, k->id, 0);
	return 0;
}

/*
 * Move every id to companion to in one transaction (dry_run: only
 * count).  *moved and *already get the counts.
 */
static int
ctl_reassign_write(struct ctl_reassign *ra, const char *to, int dry_run,
    long *moved, long *already)
{
	struct store		*st = ra->ctl->store;
	struct store_kpm	 k;
	size_t			 i;
	int			 sr;

	*moved = *already = 0;
	if (store_begin(st) != STORE_OK)
		goto fail;
	for (i = 0; i < ra->n; i++) {
		if ((sr = store_kpm_get(st, ra->items[i].id, &k)) ==
		    STORE_NOTFOUND) {
			ctl_warnx("KPM %s left the roster meanwhile",
			    ra->items[i].id);
			store_rollback(st);
			return -1;
		} else if (sr != STORE_OK)
			goto fail;
		if (strcmp(k.companion_id, to) == 0) {
			(*already)++;
			continue;
		}
		snprintf(k.companion_id, sizeof(k.companion_id), "%s", to);
		if (!dry_run && store_kpm_put(st, &k) != STORE_OK)
			goto fail;
		(*moved)++;
	}
	if (dry_run)
		store_rollback(st);
	else if (store_commit(st) != STORE_OK)
		goto fail;
	return 0;

fail:
	ctl_store_fail(ra->ctl);
	store_rollback(st);
	return -1;
}

/*
 * kpm reassign (KPM_ID... | --file FILE | --from COMPANION) --to ID
 * [--dry-run]
 */
int
ctl_kpm_reassign(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_reassign	 ra;
	struct store_companion	 c;
	const char		*to = NULL, *from = NULL, *file = NULL;
	char			**pos;
	long			 moved, already;
	int			 npos, rc, sr, i, dry_run = 0;
	const struct ctl_opt	 opts[] = {
		{ "to", &to, NULL },
		{ "from", &from, NULL },
		{ "file", &file, NULL },
		{ "dry-run", NULL, &dry_run },
		{ NULL, NULL, NULL }
	};

	pos = xreallocarray(NULL, (size_t)argc + 1, sizeof(*pos));
	memset(&ra, 0, sizeof(ra));
	ra.ctl = ctl;
	rc = CTL_EXIT_FAIL;
	if (ctl_parse(ctl, argc, argv, opts, pos, argc, &npos, &rc) == -1)
		goto out;
	rc = CTL_EXIT_USAGE;
	if (to == NULL) {
		rc = ctl_usage_error(ctl, "--to is required");
		goto out;
	}
	if ((npos > 0) + (file != NULL) + (from != NULL) != 1) {
		rc = ctl_usage_error(ctl, "give KPM ids, --file or --from "
		    "(one of them)");
		goto out;
	}
	if (!ctl_companion_id_valid(to) ||
	    (from != NULL && !ctl_companion_id_valid(from))) {
		rc = ctl_usage_error(ctl, "'%s' is no companion id",
		    ctl_companion_id_valid(to) ? from : to);
		goto out;
	}
	if (from != NULL && strcmp(from, to) == 0) {
		rc = ctl_usage_error(ctl, "--from and --to are the same");
		goto out;
	}
	rc = CTL_EXIT_FAIL;
	if (ctl_open(ctl) == -1)
		goto out;
	if ((sr = store_companion_get(ctl->store, to, &c)) != STORE_OK) {
		if (sr == STORE_NOTFOUND)
			ctl_warnx("no companion %s", to);
		else
			ctl_store_fail(ctl);
		goto out;
	}
	if (!c.active) {
		ctl_warnx("companion %s is inactive: reactivate it first, or "
		    "choose another", to);
		goto out;
	}
	if (file != NULL) {
		ra.file = file;
		if (ctl_reassign_file(&ra) == -1)
			goto out;
	} else if (from != NULL) {
		if ((sr = store_companion_get(ctl->store, from, &c)) ==
		    STORE_NOTFOUND) {
			ctl_warnx("no companion %s", from);
			goto out;
		}
		if (sr != STORE_OK || store_kpm_each(ctl->store, from,
		    ctl_reassign_from, &ra) != STORE_OK) {
			ctl_store_fail(ctl);
			goto out;
		}
	} else {
		for (i = 0; i < npos; i++)
			if (ctl_reassign_check(&ra, pos[i]) == -1) {
				ctl_store_fail(ctl);
				goto out;
			}
	}
	ctl_reassign_dups(&ra);
	if (ra.errors > 0) {
		ctl_warnx("%s%s%ld error%s, nothing reassigned",
		    file != NULL ? file : "", file != NULL ? ": " : "",
		    ra.errors, ra.errors == 1 ? "" : "s");
		goto out;
	}
	if (ctl_reassign_write(&ra, to, dry_run, &moved, &already) == -1)
		goto out;
	printf("%s%ld KPM to %s (%ld already there)%s\n", dry_run ?
	    "dry run: would reassign " : "reassigned ", moved, to, already,
	    dry_run ? "; nothing written" : "");
	rc = ctl_flush();
out:
	free(ra.items);
	free(pos);
	return rc;
}

/*
 * kpm optout / optin KPM_ID...: all ids or none.  The roster row keeps
 * the flag; a later import does not undo it.
 */
static int
ctl_kpm_optset(struct ctl *ctl, int argc, char **argv, int opted_out)
{
	struct store_kpm	  k;
	char			**pos;
	long			  unknown = 0;
	int			  npos, rc, sr, i;

	pos = xreallocarray(NULL, (size_t)argc + 1, sizeof(*pos));
	if (ctl_parse(ctl, argc, argv, NULL, pos, argc, &npos, &rc) == -1)
		goto out;
	rc = CTL_EXIT_USAGE;
	if (npos == 0) {
		rc = ctl_usage_error(ctl, "name at least one KPM id");
		goto out;
	}
	for (i = 0; i < npos; i++)
		if (!ctl_kpm_id_valid(pos[i])) {
			rc = ctl_usage_error(ctl, "'%s' is no KPM id", pos[i]);
			goto out;
		}
	rc = CTL_EXIT_FAIL;
	if (ctl_open(ctl) == -1)
		goto out;
	if (store_begin(ctl->store) != STORE_OK)
		goto fail;
	for (i = 0; i < npos; i++) {
		if ((sr = store_kpm_get(ctl->store, pos[i], &k)) ==
		    STORE_NOTFOUND) {
			ctl_warnx("KPM %s is not in the roster", pos[i]);
			unknown++;
		} else if (sr != STORE_OK)
			goto fail;
	}
	if (unknown > 0) {
		store_rollback(ctl->store);
		ctl_warnx("%ld unknown KPM, nothing changed", unknown);
		goto out;
	}
	for (i = 0; i < npos; i++) {
		if (store_kpm_get(ctl->store, pos[i], &k) != STORE_OK)
			goto fail;
		if (k.opted_out == opted_out) {
			printf("KPM %s: opted %s already\n", k.id,
			    opted_out ? "out" : "in");
			continue;
		}
		k.opted_out = opted_out;
		if (store_kpm_put(ctl->store, &k) != STORE_OK)
			goto fail;
		printf("KPM %s: opted %s\n", k.id, opted_out ? "out" : "in");
	}
	if (store_commit(ctl->store) != STORE_OK)
		goto fail;
	rc = ctl_flush();
	goto out;
fail:
	ctl_store_fail(ctl);
	store_rollback(ctl->store);
out:
	free(pos);
	return rc;
}

int
ctl_kpm_optout(struct ctl *ctl, int argc, char **argv)
{
	return ctl_kpm_optset(ctl, argc, argv, 1);
}

int
ctl_kpm_optin(struct ctl *ctl, int argc, char **argv)
{
	return ctl_kpm_optset(ctl, argc, argv, 0);
}
