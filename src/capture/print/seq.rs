//! Relative TCP sequence numbers (print-tcp.c `tcp_seq_hash`).

/// Per-connection initial sequence numbers.
#[derive(Debug, Default)]
pub struct SeqTable {}
