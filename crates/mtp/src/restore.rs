//! `mtp restore FILE`: put a backup made by `mtp backup` back as the SQLite database of the
//! data dir (docs/operations.md, "Restore drill").
//!
//! Every check runs on a private copy in the data dir before anything there changes: the copy
//! must be an SQLite database that passes `PRAGMA integrity_check`, with no migration this
//! build does not know; it is migrated up to date; the key must open every sealed secret in
//! it; its audit chains must verify. Only then is the old database checked for a server that
//! still has it open, moved aside (never deleted) and the copy renamed into its place. So a
//! refused file, a missing key or a failure half-way leaves the data dir as it was, apart
//! from the private copy, which is removed. The steps the issue lists as "copy in, then migrate, then verify" run in this
//! order for that reason: migrating and verifying after the rename would leave a database
//! half restored when either fails.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use mtp_store::restore::{Fit, Settled, Unfit};
use mtp_store::{ChainReport, Store};

use crate::Config;

/// A restore that did not happen, and why. The data dir is as it was; `mtp restore` exits 2.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

fn refuse<T>(why: String) -> anyhow::Result<T> {
    Err(Refused(why).into())
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// The database file that now holds the backup.
    pub target: PathBuf,
    /// The backup's schema before the restore (its last migration).
    pub schema: String,
    /// Migrations run on it to bring it up to date.
    pub migrated: usize,
    /// Sealed secrets in it, all opened with the key.
    pub sealed: u64,
    /// Where the key came from (`MTP_SECRET_KEY` or the key file), if there is one.
    pub key_from: Option<String>,
    /// One report per audit chain, every one of them whole.
    pub chains: Vec<ChainReport>,
    /// Where the database it replaced went (its `-wal` and `-shm` beside it, same suffixes).
    pub replaced: Option<PathBuf>,
}

/// The files SQLite may keep for one database, by suffix of the main file's name.
const SIDE_FILES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The database file an `sqlite:` URL names.
fn sqlite_file(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.contains("mode=memory") {
        return refuse(
            "MTP_DATABASE_URL names an in-memory SQLite database; a restore needs a file".into(),
        );
    }
    Ok(PathBuf::from(path))
}

/// The private copy; removed with its side files unless the restore got to the end.
struct Scratch {
    path: PathBuf,
    keep: bool,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.keep {
            for suffix in SIDE_FILES {
                let _ = std::fs::remove_file(with_suffix(&self.path, suffix));
            }
        }
    }
}

/// Restore `file` into the configured SQLite database. `force` allows replacing a database
/// that is there; it is moved aside as `<name>.replaced-<UTC time>`.
pub async fn restore(cfg: &Config, file: &Path, force: bool) -> anyhow::Result<Restored> {
    let url = cfg.database_url()?;
    let target = sqlite_file(&url)?;
    let shown = file.display();

    check_file(file, &target)?;

    let key = crate::existing_seal_key(cfg)?;
    let key_from = key.as_ref().map(|(_, from)| from.clone());

    // The private copy, in the target's own directory so the final rename stays on one file
    // system, readable by the owner only: it holds personal data.
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("making {}", dir.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "mtp.sqlite".into());
    let mut scratch = Scratch {
        path: dir.join(format!(".{name}.restore-{}", uuid::Uuid::now_v7().simple())),
        keep: false,
    };
    copy_private(file, &scratch.path)
        .with_context(|| format!("copying {shown} to {}", scratch.path.display()))?;
    let scratch_url = format!("sqlite://{}?mode=rw", scratch.path.display());

    let fit = inspect(&scratch_url, file).await?;

    // The place it goes. Asked after the file's own checks, so that `--force` is never the
    // advice for a file that would be refused anyway.
    let occupied = SIDE_FILES.iter().any(|s| with_suffix(&target, s).exists());
    if occupied && !force {
        return refuse(format!(
            "{} already holds a database. Stop the server, then run `mtp restore --force {shown}`: \
             it moves the present database aside (kept, never deleted)",
            target.display()
        ));
    }

    Store::migrate(&scratch_url)
        .await
        .context("migrating the restored copy")?;
    let store = Store::connect(&scratch_url, 1)
        .await
        .context("opening the restored copy")?
        .with_seal_key(key.map(|(k, _)| k));
    let sealed = store.check_sealed_secrets().await?;
    let chains = store.audit_verify().await?;
    store.close().await?;

    if sealed.unopened > 0 {
        return refuse(match &key_from {
            None => format!(
                "{shown} holds {} sealed secrets (two-factor seeds, the installation's keys) and \
                 there is no key to open them: {} does not exist and MTP_SECRET_KEY is not set. \
                 Put the secret.key of the installation the backup comes from into {} (mode \
                 600), or set MTP_SECRET_KEY to it, and run mtp restore again",
                sealed.sealed,
                cfg.key_file().display(),
                cfg.data_dir.display()
            ),
            Some(from) => format!(
                "the key from {from} does not open {} of the {} sealed secrets in {shown}: it \
                 is not the key the backup was made with. Use that installation's secret.key \
                 (or MTP_SECRET_KEY) and run mtp restore again; if it is lost, see \
                 docs/operations.md, \"The key\"",
                sealed.unopened, sealed.sealed
            ),
        });
    }
    if let Some((org, seq)) = chains
        .iter()
        .find_map(|c| c.broken_at.map(|seq| (c.org_id, seq)))
    {
        return refuse(format!(
            "the audit trail in {shown} is broken (chain {org} at event {seq}): the file was \
             changed after the events were written. Use another backup, and find out who \
             changed this one"
        ));
    }

    // One file, on disk, before it takes the database's name.
    if mtp_store::restore::settle_sqlite(&scratch_url).await? == Settled::InUse {
        anyhow::bail!(
            "another process opened {} while it was restored",
            scratch.path.display()
        );
    }
    std::fs::File::open(&scratch.path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("writing {} to disk", scratch.path.display()))?;

    let replaced = move_aside(&target).await?;
    std::fs::rename(&scratch.path, &target)
        .with_context(|| format!("renaming the copy to {}", target.display()))?;
    scratch.keep = true;
    // The renames themselves reach the disk with the directory.
    std::fs::File::open(&dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("writing {} to disk", dir.display()))?;

    Ok(Restored {
        target,
        schema: fit.schema,
        migrated: fit.pending.len(),
        sealed: sealed.sealed,
        key_from,
        chains,
        replaced,
    })
}

