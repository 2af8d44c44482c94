#!/bin/sh
# A companion's whole conversation through the real pilard and the
# simulator: graduations, a duplicate from another spelling of the same
# phone, a visit, status, undo, a stranger, another roster, an unknown
# KPM, nonsense; a kill -9 and restart that keeps the counts; a
# malformed deliver_sm and a hostile length after which pilard answers.
. "$(dirname "$0")/lib.sh"

DMY=$(date -u -d "@$(( $(date +%s) + 7 * 3600 ))" +%d/%m/%Y)
# 172 bytes: deliver_sm "STATUS" followed by 29 empty vendor TLVs, the
# PDU that corrupts libsmpp34's error buffer when given to it whole.
TLV_BOMB=000000ac00000005000000000000004d000101363238313230303030303030310000003137313700000000000000000000065354415455531400000014010000140200001403000014040000140500001406000014070000140800001409000014
TLV_BOMB=${TLV_BOMB}0a0000140b0000140c0000140d0000140e0000140f000014100000141100001412000014130000141400001415000014160000141700001418000014190000141a0000141b0000141c0000

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
expect_resp ok
expect_mt_to 6281200000001 Ref G001
mo +6281200000001 grad 12345
expect_mt sudah tercatat
mo 6281200000001 GRAD#12346.
expect_mt Ref G002
mo 081200000001 KUNJ 12347 ibu hamil 7 bulan
expect_mt Ref K003
mo 081200000001 STATUS
expect_mt graduasi
mo 081200000001 BATAL
expect_mt Dibatalkan
mo 081200000001 batal g002
expect_mt Dibatalkan
mo 081299999999 GRAD 12345
expect_mt belum terdaftar
mo 081200000001 GRAD 22345
expect_mt bukan dampingan
mo 081200000001 GRAD 99999
expect_mt tidak terdaftar
mo 081200000001 apa kabar
expect_mt Format tidak dikenal
# A crash: every acknowledged report must survive it.  The enquire
# round trip first makes sure pilard has committed the last submit_sm_resp
# (otherwise the last reply is rightly sent again after the restart).
enquire
sh sh $PILAR_SRC/tests/e2e/pilard.sh kill $T
expect_close
sh sh $PILAR_SRC/tests/e2e/pilard.sh start $T
wait_bind
mo 081200000001 STATUS
expect_mt graduasi
# Hostile input: a malformed PDU is refused, the link stays.
raw $TLV_BOMB
enquire
mo 081200000002 GRAD 22345
expect_mt_to 6281200000002 Ref G001
# A hostile command_length ends the link; pilard reconnects.
raw 0000000500000005000000000000004f
expect_close
wait_bind
mo 081200000001 STATUS
expect_mt graduasi
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait

cat >"$T/expected" <<EXPECTED
<< 6281200000001: OK. Graduasi SM KPM 12345 tercatat (Ref G001). Capaian $YEAR: 1/10. Salah? BATAL G001
<< 6281200000001: KPM 12345 sudah tercatat graduasi $DMY (Ref G001). Tidak dihitung ulang. Capaian $YEAR: 1/10
<< 6281200000001: OK. Graduasi SM KPM 12346 tercatat (Ref G002). Capaian $YEAR: 2/10. Salah? BATAL G002
<< 6281200000001: OK. Kunjungan KPM 12347 tgl $DMY tercatat (Ref K003). Kunjungan $YEAR: 1. Salah? BATAL K003
<< 6281200000001: Capaian $YEAR: 2/10 graduasi, 1 kunjungan. Lapor: GRAD <ID> atau KUNJ <ID>
<< 6281200000001: Dibatalkan: kunjungan KPM 12347 tgl $DMY (Ref K003). Kunjungan $YEAR: 0
<< 6281200000001: Dibatalkan: graduasi KPM 12346 (Ref G002). Capaian $YEAR: 1/10
<< 6281299999999: Nomor ini belum terdaftar sebagai pendamping. Hubungi koordinator Anda.
<< 6281200000001: KPM 22345 bukan dampingan Anda. Periksa ID atau hubungi koordinator.
<< 6281200000001: KPM 99999 tidak terdaftar. Periksa ID atau hubungi koordinator.
<< 6281200000001: Format tidak dikenal. Contoh: GRAD 12345 atau KUNJ 12345. Ketik BANTUAN.
<< 6281200000001: Capaian $YEAR: 1/10 graduasi, 0 kunjungan. Lapor: GRAD <ID> atau KUNJ <ID>
<< 6281200000002: OK. Graduasi SM KPM 22345 tercatat (Ref G001). Capaian $YEAR: 1/10. Salah? BATAL G001
<< 6281200000001: Capaian $YEAR: 1/10 graduasi, 0 kunjungan. Lapor: GRAD <ID> atau KUNJ <ID>
EXPECTED
grep '^<< ' "$T/smsc.out" >"$T/got" || true
diff -u "$T/expected" "$T/got" >&2 || e2e_fail "replies differ"

sh "$PILAR_SRC/tests/e2e/pilard.sh" stop "$T"
# Every MO the simulator saw acknowledged is in the database, once; the
# malformed one was refused and is not.  STATUS came three times within
# the redelivery window: one row, three deliveries.
[ "$(e2e_sql 'SELECT count(*) || "/" || sum(deliveries) FROM mo')" = 12/14 ] ||
    e2e_fail "mo rows/deliveries: $(e2e_sql 'SELECT count(*) || "/" || sum(deliveries) FROM mo'), want 12/14"
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind='G' AND cancelled_at IS NULL")" = 2 ] ||
    e2e_fail "active graduations"
grep -q 'pdu_malformed' "$T/pilard.log" || e2e_fail "no pdu_malformed line"
grep -q 'pdu_hostile' "$T/pilard.log" || e2e_fail "no pdu_hostile line"
e2e_pass
