#!/bin/sh
# Flood control, with [limits] mo_per_sender = 5/10m, loop_guard = 3 and
# redelivery_window = 10m:
#  - a companion sends 8 visits at once: 5 confirmations, one notice
#    ("Terlalu banyak SMS"), then silence; all 8 visits are stored and
#    all 8 MOs acknowledged.  Another companion, meanwhile, is answered
#    as usual;
#  - an auto-responder answers each of our replies with the same text:
#    3 replies, then silence (logged flood=muted);
#  - the same text twice within the redelivery window is one MO (one
#    row, deliveries 2), answered both times, recorded once.
. "$(dirname "$0")/lib.sh"

AUTO="Maaf, nomor yang Anda tuju tidak aktif"

cat >"$T/script" <<SCRIPT
wait_bind
# Sari (C001) catches up on 8 visits in one go.
mo 081200000001 KUNJ 12345
mo 081200000001 KUNJ 12346 ibu sakit
mo 081200000001 KUNJ 12347
mo 081200000001 KUNJ 12348
mo 081200000001 KUNJ 12349
mo 081200000001 KUNJ 12350
mo 081200000001 KUNJ 12351
mo 081200000001 KUNJ 12352
expect_acked
expect_mt_to 6281200000001 Ref K001
expect_mt_to 6281200000001 Ref K002
expect_mt_to 6281200000001 Ref K003
expect_mt_to 6281200000001 Ref K004
expect_mt_to 6281200000001 Ref K005
expect_mt_to 6281200000001 Terlalu banyak SMS
no_mt 1500
# Budi (C002) is not Sari: three visits and a graduation, the last sent
# twice (no confirmation came fast enough for him).
mo 081200000002 KUNJ 22345
expect_resp ok
expect_mt_to 6281200000002 Ref K001
mo 081200000002 KUNJ 22346
expect_resp ok
expect_mt_to 6281200000002 Ref K002
mo 081200000002 KUNJ 22347
expect_resp ok
expect_mt_to 6281200000002 Ref K003
mo 081200000002 GRAD 22348
expect_resp ok
expect_mt_to 6281200000002 Ref G004
mo 081200000002 GRAD 22348
expect_resp ok
expect_mt_to 6281200000002 Ref G004
# Sari is still over her limit.
mo 081200000001 STATUS
expect_resp ok
no_mt 1000
# An auto-responder: each of our replies brings the same text back.
mo 081377770000 $AUTO
expect_resp ok
expect_mt_to 6281377770000
mo 081377770000 $AUTO
expect_resp ok
expect_mt_to 6281377770000
mo 081377770000 $AUTO
expect_resp ok
expect_mt_to 6281377770000
mo 081377770000 $AUTO
expect_resp ok
no_mt 1000
mo 081377770000 $AUTO
expect_resp ok
no_mt 1000
expect_acked
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
cat >>"$CONF" <<CONF

[limits]
mo_per_sender = 5/10m
redelivery_window = 10m
loop_guard = 3
loop_mute = 1h
CONF
"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects $CONF"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

# Every MO acknowledged; replies: Sari 5 + notice, Budi 5, the loop 3.
[ "$(summary mo)" = 19 ] && [ "$(summary mo_acked)" = 19 ] ||
    e2e_fail "MOs sent $(summary mo), acknowledged ESME_ROK $(summary mo_acked); want 19 and 19"
[ "$(summary mt)" = 14 ] || e2e_fail "MTs: $(summary mt), want 14"

# Sari: all 8 visits stored, whatever was answered.
n=$(e2e_sql "SELECT count(*) FROM records WHERE companion_id = 'C001'
    AND kind = 'K' AND cancelled_at IS NULL")
[ "$n" = 8 ] || e2e_fail "Sari's visits stored: $n, want 8"
n=$(e2e_sql "SELECT count(*) FROM mo WHERE sender = '6281200000001'")
[ "$n" = 9 ] || e2e_fail "Sari's MOs stored: $n, want 9"
n=$(grep -c 'mo .*companion=C001 .*flood=notice' "$T/pilard.log" || true)
[ "$n" = 1 ] || e2e_fail "$n flood=notice lines for C001, want 1"
n=$(grep -c 'mo .*companion=C001 .*flood=limited' "$T/pilard.log" || true)
[ "$n" = 3 ] || e2e_fail "$n flood=limited lines for C001, want 3"

# Budi: 3 visits and one graduation; the graduation is one MO row
# delivered twice.
n=$(e2e_sql "SELECT kind || count(*) FROM records WHERE companion_id =
    'C002' AND cancelled_at IS NULL GROUP BY kind ORDER BY kind" |
    tr '\n' ' ')
[ "$n" = "G1 K3 " ] || e2e_fail "Budi's records: '$n', want 'G1 K3 '"
n=$(e2e_sql "SELECT count(*) || '|' || coalesce(max(deliveries), 0) FROM mo
    WHERE sender = '6281200000002' AND text = 'GRAD 22348'")
[ "$n" = "1|2" ] ||
    e2e_fail "GRAD 22348 sent twice: mo rows|deliveries = '$n', want '1|2'"
grep -q 'mo .*companion=C002 .*redelivery=1' "$T/pilard.log" ||
    e2e_fail "no redelivery=1 line for C002"
! grep -q 'mo .*companion=C002 .*flood=' "$T/pilard.log" ||
    e2e_fail "Budi was flood-limited: $(grep 'companion=C002 .*flood=' "$T/pilard.log")"

# The auto-responder: 3 replies, then muted.
n=$(grep -c '^<< 6281377770000: ' "$T/smsc.out" || true)
[ "$n" = 3 ] || e2e_fail "$n replies to the auto-responder, want 3"
n=$(grep -c 'mo .*from=62813\*\*\*\*0000 .*flood=muted' "$T/pilard.log" ||
    true)
[ "$n" = 2 ] || e2e_fail "$n flood=muted lines for the auto-responder, want 2"
n=$(e2e_sql "SELECT count(*) FROM mo WHERE sender = '6281377770000'")
[ "$n" -ge 1 ] || e2e_fail "the auto-responder's MOs were not stored"
e2e_pass
