/*
 * pilarctl_companion.c: registering, changing and listing companions.
 *
 * Companions text pilar from their own phones, so the phone is the key
 * the daemon finds them by: it is normalised exactly as the daemon
 * normalises a sender, and one phone belongs to one companion.  Every
 * change runs in a write transaction, so the checks and the change see
 * the same roster; pilard notices the change at its next transaction.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "phone.h"
#include "pilarctl.h"
#include "store.h"
#include "tz.h"

/* What companion update may change; NULL: keep. */
struct ctl_comp_change {
	const char	*name;
	const char	*zone;
	const char	*lang;
	const char	*region;
};

/* companion list: the filters and the table. */
struct ctl_comp_list {
	struct ctl_table	 t;
	const char		*region;
	int			 active_only;
};

/* A region as another companion spells it (companion add, update). */
struct ctl_comp_region {
	char		*region;	/* in: as typed; out: as spelled */
	const char	*self;		/* the companion being changed */
	int		 respelled;
};

/* Who holds a phone, active or not (companion phone). */
struct ctl_comp_holder {
	const char		*phone;
	struct store_companion	 c;
	int			 found;
};

static int	ctl_companion_zone(struct ctl *, const char *, char *);
static int	ctl_companion_lang(const char *, char *);
static int	ctl_companion_check(struct ctl *, struct store_companion *,
		    const char *, const char *, const char *, const char *,
		    const char *, const char *);
static int	ctl_companion_apply(struct ctl *, struct store_companion *,
		    const struct ctl_comp_change *, char *, size_t);
static int	ctl_companion_one(struct ctl *, char **, int, int);
static int	ctl_companion_active(struct ctl *, int, char **, int);
static int	ctl_companion_holder(void *, const struct store_companion *);
static int	ctl_region_find(void *, const struct store_companion *);
static int	ctl_region_spelling(struct ctl *, const char *, char *);
static int	ctl_companion_kpm_count(void *, const struct store_kpm *);
static int	ctl_companion_row(void *, const struct store_companion *);
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

/* A zone tz.h knows, into out (STORE_TZ_MAX + 1); 0 or -1 (warned). */
static int
ctl_companion_zone(struct ctl *ctl, const char *zone, char *out)
{
	int	off;

	if (zone == NULL)
		zone = ctl->cfg.program_timezone;
	if (strlen(zone) > STORE_TZ_MAX || tz_offset(zone, &off) == -1) {
		ctl_warnx("unknown timezone '%s' (use Asia/Jakarta, "
		    "Asia/Makassar or Asia/Jayapura)", zone);
		return -1;
	}
	snprintf(out, STORE_TZ_MAX + 1, "%s", ctl_zone_spelling(zone));
	return 0;
}

/* "id" or "en", any case, into out (3 bytes); 0 or -1 (warned). */
static int
ctl_companion_lang(const char *lang, char *out)
{
	if (strcasecmp(lang, "id") != 0 && strcasecmp(lang, "en") != 0) {
		ctl_warnx("language '%s' is neither id nor en", lang);
		return -1;
	}
	out[0] = (char)(lang[0] | 0x20);
	out[1] = (char)(lang[1] | 0x20);
	out[2] = '\0';
	return 0;
}

/* store_companion_each() callback: the first spelling of a region. */
static int
ctl_region_find(void *arg, const struct store_companion *c)
{
	struct ctl_comp_region	*r = arg;

	if (strcmp(c->id, r->self) == 0 ||
	    strcasecmp(c->region, r->region) != 0)
		return 0;
	if (strcmp(c->region, r->region) != 0) {
		memcpy(r->region, c->region, strlen(c->region) + 1);
		r->respelled = 1;
	}
	return 1;
}

/*
 * Reports group regions as they are spelled: "kab. sumba timur" typed
 * for a region that other companions (than self) have as "Kab. Sumba
 * Timur" is taken as that.  region has STORE_REGION_MAX + 1 bytes.
 */
static int
ctl_region_spelling(struct ctl *ctl, const char *self, char *region)
{
	struct ctl_comp_region	r;
	char			typed[STORE_REGION_MAX + 1];

	if (region[0] == '\0')
		return 0;
	memcpy(typed, region, sizeof(typed));
	r.region = region;
	r.self = self;
	r.respelled = 0;
	if (store_companion_each(ctl->store, ctl_region_find, &r) !=
	    STORE_OK)
		return -1;
	if (r.respelled)
		printf("region '%s' taken as '%s', as other companions have "
		    "it\n", typed, region);
	return 0;
}

/*
 * Check every value the operator gave and fill *c.  Every problem is
 * reported, not only the first, so one correction run suffices.
 * Returns the number of problems.
 */
