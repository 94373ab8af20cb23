//! pcap and pcapng files: streaming reader yielding `Record`s, and a writer.
