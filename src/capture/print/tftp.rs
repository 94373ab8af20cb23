//! TFTP (RFC 1350, options RFC 2347), mirroring print-tftp.c at tcpdump-4.99.3: the opcode,
//! then the file name, mode and options of RRQ/WRQ, the options of OACK, the block of
//! DATA/ACK and the code and message of ERROR.
//!
//! Must not do I/O: it only reads the captured bytes.

use super::tok::{tok2str, tok_name, Tok};
use super::util::{fn_print_char, print_trunc};
use super::{get_be_u16, get_u8, Nd, PResult};

const RRQ: u16 = 1;
const WRQ: u16 = 2;
const ERROR: u16 = 5;
const OACK: u16 = 6;

/// Opcode names (print-tftp.c `op2str`).
const OPCODES: [Tok; 6] = [
    (1, "RRQ"),
    (2, "WRQ"),
    (3, "DATA"),
    (4, "ACK"),
    (5, "ERROR"),
    (6, "OACK"),
];

/// Error code names (print-tftp.c `err2str`).
const ERRORS: [Tok; 8] = [
    (0, "EUNDEF"),
    (1, "ENOTFOUND"),
    (2, "EACCESS"),
    (3, "ENOSPACE"),
    (4, "EBADOP"),
    (5, "EBADID"),
    (6, "EEXISTS"),
    (7, "ENOUSER"),
];

/// Print the TFTP message at `data`; `length` is the UDP payload's length (print-tftp.c
/// `tftp_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], length: u32) -> PResult {
    nd.protocol = "tftp";
    nd.print("TFTP, length ");
    nd.print_dec(length);
    if length < 2 {
        return trunc(nd);
    }
    let opcode = get_be_u16(data, 0)?;
    let Some(name) = tok_name(&OPCODES, u32::from(opcode)) else {
        // A bogus opcode ends the line (print-tftp.c checks the name's first letter).
        nd.print(", tftp-#");
        nd.print_dec(opcode);
        return Ok(());
    };
    nd.print(", ");
    nd.print(name);
    let mut s = Strings {
        data,
        at: 2,
        left: length as usize - 2,
    };
    match opcode {
        RRQ | WRQ => request(nd, &mut s),
        OACK => options(nd, &mut s),
        ERROR => error(nd, &mut s),
        _ => {
            // DATA (3) and ACK (4).
            if s.left < 2 {
                return trunc(nd);
            }
            {
                let v0 = get_be_u16(data, 2)?;
                nd.print(" block ");
                nd.print_dec(v0);
            };
            Ok(())
        }
    }
}

/// RRQ and WRQ: `"file" mode`, then the options.
fn request(nd: &mut Nd<'_>, s: &mut Strings<'_>) -> PResult {
    if s.left == 0 {
        return trunc(nd);
    }
    nd.print(" \"");
    let n = s.printztn(nd)?;
    nd.print("\"");
    if n == 0 || s.left == 0 {
        return trunc(nd);
    }
    nd.print(" ");
    if s.printztn(nd)? == 0 {
        return trunc(nd);
    }
    options(nd, s)
}

/// Option names and values, each a NUL-terminated string preceded by a space unless empty.
fn options(nd: &mut Nd<'_>, s: &mut Strings<'_>) -> PResult {
    while s.left != 0 {
        if get_u8(s.data, s.at)? != 0 {
            nd.print(" ");
        }
        if s.printztn(nd)? == 0 {
            return trunc(nd);
        }
    }
    Ok(())
}

/// ERROR: the code's name and the quoted message.
fn error(nd: &mut Nd<'_>, s: &mut Strings<'_>) -> PResult {
    if s.left < 2 {
        return trunc(nd);
    }
    let code = get_be_u16(s.data, s.at)?;
    {
        let v0 = tok2str(&ERRORS, "tftp-err-#%u \"", u32::from(code));
        nd.print(" ");
        nd.print_tok(v0);
    };
    s.at += 2;
    s.left -= 2;
    if s.left == 0 {
        return trunc(nd);
    }
    nd.print(" \"");
    let n = s.printztn(nd)?;
    nd.print("\"");
    if n == 0 {
        return trunc(nd);
    }
    Ok(())
}

/// The NUL-terminated strings after the opcode: where the next begins and how many bytes of
/// the message are left.
struct Strings<'a> {
    data: &'a [u8],
    at: usize,
    left: usize,
}

impl Strings<'_> {
    /// Print the string at `at` up to its NUL and step past it; the bytes taken, or 0 when
    /// the message or the capture ends first (util-print.c `nd_printztn` with the capture's
    /// end as its limit).
    fn printztn(&mut self, nd: &mut Nd<'_>) -> PResult<usize> {
        let mut taken = 0;
        loop {
            if self.left == 0 || self.at >= self.data.len() {
                return Ok(0);
            }
            let c = get_u8(self.data, self.at)?;
            self.at += 1;
            self.left -= 1;
            taken += 1;
            if c == 0 {
                return Ok(taken);
            }
            fn_print_char(nd, c);
        }
    }
}

/// ` [|tftp]`, after which `tftp_print` returns normally.
fn trunc(nd: &mut Nd<'_>) -> PResult {
    print_trunc(nd);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::print::testing::{opts, with_nd};
    use proptest::prelude::*;

    fn run(data: &[u8], len: u32) -> String {
        let (out, r) = with_nd(&opts(0), |nd| print(nd, data, len));
        assert_eq!(r, Ok(()));
        out
    }

    #[test]
    fn a_read_request_prints_file_mode_and_options() {
        let rrq = b"\x00\x01boot.img\x00octet\x00blksize\x001468\x00";
        assert_eq!(
            run(rrq, rrq.len() as u32),
            "TFTP, length 30, RRQ \"boot.img\" octet blksize 1468"
        );
    }

    #[test]
    fn a_string_without_its_nul_is_truncated() {
        let rrq = b"\x00\x01boot";
        assert_eq!(run(rrq, 6), "TFTP, length 6, RRQ \"boot\" [|tftp]");
    }

    #[test]
    fn errors_data_and_bogus_opcodes() {
        assert_eq!(
            run(b"\x00\x05\x00\x01nope\x00", 9),
            "TFTP, length 9, ERROR ENOTFOUND \"nope\""
        );
        assert_eq!(
            run(b"\x00\x05\x00\x09x\x00", 6),
            "TFTP, length 6, ERROR tftp-err-#9 \" \"x\""
        );
        assert_eq!(
            run(b"\x00\x03\x01\x02", 4),
            "TFTP, length 4, DATA block 258"
        );
        assert_eq!(run(b"\x00\x09", 2), "TFTP, length 2, tftp-#9");
        assert_eq!(run(b"\x00", 1), "TFTP, length 1 [|tftp]");
    }

    proptest! {
        #[test]
        fn arbitrary_messages_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..40),
            len in 0u32..60,
        ) {
            let _ = with_nd(&opts(1), |nd| print(nd, &data, len));
        }
    }
}