static int
ctl_companion_check(struct ctl *ctl, struct store_companion *c,
    const char *id, const char *phone, const char *name, const char *zone,
    const char *lang, const char *region)
{
	int	bad = 0;

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
	bad += ctl_text_arg("name", name, STORE_NAME_MAX, 0, c->name) == -1;
	bad += ctl_companion_zone(ctl, zone, c->timezone) == -1;
	bad += ctl_companion_lang(lang != NULL ? lang :
	    ctl->cfg.program_language, c->language) == -1;
	bad += region != NULL && ctl_text_arg("region", region,
	    STORE_REGION_MAX, 1, c->region) == -1;
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
	const char		*zone = NULL, *lang = NULL, *region = NULL;
	char			 masked[PHONE_MAX + 1];
	int			 npos, rc, sr;
	const struct ctl_opt	 opts[] = {
		{ "id", &id, NULL },
		{ "phone", &phone, NULL },
		{ "name", &name, NULL },
		{ "timezone", &zone, NULL },
		{ "language", &lang, NULL },
		{ "region", &region, NULL },
		{ NULL, NULL, NULL }
	};

	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (id == NULL || phone == NULL || name == NULL)
		return ctl_usage_error(ctl, "--%s is required",
		    id == NULL ? "id" : phone == NULL ? "phone" : "name");
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	if (ctl_companion_check(ctl, &c, id, phone, name, zone, lang,
	    region) > 0)
		return CTL_EXIT_FAIL;
	phone_mask(c.phone, masked, sizeof(masked));

	if (store_begin(ctl->store) != STORE_OK ||
	    ctl_region_spelling(ctl, c.id, c.region) == -1)
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
	ctl_store_fail(ctl);
refused:
	store_rollback(ctl->store);
	return CTL_EXIT_FAIL;
}

/*
 * Apply the changes given to *c, listing the fields that differ in
 * changed ("name, region"); every bad value is reported.  0, the
 * number of bad values, or -1 when the store failed.
 */
static int
ctl_companion_apply(struct ctl *ctl, struct store_companion *c,
    const struct ctl_comp_change *ch, char *changed, size_t changedsz)
{
	struct store_companion	n = *c;
	int			bad = 0;

	changed[0] = '\0';
	if (ch->name != NULL)
		bad += ctl_text_arg("name", ch->name, STORE_NAME_MAX, 0,
		    n.name) == -1;
	if (ch->zone != NULL)
		bad += ctl_companion_zone(ctl, ch->zone, n.timezone) == -1;
	if (ch->lang != NULL)
		bad += ctl_companion_lang(ch->lang, n.language) == -1;
	if (ch->region != NULL)
		bad += ctl_text_arg("region", ch->region, STORE_REGION_MAX, 1,
		    n.region) == -1;
	if (bad > 0)
		return bad;
	if (ch->region != NULL && ctl_region_spelling(ctl, n.id,
	    n.region) == -1)
		return -1;
#define CTL_CHANGED(f, label) \
	if (strcmp(n.f, c->f) != 0) \
		snprintf(changed + strlen(changed), changedsz - \
		    strlen(changed), "%s%s", changed[0] ? ", " : "", label)
	CTL_CHANGED(name, "name");
	CTL_CHANGED(timezone, "timezone");
	CTL_CHANGED(language, "language");
	CTL_CHANGED(region, "region");
#undef CTL_CHANGED
	*c = n;
	return 0;
}

/*
 * The positional arguments of a command on one companion (ID, and for
 * companion phone a PHONE: want in all), then the store.  Returns
 * CTL_EXIT_OK to go on, or the exit code to stop with.
 */
static int
ctl_companion_one(struct ctl *ctl, char **pos, int npos, int want)
{
	if (npos != want)
		return ctl_usage_error(ctl, want == 1 ? "name one companion "
		    "ID" : "name the companion ID and the PHONE");
	if (!ctl_companion_id_valid(pos[0]))
		return ctl_usage_error(ctl, "'%s' is no companion id",
		    pos[0]);
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	return CTL_EXIT_OK;
}

