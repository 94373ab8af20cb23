//! `echolab dump -w` spread over several files, each case against tcpdump 4.99.3 itself:
//! `-C` (same names, same split, same bytes from the same multi-MB input), `-W`, `-G` on a
//! slow input and live, `-z`, `strftime` names, and the refusals of bad values.
//!
//! tcpdump drops root for its own user before it creates a rotating file, so the folders
//! are writable by everyone; a live echolab dump creates them as `nobody`.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use echolab::capture::pcap::{strftime, Reader, Writer};
use echolab::capture::record::{LinkType, Timestamp};
use echolab::capture::synth;

use crate::dump_habits::same_as_tcpdump;
use crate::util::{bin, require, require_root, start, wait_until};

/// One frame of a savefile: seconds, nanoseconds, length on the wire, bytes.
type Frame = (i64, u32, u32, Vec<u8>);

/// A folder every user may write in (tcpdump and a live echolab create files as another).
fn open_dir(parent: &Path, name: &str) -> PathBuf {
    let d = parent.join(name);
    std::fs::create_dir(&d).unwrap();
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o777)).unwrap();
    d
}

/// About 4.4 MB of frames of every size, one second of time stamps per 100 frames.
fn big_input(path: &Path) -> Vec<Frame> {
    let mut rng = synth::rng(7);
    let frames: Vec<Frame> = (0..14_000u32)
        .map(|i| {
            let data = if i % 4 == 0 {
                synth::ethernet(0x88b5, &vec![i as u8; 100 + (i as usize * 13) % 1400])
            } else {
                synth::random_packet(&mut rng)
            };
            let len = data.len() as u32;
            (
                1_700_000_000 + i64::from(i / 100),
                (i % 100) * 10_000_000,
                len,
                data,
            )
        })
        .collect();
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut w = Writer::new(file, LinkType::Ethernet, 262_144, true).unwrap();
    for (sec, nsec, len, data) in &frames {
        let ts = Timestamp {
            sec: *sec,
            nsec: *nsec,
        };
        w.write(ts, data, *len).unwrap();
    }
    drop(w.into_inner().unwrap());
    frames
}

