# lib.sh: shared by the end-to-end tests (sourced, POSIX sh).
#
# Each test gets a scratch folder, starts pilar-smsc on a free loopback
# port with a script of expectations, writes a pilar.conf pointing at
# it, loads the sample roster with pilarctl and starts the real pilard.
set -eu
: "${PILARD:?}" "${PILARCTL:?}" "${PILAR_SMSC:?}" "${PILAR_SRC:?}"
: "${PILAR_TMP:=/tmp}"
mkdir -p "$PILAR_TMP"
T=$(mktemp -d "$PILAR_TMP/$(basename "$0" .sh).XXXXXX")
CONF=$T/pilar.conf
SMSC_PID=
PILARD_PID=
export PILARD PILARCTL PILAR_SMSC PILAR_SRC T

# The year a Jakarta companion's report counts toward right now.
YEAR=$(date -u -d "@$(( $(date +%s) + 7 * 3600 ))" +%Y)

e2e_cleanup() {
	[ -n "$SMSC_PID" ] && kill "$SMSC_PID" 2>/dev/null || true
	[ -n "${bench_pid:-}" ] && kill "$bench_pid" 2>/dev/null || true
	if [ -f "$T/pilard.pid" ]; then
		kill -KILL "$(cat "$T/pilard.pid")" 2>/dev/null || true
	fi
}
trap e2e_cleanup EXIT

e2e_fail() {
	echo "FAIL: $*" >&2
	for f in smsc.out pilard.log pilard.stderr; do
		[ -f "$T/$f" ] || continue
		echo "---- $f (last 40 lines)" >&2
		tail -n 40 "$T/$f" >&2
	done
	exit 1
}

# e2e_conf PORT: a configuration for the simulator on PORT.  The fault
# tests shorten RESPONSE_TIMEOUT (default 30 s) and set RECONNECT_MAX
# (default 2 s); sections appended to $CONF afterwards add keys.
e2e_conf() {
	cat >"$CONF" <<CONF
[smpp]
host = 127.0.0.1
port = $1
system_id = pilar
password = secret
source_addr = 1717
enquire_link_interval = 5
bind_timeout = 5
response_timeout = ${RESPONSE_TIMEOUT:-30}
reconnect_min = 1
reconnect_max = ${RECONNECT_MAX:-2}

[store]
path = pilar.db

[program]
yearly_target = 10
timezone = Asia/Jakarta
country_code = 62
id_min_length = 5
id_max_length = 16

[log]
level = debug
file = pilard.log
CONF
	"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects $CONF"
}

# The sample roster: Sari (C001, WIB) and Budi (C002, WITA).
e2e_roster() {
	"$PILARCTL" -c "$CONF" companion add --id C001 --phone 081200000001 \
	    --name Sari >/dev/null || e2e_fail "companion add C001"
	"$PILARCTL" -c "$CONF" companion add --id C002 --phone 081200000002 \
	    --name Budi --timezone Asia/Makassar >/dev/null ||
	    e2e_fail "companion add C002"
	"$PILARCTL" -c "$CONF" kpm import "$PILAR_SRC/conf/sample/kpm.csv" \
	    >/dev/null || e2e_fail "kpm import"
}

# e2e_bench_roster M N BASE: companions B000..B(M-1) on phones
# 6281100000000+i and KPM BASE..BASE+N-1, KPM k belonging to k % M, as
# pilar-bench sends them; and no per-sender reply limit (few phones,
# hundreds of MO each).
e2e_bench_roster() {
	i=0
	while [ $i -lt "$1" ]; do
		"$PILARCTL" -c "$CONF" companion add \
		    --id "$(printf 'B%03d' $i)" \
		    --phone "$((6281100000000 + i))" --name "Bench $i" \
		    >/dev/null || e2e_fail "companion add $i"
		i=$((i + 1))
	done
	awk -v m="$1" -v n="$2" -v b="$3" 'BEGIN {
		print "kpm_id,name,phone,companion_id"
		for (k = 0; k < n; k++)
			printf "%d,Keluarga %d,,B%03d\n", b + k, k, k % m
	}' >"$T/bench-kpm.csv"
	"$PILARCTL" -c "$CONF" kpm import "$T/bench-kpm.csv" >/dev/null ||
	    e2e_fail "kpm import"
	printf '[limits]\nmo_per_sender = 0\n' >>"$CONF"
}

# e2e_smsc SCRIPT: start the simulator in the background and wait for
# the port it listens on.
e2e_smsc() {
	"$PILAR_SMSC" -p 0 --port-file "$T/port" -s pilar -w secret -t 20 \
	    "$1" >"$T/smsc.out" 2>&1 </dev/null &
	SMSC_PID=$!
	i=0
	while [ ! -s "$T/port" ]; do
		kill -0 "$SMSC_PID" 2>/dev/null || e2e_fail "pilar-smsc died"
		i=$((i + 1))
		[ $i -lt 500 ] || e2e_fail "pilar-smsc did not listen"
		sleep 0.02
	done
	PORT=$(cat "$T/port")
}

# Start pilard as our child (so that its exit status can be checked).
e2e_pilard() {
	"$PILARD" -c "$CONF" >>"$T/pilard.stderr" 2>&1 </dev/null &
	PILARD_PID=$!
	echo "$PILARD_PID" >"$T/pilard.pid"
}

# e2e_http_port: HPORT, the port pilard got for [http] listen =
# 127.0.0.1:0, read from its http_listening log line.
e2e_http_port() {
	i=0
	HPORT=
	while [ -z "$HPORT" ]; do
		HPORT=$(sed -n 's/.* http_listening .* port=\([0-9]*\) .*/\1/p' \
		    "$T/pilard.log" 2>/dev/null | tail -n 1)
		i=$((i + 1))
		[ $i -lt 200 ] || e2e_fail "no http_listening line"
		[ -n "$HPORT" ] || sleep 0.05
	done
}

# Wait for the simulator's script to end; it exits 1 on a failed
# expectation.
e2e_smsc_wait() {
	rc=0
	wait "$SMSC_PID" || rc=$?
	SMSC_PID=
	[ "$rc" -eq 0 ] || e2e_fail "pilar-smsc script failed (exit $rc)"
}

# Stop our pilard with SIGTERM and check it exits 0 (ASan leaks count).
e2e_pilard_stop() {
	kill -TERM "$PILARD_PID"
	rc=0
	wait "$PILARD_PID" || rc=$?
	rm -f "$T/pilard.pid"
	[ "$rc" -eq 0 ] || e2e_fail "pilard exited $rc after SIGTERM"
}

# summary KEY: a counter of the simulator's final smsc_summary line.
summary() {
	sed -n "s/^smsc_summary.* $1=\([0-9]*\).*/\1/p" "$T/smsc.out"
}

# e2e_sql QUERY: ask the database directly (read-only checks).
e2e_sql() {
	sqlite3 -batch -noheader "$T/pilar.db" "$1"
}

e2e_pass() {
	trap - EXIT
	e2e_cleanup
	rm -rf "$T"
	echo "PASS: $(basename "$0" .sh)"
}
