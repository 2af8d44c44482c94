/*
 * test_remind.c: reminders with a fake clock: templates, occurrences,
 * quiet hours, the daily cap, STOP and MULAI, zones, the chunk cursor
 * and the outbox's priority of replies over reminders.  No sleeps: every
 * call is given its now.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "outbox.h"
#include "remind.h"
#include "store.h"

/* 2026-12-11 00:00 UTC */
#define DEC11		((int64_t)1796947200)
#define H		3600

struct fx {
	struct store	*st;
	struct config	 cfg;
};

static void
add_companion(struct store *st, const char *id, const char *phone,
    const char *zone, const char *region)
{
	struct store_companion	c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	snprintf(c.phone, sizeof(c.phone), "%s", phone);
	snprintf(c.name, sizeof(c.name), "Bu %s", id);
	snprintf(c.timezone, sizeof(c.timezone), "%s", zone);
	snprintf(c.language, sizeof(c.language), "id");
	snprintf(c.region, sizeof(c.region), "%s", region);
	c.active = 1;
	assert_int_equal(store_companion_add(st, &c), STORE_OK);
}

static void
add_kpm(struct store *st, const char *id, const char *phone,
    const char *comp)
{
	struct store_kpm	k;

	memset(&k, 0, sizeof(k));
	snprintf(k.id, sizeof(k.id), "%s", id);
	snprintf(k.name, sizeof(k.name), "Ibu %s", id);
	snprintf(k.phone, sizeof(k.phone), "%s", phone);
	snprintf(k.companion_id, sizeof(k.companion_id), "%s", comp);
	assert_int_equal(store_kpm_put(st, &k), STORE_OK);
}

static int64_t
add_reminder(struct store *st, const char *text, const char *kind,
    const char *target, const char *at, const char *repeat)
{
	struct store_remind	r;

	memset(&r, 0, sizeof(r));
	snprintf(r.text, sizeof(r.text), "%s", text);
	snprintf(r.target_kind, sizeof(r.target_kind), "%s", kind);
	snprintf(r.target, sizeof(r.target), "%s", target);
	snprintf(r.at_local, sizeof(r.at_local), "%s", at);
	snprintf(r.repeat, sizeof(r.repeat), "%s", repeat);
	r.created_at = DEC11 - 86400;
	assert_int_equal(store_remind_add(st, &r), STORE_OK);
	return r.id;
}

/*
 * Two companions: C1 in Jakarta (+7) with KPM 101 (STOP), 102, 103
 * (no phone) and 104; C2 in Jayapura (+9) with 201 and 202.
 */
