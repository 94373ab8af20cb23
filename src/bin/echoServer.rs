//! `echoServer`: the handout's echo server.
#![allow(non_snake_case)]

fn main() -> std::process::ExitCode {
    echolab::cli::echo_server::main()
}
