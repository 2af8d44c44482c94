#!/bin/sh
# Pacing and age of replies, with [smpp] tps = 10 and max_age = 60:
#  - 30 MOs from 30 phones at once: all 30 replies reach the SMSC, and
#    no faster than the contracted rate allows (first to last reply at
#    least 2.0 s: a lower bound only, a slow machine may take longer);
#  - a reply older than max_age (a pending mt row written two hours ago
#    while pilard was stopped) is never sent after the restart: its row
#    is marked failed (state 2) and the log says mt_expired, while a
#    fresh reply goes out as usual.
. "$(dirname "$0")/lib.sh"

# pacing_conf: e2e_conf's configuration with this test's [smpp] keys.
pacing_conf() {
	e2e_conf "$PORT"
	sed -i 's/^\[smpp\]$/[smpp]\ntps = 10\nmax_age = 60/' "$CONF"
	grep -q '^tps = 10$' "$CONF" || e2e_fail "tps not set in $CONF"
	"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects $CONF"
}

# Part 1: 30 MOs at once.
{
	echo wait_bind
	i=1
	while [ $i -le 30 ]; do
		printf 'mo 0812777700%02d BANTUAN\n' $i
		i=$((i + 1))
	done
	cat <<SCRIPT
expect_mt Format: GRAD
sh date +%s.%N >$T/t_first
expect_mt_count 30
sh date +%s.%N >$T/t_last
expect_acked
# Nothing more comes (no reply sent twice).
settle 1000
expect_mt_count 30
enquire
SCRIPT
} >"$T/script"

e2e_smsc "$T/script"
pacing_conf
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(summary mt)" = 30 ] && [ "$(summary unique_mt)" = 30 ] ||
    e2e_fail "MTs $(summary mt), unique $(summary unique_mt); want 30 and 30"
n=$(grep '^<< 62812777700[0-9][0-9]: Format: GRAD' "$T/smsc.out" |
    sort -u | wc -l)
[ "$n" -eq 30 ] || e2e_fail "$n phones got their reply, want 30"
span=$(awk -v a="$(cat "$T/t_first")" -v b="$(cat "$T/t_last")" \
    'BEGIN { printf "%.3f", b - a }')
echo "pacing: 30 replies at tps = 10, first to last in $span s"
awk -v s="$span" 'BEGIN { exit !(s >= 2.0) }' ||
    e2e_fail "30 replies in $span s from first to last: faster than tps = 10 allows (want >= 2.0 s)"
n=$(grep -c ' mt_sent ' "$T/pilard.log" || true)
[ "$n" -ge 30 ] || e2e_fail "$n mt_sent lines in pilard.log, want 30"

# Part 2: a reply written two hours ago, pending, pilard stopped.
mv "$T/smsc.out" "$T/smsc1.out"
rm -f "$T/port"
STALE="STALE: jawaban dari dua jam yang lalu"
sqlite3 -batch "$T/pilar.db" "INSERT INTO mt (dest, text, state, attempts,
    last_status, created_at) VALUES ('6281200000001', '$STALE', 0, 0, 0,
    CAST(strftime('%s', 'now') AS INTEGER) - 7200)" ||
    e2e_fail "cannot insert the stale mt row"
stale=$(e2e_sql "SELECT id FROM mt WHERE text = '$STALE'")
[ -n "$stale" ] || e2e_fail "the stale mt row is not there"

cat >"$T/script" <<SCRIPT
wait_bind
# The stale reply must never come.
no_mt 2000
mo 081200000001 STATUS
expect_resp ok
expect_mt_to 6281200000001 Capaian
no_mt 1000
enquire
SCRIPT
e2e_smsc "$T/script"
pacing_conf
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

! grep -q "$STALE" "$T/smsc.out" ||
    e2e_fail "the reply older than max_age was sent"
row=$(e2e_sql "SELECT state, failed_at IS NOT NULL, sent_at IS NULL,
    message_id IS NULL FROM mt WHERE id = $stale")
[ "$row" = "2|1|1|1" ] ||
    e2e_fail "stale mt $stale: state|failed_at set|sent_at NULL|message_id NULL = '$row', want '2|1|1|1'"
grep -q "mt_expired mt=$stale " "$T/pilard.log" ||
    e2e_fail "no 'mt_expired mt=$stale' line in pilard.log"
n=$(e2e_sql 'SELECT count(*) FROM mt WHERE state = 0')
[ "$n" = 0 ] || e2e_fail "$n replies left pending"
e2e_pass
