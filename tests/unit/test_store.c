/*
 * test_store.c: store.h on SQLite, run on ":memory:" and on a file.
 *
 * Every test takes a fresh store from its setup; the file variant lives
 * in its own mkdtemp() directory (the store makes -wal and -shm files
 * beside the database) and is removed by the teardown.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "grammar.h"
#include "store.h"

#define CAT_BIT(c)	(1u << (c))

struct fixture {
	struct store	*st;
	int		 file;
	char		 dir[64];
	char		 path[128];
};

/* Remove the database and what SQLite keeps beside it. */
static void
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

static int
setup_memory(void **state)
{
	return setup_common(state, 0);
}

static int
setup_file(void **state)
{
	return setup_common(state, 1);
}

static int
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

static struct store *
fx_store(void **state)
{
	return ((struct fixture *)*state)->st;
}

static void
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

static void
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
static struct store_record
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

static void
insert_ok(struct store *st, struct store_record *r, const char *ref)
{
	assert_int_equal(store_record_insert(st, r), STORE_OK);
	assert_true(r->id > 0);
	assert_string_equal(r->ref, ref);
}

static void
test_open(void **state)
{
	struct store	*st = fx_store(state);

	assert_int_equal(store_schema_version(st), 1);
	assert_string_equal(store_errmsg(st), "");
}

static int
collect_ids(void *arg, const struct store_companion *c)
{
	char	*buf = arg;

	strcat(buf, c->id);
	strcat(buf, ",");
	return strcmp(c->id, "C003") == 0;	/* stop after C003 */
}

