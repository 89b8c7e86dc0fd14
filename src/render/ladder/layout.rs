//! What every renderer of a ladder needs in the same order: the rows and the returns of
//! blocking calls merged by time, with pauses worth showing marked between them.

use super::model::{Arrow, Call, CallEnd, Ladder, Note, Row, Side};

/// One moment of the ladder, in drawing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// A packet.
    Arrow(&'a Arrow),
    /// A call is made. `spans` is true when other events happen before it returns.
    Call {
        /// The call.
        call: &'a Call,
        /// Whether it stays open across other events (drawn as a bracket).
        spans: bool,
    },
    /// A blocking call returns (only for calls that span other events; the others show their
    /// return on the call's own line).
    Return {
        /// The call.
        call: &'a Call,
        /// When it returned.
        t_ns: i64,
        /// How it returned.
        detail: &'a str,
    },
    /// A note.
    Note(&'a Note),
    /// Nothing happened for this long.
    Gap {
        /// The pause, in nanoseconds.
        ns: i64,
    },
}

impl Event<'_> {
    /// When it happens (a gap: never asked).
    pub fn t_ns(&self) -> i64 {
        match self {
            Event::Arrow(a) => a.t_ns,
            Event::Call { call, .. } => call.t_ns,
            Event::Return { t_ns, .. } => *t_ns,
            Event::Note(n) => n.t_ns,
            Event::Gap { .. } => 0,
        }
    }
}

/// The events of a ladder in time order (stable: equal times keep the rows' order, a return
/// comes after the rows of its own time), without gaps.
pub fn events(ladder: &Ladder) -> Vec<Event<'_>> {
    let mut timed: Vec<(i64, usize, Event<'_>)> = Vec::with_capacity(ladder.rows.len());
    for (i, row) in ladder.rows.iter().enumerate() {
        let event = match row {
            Row::Arrow(a) => Event::Arrow(a),
            Row::Note(n) => Event::Note(n),
            Row::Call(c) => Event::Call {
                call: c,
                spans: false,
            },
        };
        timed.push((row.t_ns(), i, event));
        if let Row::Call(call) = row
            && let CallEnd::Returned { t_ns, detail } = &call.end
        {
            let t = (*t_ns).max(call.t_ns);
            let ret = Event::Return {
                call,
                t_ns: t,
                detail,
            };
            timed.push((t, ladder.rows.len() + i, ret));
        }
    }
    timed.sort_by_key(|(t, order, _)| (*t, *order));
    let mut out: Vec<Event<'_>> = timed.into_iter().map(|(_, _, e)| e).collect();
    mark_spans(&mut out);
    out
}

