//! `self-approved-request`: an access request approved by the person who created it
//! (`access_request.create` user = approving `access_request.review` reviewer or
//! `access_request.update` updated_by), matched by request id. Needs the raw lines of
//! access-request events; lines that cannot be read are counted, not guessed.

use super::ctx::{Ctx, Group};
use super::fields::Fields;
use super::finding::{when, Finding, Severity};
use crate::model::EventId;
use foldhash::HashMap;

pub(super) const RULE: &str = "self-approved-request";

struct Request {
    create: Option<(EventId, String)>,
    roles: Vec<String>,
    reason: Option<String>,
    /// Approving events with who approved.
    approvals: Vec<(EventId, String)>,
}

pub(super) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let k = &cx.k;
    let mut requests: HashMap<String, Request> = HashMap::default();
    let mut order: Vec<String> = Vec::new();
    for &id in cx.of(Group::Requests) {
        let e = cx.ev(id);
        let Some(f) = cx.raw(id).as_deref().and_then(Fields::parse) else { continue };
        let Some(rid) = f.str("id").map(str::to_owned) else { continue };
        let r = requests.entry(rid.clone()).or_insert_with(|| {
            order.push(rid.clone());
            Request { create: None, roles: Vec::new(), reason: None, approvals: Vec::new() }
        });
        let user = f.str("user").map(str::to_owned);
        if e.kind == k.request_create {
            if let Some(u) = user {
                r.create = Some((id, u));
                r.roles = f.strs("roles");
                r.reason = f.str("reason").map(str::to_owned);
            }
        } else if e.kind == k.request_review {
            let approved = f.state("proposed_state").as_deref() == Some("APPROVED");
            if let (true, Some(who)) = (approved, f.str("reviewer").map(str::to_owned).or(user)) {
                r.approvals.push((id, who));
            }
        } else {
            let approved = f.state("state").as_deref() == Some("APPROVED");
            if let (true, Some(who)) = (approved, f.str("updated_by").map(str::to_owned).or(user)) {
                r.approvals.push((id, who));
            }
        }
    }
    for rid in order {
        let r = &requests[&rid];
        let Some((create, creator)) = &r.create else { continue };
        let mine: Vec<EventId> = r.approvals.iter().filter(|(_, who)| who == creator).map(|&(id, _)| id).collect();
        let Some(&first) = mine.first() else { continue };
        let roles = if r.roles.is_empty() { String::new() } else { format!(" for {}", r.roles.join(", ")) };
        let explanation = format!(
            "{creator} created access request {rid}{roles} at {} and approved it themselves at {}{}.",
            when(cx.ev(*create).time),
            when(cx.ev(first).time),
            r.reason.as_deref().map(|x| format!(" (reason: {x:?})")).unwrap_or_default()
        );
        let mut events = mine;
        events.push(*create);
        out.push(cx.finding(
            RULE,
            Severity::High,
            format!("{creator} approved their own access request"),
            explanation,
            events,
        ));
    }
}
