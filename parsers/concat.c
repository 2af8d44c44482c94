/*
 * concat.c: reassembly of concatenated MO messages.
 *
 * Every message, incomplete or completed, is one record on a list in
 * the order of arrival of its first part (a completed one moves to the
 * end: it is kept from its completion on).  One malloc() holds the
 * record, its array of total part slots, the sender and the dest; each
 * part's text is a malloc() of its own.  Everything is counted in
 * c->bytes against c->max_bytes, so the bound is on memory, not on a
 * number of messages.
 *
 * Nothing here changes state until every check of a call has passed:
 * an error leaves the reassembler as it was, except that messages given
 * up to make room stay given up.
 */
#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "concat.h"

#define CONCAT_GAP_LEN	(sizeof(CONCAT_GAP) - 1)

struct concat_part {
	char		*text;		/* From malloc(); NULL if missing
					   or once the message completed */
	size_t		 len;
	uint32_t	 hash;		/* of the text, kept after completion */
	int		 seen;
};

struct concat_msg {
	TAILQ_ENTRY(concat_msg)	 entry;
	const char		*sender;	/* in this block */
	const char		*dest;		/* in this block */
	uint16_t		 ref;
	uint8_t			 total;
	uint8_t			 received;
	int			 done;		/* completed: no texts */
	int64_t			 first_seen;
	int64_t			 stamp;		/* expiry counts from here */
	size_t			 bytes;		/* counted in c->bytes */
	size_t			 text_len;	/* sum of the parts' len */
	struct concat_part	 parts[];	/* total of them */
};

TAILQ_HEAD(concat_list, concat_msg);

struct concat {
	struct concat_list	 msgs;		/* oldest first */
	size_t			 max_bytes;
	size_t			 bytes;
	size_t			 pending;	/* incomplete messages */
	int			 expiry;	/* seconds */
	int			 busy;		/* in the callback */
	void			(*lost)(const struct concat_incomplete *,
				    void *);
	void			*arg;
};

static uint32_t	 concat_hash(const char *, size_t);
static size_t	 concat_block_size(uint8_t, const char *, const char *);
static struct concat_msg *concat_find(struct concat *, const char *,
		    const char *, uint16_t, uint8_t);
static void	 concat_drop(struct concat *, struct concat_msg *);
static size_t	 concat_joined_size(const struct concat_msg *, uint8_t,
		    size_t);
static void	 concat_join(const struct concat_msg *, uint8_t,
		    const char *, char *);
static int	 concat_give_up(struct concat *, struct concat_msg *,
		    enum concat_reason);
static int	 concat_make_room(struct concat *, size_t,
		    const struct concat_msg *);
static void	 concat_complete(struct concat *, struct concat_msg *,
		    int64_t);

