#!/bin/sh
# Long MTs: a reminder longer than one SMS leaves as parts behind a
# concatenation header, one part at a time, and the phone (the
# simulator) shows it once, whole.  Siti's reminder is GSM-7 (2 parts of
# at most 153 septets); Lim's name has Chinese characters, so his is
# UCS-2 (3 parts of at most 67 units).  Part 2 of Lim's is throttled:
# that part alone is sent again, and the message still arrives once.  Receipts come per part: Siti's MT is delivered when
# both parts are, Lim's undeliverable when his parts are.  A template
# that would need more than [reminders] max_segments SMS is refused.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/long_mt.inc"
LONG="$TEXT $TEXT $TEXT"

cat >"$T/script" <<SCRIPT
wait_bind
msgid 500
sh "$PILARCTL" -c "$CONF" remind add --text '$TEXT' --to kpm:12345 >/dev/null
expect_mt_to 6281311110001 $SITI
receipt DELIVRD
expect_resp ok
fault throttle_nth 2
sh "$PILARCTL" -c "$CONF" remind add --text '$TEXT' --to kpm:12347 >/dev/null
expect_mt_to 6281311110003 $LIM
receipt UNDELIV text
expect_resp ok
no_mt 1500
expect_acked
sh ! "$PILARCTL" -c "$CONF" remind add --text '$LONG' --to kpm:12345 2>"$T/long.err"
enquire
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
long_mt_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

# The phone showed each message once, exactly as rendered.
grep -qxF "<< 6281311110001: $SITI" "$T/smsc.out" ||
    e2e_fail "Siti's reminder not shown whole: $(grep '^<<' "$T/smsc.out")"
grep -qxF "<< 6281311110003: $LIM" "$T/smsc.out" ||
    e2e_fail "Lim's reminder not shown whole: $(grep '^<<' "$T/smsc.out")"
[ "$(summary mt)" = 2 ] || e2e_fail "messages shown: $(summary mt), want 2"
[ "$(summary parts)" = 5 ] || e2e_fail "parts delivered: $(summary parts), want 5"
[ "$(summary submits)" = 6 ] ||
    e2e_fail "submits: $(summary submits), want 6 (5 parts and 1 throttled)"
[ "$(summary receipts)" = 5 ] || e2e_fail "receipts: $(summary receipts), want 5"

# The rows: sent, their parts, each part's id, the receipts' verdict.
row=$(e2e_sql "SELECT state, parts, receipt FROM mt WHERE dest = '6281311110001'")
[ "$row" = "1|2|2" ] || e2e_fail "Siti's mt state|parts|receipt = '$row', want 1|2|2"
row=$(e2e_sql "SELECT state, parts, receipt FROM mt WHERE dest = '6281311110003'")
[ "$row" = "1|3|5" ] || e2e_fail "Lim's mt state|parts|receipt = '$row', want 1|3|5"
row=$(e2e_sql "SELECT group_concat(part || ':' || message_id || ':' || receipt, ' ')
    FROM (SELECT * FROM mt_parts ORDER BY mt_id, part)")
[ "$row" = "1:500:2 2:501:2 1:502:5 2:503:5 3:504:5" ] ||
    e2e_fail "mt_parts: '$row'"

# The log: each part but the last, the throttled part retried alone.
[ "$(grep -c ' mt_part_sent ' "$T/pilard.log")" = 3 ] ||
    e2e_fail "mt_part_sent lines: $(grep -c ' mt_part_sent ' "$T/pilard.log"), want 3"
grep -q ' mt_retry .*status=ESME_RTHROTTLED .*part=2/3' "$T/pilard.log" ||
    e2e_fail "no mt_retry for part 2/3"
grep -q ' mt_sent .*parts=3' "$T/pilard.log" || e2e_fail "no mt_sent parts=3"
grep -q 'max_segments' "$T/long.err" ||
    e2e_fail "the long template was not refused for its length: $(cat "$T/long.err")"
e2e_pass
