//! Event codes by version (format reference §2.7, Appendices A and B). Events carry their code
//! in the newest table; [`code_for`] says what a given version wrote instead: nothing before
//! 3.2.4, the first 25-code table until 4.3 (where `user.update` was `T1002I`), the newer table
//! after.

use crate::event::Kind;
use crate::version::Version;

/// The first code table (v4.0.0 `lib/events/codes.go`, Appendix B): code → event type.
pub const FIRST_TABLE: [(&str, &str); 25] = [
    ("T1000I", "user.login"),
    ("T1000W", "user.login"),
    ("T1001I", "user.login"),
    ("T1001W", "user.login"),
    ("T1002I", "user.update"),
    ("T1003I", "user.delete"),
    ("T2000I", "session.start"),
    ("T2001I", "session.join"),
    ("T2002I", "resize"),
    ("T2003I", "session.leave"),
    ("T2004I", "session.end"),
    ("T2005I", "session.upload"),
    ("T2006I", "session.data"),
    ("T3001I", "subsystem"),
    ("T3001E", "subsystem"),
    ("T3002I", "exec"),
    ("T3002E", "exec"),
    ("T3003I", "port"),
    ("T3003E", "port"),
    ("T3004I", "scp"),
    ("T3004E", "scp"),
    ("T3005I", "scp"),
    ("T3005E", "scp"),
    ("T3006I", "client.disconnect"),
    ("T3007W", "auth"),
];

/// The code `version` wrote for an event whose newest code is `newest`, if any.
pub fn code_for(version: Version, kind: Kind, newest: &'static str) -> Option<&'static str> {
    if !version.has_code() || newest.is_empty() {
        return None;
    }
    if version.first_code_table() {
        // 3.2.4–4.2: user.update and user.delete were one number lower (no user.create yet).
        let code = match kind {
            Kind::UserUpdate => "T1002I",
            Kind::UserDelete => "T1003I",
            _ => newest,
        };
        // Types added after the first table (enhanced events, access requests in 4.2) had
        // their codes from the start; only the 25 first types are checked against the table.
        let in_table = FIRST_TABLE.iter().any(|(c, e)| *c == code && *e == kind.name());
        let first_types = FIRST_TABLE.iter().any(|(_, e)| *e == kind.name());
        return (in_table || !first_types).then_some(code);
    }
    Some(newest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_changed_meaning_in_4_3() {
        assert_eq!(code_for(Version::V4_0, Kind::UserUpdate, "T1003I"), Some("T1002I"));
        assert_eq!(code_for(Version::V4_3, Kind::UserUpdate, "T1003I"), Some("T1003I"));
        assert_eq!(code_for(Version::V4_0, Kind::UserDelete, "T1004I"), Some("T1003I"));
        assert_eq!(code_for(Version::V15, Kind::UserCreate, "T1002I"), Some("T1002I"));
    }

    #[test]
    fn no_codes_before_3_2_4() {
        assert_eq!(code_for(Version::V3_1, Kind::Auth, "T3007W"), None);
        assert_eq!(code_for(Version::V3_2, Kind::Auth, "T3007W"), Some("T3007W"));
    }

    #[test]
    fn first_table_has_no_later_failure_codes() {
        // T3010E (scp disallowed) came later: a 4.0 scp event cannot carry it.
        assert_eq!(code_for(Version::V4_0, Kind::Scp, "T3010E"), None);
        assert_eq!(code_for(Version::V4_0, Kind::Scp, "T3004E"), Some("T3004E"));
    }
}
