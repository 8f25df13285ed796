//! Completion for the query bar: field names as they are typed, then the values of that field
//! found in the loaded events, most frequent first.

use super::compile::{column_of, FIELDS};
use crate::model::Model;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// What to insert (a field with its `:`, or a value).
    pub text: String,
    /// What it is: a field's description, or how many events hold the value.
    pub note: String,
}

/// Fields whose name starts with `prefix` (case-insensitive), in the order of [`FIELDS`].
pub fn complete_fields(prefix: &str) -> Vec<Completion> {
    let prefix = prefix.to_ascii_lowercase();
    FIELDS
        .iter()
        .filter(|(name, _)| name.starts_with(&prefix) && *name != prefix)
        .map(|(name, about)| Completion { text: format!("{name}:"), note: (*about).to_owned() })
        .collect()
}

/// Values of `field` among the loaded events that start with `prefix` (case-insensitive), with
/// their event counts, most frequent first, at most `limit`. Needs the model's index built
/// ([`Model::ensure_sorted`]); fields that are not columns complete from their fixed words.
pub fn complete_values(m: &Model, field: &str, prefix: &str, limit: usize) -> Vec<Completion> {
    let fixed: &[&str] = match field {
        "outcome" => &["failure", "success"],
        "success" => &["false", "true"],
        "weekday" => &["mon", "tue", "wed", "thu", "fri", "sat", "sun", "mon-fri", "sat,sun"],
        "duration" => &["unknown"],
        _ => &[],
    };
    if !fixed.is_empty() {
        let p = prefix.to_ascii_lowercase();
        return fixed
            .iter()
            .filter(|w| w.starts_with(&p))
            .map(|w| Completion { text: (*w).into(), note: String::new() })
            .collect();
    }
    let Some(column) = column_of(field) else { return Vec::new() };
    let index = m.index();
    let slot = column.slot();
    let prefix = prefix.as_bytes();
    let starts = |s: &str| s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix);
    // How often each value of the column occurs: counted once, then reused at every key typed.
    let counts = m.derived(&format!("values counted in column {slot}"), || {
        let mut counts = vec![0u32; m.strings.len()];
        for sym in &index.columns[slot] {
            if let Some(n) = counts.get_mut(sym.index()) {
                *n += 1;
            }
        }
        counts
    });
    let mut found: Vec<(u32, usize)> = index
        .values(slot)
        .filter(|&sym| !sym.is_none() && starts(m.strings.get(sym)))
        .map(|sym| (counts.get(sym.index()).copied().unwrap_or(0), sym.index()))
        .collect();
    let text = |i: usize| m.strings.get(crate::model::Sym(i as u32));
    found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| text(a.1).cmp(text(b.1))));
    found
        .into_iter()
        .take(limit)
        .map(|(n, i)| Completion {
            text: text(i).to_owned(),
            note: if n == 1 { "1 event".to_owned() } else { format!("{n} events") },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Ingest, Options};

    fn model(lines: &[&str]) -> Model {
        let mut ingest = Ingest::new(Options::default());
        let text = lines.join("\n") + "\n";
        ingest.add_bytes("a.log", text.as_bytes());
        let mut m = ingest.finish();
        m.ensure_sorted();
        m
    }

    #[test]
    fn fields_complete_by_prefix() {
        let f: Vec<String> = complete_fields("us").into_iter().map(|c| c.text).collect();
        assert_eq!(f, ["user:"]);
        assert!(complete_fields("").len() >= 10);
        assert!(complete_fields("user").is_empty(), "a whole name needs no completion");
    }

    #[test]
    fn values_come_from_the_data_most_frequent_first() {
        let m = model(&[
            r#"{"event":"user.login","user":"alice","time":"2024-01-01T00:00:00Z"}"#,
            r#"{"event":"user.login","user":"Alfred","time":"2024-01-01T00:00:01Z"}"#,
            r#"{"event":"user.login","user":"alfred","time":"2024-01-01T00:00:02Z"}"#,
            r#"{"event":"user.login","user":"alfred","time":"2024-01-01T00:00:03Z"}"#,
            r#"{"event":"user.login","user":"bob","login":"alice","time":"2024-01-01T00:00:04Z"}"#,
        ]);
        let v: Vec<(String, String)> =
            complete_values(&m, "user", "al", 10).into_iter().map(|c| (c.text, c.note)).collect();
        assert_eq!(
            v,
            [
                ("alfred".into(), "2 events".into()),
                ("Alfred".into(), "1 event".into()),
                ("alice".into(), "1 event".into())
            ]
        );
        // Only that column's values: alice as a login is not a user value here.
        assert_eq!(complete_values(&m, "login", "", 10).len(), 1);
        assert_eq!(complete_values(&m, "user", "al", 1).len(), 1);
        assert!(complete_values(&m, "user", "zz", 10).is_empty());
        assert!(complete_values(&m, "nosuchfield", "", 10).is_empty());
        assert_eq!(complete_values(&m, "outcome", "f", 10)[0].text, "failure");
    }
}
