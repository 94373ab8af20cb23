//! Running a program as user `nobody`: a copy it can reach, wherever the checkout lives.
//!
//! `setpriv --reuid=nobody` can only start a binary whose every parent directory `nobody`
//! may enter; a checkout under a private directory would make the privilege tests fail for a
//! reason that has nothing to do with echolab. Each test therefore runs a copy placed in a
//! fresh world-readable temporary directory.
//!
//! The copy is written by a `cp` process, never by the test process. The tests run on many
//! threads: had this process opened the copy for writing, another thread starting a program
//! at that moment would fork a child holding that descriptor until its own exec, and
//! executing the copy meanwhile fails with "Text file busy" (ETXTBSY). `cp`'s descriptors
//! belong to `cp` alone, and once it has exited no process has the copy open for writing.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::require;

/// A copy of the program at `exe` that `nobody` can run, kept until the guard is dropped.
pub struct Runnable {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn runnable(exe: &Path) -> Runnable {
    require("setpriv");
    let dir = tempfile::tempdir().expect("temporary directory");
    let name = exe.file_name().expect("a program file name");
    let path = dir.path().join(name);
    let copied = Command::new("cp")
        .arg("--")
        .arg(exe)
        .arg(&path)
        .output()
        .expect("run cp");
    assert!(
        copied.status.success(),
        "cannot copy {} for user nobody: {}",
        exe.display(),
        String::from_utf8_lossy(&copied.stderr)
    );
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("open the directory to nobody");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .expect("make the copy executable");
    Runnable { _dir: dir, path }
}

/// `setpriv` ready to run `exe` as `nobody` (group `nogroup`, no supplementary groups, no
/// inheritable capabilities); add the program's arguments.
pub fn setpriv(exe: &Path) -> Command {
    let mut cmd = Command::new("setpriv");
    cmd.args([
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "--inh-caps=-all",
    ])
    .arg(exe);
    cmd
}

/// The output of `exe` run as `nobody` succeeded, and the one error line of a capture it
/// could not open (`line`) names the missing capability and the `setcap` command for `exe`.
pub fn assert_capability_hint(out: &std::process::Output, line: &str, exe: &Path) {
    assert!(
        out.status.success(),
        "the unprivileged run failed (user nobody must be able to run {}): {}\n{}",
        exe.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(line.contains("CAP_NET_RAW"), "{line}");
    let setcap = format!("setcap cap_net_raw,cap_net_admin=eip {}", exe.display());
    assert!(line.contains(&setcap), "{line}");
}
