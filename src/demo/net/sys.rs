//! The system calls std does not wrap: entering a network namespace, switching off offloads
//! with the ethtool ioctl, removing a named namespace, forking the cleanup guard and raw
//! AF_PACKET sockets. Every `unsafe` block of the namespace and relay code is here.

use std::ffi::CStr;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// `SIOCETHTOOL` (linux/sockios.h); the libc crate does not export it.
const SIOCETHTOOL: libc::c_ulong = 0x8946;

/// Legacy ethtool get/set command pairs (linux/ethtool.h): TX checksum, RX checksum,
/// scatter-gather, TSO, GSO, GRO. The kernel maps each onto the matching netdev feature.
pub(crate) const OFFLOADS: [(&str, u32, u32); 6] = [
    ("tx-checksumming", 0x16, 0x17),
    ("rx-checksumming", 0x14, 0x15),
    ("scatter-gather", 0x18, 0x19),
    ("tcp-segmentation-offload", 0x1e, 0x1f),
    ("generic-segmentation-offload", 0x23, 0x24),
    ("generic-receive-offload", 0x2b, 0x2c),
];

/// `struct ethtool_value`.
#[repr(C)]
struct EthtoolValue {
    cmd: u32,
    data: u32,
}

/// `struct ifreq` with the `ifr_data` member of its union (40 bytes on 64-bit Linux).
#[repr(C)]
struct IfreqData {
    name: [libc::c_char; libc::IFNAMSIZ],
    data: *mut libc::c_void,
    _pad: [u8; 16],
}

fn last_error<T>() -> io::Result<T> {
    Err(io::Error::last_os_error())
}

/// Moves the calling thread into the network namespace `ns` (an open `/run/netns/NAME`).
pub(crate) fn enter_netns(ns: &impl AsRawFd) -> io::Result<()> {
    // SAFETY: setns only reads the descriptor; CLONE_NEWNET affects this thread only.
    if unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
        return last_error();
    }
    Ok(())
}

/// A datagram socket in the calling thread's namespace, for interface ioctls.
fn ioctl_socket() -> io::Result<OwnedFd> {
    // SAFETY: plain socket creation; the descriptor is owned at once.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return last_error();
    }
    // SAFETY: `fd` is a fresh descriptor nobody else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn ifname_bytes(ifname: &str) -> io::Result<[libc::c_char; libc::IFNAMSIZ]> {
    let mut name = [0 as libc::c_char; libc::IFNAMSIZ];
    if ifname.is_empty() || ifname.len() >= libc::IFNAMSIZ || ifname.contains('\0') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("bad interface name {ifname:?}"),
        ));
    }
    for (dst, src) in name.iter_mut().zip(ifname.bytes()) {
        *dst = src as libc::c_char;
    }
    Ok(name)
}

fn ethtool(sock: &OwnedFd, ifname: &str, cmd: u32, data: u32) -> io::Result<u32> {
    let mut value = EthtoolValue { cmd, data };
    let mut req = IfreqData {
        name: ifname_bytes(ifname)?,
        data: (&mut value as *mut EthtoolValue).cast(),
        _pad: [0; 16],
    };
    // SAFETY: `req` points at `value`, both live for the call; the kernel reads/writes
    // exactly one ethtool_value through ifr_data.
    let rc = unsafe { libc::ioctl(sock.as_raw_fd(), SIOCETHTOOL as _, &mut req) };
    if rc != 0 {
        return last_error();
    }
    Ok(value.data)
}

/// Switches off every offload of [`OFFLOADS`] on `ifname` (in the calling thread's
/// namespace) and checks that each reads back as off. Returns the names switched off.
pub(crate) fn disable_offloads(ifname: &str) -> io::Result<Vec<&'static str>> {
    let sock = ioctl_socket()?;
    let mut off = Vec::new();
    for (name, get, set) in OFFLOADS {
        match ethtool(&sock, ifname, set, 0) {
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => continue,
            Err(e) => return Err(io::Error::new(e.kind(), format!("{name} off: {e}"))),
        }
        if ethtool(&sock, ifname, get, 0)? != 0 {
            return Err(io::Error::other(format!("{name} is still on")));
        }
        off.push(name);
    }
    Ok(off)
}

/// Whether offload `get` (one of the [`OFFLOADS`] get commands) is on for `ifname`.
pub(crate) fn offload_enabled(ifname: &str, get: u32) -> io::Result<bool> {
    let sock = ioctl_socket()?;
    Ok(ethtool(&sock, ifname, get, 0)? != 0)
}

/// Removes a named namespace as `ip netns delete` does: detach the bind mount, unlink the file.
pub(crate) fn remove_netns_file(path: &CStr) -> io::Result<()> {
    // SAFETY: `path` is NUL-terminated; both calls only read it.
    let umount = unsafe { libc::umount2(path.as_ptr(), libc::MNT_DETACH) };
    let umount_err = io::Error::last_os_error();
    // SAFETY: as above.
    if unsafe { libc::unlink(path.as_ptr()) } != 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::NotFound && umount != 0 {
            return Err(e);
        }
        if e.kind() != io::ErrorKind::NotFound {
            return Err(e);
        }
    }
    if umount != 0 && umount_err.raw_os_error() != Some(libc::EINVAL) {
        // EINVAL: not a mount point (already detached); anything else is worth reporting.
        return Err(umount_err);
    }
    Ok(())
}

