//! From spreadsheet rows to household drafts: the fields we import, how headers are matched to
//! them, and every row's problems in words a worker can act on.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use mtp_domain::consent::ConsentMethod;
use mtp_domain::{
    Channel, ChildBirth, Email, FieldError, HouseholdKind, PersonName, PhoneNumber, Postcode4,
    Source,
};
use mtp_store::imports::{ContactKeys, KnownContacts};
use mtp_store::{ChildDraft, HouseholdDraft, ParentDraft};
use uuid::Uuid;

use crate::i18n::Tr;

/// The fields a sheet can fill, with the header words that point to each (lower case).
pub const FIELDS: &[(&str, &[&str])] = &[
    (
        "first_name",
        &[
            "voornaam",
            "roepnaam",
            "first name",
            "firstname",
            "voornaam ouder",
        ],
    ),
    (
        "last_name",
        &[
            "achternaam",
            "familienaam",
            "last name",
            "lastname",
            "surname",
        ],
    ),
    (
        "full_name",
        &["naam", "name", "naam ouder", "ouder", "volledige naam"],
    ),
    (
        "phone",
        &[
            "telefoon",
            "telefoonnummer",
            "tel",
            "mobiel",
            "gsm",
            "phone",
            "06",
            "nummer",
        ],
    ),
    (
        "email",
        &["e-mail", "email", "mail", "e-mailadres", "emailadres"],
    ),
    (
        "channel",
        &[
            "kanaal",
            "voorkeur",
            "contact via",
            "bereikbaar via",
            "channel",
        ],
    ),
    (
        "kind",
        &["soort", "soort gezin", "gezin", "huishouden", "type"],
    ),
    ("postcode", &["postcode", "pc", "postal code"]),
    ("languages", &["talen", "taal", "languages"]),
    (
        "notes",
        &[
            "notities",
            "opmerkingen",
            "bijzonderheden",
            "notes",
            "notitie",
        ],
    ),
    (
        "child1_name",
        &["kind 1", "kind1", "naam kind 1", "kind 1 naam"],
    ),
    (
        "child1_birth",
        &[
            "geboren kind 1",
            "kind 1 geboren",
            "geboortedatum kind 1",
            "kind 1 geboortedatum",
        ],
    ),
    (
        "child2_name",
        &["kind 2", "kind2", "naam kind 2", "kind 2 naam"],
    ),
    (
        "child2_birth",
        &[
            "geboren kind 2",
            "kind 2 geboren",
            "geboortedatum kind 2",
            "kind 2 geboortedatum",
        ],
    ),
    (
        "child3_name",
        &["kind 3", "kind3", "naam kind 3", "kind 3 naam"],
    ),
    (
        "child3_birth",
        &[
            "geboren kind 3",
            "kind 3 geboren",
            "geboortedatum kind 3",
            "kind 3 geboortedatum",
        ],
    ),
];

/// Guess the mapping from the file's headers: exact words first.
pub fn guess(headers: &[String]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut used = BTreeSet::new();
    for (field, words) in FIELDS {
        let hit = headers.iter().enumerate().find(|(i, h)| {
            let h = h.trim().to_lowercase();
            !used.contains(i) && words.iter().any(|w| *w == h)
        });
        if let Some((i, _)) = hit {
            used.insert(i);
            out.insert((*field).to_string(), i);
        }
    }
    // A single "naam" column holds the full name only when there is no first-name column.
    if out.contains_key("first_name") {
        out.remove("full_name");
    }
    out
}

/// One problem of one row, as shown in the check table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub line: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Index into the data rows → the draft, for rows without problems.
    pub good: Vec<(usize, HouseholdDraft)>,
    pub problems: Vec<Problem>,
    /// Things to ask about that do not stop a row: a family possibly registered in a
    /// neighbourhood out of the importer's reach (only for roles that may hear of it).
    pub notes: Vec<Problem>,
    /// Data row indexes with at least one problem.
    pub bad_rows: BTreeSet<usize>,
    /// What the rows are matched on against the register, to look up before checking again.
    pub keys: ContactKeys,
}

