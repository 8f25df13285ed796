//! Puts prints and other events, fed in recording order, on one millisecond clock and builds
//! the [`Recording`].
//!
//! Prints use their `ms` (milliseconds since the first print), shifted so the first print is
//! 0 and never going backwards. Other events are placed by wall time, measured from the print
//! before them (Teleport's players measure from the first print; the two agree whenever the
//! `ms` clock and wall time agree, but `ms` drifts from wall time in real recordings, and
//! measuring from the neighbouring print keeps a resize between the prints it came between).
//! Gen-1 v1.0–2.3 events carry `ms` on the prints' clock and use it.
//!
//! An event is placed at least 1 ms after the print before it (when the next print is later
//! still), so a player that puts events before prints at equal times replays them in
//! recording order.

use crate::event_info::{self, EventInfo};
use crate::{meta, Limits, Millis, Nanos, Print, Recording, RecordingError, SessionEvent};

const NANOS_PER_MS: i64 = 1_000_000;

struct PrintItem {
    ms: Option<i64>,
    time: Option<Nanos>,
    offset: usize,
    len: usize,
}

struct EventItem {
    /// Prints fed before this event.
    after: usize,
    info: EventInfo,
}

pub(crate) struct Builder {
    limits: Limits,
    output: Vec<u8>,
    prints: Vec<PrintItem>,
    events: Vec<EventItem>,
    problems: Vec<String>,
    full: bool,
}

impl Builder {
    pub fn new(limits: &Limits, problems: Vec<String>) -> Self {
        Builder { limits: *limits, output: Vec::new(), prints: Vec::new(), events: Vec::new(), problems, full: false }
    }

    pub fn problem(&mut self, message: String) {
        self.problems.push(message);
    }

    pub fn problems(&mut self) -> &mut Vec<String> {
        &mut self.problems
    }

    /// Adds a print. Returns false once a limit is reached: nothing more is kept.
    pub fn print(&mut self, ms: Option<i64>, time: Option<Nanos>, data: &[u8]) -> bool {
        if !self.room_for_record() {
            return false;
        }
        if self.output.len().saturating_add(data.len()) > self.limits.max_output {
            self.full = true;
            let message = format!(
                "terminal output exceeds the {} MiB limit: stopped at print #{}",
                self.limits.max_output >> 20,
                self.prints.len()
            );
            self.problems.push(message);
            return false;
        }
        let offset = self.output.len();
        self.output.extend_from_slice(data);
        self.prints.push(PrintItem { ms, time, offset, len: data.len() });
        true
    }

    /// Adds a non-print event. Returns false once a limit is reached.
    pub fn event(&mut self, info: EventInfo) -> bool {
        if !self.room_for_record() {
            return false;
        }
        self.events.push(EventItem { after: self.prints.len(), info });
        true
    }

    pub fn print_count(&self) -> usize {
        self.prints.len()
    }

    fn room_for_record(&mut self) -> bool {
        if self.full {
            return false;
        }
        if self.prints.len() + self.events.len() >= self.limits.max_records {
            self.full = true;
            let message = format!("more than {} events: the rest were not read", self.limits.max_records);
            self.problems.push(message);
            return false;
        }
        true
    }

    /// The recording; an error when not a single event or print was decoded.
    pub fn finish(self, generation: u8) -> Result<Recording, RecordingError> {
        let Builder { output, prints: print_items, events: event_items, mut problems, .. } = self;
        if print_items.is_empty() && event_items.is_empty() {
            return Err(nothing_decodable(&problems));
        }
        let (prints, backwards) = place_prints(&print_items);
        if backwards > 0 {
            problems.push(format!(
                "{backwards} prints have an earlier time than the print before them; shown at that print's time"
            ));
        }
        let clock = Clock::new(&print_items, &prints, &event_items);
        let mut events = Vec::with_capacity(event_items.len());
        let mut last_at: Millis = 0;
        for item in &event_items {
            let at = clock.place(item, &prints, last_at);
            last_at = at;
            let (kind, summary) = event_info::classify(&item.info);
            events.push(SessionEvent { at, kind, event: event_info::one_line(&item.info.event), summary });
        }
        let infos: Vec<EventInfo> = event_items.into_iter().map(|e| e.info).collect();
        let start = infos.iter().find(|e| e.event == "session.start");
        let initial_size = start.and_then(|s| s.size.as_deref()).and_then(event_info::parse_size);
        let sid = start.and_then(|s| s.sid.clone()).or_else(|| infos.iter().find_map(|e| e.sid.clone()));
        let duration = prints.last().map_or(0, |p| p.at).max(last_at);
        Ok(Recording {
            generation,
            sid,
            output,
            prints,
            events,
            initial_size,
            start_time: clock.start_time(),
            duration,
            meta: meta::collect(&infos),
            problems,
            notes: Vec::new(),
        })
    }
}

/// Why nothing could be decoded, from what went wrong on the way.
pub(crate) fn nothing_decodable(problems: &[String]) -> RecordingError {
    RecordingError::Unreadable(if problems.is_empty() {
        "no session events or prints were found".to_owned()
    } else {
        problems.join("; ")
    })
}

