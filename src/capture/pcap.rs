//! pcap and pcapng files: streaming reader yielding `Record`s, and a writer.

use std::io::Read;

use pcap_file::pcap::PcapReader;
use pcap_file::TsResolution;

use super::record::{LinkType, Record, Timestamp};

/// A pcap file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PcapError {
    #[error("{0}")]
    Format(#[from] pcap_file::PcapError),
}

/// Streams the records of a pcap file, one at a time (memory stays flat).
pub struct Reader<R: Read> {
    inner: PcapReader<R>,
    link: LinkType,
    snaplen: u32,
    nano: bool,
}

impl<R: Read> Reader<R> {
    pub fn new(src: R) -> Result<Reader<R>, PcapError> {
        let inner = PcapReader::new(src)?;
        let h = inner.header();
        let link = LinkType::from_linktype(u32::from(h.datalink));
        let nano = h.ts_resolution == TsResolution::NanoSecond;
        let snaplen = h.snaplen;
        Ok(Reader {
            inner,
            link,
            snaplen,
            nano,
        })
    }

    pub fn link(&self) -> LinkType {
        self.link
    }

    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// Calls `f` with each record in turn.
    pub fn for_each(&mut self, mut f: impl FnMut(&Record<'_>) -> bool) -> Result<(), PcapError> {
        while let Some(pkt) = self.inner.next_raw_packet() {
            let pkt = pkt?;
            let nsec = if self.nano {
                pkt.ts_frac
            } else {
                pkt.ts_frac.saturating_mul(1000)
            };
            let rec = Record {
                ts: Timestamp {
                    sec: i64::from(pkt.ts_sec),
                    nsec,
                },
                len: pkt.orig_len,
                link: self.link,
                data: &pkt.data,
            };
            if !f(&rec) {
                break;
            }
        }
        Ok(())
    }
}
