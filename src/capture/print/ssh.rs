//! SSH (RFC 4253), mirroring `ssh_print` in print-ssh.c at tcpdump-4.99.3: only the
//! identification line (`SSH-2.0-OpenSSH_9.2p1`, RFC 4253 section 4.2) is printed; any other
//! payload prints nothing.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::util::print_protocol_caps;
use super::{get_u8, Nd, PResult};

/// Print the identification line, up to its LF or CR-LF.
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "ssh";
    // print-ssh.c `ssh_print_version` reads the "SSH-" prefix without looking at the length.
    for (at, &want) in b"SSH-".iter().enumerate() {
        if get_u8(data, at)? != want {
            return Ok(());
        }
    }
    let len = len as usize;
    let mut idx = 4;
    while idx < len {
        let c = get_u8(data, idx)?;
        let end = match c {
            b'\n' => true,
            b'\r' => idx + 1 < len && get_u8(data, idx + 1)? == b'\n',
            _ => false,
        };
        if end {
            print_version(nd, data, idx);
            return Ok(());
        }
        // A lone CR or an unprintable byte is taken for binary data: nothing is printed.
        if !(0x20..0x7f).contains(&c) {
            return Ok(());
        }
        idx += 1;
    }
    Ok(())
}

/// `: SSH: SSH-2.0-...`, the line before its ending.
fn print_version(nd: &mut Nd<'_>, data: &[u8], end: usize) {
    nd.print(": ");
    print_protocol_caps(nd);
    nd.print(": ");
    for &c in data.get(..end).unwrap_or_default() {
        nd.out.push(char::from(c));
    }
}
