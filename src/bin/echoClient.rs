//! `echoClient`: the handout's echo client.
#![allow(non_snake_case)]

fn main() -> std::process::ExitCode {
    echolab::cli::echo_client::main()
}