/// The frames of a pcap or pcapng file, in nanoseconds.
fn frames_of(path: &Path) -> Vec<Frame> {
    let file = std::fs::File::open(path).unwrap();
    let mut r = Reader::with_precision(std::io::BufReader::new(file), true)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    while let Some(rec) = r.next_record().unwrap() {
        out.push((rec.ts.sec, rec.ts.nsec, rec.len, rec.data.to_vec()));
    }
    out
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `prog args` in `cwd` with `TZ=UTC`, to its end.
fn run_in(cwd: &Path, prog: &Path, args: &[&str]) -> std::process::Output {
    Command::new(prog)
        .args(args)
        .env("TZ", "UTC")
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", prog.display()))
}

/// tcpdump and echolab each write `-r IN -w DIR/out ARGS` into a folder of their own:
/// the same status, stderr, file names and bytes. Returns echolab's folder.
fn same_files(work: &Path, input: &Path, args: &[&str], tag: &str) -> PathBuf {
    let (t_dir, e_dir) = (
        open_dir(work, &format!("t-{tag}")),
        open_dir(work, &format!("e-{tag}")),
    );
    let mut common = vec!["-r", input.to_str().unwrap(), "-w"];
    let t_out = t_dir.join("out");
    let e_out = e_dir.join("out");
    let t = run_in(
        work,
        Path::new("tcpdump"),
        &[&common[..], &[t_out.to_str().unwrap()], args].concat(),
    );
    common.insert(0, "dump");
    let e = run_in(
        work,
        &bin("echolab"),
        &[&common[..], &[e_out.to_str().unwrap()], args].concat(),
    );
    let text = |b: &[u8]| String::from_utf8_lossy(b).replace(t_dir.to_str().unwrap(), "DIR");
    let e_err = String::from_utf8_lossy(&e.stderr).replace(e_dir.to_str().unwrap(), "DIR");
    let t_err = text(&t.stderr).replace("tcpdump: ", "echolab dump: error: ");
    assert_eq!(t_err, e_err, "stderr of {args:?}");
    assert_eq!(t.status.code(), e.status.code(), "status of {args:?}");
    assert_eq!(names(&t_dir), names(&e_dir), "files of {args:?}");
    for n in names(&t_dir) {
        let (a, b) = (
            std::fs::read(t_dir.join(&n)).unwrap(),
            std::fs::read(e_dir.join(&n)).unwrap(),
        );
        assert!(
            a == b,
            "{args:?}: {n} differs ({} and {} bytes)",
            a.len(),
            b.len()
        );
    }
    e_dir
}

#[test]
fn size_rotation_writes_tcpdumps_files() {
    require("tcpdump");
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in.pcap");
    let frames = big_input(&input);
    // Nanosecond input: tcpdump writes microseconds unless asked.
    let cases: &[&[&str]] = &[
        &["-C", "1"],
        &["-C", "1", "-W", "3"],
        &["-C", "1", "-W", "11"],
        &["-C", "2", "-W", "1"],
        &["-W", "3"],
        &["-C", "1", "-G", "3600", "-W", "2"],
        &["-C", "1", "-c", "5000", "ether proto 0x88b5"],
        &["-C", "1", "--time-stamp-precision=nano"],
    ];
    for (i, args) in cases.iter().enumerate() {
        let dir = same_files(work.path(), &input, args, &i.to_string());
        if args == &["-C", "1"] {
            // -C 1 alone: out, out1, … split where the rule says, every frame once, in order.
            let split = split(&frames, 24, |f| 16 + f.3.len() as u64);
            let want: Vec<String> = (0..split.len())
                .map(|n| format!("out{}", if n == 0 { String::new() } else { n.to_string() }))
                .collect();
            assert_eq!(names(&dir), want);
            let got: Vec<Vec<Frame>> = want.iter().map(|n| frames_of(&dir.join(n))).collect();
            assert_eq!(got.iter().map(Vec::len).collect::<Vec<_>>(), split);
            assert_eq!(got.concat().len(), frames.len());
        }
    }
}

/// How many frames each file of `-C 1` holds: a frame opens a new file when the file
/// (`header` bytes, then `size` of each frame) already holds more than 1,000,000 bytes.
fn split(frames: &[Frame], header: u64, size: impl Fn(&Frame) -> u64) -> Vec<usize> {
    let mut files = vec![0usize];
    let mut held = header;
    for f in frames {
        if held > 1_000_000 {
            files.push(0);
            held = header;
        }
        held += size(f);
        if let Some(n) = files.last_mut() {
            *n += 1;
        }
    }
    files
}

/// tcpdump writes only pcap; echolab's `--pcapng` rotates by the same rule: a frame goes into
/// a new file when the file already holds more than the size.
#[test]
fn pcapng_rotates_by_the_same_rule() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in.pcap");
    let frames = big_input(&input);
    let dir = open_dir(work.path(), "ng");
    let out = dir.join("out");
    let args = [
        "dump",
        "-r",
        input.to_str().unwrap(),
        "-w",
        out.to_str().unwrap(),
    ];
    let o = run_in(
        work.path(),
        &bin("echolab"),
        &[&args[..], &["--pcapng", "-C", "1", "-W", "9"]].concat(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A section header (28 bytes) and an interface block (32); each frame's block is 32
    // bytes and the frame padded to 4.
    let split = split(&frames, 60, |f| 32 + f.3.len().div_ceil(4) as u64 * 4);
    let want: Vec<String> = (0..split.len()).map(|n| format!("out{n}")).collect();
    assert!(split.len() >= 4, "{split:?}");
    assert_eq!(names(&dir), want);
    let got: Vec<Vec<Frame>> = want.iter().map(|n| frames_of(&dir.join(n))).collect();
    assert_eq!(got.iter().map(Vec::len).collect::<Vec<_>>(), split);
    assert!(
        got.concat() == frames,
        "every frame once, in order, nanoseconds kept"
    );
}

#[test]
fn bad_values_are_refused_as_tcpdump_does() {
    let work = tempfile::tempdir().unwrap();
    let out = open_dir(work.path(), "d").join("out");
    let out = out.to_str().unwrap();
    let refused = [
        ["-C", "0"],
        ["-C", "-1"],
        ["-C", "1.5"],
        ["-C", "1x"],
        ["-C", ""],
        ["-C", "9223372036855"],
        ["-W", "0"],
        ["-W", "-3"],
        ["-W", "x"],
        ["-G", "-1"],
    ];
    // Values tcpdump reads as numbers up to the first other character, or ignores: -W
    // without -C or -G, -G 0.
    let taken = [
        ["-W", "3x"],
        ["-G", "x"],
        ["-C", "+2"],
        ["-W", "4294967297"],
    ];
    let cases = refused.iter().map(|a| (a, true));
    for (args, refuse) in cases.chain(taken.iter().map(|a| (a, false))) {
        let session = "fixtures/dump/tcp/session4.pcap";
        same_as_tcpdump(&["-r", session, "-w", out, args[0], args[1]], b"");
        if refuse {
            assert!(!Path::new(out).exists(), "{args:?} created the file");
        }
    }
    // -C on a pipe: the header, then tcpdump's error at the first packet.
    let session = "fixtures/dump/tcp/session4.pcap";
    same_as_tcpdump(&["-r", session, "-w", "-", "-C", "1"], b"");
}

/// `-z CMD` runs `CMD FILE` on every file a rotation closes (not the last): the same files
/// compressed, with the same bytes inside, as tcpdump's. A command that cannot run is said
/// once per file and the dump goes on.
#[test]
fn compress_command_runs_on_each_closed_file() {
    require("tcpdump");
    require("gzip");
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in.pcap");
    let frames = big_input(&input);
    let dirs: Vec<PathBuf> = ["t", "e"]
        .iter()
        .map(|n| open_dir(work.path(), n))
        .collect();
    let progs = [
        (PathBuf::from("tcpdump"), None),
        (bin("echolab"), Some("dump")),
    ];
    for ((prog, sub), dir) in progs.iter().zip(&dirs) {
        let out = dir.join("out");
        let mut args: Vec<&str> = sub.iter().copied().collect();
        args.extend(["-r", input.to_str().unwrap(), "-w", out.to_str().unwrap()]);
        args.extend(["-C", "1", "-z", "gzip"]);
        let o = run_in(work.path(), prog, &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let files = split(&frames, 24, |f| 16 + f.3.len() as u64).len();
    let mut want: Vec<String> = (1..files - 1).map(|n| format!("out{n}.gz")).collect();
    want.extend(["out.gz".to_string(), format!("out{}", files - 1)]);
    want.sort();
    for dir in &dirs {
        // gzip runs on after the dump has ended.
        let done = wait_until(Duration::from_secs(30), || names(dir) == want);
        assert!(done, "{}: {:?}", dir.display(), names(dir));
    }
    for n in &want {
        let unzip = |d: &Path| {
            let o = Command::new("gzip")
                .args(["-dc"])
                .arg(d.join(n))
                .output()
                .unwrap();
            if n.ends_with(".gz") {
                o.stdout
            } else {
                std::fs::read(d.join(n)).unwrap()
            }
        };
        assert!(unzip(&dirs[0]) == unzip(&dirs[1]), "{n} differs");
    }
    let dir = open_dir(work.path(), "bad");
    let out = dir.join("x");
    let mut args = vec!["dump", "-C", "1", "-z", "/nonexistent/cmd"];
    args.extend(["-r", input.to_str().unwrap(), "-w", out.to_str().unwrap()]);
    let o = run_in(work.path(), &bin("echolab"), &args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let x: Vec<String> = (0..files)
        .map(|n| format!("x{}", if n == 0 { String::new() } else { n.to_string() }))
        .collect();
    assert_eq!(names(&dir), x);
    for n in &x[..files - 1] {
        let line = format!(
            "compress_savefile: execlp(/nonexistent/cmd, {}) failed: No such file or directory\n",
            dir.join(n).display()
        );
        assert!(err.contains(&line), "{err}");
    }
}

/// `-G`: tcpdump's names are the `-w` name through `strftime` at the period's start; a dump
/// that does not last a period writes one file, named as tcpdump names it.
#[test]
fn time_pattern_names_the_file_as_tcpdump_does() {
    require("tcpdump");
    let work = tempfile::tempdir().unwrap();
    let (t_dir, e_dir) = (open_dir(work.path(), "t"), open_dir(work.path(), "e"));
    let pattern = "%Y-%m-%d_%a_%b_%j_%U_%W_%V_%G_%u_%w_%Z_%e_%y_%C_%%_%q.pcap";
    let run = |prog: &Path, dump: bool, dir: &Path| {
        let out = dir.join(pattern);
        let mut args = vec![
            "-r",
            "fixtures/dump/tcp/session4.pcap",
            "-w",
            out.to_str().unwrap(),
        ];
        args.extend(["-G", "3600"]);
        if dump {
            args.insert(0, "dump");
        }
        let o = run_in(crate::util::root(), prog, &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    run(Path::new("tcpdump"), false, &t_dir);
    run(&bin("echolab"), true, &e_dir);
    assert_eq!(names(&t_dir).len(), 1);
    assert_eq!(names(&t_dir), names(&e_dir));
}

/// echolab's `strftime` against glibc's (Python's `time.strftime` calls it), for every
/// conversion, flags, widths and modifiers, in three zones and at several moments.
#[test]
fn strftime_is_glibcs() {
    require("python3");
    let patterns = [
        "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p %P %r %R %s %S",
        "%t %T %u %U %V %w %W %x %X %y %Y %z %Z %%",
        "%10d|%_5d|%-d|%05e|%-e|%3Y|%10Y|%_10Y|%^a|%#a|%#p|%#Z|%10a|%010a|%^10b|%^c",
        "%Ey|%Od|%Ed|%Oa|%q|%5q|%5C|%10z|%_z|%-5d|%0_5d|%_05d|%#^a|%EY|%OH|%Ok|%%%",
    ];
    let moments = [
        0i64,
        951_782_400,
        1_104_537_600,
        1_700_000_000,
        1_796_386_575,
        1_230_768_000,
    ];
    let script = "import sys, time\n\
        for t in sys.argv[2:]:\n\
        \x20   sys.stdout.write(time.strftime(sys.argv[1], time.localtime(int(t))) + '\\0')\n";
    for zone in ["UTC", "Europe/Paris", "America/St_Johns"] {
        let tz = jiff::tz::TimeZone::get(zone).unwrap();
        for p in patterns {
            let mut args = vec!["-c".to_string(), script.to_string(), p.to_string()];
            args.extend(moments.iter().map(i64::to_string));
            let o = Command::new("python3")
                .args(&args)
                .env("TZ", zone)
                .output()
                .unwrap();
            let glibc: Vec<&[u8]> = o.stdout.split(|&b| b == 0).collect();
            for (i, t) in moments.iter().enumerate() {
                let ours = strftime::format(p.as_bytes(), *t, &tz);
                assert_eq!(
                    String::from_utf8_lossy(&ours),
                    String::from_utf8_lossy(glibc[i]),
                    "{p:?} at {t} in {zone}"
                );
            }
        }
    }
}

/// A pcap header, then, once `ready` holds, frames one every `gap`, to `w` (which may close
/// early); returns how many frames it took.
fn feed_slowly(
    mut w: impl Write,
    frames: usize,
    gap: Duration,
    ready: impl FnMut() -> bool,
) -> usize {
    let mut buf = Vec::new();
    let mut pcap = Writer::new(&mut buf, LinkType::Ethernet, 262_144, false).unwrap();
    let frame = synth::ethernet(0x88b5, &[0x5a; 50]);
    for i in 0..frames {
        let ts = Timestamp {
            sec: 1_700_000_000 + i as i64,
            nsec: 0,
        };
        pcap.write(ts, &frame, frame.len() as u32).unwrap();
    }
    pcap.into_inner().unwrap();
    let (header, records) = buf.split_at(24);
    if w.write_all(header).and_then(|_| w.flush()).is_err() {
        return 0;
    }
    assert!(wait_until(Duration::from_secs(30), ready), "no first file");
    for (i, rec) in records.chunks(16 + frame.len()).enumerate() {
        std::thread::sleep(gap);
        if w.write_all(rec).and_then(|_| w.flush()).is_err() {
            return i;
        }
    }
    frames
}

/// The numbers of `-w DIR/out-%s` files, checked to be such names and in `[from, to]`.
fn epoch_names(dir: &Path, from: i64, to: i64) -> Vec<i64> {
    let mut seconds: Vec<i64> = names(dir)
        .iter()
        .map(|n| {
            let t = n.strip_prefix("out-").and_then(|s| s.parse().ok());
            t.unwrap_or_else(|| panic!("not an out-%s name: {n}"))
        })
        .collect();
    seconds.sort();
    for t in &seconds {
        assert!((from..=to).contains(t), "{t} not within {from}..={to}");
    }
    seconds
}

/// `-G 1` while frames arrive over about 3 s (tcpdump checks the clock at each frame, so
/// the split depends on timing; what is asserted does not): every frame in exactly one file,
/// in order, files named by their period's start, at least two of them. With `-W 2` the dump
/// ends at the frame that finds the second file done, as tcpdump's does.
#[test]
fn time_rotation_on_a_slow_input() {
    let work = tempfile::tempdir().unwrap();
    for limit in [None, Some("2")] {
        let dir = open_dir(work.path(), &format!("g{}", limit.unwrap_or("")));
        let out = dir.join("out-%s");
        let mut args = vec!["dump", "-r", "-", "-w", out.to_str().unwrap(), "-G", "1"];
        args.extend(limit.iter().flat_map(|w| ["-W", w]));
        let from = jiff::Timestamp::now().as_second();
        let mut dump = start("echolab", &args);
        let stdin = dump.stdin.take().unwrap();
        // The first file is there once the dump has read the header: only then do the
        // frames start, so a slow start cannot bunch them together.
        let started = || !names(&dir).is_empty();
        let fed = feed_slowly(stdin, 12, Duration::from_millis(250), started);
        let o = dump.finish(Duration::from_secs(60));
        let to = jiff::Timestamp::now().as_second();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{err}");
        let seconds = epoch_names(&dir, from, to);
        let got: Vec<Frame> = seconds
            .iter()
            .flat_map(|t| frames_of(&dir.join(format!("out-{t}"))))
            .collect();
        let stamps: Vec<i64> = got.iter().map(|f| f.0 - 1_700_000_000).collect();
        match limit {
            None => {
                assert!(seconds.len() >= 2, "{seconds:?}");
                assert_eq!(stamps, (0..12).collect::<Vec<i64>>(), "{seconds:?}");
                assert!(!err.contains("limit"), "{err}");
            }
            Some(_) => {
                assert_eq!(seconds.len(), 2, "{seconds:?}");
                assert!(stamps.len() < fed, "{stamps:?}");
                assert_eq!(stamps, (0..stamps.len() as i64).collect::<Vec<i64>>());
                assert!(
                    err.ends_with(
                        "Maximum file limit reached: 2\n\
                     pcap_stats: Statistics aren't available from savefiles\n"
                    ),
                    "{err}"
                );
            }
        }
    }
}

/// Live, rotating files are created after root is given up, by `nobody`, as tcpdump
/// creates them as its own user: a folder only root may write is refused at once, in
/// tcpdump's words; in an open one `-G 1 -W 2` ends after two files, with tcpdump's line
/// before the statistics, each `-z`'d file compressed.
#[test]
fn live_rotation_creates_files_as_the_unprivileged_user() {
    require_root();
    require("tcpdump");
    require("gzip");
    let work = tempfile::tempdir().unwrap();
    let closed = work.path().join("closed");
    std::fs::create_dir(&closed).unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = closed.join("out");
    let live = [
        "-i",
        "lo",
        "-w",
        out.to_str().unwrap(),
        "-C",
        "1",
        "udp port 9",
    ];
    let t = run_in(
        work.path(),
        Path::new("timeout"),
        &[&["10", "tcpdump"][..], &live].concat(),
    );
    let e = crate::util::run_within(
        "echolab",
        &[&["dump"][..], &live].concat(),
        b"",
        &[],
        Duration::from_secs(20),
    );
    let t_err = String::from_utf8_lossy(&t.stderr).replace("tcpdump: ", "echolab dump: error: ");
    assert_eq!(t_err, String::from_utf8_lossy(&e.stderr));
    assert_eq!((t.status.code(), e.status.code()), (Some(1), Some(1)));
    assert!(names(&closed).is_empty());

    let dir = open_dir(work.path(), "open");
    let out = dir.join("out-%s");
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port().to_string();
    let expr = format!("udp dst port {port}");
    let args = [
        "dump",
        "-i",
        "lo",
        "-w",
        out.to_str().unwrap(),
        "-G",
        "1",
        "-W",
        "2",
        "-z",
        "gzip",
        &expr,
    ];
    let from = jiff::Timestamp::now().as_second();
    let mut dump = start("echolab", &args);
    // Datagrams to itself, every 100 ms, until the dump ends (at most 20 s).
    let end = Instant::now() + Duration::from_secs(20);
    while Instant::now() < end && dump.try_wait().unwrap().is_none() {
        let _ = sock.send_to(b"rotate", sock.local_addr().unwrap());
        std::thread::sleep(Duration::from_millis(100));
    }
    let o = dump.finish(Duration::from_secs(5));
    let to = jiff::Timestamp::now().as_second();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("\nMaximum file limit reached: 2\n"), "{err}");
    let stats = err.split("Maximum file limit reached: 2\n").nth(1).unwrap();
    assert!(
        stats.starts_with(char::is_numeric) && stats.contains(" packets captured\n"),
        "{err}"
    );
    let done = wait_until(Duration::from_secs(10), || {
        names(&dir).iter().all(|n| n.ends_with(".gz"))
    });
    assert!(done, "{:?}", names(&dir));
    let nobody = run_in(work.path(), Path::new("id"), &["-u", "nobody"]);
    let nobody: u32 = String::from_utf8_lossy(&nobody.stdout)
        .trim()
        .parse()
        .unwrap();
    let mut seconds = Vec::new();
    for n in names(&dir) {
        let meta = std::fs::metadata(dir.join(&n)).unwrap();
        assert_eq!(meta.uid(), nobody, "{n} is not nobody's");
        let t: i64 = n
            .strip_prefix("out-")
            .and_then(|s| s.strip_suffix(".gz"))
            .unwrap()
            .parse()
            .unwrap();
        assert!((from..=to).contains(&t), "{n}");
        seconds.push(t);
    }
    assert_eq!(seconds.len(), 2, "{:?}", names(&dir));
}
