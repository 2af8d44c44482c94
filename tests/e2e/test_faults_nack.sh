#!/bin/sh
# Two more ways a busy SMSC refuses a submit: a generic_nack (status
# ESME_RSYSERR, what an overloaded SMSC sends when it cannot take the PDU
# at all) and ESME_RMSGQFUL (its queue for that phone is full).  Both are
# temporary: pilard logs mt_retry, resends, and every reply arrives
# exactly once (a refused submit was not delivered) and is marked sent.
. "$(dirname "$0")/lib.sh"

cat >"$T/script" <<SCRIPT
wait_bind
fault nack 2
mo 081200000001 GRAD 12345
mo 081200000001 GRAD 12346
expect_acked
expect_mt_count 2
fault msgqful 2
mo 081200000001 GRAD 12347
mo 081200000001 GRAD 12348
expect_acked
expect_mt_count 4
# A generic_nack with another status some SMSCs use when busy.
fault nack 1 ESME_RTHROTTLED
mo 081200000001 GRAD 12349
expect_acked
expect_mt_count 5
settle 1500
mo 081200000001 STATUS
expect_mt Capaian $YEAR: 5/10 graduasi
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(summary mt)" = 6 ] && [ "$(summary unique_mt)" = 6 ] ||
    e2e_fail "MTs delivered: $(summary mt), unique $(summary unique_mt); want 6 and 6"
[ "$(summary submits)" = 11 ] ||
    e2e_fail "submits: $(summary submits), want 11 (6 + 5 refused)"
for k in 12345 12346 12347 12348 12349; do
	n=$(grep -c "^<< 6281200000001: OK. Graduasi SM KPM $k tercatat" \
	    "$T/smsc.out" || true)
	[ "$n" = 1 ] || e2e_fail "reply for KPM $k arrived $n times"
done
n=$(grep -c 'mt_retry .*status=ESME_RSYSERR' "$T/pilard.log" || true)
[ "$n" = 2 ] || e2e_fail "$n mt_retry lines for the generic_nack, want 2"
n=$(grep -c 'mt_retry .*status=ESME_RMSGQFUL' "$T/pilard.log" || true)
[ "$n" = 2 ] || e2e_fail "$n mt_retry lines for ESME_RMSGQFUL, want 2"
n=$(grep -c 'mt_retry .*status=ESME_RTHROTTLED' "$T/pilard.log" || true)
[ "$n" = 1 ] || e2e_fail "$n mt_retry lines for the throttling nack, want 1"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state = 1')" = 6 ] ||
    e2e_fail "MTs marked sent: $(e2e_sql 'SELECT count(*) FROM mt WHERE state = 1'), want 6"
[ "$(e2e_sql 'SELECT count(*) FROM mt')" = 6 ] || e2e_fail "mt rows"
e2e_pass
