//! Address and port names (addrtoname.c): numeric with `-n`/`-nn`, names otherwise.
