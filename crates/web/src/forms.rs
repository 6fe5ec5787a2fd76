//! Form bodies and the errors shown on them (docs/ui.md §2.5).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mtp_domain::FieldError;
use mtp_domain::fields::clean_text;

use crate::error::AppError;
use crate::i18n::Tr;

/// A url-encoded form body. Repeated names (checkbox groups) are kept in order.
#[derive(Debug, Clone, Default)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> FormData {
        FormData(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (clean_text(&k).into_owned(), clean_text(&v).into_owned()))
                .collect(),
        )
    }

    /// The first value of a field, or "" when it was not sent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every name and value, in the order sent.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest)?;
        Ok(FormData::parse(&bytes))
    }
}

/// The errors of one submitted form: field id and message, in the order of the form.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &str, message: String) {
        if self.get(field).is_none() {
            self.0.push((field.to_string(), message));
        }
    }

    pub fn field(&mut self, t: &Tr, field: &str, e: FieldError) {
        // A message for this very field ("Vul je e-mailadres in") reads better than the
        // generic one; the generic one is the fallback.
        // Repeated groups ("p0_first_name", "c2_year") share the message of their base name.
        let base = field
            .split_once('_')
            .filter(|(prefix, _)| {
                prefix.len() >= 2 && prefix[1..].chars().all(|c| c.is_ascii_digit())
            })
            .map(|(_, rest)| rest)
            .unwrap_or(field);
        let key = [
            format!("{}-{field}", e.key()),
            format!("{}-{base}", e.key()),
        ]
        .into_iter()
        .find(|k| t.has(k))
        .unwrap_or_else(|| e.key().to_string());
        self.add(field, t.get(key));
    }

    /// A free-text field, trimmed; longer than `max` characters is an error at the field.
    pub fn text(&mut self, t: &Tr, f: &FormData, field: &str, max: usize) -> String {
        let v = f.get(field).trim();
        if v.chars().count() > max {
            self.field(t, field, FieldError::TooLong);
        }
        v.to_string()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn list(&self) -> &[(String, String)] {
        &self.0
    }

    /// Keep a parsed value, or record the field's message.
    /// Every field error a domain parser named, each at its field.
    pub fn fields(&mut self, t: &Tr, errors: Vec<(&'static str, FieldError)>) {
        for (field, e) in errors {
            self.field(t, field, e);
        }
    }

    /// A refusal of the store that belongs at a field of the form (its message key); any
    /// other store error passes on.
    pub fn refused(
        &mut self,
        t: &Tr,
        field: &str,
        err: mtp_store::StoreError,
    ) -> Result<(), AppError> {
        match err {
            mtp_store::StoreError::Refused(key) => {
                self.add(field, t.get(key));
                Ok(())
            }
            other => Err(other.into()),
        }
    }

    /// An id chosen in a list (`field`): empty is "required"; not an id, or one `allowed`
    /// refuses (not in the user's reach), is "not one of the choices", at the field.
    pub fn choice(
        &mut self,
        t: &Tr,
        f: &FormData,
        field: &str,
        allowed: impl FnOnce(uuid::Uuid) -> bool,
    ) -> Option<uuid::Uuid> {
        let raw = f.get(field).trim();
        if raw.is_empty() {
            self.field(t, field, FieldError::Required);
            return None;
        }
        match uuid::Uuid::parse_str(raw) {
            Ok(id) if allowed(id) => Some(id),
            _ => {
                self.field(t, field, FieldError::ChoiceInvalid);
                None
            }
        }
    }

    pub fn take<T>(&mut self, t: &Tr, field: &str, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.field(t, field, e);
                None
            }
        }
    }
}

/// A form shown again with its errors: 422 (docs/ui.md §2.5).
pub fn unprocessable(page: Response) -> Response {
    let mut res = page.into_response();
    if res.status() == StatusCode::OK {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// Middleware: query strings get the same cleaning as form bodies ([`clean_text`]), so
/// every `Query<…>` extractor sees clean text. A query without control characters (all of
/// them, in practice) passes untouched.
pub async fn clean_query(mut req: Request, next: axum::middleware::Next) -> Response {
    if let Some(query) = req.uri().query()
        && url::form_urlencoded::parse(query.as_bytes())
            .any(|(k, v)| clean_text(&k).len() != k.len() || clean_text(&v).len() != v.len())
    {
        let cleaned: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                url::form_urlencoded::parse(query.as_bytes())
                    .map(|(k, v)| (clean_text(&k).into_owned(), clean_text(&v).into_owned())),
            )
            .finish();
        let uri = format!("{}?{cleaned}", req.uri().path());
        match uri.parse() {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => return AppError::BadRequest.into_response(),
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_arrive_without_control_characters() {
        let f = FormData::parse(b"q=San%00ne&note=een%0D%0Atwee&p%00=x");
        assert_eq!(f.get("q"), "Sanne");
        assert_eq!(f.get("note"), "een\ntwee");
        assert_eq!(f.get("p"), "x");
    }
}
