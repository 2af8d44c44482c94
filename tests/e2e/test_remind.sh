#!/bin/sh
# Reminders end to end: a KPM says STOP and is confirmed; pilarctl remind
# add to companion C001's families; pilard queues and sends them through
# the simulator, skipping the one who said STOP and those without a
# phone; remind show counts them.  MULAI subscribes again; a bad
# template is refused.
. "$(dirname "$0")/lib.sh"

cat >"$T/script" <<SCRIPT
wait_bind
mo 081311110003 STOP
expect_mt_to 6281311110003
sh "$PILARCTL" -c "$CONF" remind add --text 'Halo {name}, P2K2 besok bersama {companion}.' --to companion:C001 >"$T/add.out"
expect_mt_to 6281311110001 Halo Siti Aminah, P2K2 besok bersama Sari.
expect_mt_count 5
settle 1500
mo 081311110003 MULAI
expect_mt_to 6281311110003
sh "$PILARCTL" -c "$CONF" remind add --text 'Posyandu {date}, {name}' --to kpm:12347 >/dev/null
expect_mt_to 6281311110003 Posyandu
expect_mt_count 7
settle 1500
sh kill -TERM \$(cat $T/pilard.pid)
expect_close
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
printf '[reminders]\nquiet_hours = none\ndaily_cap = 0\n' >>"$CONF"
e2e_roster

# Refused before anything is stored.
if "$PILARCTL" -c "$CONF" remind add --text 'Halo {nama}' --to all \
    >/dev/null 2>"$T/err"; then
	e2e_fail "an unknown placeholder was accepted"
fi
grep -q 'unknown placeholder {nama}' "$T/err" || e2e_fail "$(cat "$T/err")"
long=$(printf '%0150d' 0)
if "$PILARCTL" -c "$CONF" remind add --text "$long {name}" --to all \
    >/dev/null 2>"$T/err"; then
	e2e_fail "a text too long was accepted"
fi
grep -q 'too long' "$T/err" || e2e_fail "$(cat "$T/err")"
if "$PILARCTL" -c "$CONF" remind add --text x --to town:X \
    >/dev/null 2>&1; then
	e2e_fail "--to town:X was accepted"
fi

e2e_pilard
e2e_smsc_wait
rc=0
wait "$PILARD_PID" || rc=$?
rm -f "$T/pilard.pid"
[ "$rc" -eq 0 ] || e2e_fail "pilard exited $rc after SIGTERM"

grep -q '^reminder 1 added' "$T/add.out" || e2e_fail "add: $(cat "$T/add.out")"
# Nobody who said STOP got the first one.
[ "$(grep -c '^<< 6281311110003: Halo' "$T/smsc.out")" = 0 ] ||
    e2e_fail "a KPM who said STOP was reminded"
"$PILARCTL" -c "$CONF" remind show 1 >"$T/show" || e2e_fail "remind show"
cat "$T/show"
grep -q '^queued: *4$' "$T/show" || e2e_fail "queued"
grep -q '^sent: *4$' "$T/show" || e2e_fail "sent"
grep -q '^pending: *0$' "$T/show" || e2e_fail "pending"
grep -q '^state: *done$' "$T/show" || e2e_fail "state"
grep -q '^skipped: *4 (stop 1, no phone 3, daily cap 0, too long 0)$' \
    "$T/show" || e2e_fail "skipped"
"$PILARCTL" -c "$CONF" remind list >"$T/list" || e2e_fail "remind list"
[ "$(grep -c done "$T/list")" = 2 ] || e2e_fail "list: $(cat "$T/list")"
"$PILARCTL" -c "$CONF" remind cancel 1 >/dev/null 2>&1 &&
    e2e_fail "a finished reminder was cancelled"
e2e_pass
