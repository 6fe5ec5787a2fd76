//! Column and index helpers shared by the migrations, so each reads as a list of columns.

use sea_orm_migration::prelude::*;

pub fn id(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .uuid()
        .not_null()
        .to_owned()
}

pub fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .string()
        .not_null()
        .to_owned()
}

pub fn ts(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

pub fn flag(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .boolean()
        .not_null()
        .default(false)
        .to_owned()
}

pub fn fk(from: &'static str, table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_col(Alias::new(from))
        .to(Alias::new(table), Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

pub fn index(
    table: &'static str,
    name: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(Alias::new(table));
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

/// Drop an index when it is there.
pub fn drop_index(table: &'static str, name: &'static str) -> IndexDropStatement {
    Index::drop()
        .name(name)
        .table(Alias::new(table))
        .if_exists()
        .to_owned()
}

pub fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).string().null().to_owned()
}

pub fn int(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .integer()
        .not_null()
        .to_owned()
}

pub fn uuid_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).uuid().null().to_owned()
}

pub fn ts_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

/// Free text without a length limit in the database; the application bounds it.
pub fn long_text(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .text()
        .not_null()
        .to_owned()
}

pub fn int_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).integer().null().to_owned()
}

/// A composite primary key; tenant tables put `org_id` first.
pub fn pk(cols: &[&'static str]) -> IndexCreateStatement {
    let mut i = Index::create();
    for c in cols {
        i.col(Alias::new(*c));
    }
    i.to_owned()
}

/// Add `columns` to `table`, one statement per column: SQLite alters a table one column at a
/// time.
pub async fn add_columns(
    m: &SchemaManager<'_>,
    table: &'static str,
    columns: impl IntoIterator<Item = ColumnDef>,
) -> Result<(), DbErr> {
    for mut column in columns {
        m.alter_table(
            Table::alter()
                .table(Alias::new(table))
                .add_column(&mut column)
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}
