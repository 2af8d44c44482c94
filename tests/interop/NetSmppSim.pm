# NetSmppSim.pm: the SMSC side that net_smpp_smsc.pl and
# net_smpp_long_smsc.pl share.  Both play an SMSC with Debian's Net::SMPP
# (a stack nobody on the project wrote) against a real pilard; they differ
# in their scenario only, so the plumbing of the link lives here once:
#
#   sim_setup(name => SCRIPT, timeout => S, dispatch => CODE,
#             [tick => CODE], [on_fail => CODE])
#                   start the clock of the log, send Net::SMPP's warnings
#                   to the log; dispatch handles each PDU read from
#                   pilard, tick (if any) runs before and after each round
#                   of the link and returns when it next wants to run (a
#                   time, or undef), on_fail runs just before fail exits
#   logf, hex_of, cmd_name, status_name
#                   "[  1.234] ..." lines on stdout, hex dumps, names
#   fail(MSG)       log and print "SCRIPT: FAIL at step ..." and exit 1
#   $step           the step named in those messages
#   sim_listen(F)   listen on 127.0.0.1 (an OS-chosen port) and write the
#                   port to F through F.tmp and rename; returns the port
#   accept_bind(S, LOG)
#                   accept pilard (within S seconds) and read its
#                   bind_transceiver (within the timeout); returns it,
#                   unanswered (logged like any PDU if LOG is true)
#   pump(WHAT, S, DONE)
#                   serve the link until DONE->() or fail after S seconds
#   link_pdu(PDU)   the dispatch of what keeps the link (enquire_link,
#                   unbind, generic_nack) and of any unexpected PDU
#   send_enquire_link, send_unbind
#                   send one and serve the link until its response
#   $conn, $closed, $enquire_in
#                   the connection, whether pilard closed it, the number
#                   of enquire_link received on it
#   CMD_*, ESME_*   the SMPP 3.4 numbers the scripts use
#
# Every PDU written through Net::SMPP is logged with its hex dump, and a
# short write fails the run; every PDU read through pump is logged too.
package NetSmppSim;
use strict;
use warnings;
use Exporter qw(import);
use IO::Select;
use IO::Handle;
use Socket qw(MSG_PEEK);
use Time::HiRes qw(time sleep);
use Net::SMPP;

use constant {
	CMD_GENERIC_NACK	=> 0x80000000,
	CMD_BIND_RECEIVER	=> 0x00000001,
	CMD_BIND_TRANSMITTER	=> 0x00000002,
	CMD_SUBMIT_SM		=> 0x00000004,
	CMD_SUBMIT_SM_RESP	=> 0x80000004,
	CMD_DELIVER_SM		=> 0x00000005,
	CMD_DELIVER_SM_RESP	=> 0x80000005,
	CMD_UNBIND		=> 0x00000006,
	CMD_UNBIND_RESP		=> 0x80000006,
	CMD_BIND_TRANSCEIVER	=> 0x00000009,
	CMD_ENQUIRE_LINK	=> 0x00000015,
	CMD_ENQUIRE_LINK_RESP	=> 0x80000015,
	ESME_ROK		=> 0x00,
	ESME_RINVCMDID		=> 0x03,
	ESME_RALYBND		=> 0x05,
	ESME_RINVPASWD		=> 0x0E,
};

our @EXPORT = qw(sim_setup logf hex_of cmd_name status_name fail
    sim_listen accept_bind pump link_pdu send_enquire_link send_unbind
    $step $conn $closed $enquire_in
    CMD_GENERIC_NACK CMD_BIND_RECEIVER CMD_BIND_TRANSMITTER CMD_SUBMIT_SM
    CMD_SUBMIT_SM_RESP CMD_DELIVER_SM CMD_DELIVER_SM_RESP CMD_UNBIND
    CMD_UNBIND_RESP CMD_BIND_TRANSCEIVER CMD_ENQUIRE_LINK
    CMD_ENQUIRE_LINK_RESP ESME_ROK ESME_RINVCMDID ESME_RALYBND
    ESME_RINVPASWD);

our $step = 'start';
our ($conn, $closed);
our $enquire_in = 0;		# enquire_link received from pilard
my $listener;
my %enquire_out;		# seq => 1 until its resp arrives
my $unbind_resp_seen = 0;
my %cfg;			# sim_setup's arguments
my $T0 = time;

