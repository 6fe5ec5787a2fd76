//! Messages to parents: templates with placeholders, links that open WhatsApp, the phone or
//! the mail app with the text filled in, the chat group's message budget, and what came of a
//! contact moment.
//!
//! We never send messages ourselves. The worker sends them from their own phone, as the
//! handbook's workers do (§3.3: "encouraging the participants to come (WhatsApp group) …
//! a personal encouragement (WhatsApp or a call)"). The links only save typing.

use thiserror::Error;

use crate::activity::ActivityKind;
use crate::attendance::AbsenceReason;
use crate::contact::PhoneNumber;
use crate::encourage::{Reason, Rsvp};
use crate::fields::{Email, FieldError};
use crate::household::Channel;
use crate::settings::Language;

/// What a template can fill in. The set is small on purpose: enough for "who, what, when,
/// where, from whom", and each one is something the worker can see on the session page.
///
/// In a template a placeholder is written in braces, in English or in Dutch:
/// `{first_name}` or `{voornaam}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// The parent's first name: "Sanne".
    FirstName,
    /// The activity's name: "Koffie-uurtje".
    Activity,
    /// The day of the week: "woensdag" / "Wednesday".
    Day,
    /// Day and month: "4 december" / "4 December".
    Date,
    /// Start and end: "09:30–11:00".
    Time,
    /// Where: "Buurthuis De Linde".
    Place,
    /// The worker's first name, to sign with.
    Worker,
}

impl Placeholder {
    pub const ALL: [Placeholder; 7] = [
        Placeholder::FirstName,
        Placeholder::Activity,
        Placeholder::Day,
        Placeholder::Date,
        Placeholder::Time,
        Placeholder::Place,
        Placeholder::Worker,
    ];

    /// The English name, also the stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Placeholder::FirstName => "first_name",
            Placeholder::Activity => "activity",
            Placeholder::Day => "day",
            Placeholder::Date => "date",
            Placeholder::Time => "time",
            Placeholder::Place => "place",
            Placeholder::Worker => "worker",
        }
    }

    /// The Dutch name, so that a Dutch worker can write `{voornaam}`.
    pub fn nl(self) -> &'static str {
        match self {
            Placeholder::FirstName => "voornaam",
            Placeholder::Activity => "activiteit",
            Placeholder::Day => "dag",
            Placeholder::Date => "datum",
            Placeholder::Time => "tijd",
            Placeholder::Place => "plek",
            Placeholder::Worker => "wijkwerker",
        }
    }

    /// The name in the given language, as the template editor's help lists it.
    pub fn name_in(self, lang: Language) -> &'static str {
        match lang.texts() {
            Language::Nl => self.nl(),
            _ => self.as_str(),
        }
    }

    /// The Fluent key of the line that explains the placeholder in the editor.
    pub fn key(self) -> &'static str {
        match self {
            Placeholder::FirstName => "placeholder-first_name",
            Placeholder::Activity => "placeholder-activity",
            Placeholder::Day => "placeholder-day",
            Placeholder::Date => "placeholder-date",
            Placeholder::Time => "placeholder-time",
            Placeholder::Place => "placeholder-place",
            Placeholder::Worker => "placeholder-worker",
        }
    }

    /// Either name, ignoring case and spaces around it: `{ Voornaam }` works too.
    pub fn parse(raw: &str) -> Option<Placeholder> {
        let name = raw.trim().to_lowercase();
        Placeholder::ALL
            .into_iter()
            .find(|p| p.as_str() == name || p.nl() == name)
    }
}

/// Why a template was refused, or could not be filled in.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    #[error("empty")]
    Empty,
    #[error("too-long")]
    TooLong,
    /// The name between braces is not one we know; it carries the name as typed, so the
    /// message can say which one.
    #[error("unknown placeholder {{{0}}}")]
    UnknownPlaceholder(String),
    /// A `{` without its `}` or the other way round.
    #[error("unbalanced braces")]
    UnbalancedBraces,
    /// A control character other than a line break or tab, e.g. from a paste.
    #[error("invalid character")]
    InvalidCharacter,
    /// Rendering found no value for a placeholder the template uses.
    #[error("no value for {{{}}}", .0.as_str())]
    MissingValue(Placeholder),
}

