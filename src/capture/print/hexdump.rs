//! Hex and ASCII dumps (print-ascii.c): `-x`, `-xx`, `-X`, `-XX`, `-A`.
