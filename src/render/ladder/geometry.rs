//! Where things go in the SVG: the columns of one ladder and the height of every event, evenly
//! spaced or with time to scale.

use super::layout::{self, Event};
use super::model::{CallEnd, Ladder, MarkKind, NoteKind};
use super::wrap::{clean, width, wrap};

/// How the vertical distance between events is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spacing {
    /// Time to scale: the median step between events gets the smallest spacing, longer pauses
    /// get proportionally more room, up to eight steps; a longer pause is cut short and drawn
    /// as a break labelled with its length. Nothing is ever closer than it needs to be legible,
    /// so a long transfer scrolls instead of shrinking.
    #[default]
    Scaled,
    /// Every event gets the room it needs and no more; pauses are marked with a break.
    Even,
}

/// Page margin.
pub const MARGIN: f64 = 16.0;
/// Horizontal distance between the lanes.
pub const LANE_GAP: f64 = 440.0;
/// How far below its start an arrow arrives at the other lane.
pub const SLANT: f64 = 34.0;
/// Size of arrow labels (monospace).
pub const LABEL_SIZE: f64 = 12.0;
/// Size of explanations (sans-serif).
pub const PHRASE_SIZE: f64 = 11.5;
/// Size of call details and times.
pub const SMALL_SIZE: f64 = 10.5;
/// Line heights.
pub const LABEL_LINE: f64 = 14.0;
/// Line height of explanations.
pub const PHRASE_LINE: f64 = 14.0;
/// Line height of small text.
pub const SMALL_LINE: f64 = 12.5;
/// Extra room a break takes.
pub const BREAK_H: f64 = 34.0;
const TIME_W: f64 = 104.0;
const CALL_W: f64 = 200.0;
const PAD: f64 = 5.0;

/// Width in pixels of text in a font of `size` px: monospace advances 0.6 em per column,
/// sans-serif is estimated at 0.56 em per column (a wide character counts two columns).
pub fn text_px(s: &str, size: f64, mono: bool) -> f64 {
    let per = if mono { 0.6 } else { 0.56 };
    width(s) as f64 * size * per
}

/// `s` wrapped to lines no wider than `px` pixels.
pub fn wrap_px(s: &str, px: f64, size: f64, mono: bool) -> Vec<String> {
    let per = if mono { 0.6 } else { 0.56 };
    let cols = (px / (size * per)).floor().max(4.0) as usize;
    wrap(&clean(s), cols)
}

/// Horizontal positions of one ladder.
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    /// Whole width.
    pub width: f64,
    /// Right edge of frame numbers.
    pub frame_x: f64,
    /// Left edge of times.
    pub time_x: f64,
    /// Client lane.
    pub left: f64,
    /// Server lane.
    pub right: f64,
    /// Width of the state column beside each lane.
    pub state_w: f64,
    /// Width of the call column outside each state column (0: no calls).
    pub call_w: f64,
}

impl Columns {
    fn new(ladder: &Ladder) -> Columns {
        let mut state = 0.0f64;
        let lanes = [&ladder.client, &ladder.server];
        for s in lanes.iter().filter_map(|l| l.initial_state.as_ref()) {
            state = state.max(text_px(&clean(s), SMALL_SIZE, true));
        }
        for a in ladder.arrows() {
            for s in &a.states {
                state = state.max(text_px(&clean(&s.state), SMALL_SIZE, true));
            }
        }
        let has_calls = ladder
            .rows
            .iter()
            .any(|r| matches!(r, super::model::Row::Call(_)));
        // Room for the role and endpoint centred on each lane, too.
        let mut label = 0.0f64;
        for lane in lanes {
            label = label.max(text_px(&clean(&lane.role), 16.0, false));
            label = label.max(text_px(&clean(&lane.endpoint), 12.0, true));
        }
        let state_w = if state > 0.0 {
            state.min(160.0) + 3.0 * PAD
        } else {
            PAD * 2.0
        };
        let state_w = state_w.max((label / 2.0).min(200.0) + PAD);
        let call_w = if has_calls { CALL_W } else { 0.0 };
        let left = MARGIN + TIME_W + call_w + state_w;
        let right = left + LANE_GAP;
        Columns {
            width: right + state_w + call_w + MARGIN,
            frame_x: MARGIN + 30.0,
            time_x: MARGIN + 38.0,
            left,
            right,
            state_w,
            call_w,
        }
    }

