//! Working hours in a fixed UTC offset, and each user's own usual time of day, learnt from
//! their activity on *other* days (so that one night of activity does not excuse itself).

use super::ctx::{Ctx, DAY, MINUTE};
use super::settings::WorkingHours;
use crate::model::Sym;
use crate::time::Nanos;
use chrono::{DateTime, Utc};
use foldhash::HashMap;
use std::cell::RefCell;
use std::rc::Rc;

const BIN_MINUTES: u32 = 5;
const BINS: usize = (24 * 60 / BIN_MINUTES) as usize;
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub(super) struct Clock {
    start: u32,
    end: u32,
    workdays: [bool; 7],
    offset: Nanos,
    offset_minutes: i32,
}

pub(super) struct Local {
    pub day: i64,
    /// 0 = Monday.
    pub weekday: usize,
    pub minute: u32,
}

impl Clock {
    pub fn new(w: &WorkingHours) -> Self {
        let mut workdays = [false; 7];
        for &d in &w.workdays {
            if (1..=7).contains(&d) {
                workdays[d as usize - 1] = true;
            }
        }
        let offset_minutes = w.utc_offset_minutes.clamp(-24 * 60, 24 * 60);
        Clock {
            start: w.start_minute.min(24 * 60),
            end: w.end_minute.min(24 * 60),
            workdays,
            offset: i64::from(offset_minutes) * MINUTE,
            offset_minutes,
        }
    }

    pub fn local(&self, t: Nanos) -> Local {
        let l = t.saturating_add(self.offset);
        let day = l.div_euclid(DAY);
        // 1970-01-01 was a Thursday.
        let weekday = (day + 3).rem_euclid(7) as usize;
        let minute = ((l - day * DAY) / MINUTE) as u32;
        Local { day, weekday, minute }
    }

    pub fn is_workday(&self, weekday: usize) -> bool {
        self.workdays[weekday]
    }

    pub fn working(&self, t: Nanos) -> bool {
        let l = self.local(t);
        let in_hours = if self.start <= self.end {
            (self.start..self.end).contains(&l.minute)
        } else {
            l.minute >= self.start || l.minute < self.end
        };
        self.workdays[l.weekday] && in_hours
    }

    /// UTC time of the local midnight starting `day`.
    pub fn day_start(&self, day: i64) -> Nanos {
        day.saturating_mul(DAY).saturating_sub(self.offset)
    }

    pub fn zone(&self) -> String {
        let m = self.offset_minutes;
        format!("UTC{}{:02}:{:02}", if m < 0 { '−' } else { '+' }, m.abs() / 60, m.abs() % 60)
    }

    /// `Sat 2024-03-16 08:13 UTC+00:00`.
    pub fn show(&self, t: Nanos) -> String {
        let l = self.local(t);
        let dt = DateTime::<Utc>::from_timestamp_nanos(t.saturating_add(self.offset));
        format!("{} {} {}", WEEKDAYS[l.weekday], dt.format("%Y-%m-%d %H:%M"), self.zone())
    }

    /// `08:00–19:00 Mon–Fri UTC+00:00`.
    pub fn hours(&self) -> String {
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        let days: Vec<&str> = (0..7).filter(|&d| self.workdays[d]).map(|d| WEEKDAYS[d]).collect();
        let days = match days.as_slice() {
            ["Mon", "Tue", "Wed", "Thu", "Fri"] => "Mon–Fri".to_owned(),
            d => d.join(","),
        };
        format!("{}–{} {} {}", hm(self.start), hm(self.end), days, self.zone())
    }
}

/// Per user: when they are active (successful logins and session starts).
pub(super) struct Profiles {
    users: HashMap<Sym, Profile>,
    /// Per (user, local day): the user's activity on other days, computed once.
    others: RefCell<HashMap<(Sym, i64), OthersCache>>,
}

/// `None`: too little activity on other days for a baseline.
type OthersCache = Option<Rc<Others>>;

/// A user's activity on other days, as minutes outside their usual hours for each bin of the
/// day.
struct Others {
    outside: [u16; BINS],
}

struct Profile {
    times: Vec<Nanos>,
    hist: [u32; BINS],
}

impl Profiles {
    pub fn build(cx: &Ctx<'_>, clock: &Clock) -> Self {
        let mut users: HashMap<Sym, Profile> = HashMap::default();
        for &id in cx.logins {
            let e = cx.ev(id);
            if e.user.is_none() {
                continue;
            }
            let p = users.entry(e.user).or_insert_with(|| Profile { times: Vec::new(), hist: [0; BINS] });
            p.times.push(e.time);
            p.hist[bin(clock, e.time)] += 1;
        }
        Profiles { users, others: RefCell::default() }
    }

