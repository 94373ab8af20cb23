//! `echolab man` and `echolab completions`: man pages and shell completions generated from the
//! clap definitions of the three programs, so they never drift from `--help`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{CommandFactory, ValueEnum};

/// The programs that get a page and completions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Program {
    #[value(name = "echolab")]
    Echolab,
    #[value(name = "echoServer")]
    EchoServer,
    #[value(name = "echoClient")]
    EchoClient,
}

impl Program {
    fn command(self) -> clap::Command {
        match self {
            Program::Echolab => super::EcholabArgs::command(),
            Program::EchoServer => super::echo_server::command(),
            Program::EchoClient => super::echo_client::command(),
        }
    }
}

/// Arguments of `echolab man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write every page (echolab.1, echolab-SUBCOMMAND.1, echoServer.1, echoClient.1) into DIR,
    /// e.g. /usr/local/share/man/man1; without it, print PROGRAM's page on stdout.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The program whose page is printed.
    #[arg(value_enum, default_value = "echolab")]
    pub program: Program,
}

/// Arguments of `echolab completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
    /// The program to complete.
    #[arg(value_enum, default_value = "echolab")]
    pub program: Program,
}

/// Print one page, or write them all into `--dir`.
pub fn man(args: ManArgs) -> super::Result {
    let Some(dir) = args.dir else {
        let mut out = std::io::stdout().lock();
        render(args.program.command(), &mut out).context("writing the page")?;
        return Ok(super::Outcome::Success);
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
    for program in [Program::Echolab, Program::EchoServer, Program::EchoClient] {
        let cmd = program.command();
        let name = cmd.get_name().to_string();
        let subs: Vec<clap::Command> = cmd.get_subcommands().cloned().collect();
        write_page(&dir, &name, cmd)?;
        for sub in subs {
            let page = format!("{name}-{}", sub.get_name());
            write_page(&dir, &page, sub.name(page.clone()))?;
        }
    }
    Ok(super::Outcome::Success)
}

fn write_page(dir: &std::path::Path, name: &str, cmd: clap::Command) -> anyhow::Result<()> {
    let path = dir.join(format!("{name}.1"));
    let mut f = std::fs::File::create(&path).with_context(|| format!("{}", path.display()))?;
    render(cmd, &mut f).with_context(|| format!("{}", path.display()))
}

fn render(cmd: clap::Command, out: &mut impl Write) -> std::io::Result<()> {
    clap_mangen::Man::new(cmd).render(out)?;
    out.flush()
}

/// Print the completion script of `program` for `shell`.
pub fn completions(args: CompletionsArgs) -> super::Result {
    let mut cmd = args.program.command();
    let name = cmd.get_name().to_string();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, name, &mut out);
    out.flush().context("writing the completions")?;
    Ok(super::Outcome::Success)
}
