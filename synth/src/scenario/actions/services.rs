//! Access beyond SSH: Kubernetes requests, database sessions, access requests.

use crate::event::{Event, Key, Kind, Text, Value};
use crate::scenario::org::Job;
use crate::scenario::{user_meta, Sim};
use crate::timefmt::{Nanos, MILLI, MINUTE, SECOND};

/// A burst of `kubectl` calls (v5+).
pub fn kube_requests(sim: &mut Sim<'_>, u: usize, ip: [u8; 4], mut t: Nanos) -> Nanos {
    let user = sim.user(u);
    let calls = sim.rng.range(2, 10);
    let server = sim.org.nodes.iter().find(|n| n.role == "k8s").map_or(0, |n| n.uuid);
    for _ in 0..calls {
        let (verb, kind, name) = *sim.rng.pick(&[
            ("GET", "pods", ""),
            ("GET", "pods", "shop-api-7d9f8b6c5-x2k4p"),
            ("GET", "deployments", "shop-api"),
            ("PATCH", "deployments", "shop-api"),
            ("GET", "services", ""),
            ("POST", "pods", "shop-api-7d9f8b6c5-x2k4p"),
        ]);
        let namespace = *sim.rng.pick(&["shop", "shop", "payments", "kube-system"]);
        let status = if namespace == "kube-system" && user.job != Job::Ops { 403 } else { 200 };
        let (group, path_kind) =
            if kind == "deployments" { ("apps/v1", "apis/apps/v1") } else { ("core/v1", "api/v1") };
        let mut path = format!("/{path_kind}/namespaces/{namespace}/{kind}");
        if !name.is_empty() {
            path.push('/');
            path.push_str(name);
            if verb == "POST" {
                path.push_str("/exec");
            }
        }
        let mut ev = sim.event(Kind::KubeRequest, t, "T3009I");
        user_meta(&mut ev, user, None);
        ev.push(Key::AddrLocal, Value::Addr(sim.org.proxy_ip, 3026));
        let port = sim.ephemeral_port();
        ev.push(Key::AddrRemote, Value::Addr(ip, port));
        ev.push(Key::Proto, Value::str("kube"));
        ev.push(Key::Namespace, Value::str("default"));
        ev.push(Key::ServerId, Value::Uuid(server));
        ev.push(Key::KubernetesCluster, Value::str("prod-eks"));
        ev.push(Key::KubernetesUsers, Value::list([user.name.split('@').next().unwrap_or("").to_owned()]));
        ev.push(
            Key::KubernetesGroups,
            Value::list(["system:authenticated", if user.job == Job::Ops { "ops" } else { "developers" }]),
        );
        ev.push(Key::RequestPath, Value::str(path));
        ev.push(Key::Verb, Value::str(verb));
        ev.push(Key::ResponseCode, Value::Int(status));
        ev.push(Key::ResourceApiGroup, Value::str(group));
        ev.push(Key::ResourceKind, Value::str(kind));
        if !name.is_empty() {
            ev.push(Key::ResourceName, Value::str(name));
        }
        ev.push(Key::ResourceNamespace, Value::str(namespace));
        sim.emit(ev);
        t += sim.rng.range(2, 90) * SECOND;
    }
    t
}

const QUERIES: [&str; 6] = [
    "SELECT id, status FROM orders WHERE created_at > now() - interval '1 hour'",
    "SELECT count(*) FROM customers",
    "EXPLAIN ANALYZE SELECT * FROM order_items WHERE order_id = $1",
    "UPDATE orders SET status = 'refunded' WHERE id = 84213",
    "SELECT pid, state, query FROM pg_stat_activity",
    "VACUUM ANALYZE order_items",
];

