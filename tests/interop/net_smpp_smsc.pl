#!/usr/bin/perl
# net_smpp_smsc.pl: a small SMSC built on Debian's Net::SMPP (a stack
# nobody on the project wrote) that drives pilard through a companion's
# conversation, a kill -9 and restart, and checks every reply.
#
# usage: net_smpp_smsc.pl --port-file F --system-id ID --password PW
#            --restart CMD [--out-dir DIR] [--timeout S] [--trace]
#
# It listens on 127.0.0.1 (an OS-chosen port, written to F via a
# temporary file and rename), accepts pilard, answers bind_transceiver
# (wrong system_id or password: ESME_RINVPASWD 0x0E), enquire_link and
# every submit_sm (ESME_ROK with a message_id), sends deliver_sm as the
# companions and matches pilard's replies by regex, each within --timeout
# seconds.  Before the last step it runs CMD (which must kill pilard with
# SIGKILL and start it again), accepts the new connection and binds again.
# In --out-dir it leaves acked.count (the number of deliver_sm pilard
# acknowledged with ESME_ROK), acked.txt (their texts, in order) and
# mt.txt ("message_id dest" of every submit_sm it answered, in order).
#
# Every PDU in either direction is logged on stdout with its hex dump.
# A deviation from SMPP 3.4 that Net::SMPP tolerates (say, a body on a
# header-only PDU) does not stop the scenario but fails it at the end.
# Exit status: 0 all good, 1 an expectation failed, 2 usage.
use strict;
use warnings;
use Getopt::Long qw(GetOptions);
use IO::Handle;
use Time::HiRes qw(time);
use Net::SMPP;
use FindBin;
use lib $FindBin::Bin;
use NetSmppSim;

STDOUT->autoflush(1);
STDERR->autoflush(1);

my %opt = (timeout => 10, 'out-dir' => '.');
GetOptions(\%opt, 'port-file=s', 'system-id=s', 'password=s', 'restart=s',
    'out-dir=s', 'timeout=f', 'trace') or exit 2;
for my $k (qw(port-file system-id password restart)) {
	next if defined $opt{$k};
	print STDERR "net_smpp_smsc.pl: --$k is required\n";
	exit 2;
}
$Net::SMPP::trace = 1 if $opt{trace};
my $TIMEOUT = $opt{timeout};

my @acked;			# texts of the deliver_sm pilard acked ESME_ROK
my @mt_log;			# "message_id dest" of every submit_sm answered
my @violations;			# protocol deviations: fail at the end

sim_setup(name => 'net_smpp_smsc.pl', timeout => $TIMEOUT,
    dispatch => \&dispatch, on_fail => sub { eval { write_results() } });

# A deviation from SMPP 3.4 that Net::SMPP tolerates: note it, keep
# going so that the whole scenario runs, fail at the end.
sub violation {
	my ($msg) = @_;
	logf('VIOLATION at step "%s": %s', $step, $msg);
	push @violations, "step \"$step\": $msg";
}

sub write_results {
	my $dir = $opt{'out-dir'};
	for my $f (['acked.count', scalar(@acked) . "\n"],
	    ['acked.txt', join('', map { "$_\n" } @acked)],
	    ['mt.txt', join('', map { "$_\n" } @mt_log)]) {
		my $tmp = "$dir/$f->[0].tmp";
		open my $fh, '>', $tmp or die "$tmp: $!\n";
		print $fh $f->[1];
		close $fh or die "$tmp: $!\n";
		rename $tmp, "$dir/$f->[0]" or die "$dir/$f->[0]: $!\n";
	}
}

# --------------------------------------------------------------- listening

my $port = sim_listen($opt{'port-file'});
logf('Net::SMPP %s listening on 127.0.0.1:%u', $Net::SMPP::VERSION, $port);

# ------------------------------------------------------------ session state

my %sent_deliver;		# seq => { text, status (undef until resp) }
my @mt;				# replies not yet matched: { dest, text, ... }
my $mt_count = 0;

# Decode a submit_sm's short_message (or message_payload) as text.
my %gsm = (0x00 => '@', 0x01 => "\x{a3}", 0x02 => '$', 0x03 => "\x{a5}",
    0x11 => '_', 0x0a => "\n", 0x0d => "\r");
