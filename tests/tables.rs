//! Every row of every table, read the same way from SQLite and PostgreSQL, to compare two
//! databases: a backup and its restore, or one database before and after the migrations.
//!
//! A row is rendered by the database itself (`quote()` on SQLite, `quote_nullable()` on
//! PostgreSQL: blobs, timestamps and NULLs each get one unambiguous spelling), and keyed by its
//! primary key rendered the same way; what is kept is the SHA-256 of that text. Two databases
//! are compared on the same database kind only.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use sha2::{Digest, Sha256};

/// A table's name, columns (in table order) and primary key columns (in key order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub name: String,
    pub columns: Vec<String>,
    pub key: Vec<String>,
}

/// The rows of one table: primary key text → checksum of the row's columns.
pub type Rows = BTreeMap<String, String>;

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub shapes: Vec<Shape>,
    pub rows: BTreeMap<String, Rows>,
}

async fn connect(url: &str) -> DatabaseConnection {
    Database::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connecting to {url}: {e}"))
}

async fn strings(db: &DatabaseConnection, sql: &str, columns: usize) -> Vec<Vec<String>> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| {
            (0..columns)
                .map(|i| {
                    r.try_get_by_index::<String>(i)
                        .unwrap_or_else(|e| panic!("{sql}, column {i}: {e}"))
                })
                .collect()
        })
        .collect()
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The tables of a database (SQLite's own `sqlite_*` tables left out), with their columns and
/// primary keys.
pub async fn shapes(url: &str) -> Vec<Shape> {
    let db = connect(url).await;
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    let names = if sqlite {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    } else {
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    };
    let mut out = Vec::new();
    for name in strings(&db, names, 1)
        .await
        .into_iter()
        .map(|r| r[0].clone())
    {
        let (columns, key) = if sqlite {
            (
                format!(
                    "SELECT name FROM pragma_table_info({}) ORDER BY cid",
                    literal(&name)
                ),
                format!(
                    "SELECT name FROM pragma_table_info({}) WHERE pk > 0 ORDER BY pk",
                    literal(&name)
                ),
            )
        } else {
            (
                format!(
                    "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = {} ORDER BY ordinal_position",
                    literal(&name)
                ),
                format!(
                    "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = {}::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)",
                    literal(&ident(&name))
                ),
            )
        };
        let columns: Vec<String> = strings(&db, &columns, 1)
            .await
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
        let key: Vec<String> = strings(&db, &key, 1)
            .await
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
        out.push(Shape { name, columns, key });
    }
    let _ = db.close().await;
    out
}

/// Every row of the tables `shapes` names, read through their columns only: after a
/// migration that adds a column, the rows of before still compare equal, and one that drops
/// or renames a column the shapes name fails here, loudly.
pub async fn rows_of(url: &str, shapes: &[Shape]) -> BTreeMap<String, Rows> {
    let db = connect(url).await;
    let quote = if db.get_database_backend() == DbBackend::Sqlite {
        "quote"
    } else {
        "quote_nullable"
    };
    let render = |cols: &[String]| {
        cols.iter()
            .map(|c| format!("{quote}({})", ident(c)))
            .collect::<Vec<_>>()
            .join(" || ',' || ")
    };
    let mut out = BTreeMap::new();
    for shape in shapes {
        // A table without a primary key is keyed by the whole row (and a counter for rows
        // that are the same).
        let key_cols = if shape.key.is_empty() {
            &shape.columns
        } else {
            &shape.key
        };
        let order = key_cols
            .iter()
            .map(|c| ident(c))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {}, {} FROM {} ORDER BY {order}",
            render(key_cols),
            render(&shape.columns),
            ident(&shape.name)
        );
        let mut rows = Rows::new();
        for r in strings(&db, &sql, 2).await {
            let sum = hex::encode(Sha256::digest(r[1].as_bytes()));
            let mut key = r[0].clone();
            let mut n = 1;
            while rows.contains_key(&key) {
                n += 1;
                key = format!("{}#{n}", r[0]);
            }
            rows.insert(key, sum);
        }
        out.insert(shape.name.clone(), rows);
    }
    let _ = db.close().await;
    out
}

/// Every table, every row.
pub async fn snapshot(url: &str) -> Snapshot {
    let shapes = shapes(url).await;
    let rows = rows_of(url, &shapes).await;
    Snapshot { shapes, rows }
}

/// SQLite's schema: every table, index and trigger with its SQL.
pub async fn sqlite_schema(url: &str) -> Vec<String> {
    let db = connect(url).await;
    let out = strings(
        &db,
        "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name",
        1,
    )
    .await
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    let _ = db.close().await;
    out
}

/// What differs between the rows of `before` and `after`, table by table: tables gone, row
/// counts, and the first few keys missing, added or changed. Empty when they are equal. The
/// tables named in `may_grow` may gain rows (`seaql_migrations` does with every migration),
/// but keep every row they had.
pub fn differences(
    before: &BTreeMap<String, Rows>,
    after: &BTreeMap<String, Rows>,
    may_grow: &[&str],
) -> Vec<String> {
    const SHOW: usize = 3;
    let mut out = Vec::new();
    for (table, b) in before {
        let Some(a) = after.get(table) else {
            out.push(format!("{table}: gone"));
            continue;
        };
        let grows = may_grow.contains(&table.as_str());
        if a.len() != b.len() && !(grows && a.len() > b.len()) {
            out.push(format!(
                "{table}: {} rows before, {} after",
                b.len(),
                a.len()
            ));
        }
        let missing: Vec<&String> = b
            .keys()
            .filter(|k| !a.contains_key(*k))
            .take(SHOW)
            .collect();
        let added: Vec<&String> = a
            .keys()
            .filter(|k| !grows && !b.contains_key(*k))
            .take(SHOW)
            .collect();
        let changed: Vec<&String> = b
            .iter()
            .filter(|(k, sum)| a.get(*k).is_some_and(|s| s != *sum))
            .map(|(k, _)| k)
            .take(SHOW)
            .collect();
        for (what, keys) in [("missing", missing), ("added", added), ("changed", changed)] {
            if !keys.is_empty() {
                out.push(format!("{table}: rows {what}, e.g. {keys:?}"));
            }
        }
    }
    for table in after.keys().filter(|t| !before.contains_key(*t)) {
        out.push(format!("{table}: only after"));
    }
    out
}

/// Panics with the differences, if there are any, naming `what` was compared.
pub fn assert_same_rows(
    what: &str,
    before: &BTreeMap<String, Rows>,
    after: &BTreeMap<String, Rows>,
) {
    assert_kept_rows(what, before, after, &[]);
}

/// Like [`assert_same_rows`], but the tables in `may_grow` may gain rows.
pub fn assert_kept_rows(
    what: &str,
    before: &BTreeMap<String, Rows>,
    after: &BTreeMap<String, Rows>,
    may_grow: &[&str],
) {
    let diff = differences(before, after, may_grow);
    assert!(diff.is_empty(), "{what}:\n{}", diff.join("\n"));
    // An empty comparison proves nothing: the data set must have rows to keep.
    let rows: usize = before.values().map(BTreeMap::len).sum();
    assert!(rows > 100, "{what}: only {rows} rows to compare");
}
