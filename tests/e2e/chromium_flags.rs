//! The switches every headless Chromium here starts with, shared by the e2e harness and the
//! bench (two crates: the bench includes this file by path). No sandbox (tests run as root), no
//! GPU, and none of the background connections that a closed network refuses.

pub const HEADLESS_CHROMIUM: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,900",
];
