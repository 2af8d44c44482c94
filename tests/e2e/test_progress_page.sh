#!/bin/sh
# The coordinators' page in a real browser: pilard serves /progress after
# a few reports, headless Chromium (Debian's chromium) loads it, and its
# DOM must hold the roster's names as text (a hostile name stays text)
# and a bar per companion.  The screenshot is kept as a test artifact:
# $PILAR_TMP/artifacts/progress_page.png (the build's tests/e2e-tmp).
# Exits 77 (skipped) only when chromium is missing and cannot be
# installed.
. "$(dirname "$0")/lib.sh"

TOKEN=e2e-page-token-0123456789
ART=$PILAR_TMP/artifacts
CHROMIUM=${CHROMIUM:-chromium}

if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
	# scripts/test.sh installs it; a bare ctest run tries here.
	. "$PILAR_SRC/scripts/deps.sh"
	pilar_deps chromium fonts-dejavu-core >&2 || true
fi
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
	echo "SKIP: chromium is not installed and could not be" \
	    "(apt-get install chromium as root)" >&2
	trap - EXIT
	rm -rf "$T"
	exit 77
fi
command -v curl >/dev/null || e2e_fail "no curl (scripts/deps.sh)"

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
expect_mt Ref G001
mo 081200000001 GRAD 12346 AL
expect_mt Ref G002
mo 081200000001 KUNJ 12347
expect_mt Ref K003
mo 081200000002 GRAD 22345
expect_mt Ref G001
enquire
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
cat >>"$CONF" <<CONF

[program]
counted_categories = SM, AL

[http]
listen = 127.0.0.1:0
token = $TOKEN
CONF
"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects [http]"
e2e_roster
"$PILARCTL" -c "$CONF" companion add --id C003 --phone 081200000003 \
    --name '<img src=x onerror=alert(1)> Dewi & "Co"' \
    --region 'Kab. Sumba Timur' >/dev/null ||
    e2e_fail "companion add C003"
e2e_pilard
e2e_smsc_wait

e2e_http_port
URL="http://127.0.0.1:$HPORT/progress?token=$TOKEN"
code=$(curl -s -o "$T/page.html" -w '%{http_code}' "$URL") || code=000
[ "$code" = 200 ] || e2e_fail "GET /progress: $code"

# Chromium runs as root here (no sandbox then), with a profile of its
# own, and is given at most a minute.
chrome() {
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-dev-shm-usage --no-first-run --hide-scrollbars \
	    --user-data-dir="$T/chromium" "$@" 2>>"$T/chromium.log"
}
chrome --dump-dom "$URL" >"$T/dom.html" ||
    e2e_fail "chromium --dump-dom failed: $(tail -n 5 "$T/chromium.log")"
grep -q '>Sari<' "$T/dom.html" && grep -q '>Budi<' "$T/dom.html" ||
    e2e_fail "the names are not in the DOM"
grep -q '&lt;img src=x onerror=alert(1)&gt; Dewi &amp; "Co"' \
    "$T/dom.html" || e2e_fail "the hostile name is not text in the DOM"
if grep -q '<img' "$T/dom.html"; then
	e2e_fail "the hostile name became an element"
fi
[ "$(grep -o '<svg' "$T/dom.html" | wc -l)" -ge 4 ] ||
    e2e_fail "fewer than four bars (summary and three companions)"
grep -q '>2/10<' "$T/dom.html" || e2e_fail "Sari's 2/10 (SM and AL)"

mkdir -p "$ART"
rm -f "$ART/progress_page.png"
chrome --screenshot="$ART/progress_page.png" --window-size=1200,800 \
    "$URL" >/dev/null ||
    e2e_fail "chromium --screenshot failed: $(tail -n 5 "$T/chromium.log")"
[ -s "$ART/progress_page.png" ] || e2e_fail "no screenshot"
[ "$(head -c 8 "$ART/progress_page.png" | od -An -tx1 | tr -d ' \n')" = \
    89504e470d0a1a0a ] || e2e_fail "the screenshot is not a PNG"
# A blank page compresses to almost nothing; text and bars do not.
[ "$(wc -c <"$ART/progress_page.png")" -gt 10000 ] ||
    e2e_fail "the screenshot looks blank"
cp "$T/page.html" "$ART/progress_page.html"
echo "screenshot: $ART/progress_page.png"
e2e_pilard_stop
e2e_pass
