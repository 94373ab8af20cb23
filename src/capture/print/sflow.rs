//! sFlow version 5 (sflow.org's sFlow v5 specification), mirroring print-sflow.c at
//! tcpdump-4.99.3: the datagram header, then at `-v` each sample with its flow or counter
//! records. Like tcpdump, it decodes only the records print-sflow.c knows and passes over
//! the others (hex at `-v`, nothing at `-vv` and above).
//!
//! Offsets are absolute in the UDP payload `data`. A sub-printer's "does not fit" is
//! `Ok(false)` (tcpdump's `return 1`), which the caller turns into ` (invalid)`.
//!
//! Must not do I/O: it only reads the captured bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::names::print_addr;
use super::tok::{tok2str, Tok};
use super::util::{get_be_u24, get_be_u64, print_invalid, print_unknown_data};
use super::{get_array, get_be_u32, get_u8, tcheck, Nd, PResult};
use crate::nd_print;

/// The IPv4-agent datagram header (`struct sflow_datagram_t`).
const DATAGRAM_LEN: u32 = 28;
/// The IPv6-agent datagram header (`struct sflow_v6_datagram_t`).
const DATAGRAM_V6_LEN: u32 = 40;
/// A sample's, and a record's, format and length words.
const HDR_LEN: u32 = 8;

const FLOW_SAMPLE: u32 = 1;
const COUNTER_SAMPLE: u32 = 2;
const EXPANDED_FLOW_SAMPLE: u32 = 3;
const EXPANDED_COUNTER_SAMPLE: u32 = 4;

static FORMATS: [Tok; 4] = [
    (FLOW_SAMPLE, "flow sample"),
    (COUNTER_SAMPLE, "counter sample"),
    (EXPANDED_FLOW_SAMPLE, "expanded flow sample"),
    (EXPANDED_COUNTER_SAMPLE, "expanded counter sample"),
];

static FLOW_TYPES: [Tok; 16] = [
    (1, "Raw packet"),
    (2, "Ethernet frame"),
    (3, "IPv4 Data"),
    (4, "IPv6 Data"),
    (1001, "Extended Switch data"),
    (1002, "Extended Router data"),
    (1003, "Extended Gateway data"),
    (1004, "Extended User data"),
    (1005, "Extended URL data"),
    (1006, "Extended MPLS data"),
    (1007, "Extended NAT data"),
    (1008, "Extended MPLS tunnel"),
    (1009, "Extended MPLS VC"),
    (1010, "Extended MPLS FEC"),
    (1011, "Extended MPLS LVP FEC"),
    (1012, "Extended VLAN Tunnel"),
];

static RAW_PROTOCOLS: [Tok; 3] = [(1, "Ethernet"), (11, "IPv4"), (12, "IPv6")];

static COUNTER_TYPES: [Tok; 6] = [
    (1, "Generic counter"),
    (2, "Ethernet counter"),
    (3, "Token ring counter"),
    (4, "100 BaseVG counter"),
    (5, "Vlan counter"),
    (1001, "Processor counter"),
];

static DIRECTIONS: [Tok; 5] = [
    (0, "unknown"),
    (1, "full-duplex"),
    (2, "half-duplex"),
    (3, "in"),
    (4, "out"),
];

