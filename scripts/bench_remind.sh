#!/bin/sh
# bench_remind.sh: the reminder benchmark.  A roster of K KPM (phones
# all known) under M companions in three zones; pilarctl remind add
# --to all; pilard queues the K recipients in chunks ([reminders]
# chunk) and drains them at [smpp] tps to pilar-bench, which plays the
# SMSC.  While it drains, pilar-bench sends N MO graduations, one every
# E ms, and measures MO->reply latency.  Printed: the time to queue all
# K, the drain rate (over the whole sample S and between its 10th and
# 90th percent), the latency percentiles, pilard's memory and CPU.
#
#	sh scripts/bench_remind.sh [-k 1000000] [-t 2000] [-s SAMPLE]
#	    [-n 1000] [-e 100] [-c 1000]
#
# S (default K) is how many reminders the drain is measured over: the
# run ends when pilar-bench has seen S of them.
set -eu
k=1000000 tps=2000 sample= n=1000 every=100 m=100 chunk=1000
while getopts k:t:s:n:e:c: o; do
	case $o in
	k) k=$OPTARG ;;
	t) tps=$OPTARG ;;
	s) sample=$OPTARG ;;
	n) n=$OPTARG ;;
	e) every=$OPTARG ;;
	c) chunk=$OPTARG ;;
	*) echo "usage: bench_remind.sh [-k kpm] [-t tps] [-s sample] [-n mo] [-e ms] [-c chunk]" >&2; exit 2 ;;
	esac
done
: "${sample:=$k}"
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
# shellcheck disable=SC2086
pilar_deps $PILAR_BUILD_DEPS

build="${PILAR_BENCH_BUILD:-$top/build/bench-remind}"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPILAR_TESTS=OFF \
    >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
var="$top/var/bench-remind"
rm -rf "$var"
mkdir -p "$var"

"$build/pilar-bench" -p 0 --port-file "$var/port" -n "$n" -m "$m" -w 1 \
    -s pilar -W bench --phone-base 6281100000000 --kpm-base 100000000 \
    --bulk "$sample" --mo-every "$every" >"$var/result" &
bench_pid=$!
while [ ! -s "$var/port" ]; do sleep 0.02; done
cat >"$var/pilar.conf" <<CONF
[smpp]
host = 127.0.0.1
port = $(cat "$var/port")
system_id = pilar
password = bench
window = 64
tps = $tps
[store]
path = pilar.db
[program]
id_max_length = 16
[limits]
mo_per_sender = 0
[reminders]
quiet_hours = none
daily_cap = 0
chunk = $chunk
[log]
level = info
file = pilard.log
CONF

# The roster: companion i (phone 6281100000000+i) in one of three zones;
# KPM 100000000+j belongs to companion j % m, phone 62819 and j.  MO j
# of pilar-bench graduates KPM 100000000+j from companion j % m.
t0=$(date +%s)
for i in $(seq 0 $((m - 1))); do
	case $((i % 3)) in
	0) zone=Asia/Jakarta ;;
	1) zone=Asia/Makassar ;;
	*) zone=Asia/Jayapura ;;
	esac
	"$build/pilarctl" -c "$var/pilar.conf" companion add \
	    --id "$(printf 'B%03d' "$i")" --phone "$((6281100000000 + i))" \
	    --name "Bench $i" --timezone "$zone" >/dev/null
done
sqlite3 "$var/pilar.db" "WITH RECURSIVE c(j) AS (SELECT 0 UNION ALL
    SELECT j + 1 FROM c WHERE j < $k - 1)
    INSERT INTO kpm (id, name, phone, companion_id)
    SELECT 100000000 + j, 'Keluarga ' || j, printf('62819%08d', j),
    printf('B%03d', j % $m) FROM c;"
echo "roster: $m companions, $k KPM loaded in $(( $(date +%s) - t0 )) s" >&2

"$build/pilard" -c "$var/pilar.conf" &
pilard_pid=$!
while ! grep -q smpp_bound "$var/pilard.log" 2>/dev/null; do sleep 0.05; done
t1=$(date +%s.%N)
"$build/pilarctl" -c "$var/pilar.conf" remind add --to all \
    --text 'Halo {name}, besok P2K2 bersama {companion}.' >/dev/null
while [ "$(sqlite3 "$var/pilar.db" 'SELECT queued FROM reminders' \
    2>/dev/null || echo 0)" != "$k" ]; do
	sleep 0.1
done
t2=$(date +%s.%N)
rss_q=$(awk '/VmHWM/ { print $2 }' "/proc/$pilard_pid/status")
rc=0
wait "$bench_pid" || rc=$?
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pilard_pid/status")
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
    "/proc/$pilard_pid/stat")
kill -TERM "$pilard_pid"
wait "$pilard_pid" || true
# From pilard's own log: the first chunk to the last.
chunks=$(awk '/remind_queued/ { if (!f) f = $1; l = $1; n++ }
	END { print n, f, l }' "$var/pilard.log")
echo "queue: kpm=$k chunk=$chunk queued_in_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", b - a }') (from pilarctl remind add, polled every 0.1 s; chunks first last: $chunks)"
echo "drain: tps=$tps $(tail -n 1 "$var/result")"
echo "replies: $(head -n 1 "$var/result")"
echo "pilard: peak_rss_kb=$rss (after queueing: $rss_q) cpu_s=$cpu cores=$(nproc)"
exit "$rc"