/* FNV-1a: enough to tell a redelivered part from a reused reference. */
static uint32_t
concat_hash(const char *s, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * The size of one record's block: struct, part slots and both
 * addresses.  Addresses come from SMPP (at most 21 octets) and total is
 * at most 255, so nothing here can overflow.
 */
static size_t
concat_block_size(uint8_t total, const char *sender, const char *dest)
{
	return sizeof(struct concat_msg) +
	    (size_t)total * sizeof(struct concat_part) +
	    strlen(sender) + 1 + strlen(dest) + 1;
}

static struct concat_msg *
concat_find(struct concat *c, const char *sender, const char *dest,
    uint16_t ref, uint8_t total)
{
	struct concat_msg	*m;

	TAILQ_FOREACH(m, &c->msgs, entry) {
		if (m->ref == ref && m->total == total &&
		    strcmp(m->sender, sender) == 0 &&
		    strcmp(m->dest, dest) == 0)
			return m;
	}
	return NULL;
}

/* Unlink and free one record, silently. */
static void
concat_drop(struct concat *c, struct concat_msg *m)
{
	int	i;

	TAILQ_REMOVE(&c->msgs, m, entry);
	for (i = 0; i < m->total; i++)
		free(m->parts[i].text);
	c->bytes -= m->bytes;
	if (!m->done)
		c->pending--;
	free(m);
}

/*
 * Bytes (with the NUL) for m's parts joined, plus part seq of extra
 * octets if seq is not 0: CONCAT_GAP once for each run of missing
 * parts.  At most 255 parts of text already held in memory: no
 * overflow.
 */
static size_t
concat_joined_size(const struct concat_msg *m, uint8_t seq, size_t extra)
{
	size_t	n = m->text_len + extra + 1;
	int	i, gap = 0;

	for (i = 0; i < m->total; i++) {
		if (m->parts[i].seen || i + 1 == seq) {
			gap = 0;
		} else if (!gap) {
			n += CONCAT_GAP_LEN;
			gap = 1;
		}
	}
	return n;
}

/* Write what concat_joined_size() measured into out. */
static void
concat_join(const struct concat_msg *m, uint8_t seq, const char *extra,
    char *out)
{
	size_t	o = 0, len;
	int	i, gap = 0;

	for (i = 0; i < m->total; i++) {
		if (i + 1 == seq) {
			len = strlen(extra);
			memcpy(out + o, extra, len);
		} else if (m->parts[i].seen) {
			len = m->parts[i].len;
			memcpy(out + o, m->parts[i].text, len);
		} else {
			if (!gap)
				memcpy(out + o, CONCAT_GAP, CONCAT_GAP_LEN);
			o += gap ? 0 : CONCAT_GAP_LEN;
			gap = 1;
			continue;
		}
		o += len;
		gap = 0;
	}
	out[o] = '\0';
}

/*
 * Hand an incomplete message to the callback and forget it.  Returns
 * 0, or -1 when the joined text cannot be allocated (m stays).
 */
static int
concat_give_up(struct concat *c, struct concat_msg *m,
    enum concat_reason reason)
{
	struct concat_incomplete	 inc;
	char				*text;

	if ((text = malloc(concat_joined_size(m, 0, 0))) == NULL)
		return -1;
	concat_join(m, 0, NULL, text);
	inc.sender = m->sender;
	inc.dest = m->dest;
	inc.ref = m->ref;
	inc.total = m->total;
	inc.received = m->received;
	inc.first_seen = m->first_seen;
	inc.reason = reason;
	inc.text = text;
	c->busy = 1;
	c->lost(&inc, c->arg);
	c->busy = 0;
	free(text);
	concat_drop(c, m);
	return 0;
}

/*
 * Free memory until need more bytes fit: completed records first (they
 * only guard against duplicates), then the oldest incomplete messages,
 * never keep.  The caller checked that need fits beside keep alone.
 * Returns 0, or -1 when a message could not be given up.
 */
static int
concat_make_room(struct concat *c, size_t need,
    const struct concat_msg *keep)
{
	struct concat_msg	*m, *next;

	for (m = TAILQ_FIRST(&c->msgs); m != NULL &&
	    need > c->max_bytes - c->bytes; m = next) {
		next = TAILQ_NEXT(m, entry);
		if (m->done)
			concat_drop(c, m);
	}
	for (m = TAILQ_FIRST(&c->msgs); m != NULL &&
	    need > c->max_bytes - c->bytes; m = next) {
		next = TAILQ_NEXT(m, entry);
		if (m != keep && concat_give_up(c, m, CONCAT_EVICTED) == -1)
			return -1;
	}
	return 0;
}

/*
 * m's text has gone to the caller: free the texts, keep the hashes, and
 * keep the record from now on to recognise redelivered parts.
 */
static void
concat_complete(struct concat *c, struct concat_msg *m, int64_t now)
{
	int	i;

	for (i = 0; i < m->total; i++) {
		if (m->parts[i].text == NULL)
			continue;
		m->bytes -= m->parts[i].len + 1;
		c->bytes -= m->parts[i].len + 1;
		free(m->parts[i].text);
		m->parts[i].text = NULL;
	}
	m->done = 1;
	m->text_len = 0;
	m->stamp = now;
	c->pending--;
	TAILQ_REMOVE(&c->msgs, m, entry);
	TAILQ_INSERT_TAIL(&c->msgs, m, entry);
}

struct concat *
concat_new(size_t max_bytes, int expiry_seconds,
    void (*lost)(const struct concat_incomplete *, void *), void *arg)
{
	struct concat	*c;

	if (max_bytes == 0 || expiry_seconds <= 0 || lost == NULL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	TAILQ_INIT(&c->msgs);
	c->max_bytes = max_bytes;
	c->expiry = expiry_seconds;
	c->lost = lost;
	c->arg = arg;
	return c;
}

void
concat_free(struct concat *c)
{
	struct concat_msg	*m;

	if (c == NULL)
		return;
	while ((m = TAILQ_FIRST(&c->msgs)) != NULL)
		concat_drop(c, m);
	free(c);
}

/*
 * The order of the work: classify the part against what is held, check
 * everything that can fail without side effects (out's size, the
 * memory bound), and only then give up a superseded message, make room
 * and store.
 */
enum concat_status
concat_add(struct concat *c, const char *sender, const char *dest,
    uint16_t ref, uint8_t total, uint8_t seq, const char *utf8_text,
    int64_t now, char *out, size_t outsz)
{
	struct concat_msg	*m;
	struct concat_part	*p;
	size_t			 tlen, block, need, have;
	uint32_t		 h;
	char			*copy, *addr;
	int			 fresh, completes;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	else
		outsz = 0;
	if (c == NULL || c->busy || sender == NULL || dest == NULL ||
	    utf8_text == NULL || total == 0 || seq == 0 || seq > total)
		return CONCAT_EINVAL;
	tlen = strlen(utf8_text);
	h = concat_hash(utf8_text, tlen);

	/* Which record this part belongs to; fresh: a new one. */
	fresh = 0;
	m = concat_find(c, sender, dest, ref, total);
	if (m != NULL) {
		p = &m->parts[seq - 1];
		if (m->done) {
			if (p->hash == h)
				return CONCAT_DUPLICATE;
			fresh = 1;	/* the reference is in use again */
		} else if (p->seen) {
			if (p->len == tlen &&
			    memcmp(p->text, utf8_text, tlen) == 0)
				return CONCAT_DUPLICATE;
			fresh = 1;
		}
	} else
		fresh = 1;
	completes = fresh ? total == 1 : m->received + 1 == total;

	if (completes) {
		need = fresh ? tlen + 1 : concat_joined_size(m, seq, tlen);
		if (need > outsz)
			return CONCAT_ESPACE;
		if (fresh) {
			/*
			 * total is 1, and such a message is never kept:
			 * m is NULL.
			 */
			memcpy(out, utf8_text, tlen + 1);
			return CONCAT_COMPLETE;
		}
		concat_join(m, seq, utf8_text, out);
		m->parts[seq - 1].hash = h;
		m->parts[seq - 1].seen = 1;
		m->received++;
		concat_complete(c, m, now);
		return CONCAT_COMPLETE;
	}

	/* Pending: does it fit at all, next to its own record only? */
	block = fresh ? concat_block_size(total, sender, dest) : 0;
	have = fresh ? 0 : m->bytes;
	if (tlen >= c->max_bytes || block > c->max_bytes - tlen - 1 ||
	    have > c->max_bytes - tlen - 1 - block)
		return CONCAT_ETOOBIG;
	need = block + tlen + 1;

	if (fresh && m != NULL) {
		if (m->done)
			concat_drop(c, m);
		else if (concat_give_up(c, m, CONCAT_SUPERSEDED) == -1)
			return CONCAT_ENOMEM;
		m = NULL;
	}
	if (concat_make_room(c, need, m) == -1)
		return CONCAT_ENOMEM;
	if ((copy = malloc(tlen + 1)) == NULL)
		return CONCAT_ENOMEM;
	memcpy(copy, utf8_text, tlen + 1);
	if (fresh) {
		if ((m = calloc(1, block)) == NULL) {
			free(copy);
			return CONCAT_ENOMEM;
		}
		addr = (char *)&m->parts[total];
		memcpy(addr, sender, strlen(sender) + 1);
		m->sender = addr;
		addr += strlen(sender) + 1;
		memcpy(addr, dest, strlen(dest) + 1);
		m->dest = addr;
		m->ref = ref;
		m->total = total;
		m->first_seen = now;
		m->stamp = now;
		m->bytes = block;
		c->bytes += block;
		c->pending++;
		TAILQ_INSERT_TAIL(&c->msgs, m, entry);
	}
	p = &m->parts[seq - 1];
	p->text = copy;
	p->len = tlen;
	p->hash = h;
	p->seen = 1;
	m->received++;
	m->text_len += tlen;
	m->bytes += tlen + 1;
	c->bytes += tlen + 1;
	return CONCAT_PENDING;
}

/*
 * now may go backwards (an injected clock, a clock step): a record
 * stamped in the future is simply not old yet.  The subtraction is done
 * unsigned so that no pair of int64_t values can overflow.
 */
int
concat_expire(struct concat *c, int64_t now)
{
	struct concat_msg	*m, *next;
	int			 n = 0;

	if (c == NULL || c->busy)
		return -1;
	for (m = TAILQ_FIRST(&c->msgs); m != NULL; m = next) {
		next = TAILQ_NEXT(m, entry);
		if (now < m->stamp ||
		    (uint64_t)now - (uint64_t)m->stamp < (uint64_t)c->expiry)
			continue;
		if (m->done) {
			concat_drop(c, m);
			continue;
		}
		if (concat_give_up(c, m, CONCAT_EXPIRED) == -1)
			return -1;
		n++;
	}
	return n;
}

int
concat_flush(struct concat *c)
{
	struct concat_msg	*m, *next;
	int			 n = 0;

	if (c == NULL || c->busy)
		return -1;
	for (m = TAILQ_FIRST(&c->msgs); m != NULL; m = next) {
		next = TAILQ_NEXT(m, entry);
		if (m->done) {
			concat_drop(c, m);
			continue;
		}
		if (concat_give_up(c, m, CONCAT_FLUSHED) == -1)
			return -1;
		n++;
	}
	return n;
}

void
concat_stats(const struct concat *c, size_t *pending, size_t *bytes)
{
	if (pending != NULL)
		*pending = c != NULL ? c->pending : 0;
	if (bytes != NULL)
		*bytes = c != NULL ? c->bytes : 0;
}

/*
 * The header is UDHL, then IEs of IEI, IEDL and IEDL octets, filling
 * exactly UDHL octets.  Everything is checked against UDHL and UDHL
 * against len before it is read.
 */
int
concat_udh_parse(const uint8_t *ud, size_t len, struct concat_part_info *info)
{
	struct concat_part_info	 found;
	size_t			 end, i, iedl = 0;
	const uint8_t		*v;

	if (info != NULL)
		memset(info, 0, sizeof(*info));
	if (ud == NULL || info == NULL || len == 0)
		return -1;
	end = (size_t)ud[0] + 1;
	if (end > len)
		return -1;
	memset(&found, 0, sizeof(found));
	for (i = 1; i < end; i += 2 + iedl) {
		if (end - i < 2)
			return -1;		/* IEI without IEDL */
		iedl = ud[i + 1];
		if (iedl > end - i - 2)
			return -1;		/* IE data past the header */
		v = ud + i + 2;
		switch (ud[i]) {
		case CONCAT_IEI_8BIT:
			if (iedl != 3)
				return -1;
			found.ref = v[0];
			found.total = v[1];
			found.seq = v[2];
			found.ref_bits = 8;
			break;
		case CONCAT_IEI_16BIT:
			if (iedl != 4)
				return -1;
			found.ref = (uint16_t)(v[0] << 8 | v[1]);
			found.total = v[2];
			found.seq = v[3];
			found.ref_bits = 16;
			break;
		default:
			continue;		/* not ours: skipped */
		}
		if (found.total == 0 || found.seq == 0 ||
		    found.seq > found.total)
			return -1;
	}
	*info = found;
	return (int)end;
}
