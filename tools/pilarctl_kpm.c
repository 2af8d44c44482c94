/*
 * pilarctl_kpm.c: loading a roster of beneficiary families (KPM).
 *
 * Rosters come out of spreadsheets, so the reader tolerates what those
 * add (a UTF-8 byte order mark, CRLF, blanks around fields, empty rows)
 * and refuses what they break (quotes, encodings, semicolons).  The
 * import is all or nothing: a first pass checks every line and reports
 * every bad one, as FILE:LINE: reason so that an editor can jump to it;
 * only a clean file is written, in one short transaction, so the
 * daemon's write lock is not held while the file is read.  A dry run
 * goes through the same checks and compares instead of writing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "phone.h"
#include "pilarctl.h"
#include "store.h"

#define CTL_KPM_LINE_MAX	4096	/* bytes of one roster line */
#define CTL_KPM_FIELDS		4
#define CTL_KPM_FIELDS_EXPORT	5	/* and opted_out, as kpm export */
#define CTL_KPM_FIELDS_MAX	32	/* what csv_split may find */
#define CTL_KPM_SHOW		24	/* bytes of a bad value echoed */
#define CTL_KPM_HEADER		"kpm_id,name,phone,companion_id"

static const char *const ctl_kpm_columns[CTL_KPM_FIELDS_EXPORT] = {
	"kpm_id", "name", "phone", "companion_id", "opted_out"
};

/* A line that passed every check, to be written in the second pass. */
struct ctl_kpm_row {
	struct store_kpm	kpm;
	long			line;
};

/* The kpm_ids met so far and their first line: open addressing. */
struct ctl_kpm_seen {
	char		**ids;		/* cap slots, NULL: free */
	long		 *lines;
	size_t		  cap;		/* a power of two */
	size_t		  n;
};

struct ctl_import {
	struct ctl		*ctl;
	const char		*file;
	long			 line;
	long			 errors;
	char			 why[512];	/* this line's problems */
	int			 ncols;		/* of the header */
	int			 dry_run;
	struct ctl_kpm_row	*rows;		/* from malloc */
	size_t			 nrows, cap;
	struct ctl_kpm_seen	 seen;
	/* The last companion found, as a roster is sorted by them. */
	char			 comp_ok[STORE_ID_MAX + 1];
};

