//! Time as Teleport writes it: Go's RFC 3339 with the fraction's trailing zeros trimmed, at the
//! precision each writer kept (whole seconds, milliseconds or nanoseconds); and the day stamps
//! of log file names. Times are nanoseconds since the Unix epoch, UTC.

pub type Nanos = i64;

pub const SECOND: Nanos = 1_000_000_000;
pub const MINUTE: Nanos = 60 * SECOND;
pub const HOUR: Nanos = 60 * MINUTE;
pub const DAY: Nanos = 24 * HOUR;
pub const MILLI: Nanos = 1_000_000;

/// How much of the fraction a writer kept. Times are cut (not rounded) to it, so an event never
/// moves into the next second — or the next day's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Seconds,
    Millis,
    Nanos,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// A UTC instant from its civil parts.
pub fn utc(y: i64, mo: u32, d: u32, h: i64, mi: i64, s: i64) -> Nanos {
    days_from_civil(y, mo, d) * DAY + h * HOUR + mi * MINUTE + s * SECOND
}

/// Day number (since 1970-01-01) holding `t`.
pub fn day_of(t: Nanos) -> i64 {
    t.div_euclid(DAY)
}

/// 0 = Monday … 6 = Sunday.
pub fn weekday(day: i64) -> u32 {
    // 1970-01-01 was a Thursday.
    (day + 3).rem_euclid(7) as u32
}

fn push2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

fn push_date(out: &mut Vec<u8>, day: i64) {
    let (y, m, d) = civil_from_days(day);
    let y = y as u32;
    push2(out, y / 100);
    push2(out, y % 100);
    out.push(b'-');
    push2(out, m);
    out.push(b'-');
    push2(out, d);
}

/// Appends `t` as Go marshals a `time.Time` in UTC, cut to `precision`, without quotes.
pub fn write_rfc3339(out: &mut Vec<u8>, t: Nanos, precision: Precision) {
    let day = t.div_euclid(DAY);
    let in_day = t.rem_euclid(DAY);
    push_date(out, day);
    out.push(b'T');
    let secs = (in_day / SECOND) as u32;
    push2(out, secs / 3600);
    out.push(b':');
    push2(out, secs / 60 % 60);
    out.push(b':');
    push2(out, secs % 60);
    let frac = (in_day % SECOND) as u32;
    let (mut value, mut digits) = match precision {
        Precision::Seconds => (0, 0),
        Precision::Millis => (frac / 1_000_000, 3),
        Precision::Nanos => (frac, 9),
    };
    // Go trims trailing zeros, and the dot too when nothing is left.
    while digits > 0 && value % 10 == 0 {
        value /= 10;
        digits -= 1;
    }
    if digits > 0 {
        out.push(b'.');
        let start = out.len();
        for _ in 0..digits {
            out.push(b'0' + (value % 10) as u8);
            value /= 10;
        }
        out[start..].reverse();
    }
    out.push(b'Z');
}

pub fn rfc3339(t: Nanos, precision: Precision) -> String {
    let mut out = Vec::with_capacity(32);
    write_rfc3339(&mut out, t, precision);
    String::from_utf8(out).expect("ASCII")
}

/// Go's zero `time.Time`, which Teleport writes for "never" (`expires` of a user without expiry).
pub const GO_ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// `YYYY-MM-DD.00:00:00.log` for a day number (`defaults.AuditLogTimeFormat` + `.log`).
pub fn log_file_name(day: i64) -> String {
    let mut out = Vec::with_capacity(24);
    push_date(&mut out, day);
    out.extend_from_slice(b".00:00:00.log");
    String::from_utf8(out).expect("ASCII")
}

/// `YYYY-MM-DD` of a day number.
pub fn date(day: i64) -> String {
    let mut out = Vec::with_capacity(10);
    push_date(&mut out, day);
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        let t = utc(2024, 2, 23, 19, 4, 2) + 990 * MILLI;
        assert_eq!(rfc3339(t, Precision::Millis), "2024-02-23T19:04:02.99Z");
        assert_eq!(rfc3339(t, Precision::Seconds), "2024-02-23T19:04:02Z");
        assert_eq!(rfc3339(utc(2020, 6, 5, 16, 24, 5), Precision::Millis), "2020-06-05T16:24:05Z");
        let n = utc(2024, 2, 23, 18, 56, 57) + 190_681_808;
        assert_eq!(rfc3339(n, Precision::Nanos), "2024-02-23T18:56:57.190681808Z");
        assert_eq!(rfc3339(n, Precision::Millis), "2024-02-23T18:56:57.19Z");
        assert_eq!(rfc3339(utc(1999, 12, 31, 23, 59, 59) + 999_999_999, Precision::Seconds), "1999-12-31T23:59:59Z");
    }

    #[test]
    fn civil_round_trip() {
        for day in -1000..30000 {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(weekday(days_from_civil(2024, 3, 11)), 0, "2024-03-11 was a Monday");
        assert_eq!(log_file_name(days_from_civil(2017, 2, 3)), "2017-02-03.00:00:00.log");
    }
}