fn to_millis(ms: i64) -> Millis {
    ms.max(0) as Millis
}

fn add_nanos(at: Millis, delta: i64) -> Millis {
    let delta_ms = delta / NANOS_PER_MS;
    if delta_ms >= 0 {
        at.saturating_add(delta_ms as Millis)
    } else {
        at.saturating_sub(delta_ms.unsigned_abs())
    }
}

/// Print times: `ms` minus the first print's, never negative and never going backwards. A
/// print without `ms` is placed by wall time after the print before it.
fn place_prints(items: &[PrintItem]) -> (Vec<Print>, usize) {
    let base = items.first().and_then(|p| p.ms).unwrap_or(0);
    let mut prints: Vec<Print> = Vec::with_capacity(items.len());
    let mut backwards = 0;
    let mut previous: Option<(&PrintItem, Millis)> = None;
    for item in items {
        let wanted = match (item.ms, previous) {
            (Some(ms), _) => to_millis(ms.saturating_sub(base)),
            (None, Some((p, at))) => match (item.time, p.time) {
                (Some(t), Some(pt)) => add_nanos(at, t.saturating_sub(pt).max(0)),
                _ => at,
            },
            (None, None) => 0,
        };
        let floor = previous.map_or(0, |(_, at)| at);
        if wanted < floor {
            backwards += 1;
        }
        let at = wanted.max(floor);
        prints.push(Print { at, offset: item.offset, len: item.len });
        previous = Some((item, at));
    }
    (prints, backwards)
}

/// Where non-print events go on the prints' clock.
struct Clock {
    /// `ms` of the first print, for gen-1 events that carry `ms` (the first event's when
    /// there are no prints).
    ms_base: Option<i64>,
    /// A print with a wall time and its place: the fallback anchor.
    anchor: Option<(Nanos, Millis)>,
    /// With no prints, wall time of 0 is the first event's time.
    origin: Option<Nanos>,
    /// The nearest print at or before each print index that has a wall time.
    timed_before: Vec<Option<usize>>,
    times: Vec<Option<Nanos>>,
}

impl Clock {
    fn new(items: &[PrintItem], prints: &[Print], events: &[EventItem]) -> Self {
        let ms_base = match items.first() {
            Some(p) => p.ms,
            None => events.iter().find_map(|e| e.info.ms),
        };
        let anchor = items.iter().zip(prints).find_map(|(item, p)| item.time.map(|t| (t, p.at)));
        let origin = if items.is_empty() { events.iter().find_map(|e| e.info.time) } else { None };
        let mut timed_before = Vec::with_capacity(items.len());
        let mut last = None;
        for (i, item) in items.iter().enumerate() {
            if item.time.is_some() {
                last = Some(i);
            }
            timed_before.push(last);
        }
        Clock { ms_base, anchor, origin, timed_before, times: items.iter().map(|p| p.time).collect() }
    }

    /// The event's place: its own `ms` or wall time, kept between the prints it came between
    /// and not before the event before it.
    fn place(&self, item: &EventItem, prints: &[Print], last_at: Millis) -> Millis {
        let info = &item.info;
        let previous_print = item.after.checked_sub(1);
        let wanted = match (info.ms, self.ms_base, info.time) {
            (Some(ms), Some(base), _) => to_millis(ms.saturating_sub(base)),
            (_, _, Some(t)) => {
                let anchor = previous_print
                    .and_then(|i| self.timed_before.get(i).copied().flatten())
                    .and_then(|i| Some((self.times.get(i).copied().flatten()?, prints.get(i)?.at)))
                    .or(self.anchor);
                match (anchor, self.origin) {
                    (Some((at_time, at)), _) => add_nanos(at, t.saturating_sub(at_time)),
                    (None, Some(origin)) => add_nanos(0, t.saturating_sub(origin).max(0)),
                    (None, None) => last_at,
                }
            }
            _ => last_at,
        };
        // After the print it followed by at least 1 ms, so that "at equal times, events go
        // before prints" keeps recording order; unless the next print is at that same time.
        let after_print = previous_print.and_then(|i| prints.get(i)).map_or(0, |p| p.at.saturating_add(1));
        let floor = after_print.max(last_at);
        let ceiling = prints.get(item.after).map_or(Millis::MAX, |p| p.at);
        if floor > ceiling {
            ceiling.max(last_at)
        } else {
            wanted.clamp(floor, ceiling)
        }
    }

