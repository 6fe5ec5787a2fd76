//! Who may do what, before we look at which tenant they belong to.

use serde::Serialize;
use uuid::Uuid;

/// A staff or volunteer role (docs/design.md §2). Parents sign in through the portal and
/// are not accounts of this kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum Role {
    Admin,
    Coordinator,
    Worker,
    Host,
    Partner,
    Researcher,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Coordinator,
        Role::Worker,
        Role::Host,
        Role::Partner,
        Role::Researcher,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Worker => "worker",
            Role::Host => "host",
            Role::Partner => "partner",
            Role::Researcher => "researcher",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }

    /// Staff handle household data directly; an organisation may require two-factor sign-in
    /// for them.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator | Role::Worker)
    }

    /// Whether this role sees every neighbourhood of its organisation rather than only the ones
    /// it is assigned to.
    pub fn sees_whole_organisation(self) -> bool {
        matches!(self, Role::Admin | Role::Researcher)
    }

    /// Whether this role may be told, without any detail, that a family in a sheet it imports
    /// is possibly registered in a neighbourhood out of its reach. Coordination can follow
    /// that up with the administrator; anyone else learns nothing of families out of reach,
    /// not even that they exist.
    pub fn may_hear_of_families_elsewhere(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator)
    }

    /// Which roles this role may give to an account, and so which accounts it may manage.
    /// A coordinator manages the people who work in their neighbourhoods. Creating or
    /// changing administrators, coordinators and researchers (who see the whole organisation)
    /// is for administrators only, so nobody can widen their own reach or take over a peer's
    /// account with a password reset.
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::Coordinator => matches!(other, Role::Worker | Role::Host | Role::Partner),
            _ => false,
        }
    }
}

/// The tenant a signed-in account acts in: its organisation and the neighbourhoods it may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub org_id: Uuid,
    pub role: Role,
    /// The neighbourhoods assigned to the account. Ignored for roles that see the whole
    /// organisation.
    pub neighbourhoods: Vec<Uuid>,
}

impl Tenant {
    pub fn may_see_neighbourhood(&self, org_id: Uuid, neighbourhood_id: Uuid) -> bool {
        org_id == self.org_id
            && (self.role.sees_whole_organisation()
                || self.neighbourhoods.contains(&neighbourhood_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("parent"), None);
        assert_eq!(Role::parse("Admin"), None);
    }

    #[test]
    fn a_coordinator_cannot_create_an_administrator_a_peer_or_a_researcher() {
        assert!(!Role::Coordinator.may_grant(Role::Admin));
        assert!(!Role::Coordinator.may_grant(Role::Coordinator));
        assert!(!Role::Coordinator.may_grant(Role::Researcher));
        assert!(Role::Coordinator.may_grant(Role::Worker));
        assert!(Role::Coordinator.may_grant(Role::Host));
        assert!(Role::Coordinator.may_grant(Role::Partner));
        assert!(Role::Admin.may_grant(Role::Admin));
        for r in [Role::Worker, Role::Host, Role::Partner, Role::Researcher] {
            assert!(Role::ALL.iter().all(|o| !r.may_grant(*o)), "{r:?}");
        }
    }

    #[test]
    fn only_coordination_hears_of_families_out_of_reach() {
        let told: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.may_hear_of_families_elsewhere())
            .collect();
        assert_eq!(told, vec![Role::Admin, Role::Coordinator]);
    }

    #[test]
    fn staff_are_the_roles_that_handle_household_data() {
        let staff: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_staff()).collect();
        assert_eq!(staff, vec![Role::Admin, Role::Coordinator, Role::Worker]);
    }

    #[test]
    fn a_worker_sees_only_assigned_neighbourhoods_of_their_own_organisation() {
        let org = Uuid::now_v7();
        let mine = Uuid::now_v7();
        let other = Uuid::now_v7();
        let t = Tenant {
            org_id: org,
            role: Role::Worker,
            neighbourhoods: vec![mine],
        };
        assert!(t.may_see_neighbourhood(org, mine));
        assert!(!t.may_see_neighbourhood(org, other));
        assert!(!t.may_see_neighbourhood(Uuid::now_v7(), mine));
        let admin = Tenant {
            org_id: org,
            role: Role::Admin,
            neighbourhoods: vec![],
        };
        assert!(admin.may_see_neighbourhood(org, other));
        assert!(!admin.may_see_neighbourhood(Uuid::now_v7(), other));
    }
}
