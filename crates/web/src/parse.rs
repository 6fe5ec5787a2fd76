//! Reading ids, times and addresses out of paths and forms.

use chrono::NaiveTime;
use mtp_domain::FieldError;
use mtp_domain::schedule;
use uuid::Uuid;

use crate::AppState;
use crate::ctx::User;
use crate::error::AppError;
use crate::forms::{FormData, FormErrors};
use crate::i18n::Tr;

/// The longest any one part of a session's staff time may be.
const MAX_MINUTES: u32 = 600;

/// An id from a path; anything that is not one is a page that does not exist.
pub fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// The neighbourhood a page asks for (`?nb=`), or the user's first; 404 for one out of reach.
/// Also gives the list for the page's neighbourhood picker.
pub async fn pick_neighbourhood(
    state: &AppState,
    user: &User,
    raw: &str,
) -> Result<(Vec<mtp_store::Neighbourhood>, Uuid), AppError> {
    let all = state.store.neighbourhoods(&user.tenant).await?;
    let nb = match raw.trim() {
        "" => all.first().map(|n| n.id).ok_or(AppError::NotFound)?,
        raw => Uuid::parse_str(raw)
            .ok()
            .filter(|id| all.iter().any(|n| n.id == *id))
            .ok_or(AppError::NotFound)?,
    };
    Ok((all, nb))
}

/// A start and an end time from a form, the end after the start; each problem is recorded at
/// its field.
pub fn parse_times(
    t: &Tr,
    e: &mut FormErrors,
    f: &FormData,
    start_field: &str,
    end_field: &str,
) -> Option<(NaiveTime, NaiveTime)> {
    let start = e.take(t, start_field, schedule::parse_time(f.get(start_field)));
    let end = e.take(t, end_field, schedule::parse_time(f.get(end_field)));
    let (start, end) = (start?, end?);
    e.take(t, end_field, schedule::check_times(start, end))?;
    Some((start, end))
}

/// Staff minutes for one part of a session: a whole number up to `MAX_MINUTES`.
pub fn parse_minutes(raw: &str) -> Result<u32, FieldError> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|m| *m <= MAX_MINUTES)
        .ok_or(FieldError::NumberInvalid)
}

/// A local path to return to; anything else becomes "/". Only a path that starts with one
/// `/`: browsers read `//host`, `/\\host` and `/<tab>/host` as another site, and a control
/// character cannot go into a `Location` header at all.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next[1..].starts_with('/')
        && !next.contains('\\')
        && next.chars().all(|c| c.is_ascii_graphic())
        && next.len() < 512;
    if ok { next.to_string() } else { "/".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/admin/accounts"), "/admin/accounts");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\n/evil.example"), "/");
        assert_eq!(safe_next("/%09/evil.example"), "/%09/evil.example");
        assert_eq!(safe_next("/a\\b"), "/");
        assert_eq!(safe_next("/ruimte en zo"), "/");
        assert_eq!(
            safe_next("/households?q=zo%C3%AB"),
            "/households?q=zo%C3%AB"
        );
        assert_eq!(safe_next(""), "/");
    }
}