    /// Wall time of `Millis` 0.
    fn start_time(&self) -> Option<Nanos> {
        match self.anchor {
            Some((t, at)) => t.checked_sub(i64::try_from(at).ok()?.checked_mul(NANOS_PER_MS)?),
            None => self.origin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EventKind;

    const MS: i64 = NANOS_PER_MS;

    fn info(event: &str, time: i64) -> EventInfo {
        EventInfo { event: event.into(), time: Some(time), ..Default::default() }
    }

    #[test]
    fn events_are_placed_from_the_print_before_them() {
        let mut b = Builder::new(&Limits::default(), Vec::new());
        let t0 = 1_000_000 * MS;
        b.event(EventInfo { size: Some("80:25".into()), ..info("session.start", t0 - 50 * MS) });
        b.print(Some(0), Some(t0), b"a");
        // The ms clock runs 400 ms behind wall time by the second print.
        b.print(Some(1000), Some(t0 + 1400 * MS), b"b");
        b.event(EventInfo { size: Some("100:30".into()), ..info("resize", t0 + 1410 * MS) });
        b.print(Some(1100), Some(t0 + 1500 * MS), b"c");
        b.event(info("session.end", t0 + 1600 * MS));
        let r = b.finish(3).unwrap();
        assert_eq!(r.prints.iter().map(|p| p.at).collect::<Vec<_>>(), [0, 1000, 1100]);
        let at: Vec<_> = r.events.iter().map(|e| e.at).collect();
        assert_eq!(at, [0, 1010, 1200], "resize stays between its prints; end is 100 ms after the last print");
        assert_eq!(r.events[1].kind, EventKind::Resize { cols: 100, rows: 30 });
        assert_eq!(r.duration, 1200);
        assert_eq!(r.start_time, Some(t0));
        assert_eq!(r.initial_size, Some((80, 25)));
        assert_eq!(r.output, b"abc");
    }

    #[test]
    fn events_tied_with_the_print_before_move_a_millisecond_later() {
        let mut b = Builder::new(&Limits::default(), Vec::new());
        b.print(Some(0), Some(0), b"a");
        b.event(EventInfo { size: Some("100:30".into()), ..info("resize", 0) });
        b.print(Some(5), Some(5 * MS), b"b");
        b.print(Some(5), Some(5 * MS), b"c");
        b.event(EventInfo { size: Some("90:30".into()), ..info("resize", 5 * MS) });
        b.print(Some(5), Some(5 * MS), b"d");
        b.event(info("session.end", 5 * MS));
        let r = b.finish(3).unwrap();
        let at: Vec<_> = r.events.iter().map(|e| e.at).collect();
        assert_eq!(at, [1, 5, 6], "no room between two prints at 5 ms: the resize stays at 5");
    }

    #[test]
    fn prints_never_go_backwards_and_say_so() {
        let mut b = Builder::new(&Limits::default(), Vec::new());
        b.print(Some(-64), None, b"x");
        b.print(Some(500), None, b"y");
        b.print(Some(100), None, b"z");
        let r = b.finish(1).unwrap();
        assert_eq!(r.prints.iter().map(|p| p.at).collect::<Vec<_>>(), [0, 564, 564]);
        assert!(r.problems[0].starts_with("1 prints"), "{:?}", r.problems);
    }

    #[test]
    fn events_with_ms_use_the_prints_clock() {
        let mut b = Builder::new(&Limits::default(), Vec::new());
        b.event(EventInfo { ms: Some(-64), ..info("session.start", 0) });
        b.print(Some(87), Some(151 * MS), b"x");
        b.event(EventInfo { ms: Some(1087), ..info("resize", 0) });
        b.print(Some(1332), Some(1396 * MS), b"y");
        let r = b.finish(1).unwrap();
        assert_eq!(r.events.iter().map(|e| e.at).collect::<Vec<_>>(), [0, 1000]);
        assert_eq!(r.prints[1].at, 1245);
        assert_eq!(r.start_time, Some(151 * MS));
    }

    #[test]
    fn without_prints_the_first_event_is_zero() {
        let mut b = Builder::new(&Limits::default(), Vec::new());
        b.event(info("session.start", 5_000 * MS));
        b.event(info("session.end", 7_500 * MS));
        let r = b.finish(2).unwrap();
        assert_eq!(r.events.iter().map(|e| e.at).collect::<Vec<_>>(), [0, 2500]);
        assert_eq!((r.duration, r.start_time), (2500, Some(5_000 * MS)));
    }

    #[test]
    fn limits_stop_intake_with_a_message() {
        let limits = Limits { max_output: 10, max_records: 3, ..Limits::default() };
        let mut b = Builder::new(&limits, Vec::new());
        assert!(b.print(Some(0), None, b"12345"));
        assert!(!b.print(Some(1), None, b"123456"));
        assert!(!b.print(Some(2), None, b"1"), "nothing more after a limit");
        let r = b.finish(3).unwrap();
        assert_eq!(r.output, b"12345");
        assert!(r.problems[0].contains("stopped at print #1"), "{:?}", r.problems);

        let mut b = Builder::new(&limits, Vec::new());
        for i in 0..5 {
            b.print(Some(i), None, b"");
        }
        let r = b.finish(3).unwrap();
        assert_eq!(r.prints.len(), 3);
        assert!(r.problems[0].contains("more than 3 events"), "{:?}", r.problems);
    }

    #[test]
    fn nothing_at_all_is_an_error_with_the_reasons() {
        let b = Builder::new(&Limits::default(), vec!["f: cut".into()]);
        assert_eq!(b.finish(2), Err(RecordingError::Unreadable("f: cut".into())));
    }
}