/// The file itself, before copying anything: a file, not the database itself, an SQLite
/// database, and not a live one with its last changes in a log beside it.
fn check_file(file: &Path, target: &Path) -> anyhow::Result<()> {
    let shown = file.display();
    let meta = match std::fs::metadata(file) {
        Ok(m) => m,
        Err(e) => return refuse(format!("{shown}: {e}")),
    };
    if !meta.is_file() {
        return refuse(format!("{shown} is not a file"));
    }
    if let (Ok(a), Ok(b)) = (file.canonicalize(), target.canonicalize())
        && a == b
    {
        return refuse(format!("{shown} is the database itself"));
    }
    let mut header = [0u8; 16];
    let read = std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok();
    if !read || &header != b"SQLite format 3\0" {
        return refuse(format!(
            "{shown} is not an SQLite database (a backup made by `mtp backup` is one)"
        ));
    }
    // A copy of the main file alone would lose what is still in the log.
    let wal = with_suffix(file, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return refuse(format!(
            "{shown} has a write-ahead log beside it ({}): it is a live database, whose last \
             changes are in that log, not a backup. Make a backup of it with `mtp backup`",
            wal.display()
        ));
    }
    Ok(())
}

/// Whether the copy is a Meet the Parents database this release can take.
async fn inspect(scratch_url: &str, file: &Path) -> anyhow::Result<Fit> {
    let shown = file.display();
    match mtp_store::restore::inspect_sqlite(scratch_url).await? {
        Ok(fit) => Ok(fit),
        Err(Unfit::Damaged(why)) => refuse(format!(
            "{shown} is damaged and was not restored: {why}. Use another backup"
        )),
        Err(Unfit::NotOurs) => refuse(format!(
            "{shown} is an SQLite database, but not one of Meet the Parents (it has no \
             seaql_migrations table)"
        )),
        Err(Unfit::Newer(names)) => refuse(format!(
            "{shown} comes from a newer release of mtp: it has the migration(s) {} that this \
             mtp ({}) does not know. Restore it with that release or a newer one",
            names.join(", "),
            env!("CARGO_PKG_VERSION")
        )),
    }
}

/// Move the database being replaced aside, as `<name>.replaced-<UTC time>`; `None` when
/// there was none.
async fn move_aside(target: &Path) -> anyhow::Result<Option<PathBuf>> {
    // A server still running on the database would go on writing into the file moved aside.
    // Settling it also writes its log back into it, so the moved file is whole by itself. A
    // database SQLite cannot open at all (the reason for some restores) is moved as it is.
    if target.exists() {
        let url = format!("sqlite://{}?mode=rw", target.display());
        match mtp_store::restore::settle_sqlite(&url).await {
            Ok(Settled::InUse) => {
                return refuse(format!(
                    "{} is still open in another process (a running `mtp serve`?). Stop it and \
                     run mtp restore again",
                    target.display()
                ));
            }
            Ok(Settled::OneFile) => {}
            Err(e) => {
                tracing::warn!(error = %e, "the database being replaced does not open; moved aside as it is")
            }
        }
    }
    let present: Vec<&str> = SIDE_FILES
        .into_iter()
        .filter(|s| with_suffix(target, s).exists())
        .collect();
    let replaced = if present.is_empty() {
        None
    } else {
        let aside = with_suffix(
            target,
            &format!(
                ".replaced-{}",
                chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
            ),
        );
        if SIDE_FILES.iter().any(|s| with_suffix(&aside, s).exists()) {
            anyhow::bail!("{} already exists; try again", aside.display());
        }
        // The main file first: SQLite finds a database's log by its name, so the moved files
        // open together as `<aside>` with `<aside>-wal`.
        for suffix in present {
            std::fs::rename(with_suffix(target, suffix), with_suffix(&aside, suffix))
                .with_context(|| format!("moving {}{suffix} aside", target.display()))?;
        }
        Some(aside)
    };
    Ok(replaced)
}

/// Copy `from` to a new file `to` (mode 600) and flush it to disk.
fn copy_private(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)?;
    std::io::copy(&mut src, &mut dst)?;
    dst.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_sqlite_url() {
        let f = |u: &str| sqlite_file(u).ok();
        assert_eq!(
            f("sqlite://./data/mtp.sqlite?mode=rwc"),
            Some(PathBuf::from("./data/mtp.sqlite"))
        );
        assert_eq!(
            f("sqlite:///tmp/x/mtp.sqlite"),
            Some(PathBuf::from("/tmp/x/mtp.sqlite"))
        );
        assert_eq!(f("sqlite:data.db"), Some(PathBuf::from("data.db")));
        assert_eq!(f("sqlite::memory:"), None);
        assert_eq!(f("sqlite://x.db?mode=memory"), None);
    }
}
