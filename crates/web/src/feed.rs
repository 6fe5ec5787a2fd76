//! A calendar file (iCalendar) of sessions: the feeds and a parent's single session.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use mtp_domain::attendance::SessionState;
use mtp_domain::ical::{self, CalEvent};
use mtp_store::calendar::Feed;

pub fn ics(feed: Feed) -> Response {
    let stamp = Utc::now();
    let events: Vec<CalEvent> = feed
        .sessions
        .iter()
        .map(|s| CalEvent {
            uid: format!("{}@meet-the-parents", s.id),
            start: s.starts_at,
            end: s.ends_at,
            summary: s.activity_name.clone(),
            location: [s.place.as_str(), s.address.as_str()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            description: String::new(),
            cancelled: s.state == SessionState::Cancelled,
            sequence: s.sequence,
            stamp,
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=900"),
        ],
        ical::calendar(&feed.name, &events),
    )
        .into_response()
}
