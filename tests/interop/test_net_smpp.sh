#!/bin/sh
# Interoperability: an SMSC written with Debian's Net::SMPP (Perl, a
# stack nobody on the project wrote) drives the real pilard through a
# companion's conversation: graduations, a duplicate from another
# spelling of the same phone, a visit, two undos, a stranger, another
# companion's KPM, nonsense; enquire_link both ways; a kill -9 and
# restart after which the counts are intact; unbind.  Then the database
# must hold every MO that Net::SMPP saw acknowledged with ESME_ROK,
# exactly once, and the expected graduations.
#
# Needs libnet-smpp-perl and sqlite3: missing either is a failure, not a
# skip (the project's test setup installs them).
: "${PILAR_SMSC:=/bin/false}"	# lib.sh wants it; this test does not use it
. "$(dirname "$0")/../e2e/lib.sh"

perl -MNet::SMPP -e 1 2>/dev/null ||
    e2e_fail "Net::SMPP is missing (apt-get install libnet-smpp-perl)"
command -v sqlite3 >/dev/null 2>&1 ||
    e2e_fail "sqlite3 is missing (apt-get install sqlite3)"

PILARD_SH=$PILAR_SRC/tests/e2e/pilard.sh
RESTART="sh '$PILARD_SH' kill '$T' && sh '$PILARD_SH' start '$T'"

perl "$PILAR_SRC/tests/interop/net_smpp_smsc.pl" --port-file "$T/port" \
    --system-id pilar --password secret --timeout 10 --out-dir "$T" \
    --restart "$RESTART" >"$T/smsc.out" 2>&1 </dev/null &
SMSC_PID=$!
i=0
while [ ! -s "$T/port" ]; do
	kill -0 "$SMSC_PID" 2>/dev/null || e2e_fail "net_smpp_smsc.pl died"
	i=$((i + 1))
	[ $i -lt 500 ] || e2e_fail "net_smpp_smsc.pl did not listen"
	sleep 0.02
done
PORT=$(cat "$T/port")

e2e_conf "$PORT"
e2e_roster
e2e_pilard

rc=0
wait "$SMSC_PID" || rc=$?
SMSC_PID=
[ "$rc" -eq 0 ] || e2e_fail "the Net::SMPP scenario failed (exit $rc)"

# The restarted pilard is not our child: stop it through its pid file.
sh "$PILARD_SH" stop "$T" || e2e_fail "pilard did not stop"

# Every MO acknowledged with ESME_ROK is stored, once, in order.
[ -f "$T/acked.count" ] || e2e_fail "no acked.count from the SMSC"
acked=$(cat "$T/acked.count")
[ "$acked" = 10 ] || e2e_fail "Net::SMPP saw $acked MOs acknowledged, want 10"
# The second "GRAD 12345" (the same sender in another spelling, within
# [limits] redelivery_window) is the same message delivered again: one
# row, two deliveries.
rows=$(e2e_sql 'SELECT sum(deliveries) FROM mo')
[ "$rows" = "$acked" ] ||
    e2e_fail "mo deliveries: $rows, acknowledged MOs: $acked"
[ "$(e2e_sql 'SELECT count(*) FROM mo')" = $((acked - 1)) ] ||
    e2e_fail "mo rows: $(e2e_sql 'SELECT count(*) FROM mo'), want $((acked - 1))"
e2e_sql 'SELECT text FROM mo ORDER BY id' >"$T/mo.txt"
uniq "$T/acked.txt" >"$T/acked.uniq"
diff -u "$T/acked.uniq" "$T/mo.txt" >&2 ||
    e2e_fail "stored MO texts differ from the acknowledged ones"

# Every reply Net::SMPP answered is in the outbox with its message_id.
e2e_sql "SELECT message_id || ' ' || dest FROM mt ORDER BY id" >"$T/mt.db.txt"
diff -u "$T/mt.txt" "$T/mt.db.txt" >&2 ||
    e2e_fail "outbox message_ids differ from the submit_sm_resp ones"

# Graduations: 12345 active; 12346 and the visit to 12347 undone.
active=$(e2e_sql "SELECT companion_id || ' ' || kpm_id FROM records
    WHERE kind = 'G' AND cancelled_at IS NULL ORDER BY kpm_id")
[ "$active" = "C001 12345" ] ||
    e2e_fail "active graduations: '$active', want 'C001 12345'"
cancelled=$(e2e_sql "SELECT kind || ' ' || kpm_id FROM records
    WHERE cancelled_at IS NOT NULL ORDER BY kind, kpm_id" | tr '\n' ,)
[ "$cancelled" = "G 12346,K 12347," ] ||
    e2e_fail "cancelled records: '$cancelled', want 'G 12346,K 12347,'"
visits=$(e2e_sql "SELECT count(*) FROM records
    WHERE kind = 'K' AND cancelled_at IS NULL")
[ "$visits" = 0 ] || e2e_fail "active visits: $visits, want 0"

# Net::SMPP's deliver_sm were all well-formed, and the sanitizers are quiet.
if grep -q 'pdu_malformed' "$T/pilard.log"; then
	e2e_fail "pilard called a Net::SMPP deliver_sm malformed"
fi
if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' \
    "$T/pilard.stderr" 2>/dev/null; then
	e2e_fail "sanitizer report in pilard.stderr"
fi
e2e_pass
