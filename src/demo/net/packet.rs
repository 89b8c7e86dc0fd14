//! Raw AF_PACKET sockets for the relay: whole Ethernet frames in and out of one interface.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

fn last_error<T>() -> io::Result<T> {
    Err(io::Error::last_os_error())
}

/// A raw AF_PACKET socket bound to one interface: whole Ethernet frames in and out.
#[derive(Debug)]
pub(crate) struct PacketSocket {
    fd: OwnedFd,
}

/// One frame read from a [`PacketSocket`].
pub(crate) struct Received {
    /// Bytes stored in the buffer.
    pub len: usize,
    /// Length of the frame (larger than `len` when the buffer was too small).
    pub wire_len: usize,
    /// The kernel marked it as sent by this host (`PACKET_OUTGOING`).
    pub outgoing: bool,
}

impl PacketSocket {
    /// Opens a non-blocking socket on `ifname` in the calling thread's namespace. It sees only
    /// frames arriving on that interface: outgoing ones are ignored (PACKET_IGNORE_OUTGOING).
    pub(crate) fn open(ifname: &str) -> io::Result<PacketSocket> {
        let name = std::ffi::CString::new(ifname)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in interface name"))?;
        // SAFETY: reads the NUL-terminated name.
        let ifindex = unsafe { libc::if_nametoindex(name.as_ptr()) };
        if ifindex == 0 {
            return last_error();
        }
        // Protocol 0: nothing is queued before bind() picks the interface.
        // SAFETY: plain socket creation; owned at once.
        let fd = unsafe {
            libc::socket(
                libc::AF_PACKET,
                libc::SOCK_RAW | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                0,
            )
        };
        if fd < 0 {
            return last_error();
        }
        // SAFETY: `fd` is fresh and owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let set = |level, opt, value: libc::c_int| {
            // SAFETY: `value` is a c_int that outlives the call; the length matches.
            let rc = unsafe {
                libc::setsockopt(
                    fd.as_raw_fd(),
                    level,
                    opt,
                    (&value as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
            if rc != 0 { last_error() } else { Ok(()) }
        };
        set(libc::SOL_PACKET, libc::PACKET_IGNORE_OUTGOING, 1)?;
        set(libc::SOL_SOCKET, libc::SO_RCVBUF, 4 << 20)?;
        set(libc::SOL_SOCKET, libc::SO_SNDBUF, 4 << 20)?;
        // SAFETY: an all-zero sockaddr_ll is valid; the fields are set below.
        let mut addr: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        addr.sll_family = libc::AF_PACKET as u16;
        addr.sll_protocol = (libc::ETH_P_ALL as u16).to_be();
        addr.sll_ifindex = ifindex as libc::c_int;
        // SAFETY: `addr` is a valid sockaddr_ll of the given length.
        let rc = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_ll).cast(),
                std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
            )
        };
        if rc != 0 {
            return last_error();
        }
        Ok(PacketSocket { fd })
    }

    /// Reads one frame without blocking; `None` when none is queued.
    pub(crate) fn recv(&self, buf: &mut [u8]) -> io::Result<Option<Received>> {
        // SAFETY: zeroed sockaddr_ll is valid as an out parameter.
        let mut from: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        let mut from_len = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
        // SAFETY: `buf` and `from` are valid for writes of the given lengths.
        let n = unsafe {
            libc::recvfrom(
                self.fd.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                libc::MSG_DONTWAIT | libc::MSG_TRUNC,
                (&mut from as *mut libc::sockaddr_ll).cast(),
                &mut from_len,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            return match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(None),
                _ => Err(e),
            };
        }
        let wire_len = n as usize;
        Ok(Some(Received {
            len: wire_len.min(buf.len()),
            wire_len,
            outgoing: from.sll_pkttype == libc::PACKET_OUTGOING,
        }))
    }

    /// Sends one whole Ethernet frame out of the interface.
    pub(crate) fn send(&self, frame: &[u8]) -> io::Result<()> {
        // SAFETY: `frame` is valid for reads of its length.
        let n = unsafe {
            libc::send(
                self.fd.as_raw_fd(),
                frame.as_ptr().cast(),
                frame.len(),
                libc::MSG_DONTWAIT,
            )
        };
        if n < 0 {
            return last_error();
        }
        Ok(())
    }
}

/// Waits up to `timeout` until one of `sockets` has a frame; returns which are readable.
pub(crate) fn poll_readable<const N: usize>(
    sockets: [&PacketSocket; N],
    timeout: Duration,
) -> io::Result<[bool; N]> {
    let mut fds = sockets.map(|s| libc::pollfd {
        fd: s.fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    });
    let ms = timeout.as_millis().min(1000) as libc::c_int;
    // SAFETY: `fds` holds N valid pollfd entries.
    let rc = unsafe { libc::poll(fds.as_mut_ptr(), N as libc::nfds_t, ms) };
    if rc < 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::Interrupted {
            return Ok([false; N]);
        }
        return Err(e);
    }
    Ok(fds.map(|p| p.revents & (libc::POLLIN | libc::POLLERR) != 0))
}
