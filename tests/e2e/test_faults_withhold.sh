#!/bin/sh
# Lost responses: the SMSC delivers two replies but never answers their
# submit_sm.  pilard must not wait forever: after [smpp] response_timeout
# (2 s here) it gives them up as unknown, because the SMSC may well have
# delivered them (it did here), and sends them no second time: every
# reply reaches the phone once.  The store ends with those two in state
# unknown (3), none pending, and the next reply goes through at once.
# test_faults_withhold_resend.sh: the same with resend_unknown = yes.
. "$(dirname "$0")/lib.sh"
RESPONSE_TIMEOUT=2
cat >"$T/script" <<SCRIPT
wait_bind
fault withhold 2
mo 081200000001 GRAD 12345
expect_resp ok
mo 081200000001 GRAD 12346
expect_resp ok
# The two withheld copies at once...
expect_mt_count 2
# ...and nothing more before response_timeout.
sleep 1000
expect_mt_count 2
# No resend after the timeout (2 s).
sleep 2500
expect_mt_count 2
mo 081200000001 GRAD 12347
expect_resp ok
expect_mt_count 3
settle 1000
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(summary mt)" = 3 ] && [ "$(summary unique_mt)" = 3 ] ||
    e2e_fail "MTs delivered: $(summary mt), unique $(summary unique_mt); want 3 and 3"
for k in 12345 12346 12347; do
	n=$(grep -c "^<< 6281200000001: OK. Graduasi SM KPM $k tercatat" \
	    "$T/smsc.out" || true)
	[ "$n" = 1 ] || e2e_fail "reply for KPM $k arrived $n times, want 1"
done
n=$(grep -c 'mt_unknown.*why=response_timeout' "$T/pilard.log" || true)
[ "$n" = 2 ] || e2e_fail "$n mt_unknown lines, want 2"
[ "$(e2e_sql 'SELECT group_concat(state) FROM (SELECT state FROM mt ORDER BY id)')" = 3,3,1 ] ||
    e2e_fail "MT states: $(e2e_sql 'SELECT group_concat(state) FROM (SELECT state FROM mt ORDER BY id)'), want 3,3,1"
[ "$(e2e_sql 'SELECT count(*) FROM mt')" = 3 ] || e2e_fail "mt rows"
e2e_pass
