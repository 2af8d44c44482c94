#!/usr/bin/perl
# net_smpp_long_smsc.pl: an SMSC built on Debian's Net::SMPP (a stack
# nobody on the project wrote) that receives pilard's long MTs, joins
# them as a phone would and checks every part.
#
# usage: net_smpp_long_smsc.pl --port-file F --system-id ID --password PW
#            --mode udh|sar|payload --expect FILE --run CMD
#            [--out-dir DIR] [--timeout S] [--delay S] [--msgid-base HEX]
#            [--trace]
#
# It listens on 127.0.0.1 (an OS-chosen port, written to F via a
# temporary file and rename), accepts pilard, answers bind_transceiver,
# then runs CMD (which queues the reminders) and serves the link.
#
# FILE has one line per expected MT, UTF-8, fields separated by tabs:
#
#	DEST DC TOTAL FORM ORDER TEXT
#
# DEST the destination_addr, DC the data_coding every part must have
# (0 GSM 03.38 unpacked, 8 UCS-2 big-endian), TOTAL the submit_sm the
# message takes, FORM the receipts' form (tlv: receipted_message_id and
# message_state; text: "id:... stat:DELIVRD" in short_message; both),
# ORDER the order they are sent in (fwd or rev), TEXT the message as
# the phone must show it.
#
# Every submit_sm is decoded with Net::SMPP and Perl's Encode (gsm0338,
# UTF-16BE, strict: a part cut inside an escape or a surrogate pair
# does not decode alone) and checked against --mode:
#   udh      esm_class 0x40, short_message = 05 00 03 REF TOTAL SEQ + text,
#            no sar_* TLV, no message_payload;
#   sar      esm_class 0, no UDH, sar_msg_ref_num (2 octets),
#            sar_total_segments and sar_segment_seqnum (1 octet each);
#   payload  one submit_sm, sm_length 0, the whole text in message_payload.
# REF and TOTAL are constant within a message, SEQ runs 1..TOTAL, a part
# is at most 153 septets or 67 UCS-2 units and any but the last at most
# one unit short of that, registered_delivery asks for a receipt, and
# no part k+1 of a message is submitted before part k was answered: each
# submit_sm_resp (ESME_ROK, a fresh message_id) is held back --delay
# seconds (0.2) so that a sender that does not wait is caught.  When
# every part of a message is answered the joined text must equal TEXT
# exactly; then one delivery receipt per part goes out (deliver_sm,
# esm_class 0x04, DELIVRD) and each must be acknowledged ESME_ROK.
# After a quiet second (no further submit_sm) it sends enquire_link and
# unbind, and leaves in --out-dir parts.txt: "DEST PART MESSAGE_ID" for
# every submit_sm answered, sorted.
#
# Every PDU in either direction is logged on stdout with its hex dump.
# Exit status: 0 all good, 1 an expectation failed, 2 usage.
use strict;
use warnings;
use Encode qw(decode FB_CROAK LEAVE_SRC);
use Getopt::Long qw(GetOptions);
use IO::Handle;
use POSIX qw(strftime);
use Time::HiRes qw(time);
use Net::SMPP;
use FindBin;
use lib $FindBin::Bin;
use NetSmppSim;

STDOUT->autoflush(1);
STDERR->autoflush(1);
binmode STDOUT, ':encoding(UTF-8)';
binmode STDERR, ':encoding(UTF-8)';

my %opt = (timeout => 10, 'out-dir' => '.', delay => 0.2,
    'msgid-base' => 'a1100');
GetOptions(\%opt, 'port-file=s', 'system-id=s', 'password=s', 'mode=s',
    'expect=s', 'run=s', 'out-dir=s', 'timeout=f', 'delay=f',
    'msgid-base=s', 'trace') or exit 2;
for my $k (qw(port-file system-id password mode expect run)) {
	next if defined $opt{$k};
	print STDERR "net_smpp_long_smsc.pl: --$k is required\n";
	exit 2;
}
if ($opt{mode} !~ /^(udh|sar|payload)$/) {
	print STDERR "net_smpp_long_smsc.pl: --mode udh|sar|payload\n";
	exit 2;
}
$Net::SMPP::trace = 1 if $opt{trace};
my $MODE = $opt{mode};
my $TIMEOUT = $opt{timeout};

