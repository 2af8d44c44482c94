/*
 * smsc_join.c: pilar-smsc as the phone that joins a long MT.
 *
 * Each part of a long MT comes as its own submit_sm behind a
 * concatenation header; the phone shows the message once every part has
 * come.  The simulator does the same, so that a script sees the whole
 * text in one `<<' line, and keeps each part's message_id so that
 * `receipt' can answer every part as an SMSC does.  A part that comes
 * again (sent again after a lost link) replaces the first.  A few
 * messages at a time are enough for tests: the oldest unfinished one
 * makes room for a new one, and is reported.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "smsc.h"

#define JOIN_SLOTS	8
#define JOIN_TEXT_MAX	(4 * 160)	/* UTF-8 of one part's text */

struct join_slot {
	int		 used;
	char		 dest[SMSC_ADDR_MAX + 1];
	int		 sar;			/* numbered by TLVs */
	unsigned	 ref;
	unsigned	 total;
	unsigned	 got;			/* parts present */
	time_t		 since;
	int		 have[SMSC_PARTS_MAX];
	char		 text[SMSC_PARTS_MAX][JOIN_TEXT_MAX + 1];
	char		 id[SMSC_PARTS_MAX][SMSC_MSGID_MAX + 1];
};

static struct join_slot	join_slots[JOIN_SLOTS];

/*
 * The slot of (dest, numbering, ref, total), or a free one, or the
 * oldest.  A phone joins UDH parts by their header only: a SAR part is
 * a message of its own to it, so the two never join.
 */
static struct join_slot *
smsc_join_slot(const char *dest, int sar, unsigned ref, unsigned total)
{
	struct join_slot	*j, *oldest = NULL;
	int			 i;

	for (i = 0; i < JOIN_SLOTS; i++) {
		j = &join_slots[i];
		if (j->used && j->sar == sar && j->ref == ref &&
		    j->total == total && strcmp(j->dest, dest) == 0)
			return j;
	}
	for (i = 0; i < JOIN_SLOTS; i++)
		if (!join_slots[i].used)
			break;
	if (i < JOIN_SLOTS)
		j = &join_slots[i];
	else {
		for (i = 0; i < JOIN_SLOTS; i++)
			if (oldest == NULL || join_slots[i].since <
			    oldest->since)
				oldest = &join_slots[i];
		j = oldest;
		fprintf(stderr, "pilar-smsc: long MT to %s ref=%u given up "
		    "with %u of %u parts\n", j->dest, j->ref, j->got,
		    j->total);
	}
	memset(j, 0, sizeof(*j));
	j->used = 1;
	j->sar = sar;
	snprintf(j->dest, sizeof(j->dest), "%s", dest);
	j->ref = ref;
	j->total = total;
	j->since = time(NULL);
	return j;
}

int
smsc_join(const char *dest, int sar, unsigned ref, unsigned total,
    unsigned seq, const char *text, const char *msgid,
    struct smsc_joined *out)
{
	struct join_slot	*j;
	size_t			 len = 0, n;
	unsigned		 k;

	if (total < 2 || total > SMSC_PARTS_MAX || seq < 1 || seq > total)
		return -1;
	j = smsc_join_slot(dest, sar, ref, total);
	if (!j->have[seq - 1])
		j->got++;
	j->have[seq - 1] = 1;
	snprintf(j->text[seq - 1], sizeof(j->text[seq - 1]), "%s", text);
	snprintf(j->id[seq - 1], sizeof(j->id[seq - 1]), "%s", msgid);
	if (j->got < j->total)
		return 0;
	memset(out, 0, sizeof(*out));
	for (k = 0; k < j->total; k++) {
		n = strlen(j->text[k]);
		if (len + n >= sizeof(out->text))
			n = sizeof(out->text) - len - 1;
		memcpy(out->text + len, j->text[k], n);
		len += n;
		memcpy(out->ids[k], j->id[k], sizeof(out->ids[k]));
	}
	out->text[len] = '\0';
	out->parts = (int)j->total;
	j->used = 0;
	return 1;
}
