//! `echolab flow [-r FILE | -i IF] [--svg OUT] [--html OUT] [-c N] [--conversation N]
//! [EXPRESSION]`: the ladder of each conversation (`crate::view::ladder`), drawn on stdout to
//! the terminal's width, and optionally as an SVG image and an HTML page.
//!
//! With `-r` it reads a pcap or pcapng file; otherwise it captures live (on `lo` and `port
//! 4002` when neither `-i` nor an expression is given, as `echolab dump`) and draws each
//! packet as it arrives, until Ctrl-C, SIGTERM or `-c N`, then says tcpdump's statistics
//! lines on stderr and writes the files (created, like the capture, before root is given up).
//!
//! Exit codes: 0 done (or stdout closed), 1 an unreadable file, a bad filter, a failed
//! capture or output, no such `--conversation`; 2 a bad command line.

use std::cell::RefCell;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::capture::filter::{self, Program};
use crate::capture::live::session::{capture_filtered, stats_lines, CaptureOptions};
use crate::capture::live::{
    filter_len, kernel_program, link_of, LiveOptions, StopFlag, DEFAULT_INTERFACE, DEFAULT_USER,
};
use crate::view::ladder::text::{self, Look};
use crate::view::ladder::{svg, Builder, Ladder, Options};

#[path = "flow_session.rs"]
pub mod session;

const PROG: &str = "echolab flow";

/// Arguments of `echolab flow`.
#[derive(Debug, clap::Args)]
pub struct FlowArgs {
    /// Read packets from a pcap or pcapng file.
    #[arg(short = 'r', value_name = "FILE", conflicts_with = "interface")]
    pub file: Option<PathBuf>,
    /// Capture live on this interface (default lo), drawing each packet as it arrives.
    #[arg(short = 'i', value_name = "IF")]
    pub interface: Option<String>,
    /// Also write the ladders as an SVG image; each packet's tooltip is its `dump -nn -t` line.
    #[arg(long = "svg", value_name = "OUT")]
    pub svg: Option<PathBuf>,
    /// Also write an HTML page: the SVG, and each packet's `dump -nnvvXS` text on a click.
    #[arg(long = "html", value_name = "OUT")]
    pub html: Option<PathBuf>,
    /// Stop after N packets that pass the filter.
    #[arg(short = 'c', value_name = "N")]
    pub count: Option<u64>,
    #[command(flatten)]
    pub select: super::Selection,
}

impl FlowArgs {
    fn options(&self) -> Options {
        Options {
            titles: self.svg.is_some() || self.html.is_some(),
            details: self.html.is_some(),
        }
    }

    /// Whether ladder number `n` is wanted.
    fn wants(&self, n: usize) -> bool {
        self.select.conversation.is_none_or(|c| c == n as u64)
    }
}

/// Runs `echolab flow`.
pub fn run(args: FlowArgs) -> super::Result {
    let look = Look {
        width: usize::from(super::term::width()),
        colour: super::term::colour(),
    };
    let Some(path) = &args.file else {
        live(&args, &look)?;
        return Ok(super::Outcome::Success);
    };
    let ladders = read(&args, path)?;
    let text = text::render(&ladders, &look);
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("stdout")?;
    write_files(&args, &ladders, None)?;
    Ok(super::Outcome::Success)
}

/// The wanted ladders of a file.
fn read(args: &FlowArgs, path: &Path) -> anyhow::Result<Vec<Ladder>> {
    let name = path.display();
    let mut reader = super::open_capture(path)?;
    let program = args.select.filter(reader.link(), reader.snaplen())?;
    let mut builder = Builder::new(args.options());
    let mut n = 0u64;
    while args.count.is_none_or(|c| n < c) {
        let Some(rec) = reader.next_record().with_context(|| format!("{name}"))? else {
            break;
        };
        if program
            .as_ref()
            .is_none_or(|p| p.matches(rec.data, rec.len))
        {
            builder.push(&rec);
            n += 1;
        }
    }
    chosen(args, builder.finish())
}

