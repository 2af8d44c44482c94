#!/bin/sh
# USSD through an aggregator's HTTP callback ([ussd] http_path on the
# pilard HTTP listener): graduation through the menu and by shortcut, a
# visit, progress, undo, a wrong id, a stranger, a timeout, a request
# sent twice, 50 dialogues from 50 phones at once; the secret, the
# address list and malformed requests (400/403/405, a log line each).
# Every report is committed before its END screen: the database agrees.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || e2e_fail "no curl (scripts/deps.sh)"
SECRET=e2e-ussd-secret-0123456789
N=50

cat >"$T/script" <<SCRIPT
wait_bind
sh touch $T/bound
sh i=0; while [ ! -f $T/checked ] && [ \$i -lt 1800 ]; do i=\$((i+1)); sleep 0.05; done; [ -f $T/checked ]
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
cat >>"$CONF" <<CONF

[http]
listen = 127.0.0.1:0

[ussd]
service_code = *123#
session_timeout = 10s
http_path = /ussd
http_secret = $SECRET
http_allow = 127.0.0.1, ::1
CONF
"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects [ussd]"
e2e_roster
e2e_bench_roster "$N" "$N" 30000
e2e_pilard

e2e_http_port
URL=http://127.0.0.1:$HPORT/ussd
i=0
while [ ! -f "$T/bound" ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || e2e_fail "pilard did not bind"
	sleep 0.05
done

# post OUT SESSION PHONE TEXT [curl options]: the status, the body in OUT.
post() {
	out=$1 sid=$2 phone=$3 text=$4
	shift 4
	curl -s -o "$out" -w '%{http_code}' -H "X-Pilar-Secret: ${HSECRET:-$SECRET}" \
	    --data-urlencode "sessionId=$sid" \
	    --data-urlencode "serviceCode=*123#" \
	    --data-urlencode "phoneNumber=$phone" \
	    --data-urlencode "networkCode=51010" \
	    --data-urlencode "text=$text" "$@" "$URL" || echo 000
}

# step SESSION PHONE TEXT WANT: 200 and a body that contains WANT.
step() {
	code=$(post "$T/body" "$1" "$2" "$3")
	[ "$code" = 200 ] || e2e_fail "$1 text=$3: status $code: $(cat "$T/body")"
	grep -qF -- "$4" "$T/body" ||
	    e2e_fail "$1 text=$3: \"$(cat "$T/body")\" lacks \"$4\""
}

A=+6281200000001
# Graduation through the menu.
step s1 $A "" "CON Pilar
1 Lapor graduasi"
step s1 $A "1" "CON Lapor graduasi"
step s1 $A "1*12345" "CON KPM 12345
Kategori graduasi"
step s1 $A "1*12345*1" "CON Graduasi SM KPM 12345?"
step s1 $A "1*12345*1*1" "END OK. Graduasi SM KPM 12345 tercatat (Ref G001). Capaian $YEAR: 1/10"
# Committed before the END: the record is there now.
[ "$(e2e_sql "SELECT ref FROM records WHERE kpm_id='12345' AND cancelled_at IS NULL")" = G001 ] ||
    e2e_fail "G001 not committed at END"
# A shortcut dialled as *123*1*12346#: the answers on the first request.
step s2 $A "1*12346" "END OK. Graduasi SM KPM 12346 tercatat (Ref G002). Capaian $YEAR: 2/10"
# A visit, progress, undo.
step s3 $A "" "CON Pilar"
step s3 $A "2" "CON Lapor kunjungan"
step s3 $A "2*12347" "CON Kunjungan KPM 12347 hari ini?"
step s3 $A "2*12347*1" "END OK. Kunjungan KPM 12347"
step s4 $A "" "CON Pilar"
step s4 $A "3" "END Capaian $YEAR: 2/10 graduasi, 1 kunjungan"
step s5 $A "" "CON Pilar"
step s5 $A "4" "CON Batalkan laporan terakhir"
step s5 $A "4*1" "END Dibatalkan: kunjungan KPM 12347"
# A wrong id, then an unknown one; the same request twice.
step s6 $A "" "CON Pilar"
step s6 $A "1" "CON Lapor graduasi"
step s6 $A "1*12ab" "CON ID KPM 12ab tidak valid."
step s6 $A "1*12ab" "CON ID KPM 12ab tidak valid."
step s6 $A "1*12ab*99999" "CON KPM 99999"
step s6 $A "1*12ab*99999*1" "CON Graduasi SM KPM 99999?"
step s6 $A "1*12ab*99999*1*1" "END KPM 99999 tidak terdaftar"
# A stranger; English for an English companion.
step s7 +6281299999999 "" "END Nomor ini belum terdaftar"
"$PILARCTL" -c "$CONF" companion add --id C009 --phone 081200000009 \
    --name Ann --language en >/dev/null || e2e_fail "companion add C009"
step s8 081200000009 "" "CON Pilar
1 Report graduation"
step s8 081200000009 "5" "END Pick a number"
# The session ended: a late answer is told so.
step s8 081200000009 "5*1" "END The session has ended"

# Refusals, each with a log line; none harms what follows.
code=$(HSECRET=wrong post "$T/body" s9 $A "")
[ "$code" = 403 ] || e2e_fail "wrong secret: $code"
code=$(curl -s -o "$T/body" -w '%{http_code}' --data "sessionId=s9&phoneNumber=$A&text=" "$URL")
[ "$code" = 403 ] || e2e_fail "no secret: $code"
code=$(curl -s -o "$T/body" -w '%{http_code}' --data "secret=$SECRET&sessionId=s9&phoneNumber=6281200000001&text=" "$URL")
[ "$code" = 200 ] || e2e_fail "secret as a field: $code"
grep -q '^CON Pilar' "$T/body" || e2e_fail "secret field: $(cat "$T/body")"
# A '+' the aggregator did not escape is still the phone's.
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "X-Pilar-Secret: $SECRET" \
    --data "sessionId=s14&phoneNumber=+6281200000001&text=3" "$URL")
