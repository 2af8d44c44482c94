#!/bin/sh
# A reminder to N families survives kill -9 twice: once while it is
# being queued (chunks of 100), once while it drains.  Afterwards every
# family was queued exactly once (the cursor moved with each chunk, the
# key refused a second row) and the simulator saw each phone exactly
# once: an MT in flight at the kill is set aside as unknown, not sent
# again, and a queued one is sent after the restart.
. "$(dirname "$0")/lib.sh"
N=${REMIND_RESTART_N:-20000}

awk -v n="$N" 'BEGIN {
	print "kpm_id,name,phone,companion_id"
	for (k = 0; k < n; k++)
		printf "%d,Keluarga %d,0819%08d,%s\n", 500000 + k, k, k,
		    k % 2 ? "C001" : "C002"
}' >"$T/kpm.csv"

want=$((N + 7))		# and the sample roster's with a phone
kill1=${KILL1_MS:-$(awk 'BEGIN { srand(); printf "%d", 300 + rand() * 1000 }')}
cat >"$T/script" <<SCRIPT
wait_bind
sh "$PILARCTL" -c "$CONF" remind add --text 'Halo {name}' --to all >/dev/null
sleep $kill1
sh sh "$PILAR_SRC/tests/e2e/pilard.sh" kill $T
sh sh "$PILAR_SRC/tests/e2e/pilard.sh" start $T
sleep 2500
sh sh "$PILAR_SRC/tests/e2e/pilard.sh" kill $T
sh sh "$PILAR_SRC/tests/e2e/pilard.sh" start $T
expect_mt_count $want
settle 2000
sh sh "$PILAR_SRC/tests/e2e/pilard.sh" stop $T
quit
SCRIPT
"$PILAR_SMSC" -p 0 --port-file "$T/port" -s pilar -w secret -t 120 \
    "$T/script" >"$T/smsc.out" 2>&1 </dev/null &
SMSC_PID=$!
while [ ! -s "$T/port" ]; do sleep 0.02; done
e2e_conf "$(cat "$T/port")"
sed -i 's/^\[smpp\]$/[smpp]\ntps = 2000\nwindow = 64/' "$CONF"
printf '[reminders]\nquiet_hours = none\ndaily_cap = 0\nchunk = 100\n' \
    >>"$CONF"
e2e_roster
"$PILARCTL" -c "$CONF" kpm import "$T/kpm.csv" >/dev/null ||
    e2e_fail "kpm import"
sh "$PILAR_SRC/tests/e2e/pilard.sh" start "$T"
e2e_smsc_wait

starts=$(grep -c ' info started ' "$T/pilard.log")
[ "$starts" = 3 ] || e2e_fail "$starts starts of pilard, want 3"
[ "$(e2e_sql 'SELECT queued FROM reminders WHERE id = 1')" = "$want" ] ||
    e2e_fail "queued $(e2e_sql 'SELECT queued FROM reminders')"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE reminder_id = 1')" = "$want" ] ||
    e2e_fail "mt rows $(e2e_sql 'SELECT count(*) FROM mt')"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state = 0')" = 0 ] ||
    e2e_fail "reminders left pending"
grep '^<< ' "$T/smsc.out" | cut -d: -f1 | sort >"$T/phones"
[ "$(wc -l <"$T/phones")" = "$want" ] ||
    e2e_fail "$(wc -l <"$T/phones") MTs seen, want $want"
[ -z "$(uniq -d "$T/phones")" ] || e2e_fail "a family reminded twice"
unknown=$(e2e_sql 'SELECT count(*) FROM mt WHERE state = 3')
chunks=$(grep -c 'remind_queued' "$T/pilard.log")
# Did the first kill land while it was being queued?
first=$(awk '/ info started /{s++} s == 1 && /remind_queued/{n++} END {print n + 0}' "$T/pilard.log")
# Chunk follows chunk in the next batch, not at the next poll a second
# later: the queue was paced at two chunks a second when an op queued
# while its batch was answered was dropped.  Gaps of 900 ms or more
# between two chunks of one run must be rare (a stalled machine).
gaps=$(awk '/ info started /{p = ""}
/remind_queued/{split(substr($1, 12, 12), t, ":"); ms = (t[1] * 3600 + t[2] * 60 + t[3]) * 1000
	if (p != "") {n++; if (ms - p >= 900) slow++}; p = ms}
END {printf "%d %d", n, slow}' "$T/pilard.log")
slow=${gaps#* }
gaps=${gaps% *}
[ "$gaps" -eq 0 ] || [ $((slow * 10)) -lt "$gaps" ] ||
    e2e_fail "$slow of $gaps gaps between chunks were a second long: paced by the poll?"
echo "remind_restart: $want reminded once each over $starts starts, $chunks chunks ($first before the first kill, $slow of $gaps gaps >= 900 ms), $unknown set aside unknown (seen by the SMSC)"
e2e_pass