impl TemplateError {
    /// The Fluent key of the message. Empty and too long share the general field messages;
    /// `UnknownPlaceholder` passes the name as `$name`, `MissingValue` the placeholder's
    /// name in the user's language.
    pub fn key(&self) -> &'static str {
        match self {
            TemplateError::Empty => FieldError::Required.key(),
            TemplateError::TooLong => FieldError::TooLong.key(),
            TemplateError::UnknownPlaceholder(_) => "error-template-unknown-placeholder",
            TemplateError::UnbalancedBraces => "error-template-unbalanced-braces",
            TemplateError::InvalidCharacter => "error-template-invalid-character",
            TemplateError::MissingValue(_) => "error-template-missing-value",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Slot(Placeholder),
}

/// A message text with placeholders, checked when it is saved so that it never fails when a
/// worker taps *WhatsApp sturen*.
///
/// Braces are for placeholders only; write `{{` or `}}` for a brace itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    parts: Vec<Part>,
}

/// Longest name between braces we still read as a placeholder. Anything longer is a brace
/// that lost its partner, and the message says so rather than quoting a whole sentence.
const MAX_PLACEHOLDER_CHARS: usize = 30;

impl Template {
    /// A WhatsApp message should fit on a phone screen; this leaves room for a long one.
    pub const MAX_CHARS: usize = 1000;

    /// Trims the text, turns Windows line breaks (from a form's textarea) into plain ones,
    /// and checks every placeholder.
    pub fn parse(raw: &str) -> Result<Template, TemplateError> {
        let text = raw.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        if text.is_empty() {
            return Err(TemplateError::Empty);
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(TemplateError::TooLong);
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(TemplateError::InvalidCharacter);
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '}' => return Err(TemplateError::UnbalancedBraces),
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('{' | '\n') | None => return Err(TemplateError::UnbalancedBraces),
                            Some(c) => name.push(c),
                        }
                        if name.chars().count() > MAX_PLACEHOLDER_CHARS {
                            return Err(TemplateError::UnbalancedBraces);
                        }
                    }
                    let slot = Placeholder::parse(&name).ok_or_else(|| {
                        TemplateError::UnknownPlaceholder(name.trim().to_string())
                    })?;
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Slot(slot));
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template {
            text: text.to_string(),
            parts,
        })
    }

    /// The text as saved, with the placeholders as the worker wrote them.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The placeholders the template uses, each once, in order of first use.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let mut seen = Vec::new();
        for part in &self.parts {
            if let Part::Slot(p) = part
                && !seen.contains(p)
            {
                seen.push(*p);
            }
        }
        seen
    }

    /// The message with every placeholder filled in. A placeholder without a value is an
    /// error rather than a gap: "Hoi , …" is worse than no message.
    pub fn render(&self, values: &Values) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(self.text.len() + 64);
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Slot(p) => {
                    out.push_str(values.get(*p).ok_or(TemplateError::MissingValue(*p))?)
                }
            }
        }
        Ok(out)
    }

    /// The text we start with for a purpose and language, until the organisation writes its
    /// own. Each one is a few short sentences in plain language (B1), uses "je", ends with
    /// the practical facts on their own lines, and is signed by the worker.
    pub fn default_for(purpose: TemplatePurpose, lang: Language) -> Template {
        let text = default_text(purpose, lang);
        // The defaults are constants and a test parses every one; the fallback is unreachable
        // but keeps this infallible without a panic.
        Template::parse(text).unwrap_or_else(|_| Template {
            text: text.to_string(),
            parts: vec![Part::Text(text.to_string())],
        })
    }
}