/* companion update ID [--name] [--timezone] [--language] [--region] */
int
ctl_companion_update(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_comp_change	 ch;
	struct store_companion	 c;
	char			*pos[1], changed[64];
	int			 npos, rc, sr;
	const struct ctl_opt	 opts[] = {
		{ "name", &ch.name, NULL },
		{ "timezone", &ch.zone, NULL },
		{ "language", &ch.lang, NULL },
		{ "region", &ch.region, NULL },
		{ NULL, NULL, NULL }
	};

	memset(&ch, 0, sizeof(ch));
	if (ctl_parse(ctl, argc, argv, opts, pos, 1, &npos, &rc) == -1)
		return rc;
	if (npos == 1 && ch.name == NULL && ch.zone == NULL &&
	    ch.lang == NULL && ch.region == NULL)
		return ctl_usage_error(ctl, "nothing to change (--name, "
		    "--timezone, --language or --region)");
	if ((rc = ctl_companion_one(ctl, pos, npos, 1)) != CTL_EXIT_OK)
		return rc;
	if (store_begin(ctl->store) != STORE_OK)
		return ctl_store_fail(ctl);
	if ((sr = store_companion_get(ctl->store, pos[0], &c)) ==
	    STORE_NOTFOUND) {
		ctl_warnx("no companion %s", pos[0]);
		goto refused;
	} else if (sr != STORE_OK)
		goto fail;
	if ((sr = ctl_companion_apply(ctl, &c, &ch, changed,
	    sizeof(changed))) == -1)
		goto fail;
	if (sr > 0)
		goto refused;
	if (changed[0] == '\0') {
		store_rollback(ctl->store);
		printf("companion %s unchanged\n", c.id);
		return CTL_EXIT_OK;
	}
	if (store_companion_update(ctl->store, &c) != STORE_OK ||
	    store_commit(ctl->store) != STORE_OK)
		goto fail;
	printf("companion %s updated: %s\n", c.id, changed);
	return CTL_EXIT_OK;

fail:
	ctl_store_fail(ctl);
refused:
	store_rollback(ctl->store);
	return CTL_EXIT_FAIL;
}

/* store_companion_each() callback: the companion with arg's phone. */
static int
ctl_companion_holder(void *arg, const struct store_companion *c)
{
	struct ctl_comp_holder	*h = arg;

	if (strcmp(c->phone, h->phone) != 0)
		return 0;
	h->c = *c;
	h->found = 1;
	return 1;
}

/*
 * companion phone ID PHONE.  phone is UNIQUE over all companions, so an
 * inactive holder blocks the change too; it is named, so that the
 * operator can decide whether it is to be erased.
 */
int
ctl_companion_phone(struct ctl *ctl, int argc, char **argv)
{
	struct store_companion	 c, other;
	struct ctl_comp_holder	 h;
	char			*pos[2], phone[PHONE_MAX + 1];
	char			 masked[PHONE_MAX + 1];
	int			 npos, rc, sr;

	if (ctl_parse(ctl, argc, argv, NULL, pos, 2, &npos, &rc) == -1)
		return rc;
	if ((rc = ctl_companion_one(ctl, pos, npos, 2)) != CTL_EXIT_OK)
		return rc;
	if (phone_normalize(pos[1], PHONE_TON_UNKNOWN,
	    ctl->cfg.program_country_code, phone, sizeof(phone)) == -1) {
		ctl_warnx("phone '%s' is not a valid phone number (e.g. "
		    "081234567890 or +6281234567890)", pos[1]);
		return CTL_EXIT_FAIL;
	}
	phone_mask(phone, masked, sizeof(masked));
	if (store_begin(ctl->store) != STORE_OK)
		return ctl_store_fail(ctl);
	if ((sr = store_companion_get(ctl->store, pos[0], &c)) ==
	    STORE_NOTFOUND) {
		ctl_warnx("no companion %s", pos[0]);
		goto refused;
	} else if (sr != STORE_OK)
		goto fail;
	if (strcmp(c.phone, phone) == 0) {
		store_rollback(ctl->store);
		printf("companion %s already has phone %s\n", c.id, masked);
		return CTL_EXIT_OK;
	}
	if ((sr = store_companion_by_phone(ctl->store, phone, &other)) ==
	    STORE_OK) {
		ctl_warnx("phone %s belongs to active companion %s", phone,
		    other.id);
		goto refused;
	} else if (sr != STORE_NOTFOUND)
		goto fail;
	memset(&h, 0, sizeof(h));
	h.phone = phone;
	if (store_companion_each(ctl->store, ctl_companion_holder, &h) !=
	    STORE_OK)
		goto fail;
	if (h.found) {
		ctl_warnx("phone %s belongs to inactive companion %s: give "
		    "it another phone, or erase it (pilarctl erase "
		    "--companion %s), first", phone, h.c.id, h.c.id);
		goto refused;
	}
	memcpy(c.phone, phone, sizeof(c.phone));
	if (store_companion_update(ctl->store, &c) != STORE_OK ||
	    store_commit(ctl->store) != STORE_OK)
		goto fail;
	printf("companion %s: phone changed to %s%s\n", c.id, masked,
	    c.active ? "" : " (inactive: pilarctl companion reactivate)");
	return CTL_EXIT_OK;

fail:
	ctl_store_fail(ctl);
refused:
	store_rollback(ctl->store);
	return CTL_EXIT_FAIL;
}

