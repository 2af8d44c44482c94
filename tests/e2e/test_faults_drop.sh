#!/bin/sh
# A flaky link: the SMSC closes the connection after every 7 PDUs it
# reads, during a burst of 20 graduations.  Like a store-and-forward
# SMSC it delivers again every MO whose deliver_sm_resp it did not read
# before the link broke (redeliver_lost), even when pilard had stored it
# and answered.  In the end every MO is acknowledged and stored once
# (20 mo rows, 20 records), every reply reaches the phone at least once
# (a submit whose response was lost with the link is sent again: [smpp]
# resend_unknown = link_lost, the default; see test_faults_drop_never.sh),
# and the final STATUS counts 20.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/faults_drop.inc"
i=1
while [ $i -le $N ]; do
	grep -q "^<< 6281200000001: .*KPM $((30000 + i)) " "$T/smsc.out" ||
	    e2e_fail "no reply for KPM $((30000 + i))"
	i=$((i + 1))
done
faults_drop_records
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state != 1')" = 0 ] ||
    e2e_fail "MTs not marked sent: $(e2e_sql 'SELECT count(*) FROM mt WHERE state != 1')"
e2e_pass