fn default_text(purpose: TemplatePurpose, lang: Language) -> &'static str {
    match (purpose, lang.texts()) {
        (TemplatePurpose::CoffeeHour, Language::Nl) => {
            "Hoi {voornaam}, {dag} is er weer koffie-uurtje. Kom je ook? Je bent van harte welkom.\n\
             {dag} {datum}, {tijd}\n{plek}\nGroet, {wijkwerker}"
        }
        (TemplatePurpose::CoffeeHour, _) => {
            "Hi {first_name}, there is a coffee hour again on {day}. Will you come too? You are very welcome.\n\
             {day} {date}, {time}\n{place}\nBest wishes, {worker}"
        }
        (TemplatePurpose::Outing, Language::Nl) => {
            "Hoi {voornaam}, we gaan samen een dagje uit: {activiteit}. Ga je mee met de kinderen? Laat je het me even weten?\n\
             {dag} {datum}, {tijd}\n{plek}\nGroet, {wijkwerker}"
        }
        (TemplatePurpose::Outing, _) => {
            "Hi {first_name}, we are going on a day out together: {activity}. Will you and the children come along? Please let me know.\n\
             {day} {date}, {time}\n{place}\nBest wishes, {worker}"
        }
        (TemplatePurpose::Workshop, Language::Nl) => {
            "Hoi {voornaam}, er is een workshop: {activiteit}. Doe je mee? Laat je het me even weten?\n\
             {dag} {datum}, {tijd}\n{plek}\nGroet, {wijkwerker}"
        }
        (TemplatePurpose::Workshop, _) => {
            "Hi {first_name}, there is a workshop: {activity}. Would you like to join? Please let me know.\n\
             {day} {date}, {time}\n{place}\nBest wishes, {worker}"
        }
        (TemplatePurpose::Reminder, Language::Nl) => {
            "Hoi {voornaam}, denk je aan {activiteit}? Je bent van harte welkom.\n\
             {dag} {datum}, {tijd}\n{plek}\nGroet, {wijkwerker}"
        }
        (TemplatePurpose::Reminder, _) => {
            "Hi {first_name}, just a reminder of {activity}. You are very welcome.\n\
             {day} {date}, {time}\n{place}\nBest wishes, {worker}"
        }
        (TemplatePurpose::WeMissedYou, Language::Nl) => {
            "Hoi {voornaam}, ik heb je een tijdje niet gezien. Hoe gaat het met je? Ik vind het fijn als je weer komt.\n\
             {activiteit}: {dag} {datum}, {tijd}\n{plek}\nGroet, {wijkwerker}"
        }
        (TemplatePurpose::WeMissedYou, _) => {
            "Hi {first_name}, I have not seen you for a while. How are you? It would be nice to see you again.\n\
             {activity}: {day} {date}, {time}\n{place}\nBest wishes, {worker}"
        }
        (TemplatePurpose::GroupPost, Language::Nl) => {
            "Hoi allemaal, {dag} is er weer {activiteit}. Wie komt er ook? Iedereen is welkom.\n\
             {dag} {datum}, {tijd}\n{plek}\nGroet, {wijkwerker}"
        }
        (TemplatePurpose::GroupPost, _) => {
            "Hi everyone, {activity} is on again on {day}. Who is coming? Everyone is welcome.\n\
             {day} {date}, {time}\n{place}\nBest wishes, {worker}"
        }
    }
}

/// The values to fill in; set only those a template needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values([Option<String>; 7]);

impl Values {
    pub fn new() -> Values {
        Values::default()
    }

    /// Sets a value, trimmed. An empty value counts as no value.
    pub fn set(&mut self, p: Placeholder, value: &str) {
        let value = value.trim();
        self.0[Self::index(p)] = (!value.is_empty()).then(|| value.to_string());
    }

    /// [`Values::set`] for building in one expression.
    pub fn with(mut self, p: Placeholder, value: &str) -> Values {
        self.set(p, value);
        self
    }

    pub fn get(&self, p: Placeholder) -> Option<&str> {
        self.0[Self::index(p)].as_deref()
    }

    fn index(p: Placeholder) -> usize {
        match p {
            Placeholder::FirstName => 0,
            Placeholder::Activity => 1,
            Placeholder::Day => 2,
            Placeholder::Date => 3,
            Placeholder::Time => 4,
            Placeholder::Place => 5,
            Placeholder::Worker => 6,
        }
    }
}

/// What a message is for; each has its own default text per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplatePurpose {
    /// The weekly invitation to the coffee hour.
    CoffeeHour,
    Outing,
    Workshop,
    /// Any other activity: movement, the lifestyle programme, a holiday activity.
    Reminder,
    /// For a parent who has stayed away: no reproach, only "how are you, you are welcome".
    WeMissedYou,
    /// A post in the chat group, so without a first name.
    GroupPost,
}

