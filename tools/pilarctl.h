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
#include <stdio.h>

#include "config.h"

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

/* Out of memory ends pilarctl: there is nothing sensible to go on with. */
void	*xmalloc(size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);

/* Whether s is valid UTF-8 without control characters. */
int	ctl_utf8_valid(const char *s);
/* Code points of UTF-8 s: what a terminal column count comes close to. */
size_t	ctl_utf8_width(const char *s);

/*
 * Write n fields as one CSV record (csv_quote() each, so formulas are
 * defused) and a newline.  0, or -1 when fp failed.
 */
int	ctl_csv_row(FILE *fp, size_t n, const char *const *fields);

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

/* The commands, one file per concern. */
int	ctl_companion_add(struct ctl *, int, char **);
int	ctl_companion_list(struct ctl *, int, char **);
int	ctl_kpm_import(struct ctl *, int, char **);
int	ctl_export_graduations(struct ctl *, int, char **);
int	ctl_export_visits(struct ctl *, int, char **);
int	ctl_report(struct ctl *, int, char **);

#endif