/// True while a process with this pid exists (it may belong to another user).
pub(crate) fn pid_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists.
    unsafe { libc::kill(pid, 0) == 0 || *libc::__errno_location() == libc::EPERM }
}

/// Sends SIGKILL to `pid`.
pub(crate) fn kill_pid(pid: i32) {
    if pid > 0 {
        // SAFETY: sending a signal has no memory effects in this process.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

/// Waits up to `timeout` for child `pid` to exit; true once it has been reaped.
pub(crate) fn wait_child(pid: i32, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        let mut status = 0;
        // SAFETY: WNOHANG never blocks; `status` is a valid out pointer.
        let rc = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if rc == pid || (rc < 0 && io::Error::last_os_error().raw_os_error() == Some(libc::ECHILD))
        {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The guard's command buffer: registered namespace names, one per line.
pub(crate) const GUARD_BUFFER: usize = 16 << 10;

/// Forks the cleanup guard. The child reads namespace names (`NAME\n`) from a pipe; when the
/// pipe reports end-of-file (the parent exited, however) or a line `!`, it removes
/// `/run/netns/NAME` for every name and exits. Returns the child's pid and the pipe's write end.
///
/// The parent may already run threads, so the child does only async-signal-safe system calls
/// on stack buffers until it exits: no allocation, no locks, no panics.
pub(crate) fn fork_guard() -> io::Result<(i32, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return last_error();
    }
    // SAFETY: both descriptors are fresh and owned here.
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: the child runs `guard_main`, which never returns and is async-signal-safe.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return last_error();
    }
    if pid == 0 {
        guard_main(read_end.as_raw_fd());
    }
    drop(read_end);
    Ok((pid, write_end))
}

/// The guard child. Only raw system calls on the stack from here on.
fn guard_main(read_fd: libc::c_int) -> ! {
    const GUARD_FD: libc::c_int = 3;
    const PREFIX: &[u8] = b"/run/netns/";
    // SAFETY (whole function): only async-signal-safe calls (dup2, open, close_range,
    // setpgid, signal, read, umount2, unlink, _exit) on stack memory of this frame.
    unsafe {
        if read_fd != GUARD_FD {
            libc::dup2(read_fd, GUARD_FD);
        }
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if null >= 0 {
            libc::dup2(null, 0);
            libc::dup2(null, 1);
            libc::dup2(null, 2);
        }
        // Keep nothing of the parent's but the pipe: no sockets, captures or other pipes.
        libc::syscall(
            libc::SYS_close_range,
            GUARD_FD as libc::c_uint + 1,
            libc::c_uint::MAX,
            0,
        );
        // Out of the terminal's process group: Ctrl-C goes to the main process only, and the
        // guard outlives a SIGINT/SIGTERM/SIGHUP sent to the whole group.
        libc::setpgid(0, 0);
        for sig in [
            libc::SIGINT,
            libc::SIGTERM,
            libc::SIGHUP,
            libc::SIGQUIT,
            libc::SIGPIPE,
        ] {
            libc::signal(sig, libc::SIG_IGN);
        }
        let mut buf = [0u8; GUARD_BUFFER];
        let mut len = 0usize;
        loop {
            if len >= buf.len() {
                break;
            }
            let n = libc::read(GUARD_FD, buf.as_mut_ptr().add(len).cast(), buf.len() - len);
            if n == 0 {
                break;
            }
            if n < 0 {
                if *libc::__errno_location() == libc::EINTR {
                    continue;
                }
                break;
            }
            len += n as usize;
            if len > 0 && buf[len - 1] == b'\n' && len >= 2 && buf[len - 2] == b'!' {
                break;
            }
        }
        let mut path = [0u8; 320];
        path[..PREFIX.len()].copy_from_slice(PREFIX);
        let mut start = 0usize;
        let mut i = 0usize;
        while i < len {
            if buf[i] == b'\n' {
                let name_len = i - start;
                if name_len > 0 && buf[start] != b'!' && PREFIX.len() + name_len < path.len() {
                    let mut j = 0;
                    while j < name_len {
                        path[PREFIX.len() + j] = buf[start + j];
                        j += 1;
                    }
                    path[PREFIX.len() + name_len] = 0;
                    libc::umount2(path.as_ptr().cast(), libc::MNT_DETACH);
                    libc::unlink(path.as_ptr().cast());
                }
                start = i + 1;
            }
            i += 1;
        }
        libc::_exit(0)
    }
}

/// Whether `ifname` (in the calling thread's namespace) is up with carrier (IFF_RUNNING).
pub(crate) fn if_running(ifname: &str) -> io::Result<bool> {
    #[repr(C)]
    struct IfreqFlags {
        name: [libc::c_char; libc::IFNAMSIZ],
        flags: libc::c_short,
        _pad: [u8; 22],
    }
    let sock = ioctl_socket()?;
    let mut req = IfreqFlags {
        name: ifname_bytes(ifname)?,
        flags: 0,
        _pad: [0; 22],
    };
    // SAFETY: SIOCGIFFLAGS writes the short flags into `req`, which lives for the call.
    if unsafe { libc::ioctl(sock.as_raw_fd(), libc::SIOCGIFFLAGS as _, &mut req) } != 0 {
        return last_error();
    }
    Ok(req.flags as libc::c_int & libc::IFF_RUNNING != 0)
}
