//! A progress bar on standard error for long reads: bytes and packets done, rate and time
//! left. It appears only once a read has taken about a second, so short reads print nothing,
//! and it is cleared before the report's last lines are written.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Reads shorter than this show no bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A progress bar that shows itself after `SHOW_AFTER`.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
}

impl Progress {
    /// Update the bar every this many packets (cheap enough to be invisible in a profile).
    pub const EVERY: u64 = 1 << 14;

    /// A bar for a file of `size` bytes (a spinner when the size is not known).
    pub fn new(size: Option<u64>) -> Progress {
        let bar = match size {
            Some(size) => ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::hidden()),
            None => ProgressBar::hidden(),
        };
        let template = match size {
            Some(_) => {
                "{bar:30} {bytes}/{total_bytes} · {msg} · {binary_bytes_per_sec} · {eta} left"
            }
            None => "{spinner} {bytes} · {msg} · {binary_bytes_per_sec}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
        }
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    /// `bytes` of the file and `packets` are done.
    pub fn update(&mut self, bytes: u64, packets: u64) {
        if !self.shown && self.started.elapsed() >= SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.set_message(format!("{packets} packets"));
        self.bar.set_position(bytes);
    }

    /// Removes the bar (the report's totals follow on standard output).
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }

    /// Removes the bar for good.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