sim_setup(name => 'net_smpp_long_smsc.pl', timeout => $TIMEOUT,
    dispatch => \&dispatch, tick => \&tick);

use constant {
	TAG_SAR_MSG_REF_NUM	=> 0x020C,
	TAG_SAR_TOTAL_SEGMENTS	=> 0x020E,
	TAG_SAR_SEGMENT_SEQNUM	=> 0x020F,
	TAG_MESSAGE_PAYLOAD	=> 0x0424,
	GSM7_PART		=> 153,	# septets in a part behind a UDH
	UCS2_PART		=> 67,	# UTF-16 units in a part
};

# ---------------------------------------------------------- expectations

my %msg;			# dest => the message's state, below
my @order;			# dests in the file's order
{
	open my $fh, '<:encoding(UTF-8)', $opt{expect}
	    or fail("$opt{expect}: $!");
	while (my $line = <$fh>) {
		chomp $line;
		next if $line eq '';
		my ($dest, $dc, $total, $form, $ord, $text) = split /\t/, $line, 6;
		fail("$opt{expect}: bad line: $line")
		    if !defined $text || $dc !~ /^[08]$/ || $total !~ /^\d+$/
		    || $form !~ /^(tlv|text|both)$/ || $ord !~ /^(fwd|rev)$/;
		fail("$opt{expect}: $dest twice") if $msg{$dest};
		$msg{$dest} = {
			dest => $dest, dc => $dc, total => $total, form => $form,
			order => $ord, text => $text,
			parts => [],	# { seq, ref, text, msgid, answered }
			inflight => undef,	# the part awaiting its resp
			ref => undef,
			complete => 0,	# all parts answered, text checked
			receipts => {},	# deliver_sm seq => acked status
		};
		push @order, $dest;
	}
	close $fh;
	fail("$opt{expect}: no message") if !@order;
}

# --------------------------------------------------------------- listening

my $port = sim_listen($opt{'port-file'});
logf('Net::SMPP %s listening on 127.0.0.1:%u, mode %s',
    $Net::SMPP::VERSION, $port, $MODE);

# ------------------------------------------------------------ session state

my @due;			# submit_sm_resp held back: { at, msg, part }
my %receipt_out;		# deliver_sm seq => { msg, part }
my $submits = 0;

# The TLVs of a submit_sm, walked from the wire independently of
# Net::SMPP's decoder (which keeps the last of two equal tags): tag =>
# value.  A TLV that overruns the PDU or comes twice is a failure.
sub tlvs_of {
	my ($pdu) = @_;
	my %p = (data => $pdu->{data});
	my $off = Net::SMPP::decode_submit_v34(\%p);
	my $data = $pdu->{data};
	my %t;
	while ($off < length $data) {
		fail('TLV header cut short: ' . hex_of(substr $data, $off))
		    if $off + 4 > length $data;
		my ($tag, $len) = unpack 'nn', substr($data, $off, 4);
		fail(sprintf('TLV 0x%04x of %u octets overruns the PDU: %s',
		    $tag, $len, hex_of($data)))
		    if $off + 4 + $len > length $data;
		fail(sprintf('TLV 0x%04x twice: %s', $tag, hex_of($data)))
		    if exists $t{$tag};
		$t{$tag} = substr $data, $off + 4, $len;
		$off += 4 + $len;
	}
	return \%t;
}

# Encode's complaint without its " at FILE line N."
sub why {
	(my $e = $@) =~ s/ at \S+ line \d+\.\n?\z//;
	return $e;
}

