//! Running a program as user `nobody`: a copy it can reach, wherever the checkout lives.
//!
//! `setpriv --reuid=nobody` can only start a binary whose every parent directory `nobody`
//! may enter; a checkout under a private directory would make the privilege tests fail for a
//! reason that has nothing to do with echolab. Each test therefore runs a copy placed in a
//! fresh world-readable temporary directory.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the program at `exe` that `nobody` can run, kept until the guard is dropped.
pub struct Runnable {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn runnable(exe: &Path) -> Runnable {
    let dir = tempfile::tempdir().expect("temporary directory");
    let name = exe.file_name().expect("a program file name");
    let path = dir.path().join(name);
    std::fs::copy(exe, &path)
        .unwrap_or_else(|e| panic!("cannot copy {} for user nobody: {e}", exe.display()));
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
