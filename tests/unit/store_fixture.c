/*
 * store_fixture.c: the fixture and helpers of the store tests
 * (store_fixture.h).
 *
 * Every test takes a fresh store from its setup; the file variant lives
 * in its own mkdtemp() directory (the store makes -wal and -shm files
 * beside the database) and is removed by the teardown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "grammar.h"
#include "store.h"
#include "store_fixture.h"

/* Remove the database and what SQLite keeps beside it. */
void
fixture_unlink(struct fixture *f)
{
	char	p[160];

	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", f->path);
	unlink(p);
}

static int
setup_common(void **state, int file)
{
	struct fixture	*f;
	char		 err[256];

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	f->file = file;
	if (file) {
		snprintf(f->dir, sizeof(f->dir), "/tmp/pilar-store-XXXXXX");
		if (mkdtemp(f->dir) == NULL) {
			free(f);
			return -1;
		}
		snprintf(f->path, sizeof(f->path), "%s/pilar.db", f->dir);
	} else
		snprintf(f->path, sizeof(f->path), ":memory:");
	if (store_open(f->path, NULL, &f->st, err, sizeof(err)) !=
	    STORE_OK) {
		print_error("store_open %s: %s\n", f->path, err);
		if (file) {
			fixture_unlink(f);
			rmdir(f->dir);
		}
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int
setup_memory(void **state)
{
	return setup_common(state, 0);
}

int
setup_file(void **state)
{
	return setup_common(state, 1);
}

int
teardown(void **state)
{
	struct fixture	*f = *state;

	store_close(f->st);
	if (f->file) {
		fixture_unlink(f);
		rmdir(f->dir);
	}
	free(f);
	return 0;
}

struct store *
fx_store(void **state)
{
	return ((struct fixture *)*state)->st;
}

void
add_companion(struct store *st, const char *id, const char *phone)
{
	struct store_companion	c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	snprintf(c.phone, sizeof(c.phone), "%s", phone);
	snprintf(c.name, sizeof(c.name), "Pendamping %s", id);
	snprintf(c.timezone, sizeof(c.timezone), "Asia/Makassar");
	snprintf(c.language, sizeof(c.language), "id");
	c.active = 1;
	assert_int_equal(store_companion_add(st, &c), STORE_OK);
}

void
add_kpm(struct store *st, const char *id, const char *phone,
    const char *companion_id)
{
	struct store_kpm	k;

	memset(&k, 0, sizeof(k));
	snprintf(k.id, sizeof(k.id), "%s", id);
	snprintf(k.name, sizeof(k.name), "Keluarga %s", id);
	snprintf(k.phone, sizeof(k.phone), "%s", phone);
	snprintf(k.companion_id, sizeof(k.companion_id), "%s", companion_id);
	assert_int_equal(store_kpm_put(st, &k), STORE_OK);
}

/* A record to insert; kind G uses category, kind K always -1. */
struct store_record
make_rec(enum store_kind kind, const char *companion_id, const char *kpm_id,
    int category, const char *date, int64_t t)
{
	struct store_record	r;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	snprintf(r.companion_id, sizeof(r.companion_id), "%s", companion_id);
	snprintf(r.kpm_id, sizeof(r.kpm_id), "%s", kpm_id);
	r.category = kind == STORE_KIND_GRAD ? category : -1;
	snprintf(r.event_date, sizeof(r.event_date), "%s", date);
	r.year = atoi(date);
	r.tz_offset = 8 * 3600;
	r.recorded_at = t;
	return r;
}

void
insert_ok(struct store *st, struct store_record *r, const char *ref)
{
	assert_int_equal(store_record_insert(st, r), STORE_OK);
	assert_true(r->id > 0);
	assert_string_equal(r->ref, ref);
}

int
collect_mt_any(void *arg, const struct store_mt *m)
{
	struct store_mt	*out = arg;

	*out = *m;
	return 0;
}

/*
 * The counts kept in tallies against the records themselves: a count
 * from store_record_each() of the active records, by brute force.
 */
struct tally_acc {
	int	grad[TALLY_COMPANIONS][TALLY_YEARS][32];
	int	visit[TALLY_COMPANIONS][TALLY_YEARS];
};

static int
tally_record(void *arg, const struct store_record *r)
{
	struct tally_acc	*a = arg;
	int			 c, y;

	if (r->cancelled_at != 0)
		return 0;
	c = atoi(r->companion_id + 1) - 1;
	y = r->year - TALLY_YEAR0;
	assert_true(c >= 0 && c < TALLY_COMPANIONS);
	assert_true(y >= 0 && y < TALLY_YEARS);
	if (r->kind == STORE_KIND_GRAD) {
		assert_true(r->category >= 0 && r->category < 32);
		a->grad[c][y][r->category]++;
	} else
		a->visit[c][y]++;
	return 0;
}

void
tally_check(struct store *st)
{
	static const unsigned	 masks[] = {
		0, CAT_BIT(GRAMMAR_CAT_SM), CAT_BIT(GRAMMAR_CAT_AL),
		CAT_BIT(GRAMMAR_CAT_PK),
		CAT_BIT(GRAMMAR_CAT_SM) | CAT_BIT(GRAMMAR_CAT_AL),
		CAT_BIT(GRAMMAR_CAT_SM) | CAT_BIT(GRAMMAR_CAT_PK), ~0u
	};
	struct tally_acc	 a;
	char			 id[8];
	int			 c, y, m, k, want, n;

	memset(&a, 0, sizeof(a));
	assert_int_equal(store_record_each(st, STORE_KIND_GRAD, tally_record,
	    &a), STORE_OK);
	assert_int_equal(store_record_each(st, STORE_KIND_VISIT, tally_record,
	    &a), STORE_OK);
	for (c = 0; c < TALLY_COMPANIONS; c++) {
		snprintf(id, sizeof(id), "C%03d", c + 1);
		for (y = 0; y < TALLY_YEARS; y++) {
			for (m = 0; m < (int)(sizeof(masks) /
			    sizeof(masks[0])); m++) {
				want = 0;
				for (k = 0; k < 32; k++)
					if (masks[m] & (1u << k))
						want += a.grad[c][y][k];
				assert_int_equal(store_record_count(st, id,
				    STORE_KIND_GRAD, TALLY_YEAR0 + y, masks[m],
				    &n), STORE_OK);
				assert_int_equal(n, want);
			}
			assert_int_equal(store_record_count(st, id,
			    STORE_KIND_VISIT, TALLY_YEAR0 + y, 0, &n),
			    STORE_OK);
			assert_int_equal(n, a.visit[c][y]);
		}
	}
}

struct store_part
make_part(const char *sender, int ref, int total, int seq, const char *text,
    int64_t when)
{
	struct store_part	p;

	memset(&p, 0, sizeof(p));
	snprintf(p.sender, sizeof(p.sender), "%s", sender);
	p.sender_ton = 1;
	snprintf(p.dest, sizeof(p.dest), "1717");
	p.ref = ref;
	p.total = total;
	p.seq = seq;
	p.text = text;
	p.received_at = when;
	return p;
}
