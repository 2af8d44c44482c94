/*
 * worker.h: one thread that runs one job at a time for the event loop.
 *
 * pilard's store work (SQLite, the largest cost per message) runs here,
 * so the loop keeps reading, answering and submitting while a batch is
 * being committed.  The loop hands over a job with worker_submit(); the
 * worker calls run(job) on its thread; the loop then gets done(job) on
 * the loop thread.  Between submit and done the job belongs to the
 * worker, and so does everything run() touches (the store): the loop
 * must not use them meanwhile.
 */
#ifndef PILAR_WORKER_H
#define PILAR_WORKER_H

struct event_base;
struct worker;

typedef void worker_fn(void *job, void *arg);

/* Start the thread; fatal on failure. */
struct worker	*worker_new(struct event_base *, worker_fn *run,
		    worker_fn *done, void *arg);
/* Whether a job is with the worker (submitted, done not yet called). */
int		 worker_busy(const struct worker *);
/* Hand a job over; the worker must not be busy. */
void		 worker_submit(struct worker *, void *job);
/*
 * Wait for the job in hand to finish (its done() is then called here),
 * stop the thread and free everything.
 */
void		 worker_free(struct worker *);

#endif
