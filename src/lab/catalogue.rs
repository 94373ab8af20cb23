//! The exercises: title, what to run and capture, the questions, and the sessions `lab run`
//! plays for each capture. The commands are the handout's (`000_85775b57d986e02e.txt`,
//! Table 1: `echoServer`/`echoClient` with `-t`, `--ip`, `-c`) and the report's capture
//! command (`tcpdump -nnvvXSs 1514 -i lo port 4002`, here written to a file with `-w`).

use std::time::Duration;

use crate::demo::SessionSpec;
use crate::echo::options::{Mode, Protocol};

/// What `lab check N` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// This many capture files (pcap or pcapng), in the order named.
    Captures(&'static [&'static str]),
    /// One or more tcpdump texts (a report's typed traces).
    Texts,
}

/// One session played by `lab run` into a capture.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub session: SessionSpec,
    /// Over `::1` rather than `127.0.0.1`.
    pub ipv6: bool,
    /// The server's `-c` (TCP_NODELAY).
    pub server_c: bool,
    /// No server listens: the client meets a closed port.
    pub closed: bool,
}

/// One exercise.
#[derive(Debug, Clone, Copy)]
pub struct Exercise {
    pub number: u8,
    pub title: &'static str,
    /// `lab show`: what to run, what to capture, the questions.
    pub handout: &'static str,
    pub input: Input,
    /// Per capture, the sessions `lab run` plays into it (empty for text exercises).
    pub captures: &'static [&'static [Step]],
}

/// The exercise numbered `n`.
pub fn exercise(n: u32) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|e| u32::from(e.number) == n)
}

const fn spec(
    name: &'static str,
    protocol: Protocol,
    mode: Mode,
    inputs: &'static [&'static [u8]],
    gap_ms: u64,
) -> SessionSpec {
    SessionSpec {
        name,
        title: name,
        protocol,
        mode,
        inputs,
        gap: Duration::from_millis(gap_ms),
    }
}

const fn step(session: SessionSpec) -> Step {
    Step {
        session,
        ipv6: false,
        server_c: false,
        closed: false,
    }
}

const TCP_LINE: SessionSpec = spec(
    "tcp-line",
    Protocol::Tcp,
    Mode::Line,
    &[b"HELLO MASTER\n", b"WELCOME BACK\n"],
    60,
);
const TCP_KEYS: SessionSpec = spec(
    "tcp-continuous",
    Protocol::Tcp,
    Mode::Continuous,
    &[b"L", b"I", b"F", b"E", b"\r"],
    40,
);
/// A fast typist: every key of a burst leaves as soon as the one before it is sent, and the
/// bursts come 5 ms apart.
const TCP_BURST: SessionSpec = spec(
    "tcp-fast-typist",
    Protocol::Tcp,
    Mode::Continuous,
    &[
        b"the quick brown fox ",
        b"jumps over ",
        b"the lazy dog. ",
        b"pack my box with ",
        b"five dozen liquor jugs.\r",
    ],
    5,
);
const UDP_LINE: SessionSpec = spec(
    "udp-line",
    Protocol::Udp,
    Mode::Line,
    &[b"HELLO MASTER-UDP\n", b"WELCOME BACK MASTER-UDP\n", b"\n"],
    60,
);
const UDP_KEYS: SessionSpec = spec(
    "udp-continuous",
    Protocol::Udp,
    Mode::Continuous,
    &[b"A", b"B", b"C", b"!", b"\""],
    40,
);
const UDP_UNANSWERED: SessionSpec = spec(
    "udp-closed-port",
    Protocol::Udp,
    Mode::Line,
    &[b"ANYONE THERE?\n"],
    20,
);
const TCP_REFUSED: SessionSpec = spec(
    "tcp-closed-port",
    Protocol::Tcp,
    Mode::Line,
    &[b"ANYONE THERE?\n"],
    20,
);