impl TemplatePurpose {
    pub const ALL: [TemplatePurpose; 6] = [
        TemplatePurpose::CoffeeHour,
        TemplatePurpose::Outing,
        TemplatePurpose::Workshop,
        TemplatePurpose::Reminder,
        TemplatePurpose::WeMissedYou,
        TemplatePurpose::GroupPost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TemplatePurpose::CoffeeHour => "coffee_hour",
            TemplatePurpose::Outing => "outing",
            TemplatePurpose::Workshop => "workshop",
            TemplatePurpose::Reminder => "reminder",
            TemplatePurpose::WeMissedYou => "we_missed_you",
            TemplatePurpose::GroupPost => "group_post",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            TemplatePurpose::CoffeeHour => "template-purpose-coffee_hour",
            TemplatePurpose::Outing => "template-purpose-outing",
            TemplatePurpose::Workshop => "template-purpose-workshop",
            TemplatePurpose::Reminder => "template-purpose-reminder",
            TemplatePurpose::WeMissedYou => "template-purpose-we_missed_you",
            TemplatePurpose::GroupPost => "template-purpose-group_post",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        TemplatePurpose::ALL
            .into_iter()
            .find(|p| p.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }

    /// The invitation that fits an activity.
    pub fn for_activity(kind: ActivityKind) -> TemplatePurpose {
        match kind {
            ActivityKind::CoffeeHourExclusive | ActivityKind::CoffeeHourOpen => {
                TemplatePurpose::CoffeeHour
            }
            ActivityKind::Outing => TemplatePurpose::Outing,
            ActivityKind::Workshop => TemplatePurpose::Workshop,
            ActivityKind::ChatGroup => TemplatePurpose::GroupPost,
            ActivityKind::Movement | ActivityKind::Lifestyle | ActivityKind::Holiday => {
                TemplatePurpose::Reminder
            }
        }
    }

    /// The message a worklist card starts with: "we missed you" for a parent who has stayed
    /// away for a while (at risk, or a regular who missed), else the activity's invitation.
    pub fn for_worklist(kind: ActivityKind, reasons: &[Reason]) -> TemplatePurpose {
        let stayed_away = reasons
            .iter()
            .any(|r| matches!(r, Reason::AbsentInARow(_) | Reason::RegularMissedLastTwo));
        if stayed_away {
            TemplatePurpose::WeMissedYou
        } else {
            TemplatePurpose::for_activity(kind)
        }
    }
}

/// Percent-encodes everything outside RFC 3986's unreserved characters (`A–Z a–z 0–9 - . _
/// ~`), byte by byte in UTF-8. Stricter than needed in a query, and so safe in every part of
/// every link below: a space is `%20` (never `+`, which WhatsApp would show), a line break
/// `%0A`, `€` is `%E2%82%AC`.
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Opens a WhatsApp chat with the parent, the message filled in: `https://wa.me/<E.164 digits
/// without +>?text=<message>`. The worker still taps send. Without text, the chat opens empty.
pub fn whatsapp_link(phone: &PhoneNumber, text: &str) -> String {
    with_query(format!("https://wa.me/{}", phone.wa_digits()), "text", text)
}

/// Opens WhatsApp's "send to …" chooser with the message filled in, to post in the chat
/// group: `https://wa.me/?text=<message>`.
pub fn whatsapp_share_link(text: &str) -> String {
    with_query("https://wa.me/".to_string(), "text", text)
}

/// Calls the number: `tel:+31612345678`. Also works from a desk phone's softphone.
pub fn tel_link(phone: &PhoneNumber) -> String {
    format!("tel:{}", phone.e164())
}

/// Opens a text message with the body filled in: `sms:+31612345678?body=<message>`
/// (RFC 5724; Android and current iOS both read `?body=`).
pub fn sms_link(phone: &PhoneNumber, body: &str) -> String {
    with_query(format!("sms:{}", phone.e164()), "body", body)
}

/// Opens an e-mail with subject and body filled in (RFC 6068). The address is encoded too:
/// an e-mail address may hold `?` or `%`, which would otherwise break the link.
pub fn mailto_link(to: &Email, subject: &str, body: &str) -> String {
    let (local, domain) = to.as_str().split_once('@').unwrap_or((to.as_str(), ""));
    let mut link = format!(
        "mailto:{}@{}",
        percent_encode(local),
        percent_encode(domain)
    );
    let mut sep = '?';
    for (name, value) in [("subject", subject), ("body", body)] {
        if !value.is_empty() {
            link.push(sep);
            link.push_str(name);
            link.push('=');
            link.push_str(&percent_encode(value));
            sep = '&';
        }
    }
    link
}

fn with_query(mut base: String, name: &str, value: &str) -> String {
    if !value.is_empty() {
        base.push('?');
        base.push_str(name);
        base.push('=');
        base.push_str(&percent_encode(value));
    }
    base
}

/// How many posts a week the worker aims for in the chat group.
///
/// Handbook §3.3: "Too much communication via WhatsApp can make participants decide to drop out
/// and leave the group. This is a risk." The budget makes the worker pause before one post too
/// many; it never stops them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WeeklyBudget(u32);

impl WeeklyBudget {
    pub const DEFAULT: WeeklyBudget = WeeklyBudget(3);
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 50;

    /// From the settings form: a whole number from 1 to 50. Empty is `Required`, anything else
    /// `NumberInvalid`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        if !text.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::NumberInvalid);
        }
        text.parse::<u32>()
            .ok()
            .filter(|n| (Self::MIN..=Self::MAX).contains(n))
            .map(WeeklyBudget)
            .ok_or(FieldError::NumberInvalid)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for WeeklyBudget {
    fn default() -> Self {
        WeeklyBudget::DEFAULT
    }
}

/// Whether one more post would go over the budget: the group already had `weekly_budget`
/// posts (or more) in the last seven days. With a budget of 3, the third post is fine and the
/// fourth gets the warning.
pub fn over_budget(posts_in_last_7_days: u32, weekly_budget: u32) -> bool {
    posts_in_last_7_days >= weekly_budget
}

/// How many posts are left this week before the budget is reached (for "Je kunt deze week nog
/// 1 bericht sturen").
pub fn posts_left(posts_in_last_7_days: u32, weekly_budget: u32) -> u32 {
    weekly_budget.saturating_sub(posts_in_last_7_days)
}

/// How the worker reached (or tried to reach) the parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactChannel {
    WhatsApp,
    Phone,
    Sms,
    Email,
    /// At the school gate, in the shop, at a session.
    InPerson,
}

