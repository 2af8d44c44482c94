#!/bin/sh
# Long MOs across kill -9: the parts pilard acknowledged are on disk, so
# a message whose first parts came before the crash completes when its
# last part comes after the restart; a part the SMSC delivers again
# after a restart (its deliver_sm_resp lost with the crash) is known,
# even when its message completed before the crash; and a message whose
# parts never all come is handled after concat_timeout even though
# pilard was restarted meanwhile.  One MO, one record, one reply each.
. "$(dirname "$0")/lib.sh"

NOTE="ibu hamil tujuh bulan sudah periksa ke posyandu dan bidan desa, berat badan naik, tekanan darah normal, disarankan makan sayur dan buah setiap hari, minum tablet tambah darah, istirahat cukup, kunjungan berikutnya bersama kader kesehatan untuk memantau kondisi ibu dan janin serta persiapan persalinan di puskesmas terdekat dengan dukungan keluarga dan tetangga sekitar rumah"
KILL="sh sh $PILAR_SRC/tests/e2e/pilard.sh kill $T"
START="sh sh $PILAR_SRC/tests/e2e/pilard.sh start $T"

cat >"$T/script" <<SCRIPT
wait_bind
# Parts 2 and 1, a crash, part 3: the message completes.
mo_long 081200000001 ref=5 parts=2,1 KUNJ 12345 $NOTE
expect_acked
$KILL
expect_close
$START
wait_bind
mo_long 081200000001 ref=5 parts=3 KUNJ 12345 $NOTE
expect_resp ok
expect_mt_to 6281200000001 Kunjungan KPM 12345
# Completed, a crash, and the SMSC delivers the last part again.
enquire
$KILL
expect_close
$START
wait_bind
redeliver
expect_resp ok
no_mt 1500
# One part, a crash: after the restart it is still handled when
# concat_timeout (6 s) is over.
mo_long 081200000001 ref=6 parts=1 KUNJ 12346 $NOTE
expect_acked
$KILL
expect_close
$START
wait_bind
expect_mt Kunjungan KPM 12346
no_mt 500
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
printf '[limits]\nconcat_timeout = 6s\n' >>"$CONF"
e2e_pilard
e2e_smsc_wait
sh "$PILAR_SRC/tests/e2e/pilard.sh" stop "$T"

[ "$(grep -c ' info started ' "$T/pilard.log")" = 4 ] ||
    e2e_fail "pilard was not restarted three times"
[ "$(e2e_sql 'SELECT count(*) || "/" || sum(deliveries) FROM mo')" = 2/2 ] ||
    e2e_fail "mo rows/deliveries: $(e2e_sql 'SELECT count(*) || "/" || sum(deliveries) FROM mo'), want 2/2"
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind='K' AND cancelled_at IS NULL")" = 2 ] ||
    e2e_fail "visits, want 2"
[ "$(grep -c '^<< ' "$T/smsc.out")" = 2 ] || e2e_fail "replies, want 2"
[ "$(e2e_sql 'SELECT count(*) FROM mo_parts WHERE finished_at IS NULL')" = 0 ] ||
    e2e_fail "parts left pending"
got=$(e2e_sql "SELECT text FROM mo WHERE text LIKE 'KUNJ 12345 %'")
[ "$got" = "KUNJ 12345 $NOTE" ] || e2e_fail "mo text: $got"
got=$(e2e_sql "SELECT text FROM mo WHERE text LIKE 'KUNJ 12346 %'")
case "$got" in
"KUNJ 12346 "*"setiap…") ;;
*) e2e_fail "expired mo text: $got" ;;
esac

grep -q 'mo_parts_pending messages=1 parts=2' "$T/pilard.log" ||
    e2e_fail "no mo_parts_pending line after the first restart"
grep -q 'mo_parts_pending messages=1 parts=1' "$T/pilard.log" ||
    e2e_fail "no mo_parts_pending line after the last restart"
grep -q ' mo_part .*ref=5 part=3/3 .*state=complete' "$T/pilard.log" ||
    e2e_fail "the last part did not complete the message"
grep -q ' mo_part .*ref=5 part=3/3 .*state=duplicate pending=0 mo=1' \
    "$T/pilard.log" || e2e_fail "the redelivered part was not known"
grep -q 'mo_parts_expired .*ref=6 received=1/3 .*reason=expired' \
    "$T/pilard.log" || e2e_fail "no mo_parts_expired line"
e2e_pass
