#!/bin/sh
# bench.sh: the load benchmark.  pilar-bench plays the SMSC and sends N
# MO graduations from M registered companions (each MO a real GRAD of a
# KPM in the sender's roster) with a window of W unanswered deliver_sm;
# pilard stores each, replies, and the bench prints MO/s and MO->reply
# latency percentiles.  pilard's peak resident memory is read from /proc.
#
#	sh scripts/bench.sh [-n 100000] [-m 1000] [-w 64] [-l info] [-s normal]
set -eu
n=100000 m=1000 w=64 level=info sync=normal
while getopts n:m:w:l:s: o; do
	case $o in
	n) n=$OPTARG ;;
	m) m=$OPTARG ;;
	w) w=$OPTARG ;;
	l) level=$OPTARG ;;
	s) sync=$OPTARG ;;
	*) echo "usage: bench.sh [-n mo] [-m phones] [-w window] [-l loglevel] [-s normal|full]" >&2; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
# shellcheck disable=SC2086
pilar_deps $PILAR_BUILD_DEPS

build="${PILAR_BENCH_BUILD:-$top/build/bench}"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPILAR_TESTS=OFF \
    >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
var="$top/var/bench"
rm -rf "$var"
mkdir -p "$var"

# The roster first: loading it takes seconds, and the bench gives up
# when nobody binds within 30 s.  pilarctl only needs [store].
# write_conf PORT: pilard's configuration for this run.
write_conf() {
	port=$1
	cat >"$var/pilar.conf" <<EOF
[smpp]
host = 127.0.0.1
port = $port
system_id = pilar
password = bench
window = ${PILARD_WINDOW:-$w}
[store]
path = pilar.db
sync = $sync
[program]
id_max_length = 16
[limits]
# 1,000 phones sending hundreds each: the per-sender reply limit would
# rightly silence them.
mo_per_sender = 0
redelivery_window = ${PILAR_BENCH_REDELIVERY:-10m}
[log]
level = $level
file = pilard.log
EOF
}
write_conf 1

# The roster: companion i has phone 62811000000000+i; MO k graduates KPM
# 100000000+k, which belongs to companion k % m.
t0=$(date +%s)
i=0
while [ $i -lt "$m" ]; do
	"$build/pilarctl" -c "$var/pilar.conf" companion add \
	    --id "$(printf 'B%05d' $i)" --phone "$((6281100000000 + i))" \
	    --name "Bench $i" >/dev/null
	i=$((i + 1))
done
awk -v n="$n" -v m="$m" 'BEGIN {
	print "kpm_id,name,phone,companion_id"
	for (k = 0; k < n; k++)
		printf "%d,Keluarga %d,,B%05d\n", 100000000 + k, k, k % m
}' >"$var/kpm.csv"
"$build/pilarctl" -c "$var/pilar.conf" kpm import "$var/kpm.csv" >/dev/null
echo "roster: $m companions, $n KPM loaded in $(( $(date +%s) - t0 )) s" >&2

"$build/pilar-bench" -p 0 --port-file "$var/port" -n "$n" -m "$m" -w "$w" \
    -s pilar -W bench --phone-base 6281100000000 --kpm-base 100000000 \
    >"$var/result" &
bench_pid=$!
while [ ! -s "$var/port" ]; do sleep 0.02; done
write_conf "$(cat "$var/port")"

# PILAR_BENCH_WRAP (e.g. "perf record -e cpu-clock -g") profiles pilard.
${PILAR_BENCH_WRAP:-} "$build/pilard" -c "$var/pilar.conf" &
wrap_pid=$!
pilard_pid=$wrap_pid
if [ -n "${PILAR_BENCH_WRAP:-}" ]; then
	# The figures and the signal are pilard's, not the wrapper's.
	i=0
	while ! pilard_pid=$(pgrep -P "$wrap_pid" -x pilard); do
		i=$((i + 1))
		[ "$i" -lt 200 ] || { echo "bench.sh: no pilard under the wrapper" >&2; exit 1; }
		sleep 0.05
	done
fi
rc=0
wait "$bench_pid" || rc=$?
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pilard_pid/status")
# CPU seconds per thread (the event loop, the store worker).
threads=$(for t in /proc/$pilard_pid/task/*; do
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f,", ($14 + $15) / hz }' \
	    "$t/stat"; done)
# CPU seconds pilard used (utime + stime, in clock ticks).
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
    "/proc/$pilard_pid/stat")
kill -TERM "$pilard_pid"
wait "$wrap_pid" || true
echo "$(cat "$var/result") pilard_peak_rss_kb=$rss pilard_cpu_s=$cpu threads_cpu_s=${threads%,} log=$level sync=$sync"
mo=$(sqlite3 "$var/pilar.db" 'SELECT count(*) FROM mo' 2>/dev/null || echo '?')
grads=$(sqlite3 "$var/pilar.db" "SELECT count(*) FROM records WHERE kind='G'" 2>/dev/null || echo '?')
# Replies still to send (0) or in doubt at the stop (state 3: 0 when the
# bench unbinds cleanly).
mts=$(sqlite3 "$var/pilar.db" 'SELECT sum(state = 0), sum(state = 3) FROM mt' 2>/dev/null || echo '?|?')
echo "stored: mo=$mo graduations=$grads mt_pending=${mts%|*} mt_unknown=${mts#*|}" >&2
exit "$rc"
