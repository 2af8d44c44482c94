#!/bin/sh
# Refused binds.  ESME_RBINDFAIL (0x0D) is temporary: pilard retries with
# exponential backoff (reconnect_min 1 s doubling to reconnect_max 2 s,
# each wait drawn in [half, all]: 0.5-1 s, then 1-2 s), neither
# hammering the SMSC nor giving up, and works normally once bound.
# ESME_RINVPASWD (0x0E) is a configuration error: pilard logs
# smpp_bind_refused with a hint and waits at least 300 s (whatever
# reconnect_max says) before it tries again; the log says how long.
. "$(dirname "$0")/lib.sh"

cat >"$T/script" <<SCRIPT
fault refuse_bind 3
expect_bind_attempts 1
expect_no_bind 400
expect_bind_attempts 2
expect_no_bind 900
expect_bind_attempts 3
expect_no_bind 900
wait_bind
mo 081200000001 STATUS
expect_mt graduasi
# The password is now wrong (as after a change at the operator's).
fault refuse_bind 1 0x0E
drop
expect_bind_attempts 5
expect_no_bind 3000
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(summary binds)" = 1 ] && [ "$(summary refused_binds)" = 4 ] ||
    e2e_fail "binds $(summary binds), refused $(summary refused_binds); want 1 and 4"
n=$(grep -c 'smpp_bind_refused .*status=ESME_RBINDFAIL' "$T/pilard.log" ||
    true)
[ "$n" = 3 ] || e2e_fail "$n smpp_bind_refused lines for ESME_RBINDFAIL, want 3"
grep 'smpp_bind_refused .*status=ESME_RINVPASWD' "$T/pilard.log" |
    grep -q 'hint=' || e2e_fail "no smpp_bind_refused line with a hint"
# The wait announced after the refused password: at least 300 s.
ms=$(sed -n '/smpp_bind_refused .*ESME_RINVPASWD/,$p' "$T/pilard.log" |
    sed -n 's/.*smpp_reconnect_in .*ms=\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$ms" ] || e2e_fail "no smpp_reconnect_in line after the refused password"
[ "$ms" -ge 300000 ] || e2e_fail "waits $ms ms after a refused password"
e2e_pass
