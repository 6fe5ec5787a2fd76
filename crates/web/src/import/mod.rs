//! Reading spreadsheets and turning their rows into households.

pub mod rows;
pub mod table;
