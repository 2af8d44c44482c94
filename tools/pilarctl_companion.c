/*
 * pilarctl_companion.c: registering and listing companions.
 *
 * Companions text pilar from their own phones, so the phone is the key
 * the daemon finds them by: it is normalised exactly as the daemon
 * normalises a sender, and one phone belongs to one companion.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "phone.h"
#include "pilarctl.h"
#include "store.h"
#include "tz.h"

static int	ctl_companion_id_valid(const char *);
static int	ctl_companion_check(struct ctl *, struct store_companion *,
		    const char *, const char *, const char *, const char *,
		    const char *);
static int	ctl_companion_row(void *, const struct store_companion *);
static const char *ctl_trim(const char *, size_t *);
static const char *ctl_zone_spelling(const char *);

/*
 * The zone names of tz.h as the zone database spells them.  tz_offset()
 * decides what is valid (case-insensitively); this only stores "wita" as
 * "WITA", so that the list and the exports read alike.
 */
static const char *const ctl_zone_names[] = {
	"Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar",
	"Asia/Ujung_Pandang", "Asia/Jayapura", "WIB", "WITA", "WIT", "UTC",
	"Etc/UTC"
};

/*
 * Operators' ids ("C001", "PKH-3527-0012"): 1 to STORE_ID_MAX letters,
 * digits, '.', '_' or '-', so that they need no quoting anywhere.
 */
static int
ctl_companion_id_valid(const char *id)
{
	size_t	n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-");

	return n > 0 && n <= STORE_ID_MAX && id[n] == '\0';
}

/* s without leading and trailing blanks: the start, *len the length. */
static const char *
ctl_trim(const char *s, size_t *len)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

/* The usual spelling of a zone name tz_offset() accepted, or name. */
static const char *
ctl_zone_spelling(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(ctl_zone_names) / sizeof(*ctl_zone_names);
	    i++)
		if (strcasecmp(name, ctl_zone_names[i]) == 0)
			return ctl_zone_names[i];
	return name;
}

/*
 * Check every value the operator gave and fill *c.  Every problem is
 * reported, not only the first, so one correction run suffices.
 * Returns the number of problems.
 */
static int
ctl_companion_check(struct ctl *ctl, struct store_companion *c,
    const char *id, const char *phone, const char *name, const char *zone,
    const char *lang)
{
	const char	*s;
	size_t		 n;
	int		 off, bad = 0;

	memset(c, 0, sizeof(*c));
	c->active = 1;
	if (!ctl_companion_id_valid(id)) {
		ctl_warnx("companion id '%s': use 1 to %d letters, digits, "
		    "'.', '_' or '-'", id, STORE_ID_MAX);
		bad++;
	} else
		memcpy(c->id, id, strlen(id) + 1);

	if (phone_normalize(phone, PHONE_TON_UNKNOWN,
	    ctl->cfg.program_country_code, c->phone, sizeof(c->phone)) == -1) {
		ctl_warnx("phone '%s' is not a valid phone number (e.g. "
		    "081234567890 or +6281234567890)", phone);
		bad++;
	}

	s = ctl_trim(name, &n);
	if (n == 0) {
		ctl_warnx("name is empty");
		bad++;
	} else if (n > STORE_NAME_MAX) {
		ctl_warnx("name is longer than %d bytes", STORE_NAME_MAX);
		bad++;
	} else {
		memcpy(c->name, s, n);
		c->name[n] = '\0';
		if (!ctl_utf8_valid(c->name)) {
			ctl_warnx("name is not UTF-8 text");
			bad++;
		}
	}

	if (zone == NULL)
		zone = ctl->cfg.program_timezone;
	if (strlen(zone) > STORE_TZ_MAX || tz_offset(zone, &off) == -1) {
		ctl_warnx("unknown timezone '%s' (use Asia/Jakarta, "
		    "Asia/Makassar or Asia/Jayapura)", zone);
		bad++;
	} else
		snprintf(c->timezone, sizeof(c->timezone), "%s",
		    ctl_zone_spelling(zone));

	if (lang == NULL)
		lang = ctl->cfg.program_language;
	if (strcasecmp(lang, "id") != 0 && strcasecmp(lang, "en") != 0) {
		ctl_warnx("language '%s' is neither id nor en", lang);
		bad++;
	} else {
		c->language[0] = (char)(lang[0] | 0x20);
		c->language[1] = (char)(lang[1] | 0x20);
		c->language[2] = '\0';
	}
	return bad;
}

