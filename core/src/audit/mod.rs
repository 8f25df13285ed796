//! Audit-log lines → events, for every Teleport generation (sorted-key maps before 4.4,
//! proto-ordered keys after; `uid`/`code`/`ei`/`cluster_name` present or not).

pub mod carried;
mod codes;
mod parse;
mod quick;

pub use codes::{code_description, event_description};
pub use parse::{parse_line, parse_line_with_serde_only, LineError, Outcome, ParsedEvent};
#[doc(hidden)]
pub use quick::quick_pass_reads;

/// Event types that are authentication attempts: the rows of the auth table.
pub fn is_auth_attempt(event: &str) -> bool {
    matches!(
        event,
        "user.login"
            | "auth"
            | "mfa_auth_challenge.validate"
            | "recovery_code.used"
            | "user_login.invalid_access_list"
            | "bot.join"
            | "instance.join"
            | "saml.idp.auth"
    )
}

/// Event types that describe the life of an interactive or exec session, paired by `sid`.
pub fn is_session_lifecycle(event: &str) -> bool {
    matches!(
        event,
        "session.start" | "session.join" | "session.leave" | "session.end" | "session.upload" | "session.data"
    )
}
