#!/bin/sh
# Long MTs when things go wrong halfway, with [smpp] long_mt = sar and a
# 3 s response timeout:
#  - Lim's 3-part reminder: part 2 reaches the phone but is never
#    answered, and Lim says STOP meanwhile.  A middle part in doubt goes
#    again (the phone keeps one copy until the message is complete) and
#    the message begun is finished, not withdrawn: shown once, whole.
#  - Siti's 2-part reminder: the last part is never answered.  The
#    phone has the whole message; the last part is in doubt as a single
#    SMS is: set aside as unknown, never sent again.
#  - Tan's 3-part reminder: part 2 unanswered, and a reload switches
#    long_mt to udh.  The message goes on numbered as it began (SAR):
#    the phone could not join a mix.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/long_mt.inc"

cat >"$T/script" <<SCRIPT
wait_bind
fault withhold_nth 2
$ADD kpm:12347 >/dev/null
expect_part_count 2
mo 081311110003 STOP
expect_mt_to 6281311110003 tidak akan
expect_mt_to 6281311110003 $LIM
no_mt 300
fault withhold_nth 2
$ADD kpm:12345 >/dev/null
expect_mt_to 6281311110001 $SITI
no_mt 4500
enquire
fault withhold_nth 2
$ADD kpm:12348 >/dev/null
expect_part_count 8
sh sed -i 's/^long_mt = sar/long_mt = udh/' "$CONF" && kill -HUP \$(cat "$T/pilard.pid")
expect_mt_to 6281311110004 $TAN
no_mt 500
expect_acked
enquire
SCRIPT
RESPONSE_TIMEOUT=3
e2e_smsc "$T/script"
e2e_conf "$PORT"
long_mt_roster sar
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(grep -c '^<< 6281311110003: Halo' "$T/smsc.out")" = 1 ] ||
    e2e_fail "Lim's reminder shown $(grep -c '^<< 6281311110003: Halo' "$T/smsc.out") times"
[ "$(grep -c '^<< 6281311110004: Halo' "$T/smsc.out")" = 1 ] ||
    e2e_fail "Tan's reminder shown $(grep -c '^<< 6281311110004: Halo' "$T/smsc.out") times"
# Parts delivered: Lim 1 2 2 3, Siti 1 2, Tan 1 2 2 3.
[ "$(summary parts)" = 10 ] || e2e_fail "parts delivered: $(summary parts), want 10"

row=$(e2e_sql "SELECT state, parts, via FROM mt WHERE dest = '6281311110003' AND reminder_id IS NOT NULL")
[ "$row" = "1|3|1" ] || e2e_fail "Lim's mt state|parts|via = '$row', want 1|3|1 (finished despite STOP)"
row=$(e2e_sql "SELECT state, parts FROM mt WHERE dest = '6281311110001'")
[ "$row" = "3|2" ] || e2e_fail "Siti's mt state|parts = '$row', want 3|2 (last part in doubt: unknown)"
row=$(e2e_sql "SELECT state, parts, via FROM mt WHERE dest = '6281311110004'")
[ "$row" = "1|3|1" ] || e2e_fail "Tan's mt state|parts|via = '$row', want 1|3|1 (SAR kept)"
[ "$(grep -c ' mt_timeout .*part=2/3' "$T/pilard.log")" = 2 ] ||
    e2e_fail "mt_timeout part=2/3 lines: $(grep -c ' mt_timeout .*part=2/3' "$T/pilard.log"), want 2"
grep -q ' mt_unknown .*why=response_timeout' "$T/pilard.log" ||
    e2e_fail "Siti's last part was not set aside"
grep -q ' config_reloaded' "$T/pilard.log" || e2e_fail "no reload"
e2e_pass
