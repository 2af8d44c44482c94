#!/bin/sh
# P2K2 end to end: a KPM says STOP; companion C001 announces a session
# for tomorrow by SMS and is told how many families will be reminded;
# with [reminders] p2k2_eve = 00:00 the eve is already past, so the
# reminder is due at once, and pilard sends it through the simulator to
# each of C001's KPM with a phone but the one who said STOP.  A session
# already over is refused.
. "$(dirname "$0")/lib.sh"

tomorrow=$(TZ=Asia/Jakarta date -d tomorrow +%d/%m)
full=$(TZ=Asia/Jakarta date -d tomorrow +%d/%m/%Y)
today=$(TZ=Asia/Jakarta date +%d/%m)
past=$(TZ=Asia/Jakarta date -d '2 days ago' +%d/%m/%Y)

cat >"$T/script" <<SCRIPT
wait_bind
mo 081311110003 STOP
expect_mt_to 6281311110003
mo 081200000001 p2k2 $tomorrow jam 9.00 di Balai Desa
expect_mt_to 6281200000001 OK. P2K2 $tomorrow 09:00 Balai Desa tercatat. 4 keluarga akan diingatkan $today.
expect_mt_count 6
settle 1500
mo 081200000001 P2K2 $past 09:00 Balai Desa
expect_mt_to 6281200000001 P2K2 $past sudah lewat.
mo 081200000001 P2K2 $tomorrow
expect_mt_to 6281200000001 Format P2K2: P2K2 TGL JAM TEMPAT.
settle 1500
sh kill -TERM \$(cat $T/pilard.pid)
expect_close
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
printf '[reminders]\nquiet_hours = none\ndaily_cap = 0\np2k2_eve = 00:00\n' \
    >>"$CONF"
e2e_roster

e2e_pilard
e2e_smsc_wait
rc=0
wait "$PILARD_PID" || rc=$?
rm -f "$T/pilard.pid"
[ "$rc" -eq 0 ] || e2e_fail "pilard exited $rc after SIGTERM"

text="Pengingat: pertemuan P2K2 $full pukul 09:00 di Balai Desa. Mohon hadir."
for phone in 6281311110001 6285711110005 6281311110006 6287811110008; do
	[ "$(grep -c "^<< $phone: $text" "$T/smsc.out")" = 1 ] ||
	    e2e_fail "$phone was not reminded once"
done
[ "$(grep -c '^<< 6281311110003: Pengingat' "$T/smsc.out")" = 0 ] ||
    e2e_fail "a KPM who said STOP was reminded"
"$PILARCTL" -c "$CONF" remind show 1 >"$T/show" || e2e_fail "remind show"
cat "$T/show"
grep -q '^queued: *4$' "$T/show" || e2e_fail "queued"
grep -q '^skipped: *4 (stop 1, no phone 3' "$T/show" || e2e_fail "skipped"
e2e_pass
