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
        let fd = self.file.as_raw_fd();
        // SAFETY: fcntl on a descriptor we own; a lease taken is released at once.
        let taken = unsafe { libc::fcntl(fd, libc::F_SETLEASE, libc::F_RDLCK) };
        if taken == 0 {
            // SAFETY: as above.
            unsafe { libc::fcntl(fd, libc::F_SETLEASE, libc::F_UNLCK) };
            return None;
        }
        let busy = std::io::Error::last_os_error().raw_os_error() == Some(libc::EAGAIN);
        busy.then_some(Unfinished::OpenForWriting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_open_for_writing_or_growing_is_unfinished() {
        let dir = tempfile_dir();
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

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("hv-growing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