/* store_kpm_each() callback: count a companion's KPM. */
static int
ctl_companion_kpm_count(void *arg, const struct store_kpm *k)
{
	(void)k;
	(*(long *)arg)++;
	return 0;
}

/* companion deactivate / reactivate ID. */
static int
ctl_companion_active(struct ctl *ctl, int argc, char **argv, int active)
{
	struct store_companion	 c;
	char			*pos[1];
	long			 nkpm = 0;
	int			 npos, rc, sr;

	if (ctl_parse(ctl, argc, argv, NULL, pos, 1, &npos, &rc) == -1)
		return rc;
	if ((rc = ctl_companion_one(ctl, pos, npos, 1)) != CTL_EXIT_OK)
		return rc;
	if (store_begin(ctl->store) != STORE_OK)
		return ctl_store_fail(ctl);
	if ((sr = store_companion_get(ctl->store, pos[0], &c)) ==
	    STORE_NOTFOUND) {
		ctl_warnx("no companion %s", pos[0]);
		goto refused;
	} else if (sr != STORE_OK)
		goto fail;
	if (c.active == active) {
		store_rollback(ctl->store);
		printf("companion %s is %s already\n", c.id,
		    active ? "active" : "inactive");
		return CTL_EXIT_OK;
	}
	if (active && c.phone[0] == '\0') {
		ctl_warnx("companion %s has no phone (it was erased): give it "
		    "one first (pilarctl companion phone %s PHONE)", c.id,
		    c.id);
		goto refused;
	}
	c.active = active;
	if (store_companion_update(ctl->store, &c) != STORE_OK ||
	    (!active && store_kpm_each(ctl->store, c.id,
	    ctl_companion_kpm_count, &nkpm) != STORE_OK) ||
	    store_commit(ctl->store) != STORE_OK)
		goto fail;
	printf("companion %s %s\n", c.id, active ? "reactivated" :
	    "deactivated");
	if (nkpm > 0)
		printf("%ld KPM still assigned to %s: pilarctl kpm reassign "
		    "--from %s --to OTHER\n", nkpm, c.id, c.id);
	return CTL_EXIT_OK;

fail:
	ctl_store_fail(ctl);
refused:
	store_rollback(ctl->store);
	return CTL_EXIT_FAIL;
}

int
ctl_companion_deactivate(struct ctl *ctl, int argc, char **argv)
{
	return ctl_companion_active(ctl, argc, argv, 0);
}

int
ctl_companion_reactivate(struct ctl *ctl, int argc, char **argv)
{
	return ctl_companion_active(ctl, argc, argv, 1);
}

/* store_companion_each() callback: one row of the list, if it passes. */
static int
ctl_companion_row(void *arg, const struct store_companion *c)
{
	struct ctl_comp_list	*l = arg;

	if ((l->active_only && !c->active) ||
	    (l->region != NULL && strcasecmp(l->region, c->region) != 0))
		return 0;
	ctl_table_row(&l->t, c->id, c->phone, c->name, c->timezone,
	    c->language, c->active ? "yes" : "no", c->region);
	return 0;
}

int
ctl_companion_list(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_comp_list	 l;
	char			 region[STORE_REGION_MAX + 1];
	int			 csv = 0, bom = 0, npos, rc;
	const struct ctl_opt	 opts[] = {
		{ "csv", NULL, &csv },
		{ "bom", NULL, &bom },
		{ "region", &l.region, NULL },
		{ "active", NULL, &l.active_only },
		{ NULL, NULL, NULL }
	};

	memset(&l, 0, sizeof(l));
	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (l.region != NULL) {
		if (ctl_text_arg("region", l.region, STORE_REGION_MAX, 1,
		    region) == -1)
			return CTL_EXIT_USAGE;
		l.region = region;
	}
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	ctl_table_init(&l.t, 7, "lllllll");
	ctl_table_row(&l.t, "id", "phone", "name", "timezone", "language",
	    "active", "region");
	rc = CTL_EXIT_OK;
	if (store_companion_each(ctl->store, ctl_companion_row, &l) !=
	    STORE_OK)
		rc = ctl_store_fail(ctl);
	else if (ctl_csv_start(stdout, csv && bom) == -1 ||
	    ctl_table_print(&l.t, stdout, csv) == -1) {
		ctl_warnx("stdout: write failed");
		rc = CTL_EXIT_FAIL;
	} else
		rc = ctl_flush();
	ctl_table_free(&l.t);
	return rc;
}
