#!/bin/sh
# Nothing lost, nothing counted twice: 20 kill -9 of pilard spread over
# a run of 20,000 graduations from 100 companions.  pilar-bench plays an
# SMSC that delivers again whatever was not acknowledged.  Afterwards
# every MO is stored exactly once, every KPM has exactly one graduation,
# the counts pilarctl reports match the records, no reply is left
# pending and none is sent twice: a reply in flight at a kill is set
# aside as unknown at the restart (the send log says it went out), so
# the phone gets it once or, if it was lost on the way, not at all
# (each such MO is among the unknown replies).
. "$(dirname "$0")/lib.sh"
: "${PILAR_BENCH:?}"
N=${KILL9_MO:-20000}
M=100
KILLS=${KILL9_KILLS:-20}

"$PILAR_BENCH" -p 0 --port-file "$T/port" -n "$N" -m "$M" -w 64 \
    -s pilar -W secret --resilient >"$T/bench.out" 2>&1 &
bench_pid=$!
while [ ! -s "$T/port" ]; do sleep 0.02; done
e2e_conf "$(cat "$T/port")"
e2e_bench_roster "$M" "$N" 100000000

# The faults: start, let it work a random while, kill -9, again.
sh "$PILAR_SRC/tests/e2e/pilard.sh" start "$T"
awk -v k="$KILLS" 'BEGIN { srand(); for (i = 0; i < k; i++)
	printf "%.2f\n", 0.15 + rand() * 0.45 }' >"$T/pauses"
while read -r pause; do
	sleep "$pause"
	kill -0 "$bench_pid" 2>/dev/null || break
	sh "$PILAR_SRC/tests/e2e/pilard.sh" kill "$T"
	sh "$PILAR_SRC/tests/e2e/pilard.sh" start "$T"
done <"$T/pauses"
rc=0
wait "$bench_pid" || rc=$?
bench_pid=
sh "$PILAR_SRC/tests/e2e/pilard.sh" stop "$T"
cat "$T/bench.out"
[ "$rc" -eq 0 ] || e2e_fail "pilar-bench failed"
starts=$(grep -c ' info started ' "$T/pilard.log")
[ "$starts" -gt 1 ] || e2e_fail "pilard was never restarted"

[ "$(e2e_sql 'SELECT count(*) FROM mo')" = "$N" ] ||
    e2e_fail "mo rows: $(e2e_sql 'SELECT count(*) FROM mo'), want $N"
[ "$(e2e_sql "SELECT count(*) || ' ' || count(DISTINCT kpm_id) FROM records WHERE kind='G' AND cancelled_at IS NULL")" = "$N $N" ] ||
    e2e_fail "graduations are not one per KPM"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state = 0')" = 0 ] ||
    e2e_fail "replies left pending"
twice=$(sed -n 's/.* confirm_twice=\([0-9]*\) .*/\1/p' "$T/bench.out")
[ "$twice" = 0 ] || e2e_fail "$twice graduations confirmed twice"
unanswered=$(sed -n 's/.* unanswered=\([0-9]*\) .*/\1/p' "$T/bench.out")
unknown=$(e2e_sql 'SELECT count(*) FROM mt WHERE state = 3')
[ "$unanswered" -le "$unknown" ] ||
    e2e_fail "$unanswered MOs unanswered but only $unknown replies unknown"
counted=$("$PILARCTL" -c "$CONF" report --csv 2>/dev/null |
    awk -F, 'NR > 1 { s += $4 } END { print s }')
[ "$counted" = "$N" ] || e2e_fail "pilarctl report counts $counted, want $N"
echo "kill9: $starts starts, $(e2e_sql 'SELECT sum(deliveries) - count(*) FROM mo') redeliveries folded, $unknown replies unknown, $unanswered MOs unanswered"
e2e_pass
