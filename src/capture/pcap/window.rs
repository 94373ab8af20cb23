//! The reader's own input buffer: large reads from the source, and a pcap record's bytes
//! lent straight from the buffer (no copy per record, no read call per record).

use std::io::{self, Read};

/// What the buffer starts at: a few dozen typical records per read.
const INITIAL: usize = 64 * 1024;

/// Buffered input whose unread bytes `buf[pos..end]` can be asked for in one piece.
#[derive(Debug)]
pub struct Window<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
}

impl<R: Read> Window<R> {
    pub fn new(src: R) -> Window<R> {
        Window {
            src,
            buf: Vec::new(),
            pos: 0,
            end: 0,
        }
    }

    /// Makes the next `n` bytes available in one piece, reading as needed; returns how many
    /// are (fewer than `n` only at the end of the input). The buffer grows only as bytes
    /// arrive: a damaged length cannot make it allocate.
    #[inline]
    pub fn fill(&mut self, n: usize) -> io::Result<usize> {
        if self.end - self.pos >= n {
            return Ok(n);
        }
        self.fill_more(n)
    }

    fn fill_more(&mut self, n: usize) -> io::Result<usize> {
        while self.end - self.pos < n {
            if self.buf.len() - self.pos < n || self.end == self.buf.len() {
                self.make_room();
            }
            let free = self.buf.get_mut(self.end..).unwrap_or(&mut []);
            match self.src.read(free) {
                Ok(0) => break,
                Ok(got) => self.end += got,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n.min(self.end - self.pos))
    }

    /// Moves the unread bytes to the front; doubles the buffer when it is full.
    fn make_room(&mut self) {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            let size = (self.buf.len() * 2).max(INITIAL);
            self.buf.resize(size, 0);
        }
    }

    /// The next `n` bytes, which `fill` made available, skipped over; `get` gives them.
    pub fn lend(&mut self, n: usize) -> std::ops::Range<usize> {
        let n = n.min(self.end - self.pos);
        let at = self.pos;
        self.pos += n;
        at..at + n
    }

    /// Bytes lent out by `lend`, until the next `fill` or read.
    pub fn get(&self, range: std::ops::Range<usize>) -> &[u8] {
        self.buf.get(range).unwrap_or(&[])
    }
}

impl<R: Read> Read for Window<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.end {
            if out.len() >= INITIAL {
                return self.src.read(out);
            }
            self.fill(1)?;
        }
        let range = self.lend(out.len());
        let n = range.len();
        if let (Some(dst), Some(src)) = (out.get_mut(..n), self.buf.get(range)) {
            dst.copy_from_slice(src);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands out at most `step` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn pieces_come_whole_and_in_order_whatever_the_reads() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        for step in [1, 7, 4096, 70_000, usize::MAX] {
            let mut w = Window::new(Trickle { data: &data, step });
            let mut at = 0;
            for n in [16, 100_000, 3, 65_536, 1].into_iter().cycle() {
                let got = w.fill(n).unwrap();
                let r = w.lend(got);
                assert_eq!(w.get(r), &data[at..at + got], "step {step} n {n}");
                at += got;
                if got < n {
                    break;
                }
                let mut small = [0u8; 5];
                let k = w.read(&mut small).unwrap();
                assert_eq!(&small[..k], &data[at..at + k]);
                at += k;
            }
            assert_eq!(at, data.len(), "step {step}");
        }
    }
}