sub sim_setup {
	%cfg = @_;
	$T0 = time;
	# Net::SMPP's own complaints (e.g. "Unknown tag" for stray body
	# bytes) go to the log in order with the PDUs.
	$SIG{__WARN__} = sub {
		my $w = shift;
		chomp $w;
		logf('Net::SMPP warns: %s', $w);
	};
}

# ---------------------------------------------------------------- logging

sub logf {
	my ($fmt, @args) = @_;
	printf "[%7.3f] $fmt\n", time - $T0, @args;
}

sub hex_of { return join ' ', map { sprintf '%02x', $_ } unpack 'C*', $_[0] }

sub cmd_name {
	my ($cmd) = @_;
	my $e = Net::SMPP::pdu_tab->{$cmd};
	return $e ? $e->{cmd} : sprintf('unknown(0x%08x)', $cmd);
}

sub status_name {
	my ($st) = @_;
	my $e = Net::SMPP::status_code->{$st};
	return sprintf('0x%08x%s', $st, $e ? " $e->{code}" : '');
}

sub fail {
	my ($msg) = @_;
	logf('FAIL at step "%s": %s', $step, $msg);
	print STDERR "$cfg{name}: FAIL at step \"$step\": $msg\n";
	$cfg{on_fail}->() if $cfg{on_fail};
	exit 1;
}

# A PDU Net::SMPP read, logged as the bytes it came in.
sub log_in {
	my ($pdu) = @_;
	my $raw = pack('NNNN', 16 + length $pdu->{data}, $pdu->{cmd},
	    $pdu->{status}, $pdu->{seq}) . $pdu->{data};
	logf('<< %s seq=%u status=%s len=%u | %s', cmd_name($pdu->{cmd}),
	    $pdu->{seq}, status_name($pdu->{status}), length $raw,
	    hex_of($raw));
}