/// The exercises, in order.
pub const EXERCISES: [Exercise; 10] = [
    Exercise {
        number: 1,
        title: "TCP line mode",
        handout: "\
Run, each in its own terminal:
  echoServer -t TCP
  sudo tcpdump -nnvvXSs 1514 -i lo -w ex1.pcap port 4002
  echoClient -ip 127.0.0.1 -t TCP      type two lines, then `quit`
Stop tcpdump (Ctrl-C) after the client has quit, then: echolab lab check 1 ex1.pcap
Look for: the three-way handshake; one segment per line each way, each line echoed whole; \
the orderly teardown (a FIN each way, each acknowledged).
Questions: the client's and the server's initial sequence numbers; the MSS and window \
scale each side offers; the round-trip time of each echo; who sends the first FIN.",
        input: Input::Captures(&["capture"]),
        captures: &[&[step(TCP_LINE)]],
    },
    Exercise {
        number: 2,
        title: "TCP continuous mode",
        handout: "\
Run:
  echoServer -t TCP -c
  sudo tcpdump -nnvvXSs 1514 -i lo -w ex2.pcap port 4002
  echoClient -ip 127.0.0.1 -t TCP -c   type a word key by key, then Ctrl-D
Then: echolab lab check 2 ex2.pcap
Look for: one byte per segment for every key, each echoed alone in its own segment.
Questions: how many segments a key costs each way (data and acknowledgements); the \
round-trip time of each echo; the bytes on the wire for Enter (the terminal sends \\r).",
        input: Input::Captures(&["capture"]),
        captures: &[&[step(TCP_KEYS)]],
    },
    Exercise {
        number: 3,
        title: "Nagle against TCP_NODELAY",
        handout: "\
Two captures of the same fast typing (paste a sentence into the continuous client):
  echoServer -t TCP          and  sudo tcpdump -nnvvXSs 1514 -i lo -w nagle.pcap port 4002
  echoClient -t TCP -c       paste a sentence, then Ctrl-D; stop tcpdump
  echoServer -t TCP -c       and  sudo tcpdump -nnvvXSs 1514 -i lo -w nodelay.pcap port 4002
  echoClient -t TCP -c       paste the same sentence, then Ctrl-D; stop tcpdump
Then: echolab lab check 3 nagle.pcap nodelay.pcap
Look for: Nagle's rule in the first capture: no small echo leaves while an earlier one is \
unacknowledged, so echoes of several keys may leave together; with -c (TCP_NODELAY) every \
read goes back at once. On loopback each key carries the acknowledgement of the echoes \
before it, so Nagle seldom has anything to hold: count how often it did.
Questions: how many echo segments each server sent and how many keys they carried; how \
many echoes left while an earlier one was unacknowledged.",
        input: Input::Captures(&["capture without -c", "capture with -c"]),
        captures: &[
            &[step(TCP_BURST)],
            &[Step {
                server_c: true,
                ..step(TCP_BURST)
            }],
        ],
    },
    Exercise {
        number: 4,
        title: "UDP line mode",
        handout: "\
Run:
  echoServer -t UDP
  sudo tcpdump -nnvvXSs 1514 -i lo -w ex4.pcap port 4002
  echoClient -ip 127.0.0.1 -t UDP      type two lines and an empty line, then Ctrl-D
Then: echolab lab check 4 ex4.pcap
Look for: no handshake and no teardown; one datagram per line each way, each echoed whole \
to the port it came from; the empty line is one byte (its \\n).
Questions: the client's port; the size of each datagram; the round-trip time of each echo.",
        input: Input::Captures(&["capture"]),
        captures: &[&[step(UDP_LINE)]],
    },
    Exercise {
        number: 5,
        title: "UDP continuous mode",
        handout: "\
Run:
  echoServer -t UDP
  sudo tcpdump -nnvvXSs 1514 -i lo -w ex5.pcap port 4002
  echoClient -ip 127.0.0.1 -t UDP -c   type a few keys, then Ctrl-D
Then: echolab lab check 5 ex5.pcap
Look for: one byte per datagram for every key, each echoed alone to the port it came from.
Questions: how many datagrams a key costs; how many bytes of headers carry one byte of \
data; the round-trip time of each echo.",
        input: Input::Captures(&["capture"]),
        captures: &[&[step(UDP_KEYS)]],
    },
    Exercise {
        number: 6,
        title: "the session over IPv6 (::1)",
        handout: "\
Run:
  echoServer -t TCP --ip ::1
  sudo tcpdump -nnvvXSs 1514 -i lo -w ex6.pcap port 4002
  echoClient --ip ::1 -t TCP           type two lines, then `quit`
Then: echolab lab check 6 ex6.pcap
Look for: the same shape as exercise 1 (handshake, one segment per line each way, each \
echoed whole, orderly teardown), now over IPv6.
Questions: the MSS each side offers, and why it is 20 bytes less than over IPv4; the hop \
limit; why tcpdump prints no IP checksum verdict.",
        input: Input::Captures(&["capture"]),
        captures: &[&[Step {
            ipv6: true,
            ..step(TCP_LINE)
        }]],
    },
    Exercise {
        number: 7,
        title: "checksums on loopback",
        handout: "\
Capture any session on lo with the report's flags and read tcpdump's verdicts:
  sudo tcpdump -nnvvXSs 1514 -i lo -w ex7.pcap port 4002   (a TCP and a UDP session)
  tcpdump -r ex7.pcap -nnvv
Then: echolab lab check 7 ex7.pcap
Look for: IP header checksums correct; TCP and UDP checksums `incorrect`, each field holding \
only the pseudo-header's sum: the kernel leaves the rest to the network card (checksum \
offload), and on lo no card ever finishes it.
Questions: how many TCP/UDP checksums tcpdump calls incorrect; whether any packet really \
was damaged.",
        input: Input::Captures(&["capture"]),
        captures: &[&[step(TCP_LINE), step(UDP_LINE)]],
    },
    Exercise {
        number: 8,
        title: "verify a typed trace",
        handout: "\
The report's traces were typed up from tcpdump's output (fixtures/report/*.txt). Rebuild \
their packets and check every claim against the bytes:
  echolab import fixtures/report/tcp-line.txt -w tcp-line.pcap
  echolab verify fixtures/report/tcp-line.txt
  echolab verify fixtures/report/tcp-continuous.txt
Then: echolab lab check 8 fixtures/report/tcp-line.txt fixtures/report/tcp-continuous.txt
Look for: the claims the bytes contradict (the report holds two), apart from the damage \
of transcription (an ASCII column that lost characters).
Questions: which claims are wrong, at which line, and what the bytes prove instead.",
        input: Input::Texts,
        captures: &[],
    },
    Exercise {
        number: 9,
        title: "RST from a closed TCP port",
        handout: "\
Run, with no server on port 4003:
  sudo tcpdump -nnvvXSs 1514 -i lo -w ex9.pcap port 4003
  echoClient -ip 127.0.0.1 -t TCP -p 4003    (connection refused)
Then: echolab lab check 9 ex9.pcap
Look for: the client's SYN answered by a RST (with ACK), never by a SYN-ACK.
Questions: the client's initial sequence number; the RST's acknowledgement number, and \
why it is one more; what the client program reports.",
        input: Input::Captures(&["capture"]),
        captures: &[&[Step {
            closed: true,
            ..step(TCP_REFUSED)
        }]],
    },
    Exercise {
        number: 10,
        title: "UDP to a closed port: ICMP port unreachable",
        handout: "\
Run, with no server on port 4003:
  sudo tcpdump -nnvvXSs 1514 -i lo -w ex10.pcap 'port 4003 or icmp or icmp6'
  echoClient -ip 127.0.0.1 -t UDP -p 4003    type a line
Then: echolab lab check 10 ex10.pcap
Look for: the datagram sent, no UDP answer, and the ICMP destination unreachable (port \
unreachable) the kernel sends back in its place. A port filter alone would miss it: the ICMP \
message has no port of its own.
Questions: the ICMP type and code; how long after the datagram it came; how the client \
learns of it (its socket is connected, so the error is reported on the next call).",
        input: Input::Captures(&["capture"]),
        captures: &[&[Step {
            closed: true,
            ..step(UDP_UNANSWERED)
        }]],
    },
];
