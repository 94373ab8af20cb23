//! `echolab`: the toolkit's other commands (`dump`, `bench`, ...).

fn main() -> std::process::ExitCode {
    echolab::cli::echolab_main()
}
