#!/bin/sh
# SIGTERM: pilard finishes what is in flight, unbinds and exits 0; the
# configuration check prints "configuration OK" or FILE:LINE.
. "$(dirname "$0")/lib.sh"

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
expect_mt Ref G001
sh kill -TERM \$(cat $T/pilard.pid)
expect_close
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
out=$("$PILARD" -n -c "$CONF") || e2e_fail "pilard -n"
[ "$out" = "configuration OK" ] || e2e_fail "pilard -n said: $out"
printf '[smpp]\nport = 2775\nwindow = many\n' >"$T/bad.conf"
if out=$("$PILARD" -n -c "$T/bad.conf" 2>&1); then
	e2e_fail "pilard -n accepted a bad file"
fi
[ "$out" = "$T/bad.conf:3: window: 'many' is not a number" ] ||
    e2e_fail "pilard -n said: $out"

e2e_pilard
e2e_smsc_wait
rc=0
wait "$PILARD_PID" || rc=$?
rm -f "$T/pilard.pid"
[ "$rc" -eq 0 ] || e2e_fail "pilard exited $rc after SIGTERM"
grep -q 'to=unbinding' "$T/pilard.log" || e2e_fail "pilard did not unbind"
grep -q 'to=stopped' "$T/pilard.log" || e2e_fail "pilard did not stop"
e2e_pass