/// "3-2019", "03/2019", "2019-03", "maart 2019", "mrt 2019", "1-3-2019" (the day is dropped).
fn split_birth(raw: &str) -> (String, String) {
    let text = raw.trim().to_lowercase();
    let parts: Vec<&str> = text
        .split(|c: char| c == '-' || c == '/' || c == '.' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [a, b] if a.len() == 4 => (b.to_string(), a.to_string()),
        [a, b] if a.chars().all(|c| c.is_ascii_digit()) => (a.to_string(), b.to_string()),
        [word, year] => {
            let month = mtp_domain::dates::parse_month(word);
            (
                month
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| word.to_string()),
                year.to_string(),
            )
        }
        [_, m, y] if y.len() == 4 => (m.to_string(), y.to_string()),
        [y, m, _] if y.len() == 4 => (m.to_string(), y.to_string()),
        [y] => (String::new(), y.to_string()),
        _ => (String::new(), text.clone()),
    }
}

fn channel(raw: &str) -> Option<Channel> {
    let v = raw.trim().to_lowercase();
    Some(match v.as_str() {
        "whatsapp" | "app" | "wa" | "whats app" | "appen" => Channel::WhatsApp,
        "bellen" | "telefoon" | "tel" | "phone" | "call" => Channel::Phone,
        "sms" | "sms'en" | "text" => Channel::Sms,
        "mail" | "e-mail" | "email" => Channel::Email,
        _ => return None,
    })
}

fn kind(raw: &str) -> Option<HouseholdKind> {
    // Accepts what import-kind-unknown names ("eenoudergezin", "twee ouders", "1", "2",
    // "single-parent", "two-parent") and the words the pages use ("gezin met twee ouders").
    let v = raw.trim().to_lowercase().replace('é', "e");
    let two = ["meer", "twee", "multi", "two", "gezin met twee"];
    let one = ["een", "single", "one", "gezin met een"];
    if v == "2" || two.iter().any(|w| v.starts_with(w)) {
        Some(HouseholdKind::MultiParent)
    } else if v.is_empty() || v == "1" || one.iter().any(|w| v.starts_with(w)) {
        Some(HouseholdKind::SingleParent)
    } else {
        None
    }
}

/// Spreadsheets store "0612345678" as the number 612345678: put the 0 back.
fn phone_text(raw: &str) -> String {
    let t = raw.trim();
    if t.len() == 9 && t.starts_with('6') && t.chars().all(|c| c.is_ascii_digit()) {
        format!("0{t}")
    } else {
        t.to_string()
    }
}

pub struct Context<'a> {
    pub t: &'a Tr,
    pub headers: &'a [String],
    pub mapping: &'a BTreeMap<String, usize>,
    pub neighbourhood_id: Uuid,
    pub consent: ConsentMethod,
    pub known: &'a KnownContacts,
    pub today: NaiveDate,
}

