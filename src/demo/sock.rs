//! The socket calls std does not wrap, as the lessons need them: TCP_QUICKACK, FIONREAD,
//! recv() with MSG_TRUNC, and a TCP socket bound before it connects (or never listens).
//! Every `unsafe` block of the demo peers is here.

use std::io;
use std::mem::{size_of, zeroed};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

fn set_int(
    fd: &impl AsRawFd,
    level: libc::c_int,
    opt: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    // SAFETY: `value` is a c_int that outlives the call; the length matches it.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            opt,
            (&value as *const libc::c_int).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    check(rc).map(|_| ())
}

/// TCP_QUICKACK: on sends pending acknowledgments now; off delays them (Linux's "pingpong"
/// mode, as if the program were about to answer).
pub(super) fn set_quickack(stream: &TcpStream, on: bool) -> io::Result<()> {
    set_int(
        stream,
        libc::IPPROTO_TCP,
        libc::TCP_QUICKACK,
        libc::c_int::from(on),
    )
}

/// FIONREAD: bytes waiting in the receive buffer (for UDP: the next datagram's size).
pub(super) fn bytes_waiting(fd: &impl AsRawFd) -> io::Result<usize> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int to the pointer, which is valid for the call.
    check(unsafe { libc::ioctl(fd.as_raw_fd(), libc::FIONREAD, &mut n as *mut libc::c_int) })?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// recv() with MSG_TRUNC on a datagram socket: fills `buf` and returns the datagram's whole
/// length, which is larger than `buf` when the rest was cut off.
pub(super) fn recv_trunc(fd: &impl AsRawFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
    let n = unsafe {
        libc::recv(
            fd.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_TRUNC,
        )
    };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as usize)
}

/// A socket address in the C layout.
fn c_addr(addr: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: an all-zero sockaddr_storage is valid.
    let mut storage: libc::sockaddr_storage = unsafe { zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from(*a.ip()).to_be(),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in.
            unsafe { std::ptr::write((&mut storage as *mut libc::sockaddr_storage).cast(), sin) };
            size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo(),
                sin6_addr: libc::in6_addr {
                    s6_addr: a.ip().octets(),
                },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in6.
            unsafe { std::ptr::write((&mut storage as *mut libc::sockaddr_storage).cast(), sin6) };
            size_of::<libc::sockaddr_in6>()
        }
    };
    (storage, len as libc::socklen_t)
}

/// The address the kernel gave a socket.
fn local_addr(fd: &OwnedFd) -> io::Result<SocketAddr> {
    // SAFETY: an all-zero sockaddr_storage is valid.
    let mut storage: libc::sockaddr_storage = unsafe { zeroed() };
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: the kernel writes at most `len` bytes into `storage`.
    check(unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&mut storage as *mut libc::sockaddr_storage).cast(),
            &mut len,
        )
    })?;
    match libc::c_int::from(storage.ss_family) {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let sin: libc::sockaddr_in =
                unsafe { std::ptr::read((&storage as *const libc::sockaddr_storage).cast()) };
            let ip = std::net::Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
            Ok(SocketAddr::new(ip.into(), u16::from_be(sin.sin_port)))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let sin6: libc::sockaddr_in6 =
                unsafe { std::ptr::read((&storage as *const libc::sockaddr_storage).cast()) };
            let ip = std::net::Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            Ok(SocketAddr::new(ip.into(), u16::from_be(sin6.sin6_port)))
        }
        family => Err(io::Error::other(format!(
            "unexpected address family {family}"
        ))),
    }
}

/// A TCP socket bound to `addr` (port 0: the kernel picks one) that neither listens nor
/// connects yet, and the address it got. A SYN to it is refused: nothing listens there.
pub(super) fn bound_tcp(addr: SocketAddr) -> io::Result<(OwnedFd, SocketAddr)> {
    let family = if addr.is_ipv4() {
        libc::AF_INET
    } else {
        libc::AF_INET6
    };
    // SAFETY: plain socket creation; the descriptor is owned at once.
    let fd = check(unsafe { libc::socket(family, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0) })?;
    // SAFETY: `fd` is fresh and owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let (storage, len) = c_addr(&addr);
    // SAFETY: `storage` holds a valid address of `len` bytes.
    check(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&storage as *const libc::sockaddr_storage).cast(),
            len,
        )
    })?;
    let local = local_addr(&fd)?;
    Ok((fd, local))
}

/// connect() of a socket made by [`bound_tcp`], waiting at most `timeout` (SO_SNDTIMEO
/// bounds a blocking connect).
pub(super) fn connect_bound(
    fd: OwnedFd,
    to: SocketAddr,
    timeout: Duration,
) -> io::Result<TcpStream> {
    let tv = libc::timeval {
        tv_sec: timeout.as_secs().min(3600) as libc::time_t,
        tv_usec: libc::suseconds_t::from(timeout.subsec_micros() as i32),
    };
    // SAFETY: `tv` outlives the call; the length matches it.
    check(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_SNDTIMEO,
            (&tv as *const libc::timeval).cast(),
            size_of::<libc::timeval>() as libc::socklen_t,
        )
    })?;
    let (storage, len) = c_addr(&to);
    loop {
        // SAFETY: `storage` holds a valid address of `len` bytes.
        let rc = unsafe {
            libc::connect(
                fd.as_raw_fd(),
                (&storage as *const libc::sockaddr_storage).cast(),
                len,
            )
        };
        match check(rc) {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "connect timed out"));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(TcpStream::from(fd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, UdpSocket};

    #[test]
    fn bound_sockets_refuse_and_connect() {
        let (closed, addr) = bound_tcp("127.0.0.1:0".parse().unwrap()).unwrap();
        assert_ne!(addr.port(), 0, "the kernel picked a port");
        let (fd, _) = bound_tcp("127.0.0.1:0".parse().unwrap()).unwrap();
        let err = connect_bound(fd, addr, Duration::from_secs(1)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        drop(closed);
        let listener = TcpListener::bind("[::1]:0").unwrap();
        let (fd, local) = bound_tcp("[::1]:0".parse().unwrap()).unwrap();
        let stream =
            connect_bound(fd, listener.local_addr().unwrap(), Duration::from_secs(1)).unwrap();
        assert_eq!(stream.local_addr().unwrap(), local);
        set_quickack(&stream, false).unwrap();
        assert_eq!(bytes_waiting(&stream).unwrap(), 0);
    }

    #[test]
    fn msg_trunc_gives_the_whole_length() {
        let a = UdpSocket::bind("127.0.0.1:0").unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").unwrap();
        a.send_to(&[7u8; 3000], b.local_addr().unwrap()).unwrap();
        b.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let mut buf = [0u8; 1024];
        assert_eq!(recv_trunc(&b, &mut buf).unwrap(), 3000);
        assert_eq!(buf[1023], 7);
    }
}
