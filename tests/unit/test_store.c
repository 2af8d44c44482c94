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

	assert_int_equal(store_schema_version(st), 9);
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
	char			 owner[STORE_ID_MAX + 1];
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
	assert_int_equal(store_kpm_owner(st, "350103", owner), STORE_OK);
	assert_string_equal(owner, "C002");
	assert_int_equal(store_kpm_owner(st, "999999", owner), STORE_NOTFOUND);

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
	int64_t			 t = 1780000000, g3;

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

	/*
	 * The sequence this connection remembers is forgotten with what a
	 * rollback undoes: the next record takes the number again.
	 */
	g3 = r.id;
	assert_int_equal(store_begin(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C002", "555", GRAMMAR_CAT_SM,
	    "2026-05-13", t + 61);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_rollback(st), STORE_OK);
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_savepoint(st), STORE_OK);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_rollback_to(st), STORE_OK);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_commit(st), STORE_OK);
	assert_int_equal(store_record_cancel(st, r.id, t + 62, "x"), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "444", GRAMMAR_CAT_PK,
	    "2026-05-13", t + 60);
	strcpy(r.note, "pindah kota");
	r.mo_id = 77;
	r.id = g3;

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
	int			 n, v, i;
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
	/* Both at once, as a confirmation shows them. */
	assert_int_equal(store_record_counts(st, "C001", 2026,
	    CAT_BIT(GRAMMAR_CAT_SM) | CAT_BIT(GRAMMAR_CAT_AL), &n, &v),
	    STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(v, 2);
	assert_int_equal(store_record_counts(st, "C001", 2025, all, &n, &v),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v, 0);
	assert_int_equal(store_record_counts(st, "C404", 2026, all, &n, &v),
	    STORE_OK);
	assert_int_equal(n + v, 0);

	/* A cancelled record stops counting. */
	assert_int_equal(store_record_by_ref(st, "C001", "G002", &r),
	    STORE_OK);
	assert_int_equal(store_record_cancel(st, r.id, t + 1, "salah"),
	    STORE_OK);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    CAT_BIT(GRAMMAR_CAT_SM), &n), STORE_OK);
	assert_int_equal(n, 1);
}

/*
 * BATAL without a reference: the companion's latest active record, the
 * one with the highest sequence number, recorded at or after since.
 */
static void
test_record_last(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, got;
	int64_t			 ids[40];
	char			 kpm[16];
	int			 i;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	assert_int_equal(store_record_last(st, "C001", 0, &got),
	    STORE_NOTFOUND);

	r = make_rec(STORE_KIND_GRAD, "C001", "1", 0, "2026-01-01", 100);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C001", "4", 0, "2026-01-01", 150);
	insert_ok(st, &r, "G002");
	r = make_rec(STORE_KIND_VISIT, "C001", "2", 0, "2026-01-01", 200);
	insert_ok(st, &r, "K003");
	r = make_rec(STORE_KIND_VISIT, "C001", "3", 0, "2026-01-01", 200);
	insert_ok(st, &r, "K004");	/* same second: the higher seq wins */
	r = make_rec(STORE_KIND_GRAD, "C002", "5", 0, "2026-01-01", 900);
	insert_ok(st, &r, "G001");

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "K004");
	assert_string_equal(got.kpm_id, "3");
	assert_int_equal(got.recorded_at, 200);
	assert_int_equal(got.cancelled_at, 0);
	assert_int_equal(store_record_last(st, "C001", 200, &got), STORE_OK);
	assert_string_equal(got.ref, "K004");
	assert_int_equal(store_record_last(st, "C001", 201, &got),
	    STORE_NOTFOUND);

	/* Cancelled records are passed over. */
	assert_int_equal(store_record_cancel(st, got.id, 300, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "K003");
	assert_int_equal(store_record_last(st, "C001", 160, &got), STORE_OK);
	assert_string_equal(got.ref, "K003");
	assert_int_equal(store_record_cancel(st, got.id, 300, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 160, &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_record_last(st, "C001", 150, &got), STORE_OK);
	assert_string_equal(got.ref, "G002");
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "G002");

	/* Others' records are not ours, whatever their time. */
	assert_int_equal(store_record_last(st, "C002", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "G001");
	assert_string_equal(got.companion_id, "C002");
	assert_int_equal(store_record_last(st, "C003", 0, &got),
	    STORE_NOTFOUND);

	/* A run of cancelled records is walked past to an active one. */
	r = make_rec(STORE_KIND_GRAD, "C001", "6", 0, "2026-01-01", 400);
	insert_ok(st, &r, "G005");
	for (i = 0; i < 40; i++) {
		snprintf(kpm, sizeof(kpm), "%d", 700 + i);
		r = make_rec(STORE_KIND_VISIT, "C001", kpm, 0, "2026-01-02",
		    500 + i);
		assert_int_equal(store_record_insert(st, &r), STORE_OK);
		ids[i] = r.id;
	}
	for (i = 0; i < 40; i++)
		assert_int_equal(store_record_cancel(st, ids[i], 600,
		    "BATAL"), STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 400, &got), STORE_OK);
	assert_string_equal(got.ref, "G005");
	assert_int_equal(store_record_last(st, "C001", 401, &got),
	    STORE_NOTFOUND);

	/* All cancelled: nothing, however far back. */
	assert_int_equal(store_record_cancel(st, got.id, 700, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 0, &got), STORE_OK);
	assert_string_equal(got.ref, "G002");
	assert_int_equal(store_record_cancel(st, got.id, 700, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_by_ref(st, "C001", "G001", &got),
	    STORE_OK);
	assert_int_equal(store_record_cancel(st, got.id, 700, "BATAL"),
	    STORE_OK);
	assert_int_equal(store_record_last(st, "C001", 0, &got),
	    STORE_NOTFOUND);
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

static int64_t
put_mo(struct store *st, const char *sender, const char *text, int64_t t)
{
	struct store_mo	mo;

	memset(&mo, 0x55, sizeof(mo));
	snprintf(mo.sender, sizeof(mo.sender), "%s", sender);
	snprintf(mo.dest, sizeof(mo.dest), "94500");
	snprintf(mo.text, sizeof(mo.text), "%s", text);
	snprintf(mo.smsc_ref, sizeof(mo.smsc_ref), "ref-%lld", (long long)t);
	mo.received_at = t;
	assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
	assert_int_equal(mo.deliveries, 1);
	return mo.id;
}

/* Redeliveries: the latest MO from a sender with exactly this text. */
static void
test_mo_find_recent(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mo	 got;
	int64_t		 b, e, f, u;
	const char	*s1 = "6281200000001", *s2 = "6281200000002";

	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 0, &got),
	    STORE_NOTFOUND);
	(void)put_mo(st, s1, "GRAD 12345", 1000);
	b = put_mo(st, s1, "GRAD 12345", 1100);
	(void)put_mo(st, s1, "GRAD 12346", 1200);
	(void)put_mo(st, s2, "GRAD 12345", 1300);
	e = put_mo(st, s1, "grad 12345", 1250);

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 0, &got),
	    STORE_OK);
	assert_int_equal(got.id, b);
	assert_string_equal(got.sender, s1);
	assert_string_equal(got.dest, "94500");
	assert_string_equal(got.text, "GRAD 12345");
	assert_string_equal(got.smsc_ref, "ref-1100");
	assert_int_equal(got.received_at, 1100);
	assert_int_equal(got.deliveries, 1);

	/* since is inclusive. */
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 1100,
	    &got), STORE_OK);
	assert_int_equal(got.id, b);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 1101,
	    &got), STORE_NOTFOUND);

	/* Exactly this text: not another case, not another space. */
	assert_int_equal(store_mo_find_recent(st, s1, "grad 12345", 0, &got),
	    STORE_OK);
	assert_int_equal(got.id, e);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345 ", 0,
	    &got), STORE_NOTFOUND);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 1234", 0, &got),
	    STORE_NOTFOUND);
	assert_int_equal(store_mo_find_recent(st, "6281200000003",
	    "GRAD 12345", 0, &got), STORE_NOTFOUND);

	/* The same second: the later row; an earlier time inserted later
	 * (the clock stepped back) does not hide the latest. */
	f = put_mo(st, s1, "GRAD 12345", 1100);
	(void)put_mo(st, s1, "GRAD 12345", 1050);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 0, &got),
	    STORE_OK);
	assert_int_equal(got.id, f);

	/* UTF-8 text, as decoded from UCS-2. */
	u = put_mo(st, s2, "GRAD 12345 \xf0\x9f\x98\x8a", 1400);
	assert_int_equal(store_mo_find_recent(st, s2,
	    "GRAD 12345 \xf0\x9f\x98\x8a", 1300, &got), STORE_OK);
	assert_int_equal(got.id, u);

	/* Redeliveries are counted on the row. */
	assert_int_equal(store_mo_redelivered(st, f), STORE_OK);
	assert_int_equal(store_mo_redelivered(st, f), STORE_OK);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 0, &got),
	    STORE_OK);
	assert_int_equal(got.id, f);
	assert_int_equal(got.deliveries, 3);
	assert_int_equal(store_mo_find_recent(st, s1, "GRAD 12345", 1000,
	    &got), STORE_OK);
	assert_int_equal(got.deliveries, 3);
	assert_int_equal(store_mo_redelivered(st, 999999), STORE_NOTFOUND);
	assert_non_null(strstr(store_errmsg(st), "999999"));
}

