//! Percentiles over measured latencies, and the units the table prints.

/// p50 / p95 / max of a set of samples (milliseconds).
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
    pub count: usize,
}

impl Spread {
    pub fn of(samples: &[f64]) -> Option<Spread> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        // Nearest rank: the value below which p of the samples fall.
        let at = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
        Some(Spread { p50: at(0.5), p95: at(0.95), max: sorted[sorted.len() - 1], count: sorted.len() })
    }

    /// "p50 1.2 ms · p95 3.4 ms · max 9.9 ms (n=200)"
    pub fn text(&self) -> String {
        format!("p50 {} · p95 {} · max {} (n={})", ms(self.p50), ms(self.p95), ms(self.max), self.count)
    }
}

pub fn ms(millis: f64) -> String {
    if millis >= 100.0 {
        format!("{millis:.0} ms")
    } else if millis >= 1.0 {
        format!("{millis:.1} ms")
    } else {
        format!("{millis:.3} ms")
    }
}

pub fn secs(s: f64) -> String {
    format!("{s:.2} s")
}

/// Decimal megabytes, as the targets are stated.
pub fn mb(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb >= 100.0 {
        format!("{mb:.0} MB")
    } else if mb >= 10.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{mb:.2} MB")
    }
}

pub fn rate(bytes: u64, events: u64, seconds: f64) -> String {
    let s = seconds.max(1e-9);
    format!("{:.0} MB/s · {} events/s", bytes as f64 / 1e6 / s, count(events as f64 / s))
}

/// 1234567 → "1.23 M", 45678 → "45.7 k".
pub fn count(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.2} M", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = Spread::of(&samples).unwrap();
        assert_eq!((s.p50, s.p95, s.max, s.count), (51.0, 95.0, 100.0, 100));
        assert!(Spread::of(&[]).is_none());
    }
}
