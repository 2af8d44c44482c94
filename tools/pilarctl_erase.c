/*
 * pilarctl_erase.c: erasing a person's data on request (UU PDP 27/2022).
 *
 * A person is a family (--kpm), a companion (--companion), a phone
 * number (--phone) or a national id (--nik); several may be given at
 * once.  What goes, and what stays:
 *
 *  - the family's roster row (name, phone) is deleted;
 *  - the companion's name and phone are forgotten, the companion made
 *    inactive; its id, zone, language and region stay;
 *  - a phone is removed from every KPM that has it;
 *  - records stay, because the counts are made of them: a record of the
 *    family (or whose KPM id is the NIK) gets a KPM id that names nobody
 *    ("erased-" and its row id) and loses its note and cancel reason;
 *    any other record whose note or reason names the person loses them;
 *    kind, companion, category, dates, target year and status stay, so
 *    the tallies (changed only by those columns) do not move;
 *  - every SMS from or to the person's phones, behind the person's
 *    records, or naming the person (pilarctl_match.c) loses its sender
 *    or recipient and its text ("[erased]"); ids, times and delivery
 *    states stay; a reply not sent yet is withdrawn (marked failed);
 *  - the parts of unfinished long SMS from those phones are deleted.
 *
 * The work is in two passes, as kpm import's: the tables are read
 * first without the write lock (pilard goes on answering), then the
 * rows that arrived meanwhile are read and everything is changed in one
 * transaction.  SQLite's secure_delete overwrites what the changes free
 * in the file, and a TRUNCATE checkpoint empties the WAL, which would
 * otherwise keep the older pages.  Copies that earlier changes (made
 * without secure_delete) left in free space survive that: --vacuum
 * rebuilds the file without them, at the price of holding the write
 * lock for as long as it takes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grammar.h"
#include "phone.h"
#include "pilarctl.h"
#include "store.h"

#define CTL_ERASE_PAGE		2000	/* messages read per statement */
#define CTL_ERASED_TEXT		"[erased]"

/* A set of row ids: appended, then sorted for lookups. */
struct ctl_ids {
	int64_t		*v;		/* from malloc */
	size_t		 n, cap;
};

struct ctl_erase {
	struct ctl		*ctl;
	int			 dry_run;
	int64_t			 now;
	struct ctl_match	 m;		/* what names the person */
	/* The person. */
	const char		*kpm_id;	/* --kpm, or NULL */
	struct store_kpm	 kpm;
	int			 kpm_in_roster;
	int			 kpm_phone_shared;
	struct store_companion	 comp;
	int			 has_comp;
	char			 phone[PHONE_MAX + 1];	/* --phone, E.164 */
	char			 nik[GRAMMAR_NIK_LEN + 1];
	/* Phones whose every SMS goes. */
	char			 phones[CTL_MATCH_MAX][PHONE_MAX + 1];
	int			 nphones;
	/* What was found. */
	struct ctl_ids		 linked;	/* MO behind the records */
	struct ctl_ids		 rec_unlink;	/* the family's records */
	struct ctl_ids		 rec_note;	/* others naming the person */
	struct ctl_ids		 mo, mt;
	long			 mt_pending;
	long			 kpm_with_phone;	/* KPM holding --phone */
	int64_t			 rec_last, mo_last, mt_last;
	int			 failed;	/* a callback found no memory */
};

static void	ctl_ids_add(struct ctl_ids *, int64_t);
static void	ctl_ids_sort(struct ctl_ids *);
static int	ctl_ids_has(const struct ctl_ids *, int64_t);
static int	ctl_ids_cmp(const void *, const void *);
static int	ctl_erase_is_phone(const struct ctl_erase *, const char *);
static void	ctl_erase_add_phone(struct ctl_erase *, const char *);
static int	ctl_erase_nik(struct ctl *, const char *, char *);
static void	ctl_erase_nik_mask(const char *, char *);
static int	ctl_erase_count(void *, const struct store_kpm *);
static int	ctl_erase_holder(void *, const struct store_companion *);
static int	ctl_erase_who(struct ctl_erase *, const char *, const char *);
static int	ctl_erase_rec(void *, const struct store_record *);
static int	ctl_erase_mo(void *, const struct store_mo *);
static int	ctl_erase_mt(void *, const struct store_mt *);
static int	ctl_erase_scan(struct ctl_erase *);
static int	ctl_erase_apply(struct ctl_erase *, long *, long *);
static void	ctl_erase_report(struct ctl_erase *, long, long);

