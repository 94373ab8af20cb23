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
            FLOW_SAMPLE => flow_sample(nd, data, at, tlen, false)?,
            COUNTER_SAMPLE => counter_sample(nd, data, at, tlen, false)?,
            EXPANDED_FLOW_SAMPLE => flow_sample(nd, data, at, tlen, true)?,
            EXPANDED_COUNTER_SAMPLE => counter_sample(nd, data, at, tlen, true)?,
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

/// A flow sample or an expanded one (`sflow_print_flow_sample`,
/// `sflow_print_expanded_flow_sample`).
fn flow_sample(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32, expanded: bool) -> PResult<bool> {
    let size: u32 = if expanded { 44 } else { 32 };
    if len < size {
        return Ok(false);
    }
    let nrecords = get_be_u32(data, at + size as usize - 4)?;
    let seqnum = get_be_u32(data, at)?;
    if expanded {
        let w = |i: usize| get_be_u32(data, at + 4 * i);
        let (typ, index, rate, pool, drops) = (w(1)?, w(2)?, w(3)?, w(4)?, w(5)?);
        nd_print!(
            nd,
            " seqnum {seqnum}, type {typ}, idx {index}, rate {rate}, pool {pool}, drops {drops}, records {nrecords}"
        );
    } else {
        let typ = get_u8(data, at + 4)?;
        let index = get_be_u24(data, at + 5)?;
        let w = |i: usize| get_be_u32(data, at + 4 * i);
        let (rate, pool, drops, input, output) = (w(2)?, w(3)?, w(4)?, w(5)?, w(6)?);
        nd_print!(
            nd,
            " seqnum {seqnum}, type {typ}, idx {index}, rate {rate}, pool {pool}, drops {drops}, input {input} output {output} records {nrecords}"
        );
    }
    flow_records(nd, data, at + size as usize, len - size, nrecords)
}

/// A counter sample or an expanded one (`sflow_print_counter_sample`,
/// `sflow_print_expanded_counter_sample`).
fn counter_sample(
    nd: &mut Nd<'_>,
    data: &[u8],
    at: usize,
    len: u32,
    expanded: bool,
) -> PResult<bool> {
    let size: u32 = if expanded { 16 } else { 12 };
    if len < size {
        return Ok(false);
    }
    let nrecords = get_be_u32(data, at + size as usize - 4)?;
    let seqnum = get_be_u32(data, at)?;
    let (typ, index) = if expanded {
        (get_be_u32(data, at + 4)?, get_be_u32(data, at + 8)?)
    } else {
        (u32::from(get_u8(data, at + 4)?), get_be_u24(data, at + 5)?)
    };
    nd_print!(
        nd,
        " seqnum {seqnum}, type {typ}, idx {index}, records {nrecords}"
    );
    counter_records(nd, data, at + size as usize, len - size, nrecords)
}

