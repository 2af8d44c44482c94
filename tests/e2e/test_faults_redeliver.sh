#!/bin/sh
# An MO delivered again by the SMSC (its deliver_sm_resp was lost, as far
# as the SMSC knows): same sender, same text, a new sequence number.
# It must not count twice: a redelivered GRAD is answered "sudah
# tercatat" and stored once; a redelivered BATAL gets the first one's
# answer again and does not undo a second record.  pilard's log says it
# saw a redelivery.
. "$(dirname "$0")/lib.sh"

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
expect_resp ok
expect_mt Ref G001
redeliver
expect_resp ok
expect_mt sudah tercatat
mo 081200000001 GRAD 12346
expect_mt Ref G002
mo 081200000001 BATAL
expect_mt Dibatalkan: graduasi KPM 12346 (Ref G002)
redeliver
expect_resp ok
expect_mt Dibatalkan: graduasi KPM 12346 (Ref G002)
mo 081200000001 STATUS
expect_mt Capaian $YEAR: 1/10 graduasi
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL")" = 1 ] ||
    e2e_fail "active graduations: $(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL"), want 1 (G001)"
[ "$(e2e_sql "SELECT ref FROM records WHERE cancelled_at IS NULL")" = G001 ] ||
    e2e_fail "the active record is not G001"
# Stored once each: GRAD 12345, GRAD 12346, BATAL, STATUS.
[ "$(e2e_sql 'SELECT count(*) FROM mo')" = 4 ] ||
    e2e_fail "mo rows: $(e2e_sql 'SELECT count(*) FROM mo'), want 4 (a redelivery is not a new MO)"
# (The test's folder is named after redeliveries: leave paths out.)
n=$(sed "s|$T||g" "$T/pilard.log" | grep -ci 'redeliver' || true)
[ "$n" -ge 2 ] || e2e_fail "$n log lines mention the redeliveries, want 2"
e2e_pass