static void
ctl_ids_add(struct ctl_ids *s, int64_t id)
{
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 256 : s->cap * 2;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = id;
}

static int
ctl_ids_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sort and keep each id once. */
static void
ctl_ids_sort(struct ctl_ids *s)
{
	size_t	i, o;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof(*s->v), ctl_ids_cmp);
	for (i = o = 1; i < s->n; i++)
		if (s->v[i] != s->v[o - 1])
			s->v[o++] = s->v[i];
	s->n = o;
}

/* s must be sorted. */
static int
ctl_ids_has(const struct ctl_ids *s, int64_t id)
{
	return s->n > 0 && bsearch(&id, s->v, s->n, sizeof(*s->v),
	    ctl_ids_cmp) != NULL;
}

static int
ctl_erase_is_phone(const struct ctl_erase *e, const char *phone)
{
	int	i;

	for (i = 0; phone[0] != '\0' && i < e->nphones; i++)
		if (strcmp(phone, e->phones[i]) == 0)
			return 1;
	return 0;
}

/* A phone whose SMS all go, and which is looked for in texts. */
static void
ctl_erase_add_phone(struct ctl_erase *e, const char *phone)
{
	if (phone[0] == '\0' || ctl_erase_is_phone(e, phone) ||
	    e->nphones == CTL_MATCH_MAX)
		return;
	snprintf(e->phones[e->nphones++], PHONE_MAX + 1, "%s", phone);
	ctl_match_phone(&e->m, phone);
}

/*
 * --nik: 16 digits with the structure of a NIK, checked by the grammar
 * the daemon reads messages with.  0, or a usage error.
 */
static int
ctl_erase_nik(struct ctl *ctl, const char *s, char *out)
{
	struct grammar_options	opt;
	struct grammar_result	g;
	char			text[8 + GRAMMAR_NIK_LEN + 1];

	if (strlen(s) != GRAMMAR_NIK_LEN ||
	    strspn(s, "0123456789") != GRAMMAR_NIK_LEN)
		return ctl_usage_error(ctl, "--nik takes the %d digits of a "
		    "NIK", GRAMMAR_NIK_LEN);
	grammar_options_default(&opt);
	opt.nik = 1;
	snprintf(text, sizeof(text), "GRAD %s", s);
	if (grammar_parse(text, strlen(text), &opt, &g) == -1 ||
	    g.n_ids != 1 || !g.id_is_nik[0])
		return ctl_usage_error(ctl, "--nik: no NIK (its %s part is "
		    "wrong)", g.error == GRAMMAR_E_BAD_NIK ?
		    grammar_nik_part_name(g.nik_part) : "structure");
	memcpy(out, s, GRAMMAR_NIK_LEN + 1);
	return 0;
}

/* A NIK as it may be shown: 3527********0082. */
static void
ctl_erase_nik_mask(const char *nik, char *out)
{
	memcpy(out, nik, 4);
	memset(out + 4, '*', GRAMMAR_NIK_LEN - 8);
	memcpy(out + GRAMMAR_NIK_LEN - 4, nik + GRAMMAR_NIK_LEN - 4, 5);
}

/* store_kpm_by_phone() callback: count the KPM but arg's one. */
static int
ctl_erase_count(void *arg, const struct store_kpm *k)
{
	struct ctl_erase	*e = arg;

	if (e->kpm_id == NULL || strcmp(k->id, e->kpm_id) != 0)
		e->kpm_with_phone++;
	return 0;
}

/*
 * store_companion_each() callback: the companion, other than the one
 * being erased, that holds the phone in e->comp's place.
 */