static int64_t
put_mt(struct store *st, int64_t mo_id, const char *text)
{
	struct store_mt	mt;

	memset(&mt, 0, sizeof(mt));
	mt.mo_id = mo_id;
	snprintf(mt.dest, sizeof(mt.dest), "6281200000001");
	snprintf(mt.text, sizeof(mt.text), "%s", text);
	mt.created_at = 1780000000;
	assert_int_equal(store_mt_insert(st, &mt), STORE_OK);
	return mt.id;
}

/*
 * Many SENT fates at once, as a batch applies them: the same rows as
 * one by one, over more than one statement's worth, with an unknown MT
 * and one named twice (the last message id stays), an empty message id
 * stored as none.
 */
static void
test_mt_sent_many(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mt	 m, got;
	int64_t		 ids[40];
	char		 buf[40][16];
	const char	*msgids[40];
	int		 found[40], i;

	for (i = 0; i < 37; i++) {
		memset(&m, 0, sizeof(m));
		snprintf(m.dest, sizeof(m.dest), "62812000000%02d", i);
		snprintf(m.text, sizeof(m.text), "OK %d", i);
		m.state = STORE_MT_PENDING;
		m.created_at = 1780000000;
		assert_int_equal(store_mt_insert(st, &m), STORE_OK);
		ids[i] = m.id;
		snprintf(buf[i], sizeof(buf[i]), "m%d", i);
		msgids[i] = buf[i];
	}
	msgids[3] = "";
	ids[37] = 999999;
	msgids[37] = "none";
	ids[38] = ids[5];
	msgids[38] = "again";
	ids[39] = ids[6];
	msgids[39] = NULL;
	assert_int_equal(store_mt_mark_sent_many(st, 40, ids, msgids,
	    1780000100, found), STORE_OK);
	for (i = 0; i < 40; i++)
		assert_int_equal(found[i], i == 37 ? STORE_NOTFOUND :
		    STORE_OK);
	for (i = 0; i < 37; i++) {
		assert_int_equal(store_mt_get(st, ids[i], &got), STORE_OK);
		assert_int_equal(got.state, STORE_MT_SENT);
		assert_int_equal(got.sent_at, 1780000100);
		assert_string_equal(got.message_id, i == 3 || i == 6 ? "" :
		    i == 5 ? "again" : buf[i]);
	}
	assert_int_equal(store_mt_mark_sent_many(st, 0, ids, msgids, 1,
	    found), STORE_OK);
}

static void
test_mt_by_mo(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mt	 got;
	int64_t		 a, b, c;

	assert_int_equal(store_mt_by_mo(st, 10, &got), STORE_NOTFOUND);
	a = put_mt(st, 10, "first");
	b = put_mt(st, 11, "other");
	(void)put_mt(st, 0, "broadcast");
	c = put_mt(st, 10, "second");
	assert_true(a < c);

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mt_by_mo(st, 10, &got), STORE_OK);
	assert_int_equal(got.id, c);
	assert_int_equal(got.mo_id, 10);
	assert_string_equal(got.text, "second");
	assert_int_equal(got.state, STORE_MT_PENDING);
	assert_int_equal(got.receipt, STORE_RCPT_NONE);
	assert_int_equal(got.receipt_at, 0);
	assert_int_equal(store_mt_by_mo(st, 11, &got), STORE_OK);
	assert_int_equal(got.id, b);
	assert_int_equal(store_mt_by_mo(st, 12, &got), STORE_NOTFOUND);
	/* 0 is "no MO": an MT made by no SMS answers nobody. */
	assert_int_equal(store_mt_by_mo(st, 0, &got), STORE_NOTFOUND);

	/* Whatever became of it. */
	assert_int_equal(store_mt_mark_sent(st, c, "m-1", 1780000001),
	    STORE_OK);
	assert_int_equal(store_mt_by_mo(st, 10, &got), STORE_OK);
	assert_int_equal(got.id, c);
	assert_int_equal(got.state, STORE_MT_SENT);
}

static int
collect_mt_any(void *arg, const struct store_mt *m)
{
	struct store_mt	*out = arg;

	*out = *m;
	return 0;
}

static void
test_mt_receipt(void **state)
{
	struct store		*st = fx_store(state);
	struct store_mt		 got;
	const char		*ids[4];
	char			 longid[STORE_MSGID_MAX + 8];
	int64_t			 a, b, c, d, e, mt_id;
	int			 n;

	a = put_mt(st, 1, "a");
	b = put_mt(st, 2, "b");
	c = put_mt(st, 3, "c");		/* stays pending: no message id */
	d = put_mt(st, 4, "d");
	assert_int_equal(store_mt_mark_sent(st, a, "abc123DEF", 100),
	    STORE_OK);
	assert_int_equal(store_mt_mark_sent(st, b, "0A1B2C", 101), STORE_OK);
	/* The SMSC reused a's id, in another case, for a later MT. */
	assert_int_equal(store_mt_mark_sent(st, d, "ABC123def", 102),
	    STORE_OK);

	/* Any case; the latest MT with that id wins. */
	ids[0] = "abc123def";
	mt_id = -1;
	assert_int_equal(store_mt_receipt(st, ids, 1, STORE_RCPT_DELIVERED,
	    200, &mt_id), STORE_OK);
	assert_int_equal(mt_id, d);
	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mt_get(st, d, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_DELIVERED);
	assert_int_equal(got.receipt_at, 200);
	assert_int_equal(got.state, STORE_MT_SENT);
	assert_string_equal(got.message_id, "ABC123def");
	assert_int_equal(store_mt_get(st, a, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_NONE);
	assert_int_equal(got.receipt_at, 0);

	/* Any of the forms: here the second. */
	ids[0] = "nope";
	ids[1] = "0a1b2c";
	assert_int_equal(store_mt_receipt(st, ids, 2, STORE_RCPT_ACCEPTED,
	    201, &mt_id), STORE_OK);
	assert_int_equal(mt_id, b);
	/* A later receipt replaces the earlier state. */
	ids[0] = "0A1B2C";
	assert_int_equal(store_mt_receipt(st, ids, 1,
	    STORE_RCPT_UNDELIVERABLE, 202, &mt_id), STORE_OK);
	assert_int_equal(mt_id, b);
	assert_int_equal(store_mt_get(st, b, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_UNDELIVERABLE);
	assert_int_equal(got.receipt_at, 202);

	/* Forms that match different MTs: the latest of them. */
	ids[0] = "0a1b2c";
	ids[1] = "x";
	ids[2] = "abc123def";
	assert_int_equal(store_mt_receipt(st, ids, 3, STORE_RCPT_EXPIRED,
	    203, &mt_id), STORE_OK);
	assert_int_equal(mt_id, d);
	assert_int_equal(store_mt_get(st, d, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_EXPIRED);
	assert_int_equal(store_mt_get(st, b, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_UNDELIVERABLE);

	/* Nothing matches: no change, mt_id 0. */
	ids[0] = "abc123de";
	ids[1] = "";
	ids[2] = "abc123def0";
	mt_id = -1;
	assert_int_equal(store_mt_receipt(st, ids, 3, STORE_RCPT_DELIVERED,
	    204, &mt_id), STORE_NOTFOUND);
	assert_int_equal(mt_id, 0);
	assert_int_equal(store_mt_receipt(st, ids, 0, STORE_RCPT_DELIVERED,
	    204, &mt_id), STORE_NOTFOUND);
	/* An empty form matches no MT, not even one without an id. */
	ids[0] = "";
	assert_int_equal(store_mt_receipt(st, ids, 1, STORE_RCPT_DELIVERED,
	    204, &mt_id), STORE_NOTFOUND);
	assert_int_equal(store_mt_get(st, c, &got), STORE_OK);
	assert_int_equal(got.receipt, STORE_RCPT_NONE);
	/* At most STORE_RCPT_IDS_MAX forms. */
	ids[0] = ids[1] = ids[2] = ids[3] = "0a1b2c";
	assert_int_equal(store_mt_receipt(st, ids, STORE_RCPT_IDS_MAX + 1,
	    STORE_RCPT_DELIVERED, 204, &mt_id), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(st), "forms"));

	/* The longest id matches; a longer form is no overrun. */
	memset(longid, 'f', sizeof(longid));
	longid[STORE_MSGID_MAX] = '\0';
	e = put_mt(st, 5, "e");
	assert_int_equal(store_mt_mark_sent(st, e, longid, 300), STORE_OK);
	longid[0] = 'F';
	ids[0] = longid;
	assert_int_equal(store_mt_receipt(st, ids, 1, STORE_RCPT_DELIVERED,
	    301, &mt_id), STORE_OK);
	assert_int_equal(mt_id, e);
	longid[STORE_MSGID_MAX] = 'f';
	longid[STORE_MSGID_MAX + 1] = '\0';
	assert_int_equal(store_mt_receipt(st, ids, 1, STORE_RCPT_DELIVERED,
	    302, &mt_id), STORE_NOTFOUND);

	/* The pending page reads the new columns too. */
	memset(&got, 0x55, sizeof(got));
	assert_int_equal(store_mt_pending(st, 0, 10, collect_mt_any, &got),
	    STORE_OK);
	assert_int_equal(got.id, c);
	assert_int_equal(got.receipt, STORE_RCPT_NONE);
	assert_int_equal(got.receipt_at, 0);
	assert_int_equal(store_mt_count(st, STORE_MT_PENDING, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_mt_count(st, STORE_MT_SENT, &n), STORE_OK);
	assert_int_equal(n, 4);
}

/*
 * The counts kept in tallies against the records themselves: a count
 * from store_record_each() of the active records, by brute force.
 */
#define TALLY_COMPANIONS	3
#define TALLY_YEAR0		2025
#define TALLY_YEARS		3

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

static void
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

/* Both counts, and the same from store_record_count() (no memory). */
static void
counts_are(struct store *st, int year, unsigned mask, int grad, int visits)
{
	int	g, v, n;

	assert_int_equal(store_record_counts(st, "C001", year, mask, &g, &v),
	    STORE_OK);
	assert_int_equal(g, grad);
	assert_int_equal(v, visits);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, year,
	    mask, &n), STORE_OK);
	assert_int_equal(n, grad);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_VISIT,
	    year, 0, &n), STORE_OK);
	assert_int_equal(n, visits);
}