impl ContactChannel {
    pub const ALL: [ContactChannel; 5] = [
        ContactChannel::WhatsApp,
        ContactChannel::Phone,
        ContactChannel::Sms,
        ContactChannel::Email,
        ContactChannel::InPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::WhatsApp => "whatsapp",
            ContactChannel::Phone => "phone",
            ContactChannel::Sms => "sms",
            ContactChannel::Email => "email",
            ContactChannel::InPerson => "in_person",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ContactChannel::WhatsApp => "contact-channel-whatsapp",
            ContactChannel::Phone => "contact-channel-phone",
            ContactChannel::Sms => "contact-channel-sms",
            ContactChannel::Email => "contact-channel-email",
            ContactChannel::InPerson => "contact-channel-in_person",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        ContactChannel::ALL
            .into_iter()
            .find(|c| c.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// The parent's preferred channel is one way of contact; meeting in person is the other.
impl From<Channel> for ContactChannel {
    fn from(c: Channel) -> Self {
        match c {
            Channel::WhatsApp => ContactChannel::WhatsApp,
            Channel::Phone => ContactChannel::Phone,
            Channel::Sms => ContactChannel::Sms,
            Channel::Email => ContactChannel::Email,
        }
    }
}

/// What came of a contact moment, as the worker records it under a worklist card (*Komt*,
/// *Komt misschien*, *Komt niet*, *Niet bereikt*, *Later nog eens*), plus *Heeft hulp nodig*
/// for a parent who raised something to talk about one to one (§3.3: "some topics raised in
/// the group you discuss one to one").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactOutcome {
    Coming,
    Maybe,
    NotComing(Option<AbsenceReason>),
    /// No answer, voicemail, message not read.
    NotReached,
    /// The worker will try again before the session.
    TryLater,
    NeedsHelp,
}

impl ContactOutcome {
    /// One of each, for the radio buttons; `NotComing`'s reason is a separate field.
    pub const CHOICES: [ContactOutcome; 6] = [
        ContactOutcome::Coming,
        ContactOutcome::Maybe,
        ContactOutcome::NotComing(None),
        ContactOutcome::NotReached,
        ContactOutcome::TryLater,
        ContactOutcome::NeedsHelp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactOutcome::Coming => "coming",
            ContactOutcome::Maybe => "maybe",
            ContactOutcome::NotComing(_) => "not_coming",
            ContactOutcome::NotReached => "not_reached",
            ContactOutcome::TryLater => "try_later",
            ContactOutcome::NeedsHelp => "needs_help",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ContactOutcome::Coming => "contact-outcome-coming",
            ContactOutcome::Maybe => "contact-outcome-maybe",
            ContactOutcome::NotComing(_) => "contact-outcome-not_coming",
            ContactOutcome::NotReached => "contact-outcome-not_reached",
            ContactOutcome::TryLater => "contact-outcome-try_later",
            ContactOutcome::NeedsHelp => "contact-outcome-needs_help",
        }
    }

    /// From the form: the outcome, and the reason field that only "not coming" reads (empty
    /// means no reason given; with another outcome it is ignored, as a hidden select may still
    /// send a value).
    pub fn parse(outcome: &str, reason: &str) -> Result<Self, FieldError> {
        let kind = ContactOutcome::CHOICES
            .into_iter()
            .find(|o| o.as_str() == outcome.trim())
            .ok_or(FieldError::ChoiceInvalid)?;
        match kind {
            ContactOutcome::NotComing(_) if !reason.trim().is_empty() => {
                AbsenceReason::parse(reason).map(|r| ContactOutcome::NotComing(Some(r)))
            }
            other => Ok(other),
        }
    }

    pub fn reason(self) -> Option<AbsenceReason> {
        match self {
            ContactOutcome::NotComing(r) => r,
            _ => None,
        }
    }

    /// The answer for the session, when the parent gave one: a worker's "she is coming" counts
    /// as the parent's own RSVP. "Maybe" is no answer yet.
    pub fn rsvp(self) -> Option<Rsvp> {
        match self {
            ContactOutcome::Coming => Some(Rsvp::Coming),
            ContactOutcome::NotComing(r) => Some(Rsvp::NotComing(r)),
            _ => None,
        }
    }

    /// Whether the card is done for this session. Only "try later" keeps it open; "not
    /// reached" is done, because the worker tried.
    pub fn is_done(self) -> bool {
        self != ContactOutcome::TryLater
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(raw: &str) -> PhoneNumber {
        let Ok(p) = PhoneNumber::parse(raw) else {
            panic!("{raw} is a phone number")
        };
        p
    }

    fn template(text: &str) -> Template {
        Template::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn wednesday_coffee(lang: Language) -> Values {
        let (day, date) = match lang.texts() {
            Language::Nl => ("woensdag", "4 december"),
            _ => ("Wednesday", "4 December"),
        };
        Values::new()
            .with(Placeholder::FirstName, "Sanne")
            .with(Placeholder::Activity, "Koffie-uurtje")
            .with(Placeholder::Day, day)
            .with(Placeholder::Date, date)
            .with(Placeholder::Time, "09:30–11:00")
            .with(Placeholder::Place, "Buurthuis De Linde")
            .with(Placeholder::Worker, "Marieke")
    }

    #[test]
    fn a_template_fills_in_its_placeholders() {
        let t = template("Hoi {first_name}, {day} is er weer koffie-uurtje om {time}.");
        assert_eq!(
            t.render(&wednesday_coffee(Language::Nl)),
            Ok("Hoi Sanne, woensdag is er weer koffie-uurtje om 09:30–11:00.".to_string())
        );
        assert_eq!(
            t.placeholders(),
            [Placeholder::FirstName, Placeholder::Day, Placeholder::Time]
        );
    }

    #[test]
    fn dutch_workers_can_write_dutch_placeholder_names() {
        let t = template("Hoi { Voornaam }, tot {dag} in {plek}. {wijkwerker}");
        assert_eq!(
            t.render(&wednesday_coffee(Language::Nl)),
            Ok("Hoi Sanne, tot woensdag in Buurthuis De Linde. Marieke".to_string())
        );
        assert_eq!(
            t.as_str(),
            "Hoi { Voornaam }, tot {dag} in {plek}. {wijkwerker}"
        );
    }

    #[test]
    fn an_unknown_placeholder_is_refused_by_name() {
        assert_eq!(
            Template::parse("Hoi {naam}, tot woensdag"),
            Err(TemplateError::UnknownPlaceholder("naam".to_string()))
        );
        assert_eq!(
            Template::parse("Hoi {}"),
            Err(TemplateError::UnknownPlaceholder(String::new()))
        );
        assert_eq!(
            TemplateError::UnknownPlaceholder("naam".into()).to_string(),
            "unknown placeholder {naam}"
        );
    }

    #[test]
    fn unbalanced_braces_are_refused() {
        for bad in [
            "Hoi {first_name, tot woensdag",
            "Hoi first_name}, tot woensdag",
            "Hoi {first_{name}}",
            "Hoi {first_name",
            "Hoi {\nfirst_name}",
            "Hoi { dit is geen placeholder maar een hele zin zonder einde }",
        ] {
            assert_eq!(
                Template::parse(bad),
                Err(TemplateError::UnbalancedBraces),
                "{bad}"
            );
        }
    }

    #[test]
    fn double_braces_write_a_brace_itself() {
        let t = template("{{koffie}} om {time}}}");
        assert_eq!(
            t.render(&wednesday_coffee(Language::Nl)),
            Ok("{koffie} om 09:30–11:00}".to_string())
        );
    }

    #[test]
    fn a_template_is_required_and_bounded() {
        assert_eq!(Template::parse("  \n "), Err(TemplateError::Empty));
        assert_eq!(
            Template::parse(&"é".repeat(1001)),
            Err(TemplateError::TooLong)
        );
        assert!(Template::parse(&"é".repeat(1000)).is_ok());
        assert_eq!(
            Template::parse("Hoi\u{7}"),
            Err(TemplateError::InvalidCharacter)
        );
        assert_eq!(TemplateError::Empty.key(), "error-required");
        assert_eq!(TemplateError::TooLong.key(), "error-too-long");
    }

    #[test]
    fn line_breaks_from_a_form_become_plain_line_breaks() {
        let t = template("Hoi {first_name},\r\ntot woensdag.\r\n");
        assert_eq!(t.as_str(), "Hoi {first_name},\ntot woensdag.");
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_gap() {
        let t = template("Hoi {first_name}, tot {day}");
        let values = Values::new().with(Placeholder::Day, "woensdag");
        assert_eq!(
            t.render(&values),
            Err(TemplateError::MissingValue(Placeholder::FirstName))
        );
        let blank = values.with(Placeholder::FirstName, "  ");
        assert_eq!(
            t.render(&blank),
            Err(TemplateError::MissingValue(Placeholder::FirstName))
        );
    }

    #[test]
    fn every_default_template_parses_and_renders_in_both_languages() {
        for purpose in TemplatePurpose::ALL {
            for lang in [Language::Nl, Language::En] {
                let t = Template::default_for(purpose, lang);
                assert!(Template::parse(default_text(purpose, lang)).is_ok());
                let text = t.render(&wednesday_coffee(lang));
                let Ok(text) = text else {
                    panic!("{purpose:?} {lang:?}: {text:?}")
                };
                assert!(text.contains("09:30–11:00"), "{text}");
                assert!(text.contains("Buurthuis De Linde"), "{text}");
                assert!(text.ends_with("Marieke"), "{text}");
                // The style guide: warm, but no exclamation marks, and never "u".
                assert!(!text.contains('!'), "{text}");
                assert!(!text.contains(" u ") && !text.contains(" uw "), "{text}");
            }
        }
    }

    #[test]
    fn the_default_coffee_hour_invitation_reads_like_a_worker_wrote_it() {
        let text = Template::default_for(TemplatePurpose::CoffeeHour, Language::Nl)
            .render(&wednesday_coffee(Language::Nl));
        assert_eq!(
            text.as_deref(),
            Ok(
                "Hoi Sanne, woensdag is er weer koffie-uurtje. Kom je ook? Je bent van harte welkom.\n\
                woensdag 4 december, 09:30–11:00\nBuurthuis De Linde\nGroet, Marieke"
            )
        );
    }

    #[test]
    fn a_group_post_has_no_first_name() {
        for lang in [Language::Nl, Language::En] {
            let t = Template::default_for(TemplatePurpose::GroupPost, lang);
            assert!(!t.placeholders().contains(&Placeholder::FirstName));
        }
    }

    #[test]
    fn purposes_parse_from_their_codes_and_follow_the_activity_and_the_worklist() {
        for p in TemplatePurpose::ALL {
            assert_eq!(TemplatePurpose::parse(p.as_str()), Ok(p));
            assert_eq!(p.key(), format!("template-purpose-{}", p.as_str()));
        }
        assert_eq!(
            TemplatePurpose::parse("birthday"),
            Err(FieldError::ChoiceInvalid)
        );
        assert_eq!(
            TemplatePurpose::for_activity(ActivityKind::CoffeeHourOpen),
            TemplatePurpose::CoffeeHour
        );
        assert_eq!(
            TemplatePurpose::for_activity(ActivityKind::Movement),
            TemplatePurpose::Reminder
        );
        assert_eq!(
            TemplatePurpose::for_worklist(
                ActivityKind::CoffeeHourExclusive,
                &[Reason::AbsentInARow(3)]
            ),
            TemplatePurpose::WeMissedYou
        );
        assert_eq!(
            TemplatePurpose::for_worklist(ActivityKind::Outing, &[Reason::Newcomer]),
            TemplatePurpose::Outing
        );
    }

    #[test]
    fn placeholders_have_an_english_and_a_dutch_name() {
        for p in Placeholder::ALL {
            assert_eq!(Placeholder::parse(p.as_str()), Some(p));
            assert_eq!(Placeholder::parse(p.nl()), Some(p));
            assert_eq!(p.key(), format!("placeholder-{}", p.as_str()));
        }
        assert_eq!(Placeholder::FirstName.name_in(Language::Nl), "voornaam");
        assert_eq!(Placeholder::parse("naam"), None);
    }

    #[test]
    fn dutch_numbers_in_any_form_give_the_same_whatsapp_link() {
        for raw in ["06-12345678", "+31 6 1234 5678", "0031 6 12345678"] {
            assert_eq!(
                whatsapp_link(&phone(raw), "Hoi Sanne"),
                "https://wa.me/31612345678?text=Hoi%20Sanne",
                "{raw}"
            );
        }
    }

    #[test]
    fn message_text_is_percent_encoded_for_the_link() {
        let p = phone("06-12345678");
        assert_eq!(
            whatsapp_link(&p, "Koffie & thee, € 0\nTot dan 😊"),
            "https://wa.me/31612345678?text=Koffie%20%26%20thee%2C%20%E2%82%AC%200%0ATot%20dan%20%F0%9F%98%8A"
        );
        assert_eq!(percent_encode("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(percent_encode("1+1=2?#/%"), "1%2B1%3D2%3F%23%2F%25");
        assert_eq!(percent_encode("één"), "%C3%A9%C3%A9n");
        assert_eq!(whatsapp_link(&p, ""), "https://wa.me/31612345678");
    }

    #[test]
    fn a_foreign_number_keeps_its_country_code_in_the_link() {
        assert_eq!(
            whatsapp_link(&phone("+32 470 12 34 56"), "Hoi"),
            "https://wa.me/32470123456?text=Hoi"
        );
    }

    #[test]
    fn share_call_text_and_mail_links() {
        let p = phone("06-12345678");
        assert_eq!(
            whatsapp_share_link("Hoi allemaal, tot woensdag"),
            "https://wa.me/?text=Hoi%20allemaal%2C%20tot%20woensdag"
        );
        assert_eq!(tel_link(&p), "tel:+31612345678");
        assert_eq!(
            sms_link(&p, "Tot woensdag & groet"),
            "sms:+31612345678?body=Tot%20woensdag%20%26%20groet"
        );
        assert_eq!(sms_link(&p, ""), "sms:+31612345678");
        let Ok(to) = Email::parse("sanne+mtp@example.nl") else {
            panic!("an e-mail address")
        };
        assert_eq!(
            mailto_link(&to, "Koffie-uurtje", "Tot woensdag\nGroet"),
            "mailto:sanne%2Bmtp@example.nl?subject=Koffie-uurtje&body=Tot%20woensdag%0AGroet"
        );
        assert_eq!(
            mailto_link(&to, "", "Hoi"),
            "mailto:sanne%2Bmtp@example.nl?body=Hoi"
        );
        let Ok(odd) = Email::parse("a?b&c@example.nl") else {
            panic!("an odd but valid address")
        };
        assert_eq!(mailto_link(&odd, "", ""), "mailto:a%3Fb%26c@example.nl");
    }

    #[test]
    fn the_chat_group_budget_warns_before_one_post_too_many() {
        assert!(!over_budget(0, 3));
        assert!(!over_budget(2, 3), "the third post is fine");
        assert!(over_budget(3, 3), "the fourth is one too many");
        assert!(over_budget(7, 3));
        assert_eq!(posts_left(1, 3), 2);
        assert_eq!(posts_left(5, 3), 0);
    }

    #[test]
    fn the_weekly_budget_is_one_to_fifty_and_three_by_default() {
        assert_eq!(WeeklyBudget::default().get(), 3);
        assert_eq!(WeeklyBudget::parse(" 5 ").map(WeeklyBudget::get), Ok(5));
        assert_eq!(WeeklyBudget::parse("1").map(WeeklyBudget::get), Ok(1));
        assert_eq!(WeeklyBudget::parse("50").map(WeeklyBudget::get), Ok(50));
        for bad in ["0", "51", "-1", "drie", "2.5", "+3"] {
            assert_eq!(
                WeeklyBudget::parse(bad),
                Err(FieldError::NumberInvalid),
                "{bad}"
            );
        }
        assert_eq!(WeeklyBudget::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn contact_outcomes_parse_from_the_form_with_an_optional_reason() {
        for o in ContactOutcome::CHOICES {
            assert_eq!(ContactOutcome::parse(o.as_str(), ""), Ok(o));
            assert_eq!(o.key(), format!("contact-outcome-{}", o.as_str()));
        }
        assert_eq!(
            ContactOutcome::parse("not_coming", "no_childcare"),
            Ok(ContactOutcome::NotComing(Some(AbsenceReason::NoChildcare)))
        );
        assert_eq!(
            ContactOutcome::parse("not_coming", "bored"),
            Err(FieldError::ChoiceInvalid)
        );
        assert_eq!(
            ContactOutcome::parse("coming", "work"),
            Ok(ContactOutcome::Coming),
            "a reason only belongs to not coming"
        );
        assert_eq!(
            ContactOutcome::parse("Coming", ""),
            Err(FieldError::ChoiceInvalid)
        );
    }

    #[test]
    fn an_outcome_with_an_answer_becomes_the_households_answer() {
        assert_eq!(ContactOutcome::Coming.rsvp(), Some(Rsvp::Coming));
        let r = Some(AbsenceReason::Transport);
        assert_eq!(
            ContactOutcome::NotComing(r).rsvp(),
            Some(Rsvp::NotComing(r))
        );
        assert_eq!(ContactOutcome::NotComing(r).reason(), r);
        assert_eq!(ContactOutcome::Maybe.rsvp(), None);
        assert_eq!(ContactOutcome::NotReached.rsvp(), None);
        assert!(ContactOutcome::NotReached.is_done());
        assert!(!ContactOutcome::TryLater.is_done());
    }

    #[test]
    fn contact_channels_parse_and_include_meeting_in_person() {
        for c in ContactChannel::ALL {
            assert_eq!(ContactChannel::parse(c.as_str()), Ok(c));
            assert_eq!(c.key(), format!("contact-channel-{}", c.as_str()));
        }
        assert_eq!(ContactChannel::parse("fax"), Err(FieldError::ChoiceInvalid));
        for c in Channel::ALL {
            assert_eq!(ContactChannel::from(c).as_str(), c.as_str());
        }
    }
}
