#!/bin/sh
# One MO that cannot be stored must not take its batch down with it.
# A trigger makes the store refuse one text; three MOs arrive together
# (one read, one batch).  The batch runs without savepoints first, fails
# on the poison, and runs again with one savepoint per MO: the other two
# are stored, acknowledged and answered, the poison gets ESME_RX_T_APPN
# (the SMSC will try again) and nothing of it is kept.
. "$(dirname "$0")/lib.sh"

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
mo 081200000001 POISON
mo 081200000001 GRAD 12346
expect_resp ok
expect_mt_count 2
settle 300
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_sql "CREATE TRIGGER poison BEFORE INSERT ON mo WHEN new.text = 'POISON'
BEGIN SELECT RAISE(ABORT, 'poisoned'); END;" ||
    e2e_fail "cannot create the trigger"
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop
grep -q 'batch_retried ops=3 err=".*poisoned' "$T/pilard.log" ||
    e2e_fail "no batch_retried line for the batch of three"
grep -q 'mo_store_failed.*poisoned' "$T/pilard.log" ||
    e2e_fail "the poisoned MO was not logged"
[ "$(e2e_sql "SELECT group_concat(ref) FROM records")" = G001,G002 ] ||
    e2e_fail "records: $(e2e_sql "SELECT group_concat(ref) FROM records")"
[ "$(e2e_sql "SELECT count(*) FROM mo")" = 2 ] || e2e_fail "mo rows"
[ "$(e2e_sql "SELECT count(*) FROM mt WHERE state = 1")" = 2 ] ||
    e2e_fail "replies sent"
e2e_pass
