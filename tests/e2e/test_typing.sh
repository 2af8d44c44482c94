#!/bin/sh
# How companions really type, through the real pilard and the simulator:
# lower case, other separators, copied instructions, a keyword typo that
# is taken and one that is asked about, O and l for digits, relative,
# typed, future and impossible dates, a NIK that cannot be, and a
# message in UCS-2 with curly quotes.  Each reply is checked word for
# word, then the database: what was recorded, on which day, with which
# note, and that no NIK went out whole.
. "$(dirname "$0")/lib.sh"

# Days in Jakarta (WIB, the companion's zone), as replies show them.
NOW=$(date +%s)
wib() { date -u -d "@$(( NOW + 7 * 3600 + $1 * 86400 ))" "+$2"; }
DMY=$(wib 0 %d/%m/%Y)
ISO=$(wib 0 %Y-%m-%d)
Y_DMY=$(wib -1 %d/%m/%Y)
Y_ISO=$(wib -1 %Y-%m-%d)
Y_YEAR=$(wib -1 %Y)
T_DMY=$(wib 1 %d/%m/%Y)
# Yesterday's visit counts in yesterday's year (1 January: last year).
if [ "$Y_YEAR" = "$YEAR" ]; then VISITS=2; else VISITS=1; fi

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 grad 12345
expect_resp ok
expect_mt Ref G001
mo 081200000001 GRAD#12346
expect_mt Ref G002
mo 081200000001 grad.12347.sm
expect_mt Ref G003
mo 081200000001 GRAD <12348>
expect_mt Ref G004
# A typo of one keyword only: taken.
mo 081200000001 GARD 12349
expect_mt Ref G005
mo 081200000001 kunj 12350 kemarin
expect_mt tgl $Y_DMY tercatat
mo 081200000001 KUNJ 12350 kmrn
expect_mt sudah tercatat (Ref K006)
mo 081200000001 KUNJ 12350 hari ini posyandu
expect_mt Ref K007
mo 081200000001 kunj 12351 $T_DMY
expect_mt belum terjadi
mo 081200000001 KUNJ 12351 31/02 rumah
expect_mt tidak valid
# As close to STATUS as to STOP: asked, never guessed.
mo 081200000001 STAP
expect_mt Maksud Anda STATUS/STOP?
mo 081200000001 GRAD 3527014513900082
expect_mt bulan lahir
# Curly quotes force UCS-2.
mo 081200000001 \u201cGRAD 12351\u201d
expect_mt Ref G008
mo 081200000001 GRAD l2352
expect_mt Ref G009
mo 081200000001 GRAD (spasi) 12352
expect_mt sudah tercatat
mo 081200000001 Grad 12345 ok
expect_mt sudah tercatat
mo 081200000001 status
expect_mt kunjungan
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

