#!/bin/sh
# SIGTERM under load: pilard finishes what is in flight, unbinds and
# exits 0 within a few seconds; after a restart the SMSC's redeliveries
# complete the run and nothing is lost or counted twice.
. "$(dirname "$0")/lib.sh"
: "${PILAR_BENCH:?}"
N=10000
M=100

"$PILAR_BENCH" -p 0 --port-file "$T/port" -n "$N" -m "$M" -w 64 \
    -s pilar -W secret --resilient >"$T/bench.out" 2>&1 &
bench_pid=$!
while [ ! -s "$T/port" ]; do sleep 0.02; done
e2e_conf "$(cat "$T/port")"
e2e_bench_roster "$M" "$N" 100000000
e2e_pilard
# Stop it once it is busy: some hundreds of MO answered.
i=0
until [ "$(grep -c ' info mo ' "$T/pilard.log" 2>/dev/null)" -gt 300 ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || e2e_fail "pilard never got busy"
	sleep 0.02
done
t0=$(date +%s%N)
e2e_pilard_stop
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 5000 ] || e2e_fail "SIGTERM took $ms ms"
grep -q 'to=unbinding' "$T/pilard.log" || e2e_fail "no unbind"
e2e_pilard
rc=0
wait "$bench_pid" || rc=$?
bench_pid=
e2e_pilard_stop
cat "$T/bench.out"
[ "$rc" -eq 0 ] || e2e_fail "pilar-bench failed"
[ "$(e2e_sql 'SELECT count(*) FROM mo')" = "$N" ] || e2e_fail "mo rows"
[ "$(e2e_sql "SELECT count(DISTINCT kpm_id) FROM records WHERE kind='G' AND cancelled_at IS NULL")" = "$N" ] ||
    e2e_fail "graduations"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state <> 1')" = 0 ] ||
    e2e_fail "replies not sent"
echo "stop_load: SIGTERM to exit in $ms ms"
e2e_pass
