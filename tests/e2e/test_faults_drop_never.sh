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
printf '[smpp]\nresend_unknown = no\n' >>"$CONF"
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
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL")" = $N ] ||
    e2e_fail "active graduations: $(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL"), want $N"
[ "$(e2e_sql 'SELECT count(*) FROM records')" = $N ] ||
    e2e_fail "records: $(e2e_sql 'SELECT count(*) FROM records'), want $N"
# Each MO once: the N graduations and the STATUS.
dup=$(e2e_sql 'SELECT text || " x" || count(*) FROM mo GROUP BY text HAVING count(*) > 1')
[ -z "$dup" ] || e2e_fail "MOs stored more than once:" $dup
[ "$(e2e_sql 'SELECT count(*) FROM mo')" = $((N + 1)) ] ||
    e2e_fail "mo rows: $(e2e_sql 'SELECT count(*) FROM mo'), want $((N + 1))"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state NOT IN (1, 3)')" = 0 ] ||
    e2e_fail "MTs neither sent nor unknown: $(e2e_sql 'SELECT count(*) FROM mt WHERE state NOT IN (1, 3)')"
echo "faults_drop: $(e2e_sql 'SELECT count(*) FROM mt WHERE state = 3') replies unknown"
e2e_pass
