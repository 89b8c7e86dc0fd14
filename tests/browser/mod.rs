//! Headless Chromium for the picture tests: a bounded run with no usable network, a
//! screenshot decoded to pixels, the DOM after the scripts ran.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use super::common;

/// Longest a single Chromium run may take.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(45);

/// The Chromium binary, or a failed test telling how to install it.
pub fn chromium() -> String {
    static FOUND: OnceLock<String> = OnceLock::new();
    FOUND.get_or_init(find_chromium).clone()
}

fn find_chromium() -> String {
    let bin = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let mut cmd = Command::new(&bin);
    cmd.arg("--version");
    match common::run_bounded(cmd, CHROMIUM_TIMEOUT, true) {
        Ok(run) if run.code() == Some(0) => bin,
        other => panic!(
            "headless Chromium is needed to check the SVG and HTML ladders as they are drawn, \
             and `{bin} --version` did not run ({}). Install it with \
             `apt-get install -y chromium`, or set CHROMIUM to its path.",
            match other {
                Ok(run) => run.stderr_text(),
                Err(e) => e.to_string(),
            }
        ),
    }
}

/// Runs Chromium headless on `file` with a fresh profile and no usable network, plus `args`.
/// Returns its standard output.
pub fn run_chromium(dir: &Path, file: &Path, args: &[String]) -> String {
    let profile = tempfile::tempdir_in(dir).expect("profile dir");
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.path().display()));
    cmd.args(args);
    cmd.arg(format!("file://{}", file.display()));
    let run = common::run_bounded(cmd, CHROMIUM_TIMEOUT, true).expect("start chromium");
    assert!(
        !run.timed_out,
        "chromium took over {CHROMIUM_TIMEOUT:?} on {file:?}"
    );
    assert_eq!(
        run.code(),
        Some(0),
        "chromium failed: {}",
        run.stderr_text()
    );
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// A screenshot of `file` in a `w`×`h` window, decoded to RGB rows.
pub fn screenshot(dir: &Path, file: &Path, w: u32, h: u32) -> Image {
    let png = dir.join(format!(
        "{}.png",
        file.file_name().unwrap_or_default().to_string_lossy()
    ));
    run_chromium(
        dir,
        file,
        &[
            format!("--screenshot={}", png.display()),
            format!("--window-size={w},{h}"),
        ],
    );
    Image::read(&png)
}

/// The page's DOM after its scripts ran.
pub fn dump_dom(dir: &Path, file: &Path) -> String {
    run_chromium(dir, file, &["--dump-dom".into()])
}

/// An RGB picture.
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<[u8; 3]>,
}

impl Image {
    pub fn read(path: &Path) -> Image {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let decoder = png::Decoder::new(std::io::BufReader::new(file));
        let mut reader = decoder.read_info().expect("a PNG");
        let size = reader
            .output_buffer_size()
            .expect("PNG size fits in memory");
        let mut buf = vec![0; size];
        let info = reader.next_frame(&mut buf).expect("PNG frame");
        assert_eq!(info.bit_depth, png::BitDepth::Eight, "8-bit screenshot");
        let channels = match info.color_type {
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            other => panic!("unexpected screenshot colour type {other:?}"),
        };
        let rgb = buf[..info.buffer_size()]
            .chunks_exact(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Image {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    pub fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }

    /// Pixels in the rectangle that are clearly not background (darker than light grey).
    pub fn inked(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> usize {
        let clamp = |v: f64, max: u32| (v.max(0.0) as u32).min(max);
        let (x0, x1) = (clamp(x0, self.width), clamp(x1, self.width));
        let (y0, y1) = (clamp(y0, self.height), clamp(y1, self.height));
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let [r, g, b] = self.at(x, y);
                if u32::from(r) + u32::from(g) + u32::from(b) < 3 * 200 {
                    n += 1;
                }
            }
        }
        n
    }

    /// Share of inked pixels and number of distinct colours over the whole picture.
    pub fn stats(&self) -> (f64, usize) {
        let inked = self.inked(0.0, 0.0, f64::from(self.width), f64::from(self.height));
        let mut colours: Vec<[u8; 3]> = self.rgb.iter().step_by(7).copied().collect();
        colours.sort_unstable();
        colours.dedup();
        (inked as f64 / self.rgb.len() as f64, colours.len())
    }
}
