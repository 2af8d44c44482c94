#!/bin/sh
# An MO delivered again by the SMSC (its deliver_sm_resp was lost, as far
# as the SMSC knows): same sender, same text, a new sequence number.
# It must not count twice: a redelivered GRAD is answered "sudah
# tercatat" and stored once; a redelivered BATAL gets the first one's
# answer again and does not undo a second record.  pilard's log says it
# saw a redelivery.
. "$(dirname "$0")/lib.sh"

# faults_conf: e2e_conf's configuration (lib.sh) for the simulator on
# $PORT, with the [smpp] timers of this test: RESPONSE_TIMEOUT (s,
# default 30), RECONNECT_MAX (s, default 2).
faults_conf() {
	cat >"$CONF" <<CONF
[smpp]
host = 127.0.0.1
port = $PORT
system_id = pilar
password = secret
source_addr = 1717
enquire_link_interval = 5
bind_timeout = 5
response_timeout = ${RESPONSE_TIMEOUT:-30}
reconnect_min = 1
reconnect_max = ${RECONNECT_MAX:-2}

[store]
path = pilar.db

[program]
yearly_target = 10
timezone = Asia/Jakarta
country_code = 62
id_min_length = 5
id_max_length = 16

[log]
level = debug
file = pilard.log
CONF
	"$PILARD" -n -c "$CONF" >/dev/null || e2e_fail "pilard -n rejects $CONF"
}

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
expect_resp ok
expect_mt Ref G001
redeliver
expect_resp ok
expect_mt sudah tercatat
mo 081200000001 GRAD 12346
expect_mt Ref G002
mo 081200000001 BATAL
expect_mt Dibatalkan: graduasi KPM 12346 (Ref G002)
redeliver
expect_resp ok
expect_mt Dibatalkan: graduasi KPM 12346 (Ref G002)
mo 081200000001 STATUS
expect_mt Capaian $YEAR: 1/10 graduasi
enquire
SCRIPT

e2e_smsc "$T/script"
faults_conf
e2e_roster
e2e_pilard
e2e_smsc_wait
e2e_pilard_stop

[ "$(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL")" = 1 ] ||
    e2e_fail "active graduations: $(e2e_sql "SELECT count(*) FROM records WHERE kind = 'G' AND cancelled_at IS NULL"), want 1 (G001)"
[ "$(e2e_sql "SELECT ref FROM records WHERE cancelled_at IS NULL")" = G001 ] ||
    e2e_fail "the active record is not G001"
# Stored once each: GRAD 12345, GRAD 12346, BATAL, STATUS.
[ "$(e2e_sql 'SELECT count(*) FROM mo')" = 4 ] ||
    e2e_fail "mo rows: $(e2e_sql 'SELECT count(*) FROM mo'), want 4 (a redelivery is not a new MO)"
# (The test's folder is named after redeliveries: leave paths out.)
n=$(sed "s|$T||g" "$T/pilard.log" | grep -ci 'redeliver' || true)
[ "$n" -ge 2 ] || e2e_fail "$n log lines mention the redeliveries, want 2"
e2e_pass
