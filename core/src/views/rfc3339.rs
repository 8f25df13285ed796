//! Times in exports: RFC 3339 in UTC, `2024-02-23T19:04:02.990Z`, with 0, 3, 6 or 9 fraction
//! digits as the value needs (as chrono's `SecondsFormat::AutoSi`). Written digit by digit —
//! an export formats millions of them.

use crate::time::{Nanos, NANOS_PER_SEC};
use std::fmt;

/// Displays as RFC 3339 UTC; usable with `write!` and with serde (`collect_str`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rfc3339(pub Nanos);

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 40];
        let n = write_rfc3339(&mut buf, self.0);
        // Only ASCII digits and separators were written.
        f.write_str(std::str::from_utf8(&buf[..n]).map_err(|_| fmt::Error)?)
    }
}

impl serde::Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `2024-02-23T19:04:02.99Z` → `2024-02-23T19:04:02.990Z`.
pub fn rfc3339_utc(t: Nanos) -> String {
    Rfc3339(t).to_string()
}

/// Writes the time into `buf` and returns the length.
fn write_rfc3339(buf: &mut [u8; 40], t: Nanos) -> usize {
    let secs = t.div_euclid(NANOS_PER_SEC);
    let nanos = t.rem_euclid(NANOS_PER_SEC) as u32;
    let (days, day_secs) = (secs.div_euclid(86_400), secs.rem_euclid(86_400) as u32);
    let (year, month, day) = civil_from_days(days);
    let mut w = Digits { buf, len: 0 };
    // Years of i64 nanoseconds are 1677–2262: always four digits.
    w.num(year as u32, 4);
    w.byte(b'-');
    w.num(month, 2);
    w.byte(b'-');
    w.num(day, 2);
    w.byte(b'T');
    w.num(day_secs / 3600, 2);
    w.byte(b':');
    w.num(day_secs / 60 % 60, 2);
    w.byte(b':');
    w.num(day_secs % 60, 2);
    if nanos != 0 {
        w.byte(b'.');
        match nanos {
            _ if nanos.is_multiple_of(1_000_000) => w.num(nanos / 1_000_000, 3),
            _ if nanos.is_multiple_of(1_000) => w.num(nanos / 1_000, 6),
            _ => w.num(nanos, 9),
        }
    }
    w.byte(b'Z');
    w.len
}

struct Digits<'a> {
    buf: &'a mut [u8; 40],
    len: usize,
}

impl Digits<'_> {
    fn byte(&mut self, c: u8) {
        self.buf[self.len] = c;
        self.len += 1;
    }

    /// `v` zero-padded to `digits` digits.
    fn num(&mut self, v: u32, digits: u32) {
        for i in (0..digits).rev() {
            self.byte(b'0' + (v / 10u32.pow(i) % 10) as u8);
        }
    }
}

/// (year, month, day) of a day count since 1970-01-01 (Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}
