//! Log lines as the tools print them (`tail`, `journalctl`, `docker logs`), timed just before
//! the moment they are read, so a recording never shows the future.

use super::bash::MONTHS;
use crate::rng::Rng;
use crate::timefmt::{civil_from_days, Nanos, DAY, MILLI, SECOND};

/// `(y, m, d, h, mi, s, ms)` of a time.
fn parts(t: Nanos) -> (i64, u32, u32, i64, i64, i64, i64) {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    let in_day = t.rem_euclid(DAY);
    let s = in_day / SECOND;
    (y, m, d, s / 3600, s / 60 % 60, s % 60, in_day % SECOND / MILLI)
}

/// `Mar 13 02:23:11` (syslog, journalctl).
pub fn syslog_time(t: Nanos) -> String {
    let (_, m, d, h, mi, s, _) = parts(t);
    format!("{} {d:2} {h:02}:{mi:02}:{s:02}", MONTHS[m as usize - 1])
}

/// `2024/03/13 02:23:11` (nginx).
fn nginx_time(t: Nanos) -> String {
    let (y, m, d, h, mi, s, _) = parts(t);
    format!("{y}/{m:02}/{d:02} {h:02}:{mi:02}:{s:02}")
}

/// `2024-03-13 02:23:11.123 UTC` (PostgreSQL).
fn pg_time(t: Nanos) -> String {
    let (y, m, d, h, mi, s, ms) = parts(t);
    format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}.{ms:03} UTC")
}