static int
ctl_erase_holder(void *arg, const struct store_companion *c)
{
	struct ctl_erase	*e = arg;

	if (strcmp(c->phone, e->phone) != 0 ||
	    (e->has_comp && strcmp(c->id, e->comp.id) == 0))
		return 0;
	e->failed = 1;
	ctl_warnx("phone %s is companion %s's: erase the companion with "
	    "--companion %s", e->phone, c->id, c->id);
	return 1;
}

/*
 * Find the person: the companion and the KPM, and whose phones go.  A
 * family phone that another KPM or a companion also has is kept (it is
 * theirs too), unless it is named with --phone.  0, or -1 when the
 * command must fail (messages printed).
 */
static int
ctl_erase_who(struct ctl_erase *e, const char *comp_id, const char *phone)
{
	struct store		*st = e->ctl->store;
	struct store_companion	 holder;
	long			 others;
	int			 sr;

	if (comp_id != NULL) {
		if ((sr = store_companion_get(st, comp_id, &e->comp)) ==
		    STORE_NOTFOUND) {
			ctl_warnx("no companion %s", comp_id);
			return -1;
		} else if (sr != STORE_OK)
			goto fail;
		e->has_comp = 1;
		ctl_erase_add_phone(e, e->comp.phone);
		ctl_match_name(&e->m, e->comp.name);
	}
	if (phone != NULL) {
		if (phone_normalize(phone, PHONE_TON_UNKNOWN,
		    e->ctl->cfg.program_country_code, e->phone,
		    sizeof(e->phone)) == -1) {
			ctl_warnx("phone '%s' is not a valid phone number",
			    phone);
			return -1;
		}
		if (store_companion_each(st, ctl_erase_holder, e) != STORE_OK)
			goto fail;
		if (e->failed)
			return -1;
		if (store_kpm_by_phone(st, e->phone, ctl_erase_count, e) !=
		    STORE_OK)
			goto fail;
		ctl_erase_add_phone(e, e->phone);
	}
	if (e->kpm_id != NULL) {
		ctl_match_id(&e->m, e->kpm_id);
		if ((sr = store_kpm_get(st, e->kpm_id, &e->kpm)) == STORE_OK)
			e->kpm_in_roster = 1;
		else if (sr != STORE_NOTFOUND)
			goto fail;
	}
	if (e->kpm_in_roster) {
		ctl_match_name(&e->m, e->kpm.name);
		if (e->kpm.phone[0] != '\0' &&
		    !ctl_erase_is_phone(e, e->kpm.phone)) {
			others = e->kpm_with_phone;
			e->kpm_with_phone = 0;
			if (store_kpm_by_phone(st, e->kpm.phone,
			    ctl_erase_count, e) != STORE_OK ||
			    (sr = store_companion_by_phone(st, e->kpm.phone,
			    &holder)) == STORE_ERROR)
				goto fail;
			e->kpm_phone_shared = e->kpm_with_phone > 0 ||
			    sr == STORE_OK;
			e->kpm_with_phone = others;
			if (!e->kpm_phone_shared)
				ctl_erase_add_phone(e, e->kpm.phone);
		}
	}
	if (e->nik[0] != '\0')
		ctl_match_id(&e->m, e->nik);
	return 0;

fail:
	ctl_store_fail(e->ctl);
	return -1;
}

/*
 * store_record_find() callback.  The family's records (and any whose
 * KPM id is the NIK) are unlinked; the MO behind them and behind the
 * companion's records go; other notes naming the person are blanked.
 */
static int
ctl_erase_rec(void *arg, const struct store_record *r)
{
	struct ctl_erase	*e = arg;
	int			 unlink;

	if (r->id > e->rec_last)
		e->rec_last = r->id;
	unlink = (e->kpm_id != NULL && strcmp(r->kpm_id, e->kpm_id) == 0) ||
	    (e->nik[0] != '\0' && strcmp(r->kpm_id, e->nik) == 0);
	if (unlink)
		ctl_ids_add(&e->rec_unlink, r->id);
	else if ((r->note[0] != '\0' && ctl_match_text(&e->m, r->note)) ||
	    (r->cancel_reason[0] != '\0' &&
	    strcmp(r->cancel_reason, CTL_ERASED_TEXT) != 0 &&
	    ctl_match_text(&e->m, r->cancel_reason)))
		ctl_ids_add(&e->rec_note, r->id);
	if (r->mo_id != 0 && (unlink || (e->has_comp &&
	    strcmp(r->companion_id, e->comp.id) == 0)))
		ctl_ids_add(&e->linked, r->mo_id);
	return 0;
}

