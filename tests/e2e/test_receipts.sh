#!/bin/sh
# Delivery receipts: the SMSC reports what became of three replies, in
# the three forms SMSCs use (TLVs only; the text form only, with the id
# in hex while submit_sm_resp gave it in decimal; both), right after
# each reply as a fast SMSC does.  pilard writes the state on the right
# mt row (receipt 2, 5, 3 and receipt_at), acknowledges every receipt
# ESME_ROK, never answers one, never takes one for an MO; a receipt
# delivered twice changes nothing; receipts for ids it never had are
# acknowledged and logged as receipt_unmatched.
. "$(dirname "$0")/lib.sh"

# Message ids 1000, 1001, 1002: in hex 3E8, 3E9, 3EA, which cannot be
# mistaken for decimal ids.
cat >"$T/script" <<SCRIPT
wait_bind
msgid 1000
mo 081200000001 GRAD 12345
expect_resp ok
expect_mt_to 6281200000001 Ref G001
receipt DELIVRD tlv
expect_resp ok
no_mt 500
# The SMSC lost our deliver_sm_resp and delivers the receipt again.
redeliver
expect_resp ok
no_mt 300
mo 081200000001 GRAD 12346
expect_resp ok
expect_mt_to 6281200000001 Ref G002
receipt UNDELIV text hex
expect_resp ok
no_mt 500
mo 081200000001 KUNJ 12347 rumah kosong
expect_resp ok
expect_mt_to 6281200000001 Ref K003
receipt EXPIRED both
expect_resp ok
no_mt 500
# Nobody has these ids (decimal, then hex in the text form only).
receipt_for 999999 DELIVRD both
expect_resp ok
receipt_for 424242 REJECTD text hex
expect_resp ok
no_mt 500
expect_acked
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(summary receipts)" = 6 ] ||
    e2e_fail "receipts sent: $(summary receipts), want 6"
[ "$(summary mo)" = 9 ] && [ "$(summary mo_acked)" = 9 ] ||
    e2e_fail "deliver_sm sent $(summary mo), acknowledged ESME_ROK $(summary mo_acked); want 9 and 9"
[ "$(summary mt)" = 3 ] || e2e_fail "MTs: $(summary mt), want 3 (no reply to a receipt)"

# Receipts are no MOs: three messages stored, three replies queued.
[ "$(e2e_sql 'SELECT count(*) FROM mo')" = 3 ] ||
    e2e_fail "mo rows: $(e2e_sql 'SELECT count(*) FROM mo'), want 3 (receipts stored as MOs?)"
[ "$(e2e_sql 'SELECT count(*) FROM mt')" = 3 ] ||
    e2e_fail "mt rows: $(e2e_sql 'SELECT count(*) FROM mt'), want 3"

# Each reply's row: message id, state sent, receipt state and time.
for want in "1000|2" "1001|5" "1002|3"; do
	msgid=${want%|*}
	st=${want#*|}
	row=$(e2e_sql "SELECT state, receipt, receipt_at IS NOT NULL,
	    receipt_at >= created_at FROM mt WHERE message_id = '$msgid'")
	[ "$row" = "1|$st|1|1" ] ||
	    e2e_fail "mt with message_id $msgid: state|receipt|receipt_at set|receipt_at >= created_at = '$row', want '1|$st|1|1' (all rows: $(e2e_sql 'SELECT id, message_id, state, receipt, receipt_at FROM mt' | tr '\n' ' '))"
done

# The log names the mt row of each receipt.
for want in "1000|delivered" "3E9|undeliverable" "1002|expired"; do
	msgid=${want%|*}
	state=${want#*|}
	case $msgid in
	3E9) id=$(e2e_sql "SELECT id FROM mt WHERE message_id = '1001'") ;;
	*) id=$(e2e_sql "SELECT id FROM mt WHERE message_id = '$msgid'") ;;
	esac
	grep -Eq "info receipt .*mt=$id .*msgid=$msgid .*state=$state" \
	    "$T/pilard.log" ||
	    e2e_fail "no 'receipt ... mt=$id msgid=$msgid state=$state' line in pilard.log"
done
n=$(grep -c 'info receipt .*msgid=1000 .*state=delivered' "$T/pilard.log" ||
    true)
[ "$n" = 2 ] || e2e_fail "$n receipt lines for msgid 1000, want 2 (redelivered)"
grep -q 'receipt_unmatched .*msgid=999999 .*state=delivered' \
    "$T/pilard.log" || e2e_fail "no receipt_unmatched line for msgid 999999"
# 424242 = 0x67932
grep -q 'receipt_unmatched .*msgid=67932 .*state=rejected' \
    "$T/pilard.log" || e2e_fail "no receipt_unmatched line for msgid 67932 (424242 in hex)"
! grep -q 'receipt_unreadable' "$T/pilard.log" ||
    e2e_fail "pilard could not read a receipt: $(grep receipt_unreadable "$T/pilard.log")"
e2e_pass