# Text of one part, strictly: octets that are not GSM 03.38 (or a lone
# ESC at the end), odd UCS-2, a lone surrogate all fail.  Returns the
# text and its length in septets or UTF-16 units.
sub decode_part {
	my ($m, $bytes, $what) = @_;
	my $copy = $bytes;
	my $text;
	if ($m->{dc} == 0) {
		fail("$what: an octet above 0x7f in GSM 7-bit: "
		    . hex_of($bytes)) if $bytes =~ /[\x80-\xff]/;
		$text = eval { decode('gsm0338', $copy, FB_CROAK | LEAVE_SRC) };
		fail("$what: not GSM 03.38 on its own (" . why() . '): '
		    . hex_of($bytes)) if !defined $text;
		return ($text, length $bytes);
	}
	fail("$what: odd UCS-2 length: " . hex_of($bytes)) if length($bytes) % 2;
	$text = eval { decode('UTF-16BE', $copy, FB_CROAK | LEAVE_SRC) };
	fail("$what: not UTF-16BE on its own (" . why() . '): '
	    . hex_of($bytes)) if !defined $text;
	return ($text, length($bytes) / 2);
}

sub on_submit {
	my ($pdu) = @_;
	my $dest = $pdu->{destination_addr};
	my $m = $msg{$dest}
	    or fail("submit_sm to unexpected destination \"$dest\"");
	my $n = @{ $m->{parts} } + 1;	# the part this should be
	my $what = "submit_sm seq=$pdu->{seq} to $dest (submit $n)";
	$step = "$dest submit $n";
	$submits++;
	fail("$what: the message was already whole: a part sent again")
	    if $m->{complete} || $n > $m->{total};
	if (defined(my $p = $m->{inflight})) {
		fail(sprintf('%s while its part %u (seq=%u) was not answered: '
		    . 'more than one part in flight', $what, $p->{seq},
		    $p->{pdu_seq}));
	}
	fail(sprintf('%s: data_coding %u, want %u', $what,
	    $pdu->{data_coding}, $m->{dc})) if $pdu->{data_coding} != $m->{dc};
	fail("$what: source_addr \"$pdu->{source_addr}\", want \"1717\"")
	    if $pdu->{source_addr} ne '1717';
	fail(sprintf('%s: registered_delivery 0x%02x asks for no receipt',
	    $what, $pdu->{registered_delivery}))
	    if !($pdu->{registered_delivery} & 1);
	my $tlv = tlvs_of($pdu);
	my $sm = $pdu->{short_message};
	my ($ref, $total, $seq, $body);
	my @sar = grep { exists $tlv->{$_} } (TAG_SAR_MSG_REF_NUM,
	    TAG_SAR_TOTAL_SEGMENTS, TAG_SAR_SEGMENT_SEQNUM);
	if ($MODE eq 'udh') {
		fail(sprintf('%s: esm_class 0x%02x, want 0x40 (UDHI)', $what,
		    $pdu->{esm_class})) if $pdu->{esm_class} != 0x40;
		fail("$what: sar_* TLVs beside a UDH") if @sar;
		fail("$what: message_payload beside a UDH")
		    if exists $tlv->{+TAG_MESSAGE_PAYLOAD};
		fail("$what: short_message shorter than its UDH: "
		    . hex_of($sm)) if length $sm < 7;
		my ($udhl, $iei, $iel);
		($udhl, $iei, $iel, $ref, $total, $seq) = unpack 'C6', $sm;
		fail("$what: UDH is not 05 00 03 REF TOTAL SEQ: " . hex_of($sm))
		    if $udhl != 5 || $iei != 0 || $iel != 3;
		$body = substr $sm, 6;
	} elsif ($MODE eq 'sar') {
		fail(sprintf('%s: esm_class 0x%02x, want 0 (no UDH with sar)',
		    $what, $pdu->{esm_class})) if $pdu->{esm_class} != 0;
		fail("$what: message_payload beside sar_* TLVs")
		    if exists $tlv->{+TAG_MESSAGE_PAYLOAD};
		fail(sprintf('%s: %u of the 3 sar_* TLVs', $what, scalar @sar))
		    if @sar != 3;
		my ($r, $t, $s) = @$tlv{TAG_SAR_MSG_REF_NUM,
		    TAG_SAR_TOTAL_SEGMENTS, TAG_SAR_SEGMENT_SEQNUM};
		fail(sprintf('%s: sar TLV lengths %u/%u/%u, want 2/1/1',
		    $what, length $r, length $t, length $s))
		    if length $r != 2 || length $t != 1 || length $s != 1;
		# Net::SMPP names them too: the same octets.
		fail("$what: Net::SMPP reads the sar TLVs differently")
		    if ($pdu->{sar_msg_ref_num} // '') ne $r
		    || ($pdu->{sar_total_segments} // '') ne $t
		    || ($pdu->{sar_segment_seqnum} // '') ne $s;
		$ref = unpack 'n', $r;
		$total = unpack 'C', $t;
		$seq = unpack 'C', $s;
		$body = $sm;
	} else {
		fail(sprintf('%s: esm_class 0x%02x, want 0', $what,
		    $pdu->{esm_class})) if $pdu->{esm_class} != 0;
		fail("$what: sar_* TLVs with message_payload") if @sar;
		fail("$what: no message_payload")
		    if !exists $tlv->{+TAG_MESSAGE_PAYLOAD};
		fail("$what: short_message (sm_length " . length($sm)
		    . ') beside message_payload') if length $sm;
		($ref, $total, $seq) = (0, 1, 1);
		$body = $tlv->{+TAG_MESSAGE_PAYLOAD};
	}
	logf('   %s: esm_class=0x%02x dc=%u ref=%u total=%u seq=%u, %u '
	    . 'octets of text', $what, $pdu->{esm_class}, $pdu->{data_coding},
	    $ref, $total, $seq, length $body);
	fail("$what: TOTAL $total, want $m->{total}") if $total != $m->{total};
	fail("$what: SEQ $seq, want $n (1..TOTAL in order, once each)")
	    if $seq != $n;
	if (!defined $m->{ref}) {
		$m->{ref} = $ref;
	} elsif ($ref != $m->{ref}) {
		fail("$what: REF $ref, the earlier parts had $m->{ref}");
	}
	my ($text, $units) = decode_part($m, $body, $what);
	if ($MODE ne 'payload') {
		my $max = $m->{dc} == 0 ? GSM7_PART : UCS2_PART;
		fail("$what: $units units, more than $max") if $units > $max;
		fail("$what: $units units: a part but the last is full or "
		    . 'one unit short') if $seq < $total && $units < $max - 1;
	}
	my $msgid = sprintf '%s%x', $opt{'msgid-base'}, $submits;
	my $part = { seq => $seq, ref => $ref, text => $text, msgid => $msgid,
	    pdu_seq => $pdu->{seq}, answered => 0 };
	push @{ $m->{parts} }, $part;
	$m->{inflight} = $part;
	push @due, { at => time + $opt{delay}, msg => $m, part => $part };
	logf('   part %u/%u: "%s"', $seq, $total, $text);
}

sub receipt_text {
	my ($id) = @_;
	my $d = strftime('%y%m%d%H%M', localtime);
	return "id:$id sub:001 dlvrd:001 submit date:$d done date:$d "
	    . 'stat:DELIVRD err:000 text:';
}

# Every part answered: the phone joins them; then one receipt per part.
sub on_complete {
	my ($m) = @_;
	my $joined = join '', map { $_->{text} } @{ $m->{parts} };
	$step = "$m->{dest} joined";
	fail(sprintf("the joined text differs from the rendered reminder:\n"
	    . "   got  \"%s\"\n   want \"%s\"", $joined, $m->{text}))
	    if $joined ne $m->{text};
	logf('<< %s: %s', $m->{dest}, $joined);
	$m->{complete} = 1;
	my @parts = @{ $m->{parts} };
	@parts = reverse @parts if $m->{order} eq 'rev';
	$step = "$m->{dest} receipts";
	for my $p (@parts) {
		my @tlv;
		@tlv = (receipted_message_id => "$p->{msgid}\0",
		    message_state => pack('C', 2))
		    if $m->{form} ne 'text';
		my $seq = $conn->deliver_sm(
		    service_type => '',
		    source_addr_ton => 1, source_addr_npi => 1,
		    source_addr => $m->{dest},
		    dest_addr_ton => 0, dest_addr_npi => 1,
		    destination_addr => '1717',
		    esm_class => 0x04,		# SMSC delivery receipt
		    protocol_id => 0, priority_flag => 0,
		    schedule_delivery_time => '', validity_period => '',
		    registered_delivery => 0, replace_if_present_flag => 0,
		    data_coding => 0, sm_default_msg_id => 0,
		    short_message => $m->{form} eq 'tlv' ? ''
		        : receipt_text($p->{msgid}),
		    @tlv);
		$receipt_out{$seq} = { msg => $m, part => $p };
		$m->{receipts}{$seq} = undef;
		logf('   receipt (%s) for part %u/%u id=%s: deliver_sm seq=%u',
		    $m->{form}, $p->{seq}, $m->{total}, $p->{msgid}, $seq);
	}
}

sub send_due {
	my $now = time;
	while (@due && $due[0]{at} <= $now) {
		my $d = shift @due;
		my ($m, $p) = @$d{qw(msg part)};
		$conn->submit_sm_resp(seq => $p->{pdu_seq},
		    message_id => $p->{msgid});
		$p->{answered} = 1;
		$m->{inflight} = undef;
		on_complete($m) if @{ $m->{parts} } == $m->{total};
	}
}

# Before and after every round of the link: send what is due, and say
# when the next held-back response is.
sub tick {
	send_due();
	return @due ? $due[0]{at} : undef;
}

sub dispatch {
	my ($pdu) = @_;
	my ($cmd, $seq, $st) = @$pdu{qw(cmd seq status)};
	if ($cmd == CMD_SUBMIT_SM) {
		on_submit($pdu);
	} elsif ($cmd == CMD_DELIVER_SM_RESP) {
		my $r = delete $receipt_out{$seq};
		fail("deliver_sm_resp for seq $seq, never sent or answered")
		    if !$r;
		fail(sprintf('receipt for %s part %u (id %s) answered %s, '
		    . 'want ESME_ROK', $r->{msg}{dest}, $r->{part}{seq},
		    $r->{part}{msgid}, status_name($st))) if $st != ESME_ROK;
		$r->{msg}{receipts}{$seq} = $st;
		logf('   receipt for %s part %u acknowledged', $r->{msg}{dest},
		    $r->{part}{seq});
	} else {
		link_pdu($pdu);
	}
}

# ------------------------------------------------------------------ binding

sub accept_and_bind {
	my ($secs) = @_;
	my $bind = accept_bind($secs);
	if ($bind->{system_id} ne $opt{'system-id'}
	    || $bind->{password} ne $opt{password}) {
		$conn->bind_transceiver_resp(seq => $bind->{seq},
		    status => ESME_RINVPASWD, system_id => 'netsmpp');
		fail("pilard bound as system_id=\"$bind->{system_id}\"");
	}
	$conn->bind_transceiver_resp(seq => $bind->{seq}, status => ESME_ROK,
	    system_id => 'netsmpp');
	logf('bound');
}

# ----------------------------------------------------------------- scenario

$step = 'connect and bind';
accept_and_bind(20);

$step = 'queue the reminders';
logf('---- %s: %s', $step, $opt{run});
{
	my $rc = system $opt{run};
	fail(sprintf('the command exited %d', $rc >> 8)) if $rc != 0;
}

$step = 'the parts';
pump('every part of ' . join(', ', @order), $TIMEOUT, sub {
	!grep { !$_->{complete} } values %msg;
});
$step = 'the receipts';
pump('the deliver_sm_resp of every receipt', $TIMEOUT, sub {
	!%receipt_out;
});

# A quiet second: nothing sent again, nothing more.
$step = 'a quiet link';
{
	my $until = time + 1;
	pump('a quiet second', 2, sub { time >= $until });
}

$step = 'enquire_link';
send_enquire_link();
$step = 'unbind';
send_unbind();

{
	my $f = "$opt{'out-dir'}/parts.txt";
	open my $fh, '>', "$f.tmp" or fail("$f.tmp: $!");
	for my $dest (sort keys %msg) {
		for my $p (@{ $msg{$dest}{parts} }) {
			print $fh "$dest $p->{seq} $p->{msgid}\n";
		}
	}
	close $fh or fail("$f.tmp: $!");
	rename "$f.tmp", $f or fail("$f: $!");
}
logf('PASS (%s): %u messages, %u submit_sm, %u receipts', $MODE,
    scalar @order, $submits,
    scalar map { keys %{ $_->{receipts} } } values %msg);
exit 0;