my %gsm_ext = (0x14 => '^', 0x28 => '{', 0x29 => '}', 0x2f => '\\',
    0x3c => '[', 0x3d => '~', 0x3e => ']', 0x40 => '|', 0x65 => "\x{20ac}");

sub decode_text {
	my ($dc, $sm) = @_;
	if ($dc == 0) {
		my @o = unpack 'C*', $sm;
		my $s = '';
		for (my $i = 0; $i < @o; $i++) {
			my $c = $o[$i];
			fail(sprintf('octet 0x%02x in a data_coding 0 message: not '
			    . 'GSM 7-bit: %s', $c, hex_of($sm))) if $c > 0x7f;
			if ($c == 0x1b) {
				my $e = $o[++$i];
				fail('GSM escape at the end: ' . hex_of($sm))
				    if !defined $e;
				$s .= $gsm_ext{$e} // sprintf('<ESC %02x>', $e);
			} elsif (exists $gsm{$c}) {
				$s .= $gsm{$c};
			} elsif ($c < 0x20) {
				$s .= sprintf('<%02x>', $c);
			} else {
				$s .= chr $c;
			}
		}
		return ($s, scalar(@o));
	}
	if ($dc == 8) {
		fail('odd UCS-2 length: ' . hex_of($sm)) if length($sm) % 2;
		return (join('', map { chr } unpack 'n*', $sm),
		    length($sm) / 2);
	}
	return ($sm, length $sm) if $dc == 1 || $dc == 3;
	fail(sprintf('submit_sm with data_coding %u: %s', $dc, hex_of($sm)));
}

sub answer_submit {
	my ($pdu) = @_;
	my $sm = $pdu->{short_message} // '';
	if ($sm eq '' && defined $pdu->{message_payload}) {
		$sm = $pdu->{message_payload};
	}
	fail('submit_sm with UDHI (esm_class 0x'
	    . sprintf('%02x', $pdu->{esm_class}) . '): a reply must be one '
	    . 'segment') if $pdu->{esm_class} & 0x40;
	my ($text, $chars) = decode_text($pdu->{data_coding}, $sm);
	my $max = $pdu->{data_coding} == 8 ? 70 : 160;
	fail("reply of $chars characters (more than $max): $text")
	    if $chars > $max;
	$mt_count++;
	my $msgid = sprintf('%x', 0x5e000 + $mt_count);
	$conn->submit_sm_resp(seq => $pdu->{seq}, message_id => $msgid);
	my %m = (dest => $pdu->{destination_addr},
	    dest_ton => $pdu->{dest_addr_ton},
	    dest_npi => $pdu->{dest_addr_npi},
	    src => $pdu->{source_addr}, dc => $pdu->{data_coding},
	    text => $text, msgid => $msgid);
	logf('MT %s (ton=%u npi=%u) from %s dc=%u msgid=%s: %s', $m{dest},
	    $m{dest_ton}, $m{dest_npi}, $m{src}, $m{dc}, $msgid, $text);
	push @mt, \%m;
	push @mt_log, "$msgid $m{dest}";
}

# Header-only PDUs (SMPP 3.4 4.2.2, 4.3, 4.11): command_length 16.
my %header_only = map { $_ => 1 } (CMD_ENQUIRE_LINK, CMD_ENQUIRE_LINK_RESP,
    CMD_UNBIND, CMD_UNBIND_RESP, CMD_GENERIC_NACK);