/// A database session through Teleport (v6+): start (sometimes denied), queries, end.
pub fn db_session(sim: &mut Sim<'_>, u: usize, ip: [u8; 4], t: Nanos) -> Nanos {
    let user = sim.user(u);
    let sid = sim.rng.uuid();
    let server = sim.org.nodes.iter().find(|n| n.role == "db").map_or(0, |n| n.uuid);
    let denied = sim.rng.chance(0.05);
    let db_user = if denied { "postgres" } else { "app_readwrite" };
    let client = (ip, sim.ephemeral_port());
    let base = |sim: &mut Sim<'_>, kind: Kind, t: Nanos, code: &'static str, index: i64| {
        let mut ev = sim.event(kind, t, code);
        ev.index = index;
        user_meta(&mut ev, user, None);
        ev.push(Key::Sid, Value::Uuid(sid));
        ev.push(Key::Namespace, Value::str("default"));
        ev.push(Key::ServerId, Value::Uuid(server));
        ev
    };
    let db_fields = |ev: &mut Event| {
        ev.push(Key::DbService, Value::str("shop-postgres"));
        ev.push(Key::DbProtocol, Value::str("postgres"));
        ev.push(Key::DbUri, Value::str("shop-db.cluster-c9akciq32.eu-west-1.rds.amazonaws.com:5432"));
        ev.push(Key::DbName, Value::str("shop"));
        ev.push(Key::DbUser, Value::str(db_user));
    };
    let mut start = base(sim, Kind::DbSessionStart, t, if denied { "TDB00W" } else { "TDB00I" }, 0);
    start.push(Key::AddrRemote, Value::Addr(client.0, client.1));
    start.push(Key::Success, Value::Bool(!denied));
    if denied {
        start.push(
            Key::Error,
            Value::str("access to db denied. User does not have permissions. Confirm database user and name."),
        );
    }
    db_fields(&mut start);
    sim.emit(start);
    if denied {
        return t + SECOND;
    }
    let mut at = t;
    let queries = sim.rng.range(1, 8);
    for i in 0..queries {
        at += sim.rng.range(5, 240) * SECOND;
        let mut q = base(sim, Kind::DbSessionQuery, at, "TDB02I", i + 1);
        db_fields(&mut q);
        let query = *sim.rng.pick(&QUERIES);
        q.push(Key::DbQuery, Value::str(query));
        q.push(Key::Success, Value::Bool(true));
        sim.emit(q);
    }
    at += sim.rng.range(5, 120) * SECOND;
    let mut end = base(sim, Kind::DbSessionEnd, at, "TDB01I", queries + 1);
    db_fields(&mut end);
    sim.emit(end);
    at
}

/// An access request: created, (from v6) reviewed, and approved by a reviewer.
pub fn access_request(sim: &mut Sim<'_>, requester: usize, reviewer: usize, t: Nanos, reason: &str) -> Nanos {
    let id = sim.rng.uuid();
    let who = sim.user(requester);
    let mut create = sim.event(Kind::AccessRequestCreate, t, "T5000I");
    user_meta(&mut create, who, None);
    create.push(Key::Expires, Value::Time(t + 60 * MINUTE));
    create.push(Key::Roles, Value::list(["prod-access"]));
    create.push(Key::RequestId, Value::Uuid(id));
    create.push(Key::State, Value::str("PENDING"));
    create.push(Key::Reason, Value::str(reason.to_owned()));
    sim.emit(create);
    let by = sim.user(reviewer);
    let at = t + sim.rng.range(2, 40) * MINUTE;
    let mut review = sim.event(Kind::AccessRequestReview, at, "T5002I");
    user_meta(&mut review, by, None);
    review.push(Key::RequestId, Value::Uuid(id));
    review.push(Key::Reviewer, Value::Str(Text::Shared(by.name.clone())));
    review.push(Key::ProposedState, Value::str("APPROVED"));
    review.push(Key::Reason, Value::str("ok, ticket checked"));
    sim.emit(review);
    let update_at = at + sim.rng.range(10, 400) * MILLI;
    let mut update = sim.event(Kind::AccessRequestUpdate, update_at, "T5001I");
    update.push(Key::RequestId, Value::Uuid(id));
    update.push(Key::State, Value::str("APPROVED"));
    update.push(Key::UpdatedBy, Value::Str(Text::Shared(by.name.clone())));
    sim.emit(update);
    at + SECOND
}
