#!/bin/sh
# Nudges end to end: with [reminders] nudge_day set to today (in
# Jakarta) and nudge_time 00:00, pilard sends companion C001 their
# progress through the simulator once, however often it looks.
. "$(dirname "$0")/lib.sh"

day=$(TZ=Asia/Jakarta date +%-d)
year=$(TZ=Asia/Jakarta date +%Y)

cat >"$T/script" <<SCRIPT
wait_bind
expect_mt_count 2
settle 2500
sh kill -TERM \$(cat $T/pilard.pid)
expect_close
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
printf '[reminders]\nquiet_hours = none\nnudge_day = %s\nnudge_time = 00:00\n' \
    "$day" >>"$CONF"
e2e_roster

e2e_pilard
e2e_smsc_wait
rc=0
wait "$PILARD_PID" || rc=$?
rm -f "$T/pilard.pid"
[ "$rc" -eq 0 ] || e2e_fail "pilard exited $rc after SIGTERM"

[ "$(grep -c "^<< 6281200000001: Capaian $year: 0/" "$T/smsc.out")" = 1 ] ||
    e2e_fail "C001 was not nudged once: $(cat "$T/smsc.out")"
e2e_pass
