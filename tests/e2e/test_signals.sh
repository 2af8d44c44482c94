#!/bin/sh
# SIGHUP with a broken file keeps the old configuration and the link;
# SIGHUP with new link settings re-binds; SIGHUP with other changes does
# not; SIGUSR1 reopens the log file after logrotate moved it.
. "$(dirname "$0")/lib.sh"

cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
expect_mt Ref G001
# A broken file: logged, ignored, still answering on the same link.
sh cp $T/pilar.conf $T/good.conf && printf '[smpp]\nwindow = lots\n' >>$T/pilar.conf && kill -HUP \$(cat $T/pilard.pid)
sh i=0; until grep -q config_reload_failed $T/pilard.log; do i=\$((i+1)); [ \$i -lt 200 ] || exit 1; sleep 0.05; done
mo 081200000001 STATUS
expect_mt 1/10
# A change outside the link: applied without a new bind.
sh sed 's/^yearly_target = 10/yearly_target = 12/' $T/good.conf >$T/pilar.conf && kill -HUP \$(cat $T/pilard.pid)
sh i=0; until grep -q 'config_reloaded.*link_changed=0' $T/pilard.log; do i=\$((i+1)); [ \$i -lt 200 ] || exit 1; sleep 0.05; done
mo 081200000001 STATUS
expect_mt 1/12
# logrotate: move the file away, SIGUSR1, a new file appears.
sh mv $T/pilard.log $T/pilard.log.1 && kill -USR1 \$(cat $T/pilard.pid)
mo 081200000001 BANTUAN
expect_mt Format
sh i=0; until grep -q 'cmd=BANTUAN' $T/pilard.log 2>/dev/null; do i=\$((i+1)); [ \$i -lt 200 ] || exit 1; sleep 0.05; done
# A new system_id: pilard unbinds and binds again.
sh sed 's/^yearly_target = 10/yearly_target = 12/; s/^system_id = pilar/system_id = pilar2/' $T/good.conf >$T/pilar.conf && kill -HUP \$(cat $T/pilard.pid)
expect_close
SCRIPT
e2e_smsc "$T/script"
e2e_conf "$PORT"
e2e_roster
e2e_pilard
e2e_smsc_wait
grep -q 'log_reopened' "$T/pilard.log" || e2e_fail "no log_reopened line"
grep -q 'link_changed=1' "$T/pilard.log" || e2e_fail "link change not seen"
e2e_pilard_stop
e2e_pass
