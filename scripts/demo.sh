#!/bin/sh
# demo.sh: pilar end to end on embedded defaults.
#
# Builds pilard, pilarctl and the pilar-smsc simulator, makes a fresh
# SQLite database under var/demo/, loads a sample roster (companions
# Sari C001 on 081200000001 and Budi C002 on 081200000002, KPM from
# conf/sample/kpm.csv), starts the simulator in place of the operator's
# SMSC and pilard bound to it, and shows a companion's conversation:
# typed by you on a terminal, or the scripted one in
# conf/sample/demo.smsc when standard input is not a terminal (it then
# exits 0 only if every reply was the expected one).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
# shellcheck disable=SC2086
pilar_deps $PILAR_BUILD_DEPS

build="$top/build/demo"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPILAR_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

var="$top/var/demo"
rm -rf "$var"
mkdir -p "$var"
smsc_pid=
pilard_pid=
cleanup() {
	[ -n "$pilard_pid" ] && kill "$pilard_pid" 2>/dev/null || true
	[ -n "$smsc_pid" ] && kill "$smsc_pid" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The simulator first, on a free loopback port.  Standard input is kept
# on fd 3: a background job's own stdin would be /dev/null.
exec 3<&0
if [ -t 0 ]; then
	cat <<EOF
pilar demo: you are the operator's SMSC.  Type an SMS as
    PHONE TEXT      e.g.  081200000001 GRAD 12345
Companions: Sari 081200000001 (KPM 12345-12352), Budi 081200000002
(KPM 22345-22348).  Try GRAD, KUNJ 12346 catatan, STATUS, BATAL,
BANTUAN, or a stranger's number.  Ctrl-D ends the demo.
Log: $var/pilard.log
EOF
	"$build/pilar-smsc" -p 0 --port-file "$var/port" -s pilar -w demo \
	    <&3 &
else
	"$build/pilar-smsc" -p 0 --port-file "$var/port" -s pilar -w demo \
	    -t 15 "$top/conf/sample/demo.smsc" </dev/null &
fi
smsc_pid=$!
i=0
while [ ! -s "$var/port" ]; do
	i=$((i + 1))
	if [ $i -gt 500 ] || ! kill -0 "$smsc_pid" 2>/dev/null; then
		echo "demo: the simulator did not start" >&2
		exit 1
	fi
	sleep 0.02
done

cat >"$var/pilar.conf" <<EOF
# Written by scripts/demo.sh; see conf/pilar.conf for every key.
[smpp]
host = 127.0.0.1
port = $(cat "$var/port")
system_id = pilar
password = demo
source_addr = 1717
[store]
path = pilar.db
[program]
yearly_target = 10
timezone = Asia/Jakarta
[log]
level = info
file = pilard.log
EOF
ctl() { "$build/pilarctl" -c "$var/pilar.conf" "$@"; }
ctl companion add --id C001 --phone 081200000001 --name Sari >/dev/null
ctl companion add --id C002 --phone 081200000002 --name Budi \
    --timezone Asia/Makassar >/dev/null
ctl kpm import "$top/conf/sample/kpm.csv" >/dev/null

"$build/pilard" -c "$var/pilar.conf" </dev/null &
pilard_pid=$!

rc=0
wait "$smsc_pid" || rc=$?
smsc_pid=
kill -TERM "$pilard_pid"
wait "$pilard_pid" || true
pilard_pid=
echo
echo "== pilarctl report"
ctl report
if [ "$rc" -ne 0 ]; then
	echo "demo: the conversation did not go as expected (see above)" >&2
	exit "$rc"
fi