    /// The x of the bracket of a blocking call on the client (0) or server (1) side.
    pub fn bracket_x(&self, side: usize) -> f64 {
        if side == 0 {
            self.left - self.state_w - PAD
        } else {
            self.right + self.state_w + PAD
        }
    }
}

/// One event and its height on the page.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    /// The event (never a gap: those are breaks).
    pub event: Event<'a>,
    /// Its y: the arrow's start, the call's name.
    pub y: f64,
    /// Lines of text, already wrapped: arrow label; call or note text.
    pub lines: Vec<String>,
    /// Lines of an arrow's explanation.
    pub phrase: Vec<String>,
}

/// A pause drawn as a break in the lanes.
#[derive(Debug, Clone, Copy)]
pub struct Break {
    /// Middle of the break.
    pub y: f64,
    /// Length of the pause.
    pub ns: i64,
}

/// Everything placed.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// Columns.
    pub cols: Columns,
    /// Title lines, baseline of the first.
    pub title: (Vec<String>, f64),
    /// Baseline of the role labels (the endpoints are one line below).
    pub roles_y: f64,
    /// Where the lanes start.
    pub lanes_top: f64,
    /// Where the lanes end.
    pub lanes_bottom: f64,
    /// Events.
    pub placed: Vec<Placed<'a>>,
    /// Breaks.
    pub breaks: Vec<Break>,
    /// Total height.
    pub height: f64,
}

/// Room above and below an event's y.
fn extent(p: &Placed<'_>) -> (f64, f64) {
    let tilt = SLANT / LANE_GAP;
    match p.event {
        Event::Arrow(a) => {
            let lost = a.marks.iter().any(|m| m.kind == MarkKind::LostSegment);
            let label_px = p.lines.iter().map(|l| text_px(l, LABEL_SIZE, true));
            let half_label = label_px.fold(0.0, f64::max) / 2.0;
            let phrase_px = p.phrase.iter().map(|l| text_px(l, PHRASE_SIZE, false));
            let half_phrase = phrase_px.fold(0.0, f64::max) / 2.0;
            let above = -SLANT / 2.0
                + 5.0
                + LABEL_LINE * (p.lines.len() as f64 - 1.0)
                + LABEL_SIZE
                + half_label * tilt;
            let below =
                SLANT / 2.0 + 4.0 + PHRASE_LINE * p.phrase.len() as f64 + half_phrase * tilt;
            let least = if lost { 20.0 } else { 10.0 };
            (above.max(least), below.max(SLANT + 10.0))
        }
        Event::Call { .. } | Event::Return { .. } => {
            (SMALL_SIZE + 1.0, 4.0 + SMALL_LINE * p.lines.len() as f64)
        }
        Event::Note(_) => (PHRASE_SIZE + 4.0, 6.0 + PHRASE_LINE * p.lines.len() as f64),
        Event::Gap { .. } => (0.0, 0.0),
    }
}

