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

N=20
# summary KEY: a counter of the simulator's final smsc_summary line.
summary() {
	sed -n "s/^smsc_summary.* $1=\([0-9]*\).*/\1/p" "$T/smsc.out"
}

{
	echo wait_bind
	echo redeliver_lost on
	echo fault drop_every 7
	i=1
	while [ $i -le $N ]; do
		echo "mo 081200000001 GRAD $((30000 + i))"
		i=$((i + 1))
	done
	echo expect_acked
	echo fault drop_every 0
	# Resends of replies whose response was lost may still come.
	echo settle 2500
	echo mo 081200000001 STATUS
	echo "expect_mt Capaian $YEAR: $N/10 graduasi, 0 kunjungan"
	echo enquire
} >"$T/script"

# Sari (C001) with N KPM of her own.
{
	echo kpm_id,name,phone,companion_id
	i=1
	while [ $i -le $N ]; do
		echo "$((30000 + i)),KPM $i,,C001"
		i=$((i + 1))
	done
} >"$T/kpm.csv"

e2e_smsc "$T/script"
e2e_conf "$PORT"
"$PILARCTL" -c "$CONF" companion add --id C001 --phone 081200000001 \
    --name Sari >/dev/null || e2e_fail "companion add C001"
"$PILARCTL" -c "$CONF" kpm import "$T/kpm.csv" >/dev/null ||
    e2e_fail "kpm import"
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(summary drops)" -ge 3 ] || e2e_fail "only $(summary drops) drops"
grep -q 'smpp_closed' "$T/pilard.log" || e2e_fail "no smpp_closed line"
i=1
while [ $i -le $N ]; do
	grep -q "^<< 6281200000001: .*KPM $((30000 + i)) " "$T/smsc.out" ||
	    e2e_fail "no reply for KPM $((30000 + i))"
	i=$((i + 1))
done
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL")" = $N ] ||
    e2e_fail "active graduations: $(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL"), want $N"
[ "$(e2e_sql 'SELECT count(*) FROM records')" = $N ] ||
    e2e_fail "records: $(e2e_sql 'SELECT count(*) FROM records'), want $N"
# Each MO once: the N graduations and the STATUS.
dup=$(e2e_sql 'SELECT text || " x" || count(*) FROM mo GROUP BY text HAVING count(*) > 1')
[ -z "$dup" ] || e2e_fail "MOs stored more than once:" $dup
[ "$(e2e_sql 'SELECT count(*) FROM mo')" = $((N + 1)) ] ||
    e2e_fail "mo rows: $(e2e_sql 'SELECT count(*) FROM mo'), want $((N + 1))"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state != 1')" = 0 ] ||
    e2e_fail "MTs not marked sent: $(e2e_sql 'SELECT count(*) FROM mt WHERE state != 1')"
e2e_pass
