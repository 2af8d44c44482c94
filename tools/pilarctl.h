/*
 * pilarctl.h: what the files of the operator's tool share.
 *
 * pilarctl.c wires: it reads the global options, finds the command and
 * hands it the rest of argv.  Each command parses its own options with
 * ctl_parse() (so that --help works without a configuration), then
 * calls ctl_open() for the configuration and the store.  Commands return
 * an exit code: CTL_EXIT_OK, CTL_EXIT_FAIL (bad data, a store error) or
 * CTL_EXIT_USAGE.
 */
#ifndef PILAR_PILARCTL_H
#define PILAR_PILARCTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "phone.h"

#define CTL_EXIT_OK	0
#define CTL_EXIT_FAIL	1
#define CTL_EXIT_USAGE	2

/* Where the daemon may hold the write lock, wait this long for it. */
#define CTL_BUSY_TIMEOUT_MS	5000

struct store;
struct ctl_cmd;

struct ctl {
	const char		*conf_path;
	const struct ctl_cmd	*cmd;	/* the command being run */
	struct config		 cfg;	/* valid after ctl_open() */
	struct store		*store;	/* NULL until ctl_open() */
};

struct ctl_cmd {
	const char	*name;		/* "companion add" */
	const char	*synopsis;	/* the options, for usage lines */
	const char	*help;		/* what --help adds, lines */
	int		(*run)(struct ctl *, int argc, char **argv);
};

/* One long option of a command: "--name VALUE" or a flag "--name". */
struct ctl_opt {
	const char	 *name;		/* without the dashes */
	const char	**value;	/* options with an argument */
	int		 *flag;		/* flags: 1 when given */
};

/*
 * Parse a command's argv (argv[0] is the first word after the command
 * name) against opts; positional arguments go to pos[] (at most maxpos,
 * *npos gets how many).  Returns 0 to go on, or -1 when the command must
 * stop with exit code *rc: CTL_EXIT_OK after --help was printed,
 * CTL_EXIT_USAGE after a usage error was.
 */
int	ctl_parse(struct ctl *, int argc, char **argv,
	    const struct ctl_opt *opts, char **pos, int maxpos, int *npos,
	    int *rc);