fn lines_of<'a>(event: &Event<'a>, cols: &Columns) -> (Vec<String>, Vec<String>) {
    let inner = LANE_GAP - 70.0;
    let call_text = cols.call_w - 2.0 * PAD;
    match event {
        Event::Arrow(a) => (
            wrap_px(&a.label, inner, LABEL_SIZE, true),
            if a.phrase.is_empty() {
                Vec::new()
            } else {
                wrap_px(&a.phrase, inner, PHRASE_SIZE, false)
            },
        ),
        Event::Call { call, spans } => {
            let text = match (&call.end, spans) {
                (CallEnd::Returned { detail, .. }, false) if call.detail.is_empty() => {
                    detail.clone()
                }
                (CallEnd::Returned { detail, .. }, false) => format!("{} → {detail}", call.detail),
                _ => call.detail.clone(),
            };
            let mut lines = vec![clean(&call.name)];
            if !text.is_empty() {
                lines.extend(wrap_px(&text, call_text, SMALL_SIZE, false));
            }
            (lines, Vec::new())
        }
        Event::Return { detail, .. } => (wrap_px(detail, call_text, SMALL_SIZE, false), Vec::new()),
        Event::Note(n) => {
            let symbol = if n.kind == NoteKind::Alert { "!" } else { "»" };
            let text = format!("{symbol} {}", n.text);
            (wrap_px(&text, inner, PHRASE_SIZE, false), Vec::new())
        }
        Event::Gap { .. } => (Vec::new(), Vec::new()),
    }
}

/// Places one ladder.
pub fn plan<'a>(ladder: &'a Ladder, spacing: Spacing) -> Plan<'a> {
    let cols = Columns::new(ladder);
    let title = wrap_px(&ladder.title, cols.width - 2.0 * MARGIN, 15.0, false);
    let title_y = MARGIN + 14.0;
    let roles_y = title_y + 19.0 * (title.len() as f64 - 1.0) + 34.0;
    let lanes_top = roles_y + 26.0;
    let events = layout::events(ladder);
    let threshold = layout::gap_threshold(&events);
    let scale = match spacing {
        Spacing::Scaled => scale(&events),
        Spacing::Even => 0.0,
    };
    let max_step = 8.0 * REF_PITCH;
    let mut placed: Vec<Placed<'a>> = Vec::with_capacity(events.len());
    let mut breaks = Vec::new();
    let mut y = lanes_top + 30.0;
    for event in events {
        let (lines, phrase) = lines_of(&event, &cols);
        let mut p = Placed {
            event,
            y: 0.0,
            lines,
            phrase,
        };
        let (above, _) = extent(&p);
        match placed.last() {
            None => y += above,
            Some(prev) => {
                let (_, below) = extent(prev);
                let room = below + above + 6.0;
                let dt = event.t_ns().saturating_sub(prev.event.t_ns());
                let scaled = dt as f64 * scale;
                let is_break = match spacing {
                    Spacing::Scaled => scaled > max_step,
                    Spacing::Even => dt >= threshold,
                };
                if is_break {
                    breaks.push(Break {
                        y: prev.y + below + BREAK_H / 2.0 + 3.0,
                        ns: dt,
                    });
                    y = prev.y + room + BREAK_H;
                } else {
                    y = prev.y + room.max(scaled);
                }
            }
        }
        p.y = y;
        placed.push(p);
    }
    let last_below = placed.last().map(|p| extent(p).1).unwrap_or(0.0);
    let lanes_bottom = y + last_below + 16.0;
    Plan {
        cols,
        title: (title, title_y),
        roles_y,
        lanes_top,
        lanes_bottom,
        placed,
        breaks,
        height: lanes_bottom,
    }
}

/// The spacing the median step between events gets in [`Spacing::Scaled`].
pub const REF_PITCH: f64 = 56.0;

/// Pixels per nanosecond: the median positive step between events maps to [`REF_PITCH`].
fn scale(events: &[Event<'_>]) -> f64 {
    let mut steps: Vec<i64> = events
        .windows(2)
        .map(|w| w[1].t_ns().saturating_sub(w[0].t_ns()))
        .filter(|d| *d > 0)
        .collect();
    if steps.is_empty() {
        return 0.0;
    }
    steps.sort_unstable();
    REF_PITCH / steps[steps.len() / 2] as f64
}