/// Print the sFlow datagram at `data`; `len` is the UDP payload's length (print-sflow.c
/// `sflow_print`).
pub fn print(nd: &mut Nd<'_>, data: &[u8], len: u32) -> PResult {
    nd.protocol = "sflow";
    let ip_version = get_be_u32(data, 4)?;
    if (len < DATAGRAM_LEN && ip_version == 1) || (len < DATAGRAM_V6_LEN && ip_version == 2) {
        let version = get_be_u32(data, 0)?;
        nd_print!(nd, "sFlowv{version} [length {len} < {DATAGRAM_LEN}]");
        print_invalid(nd);
        return Ok(());
    }
    tcheck(data, 0, DATAGRAM_LEN as usize)?;
    let version = get_be_u32(data, 0)?;
    if version != 5 {
        nd_print!(nd, "sFlow version {version} packet not supported");
        return Ok(());
    }
    let v4 = ip_version == 1;
    let (agent, id_at) = if v4 {
        (IpAddr::V4(Ipv4Addr::from(get_array::<4>(data, 8)?)), 12)
    } else {
        (IpAddr::V6(Ipv6Addr::from(get_array::<16>(data, 8)?)), 24)
    };
    let agent_id = get_be_u32(data, id_at)?;
    let family = if v4 { "IPv4" } else { "IPv6" };
    if nd.opts.v < 1 {
        nd_print!(nd, "sFlowv{version}, {family} agent ");
        print_addr(nd, agent);
        nd_print!(nd, ", agent-id {agent_id}, length {len}");
        return Ok(());
    }
    let seqnum = get_be_u32(data, id_at + 4)?;
    let uptime = get_be_u32(data, id_at + 8)?;
    let nsamples = get_be_u32(data, id_at + 12)?;
    nd_print!(nd, "sFlowv{version}, {family} agent ");
    print_addr(nd, agent);
    nd_print!(
        nd,
        ", agent-id {agent_id}, seqnum {seqnum}, uptime {uptime}, samples {nsamples}, length {len}"
    );
    let hdr = if v4 { DATAGRAM_LEN } else { DATAGRAM_V6_LEN };
    let mut at = 0usize;
    let mut tlen = len;
    if tlen < hdr {
        nd_print!(nd, " [tlen {tlen} < {hdr}]");
        return invalid(nd, data, at, tlen);
    }
    at += hdr as usize;
    tlen -= hdr;
    let mut nsamples = nsamples;
    while nsamples > 0 && tlen > 0 {
        let sample_type = get_be_u32(data, at)? & 0x0fff;
        let sample_len = get_be_u32(data, at + 4)?;
        if tlen < HDR_LEN {
            return invalid(nd, data, at, tlen);
        }
        at += HDR_LEN as usize;
        tlen -= HDR_LEN;
        nd_print!(
            nd,
            "\n\t{} ({sample_type}), length {sample_len},",
            tok2str(&FORMATS, "Unknown", sample_type)
        );
        if sample_type == 0 || sample_len == 0 {
            return Ok(());
        }
        if tlen < sample_len {
            return invalid(nd, data, at, tlen);
        }
        tcheck(data, at, sample_len as usize)?;
        let fits = match sample_type {
            FLOW_SAMPLE..=EXPANDED_COUNTER_SAMPLE => sample(nd, data, at, tlen, sample_type)?,
            _ => {
                if nd.opts.v <= 1 {
                    print_unknown_data(nd, data, at, "\n\t    ", sample_len as usize);
                }
                true
            }
        };
        if !fits {
            return invalid(nd, data, at, tlen);
        }
        at += sample_len as usize;
        tlen -= sample_len;
        nsamples -= 1;
    }
    Ok(())
}

/// print-sflow.c's `invalid:` label: ` (invalid)`, then a truncation check of the rest.
fn invalid(nd: &mut Nd<'_>, data: &[u8], at: usize, tlen: u32) -> PResult {
    print_invalid(nd);
    tcheck(data, at, tlen as usize)
}

/// A flow or counter sample, expanded or not (`sflow_print_flow_sample`,
/// `sflow_print_expanded_flow_sample`, `sflow_print_counter_sample`,
/// `sflow_print_expanded_counter_sample`): its fixed part, then its records.
fn sample(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32, kind: u32) -> PResult<bool> {
    let expanded = matches!(kind, EXPANDED_FLOW_SAMPLE | EXPANDED_COUNTER_SAMPLE);
    let counters = matches!(kind, COUNTER_SAMPLE | EXPANDED_COUNTER_SAMPLE);
    let size: u32 = match (counters, expanded) {
        (false, false) => 32,
        (false, true) => 44,
        (true, false) => 12,
        (true, true) => 16,
    };
    if len < size {
        return Ok(false);
    }
    let w = |i: usize| get_be_u32(data, at + 4 * i);
    let nrecords = get_be_u32(data, at + size as usize - 4)?;
    let seqnum = w(0)?;
    let (typ, index) = if expanded {
        (w(1)?, w(2)?)
    } else {
        (u32::from(get_u8(data, at + 4)?), get_be_u24(data, at + 5)?)
    };
    // A flow sample's rate, pool and drops, and the ports of one not expanded.
    let rates = if counters {
        None
    } else {
        let r = if expanded { 3 } else { 2 };
        Some((w(r)?, w(r + 1)?, w(r + 2)?))
    };
    let ports = if counters || expanded {
        None
    } else {
        Some((w(5)?, w(6)?))
    };
    nd_print!(nd, " seqnum {seqnum}, type {typ}, idx {index}");
    if let Some((rate, pool, drops)) = rates {
        nd_print!(nd, ", rate {rate}, pool {pool}, drops {drops}");
    }
    match ports {
        Some((input, output)) => nd_print!(nd, ", input {input} output {output} "),
        None => nd.print(", "),
    }
    nd_print!(nd, "records {nrecords}");
    let at = at + size as usize;
    records(nd, data, at, len - size, nrecords, counters)
}