cat >"$T/expected" <<EXPECTED
<< 6281200000001: OK. Graduasi SM KPM 12345 tercatat (Ref G001). Capaian $YEAR: 1/10. Salah? BATAL G001
<< 6281200000001: OK. Graduasi SM KPM 12346 tercatat (Ref G002). Capaian $YEAR: 2/10. Salah? BATAL G002
<< 6281200000001: OK. Graduasi SM KPM 12347 tercatat (Ref G003). Capaian $YEAR: 3/10. Salah? BATAL G003
<< 6281200000001: OK. Graduasi SM KPM 12348 tercatat (Ref G004). Capaian $YEAR: 4/10. Salah? BATAL G004
<< 6281200000001: OK. Graduasi SM KPM 12349 tercatat (Ref G005). Capaian $YEAR: 5/10. Salah? BATAL G005
<< 6281200000001: OK. Kunjungan KPM 12350 tgl $Y_DMY tercatat (Ref K006). Kunjungan $Y_YEAR: 1. Salah? BATAL K006
<< 6281200000001: Kunjungan KPM 12350 tgl $Y_DMY sudah tercatat (Ref K006). Tidak dihitung ulang. Kunjungan $Y_YEAR: 1
<< 6281200000001: OK. Kunjungan KPM 12350 tgl $DMY tercatat (Ref K007). Kunjungan $YEAR: $VISITS. Salah? BATAL K007
<< 6281200000001: Tanggal $T_DMY belum terjadi. Laporkan hanya hari ini atau tanggal sebelumnya.
<< 6281200000001: Tanggal 31/02 tidak valid. Tulis tgl/bln/thn, contoh 12/05/2026.
<< 6281200000001: Kata kunci tidak dikenal. Maksud Anda STATUS/STOP? Kirim ulang SMS dengan STATUS/STOP di awal. Ketik BANTUAN.
<< 6281200000001: NIK tidak valid: bulan lahir (angka 9-10) salah. NIK 16 angka sesuai KTP/KK, periksa lagi.
<< 6281200000001: OK. Graduasi SM KPM 12351 tercatat (Ref G008). Capaian $YEAR: 6/10. Salah? BATAL G008
<< 6281200000001: OK. Graduasi SM KPM 12352 tercatat (Ref G009). Capaian $YEAR: 7/10. Salah? BATAL G009
<< 6281200000001: KPM 12352 sudah tercatat graduasi $DMY (Ref G009). Tidak dihitung ulang. Capaian $YEAR: 7/10
<< 6281200000001: KPM 12345 sudah tercatat graduasi $DMY (Ref G001). Tidak dihitung ulang. Capaian $YEAR: 7/10
<< 6281200000001: Capaian $YEAR: 7/10 graduasi, $VISITS kunjungan. Lapor: GRAD <ID> atau KUNJ <ID>
EXPECTED
grep '^<< ' "$T/smsc.out" >"$T/got" || true
diff -u "$T/expected" "$T/got" >&2 || e2e_fail "replies differ"

# Every message stored once, as text (the UCS-2 one decoded to UTF-8).
[ "$(e2e_sql 'SELECT count(*) FROM mo')" = 17 ] ||
    e2e_fail "mo rows: $(e2e_sql 'SELECT count(*) FROM mo'), want 17"
[ "$(e2e_sql "SELECT count(*) FROM mo WHERE text = '“GRAD 12351”'")" = 1 ] ||
    e2e_fail "the UCS-2 message is not stored as UTF-8"
# Seven graduations, the typo's and the l2352's among them; two visits.
[ "$(e2e_sql "SELECT group_concat(kpm_id, ' ') FROM (SELECT kpm_id FROM records WHERE kind = 'G' AND cancelled_at IS NULL ORDER BY kpm_id)")" = \
    "12345 12346 12347 12348 12349 12351 12352" ] ||
    e2e_fail "graduations: $(e2e_sql "SELECT group_concat(kpm_id, ' ') FROM records WHERE kind = 'G'")"
# The visits: yesterday's (in yesterday's year, no note left once the
# date is read) and today's with its note.
[ "$(e2e_sql "SELECT event_date || '|' || year || '|' || ifnull(note, '') FROM records WHERE ref = 'K006'")" = "$Y_ISO|$Y_YEAR|" ] ||
    e2e_fail "K006: $(e2e_sql "SELECT event_date || '|' || year || '|' || ifnull(note, '') FROM records WHERE ref = 'K006'")"
[ "$(e2e_sql "SELECT event_date || '|' || note FROM records WHERE ref = 'K007'")" = "$ISO|posyandu" ] ||
    e2e_fail "K007: $(e2e_sql "SELECT event_date || '|' || note FROM records WHERE ref = 'K007'")"
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind = 'K'")" = 2 ] ||
    e2e_fail "visits: a refused date recorded something"
# Every MO answered; no reply holds the NIK, nor its middle digits.
[ "$(e2e_sql 'SELECT count(*) FROM mt')" = 17 ] ||
    e2e_fail "mt rows: $(e2e_sql 'SELECT count(*) FROM mt'), want 17"
[ "$(e2e_sql "SELECT count(*) FROM mt WHERE text LIKE '%01451390%'")" = 0 ] ||
    e2e_fail "a reply shows the NIK"
# The log says what was read past: the typo'd keyword, as typed.
grep -q 'mo .*corrected=keyword keyword="GARD" ' "$T/pilard.log" ||
    e2e_fail 'no corrected=keyword keyword="GARD" in the mo log line'
e2e_pass
