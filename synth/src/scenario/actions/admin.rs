//! Administration and the unknown: changes to users and roles, and event types of newer
//! releases this crate does not model.

use crate::event::{Key, Kind, Text, Value};
use crate::scenario::{user_meta, Sim};
use crate::timefmt::Nanos;

/// An administrator's change to users or roles, as the version logged it.
pub fn admin_change(sim: &mut Sim<'_>, admin: usize, t: Nanos) {
    let by = sim.user(admin);
    let target = sim.rng.below(sim.org.users.len() as u64) as usize;
    let name = Text::Shared(sim.user(target).name.clone());
    let (kind, code) = *sim.rng.weighted(&[
        ((Kind::UserUpdate, "T1003I"), 4),
        ((Kind::UserCreate, "T1002I"), 2),
        ((Kind::UserPasswordChange, "T1005I"), 2),
        ((Kind::RoleCreated, "T9000I"), 1),
        ((Kind::RoleUpdated, "T9002I"), 1),
        ((Kind::UserDelete, "T1004I"), 1),
    ]);
    let mut ev = sim.event(kind, t, code);
    match kind {
        Kind::UserPasswordChange => {
            // The user changes their own password.
            ev.push(Key::User, Value::Str(name));
        }
        Kind::RoleCreated | Kind::RoleUpdated => {
            user_meta(&mut ev, by, None);
            ev.push(Key::Name, Value::str(*sim.rng.pick(&["dev", "ops", "contractor", "prod-access", "dba"])));
        }
        Kind::UserDelete => {
            user_meta(&mut ev, by, None);
            let n = sim.rng.range(1, 99);
            ev.push(Key::Name, Value::str(format!("intern{n}")));
        }
        Kind::UserCreate => {
            user_meta(&mut ev, by, None);
            let n = sim.rng.range(1, 99);
            ev.push(Key::Name, Value::str(format!("intern{n}")));
            ev.push(Key::Expires, Value::ZeroTime);
            ev.push(Key::Roles, Value::list(["dev"]));
            ev.push(Key::Connector, Value::str("local"));
        }
        _ => {
            user_meta(&mut ev, by, None);
            ev.push(Key::Name, Value::Str(name));
            ev.push(Key::Expires, Value::ZeroTime);
            ev.push(Key::Roles, Value::list(sim.user(target).roles.clone()));
            ev.push(Key::Connector, Value::str("local"));
        }
    }
    sim.emit(ev);
}

/// Event types of newer (or future) Teleport that this crate does not model, as they would be
/// written: they must be kept and shown as-is.
pub fn unmodelled_event(sim: &mut Sim<'_>, u: usize, t: Nanos) {
    let which = sim.rng.below(UNMODELLED_TYPES);
    unmodelled_event_of(sim, u, t, which);
}

/// How many unmodelled types [`unmodelled_event_of`] writes.
pub const UNMODELLED_TYPES: u64 = 5;

/// The unmodelled event number `which` (0 .. [`UNMODELLED_TYPES`]).
pub fn unmodelled_event_of(sim: &mut Sim<'_>, u: usize, t: Nanos, which: u64) {
    let user = sim.user(u);
    let mut ev = match which {
        0 => {
            let mut ev = sim.event(Kind::Other("access_graph.access_path_changed"), t, "TAG001I");
            ev.push(Key::Custom("change_id"), Value::Uuid(sim.rng.uuid()));
            ev.push(Key::Custom("affected_resource_name"), Value::str("db-primary-01"));
            ev.push(Key::Custom("affected_resource_source"), Value::str("TELEPORT"));
            ev
        }
        1 => {
            let mut ev = sim.event(Kind::Other("spiffe.svid.issued"), t, "TSPIFFE000I");
            user_meta(&mut ev, user, None);
            ev.push(Key::Custom("spiffe_id"), Value::str("spiffe://acme.io/svc/shop-api"));
            ev.push(Key::Custom("svid_type"), Value::str("x509"));
            ev.push(Key::Custom("serial_number"), Value::str(format!("{:x}", sim.rng.u64())));
            ev
        }
        2 => {
            let mut ev = sim.event(Kind::Other("session_recording_config.update"), t, "TCREC003I");
            user_meta(&mut ev, user, None);
            ev.push(Key::Custom("mode"), Value::str("node-sync"));
            ev
        }
        3 => {
            let mut ev = sim.event(Kind::Other("access_list.review"), t, "TAL004I");
            user_meta(&mut ev, user, None);
            ev.push(Key::Name, Value::str("prod-oncall"));
            ev.push(Key::Custom("review_id"), Value::Uuid(sim.rng.uuid()));
            ev.push(Key::Custom("membership_requirements_changed"), Value::Raw(Text::Static("{\"roles\":[\"ops\"]}")));
            ev
        }
        _ => {
            // A type from a release after this tool: nothing about it may be assumed.
            let mut ev = sim.event(Kind::Other("workload.attestation.v2"), t, "TWA001I");
            ev.push(Key::Custom("workload"), Value::str("shop-api"));
            ev.push(
                Key::Custom("attestation"),
                Value::Raw(Text::Static(
                    "{\"unix\":{\"pid\":4312,\"uid\":1000},\"kubernetes\":{\"namespace\":\"shop\"}}",
                )),
            );
            ev.push(Key::Custom("success"), Value::Bool(true));
            ev
        }
    };
    ev.index = 0;
    sim.emit(ev);
}
