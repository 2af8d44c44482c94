/*
 * smpp_remind.c: the ops the session's tick queues on the batch road (see
 * smpp_batch.c): reminders, and the expiry of overdue long MOs.
 *
 * Now and then the tick queues an SMPP_OP_REMIND, which queues one chunk
 * of due recipients (remind.c) in the batch's transaction under a
 * savepoint of its own; while there is more to queue, the next op
 * follows at once.  After each batch the loop pages reminders into the
 * outbox, which sends them after the replies.  The tick also queues an
 * SMPP_OP_EXPIRE, which smpp_parts.c runs on the worker.
 *
 * Threads: smpp_batch_tick() and smpp_remind_done() run on the loop,
 * smpp_remind_exec() on the worker, inside the batch's transaction.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "outbox.h"
#include "remind.h"
#include "smpp_internal.h"
#include "store.h"

#define SMPP_CONCAT_SWEEP_MAX_S	60	/* look for overdue ones at least */
#define SMPP_REMIND_POLL_S	1	/* look for due reminders this often */

/*
 * On the loop, from the session's tick: once a poll period has passed
 * since the last look, queue a look for due reminders (the chunks that
 * follow go with the next batches, see smpp_remind_done); and now and
 * then, queue the expiry of long MOs whose parts are overdue.  The worker finds them in the
 * store, which is the truth (parts survive a restart), so the loop keeps
 * nothing about them but whether an expiry is on its way.  It looks ten
 * times per concat_timeout, at most every SMPP_CONCAT_SWEEP_MAX_S: a
 * message waits at most that much longer than its timeout.
 *
 * Only on a link bound for as long: the parts still missing may be
 * queued at the SMSC, which delivers its queue right after a bind, so a
 * message that began before an outage (or a restart) is not given up
 * before they had their chance.
 */
void
smpp_batch_tick(struct smpp_session *s)
{
	int64_t	now = (int64_t)time(NULL);
	int	every;

	if (!s->remind_queued && !s->stopping && !s->worker_stopping &&
	    now >= s->remind_next) {
		s->remind_queued = 1;
		(void)smpp_batch_op(s, SMPP_OP_REMIND);
		smpp_session_flush(s);
	}

	every = s->cfg->limits_concat_timeout / 10;
	if (every < 1)
		every = 1;
	if (every > SMPP_CONCAT_SWEEP_MAX_S)
		every = SMPP_CONCAT_SWEEP_MAX_S;
	if (s->concat_queued || s->stopping || s->worker_stopping ||
	    now < s->concat_sweep || s->state != SMPP_S_BOUND ||
	    smpp_now_ms() - s->state_since < (int64_t)every * 1000)
		return;
	s->concat_sweep = now + every;
	s->concat_queued = 1;
	(void)smpp_batch_op(s, SMPP_OP_EXPIRE);
	smpp_session_flush(s);
}

/*
 * On the worker: queue a chunk of due reminders, under a savepoint so
 * that a failure undoes the chunk and its cursor move and nothing else
 * of the batch.
 */
void
smpp_remind_exec(struct smpp_session *s, struct smpp_batch *b,
    struct smpp_op *op, int64_t now)
{
	op->rc = -1;
	if (store_savepoint(s->st) != STORE_OK)
		return;
	if (remind_run(s->st, &b->cfg, now, &op->remind) == 0 &&
	    store_release(s->st) == STORE_OK) {
		op->rc = 0;
		return;
	}
	snprintf(b->err, sizeof(b->err), "%s", store_errmsg(s->st));
	store_rollback_to(s->st);
	memset(&op->remind, 0, sizeof(op->remind));
}

/*
 * On the loop: a chunk of reminders is queued (or not).  While there is
 * more due the next chunk goes with the next batch; otherwise the tick
 * looks again in a while.
 */
void
smpp_remind_done(struct smpp_session *s, struct smpp_batch *b,
    struct smpp_op *op)
{
	const struct remind_result	*r = &op->remind;
	int64_t				 now = (int64_t)time(NULL);

	s->remind_queued = 0;
	s->remind_next = now + SMPP_REMIND_POLL_S;
	if (!b->committed || op->rc != 0) {
		log_warnx("remind_queue_failed err=\"%s\"", b->err);
		return;
	}
	if (r->reminder_id == 0 && r->queued == 0)
		return;	/* nothing due (a nudge has no reminder id) */
	if (r->queued + r->skipped > 0)
		log_info("remind_queued reminder=%lld occurrence=%d "
		    "queued=%d skipped=%d", (long long)r->reminder_id,
		    r->occurrence, r->queued, r->skipped);
	if (r->queued > 0)
		outbox_bulk_more(s->ob);
	if (r->more && !s->stopping && !s->worker_stopping) {
		s->remind_queued = 1;
		s->remind_next = 0;
		(void)smpp_batch_op(s, SMPP_OP_REMIND);
	}
}