sub dispatch {
	my ($pdu) = @_;
	my ($cmd, $seq, $st) = @$pdu{qw(cmd seq status)};
	my $body = length $pdu->{data};
	violation(sprintf('%s seq=%u has %u body octet(s) (%s); SMPP 3.4 '
	    . 'defines it as header only, command_length 16', cmd_name($cmd),
	    $seq, $body, hex_of($pdu->{data}))) if $header_only{$cmd} && $body;
	# deliver_sm_resp (4.6.2): message_id "unused, set to NULL"; an
	# error response may leave the body out.
	violation(sprintf('deliver_sm_resp seq=%u body is %s, want one NUL '
	    . '(message_id NULL)', $seq, hex_of($pdu->{data}) || 'empty'))
	    if $cmd == CMD_DELIVER_SM_RESP && $st == ESME_ROK
	    && $pdu->{data} ne "\0";
	if ($cmd == CMD_SUBMIT_SM) {
		answer_submit($pdu);
	} elsif ($cmd == CMD_DELIVER_SM_RESP) {
		my $d = $sent_deliver{$seq};
		fail(sprintf('deliver_sm_resp for seq %u, which was never sent '
		    . 'or already answered', $seq))
		    if !$d || defined $d->{status};
		$d->{status} = $st;
		logf('   ack of "%s": %s message_id="%s"', $d->{text},
		    status_name($st), $pdu->{message_id} // '');
		push @acked, $d->{text} if $st == ESME_ROK;
	} elsif ($cmd == CMD_BIND_TRANSCEIVER || $cmd == CMD_BIND_TRANSMITTER
	    || $cmd == CMD_BIND_RECEIVER) {
		$conn->bind_transceiver_resp(seq => $seq,
		    status => ESME_RALYBND, system_id => 'netsmpp');
		fail('pilard sent a second bind on a bound link');
	} else {
		link_pdu($pdu);
		fail('enquire_link_resp status ' . status_name($st))
		    if $cmd == CMD_ENQUIRE_LINK_RESP && $st != ESME_ROK;
	}
}

# Serve the link for $secs seconds; no reply may arrive unasked.
sub settle {
	my ($secs) = @_;
	my $until = time + $secs;
	pump('a quiet link', $secs + 1, sub { time >= $until });
	fail('unexpected extra reply to ' . $mt[0]{dest} . ': ' . $mt[0]{text})
	    if @mt;
}

# ------------------------------------------------------------------ binding

sub accept_and_bind {
	my ($secs) = @_;
	my $bind = accept_bind($secs, 1);
	%sent_deliver = ();
	logf('bind_transceiver system_id="%s" system_type="%s" '
	    . 'interface_version=0x%02x addr_ton=%u addr_npi=%u '
	    . 'address_range="%s"', $bind->{system_id}, $bind->{system_type},
	    $bind->{interface_version}, $bind->{addr_ton}, $bind->{addr_npi},
	    $bind->{address_range});
	if ($bind->{system_id} ne $opt{'system-id'}
	    || $bind->{password} ne $opt{password}) {
		$conn->bind_transceiver_resp(seq => $bind->{seq},
		    status => ESME_RINVPASWD, system_id => 'netsmpp');
		fail(sprintf('pilard bound as system_id="%s" password="%s", '
		    . 'want "%s"/"%s": answered ESME_RINVPASWD',
		    $bind->{system_id}, $bind->{password}, $opt{'system-id'},
		    $opt{password}));
	}
	fail(sprintf('interface_version 0x%02x, want 0x34',
	    $bind->{interface_version})) if $bind->{interface_version} != 0x34;
	$conn->bind_transceiver_resp(seq => $bind->{seq}, status => ESME_ROK,
	    system_id => 'netsmpp');
	logf('bound');
}

# ----------------------------------------------------------------- scenario

# A companion's SMS: deliver_sm, then its deliver_sm_resp (ESME_ROK)
# and exactly one reply to $dest whose text matches every regex.
# Returns the reply's text.
sub mo {
	my ($label, $ton, $npi, $from, $text, $dest, @want) = @_;
	$step = $label;
	fail('unexpected reply before this message: to ' . $mt[0]{dest}
	    . ': ' . $mt[0]{text}) if @mt;
	logf('---- step %s: "%s" from %s (ton=%u npi=%u)', $label, $text,
	    $from, $ton, $npi);
	my $seq = $conn->deliver_sm(
	    service_type => '',
	    source_addr_ton => $ton, source_addr_npi => $npi,
	    source_addr => $from,
	    dest_addr_ton => 0, dest_addr_npi => 1, destination_addr => '1717',
	    esm_class => 0, protocol_id => 0, priority_flag => 0,
	    schedule_delivery_time => '', validity_period => '',
	    registered_delivery => 0, replace_if_present_flag => 0,
	    data_coding => 0, sm_default_msg_id => 0,
	    short_message => $text);
	$sent_deliver{$seq} = { text => $text, status => undef };
	pump("deliver_sm_resp for seq $seq and the reply to \"$text\"",
	    $TIMEOUT, sub {
		my $st = $sent_deliver{$seq}{status};
		defined $st && ($st != ESME_ROK || @mt);
	    });
	my $st = $sent_deliver{$seq}{status};
	fail(sprintf('deliver_sm_resp status %s for "%s", want ESME_ROK',
	    status_name($st), $text)) if $st != ESME_ROK;
	my $m = shift @mt;
	fail(sprintf('reply went to "%s", want "%s": %s', $m->{dest}, $dest,
	    $m->{text})) if $m->{dest} ne $dest;
	fail(sprintf('reply from source_addr "%s", want "1717"', $m->{src}))
	    if $m->{src} ne '1717';
	for my $re (@want) {
		fail("reply \"$m->{text}\" does not match /$re/")
		    if $m->{text} !~ $re;
	}
	logf('     ok: %s', $m->{text});
	return $m->{text};
}

my $SARI = '081200000001';
my $SARI_INTL = '6281200000001';
my $STRANGER = '081299999999';

$step = '0 connect and bind';
accept_and_bind(60);

mo('1 GRAD', 2, 1, $SARI, 'GRAD 12345', $SARI_INTL,
    qr/Ref G001\b/, qr{\b1/10\b});
mo('2 GRAD again, +62 TON international', 1, 1, $SARI_INTL, 'GRAD 12345',
    $SARI_INTL, qr/sudah tercatat/, qr/Ref G001\b/, qr{\b1/10\b});
my $r3 = mo('3 GRAD another, 62 TON unknown', 0, 0, $SARI_INTL,
    'GRAD 12346', $SARI_INTL, qr/Ref G002\b/, qr{\b2/10\b});
my ($ref3) = $r3 =~ /Ref (\w+)/;
mo('4 KUNJ', 2, 1, $SARI, 'KUNJ 12347 catatan', $SARI_INTL,
    qr/Kunjungan/, qr/\b12347\b/);
mo('5 BATAL (the visit)', 2, 1, $SARI, 'BATAL', $SARI_INTL,
    qr/Dibatalkan/, qr/kunjungan/i, qr/\b12347\b/);
mo("6 BATAL $ref3", 2, 1, $SARI, "BATAL $ref3", $SARI_INTL,
    qr/Dibatalkan/, qr/\b12346\b/, qr{\b1/10\b});
mo('7 stranger', 0, 0, $STRANGER, 'GRAD 12345', '6281299999999',
    qr/belum terdaftar/);
mo('8 another companion\'s KPM', 2, 1, $SARI, 'GRAD 22345', $SARI_INTL,
    qr/bukan dampingan/);
mo('9 unknown text', 2, 1, $SARI, 'apa kabar', $SARI_INTL,
    qr/Format tidak dikenal/);

# Our own enquire_link: pilard must answer it with the same seq.
$step = '9b enquire_link from the SMSC';
send_enquire_link();

# 10: kill -9 and restart; the acknowledged reports must survive.
$step = '10 kill -9 and restart';
settle(1);
logf('---- step %s: %s', $step, $opt{restart});
{
	my $rc = system $opt{restart};
	fail(sprintf('restart command exited %d', $rc >> 8)) if $rc != 0;
}
pump('the old connection to close', $TIMEOUT, sub { $closed });
fail('unexpected reply from the killed pilard: ' . $mt[0]{text}) if @mt;
accept_and_bind(60);

# pilard's enquire_link after its idle interval (5 s in the test's
# configuration), answered with Net::SMPP's enquire_link_resp.
$step = '10b enquire_link from pilard';
pump('an enquire_link from pilard', $TIMEOUT, sub { $enquire_in > 0 });

mo('11 STATUS after restart', 1, 1, $SARI_INTL, 'STATUS', $SARI_INTL,
    qr{\b1/10\b});

# No stray replies, then unbind.
$step = '12 unbind';
settle(1);
send_unbind();
write_results();
if (@violations) {
	$step = 'end';
	fail(scalar(@violations) . " SMPP 3.4 deviation(s) from pilard:\n  "
	    . join("\n  ", @violations));
}
logf('PASS: %u deliver_sm acknowledged with ESME_ROK, %u replies',
    scalar @acked, $mt_count);
exit 0;
