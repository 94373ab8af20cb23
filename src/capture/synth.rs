//! Packet synthesis: builds Ethernet/IPv4/IPv6/TCP/UDP/ICMP packets with correct checksums,
//! and seeded random and mutated packets, for fixtures and differential tests.
