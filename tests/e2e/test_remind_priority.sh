#!/bin/sh
# Replies leave before reminders: while a reminder to N families drains
# at [smpp] tps = 200, a companion's report is answered at once, not
# after the N: only the few reminders already paced out come between
# the MO and its reply.
. "$(dirname "$0")/lib.sh"
N=${REMIND_PRIORITY_N:-2000}
want=$((N + 7))

awk -v n="$N" 'BEGIN {
	print "kpm_id,name,phone,companion_id"
	for (k = 0; k < n; k++)
		printf "%d,Keluarga %d,0819%08d,C002\n", 500000 + k, k, k
}' >"$T/kpm.csv"

cat >"$T/script" <<SCRIPT
wait_bind
sh "$PILARCTL" -c "$CONF" remind add --text 'Halo {name}' --to all >/dev/null
expect_mt Halo
sleep 1000
mo 081200000001 GRAD 12345
sleep 1000
mo 081200000001 KUNJ 12347
expect_mt_count $((want + 2))
sh sh "$PILAR_SRC/tests/e2e/pilard.sh" stop $T
quit
SCRIPT
"$PILAR_SMSC" -p 0 --port-file "$T/port" -s pilar -w secret -t 60 \
    "$T/script" >"$T/smsc.out" 2>&1 </dev/null &
SMSC_PID=$!
while [ ! -s "$T/port" ]; do sleep 0.02; done
e2e_conf "$(cat "$T/port")"
sed -i 's/^\[smpp\]$/[smpp]\ntps = 200/' "$CONF"
printf '[reminders]\nquiet_hours = none\ndaily_cap = 0\n' >>"$CONF"
e2e_roster
"$PILARCTL" -c "$CONF" kpm import "$T/kpm.csv" >/dev/null ||
    e2e_fail "kpm import"
sh "$PILAR_SRC/tests/e2e/pilard.sh" start "$T"
e2e_smsc_wait

# Reminders between each MO and its reply.
grep -q '^<< 6281200000001: .*G001' "$T/smsc.out" || e2e_fail "no reply"
between=$(awk '/^>> 081200000001:/ { n = 0; on = 1; next }
	on && /^<< 6281200000001:/ { print n; on = 0; next }
	on && /^<< / { n++ }' "$T/smsc.out")
after=$(awk '/^<< 6281200000001:/ { on = 1; next } on && /^<< / { n++ }
	END { print n + 0 }' "$T/smsc.out")
echo "remind_priority: reminders between MO and reply: $(echo $between), reminders after the last reply: $after of $want"
for b in $between; do
	[ "$b" -lt 50 ] || e2e_fail "$b reminders went before a reply"
done
[ "$after" -gt $((N / 2)) ] || e2e_fail "the broadcast was nearly over"
e2e_pass
