//! Referrals in figures for the report (issue #16; docs/guide/reports.md#referrals): inbound
//! referrals per partner and per kind of partner in the report's period, the middle number of
//! days from the referral to the first contact, and the share that joined an activity. The
//! referrals to help are counted by `crate::help_referral::figures`; the report shows both.

use chrono::{DateTime, Utc};

use crate::help_referral::median;
use crate::indicators::Share;
use crate::partner::PartnerKind;

/// One inbound referral as the figures count it: no name, no contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundInput {
    /// The partner organisation's name.
    pub partner: String,
    pub kind: PartnerKind,
    pub referred_at: DateTime<Utc>,
    /// The first contact: when the team took the family on (the referral became a household
    /// or joined one), after the parent's own yes.
    pub contact_at: Option<DateTime<Utc>>,
    /// The family came to an activity (the partner's "joined an activity").
    pub joined: bool,
}

/// The counts of one line: a partner, a kind of partner, or all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboundLine {
    pub referred: u32,
    /// Of those, the team made contact.
    pub contact: u32,
    /// Of those, the family came to an activity.
    pub joined: u32,
    /// Days from the referral to the first contact, the middle value; `None` without any.
    pub median_days_to_contact: Option<i64>,
}

impl InboundLine {
    /// The share of the referrals that joined an activity.
    pub fn joined_share(&self) -> Share {
        Share::new(self.joined, self.referred)
    }
}

/// Inbound referrals per kind of partner (in the order of [`PartnerKind::ALL`], kinds without
/// referrals left out), per partner (by name) and in total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboundFigures {
    pub by_kind: Vec<(PartnerKind, InboundLine)>,
    pub by_partner: Vec<(String, InboundLine)>,
    pub total: InboundLine,
}

fn line<'a>(rows: impl Iterator<Item = &'a InboundInput>) -> InboundLine {
    let mut l = InboundLine::default();
    let mut days = Vec::new();
    for r in rows {
        l.referred += 1;
        if let Some(contact) = r.contact_at {
            l.contact += 1;
            days.push((contact - r.referred_at).num_days().max(0));
        }
        if r.joined {
            l.joined += 1;
        }
    }
    l.median_days_to_contact = median(days);
    l
}

/// Count the inbound referrals (see [`InboundFigures`]).
pub fn inbound(rows: &[InboundInput]) -> InboundFigures {
    let by_kind = PartnerKind::ALL
        .into_iter()
        .filter_map(|k| {
            let l = line(rows.iter().filter(|r| r.kind == k));
            (l.referred > 0).then_some((k, l))
        })
        .collect();
    let mut partners: Vec<&str> = rows.iter().map(|r| r.partner.as_str()).collect();
    partners.sort_unstable();
    partners.dedup();
    let by_partner = partners
        .into_iter()
        .map(|p| (p.to_string(), line(rows.iter().filter(|r| r.partner == p))))
        .collect();
    InboundFigures {
        by_kind,
        by_partner,
        total: line(rows.iter()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 10, day)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|d| d.and_utc())
            .unwrap_or_default()
    }

    fn r(
        partner: &str,
        kind: PartnerKind,
        day: u32,
        contact: Option<u32>,
        joined: bool,
    ) -> InboundInput {
        InboundInput {
            partner: partner.into(),
            kind,
            referred_at: at(day),
            contact_at: contact.map(at),
            joined,
        }
    }

    /// Worked by hand: the school referred three (contact after 2 and 6 days, one joined),
    /// the youth health care one (contact after 3 days, joined), the police one (no contact).
    #[test]
    fn counted_by_hand() {
        let rows = vec![
            r("Regenboog", PartnerKind::School, 1, Some(3), true),
            r("Regenboog", PartnerKind::School, 2, Some(8), false),
            r("Regenboog", PartnerKind::School, 5, None, false),
            r("JGZ", PartnerKind::YouthHealthCare, 4, Some(7), true),
            r("Wijkagent", PartnerKind::Police, 6, None, false),
        ];
        let f = inbound(&rows);
        assert_eq!(
            f.by_kind.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            vec![
                PartnerKind::School,
                PartnerKind::YouthHealthCare,
                PartnerKind::Police
            ]
        );
        let school = &f.by_kind[0].1;
        assert_eq!((school.referred, school.contact, school.joined), (3, 2, 1));
        // Days 2 and 6: the lower middle value.
        assert_eq!(school.median_days_to_contact, Some(2));
        assert_eq!(
            f.by_partner
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>(),
            vec!["JGZ", "Regenboog", "Wijkagent"]
        );
        assert_eq!(f.by_partner[2].1.median_days_to_contact, None);
        // All: 5 referred, 3 contacts after 2, 3 and 6 days (middle 3), 2 joined (40 %).
        assert_eq!(
            (f.total.referred, f.total.contact, f.total.joined),
            (5, 3, 2)
        );
        assert_eq!(f.total.median_days_to_contact, Some(3));
        assert_eq!(f.total.joined_share(), Share::new(2, 5));
        assert_eq!(inbound(&[]), InboundFigures::default());
    }
}
