#!/bin/sh
# Long MOs: a KUNJ with a note too long for one SMS comes as parts, one
# deliver_sm each.  pilard keeps each part as it comes, acknowledges it
# once stored, and handles the message once the last part is in: one MO
# row with the whole text, one record, one reply.  In order and out of
# order; UCS-2; a 16-bit reference; the SAR TLVs instead of a UDH; a
# part delivered twice before the message completes and once after (no
# second MO, no second reply); the same text whole in message_payload;
# a reference reused while its first message still waits (that one is
# handled as it is); a UDH whose concatenation IE makes no sense (the
# text is handled on its own); and a message whose middle part never
# comes, handled after concat_timeout with a "…" where it is missing.
. "$(dirname "$0")/lib.sh"

# Three GSM-7 parts (386 characters), three UCS-2 parts (179).
NOTE="ibu hamil tujuh bulan sudah periksa ke posyandu dan bidan desa, berat badan naik, tekanan darah normal, disarankan makan sayur dan buah setiap hari, minum tablet tambah darah, istirahat cukup, kunjungan berikutnya bersama kader kesehatan untuk memantau kondisi ibu dan janin serta persiapan persalinan di puskesmas terdekat dengan dukungan keluarga dan tetangga sekitar rumah"
UNOTE="catatan \\u2713 ibu sehat \\u2713 anak sehat, imunisasi lengkap \\u2713 timbang rutin di posyandu \\u2713 rumah bersih, air minum dimasak, jamban sehat \\u2713 keluarga rukun dan anak rajin sekolah setiap hari"
UNOTE_UTF8=$(printf '%s' "$UNOTE" | sed 's/\\u2713/✓/g')
# deliver_sm seq 0x7000 from 081200000001, esm_class 0x40, short_message
# 05 00 03 07 02 03 "STATUS".
BAD_UDH=0000003d00000005000000000000700000000130383132303030303030303100000031373137004000000000000000000c050003070203535441545553

cat >"$T/script" <<SCRIPT
wait_bind
# In order, 8-bit reference.
mo_long 081200000001 KUNJ 12345 $NOTE
expect_acked
expect_mt_to 6281200000001 Kunjungan KPM 12345
# Out of order.
mo_long 081200000001 parts=3,1,2 KUNJ 12346 $NOTE
expect_acked
expect_mt Kunjungan KPM 12346
# UCS-2.
mo_long 081200000001 parts=2,3,1 KUNJ 12347 $UNOTE
expect_acked
expect_mt Kunjungan KPM 12347
# A 16-bit reference (over 255), out of order.
mo_long 081200000001 udh16 ref=700 parts=2,1,3 KUNJ 12348 $NOTE
expect_acked
expect_mt Kunjungan KPM 12348
# No UDH: the SAR TLVs.
mo_long 081200000001 sar ref=4242 parts=1,3,2 KUNJ 12349 $NOTE
expect_acked
expect_mt Kunjungan KPM 12349
# Part 2 delivered twice before the message completes...
mo_long 081200000001 ref=9 parts=1,2,2,3 KUNJ 12350 $NOTE
expect_acked
expect_mt Kunjungan KPM 12350
no_mt 500
# ... and the last part again after (its deliver_sm_resp was lost).
redeliver
expect_resp ok
no_mt 1000
# The same whole in message_payload: one deliver_sm, one MO.
mo 081200000001 KUNJ 12351 $NOTE
expect_resp ok
expect_mt Kunjungan KPM 12351
# Budi's first message never gets past part 1; his next one takes the
# same reference: the first is handled as it is, then the second.
mo_long 081200000002 ref=50 parts=1 KUNJ 22345 $NOTE
expect_acked
no_mt 500
mo_long 081200000002 ref=50 KUNJ 22346 $NOTE
expect_acked
expect_mt_to 6281200000002 Kunjungan KPM 22345
expect_mt_to 6281200000002 Kunjungan KPM 22346
# UDHI and the IE 00 03 07 02 03 (part 3 of 2) before STATUS.
raw $BAD_UDH
expect_mt Capaian
# The middle part never comes: after concat_timeout (3 s) the message
# is handled with what came.
mo_long 081200000001 ref=200 parts=1,3 KUNJ 12352 $NOTE
expect_acked
no_mt 1500
expect_mt Kunjungan KPM 12352
no_mt 500
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
printf '[limits]\nconcat_timeout = 3s\n' >>"$CONF"
e2e_pilard
e2e_smsc_wait
sh "$PILAR_SRC/tests/e2e/pilard.sh" stop "$T"

