//! Teleport versions and what each one wrote (format reference §1, §2.2–2.4). Every difference
//! between generations is a named predicate here, so writers never compare numbers themselves.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u16,
    pub minor: u16,
    pub patch: u16,
}

impl Version {
    pub const fn new(major: u16, minor: u16, patch: u16) -> Self {
        Version { major, minor, patch }
    }

    pub const V1_3: Version = Version::new(1, 3, 0);
    pub const V2_3: Version = Version::new(2, 3, 0);
    pub const V2_7: Version = Version::new(2, 7, 0);
    pub const V3_1: Version = Version::new(3, 1, 0);
    pub const V3_2: Version = Version::new(3, 2, 4);
    pub const V4_0: Version = Version::new(4, 0, 0);
    pub const V4_2: Version = Version::new(4, 2, 0);
    pub const V4_3: Version = Version::new(4, 3, 0);
    pub const V4_4: Version = Version::new(4, 4, 0);
    pub const V6_2: Version = Version::new(6, 2, 0);
    pub const V10: Version = Version::new(10, 0, 0);
    pub const V15: Version = Version::new(15, 0, 0);
    pub const V17: Version = Version::new(17, 0, 0);

    /// Every version the writers are tagged for, oldest first.
    pub const SUPPORTED: [Version; 13] = [
        Version::V1_3,
        Version::V2_3,
        Version::V2_7,
        Version::V3_1,
        Version::V3_2,
        Version::V4_0,
        Version::V4_2,
        Version::V4_3,
        Version::V4_4,
        Version::V6_2,
        Version::V10,
        Version::V15,
        Version::V17,
    ];

    /// `"4.0"`, `"3.2.4"`, `"15"`.
    pub fn parse(s: &str) -> Option<Version> {
        let mut parts = s.trim_start_matches('v').split('.').map(|p| p.parse::<u16>().ok());
        let major = parts.next()??;
        let minor = parts.next().unwrap_or(Some(0))?;
        let patch = parts.next().unwrap_or(Some(0))?;
        parts.next().is_none().then_some(Version::new(major, minor, patch))
    }

    /// Before 4.4 events were Go maps, marshalled with sorted keys; from 4.4 proto structs in
    /// field order, Metadata first.
    pub fn sorted_keys(self) -> bool {
        self < Version::V4_4
    }

    /// `uid` on every event (3.2.0).
    pub fn has_uid(self) -> bool {
        self >= Version::new(3, 2, 0)
    }

    /// `code` on every event (3.2.4 / 4.0).
    pub fn has_code(self) -> bool {
        self >= Version::V3_2
    }

    /// The first code table (Appendix B) was in force until 4.3 changed user.* codes.
    pub fn first_code_table(self) -> bool {
        self.has_code() && self < Version::V4_3
    }

    /// `ei` on every event, 0 for audit-only ones (4.4).
    pub fn ei_on_all(self) -> bool {
        self >= Version::V4_4
    }

    /// `ei` on session events (2.5: session streams got event indexes).
    pub fn ei_on_session_events(self) -> bool {
        self >= Version::new(2, 5, 0)
    }

    /// `cluster_name` in Metadata (6.0).
    pub fn has_cluster_name(self) -> bool {
        self >= Version::new(6, 0, 0)
    }

    /// File names round to the nearest midnight before 3.1.6: the file named D holds
    /// D-1 12:00 → D 12:00 UTC.
    pub fn nearest_midnight_names(self) -> bool {
        self < Version::new(3, 1, 6)
    }

    /// One log directory per auth server, `<auth-host-uuid>/` (2.5).
    pub fn per_auth_server_dirs(self) -> bool {
        self >= Version::new(2, 5, 0)
    }

    /// Teleport 2.x wrote auth outcomes as strings: `"success":"false"`.
    pub fn success_as_string(self) -> bool {
        self.major == 2
    }
}

impl fmt::Display for Version {
    /// The tag as people say it: `2.3`, `3.2.4`, `15`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.minor, self.patch) {
            (0, 0) if self.major >= 5 => write!(f, "{}", self.major),
            (_, 0) => write!(f, "{}.{}", self.major, self.minor),
            _ => write!(f, "{}.{}.{}", self.major, self.minor, self.patch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_and_print_back() {
        for v in Version::SUPPORTED {
            assert_eq!(Version::parse(&v.to_string()), Some(v), "{v}");
        }
        assert_eq!(Version::parse("v4.0.0"), Some(Version::V4_0));
        assert_eq!(Version::parse("4.x"), None);
    }

    #[test]
    fn boundaries_follow_the_reference() {
        assert!(Version::V3_1.nearest_midnight_names());
        assert!(!Version::V3_2.nearest_midnight_names());
        assert!(!Version::V3_1.has_uid() && Version::V3_2.has_uid() && Version::V3_2.has_code());
        assert!(Version::V4_3.sorted_keys() && !Version::V4_4.sorted_keys());
        assert!(!Version::V4_4.has_cluster_name() && Version::V6_2.has_cluster_name());
        assert!(Version::V2_3.success_as_string() && !Version::V3_1.success_as_string());
    }
}