/// A call spans when something else happens between it and its return (or it never returns
/// and something follows); a call immediately followed by its own return is drawn on one line,
/// so that return is dropped.
fn mark_spans(events: &mut Vec<Event<'_>>) {
    let mut keep = vec![true; events.len()];
    for i in 0..events.len() {
        let Event::Call { call, .. } = events[i] else {
            continue;
        };
        let spans = match call.end {
            CallEnd::Instant => false,
            CallEnd::Pending => i + 1 < events.len(),
            CallEnd::Returned { .. } => match events.get(i + 1) {
                Some(Event::Return { call: c, .. }) if std::ptr::eq(*c, call) => {
                    keep[i + 1] = false;
                    false
                }
                _ => true,
            },
        };
        events[i] = Event::Call { call, spans };
    }
    let mut i = 0;
    events.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// The smallest pause shown as a gap: 50 times the median step between events, at least 1 ms.
/// Steady traffic shows no gap; a wait for a timeout or a slow peer does.
pub fn gap_threshold(events: &[Event<'_>]) -> i64 {
    let mut steps: Vec<i64> = events
        .windows(2)
        .map(|w| w[1].t_ns().saturating_sub(w[0].t_ns()))
        .filter(|d| *d > 0)
        .collect();
    if steps.is_empty() {
        return i64::MAX;
    }
    steps.sort_unstable();
    let median = steps[steps.len() / 2];
    median.saturating_mul(50).max(1_000_000)
}

/// The events with a [`Event::Gap`] inserted before every pause of at least `threshold` ns.
pub fn with_gaps(events: Vec<Event<'_>>, threshold: i64) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut last: Option<i64> = None;
    for event in events {
        let t = event.t_ns();
        if let Some(prev) = last
            && t.saturating_sub(prev) >= threshold
        {
            out.push(Event::Gap {
                ns: t.saturating_sub(prev),
            });
        }
        last = Some(t);
        out.push(event);
    }
    out
}

/// Time since the first packet in seconds with microseconds: `0.000057`, `-0.000120`.
pub fn format_time(t_ns: i64) -> String {
    let sign = if t_ns < 0 { "-" } else { "" };
    let abs = t_ns.unsigned_abs();
    let micros = (abs + 500) / 1000;
    format!("{sign}{}.{:06}", micros / 1_000_000, micros % 1_000_000)
}

/// A pause as a short duration: `42 µs`, `1.908 ms`, `2.500 s`.
pub fn format_gap(ns: i64) -> String {
    crate::time::format_duration(ns as f64 / 1e9)
}

/// For each side, whether a spanning call is open after each event (index-aligned).
pub fn open_calls(events: &[Event<'_>]) -> Vec<[bool; 2]> {
    let mut open = [0usize; 2];
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Call { call, spans: true } => open[side_index(call.side)] += 1,
            Event::Return { call, .. } => {
                let i = side_index(call.side);
                open[i] = open[i].saturating_sub(1);
            }
            _ => {}
        }
        out.push([open[0] > 0, open[1] > 0]);
    }
    out
}

/// 0 for the client, 1 for the server.
pub fn side_index(side: Side) -> usize {
    match side {
        Side::Client => 0,
        Side::Server => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::ladder::model::{Lane, Note, NoteKind};

    fn lane(role: &str) -> Lane {
        Lane {
            role: role.into(),
            endpoint: String::new(),
            initial_state: None,
        }
    }

    fn call(t: i64, end: CallEnd) -> Row {
        Row::Call(Call {
            side: Side::Client,
            t_ns: t,
            name: "connect()".into(),
            detail: String::new(),
            end,
        })
    }

    fn note(t: i64) -> Row {
        Row::Note(Note {
            t_ns: t,
            kind: NoteKind::Info,
            text: format!("at {t}"),
        })
    }

    fn ladder(rows: Vec<Row>) -> Ladder {
        Ladder {
            title: String::new(),
            id: "x".into(),
            client: lane("client"),
            server: lane("server"),
            rows,
        }
    }

    fn returned(t: i64) -> CallEnd {
        CallEnd::Returned {
            t_ns: t,
            detail: "ok".into(),
        }
    }

    #[test]
    fn a_return_lands_among_later_rows_and_a_call_spans_them() {
        let l = ladder(vec![call(0, returned(25)), note(10), note(20), note(30)]);
        let ev = events(&l);
        let times: Vec<i64> = ev.iter().map(Event::t_ns).collect();
        assert_eq!(times, vec![0, 10, 20, 25, 30]);
        assert!(matches!(ev[0], Event::Call { spans: true, .. }));
        assert!(matches!(ev[3], Event::Return { .. }));
        let open = open_calls(&ev);
        assert_eq!(open[2], [true, false]);
        assert_eq!(open[3], [false, false]);
    }

    #[test]
    fn a_call_returning_before_anything_else_is_one_event() {
        let l = ladder(vec![call(0, returned(5)), note(10)]);
        let ev = events(&l);
        assert_eq!(ev.len(), 2);
        assert!(matches!(ev[0], Event::Call { spans: false, .. }));
    }

    #[test]
    fn gaps_are_long_pauses_only() {
        let rows = (0..10)
            .map(|i| note(i * 1000))
            .chain([note(9000 + 5_000_000)]);
        let l = ladder(rows.collect());
        let ev = events(&l);
        let threshold = gap_threshold(&ev);
        assert_eq!(threshold, 1_000_000);
        let ev = with_gaps(ev, threshold);
        let gaps: Vec<i64> = ev
            .iter()
            .filter_map(|e| match e {
                Event::Gap { ns } => Some(*ns),
                _ => None,
            })
            .collect();
        assert_eq!(gaps, vec![5_000_000]);
    }

    #[test]
    fn times_read_as_seconds_with_microseconds() {
        assert_eq!(format_time(57_400), "0.000057");
        assert_eq!(format_time(-120_000), "-0.000120");
        assert_eq!(format_time(2_500_000_000), "2.500000");
    }
}
