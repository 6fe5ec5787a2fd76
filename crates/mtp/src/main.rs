//! `mtp`: serve, migrate, demo, user, backup, restore, audit.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use mtp::Config;
use mtp_domain::{Email, NewPassword, PersonName, Role, Tenant};
use mtp_store::NewAccount;

#[derive(Parser)]
#[command(
    name = "mtp",
    version,
    about = "Meet the Parents: support for single-parent families"
)]
struct Cli {
    #[command(flatten)]
    cfg: Config,
    #[command(subcommand)]
    cmd: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (migrates SQLite on start).
    Serve,
    /// Bring the database schema up to date (a release step on PostgreSQL).
    Migrate,
    /// Recompute what the household and session rows keep of the records (visits, attendance
    /// counts, parents, children, research consent) and print how many rows had drifted. Run
    /// once after a rolling release whose migrations add kept columns (docs/operations.md).
    Refresh,
    /// Load the fictional demo neighbourhood and print one account per role.
    Demo {
        /// Load even when the database already holds data; resets the demo passwords.
        #[arg(long)]
        force: bool,
    },
    /// Manage accounts from the command line.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Copy a live SQLite database to a file.
    Backup {
        /// The file to write; default `<data dir>/backup-<time>.sqlite`.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Put a backup made by `mtp backup` back as the SQLite database (docs/operations.md,
    /// "Restore drill"). Checks the file, migrates it and verifies its audit trail before it
    /// replaces anything; needs the key the backup was made with (`secret.key` or
    /// MTP_SECRET_KEY).
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Replace the database that is there; it is moved aside as
        /// `mtp.sqlite.replaced-<time>`, never deleted. Stop the server first.
        #[arg(long)]
        force: bool,
    },
    /// Add N synthetic households to the demo neighbourhood, for benchmarks (docs/benchmarks.md).
    /// With `--scale national`: the national data set of issue #7 instead (50 organisations,
    /// 1,000 neighbourhoods, 500,000 households, 10 years of weekly sessions), or a smaller one
    /// of the same shape with `--orgs`.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        households: usize,
        /// `national`: generate the national data set (the other size options then default
        /// to its shape).
        #[arg(long, value_parser = ["national"])]
        scale: Option<String>,
        /// With `--scale national`: how many organisations (50 is the full size; 5 is 1/10).
        #[arg(long)]
        orgs: Option<usize>,
        /// With `--scale national`: neighbourhoods per organisation.
        #[arg(long)]
        per_org: Option<usize>,
        /// With `--scale national`: households per neighbourhood.
        #[arg(long)]
        per_neighbourhood: Option<usize>,
        /// Grow the demo organisation to this many neighbourhoods, each with a weekly coffee
        /// hour, a dozen households and their attendance (0: leave the programme alone).
        #[arg(long, default_value_t = 0)]
        neighbourhoods: usize,
        /// Years of weekly sessions per generated neighbourhood (default 1; 10 with
        /// `--scale national`).
        #[arg(long)]
        years: Option<u32>,
    },
    /// Run the retention job now: anonymise households kept longer than the organisation's
    /// retention period, and print what it did.
    Retention,
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create an account; prints a temporary password unless MTP_PASSWORD is set.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["admin", "coordinator", "worker", "host", "partner", "researcher"])]
        role: String,
        /// Organisation name; may be left out when there is only one.
        #[arg(long)]
        org: Option<String>,
        /// Neighbourhood name; repeat for more.
        #[arg(long = "neighbourhood")]
        neighbourhoods: Vec<String>,
    },
    /// Give an account a new temporary password and end its sessions.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
    /// Disable an account and end its sessions.
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Recompute every hash of every chain; exit 1 when a chain is broken.
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    mtp::install_crypto_provider();
    mtp::logs::init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mtp: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn temporary_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let cfg = cli.cfg;
    match cli.cmd {
        Command::Serve => serve(&cfg).await,
        Command::Migrate => {
            let url = cfg.database_url()?;
            mtp_store::Store::migrate(&url).await?;
            println!("database is up to date");
            Ok(ExitCode::SUCCESS)
        }
        Command::Refresh => refresh(&cfg).await,
        Command::Demo { force } => demo(&cfg, force).await,
        Command::User { cmd } => user(&cfg, cmd).await,
        Command::Backup { out } => backup(&cfg, out).await,
        Command::Restore { file, force } => restore(&cfg, &file, force).await,
        Command::Generate {
            households,
            scale,
            orgs,
            per_org,
            per_neighbourhood,
            neighbourhoods,
            years,
        } => {
            let store = mtp::open_store(&cfg).await?;
            if scale.is_some() {
                let full = mtp::scale::Shape::NATIONAL;
                let shape = mtp::scale::Shape {
                    orgs: orgs.unwrap_or(full.orgs),
                    per_org: per_org.unwrap_or(full.per_org),
                    per_neighbourhood: per_neighbourhood.unwrap_or(full.per_neighbourhood),
                    years: years.unwrap_or(full.years),
                };
                return generate_national(&store, shape).await;
            }
            generate(&store, households, neighbourhoods, years.unwrap_or(1)).await
        }
        Command::Retention => {
            let store = mtp::open_store(&cfg).await?;
            for r in store.run_retention().await? {
                println!(
                    "organisation {}: {} households anonymised (kept until {})",
                    r.org_id,
                    r.anonymised,
                    r.cutoff.format("%Y-%m-%d")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            cmd: AuditCmd::Verify,
        } => {
            let store = mtp::open_store(&cfg).await?;
            let ok = print_chains(&store.audit_verify().await?);
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

/// `mtp serve`: until Ctrl-C or SIGTERM.
async fn serve(cfg: &Config) -> anyhow::Result<ExitCode> {
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(s) => s,
                    Err(_) => return,
                };
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    };
    let running = mtp::start(cfg, shutdown).await?;
    println!("Meet the Parents serves http://{}", running.addr);
    running.handle.await.context("server task")?;
    Ok(ExitCode::SUCCESS)
}

/// `mtp demo`: the accounts on stdout, the parent's sign-in link on stderr.
/// `mtp refresh`: every kept value recomputed from the records, with what had drifted.
async fn refresh(cfg: &Config) -> anyhow::Result<ExitCode> {
    let store = mtp::open_store(cfg).await?;
    let found = store.refresh_kept().await?;
    println!(
        "recomputed from the records; drifted before: {} households' visits, {} sessions' attendance counts, {} households' parents, children or research consent",
        found.visits, found.sessions, found.households
    );
    Ok(ExitCode::SUCCESS)
}

async fn demo(cfg: &Config, force: bool) -> anyhow::Result<ExitCode> {
    let store = mtp::open_store(cfg).await?;
    if mtp::demo::has_data(&store).await? && !force {
        eprintln!(
            "mtp: this database already holds data; the demo would mix with it. Use an empty database, or `mtp demo --force`."
        );
        return Ok(ExitCode::from(2));
    }
    for l in mtp::demo::load(&store).await? {
        println!("{} {} {}", l.label, l.email, l.password);
    }
    // On stderr, so the account lines stay easy to read by scripts.
    if let Some((name, path)) = mtp::demo::parent_link(&store).await? {
        let base = cfg
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", cfg.bind));
        eprintln!(
            "parent portal: {name} signs in once with {}{path} (valid 7 days)",
            base.trim_end_matches('/')
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `mtp backup`: SQLite only; PostgreSQL has pg_dump.
async fn backup(cfg: &Config, out: Option<std::path::PathBuf>) -> anyhow::Result<ExitCode> {
    let store = mtp::open_store(cfg).await?;
    if !store.is_sqlite() {
        eprintln!(
            "mtp: backups of PostgreSQL are made with pg_dump (see docs/operations.md), e.g. pg_dump --format=custom --file=mtp.dump \"$MTP_DATABASE_URL\""
        );
        return Ok(ExitCode::from(2));
    }
    let out = match out {
        Some(p) => p,
        None => cfg.data_dir.join(format!(
            "backup-{}.sqlite",
            chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
        )),
    };
    if out.exists() {
        anyhow::bail!("{} already exists; choose another file", out.display());
    }
    // The backup holds every family's data: readable by its owner only from its first
    // byte, so the empty file is made first (VACUUM INTO accepts an empty file).
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&out)
            .with_context(|| format!("making {}", out.display()))?;
    }
    if let Err(e) = store.backup_sqlite(&out.display().to_string()).await {
        let _ = std::fs::remove_file(&out);
        return Err(e.into());
    }
    println!("backup written to {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// `mtp restore`: SQLite only; PostgreSQL has pg_restore.
async fn restore(cfg: &Config, file: &std::path::Path, force: bool) -> anyhow::Result<ExitCode> {
    if !mtp_store::is_sqlite_url(&cfg.database_url()?) {
        eprintln!(
            "mtp: PostgreSQL is restored with pg_restore (see docs/operations.md, \"Restore drill\"), e.g. pg_restore --no-owner --dbname=\"$RESTORE_URL\" mtp.dump, then mtp migrate and mtp audit verify"
        );
        return Ok(ExitCode::from(2));
    }
    match mtp::restore::restore(cfg, file, force).await {
        Ok(r) => {
            print_chains(&r.chains);
            let events: i64 = r.chains.iter().map(|c| c.events).sum();
            let key = match &r.key_from {
                Some(from) if r.sealed > 0 => {
                    format!("{} sealed secrets open with the key from {from}", r.sealed)
                }
                Some(_) => "no sealed secrets".to_string(),
                None => "no sealed secrets and no key yet (the server makes secret.key at its first start)".to_string(),
            };
            println!(
                "restored {} to {}: schema {} ({} migrations run), {key}, audit trail ok ({} chains, {events} events)",
                file.display(),
                r.target.display(),
                r.schema,
                r.migrated,
                r.chains.len()
            );
            if let Some(aside) = r.replaced {
                println!(
                    "the database it replaced is kept as {} (delete it when you no longer need it)",
                    aside.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => match e.downcast_ref::<mtp::restore::Refused>() {
            Some(refused) => {
                eprintln!("mtp: {refused}. Nothing was changed.");
                Ok(ExitCode::from(2))
            }
            None => Err(e),
        },
    }
}

/// `mtp generate --scale national`.
async fn generate_national(
    store: &mtp_store::Store,
    shape: mtp::scale::Shape,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let g = mtp::scale::national(store, shape).await?;
    println!(
        "generated {} organisations, {} neighbourhoods, {} households, {} sessions, {} attendance rows, {} contact moments, {} consents in {:.1} s",
        g.orgs,
        g.neighbourhoods,
        g.households,
        g.sessions,
        g.attendance,
        g.contacts,
        g.consents,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `mtp generate`: households in the demo neighbourhood, and with `neighbourhoods` more
/// neighbourhoods with `years` of programme.
async fn generate(
    store: &mtp_store::Store,
    households: usize,
    neighbourhoods: usize,
    years: u32,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let n = mtp::demo::generate(store, households).await?;
    println!(
        "generated {n} households in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if neighbourhoods > 0 {
        let started = std::time::Instant::now();
        let g = mtp::scale::programme(store, neighbourhoods, years).await?;
        println!(
            "generated {} neighbourhoods, {} sessions, {} attendance rows in {:.1} s",
            g.neighbourhoods,
            g.sessions,
            g.attendance,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per audit chain, as `mtp audit verify` and `mtp restore` print them; whether all
/// are whole.
fn print_chains(reports: &[mtp_store::ChainReport]) -> bool {
    let mut ok = true;
    for r in reports {
        match r.broken_at {
            None => println!("ok     chain {} ({} events)", r.org_id, r.events),
            Some(seq) => {
                ok = false;
                println!(
                    "BROKEN chain {} at event {} ({} events valid before it)",
                    r.org_id,
                    seq,
                    seq - 1
                );
            }
        }
    }
    ok
}

/// Changes made on the command line are in the audit trail too, with the actor "cli", in
/// the change's transaction.
fn cli_event(
    org_id: uuid::Uuid,
    action: mtp_domain::audit::Action,
    account: uuid::Uuid,
) -> mtp_store::NewAuditEvent {
    mtp_store::NewAuditEvent {
        org_id,
        actor_id: None,
        actor_role: "cli".into(),
        action,
        object_type: "account".into(),
        object_id: Some(account),
        neighbourhood_id: None,
        outcome: mtp_domain::audit::Outcome::Allowed,
        detail: String::new(),
    }
}

async fn user(cfg: &Config, cmd: UserCmd) -> anyhow::Result<ExitCode> {
    let store = mtp::open_store(cfg).await?;
    let parse_email = |e: &str| Email::parse(e).map_err(|err| anyhow::anyhow!("--email: {err}"));
    match cmd {
        UserCmd::Create {
            email,
            name,
            role,
            org,
            neighbourhoods,
        } => {
            let orgs = store.organisations().await?;
            let org = match org {
                Some(n) => orgs
                    .into_iter()
                    .find(|o| o.name == n)
                    .with_context(|| format!("no organisation named {n}"))?,
                None if orgs.len() == 1 => orgs.into_iter().next().context("no organisation")?,
                None => anyhow::bail!(
                    "there are {} organisations; name one with --org",
                    orgs.len()
                ),
            };
            let all = Tenant {
                org_id: org.id,
                role: Role::Admin,
                neighbourhoods: vec![],
            };
            let known = store.neighbourhoods(&all).await?;
            let mut ids = Vec::new();
            for n in &neighbourhoods {
                ids.push(
                    known
                        .iter()
                        .find(|k| &k.name == n)
                        .with_context(|| format!("no neighbourhood named {n}"))?
                        .id,
                );
            }
            let (pw, shown) = match std::env::var("MTP_PASSWORD") {
                Ok(p) => (p, false),
                Err(_) => (temporary_password(), true),
            };
            let new = NewAccount {
                org_id: org.id,
                email: parse_email(&email)?,
                display_name: PersonName::parse(&name)
                    .map_err(|e| anyhow::anyhow!("--name: {e}"))?,
                role: Role::parse(&role).context("--role")?,
                password: NewPassword::parse(&pw)
                    .map_err(|e| anyhow::anyhow!("MTP_PASSWORD: {e}"))?,
                must_change_password: shown,
                neighbourhoods: ids,
                partner_org_id: None,
            };
            // The store puts the new account's id in the entry.
            let event = cli_event(
                org.id,
                mtp_domain::audit::Action::AccountCreated,
                uuid::Uuid::nil(),
            );
            store.create_account(&new, Some(event)).await?;
            if shown {
                println!("created {email}; temporary password: {pw}");
            } else {
                println!("created {email}");
            }
        }
        UserCmd::ResetPassword { email } => {
            let a = store
                .account_by_email(&parse_email(&email)?)
                .await?
                .context("no such account")?;
            let pw = temporary_password();
            let np = NewPassword::parse(&pw).map_err(|e| anyhow::anyhow!("{e}"))?;
            let event = cli_event(
                a.org_id,
                mtp_domain::audit::Action::AccountPasswordReset,
                a.id,
            );
            store
                .set_password(a.org_id, a.id, &np, true, Some(event))
                .await?;
            println!("new temporary password for {email}: {pw}");
        }
        UserCmd::Disable { email } => {
            let a = store
                .account_by_email(&parse_email(&email)?)
                .await?
                .context("no such account")?;
            let event = cli_event(a.org_id, mtp_domain::audit::Action::AccountDisabled, a.id);
            store
                .set_disabled(a.org_id, a.id, true, Some(event))
                .await?;
            println!("disabled {email}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