/// Check every row: all of them, so the worker sees every problem at once.
pub fn check(ctx: &Context<'_>, rows: &[Vec<String>]) -> Checked {
    let mut out = Checked::default();
    let mut seen = Seen::default();
    for (i, row) in rows.iter().enumerate() {
        let mut r = Row {
            ctx,
            row,
            line: i + 2,
            problems: Vec::new(),
        };
        let (first, last, name_field) = r.names();
        let (phone, email, chosen) = r.contact();
        let kind_raw = r.get("kind");
        let kind = kind(&kind_raw).or_else(|| {
            r.problem("kind", kind_raw.clone(), r.msg("import-kind-unknown"));
            None
        });
        let pc_raw = r.get("postcode");
        let postcode = Postcode4::parse_optional(&pc_raw)
            .map_err(|e| r.problem("postcode", pc_raw.clone(), r.field_msg(e, "postcode4")))
            .ok();
        let children = r.children();
        let languages: String = r.get("languages").chars().take(200).collect();
        let notes: String = r.get("notes").chars().take(2000).collect();

        let found = Found {
            first: &first,
            last: &last,
            name_field,
            phone: &phone,
            email: &email,
        };
        if let Some(note) = r.duplicates(&found, &mut seen, &mut out.keys) {
            out.notes.push(note);
        }

        match (
            first,
            last,
            phone,
            email,
            chosen,
            kind,
            postcode,
            r.problems.is_empty(),
        ) {
            (
                Some(first_name),
                Some(last_name),
                Some(phone),
                Some(email),
                Some(channel),
                Some(kind),
                Some(postcode4),
                true,
            ) => {
                out.good.push((
                    i,
                    HouseholdDraft {
                        neighbourhood_id: ctx.neighbourhood_id,
                        kind,
                        source: Source::SelfReferral,
                        source_partner: None,
                        postcode4,
                        interests: String::new(),
                        talents: String::new(),
                        notes,
                        parents: vec![ParentDraft {
                            first_name,
                            last_name,
                            phone,
                            email,
                            channel,
                            languages,
                            works: false,
                            free_days: vec![],
                        }],
                        children,
                        data_consent: ctx.consent,
                    },
                ));
            }
            _ => {
                out.bad_rows.insert(i);
                out.problems.extend(r.problems);
            }
        }
    }
    out
}

/// The phones and e-mail addresses of the earlier rows of this file.
#[derive(Default)]
struct Seen {
    phones: BTreeSet<String>,
    emails: BTreeSet<String>,
}

/// What a row says about whom it is, as far as it could be read: what duplicates are matched on.
struct Found<'r> {
    first: &'r Option<PersonName>,
    last: &'r Option<Option<PersonName>>,
    name_field: &'static str,
    phone: &'r Option<Option<PhoneNumber>>,
    email: &'r Option<Option<Email>>,
}

/// One data row being checked, with the problems found in it so far (in the order found).
struct Row<'c, 'r> {
    ctx: &'c Context<'c>,
    row: &'r [String],
    /// The row number as the spreadsheet shows it.
    line: usize,
    problems: Vec<Problem>,
}

