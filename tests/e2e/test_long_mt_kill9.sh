#!/bin/sh
# A long MT across kill -9: part 1 of Lim's 3-part reminder is accepted,
# part 2 reaches the phone but its response never comes, and pilard is
# killed.  After the restart the send log says the MT was in flight;
# since a part of it was accepted it is not set aside (the phone would
# keep half a message) but finished: part 2 again (the phone keeps one
# copy), then part 3.  The phone shows the message once, whole.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/long_mt.inc"
KILL="sh sh $PILAR_SRC/tests/e2e/pilard.sh kill $T"
START="sh sh $PILAR_SRC/tests/e2e/pilard.sh start $T"

cat >"$T/script" <<SCRIPT
wait_bind
fault withhold_nth 2
sh "$PILARCTL" -c "$CONF" remind add --text '$TEXT' --to kpm:12347 >/dev/null
expect_part_count 2
$KILL
expect_close
$START
wait_bind
expect_mt_to 6281311110003 $LIM
no_mt 1000
expect_acked
enquire
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
long_mt_roster
e2e_pilard
e2e_smsc_wait
sh "$PILAR_SRC/tests/e2e/pilard.sh" stop "$T" ||
    e2e_fail "pilard did not stop"

grep -qxF "<< 6281311110003: $LIM" "$T/smsc.out" ||
    e2e_fail "not shown whole: $(grep '^<<' "$T/smsc.out")"
[ "$(summary mt)/$(summary parts)/$(summary submits)" = 1/4/4 ] ||
    e2e_fail "messages/parts/submits = $(summary mt)/$(summary parts)/$(summary submits), want 1/4/4 (part 2 twice)"
row=$(e2e_sql "SELECT state, parts, (SELECT count(*) FROM mt_parts) FROM mt")
[ "$row" = "1|3|3" ] || e2e_fail "mt state|parts|part rows = '$row', want 1|3|3"
grep -q ' mt_resume mt=1 part=2/3' "$T/pilard.log" ||
    e2e_fail "no mt_resume line in the log"
! grep -q ' mt_unknown ' "$T/pilard.log" ||
    e2e_fail "the begun MT was set aside: $(grep ' mt_unknown ' "$T/pilard.log")"
e2e_pass