[ "$code" = 200 ] || e2e_fail "unescaped +: $code"
grep -q "^END Capaian $YEAR: 2/10" "$T/body" || e2e_fail "unescaped +: $(cat "$T/body")"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "X-Pilar-Secret: $SECRET" "$URL")
[ "$code" = 405 ] || e2e_fail "GET: $code"
code=$(post "$T/body" "" $A "")
[ "$code" = 400 ] || e2e_fail "no sessionId: $code"
code=$(post "$T/body" s10 "08abc" "")
[ "$code" = 400 ] || e2e_fail "bad phone: $code"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "X-Pilar-Secret: $SECRET" \
    --data-binary "sessionId=s11&phoneNumber=6281200000001&text=%01%02" "$URL")
[ "$code" = 400 ] || e2e_fail "control characters: $code"
[ "$(grep -c 'http_refused .*reason="ussd:' "$T/pilard.log")" -ge 6 ] ||
    e2e_fail "refusals not logged"

# A timeout: the session is forgotten after 10 s of silence.
step s12 $A "" "CON Pilar"
sleep 11
step s12 $A "1" "END Sesi sudah berakhir"

# 50 companions at once, each through the whole menu.
i=0
pids=
while [ $i -lt $N ]; do
	(
		p=$((6281100000000 + i))
		k=$((30000 + i))
		for t in "" "1" "1*$k" "1*$k*1" "1*$k*1*1"; do
			post "$T/c$i.body" "bulk$i" "$p" "$t" >"$T/c$i.code"
			[ "$(cat "$T/c$i.code")" = 200 ] || exit 1
		done
	) &
	pids="$pids $!"
	i=$((i + 1))
done
# Only these: a bare wait would wait for pilard and the simulator too.
for pid in $pids; do
	wait "$pid" || true
done
i=0
while [ $i -lt $N ]; do
	grep -q "^END OK. Graduasi SM KPM $((30000 + i)) tercatat (Ref G001)" \
	    "$T/c$i.body" ||
	    e2e_fail "bulk $i: $(cat "$T/c$i.code") $(cat "$T/c$i.body")"
	i=$((i + 1))
done

# /metrics counts the dialogues as the log tells them, by how they ended.
curl -s -o "$T/metrics.txt" "http://127.0.0.1:$HPORT/metrics" ||
    e2e_fail "no /metrics"
# (The log is written in batches: wait for it to catch up.)
for end in done timeout aborted reopened; do
	got=$(sed -n "s/^pilar_ussd_sessions_total{via=\"http\",end=\"$end\"} //p" \
	    "$T/metrics.txt")
	i=0
	while want=$(grep -c " ussd_end .*via=http .*reason=$end " \
	    "$T/pilard.log"); [ "$want" != "$got" ] && [ $i -lt 40 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	[ "$got" = "$want" ] ||
	    e2e_fail "pilar_ussd_sessions_total http $end: '$got', the log says $want"
done
[ "$(grep -c " ussd_end .*via=http .*reason=done " "$T/pilard.log")" -gt $N ] ||
    e2e_fail "fewer dialogues done than expected"
grep -q '^pilar_ussd_sessions_active [0-9]' "$T/metrics.txt" ||
    e2e_fail "no pilar_ussd_sessions_active"

# The address list is read at each request: one without us refuses.
sed -i 's/^http_allow = .*/http_allow = 10.1.2.3/' "$CONF"
kill -HUP "$PILARD_PID"
i=0
while ! grep -q config_reloaded "$T/pilard.log"; do
	i=$((i + 1))
	[ $i -lt 100 ] || e2e_fail "no reload"
	sleep 0.05
done
code=$(post "$T/body" s13 $A "")
[ "$code" = 403 ] || e2e_fail "address not allowed: $code"

touch "$T/checked"
e2e_smsc_wait
e2e_pilard_stop

[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind='G' AND cancelled_at IS NULL AND companion_id LIKE 'B%'")" = $N ] ||
    e2e_fail "bulk graduations: $(e2e_sql "SELECT count(*) FROM records WHERE companion_id LIKE 'B%'")"
[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind='G' AND cancelled_at IS NULL AND companion_id = 'C001'")" = 2 ] ||
    e2e_fail "C001 graduations"
[ "$(e2e_sql "SELECT count(*) FROM mt")" = 0 ] ||
    e2e_fail "a USSD screen was stored as an MT"
[ "$(summary mt)" = 0 ] || e2e_fail "the SMSC got an MT"
e2e_pass
