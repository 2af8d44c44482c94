/*
 * pilarctl.c: the operator's tool, on the same SQLite database as pilard.
 *
 *	pilarctl [-c FILE] COMMAND [ARGS...]
 *
 * This file wires: global options, the table of commands, the option
 * parser they share and the opening of the configuration and the store.
 * The commands live in pilarctl_companion.c, pilarctl_kpm.c,
 * pilarctl_roster.c, pilarctl_records.c, pilarctl_report.c and
 * pilarctl_erase.c (with pilarctl_match.c); the helpers they share in
 * pilarctl_util.c.
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
	    "[--language id|en] [--region REGION]",
	    "Register a companion (pendamping).  PHONE is taken as typed\n"
	    "(0812..., 62812..., +62812...) and stored in E.164; ZONE is\n"
	    "Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura, WIB,\n"
	    "WITA or WIT (default: [program] timezone); the reply language\n"
	    "defaults to [program] language.  REGION is where the companion\n"
	    "works, as reports should group it (\"Kab. Sumba Timur\"); a\n"
	    "region other companions have is taken as they spell it.  An\n"
	    "id or a phone that is taken is refused.\n",
	    ctl_companion_add },
	{ "companion update",
	    "ID [--name NAME] [--timezone ZONE] [--language id|en] "
	    "[--region REGION]",
	    "Change a companion's name, zone, reply language or region\n"
	    "(--region '' clears it).  The phone has a command of its own.\n"
	    "Records keep the zone they were made in.\n",
	    ctl_companion_update },
	{ "companion phone", "ID PHONE",
	    "Give a companion a new phone (a new SIM, a lost phone).  A phone\n"
	    "that another companion has is refused: an active one keeps it;\n"
	    "an inactive one must be given another or be erased first\n"
	    "(pilarctl erase --companion).  Messages from the old phone stay\n"
	    "in the store under it.\n",
	    ctl_companion_phone },
	{ "companion deactivate", "ID",
	    "Stop taking reports from a companion (who left, or moved):\n"
	    "their SMS are answered as a stranger's.  Their records and\n"
	    "counts stay; their KPM stay assigned to them until moved with\n"
	    "pilarctl kpm reassign --from ID --to OTHER.\n",
	    ctl_companion_deactivate },
	{ "companion reactivate", "ID",
	    "Take reports from a deactivated companion again.  An erased\n"
	    "companion needs a phone first (pilarctl companion phone).\n",
	    ctl_companion_reactivate },
	{ "companion list", "[--region REGION] [--active] [--csv] [--bom]",
	    "List the companions: id, phone (E.164), name, timezone,\n"
	    "language, whether active, and region; as a table or with --csv\n"
	    "as CSV.  --region keeps one region (any case); --active the\n"
	    "active companions.  " CTL_BOM_HELP,
	    ctl_companion_list },
	{ "companion show", "ID [--year YYYY]",
	    "One companion: details, the number of KPM assigned, the count\n"
	    "toward the target of the year (the current one in the\n"
	    "companion's zone unless --year), and every record of that year,\n"
	    "cancelled ones too.\n",
	    ctl_companion_show },
	{ "kpm import", "FILE.csv [--dry-run]",
	    "Load a roster of beneficiary families.  The first line must be\n"
	    "\n"
	    "\tkpm_id,name,phone,companion_id\n"
	    "\n"
	    "(any case; a UTF-8 byte order mark and CRLF line ends are fine;\n"
	    "phone may be empty; a fifth column opted_out, as kpm export\n"
	    "writes, is accepted and ignored).  Every line is checked first\n"
	    "and every bad one reported as FILE:LINE: reason; then either\n"
	    "all lines are written in one transaction or, after any error,\n"
	    "none.  A KPM already known is updated (its STOP opt-out is\n"
	    "kept).  --dry-run checks everything the same way, prints what\n"
	    "would change (ids and field names, no personal data) and\n"
	    "writes nothing.\n",
	    ctl_kpm_import },
	{ "kpm export", "[--companion ID] [--bom]",
	    "The roster as CSV on stdout, by KPM id: kpm_id,name,phone,\n"
	    "companion_id,opted_out (yes/no); one companion's with\n"
	    "--companion.  kpm import takes the file back.  It holds names\n"
	    "and phones (UU PDP): keep it where the database is kept.  A\n"
	    "spreadsheet should open the id and phone columns as text.\n"
	    CTL_BOM_HELP,
	    ctl_kpm_export },
	{ "kpm reassign",
	    "(KPM_ID... | --file FILE.csv | --from COMPANION) --to COMPANION "
	    "[--dry-run]",
	    "Move KPM to another (active) companion: the ids given, those in\n"
	    "the first column of FILE.csv (its header must start with\n"
	    "kpm_id; a kpm export filtered in a spreadsheet will do), or all\n"
	    "of the companion --from.  Every id is checked first, each bad\n"
	    "line reported as FILE:LINE: reason, and then all are moved in\n"
	    "one transaction or none.  Records already made stay with the\n"
	    "companion who made them.  --dry-run only checks and counts.\n",
	    ctl_kpm_reassign },
	{ "kpm optout", "KPM_ID...",
	    "Mark families as opted out of reminders, as their STOP would\n"
	    "(e.g. asked by phone call).  All ids must exist, or none is\n"
	    "changed.\n",
	    ctl_kpm_optout },
	{ "kpm optin", "KPM_ID...",
	    "Send reminders to families again, as their MULAI would.\n",
	    ctl_kpm_optin },
	{ "remind add",
	    "--text TEXT --to all|region:R|companion:ID|kpm:ID "
	    "[--at 'YYYY-MM-DD HH:MM'] [--repeat daily|weekly|monthly]",
	    "Remind KPM of something: TEXT may hold {name} (the KPM's),\n"
	    "{companion} (their companion's name) and {date} (DD/MM/YYYY of\n"
	    "the day it is sent); another placeholder, or a text that cannot\n"
	    "fit [reminders] max_segments SMS with names of 25 letters, is\n"
	    "refused.  The time (default: now) is in each KPM's companion's\n"
	    "zone; inside [reminders] quiet_hours it waits for their end.\n"
	    "KPM who said STOP, without a phone, or over [reminders]\n"
	    "daily_cap that day are skipped and counted.\n",
	    ctl_remind_add },
	{ "remind list", "[--csv]",
	    "Every reminder, with its state and how many SMS it queued.\n",
	    ctl_remind_list },
	{ "remind cancel", "ID",
	    "Queue no more of a reminder (what was queued still leaves).\n",
	    ctl_remind_cancel },
	{ "remind show", "ID",
	    "A reminder: how many queued, sent, delivered, and skipped and\n"
	    "why.\n",
	    ctl_remind_show },
	{ "records list",
	    "[--companion ID] [--kpm ID] [--from DATE] [--to DATE] "
	    "[--kind graduation|visit] [--year YYYY] [--csv] [--bom]",
	    "Graduations and visits, cancelled ones too, as a table or with\n"
	    "--csv as CSV: a companion's in the order they were made, others\n"
	    "by when they were stored.  DATE is YYYY-MM-DD and filters on the\n"
	    "day the record names (its event date), both ends included;\n"
	    "--year on the target year it counts toward.  Notes may hold\n"
	    "health or child data (UU PDP).  " CTL_BOM_HELP,
	    ctl_records_list },
	{ "records cancel", "REF --companion ID --reason TEXT",
	    "Cancel a companion's record as their BATAL REF would: it stops\n"
	    "counting (the count is printed) and frees its KPM for another\n"
	    "report.  The reason is kept with the record and shown in\n"
	    "exports; REF is read as companions type it (g1 is G001).\n",
	    ctl_records_cancel },
	{ "export graduations", "[--bom]",
	    "Every graduation, cancelled ones too, as CSV on stdout:\n"
	    "ref,companion_id,kpm_id,category,recorded_at,event_date,year,\n"
	    "status,cancelled_at.  Times are ISO 8601 in the companion's zone\n"
	    "at the time of recording; fields that a spreadsheet would take\n"
	    "for a formula are quoted with a leading apostrophe.\n"
	    CTL_BOM_HELP,
	    ctl_export_graduations },
	{ "export visits", "[--bom]",
	    "Every visit (kunjungan), cancelled ones too, as CSV on stdout:\n"
	    "ref,companion_id,kpm_id,event_date,note,recorded_at,year,status,\n"
	    "cancelled_at.  Notes may hold health or child data (UU PDP):\n"
	    "keep the file where the database is kept.  " CTL_BOM_HELP,
	    ctl_export_visits },
	/* Before "report": ctl_find() takes the first that matches. */
	{ "report regions", "[--year YYYY] [--csv] [--all] [--bom]",
	    "The count toward the yearly target by region: for each region,\n"
	    "its active companions (--all: every companion), the graduations\n"
	    "of the counted categories against companions x [program]\n"
	    "yearly_target, the graduations by category, the visits, how\n"
	    "many companions reached the target, and whether the region did.\n"
	    "Companions without a region are counted under (none).  The\n"
	    "year is YYYY, or the current one in each companion's zone.\n"
	    "The totals end the table; with --csv they go to stderr.\n"
	    CTL_BOM_HELP,
	    ctl_report_regions },
	{ "report", "[--year YYYY] [--region REGION] [--csv] [--all] [--bom]",
	    "Each active companion's count toward the yearly target: the\n"
	    "graduations of the counted categories ([program]\n"
	    "counted_categories) over [program] yearly_target, the\n"
	    "graduations by category, the visits, and whether the target is\n"
	    "reached.  The year is YYYY, or the current year in each\n"
	    "companion's zone.  --all includes inactive companions;\n"
	    "--region keeps one region.  The totals end the table; with\n"
	    "--csv they go to stderr, so stdout stays plain CSV.\n"
	    CTL_BOM_HELP,
	    ctl_report },
	{ "erase",
	    "[--phone PHONE] [--kpm ID] [--companion ID] [--nik NIK] "
	    "(--yes [--vacuum] | --dry-run)",
	    "Erase a person's data on request (UU PDP 27/2022), for good.\n"
	    "\n"
	    "--kpm ID\tthe family: its roster row is deleted (name, phone);\n"
	    "\t\tits records are kept for the counts, with the KPM id\n"
	    "\t\treplaced (erased-N), notes and cancel reasons blanked.\n"
	    "--companion ID\tthe companion: name and phone are forgotten and\n"
	    "\t\tthe companion made inactive; id, region and records stay.\n"
	    "--phone PHONE\ta number (a family's, a stranger's): removed from\n"
	    "\t\tevery KPM that has it.  A companion's: use --companion.\n"
	    "--nik NIK\ta national id (16 digits) found in texts and notes.\n"
	    "\n"
	    "With any of them, the SMS from or to the person's phones and\n"
	    "the SMS and notes that name the person (ids, NIK, phone, full\n"
	    "name, as companions type them) lose their sender or recipient\n"
	    "and their text, which reads [erased]; unfinished long SMS from\n"
	    "those phones are deleted.  A reply not yet sent is withdrawn.\n"
	    "\n"
	    "Kept, because the counts and the audit need them and they name\n"
	    "nobody alone: every record's kind, companion id, category,\n"
	    "dates, target year and status; companion ids, zones and\n"
	    "regions; message ids, times and delivery states.  Counts and\n"
	    "reports are the same before and after.  What the erasure\n"
	    "deletes or overwrites is zeroed in the database file, and the\n"
	    "journal (WAL) is emptied.  --vacuum also rebuilds the file, so\n"
	    "that no copy older changes left in its free space survives; it\n"
	    "holds the write lock meanwhile (pilard's SMS wait and are\n"
	    "retried): best with pilard stopped.  Not reached: logs, backups\n"
	    "and exports made before; remove the KPM from the roster file\n"
	    "too, or the next import brings it back.\n"
	    "\n"
	    "--yes is required; --dry-run prints what would be erased.\n",
	    ctl_erase },
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
	opt.no_upgrade = 1;	/* pilard upgrades, at its start */
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