static int
setup(void **state)
{
	struct fx	*f;
	char		 err[256];
	int		 n;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (store_open(":memory:", NULL, &f->st, err, sizeof(err)) !=
	    STORE_OK)
		return -1;
	config_defaults(&f->cfg);
	f->cfg.remind_daily_cap = 0;
	add_companion(f->st, "C1", "6281100000001", "Asia/Jakarta", "Barat");
	add_companion(f->st, "C2", "6281100000002", "Asia/Jayapura", "Timur");
	add_kpm(f->st, "101", "6281200000101", "C1");
	add_kpm(f->st, "102", "6281200000102", "C1");
	add_kpm(f->st, "103", "", "C1");
	add_kpm(f->st, "104", "6281200000104", "C1");
	add_kpm(f->st, "201", "6281200000201", "C2");
	add_kpm(f->st, "202", "6281200000202", "C2");
	assert_int_equal(store_kpm_set_optout(f->st, "6281200000101", 1, &n),
	    STORE_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;

	store_close(f->st);
	free(f);
	return 0;
}

/* Run the scheduler at now until it has nothing more; total queued. */
static int
run_all(struct fx *f, int64_t now, int64_t *next_due)
{
	struct remind_result	r;
	int			total = 0, guard = 0;

	do {
		assert_int_equal(store_begin(f->st), STORE_OK);
		assert_int_equal(remind_run(f->st, &f->cfg, now, &r), 0);
		assert_int_equal(store_commit(f->st), STORE_OK);
		total += r.queued;
		assert_true(++guard < 1000);
	} while (r.more);
	if (next_due != NULL)
		*next_due = r.next_due;
	return total;
}

static void
test_template(void **state)
{
	char	err[256], out[STORE_TEXT_MAX + 1];
	char	longt[200];

	(void)state;
	assert_int_equal(remind_template_check("Halo {name}, P2K2 besok "
	    "{date} bersama {companion}.", 1, err, sizeof(err)), 0);
	assert_int_equal(remind_template_check("Halo {nama}", 1, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "{nama}"));
	assert_int_equal(remind_template_check("Halo {name", 1, err,
	    sizeof(err)), -1);
	assert_int_equal(remind_template_check("", 1, err, sizeof(err)), -1);
	/* 150 characters and a name of 25: more than 160. */
	memset(longt, 'a', 150);
	memcpy(longt + 150, "{name}", 7);
	assert_int_equal(remind_template_check(longt, 1, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "too long"));
	longt[130] = '\0';
	assert_int_equal(remind_template_check(longt, 1, err, sizeof(err)),
	    0);
	assert_int_equal(remind_render("Halo {name} dari {companion}, "
	    "{date}", "Siti", "Bu Ani", "12/12/2026", 1, out, sizeof(out)), 0);
	assert_string_equal(out, "Halo Siti dari Bu Ani, 12/12/2026");
	assert_int_equal(remind_render("{oops}", "a", "b", "c", 1, out,
	    sizeof(out)), -1);
}

static void
test_occurrence(void **state)
{
	int64_t	at, t;

	(void)state;
	assert_int_equal(remind_parse_at("2026-12-11 09:00", &at), 0);
	assert_true(at == DEC11 + 9 * H);
	assert_int_equal(remind_parse_at("2026-04-31 09:00", &t), -1);
	assert_int_equal(remind_parse_at("2026-12-11 24:00", &t), -1);
	assert_int_equal(remind_parse_at("11/12/2026 09:00", &t), -1);
	assert_true(remind_occurrence(at, "", 0) == at);
	assert_true(remind_occurrence(at, "", 1) == -1);
	assert_true(remind_occurrence(at, "daily", 3) == at + 3 * 86400);
	assert_true(remind_occurrence(at, "weekly", 2) == at + 14 * 86400);
	/* 31 January, monthly: 28 February, 31 March. */
	assert_int_equal(remind_parse_at("2027-01-31 08:00", &at), 0);
	assert_int_equal(remind_parse_at("2027-02-28 08:00", &t), 0);
	assert_true(remind_occurrence(at, "monthly", 1) == t);
	assert_int_equal(remind_parse_at("2027-03-31 08:00", &t), 0);
	assert_true(remind_occurrence(at, "monthly", 2) == t);
	/* December to January. */
	assert_int_equal(remind_parse_at("2026-12-15 08:00", &at), 0);
	assert_int_equal(remind_parse_at("2027-01-15 08:00", &t), 0);
	assert_true(remind_occurrence(at, "monthly", 1) == t);
}

static void
test_quiet_hours(void **state)
{
	struct config	cfg;
	int64_t		day = DEC11;

	(void)state;
	config_defaults(&cfg);		/* 21:00-07:00 */
	/* Noon local at +7: 05:00 UTC. */
	assert_true(remind_due(&cfg, day + 12 * H, 7 * H) == day + 5 * H);
	/* 22:00 waits for 07:00 the next day. */
	assert_true(remind_due(&cfg, day + 22 * H, 7 * H) ==
	    day + 86400 + 7 * H - 7 * H);
	/* 05:30 waits for 07:00 that day. */
	assert_true(remind_due(&cfg, day + 5 * H + 1800, 0) == day + 7 * H);
	/* 07:00 itself is not quiet, 21:00 is. */
	assert_true(remind_due(&cfg, day + 7 * H, 0) == day + 7 * H);
	assert_true(remind_due(&cfg, day + 21 * H, 0) == day + 86400 + 7 * H);
	/* A window that does not wrap midnight: 12:00-14:00. */
	cfg.remind_quiet_start = 12 * 60;
	cfg.remind_quiet_end = 14 * 60;
	assert_true(remind_due(&cfg, day + 13 * H, 0) == day + 14 * H);
	assert_true(remind_due(&cfg, day + 15 * H, 0) == day + 15 * H);
	cfg.remind_quiet_start = cfg.remind_quiet_end = -1;
	assert_true(remind_due(&cfg, day + 23 * H, 0) == day + 23 * H);
}

/*
 * At 09:00 in each companion's zone: Jayapura (00:00 UTC) first, then
 * Jakarta (02:00 UTC); STOP and no phone skipped and counted.
 */
static void
test_zones_and_skips(void **state)
{
	struct fx			*f = *state;
	struct store_remind		 r;
	struct store_remind_counts	 c;
	int64_t				 id, next;

	id = add_reminder(f->st, "Halo {name}", "all", "",
	    "2026-12-11 09:00", "");
	assert_int_equal(run_all(f, DEC11 - 1, &next), 0);
	assert_true(next == DEC11);
	assert_int_equal(run_all(f, DEC11, &next), 2);		/* 201, 202 */
	assert_true(next == DEC11 + 2 * H);
	assert_int_equal(run_all(f, DEC11 + 2 * H - 1, NULL), 0);
	assert_int_equal(run_all(f, DEC11 + 2 * H, NULL), 2);	/* 102, 104 */
	assert_int_equal(run_all(f, DEC11 + 3 * H, NULL), 0);
	assert_int_equal(store_remind_get(f->st, id, &r), STORE_OK);
	assert_int_equal(r.done, 1);
	assert_true(r.queued == 4);
	assert_true(r.skipped_optout == 1);
	assert_true(r.skipped_nophone == 1);
	assert_int_equal(store_remind_counts(f->st, id, &c), STORE_OK);
	assert_true(c.pending == 4 && c.sent == 0);
}

/*
 * A STOP after the queueing: the reminder queued for that phone is
 * withdrawn in the store and dropped from the outbox's memory, so it is
 * never sent; the others still are.
 */
static void
test_stop_withdraws(void **state)
{
	struct fx			*f = *state;
	struct store_remind_counts	 c;
	struct outbox			*ob;
	struct outbox_mt		*mt;
	int64_t				 id;
	int				 n, sent = 0;
	uint32_t			 seq = 1;

	id = add_reminder(f->st, "Halo {name}", "all", "",
	    "2026-12-11 09:00", "");
	assert_int_equal(run_all(f, DEC11 + 3 * H, NULL), 4);
	ob = outbox_new(f->st, 10, 3);
	outbox_bulk_more(ob);
	outbox_bulk_fill(ob);
	assert_int_equal(store_remind_withdraw(f->st, "6281200000102",
	    DEC11 + 4 * H, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(outbox_bulk_withdraw(ob, "6281200000102"), 1);
	while ((mt = outbox_next(ob, 1000 + seq, 1)) != NULL) {
		assert_string_not_equal(mt->dest, "6281200000102");
		outbox_inflight(ob, mt, seq, 1000 + seq);
		seq++;
		sent++;
	}
	assert_int_equal(sent, 3);
	outbox_free(ob);
	assert_int_equal(store_remind_counts(f->st, id, &c), STORE_OK);
	assert_true(c.pending == 3 && c.failed == 1);
	/* Queueing is done, but MTs wait: cancel withdraws them, once. */
	assert_int_equal(store_remind_cancel(f->st, id, DEC11 + 4 * H),
	    STORE_OK);
	assert_int_equal(store_remind_counts(f->st, id, &c), STORE_OK);
	assert_true(c.pending == 0 && c.failed == 4);
	assert_int_equal(store_remind_cancel(f->st, id, DEC11 + 4 * H),
	    STORE_NOTFOUND);
	/* Nothing left to withdraw; a phone with no KPM has none. */
	assert_int_equal(store_remind_withdraw(f->st, "6281200000102",
	    DEC11 + 4 * H, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_remind_withdraw(f->st, "6289999999999",
	    DEC11 + 4 * H, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* A chunk undone (a crash before the commit) is queued again, once. */
static void
test_chunks_restart(void **state)
{
	struct fx		*f = *state;
	struct remind_result	 res;
	struct store_remind	 r;
	struct store_remind_counts c;
	int64_t			 id;
	int			 i;

	f->cfg.remind_chunk = 1;
	id = add_reminder(f->st, "Halo {name}", "region", "Barat",
	    "2026-12-11 12:00", "");
	/* Two chunks committed: Jayapura's (no one of region Barat), then
	 * 101 (STOP) in Jakarta. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(store_begin(f->st), STORE_OK);
		assert_int_equal(remind_run(f->st, &f->cfg, DEC11 + 6 * H,
		    &res), 0);
		assert_int_equal(store_commit(f->st), STORE_OK);
		assert_int_equal(res.more, 1);
		assert_int_equal(res.queued, 0);
	}
	/* Second chunk rolled back: as if pilard died. */
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(remind_run(f->st, &f->cfg, DEC11 + 6 * H, &res), 0);
	assert_int_equal(res.queued, 1);
	assert_int_equal(store_rollback(f->st), STORE_OK);
	assert_int_equal(run_all(f, DEC11 + 6 * H, NULL), 2);
	assert_int_equal(store_remind_get(f->st, id, &r), STORE_OK);
	assert_true(r.queued == 2 && r.skipped_optout == 1 &&
	    r.skipped_nophone == 1 && r.done == 1);
	assert_int_equal(store_remind_counts(f->st, id, &c), STORE_OK);
	assert_true(c.pending == 2);
	/* The key refuses a second row for the same occurrence and KPM. */
	assert_int_equal(store_remind_mt_insert(f->st, id, 0, "102", 20261211,
	    "6281200000102", "x", DEC11), STORE_EXISTS);
}

/* Daily repeat; STOP, then MULAI; a cap of one a day. */
static void
test_repeat_stop_cap(void **state)
{
	struct fx		*f = *state;
	struct store_remind	 r;
	int64_t			 id, id2;
	int			 n;

	f->cfg.remind_daily_cap = 1;
	id = add_reminder(f->st, "Minum obat, {name}", "kpm", "102",
	    "2026-12-11 08:00", "daily");
	assert_int_equal(run_all(f, DEC11 + 1 * H, NULL), 1);
	/* A second reminder the same local day: over the cap. */
	id2 = add_reminder(f->st, "Posyandu", "kpm", "102",
	    "2026-12-11 10:00", "");
	assert_int_equal(run_all(f, DEC11 + 3 * H, NULL), 0);
	assert_int_equal(store_remind_get(f->st, id2, &r), STORE_OK);
	assert_true(r.skipped_cap == 1 && r.done == 1);
	/* STOP: day 2 skipped. */
	assert_int_equal(store_kpm_set_optout(f->st, "6281200000102", 1, &n),
	    STORE_OK);
	assert_int_equal(run_all(f, DEC11 + 86400 + 1 * H, NULL), 0);
	/* MULAI: day 3 sent. */
	assert_int_equal(store_kpm_set_optout(f->st, "6281200000102", 0, &n),
	    STORE_OK);
	assert_int_equal(run_all(f, DEC11 + 2 * 86400 + 1 * H, NULL), 1);
	assert_int_equal(store_remind_get(f->st, id, &r), STORE_OK);
	assert_true(r.queued == 2 && r.skipped_optout == 1);
	assert_int_equal(r.occurrence, 3);
	assert_int_equal(r.done, 0);
	/* pilard down for a week: the missed days are skipped. */
	assert_int_equal(run_all(f, DEC11 + 10 * 86400 + 1 * H, NULL), 1);
	assert_int_equal(store_remind_get(f->st, id, &r), STORE_OK);
	assert_int_equal(r.occurrence, 11);
	/* Cancelled: nothing more. */
	assert_int_equal(store_remind_cancel(f->st, id, DEC11), STORE_OK);
	assert_int_equal(run_all(f, DEC11 + 11 * 86400 + 1 * H, NULL), 0);
	assert_int_equal(store_remind_cancel(f->st, id, DEC11),
	    STORE_NOTFOUND);
}

/* Due inside quiet hours: waits for their end in the recipient's zone. */
static void
test_quiet_schedule(void **state)
{
	struct fx	*f = *state;
	int64_t		 next;

	(void)add_reminder(f->st, "Malam", "companion", "C2",
	    "2026-12-11 22:00", "");
	/* 22:00 at +9 is 13:00 UTC; it waits for 07:00 (22:00 UTC). */
	assert_int_equal(run_all(f, DEC11 + 13 * H, &next), 0);
	assert_true(next == DEC11 + 22 * H);
	assert_int_equal(run_all(f, DEC11 + 22 * H, NULL), 2);
}

static int	 loaded;
static int
count_cb(void *arg, const struct store_mt *m)
{
	(void)arg;
	(void)m;
	loaded++;
	return 0;
}

/* Replies leave before reminders, whichever was queued first. */
static void
test_priority(void **state)
{
	struct fx		*f = *state;
	struct outbox		*ob;
	struct outbox_mt	*mt;
	struct store_mt		 m;
	int			 i, count;
	char			 kpm[8];

	for (i = 0; i < 3; i++) {
		snprintf(kpm, sizeof(kpm), "9%02d", i);
		assert_int_equal(store_remind_mt_insert(f->st, 1, 0, kpm,
		    20261211, "6281200000900", "reminder", DEC11), STORE_OK);
	}
	memset(&m, 0, sizeof(m));
	snprintf(m.dest, sizeof(m.dest), "6281100000001");
	snprintf(m.text, sizeof(m.text), "reply");
	m.created_at = DEC11;
	assert_int_equal(store_mt_insert(f->st, &m), STORE_OK);
	loaded = 0;
	assert_int_equal(store_mt_pending(f->st, 0, 100, count_cb, NULL),
	    STORE_OK);
	assert_int_equal(loaded, 1);
	assert_int_equal(store_mt_count(f->st, STORE_MT_PENDING, &count),
	    STORE_OK);
	assert_int_equal(count, 4);
	ob = outbox_new(f->st, 10, 3);
	mt = outbox_next(ob, 1000, 1);
	assert_non_null(mt);
	assert_string_equal(mt->text, "reply");
	outbox_inflight(ob, mt, 1, 1000);
	/* A reply pushed while reminders wait goes first too. */
	mt = outbox_next(ob, 1001, 1);
	assert_non_null(mt);
	assert_string_equal(mt->text, "reminder");
	outbox_inflight(ob, mt, 2, 1001);
	m.id = 0;
	assert_int_equal(store_mt_insert(f->st, &m), STORE_OK);
	outbox_push(ob, m.id, m.dest, "reply 2", DEC11);
	mt = outbox_next(ob, 1002, 1);
	assert_non_null(mt);
	assert_string_equal(mt->text, "reply 2");
	outbox_inflight(ob, mt, 3, 1002);
	mt = outbox_next(ob, 1003, 1);
	assert_non_null(mt);
	assert_string_equal(mt->text, "reminder");
	outbox_inflight(ob, mt, 4, 1003);
	outbox_free(ob);
}

/* The text of the last pending broadcast MT to dest, "" if none. */
struct last_mt {
	const char	*dest;
	char		 text[STORE_TEXT_MAX + 1];
	int		 n;
};

static int
last_mt_to(void *arg, const struct store_mt *m)
{
	struct last_mt	*l = arg;

	if (strcmp(m->dest, l->dest) == 0) {
		snprintf(l->text, sizeof(l->text), "%s", m->text);
		l->n++;
	}
	return 0;
}

static const char *
nudged(struct fx *f, const char *dest, int *n)
{
	static struct last_mt	l;

	memset(&l, 0, sizeof(l));
	l.dest = dest;
	assert_int_equal(store_remind_mt_pending(f->st, 0, 1000, last_mt_to,
	    &l), STORE_OK);
	*n = l.n;
	return l.text;
}

/* Run the nudges at now in a transaction; how many were queued. */
static int
nudge(struct fx *f, int64_t now)
{
	int	queued, more;

	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(remind_nudge(f->st, &f->cfg, now, &queued, &more),
	    0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(more, 0);
	return queued;
}

static void
add_grad(struct fx *f, const char *comp, const char *kpm)
{
	struct store_record	r;

	memset(&r, 0, sizeof(r));
	r.kind = STORE_KIND_GRAD;
	snprintf(r.companion_id, sizeof(r.companion_id), "%s", comp);
	snprintf(r.kpm_id, sizeof(r.kpm_id), "%s", kpm);
	snprintf(r.event_date, sizeof(r.event_date), "2026-12-01");
	r.year = 2026;
	r.tz_offset = 7 * H;
	r.recorded_at = DEC11 - 10 * 86400;
	assert_int_equal(store_record_insert(f->st, &r), STORE_OK);
}

/*
 * Nudges on the 11th at 09:00 in each companion's zone: Jayapura's at
 * 00:00 UTC, Jakarta's at 02:00; once a month, never a day late, held
 * by the quiet hours; the congratulation once a year when the target
 * is reached, standing for that month's progress.
 */
static void
test_nudges(void **state)
{
	struct fx		*f = *state;
	struct remind_result	 res;
	const char		*t;
	int			 n;

	f->cfg.program_yearly_target = 3;
	assert_int_equal(nudge(f, DEC11 + 2 * H), 0);	/* off */
	f->cfg.remind_nudge_day = 11;
	f->cfg.remind_nudge_time = 9 * 60;
	assert_int_equal(nudge(f, DEC11 - 1), 0);
	assert_int_equal(nudge(f, DEC11), 1);
	t = nudged(f, "6281100000002", &n);
	assert_int_equal(n, 1);
	assert_string_equal(t, "Capaian 2026: 0/3 graduasi, 0 kunjungan. "
	    "0 bulan lagi.");
	assert_int_equal(nudge(f, DEC11 + H), 0);
	add_grad(f, "C1", "101");
	/* Through remind_run(), when no reminder is due. */
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(remind_run(f->st, &f->cfg, DEC11 + 2 * H, &res), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(res.reminder_id, 0);
	assert_int_equal(res.queued, 1);
	t = nudged(f, "6281100000001", &n);
	assert_string_equal(t, "Capaian 2026: 1/3 graduasi, 0 kunjungan. "
	    "0 bulan lagi.");
	assert_int_equal(nudge(f, DEC11 + 3 * H), 0);

	/* The target reached: congratulated once, at once. */
	add_grad(f, "C1", "102");
	add_grad(f, "C1", "104");
	assert_int_equal(nudge(f, DEC11 + 4 * H), 1);
	t = nudged(f, "6281100000001", &n);
	assert_int_equal(n, 2);
	assert_string_equal(t, "Selamat! Target 2026 tercapai: 3/3 graduasi. "
	    "Terima kasih atas kerja Anda.");
	add_grad(f, "C1", "103");
	assert_int_equal(nudge(f, DEC11 + 5 * H), 0);
	assert_int_equal(nudge(f, DEC11 + 20 * 86400), 0);

	/* Not during the quiet hours (21:00-07:00 in Jayapura). */
	add_grad(f, "C2", "201");
	add_grad(f, "C2", "202");
	add_grad(f, "C2", "201x");
	assert_int_equal(nudge(f, DEC11 + 13 * H), 0);	/* 22:00 */
	assert_int_equal(nudge(f, DEC11 + 22 * H), 1);	/* 07:00 */
	t = nudged(f, "6281100000002", &n);
	assert_int_equal(n, 2);
	assert_string_equal(t, "Selamat! Target 2026 tercapai: 3/3 graduasi. "
	    "Terima kasih atas kerja Anda.");

	/* A companion added two days late is not nudged for December. */
	add_companion(f->st, "C3", "6281100000003", "Asia/Jakarta", "Barat");
	assert_int_equal(nudge(f, DEC11 + 2 * 86400 + 3 * H), 0);
	/* On 11 January: the progress of 2027 (the last 11 months). */
	assert_int_equal(nudge(f, DEC11 + 31 * 86400 + 3 * H), 3);
	t = nudged(f, "6281100000003", &n);
	assert_string_equal(t, "Capaian 2027: 0/3 graduasi, 0 kunjungan. "
	    "11 bulan lagi.");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_occurrence),
		cmocka_unit_test(test_quiet_hours),
		cmocka_unit_test_setup_teardown(test_zones_and_skips, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chunks_restart, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_repeat_stop_cap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_quiet_schedule, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nudges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_withdraws, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_priority, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