# One MO per message: the six long ones, the one in message_payload,
# Budi's two, STATUS and the expired one; every part finished.
[ "$(e2e_sql 'SELECT count(*) || "/" || sum(deliveries) FROM mo')" = 11/11 ] ||
    e2e_fail "mo rows/deliveries: $(e2e_sql 'SELECT count(*) || "/" || sum(deliveries) FROM mo'), want 11/11"
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind='K' AND cancelled_at IS NULL")" = 10 ] ||
    e2e_fail "visits: $(e2e_sql "SELECT count(*) FROM records WHERE kind='K'"), want 10"
[ "$(grep -c '^<< ' "$T/smsc.out")" = 11 ] || e2e_fail "replies, want 11"
[ "$(e2e_sql 'SELECT count(*) FROM mo_parts WHERE finished_at IS NULL')" = 0 ] ||
    e2e_fail "parts left pending"

# The whole text in each MO, joined from its parts in order.
for kpm in 12345 12346 12348 12349 12350 12351; do
	got=$(e2e_sql "SELECT text FROM mo WHERE text LIKE 'KUNJ $kpm %'")
	[ "$got" = "KUNJ $kpm $NOTE" ] ||
	    e2e_fail "mo text of $kpm: $got"
	# The record keeps the whole note, not its first SMS.
	note=$(e2e_sql "SELECT note FROM records WHERE kpm_id = '$kpm'")
	[ "$note" = "$NOTE" ] || e2e_fail "note of $kpm: $note"
done
got=$(e2e_sql "SELECT text FROM mo WHERE text LIKE 'KUNJ 12347 %'")
[ "$got" = "KUNJ 12347 $UNOTE_UTF8" ] || e2e_fail "UCS-2 mo text: $got"
note=$(e2e_sql "SELECT note FROM records WHERE kpm_id = '12347'")
[ "$note" = "$UNOTE_UTF8" ] || e2e_fail "UCS-2 note: $note"

# The incomplete one: part 1, the marker, part 3.
got=$(e2e_sql "SELECT text FROM mo WHERE text LIKE 'KUNJ 12352 %'")
case "$got" in
"KUNJ 12352 "*"…"*"rumah") ;;
*) e2e_fail "expired mo text: $got" ;;
esac
[ "${#got}" -lt 386 ] || e2e_fail "expired mo text is whole: $got"
grep -q 'mo_parts_expired .*ref=200 received=2/3 .*reason=expired' \
    "$T/pilard.log" || e2e_fail "no mo_parts_expired line"
grep -q 'mo_parts_expired .*ref=50 received=1/3 .*reason=superseded' \
    "$T/pilard.log" || e2e_fail "no superseded line"
got=$(e2e_sql "SELECT text FROM mo WHERE text LIKE 'KUNJ 22346 %'")
[ "$got" = "KUNJ 22346 $NOTE" ] || e2e_fail "mo text of 22346: $got"
grep -q 'mo_udh_invalid .*seq=28672 ' "$T/pilard.log" ||
    e2e_fail "no mo_udh_invalid line"
[ "$(e2e_sql "SELECT count(*) FROM mo WHERE text = 'STATUS'")" = 1 ] ||
    e2e_fail "the text behind a bad UDH is lost"

# The log: a mo_part line per part, the duplicates said so, one mo line
# per message saying how many parts it had.
[ "$(grep -c ' mo_part ' "$T/pilard.log")" = 26 ] ||
    e2e_fail "mo_part lines: $(grep -c ' mo_part ' "$T/pilard.log"), want 26"
[ "$(grep -c ' mo_part .*state=duplicate' "$T/pilard.log")" = 2 ] ||
    e2e_fail "duplicate parts"
grep -q ' mo_part .*ref=700 part=2/3 via=udh16 .*state=stored pending=1' \
    "$T/pilard.log" || e2e_fail "no udh16 part line"
grep -q ' mo_part .*ref=4242 part=2/3 via=sar .*state=complete' \
    "$T/pilard.log" || e2e_fail "no sar part line"
[ "$(grep -c ' mo link=.* parts=3 ' "$T/pilard.log")" = 9 ] ||
    e2e_fail "mo lines of long messages"
e2e_pass
