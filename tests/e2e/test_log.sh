#!/bin/sh
# The operator's log: one SMS followed by its ids, from its deliver_sm
# (seq) to its MO row (mo=), record (ref=) and reply (mt=), the reply's
# submit_sm (seq=, msgid=) and its delivery receipt (mt=, msgid=).
# Phones and NIKs are masked, in the from= key and inside the text,
# until [log] mask = no (applied on SIGHUP) shows them whole.  With
# [log] file = syslog pilard runs, answers, writes no file and prints
# nothing on standard error.
. "$(dirname "$0")/lib.sh"

# field LINE KEY: the value of KEY= in a logfmt line (unquoted values).
field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

cat >"$T/script" <<SCRIPT
wait_bind
msgid 5000
mo 081200000001 GRAD 12345
expect_mt_to 6281200000001 Ref G001
receipt DELIVRD tlv
expect_resp ok
# A NIK and a phone inside the text are masked too.
mo 081200000001 KUNJ 12346 NIK 3527091204850082 hp 081299998888
expect_mt_to 6281200000001 Ref K002
# mask = no on SIGHUP: the same kinds of lines, whole.
sh printf 'mask = no\n' >>$T/pilar.conf && kill -HUP \$(cat $T/pilard.pid)
sh i=0; until grep -q config_reloaded $T/pilard.log; do i=\$((i+1)); [ \$i -lt 200 ] || exit 1; sleep 0.05; done
mo 081200000002 KUNJ 22345 NIK 3527091204850082 hp 081299998888
expect_mt_to 6281200000002 Ref K001
expect_acked
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop
LOG=$T/pilard.log

# 1. deliver_sm -> mo -> record -> mt.
mo=$(grep ' info mo .*cmd=GRAD ' "$LOG" | head -n 1)
[ -n "$mo" ] || e2e_fail "no mo line for GRAD 12345"
[ -n "$(field "$mo" seq)" ] || e2e_fail "mo line without seq: $mo"
[ "$(field "$mo" mo)" -gt 0 ] 2>/dev/null || e2e_fail "mo line without mo id: $mo"
[ "$(field "$mo" ref)" = G001 ] || e2e_fail "mo line without ref=G001: $mo"
mt=$(field "$mo" mt)
[ "${mt:-0}" -gt 0 ] 2>/dev/null || e2e_fail "mo line without mt id: $mo"
[ "$(field "$mo" from)" = "62812****0001" ] ||
    e2e_fail "phone not masked on the mo line: $mo"
# The record's row names the same MO.
[ "$(e2e_sql "SELECT ref FROM records WHERE mo_id = $(field "$mo" mo)")" = \
    G001 ] || e2e_fail "record G001 is not MO $(field "$mo" mo)'s"

# 2. mt -> submit_sm seq and message id.
sent=$(grep " info mt_sent .* mt=$mt " "$LOG" | head -n 1)
[ -n "$sent" ] || e2e_fail "no mt_sent line for mt=$mt"
[ -n "$(field "$sent" seq)" ] || e2e_fail "mt_sent without seq: $sent"
msgid=$(field "$sent" msgid)
[ "$msgid" = 5000 ] || e2e_fail "mt_sent msgid is not 5000: $sent"

# 3. message id -> receipt, back to the same mt.
rcpt=$(grep " info receipt .* msgid=$msgid " "$LOG" | head -n 1)
[ -n "$rcpt" ] || e2e_fail "no receipt line for msgid=$msgid"
[ "$(field "$rcpt" mt)" = "$mt" ] || e2e_fail "receipt names another mt: $rcpt"
[ "$(field "$rcpt" state)" = delivered ] || e2e_fail "receipt state: $rcpt"
[ -n "$(field "$rcpt" seq)" ] || e2e_fail "receipt without its seq: $rcpt"

# 4. Masked by default, in the text as well; whole after mask = no.
m1=$(grep ' info mo .*cmd=KUNJ .*ref=K002' "$LOG" | head -n 1)
case $m1 in
*'from=62812****0001'*'NIK 3527********0082 hp 0812****8888'*) ;;
*) e2e_fail "NIK or phone not masked in the text: $m1" ;;
esac
sed -n '1,/config_reloaded/p' "$LOG" >"$T/masked.log"
for whole in 6281200000001 081200000001 3527091204850082 081299998888; do
	grep -q "$whole" "$T/masked.log" &&
	    e2e_fail "$whole whole in the log before mask = no"
done
m2=$(grep ' info mo .*companion=C002 cmd=KUNJ ' "$LOG" | head -n 1)
case $m2 in
*'from=6281200000002 '*'NIK 3527091204850082 hp 081299998888'*) ;;
*) e2e_fail "mask = no does not show the phone and NIK: $m2" ;;
esac

# 5. file = syslog: no file, nothing on stderr, and it still answers.
cat >"$T/script2" <<SCRIPT
wait_bind
mo 081200000001 STATUS
expect_mt_to 6281200000001 1/10
sh kill -USR1 \$(cat $T/pilard.pid) && kill -HUP \$(cat $T/pilard.pid)
mo 081200000001 STATUS
expect_mt_to 6281200000001 1/10
expect_acked
SCRIPT
rm -f "$T/port"
e2e_smsc "$T/script2"
sed "s/^port = .*/port = $PORT/; s/^file = pilard.log/file = syslog/" \
    "$CONF" >"$T/syslog.conf"
mv "$T/syslog.conf" "$CONF"
"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects file = syslog"
mv "$LOG" "$T/pilard.log.before"
: >"$T/pilard.stderr"
e2e_pilard
e2e_smsc_wait
kill -0 "$PILARD_PID" 2>/dev/null || e2e_fail "pilard died with file = syslog"
e2e_pilard_stop
[ ! -e "$LOG" ] || e2e_fail "file = syslog wrote $LOG"
[ ! -e "$T/syslog" ] || e2e_fail "file = syslog wrote a file named syslog"
grep -q ' info \| warn \| error ' "$T/pilard.stderr" &&
    e2e_fail "file = syslog wrote log lines to stderr"
e2e_pass
