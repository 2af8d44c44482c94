/*
 * pilarctl.c: the operator's tool, on the same SQLite database as pilard.
 *
 *	pilarctl [-c FILE] COMMAND [ARGS...]
 *
 * This file wires: global options, the table of commands, the option
 * parser they share and the opening of the configuration and the store.
 * The commands live in pilarctl_companion.c, pilarctl_kpm.c and
 * pilarctl_report.c; the helpers they share in pilarctl_util.c.
 *
 * Exit codes: 0 done, 1 failure (bad data, a store error), 2 usage.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pilarctl.h"
#include "store.h"

#define CTL_CONF_DEFAULT	"/etc/pilar/pilar.conf"

static const struct ctl_cmd ctl_cmds[] = {
	{ "companion add",
	    "--id ID --phone PHONE --name NAME [--timezone ZONE] "
	    "[--language id|en]",
	    "Register a companion (pendamping).  PHONE is taken as typed\n"
	    "(0812..., 62812..., +62812...) and stored in E.164; ZONE is\n"
	    "Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura, WIB,\n"
	    "WITA or WIT (default: [program] timezone); the reply language\n"
	    "defaults to [program] language.  An id or a phone that is taken\n"
	    "is refused.\n",
	    ctl_companion_add },
	{ "companion list", "[--csv]",
	    "List every companion: id, phone (E.164), name, timezone,\n"
	    "language and whether active, as a table or with --csv as CSV.\n",
	    ctl_companion_list },
	{ "kpm import", "FILE.csv",
	    "Load a roster of beneficiary families.  The first line must be\n"
	    "\n"
	    "\tkpm_id,name,phone,companion_id\n"
	    "\n"
	    "(any case; a UTF-8 byte order mark and CRLF line ends are fine;\n"
	    "phone may be empty).  Every line is checked first and every bad\n"
	    "one reported as FILE:LINE: reason; then either all lines are\n"
	    "written in one transaction or, after any error, none.  A KPM\n"
	    "already known is updated (its STOP opt-out is kept).\n",
	    ctl_kpm_import },
	{ "export graduations", "",
	    "Every graduation, cancelled ones too, as CSV on stdout:\n"
	    "ref,companion_id,kpm_id,category,recorded_at,event_date,year,\n"
	    "status,cancelled_at.  Times are ISO 8601 in the companion's zone\n"
	    "at the time of recording; fields that a spreadsheet would take\n"
	    "for a formula are quoted with a leading apostrophe.\n",
	    ctl_export_graduations },
	{ "export visits", "",
	    "Every visit (kunjungan), cancelled ones too, as CSV on stdout:\n"
	    "ref,companion_id,kpm_id,event_date,note,recorded_at,year,status,\n"
	    "cancelled_at.  Notes may hold health or child data (UU PDP):\n"
	    "keep the file where the database is kept.\n",
	    ctl_export_visits },
	{ "report", "[--year YYYY] [--csv] [--all]",
	    "Each active companion's count toward the yearly target: the\n"
	    "graduations of the counted categories ([program]\n"
	    "counted_categories) over [program] yearly_target, the\n"
	    "graduations by category, the visits, and whether the target is\n"
	    "reached.  The year is YYYY, or the current year in each\n"
	    "companion's zone.  --all includes inactive companions.  The\n"
	    "totals end the table; with --csv they go to stderr, so stdout\n"
	    "stays plain CSV.\n",
	    ctl_report },
};

#define CTL_NCMDS	(sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static void		 ctl_main_usage(FILE *);
static const struct ctl_cmd *ctl_find(int, char **, int *, int *);
static void		 ctl_cmd_usage(const struct ctl_cmd *, FILE *);
static int		 ctl_word_is(const char *, const char *, size_t);

static void
ctl_main_usage(FILE *fp)
{
	size_t	i;

	fprintf(fp, "usage: pilarctl [-c FILE] COMMAND [ARGS...]\n\n"
	    "commands:\n");
	for (i = 0; i < CTL_NCMDS; i++)
		fprintf(fp, "  %s%s%s\n", ctl_cmds[i].name,
		    ctl_cmds[i].synopsis[0] != '\0' ? " " : "",
		    ctl_cmds[i].synopsis);
	fprintf(fp, "\nEvery command takes --help.  The configuration is %s\n"
	    "unless -c names another.\n", CTL_CONF_DEFAULT);
}

static void
ctl_cmd_usage(const struct ctl_cmd *cmd, FILE *fp)
{
	fprintf(fp, "usage: pilarctl [-c FILE] %s%s%s\n", cmd->name,
	    cmd->synopsis[0] != '\0' ? " " : "", cmd->synopsis);
}

/* Whether word is the first word (n bytes) of a command name. */
static int
ctl_word_is(const char *name, const char *word, size_t n)
{
	return strncmp(name, word, n) == 0 && strlen(word) == n &&
	    (name[n] == '\0' || name[n] == ' ');
}

/*
 * Find the command that argv starts with: one word ("report") or two
 * ("companion add").  *nwords gets how many words it took.  When argv
 * names a group ("companion") but no command of it, returns NULL with
 * *group set, so the caller can list the group's commands.
 */
