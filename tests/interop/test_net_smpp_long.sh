#!/bin/sh
# Interoperability of long MTs: an SMSC written with Debian's Net::SMPP
# (net_smpp_long_smsc.pl, decoding with Perl's Encode) receives two
# reminders longer than one SMS, one to a KPM with a GSM name (2 GSM-7
# parts) and one to a KPM whose name has Chinese characters (3 UCS-2
# parts), from a real pilard, three times over: [smpp] long_mt = udh
# (05 00 03 REF TOTAL SEQ, esm_class 0x40), sar (the sar_* TLVs) and
# payload (the whole text in message_payload).  The SMSC checks every
# part (header, alphabet, size, one part in flight per message), joins
# them into exactly the rendered reminder, and sends a DELIVRD receipt
# per part (TLVs, text or both, in order or reversed).  Then the
# database must hold each MT sent with its parts and the delivered
# verdict, and each part with the message_id Net::SMPP gave it.
#
# Needs libnet-smpp-perl and sqlite3: missing either is a failure, not a
# skip (the project's test setup installs them).
: "${PILAR_SMSC:=/bin/false}"	# lib.sh wants it; this test does not use it
. "$(dirname "$0")/../e2e/lib.sh"

perl -MNet::SMPP -e 1 2>/dev/null ||
    e2e_fail "Net::SMPP is missing (apt-get install libnet-smpp-perl)"
perl -MEncode -e 'Encode::find_encoding("gsm0338") or exit 1' 2>/dev/null ||
    e2e_fail "Perl's Encode has no gsm0338"
command -v sqlite3 >/dev/null 2>&1 ||
    e2e_fail "sqlite3 is missing (apt-get install sqlite3)"

TEXT='Halo {name}, besok pukul 09.00 ada pertemuan P2K2 di Balai Desa Sukamaju bersama {companion}. Bawa buku catatan keluarga dan kartu KKS. Jika berhalangan, kabari pendamping Anda.'
SITI='Halo Siti Aminah, besok pukul 09.00 ada pertemuan P2K2 di Balai Desa Sukamaju bersama Sari. Bawa buku catatan keluarga dan kartu KKS. Jika berhalangan, kabari pendamping Anda.'
LIM='Halo Lim Swie Hwa 林瑞華, besok pukul 09.00 ada pertemuan P2K2 di Balai Desa Sukamaju bersama Sari. Bawa buku catatan keluarga dan kartu KKS. Jika berhalangan, kabari pendamping Anda.'
SITI_TO=6281311110001
LIM_TO=6281311110003

cat >"$T/kpm.csv" <<CSV
kpm_id,name,phone,companion_id
12345,Siti Aminah,081311110001,C001
12347,Lim Swie Hwa 林瑞華,081311110003,C001
CSV

# Both reminders queued at once, after the bind, so that their parts
# may interleave on the link.
cat >"$T/queue.sh" <<SH
"$PILARCTL" -c "$CONF" remind add --text '$TEXT' --to kpm:12345 >/dev/null &&
"$PILARCTL" -c "$CONF" remind add --text '$TEXT' --to kpm:12347 >/dev/null
SH

TAB=$(printf '\t')

