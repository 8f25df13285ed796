//! The things people and bots do, each as the audit events Teleport writes for it: logins
//! (with every kind of failure), interactive sessions (resize, join/leave, enhanced events,
//! crashes), exec, file transfers, port forwarding, node auth failures, Kubernetes and database
//! access, access requests, admin changes, and event types this crate does not model.

mod admin;
mod commands;
mod login;
mod services;
mod shell;

pub use admin::*;
pub use commands::*;
pub use login::*;
pub use services::*;
pub use shell::*;

/// Where a connection comes from: address and source port.
pub type Client = ([u8; 4], u16);

/// Who goes where as whom, from which address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub user: usize,
    pub node: usize,
    pub login: &'static str,
    pub ip: [u8; 4],
}
