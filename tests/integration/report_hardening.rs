//! `echolab import` and `echolab verify` on hostile and outsized input: terminal control
//! characters in a submitted text, traces of tens of megabytes, frames past 0xffff bytes.
//! Every trace is tcpdump's own text, made at test time.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use echolab::capture::pcap::Reader;

use crate::diffutil::write_pcap;
use crate::util::{bin, root, run};

/// tcpdump's `-nnvvXXS` text of a pcap (`TZ=UTC`).
fn tcpdump_text(pcap: &Path) -> String {
    crate::util::require("tcpdump");
    let o = Command::new("tcpdump")
        .arg("-r")
        .arg(pcap)
        .args(["-nnvvXXS"])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(o.status.success(), "tcpdump -r {}", pcap.display());
    String::from_utf8(o.stdout).unwrap()
}

/// Every byte a terminal would act on rather than show: C0 controls but the line end, DEL, C1
/// controls, and the characters that reorder or hide text.
fn terminal_controls(out: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(out)
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(
                    c,
                    '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                )
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

const HOSTILE: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}1m\u{202e}";

/// A submitted text may carry ESC, BEL, C1 controls and U+202E in its claims and screen
/// listing: verify shows them escaped, never raw, wherever it quotes the text.
#[test]
fn verify_escapes_terminal_controls() {
    let text = tcpdump_text(&root().join("fixtures/dump/tcp/session4.pcap"));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(lines[0].contains("ttl 64"), "{}", lines[0]);
    lines[0] = lines[0].replace("ttl 64", &format!("ttl 64{HOSTILE}"));
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.txt");
    std::fs::write(&t, lines.join("\n") + "\n").unwrap();
    let screen = dir.path().join("screen.txt");
    std::fs::write(&screen, format!(">hello{HOSTILE}\n")).unwrap();
    let ts = t.to_string_lossy();
    let o = crate::util::run_wide(
        "echolab",
        &["verify", &ts, "--transcript", &screen.to_string_lossy()],
        b"",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(terminal_controls(&o.stdout), Vec::<String>::new(), "{out}");
    // The claim and the screen are still quoted, escaped.
    let shown = "\\x1b]0;owned\\x07\\x1b[2J\\u{009b}1m\\u{202e}";
    assert!(
        out.contains(&format!("FAILS: ip.ttl: text says `64{shown}`")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "transcript: the screen shows typed line `hello{shown}`"
        )),
        "{out}"
    );

    // import quotes the text's damage and repairs: nothing raw there either.
    let pcap = dir.path().join("o.pcap");
    let o = run(
        "echolab",
        &["import", "--repair", &ts, "-w", &pcap.to_string_lossy()],
        b"",
    );
    assert_eq!(terminal_controls(&o.stderr), Vec::<String>::new());
}

/// The big frame of a loopback capture: Ethernet, IPv4 with total length 65,535, UDP to port
/// 4002, checksums correct; 65,549 bytes in all.
fn big_frame() -> Vec<u8> {
    let payload: Vec<u8> = (0..65_535 - 28).map(|i| (i % 251) as u8).collect();
    let mut udp = Vec::new();
    udp.extend_from_slice(&40_000u16.to_be_bytes());
    udp.extend_from_slice(&4_002u16.to_be_bytes());
    udp.extend_from_slice(&((payload.len() + 8) as u16).to_be_bytes());
    udp.extend_from_slice(&[0, 0]);
    udp.extend_from_slice(&payload);
    let lo = [127, 0, 0, 1];
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&lo);
    pseudo.extend_from_slice(&lo);
    pseudo.extend_from_slice(&[0, 17]);
    pseudo.extend_from_slice(&(udp.len() as u16).to_be_bytes());
    let c = cksum(&[&pseudo, &udp]);
    udp[6..8].copy_from_slice(&(if c == 0 { 0xffff } else { c }).to_be_bytes());
    let mut ip = vec![0x45, 0, 0xff, 0xff, 0, 1, 0x40, 0, 64, 17, 0, 0];
    ip.extend_from_slice(&lo);
    ip.extend_from_slice(&lo);
    let c = cksum(&[&ip]);
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    let mut frame = vec![0u8; 12];
    frame.extend_from_slice(&[0x08, 0x00]);
    frame.extend_from_slice(&ip);
    frame.extend_from_slice(&udp);
    frame
}