/*
 * The counts a transaction remembers follow its inserts, and forget
 * what a cancellation, a rollback to a savepoint or a rollback changed.
 */
static void
test_record_counts_cached(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 r, sm;
	const unsigned		 mask = CAT_BIT(GRAMMAR_CAT_SM);
	int64_t			 t = 1780000000;

	add_companion(st, "C001", "6281200000001");
	assert_int_equal(store_begin(st), STORE_OK);
	counts_are(st, 2026, mask, 0, 0);
	sm = make_rec(STORE_KIND_GRAD, "C001", "701", GRAMMAR_CAT_SM,
	    "2026-05-12", t);
	insert_ok(st, &sm, "G001");
	counts_are(st, 2026, mask, 1, 0);
	r = make_rec(STORE_KIND_VISIT, "C001", "702", 0, "2026-05-12", t);
	insert_ok(st, &r, "K002");
	counts_are(st, 2026, mask, 1, 1);
	r = make_rec(STORE_KIND_GRAD, "C001", "703", GRAMMAR_CAT_AL,
	    "2026-05-12", t);
	insert_ok(st, &r, "G003");
	counts_are(st, 2026, mask, 1, 1);
	counts_are(st, 2026, mask | CAT_BIT(GRAMMAR_CAT_AL), 2, 1);
	r = make_rec(STORE_KIND_GRAD, "C001", "704", GRAMMAR_CAT_SM,
	    "2025-12-30", t);
	insert_ok(st, &r, "G004");
	counts_are(st, 2026, mask, 1, 1);
	counts_are(st, 2025, mask, 1, 0);
	assert_int_equal(store_commit(st), STORE_OK);

	assert_int_equal(store_begin(st), STORE_OK);
	counts_are(st, 2026, mask, 1, 1);
	assert_int_equal(store_record_cancel(st, sm.id, t + 1, "x"), STORE_OK);
	counts_are(st, 2026, mask, 0, 1);
	assert_int_equal(store_savepoint(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "705", GRAMMAR_CAT_SM,
	    "2026-05-13", t);
	insert_ok(st, &r, "G005");
	counts_are(st, 2026, mask, 1, 1);
	assert_int_equal(store_rollback_to(st), STORE_OK);
	counts_are(st, 2026, mask, 0, 1);
	insert_ok(st, &r, "G005");
	counts_are(st, 2026, mask, 1, 1);
	assert_int_equal(store_rollback(st), STORE_OK);
	assert_int_equal(store_begin(st), STORE_OK);
	counts_are(st, 2026, mask, 1, 1);
	assert_int_equal(store_commit(st), STORE_OK);

	/* An insert in a transaction of its own counts too. */
	r = make_rec(STORE_KIND_GRAD, "C001", "706", GRAMMAR_CAT_SM,
	    "2026-05-14", t);
	insert_ok(st, &r, "G005");
	assert_int_equal(store_begin(st), STORE_OK);
	counts_are(st, 2026, mask, 2, 1);
	assert_int_equal(store_commit(st), STORE_OK);
}

static void
test_tallies(void **state)
{
	static const int	 cats[] = {
		GRAMMAR_CAT_SM, GRAMMAR_CAT_AL, GRAMMAR_CAT_PK
	};
	struct store		*st = fx_store(state);
	struct store_record	*recs, r;
	char			 comp[8], kpm[16], date[11];
	unsigned		 x = 12345;
	int			 i, n = 0, dups = 0, rc;

	recs = calloc(240, sizeof(*recs));
	assert_non_null(recs);
	for (i = 1; i <= TALLY_COMPANIONS; i++) {
		snprintf(comp, sizeof(comp), "C%03d", i);
		snprintf(kpm, sizeof(kpm), "62812000000%02d", i);
		add_companion(st, comp, kpm);
	}
	tally_check(st);

	/*
	 * Inserts over companions, years, kinds and categories; KPM and
	 * days repeat, so some are duplicates, which change nothing.
	 */
	for (i = 0; i < 240; i++) {
		x = x * 1103515245u + 12345u;
		snprintf(comp, sizeof(comp), "C%03d",
		    1 + (int)((x >> 8) % TALLY_COMPANIONS));
		snprintf(date, sizeof(date), "%d-0%d-1%d",
		    TALLY_YEAR0 + (int)((x >> 12) % TALLY_YEARS),
		    1 + (int)((x >> 16) % 9), (int)((x >> 20) % 10));
		snprintf(kpm, sizeof(kpm), "%d", 500 + (int)((x >> 4) % 60));
		r = make_rec((x >> 24) & 1 ? STORE_KIND_GRAD :
		    STORE_KIND_VISIT, comp, kpm, cats[(x >> 26) % 3], date,
		    1000 + i);
		rc = store_record_insert(st, &r);
		assert_true(rc == STORE_OK || rc == STORE_EXISTS);
		if (rc == STORE_OK)
			recs[n++] = r;
		else
			dups++;
	}
	assert_true(n > 100);
	assert_true(dups > 10);
	tally_check(st);

	/* Cancel every third; a second cancel changes nothing. */
	for (i = 0; i < n; i += 3)
		assert_int_equal(store_record_cancel(st, recs[i].id, 5000,
		    "x"), STORE_OK);
	tally_check(st);
	for (i = 0; i < n; i += 3)
		assert_int_equal(store_record_cancel(st, recs[i].id, 5001,
		    "x"), STORE_NOTFOUND);
	tally_check(st);

	/*
	 * Their keys are free again: insert them anew, counted toward
	 * another year and (graduations) another category.
	 */
	for (i = 0; i < n; i += 3) {
		r = recs[i];
		r.year = TALLY_YEAR0 + (r.year - TALLY_YEAR0 + 1) % TALLY_YEARS;
		if (r.kind == STORE_KIND_GRAD)
			r.category = r.category == GRAMMAR_CAT_PK ?
			    GRAMMAR_CAT_SM : r.category + 1;
		assert_int_equal(store_record_insert(st, &r), STORE_OK);
		assert_true(r.id > recs[n - 1].id);
	}
	tally_check(st);

	/* The same keys again: duplicates now. */
	for (i = 0; i < n; i += 3) {
		r = recs[i];
		assert_int_equal(store_record_insert(st, &r), STORE_EXISTS);
	}
	tally_check(st);

	/* A savepoint rolled back takes its counts with it. */
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_savepoint(st), STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C002", "999", GRAMMAR_CAT_AL,
	    "2026-06-01", 9000);
	assert_int_equal(store_record_insert(st, &r), STORE_OK);
	assert_int_equal(store_record_cancel(st, recs[1].id, 9001, "x"),
	    STORE_OK);
	assert_int_equal(store_rollback_to(st), STORE_OK);
	assert_int_equal(store_savepoint(st), STORE_OK);
	assert_int_equal(store_record_cancel(st, recs[2].id, 9002, "x"),
	    STORE_OK);
	assert_int_equal(store_release(st), STORE_OK);
	assert_int_equal(store_commit(st), STORE_OK);
	tally_check(st);
	free(recs);
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
		struct store_options	o = { STORE_SYNC_FULL, 100, 0 };

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

/*
 * A version 1 database as pilar shipped it (migration 1 of commit
 * d22158d), written here by hand: a fixture of what is in the field,
 * never to be kept in step with store_sqlite.c.
 */
static const char v1_schema[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);"
	"INSERT INTO schema_version (version) VALUES (1);"
	"CREATE TABLE companions ("
	"  id TEXT PRIMARY KEY NOT NULL, phone TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL DEFAULT '', timezone TEXT NOT NULL DEFAULT '',"
	"  language TEXT NOT NULL DEFAULT 'id',"
	"  active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL"
	"    DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))"
	") WITHOUT ROWID;"
	"CREATE INDEX companions_by_phone"
	"  ON companions (phone, active, name, timezone, language);"
	"CREATE TABLE kpm ("
	"  id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL DEFAULT '',"
	"  phone TEXT, companion_id TEXT NOT NULL REFERENCES companions (id),"
	"  opted_out INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE INDEX kpm_phone ON kpm (phone) WHERE phone IS NOT NULL;"
	"CREATE INDEX kpm_companion ON kpm (companion_id);"
	"CREATE TABLE mo ("
	"  id INTEGER PRIMARY KEY, sender TEXT NOT NULL, dest TEXT NOT NULL,"
	"  text TEXT NOT NULL, smsc_ref TEXT, received_at INTEGER NOT NULL);"
	"CREATE TABLE records ("
	"  id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, ref TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('G', 'K')),"
	"  companion_id TEXT NOT NULL REFERENCES companions (id),"
	"  kpm_id TEXT NOT NULL, category INTEGER NOT NULL, note TEXT,"
	"  event_date TEXT NOT NULL, year INTEGER NOT NULL,"
	"  tz_offset INTEGER NOT NULL, recorded_at INTEGER NOT NULL,"
	"  mo_id INTEGER, cancelled_at INTEGER, cancel_reason TEXT);"
	"CREATE UNIQUE INDEX records_seq ON records (companion_id, seq);"
	"CREATE UNIQUE INDEX records_grad_key ON records (kpm_id)"
	"  WHERE kind = 'G' AND cancelled_at IS NULL;"
	"CREATE UNIQUE INDEX records_visit_key"
	"  ON records (companion_id, kpm_id, event_date)"
	"  WHERE kind = 'K' AND cancelled_at IS NULL;"
	"CREATE INDEX records_count"
	"  ON records (companion_id, kind, year, category, cancelled_at)"
	"  WHERE cancelled_at IS NULL;"
	"CREATE INDEX records_last ON records (companion_id, recorded_at)"
	"  WHERE cancelled_at IS NULL;"
	"CREATE TABLE mt ("
	"  id INTEGER PRIMARY KEY, mo_id INTEGER, dest TEXT NOT NULL,"
	"  text TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_status INTEGER NOT NULL DEFAULT 0, message_id TEXT,"
	"  created_at INTEGER NOT NULL, sent_at INTEGER, failed_at INTEGER);"
	"CREATE INDEX mt_state ON mt (state, id);";

/* Its data: what a year of use leaves, cancellations included. */
static const char v1_data[] =
	"INSERT INTO companions (id, phone, name, timezone) VALUES"
	"  ('C001', '6281200000001', 'Siti', 'Asia/Makassar'),"
	"  ('C002', '6281200000002', 'Budi', 'Asia/Jakarta');"
	"INSERT INTO kpm (id, name, phone, companion_id) VALUES"
	"  ('12345', 'Keluarga A', '6285700000001', 'C001'),"
	"  ('12346', 'Keluarga B', NULL, 'C002');"
	"INSERT INTO mo (id, sender, dest, text, smsc_ref, received_at) VALUES"
	"  (1, '6281200000001', '94500', 'GRAD 1', 'r1', 1000),"
	"  (2, '6281200000001', '94500', 'GRAD 2', NULL, 1100),"
	"  (3, '6281200000002', '94500', 'KUNJ 5', NULL, 1200);"
	"INSERT INTO records (id, seq, ref, kind, companion_id, kpm_id,"
	"  category, event_date, year, tz_offset, recorded_at, mo_id,"
	"  cancelled_at, cancel_reason) VALUES"
	"  (1, 1, 'G001', 'G', 'C001', '1', 0, '2025-12-30', 2025, 28800,"
	"   1000, 1, NULL, NULL),"
	"  (2, 2, 'G002', 'G', 'C001', '2', 0, '2026-01-02', 2026, 28800,"
	"   1100, 2, NULL, NULL),"
	"  (3, 3, 'G003', 'G', 'C001', '3', 1, '2026-01-03', 2026, 28800,"
	"   1150, NULL, NULL, NULL),"
	"  (4, 4, 'G004', 'G', 'C001', '4', 2, '2026-01-04', 2026, 28800,"
	"   1160, NULL, NULL, NULL),"
	"  (5, 5, 'G005', 'G', 'C001', '5', 0, '2026-01-05', 2026, 28800,"
	"   1170, NULL, 1180, 'BATAL by SMS'),"
	"  (6, 6, 'K006', 'K', 'C001', '1', -1, '2026-01-06', 2026, 28800,"
	"   1190, NULL, NULL, NULL),"
	"  (7, 7, 'K007', 'K', 'C001', '1', -1, '2026-01-07', 2026, 28800,"
	"   1195, NULL, 1196, 'x'),"
	"  (8, 1, 'K001', 'K', 'C002', '5', -1, '2026-01-01', 2026, 25200,"
	"   1200, 3, NULL, NULL),"
	"  (9, 2, 'G002', 'G', 'C002', '6', 0, '2026-01-02', 2026, 25200,"
	"   1210, NULL, NULL, NULL);"
	"INSERT INTO mt (id, mo_id, dest, text, state, attempts, last_status,"
	"  message_id, created_at, sent_at, failed_at) VALUES"
	"  (1, 1, '6281200000001', 'OK 1', 1, 1, 0, 'a1B2', 1000, 1001, NULL),"
	"  (2, 2, '6281200000001', 'OK 2', 0, 0, 0, NULL, 1100, NULL, NULL),"
	"  (3, 3, '6281200000002', 'OK 3', 2, 3, 69, NULL, 1200, NULL, 1300),"
	"  (4, NULL, '6281200000002', 'Info', 0, 0, 0, NULL, 1400, NULL,"
	"   NULL);";

/*
 * The shape of the schema, one line per fact: objects, columns (type,
 * NOT NULL, default, key), index keys with their collation, which
 * indexes are unique or partial, and the triggers' text.  The text of a
 * CREATE TABLE is left out: the fixture's spacing is not the shipped one.
 */
static void
schema_dump(const char *path, char *out, size_t outsz)
{
	static const char *const q[] = {
		"SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name",
		"SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", "
		"p.dflt_value, p.pk FROM sqlite_schema m, "
		"pragma_table_info(m.name) p WHERE m.type = 'table' "
		"ORDER BY 1, 2",
		"SELECT m.name, x.seqno, x.name, x.\"desc\", x.coll, x.key "
		"FROM sqlite_schema m, pragma_index_xinfo(m.name) x "
		"WHERE m.type = 'index' ORDER BY 1, 2",
		"SELECT m.name, l.name, l.\"unique\", l.origin, l.partial "
		"FROM sqlite_schema m, pragma_index_list(m.name) l "
		"WHERE m.type = 'table' ORDER BY 1, 2",
		"SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' "
		"ORDER BY name",
	};
	sqlite3		*db;
	sqlite3_stmt	*s;
	size_t		 n = 0, i;
	int		 col;

	out[0] = '\0';
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		assert_int_equal(sqlite3_prepare_v2(db, q[i], -1, &s, NULL),
		    SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (col = 0; col < sqlite3_column_count(s); col++) {
				const unsigned char *v;

				v = sqlite3_column_text(s, col);
				n += (size_t)snprintf(out + n, outsz - n,
				    "%s|", v == NULL ? "NULL" :
				    (const char *)v);
				assert_true(n < outsz);
			}
			n += (size_t)snprintf(out + n, outsz - n, "\n");
			assert_true(n < outsz);
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

/*
 * Two connections, as pilard and pilarctl: what one commits, the
 * other's companion cache does not hide, whether it looks a phone up
 * in a transaction or outside one, found or not found before.  And the
 * writer with background checkpoints: they run, and the WAL starts over
 * instead of growing with every commit.
 */
static void
test_file_two_connections(void **state)
{
	struct fixture		*f = *state;
	struct store_options	 o = { STORE_SYNC_NORMAL, 1000, 16 };
	struct store		*w;
	struct store_companion	 c;
	struct store_record	 r;
	struct store_mo		 mo;
	struct stat		 sb;
	char			 err[256], wal[160];
	long			 runs, failures;
	int			 i;

	assert_int_equal(store_open(f->path, &o, &w, err, sizeof(err)),
	    STORE_OK);
	add_companion(f->st, "C001", "6281200000001");
	assert_int_equal(store_companion_by_phone(w, "6281200000001", &c),
	    STORE_OK);
	assert_int_equal(store_companion_by_phone(w, "6281200000002", &c),
	    STORE_NOTFOUND);

	/* Another connection deactivates one and adds the other. */
	assert_int_equal(store_companion_get(f->st, "C001", &c), STORE_OK);
	c.active = 0;
	assert_int_equal(store_companion_update(f->st, &c), STORE_OK);
	add_companion(f->st, "C002", "6281200000002");
	assert_int_equal(store_companion_by_phone(w, "6281200000001", &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_begin(w), STORE_OK);
	assert_int_equal(store_companion_by_phone(w, "6281200000002", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C002");
	assert_int_equal(store_commit(w), STORE_OK);

	/* A change of phone, seen inside the next transaction. */
	c.active = 1;
	snprintf(c.phone, sizeof(c.phone), "6281200000003");
	assert_int_equal(store_companion_update(f->st, &c), STORE_OK);
	assert_int_equal(store_begin(w), STORE_OK);
	assert_int_equal(store_companion_by_phone(w, "6281200000002", &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_companion_by_phone(w, "6281200000003", &c),
	    STORE_OK);
	assert_int_equal(store_commit(w), STORE_OK);

	/* A sequence number the other connection took is not taken again. */
	r = make_rec(STORE_KIND_GRAD, "C002", "601", GRAMMAR_CAT_SM,
	    "2026-05-12", 1780000000);
	insert_ok(w, &r, "G001");
	r = make_rec(STORE_KIND_GRAD, "C002", "602", GRAMMAR_CAT_SM,
	    "2026-05-12", 1780000000);
	insert_ok(f->st, &r, "G002");
	r = make_rec(STORE_KIND_GRAD, "C002", "603", GRAMMAR_CAT_SM,
	    "2026-05-12", 1780000000);
	assert_int_equal(store_begin(w), STORE_OK);
	insert_ok(w, &r, "G003");
	assert_int_equal(store_commit(w), STORE_OK);

	/*
	 * The redelivery window (in memory on each connection): an MO the
	 * other connection inserts is found, a rolled back one is not, and
	 * a reopened store reads the window back from the table.
	 */
	memset(&mo, 0, sizeof(mo));
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1", 0,
	    &mo), STORE_NOTFOUND);
	snprintf(mo.sender, sizeof(mo.sender), "6281200000009");
	snprintf(mo.dest, sizeof(mo.dest), "1234");
	snprintf(mo.text, sizeof(mo.text), "GRAD 1");
	mo.received_at = 500;
	assert_int_equal(store_mo_insert(f->st, &mo), STORE_OK);
	assert_int_equal(store_begin(w), STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1",
	    400, &mo), STORE_OK);
	assert_int_equal(mo.received_at, 500);
	snprintf(mo.text, sizeof(mo.text), "GRAD 2");
	assert_int_equal(store_mo_insert(w, &mo), STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 2",
	    400, &mo), STORE_OK);
	assert_int_equal(store_rollback(w), STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 2",
	    400, &mo), STORE_NOTFOUND);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1",
	    400, &mo), STORE_OK);
	store_close(w);
	assert_int_equal(store_open(f->path, &o, &w, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1",
	    400, &mo), STORE_OK);
	assert_int_equal(store_mo_find_recent(w, "6281200000009", "GRAD 1",
	    501, &mo), STORE_NOTFOUND);

	/* 16 pages between checkpoints: 400 commits make many. */
	for (i = 0; i < 400; i++) {
		memset(&mo, 0, sizeof(mo));
		snprintf(mo.sender, sizeof(mo.sender), "62812%08d", i);
		snprintf(mo.dest, sizeof(mo.dest), "1234");
		snprintf(mo.text, sizeof(mo.text), "GRAD %d %0200d", i, i);
		mo.received_at = 1000 + i;
		assert_int_equal(store_begin(w), STORE_OK);
		assert_int_equal(store_mo_insert(w, &mo), STORE_OK);
		assert_int_equal(store_commit(w), STORE_OK);
	}
	/* The thread may not have had the CPU yet on a busy machine. */
	for (i = 0; i < 500; i++) {
		store_checkpoint_stats(w, &runs, &failures);
		if (runs > 0)
			break;
		usleep(10000);
	}
	assert_true(runs > 0);
	assert_int_equal(failures, 0);
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	/*
	 * Started over, again and again: the file (overwritten from its
	 * start, not cut) is as long as the WAL ever was, a few restart
	 * points (80 pages) at most.  Without restarts: 4.7 MB.
	 */
	assert_true(sb.st_size < 4096 * 16 * 32);
	store_close(w);
}