static void	ctl_kpm_why(struct ctl_import *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static const char *ctl_kpm_show(const char *, char *, size_t);
static char	*ctl_kpm_trim(char *);
static uint64_t	ctl_kpm_hash(const char *);
static long	ctl_kpm_seen_add(struct ctl_kpm_seen *, const char *, long);
static void	ctl_kpm_seen_free(struct ctl_kpm_seen *);
static int	ctl_kpm_header(struct ctl_import *, char *, size_t);
static int	ctl_kpm_line(struct ctl_import *, char *, size_t);
static int	ctl_kpm_check(struct ctl_import *, char **,
		    struct store_kpm *);
static int	ctl_kpm_read(struct ctl_import *, FILE *);
static int	ctl_kpm_write(struct ctl_import *, long *, long *);
static int	ctl_kpm_plan(struct ctl_import *, long *, long *);

/* Add a reason to the current line's list, "; " separated. */
static void
ctl_kpm_why(struct ctl_import *im, const char *fmt, ...)
{
	va_list	ap;
	size_t	n = strlen(im->why);

	if (n > 0 && n + 2 < sizeof(im->why)) {
		memcpy(im->why + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(im->why + n, sizeof(im->why) - n, fmt, ap);
	va_end(ap);
}

/*
 * A bad value as it may be echoed: cut to CTL_KPM_SHOW bytes, control
 * bytes as '?', so a broken file cannot garble the operator's terminal.
 */
static const char *
ctl_kpm_show(const char *s, char *out, size_t outsz)
{
	size_t	i;

	for (i = 0; s[i] != '\0' && i < CTL_KPM_SHOW && i + 4 < outsz; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	if (s[i] != '\0' && i + 4 <= outsz) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* Blanks around a field are a spreadsheet's, not the operator's data. */
static char *
ctl_kpm_trim(char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* FNV-1a: short digit strings, no adversary worth a keyed hash. */
static uint64_t
ctl_kpm_hash(const char *s)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/*
 * Remember that id is on line; returns 0, or the line it was first on.
 * The table doubles at half full, so a probe always ends on a free slot.
 */
static long
ctl_kpm_seen_add(struct ctl_kpm_seen *s, const char *id, long line)
{
	struct ctl_kpm_seen	old;
	size_t			i, j;

	if (2 * (s->n + 1) > s->cap) {
		old = *s;
		s->cap = old.cap == 0 ? 1024 : old.cap * 2;
		s->ids = xreallocarray(NULL, s->cap, sizeof(*s->ids));
		s->lines = xreallocarray(NULL, s->cap, sizeof(*s->lines));
		memset(s->ids, 0, s->cap * sizeof(*s->ids));
		for (i = 0; i < old.cap; i++) {
			if (old.ids[i] == NULL)
				continue;
			j = ctl_kpm_hash(old.ids[i]) & (s->cap - 1);
			while (s->ids[j] != NULL)
				j = (j + 1) & (s->cap - 1);
			s->ids[j] = old.ids[i];
			s->lines[j] = old.lines[i];
		}
		free(old.ids);
		free(old.lines);
	}
	for (i = ctl_kpm_hash(id) & (s->cap - 1); s->ids[i] != NULL;
	    i = (i + 1) & (s->cap - 1))
		if (strcmp(s->ids[i], id) == 0)
			return s->lines[i];
	s->ids[i] = xstrdup(id);
	s->lines[i] = line;
	s->n++;
	return 0;
}

static void
ctl_kpm_seen_free(struct ctl_kpm_seen *s)
{
	size_t	i;

	for (i = 0; i < s->cap; i++)
		free(s->ids[i]);
	free(s->ids);
	free(s->lines);
	memset(s, 0, sizeof(*s));
}

/*
 * The first line names the columns, in our order: a file with other
 * columns is some other file, and guessing would load it wrongly.  The
 * opted_out column of kpm export may follow: it is not read, since an
 * opt-out is the family's word, not the roster's.
 * Indonesian spreadsheets save "CSV" with semicolons (the decimal
 * separator is the comma), which gets a hint of its own.
 */
static int
ctl_kpm_header(struct ctl_import *im, char *line, size_t len)
{
	char	*fields[CTL_KPM_FIELDS_MAX], buf[CTL_KPM_LINE_MAX + 64];
	char	 show[CTL_KPM_SHOW + 4], err[128];
	int	 n, i;

	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	n = csv_split(line, len, fields, CTL_KPM_FIELDS_MAX, buf,
	    sizeof(buf), err, sizeof(err));
	for (i = 0; (n == CTL_KPM_FIELDS || n == CTL_KPM_FIELDS_EXPORT) &&
	    i < n; i++)
		if (strcasecmp(ctl_kpm_trim(fields[i]), ctl_kpm_columns[i]) !=
		    0)
			break;
	if ((n == CTL_KPM_FIELDS || n == CTL_KPM_FIELDS_EXPORT) && i == n) {
		im->ncols = n;
		return 0;
	}
	if (memchr(line, ';', len) != NULL && memchr(line, ',', len) == NULL)
		ctl_kpm_why(im, "fields are separated by ';': save the file "
		    "as CSV with commas");
	else
		ctl_kpm_why(im, "the header must be " CTL_KPM_HEADER
		    " (found '%s')", ctl_kpm_show(line, show, sizeof(show)));
	return -1;
}

/*
 * Check one data line and, when it is good, keep it.  Returns 0, or -1
 * on a store failure (which ends the import, unlike bad data).
 */
static int
ctl_kpm_line(struct ctl_import *im, char *line, size_t len)
{
	char			*fields[CTL_KPM_FIELDS_MAX];
	char			 buf[CTL_KPM_LINE_MAX + CTL_KPM_FIELDS_MAX];
	char			 err[128];
	struct store_kpm	 kpm;
	int			 n, i;

	n = csv_split(line, len, fields, CTL_KPM_FIELDS_MAX, buf,
	    sizeof(buf), err, sizeof(err));
	if (n == -1) {
		ctl_kpm_why(im, "bad CSV: %s", err);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (*ctl_kpm_trim(fields[i]) != '\0')
			break;
	if (i == n)
		return 0;	/* an empty spreadsheet row */
	if (n != im->ncols) {
		ctl_kpm_why(im, "%d field%s, expected %d (as the header)", n,
		    n == 1 ? "" : "s", im->ncols);
		return 0;
	}
	if (ctl_kpm_check(im, fields, &kpm) == -1)
		return -1;
	if (im->why[0] != '\0')
		return 0;
	if (im->nrows == im->cap) {
		im->cap = im->cap == 0 ? 256 : im->cap * 2;
		im->rows = xreallocarray(im->rows, im->cap, sizeof(*im->rows));
	}
	im->rows[im->nrows].kpm = kpm;
	im->rows[im->nrows].line = im->line;
	im->nrows++;
	return 0;
}

/*
 * The checks on the four fields (already trimmed), each adding its
 * reason; fills *kpm.  -1 only when the store fails.
 */
static int
ctl_kpm_check(struct ctl_import *im, char **f, struct store_kpm *kpm)
{
	const struct config	*cfg = &im->ctl->cfg;
	struct store_companion	 comp;
	char			 show[CTL_KPM_SHOW + 4];
	size_t			 n;
	long			 first;
	int			 sr;

	memset(kpm, 0, sizeof(*kpm));
	n = strspn(f[0], "0123456789");
	if (f[0][0] == '\0')
		ctl_kpm_why(im, "kpm_id is empty");
	else if (f[0][n] != '\0')
		ctl_kpm_why(im, "kpm_id '%s' is not all digits",
		    ctl_kpm_show(f[0], show, sizeof(show)));
	else if (n < (size_t)cfg->program_id_min_len ||
	    n > (size_t)cfg->program_id_max_len || n > STORE_ID_MAX)
		ctl_kpm_why(im, "kpm_id %s has %zu digits, expected %d to %d",
		    ctl_kpm_show(f[0], show, sizeof(show)), n,
		    cfg->program_id_min_len, cfg->program_id_max_len);
	else if ((first = ctl_kpm_seen_add(&im->seen, f[0], im->line)) != 0)
		ctl_kpm_why(im, "kpm_id %s is already on line %ld", f[0],
		    first);
	else
		memcpy(kpm->id, f[0], n + 1);

	if ((n = strlen(f[1])) == 0)
		ctl_kpm_why(im, "name is empty");
	else if (n > STORE_NAME_MAX)
		ctl_kpm_why(im, "name is longer than %d bytes",
		    STORE_NAME_MAX);
	else if (!ctl_utf8_valid(f[1]))
		ctl_kpm_why(im, "name is not UTF-8 text (save the file as "
		    "CSV UTF-8)");
	else
		memcpy(kpm->name, f[1], n + 1);

	if (f[2][0] != '\0' && phone_normalize(f[2], PHONE_TON_UNKNOWN,
	    cfg->program_country_code, kpm->phone, sizeof(kpm->phone)) == -1)
		ctl_kpm_why(im, "phone '%s' is not a valid phone number",
		    ctl_kpm_show(f[2], show, sizeof(show)));

	if (f[3][0] == '\0') {
		ctl_kpm_why(im, "companion_id is empty");
		return 0;
	}
	if (strcmp(f[3], im->comp_ok) != 0) {
		sr = strlen(f[3]) > STORE_ID_MAX ? STORE_NOTFOUND :
		    store_companion_get(im->ctl->store, f[3], &comp);
		if (sr == STORE_NOTFOUND) {
			ctl_kpm_why(im, "unknown companion_id '%s' (add it "
			    "with pilarctl companion add)",
			    ctl_kpm_show(f[3], show, sizeof(show)));
			return 0;
		} else if (sr != STORE_OK)
			return -1;
		memcpy(im->comp_ok, comp.id, sizeof(im->comp_ok));
	}
	memcpy(kpm->companion_id, im->comp_ok, sizeof(kpm->companion_id));
	return 0;
}

/*
 * First pass: every line of the file, counting physical lines so that
 * the numbers match the operator's editor.  Returns 0 (im->errors says
 * whether the data is good), or -1 when reading or the store failed.
 */
static int
ctl_kpm_read(struct ctl_import *im, FILE *fp)
{
	char	*line = NULL;
	size_t	 cap = 0, len;
	ssize_t	 got;
	int	 rc = 0;

	while (rc == 0 && (got = getline(&line, &cap, fp)) != -1) {
		im->line++;
		im->why[0] = '\0';
		len = (size_t)got;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len > CTL_KPM_LINE_MAX)
			ctl_kpm_why(im, "line longer than %d bytes",
			    CTL_KPM_LINE_MAX);
		else if (im->line == 1)
			(void)ctl_kpm_header(im, line, len);
		else if (len > 0)
			rc = ctl_kpm_line(im, line, len);
		if (im->why[0] != '\0') {
			fprintf(stderr, "%s:%ld: %s\n", im->file, im->line,
			    im->why);
			im->errors++;
			if (im->line == 1)
				break;	/* without the header, nothing */
		}
	}
	if (rc == -1)
		ctl_warnx("%s:%ld: store: %s", im->file, im->line,
		    store_errmsg(im->ctl->store));
	else if (ferror(fp)) {
		ctl_warnx("%s: %s", im->file, strerror(errno));
		rc = -1;
	} else if (im->line == 0) {
		fprintf(stderr, "%s:1: the file is empty (expected the "
		    "header " CTL_KPM_HEADER ")\n", im->file);
		im->errors++;
	}
	free(line);
	return rc;
}

/*
 * Second pass: the good rows in one transaction.  A KPM already known is
 * updated, but keeps its opt-out: a STOP is the family's choice, not the
 * roster's.
 */
static int
ctl_kpm_write(struct ctl_import *im, long *added, long *updated)
{
	struct store		*st = im->ctl->store;
	struct store_kpm	 old;
	size_t			 i;
	int			 sr;

	*added = *updated = 0;
	if (store_begin(st) != STORE_OK)
		goto fail;
	for (i = 0; i < im->nrows; i++) {
		im->line = im->rows[i].line;
		sr = store_kpm_get(st, im->rows[i].kpm.id, &old);
		if (sr == STORE_OK) {
			im->rows[i].kpm.opted_out = old.opted_out;
			(*updated)++;
		} else if (sr == STORE_NOTFOUND)
			(*added)++;
		else
			goto fail;
		if (store_kpm_put(st, &im->rows[i].kpm) != STORE_OK)
			goto fail;
	}
	if (store_commit(st) != STORE_OK)
		goto fail;
	return 0;

fail:
	ctl_warnx("%s:%ld: store: %s", im->file, im->line,
	    store_errmsg(st));
	store_rollback(st);
	ctl_warnx("%s: nothing imported", im->file);
	return -1;
}

/*
 * The dry run's second pass: what the write would do, KPM by KPM, by
 * id and field name only (the operator has the file; the terminal
 * need not show names and phones).  Nothing is written.
 */
static int
ctl_kpm_plan(struct ctl_import *im, long *added, long *updated)
{
	struct store		*st = im->ctl->store;
	struct store_kpm	 old, *k;
	char			 what[128];
	size_t			 i, n;
	int			 sr;

	*added = *updated = 0;
	for (i = 0; i < im->nrows; i++) {
		k = &im->rows[i].kpm;
		sr = store_kpm_get(st, k->id, &old);
		if (sr == STORE_NOTFOUND) {
			printf("add %s (companion %s)\n", k->id,
			    k->companion_id);
			(*added)++;
			continue;
		} else if (sr != STORE_OK) {
			ctl_warnx("%s:%ld: store: %s", im->file,
			    im->rows[i].line, store_errmsg(st));
			return -1;
		}
		what[0] = '\0';
		if (strcmp(old.name, k->name) != 0)
			strcat(what, ", name");
		if (strcmp(old.phone, k->phone) != 0)
			strcat(what, ", phone");
		if (strcmp(old.companion_id, k->companion_id) != 0) {
			n = strlen(what);
			snprintf(what + n, sizeof(what) - n, ", companion "
			    "%s -> %s", old.companion_id, k->companion_id);
		}
		if (what[0] != '\0') {
			printf("update %s: %s\n", k->id, what + 2);
			(*updated)++;
		}
	}
	return 0;
}

int
ctl_kpm_import(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_import	 im;
	FILE			*fp = NULL;
	char			*pos[1];
	long			 added, updated;
	int			 npos, rc, dry_run = 0;
	const struct ctl_opt	 opts[] = {
		{ "dry-run", NULL, &dry_run },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, pos, 1, &npos, &rc) == -1)
		return rc;
	if (npos != 1)
		return ctl_usage_error(ctl, "name one CSV file");
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	memset(&im, 0, sizeof(im));
	im.ctl = ctl;
	im.file = pos[0];
	im.ncols = CTL_KPM_FIELDS;
	im.dry_run = dry_run;
	rc = CTL_EXIT_FAIL;
	if ((fp = fopen(im.file, "r")) == NULL) {
		ctl_warnx("%s: %s", im.file, strerror(errno));
		goto out;
	}
	if (ctl_kpm_read(&im, fp) == -1)
		goto out;
	if (im.errors > 0) {
		ctl_warnx("%s: %ld error%s, nothing %simported", im.file,
		    im.errors, im.errors == 1 ? "" : "s",
		    dry_run ? "would be " : "");
		goto out;
	}
	if (dry_run) {
		if (ctl_kpm_plan(&im, &added, &updated) == -1)
			goto out;
		printf("dry run: %zu KPM in %s (%ld new, %ld updated, %ld "
		    "unchanged); nothing written\n", im.nrows, im.file, added,
		    updated, (long)im.nrows - added - updated);
		rc = ctl_flush();
		goto out;
	}
	if (ctl_kpm_write(&im, &added, &updated) == -1)
		goto out;
	printf("imported %zu KPM from %s (%ld new, %ld updated)\n",
	    im.nrows, im.file, added, updated);
	rc = CTL_EXIT_OK;
out:
	if (fp != NULL)
		fclose(fp);
	free(im.rows);
	ctl_kpm_seen_free(&im.seen);
	return rc;
}