/// The Internet checksum (RFC 1071) of the concatenated parts, each of even length but the last.
fn cksum(parts: &[&[u8]]) -> u16 {
    let mut acc: u64 = 0;
    for part in parts {
        for w in part.chunks(2) {
            acc += u64::from(u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)]));
        }
    }
    while acc >> 16 != 0 {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// tcpdump prints the rows of a 65,549-byte frame from 0x10000 on with five offset digits:
/// import keeps them (all 65,549 bytes), and verify finds every claim holding.
#[test]
fn import_keeps_rows_past_0xffff() {
    let frame = big_frame();
    assert_eq!(frame.len(), 65_549);
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("big.pcap");
    write_pcap(&pcap, 1, &[(frame.clone(), frame.len() as u32)]);
    let text = tcpdump_text(&pcap);
    assert!(
        text.contains("\t0x10000:  "),
        "tcpdump's text has no row 0x10000"
    );
    let t = dir.path().join("big.txt");
    std::fs::write(&t, &text).unwrap();
    let back = dir.path().join("back.pcap");
    let o = run(
        "echolab",
        &[
            "import",
            &t.to_string_lossy(),
            "-w",
            &back.to_string_lossy(),
        ],
        b"",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut r = Reader::new(std::fs::File::open(&back).unwrap()).unwrap();
    let mut got = Vec::new();
    r.for_each(|rec| {
        got.push((rec.len, rec.data.to_vec()));
        true
    })
    .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, 65_549, "on-wire length");
    assert_eq!(got[0].1.len(), 65_549, "captured bytes");
    assert!(got[0].1 == frame, "the bytes differ from the frame's");
    let v = crate::util::run_wide("echolab", &["verify", &t.to_string_lossy()], b"");
    let out = String::from_utf8_lossy(&v.stdout);
    assert_eq!(v.status.code(), Some(0), "{out}");
    assert!(
        out.contains("1 packets: 1 hold, 0 damaged in transcription, 0 fail"),
        "{out}"
    );
}

/// Run `echolab args` and return its exit code and peak resident memory in kB (`VmHWM` of
/// `/proc/PID/status`, polled until the process ends: the high-water mark only grows).
fn peak_rss(args: &[&str]) -> (Option<i32>, u64) {
    let mut child = Command::new(bin("echolab"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status) {
            let hwm = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        if let Some(st) = child.try_wait().unwrap() {
            return (st.code(), peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A 12 MB trace (tcpdump's text of a fixture, over and over) is imported and verified in a
/// few megabytes: memory holds one packet, not the trace.
#[test]
fn large_traces_stream() {
    let one = tcpdump_text(&root().join("fixtures/dump/tcp/session4.pcap"));
    let copies = 12_000_000 / one.len() + 1;
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("large.txt");
    std::fs::write(&t, one.repeat(copies)).unwrap();
    let size_kb = std::fs::metadata(&t).unwrap().len() / 1024;
    assert!(size_kb > 11_500, "{size_kb} kB");
    let ts = t.to_string_lossy();
    let out = dir.path().join("large.pcap");
    let (code, import_kb) = peak_rss(&["import", &ts, "-w", &out.to_string_lossy()]);
    assert_eq!(code, Some(0));
    let (code, verify_kb) = peak_rss(&["verify", &ts]);
    assert_eq!(code, Some(0));
    eprintln!("{size_kb} kB of text: import peaked at {import_kb} kB, verify at {verify_kb} kB");
    // Both stay under a bound that does not grow with the text (about a third of it here; without streaming, over 100 MB).
    assert!(
        import_kb > 0 && import_kb < 32 * 1024,
        "import peaked at {import_kb} kB"
    );
    assert!(
        verify_kb > 0 && verify_kb < 32 * 1024,
        "verify peaked at {verify_kb} kB"
    );
    // And every packet was written.
    let mut r = Reader::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut n = 0;
    r.for_each(|_| {
        n += 1;
        true
    })
    .unwrap();
    let per_copy = one.lines().filter(|l| !l.starts_with(['\t', ' '])).count();
    assert_eq!(n, per_copy * copies);
}

/// An HTTP request over TCP and an STP configuration BPDU (both decoded), then a frame of a
/// protocol echolab does not decode (LLDP), byte by byte.
fn undecoded_frames() -> Vec<Vec<u8>> {
    let hex = [
        // Ethernet, IPv4 10.0.0.1 > 10.0.0.2, TCP 40000 > 80 [P.], `GET / HTTP/1.1` request.
        "0011223344556677 8899aabb0800 4500004900010000 400666ac0a0000010a000002 \
         9c40005000 0003e8000007d0 50182000 5b590000 \
         474554202f20485454502f312e310d0a486f73743a206578616d706c650d0a0d0a",
        // 802.3, LLC 42 42 03, STP configuration BPDU.
        "0180c2000000 66778899aabb 0026 424203 0000 00 00 00000000000000000000 00000000 \
         00000000000000000000 0000 0100 1400 0200 0f00",
        // Ethernet type 0x88cc, LLDP: chassis ID (MAC), port ID (`eth0`), TTL 120.
        "0180c200000e 66778899aabb 88cc 0207 0466778899aabb 0404 0565746830 0602 0078 0000",
        // 802.3, LLC fe fe 03, IS-IS level 1 LAN hello.
        "0180c2000014 66778899aabb 001e fefe03 831b0100 0f010000 01 000000000001 001e 001b 40 \
         00000000000101",
        // 802.3, LLC fe fe 03, an ES-IS end system hello (print-isoclns.c's `esis_print`).
        "0180c2000014 66778899aabb 0012 fefe03 820f0100 02001e00 00054900 010203",
    ];
    hex.iter()
        .map(|h| {
            let h: String = h.split_whitespace().collect();
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                .collect()
        })
        .collect()
}

/// tcpdump's text of protocols echolab does not decode (ES-IS) is reported as not checked,
/// never as a failed claim; the HTTP segment (print-http.c), the STP BPDU (print-stp.c), the
/// LLDP frame (print-lldp.c) and the IS-IS hello (print-isoclns.c), which echolab decodes,
/// are checked and hold.
#[test]
fn undecoded_protocols_are_not_checked() {
    let frames = undecoded_frames();
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("c.pcap");
    let pkts: Vec<(Vec<u8>, u32)> = frames.iter().map(|f| (f.clone(), f.len() as u32)).collect();
    write_pcap(&pcap, 1, &pkts);
    let text = tcpdump_text(&pcap);
    for word in [
        "HTTP, length: 33",
        "STP 802.1d",
        "LLDP, length",
        "IS-IS, length",
        "ES-IS, length",
    ] {
        assert!(
            text.contains(word),
            "tcpdump's text lacks `{word}`:\n{text}"
        );
    }
    let t = dir.path().join("c.txt");
    std::fs::write(&t, &text).unwrap();
    let o = crate::util::run_wide("echolab", &["verify", &t.to_string_lossy()], b"");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("FAILS"), "{out}");
    assert!(
        out.contains("5 packets: 4 hold, 0 damaged in transcription, 0 fail, 1 not checked;"),
        "{out}"
    );
    assert!(!out.contains("`HTTP"), "{out}");
    assert!(!out.contains("echolab does not decode `STP`"), "{out}");
    assert!(!out.contains("echolab does not decode `LLDP`"), "{out}");
    assert!(!out.contains("echolab does not decode `IS-IS`"), "{out}");
    assert!(out.contains("echolab does not decode `ES-IS`"), "{out}");
}

/// ASCII columns that lost only their '.' characters are one line for the whole trace, each
/// row with `--all`.
#[test]
fn dots_lost_collapse_unless_all() {
    let text = tcpdump_text(&root().join("fixtures/dump/tcp/session4.pcap"));
    // Every ASCII column of the first two packets loses its dots.
    let mut packets = 0;
    let mut lines = Vec::new();
    let mut rows = 0;
    for l in text.lines() {
        if !l.starts_with(['\t', ' ']) {
            packets += 1;
        }
        match l.rsplit_once("  ") {
            Some((hex, ascii)) if packets <= 2 && l.starts_with("\t0x") && ascii.contains('.') => {
                rows += 1;
                lines.push(format!("{hex}  {}", ascii.replace('.', "")));
            }
            _ => lines.push(l.to_string()),
        }
    }
    assert!(rows >= 4, "{rows} rows changed");
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("dots.txt");
    std::fs::write(&t, lines.join("\n") + "\n").unwrap();
    let ts = t.to_string_lossy();
    let o = crate::util::run_wide("echolab", &["verify", &ts], b"");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(out.matches("only '.' characters").count(), 1, "{out}");
    assert!(
        out.contains(&format!(
            "damage: {rows} ASCII column row(s) in 2 packet(s), the first at line 1, lost only '.' characters"
        )),
        "{out}"
    );
    let all = crate::util::run_wide("echolab", &["verify", "--all", &ts], b"");
    let out = String::from_utf8_lossy(&all.stdout);
    assert_eq!(
        out.matches("only '.' characters lost").count(),
        rows,
        "{out}"
    );
}

/// The application-protocol fixture groups: their packets' text is checked claim by claim.
const APP_GROUPS: [&str; 6] = ["dns", "bootp", "ntp", "snmp", "udpapps", "txt"];

/// Genuine `tcpdump -nnvvXX` text of every application-protocol fixture holds under
/// `verify`, whole text included (DNS questions and answers, DHCP options, RADIUS
/// attributes with their value dumps...); one word of a DNS question changed fails it.
#[test]
fn verify_holds_on_application_protocols_and_catches_a_changed_word() {
    crate::util::require("tcpdump");
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for group in APP_GROUPS {
        let mut pcaps: Vec<_> = std::fs::read_dir(root().join("fixtures/dump").join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
            .collect();
        pcaps.sort();
        for pcap in pcaps {
            let o = Command::new("tcpdump")
                .arg("-r")
                .arg(&pcap)
                .arg("-nnvvXX")
                .env("TZ", "UTC")
                .output()
                .unwrap();
            let t = dir.path().join("t.txt");
            std::fs::write(&t, &o.stdout).unwrap();
            let v = run("echolab", &["verify", &t.to_string_lossy()], b"");
            let out = String::from_utf8_lossy(&v.stdout);
            assert_eq!(v.status.code(), Some(0), "{}:\n{out}", pcap.display());
            assert!(!out.contains("FAILS"), "{}:\n{out}", pcap.display());
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} application-protocol pcaps");

    let o = Command::new("tcpdump")
        .arg("-r")
        .arg(root().join("fixtures/dump/dns/dns.pcap"))
        .args(["-nnvvXX", "-c", "3"])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains(" A? "), "{text}");
    let t = dir.path().join("changed.txt");
    std::fs::write(&t, text.replacen(" A? ", " AAAA? ", 1)).unwrap();
    let v = crate::util::run_wide("echolab", &["verify", &t.to_string_lossy()], b"");
    let out = String::from_utf8_lossy(&v.stdout);
    assert_eq!(v.status.code(), Some(1), "{out}");
    assert!(out.contains("FAILS: payload: text says `"), "{out}");
    assert!(out.contains("AAAA?"), "{out}");
}
