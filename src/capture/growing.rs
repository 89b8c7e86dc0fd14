//! Whether a capture file is still being written, as a file from `tcpdump -U -w` is while
//! the capture runs: reading it gives the packets written so far, and the end is cut.

use std::fmt;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

/// Why a file that ended cleanly is nevertheless unfinished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfinished {
    /// The file grew while it was read.
    Grew { from: u64, to: u64 },
    /// Another process holds the file open for writing.
    OpenForWriting,
}

impl fmt::Display for Unfinished {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unfinished::Grew { from, to } => write!(
                f,
                "another process is still writing this file (it grew from {from} to {to} bytes \
                 while it was read)"
            ),
            Unfinished::OpenForWriting => {
                write!(f, "another process still has this file open for writing")
            }
        }
    }
}

/// A read-only handle on a regular capture file and its size when reading began.
#[derive(Debug)]
pub(super) struct WriteWatch {
    file: File,
    len_at_open: u64,
}

impl WriteWatch {
    /// Watches `path`; None for standard input, pipes and other non-regular files.
    pub(super) fn new(path: &Path) -> Option<WriteWatch> {
        let file = File::open(path).ok()?;
        let meta = file.metadata().ok()?;
        meta.is_file().then_some(WriteWatch {
            file,
            len_at_open: meta.len(),
        })
    }

    /// Whether the file is unfinished: it grew since it was opened, or another process has it
    /// open for writing (a read lease cannot be taken then; this needs to own the file or
    /// CAP_LEASE, and is skipped otherwise).
    pub(super) fn unfinished(&self) -> Option<Unfinished> {
        let now = self.file.metadata().ok()?.len();
        if now != self.len_at_open {
            return Some(Unfinished::Grew {
                from: self.len_at_open,
                to: now,
            });
        }
        // A writer seen only for a moment is a process that was starting another one (a
        // child holds its parent's descriptors until it executes its program), not a
        // capture: the file counts as open for writing when it stays so for a while.
        for attempt in 1..=LEASE_ATTEMPTS {
            match self.try_lease() {
                Lease::Taken | Lease::Unsupported => return None,
                Lease::Busy if attempt == LEASE_ATTEMPTS => break,
                Lease::Busy => std::thread::sleep(LEASE_RETRY),
            }
        }
        Some(Unfinished::OpenForWriting)
    }

    /// Tries to take a read lease on the file, and releases it at once.
    fn try_lease(&self) -> Lease {
        let fd = self.file.as_raw_fd();
        // SAFETY: fcntl on a descriptor we own; a lease taken is released at once.
        let taken = unsafe { libc::fcntl(fd, libc::F_SETLEASE, libc::F_RDLCK) };
        if taken == 0 {
            // SAFETY: as above.
            unsafe { libc::fcntl(fd, libc::F_SETLEASE, libc::F_UNLCK) };
            return Lease::Taken;
        }
        match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::EAGAIN) => Lease::Busy,
            _ => Lease::Unsupported,
        }
    }
}

/// Times a read lease is tried before the file counts as open for writing.
const LEASE_ATTEMPTS: u32 = 20;
/// The wait between two tries (20 tries: 0.2 s in all).
const LEASE_RETRY: std::time::Duration = std::time::Duration::from_millis(10);

/// What came of asking for a read lease.
enum Lease {
    /// No one has the file open for writing.
    Taken,
    /// Someone has.
    Busy,
    /// Leases cannot be taken here (not the file's owner, no CAP_LEASE, or a file system
    /// without them).
    Unsupported,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_open_for_writing_or_growing_is_unfinished() {
        let dir = tempfile_dir("growing");
        let path = dir.join("growing.pcap");
        let mut writer = File::create(&path).unwrap();
        writer.write_all(b"0123").unwrap();
        let watch = WriteWatch::new(&path).unwrap();
        // Running as root or as the file's owner, the lease test sees the writer.
        assert_eq!(watch.unfinished(), Some(Unfinished::OpenForWriting));
        writer.write_all(b"4567").unwrap();
        assert_eq!(
            watch.unfinished(),
            Some(Unfinished::Grew { from: 4, to: 8 })
        );
        drop(writer);
        let watch = WriteWatch::new(&path).unwrap();
        assert_eq!(watch.unfinished(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_writer_that_lets_go_at_once_leaves_the_file_finished() {
        let dir = tempfile_dir("brief");
        let path = dir.join("done.pcap");
        std::fs::write(&path, b"0123").unwrap();
        let watch = WriteWatch::new(&path).unwrap();
        // As a child process starting up holds its parent's descriptors for a moment.
        let brief = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        let holder = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            drop(brief);
        });
        assert_eq!(watch.unfinished(), None);
        holder.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("hv-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
