//! The interfaces libpcap can capture on, as `tcpdump -D` lists them.

use std::net::IpAddr;

use pcap::Device;

use crate::capture::pcap_message;
use crate::{Error, Result};

/// One address of a capture interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceAddress {
    /// The address.
    pub addr: IpAddr,
    /// Its netmask, if known.
    pub netmask: Option<IpAddr>,
    /// Broadcast address, if any.
    pub broadcast: Option<IpAddr>,
    /// Peer address of a point-to-point link, if any.
    pub destination: Option<IpAddr>,
}

/// A capture interface as `tcpdump -D` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceInfo {
    /// Name to pass to `--interface`.
    pub name: String,
    /// libpcap's description, if any.
    pub description: Option<String>,
    /// IPv4 and IPv6 addresses.
    pub addresses: Vec<InterfaceAddress>,
    /// A loopback interface.
    pub loopback: bool,
    /// Administratively up.
    pub up: bool,
    /// Running (the driver has resources allocated).
    pub running: bool,
    /// A wireless interface.
    pub wireless: bool,
    /// "connected", "disconnected", "not applicable" or "unknown".
    pub connection: &'static str,
}

impl InterfaceInfo {
    /// The flags as tcpdump -D prints them: "Up, Running, Loopback".
    pub fn flags_text(&self) -> String {
        let mut flags = Vec::new();
        if self.up {
            flags.push("Up");
        }
        if self.running {
            flags.push("Running");
        }
        if self.loopback {
            flags.push("Loopback");
        }
        if self.wireless {
            flags.push("Wireless");
        }
        flags.join(", ")
    }

    /// Whether a capture on this interface sees loopback (127.0.0.0/8, ::1) traffic.
    pub fn sees_loopback(&self) -> bool {
        self.loopback || self.name == "any"
    }
}

/// The interfaces libpcap can capture on, in libpcap's order.
pub fn list_interfaces() -> Result<Vec<InterfaceInfo>> {
    let devices = Device::list().map_err(|e| Error::Capture {
        iface: "(interface list)".into(),
        reason: pcap_message(&e),
    })?;
    Ok(devices.into_iter().map(interface_info).collect())
}

fn interface_info(device: Device) -> InterfaceInfo {
    let connection = match device.flags.connection_status {
        pcap::ConnectionStatus::Connected => "connected",
        pcap::ConnectionStatus::Disconnected => "disconnected",
        pcap::ConnectionStatus::NotApplicable => "not applicable",
        pcap::ConnectionStatus::Unknown => "unknown",
    };
    InterfaceInfo {
        loopback: device.flags.is_loopback(),
        up: device.flags.is_up(),
        running: device.flags.is_running(),
        wireless: device.flags.is_wireless(),
        connection,
        addresses: device
            .addresses
            .iter()
            .map(|a| InterfaceAddress {
                addr: a.addr,
                netmask: a.netmask,
                broadcast: a.broadcast_addr,
                destination: a.dst_addr,
            })
            .collect(),
        description: device.desc,
        name: device.name,
    }
}

/// Interface names for "no such interface" messages.
pub(super) fn available_interfaces() -> String {
    match Device::list() {
        Ok(devices) if !devices.is_empty() => devices
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        Ok(_) => "none".into(),
        Err(e) => format!("unknown ({})", pcap_message(&e)),
    }
}
