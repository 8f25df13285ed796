//! Timestamps: RFC 3339 as Teleport writes it (trimmed or nanosecond fractions, `Z` or an
//! offset), held as nanoseconds since the Unix epoch in UTC.

use chrono::{DateTime, Utc};

/// Nanoseconds since 1970-01-01T00:00:00Z. Covers 1677–2262, which holds every Teleport log.
pub type Nanos = i64;

pub const NANOS_PER_MS: i64 = 1_000_000;
pub const NANOS_PER_SEC: i64 = 1_000_000_000;

/// Parses `2024-02-23T19:04:02.99Z`, `2020-06-05T16:24:05Z`, `…T18:56:57.190681808Z`,
/// `…+02:00`. Returns `None` for anything else or for times outside the representable range
/// (Go's zero time `0001-01-01T00:00:00Z` among them).
pub fn parse_rfc3339(s: &str) -> Option<Nanos> {
    fast_parse(s.as_bytes()).or_else(|| {
        let t = DateTime::parse_from_rfc3339(s).ok()?;
        t.with_timezone(&Utc).timestamp_nanos_opt()
    })
}

/// The common shape `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, without allocating.
fn fast_parse(b: &[u8]) -> Option<Nanos> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut frac: i64 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 9 {
                frac = frac * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            return None;
        }
        for _ in digits..9 {
            frac *= 10;
        }
    }
    let offset_secs: i64 = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let h = i64::from(num(i + 1..i + 3)?);
            let m = i64::from(num(i + 4..i + 6)?);
            let v = h * 3600 + m * 60;
            if *sign == b'+' {
                v
            } else {
                -v
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day)?;
    let secs = days * 86_400 + i64::from(hour * 3600 + min * 60 + sec) - offset_secs;
    secs.checked_mul(NANOS_PER_SEC)?.checked_add(frac)
}

/// Days since 1970-01-01 of a valid proleptic Gregorian date (Hinnant's algorithm): the hot
/// path of parsing millions of timestamps, without building date objects.
fn days_from_civil(year: u32, month: u32, day: u32) -> Option<i64> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day == 0 || day > month_days[month as usize - 1] {
        return None;
    }
    let (y, m, d) = (i64::from(year) - i64::from(month <= 2), i64::from(month), i64::from(day));
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `2024-02-23 19:04:02.990` (UTC, milliseconds): how times are shown.
pub fn format_utc_ms(t: Nanos) -> String {
    let dt = DateTime::<Utc>::from_timestamp_nanos(t);
    dt.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

/// `2024-02-23` (UTC).
pub fn format_utc_date(t: Nanos) -> String {
    DateTime::<Utc>::from_timestamp_nanos(t).format("%Y-%m-%d").to_string()
}

/// `1h 02m 03s`, `4m 05s`, `12.3s`, `450ms`: durations for people.
pub fn format_duration(nanos: i64) -> String {
    let ms = nanos.max(0) / NANOS_PER_MS;
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = ms / 1000;
    if secs < 60 {
        return format!("{}.{}s", secs, (ms % 1000) / 100);
    }
    let (d, h, m, s) = (secs / 86_400, (secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    // Days read better than thousands of hours (a gap of months in a log, a session never ended).
    if d > 0 {
        format!("{d}d {h:02}h {m:02}m")
    } else if h > 0 {
        format!("{h}h {m:02}m {s:02}s")
    } else {
        format!("{m}m {s:02}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_fraction_teleport_writes() {
        let base = parse_rfc3339("2024-02-23T19:04:02Z").unwrap();
        assert_eq!(base, 1_708_715_042 * NANOS_PER_SEC);
        assert_eq!(parse_rfc3339("2024-02-23T19:04:02.99Z").unwrap(), base + 990_000_000);
        assert_eq!(parse_rfc3339("2024-02-23T19:04:02.190681808Z").unwrap(), base + 190_681_808);
        assert_eq!(parse_rfc3339("2024-02-23T21:04:02+02:00").unwrap(), base);
        assert_eq!(parse_rfc3339("2024-02-23T19:04:02.1234567891Z").unwrap(), base + 123_456_789);
    }

    #[test]
    fn rejects_garbage_and_out_of_range() {
        for s in [
            "",
            "2024-02-23",
            "2024-13-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "2024-02-23T19:04:02.Z",
            "2024-02-23T19:04:02Zjunk",
            "２０２４-02-23T19:04:02Z",
        ] {
            assert_eq!(parse_rfc3339(s), None, "{s}");
        }
    }

    #[test]
    fn civil_days_agree_with_chrono() {
        use chrono::NaiveDate;
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for (y, m, d) in
            [(1970, 1, 1), (2000, 2, 29), (2024, 2, 29), (1900, 3, 1), (2262, 4, 11), (1677, 9, 21), (2023, 12, 31)]
        {
            let want = NaiveDate::from_ymd_opt(y, m, d).unwrap().signed_duration_since(epoch).num_days();
            assert_eq!(days_from_civil(y as u32, m, d), Some(want), "{y}-{m}-{d}");
        }
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(days_from_civil(1900, 2, 29), None);
        assert_eq!(days_from_civil(2024, 13, 1), None);
    }

    #[test]
    fn formats_for_people() {
        let t = parse_rfc3339("2024-02-23T19:04:02.99Z").unwrap();
        assert_eq!(format_utc_ms(t), "2024-02-23 19:04:02.990");
        assert_eq!(format_duration(3_723 * NANOS_PER_SEC), "1h 02m 03s");
        assert_eq!(format_duration((261 * 86_400 + 3 * 3600 + 21 * 60 + 3) * NANOS_PER_SEC), "261d 03h 21m");
        assert_eq!(format_duration(245 * NANOS_PER_SEC), "4m 05s");
        assert_eq!(format_duration(12_345 * NANOS_PER_MS), "12.3s");
        assert_eq!(format_duration(450 * NANOS_PER_MS), "450ms");
    }
}