/* store_mo_each() callback; MO erased before are left alone. */
static int
ctl_erase_mo(void *arg, const struct store_mo *m)
{
	struct ctl_erase	*e = arg;

	e->mo_last = m->id;
	if (m->sender[0] == '\0' && strcmp(m->text, CTL_ERASED_TEXT) == 0)
		return 0;
	if (ctl_erase_is_phone(e, m->sender) || ctl_ids_has(&e->linked,
	    m->id) || ctl_match_text(&e->m, m->text))
		ctl_ids_add(&e->mo, m->id);
	return 0;
}

/* store_mt_each() callback: to the phones, answering an MO that goes. */
static int
ctl_erase_mt(void *arg, const struct store_mt *m)
{
	struct ctl_erase	*e = arg;

	e->mt_last = m->id;
	if (m->dest[0] == '\0' && strcmp(m->text, CTL_ERASED_TEXT) == 0)
		return 0;
	if (ctl_erase_is_phone(e, m->dest) || (m->mo_id != 0 &&
	    ctl_ids_has(&e->mo, m->mo_id)) || ctl_match_text(&e->m,
	    m->text)) {
		ctl_ids_add(&e->mt, m->id);
		e->mt_pending += m->state == STORE_MT_PENDING;
	}
	return 0;
}

/*
 * Read what was added since the last pass (all of it the first time):
 * the records first (they name MOs), then the MOs (whose replies go
 * too), then the MTs.  The MO ids come in ascending order, so e->mo
 * stays sorted.
 */
static int
ctl_erase_scan(struct ctl_erase *e)
{
	struct store			*st = e->ctl->store;
	struct store_record_filter	 f;
	int64_t				 last;

	memset(&f, 0, sizeof(f));
	f.after_id = e->rec_last;
	if (store_record_find(st, &f, ctl_erase_rec, e) != STORE_OK)
		return -1;
	ctl_ids_sort(&e->linked);
	do {
		last = e->mo_last;
		if (store_mo_each(st, last, CTL_ERASE_PAGE, ctl_erase_mo,
		    e) != STORE_OK)
			return -1;
	} while (e->mo_last != last);
	do {
		last = e->mt_last;
		if (store_mt_each(st, last, CTL_ERASE_PAGE, ctl_erase_mt,
		    e) != STORE_OK)
			return -1;
	} while (e->mt_last != last);
	return 0;
}

/*
 * Change everything found, in the caller's transaction.  *parts and
 * *kpm_cleared get what was deleted or changed beyond the sets.
 * Rows that went meanwhile (a purge) are not an error.
 */
