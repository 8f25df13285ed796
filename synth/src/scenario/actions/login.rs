//! Logging in: web and tsh logins with every kind of failure (wrong password, SSO refusal,
//! MFA), certificates issued, Machine ID bots joining, per-session MFA.

use super::Client;
use crate::event::{Key, Kind, Text, Value};
use crate::scenario::org::{AuthKind, User};
use crate::scenario::{user_meta, Sim};
use crate::timefmt::{rfc3339, Nanos, Precision, MILLI, MINUTE, SECOND};
use crate::version::Version;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginOutcome {
    Success,
    BadPassword,
    SsoDenied,
    MfaFailed,
}

fn v(major: u16, minor: u16) -> Version {
    Version::new(major, minor, 0)
}

/// A generic wrong-credentials error as the version worded it.
pub fn bad_password_error(version: Version) -> &'static str {
    if version >= v(6, 0) {
        "invalid username, password or second factor"
    } else {
        "invalid username or password"
    }
}

fn user_agent(sim: &mut Sim<'_>) -> Text {
    if sim.rng.chance(0.6) {
        Text::Owned(format!("tsh/{}.{}.{}", sim.version.major, sim.version.minor, sim.rng.range(0, 9)).into())
    } else {
        Text::Static("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36")
    }
}

/// One `user.login` by an organisation member. Returns when it was written.
pub fn web_login(sim: &mut Sim<'_>, u: usize, ip: [u8; 4], t: Nanos, outcome: LoginOutcome) -> Nanos {
    let user = sim.user(u);
    let sso = user.auth.is_sso();
    let code = match (sso, outcome == LoginOutcome::Success) {
        (false, true) => "T1000I",
        (false, false) => "T1000W",
        (true, true) => "T1001I",
        (true, false) => "T1001W",
    };
    let mut ev = sim.event(Kind::UserLogin, t, code);
    ev.push(Key::User, Value::Str(Text::Shared(user.name.clone())));
    ev.push(Key::RequiredPrivateKeyPolicy, Value::str("none"));
    ev.push(Key::Success, Value::Bool(outcome == LoginOutcome::Success));
    match outcome {
        LoginOutcome::Success => {}
        LoginOutcome::BadPassword => {
            ev.push(Key::Error, Value::str(bad_password_error(sim.version)));
        }
        LoginOutcome::MfaFailed => {
            let e = if sim.version >= v(10, 0) { "MFA response validation failed" } else { "invalid totp token" };
            ev.push(Key::Error, Value::str(e));
        }
        LoginOutcome::SsoDenied => {
            let (error, message) = sso_failure(user);
            ev.push(Key::Error, Value::str(error));
            ev.push(Key::Message, Value::str(message));
        }
    }
    ev.push(Key::Method, Value::str(user.auth.method()));
    if sso && outcome == LoginOutcome::Success {
        ev.push(Key::Attributes, Value::Raw(sso_attributes(user)));
    }
    let agent = user_agent(sim);
    ev.push(Key::UserAgent, Value::Str(agent));
    let port = sim.ephemeral_port();
    ev.push(Key::AddrRemote, Value::Addr(ip, port));
    sim.emit(ev);
    if outcome == LoginOutcome::Success {
        let at = t + sim.rng.range(20, 400) * MILLI;
        cert_create(sim, u, at);
    }
    t + sim.rng.range(1, 3) * SECOND
}

fn sso_failure(user: &User) -> (&'static str, &'static str) {
    match user.auth {
        AuthKind::Github => (
            "user does not belong to any teams configured in \"github\" connector",
            "Failed to calculate user attributes.",
        ),
        AuthKind::Saml => {
            ("received response with incorrect or missing attribute statements", "Failed to retrieve assertion info.")
        }
        _ => (
            "No roles mapped from claims. The mappings may contain typos.",
            "Failed to calculate user attributes.\n\tNo roles mapped from claims. The mappings may contain typos.",
        ),
    }
}

fn sso_attributes(user: &User) -> Text {
    let mut out = Vec::with_capacity(160);
    let name = &*user.name;
    let local = name.split('@').next().unwrap_or(name);
    let groups: Vec<String> = user.roles.iter().map(|r| format!("\"{r}\"")).collect();
    let json = match user.auth {
        AuthKind::Github => format!("{{\"github_teams\":[{}],\"username\":[\"{local}\"]}}", groups.join(",")),
        _ => format!("{{\"email\":[\"{local}@acme.io\"],\"groups\":[\"Everyone\",{}]}}", groups.join(",")),
    };
    out.extend_from_slice(json.as_bytes());
    Text::Owned(String::from_utf8(out).expect("ASCII").into())
}