/* Print "pilarctl: reason" and the command's usage line; CTL_EXIT_USAGE. */
int	ctl_usage_error(struct ctl *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Load the configuration and open the store; 0, or -1 after a message. */
int	ctl_open(struct ctl *);
void	ctl_close(struct ctl *);

/* "pilarctl: " and the message on stderr. */
void	ctl_warnx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* "pilarctl: store: " and the store's last error; CTL_EXIT_FAIL. */
int	ctl_store_fail(struct ctl *);
/* Flush stdout; CTL_EXIT_OK, or CTL_EXIT_FAIL after a message. */
int	ctl_flush(void);

/* Out of memory ends pilarctl: there is nothing sensible to go on with. */
void	*xmalloc(size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);

/* Whether s is valid UTF-8 without control characters. */
int	ctl_utf8_valid(const char *s);
/* Code points of UTF-8 s: what a terminal column count comes close to. */
size_t	ctl_utf8_width(const char *s);
/* s without leading and trailing blanks: the start, *len the length. */
const char *ctl_trim(const char *s, size_t *len);
/*
 * A free text the operator gave (a name, a region, a reason): trimmed,
 * UTF-8, at most max bytes, not empty unless may_be_empty.  Copies it
 * to out (max + 1 bytes) and returns 0, or warns, naming what, and
 * returns -1.
 */
int	ctl_text_arg(const char *what, const char *s, size_t max,
	    int may_be_empty, char *out);
/*
 * A companion id as the store keeps it: 1 to STORE_ID_MAX letters,
 * digits, '.', '_' or '-'.  A KPM id: 1 to STORE_ID_MAX digits.
 */
int	ctl_companion_id_valid(const char *);
int	ctl_kpm_id_valid(const char *);
/*
 * --year and --from/--to: a year 1970..9999, a date YYYY-MM-DD that
 * exists.  0, or a usage error printed and CTL_EXIT_USAGE returned.
 */
int	ctl_year_arg(struct ctl *, const char *opt, const char *s,
	    int *year);
int	ctl_date_arg(struct ctl *, const char *opt, const char *s);
/* The companion's zone as an offset, [program] timezone if unknown. */
int	ctl_zone_offset(struct ctl *, const char *zone);
/* ISO 8601 of t at offset, "" for 0 (out: CTL_TIME_MAX bytes). */
#define CTL_TIME_MAX	32
void	ctl_time(int64_t t, int offset, char *out);
/* "SM", "AL", "PK", or the number of a category pilar does not know. */
const char *ctl_category(int category, char *buf, size_t bufsz);

/*
 * Write n fields as one CSV record (csv_quote() each, so formulas are
 * defused) and a newline.  0, or -1 when fp failed.
 */
int	ctl_csv_row(FILE *fp, size_t n, const char *const *fields);
/*
 * Start a CSV output: with bom, the UTF-8 byte order mark, by which
 * Excel knows the file is UTF-8 (other programs do without).
 */
#define CTL_BOM_HELP	"--bom starts the CSV with a UTF-8 byte order mark, " \
			"for Excel.\n"
int	ctl_csv_start(FILE *fp, int bom);

/*
 * A table for the terminal (aligned columns) or for a spreadsheet
 * (CSV).  Cells are copied; align is 'l' or 'r' for each column.
 */
struct ctl_table {
	size_t		  ncols;
	const char	 *align;
	char		**cells;	/* nrows * ncols, malloc()ed */
	size_t		  nrows;
	size_t		  cap;		/* rows */
};

void	ctl_table_init(struct ctl_table *, size_t ncols, const char *align);
/* Append a row of exactly ncols strings (the first row is the header). */
void	ctl_table_row(struct ctl_table *, ...);
int	ctl_table_print(const struct ctl_table *, FILE *, int csv);
void	ctl_table_free(struct ctl_table *);

/*
 * What names a person, for erase (pilarctl_match.c): ids (KPM ids,
 * NIKs), phones (E.164) and full names of two words or more.
 */
#define CTL_MATCH_MAX		8
#define CTL_MATCH_ID_MAX	32
#define CTL_MATCH_NAME_MAX	100
struct ctl_match {
	const char	*country_code;
	char		 ids[CTL_MATCH_MAX][CTL_MATCH_ID_MAX + 1];
	int		 nids;
	char		 phones[CTL_MATCH_MAX][PHONE_MAX + 1];
	int		 nphones;
	char		 names[CTL_MATCH_MAX][CTL_MATCH_NAME_MAX + 1];
	int		 nnames;
};

void	ctl_match_init(struct ctl_match *, const char *country_code);
void	ctl_match_id(struct ctl_match *, const char *digits);
void	ctl_match_phone(struct ctl_match *, const char *e164);
/* 1 when the name was taken (two words or more), else 0. */
int	ctl_match_name(struct ctl_match *, const char *name);
/* Whether text names anyone of the match. */
int	ctl_match_text(const struct ctl_match *, const char *text);

/* The commands, one file per concern. */
int	ctl_companion_add(struct ctl *, int, char **);
int	ctl_companion_update(struct ctl *, int, char **);
int	ctl_companion_phone(struct ctl *, int, char **);
int	ctl_companion_deactivate(struct ctl *, int, char **);
int	ctl_companion_reactivate(struct ctl *, int, char **);
int	ctl_companion_list(struct ctl *, int, char **);
int	ctl_companion_show(struct ctl *, int, char **);
int	ctl_kpm_import(struct ctl *, int, char **);
int	ctl_kpm_export(struct ctl *, int, char **);
int	ctl_kpm_reassign(struct ctl *, int, char **);
int	ctl_kpm_optout(struct ctl *, int, char **);
int	ctl_kpm_optin(struct ctl *, int, char **);
int	ctl_records_list(struct ctl *, int, char **);
int	ctl_records_cancel(struct ctl *, int, char **);
int	ctl_export_graduations(struct ctl *, int, char **);
int	ctl_export_visits(struct ctl *, int, char **);
int	ctl_report(struct ctl *, int, char **);
int	ctl_report_regions(struct ctl *, int, char **);
int	ctl_erase(struct ctl *, int, char **);
int	ctl_remind_add(struct ctl *, int, char **);
int	ctl_remind_list(struct ctl *, int, char **);
int	ctl_remind_cancel(struct ctl *, int, char **);
int	ctl_remind_show(struct ctl *, int, char **);

#endif
