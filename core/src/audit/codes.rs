//! Human descriptions of event types and codes. Meaning is resolved from `event` first: codes
//! changed meaning once (T1002I/T1003I in 3.2.4–4.2) and T3010 is used twice.

use std::borrow::Cow;

/// A short title for an event, e.g. "User login failed", from its type and code.
pub fn event_description<'a>(event: &'a str, code: Option<&str>) -> Cow<'a, str> {
    let failed = matches!(code.and_then(|c| c.bytes().last()), Some(b'W' | b'E'));
    let known = match (event, failed) {
        ("user.login", false) => "User logged in",
        ("user.login", true) => "User login failed",
        ("auth", _) => "Authentication attempt failed",
        ("session.start", _) => "Session started",
        ("session.join", _) => "User joined session",
        ("session.leave", _) => "User left session",
        ("session.end", _) => "Session ended",
        ("session.upload", _) => "Recording uploaded",
        ("session.data", _) => "Session data transferred",
        ("session.rejected", _) => "Session rejected",
        ("session.connect", _) => "Session connected",
        ("session.recording.access", _) => "Recording accessed",
        ("session.command", _) => "Command executed (enhanced)",
        ("session.disk", _) => "File accessed (enhanced)",
        ("session.network", _) => "Network connection (enhanced)",
        ("resize", _) => "Terminal resized",
        ("exec", false) => "Command executed",
        ("exec", true) => "Command failed",
        ("scp", false) => "SCP transfer",
        ("scp", true) => "SCP transfer failed",
        ("sftp", false) => "SFTP operation",
        ("sftp", true) => "SFTP operation failed",
        ("port", false) | ("port.local", false) | ("port.remote", false) => "Port forwarded",
        ("port", true) | ("port.local", true) | ("port.remote", true) => "Port forwarding failed",
        ("subsystem", false) => "Subsystem requested",
        ("subsystem", true) => "Subsystem failed",
        ("x11-forward", false) => "X11 forwarding",
        ("x11-forward", true) => "X11 forwarding failed",
        ("agent-forward", _) => "Agent forwarding",
        ("client.disconnect", _) => "Client disconnected",
        ("user.create", _) => "User created",
        ("user.update", _) => "User updated",
        ("user.delete", _) => "User deleted",
        ("user.password_change", _) => "Password changed",
        ("mfa.add", _) => "MFA device added",
        ("mfa.delete", _) => "MFA device deleted",
        ("mfa_auth_challenge.validate", false) => "MFA challenge passed",
        ("mfa_auth_challenge.validate", true) => "MFA challenge failed",
        ("recovery_code.used", false) => "Recovery code used",
        ("recovery_code.used", true) => "Recovery code failed",
        ("access_request.create", _) => "Access requested",
        ("access_request.update", _) => "Access request updated",
        ("access_request.review", _) => "Access request reviewed",
        ("access_request.delete", _) => "Access request deleted",
        ("role.created", _) => "Role created",
        ("role.updated", _) => "Role updated",
        ("role.deleted", _) => "Role deleted",
        ("lock.created", _) => "Lock created",
        ("lock.deleted", _) => "Lock deleted",
        ("cert.create", _) => "Certificate issued",
        ("kube.request", _) => "Kubernetes request",
        ("bot.join", false) => "Bot joined",
        ("bot.join", true) => "Bot join failed",
        ("instance.join", false) => "Instance joined",
        ("instance.join", true) => "Instance join failed",
        ("user_login.invalid_access_list", _) => "Login with invalid access list",
        ("app.session.start", _) => "App session started",
        ("app.session.end", _) => "App session ended",
        ("db.session.start", false) => "Database session started",
        ("db.session.start", true) => "Database session denied",
        ("db.session.end", _) => "Database session ended",
        ("db.session.query", _) => "Database query",
        ("db.session.query.failed", _) => "Database query failed",
        ("windows.desktop.session.start", false) => "Desktop session started",
        ("windows.desktop.session.start", true) => "Desktop session denied",
        ("windows.desktop.session.end", _) => "Desktop session ended",
        _ => "",
    };
    if !known.is_empty() {
        return Cow::Borrowed(known);
    }
    // Unknown or rare types: the type itself is the most honest title.
    if failed {
        Cow::Owned(format!("{event} (failed)"))
    } else {
        Cow::Borrowed(event)
    }
}

/// What a code meant when it was written, where the type alone is not enough.
pub fn code_description(code: &str) -> Option<&'static str> {
    Some(match code {
        "T1000I" => "local login",
        "T1000W" => "local login failure",
        "T1001I" => "SSO login",
        "T1001W" => "SSO login failure",
        "T1010I" => "SSO test flow login",
        "T1011W" => "SSO test flow login failure",
        "T1012I" => "headless login requested",
        "T1013I" => "headless login approved",
        "T1013W" => "headless login approval failed",
        "T1014W" => "headless login rejected",
        "T1006W" => "session rejected",
        "T3007W" => "SSH authentication attempt failure",
        "T3010E" => "SCP disallowed",
        "T3010I" => "kube.create",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meaning_comes_from_event_first() {
        // T1002I meant user.update in 4.0 and user.create from 4.3: the event decides.
        assert_eq!(event_description("user.update", Some("T1002I")), "User updated");
        assert_eq!(event_description("user.create", Some("T1002I")), "User created");
        assert_eq!(event_description("user.login", Some("T1000W")), "User login failed");
        assert_eq!(event_description("brand.new", Some("TXX01E")), "brand.new (failed)");
        assert_eq!(event_description("brand.new", None), "brand.new");
    }
}