/// The flow records of a sample (`sflow_print_flow_records`); each record's decoder sees
/// the rest of the sample, as tcpdump passes it.
fn flow_records(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut at: usize,
    mut tlen: u32,
    n: u32,
) -> PResult<bool> {
    for _ in 0..n {
        if tlen < HDR_LEN {
            return Ok(false);
        }
        let format = get_be_u32(data, at)?;
        let flow_type = format & 0x0fff;
        let enterprise = format >> 12;
        let flow_len = get_be_u32(data, at + 4)?;
        let name = if enterprise == 0 {
            tok2str(&FLOW_TYPES, "Unknown", flow_type)
        } else {
            tok2str(&[], "Unknown", 0)
        };
        nd_print!(
            nd,
            "\n\t    enterprise {enterprise} {name} ({flow_type}) length {flow_len}"
        );
        at += HDR_LEN as usize;
        tlen -= HDR_LEN;
        if tlen < flow_len {
            return Ok(false);
        }
        if enterprise == 0 {
            let fits = match flow_type {
                1 => raw_packet(nd, data, at, tlen)?,
                1001 => extended_switch(nd, data, at, tlen)?,
                2 => ethernet_frame(nd, data, at, tlen)?,
                3 | 4 | 1002..=1012 => true,
                _ => {
                    if nd.opts.v <= 1 {
                        print_unknown_data(nd, data, at, "\n\t\t", flow_len as usize);
                    }
                    true
                }
            };
            if !fits {
                return Ok(false);
            }
        }
        at += flow_len as usize;
        tlen -= flow_len;
    }
    Ok(true)
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

/// `print_sflow_extended_switch_data`.
fn extended_switch(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 16 {
        return Ok(false);
    }
    let w = |i: usize| get_be_u32(data, at + 4 * i);
    let (src_vlan, src_pri, dst_vlan, dst_pri) = (w(0)?, w(1)?, w(2)?, w(3)?);
    nd_print!(
        nd,
        "\n\t      src vlan {src_vlan}, src pri {src_pri}, dst vlan {dst_vlan}, dst pri {dst_pri}"
    );
    Ok(true)
}

/// The counter records of a sample (`sflow_print_counter_records`). tcpdump takes the
/// enterprise from the format's top twelve bits here (`>> 20`), unlike the flow records.
fn counter_records(
    nd: &mut Nd<'_>,
    data: &[u8],
    mut at: usize,
    mut tlen: u32,
    n: u32,
) -> PResult<bool> {
    for _ in 0..n {
        if tlen < HDR_LEN {
            return Ok(false);
        }
        let format = get_be_u32(data, at)?;
        let counter_type = format & 0x0fff;
        let enterprise = format >> 20;
        let counter_len = get_be_u32(data, at + 4)?;
        let name = if enterprise == 0 {
            tok2str(&COUNTER_TYPES, "Unknown", counter_type)
        } else {
            tok2str(&[], "Unknown", 0)
        };
        nd_print!(
            nd,
            "\n\t    enterprise {enterprise}, {name} ({counter_type}) length {counter_len}"
        );
        at += HDR_LEN as usize;
        tlen -= HDR_LEN;
        if tlen < counter_len {
            return Ok(false);
        }
        if enterprise == 0 {
            let fits = match counter_type {
                1 => counter_generic(nd, data, at, tlen)?,
                2 => counter_ethernet(nd, data, at, tlen)?,
                3 => true,
                4 => counter_basevg(nd, data, at, tlen)?,
                5 => counter_vlan(nd, data, at, tlen)?,
                1001 => counter_processor(nd, data, at, tlen)?,
                _ => {
                    if nd.opts.v <= 1 {
                        print_unknown_data(nd, data, at, "\n\t\t", counter_len as usize);
                    }
                    true
                }
            };
            if !fits {
                return Ok(false);
            }
        }
        at += counter_len as usize;
        tlen -= counter_len;
    }
    Ok(true)
}

/// `print_sflow_counter_generic`.
fn counter_generic(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 88 {
        return Ok(false);
    }
    let w = |o: usize| get_be_u32(data, at + o);
    let q = |o: usize| get_be_u64(data, at + o);
    let (ifindex, iftype, ifspeed, dir) = (w(0)?, w(4)?, q(8)?, w(16)?);
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
    let (oct, uni, multi, bcast, disc) = (q(24)?, w(32)?, w(36)?, w(40)?, w(44)?);
    nd_print!(
        nd,
        "\n\t      In octets {oct}, unicast pkts {uni}, multicast pkts {multi}, broadcast pkts {bcast}, discards {disc}"
    );
    let (errors, unknown) = (w(48)?, w(52)?);
    nd_print!(nd, "\n\t      In errors {errors}, unknown protos {unknown}");
    let (oct, uni, multi, bcast, disc) = (q(56)?, w(64)?, w(68)?, w(72)?, w(76)?);
    nd_print!(
        nd,
        "\n\t      Out octets {oct}, unicast pkts {uni}, multicast pkts {multi}, broadcast pkts {bcast}, discards {disc}"
    );
    let (errors, promisc) = (w(80)?, w(84)?);
    nd_print!(nd, "\n\t      Out errors {errors}, promisc mode {promisc}");
    Ok(true)
}

/// `print_sflow_counter_ethernet`.
fn counter_ethernet(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 52 {
        return Ok(false);
    }
    let w = |i: usize| get_be_u32(data, at + 4 * i);
    let (align, fcs, single, multiple, test) = (w(0)?, w(1)?, w(2)?, w(3)?, w(4)?);
    nd_print!(
        nd,
        "\n\t      align errors {align}, fcs errors {fcs}, single collision {single}, multiple collision {multiple}, test error {test}"
    );
    let (deferred, late, excessive, mac_tx) = (w(5)?, w(6)?, w(7)?, w(8)?);
    nd_print!(
        nd,
        "\n\t      deferred {deferred}, late collision {late}, excessive collision {excessive}, mac trans error {mac_tx}"
    );
    let (carrier, too_long, mac_rx, symbol) = (w(9)?, w(10)?, w(11)?, w(12)?);
    nd_print!(
        nd,
        "\n\t      carrier error {carrier}, frames too long {too_long}, mac receive errors {mac_rx}, symbol errors {symbol}"
    );
    Ok(true)
}

/// `print_sflow_counter_basevg`.
fn counter_basevg(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 80 {
        return Ok(false);
    }
    let w = |o: usize| get_be_u32(data, at + o);
    let q = |o: usize| get_be_u64(data, at + o);
    let (frames, octets) = (w(0)?, q(4)?);
    nd_print!(
        nd,
        "\n\t      in high prio frames {frames}, in high prio octets {octets}"
    );
    let (frames, octets) = (w(12)?, q(16)?);
    nd_print!(
        nd,
        "\n\t      in norm prio frames {frames}, in norm prio octets {octets}"
    );
    let (ipm, oversized, data_errors, null) = (w(24)?, w(28)?, w(32)?, w(36)?);
    nd_print!(
        nd,
        "\n\t      in ipm errors {ipm}, oversized {oversized}, in data errors {data_errors}, null addressed frames {null}"
    );
    let (frames, octets, trans) = (w(40)?, q(44)?, w(52)?);
    nd_print!(
        nd,
        "\n\t      out high prio frames {frames}, out high prio octets {octets}, trans into frames {trans}"
    );
    let (hi, norm, out) = (q(56)?, q(64)?, q(72)?);
    nd_print!(
        nd,
        "\n\t      in hc high prio octets {hi}, in hc norm prio octets {norm}, out hc high prio octets {out}"
    );
    Ok(true)
}

/// `print_sflow_counter_vlan`.
fn counter_vlan(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 28 {
        return Ok(false);
    }
    let w = |o: usize| get_be_u32(data, at + o);
    let (vlan, octets) = (w(0)?, get_be_u64(data, at + 4)?);
    let (uni, multi, bcast, disc) = (w(12)?, w(16)?, w(20)?, w(24)?);
    nd_print!(
        nd,
        "\n\t      vlan_id {vlan}, octets {octets}, unicast_pkt {uni}, multicast_pkt {multi}, broadcast_pkt {bcast}, discards {disc}"
    );
    Ok(true)
}

/// `print_sflow_counter_processor`; tcpdump labels the free memory `total_mem` too.
fn counter_processor(nd: &mut Nd<'_>, data: &[u8], at: usize, len: u32) -> PResult<bool> {
    if len < 28 {
        return Ok(false);
    }
    let w = |o: usize| get_be_u32(data, at + o);
    let (five_sec, one_min, five_min) = (w(0)?, w(4)?, w(8)?);
    let (total, free) = (get_be_u64(data, at + 12)?, get_be_u64(data, at + 20)?);
    nd_print!(
        nd,
        "\n\t      5sec {five_sec}, 1min {one_min}, 5min {five_min}, total_mem {total}, total_mem {free}"
    );
    Ok(true)
}
