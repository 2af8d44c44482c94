#!/bin/sh
# Lost responses: the SMSC delivers two replies but never answers their
# submit_sm.  pilard must not wait forever nor drop them: after
# [smpp] response_timeout (4 s here) it sends them again, and the store
# ends with every reply marked sent.  The phone then gets those two
# twice: with [smpp] resend_unknown = yes that is what the operator
# chose (the default sets them aside as unknown: test_faults_withhold.sh).
# The next reply goes through at once.
. "$(dirname "$0")/lib.sh"

RESPONSE_TIMEOUT=4
cat >"$T/script" <<SCRIPT
wait_bind
fault withhold 2
mo 081200000001 GRAD 12345
expect_resp ok
mo 081200000001 GRAD 12346
expect_resp ok
# The two withheld copies at once...
expect_mt_count 2
# ...and nothing more well before response_timeout (a machine that
# stalls for 3 s would see the resends here).
sleep 1000
expect_mt_count 2
# The resends (timeout 4 s, then a retry delay).
expect_mt_count 4
mo 081200000001 GRAD 12347
expect_resp ok
expect_mt_count 5
settle 1000
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
printf '[smpp]\nresend_unknown = yes\n' >>"$CONF"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(summary mt)" = 5 ] && [ "$(summary unique_mt)" = 3 ] ||
    e2e_fail "MTs delivered: $(summary mt), unique $(summary unique_mt); want 5 and 3"
for k in 12345 12346; do
	n=$(grep -c "^<< 6281200000001: OK. Graduasi SM KPM $k tercatat" \
	    "$T/smsc.out" || true)
	[ "$n" = 2 ] || e2e_fail "reply for KPM $k arrived $n times, want 2"
done
n=$(grep -c 'mt_timeout' "$T/pilard.log" || true)
[ "$n" = 2 ] || e2e_fail "$n mt_timeout lines, want 2"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state = 1')" = 3 ] ||
    e2e_fail "MTs marked sent: $(e2e_sql 'SELECT count(*) FROM mt WHERE state = 1'), want 3"
[ "$(e2e_sql 'SELECT count(*) FROM mt')" = 3 ] || e2e_fail "mt rows"
e2e_pass