# Net::SMPP writes every PDU with one $me->syswrite($header.$body) and
# ignores the result: log the exact bytes and report a short write.
{
	no warnings qw(redefine once);
	*Net::SMPP::syswrite = sub {
		my ($me, $buf) = @_;
		my ($len, $cmd, $st, $seq) = unpack 'NNNN', $buf;
		logf('>> %s seq=%u status=%s len=%u | %s', cmd_name($cmd),
		    $seq, status_name($st), $len, hex_of($buf));
		my $n = IO::Handle::syswrite($me, $buf, length $buf);
		if (!defined $n || $n != length $buf) {
			fail(sprintf('short write to pilard (%s of %u bytes): %s',
			    defined $n ? $n : 'error', length $buf, $! // ''));
		}
		return $n;
	};
}

# --------------------------------------------------------------- listening

sub sim_listen {
	my ($pf) = @_;
	$listener = Net::SMPP->new_listen('127.0.0.1',
	    port => 0,			# the OS chooses
	    async => 1,			# requests return their seq, never wait
	    smpp_version => 0x34,
	    system_id => 'netsmpp',	# default for bind_transceiver_resp
	    timeout => 5,
	    listen => 4)
	    or do { print STDERR "$cfg{name}: listen: $!\n"; exit 1 };
	my $port = $listener->sockport;
	open my $fh, '>', "$pf.tmp" or fail("$pf.tmp: $!");
	print $fh "$port\n";
	close $fh or fail("$pf.tmp: $!");
	rename "$pf.tmp", $pf or fail("$pf: $!");
	return $port;
}

# Is a whole PDU waiting in the socket?  1 yes, 0 not yet, -1 EOF.
# read_pdu blocks until it has read all of one, so look first.
sub pdu_waiting {
	my $buf = '';
	my $r = recv($conn, $buf, 65536, MSG_PEEK);
	return -1 if !defined $r || $buf eq '';
	return 0 if length($buf) < 4;
	my $len = unpack 'N', $buf;
	fail(sprintf('pilard sent command_length %u: %s', $len,
	    hex_of(substr $buf, 0, 64))) if $len < 16 || $len > 65536;
	return length($buf) >= $len ? 1 : 0;
}

sub accept_bind {
	my ($secs, $log) = @_;
	my $sel = IO::Select->new($listener);
	fail("pilard did not connect within ${secs}s")
	    if !$sel->can_read($secs);
	$conn = $listener->accept or fail("accept: $!");
	$closed = 0;
	%enquire_out = ();
	$enquire_in = 0;
	$unbind_resp_seen = 0;
	logf('accepted %s:%u', $conn->peerhost, $conn->peerport);
	my $deadline = time + $cfg{timeout};
	while (1) {
		my $left = $deadline - time;
		fail("no bind within $cfg{timeout}s of the connection")
		    if $left <= 0;
		next if !IO::Select->new($conn)->can_read($left > 0.5 ? 0.5
		    : $left);
		my $w = pdu_waiting();
		fail('pilard closed the connection before binding') if $w < 0;
		if ($w == 0) {
			sleep 0.01;
			next;
		}
		my $bind = $conn->read_pdu
		    or fail('read_pdu failed before bind');
		log_in($bind) if $log;
		fail('first PDU is ' . cmd_name($bind->{cmd})
		    . ', not bind_transceiver')
		    if $bind->{cmd} != CMD_BIND_TRANSCEIVER;
		return $bind;
	}
}

# ------------------------------------------------------------- the link

# Read and handle one PDU if one comes within $wait seconds (or before
# the tick wants to run).  Marks $closed on EOF.
sub service {
	my ($wait) = @_;
	my $next = $cfg{tick} ? $cfg{tick}->() : undef;
	return if $closed;
	$wait = $next - time if defined $next && $next - time < $wait;
	$wait = 0.5 if $wait > 0.5;
	$wait = 0 if $wait < 0;
	my $sel = IO::Select->new($conn);
	if (!$sel->can_read($wait)) {
		$cfg{tick}->() if $cfg{tick};
		return;
	}
	my $w = pdu_waiting();
	if ($w < 0) {
		logf('<< EOF: pilard closed the connection');
		$closed = 1;
		close $conn;
		return;
	}
	if ($w == 0) {
		sleep 0.01;	# a PDU in pieces: wait for the rest
		return;
	}
	my $pdu = $conn->read_pdu;
	if (!defined $pdu) {
		logf('<< read_pdu failed: %s',
		    ${*$conn}{smpperror} // 'unknown error');
		$closed = 1;
		close $conn;
		return;
	}
	log_in($pdu);
	$cfg{dispatch}->($pdu);
	$cfg{tick}->() if $cfg{tick};
}

# Serve the link until $done->() is true or $secs seconds have passed.
sub pump {
	my ($what, $secs, $done) = @_;
	my $deadline = time + $secs;
	until ($done->()) {
		my $left = $deadline - time;
		fail(sprintf('timeout (%gs) waiting for %s', $secs, $what))
		    if $left <= 0;
		fail("pilard closed the connection while waiting for $what")
		    if $closed;
		service($left);
	}
}

sub link_pdu {
	my ($pdu) = @_;
	my ($cmd, $seq, $st) = @$pdu{qw(cmd seq status)};
	if ($cmd == CMD_ENQUIRE_LINK) {
		$enquire_in++;
		$conn->enquire_link_resp(seq => $seq);
	} elsif ($cmd == CMD_ENQUIRE_LINK_RESP) {
		fail("enquire_link_resp for seq $seq, never sent")
		    if !delete $enquire_out{$seq};
	} elsif ($cmd == CMD_UNBIND_RESP) {
		$unbind_resp_seen = 1;
	} elsif ($cmd == CMD_UNBIND) {
		$conn->unbind_resp(seq => $seq);
		fail('pilard unbound in the middle of the scenario');
	} elsif ($cmd == CMD_GENERIC_NACK) {
		fail('pilard sent generic_nack ' . status_name($st)
		    . " for our seq $seq");
	} else {
		$conn->generic_nack(seq => $seq, status => ESME_RINVCMDID)
		    if !($cmd & 0x80000000);
		fail('unexpected PDU from pilard: ' . cmd_name($cmd));
	}
}

# Our own enquire_link: pilard must answer it with the same seq.
sub send_enquire_link {
	my $seq = $conn->enquire_link;
	$enquire_out{$seq} = 1;
	pump("enquire_link_resp for seq $seq", $cfg{timeout},
	    sub { !$enquire_out{$seq} });
}

sub send_unbind {
	my $seq = $conn->unbind;
	pump("unbind_resp for seq $seq", $cfg{timeout},
	    sub { $unbind_resp_seen });
	close $conn;
}

1;
