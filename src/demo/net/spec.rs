//! What a lab consists of: namespaces by role and the veth pairs between them.

use std::net::Ipv4Addr;

use super::{Ipv4Cidr, NetError, check_ifname};

/// One end of a veth pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VethEnd {
    /// The role of the namespace it lives in (as given in [`LabSpec::roles`]).
    pub role: String,
    /// Interface name inside that namespace (at most 15 bytes).
    pub ifname: String,
    /// Its MAC address (locally administered, e.g. `02:...`).
    pub mac: [u8; 6],
    /// Its IPv4 address, if any (a relay's ends have none).
    pub addr: Option<Ipv4Cidr>,
}

/// A veth pair between two namespaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// First end.
    pub a: VethEnd,
    /// Second end.
    pub b: VethEnd,
}

/// What to build: namespaces by role, and the veth pairs between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabSpec {
    /// Fixed prefix of the namespace names ([`super::DEFAULT_PREFIX`] for the demos).
    pub prefix: String,
    /// Short role names ("a", "b", "r"), one namespace each.
    pub roles: Vec<String>,
    /// veth pairs.
    pub links: Vec<Link>,
}

fn end(role: &str, ifname: String, last: u8, addr: Option<[u8; 4]>) -> VethEnd {
    VethEnd {
        role: role.into(),
        ifname,
        mac: [0x02, 0, 0, 0, 0, last],
        addr: addr.map(|a| Ipv4Cidr {
            addr: Ipv4Addr::from(a),
            prefix: 24,
        }),
    }
}

impl LabSpec {
    /// Two hosts `a` (192.0.2.1/24, 02:00:00:00:00:0a, `{prefix}-a`) and `b` (192.0.2.2/24,
    /// 02:00:00:00:00:0b, `{prefix}-b`) joined by one veth pair.
    pub fn two_hosts(prefix: &str) -> LabSpec {
        LabSpec {
            prefix: prefix.into(),
            roles: vec!["a".into(), "b".into()],
            links: vec![Link {
                a: end("a", format!("{prefix}-a"), 0x0a, Some([192, 0, 2, 1])),
                b: end("b", format!("{prefix}-b"), 0x0b, Some([192, 0, 2, 2])),
            }],
        }
    }

    /// The two hosts of [`LabSpec::two_hosts`] with a relay namespace `r` between them:
    /// `a` — (`{prefix}-ra`) `r` (`{prefix}-rb`) — `b`; the relay's ends have no address.
    pub fn relayed(prefix: &str) -> LabSpec {
        LabSpec {
            prefix: prefix.into(),
            roles: vec!["a".into(), "r".into(), "b".into()],
            links: vec![
                Link {
                    a: end("a", format!("{prefix}-a"), 0x0a, Some([192, 0, 2, 1])),
                    b: end("r", format!("{prefix}-ra"), 0x1a, None),
                },
                Link {
                    a: end("r", format!("{prefix}-rb"), 0x1b, None),
                    b: end("b", format!("{prefix}-b"), 0x0b, Some([192, 0, 2, 2])),
                },
            ],
        }
    }

    /// Checks names, roles and that no interface name repeats within a namespace.
    pub fn validate(&self) -> Result<(), NetError> {
        if self.prefix.is_empty()
            || self.prefix.len() > 8
            || !self.prefix.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return Err(NetError::Spec(format!(
                "prefix {:?}: use 1-8 ASCII letters",
                self.prefix
            )));
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for role in &self.roles {
            if role.is_empty() || role.len() > 8 || !role.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err(NetError::Spec(format!(
                    "role {role:?}: use 1-8 letters or digits"
                )));
            }
        }
        for e in self.links.iter().flat_map(|l| [&l.a, &l.b]) {
            check_ifname(&e.ifname)?;
            if !self.roles.contains(&e.role) {
                return Err(NetError::Spec(format!(
                    "{} is in unknown role {:?}",
                    e.ifname, e.role
                )));
            }
            if seen.contains(&(e.role.as_str(), e.ifname.as_str())) {
                return Err(NetError::Spec(format!("{} twice in {}", e.ifname, e.role)));
            }
            if e.mac[0] & 1 != 0 {
                return Err(NetError::Spec(format!("{}: multicast MAC", e.ifname)));
            }
            seen.push((&e.role, &e.ifname));
        }
        Ok(())
    }

    pub(super) fn ends_in<'a>(&'a self, role: &'a str) -> impl Iterator<Item = &'a VethEnd> + 'a {
        self.links
            .iter()
            .flat_map(|l| [&l.a, &l.b])
            .filter(move |e| e.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid() {
        LabSpec::two_hosts("hvz").validate().unwrap();
        LabSpec::relayed("hvz").validate().unwrap();
        assert!(LabSpec::two_hosts("hv-z").validate().is_err());
        let mut spec = LabSpec::two_hosts("hvz");
        spec.links[0].b.role = "x".into();
        assert!(spec.validate().is_err());
    }
}
