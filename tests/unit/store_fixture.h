/*
 * store_fixture.h: what the store tests share (test_store.c,
 * test_store_migrate.c, test_store_records.c, test_store_mo.c,
 * test_store_mt.c and test_store_admin.c): a fresh store for every test,
 * on ":memory:" or on a file in its own mkdtemp() directory, and the
 * helpers that fill it and check it.
 */
#ifndef PILAR_STORE_FIXTURE_H
#define PILAR_STORE_FIXTURE_H

#include <stdint.h>

#include "store.h"

#define CAT_BIT(c)	(1u << (c))

struct fixture {
	struct store	*st;
	int		 file;
	char		 dir[64];
	char		 path[128];
};

/* Remove the database and what SQLite keeps beside it. */
void		 fixture_unlink(struct fixture *);
/* A fresh store in *state; teardown closes it and removes its files. */
int		 setup_memory(void **);
int		 setup_file(void **);
int		 teardown(void **);
struct store	*fx_store(void **);

/* An active companion named after its id, in Asia/Makassar. */
void		 add_companion(struct store *, const char *, const char *);
/* A KPM: id, phone ("" for none) and its companion. */
void		 add_kpm(struct store *, const char *, const char *,
		    const char *);
/* A record to insert; kind G uses category, kind K always -1. */
struct store_record
		 make_rec(enum store_kind, const char *, const char *, int,
		    const char *, int64_t);
/* Insert, and expect this reference. */
void		 insert_ok(struct store *, struct store_record *,
		    const char *);

/* A store_mt_pending() callback that keeps the last row it was given. */
int		 collect_mt_any(void *, const struct store_mt *);

/*
 * The counts kept in tallies against the records themselves: a count
 * from store_record_each() of the active records, by brute force, over
 * companions C001 .. C003 and the years from TALLY_YEAR0.
 */
#define TALLY_COMPANIONS	3
#define TALLY_YEAR0		2025
#define TALLY_YEARS		3

void		 tally_check(struct store *);

/* A part of a long MO from sender to 1717 (text not copied). */
struct store_part
		 make_part(const char *, int, int, int, const char *,
		    int64_t);

#endif