/// The flow (`counters` false) or counter records of a sample
/// (`sflow_print_flow_records`, `sflow_print_counter_records`); each record's decoder sees
/// the rest of the sample, as tcpdump passes it. tcpdump takes a counter record's
/// enterprise from the format's top twelve bits (`>> 20`), a flow record's from the
/// twenty above the type (`>> 12`).
fn records(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut at: usize,
    mut tlen: u32,
    n: u32,
    counters: bool,
) -> PResult<bool> {
    let (shift, types, comma): (u32, &'static [Tok], &str) = if counters {
        (20, &COUNTER_TYPES, ",")
    } else {
        (12, &FLOW_TYPES, "")
    };
    for _ in 0..n {
        if tlen < HDR_LEN {
            return Ok(false);
        }
        let format = get_be_u32(data, at)?;
        let kind = format & 0x0fff;
        let enterprise = format >> shift;
        let record_len = get_be_u32(data, at + 4)?;
        let name = if enterprise == 0 {
            tok2str(types, "Unknown", kind)
        } else {
            tok2str(&[], "Unknown", 0)
        };
        nd_print!(
            nd,
            "\n\t    enterprise {enterprise}{comma} {name} ({kind}) length {record_len}"
        );
        at += HDR_LEN as usize;
        tlen -= HDR_LEN;
        if tlen < record_len {
            return Ok(false);
        }
        if enterprise == 0 {
            match record(nd, data, at, tlen, kind, counters)? {
                Some(false) => return Ok(false),
                Some(true) => {}
                None => {
                    if nd.opts.v <= 1 {
                        print_unknown_data(nd, data, at, "\n\t\t", record_len as usize);
                    }
                }
            }
        }
        at += record_len as usize;
        tlen -= record_len;
    }
    Ok(true)
}

/// A flow (`counters` false) or counter record of type `kind` with `len` bytes left of the
/// sample: whether it fits, `None` for a type print-sflow.c does not decode.
fn record(
    nd: &mut Nd<'_>,
    data: &[u8],
    at: usize,
    len: u32,
    kind: u32,
    counters: bool,
) -> PResult<Option<bool>> {
    Ok(Some(match (counters, kind) {
        (false, 1) => raw_packet(nd, data, at, len)?,
        (false, 1001) => record_print(nd, data, at, len, &EXTENDED_SWITCH)?,
        (false, 2) => ethernet_frame(nd, data, at, len)?,
        (false, 3 | 4 | 1002..=1012) | (true, 3) => true,
        (true, 1) => counter_generic(nd, data, at, len)?,
        (true, 2) => record_print(nd, data, at, len, &ETHERNET_COUNTERS)?,
        (true, 4) => record_print(nd, data, at, len, &BASEVG_COUNTERS)?,
        (true, 5) => record_print(nd, data, at, len, &VLAN_COUNTERS)?,
        (true, 1001) => record_print(nd, data, at, len, &PROCESSOR_COUNTERS)?,
        _ => return Ok(None),
    }))
}

/// `print_sflow_raw_packet`.
fn raw_packet(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 16 {
        return Ok(false);
    }
    let w = |i: usize| get_be_u32(data, at + 4 * i);
    let (protocol, length, stripped, header_size) = (w(0)?, w(1)?, w(2)?, w(3)?);
    nd_print!(
        nd,
        "\n\t      protocol {} ({protocol}), length {length}, stripped bytes {stripped}, header_size {header_size}",
        tok2str(&RAW_PROTOCOLS, "Unknown", protocol)
    );
    Ok(true)
}

/// `print_sflow_ethernet_frame`.
fn ethernet_frame(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 24 {
        return Ok(false);
    }
    let length = get_be_u32(data, at)?;
    let typ = get_be_u32(data, at + 20)?;
    nd_print!(nd, "\n\t      frame len {length}, type {typ}");
    Ok(true)
}