    fn others(&self, cx: &Ctx<'_>, clock: &Clock, user: Sym, day: i64, min_history: u32) -> Option<Rc<Others>> {
        if let Some(o) = self.others.borrow().get(&(user, day)) {
            return o.clone();
        }
        let p = self.users.get(&user)?;
        let (from, to) = (clock.day_start(day), clock.day_start(day + 1));
        let a = p.times.partition_point(|&x| x < from);
        let b = p.times.partition_point(|&x| x < to);
        let mut hist = p.hist;
        for &x in &p.times[a..b] {
            hist[bin(clock, x)] -= 1;
        }
        cx.step(2 * BINS + (b - a));
        let total = p.times.len() - (b - a);
        let o = (total >= min_history.max(1) as usize).then(|| Rc::new(Others { outside: outside_minutes(&hist) }));
        self.others.borrow_mut().insert((user, day), o.clone());
        o
    }

    /// How many minutes `t` lies outside the time of day `user` is active on other days:
    /// 0 inside it; `None` when they have fewer than `min_history` activities on other days.
    pub fn distance(&self, cx: &Ctx<'_>, clock: &Clock, user: Sym, t: Nanos, min_history: u32) -> Option<u32> {
        // The common case first: active in this bin on other days, without building anything.
        let p = self.users.get(&user)?;
        let day = clock.local(t).day;
        let (from, to) = (clock.day_start(day), clock.day_start(day + 1));
        let (a, b) = (p.times.partition_point(|&x| x < from), p.times.partition_point(|&x| x < to));
        if p.times.len() - (b - a) < min_history.max(1) as usize {
            return None;
        }
        let here = bin(clock, t);
        let today = p.times[a..b].iter().filter(|&&x| bin(clock, x) == here).count() as u32;
        cx.step(b - a);
        if p.hist[here] > today {
            return Some(0);
        }
        let o = self.others(cx, clock, user, day, min_history)?;
        Some(u32::from(o.outside[here]))
    }
}

fn bin(clock: &Clock, t: Nanos) -> usize {
    (clock.local(t).minute / BIN_MINUTES) as usize % BINS
}

/// For each bin: how many minutes it lies outside the usual hours. The usual hours are the
/// circle minus its longest empty stretch (several if equally long); a bin in that stretch is
/// as far outside as its nearest occupied bin.
fn outside_minutes(h: &[u32; BINS]) -> [u16; BINS] {
    let mut out = [0u16; BINS];
    let Some(full) = h.iter().position(|&c| c > 0) else { return out };
    // Empty runs as (first bin, length), going once round from an occupied bin.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    for i in (full + 1..BINS).chain(0..=full) {
        match (h[i] == 0, &mut run) {
            (true, Some((_, len))) => *len += 1,
            (true, None) => run = Some((i, 1)),
            (false, _) => runs.extend(run.take()),
        }
    }
    let longest = runs.iter().map(|&(_, len)| len).max().unwrap_or(0);
    for (start, len) in runs.into_iter().filter(|&(_, len)| len == longest) {
        for k in 0..len {
            out[(start + k) % BINS] = ((k.min(len - 1 - k) + 1) as u32 * BIN_MINUTES) as u16;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_days_and_hours() {
        let c = Clock::new(&WorkingHours::default());
        // 2024-03-16 08:12:31 UTC, a Saturday.
        let t = 1_710_576_751 * crate::time::NANOS_PER_SEC;
        assert_eq!(c.local(t).weekday, 5);
        assert!(!c.working(t));
        assert!(c.working(t - 2 * DAY + 2 * 3600 * crate::time::NANOS_PER_SEC));
        assert_eq!(c.show(t), "Sat 2024-03-16 08:12 UTC+00:00");
        assert_eq!(c.hours(), "08:00–19:00 Mon–Fri UTC+00:00");
        let ny = Clock::new(&WorkingHours { utc_offset_minutes: -300, ..WorkingHours::default() });
        assert_eq!(ny.show(t), "Sat 2024-03-16 03:12 UTC−05:00");
    }

    #[test]
    fn outside_the_usual_hours() {
        // Active in bins 10 and 20 only: the usual hours are bins 10–20.
        let mut h = [0; BINS];
        h[10] = 1;
        h[20] = 1;
        let out = outside_minutes(&h);
        assert_eq!(out[15], 0);
        assert_eq!(out[10], 0);
        assert_eq!(out[21], 5);
        assert_eq!(out[9], 5);
        assert_eq!(out[30], 50);
        assert_eq!(*out.iter().max().unwrap() as usize, (BINS - 11).div_ceil(2) * 5);
        assert!(outside_minutes(&[0; BINS]).iter().all(|&m| m == 0));
    }
}
