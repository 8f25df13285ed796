//! The organisation whose logs are generated: people (local, SSO and bots) with time zones,
//! jobs, logins and home addresses; nodes with hostnames, ids, labels and addresses. A fixed
//! cast (named in the demo's documentation and targeted by its planted incidents) comes first;
//! random colleagues and machines are added for bigger data sets.

use crate::event::Value;
use crate::rng::Rng;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    Local,
    Github,
    Oidc,
    Saml,
    /// A machine identity: a cron/CI user before v12, a Machine ID bot after.
    Bot,
}

impl AuthKind {
    /// The `method` of its `user.login` events.
    pub fn method(self) -> &'static str {
        match self {
            AuthKind::Local => "local",
            AuthKind::Github => "github",
            AuthKind::Oidc => "oidc",
            AuthKind::Saml => "saml",
            AuthKind::Bot => "token",
        }
    }

    pub fn is_sso(self) -> bool {
        matches!(self, AuthKind::Github | AuthKind::Oidc | AuthKind::Saml)
    }
}

/// What someone does all day decides where they go and what they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Dev,
    Ops,
    Dba,
    Contractor,
    Admin,
    Security,
    Bot,
}

#[derive(Clone, Debug)]
pub struct User {
    pub name: Arc<str>,
    pub auth: AuthKind,
    pub job: Job,
    /// Offset of their local time from UTC, in minutes.
    pub tz_minutes: i64,
    pub roles: Vec<&'static str>,
    /// OS logins they use, most used first.
    pub logins: Vec<&'static str>,
    /// Where they usually connect from.
    pub home_ip: [u8; 4],
    /// Chance of working on a weekday.
    pub diligence: f64,
    /// Nodes they usually work on (indexes into [`Org::nodes`]).
    pub nodes: Vec<usize>,
    pub mfa: bool,
}

impl User {
    pub fn is_bot(&self) -> bool {
        self.job == Job::Bot
    }
}

#[derive(Clone, Debug)]
pub struct Node {
    pub hostname: Arc<str>,
    pub uuid: u128,
    pub ip: [u8; 4],
    /// `server_labels`, ready to write.
    pub labels: Value,
    pub role: &'static str,
    /// Runs enhanced (BPF) session recording.
    pub enhanced: bool,
}

#[derive(Clone, Debug)]
pub struct Org {
    pub users: Vec<User>,
    pub nodes: Vec<Node>,
    /// The office's public address (NAT).
    pub office_ip: [u8; 4],
    pub proxy_ip: [u8; 4],
}

/// The people named in the demo documentation. (name, auth, job, tz hours×60, home address.)
const CAST: [(&str, AuthKind, Job, i64, [u8; 4]); 12] = [
    ("alice", AuthKind::Github, Job::Dev, 60, [89, 160, 20, 112]),
    ("bob", AuthKind::Local, Job::Ops, 60, [89, 160, 20, 128]),
    ("carol@acme.io", AuthKind::Oidc, Job::Dba, -300, [216, 160, 83, 61]),
    ("dave", AuthKind::Local, Job::Dev, 0, [2, 125, 160, 216]),
    ("erin", AuthKind::Local, Job::Dev, 0, [81, 2, 69, 160]),
    ("frank@acme.io", AuthKind::Saml, Job::Admin, -300, [216, 160, 83, 57]),
    ("grace-h", AuthKind::Github, Job::Ops, -480, [67, 43, 156, 14]),
    ("heidi", AuthKind::Local, Job::Contractor, 330, [175, 16, 199, 23]),
    ("ivan-k", AuthKind::Github, Job::Dev, 120, [89, 160, 20, 140]),
    ("judy@acme.io", AuthKind::Oidc, Job::Security, -480, [67, 43, 156, 40]),
    ("bot-ci", AuthKind::Bot, Job::Bot, 0, [10, 20, 9, 10]),
    ("bot-backup", AuthKind::Bot, Job::Bot, 0, [10, 20, 9, 11]),
];

/// The machines named in the demo documentation. (hostname, role, enhanced recording.)
const MACHINES: [(&str, &str, bool); 16] = [
    ("bastion-01", "bastion", false),
    ("web-01", "web", false),
    ("web-02", "web", true),
    ("web-03", "web", false),
    ("api-01", "api", false),
    ("api-02", "api", true),
    ("db-primary-01", "db", true),
    ("db-replica-01", "db", false),
    ("worker-01", "worker", false),
    ("worker-02", "worker", false),
    ("worker-03", "worker", false),
    ("build-01", "build", false),
    ("k8s-node-01", "k8s", false),
    ("k8s-node-02", "k8s", false),
    ("monitoring-01", "monitoring", false),
    ("cache-01", "cache", false),
];

const FIRST_NAMES: [&str; 40] = [
    "aaron", "beth", "chen", "diego", "elena", "farid", "gita", "hana", "igor", "jana", "kofi", "lena", "mateo",
    "nadia", "omar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "victor", "wei", "ximena", "yusuf", "zoe",
    "anil", "bruno", "clara", "dmitri", "esme", "femi", "gus", "hiro", "ines", "jonas", "kai", "lucia", "milo", "noor",
];

/// Public prefixes people connect from (MaxMind's GeoIP test ranges, so lookups resolve).
const HOME_PREFIXES: [[u8; 3]; 8] = [
    [89, 160, 20],
    [81, 2, 69],
    [216, 160, 83],
    [175, 16, 199],
    [2, 125, 160],
    [67, 43, 156],
    [202, 196, 224],
    [149, 101, 100],
];

