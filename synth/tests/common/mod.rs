//! Helpers shared by the integration tests: reading lines back with their key order.

#![allow(dead_code)]

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use synth::era::{Era, EraOutput};
use synth::layout::{GzPolicy, HaPolicy};
use synth::rng::Rng;
use synth::scenario::org::Org;
use synth::scenario::{incidents, Sim};
use synth::timefmt::days_from_civil;
use synth::{OutFile, Version};

/// The keys of a JSON object, in the order written.
pub struct Keys(pub Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(V)
    }
}

/// One line read back: its keys in order and its values.
pub struct Line {
    pub keys: Vec<String>,
    pub value: serde_json::Map<String, serde_json::Value>,
    pub text: String,
}

impl Line {
    pub fn parse(text: &str) -> Line {
        let keys = serde_json::from_str::<Keys>(text).unwrap_or_else(|e| panic!("{e}: {text}")).0;
        let value = serde_json::from_str(text).unwrap();
        Line { keys, value, text: text.to_owned() }
    }

    pub fn event(&self) -> &str {
        self.value["event"].as_str().unwrap()
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(|v| v.as_str())
    }

    pub fn has(&self, key: &str) -> bool {
        self.value.contains_key(key)
    }
}

/// The text of a (possibly gzipped) file.
pub fn text_of(f: &OutFile) -> String {
    if f.path.ends_with(".gz") {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(&f.bytes[..]), &mut out).unwrap();
        out
    } else {
        String::from_utf8(f.bytes.clone()).unwrap()
    }
}

pub fn lines_of(files: &[OutFile]) -> Vec<Line> {
    files.iter().flat_map(|f| text_of(f).lines().map(Line::parse).collect::<Vec<_>>()).collect()
}

/// Three working days (and the planted incidents) of the cast at `version`, two HA auth
/// servers where the version had per-server directories.
pub fn sample_era(version: Version) -> EraOutput {
    let org = Org::new(11, 0, 0);
    let rng = Rng::new(99);
    let mut ids = rng.fork(5);
    let servers = if version.per_auth_server_dirs() { 2 } else { 1 };
    let era = Era {
        root: format!("v{version}"),
        version,
        cluster_name: "sample".into(),
        first_day: days_from_civil(2024, 3, 11),
        days: 3,
        auth_servers: (0..servers).map(|_| ids.uuid()).collect(),
        ha: HaPolicy::default(),
        users: (0..org.users.len()).collect(),
        intensity: 1.5,
    };
    era.run(&org, &rng, GzPolicy { fraction: 0.5, multi_member: 0.5 }, |sim: &mut Sim<'_>| {
        let day = (2024, 3, 11);
        vec![
            incidents::brute_force(sim, day),
            incidents::new_address(sim, (2024, 3, 12)),
            incidents::root_after_hours(sim, (2024, 3, 13)),
            incidents::unmodelled(sim, (2024, 3, 12)),
        ]
    })
}
