//! The terminal: raw mode for continuous mode, restored on every way out (normal return,
//! error, panic). This is the only module that changes the TTY.
//!
//! Must not import `crate::capture` or `crate::cli`.

use std::io::IsTerminal;
use std::sync::Once;

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
