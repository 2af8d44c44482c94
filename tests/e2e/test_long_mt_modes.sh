#!/bin/sh
# [smpp] long_mt: the same UCS-2 reminder of 3 SMS, sent once with the
# parts numbered in the sar_* TLVs (three submit_sm, no UDH; the
# simulator joins them by the TLVs) and once whole in message_payload
# (one submit_sm, one message id, one receipt: the SMSC cuts it).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/long_mt.inc"

# run MODE: one reminder through a fresh pilard and simulator.
run() {
	rm -f "$T/pilar.db" "$T/pilar.db-wal" "$T/pilar.db-shm" \
	    "$T"/pilar.db-sendlog.* "$T/pilard.log" "$T/port"
	cat >"$T/script" <<SCRIPT
wait_bind
msgid 700
sh "$PILARCTL" -c "$CONF" remind add --text '$TEXT' --to kpm:12347 >/dev/null
expect_mt_to 6281311110003 $LIM
receipt DELIVRD
expect_resp ok
no_mt 500
expect_acked
enquire
SCRIPT
	e2e_smsc "$T/script"
	e2e_conf "$PORT"
	long_mt_roster "$1"
	e2e_pilard
	e2e_smsc_wait
	e2e_pilard_stop
	grep -qxF "<< 6281311110003: $LIM" "$T/smsc.out" ||
	    e2e_fail "$1: not shown whole: $(grep '^<<' "$T/smsc.out")"
}

run sar
[ "$(summary submits)/$(summary parts)/$(summary mt)/$(summary receipts)" = 3/3/1/3 ] ||
    e2e_fail "sar: submits/parts/mt/receipts = $(summary submits)/$(summary parts)/$(summary mt)/$(summary receipts), want 3/3/1/3"
row=$(e2e_sql "SELECT state, parts, receipt, (SELECT count(*) FROM mt_parts) FROM mt")
[ "$row" = "1|3|2|3" ] || e2e_fail "sar: mt state|parts|receipt|part rows = '$row', want 1|3|2|3"

run payload
[ "$(summary submits)/$(summary parts)/$(summary mt)/$(summary receipts)" = 1/0/1/1 ] ||
    e2e_fail "payload: submits/parts/mt/receipts = $(summary submits)/$(summary parts)/$(summary mt)/$(summary receipts), want 1/0/1/1"
row=$(e2e_sql "SELECT state, parts, receipt, message_id, (SELECT count(*) FROM mt_parts) FROM mt")
[ "$row" = "1|1|2|700|0" ] || e2e_fail "payload: mt state|parts|receipt|message_id|part rows = '$row', want 1|1|2|700|0"
e2e_pass