impl Row<'_, '_> {
    fn get(&self, field: &str) -> String {
        self.ctx
            .mapping
            .get(field)
            .and_then(|c| self.row.get(*c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    fn col(&self, field: &str) -> String {
        self.ctx
            .mapping
            .get(field)
            .and_then(|c| self.ctx.headers.get(*c))
            .cloned()
            .unwrap_or_default()
    }

    fn problem(&mut self, field: &str, value: String, message: String) {
        let column = self.col(field);
        self.problems.push(Problem {
            line: self.line,
            column,
            value,
            message,
        });
    }

    fn msg(&self, key: &str) -> String {
        self.ctx.t.get(key)
    }

    fn field_msg(&self, e: FieldError, field: &str) -> String {
        let specific = format!("{}-{field}", e.key());
        if self.ctx.t.has(&specific) {
            self.ctx.t.get(specific)
        } else {
            self.ctx.t.get(e.key())
        }
    }

    /// The parent's first and last name, from two columns or from one "full name" column,
    /// and the column a problem with the name is shown under.
    fn names(&mut self) -> (Option<PersonName>, Option<Option<PersonName>>, &'static str) {
        let (first_raw, last_raw) = if self.ctx.mapping.contains_key("first_name") {
            (self.get("first_name"), self.get("last_name"))
        } else {
            let full = self.get("full_name");
            match full.split_once(' ') {
                Some((f, l)) => (f.to_string(), l.trim().to_string()),
                None => (full, String::new()),
            }
        };
        let name_field = if self.ctx.mapping.contains_key("first_name") {
            "first_name"
        } else {
            "full_name"
        };
        let first = PersonName::parse(&first_raw)
            .map_err(|e| {
                let text = self.field_msg(e, "first_name");
                self.problem(name_field, first_raw.clone(), text)
            })
            .ok();
        let last = if last_raw.is_empty() {
            Some(None)
        } else {
            PersonName::parse(&last_raw)
                .map(Some)
                .map_err(|e| {
                    let text = self.field_msg(e, "last_name");
                    self.problem("last_name", last_raw.clone(), text)
                })
                .ok()
        };
        (first, last, name_field)
    }

    /// Phone, e-mail and the channel to use, which needs the phone or address it names.
    #[allow(clippy::type_complexity)]
    fn contact(
        &mut self,
    ) -> (
        Option<Option<PhoneNumber>>,
        Option<Option<Email>>,
        Option<Channel>,
    ) {
        let phone_raw = phone_text(&self.get("phone"));
        let phone = PhoneNumber::parse_optional(&phone_raw)
            .map_err(|e| {
                let text = self.field_msg(e, "phone");
                self.problem("phone", phone_raw.clone(), text)
            })
            .ok();
        let email_raw = self.get("email");
        let email = if email_raw.is_empty() {
            Some(None)
        } else {
            Email::parse(&email_raw)
                .map(Some)
                .map_err(|e| {
                    let text = self.field_msg(e, "email");
                    self.problem("email", email_raw.clone(), text)
                })
                .ok()
        };
        let channel_raw = self.get("channel");
        let chosen = match (channel_raw.is_empty(), &phone, &email) {
            (false, _, _) => channel(&channel_raw).or_else(|| {
                let text = self.msg("import-channel-unknown");
                self.problem("channel", channel_raw.clone(), text);
                None
            }),
            (true, Some(Some(_)), _) => Some(Channel::WhatsApp),
            (true, _, Some(Some(_))) => Some(Channel::Email),
            (true, Some(None), Some(None)) => {
                let text = self.msg("import-no-contact");
                self.problem("phone", String::new(), text);
                None
            }
            _ => None,
        };
        if let (Some(c), Some(p), Some(e)) = (chosen, &phone, &email) {
            if matches!(c, Channel::WhatsApp | Channel::Phone | Channel::Sms) && p.is_none() {
                let text = self.msg("error-phone-needed-for-channel");
                self.problem("phone", String::new(), text);
            }
            if c == Channel::Email && e.is_none() {
                let text = self.msg("error-email-needed-for-channel");
                self.problem("email", String::new(), text);
            }
        }
        (phone, email, chosen)
    }

    /// Up to three children; a child with a problem is left out (the row then is not taken).
    fn children(&mut self) -> Vec<ChildDraft> {
        let mut children = Vec::new();
        for n in 1..=3 {
            let name = self.get(&format!("child{n}_name"));
            let birth = self.get(&format!("child{n}_birth"));
            if name.is_empty() && birth.is_empty() {
                continue;
            }
            let child_name = PersonName::parse(&name)
                .map_err(|e| {
                    let text = self.field_msg(e, "first_name");
                    self.problem(&format!("child{n}_name"), name.clone(), text)
                })
                .ok();
            let (m, y) = split_birth(&birth);
            match ChildBirth::parse(&m, &y, self.ctx.today) {
                Ok(b) => {
                    if let Some(first_name) = child_name {
                        children.push(ChildDraft {
                            first_name,
                            birth: b,
                        });
                    }
                }
                Err(errs) => {
                    for (_, e) in errs.into_iter().take(1) {
                        let text = match e {
                            FieldError::ChildTooOld => self.field_msg(e, "year"),
                            _ => self.msg("import-birth-invalid"),
                        };
                        self.problem(&format!("child{n}_birth"), birth.clone(), text);
                    }
                }
            }
        }
        children
    }

    /// Duplicates: of a household we already have within reach, or of an earlier row in
    /// this file. A match out of reach is at most a note without any detail, and only the
    /// store's `known.elsewhere` (empty for a worker) can give one.
    fn duplicates(
        &mut self,
        found: &Found<'_>,
        seen: &mut Seen,
        keys: &mut ContactKeys,
    ) -> Option<Problem> {
        let known = self.ctx.known;
        let mut elsewhere: Option<(&str, String)> = None;
        if let Some(Some(p)) = found.phone {
            keys.phones.insert(p.e164().to_string());
            if known.reach.phones.contains(p.e164()) {
                let text = self.msg("import-duplicate-existing");
                self.problem("phone", p.display(), text);
            } else if !seen.phones.insert(p.e164().to_string()) {
                let text = self.msg("import-duplicate-in-file");
                self.problem("phone", p.display(), text);
            } else if known.elsewhere.phones.contains(p.e164()) {
                elsewhere = elsewhere.or(Some(("phone", p.display())));
            }
        }
        if let Some(Some(e)) = found.email {
            keys.emails.insert(e.as_str().to_string());
            if known.reach.emails.contains(e.as_str()) {
                let text = self.msg("import-duplicate-existing");
                self.problem("email", e.as_str().to_string(), text);
            } else if !seen.emails.insert(e.as_str().to_string()) {
                let text = self.msg("import-duplicate-in-file");
                self.problem("email", e.as_str().to_string(), text);
            } else if known.elsewhere.emails.contains(e.as_str()) {
                elsewhere = elsewhere.or(Some(("email", e.as_str().to_string())));
            }
        }
        if let (Some(f), Some(Some(l))) = (found.first, found.last) {
            keys.names
                .insert((f.as_str().to_string(), l.as_str().to_string()));
            let full = format!("{} {}", f.as_str(), l.as_str()).to_lowercase();
            if known.reach.names.contains(&full) {
                let text = self.msg("import-duplicate-existing");
                self.problem(found.name_field, full, text);
            } else if known.elsewhere.names.contains(&full) {
                elsewhere = elsewhere.or(Some((found.name_field, full)));
            }
        }
        // The sheet's own value, said once per row: nothing about whom or where.
        elsewhere.map(|(field, value)| Problem {
            line: self.line,
            column: self.col(field),
            value,
            message: self.msg("import-maybe-elsewhere"),
        })
    }
}

/// A CSV cell that a spreadsheet will not run as a formula (OWASP "CSV injection").
/// Borrowed unless it has to change: an export writes tens of thousands of cells.
pub fn csv_safe(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_to_fields() {
        let h: Vec<String> = [
            "Voornaam",
            "Achternaam",
            "Mobiel",
            "E-mail",
            "Postcode",
            "Kind 1",
            "Geboren kind 1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = guess(&h);
        assert_eq!(m.get("first_name"), Some(&0));
        assert_eq!(m.get("phone"), Some(&2));
        assert_eq!(m.get("child1_birth"), Some(&6));
        assert!(!m.contains_key("full_name"));
    }

    #[test]
    fn every_kind_the_error_message_names_is_accepted() {
        // The message import-kind-unknown tells the worker what to write: each of those must pass.
        for raw in ["eenoudergezin", "1", "single-parent", "Eén ouder"] {
            assert_eq!(kind(raw), Some(HouseholdKind::SingleParent), "{raw}");
        }
        for raw in [
            "twee ouders",
            "2",
            "two-parent",
            "Gezin met twee ouders",
            "meeroudergezin",
        ] {
            assert_eq!(kind(raw), Some(HouseholdKind::MultiParent), "{raw}");
        }
        assert_eq!(kind("drie"), None);
    }

    #[test]
    fn birth_months_are_read_in_the_ways_people_write_them() {
        for (raw, want) in [
            ("3-2019", ("3", "2019")),
            ("03/2019", ("03", "2019")),
            ("2019-03", ("03", "2019")),
            ("maart 2019", ("3", "2019")),
            ("mrt 2019", ("3", "2019")),
            ("12-03-2019", ("03", "2019")),
            ("2019", ("", "2019")),
        ] {
            assert_eq!(
                split_birth(raw),
                (want.0.to_string(), want.1.to_string()),
                "{raw}"
            );
        }
    }

    #[test]
    fn a_lost_leading_zero_of_a_mobile_number_is_put_back() {
        assert_eq!(phone_text("612345678"), "0612345678");
        assert_eq!(phone_text("06-12345678"), "06-12345678");
    }

    #[test]
    fn formulas_are_defused_in_csv_downloads() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("Sanne"), "Sanne");
        assert_eq!(csv_safe("+31 6"), "'+31 6");
    }
}
