/*
 * flood.h: when not to answer.
 *
 * Two guards, both per sender and in memory (a restart forgets them,
 * which errs on the side of answering):
 *  - a rate limit: more than count MO in window get no reply (the MO are
 *    still stored and acknowledged); the first one over the limit gets a
 *    notice instead;
 *  - a reply-loop guard: after loop_n identical exchanges in a row (the
 *    same text in, the same reply out) the sender is muted for loop_mute
 *    seconds.  An auto-responder that answers every reply is the usual
 *    culprit; pilar must not keep a conversation with a machine going.
 */
#ifndef PILAR_FLOOD_H
#define PILAR_FLOOD_H

#include <stdint.h>

enum flood_verdict {
	FLOOD_REPLY = 0,	/* answer as usual */
	FLOOD_NOTICE,		/* just went over the rate: send the notice */
	FLOOD_LIMITED,		/* over the rate: no reply */
	FLOOD_MUTED		/* a reply loop: no reply */
};

struct flood;

/* At most max_senders are tracked; 0 = a default (100,000). */
struct flood	*flood_new(int max_senders);
void		 flood_free(struct flood *);
/* count 0 or loop_n 0 turns that guard off. */
void		 flood_configure(struct flood *, int count, int window,
		    int loop_n, int loop_mute);
/*
 * Account one MO from sender (normalised phone) at now (s), whose text
 * and intended reply are given, and say what to do with the reply.  A
 * redelivery (the same message again) does not count toward the rate:
 * a flapping link must not silence a companion; it does count toward
 * the loop guard, since a machine repeats itself exactly.
 */
enum flood_verdict flood_check(struct flood *, const char *sender,
		    const char *text, const char *reply, int redelivery,
		    int64_t now);
/* Forget senders idle for longer than every window; returns how many. */
int		 flood_sweep(struct flood *, int64_t now);
/* "reply", "notice", "limited", "muted" for logs. */
const char	*flood_verdict_name(enum flood_verdict);

#endif
