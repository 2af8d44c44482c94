#!/bin/sh
# USSD over SMPP through the real pilard and the simulator: a graduation
# through the menu and by shortcut, a visit, progress, undo, a wrong id
# (refused by the grammar, then unknown to the roster), a stranger, an
# abort, a timeout, two dialogues interleaved; screens carry
# ussd_service_op 2/17 and echo its_session_info with the end bit on the
# last; records are committed and no screen is ever stored as an MT.
. "$(dirname "$0")/lib.sh"

A=081200000001
B=081200000002
cat >"$T/script" <<SCRIPT
wait_bind
# Graduation through the menu.
ussd $A *123#
expect_resp ok
expect_ussd $A con Pilar\n1 Lapor graduasi
ussd_answer $A 1
expect_ussd $A con Masukkan ID KPM
ussd_answer $A 12345
expect_ussd $A con KPM 12345\nKategori graduasi
ussd_answer $A 1
expect_ussd $A con Graduasi SM KPM 12345?
ussd_answer $A 1
expect_ussd $A end OK. Graduasi SM KPM 12345 tercatat (Ref G001). Capaian $YEAR: 1/10
# The same by shortcut, category AL: recorded, not counted.
ussd $A *123*1*12346*2#
expect_ussd $A end Graduasi AL KPM 12346 tercatat (Ref G002)
# Again: the same answer SMS gives, already recorded.
ussd $A *123*1*12345#
expect_ussd $A end sudah tercatat
# A visit.
ussd $A *123#
expect_ussd $A con Pilar
ussd_answer $A 2
expect_ussd $A con Lapor kunjungan
ussd_answer $A 12347
expect_ussd $A con Kunjungan KPM 12347 hari ini?
ussd_answer $A 1
expect_ussd $A end OK. Kunjungan KPM 12347
# Progress this year.
ussd $A *123#
expect_ussd $A con Pilar
ussd_answer $A 3
expect_ussd $A end Capaian $YEAR: 1/10 graduasi, 1 kunjungan
# Undo the last report (the visit).
ussd $A *123*4#
expect_ussd $A end Dibatalkan: kunjungan KPM 12347
# A wrong id: asked again; back to the menu with 0; an unknown KPM.
ussd $A *123#
expect_ussd $A con Pilar
ussd_answer $A 1
expect_ussd $A con Masukkan ID KPM
ussd_answer $A 12ab
expect_ussd $A con ID KPM 12ab tidak valid.\nLapor graduasi
ussd_answer $A 0
expect_ussd $A con Pilar\n1 Lapor graduasi
ussd_answer $A 7
expect_ussd $A con Pilihan tidak dikenal.\nPilar
ussd_answer $A 1
expect_ussd $A con Masukkan ID KPM
ussd_answer $A 99999
expect_ussd $A con KPM 99999
ussd_answer $A 1
expect_ussd $A con Graduasi SM KPM 99999?
ussd_answer $A 1
expect_ussd $A end KPM 99999 tidak terdaftar
# Another companion's KPM.
ussd $A *123*1*22345#
expect_ussd $A end bukan dampingan
# A stranger.
ussd 081299999999 *123#
expect_ussd 081299999999 end belum terdaftar sebagai pendamping
# An abort: quiet, and the session is gone.
ussd $A *123#
expect_ussd $A con Pilar
ussd_abort $A
expect_resp ok
no_mt 500
ussd_answer $A 1
expect_ussd $A end Sesi sudah berakhir
# Two dialogues interleaved.
ussd $A *123#
expect_ussd $A con Pilar
ussd $B *123#
expect_ussd $B con Pilar
ussd_answer $A 1
expect_ussd $A con Masukkan ID KPM
ussd_answer $B 1
expect_ussd $B con Masukkan ID KPM
ussd_answer $B 22345
expect_ussd $B con KPM 22345
ussd_answer $A 12348
expect_ussd $A con KPM 12348
ussd_answer $A 1
expect_ussd $A con Graduasi SM KPM 12348?
ussd_answer $B 1
expect_ussd $B con Graduasi SM KPM 22345?
ussd_answer $B 1
expect_ussd $B end Ref G001
ussd_answer $A 1
expect_ussd $A end Graduasi SM KPM 12348 tercatat (Ref G004). Capaian $YEAR: 2/10
# A timeout ([ussd] session_timeout = 10s): closed quietly.
ussd $B *123#
expect_ussd $B con Pilar
no_mt 11500
ussd_answer $B 1
expect_ussd $B end Sesi sudah berakhir
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
cat >>"$CONF" <<CONF

[ussd]
service_code = *123#
session_timeout = 10s
CONF
"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects [ussd]"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

# Committed: graduations of 12345, 12346 (AL), 12348 and 22345; the
# visit cancelled.  Every report is an MO row addressed to the code.
[ "$(e2e_sql "SELECT group_concat(kpm_id || ':' || category, ',') FROM (SELECT kpm_id, category FROM records WHERE kind='G' AND cancelled_at IS NULL ORDER BY kpm_id)")" = "12345:0,12346:1,12348:0,22345:0" ] ||
    e2e_fail "graduations: $(e2e_sql "SELECT kpm_id, category, cancelled_at FROM records")"
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind='K' AND cancelled_at IS NOT NULL")" = 1 ] ||
    e2e_fail "the visit is not cancelled"
[ "$(e2e_sql "SELECT count(*) FROM mo WHERE dest <> '*123#'")" = 0 ] ||
    e2e_fail "an MO not from USSD"
[ "$(e2e_sql "SELECT count(*) FROM mt")" = 0 ] ||
    e2e_fail "a USSD screen was stored as an MT"
grep -q 'ussd_end .*reason=aborted' "$T/pilard.log" || e2e_fail "no abort line"
grep -q 'ussd_end .*reason=timeout' "$T/pilard.log" || e2e_fail "no timeout line"
e2e_pass
