//! Time axes: where to put ticks so that a span of any length gets a handful of labels.

pub const NS_PER_SEC: i64 = 1_000_000_000;

/// A tick step that gives at most `most` labels (at least one) across `span` nanoseconds.
pub fn step(span: i64, most: i64) -> i64 {
    let most = most.max(1);
    const DAY: i64 = 86_400;
    const STEPS: [i64; 21] = [
        1,
        5,
        15,
        60,
        300,
        900,
        1800,
        3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        DAY,
        2 * DAY,
        7 * DAY,
        14 * DAY,
        30 * DAY,
        91 * DAY,
        182 * DAY,
        365 * DAY,
        2 * 365 * DAY,
        5 * 365 * DAY,
    ];
    STEPS.iter().map(|s| s * NS_PER_SEC).find(|s| span / s <= most).unwrap_or(20 * 365 * DAY * NS_PER_SEC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_give_no_more_ticks_than_asked_for() {
        let (day, year) = (86_400 * NS_PER_SEC, 365 * 86_400 * NS_PER_SEC);
        for span in [10 * NS_PER_SEC, 3600 * NS_PER_SEC, day, 400 * day, 9 * year] {
            for most in 1..=7 {
                let n = span / step(span, most);
                assert!(n <= most, "{span} at most {most}: {n}");
            }
        }
        // Nine years in a narrow column: two labels (every five years), not eight that overlap.
        assert_eq!(step(9 * year, 3), 5 * year);
        assert_eq!(step(9 * year, 7), 2 * year);
    }

    #[test]
    fn steps_give_a_handful_of_ticks() {
        for span in [
            10 * NS_PER_SEC,
            3600 * NS_PER_SEC,
            86_400 * NS_PER_SEC,
            400 * 86_400 * NS_PER_SEC,
            7 * 365 * 86_400 * NS_PER_SEC,
        ] {
            let n = span / step(span, 7);
            assert!((2..=7).contains(&n), "{span}: {n}");
        }
    }
}
