//! What happens on screen in the sessions that tell a story: dave's compromised shell, the
//! long everyday session that exercises the player (colours, a full-screen program across a
//! resize, vim, a progress bar, CJK and emoji, long idle gaps), and a colleague joining.
//!
//! On nodes with enhanced recording every program started is logged as `session.command`, so
//! there the stories type only what the log shows, plus shell builtins (which start nothing).

use super::acts::Act;
use super::fullscreen::{self, Edit};
use super::programs::{crlf, ls_colour};
use super::tty::{Tty, BACKSPACE};
use crate::timefmt::{Nanos, MILLI, SECOND};

/// dave's shell on web-02 after the brute force. `commands` are the logged command lines (id,
/// uname, curl|bash, base64|sh, history -c), `denied_at` the blocked connection to port 4444.
pub fn compromise(commands: &[(Nanos, String)], denied_at: Option<Nanos>) -> Vec<Act> {
    let mut acts = Vec::new();
    for (at, line) in commands {
        let at = *at;
        let act = if line.contains("| bash") {
            let denied_at = denied_at.unwrap_or(at + 1_250 * MILLI);
            Act::typed(at, line, move |tty, _| payload(tty, denied_at))
        } else if line.contains("base64 -d") {
            // The decoded stage fetches quietly (`curl -s`) and gets nothing to run.
            Act::typed(at, line, |tty, _| tty.pause(900, 1_400))
        } else if line.starts_with("history") {
            // Typed in a hurry: a slip fixed with Backspace.
            let keys = line.replacen("history", &format!("histroy{0}{0}{0}ory", BACKSPACE), 1);
            // The prompt returns once `rm` (logged 30 ms in) has run.
            Act::typed(at, &keys, |tty, _| tty.pause(40, 70))
        } else {
            Act::command(at, line)
        };
        acts.push(act);
    }
    // Between uname and curl: looking for a place to work, with cd (a builtin, so unlogged).
    if let (Some(first), Some(curl)) = (commands.get(1), commands.iter().find(|c| c.1.contains("| bash"))) {
        let gap = curl.0 - first.0;
        acts.push(Act::typed(first.0 + gap / 4, "cd /dev/shm/.x", |tty, _| {
            tty.pause(1, 4);
            tty.out("-bash: cd: /dev/shm/.x: No such file or directory\r\n");
        }));
        acts.push(Act::typed(first.0 + gap / 2, "cd /dev/shm", |_, bash| bash.cwd = "/dev/shm".into()));
    }
    acts
}

/// What x.sh prints: its banner, then bash's errors when the reverse shell to 4444 is refused.
fn payload(tty: &mut Tty, denied_at: Nanos) {
    tty.pause(240, 420);
    tty.out("[*] x.sh 0.3 :: host check\r\n[*] uid=1000 arch=x86_64 kernel=5.15.0-97-generic\r\n");
    tty.pause(30, 90);
    tty.out("[*] opening channel to 45.9.148.3:4444 ...\r\n");
    let react = tty.rng.range(2, 6) * MILLI;
    tty.wait_until(denied_at + react);
    tty.out("bash: connect: Operation not permitted\r\nbash: line 14: /dev/tcp/45.9.148.3/4444: Operation not permitted\r\n");
    tty.pause(5, 30);
    tty.out("[-] channel failed; stage 2 queued\r\n");
}

/// The long everyday session. Things happen early (listing, history, a download, an edit,
/// notes with CJK and emoji), then `htop` runs across the logged resize at `resize`, while the
/// rest is the logged commands separated by minutes of idling.
pub fn showcase(start: Nanos, resize: Option<Nanos>) -> Vec<Act> {
    let s = |secs: i64| start + secs * SECOND;
    let mut acts = vec![
        Act::typed(s(6), "ls -la", |tty, _| tty.out_stream(crlf(&home_listing()))),
        Act::typed(s(13), "cd infra", |_, bash| bash.cwd = "~/infra".into()),
        Act::typed(s(19), "git log --oneline --graph --decorate -9", |tty, _| {
            tty.pause(20, 60);
            tty.out_stream(crlf(GIT_GRAPH));
        }),
        Act::typed(s(34), &format!("wget {CRICTL_URL}"), |tty, _| fullscreen::wget(tty, CRICTL_URL, 19_876_543)),
        Act::typed(s(55), "vim k8s/kubelet-config.yaml", |tty, _| {
            let edit = Edit { name: "k8s/kubelet-config.yaml", lines: KUBELET_YAML, search: "maxPods", replace: "250" };
            fullscreen::vim(tty, &edit);
        }),
        Act::custom(s(80), |tty, bash, at| {
            // Tab completes the CJK file name.
            tty.wait_until(at - 3 * SECOND);
            tty.type_text("cat docs/部");
            tty.pause(150, 300);
            tty.out("署手順.md ");
            tty.pause(300, 700);
            bash.enter(tty);
            tty.pause(2, 8);
            tty.out(crlf(DEPLOY_NOTES));
            bash.prompt(tty);
        }),
        Act::typed(s(96), "clear", |tty, _| tty.out("\x1b[H\x1b[2J\x1b[3J")),
    ];
    let htop_at = resize.map_or(s(110), |r| r - 14 * SECOND);
    acts.push(Act::typed(htop_at, "htop", move |tty, _| {
        let quit = resize.map_or(tty.now + 25 * SECOND, |r| r + 11 * SECOND);
        fullscreen::htop(tty, quit);
    }));
    acts
}

/// The colleague who joined looks at who is there (`w`), a few seconds after joining.
pub fn joiner_looks(joined: Nanos) -> Act {
    Act::command(joined + 4 * SECOND, "w")
}

