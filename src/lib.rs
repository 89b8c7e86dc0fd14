//! handshake-viz: capture real traffic with libpcap and explain it.
