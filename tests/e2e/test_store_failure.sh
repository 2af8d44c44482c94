#!/bin/sh
# Durable before acknowledged: while another process holds the database's
# write lock, pilard cannot store an MO and answers ESME_RX_T_APPN (the
# SMSC will deliver it again), sends no reply and records nothing; the
# redelivery after the lock is gone is stored once, as if the first had
# never come.  Also: an unknown command gets generic_nack, and the link
# stays up.
. "$(dirname "$0")/lib.sh"

# The lock is held until the script says so (at most 30 s), not for a
# guessed time: pilard's own writes (the reminder poll, each second) may
# wait their 5 s busy timeout before the MO's batch even starts.  The
# shell waits for the lock as pilard would, and gives up (no `locked')
# if it cannot have it.
cat >"$T/lock.sql" <<SQL
.bail on
.timeout 10000
BEGIN IMMEDIATE;
.shell touch $T/locked
.shell i=0; while [ ! -f $T/release ] && [ \$i -lt 600 ]; do i=\$((i+1)); sleep 0.05; done
COMMIT;
.shell rm $T/locked
SQL
cat >"$T/script" <<SCRIPT
wait_bind
raw 00000010000000990000000000000007
enquire
sh (sqlite3 $T/pilar.db <$T/lock.sql >/dev/null 2>&1 &); i=0; while [ ! -f $T/locked ] && [ \$i -lt 200 ]; do i=\$((i+1)); sleep 0.05; done; [ -f $T/locked ]
mo 081200000001 GRAD 12345
expect_resp 0x64
no_mt 300
sh touch $T/release
sh i=0; while [ -f $T/locked ] && [ \$i -lt 200 ]; do i=\$((i+1)); sleep 0.05; done; [ ! -f $T/locked ]
mo 081200000001 GRAD 12345
expect_resp ok
expect_mt Ref G001
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop
grep -q 'pdu_unknown.*command_id=0x00000099' "$T/pilard.log" ||
    e2e_fail "no pdu_unknown line for the unknown command"
grep -q 'mo_store_failed\|store_commit_failed' \
    "$T/pilard.log" || e2e_fail "the store failure was not logged"
[ "$(e2e_sql "SELECT count(*) FROM records")" = 1 ] || e2e_fail "records"
[ "$(e2e_sql "SELECT count(*) FROM mo")" = 1 ] || e2e_fail "mo rows"
e2e_pass
