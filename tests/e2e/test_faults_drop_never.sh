#!/bin/sh
# A flaky link: the SMSC closes the connection after every 7 PDUs it
# reads, during a burst of 20 graduations.  Like a store-and-forward
# SMSC it delivers again every MO whose deliver_sm_resp it did not read
# before the link broke (redeliver_lost), even when pilard had stored it
# and answered.  In the end every MO is acknowledged and stored once
# (20 mo rows, 20 records).  With [smpp] resend_unknown = no, no
# confirmation reaches the phone twice (a submit whose response was lost
# with the link is set aside as unknown, not resent), every reply is
# sent or unknown (none pending), each one that never arrived is among
# the unknown, and the final STATUS counts 20.  test_faults_drop.sh: the
# default, which sends those again.
. "$(dirname "$0")/lib.sh"

RESEND_UNKNOWN=no
. "$(dirname "$0")/faults_drop.inc"
i=1
while [ $i -le $N ]; do
	k=$((30000 + i))
	n=$(grep -c "^<< 6281200000001: OK. Graduasi SM KPM $k " \
	    "$T/smsc.out" || true)
	[ "$n" -le 1 ] || e2e_fail "KPM $k confirmed $n times"
	if [ "$n" = 0 ]; then
		# Never confirmed: its reply must be the unknown one.
		[ "$(e2e_sql "SELECT count(*) FROM mt WHERE state = 3 AND text LIKE 'OK. Graduasi SM KPM $k %'")" = 1 ] ||
		    e2e_fail "KPM $k was never confirmed and its reply is not unknown"
	fi
	i=$((i + 1))
done
faults_drop_records
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state NOT IN (1, 3)')" = 0 ] ||
    e2e_fail "MTs neither sent nor unknown: $(e2e_sql 'SELECT count(*) FROM mt WHERE state NOT IN (1, 3)')"
echo "faults_drop: $(e2e_sql 'SELECT count(*) FROM mt WHERE state = 3') replies unknown"
e2e_pass
