#!/bin/sh
# [http]: /healthz, /metrics and /progress of the real pilard.  A few MOs
# of every kind and a receipt go through the simulator; while the link
# is still bound, /healthz says ok, /metrics parses with the Prometheus
# client's own text-format parser and its counters match what was
# sent, /progress wants the token and shows the roster's names
# escaped, and bad requests get 400 (a log line each) without harm.
# After the simulator is gone, /healthz says 503.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
TOKEN=e2e-token-0123456789abcdef
"$PY" -c 'import prometheus_client.parser' 2>/dev/null ||
    e2e_fail "no prometheus_client for $PY (scripts/deps.sh installs" \
    "python3-prometheus-client)"
command -v curl >/dev/null || e2e_fail "no curl (scripts/deps.sh)"

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
expect_mt Ref G001
mo +6281200000001 grad 12345
expect_mt sudah tercatat
mo 081200000001 KUNJ 12347
expect_mt Ref K002
receipt DELIVRD
expect_resp ok
mo 081299999999 GRAD 12345
expect_mt belum terdaftar
mo 081200000001 apa kabar
expect_mt Format tidak dikenal
enquire
sh touch $T/sent
sh i=0; while [ ! -f $T/checked ] && [ \$i -lt 900 ]; do i=\$((i+1)); sleep 0.05; done; [ -f $T/checked ]
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
cat >>"$CONF" <<CONF

[http]
listen = 127.0.0.1:0
token = $TOKEN
CONF
"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects [http]"
e2e_roster
# A name and a region as hostile as a roster may hold.
"$PILARCTL" -c "$CONF" companion add --id C003 --phone 081200000003 \
    --name '<script>alert("x")</script> & Co' \
    --region 'Kab. <b>Sumba</b> "Timur"' >/dev/null ||
    e2e_fail "companion add C003"
e2e_pilard

e2e_http_port
URL=http://127.0.0.1:$HPORT

# get PATH [curl options...]: the status code; the body in $T/body.
get() {
	p=$1
	shift
	curl -s -o "$T/body" -w '%{http_code}' "$@" "$URL$p" || echo 000
}

# expect_status CODE PATH [curl options...]
expect_status() {
	want=$1
	shift
	got=$(get "$@")
	[ "$got" = "$want" ] || e2e_fail "GET $1: $got, expected $want"
}

i=0
while [ ! -f "$T/sent" ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || e2e_fail "the simulator did not finish its MOs"
	sleep 0.05
done

# Health while bound: 200 and what it looked at.
expect_status 200 /healthz
grep -q '"link":"bound"' "$T/body" || e2e_fail "healthz: $(cat "$T/body")"
grep -q '"store":"writable"' "$T/body" || e2e_fail "healthz store"

# /metrics: the whole text through prometheus_client's parser, then
# every line checked against the format's rules, then the counters.
expect_status 200 /metrics
cp "$T/body" "$T/metrics.txt"
get /metrics -I >/dev/null
grep -qi '^content-type: text/plain; version=0.0.4' "$T/body" ||
    e2e_fail "metrics content type: $(cat "$T/body")"
"$PY" - "$T/metrics.txt" "$YEAR" >"$T/metrics.check" 2>&1 <<'PY' ||
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1], encoding="utf-8").read()
fams = {f.name: f for f in text_string_to_metric_families(text)}
samples = {}
for f in fams.values():
    for s in f.samples:
        key = (s.name, tuple(sorted(s.labels.items())))
        if key in samples:
            sys.exit("duplicate sample %r" % (key,))
        samples[key] = s.value

# The format's rules the parser lets pass: each family once, HELP and
# TYPE before its samples, sample names of their family only (0.0.4: a
# counter's TYPE names the sample itself, pilar_x_total).
typed, helped, seen = {}, set(), set()
suffixes = {"histogram": ("_bucket", "_sum", "_count")}
for n, line in enumerate(text.splitlines(), 1):
    m = re.match(r"# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$", line)
    if m:
        kind, name, rest = m.groups()
        if kind == "TYPE":
            if name in typed or name in seen:
                sys.exit("line %d: TYPE %s again or late" % (n, name))
            typed[name] = rest
        else:
            if name in helped:
                sys.exit("line %d: HELP %s again" % (n, name))
            helped.add(name)
        continue
    m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$", line)
    if not m:
        sys.exit("line %d: not a sample: %r" % (n, line))
    name = m.group(1)
    fam = [t for t in typed
           if any(name == t + s for s in suffixes.get(typed[t], ("",)))]
    if not fam:
        sys.exit("line %d: %s has no TYPE before it" % (n, name))
    seen.add(fam[0])
    float(m.group(3))
if set(typed) != helped:
    sys.exit("HELP and TYPE differ: %r" % (set(typed) ^ helped))


def v(name, **labels):
    key = (name, tuple(sorted(labels.items())))
    if key not in samples:
        sys.exit("no sample %s%r" % (name, labels))
    return samples[key]


