//! A progress bar on standard error for long reads: bytes and packets done, rate and time
//! left. It appears only once a read has taken a while (a second unless
//! `HANDSHAKE_VIZ_PROGRESS_DELAY` says otherwise), so short reads print nothing, and it is
//! cleared before the report's last lines are written.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Reads shorter than this show no bar, by default.
pub const DEFAULT_DELAY: Duration = Duration::from_secs(1);

/// The environment variable that sets the delay, in seconds.
pub const DELAY_VARIABLE: &str = "HANDSHAKE_VIZ_PROGRESS_DELAY";

/// The delay `value` of [`DELAY_VARIABLE`] sets (unset: [`DEFAULT_DELAY`]), or why it is
/// not one.
pub fn delay_from(value: Option<&str>) -> Result<Duration, String> {
    let Some(value) = value else {
        return Ok(DEFAULT_DELAY);
    };
    value
        .trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{DELAY_VARIABLE}={value:?} is not a number of seconds"))
}

/// A progress bar that shows itself after a delay.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    delay: Duration,
    shown: bool,
}

impl Progress {
    /// Update the bar every this many packets (cheap enough to be invisible in a profile).
    pub const EVERY: u64 = 1 << 14;

    /// A bar for a file of `size` bytes (a spinner when the size is not known), shown once
    /// `delay` has passed.
    pub fn new(size: Option<u64>, delay: Duration) -> Progress {
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
            delay,
            shown: false,
        }
    }

    /// `bytes` of the file and `packets` are done.
    pub fn update(&mut self, bytes: u64, packets: u64) {
        if !self.shown && self.started.elapsed() >= self.delay {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_is_a_number_of_seconds() {
        assert_eq!(delay_from(None), Ok(DEFAULT_DELAY));
        assert_eq!(delay_from(Some("0")), Ok(Duration::ZERO));
        assert_eq!(delay_from(Some(" 2.5")), Ok(Duration::from_millis(2500)));
        for bad in ["", "soon", "-1", "NaN", "1e400"] {
            assert_eq!(
                delay_from(Some(bad)),
                Err(format!(
                    "HANDSHAKE_VIZ_PROGRESS_DELAY={bad:?} is not a number of seconds"
                ))
            );
        }
    }
}
