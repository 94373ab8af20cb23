//! What a load run measured: the report, its JSON form, and the first corrupted echo.
//!
//! Plain data over [`Histogram`]; no I/O. Must not import `crate::capture` or `crate::cli`.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use super::{Histogram, Transport};

/// The first echo that differed from what was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub client: usize,
    /// The request's number within its client, from 0.
    pub request: u64,
    /// The first differing byte's offset.
    pub offset: usize,
    pub sent: Option<u8>,
    pub got: Option<u8>,
    pub sent_len: usize,
    pub got_len: usize,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "client {} request {}: ", self.client, self.request)?;
        match (self.sent, self.got) {
            (Some(s), Some(g)) => write!(f, "byte {} is 0x{g:02x}, sent 0x{s:02x}", self.offset),
            _ => write!(
                f,
                "echo is {} bytes long, sent {}",
                self.got_len, self.sent_len
            ),
        }
    }
}

/// What one run measured.
#[derive(Clone, Debug)]
pub struct Report {
    pub transport: Transport,
    pub addr: SocketAddr,
    pub clients: usize,
    pub size: usize,
    /// The measured window's length.
    pub elapsed: Duration,
    /// Verified round trips inside the window.
    pub requests: u64,
    /// Echoes that differed from what was sent.
    pub mismatches: u64,
    /// Clients stopped by an I/O failure (reset, closed by the server, no echo at the end).
    pub io_errors: u64,
    /// UDP messages with no echo within the timeout.
    pub lost: u64,
    /// UDP echoes that came after their message was counted lost, or a second time (ignored).
    pub late: u64,
    pub first_mismatch: Option<Mismatch>,
    pub first_io_error: Option<String>,
    /// Round-trip times in nanoseconds.
    pub latency: Histogram,
    /// CPU time the load generator's own process used in the window, in seconds.
    pub cpu_secs: f64,
}

impl Report {
    /// Verified round trips per second.
    pub fn requests_per_sec(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Echoed payload in megabytes (10^6 bytes) per second, one direction.
    pub fn mb_per_sec(&self) -> f64 {
        self.requests_per_sec() * self.size as f64 / 1e6
    }

    /// Corrupted echoes plus failed connections: anything but zero fails the run.
    pub fn errors(&self) -> u64 {
        self.mismatches + self.io_errors
    }

    /// CPU cores the load generator kept busy (1.0 = one core).
    pub fn cpu_cores(&self) -> f64 {
        self.cpu_secs / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The report as one JSON object; latencies in microseconds.
    pub fn to_json(&self) -> String {
        let us = |ns: u64| ns as f64 / 1000.0;
        let opt = |s: Option<String>| match s {
            Some(s) => json_string(&s),
            None => "null".to_string(),
        };
        format!(
            concat!(
                "{{\"transport\":\"{}\",\"addr\":\"{}\",\"clients\":{},\"size\":{},",
                "\"duration_secs\":{:.3},\"requests\":{},\"requests_per_sec\":{:.1},",
                "\"mb_per_sec\":{:.3},\"p50_us\":{:.1},\"p99_us\":{:.1},\"max_us\":{:.1},",
                "\"mean_us\":{:.1},\"errors\":{},\"mismatches\":{},\"io_errors\":{},",
                "\"lost\":{},\"late\":{},\"loadgen_cpu_cores\":{:.3},",
                "\"first_mismatch\":{},\"first_io_error\":{}}}"
            ),
            self.transport,
            self.addr,
            self.clients,
            self.size,
            self.elapsed.as_secs_f64(),
            self.requests,
            self.requests_per_sec(),
            self.mb_per_sec(),
            us(self.latency.quantile(0.50)),
            us(self.latency.quantile(0.99)),
            us(self.latency.max()),
            us(self.latency.mean()),
            self.errors(),
            self.mismatches,
            self.io_errors,
            self.lost,
            self.late,
            self.cpu_cores(),
            opt(self.first_mismatch.as_ref().map(|m| m.to_string())),
            opt(self.first_io_error.clone()),
        )
    }
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let mut latency = Histogram::new();
        latency.record(10_000);
        latency.record(30_000);
        Report {
            transport: Transport::Tcp,
            addr: "127.0.0.1:4002".parse().unwrap(),
            clients: 2,
            size: 64,
            elapsed: Duration::from_secs(2),
            requests: 1000,
            mismatches: 1,
            io_errors: 2,
            lost: 0,
            late: 0,
            first_mismatch: None,
            first_io_error: Some("connection reset by the server during request 3".into()),
            latency,
            cpu_secs: 1.0,
        }
    }

    #[test]
    fn rates_and_errors_follow_the_counts() {
        let r = report();
        assert_eq!(r.requests_per_sec(), 500.0);
        assert_eq!(r.mb_per_sec(), 500.0 * 64.0 / 1e6);
        assert_eq!(r.errors(), 3);
        assert_eq!(r.cpu_cores(), 0.5);
    }

    #[test]
    fn json_holds_every_figure() {
        let j = report().to_json();
        for part in [
            "\"transport\":\"TCP\"",
            "\"requests\":1000,",
            "\"requests_per_sec\":500.0,",
            "\"mean_us\":20.0,",
            "\"max_us\":30.0,",
            "\"errors\":3,",
            "\"first_mismatch\":null,",
            "\"first_io_error\":\"connection reset by the server during request 3\"}",
        ] {
            assert!(j.contains(part), "{part} not in {j}");
        }
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }
}