# run MODE SITI_PARTS LIM_PARTS SITI_FORM LIM_FORM: one pilard with
# [smpp] long_mt = MODE against a fresh Net::SMPP SMSC and database.
run() {
	mode=$1
	rm -f "$T/pilar.db" "$T/pilar.db-wal" "$T/pilar.db-shm" \
	    "$T"/pilar.db-sendlog.* "$T/pilard.log" "$T/port" "$T/parts.txt"
	printf '%s\n' \
	    "$SITI_TO${TAB}0${TAB}$2${TAB}$4${TAB}fwd${TAB}$SITI" \
	    "$LIM_TO${TAB}8${TAB}$3${TAB}$5${TAB}rev${TAB}$LIM" \
	    >"$T/expect.txt"
	perl "$PILAR_SRC/tests/interop/net_smpp_long_smsc.pl" \
	    --port-file "$T/port" --system-id pilar --password secret \
	    --mode "$mode" --expect "$T/expect.txt" --run "sh '$T/queue.sh'" \
	    --timeout 10 --out-dir "$T" >"$T/smsc.out" 2>&1 </dev/null &
	SMSC_PID=$!
	i=0
	while [ ! -s "$T/port" ]; do
		kill -0 "$SMSC_PID" 2>/dev/null ||
		    e2e_fail "$mode: net_smpp_long_smsc.pl died"
		i=$((i + 1))
		[ $i -lt 500 ] || e2e_fail "$mode: net_smpp_long_smsc.pl did not listen"
		sleep 0.02
	done
	e2e_conf "$(cat "$T/port")"
	printf '[smpp]\nlong_mt = %s\n[reminders]\nquiet_hours = none\ndaily_cap = 0\nmax_segments = 3\n' \
	    "$mode" >>"$CONF"
	"$PILARCTL" -c "$CONF" companion add --id C001 --phone 081200000001 \
	    --name Sari >/dev/null || e2e_fail "companion add C001"
	"$PILARCTL" -c "$CONF" kpm import "$T/kpm.csv" >/dev/null ||
	    e2e_fail "kpm import"
	e2e_pilard
	rc=0
	wait "$SMSC_PID" || rc=$?
	SMSC_PID=
	[ "$rc" -eq 0 ] || e2e_fail "$mode: the Net::SMPP scenario failed (exit $rc)"
	e2e_pilard_stop
	cp "$T/smsc.out" "$T/smsc.$mode.out"

	if grep -Eq ' (pdu_malformed|receipt_unmatched|receipt_unreadable|mt_retry|mt_failed) ' \
	    "$T/pilard.log"; then
		e2e_fail "$mode: pilard.log: $(grep -E ' (pdu_malformed|receipt_unmatched|receipt_unreadable|mt_retry|mt_failed) ' "$T/pilard.log")"
	fi
	if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' \
	    "$T/pilard.stderr" 2>/dev/null; then
		e2e_fail "$mode: sanitizer report in pilard.stderr"
	fi
}

# The MT rows: sent (state 1), PARTS parts, every receipt delivered (2).
check_mt() {
	row=$(e2e_sql "SELECT group_concat(dest || ':' || state || ':' ||
	    parts || ':' || receipt, ' ') FROM (SELECT * FROM mt ORDER BY dest)")
	[ "$row" = "$SITI_TO:1:$2:2 $LIM_TO:1:$3:2" ] ||
	    e2e_fail "$1: mt dest:state:parts:receipt = '$row'," \
	    "want '$SITI_TO:1:$2:2 $LIM_TO:1:$3:2'"
}

# Each part's row has the message_id Net::SMPP answered it with, and
# its own receipt, delivered.
check_parts() {
	sed 's/$/ 2/' "$T/parts.txt" >"$T/parts.want"
	e2e_sql "SELECT m.dest || ' ' || p.part || ' ' || p.message_id ||
	    ' ' || p.receipt FROM mt_parts p JOIN mt m ON m.id = p.mt_id
	    ORDER BY m.dest, p.part" >"$T/parts.db"
	[ "$(wc -l <"$T/parts.want")" = 5 ] ||
	    e2e_fail "$1: Net::SMPP answered $(wc -l <"$T/parts.want") parts, want 5"
	diff -u "$T/parts.want" "$T/parts.db" >&2 ||
	    e2e_fail "$1: mt_parts differ from the parts Net::SMPP answered"
}

run udh 2 3 both text
check_mt udh 2 3
check_parts udh

run sar 2 3 tlv both
check_mt sar 2 3
check_parts sar

# payload: one submit_sm per MT, no part rows, the id on the MT row.
run payload 1 1 text tlv
check_mt payload 1 1
[ "$(e2e_sql 'SELECT count(*) FROM mt_parts')" = 0 ] ||
    e2e_fail "payload: $(e2e_sql 'SELECT count(*) FROM mt_parts') mt_parts rows, want 0"
e2e_sql "SELECT dest || ' 1 ' || message_id FROM mt ORDER BY dest" \
    >"$T/payload.db"
diff -u "$T/parts.txt" "$T/payload.db" >&2 ||
    e2e_fail "payload: mt.message_id differs from Net::SMPP's"
e2e_pass
