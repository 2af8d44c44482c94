/*
 * remind.h: reminders to KPM: templates, occurrences, quiet hours, the
 * daily cap, and the scheduler that queues them in bounded chunks.
 *
 * Everything takes the time as an argument (now, UTC seconds), so that
 * tests run a fake clock.  remind_run() does store work and belongs to
 * whoever owns the store: in pilard the store worker thread (an op of
 * the SMPP batch, smpp_remind.c), in tests the test.
 */
#ifndef PILAR_REMIND_H
#define PILAR_REMIND_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct config;

/* Room a placeholder is checked with when a template is added. */
#define REMIND_NAME_CHECK	25	/* {name}, {companion} */
#define REMIND_DATE_LEN		10	/* {date}: DD/MM/YYYY */
#define REMIND_ZONES_MAX	64	/* distinct companion zones */

/* What one remind_run() did. */
struct remind_result {
	int64_t	reminder_id;		/* 0: nothing was due */
	int	occurrence;
	int	queued;			/* MTs added */
	int	skipped;		/* recipients not sent to */
	int	more;			/* more is due now: run again */
	int64_t	next_due;		/* UTC s of the next due work, 0 none */
};

/*
 * Check a template: only {name}, {companion} and {date}, and the text
 * with them filled in at their widest (see REMIND_NAME_CHECK) fits
 * max_segments SMS.  0, or -1 with the reason in err.
 */
int	remind_template_check(const char *text, int max_segments, char *err,
	    size_t errsz);
/*
 * Fill in a template.  -1 when the result does not fit outsz or
 * max_segments (0: no limit).
 */
int	remind_render(const char *tmpl, const char *name,
	    const char *companion, const char *date, int max_segments,
	    char *out, size_t outsz);
/* "YYYY-MM-DD HH:MM" as seconds since the epoch as if it were UTC. */
int	remind_parse_at(const char *s, int64_t *local);
/* "", "daily", "weekly", "monthly": 0, or -1 for anything else. */
int	remind_repeat_valid(const char *);
/*
 * The local time (as remind_parse_at gives it) of occurrence n of a
 * reminder at at_local repeated as repeat; -1 when there is no such
 * occurrence (n > 0 of a reminder that is not repeated).  A monthly
 * reminder on the 31st comes on the last day of shorter months.
 */
int64_t	remind_occurrence(int64_t at_local, const char *repeat, int n);
/*
 * When a reminder due at local time local (at offset seconds east of
 * UTC) is sent, in UTC: at local, or at the end of the quiet hours of
 * cfg when local falls inside them.
 */
int64_t	remind_due(const struct config *, int64_t local, int offset);
/*
 * Queue the next chunk of due work ([reminders] chunk recipients at
 * most) in the caller's transaction.  0, or -1 on a store error (the
 * caller rolls back: the cursor did not move).
 */
int	remind_run(struct store *, const struct config *, int64_t now,
	    struct remind_result *);
/*
 * Nudges to companions ([reminders] nudge_day, 0: none): on that day of
 * the month (the last of shorter ones) from nudge_time in each active
 * companion's zone, and for a day after, their progress; whenever
 * their graduations reach the yearly target, once a year, a
 * congratulation, which stands for that month's progress if both are
 * due.  Quiet hours hold both.  Queues at most [reminders] chunk MTs of
 * priority 1 in the caller's transaction; *more is 1 when there may be
 * more to queue now.  0, or -1 on a store error.
 */
int	remind_nudge(struct store *, const struct config *, int64_t now,
	    int *queued, int *more);

#endif