const ZONES: [i64; 8] = [-480, -300, 0, 60, 120, 330, 480, 540];

impl Org {
    /// The cast and the named machines, plus `extra_users` colleagues and `extra_nodes`
    /// machines drawn from `seed`.
    pub fn new(seed: u64, extra_users: usize, extra_nodes: usize) -> Org {
        let mut rng = Rng::new(seed).fork(0x06);
        let mut nodes: Vec<Node> =
            MACHINES.iter().map(|&(h, role, enh)| node(&mut rng, h.to_owned(), role, enh)).collect();
        let roles = ["web", "api", "worker", "db", "cache", "build", "k8s"];
        for i in 0..extra_nodes {
            let role = *rng.pick(&roles);
            let hostname = format!("{role}-{:02}", 10 + i);
            let enhanced = rng.chance(0.1);
            nodes.push(node(&mut rng, hostname, role, enhanced));
        }
        let mut users: Vec<User> = CAST
            .iter()
            .map(|&(name, auth, job, tz, ip)| user(&mut rng, name.to_owned(), auth, job, tz, ip, &nodes))
            .collect();
        for i in 0..extra_users {
            let first = FIRST_NAMES[i % FIRST_NAMES.len()];
            let generation = i / FIRST_NAMES.len();
            let auth =
                *rng.weighted(&[(AuthKind::Local, 3), (AuthKind::Github, 3), (AuthKind::Oidc, 2), (AuthKind::Saml, 2)]);
            let base = if generation == 0 { first.to_owned() } else { format!("{first}{generation}") };
            let name = match auth {
                AuthKind::Oidc | AuthKind::Saml => format!("{base}@acme.io"),
                _ => base,
            };
            let job =
                *rng.weighted(&[(Job::Dev, 10), (Job::Ops, 4), (Job::Dba, 1), (Job::Contractor, 2), (Job::Admin, 1)]);
            let prefix = rng.pick(&HOME_PREFIXES);
            let ip = [prefix[0], prefix[1], prefix[2], rng.range(2, 250) as u8];
            let tz = *rng.pick(&ZONES);
            users.push(user(&mut rng, name, auth, job, tz, ip, &nodes));
        }
        // The brute-force victim had a weak password and no second factor; that is the story.
        users[3].mfa = false;
        Org { users, nodes, office_ip: [216, 160, 83, 56], proxy_ip: [10, 20, 0, 5] }
    }

    /// A machine added by hand (the demo's odd ones); returns its index.
    pub fn add_node(&mut self, rng: &mut Rng, hostname: String, role: &'static str, enhanced: bool) -> usize {
        self.nodes.push(node(rng, hostname, role, enhanced));
        self.nodes.len() - 1
    }

    pub fn user(&self, name: &str) -> usize {
        self.users.iter().position(|u| &*u.name == name).unwrap_or_else(|| panic!("no user {name}"))
    }

    pub fn node(&self, hostname: &str) -> usize {
        self.nodes.iter().position(|n| &*n.hostname == hostname).unwrap_or_else(|| panic!("no node {hostname}"))
    }
}

fn node(rng: &mut Rng, hostname: String, role: &'static str, enhanced: bool) -> Node {
    let env = if rng.chance(0.75) { "prod" } else { "staging" };
    let region = *rng.pick(&["eu-west-1", "us-east-1"]);
    let ip = [10, 20, rng.range(1, 8) as u8, rng.range(2, 254) as u8];
    let labels = Value::map([("env", env), ("role", role), ("region", region)]);
    Node { hostname: hostname.into(), uuid: rng.uuid(), ip, labels, role, enhanced }
}

fn user(
    rng: &mut Rng,
    name: String,
    auth: AuthKind,
    job: Job,
    tz_minutes: i64,
    home_ip: [u8; 4],
    nodes: &[Node],
) -> User {
    let (roles, logins, wanted): (Vec<&str>, Vec<&str>, &[&str]) = match job {
        Job::Dev => (vec!["dev"], vec!["ubuntu", "ec2-user", "app"], &["web", "api", "worker", "build", "k8s"]),
        Job::Ops => (
            vec!["ops", "dev"],
            vec!["ubuntu", "root", "ec2-user"],
            &["web", "api", "worker", "bastion", "monitoring", "cache", "k8s"],
        ),
        Job::Dba => (vec!["dba"], vec!["postgres", "ubuntu"], &["db", "cache"]),
        Job::Contractor => (vec!["contractor"], vec!["ubuntu"], &["web", "worker"]),
        Job::Admin => {
            (vec!["editor", "access", "ops"], vec!["root", "ubuntu"], &["bastion", "db", "web", "api", "monitoring"])
        }
        Job::Security => (vec!["auditor", "access"], vec!["ubuntu"], &["bastion", "monitoring"]),
        Job::Bot => (vec!["bot"], vec!["deploy", "backup"], &["web", "api", "worker", "build", "db"]),
    };
    let mut candidates: Vec<usize> = (0..nodes.len()).filter(|&i| wanted.contains(&nodes[i].role)).collect();
    rng.shuffle(&mut candidates);
    candidates.truncate(rng.range(3, 8) as usize);
    User {
        name: name.into(),
        auth,
        job,
        tz_minutes,
        roles,
        logins,
        home_ip,
        diligence: rng.normal(0.88, 0.05).clamp(0.6, 0.98),
        nodes: candidates,
        mfa: auth == AuthKind::Local && job != Job::Bot && rng.chance(0.7),
    }
}
