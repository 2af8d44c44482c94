/*
 * flood.c: per-sender rate limit and reply-loop guard.
 *
 * A chained hash table keyed by the sender's phone.  Each entry keeps a
 * fixed window (start, count) for the rate and, for the loop guard, a
 * hash of the last exchange with how many times in a row it repeated.
 * Memory is bounded: at most max_senders entries; flood_sweep() drops
 * the idle ones, and when the table is full a new sender is simply not
 * tracked (answered), which is logged by the caller's counters only.
 */
#include <stdlib.h>
#include <string.h>

#include "flood.h"
#include "log.h"

#define FLOOD_BUCKETS		65536	/* power of two */
#define FLOOD_DEFAULT_MAX	100000
#define FLOOD_PHONE_MAX		24
/*
 * Identical exchanges count as a loop only when each follows the last
 * within this many seconds: machines answer at once, people asking
 * STATUS twice in an hour do not.
 */
#define FLOOD_LOOP_GAP		60

struct flood_entry {
	struct flood_entry	*next;
	char			 sender[FLOOD_PHONE_MAX];
	int64_t			 window_start;
	int			 count;
	int			 noticed;	/* notice sent this window */
	uint64_t		 last_exchange;	/* hash of text + reply */
	int			 repeats;	/* identical in a row */
	int64_t			 muted_until;
	int64_t			 last_seen;
};

struct flood {
	struct flood_entry	*buckets[FLOOD_BUCKETS];
	int			 n;
	int			 max;
	int			 count;		/* rate: MO per window */
	int			 window;	/* s */
	int			 loop_n;
	int			 loop_mute;	/* s */
};

/* FNV-1a, 64 bits: cheap and good enough for a table and a fingerprint. */
static uint64_t
flood_hash(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

struct flood *
flood_new(int max_senders)
{
	struct flood	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		fatal("flood_new");
	f->max = max_senders > 0 ? max_senders : FLOOD_DEFAULT_MAX;
	return f;
}

void
flood_free(struct flood *f)
{
	struct flood_entry	*e, *next;
	size_t			 i;

	if (f == NULL)
		return;
	for (i = 0; i < FLOOD_BUCKETS; i++)
		for (e = f->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	free(f);
}

void
flood_configure(struct flood *f, int count, int window, int loop_n,
    int loop_mute)
{
	f->count = count;
	f->window = window;
	f->loop_n = loop_n;
	f->loop_mute = loop_mute;
}

/* The entry of sender, created when there is room; NULL otherwise. */
static struct flood_entry *
flood_entry(struct flood *f, const char *sender, int64_t now)
{
	struct flood_entry	*e;
	size_t			 b;

	b = (size_t)(flood_hash(0xcbf29ce484222325ULL, sender) &
	    (FLOOD_BUCKETS - 1));
	for (e = f->buckets[b]; e != NULL; e = e->next)
		if (strcmp(e->sender, sender) == 0)
			return e;
	if (f->n >= f->max && flood_sweep(f, now) == 0)
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		fatal("flood_entry");
	strncpy(e->sender, sender, sizeof(e->sender) - 1);
	e->window_start = now;
	e->last_seen = now;
	e->next = f->buckets[b];
	f->buckets[b] = e;
	f->n++;
	return e;
}

enum flood_verdict
flood_check(struct flood *f, const char *sender, const char *text,
    const char *reply, int redelivery, int64_t now)
{
	struct flood_entry	*e;
	uint64_t		 x;

	if ((f->count == 0 && f->loop_n == 0) ||
	    (e = flood_entry(f, sender, now)) == NULL)
		return FLOOD_REPLY;

	/* The loop guard first: a muted sender stays muted. */
	if (f->loop_n > 0) {
		if (now < e->muted_until)
			return FLOOD_MUTED;
		x = flood_hash(flood_hash(0xcbf29ce484222325ULL, text) ^ 0xff,
		    reply);
		if (x == e->last_exchange && now - e->last_seen <=
		    FLOOD_LOOP_GAP)
			e->repeats++;
		else {
			e->last_exchange = x;
			e->repeats = 1;
		}
		e->last_seen = now;
		if (e->repeats > f->loop_n) {
			e->muted_until = now + f->loop_mute;
			e->repeats = 0;
			e->last_exchange = 0;
			return FLOOD_MUTED;
		}
	}
	e->last_seen = now;
	if (f->count > 0 && !redelivery) {
		if (now - e->window_start >= f->window) {
			e->window_start = now;
			e->count = 0;
			e->noticed = 0;
		}
		if (++e->count > f->count) {
			if (!e->noticed) {
				e->noticed = 1;
				return FLOOD_NOTICE;
			}
			return FLOOD_LIMITED;
		}
	}
	return FLOOD_REPLY;
}

int
flood_sweep(struct flood *f, int64_t now)
{
	struct flood_entry	**pp, *e;
	int64_t			  idle = f->window > f->loop_mute ? f->window :
	    f->loop_mute;
	size_t			  i;
	int			  n = 0;

	for (i = 0; i < FLOOD_BUCKETS; i++) {
		pp = &f->buckets[i];
		while ((e = *pp) != NULL) {
			if (now - e->last_seen > idle && now >= e->muted_until) {
				*pp = e->next;
				free(e);
				f->n--;
				n++;
			} else
				pp = &e->next;
		}
	}
	return n;
}

const char *
flood_verdict_name(enum flood_verdict v)
{
	switch (v) {
	case FLOOD_REPLY:
		return "reply";
	case FLOOD_NOTICE:
		return "notice";
	case FLOOD_LIMITED:
		return "limited";
	case FLOOD_MUTED:
		return "muted";
	}
	return "?";
}