static const struct ctl_cmd *
ctl_find(int argc, char **argv, int *nwords, int *group)
{
	const char	*sp;
	size_t		 i, n;

	*group = 0;
	for (i = 0; i < CTL_NCMDS; i++) {
		sp = strchr(ctl_cmds[i].name, ' ');
		n = sp == NULL ? strlen(ctl_cmds[i].name) :
		    (size_t)(sp - ctl_cmds[i].name);
		if (!ctl_word_is(ctl_cmds[i].name, argv[0], n))
			continue;
		if (sp == NULL) {
			*nwords = 1;
			return &ctl_cmds[i];
		}
		*group = 1;
		if (argc > 1 && strcmp(sp + 1, argv[1]) == 0) {
			*nwords = 2;
			return &ctl_cmds[i];
		}
	}
	return NULL;
}

int
ctl_parse(struct ctl *ctl, int argc, char **argv, const struct ctl_opt *opts,
    char **pos, int maxpos, int *npos, int *rc)
{
	const struct ctl_opt	*o;
	const char		*a, *eq;
	size_t			 n;
	int			 i, endopts = 0;

	*npos = 0;
	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (endopts || a[0] != '-' || a[1] == '\0') {
			if (*npos >= maxpos) {
				*rc = ctl_usage_error(ctl, "unexpected "
				    "argument '%s'", a);
				return -1;
			}
			pos[(*npos)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			endopts = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			ctl_cmd_usage(ctl->cmd, stdout);
			printf("\n%s", ctl->cmd->help);
			*rc = CTL_EXIT_OK;
			return -1;
		}
		if (a[1] != '-')
			goto unknown;
		a += 2;
		eq = strchr(a, '=');
		n = eq == NULL ? strlen(a) : (size_t)(eq - a);
		for (o = opts; o != NULL && o->name != NULL; o++)
			if (strncmp(o->name, a, n) == 0 &&
			    o->name[n] == '\0')
				break;
		if (o == NULL || o->name == NULL)
			goto unknown;
		if (o->flag != NULL) {
			if (eq != NULL) {
				*rc = ctl_usage_error(ctl, "--%s takes no "
				    "value", o->name);
				return -1;
			}
			*o->flag = 1;
			continue;
		}
		if (*o->value != NULL) {
			*rc = ctl_usage_error(ctl, "--%s given twice",
			    o->name);
			return -1;
		}
		if (eq != NULL)
			*o->value = eq + 1;
		else if (i + 1 < argc)
			*o->value = argv[++i];
		else {
			*rc = ctl_usage_error(ctl, "--%s needs a value",
			    o->name);
			return -1;
		}
	}
	return 0;

unknown:
	*rc = ctl_usage_error(ctl, "unknown option '%s'", argv[i]);
	return -1;
}

int
ctl_usage_error(struct ctl *ctl, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "pilarctl: %s: ", ctl->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ctl_cmd_usage(ctl->cmd, stderr);
	return CTL_EXIT_USAGE;
}

/*
 * The configuration first (its [store] path is relative to its folder),
 * then the store with the daemon's sync mode and a busy timeout: pilard
 * may hold the write lock for one loop pass.
 */
int
ctl_open(struct ctl *ctl)
{
	struct store_options	opt;
	char			err[CONFIG_ERR_MAX];

	if (config_load(ctl->conf_path, &ctl->cfg, err, sizeof(err)) == -1) {
		ctl_warnx("%s", err);
		return -1;
	}
	memset(&opt, 0, sizeof(opt));
	opt.sync = (enum store_sync)ctl->cfg.store_sync;
	opt.busy_timeout_ms = CTL_BUSY_TIMEOUT_MS;
	if (store_open(ctl->cfg.store_path, &opt, &ctl->store, err,
	    sizeof(err)) != STORE_OK) {
		ctl_warnx("store: %s", err);
		return -1;
	}
	return 0;
}

void
ctl_close(struct ctl *ctl)
{
	if (ctl->store != NULL)
		store_close(ctl->store);
	ctl->store = NULL;
}

/* Global options, then the command with the rest of argv. */
int
main(int argc, char *argv[])
{
	struct ctl	ctl;
	int		i = 1, nwords, group, rc;

	memset(&ctl, 0, sizeof(ctl));
	ctl.conf_path = CTL_CONF_DEFAULT;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			ctl_main_usage(stdout);
			return CTL_EXIT_OK;
		}
		if (strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) {
			if (++i == argc) {
				ctl_warnx("%s needs a FILE", argv[i - 1]);
				return CTL_EXIT_USAGE;
			}
			ctl.conf_path = argv[i];
		} else if (strncmp(argv[i], "-c", 2) == 0)
			ctl.conf_path = argv[i] + 2;
		else if (strncmp(argv[i], "--config=", 9) == 0)
			ctl.conf_path = argv[i] + 9;
		else {
			ctl_warnx("unknown option '%s'", argv[i]);
			ctl_main_usage(stderr);
			return CTL_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		ctl_warnx("no command");
		ctl_main_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		ctl_main_usage(stdout);
		return CTL_EXIT_OK;
	}
	if ((ctl.cmd = ctl_find(argc - i, argv + i, &nwords, &group)) ==
	    NULL) {
		if (group && i + 1 < argc &&
		    (strcmp(argv[i + 1], "--help") == 0 ||
		    strcmp(argv[i + 1], "-h") == 0)) {
			ctl_main_usage(stdout);
			return CTL_EXIT_OK;
		}
		if (group && i + 1 == argc) {
			ctl_warnx("%s: which command?", argv[i]);
			ctl_main_usage(stderr);
			return CTL_EXIT_USAGE;
		}
		ctl_warnx("unknown command '%s%s%s'", argv[i],
		    group ? " " : "", group ? argv[i + 1] : "");
		ctl_main_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	i += nwords;
	rc = ctl.cmd->run(&ctl, argc - i, argv + i);
	ctl_close(&ctl);
	return rc;
}