/// A failed local login for any name (people, guesses, probes): the brute-force building block.
pub fn failed_login_as(sim: &mut Sim<'_>, name: Text, client: Client, t: Nanos, error: Text) {
    let mut ev = sim.event(Kind::UserLogin, t, "T1000W");
    ev.push(Key::User, Value::Str(name));
    ev.push(Key::RequiredPrivateKeyPolicy, Value::str("none"));
    ev.push(Key::Success, Value::Bool(false));
    ev.push(Key::Error, Value::Str(error));
    ev.push(Key::Method, Value::str("local"));
    ev.push(Key::UserAgent, Value::str("python-requests/2.31.0"));
    ev.push(Key::AddrRemote, Value::Addr(client.0, client.1));
    sim.emit(ev);
}

/// The day's login as people do it: sometimes a typo first, sometimes SSO trouble, rarely
/// giving up. Returns when they got in, or `None`.
pub fn daily_login(sim: &mut Sim<'_>, u: usize, ip: [u8; 4], mut t: Nanos) -> Option<Nanos> {
    let user = sim.user(u);
    for attempt in 0..3 {
        let fail = match user.auth {
            AuthKind::Local if sim.rng.chance(if attempt == 0 { 0.05 } else { 0.15 }) => {
                Some(LoginOutcome::BadPassword)
            }
            AuthKind::Local if user.mfa && sim.rng.chance(0.02) => Some(LoginOutcome::MfaFailed),
            a if a.is_sso() && sim.rng.chance(0.015) => Some(LoginOutcome::SsoDenied),
            _ => None,
        };
        match fail {
            None => {
                web_login(sim, u, ip, t, LoginOutcome::Success);
                return Some(t + sim.rng.range(2, 20) * SECOND);
            }
            Some(outcome) => {
                t = web_login(sim, u, ip, t, outcome) + sim.rng.range(3, 40) * SECOND;
            }
        }
    }
    None
}

/// `cert.create` for a freshly issued user certificate (v9+).
pub fn cert_create(sim: &mut Sim<'_>, u: usize, t: Nanos) {
    let user = sim.user(u);
    let mut ev = sim.event(Kind::CertCreate, t, "TC000I");
    ev.push(Key::CertType, Value::str("user"));
    let roles: Vec<String> = user.roles.iter().map(|r| format!("\"{r}\"")).collect();
    let logins: Vec<String> = user.logins.iter().map(|l| format!("\"{l}\"")).collect();
    let mut name = Vec::new();
    crate::json::write_str(&mut name, &user.name);
    let identity = format!(
        "{{\"user\":{},\"roles\":[{}],\"logins\":[{}],\"expires\":\"{}\",\"prev_identity_expires\":\"0001-01-01T00:00:00Z\"}}",
        String::from_utf8(name).expect("UTF-8"),
        roles.join(","),
        logins.join(","),
        rfc3339(t + 12 * 60 * MINUTE, Precision::Seconds)
    );
    ev.push(Key::Identity, Value::Raw(identity.into()));
    sim.emit(ev);
}

/// Machine ID (v12+): the bot joins, then renews its certificate.
pub fn bot_join(sim: &mut Sim<'_>, u: usize, t: Nanos) {
    let user = sim.user(u);
    let mut ev = sim.event(Kind::BotJoin, t, "TJ001I");
    ev.push(Key::Success, Value::Bool(true));
    let bot = user.name.trim_start_matches("bot-").to_owned();
    ev.push(Key::BotName, Value::str(bot.clone()));
    ev.push(Key::Method, Value::str("token"));
    ev.push(Key::TokenName, Value::str(format!("{bot}-join-token")));
    let port = sim.ephemeral_port();
    ev.push(Key::AddrRemote, Value::Addr(user.home_ip, port));
    sim.emit(ev);
}

/// Per-session MFA before a privileged session (v15+): sometimes the first tap fails.
/// Returns when the user got through.
pub fn session_mfa(sim: &mut Sim<'_>, u: usize, mut t: Nanos) -> Nanos {
    let user = sim.user(u);
    loop {
        let ok = !sim.rng.chance(0.08);
        let mut ev = sim.event(Kind::MfaValidate, t, if ok { "T1016I" } else { "T1016W" });
        user_meta(&mut ev, user, None);
        ev.push(Key::Success, Value::Bool(ok));
        if !ok {
            ev.push(Key::Error, Value::str("MFA response validation failed"));
        }
        ev.push(Key::ChallengeScope, Value::str("CHALLENGE_SCOPE_USER_SESSION"));
        sim.emit(ev);
        t += sim.rng.range(2, 15) * SECOND;
        if ok {
            return t;
        }
    }
}