/*
 * companion add: the id and the phone are checked under the write lock
 * so that the message can say which of them is taken, and by whom.
 */
int
ctl_companion_add(struct ctl *ctl, int argc, char **argv)
{
	struct store_companion	 c, old;
	const char		*id = NULL, *phone = NULL, *name = NULL;
	const char		*zone = NULL, *lang = NULL;
	char			 masked[PHONE_MAX + 1];
	int			 npos, rc, sr;
	const struct ctl_opt	 opts[] = {
		{ "id", &id, NULL },
		{ "phone", &phone, NULL },
		{ "name", &name, NULL },
		{ "timezone", &zone, NULL },
		{ "language", &lang, NULL },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (id == NULL || phone == NULL || name == NULL)
		return ctl_usage_error(ctl, "--%s is required",
		    id == NULL ? "id" : phone == NULL ? "phone" : "name");
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if (ctl_companion_check(ctl, &c, id, phone, name, zone, lang) > 0)
		return CTL_EXIT_FAIL;
	phone_mask(c.phone, masked, sizeof(masked));

	if (store_begin(ctl->store) != STORE_OK)
		goto fail;
	if ((sr = store_companion_get(ctl->store, c.id, &old)) == STORE_OK) {
		ctl_warnx("companion %s already exists (phone %s)", c.id,
		    old.phone);
		goto refused;
	} else if (sr != STORE_NOTFOUND)
		goto fail;
	if ((sr = store_companion_by_phone(ctl->store, c.phone, &old)) ==
	    STORE_OK) {
		ctl_warnx("phone %s already belongs to companion %s", c.phone,
		    old.id);
		goto refused;
	} else if (sr != STORE_NOTFOUND)
		goto fail;
	if ((sr = store_companion_add(ctl->store, &c)) == STORE_EXISTS) {
		/* Only an inactive companion can hold it unseen. */
		ctl_warnx("phone %s already belongs to an inactive companion",
		    c.phone);
		goto refused;
	} else if (sr != STORE_OK || store_commit(ctl->store) != STORE_OK)
		goto fail;
	printf("companion %s added (phone %s)\n", c.id, masked);
	return CTL_EXIT_OK;

fail:
	ctl_warnx("store: %s", store_errmsg(ctl->store));
refused:
	store_rollback(ctl->store);
	return CTL_EXIT_FAIL;
}

/* store_companion_each() callback: one row of the list. */
static int
ctl_companion_row(void *arg, const struct store_companion *c)
{
	ctl_table_row(arg, c->id, c->phone, c->name, c->timezone, c->language,
	    c->active ? "yes" : "no");
	return 0;
}

int
ctl_companion_list(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_table	 t;
	int			 csv = 0, npos, rc;
	const struct ctl_opt	 opts[] = {
		{ "csv", NULL, &csv },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	ctl_table_init(&t, 6, "llllll");
	ctl_table_row(&t, "id", "phone", "name", "timezone", "language",
	    "active");
	rc = CTL_EXIT_OK;
	if (store_companion_each(ctl->store, ctl_companion_row, &t) !=
	    STORE_OK) {
		ctl_warnx("store: %s", store_errmsg(ctl->store));
		rc = CTL_EXIT_FAIL;
	} else if (ctl_table_print(&t, stdout, csv) == -1 ||
	    fflush(stdout) == EOF) {
		ctl_warnx("stdout: write failed");
		rc = CTL_EXIT_FAIL;
	}
	ctl_table_free(&t);
	return rc;
}
