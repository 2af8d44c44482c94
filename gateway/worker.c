/*
 * worker.c: a thread for the store, and the way back to the loop.
 *
 * A mutex and a condition variable hand the job to the thread; a pipe
 * wakes the event loop when it is done (the loop is not thread-aware
 * and needs none of libevent's locking for this).  At most one job is
 * in hand at a time: the caller batches whatever arrives meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "worker.h"

struct worker {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	void		*job;		/* submitted, not yet run */
	int		 quit;
	int		 busy;		/* loop side: submitted, not done */
	int		 pipe[2];	/* worker -> loop: a job is done */
	struct event	*ev_done;
	worker_fn	*run;
	worker_fn	*done;
	void		*arg;
	void		*finished;	/* run, waiting for done() */
};

static void	*worker_main(void *);
static void	 worker_done_cb(evutil_socket_t, short, void *);

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	void		*job;
	char		 c = 1;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (w->job == NULL && !w->quit)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->job == NULL) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		job = w->job;
		w->job = NULL;
		pthread_mutex_unlock(&w->lock);

		w->run(job, w->arg);

		pthread_mutex_lock(&w->lock);
		w->finished = job;
		pthread_mutex_unlock(&w->lock);
		while (write(w->pipe[1], &c, 1) == -1 && errno == EINTR)
			;
	}
}

/* On the loop: the worker has finished; hand the job back. */
static void
worker_done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	void		*job;
	char		 buf[16];

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&w->lock);
	job = w->finished;
	w->finished = NULL;
	pthread_mutex_unlock(&w->lock);
	if (job == NULL)
		return;
	w->busy = 0;
	w->done(job, w->arg);
}

struct worker *
worker_new(struct event_base *base, worker_fn *run, worker_fn *done,
    void *arg)
{
	struct worker	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal("worker_new");
	w->run = run;
	w->done = done;
	w->arg = arg;
	if (pipe(w->pipe) == -1 ||
	    fcntl(w->pipe[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(w->pipe[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(w->pipe[1], F_SETFD, FD_CLOEXEC) == -1)
		fatal("worker_new: pipe");
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->ev_done = event_new(base, w->pipe[0], EV_READ | EV_PERSIST,
	    worker_done_cb, w);
	if (w->ev_done == NULL || event_add(w->ev_done, NULL) == -1)
		fatalx("worker_new: event_new failed");
	if ((errno = pthread_create(&w->thread, NULL, worker_main, w)) != 0)
		fatal("worker_new: pthread_create");
	return w;
}

int
worker_busy(const struct worker *w)
{
	return w->busy;
}

void
worker_submit(struct worker *w, void *job)
{
	if (w->busy)
		fatalx("worker_submit: worker busy");
	w->busy = 1;
	pthread_mutex_lock(&w->lock);
	w->job = job;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->quit = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	/* A job that finished after the loop stopped is handed back now. */
	if (w->busy)
		worker_done_cb(w->pipe[0], EV_READ, w);
	event_free(w->ev_done);
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