/// The ladders `--conversation` asks for (all without it).
fn chosen(args: &FlowArgs, ladders: Vec<Ladder>) -> anyhow::Result<Vec<Ladder>> {
    let Some(n) = args.select.conversation else {
        return Ok(ladders);
    };
    let total = ladders.len();
    let picked: Vec<Ladder> = ladders
        .into_iter()
        .filter(|l| args.wants(l.number))
        .collect();
    if picked.is_empty() {
        let s = if total == 1 { "" } else { "s" };
        anyhow::bail!("no conversation {n}: the capture has {total} conversation{s}");
    }
    Ok(picked)
}

/// The `--svg` and `--html` files, into `open` handles when given (a live capture creates
/// them before it gives up its privileges).
fn write_files(args: &FlowArgs, ladders: &[Ladder], open: Option<Files>) -> anyhow::Result<()> {
    let mut files = match open {
        Some(f) => f,
        None => Files::create(args)?,
    };
    if let Some((f, path)) = &mut files.svg {
        f.write_all(svg::svg(ladders).as_bytes())
            .with_context(|| format!("{}", path.display()))?;
    }
    if let Some((f, path)) = &mut files.html {
        let title = match &args.file {
            Some(p) => format!("echolab flow: {}", p.display()),
            None => "echolab flow".to_string(),
        };
        f.write_all(svg::html(ladders, &title).as_bytes())
            .with_context(|| format!("{}", path.display()))?;
    }
    Ok(())
}

/// The output files, created.
#[derive(Default)]
struct Files {
    svg: Option<(std::fs::File, PathBuf)>,
    html: Option<(std::fs::File, PathBuf)>,
}

impl Files {
    fn create(args: &FlowArgs) -> anyhow::Result<Files> {
        let open = |p: &Option<PathBuf>| -> anyhow::Result<_> {
            p.as_ref()
                .map(|p| {
                    std::fs::File::create(p)
                        .map(|f| (f, p.clone()))
                        .with_context(|| format!("{}: cannot create", p.display()))
                })
                .transpose()
        };
        Ok(Files {
            svg: open(&args.svg)?,
            html: open(&args.html)?,
        })
    }
}

/// A live capture, each packet drawn as it arrives; then the files.
fn live(args: &FlowArgs, look: &Look) -> anyhow::Result<()> {
    let mut expr = args.select.expression();
    if expr.trim().is_empty() && args.interface.is_none() {
        expr = super::dump::LAB_EXPRESSION.to_string();
    }
    let interface = args.interface.clone().unwrap_or(DEFAULT_INTERFACE.into());
    // Cooked v2 records on `any`.
    let link = link_of(&interface);
    let program = filter::compile(&expr, link, 0)?;
    let opts = CaptureOptions {
        live: LiveOptions {
            interface,
            ..LiveOptions::default()
        },
        filter: (program.sock_filter().ok()).and_then(|p| kernel_program(link, p)),
        count: args.count,
        stop: StopFlag::new(),
        stop_on_signals: true,
        drop_to_user: Some(DEFAULT_USER.into()),
    };
    let files = RefCell::new(None);
    let mut builder = Builder::new(args.options());
    let mut drawing = text::Live::default();
    let mut out = io::stdout().lock();
    let stats = capture_filtered(
        &opts,
        |rec| keep(&program, rec),
        |cap| -> anyhow::Result<()> {
            *files.borrow_mut() = Some(Files::create(args)?);
            let _ = writeln!(io::stderr(), "{PROG}: {}", cap.listening_line());
            Ok(())
        },
        |rec| -> anyhow::Result<()> {
            let Some(p) = builder.push(rec) else {
                return Ok(());
            };
            let ladders = builder.ladders();
            if ladders.get(p.ladder).is_some_and(|l| args.wants(l.number)) {
                let text = drawing.next(ladders, p.ladder, look);
                out.write_all(text.as_bytes())
                    .and_then(|()| out.flush())
                    .context("stdout")?;
            }
            Ok(())
        },
    )?;
    let _ = io::stderr().write_all(stats_lines(&stats).as_bytes());
    // Nothing captured of the wanted conversation is said, and no file is written.
    let ladders = chosen(args, builder.finish())?;
    write_files(args, &ladders, files.into_inner())
}

/// The user-space check after the kernel's filter (all of it when the kernel refused it).
fn keep(program: &Program, rec: &crate::capture::record::Record<'_>) -> bool {
    program.matches(rec.data, filter_len(rec))
}