static int
ctl_erase_apply(struct ctl_erase *e, long *parts, long *kpm_cleared)
{
	struct store	*st = e->ctl->store;
	char		 form[PHONE_MAX + 2];
	size_t		 i;
	int		 k, f, n;

	*parts = *kpm_cleared = 0;
	ctl_ids_sort(&e->rec_unlink);
	ctl_ids_sort(&e->rec_note);
	for (i = 0; i < e->rec_unlink.n; i++)
		if (store_record_erase(st, e->rec_unlink.v[i], 1) ==
		    STORE_ERROR)
			return -1;
	for (i = 0; i < e->rec_note.n; i++)
		if (!ctl_ids_has(&e->rec_unlink, e->rec_note.v[i]) &&
		    store_record_erase(st, e->rec_note.v[i], 0) ==
		    STORE_ERROR)
			return -1;
	for (i = 0; i < e->mo.n; i++)
		if (store_mo_erase(st, e->mo.v[i]) == STORE_ERROR)
			return -1;
	for (i = 0; i < e->mt.n; i++)
		if (store_mt_erase(st, e->mt.v[i], e->now) == STORE_ERROR)
			return -1;
	/* Parts keep the sender as delivered: each usual spelling. */
	for (k = 0; k < e->nphones; k++) {
		for (f = 0; f < 4; f++) {
			if (f == 0)
				snprintf(form, sizeof(form), "%s",
				    e->phones[k]);
			else if (f == 1)
				snprintf(form, sizeof(form), "+%s",
				    e->phones[k]);
			else if (strncmp(e->phones[k],
			    e->ctl->cfg.program_country_code,
			    strlen(e->ctl->cfg.program_country_code)) != 0)
				break;
			else
				snprintf(form, sizeof(form), "%s%s",
				    f == 2 ? "0" : "", e->phones[k] +
				    strlen(e->ctl->cfg.program_country_code));
			if (store_part_erase(st, form, &n) != STORE_OK)
				return -1;
			*parts += n;
		}
	}
	if (e->kpm_in_roster && store_kpm_delete(st, e->kpm.id) ==
	    STORE_ERROR)
		return -1;
	if (e->phone[0] != '\0') {
		if (store_kpm_clear_phone(st, e->phone, &n) != STORE_OK)
			return -1;
		*kpm_cleared = n;
	}
	if (e->has_comp && store_companion_erase(st, e->comp.id) !=
	    STORE_OK)
		return -1;
	return 0;
}

/* What was (or would be) erased, and what stays. */
static void
ctl_erase_report(struct ctl_erase *e, long parts, long kpm_cleared)
{
	const char	*verb = e->dry_run ? "would be erased" : "erased";
	char		 masked[PHONE_MAX + 1];

	if (e->kpm_id != NULL) {
		if (e->kpm_in_roster)
			printf("KPM %s: roster row (name, phone) %s\n",
			    e->kpm_id, e->dry_run ? "would be deleted" :
			    "deleted");
		else
			printf("KPM %s: not in the roster\n", e->kpm_id);
		if (e->kpm_phone_shared)
			printf("KPM %s: its phone is kept, another KPM or a "
			    "companion has it too (erase it with --phone if "
			    "the family asks)\n", e->kpm_id);
	}
	if (e->has_comp)
		printf("companion %s: name and phone %s, %s inactive\n",
		    e->comp.id, verb, e->dry_run ? "would be" : "now");
	if (e->phone[0] != '\0') {
		phone_mask(e->phone, masked, sizeof(masked));
		printf("phone %s: %s, on %ld KPM\n", masked, verb,
		    e->dry_run ? e->kpm_with_phone : kpm_cleared);
	}
	if (e->nik[0] != '\0') {
		char	nm[GRAMMAR_NIK_LEN + 1];

		ctl_erase_nik_mask(e->nik, nm);
		printf("NIK %s: looked for in every text and note\n", nm);
	}
	if (e->kpm_id != NULL || e->nik[0] != '\0')
		printf("records: %zu of the family kept for the counts, "
		    "their KPM id, note and reason %s\n", e->rec_unlink.n,
		    verb);
	if (e->has_comp)
		printf("records: the companion's kept as they are, under id "
		    "%s\n", e->comp.id);
	printf("records: %zu other note%s naming the person %s\n",
	    e->rec_note.n, e->rec_note.n == 1 ? "" : "s", verb);
	printf("SMS received: %zu %s (sender and text)\n", e->mo.n, verb);
	printf("SMS sent: %zu %s (recipient and text), %ld unsent "
	    "repl%s withdrawn\n", e->mt.n, verb, e->mt_pending,
	    e->mt_pending == 1 ? "y" : "ies");
	if (e->nphones > 0 && e->dry_run)
		printf("unfinished long SMS from these phones would be "
		    "deleted\n");
	else if (e->nphones > 0)
		printf("unfinished long SMS: %ld part%s deleted\n", parts,
		    parts == 1 ? "" : "s");
	printf("kept: each record's kind, companion, category, dates, year "
	    "and status; the counts and reports are unchanged\n");
	if (e->dry_run)
		printf("dry run: nothing written\n");
}