const CRICTL_URL: &str =
    "https://github.com/kubernetes-sigs/cri-tools/releases/download/v1.29.0/crictl-v1.29.0-linux-amd64.tar.gz";

fn home_listing() -> String {
    let rows = [
        ("drwxr-x---", 7, "4096", "Mar 11 13:39", ".", 'd'),
        ("drwxr-xr-x", 3, "4096", "Jan 19  2023", "..", 'd'),
        ("-rw-------", 1, "8841", "Mar 11 13:39", ".bash_history", '-'),
        ("-rw-r--r--", 1, "220", "Jan  6  2022", ".bash_logout", '-'),
        ("-rw-r--r--", 1, "3771", "Jan  6  2022", ".bashrc", '-'),
        ("drwx------", 3, "4096", "Feb  2 10:14", ".cache", 'd'),
        ("-rw-r--r--", 1, "807", "Jan  6  2022", ".profile", '-'),
        ("drwx------", 2, "4096", "Feb  2 10:14", ".ssh", 'd'),
        ("-rw-rw-r--", 1, "18842311", "Mar  1 09:02", "crictl-v1.28.0-linux-amd64.tar.gz", 'z'),
        ("-rwxr-xr-x", 1, "1290", "Mar  4 17:20", "deploy-🚀.sh", 'x'),
        ("drwxrwxr-x", 6, "4096", "Mar  8 16:51", "infra", 'd'),
        ("-rw-rw-r--", 1, "2318", "Mar  8 16:55", "メモ.txt", '-'),
    ];
    let mut out = String::from("total 18460\n");
    for (mode, links, size, date, name, kind) in rows {
        let owner = if name == ".." { "root  " } else { "ubuntu" };
        out.push_str(&format!("{mode} {links} {owner} {owner} {size:>8} {date} {}\n", ls_colour(name, kind)));
    }
    out
}

/// `git log --graph --decorate` with git's colours: a merge, a tag, CJK and emoji subjects.
const GIT_GRAPH: &str = "* \x1b[33m3f2a9c1\x1b[m\x1b[33m (\x1b[m\x1b[1;36mHEAD -> \x1b[m\x1b[1;32mmain\x1b[m\x1b[33m, \x1b[m\x1b[1;31morigin/main\x1b[m\x1b[33m)\x1b[m ✨ kubelet: maxPods を 250 に引き上げる
*   \x1b[33m8e1d0b4\x1b[m Merge pull request #212 from acme/fix-timeouts
\x1b[31m|\x1b[m\x1b[32m\\\x1b[m  
\x1b[31m|\x1b[m * \x1b[33mc47a9e2\x1b[m 修正: API のタイムアウトを 30s に延長
\x1b[31m|\x1b[m * \x1b[33m1b9f3d7\x1b[m 🐛 fix readiness probe path
\x1b[31m|\x1b[m\x1b[31m/\x1b[m  
* \x1b[33m92ce5a0\x1b[m\x1b[33m (\x1b[m\x1b[1;33mtag: v2024.03.1\x1b[m\x1b[33m)\x1b[m 📝 docs: 更新部署手顺
* \x1b[33m5d7e210\x1b[m terraform: bump eks module to 19.21
* \x1b[33ma0c3f88\x1b[m ci: cache go modules
* \x1b[33m7f61b2e\x1b[m 🔒 rotate node bootstrap token
";

const KUBELET_YAML: &[&str] = &[
    "# kubelet configuration for the shop node pool",
    "apiVersion: kubelet.config.k8s.io/v1beta1",
    "kind: KubeletConfiguration",
    "address: 0.0.0.0",
    "authentication:",
    "  anonymous:",
    "    enabled: false",
    "  webhook:",
    "    enabled: true",
    "authorization:",
    "  mode: Webhook",
    "clusterDomain: cluster.local",
    "clusterDNS:",
    "  - 10.100.0.10",
    "maxPods: 110",
    "podPidsLimit: 4096",
    "evictionHard:",
    "  memory.available: \"200Mi\"",
    "  nodefs.available: \"10%\"",
    "serializeImagePulls: false",
];

const DEPLOY_NOTES: &str = "# 部署手順 🚀

1. `git pull` で main を最新にする ✅
2. `make plan` で差分を確認 👀
3. kubelet の設定は k8s/kubelet-config.yaml（maxPods など）
4. 金曜日の本番反映は禁止 🙅 — 緊急時は #ops へ
5. 完了したらチケットを閉じる 📝

负责人: 田中 / 王伟 — 最終更新 2024-03-08
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recordings::acts::{play, Ending};
    use crate::recordings::bash::{Bash, Os};
    use crate::rng::Rng;

    #[test]
    fn showcase_exercises_the_player() {
        let start = 1_710_164_341_000_000_000;
        let resize = start + 408 * SECOND;
        let mut tty = Tty::new(start, (100, 30), vec![(resize, 160, 48)], Rng::new(8));
        let mut bash = Bash::new("ubuntu", "k8s-node-01", Os::of(2024, "ubuntu"));
        let left = start + 900 * SECOND;
        play(&mut tty, &mut bash, "10.0.0.9", showcase(start, Some(resize)), Ending::Exit { left });
        let prints = tty.into_prints();
        assert!(prints.last().unwrap().0 < left);
        let out = String::from_utf8(prints.iter().flat_map(|p| p.1.clone()).collect()).unwrap();
        for wanted in ["\x1b[01;34minfra", "\x1b[?1049h", "-- INSERT --", "%[", "部署手順", "🚀", "logout\r\n"] {
            assert!(out.contains(wanted), "{wanted:?}");
        }
        // Idle for minutes between htop and the end.
        assert!(prints.windows(2).any(|w| w[1].0 - w[0].0 > 5 * 60 * SECOND));
    }
}