/*
 * A version 1 file migrates in place: the data stays, the counts come
 * out of the records as they were, the new columns have their
 * defaults, and the schema is the one a new file gets.
 */
static void
test_file_migrate_v1(void **state)
{
	struct fixture		*f = *state;
	struct store_companion	 c;
	struct store_kpm	 k;
	struct store_record	 r;
	struct store_mo		 mo;
	struct store_mt		 mt;
	struct store_options	 o = { STORE_SYNC_NORMAL, 100, 0 };
	static char		 fresh[32768], migrated[32768];
	const char		*ids[1];
	char			 err[256];
	sqlite3			*db;
	int64_t			 mt_id;
	int			 n;

	/* The fixture's fresh v2 file is the reference schema. */
	store_close(f->st);
	f->st = NULL;
	schema_dump(f->path, fresh, sizeof(fresh));
	fixture_unlink(f);

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1_schema, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1_data, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(f->st), 9);

	/* Data kept. */
	assert_int_equal(store_companion_by_phone(f->st, "6281200000002", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C002");
	assert_int_equal(store_kpm_get(f->st, "12345", &k), STORE_OK);
	assert_string_equal(k.phone, "6285700000001");
	assert_int_equal(store_record_by_ref(f->st, "C001", "G005", &r),
	    STORE_OK);
	assert_int_equal(r.cancelled_at, 1180);
	assert_string_equal(r.cancel_reason, "BATAL by SMS");

	/* Counts from the records: active only, by year and category. */
	tally_check(f->st);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, CAT_BIT(GRAMMAR_CAT_SM), &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2025, ~0u, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_VISIT,
	    2026, 0, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_count(f->st, "C002", STORE_KIND_VISIT,
	    2026, 0, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* New columns: one delivery, no receipt. */
	assert_int_equal(store_mo_find_recent(f->st, "6281200000001",
	    "GRAD 1", 0, &mo), STORE_OK);
	assert_int_equal(mo.id, 1);
	assert_int_equal(mo.deliveries, 1);
	assert_string_equal(mo.smsc_ref, "r1");
	assert_int_equal(store_mo_redelivered(f->st, 1), STORE_OK);
	assert_int_equal(store_mo_find_recent(f->st, "6281200000001",
	    "GRAD 1", 1000, &mo), STORE_OK);
	assert_int_equal(mo.deliveries, 2);
	assert_int_equal(store_mt_get(f->st, 3, &mt), STORE_OK);
	assert_int_equal(mt.state, STORE_MT_FAILED);
	assert_int_equal(mt.last_status, 69);
	assert_int_equal(mt.receipt, STORE_RCPT_NONE);
	assert_int_equal(mt.receipt_at, 0);

	/* The outbox as it was, through the new indexes. */
	assert_int_equal(store_mt_count(f->st, STORE_MT_PENDING, &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_mt_count(f->st, STORE_MT_SENT, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_mt_count(f->st, STORE_MT_FAILED, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	memset(&mt, 0, sizeof(mt));
	assert_int_equal(store_mt_pending(f->st, 2, 10, collect_mt_any, &mt),
	    STORE_OK);
	assert_int_equal(mt.id, 4);
	assert_int_equal(store_mt_by_mo(f->st, 2, &mt), STORE_OK);
	assert_int_equal(mt.id, 2);
	ids[0] = "A1b2";
	assert_int_equal(store_mt_receipt(f->st, ids, 1, STORE_RCPT_DELIVERED,
	    2000, &mt_id), STORE_OK);
	assert_int_equal(mt_id, 1);

	/* Life goes on: sequences, cancels, BATAL. */
	r = make_rec(STORE_KIND_GRAD, "C001", "7", GRAMMAR_CAT_SM,
	    "2026-02-01", 3000);
	insert_ok(f->st, &r, "G008");
	r = make_rec(STORE_KIND_GRAD, "C001", "2", GRAMMAR_CAT_SM,
	    "2026-02-01", 3000);
	assert_int_equal(store_record_insert(f->st, &r), STORE_EXISTS);
	r = make_rec(STORE_KIND_GRAD, "C001", "5", GRAMMAR_CAT_SM,
	    "2026-02-01", 3001);
	insert_ok(f->st, &r, "G009");	/* G005's key was freed by BATAL */
	assert_int_equal(store_record_by_ref(f->st, "C001", "G003", &r),
	    STORE_OK);
	assert_int_equal(store_record_cancel(f->st, r.id, 3002, "x"),
	    STORE_OK);
	tally_check(f->st);
	assert_int_equal(store_record_count(f->st, "C001", STORE_KIND_GRAD,
	    2026, ~0u, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(store_record_last(f->st, "C001", 3000, &r),
	    STORE_OK);
	assert_string_equal(r.ref, "G009");
	assert_int_equal(store_record_last(f->st, "C002", 0, &r), STORE_OK);
	assert_string_equal(r.ref, "G002");

	/* Reopened, nothing more to do; the schema is a new file's. */
	store_close(f->st);
	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(f->st), 9);
	store_close(f->st);
	f->st = NULL;
	schema_dump(f->path, migrated, sizeof(migrated));
	assert_string_equal(migrated, fresh);
	assert_null(strstr(migrated, "records_count"));
	assert_null(strstr(migrated, "records_last"));
	assert_null(strstr(migrated, "mt_state"));
	assert_non_null(strstr(migrated, "table|tallies|tallies|"));
	assert_non_null(strstr(migrated, "mt_message_id|0|message_id|0|NOCASE"));
	assert_int_equal(store_open(f->path, &o, &f->st, err, sizeof(err)),
	    STORE_OK);
}

/* Parts of long MOs, as store_part_list() and friends hand them out. */
struct part_seen {
	int	seqs[8];
	char	text[256];
	int	n;
	int	stop_after;		/* 0: never */
};

static int
collect_parts(void *arg, const struct store_part *p)
{
	struct part_seen	*ps = arg;
	size_t			 len = strlen(ps->text);

	if (ps->n < 8)
		ps->seqs[ps->n] = p->seq;
	ps->n++;
	snprintf(ps->text + len, sizeof(ps->text) - len, "%s",
	    p->text != NULL ? p->text : "");
	return ps->stop_after != 0 && ps->n == ps->stop_after;
}

static struct store_part
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

/*
 * A message of three parts kept out of order: the key refuses a second
 * copy of a part, the list comes in seq order, finishing leaves the
 * parts to recognise redeliveries, forget and purge remove them.
 */
static void
test_parts(void **state)
{
	struct store		*st = fx_store(state);
	struct store_part	 p, key;
	struct part_seen	 ps;
	int64_t			 mo_id;
	int			 n, same, msgs, parts;

	p = make_part("6281200000001", 7, 3, 3, "three", 100);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000001", 7, 3, 1, "one ", 101);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	/* The same part again, whatever its text: refused. */
	assert_int_equal(store_part_insert(st, &p), STORE_EXISTS);
	p.text = "other";
	assert_int_equal(store_part_insert(st, &p), STORE_EXISTS);
	assert_int_equal(store_part_find(st, &p, &same, &mo_id), STORE_OK);
	assert_int_equal(same, 0);
	assert_int_equal(mo_id, 0);
	p.text = "one ";
	assert_int_equal(store_part_find(st, &p, &same, &mo_id), STORE_OK);
	assert_int_equal(same, 1);
	p.seq = 2;
	assert_int_equal(store_part_find(st, &p, &same, &mo_id),
	    STORE_NOTFOUND);

	/* Other messages: another ref, total, sender or dest. */
	p = make_part("6281200000001", 8, 3, 2, "x", 102);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000001", 7, 2, 2, "y", 103);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000002", 7, 3, 2, "z", 104);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000001", 7, 3, 2, "w", 105);
	snprintf(p.dest, sizeof(p.dest), "1718");
	assert_int_equal(store_part_insert(st, &p), STORE_OK);

	key = make_part("6281200000001", 7, 3, 0, NULL, 0);
	assert_int_equal(store_part_count(st, &key, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_part_stats(st, &msgs, &parts), STORE_OK);
	assert_int_equal(msgs, 5);
	assert_int_equal(parts, 6);

	p = make_part("6281200000001", 7, 3, 2, "two ", 106);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(store_part_list(st, &key, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.n, 3);
	assert_int_equal(ps.seqs[0], 1);
	assert_int_equal(ps.seqs[1], 2);
	assert_int_equal(ps.seqs[2], 3);
	assert_string_equal(ps.text, "one two three");
	memset(&ps, 0, sizeof(ps));
	ps.stop_after = 1;
	assert_int_equal(store_part_list(st, &key, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.n, 1);

	/* Finished: no longer pending, still known. */
	assert_int_equal(store_part_finish(st, &key, 42, 200), STORE_OK);
	assert_int_equal(store_part_count(st, &key, &n), STORE_OK);
	assert_int_equal(n, 0);
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(store_part_list(st, &key, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.n, 0);
	p = make_part("6281200000001", 7, 3, 3, "three", 300);
	assert_int_equal(store_part_insert(st, &p), STORE_EXISTS);
	assert_int_equal(store_part_find(st, &p, &same, &mo_id), STORE_OK);
	assert_int_equal(same, 1);
	assert_int_equal(mo_id, 42);
	assert_int_equal(store_part_stats(st, &msgs, &parts), STORE_OK);
	assert_int_equal(msgs, 4);
	assert_int_equal(parts, 4);

	/* Forget: the finished parts go, a pending one stays. */
	assert_int_equal(store_part_insert(st, &(struct store_part){ 0 }),
	    STORE_ERROR);
	assert_int_equal(store_part_forget(st, &key), STORE_OK);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	assert_int_equal(store_part_forget(st, &key), STORE_OK);
	assert_int_equal(store_part_count(st, &key, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* Purge: only what finished before the time given. */
	assert_int_equal(store_part_finish(st, &key, 43, 400), STORE_OK);
	assert_int_equal(store_part_purge(st, 400, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_part_purge(st, 401, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_part_find(st, &p, &same, &mo_id),
	    STORE_NOTFOUND);
}

/* Overdue messages by their first part, oldest first; all pending. */
static int
collect_keys(void *arg, const struct store_part *p)
{
	struct store_part	*keys = arg;
	int			 i;

	for (i = 0; keys[i].total != 0; i++)
		;
	keys[i] = *p;
	return 0;
}

static void
test_parts_expired(void **state)
{
	struct store		*st = fx_store(state);
	struct store_part	 p, keys[8];
	struct part_seen	 ps;

	p = make_part("6281200000001", 1, 3, 2, "b", 50);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000001", 1, 3, 3, "c", 10);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000002", 2, 2, 1, "a", 30);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281200000003", 65535, 255, 255, "z", 90);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	/* Out of range: what no UDH or SAR TLV can carry. */
	p.ref = 65536;
	assert_int_equal(store_part_insert(st, &p), STORE_ERROR);
	p = make_part("6281200000003", 1, 3, 4, "z", 90);
	assert_int_equal(store_part_insert(st, &p), STORE_ERROR);
	p.seq = 0;
	assert_int_equal(store_part_insert(st, &p), STORE_ERROR);

	memset(keys, 0, sizeof(keys));
	assert_int_equal(store_part_expired(st, 31, 8, collect_keys, keys),
	    STORE_OK);
	assert_string_equal(keys[0].sender, "6281200000001");
	assert_int_equal(keys[0].ref, 1);
	assert_int_equal(keys[0].total, 3);
	assert_int_equal(keys[0].seq, 2);		/* parts pending */
	assert_int_equal(keys[0].received_at, 10);
	assert_int_equal(keys[0].sender_ton, 1);
	assert_string_equal(keys[0].dest, "1717");
	assert_null(keys[0].text);
	assert_string_equal(keys[1].sender, "6281200000002");
	assert_int_equal(keys[2].total, 0);
	memset(keys, 0, sizeof(keys));
	assert_int_equal(store_part_expired(st, 1000, 1, collect_keys, keys),
	    STORE_OK);
	assert_int_equal(keys[0].ref, 1);
	assert_int_equal(keys[1].total, 0);
	assert_int_equal(store_part_finish(st, &keys[0], 7, 60), STORE_OK);
	memset(keys, 0, sizeof(keys));
	assert_int_equal(store_part_expired(st, 1000, 8, collect_keys, keys),
	    STORE_OK);
	assert_int_equal(keys[0].ref, 2);
	assert_int_equal(keys[1].ref, 65535);
	assert_int_equal(keys[1].total, 255);

	/* Every pending part, by message then seq. */
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(store_part_pending(st, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.text, "az");
}

/*
 * A part and a long text survive a reopen of the file (the daemon's
 * restart); a savepoint rolled back takes its part with it.
 */
static void
test_parts_durable(void **state)
{
	struct fixture		*f = *state;
	struct store_part	 p, key;
	struct part_seen	 ps;
	static char		 big[STORE_PART_TEXT_MAX + 2];
	char			 err[256];
	int			 n;

	memset(big, 'x', sizeof(big) - 1);
	big[STORE_PART_TEXT_MAX] = '\0';
	p = make_part("6281200000001", 9, 2, 1, big, 10);
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(store_part_insert(f->st, &p), STORE_OK);
	assert_int_equal(store_savepoint(f->st), STORE_OK);
	p.seq = 2;
	p.text = "tail";
	assert_int_equal(store_part_insert(f->st, &p), STORE_OK);
	assert_int_equal(store_rollback_to(f->st), STORE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);
	/* One byte over: refused, nothing stored. */
	big[STORE_PART_TEXT_MAX] = 'x';
	p.text = big;
	assert_int_equal(store_part_insert(f->st, &p), STORE_ERROR);
	big[STORE_PART_TEXT_MAX] = '\0';

	if (f->file) {
		store_close(f->st);
		assert_int_equal(store_open(f->path, NULL, &f->st, err,
		    sizeof(err)), STORE_OK);
	}
	key = make_part("6281200000001", 9, 2, 0, NULL, 0);
	assert_int_equal(store_part_count(f->st, &key, &n), STORE_OK);
	assert_int_equal(n, 1);
	memset(&ps, 0, sizeof(ps));
	ps.stop_after = 1;
	assert_int_equal(store_part_list(f->st, &key, collect_parts, &ps),
	    STORE_OK);
	assert_int_equal(ps.seqs[0], 1);
	assert_int_equal(strlen(ps.text), sizeof(ps.text) - 1);
}

/*
 * store_admin.c: what pilarctl needs.  A companion's region is kept,
 * read by every lookup (store_companion_by_phone() included) and
 * changed by update; an empty phone in an update keeps the stored one.
 */
static void
test_admin_region(void **state)
{
	struct store		*st = fx_store(state);
	struct store_companion	 c;

	memset(&c, 0, sizeof(c));
	strcpy(c.id, "C001");
	strcpy(c.phone, "6281200000001");
	strcpy(c.name, "Sari Wulandari");
	strcpy(c.timezone, "Asia/Jakarta");
	strcpy(c.language, "id");
	strcpy(c.region, "Kab. Sumba Timur");
	c.active = 1;
	assert_int_equal(store_companion_add(st, &c), STORE_OK);
	add_companion(st, "C002", "6281200000002");

	memset(&c, 0x55, sizeof(c));
	assert_int_equal(store_companion_get(st, "C001", &c), STORE_OK);
	assert_string_equal(c.region, "Kab. Sumba Timur");
	assert_int_equal(store_companion_by_phone(st, "6281200000001", &c),
	    STORE_OK);
	assert_string_equal(c.region, "Kab. Sumba Timur");
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	assert_string_equal(c.region, "");

	strcpy(c.region, "Kota Makassar");
	c.phone[0] = '\0';
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_by_phone(st, "6281200000002", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C002");
	assert_string_equal(c.region, "Kota Makassar");
}

static int
collect_kpm_ids(void *arg, const struct store_kpm *k)
{
	char	*buf = arg;

	strcat(buf, k->id);
	strcat(buf, k->opted_out ? "!," : ",");
	return strcmp(k->id, "30002") == 0;	/* stop after 30002 */
}

/* KPM walks by companion and by phone, a phone forgotten, a delete. */
static void
test_admin_kpm(void **state)
{
	struct store		*st = fx_store(state);
	struct store_kpm	 k;
	char			 ids[128];
	int			 n;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	add_kpm(st, "30003", "6285700000001", "C002");
	add_kpm(st, "20001", "6285700000001", "C001");
	add_kpm(st, "20002", "", "C001");
	add_kpm(st, "30001", "6285700000002", "C002");
	add_kpm(st, "30002", "", "C002");
	assert_int_equal(store_kpm_set_optout(st, "6285700000002", 1, &n),
	    STORE_OK);

	ids[0] = '\0';
	assert_int_equal(store_kpm_each(st, NULL, collect_kpm_ids, ids),
	    STORE_OK);
	assert_string_equal(ids, "20001,20002,30001!,30002,");
	ids[0] = '\0';
	assert_int_equal(store_kpm_each(st, "C001", collect_kpm_ids, ids),
	    STORE_OK);
	assert_string_equal(ids, "20001,20002,");
	ids[0] = '\0';
	assert_int_equal(store_kpm_each(st, "C009", collect_kpm_ids, ids),
	    STORE_OK);
	assert_string_equal(ids, "");

	/* A family phone: both KPM, by id; then forgotten on both. */
	ids[0] = '\0';
	assert_int_equal(store_kpm_by_phone(st, "6285700000001",
	    collect_kpm_ids, ids), STORE_OK);
	assert_string_equal(ids, "20001,30003,");
	assert_int_equal(store_kpm_clear_phone(st, "6285700000001", &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_kpm_get(st, "30003", &k), STORE_OK);
	assert_string_equal(k.phone, "");
	ids[0] = '\0';
	assert_int_equal(store_kpm_by_phone(st, "6285700000001",
	    collect_kpm_ids, ids), STORE_OK);
	assert_string_equal(ids, "");
	assert_int_equal(store_kpm_clear_phone(st, "", &n), STORE_OK);
	assert_int_equal(n, 0);

	assert_int_equal(store_kpm_delete(st, "30003"), STORE_OK);
	assert_int_equal(store_kpm_get(st, "30003", &k), STORE_NOTFOUND);
	assert_int_equal(store_kpm_delete(st, "30003"), STORE_NOTFOUND);
	assert_non_null(strstr(store_errmsg(st), "kpm delete 30003"));
}

struct rec_seen {
	char	refs[256];
	int	n;
	int	stop_after;		/* 0: never */
};

static int
collect_refs(void *arg, const struct store_record *r)
{
	struct rec_seen	*rs = arg;
	size_t		 len = strlen(rs->refs);

	snprintf(rs->refs + len, sizeof(rs->refs) - len, "%s%s:%s",
	    len > 0 ? "," : "", r->companion_id, r->ref);
	rs->n++;
	return rs->stop_after != 0 && rs->n == rs->stop_after;
}

/* Run store_record_find() and compare the records it found. */
static void
find_check(struct store *st, const struct store_record_filter *f,
    const char *want)
{
	struct rec_seen	rs;

	memset(&rs, 0, sizeof(rs));
	assert_int_equal(store_record_find(st, f, collect_refs, &rs),
	    STORE_OK);
	assert_string_equal(rs.refs, want);
}

/*
 * Two companions' records over two years: every filter alone and some
 * together; a companion's come in sequence order, others by id.
 */
static void
test_admin_record_find(void **state)
{
	struct store			*st = fx_store(state);
	struct store_record_filter	 f;
	struct store_record		 r;
	struct rec_seen			 rs;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	r = make_rec(STORE_KIND_GRAD, "C001", "111", GRAMMAR_CAT_SM,
	    "2025-12-31", 1000);
	insert_ok(st, &r, "G001");
	r = make_rec(STORE_KIND_VISIT, "C002", "222", 0, "2026-01-02", 1001);
	insert_ok(st, &r, "K001");
	r = make_rec(STORE_KIND_VISIT, "C001", "111", 0, "2026-01-05", 1002);
	insert_ok(st, &r, "K002");
	r = make_rec(STORE_KIND_GRAD, "C002", "222", GRAMMAR_CAT_AL,
	    "2026-02-01", 1003);
	insert_ok(st, &r, "G002");
	assert_int_equal(store_record_cancel(st, r.id, 1004, "salah"),
	    STORE_OK);
	r = make_rec(STORE_KIND_GRAD, "C001", "333", GRAMMAR_CAT_PK,
	    "2026-03-01", 1005);
	insert_ok(st, &r, "G003");

	memset(&f, 0, sizeof(f));
	find_check(st, &f, "C001:G001,C002:K001,C001:K002,C002:G002,"
	    "C001:G003");
	f.companion_id = "C001";
	find_check(st, &f, "C001:G001,C001:K002,C001:G003");
	f.kind = STORE_KIND_GRAD;
	find_check(st, &f, "C001:G001,C001:G003");
	f.year = 2026;
	find_check(st, &f, "C001:G003");
	memset(&f, 0, sizeof(f));
	f.kpm_id = "222";
	find_check(st, &f, "C002:K001,C002:G002");
	f.kpm_id = "999";
	find_check(st, &f, "");
	memset(&f, 0, sizeof(f));
	f.from = "2026-01-02";
	f.to = "2026-02-01";
	find_check(st, &f, "C002:K001,C001:K002,C002:G002");
	f.companion_id = "C002";
	f.kind = STORE_KIND_VISIT;
	find_check(st, &f, "C002:K001");
	memset(&f, 0, sizeof(f));
	f.to = "2025-12-31";
	find_check(st, &f, "C001:G001");
	f.companion_id = "C009";
	find_check(st, &f, "");

	/* after_id: what came since; a callback stops the walk. */
	memset(&f, 0, sizeof(f));
	f.after_id = r.id - 2;
	find_check(st, &f, "C002:G002,C001:G003");
	f.after_id = r.id;
	find_check(st, &f, "");
	memset(&f, 0, sizeof(f));
	memset(&rs, 0, sizeof(rs));
	rs.stop_after = 2;
	assert_int_equal(store_record_find(st, &f, collect_refs, &rs),
	    STORE_OK);
	assert_string_equal(rs.refs, "C001:G001,C002:K001");

	/* The cancelled record comes with its cancel. */
	assert_int_equal(store_record_by_ref(st, "C002", "G002", &r),
	    STORE_OK);
	assert_int_equal(r.cancelled_at, 1004);
}

/*
 * Erasing a record's personal fields: the KPM id replaced by one that
 * names nobody, the note and reason blanked; every count stays, and the
 * family's natural key is free for a new report.
 */
static void
test_admin_record_erase(void **state)
{
	struct store		*st = fx_store(state);
	struct store_record	 g, v, c, r;
	int			 n;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	add_companion(st, "C003", "6281200000003");
	c = make_rec(STORE_KIND_GRAD, "C002", "12347", GRAMMAR_CAT_AL,
	    "2025-05-01", 998);
	insert_ok(st, &c, "G001");
	assert_int_equal(store_record_cancel(st, c.id, 999, "Dewi pindah"),
	    STORE_OK);
	g = make_rec(STORE_KIND_GRAD, "C001", "12347", GRAMMAR_CAT_SM,
	    "2026-05-01", 1000);
	insert_ok(st, &g, "G001");
	v = make_rec(STORE_KIND_VISIT, "C001", "12347", 0, "2026-05-02", 1001);
	strcpy(v.note, "ibu Dewi hamil, NIK 3527014501900082");
	insert_ok(st, &v, "K002");
	r = make_rec(STORE_KIND_VISIT, "C003", "55555", 0, "2027-01-01", 1004);
	strcpy(r.note, "tetangga bu Dewi Lestari");
	insert_ok(st, &r, "K001");
	tally_check(st);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    ~0u, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(store_record_erase(st, g.id, 1), STORE_OK);
	assert_int_equal(store_record_erase(st, v.id, 1), STORE_OK);
	assert_int_equal(store_record_erase(st, c.id, 1), STORE_OK);
	assert_int_equal(store_record_erase(st, r.id, 0), STORE_OK);
	tally_check(st);
	assert_int_equal(store_record_count(st, "C001", STORE_KIND_GRAD, 2026,
	    ~0u, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(store_record_by_ref(st, "C001", "G001", &g),
	    STORE_OK);
	assert_true(strncmp(g.kpm_id, "erased-", 7) == 0);
	assert_int_equal(g.category, GRAMMAR_CAT_SM);
	assert_int_equal(g.cancelled_at, 0);
	assert_string_equal(g.event_date, "2026-05-01");
	assert_int_equal(store_record_by_ref(st, "C001", "K002", &v),
	    STORE_OK);
	assert_string_equal(v.note, "");
	assert_true(strcmp(v.kpm_id, g.kpm_id) != 0);
	assert_int_equal(store_record_by_ref(st, "C002", "G001", &c),
	    STORE_OK);
	assert_string_equal(c.cancel_reason, "[erased]");
	assert_int_equal(c.cancelled_at, 999);
	assert_int_equal(store_record_by_ref(st, "C003", "K001", &r),
	    STORE_OK);
	assert_string_equal(r.kpm_id, "55555");
	assert_string_equal(r.note, "");

	/* The family's key is free: a new graduation of 12347 is taken. */
	g = make_rec(STORE_KIND_GRAD, "C001", "12347", GRAMMAR_CAT_SM,
	    "2026-06-01", 1005);
	insert_ok(st, &g, "G003");
	tally_check(st);
	assert_int_equal(store_record_erase(st, 999999, 1), STORE_NOTFOUND);
}

/*
 * An erased companion: no name, no phone (it reads as ""), inactive;
 * its phone is free again; updates keep its placeholder, so that two
 * erased companions never clash on it.
 */
static void
test_admin_companion_erase(void **state)
{
	struct store		*st = fx_store(state);
	struct store_companion	 c;

	add_companion(st, "C001", "6281200000001");
	add_companion(st, "C002", "6281200000002");
	assert_int_equal(store_companion_by_phone(st, "6281200000001", &c),
	    STORE_OK);
	assert_int_equal(store_companion_erase(st, "C001"), STORE_OK);
	assert_int_equal(store_companion_erase(st, "C002"), STORE_OK);
	assert_int_equal(store_companion_by_phone(st, "6281200000001", &c),
	    STORE_NOTFOUND);
	assert_int_equal(store_companion_get(st, "C001", &c), STORE_OK);
	assert_string_equal(c.phone, "");
	assert_string_equal(c.name, "");
	assert_string_equal(c.timezone, "Asia/Makassar");
	assert_int_equal(c.active, 0);

	strcpy(c.name, "Nama Baru");
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_get(st, "C002", &c), STORE_OK);
	assert_int_equal(store_companion_update(st, &c), STORE_OK);

	add_companion(st, "C003", "6281200000001");
	assert_int_equal(store_companion_get(st, "C001", &c), STORE_OK);
	strcpy(c.phone, "6281200000009");
	c.active = 1;
	assert_int_equal(store_companion_update(st, &c), STORE_OK);
	assert_int_equal(store_companion_by_phone(st, "6281200000009", &c),
	    STORE_OK);
	assert_string_equal(c.id, "C001");
	assert_string_equal(c.name, "Nama Baru");
	assert_int_equal(store_companion_erase(st, "C009"), STORE_NOTFOUND);
}

struct msg_seen {
	int64_t	ids[16];
	int	n;
};

static int
collect_mo_ids(void *arg, const struct store_mo *m)
{
	struct msg_seen	*ms = arg;

	if (ms->n < 16)
		ms->ids[ms->n] = m->id;
	ms->n++;
	return 0;
}

static int
collect_mt_ids(void *arg, const struct store_mt *m)
{
	struct msg_seen	*ms = arg;

	if (ms->n < 16)
		ms->ids[ms->n] = m->id;
	ms->n++;
	return 0;
}

/*
 * Messages walked in pages and erased: the text reads "[erased]", the
 * sender or recipient is gone; a pending reply is not sent; a sent one
 * keeps its state; the redelivery window forgets the MO.
 */
static void
test_admin_messages(void **state)
{
	struct store	*st = fx_store(state);
	struct store_mo	 mo;
	struct store_mt	 mt;
	struct msg_seen	 ms;
	int64_t		 mo_id[5], mt_id[5];
	int		 i, n;

	for (i = 0; i < 5; i++) {
		memset(&mo, 0, sizeof(mo));
		snprintf(mo.sender, sizeof(mo.sender), "62812000000%02d", i);
		strcpy(mo.dest, "1717");
		snprintf(mo.text, sizeof(mo.text), "GRAD 1234%d", i);
		mo.received_at = 1780000000 + i;
		assert_int_equal(store_mo_insert(st, &mo), STORE_OK);
		mo_id[i] = mo.id;
		memset(&mt, 0, sizeof(mt));
		mt.mo_id = mo.id;
		strcpy(mt.dest, mo.sender);
		snprintf(mt.text, sizeof(mt.text), "OK. KPM 1234%d", i);
		mt.created_at = 1780000000 + i;
		assert_int_equal(store_mt_insert(st, &mt), STORE_OK);
		mt_id[i] = mt.id;
	}
	assert_int_equal(store_mt_mark_sent(st, mt_id[1], "m1", 1780000100),
	    STORE_OK);

	memset(&ms, 0, sizeof(ms));
	assert_int_equal(store_mo_each(st, 0, 2, collect_mo_ids, &ms),
	    STORE_OK);
	assert_int_equal(ms.n, 2);
	assert_true(ms.ids[0] == mo_id[0] && ms.ids[1] == mo_id[1]);
	memset(&ms, 0, sizeof(ms));
	assert_int_equal(store_mo_each(st, mo_id[1], 10, collect_mo_ids, &ms),
	    STORE_OK);
	assert_int_equal(ms.n, 3);
	assert_true(ms.ids[0] == mo_id[2]);
	memset(&ms, 0, sizeof(ms));
	assert_int_equal(store_mt_each(st, mt_id[3], 10, collect_mt_ids, &ms),
	    STORE_OK);
	assert_int_equal(ms.n, 1);
	assert_true(ms.ids[0] == mt_id[4]);

	assert_int_equal(store_mo_find_recent(st, "6281200000002",
	    "GRAD 12342", 0, &mo), STORE_OK);
	assert_int_equal(store_mo_erase(st, mo_id[2]), STORE_OK);
	assert_int_equal(store_mo_find_recent(st, "6281200000002",
	    "GRAD 12342", 0, &mo), STORE_NOTFOUND);
	assert_int_equal(store_mo_erase(st, 999999), STORE_NOTFOUND);

	assert_int_equal(store_mt_erase(st, mt_id[1], 1780000200), STORE_OK);
	assert_int_equal(store_mt_erase(st, mt_id[2], 1780000200), STORE_OK);
	assert_int_equal(store_mt_erase(st, 999999, 1), STORE_NOTFOUND);
	assert_int_equal(store_mt_get(st, mt_id[1], &mt), STORE_OK);
	assert_int_equal(mt.state, STORE_MT_SENT);
	assert_string_equal(mt.message_id, "m1");
	assert_string_equal(mt.dest, "");
	assert_string_equal(mt.text, "[erased]");
	assert_int_equal(store_mt_get(st, mt_id[2], &mt), STORE_OK);
	assert_int_equal(mt.state, STORE_MT_FAILED);
	assert_int_equal(mt.mo_id, mo_id[2]);
	assert_int_equal(store_mt_count(st, STORE_MT_PENDING, &n), STORE_OK);
	assert_int_equal(n, 3);
}

/*
 * Unfinished long MOs from a sender, as delivered, deleted; then the
 * scrubbing: secure_delete on, the WAL emptied, the file rebuilt, and
 * the data still there.
 */
static void
test_admin_parts_scrub(void **state)
{
	struct fixture		*f = *state;
	struct store		*st = f->st;
	struct store_part	 p;
	struct store_kpm	 k;
	struct store_companion	 c;
	struct stat		 sb;
	char			 wal[160];
	int			 n, complete;

	add_companion(st, "C001", "6281200000001");
	add_kpm(st, "12345", "6285700000001", "C001");
	p = make_part("081299999999", 3, 2, 1, "first half", 100);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	p = make_part("6281299999999", 4, 2, 2, "second half", 101);
	assert_int_equal(store_part_insert(st, &p), STORE_OK);
	assert_int_equal(store_part_erase(st, "081299999999", &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_part_erase(st, "081299999999", &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_part_stats(st, NULL, &n), STORE_OK);
	assert_int_equal(n, 1);

	assert_int_equal(store_secure_delete(st), STORE_OK);
	assert_int_equal(store_kpm_delete(st, "12345"), STORE_OK);
	assert_int_equal(store_flush(st, &complete), STORE_OK);
	assert_int_equal(complete, 1);
	assert_int_equal(store_vacuum(st), STORE_OK);
	assert_int_equal(store_flush(st, &complete), STORE_OK);
	assert_int_equal(complete, 1);
	if (f->file) {
		snprintf(wal, sizeof(wal), "%s-wal", f->path);
		assert_int_equal(stat(wal, &sb), 0);
		assert_int_equal(sb.st_size, 0);
	}
	assert_int_equal(store_kpm_get(st, "12345", &k), STORE_NOTFOUND);
	assert_int_equal(store_companion_by_phone(st, "6281200000001", &c),
	    STORE_OK);
	/* Inside a transaction a vacuum is refused, not run. */
	assert_int_equal(store_begin(st), STORE_OK);
	assert_int_equal(store_vacuum(st), STORE_ERROR);
	assert_int_equal(store_rollback(st), STORE_OK);
}

#define ADMIN_TESTS(setup)						\
	cmocka_unit_test_setup_teardown(test_admin_region, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_admin_kpm, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_admin_record_find, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_admin_record_erase, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_admin_companion_erase, setup, \
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_admin_messages, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_admin_parts_scrub, setup,	\
	    teardown)

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
	cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_mo_find_recent, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_mt_sent_many, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_mt_by_mo, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_mt_receipt, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_tallies, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_record_counts_cached, setup, \
	    teardown), \
	cmocka_unit_test_setup_teardown(test_parts, setup, teardown),	\
	cmocka_unit_test_setup_teardown(test_parts_expired, setup,	\
	    teardown),							\
	cmocka_unit_test_setup_teardown(test_parts_durable, setup,	\
	    teardown)

int
main(void)
{
	const struct CMUnitTest memory_tests[] = {
		STORE_TESTS(setup_memory),
		ADMIN_TESTS(setup_memory),
	};
	const struct CMUnitTest file_tests[] = {
		STORE_TESTS(setup_file),
		ADMIN_TESTS(setup_file),
		cmocka_unit_test_setup_teardown(test_file_reopen, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_mode, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup_file,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_two_connections,
		    setup_file, teardown),
		cmocka_unit_test_setup_teardown(test_file_migrate_v1,
		    setup_file, teardown),
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store :memory:", memory_tests,
	    NULL, NULL);
	failed += cmocka_run_group_tests_name("store file", file_tests, NULL,
	    NULL);
	return failed == 0 ? 0 : 1;
}
