#!/bin/sh
# Under load, an SMSC that drops the link every 500 PDUs, then one that
# throttles every other submit for 10 s: pilar slows down but loses and
# duplicates nothing.  Every MO is stored once, every KPM graduated
# once, every reply confirmed once and none left pending.
. "$(dirname "$0")/lib.sh"
: "${PILAR_BENCH:?}"
M=50

# run NAME N KPM_BASE BENCH_OPTIONS...: one bench run against a fresh
# pilard on a fresh database in $T/NAME.
run() {
	name=$1 n=$2 base=$3
	shift 3
	d="$T/$name"
	mkdir -p "$d"
	rm -f "$T/port"
	"$PILAR_BENCH" -p 0 --port-file "$T/port" -n "$n" -m "$M" -w 64 \
	    -s pilar -W secret --kpm-base "$base" --resilient "$@" \
	    >"$d/bench.out" 2>&1 &
	bench_pid=$!
	while [ ! -s "$T/port" ]; do sleep 0.02; done
	e2e_conf "$(cat "$T/port")"
	sed -i "s|^path = pilar.db|path = $name/pilar.db|; s|^file = pilard.log|file = $name/pilard.log|" "$CONF"
	e2e_bench_roster "$M" "$n" "$base"
	e2e_pilard
	rc=0
	wait "$bench_pid" || rc=$?
	bench_pid=
	e2e_pilard_stop
	cat "$d/bench.out"
	[ "$rc" -eq 0 ] || e2e_fail "$name: pilar-bench failed"
	db="$d/pilar.db"
	q() { sqlite3 -batch -noheader "$db" "$1"; }
	[ "$(q 'SELECT count(*) FROM mo')" = "$n" ] ||
	    e2e_fail "$name: mo rows $(q 'SELECT count(*) FROM mo'), want $n"
	[ "$(q "SELECT count(*) || ' ' || count(DISTINCT kpm_id) FROM records WHERE kind='G' AND cancelled_at IS NULL")" = "$n $n" ] ||
	    e2e_fail "$name: graduations are not one per KPM"
	[ "$(q 'SELECT count(*) FROM mt WHERE state <> 1')" = 0 ] ||
	    e2e_fail "$name: replies not sent"
	# A submit whose response is lost with the link may have been taken
	# by the SMSC: pilar cannot know and sends it again ([smpp]
	# resend_unknown = link_lost, the default).  At most the window (10)
	# per lost link may come twice; nothing else may.
	twice=$(sed -n 's/.* confirm_twice=\([0-9]*\) .*/\1/p' "$d/bench.out")
	drops=$(sed -n 's/.* drops=\([0-9]*\) .*/\1/p' "$d/bench.out")
	[ "$twice" -le $((drops * 10)) ] ||
	    e2e_fail "$name: $twice confirmations sent twice, $drops drops"
}

run drop 20000 200000000 --drop-every 500
grep -q ' drops=[1-9]' "$T/drop/bench.out" || e2e_fail "no link was dropped"
run throttle 3000 300000000 --throttle-every 2 --throttle-for 10
grep -q ' throttled=[1-9]' "$T/throttle/bench.out" ||
    e2e_fail "nothing was throttled"
grep -q 'mt_retry.*ESME_RTHROTTLED' "$T/throttle/pilard.log" ||
    e2e_fail "no mt_retry on throttling"
e2e_pass