/// A record print-sflow.c prints as it lies, as lines of `LABEL VALUE, LABEL VALUE…`: the
/// length it needs, then its lines with the labels of its values in wire order, each value
/// 32 bits wide but those marked `:8`, 64.
type Record = (u32, &'static str);

/// `print_sflow_extended_switch_data`.
const EXTENDED_SWITCH: Record = (16, "src vlan, src pri, dst vlan, dst pri");

/// `print_sflow_counter_generic` from the 25th byte on.
const GENERIC_COUNTERS: &str = "\
In octets:8, unicast pkts, multicast pkts, broadcast pkts, discards
In errors, unknown protos
Out octets:8, unicast pkts, multicast pkts, broadcast pkts, discards
Out errors, promisc mode";

/// `print_sflow_counter_ethernet`.
const ETHERNET_COUNTERS: Record = (
    52,
    "\
align errors, fcs errors, single collision, multiple collision, test error
deferred, late collision, excessive collision, mac trans error
carrier error, frames too long, mac receive errors, symbol errors",
);

/// `print_sflow_counter_basevg`.
const BASEVG_COUNTERS: Record = (
    80,
    "\
in high prio frames, in high prio octets:8
in norm prio frames, in norm prio octets:8
in ipm errors, oversized, in data errors, null addressed frames
out high prio frames, out high prio octets:8, trans into frames
in hc high prio octets:8, in hc norm prio octets:8, out hc high prio octets:8",
);

/// `print_sflow_counter_vlan`.
const VLAN_COUNTERS: Record = (
    28,
    "vlan_id, octets:8, unicast_pkt, multicast_pkt, broadcast_pkt, discards",
);

/// `print_sflow_counter_processor`; tcpdump labels the free memory `total_mem` too.
const PROCESSOR_COUNTERS: Record = (28, "5sec, 1min, 5min, total_mem:8, total_mem:8");

/// Record `r` at `at` with `len` bytes left of the sample: whether it fits.
fn record_print(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32, r: &Record) -> PResult<bool> {
    if len < r.0 {
        return Ok(false);
    }
    lines_print(nd, data, at, r.1)?;
    Ok(true)
}

/// A value's label and width from its entry in a [`Record`]'s lines.
fn label_width(entry: &str) -> (&str, usize) {
    entry
        .strip_suffix(":8")
        .map_or((entry, 4), |label| (label, 8))
}

/// Each line `\n\t      LABEL VALUE, LABEL VALUE…` of `lines` (as in a [`Record`]), the
/// values one after the other from `at`; a line is read whole before it prints, as tcpdump
/// reads an `ND_PRINT`'s arguments.
fn lines_print(nd: &mut Nd<'_>, data: &[u8], mut at: usize, lines: &str) -> PResult {
    for line in lines.lines() {
        let mut values = [0u64; 6];
        for (v, entry) in values.iter_mut().zip(line.split(", ")) {
            let (_, width) = label_width(entry);
            *v = if width == 8 {
                get_be_u64(data, at)?
            } else {
                u64::from(get_be_u32(data, at)?)
            };
            at += width;
        }
        nd.print("\n\t      ");
        for (i, (entry, v)) in line.split(", ").zip(values).enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            nd_print!(nd, "{sep}{} {v}", label_width(entry).0);
        }
    }
    Ok(())
}

/// `print_sflow_counter_generic`.
fn counter_generic(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 88 {
        return Ok(false);
    }
    let w = |o: usize| get_be_u32(data, at + o);
    let (ifindex, iftype, ifspeed, dir) = (w(0)?, w(4)?, get_be_u64(data, at + 8)?, w(16)?);
    nd_print!(
        nd,
        "\n\t      ifindex {ifindex}, iftype {iftype}, ifspeed {ifspeed}, ifdirection {dir} ({})",
        tok2str(&DIRECTIONS, "Unknown", dir)
    );
    let status = w(20)?;
    let up = |b: bool| if b { "up" } else { "down" };
    nd_print!(
        nd,
        "\n\t      ifstatus {status}, adminstatus: {}, operstatus: {}",
        up(status & 1 != 0),
        up((status >> 1) & 1 != 0)
    );
    lines_print(nd, data, at + 24, GENERIC_COUNTERS)?;
    Ok(true)
}
