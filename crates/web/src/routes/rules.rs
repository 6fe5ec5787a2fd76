//! The handbook's rules as the handbook says them (issue #17): the organisation's own estimate
//! of a worker's minutes per session (the admin settings form and the activity form), and the
//! proposal on the worker's start page to mark a family *even stil* (quiet).

use axum::extract::{Path, State};
use axum::response::Response;
use mtp_domain::HouseholdStatus;
use mtp_domain::activity::{
    ActivityKind, ESTIMATED_KINDS, MAX_STAFF_MINUTES, StaffEstimates, StaffMinutes,
};
use mtp_domain::audit::Action;
use mtp_domain::quiet;

use crate::AppState;
use crate::audit::{Subject, audit_event};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Staff;
use crate::forms::{FormData, FormErrors};
use crate::i18n::Tr;
use crate::parse::parse_id;
use crate::respond::redirect_with_flash;

// ---------------------------------------------------------------- staff minutes

/// The three parts of a session, as the form's field suffixes with their labels.
const PARTS: [(&str, &str); 3] = [
    ("preparation", "field-preparation"),
    ("execution", "field-execution"),
    ("wrap_up", "field-wrap-up"),
];

fn field_name(kind: ActivityKind, part: &str) -> String {
    format!("staff_{}_{part}", kind.as_str())
}

fn part_of(m: StaffMinutes, part: &str) -> u32 {
    match part {
        "preparation" => m.preparation,
        "execution" => m.execution,
        _ => m.wrap_up,
    }
}

/// One field of the organisation's estimate: its name, label and value.
pub struct StaffField {
    pub name: String,
    pub label: String,
    pub value: String,
}

/// One kind of activity in the settings form, with its three fields.
pub struct StaffKindRow {
    pub kind: String,
    pub fields: Vec<StaffField>,
}

/// The rows of the settings form's estimate (`admin_org_staff.html`), from the form data.
pub fn staff_kind_rows(t: &Tr, f: &FormData) -> Vec<StaffKindRow> {
    ESTIMATED_KINDS
        .iter()
        .map(|k| StaffKindRow {
            kind: t.label(k),
            fields: PARTS
                .iter()
                .map(|(part, label)| {
                    let name = field_name(*k, part);
                    StaffField {
                        value: f.get(&name).to_string(),
                        label: t.get(label),
                        name,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The estimate as the settings form's fields.
pub fn staff_form_pairs(s: &StaffEstimates) -> Vec<(String, String)> {
    ESTIMATED_KINDS
        .iter()
        .flat_map(|k| {
            let m = s.for_kind(*k);
            PARTS
                .iter()
                .map(move |(part, _)| (field_name(*k, part), part_of(m, part).to_string()))
        })
        .collect()
}

/// The estimate from the settings form. A kind whose three fields are all missing (a page
/// opened before they existed) keeps what is set; a wrong number is an error at its field.
pub fn parse_staff_estimates(
    t: &Tr,
    f: &FormData,
    e: &mut FormErrors,
    current: StaffEstimates,
) -> Option<StaffEstimates> {
    let mut out = current;
    let mut ok = true;
    for k in ESTIMATED_KINDS {
        let raw = PARTS.map(|(part, _)| {
            (
                field_name(k, part),
                f.get(&field_name(k, part)).trim().to_string(),
            )
        });
        if raw.iter().all(|(_, v)| v.is_empty()) {
            continue;
        }
        let mut values = [0u32; 3];
        for (i, (name, value)) in raw.iter().enumerate() {
            match value
                .parse::<u32>()
                .ok()
                .filter(|m| *m <= MAX_STAFF_MINUTES)
            {
                Some(m) => values[i] = m,
                None => {
                    ok = false;
                    e.add(name, t.get("staff-minutes-invalid"));
                }
            }
        }
        out = out.with(
            k,
            StaffMinutes {
                preparation: values[0],
                execution: values[1],
                wrap_up: values[2],
            },
        );
    }
    ok.then_some(out)
}

/// Where the activity form's minutes come from, for the kind in the form: the handbook's
/// (a coffee hour) or the organisation's own estimate.
pub fn staff_source(t: &Tr, kind: &str) -> String {
    match ActivityKind::parse(kind)
        .ok()
        .map(ActivityKind::handbook_staff_minutes)
    {
        Some(Some(_)) => t.get("staff-minutes-from-handbook"),
        _ => t.get("staff-minutes-own-estimate"),
    }
}

// ---------------------------------------------------------------- quiet proposals

/// Families shown on the start page at most; the rest come as the first are answered.
pub const PROPOSALS_SHOWN: usize = 20;

/// One proposal on the start page.
pub struct QuietView {
    pub id: uuid::Uuid,
    pub first_names: String,
    /// "Kwam 7 keer, het laatst op 14 oktober 2026."
    pub why: String,
}

/// The proposals for the user's start page; none for a role that cannot change a family.
pub async fn quiet_views(
    state: &AppState,
    user: &User,
    t: &Tr,
) -> Result<Vec<QuietView>, AppError> {
    let proposals = state
        .store
        .quiet_proposals(&user.tenant, crate::today(), PROPOSALS_SHOWN)
        .await?;
    Ok(proposals
        .into_iter()
        .map(|p| QuietView {
            id: p.household_id,
            why: t.get2(
                "quiet-why",
                ("visits", i64::from(p.visits)),
                ("date", t.day(p.last_visit)),
            ),
            first_names: p.first_names,
        })
        .collect())
}

/// `POST /households/{id}/quiet`: `do=confirm` marks the family *even stil*, `do=dismiss`
/// takes the proposal away. Both only while the rule still proposes it.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Staff(user): Staff,
    f: FormData,
) -> Result<Response, AppError> {
    let t = Tr::new(ctx.lang);
    let id = parse_id(&id)?;
    let (proposed, nb) = state
        .store
        .quiet_proposed(&user.tenant, id, crate::today())
        .await?;
    let names = state
        .store
        .household(&user.tenant, id)
        .await?
        .parents
        .iter()
        .map(|p| p.first_name.to_string())
        .collect::<Vec<_>>()
        .join(" & ");
    if !proposed {
        // The family came again, or a colleague answered first: nothing to do.
        return Ok(redirect_with_flash(&state, "/", "flash-quiet-gone", &names));
    }
    match f.get("do") {
        "confirm" => {
            let event = audit_event(
                &user,
                Action::HouseholdStatusChanged,
                Subject::household(id, nb),
                "quiet (proposed: 8 weeks away)",
            );
            let moved = state
                .store
                .set_household_status(
                    &user.tenant,
                    Some(user.account.id),
                    id,
                    HouseholdStatus::Quiet,
                    Some(t.get1("quiet-reason", "weeks", quiet::AWAY_DAYS / 7)),
                    Some(event),
                )
                .await?;
            let key = if moved {
                "flash-quiet-confirmed"
            } else {
                "flash-quiet-gone"
            };
            Ok(redirect_with_flash(&state, "/", key, &names))
        }
        "dismiss" => {
            let event = audit_event(
                &user,
                Action::HouseholdQuietDismissed,
                Subject::household(id, nb),
                "",
            );
            state
                .store
                .dismiss_quiet_proposal(&user.tenant, id, event)
                .await?;
            Ok(redirect_with_flash(
                &state,
                "/",
                "flash-quiet-dismissed",
                &names,
            ))
        }
        _ => Err(AppError::BadRequest),
    }
}
