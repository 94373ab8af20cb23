//! The terminal: raw mode for continuous mode, restored on every way out (normal return,
//! error, panic, signal), and the signals that end a session. This is the only module that
//! changes the TTY.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::io::IsTerminal;
use std::sync::Once;

use tokio::signal::unix::{signal, Signal, SignalKind};

use super::error::Error;

/// Whether standard input is a terminal (prompts and raw mode only make sense then).
pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// Raw mode while this guard lives: every keypress reaches the program at once, unechoed,
/// Ctrl-C and Ctrl-D arrive as bytes (0x03, 0x04) instead of signals or end of input.
#[derive(Debug)]
pub struct RawMode {
    _private: (),
}

impl RawMode {
    /// Switch the terminal to raw mode; a panic hook restores it before the panic message.
    pub fn enable() -> Result<RawMode, Error> {
        install_panic_hook();
        crossterm::terminal::enable_raw_mode().map_err(|source| Error::Terminal {
            what: "cannot switch to raw mode",
            source,
        })?;
        Ok(RawMode { _private: () })
    }
}

impl RawMode {
    /// Cooked mode for a while (the process is about to stop); `resume` switches back.
    fn suspend(&self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }

    /// Raw mode again after `suspend` or after the process was stopped and continued (a shell
    /// may have restored its own modes meanwhile). Enabling twice is harmless.
    fn resume(&self) {
        let _ = crossterm::terminal::enable_raw_mode();
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// A panic would otherwise print its message into a raw terminal and leave it unusable.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = crossterm::terminal::disable_raw_mode();
            previous(info);
        }));
    });
}

/// How a signal ended the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// SIGTERM, SIGHUP (the terminal closed), or SIGINT when a traffic dump must be completed:
    /// the session ends as at end of input and the program exits 0.
    Stop,
    /// SIGQUIT, SIGALRM, SIGUSR1 or SIGINT on a raw terminal: once the terminal is restored
    /// the process dies of the signal (`die_of`), as it would have without raw mode.
    Fatal(i32),
}

/// The signals a session watches, registered before raw mode is entered so that none can
/// arrive unwatched. Must be created inside a tokio runtime.
pub struct Signals {
    term: Option<Signal>,
    hup: Option<Signal>,
    int: Option<Signal>,
    /// Raw terminal only: signals whose default action would leave it raw.
    quit: Option<Signal>,
    alrm: Option<Signal>,
    usr1: Option<Signal>,
    tstp: Option<Signal>,
    cont: Option<Signal>,
}

impl Signals {
    /// `raw`: the terminal will be in raw mode. `interrupt`: watch SIGINT too (a traffic dump
    /// may need completing); on a raw terminal it is always watched.
    pub fn watch(raw: bool, interrupt: bool) -> Signals {
        let on = |wanted: bool, kind: SignalKind| wanted.then(|| signal(kind).ok()).flatten();
        Signals {
            term: on(true, SignalKind::terminate()),
            hup: on(true, SignalKind::hangup()),
            int: on(raw || interrupt, SignalKind::interrupt()),
            quit: on(raw, SignalKind::quit()),
            alrm: on(raw, SignalKind::alarm()),
            usr1: on(raw, SignalKind::user_defined1()),
            tstp: on(raw, SignalKind::from_raw(libc::SIGTSTP)),
            cont: on(raw, SignalKind::from_raw(libc::SIGCONT)),
        }
    }

    /// Wait for a signal that ends the session. Meanwhile SIGTSTP (`kill -TSTP`; on a raw
    /// terminal Ctrl-Z is a plain byte) puts the terminal back in cooked mode and stops the
    /// process; when it is continued, raw mode comes back (also after a SIGSTOP from outside).
    /// `interrupt_ends`: SIGINT is `Ending::Stop` rather than `Fatal`.
    pub async fn ending(&mut self, raw: Option<&RawMode>, interrupt_ends: bool) -> Ending {
        loop {
            tokio::select! {
                _ = next(&mut self.term) => return Ending::Stop,
                _ = next(&mut self.hup) => return Ending::Stop,
                _ = next(&mut self.int) => {
                    return match interrupt_ends {
                        true => Ending::Stop,
                        false => Ending::Fatal(libc::SIGINT),
                    }
                }
                _ = next(&mut self.quit) => return Ending::Fatal(libc::SIGQUIT),
                _ = next(&mut self.alrm) => return Ending::Fatal(libc::SIGALRM),
                _ = next(&mut self.usr1) => return Ending::Fatal(libc::SIGUSR1),
                _ = next(&mut self.tstp) => {
                    if let Some(r) = raw {
                        r.suspend();
                    }
                    // Stopped here until SIGCONT.
                    let _ = signal_hook::low_level::raise(libc::SIGSTOP);
                    if let Some(r) = raw {
                        r.resume();
                    }
                }
                _ = next(&mut self.cont) => {
                    if let Some(r) = raw {
                        r.resume();
                    }
                }
            }
        }
    }
}

/// The next delivery of a watched signal; never, for one not watched.
async fn next(s: &mut Option<Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending().await,
    }
}

/// Die of `signal` as its default action would have killed us (the shell then reports it as
/// such), now that the terminal is restored and output flushed.
pub fn die_of(signal: i32) -> ! {
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    // Not reached for the signals `Ending::Fatal` carries; the shell's convention otherwise.
    std::process::exit(128 + signal)
}
