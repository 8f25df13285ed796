//! Exports list every file's SHA-256, and files are hashed only once a load is parsed (hashing
//! beside the parser slowed it by a quarter). Exports asked for meanwhile wait here until the
//! reader says everything read is digested.
//!
//! Each `Parsed` sent to the reader is numbered, and only the `Digested` of the latest number
//! opens the gate: one answering an earlier load (say, one cleared meanwhile) must not release
//! exports waiting for a later load's hashes. The count is kept across clears for that reason.

use review_protocol::Request;

#[derive(Default)]
pub struct HashGate {
    hashing: bool,
    rounds: u32,
    waiting: Vec<(u32, Request)>,
}

/// What became of a request offered to the gate.
#[derive(Debug)]
pub enum Gated {
    /// Run it now.
    Pass(Request),
    /// It waits; these earlier requests it replaces are to be answered as replaced.
    Held { replaced: Vec<u32> },
}

impl HashGate {
    /// A load was parsed: hashing starts. Returns the number to send the reader as `Parsed`.
    pub fn parsed(&mut self) -> u32 {
        self.hashing = true;
        self.rounds = self.rounds.wrapping_add(1);
        self.rounds
    }

    /// Passes `req` through, unless it lists hashes and hashing is under way. One table
    /// export runs at a time (its chunks are asked for one by one): a newer one replaces one
    /// still waiting.
    pub fn offer(&mut self, id: u32, req: Request) -> Gated {
        if !self.hashing || !lists_hashes(&req) {
            return Gated::Pass(req);
        }
        let mut replaced = Vec::new();
        if matches!(req, Request::Export(_)) {
            self.waiting.retain(|(older, r)| {
                let keep = !matches!(r, Request::Export(_));
                if !keep {
                    replaced.push(*older);
                }
                keep
            });
        }
        self.waiting.push((id, req));
        Gated::Held { replaced }
    }

    /// The reader digested everything read up to `Parsed(round)`: the requests that waited,
    /// in the order they came, when `round` is the latest; nothing otherwise.
    pub fn digested(&mut self, round: u32) -> Vec<(u32, Request)> {
        if round != self.rounds {
            return Vec::new();
        }
        self.hashing = false;
        std::mem::take(&mut self.waiting)
    }

    /// Everything is cleared: the ids of the requests that waited (to be answered). The
    /// round count stays.
    pub fn clear(&mut self) -> Vec<u32> {
        self.hashing = false;
        self.waiting.drain(..).map(|(id, _)| id).collect()
    }
}

fn lists_hashes(req: &Request) -> bool {
    matches!(req, Request::Export(_) | Request::Report { .. } | Request::ExportFiles { .. } | Request::ExportFindings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use review_core::views::{ExportFormat, ExportRequest, Table};

    fn export(query: &str) -> Request {
        Request::Export(ExportRequest { table: Table::Events, query: query.into(), format: ExportFormat::Csv })
    }

    fn ids(released: &[(u32, Request)]) -> Vec<u32> {
        released.iter().map(|(id, _)| *id).collect()
    }

    #[test]
    fn exports_pass_until_a_load_is_parsed_then_wait_for_its_digest() {
        let mut gate = HashGate::default();
        assert!(matches!(gate.offer(1, Request::ExportFindings), Gated::Pass(_)));
        let round = gate.parsed();
        assert!(matches!(gate.offer(2, Request::ExportFiles { sums: true }), Gated::Held { .. }));
        // Requests that list no hashes never wait.
        assert!(matches!(gate.offer(3, Request::Overview), Gated::Pass(Request::Overview)));
        assert!(matches!(gate.offer(4, Request::ExportFindings), Gated::Held { .. }));
        assert_eq!(ids(&gate.digested(round)), [2, 4]);
        assert!(matches!(gate.offer(5, Request::ExportFiles { sums: false }), Gated::Pass(_)));
    }

    #[test]
    fn a_digest_of_an_earlier_load_releases_nothing() {
        let mut gate = HashGate::default();
        let first = gate.parsed();
        assert!(gate.clear().is_empty());
        let second = gate.parsed();
        assert_ne!(first, second);
        assert!(matches!(gate.offer(7, Request::ExportFindings), Gated::Held { .. }));
        assert!(gate.digested(first).is_empty());
        assert!(matches!(gate.offer(8, Request::ExportFindings), Gated::Held { .. }));
        assert_eq!(ids(&gate.digested(second)), [7, 8]);
    }

    #[test]
    fn a_newer_table_export_replaces_a_waiting_one() {
        let mut gate = HashGate::default();
        let round = gate.parsed();
        assert!(matches!(gate.offer(1, export("user:alice")), Gated::Held { ref replaced } if replaced.is_empty()));
        assert!(matches!(gate.offer(2, Request::ExportFindings), Gated::Held { .. }));
        assert!(matches!(gate.offer(3, export("user:bob")), Gated::Held { ref replaced } if replaced == &[1]));
        let released = gate.digested(round);
        assert_eq!(ids(&released), [2, 3]);
        assert!(matches!(&released[1].1, Request::Export(t) if t.query == "user:bob"));
    }

    #[test]
    fn clearing_answers_what_waited_and_opens_the_gate() {
        let mut gate = HashGate::default();
        let round = gate.parsed();
        assert!(matches!(gate.offer(1, Request::ExportFindings), Gated::Held { .. }));
        assert!(matches!(gate.offer(2, export("")), Gated::Held { .. }));
        assert_eq!(gate.clear(), [1, 2]);
        assert!(matches!(gate.offer(3, Request::ExportFindings), Gated::Pass(_)));
        assert!(gate.digested(round).is_empty());
    }
}