want = [
    (v("pilar_mo_total", outcome="recorded"), 2),
    (v("pilar_mo_total", outcome="duplicate"), 1),
    (v("pilar_mo_total", outcome="stranger"), 1),
    (v("pilar_mo_total", outcome="bad_format"), 1),
    (v("pilar_deliver_sm_total"), 6),
    (v("pilar_mo_rejected_total"), 0),
    (v("pilar_mo_tempfail_total"), 0),
    (v("pilar_mt_total", fate="sent"), 5),
    (v("pilar_mt_total", fate="failed"), 0),
    (v("pilar_receipts_total", state="delivered"), 1),
    (v("pilar_reply_latency_seconds_count"), 5),
    (v("pilar_reply_latency_seconds_bucket", le="+Inf"), 5),
    (v("pilar_reply_latency_untracked_total"), 0),
    (v("pilar_smpp_bound"), 1),
    (v("pilar_smpp_binds_total"), 1),
    (v("pilar_graduations_this_year", category="SM"), 1),
    (v("pilar_graduations_this_year", category="AL"), 0),
    (v("pilar_visits_this_year"), 1),
    (v("pilar_companions", state="active"), 3),
    (v("pilar_companions_target_reached"), 0),
    (v("pilar_outbox_pending"), 0),
]
for n, (got, exp) in enumerate(want):
    if got != exp:
        sys.exit("check %d: %s, expected %s" % (n, got, exp))
if fams["pilar_reply_latency_seconds"].type != "histogram":
    sys.exit("latency is not a histogram")
print("metrics ok: %d families, %d samples" % (len(fams), len(samples)))
PY
    e2e_fail "metrics: $(cat "$T/metrics.check")"
cat "$T/metrics.check"

# The progress page: not without the token, then escaped names.
expect_status 403 /progress
expect_status 403 "/progress?token=wrong-token-0123456789"
expect_status 403 /progress -H "Authorization: Bearer nope"
expect_status 200 /progress -H "Authorization: Bearer $TOKEN"
grep -q '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co' \
    "$T/body" || e2e_fail "the hostile name is not escaped"
grep -q 'Kab. &lt;b&gt;Sumba&lt;/b&gt; &quot;Timur&quot;' "$T/body" ||
    e2e_fail "the hostile region is not escaped"
if grep -q '<script' "$T/body"; then
	e2e_fail "a raw <script> in the page"
fi
grep -q '>Sari<' "$T/body" && grep -q '>Budi<' "$T/body" ||
    e2e_fail "the roster's names are not on the page"
grep -q '<svg' "$T/body" || e2e_fail "no bars"
grep -q '>1/10<' "$T/body" || e2e_fail "Sari's 1/10 is not shown"
expect_status 200 "/progress?token=$TOKEN&q=budi&sort=least"
grep -q '>Budi<' "$T/body" && ! grep -q '>Sari<' "$T/body" ||
    e2e_fail "the name filter"
expect_status 200 "/progress?token=$TOKEN&region=Kab.+%3Cb%3ESumba%3C%2Fb%3E+%22Timur%22"
grep -q 'alert' "$T/body" && ! grep -q '>Sari<' "$T/body" ||
    e2e_fail "the region filter"
expect_status 302 "/?token=$TOKEN"
get "/?token=$TOKEN" -D "$T/headers" >/dev/null
grep -qi "^location: /progress?token=$TOKEN" "$T/headers" ||
    e2e_fail "/ does not redirect to /progress"

# Bad requests: 400 (or 404, 405) and a log line each, and pilard serves on.
expect_status 400 "/progress?token=$TOKEN&page=abc"
expect_status 400 "/progress?token=$TOKEN&q=%zz"
expect_status 400 "/metrics?nonsense=1"
expect_status 404 /etc/passwd
expect_status 405 /metrics -X POST
"$PY" - "$HPORT" >"$T/raw.out" 2>&1 <<'PY' || e2e_fail "raw: $(cat "$T/raw.out")"
import socket
import sys

s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"GET /\x01\x02 \xff\xfe HTTP/9.9 junk\r\n\x00\r\n\r\n")
answer = s.recv(4096)
if not answer.startswith(b"HTTP/1.1 400"):
    sys.exit("raw garbage: %r" % answer[:80])
PY
expect_status 200 /healthz
expect_status 200 "/metrics?token=$TOKEN"

# SIGHUP with listen unchanged keeps the socket (same port, no rebind).
kill -HUP "$PILARD_PID"
i=0
until grep -q config_reloaded "$T/pilard.log"; do
	i=$((i + 1))
	[ $i -lt 200 ] || e2e_fail "no config_reloaded line"
	sleep 0.05
done
expect_status 200 /healthz
[ "$(grep -c http_listening "$T/pilard.log")" = 1 ] ||
    e2e_fail "SIGHUP bound [http] listen again"
touch "$T/checked"
e2e_smsc_wait

# No link now: /healthz says so with 503.
i=0
while [ "$(get /healthz)" != 503 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || e2e_fail "healthz still not 503 without the SMSC"
	sleep 0.05
done
grep -q '"link":"unbound"' "$T/body" || e2e_fail "healthz: $(cat "$T/body")"
e2e_pilard_stop
n=$(grep -c 'http_refused.*status=400' "$T/pilard.log" || true)
[ "$n" -ge 3 ] || e2e_fail "400s logged: $n, expected 3"
grep -q 'http_refused.*status=403.*reason="missing or wrong token"' \
    "$T/pilard.log" || e2e_fail "no log line for the 403"
if grep -q "$TOKEN" "$T/pilard.log"; then
	e2e_fail "the token reached the log"
fi
e2e_pass
