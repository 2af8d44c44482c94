#!/bin/sh
# A loaded SMSC: pilard's submits are answered ESME_RTHROTTLED, first a
# run of them (three in a row), then every other one for a while.
# pilard pauses, resends with new sequence numbers and gets every reply
# through exactly once (a throttled submit was not delivered, so a
# second copy would be a real duplicate on the companion's phone); it
# logs an mt_retry line for each refusal and the store ends with every
# reply marked sent.
. "$(dirname "$0")/lib.sh"

cat >"$T/script" <<SCRIPT
wait_bind
fault throttle 3
mo 081200000001 GRAD 12345
mo 081200000001 GRAD 12346
mo 081200000001 GRAD 12347
expect_acked
expect_mt_count 3
fault throttle_every 2
mo 081200000001 GRAD 12348
mo 081200000001 GRAD 12349
mo 081200000001 GRAD 12350
mo 081200000001 GRAD 12351
mo 081200000001 GRAD 12352
expect_acked
expect_mt_count 8
fault throttle_every 0
# Late copies would show up here and fail expect_mt_count below.
settle 1500
mo 081200000001 STATUS
expect_mt Capaian $YEAR: 8/10 graduasi
expect_mt_count 9
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(summary mt)" = 9 ] && [ "$(summary unique_mt)" = 9 ] ||
    e2e_fail "MTs delivered: $(summary mt), unique $(summary unique_mt); want 9 and 9"
dups=$(grep '^<< ' "$T/smsc.out" | sort | uniq -d)
[ -z "$dups" ] || e2e_fail "duplicate replies: $dups"
for k in 12345 12346 12347 12348 12349 12350 12351 12352; do
	n=$(grep -c "^<< 6281200000001: OK. Graduasi SM KPM $k tercatat" \
	    "$T/smsc.out" || true)
	[ "$n" = 1 ] || e2e_fail "reply for KPM $k arrived $n times"
done
# 3 in a row, then at least 2 of the 5 (every other submit, retries too).
n=$(grep -c 'mt_retry .*status=ESME_RTHROTTLED' "$T/pilard.log" || true)
[ "$n" -ge 5 ] || e2e_fail "$n mt_retry lines with ESME_RTHROTTLED, want >= 5"
[ "$(summary submits)" -eq $((9 + n)) ] ||
    e2e_fail "submits $(summary submits), want 9 + $n refused"
[ "$(e2e_sql 'SELECT count(*) FROM mt WHERE state = 1')" = 9 ] ||
    e2e_fail "MTs marked sent: $(e2e_sql 'SELECT count(*) FROM mt WHERE state = 1'), want 9"
[ "$(e2e_sql 'SELECT count(*) FROM mt')" = 9 ] || e2e_fail "mt rows"
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL")" = 8 ] ||
    e2e_fail "active graduations"
e2e_pass