static void
test_companion(void **state)
{
	struct store		*st = fx_store(state);
	struct store_companion	 c;
	char			 ids[64] = "";

	add_companion(st, "C002", "6281200000002");
	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C004", "6281200000004");
	add_companion(st, "C003", "6281200000003");

	/* Taken id, taken phone. */
	memset(&c, 0, sizeof(c));
	strcpy(c.id, "C001");
	strcpy(c.phone, "6281299999999");
	assert_int_equal(store_companion_add(st, &c), STORE_EXISTS);
	assert_non_null(strstr(store_errmsg(st), "companion add C001"));
	assert_non_null(strstr(store_errmsg(st), "UNIQUE"));
	strcpy(c.id, "C009");
	strcpy(c.phone, "6281200000002");
	assert_int_equal(store_companion_add(st, &c), STORE_EXISTS);
	assert_non_null(strstr(store_errmsg(st), "companions.phone"));

	memset(&c, 0x55, sizeof(c));
	assert_int_equal(store_companion_get(st, "C001", &c), STORE_OK);
	assert_string_equal(c.id, "C001");
	assert_string_equal(c.phone, "6281200000001");
	assert_string_equal(c.name, "Pendamping C001");
	assert_string_equal(c.timezone, "Asia/Makassar");
	assert_string_equal(c.language, "id");
	assert_int_equal(c.active, 1);
	assert_int_equal(store_companion_get(st, "C999", &c), STORE_NOTFOUND);

	assert_int_equal(store_companion_by_phone(st, "6281200000002", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C002");
	assert_int_equal(store_companion_by_phone(st, "6281200000009", &c),
	    STORE_NOTFOUND);

	/* Update: new name and language, then inactive. */
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	strcpy(c.name, "Siti Rahma");
	strcpy(c.language, "en");
	strcpy(c.timezone, "Asia/Jayapura");
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	assert_string_equal(c.name, "Siti Rahma");
	assert_string_equal(c.language, "en");
	assert_string_equal(c.timezone, "Asia/Jayapura");
	c.active = 0;
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_by_phone(st, "6281200000002", &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	assert_int_equal(c.active, 0);

	/* Update to another's phone; update of nobody. */
	strcpy(c.phone, "6281200000001");
	assert_int_equal(store_companion_update(st, &c), STORE_EXISTS);
	strcpy(c.id, "C999");
	strcpy(c.phone, "6281200000999");
	assert_int_equal(store_companion_update(st, &c), STORE_NOTFOUND);

	/* Ordered by id, and the callback can stop the walk. */
	assert_int_equal(store_companion_each(st, collect_ids, ids),
	    STORE_OK);
	assert_string_equal(ids, "C001,C002,C003,");
}

static void
test_kpm(void **state)
{
	struct store		*st = fx_store(state);
	struct store_kpm	 k;
	int			 n;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	add_kpm(st, "350101", "6285700000001", "C001");
	add_kpm(st, "350102", "6285700000001", "C001");	/* shared phone */
	add_kpm(st, "350103", "", "C002");

	memset(&k, 0x55, sizeof(k));
	assert_int_equal(store_kpm_get(st, "350101", &k), STORE_OK);
	assert_string_equal(k.id, "350101");
	assert_string_equal(k.name, "Keluarga 350101");
	assert_string_equal(k.phone, "6285700000001");
	assert_string_equal(k.companion_id, "C001");
	assert_int_equal(k.opted_out, 0);
	assert_int_equal(store_kpm_get(st, "350103", &k), STORE_OK);
	assert_string_equal(k.phone, "");
	assert_int_equal(store_kpm_get(st, "999999", &k), STORE_NOTFOUND);

	/* Replace by id: another companion, name and phone. */
	add_kpm(st, "350101", "6285700000009", "C002");
	assert_int_equal(store_kpm_get(st, "350101", &k), STORE_OK);
	assert_string_equal(k.companion_id, "C002");
	assert_string_equal(k.phone, "6285700000009");

	/* A companion that does not exist. */
	strcpy(k.id, "350104");
	strcpy(k.companion_id, "C404");
	assert_int_equal(store_kpm_put(st, &k), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "350104"));
	assert_non_null(strstr(store_errmsg(st), "C404"));
	assert_int_equal(store_kpm_get(st, "350104", &k), STORE_NOTFOUND);

	/* STOP from a phone two families share, then MULAI. */
	add_kpm(st, "350101", "6285700000001", "C001");
	assert_int_equal(store_kpm_set_optout(st, "6285700000001", 1, &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_kpm_get(st, "350102", &k), STORE_OK);
	assert_int_equal(k.opted_out, 1);
	assert_int_equal(store_kpm_get(st, "350103", &k), STORE_OK);
	assert_int_equal(k.opted_out, 0);
	assert_int_equal(store_kpm_set_optout(st, "6285700000001", 0, &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_kpm_get(st, "350102", &k), STORE_OK);
	assert_int_equal(k.opted_out, 0);
	assert_int_equal(store_kpm_set_optout(st, "6285711111111", 1, &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	/* An empty phone matches nobody, not the KPM without one. */
	assert_int_equal(store_kpm_set_optout(st, "", 1, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void
test_mo(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mo	 mo;
	int64_t		 first;

	memset(&mo, 0, sizeof(mo));
	strcpy(mo.sender, "6281200000001");
	strcpy(mo.dest, "94500");
	strcpy(mo.text, "GRAD 12345");
	mo.received_at = 1780000000;
	assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
	assert_true(mo.id > 0);
	first = mo.id;
	strcpy(mo.smsc_ref, "abc-1");
	assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
	assert_true(mo.id > first);
}

static void
test_record_refs(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, got;
	int64_t			 t = 1780000000;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");

	/* One sequence per companion, shared by both kinds. */
	r = make_rec(STORE_KIND_GRAD, "C001", "111", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_VISIT, "C001", "222", 0, "2026-05-12", t);
	insert_ok(st, &r, "K002");
	r = make_rec(STORE_KIND_GRAD, "C002", "333", GRAMMAR_CAT_AL,
	    "2026-05-12", t);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C001", "444", GRAMMAR_CAT_PK,
	    "2026-05-13", t + 60);
	strcpy(r.note, "pindah kota");
	r.mo_id = 77;
	insert_ok(st, &r, "G003");

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_record_by_ref(st, "C001", "G003", &got),
	    STORE_OK);
	assert_int_equal(got.id, r.id);
	assert_string_equal(got.ref, "G003");
	assert_int_equal(got.kind, STORE_KIND_GRAD);
	assert_string_equal(got.companion_id, "C001");
	assert_string_equal(got.kpm_id, "444");
	assert_int_equal(got.category, GRAMMAR_CAT_PK);
	assert_string_equal(got.note, "pindah kota");
	assert_string_equal(got.event_date, "2026-05-13");
	assert_int_equal(got.year, 2026);
	assert_int_equal(got.tz_offset, 8 * 3600);
	assert_int_equal(got.recorded_at, t + 60);
	assert_int_equal(got.mo_id, 77);
	assert_int_equal(got.cancelled_at, 0);
	assert_string_equal(got.cancel_reason, "");

	/* A visit reads back with category -1, no note, no MO. */
	assert_int_equal(store_record_by_ref(st, "C001", "K002", &got),
	    STORE_OK);
	assert_int_equal(got.kind, STORE_KIND_VISIT);
	assert_int_equal(got.category, -1);
	assert_string_equal(got.note, "");
	assert_int_equal(got.mo_id, 0);

	/* References are per companion, and read the Crockford way. */
	assert_int_equal(store_record_by_ref(st, "C002", "G001", &got),
	    STORE_OK);
	assert_string_equal(got.kpm_id, "333");
	assert_int_equal(store_record_by_ref(st, "C002", "G003", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "k0o2", &got),
	    STORE_OK);
	assert_string_equal(got.ref, "K002");
	assert_int_equal(store_record_by_ref(st, "C001", "GOOl", &got),
	    STORE_OK);
	assert_string_equal(got.ref, "G001");
	assert_int_equal(store_record_by_ref(st, "C001", "g1", &got),
	    STORE_OK);
	assert_string_equal(got.ref, "G001");
	assert_int_equal(store_record_by_ref(st, "C001", "K2", &got),
	    STORE_OK);
	assert_string_equal(got.ref, "K002");

	/* Not references, or not this one. */
	assert_int_equal(store_record_by_ref(st, "C001", "K001", &got),
	    STORE_NOTFOUND);		/* seq 1 is a graduation */
	assert_int_equal(store_record_by_ref(st, "C001", "G004", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "X001", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "G00U", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "G", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "", &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "G0000000001",
	    &got), STORE_NOTFOUND);
}

/* The reference grows a digit after ZZZ (sequence 32767). */
static void
test_record_ref_growth(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r;
	char			 kpm[16];
	int			 i;

	add_companion(st, "C001", "6281200000001");
	assert_int_equal(store_begin(st), STORE_OK);
	for (i = 1; i <= 32769; i++) {
		snprintf(kpm, sizeof(kpm), "%d", 100000 + i);
		r = make_rec(STORE_KIND_VISIT, "C001", kpm, 0, "2026-01-02",
		    1780000000 + i);
		assert_int_equal(store_record_insert(st, &r), STORE_OK);
		switch (i) {
		case 9:
			assert_string_equal(r.ref, "K009");
			break;
		case 10:
			assert_string_equal(r.ref, "K00A");
			break;
		case 31:
			assert_string_equal(r.ref, "K00Z");
			break;
		case 32:
			assert_string_equal(r.ref, "K010");
			break;
		case 1023:
			assert_string_equal(r.ref, "K0ZZ");
			break;
		case 1024:
			assert_string_equal(r.ref, "K100");
			break;
		case 32767:
			assert_string_equal(r.ref, "KZZZ");
			break;
		case 32768:
			assert_string_equal(r.ref, "K1000");
			break;
		case 32769:
			assert_string_equal(r.ref, "K1001");
			break;
		}
	}
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(store_record_by_ref(st, "C001", "K1000", &r),
	    STORE_OK);
	assert_string_equal(r.kpm_id, "132768");
}

static void
test_record_natural_key(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, dup, got;
	int64_t			 t = 1780000000;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");

	/* One active graduation per KPM, whoever records it. */
	r = make_rec(STORE_KIND_GRAD, "C001", "12345", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	insert_ok(st, &r, "G001");
	dup = make_rec(STORE_KIND_GRAD, "C002", "12345", GRAMMAR_CAT_AL,
	    "2026-06-01", t + 100);
	assert_int_equal(store_record_insert(st, &dup), STORE_EXISTS);
	assert_int_equal(dup.id, 0);
	assert_string_equal(dup.ref, "");
	assert_int_equal(store_record_find_key(st, &dup, &got), STORE_OK);
	assert_int_equal(got.id, r.id);
	assert_string_equal(got.companion_id, "C001");
	assert_string_equal(got.ref, "G001");

	/* No sequence number was taken by the duplicate. */
	dup = make_rec(STORE_KIND_GRAD, "C002", "67890", GRAMMAR_CAT_SM,
	    "2026-06-01", t + 100);
	insert_ok(st, &dup, "G001");

	/* Visits: per companion, KPM and day. */
	r = make_rec(STORE_KIND_VISIT, "C001", "12345", 0, "2026-05-12", t);
	insert_ok(st, &r, "K002");
	dup = r;
	memset(dup.ref, 0, sizeof(dup.ref));
	dup.id = 0;
	assert_int_equal(store_record_insert(st, &dup), STORE_EXISTS);
	dup = make_rec(STORE_KIND_VISIT, "C001", "12345", 0, "2026-05-13", t);
	insert_ok(st, &dup, "K003");
	dup = make_rec(STORE_KIND_VISIT, "C002", "12345", 0, "2026-05-12", t);
	insert_ok(st, &dup, "K002");
	dup = make_rec(STORE_KIND_VISIT, "C001", "12345", 0, "2026-05-14", t);
	assert_int_equal(store_record_find_key(st, &dup, &got),
	    STORE_NOTFOUND);

	/* An unknown companion is an error, with a reason. */
	dup = make_rec(STORE_KIND_GRAD, "C404", "55555", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	assert_int_equal(store_record_insert(st, &dup), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "no companion C404"));
	/* ... and leaves no transaction of its own open behind it. */
	assert_int_equal(store_begin(st), STORE_OK);
	/* Inside the caller's, the failure spoils nothing else. */
	assert_int_equal(store_record_insert(st, &dup), STORE_ERROR);
	dup = make_rec(STORE_KIND_VISIT, "C002", "55555", 0, "2026-05-12", t);
	insert_ok(st, &dup, "K003");
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(store_record_by_ref(st, "C002", "K003", &got),
	    STORE_OK);

	/* Cancel frees the key; a second cancel finds nothing. */
	r = make_rec(STORE_KIND_GRAD, "C001", "12345", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	assert_int_equal(store_record_find_key(st, &r, &got), STORE_OK);
	assert_int_equal(store_record_cancel(st, got.id, t + 10, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_cancel(st, got.id, t + 20, "BATAL"),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_cancel(st, 424242, t + 20, "x"),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_cancel(st, got.id, 0, "x"),
	    STORE_ERROR);		/* 0 would read as active */
	assert_int_equal(store_record_find_key(st, &r, &dup), STORE_NOTFOUND);
	assert_int_equal(store_record_by_ref(st, "C001", "G001", &dup),
	    STORE_OK);
	assert_int_equal(dup.cancelled_at, t + 10);
	assert_string_equal(dup.cancel_reason, "BATAL");
	insert_ok(st, &r, "G004");
	assert_int_equal(store_record_find_key(st, &r, &got), STORE_OK);
	assert_string_equal(got.ref, "G004");

	/* The same for a visit. */
	r = make_rec(STORE_KIND_VISIT, "C001", "12345", 0, "2026-05-12", t);
	assert_int_equal(store_record_find_key(st, &r, &got), STORE_OK);
	assert_int_equal(store_record_cancel(st, got.id, t + 10, NULL),
	    STORE_OK);
	insert_ok(st, &r, "K005");
}

static void
test_record_count(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r;
	int64_t			 t = 1780000000;
	int			 n, i;
	const unsigned		 all = CAT_BIT(GRAMMAR_CAT_SM) |
				    CAT_BIT(GRAMMAR_CAT_AL) |
				    CAT_BIT(GRAMMAR_CAT_PK);
	static const struct {
		int		 cat;
		const char	*kpm;
		const char	*date;
	} grads[] = {
		{ GRAMMAR_CAT_SM, "1", "2026-01-01" },
		{ GRAMMAR_CAT_SM, "2", "2026-12-31" },
		{ GRAMMAR_CAT_AL, "3", "2026-03-01" },
		{ GRAMMAR_CAT_PK, "4", "2026-03-02" },
		{ GRAMMAR_CAT_SM, "5", "2025-12-31" },
	};

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	for (i = 0; i < (int)(sizeof(grads) / sizeof(grads[0])); i++) {
		r = make_rec(STORE_KIND_GRAD, "C001", grads[i].kpm,
		    grads[i].cat, grads[i].date, t);
		assert_int_equal(store_record_insert(st, &r), STORE_OK);
	}
	r = make_rec(STORE_KIND_GRAD, "C002", "6", GRAMMAR_CAT_SM,
	    "2026-02-02", t);
	assert_int_equal(store_record_insert(st, &r), STORE_OK);
	r = make_rec(STORE_KIND_VISIT, "C001", "1", 0, "2026-02-02", t);
	assert_int_equal(store_record_insert(st, &r), STORE_OK);
	r = make_rec(STORE_KIND_VISIT, "C001", "2", 0, "2026-02-02", t);
	assert_int_equal(store_record_insert(st, &r), STORE_OK);

	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    CAT_BIT(GRAMMAR_CAT_SM), &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    CAT_BIT(GRAMMAR_CAT_SM) | CAT_BIT(GRAMMAR_CAT_AL), &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    all, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    0, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2025,
	    all, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_count(st, "C002", STORE_KIND_GRAD, 2026,
	    all, &n), STORE_OK);
	assert_int_equal(n, 1);
	/* The mask does not apply to visits. */
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_VISIT,
	    2026, 0, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_record_count(st, "C404", STORE_KIND_GRAD, 2026,
	    all, &n), STORE_OK);
	assert_int_equal(n, 0);

	/* A cancelled record stops counting. */
	assert_int_equal(store_record_by_ref(st, "C001", "G002", &r),
	    STORE_OK);
	assert_int_equal(store_record_cancel(st, r.id, t + 1, "salah"),
	    STORE_OK);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    CAT_BIT(GRAMMAR_CAT_SM), &n), STORE_OK);
	assert_int_equal(n, 1);
}

static void
test_record_last(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, got;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	assert_int_equal(store_record_last(st, "C001", 0, &got),
	    STORE_NOTFOUND);

	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_VISIT, "C001", "2", 0, "2026-01-01", 200);
	insert_ok(st, &r, "K002");
	r = make_rec(STORE_KIND_VISIT, "C001", "3", 0, "2026-01-01", 200);
	insert_ok(st, &r, "K003");	/* same second: the higher id wins */
	r = make_rec(STORE_KIND_GRAD, "C001", "4", 0, "2026-01-01", 150);
	insert_ok(st, &r, "G004");	/* arrived late, recorded earlier */
	r = make_rec(STORE_KIND_GRAD, "C002", "5", 0, "2026-01-01", 900);
	insert_ok(st, &r, "G001");

	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "K003");
	assert_int_equal(store_record_last(st, "C001", 200, &got), STORE_OK);
	assert_string_equal(got.ref, "K003");
	assert_int_equal(store_record_last(st, "C001", 201, &got),
	    STORE_NOTFOUND);

	assert_int_equal(store_record_cancel(st, got.id, 300, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "K002");
	assert_int_equal(store_record_last(st, "C001", 160, &got), STORE_OK);
	assert_string_equal(got.ref, "K002");
	assert_int_equal(store_record_cancel(st, got.id, 300, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 160, &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "G004");
}

struct each_acc {
	int	n;
	int	stop_at;
	int64_t	last_id;
	int	cancelled;
	char	refs[128];
};

static int
each_record(void *arg, const struct store_record *r)
{
	struct each_acc	*a = arg;

	assert_true(r->id > a->last_id);
	a->last_id = r->id;
	a->n++;
	if (r->cancelled_at != 0)
		a->cancelled++;
	strcat(a->refs, r->ref);
	strcat(a->refs, ",");
	return a->n == a->stop_at;
}

static void
test_record_each(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r;
	struct each_acc		 a;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	assert_int_equal(store_record_cancel(st, r.id, 101, "x"), STORE_OK);
	r = make_rec(STORE_KIND_VISIT, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "K002");
	r = make_rec(STORE_KIND_GRAD, "C002", "2", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G003");

	memset(&a, 0, sizeof(a));
	assert_int_equal(store_record_each(st, STORE_KIND_GRAD, each_record,
	    &a), STORE_OK);
	assert_int_equal(a.n, 3);
	assert_int_equal(a.cancelled, 1);
	assert_string_equal(a.refs, "G001,G001,G003,");

	memset(&a, 0, sizeof(a));
	a.stop_at = 2;
	assert_int_equal(store_record_each(st, STORE_KIND_GRAD, each_record,
	    &a), STORE_OK);
	assert_int_equal(a.n, 2);

	memset(&a, 0, sizeof(a));
	assert_int_equal(store_record_each(st, STORE_KIND_VISIT, each_record,
	    &a), STORE_OK);
	assert_string_equal(a.refs, "K002,");
}

struct mt_page {
	int	n;
	int64_t	ids[16];
};

static int
collect_mt(void *arg, const struct store_mt *m)
{
	struct mt_page	*p = arg;

	assert_int_equal(m->state, STORE_MT_PENDING);
	assert_true(p->n < 16);
	p->ids[p->n++] = m->id;
	return 0;
}

static void
test_mt(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mt	 m, got;
	struct mt_page	 p;
	int64_t		 id[6];
	int		 i, n;

	for (i = 0; i < 6; i++) {
		memset(&m, 0, sizeof(m));
		m.mo_id = i == 0 ? 0 : 100 + i;
		snprintf(m.dest, sizeof(m.dest), "62812000000%02d", i);
		snprintf(m.text, sizeof(m.text), "OK. Ref G00%d", i);
		m.created_at = 1780000000 + i;
		assert_int_equal(store_mt_insert(st, &m), STORE_OK);
		id[i] = m.id;
		if (i > 0)
			assert_true(id[i] > id[i - 1]);
	}

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mt_get(st, id[1], &got), STORE_OK);
	assert_int_equal(got.id, id[1]);
	assert_int_equal(got.mo_id, 101);
	assert_string_equal(got.dest, "6281200000001");
	assert_string_equal(got.text, "OK. Ref G001");
	assert_int_equal(got.state, STORE_MT_PENDING);
	assert_int_equal(got.attempts, 0);
	assert_int_equal(got.last_status, 0);
	assert_string_equal(got.message_id, "");
	assert_int_equal(got.created_at, 1780000001);
	assert_int_equal(got.sent_at, 0);
	assert_int_equal(store_mt_get(st, id[0], &got), STORE_OK);
	assert_int_equal(got.mo_id, 0);
	assert_int_equal(store_mt_get(st, 999999, &got), STORE_NOTFOUND);

	/* Paging: two at a time, by id. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_mt_pending(st, 0, 2, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.ids[0], id[0]);
	assert_int_equal(p.ids[1], id[1]);
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_mt_pending(st, id[1], 2, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.ids[0], id[2]);
	assert_int_equal(p.ids[1], id[3]);
	memset(&p, 0, sizeof(p));
	assert_int_equal(store_mt_pending(st, id[5], 2, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(store_mt_pending(st, 0, 0, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 0);

	/* Sent, failed, retried. */
	assert_int_equal(store_mt_mark_sent(st, id[2], "msg-0002", 1780000100),
	    STORE_OK);
	assert_int_equal(store_mt_get(st, id[2], &got), STORE_OK);
	assert_int_equal(got.state, STORE_MT_SENT);
	assert_string_equal(got.message_id, "msg-0002");
	assert_int_equal(got.sent_at, 1780000100);
	assert_int_equal(store_mt_mark_failed(st, id[3], 0x45, 1780000200),
	    STORE_OK);
	assert_int_equal(store_mt_get(st, id[3], &got), STORE_OK);
	assert_int_equal(got.state, STORE_MT_FAILED);
	assert_int_equal(got.last_status, 0x45);
	assert_int_equal(got.sent_at, 0);
	assert_int_equal(store_mt_attempt(st, id[4], 0x58), STORE_OK);
	assert_int_equal(store_mt_attempt(st, id[4], 0x14), STORE_OK);
	assert_int_equal(store_mt_get(st, id[4], &got), STORE_OK);
	assert_int_equal(got.state, STORE_MT_PENDING);
	assert_int_equal(got.attempts, 2);
	assert_int_equal(got.last_status, 0x14);
	assert_int_equal(store_mt_mark_sent(st, 999999, "x", 1),
	    STORE_NOTFOUND);
	assert_int_equal(store_mt_mark_failed(st, 999999, 1, 1),
	    STORE_NOTFOUND);
	assert_int_equal(store_mt_attempt(st, 999999, 1), STORE_NOTFOUND);
	memset(&m, 0, sizeof(m));
	m.state = (enum store_mt_state)7;
	assert_int_equal(store_mt_insert(st, &m), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "state 7"));

	memset(&p, 0, sizeof(p));
	assert_int_equal(store_mt_pending(st, 0, 10, collect_mt, &p),
	    STORE_OK);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.ids[0], id[0]);
	assert_int_equal(p.ids[1], id[1]);
	assert_int_equal(p.ids[2], id[4]);
	assert_int_equal(p.ids[3], id[5]);

	assert_int_equal(store_mt_count(st, STORE_MT_PENDING, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_mt_count(st, STORE_MT_SENT, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_mt_count(st, STORE_MT_FAILED, &n), STORE_OK);
	assert_int_equal(n, 1);
}

/*
 * The daemon's batch: one transaction, a savepoint per MO; rolling one
 * MO back keeps the others, sequence numbers included.
 */
static void
test_savepoint(void **state)
{
	struct store		*st = fx_store(state);
	struct store_companion	 c;
	struct store_record	 r;
	struct store_mo		 mo;
	struct store_mt		 mt;
	int			 n;

	add_companion(st, "C001", "6281200000001");
	assert_int_equal(store_begin(st), STORE_OK);

	/* MO 1: kept. */
	assert_int_equal(store_savepoint(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	assert_int_equal(store_release(st), STORE_OK);

	/* MO 2: undone, all of it. */
	assert_int_equal(store_savepoint(st), STORE_OK);
	memset(&mo, 0, sizeof(mo));
	strcpy(mo.sender, "6281200000001");
	strcpy(mo.dest, "94500");
	strcpy(mo.text, "GRAD 2");
	assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "2", 0, "2026-01-01", 101);
	insert_ok(st, &r, "G002");
	memset(&mt, 0, sizeof(mt));
	strcpy(mt.dest, "6281200000001");
	strcpy(mt.text, "OK");
	assert_int_equal(store_mt_insert(st, &mt), STORE_OK);
	add_companion(st, "C002", "6281200000002");
	assert_int_equal(store_rollback_to(st), STORE_OK);

	/* MO 3: kept, and takes G002 again. */
	assert_int_equal(store_savepoint(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "3", 0, "2026-01-01", 102);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_release(st), STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);

	assert_int_equal(store_companion_get(st, "C002", &c), STORE_NOTFOUND);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    ~0u, &n), STORE_OK);
	assert_int_equal(n, 2);
	r = make_rec(STORE_KIND_GRAD, "C001", "2", 0, "2026-01-01", 101);
	assert_int_equal(store_record_find_key(st, &r, &r), STORE_NOTFOUND);
	assert_int_equal(store_mt_count(st, STORE_MT_PENDING, &n), STORE_OK);
	assert_int_equal(n, 0);

	/* A plain rollback undoes the whole batch. */
	assert_int_equal(store_begin(st), STORE_OK);
	add_companion(st, "C003", "6281200000003");
	r = make_rec(STORE_KIND_GRAD, "C001", "4", 0, "2026-01-01", 103);
	insert_ok(st, &r, "G003");
	assert_int_equal(store_rollback(st), STORE_OK);
	assert_int_equal(store_companion_get(st, "C003", &c), STORE_NOTFOUND);
	insert_ok(st, &r, "G003");
	/* With no transaction open, rollback has nothing to do. */
	assert_int_equal(store_rollback(st), STORE_OK);
	/* A commit without one is an error with a reason. */
	assert_int_equal(store_commit(st), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "commit"));
}

/* Fields at their maximum come back whole; UTF-8 survives. */
static void
test_bounds(void **state)
{
	struct store		*st = fx_store(state);
	struct store_kpm	 k, kg;
	struct store_mt		 m, mg;
	size_t			 i;

	add_companion(st, "C001", "6281200000001");
	memset(&k, 0, sizeof(k));
	memset(k.id, '7', STORE_ID_MAX);
	memset(k.name, 'n', STORE_NAME_MAX);
	memset(k.phone, '6', STORE_PHONE_MAX);
	strcpy(k.companion_id, "C001");
	assert_int_equal(store_kpm_put(st, &k), STORE_OK);
	assert_int_equal(store_kpm_get(st, k.id, &kg), STORE_OK);
	assert_int_equal(strlen(kg.id), STORE_ID_MAX);
	assert_string_equal(kg.name, k.name);
	assert_string_equal(kg.phone, k.phone);

	/* 512 two-byte characters: exactly STORE_TEXT_MAX bytes. */
	memset(&m, 0, sizeof(m));
	for (i = 0; i + 2 <= STORE_TEXT_MAX; i += 2)
		memcpy(m.text + i, "\xc3\xa9", 2);	/* é */
	strcpy(m.dest, "6281200000001");
	memset(m.message_id, 'm', STORE_MSGID_MAX);
	assert_int_equal(store_mt_insert(st, &m), STORE_OK);
	assert_int_equal(store_mt_get(st, m.id, &mg), STORE_OK);
	assert_int_equal(strlen(mg.text), STORE_TEXT_MAX);
	assert_string_equal(mg.text, m.text);
	assert_string_equal(mg.message_id, m.message_id);
}

/* Reopen a file: data kept, no migration reapplied, sequence goes on. */
static void
test_file_reopen(void **state)
{
	struct fixture		*f = *state;
	struct store_record	 r;
	struct store_companion	 c;
	char			 err[256];
	int			 version;

	add_companion(f->st, "C001", "6281200000001");
	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(f->st, &r, "G001");
	version = store_schema_version(f->st);
	store_close(f->st);
	f->st = NULL;

	assert_int_equal(store_open(f->path, NULL, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(f->st), version);
	assert_int_equal(store_companion_get(f->st, "C001", &c), STORE_OK);
	assert_int_equal(store_record_by_ref(f->st, "C001", "G001", &r),
	    STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "2", 0, "2026-01-01", 100);
	insert_ok(f->st, &r, "G002");
	store_close(f->st);
	f->st = NULL;

	/* Twice, with options this time. */
	{
		struct store_options	o = { STORE_SYNC_FULL, 100 };

		assert_int_equal(store_open(f->path, &o, &f->st, err,
		    sizeof(err)), STORE_OK);
	}
	assert_int_equal(store_schema_version(f->st), version);
	assert_int_equal(store_record_by_ref(f->st, "C001", "G002", &r),
	    STORE_OK);
}

/* The database and its WAL are 0600 whatever the umask. */
static void
test_file_mode(void **state)
{
	struct fixture	*f = *state;
	struct stat	 sb;
	char		 p[160], err[256];
	mode_t		 old;

	/* Recreate the file under a permissive umask. */
	store_close(f->st);
	f->st = NULL;
	fixture_unlink(f);
	old = umask(022);
	assert_int_equal(store_open(f->path, NULL, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(umask(old), 022);	/* and it was restored */
	add_companion(f->st, "C001", "6281200000001");

	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	assert_int_equal(stat(p, &sb), 0);		/* WAL mode is on */
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	if (stat(p, &sb) == 0)
		assert_int_equal(sb.st_mode & 0777, 0600);
}

/* A file from a newer pilar is refused; so is a path that cannot be. */
static void
test_file_errors(void **state)
{
	struct fixture	*f = *state;
	struct store	*st2 = (struct store *)1;
	sqlite3		*db;
	char		 err[256], p[160];

	snprintf(p, sizeof(p), "%s/no/such/dir.db", f->dir);
	assert_int_equal(store_open(p, NULL, &st2, err, sizeof(err)),
	    STORE_ERROR);
	assert_null(st2);
	assert_true(err[0] != '\0');

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE schema_version SET "
	    "version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, NULL, &st2, err, sizeof(err)),
	    STORE_ERROR);
	assert_null(st2);
	assert_non_null(strstr(err, "newer"));
}

#define STORE_TESTS(setup)						\
	cmocka_unit_test_setup_teardown(test_open, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_companion, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_kpm, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_mo, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_record_refs, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_record_ref_growth, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_record_natural_key, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_record_count, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_record_last, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_record_each, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_mt, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_savepoint, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_bounds, setup, teardown)

int
main(void)
{
	const struct CMUnitTest memory_tests[] = {
		STORE_TESTS(setup_memory),
	};
	const struct CMUnitTest file_tests[] = {
		STORE_TESTS(setup_file),
		cmocka_unit_test_setup_teardown(test_file_reopen, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_mode, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup_file,
		    teardown),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store :memory:", memory_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("store file", file_tests, NULL,
	    NULL);
	return failed == 0 ? 0 : 1;
}
