/*
 * fuzz_receipt.c: the text form of delivery receipts, and message ids.
 *
 * The input is the short_message of a receipt, not NUL terminated.  A
 * parse fills bounded, NUL terminated fields, says 0 exactly when an id
 * or a stat was read, leaves everything empty otherwise, and reports a
 * state that is the one its stat word stands for.  The forms of an id
 * start with the id itself, are distinct, and the converted ones read
 * back to the same number (decimal digits as hex, hex as decimal).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "receipt.h"
#include "fuzz.h"

static void	fuzz_receipt_forms(const char *);
static int	fuzz_u64(const char *, int, uint64_t *);

/* strtoull with everything checked: 1 and *v, or 0. */
static int
fuzz_u64(const char *s, int base, uint64_t *v)
{
	char		*end;
	size_t		 i;

	if (s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (base == 16 &&
		    ((s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))))
			return 0;
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno == 0 && *end == '\0';
}

static void
fuzz_receipt_forms(const char *id)
{
	char		 forms[RECEIPT_FORMS_MAX][RECEIPT_ID_MAX + 1];
	char		 want[32];
	size_t		 len = strlen(id);
	uint64_t	 v, w;
	int		 n, i, j, dec, hex;

	n = receipt_id_forms(id, forms);
	if (len == 0 || len > RECEIPT_ID_MAX) {
		fuzz_check(n == 0);
		return;
	}
	fuzz_check(n >= 1 && n <= RECEIPT_FORMS_MAX);
	fuzz_check(strcmp(forms[0], id) == 0);
	for (i = 0; i < n; i++) {
		fuzz_check(memchr(forms[i], '\0', sizeof(forms[i])) != NULL);
		for (j = 0; j < i; j++)
			fuzz_check(strcmp(forms[i], forms[j]) != 0);
	}
	dec = fuzz_u64(id, 10, &v);
	hex = fuzz_u64(id, 16, &w);
	if (dec) {
		snprintf(want, sizeof(want), "%" PRIx64, v);
		for (i = 0; i < n && strcmp(forms[i], want) != 0; i++)
			;
		fuzz_check(i < n);
	}
	if (hex) {
		snprintf(want, sizeof(want), "%" PRIu64, w);
		for (i = 0; i < n && strcmp(forms[i], want) != 0; i++)
			;
		fuzz_check(i < n);
	}
	fuzz_check(n <= 1 + dec + hex);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct receipt	 r, again;
	int		 rc;

	rc = receipt_parse_text((const char *)data, size, &r);
	fuzz_check(rc == 0 || rc == -1);
	fuzz_check(memchr(r.id, '\0', sizeof(r.id)) != NULL);
	fuzz_check(memchr(r.stat, '\0', sizeof(r.stat)) != NULL);
	fuzz_check(r.state >= RECEIPT_NONE && r.state <= RECEIPT_REJECTED);
	fuzz_check(r.err >= -1);
	fuzz_check(receipt_state_name(r.state) != NULL);
	if (rc == -1) {
		fuzz_check(r.id[0] == '\0' && r.stat[0] == '\0' &&
		    r.state == RECEIPT_NONE && r.err == -1);
	} else if (strlen(r.stat) < sizeof(r.stat) - 1) {
		/*
		 * An empty id: or stat: counts as found: r may be empty.  A
		 * stat word of 7 octets or more is cut, and may then read
		 * differently.
		 */
		fuzz_check(receipt_state_from_stat(r.stat) == r.state);
	}
	rc = receipt_parse_text((const char *)data, size, &again);
	fuzz_check(memcmp(&r, &again, sizeof(r)) == 0);

	fuzz_receipt_forms(r.id);
	if (size <= RECEIPT_ID_MAX + 8 && memchr(data, '\0', size) == NULL) {
		char	id[RECEIPT_ID_MAX + 9];

		memcpy(id, data, size);
		id[size] = '\0';
		fuzz_receipt_forms(id);
	}
	return 0;
}