/// `2024-03-13 02:23:11` (wget).
pub fn plain_time(t: Nanos) -> String {
    let (y, m, d, h, mi, s, _) = parts(t);
    format!("{y}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// `2024-03-13T02:23:11.123Z`.
pub fn iso_time(t: Nanos) -> String {
    let (y, m, d, h, mi, s, ms) = parts(t);
    format!("{y}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// `n` times before `now`, oldest first, about `spacing` apart.
fn times_before(rng: &mut Rng, now: Nanos, n: usize, spacing: Nanos) -> Vec<Nanos> {
    let mut t = now - rng.range(1, 20) * SECOND;
    let mut out: Vec<Nanos> = (0..n)
        .map(|_| {
            let this = t;
            t -= rng.range(spacing / 4, spacing * 2).max(MILLI);
            this
        })
        .collect();
    out.reverse();
    out
}

const PATHS: [&str; 6] =
    ["/v1/orders", "/v1/orders/84213", "/v1/cart", "/v1/products?page=2", "/healthz", "/v1/customers/me"];

/// nginx `error.log`: upstream timeouts and the odd missing file.
pub fn nginx_errors(rng: &mut Rng, now: Nanos, n: usize) -> String {
    let mut out = String::new();
    for t in times_before(rng, now, n, 40 * SECOND) {
        let pid = 1022 + rng.below(4);
        let conn = 100_000 + rng.below(900_000);
        let ip = format!("10.0.{}.{}", rng.range(1, 4), rng.range(2, 250));
        let path = rng.pick(&PATHS);
        let line = match rng.below(4) {
            0 => format!(
                "{} [error] {pid}#{pid}: *{conn} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip}, server: shop.acme.io, request: \"GET {path} HTTP/1.1\", upstream: \"http://10.0.2.21:8080{path}\", host: \"shop.acme.io\"",
                nginx_time(t)
            ),
            1 => format!(
                "{} [warn] {pid}#{pid}: *{conn} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{}/{:02}/{:010} while reading upstream, client: {ip}, server: shop.acme.io, request: \"GET {path} HTTP/1.1\"",
                nginx_time(t),
                rng.below(10),
                rng.below(100),
                rng.below(10_000_000_000)
            ),
            2 => format!(
                "{} [error] {pid}#{pid}: *{conn} open() \"/var/www/shop/static/img/promo-{}.webp\" failed (2: No such file or directory), client: {ip}, server: shop.acme.io, request: \"GET /static/img/promo-{}.webp HTTP/1.1\"",
                nginx_time(t),
                rng.range(1, 40),
                rng.range(1, 40)
            ),
            _ => format!(
                "{} [error] {pid}#{pid}: *{conn} connect() failed (111: Connection refused) while connecting to upstream, client: {ip}, server: shop.acme.io, request: \"POST /v1/cart HTTP/1.1\", upstream: \"http://10.0.2.22:8080/v1/cart\"",
                nginx_time(t)
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `postgresql-14-main.log`: checkpoints, slow statements, a client gone away.
pub fn postgres(rng: &mut Rng, now: Nanos, n: usize) -> String {
    let mut out = String::new();
    for t in times_before(rng, now, n, 25 * SECOND) {
        let pid = 2000 + rng.below(60_000);
        let line = match rng.below(6) {
            0 => format!("{} [{pid}] LOG:  checkpoint starting: time", pg_time(t)),
            1 => format!(
                "{} [{pid}] LOG:  checkpoint complete: wrote {} buffers ({}.{}%); 0 WAL file(s) added, 0 removed, 1 recycled; write={}.{:03} s, sync=0.0{} s, total={}.{:03} s",
                pg_time(t),
                rng.range(200, 9000),
                rng.range(0, 9),
                rng.range(0, 9),
                rng.range(20, 269),
                rng.below(1000),
                rng.range(1, 9),
                rng.range(20, 270),
                rng.below(1000)
            ),
            2 => format!(
                "{} [{pid}] app_readwrite@shop LOG:  duration: {}.{:03} ms  statement: SELECT id, status FROM orders WHERE created_at > now() - interval '1 hour'",
                pg_time(t),
                rng.range(500, 4000),
                rng.below(1000)
            ),
            3 => format!("{} [{pid}] app_readwrite@shop LOG:  could not receive data from client: Connection reset by peer", pg_time(t)),
            4 => format!("{} [{pid}] LOG:  automatic vacuum of table \"shop.public.order_items\": index scans: 1", pg_time(t)),
            _ => format!("{} [{pid}] app_readonly@shop FATAL:  terminating connection due to idle-in-transaction timeout", pg_time(t)),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `journalctl -u <unit>` lines for one of acme's services.
pub fn journal(rng: &mut Rng, now: Nanos, host: &str, unit: &str, n: usize) -> String {
    let mut out = String::new();
    let pid = 1100 + rng.below(3000);
    for t in times_before(rng, now, n, 70 * SECOND) {
        let message = match unit {
            "kubelet" => match rng.below(4) {
                0 => format!("I{} {pid} kubelet_getters.go:187] \"Pod status updated\" pod=\"shop/shop-api-7d9f8b6c5-x2k4p\" status=\"Running\"", klog_time(t)),
                1 => format!("E{} {pid} pod_workers.go:1300] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\"worker\\\" with CrashLoopBackOff: \\\"back-off 5m0s restarting failed container\\\"\" pod=\"jobs/export-28511040-h7x2c\"", klog_time(t)),
                2 => format!("I{} {pid} kubelet.go:2443] \"SyncLoop (PLEG): event for pod\" pod=\"shop/shop-web-6b8d7f9c4-p9zq2\" event=ContainerStarted", klog_time(t)),
                _ => format!("W{} {pid} reflector.go:535] object-\"shop\"/\"kube-root-ca.crt\": watch of *v1.ConfigMap ended with: an error on the server (\"unable to decode an event from the watch stream\")", klog_time(t)),
            },
            _ => {
                let path = rng.pick(&PATHS);
                let status = *rng.weighted(&[(200, 30), (201, 3), (404, 2), (500, 1)]);
                format!(
                    "{{\"level\":\"{}\",\"msg\":\"request\",\"method\":\"GET\",\"path\":\"{path}\",\"status\":{status},\"dur_ms\":{}}}",
                    if status >= 500 { "error" } else { "info" },
                    rng.range(2, 180)
                )
            }
        };
        out.push_str(&format!("{} {host} {unit}[{pid}]: {message}\n", syslog_time(t)));
    }
    out
}

/// klog's `0313 02:23:11.123456`.
fn klog_time(t: Nanos) -> String {
    let (_, m, d, h, mi, s, ms) = parts(t);
    format!("{m:02}{d:02} {h:02}:{mi:02}:{s:02}.{ms:03}{:03}", (t / 1000) % 1000)
}

/// `docker logs` of the shop API: JSON lines.
pub fn docker_api(rng: &mut Rng, now: Nanos, n: usize) -> String {
    let mut out = String::new();
    for t in times_before(rng, now, n, 3 * SECOND) {
        let path = rng.pick(&PATHS);
        let status = *rng.weighted(&[(200, 40), (201, 4), (404, 3), (499, 1), (502, 1)]);
        out.push_str(&format!(
            "{{\"level\":\"{}\",\"ts\":\"{}\",\"caller\":\"http/server.go:{}\",\"msg\":\"request\",\"method\":\"{}\",\"path\":\"{path}\",\"status\":{status},\"dur_ms\":{},\"trace_id\":\"{:016x}\"}}\n",
            if status >= 500 { "error" } else { "info" },
            iso_time(t),
            rng.range(80, 240),
            if path.contains("cart") { "POST" } else { "GET" },
            rng.range(1, 350),
            rng.u64()
        ));
    }
    out
}

/// `/var/log/auth.log` on the bastion: Teleport logins and sudo.
pub fn auth_log(rng: &mut Rng, now: Nanos, host: &str, n: usize) -> String {
    let mut out = String::new();
    for t in times_before(rng, now, n, 90 * SECOND) {
        let pid = 3000 + rng.below(40_000);
        let who = rng.pick(&["alice", "bob", "frank", "grace", "judy"]);
        let line = match rng.below(3) {
            0 => format!(
                "sudo:   {who} : TTY=pts/{} ; PWD=/home/{who} ; USER=root ; COMMAND=/usr/bin/tail /var/log/auth.log",
                rng.below(4)
            ),
            1 => format!("sudo: pam_unix(sudo:session): session opened for user root(uid=0) by {who}(uid=1000)"),
            _ => format!(
                "sshd[{pid}]: Invalid user admin from 185.220.101.{} port {}",
                rng.range(2, 250),
                rng.range(30_000, 60_000)
            ),
        };
        out.push_str(&format!("{} {host} {line}\n", syslog_time(t)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::utc;

    #[test]
    fn lines_are_dated_before_now_and_in_order() {
        let now = utc(2024, 3, 13, 2, 30, 0);
        let text = nginx_errors(&mut Rng::new(2), now, 20);
        let stamps: Vec<&str> = text.lines().map(|l| &l[..19]).collect();
        assert_eq!(stamps.len(), 20);
        assert!(stamps.windows(2).all(|w| w[0] <= w[1]));
        assert!(*stamps.last().unwrap() < "2024/03/13 02:30:00");
        assert_eq!(syslog_time(now), "Mar 13 02:30:00");
        assert_eq!(iso_time(now + 5 * MILLI), "2024-03-13T02:30:00.005Z");
    }
}