int
ctl_erase(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_erase	 e;
	const char		*comp = NULL, *phone = NULL, *nik = NULL;
	long			 parts = 0, kpm_cleared = 0;
	int			 yes = 0, vacuum = 0, npos, rc, complete;
	const struct ctl_opt	 opts[] = {
		{ "kpm", &e.kpm_id, NULL },
		{ "companion", &comp, NULL },
		{ "phone", &phone, NULL },
		{ "nik", &nik, NULL },
		{ "yes", NULL, &yes },
		{ "dry-run", NULL, &e.dry_run },
		{ "vacuum", NULL, &vacuum },
		{ NULL, NULL, NULL }
	};

	memset(&e, 0, sizeof(e));
	e.ctl = ctl;
	if (ctl_parse(ctl, argc, argv, opts, NULL, 0, &npos, &rc) == -1)
		return rc;
	if (e.kpm_id == NULL && comp == NULL && phone == NULL && nik == NULL)
		return ctl_usage_error(ctl, "whose data? --kpm, --companion, "
		    "--phone or --nik");
	if (e.kpm_id != NULL && !ctl_kpm_id_valid(e.kpm_id))
		return ctl_usage_error(ctl, "'%s' is no KPM id", e.kpm_id);
	if (comp != NULL && !ctl_companion_id_valid(comp))
		return ctl_usage_error(ctl, "'%s' is no companion id", comp);
	if (nik != NULL && ctl_erase_nik(ctl, nik, e.nik) != 0)
		return CTL_EXIT_USAGE;
	if (yes == e.dry_run)
		return ctl_usage_error(ctl, yes ? "--yes or --dry-run, not "
		    "both" : "erasing cannot be undone: add --yes (or "
		    "--dry-run to see what would be erased)");
	if (vacuum && !yes)
		return ctl_usage_error(ctl, "--vacuum goes with --yes");
	if (ctl_open(ctl) == -1)
		return CTL_EXIT_FAIL;
	ctl_match_init(&e.m, ctl->cfg.program_country_code);
	e.now = (int64_t)time(NULL);
	rc = CTL_EXIT_FAIL;
	if ((!e.dry_run && store_secure_delete(ctl->store) != STORE_OK) ||
	    ctl_erase_who(&e, comp, phone) == -1)
		goto out;

	/* First pass: no lock; pilard goes on meanwhile. */
	if (ctl_erase_scan(&e) == -1) {
		ctl_store_fail(ctl);
		goto out;
	}
	if (!e.kpm_in_roster && !e.has_comp && e.kpm_with_phone == 0 &&
	    e.rec_unlink.n == 0 && e.rec_note.n == 0 && e.mo.n == 0 &&
	    e.mt.n == 0) {
		ctl_warnx("no data of that person found");
		goto out;
	}
	if (e.dry_run) {
		ctl_ids_sort(&e.rec_unlink);
		ctl_ids_sort(&e.rec_note);
		ctl_erase_report(&e, 0, 0);
		rc = ctl_flush();
		goto out;
	}
	/* Second pass: what came meanwhile, then every change at once. */
	if (store_begin(ctl->store) != STORE_OK ||
	    ctl_erase_scan(&e) == -1 ||
	    ctl_erase_apply(&e, &parts, &kpm_cleared) == -1 ||
	    store_commit(ctl->store) != STORE_OK) {
		ctl_store_fail(ctl);
		store_rollback(ctl->store);
		ctl_warnx("nothing erased");
		goto out;
	}
	ctl_erase_report(&e, parts, kpm_cleared);
	if (vacuum && store_vacuum(ctl->store) != STORE_OK) {
		ctl_store_fail(ctl);
		goto out;
	}
	if (vacuum)
		printf("the database file was rebuilt without free space\n");
	if (store_flush(ctl->store, &complete) != STORE_OK) {
		ctl_store_fail(ctl);
		goto out;
	}
	if (!complete)
		ctl_warnx("the journal could not be emptied (pilard was "
		    "reading): older copies of erased rows stay in it until "
		    "pilard's next checkpoint");
	rc = ctl_flush();
out:
	free(e.linked.v);
	free(e.rec_unlink.v);
	free(e.rec_note.v);
	free(e.mo.v);
	free(e.mt.v);
	return rc;
}
