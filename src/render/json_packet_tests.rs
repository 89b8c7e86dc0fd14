//! Tests of the JSON packet records: addresses and strings written as the standard library
//! and serde_json write them.

use super::*;

#[test]
fn addresses_as_display_writes_them() {
    for ip in ["10.0.0.1", "255.255.255.0", "::1", "fd77:1::1"] {
        let ip: std::net::IpAddr = ip.parse().unwrap();
        let mut ours = String::new();
        push_ip(&mut ours, ip);
        assert_eq!(ours, ip.to_string());
    }
}

#[test]
fn strings_escape_as_serde_json_escapes_them() {
    for text in [
        "plain",
        "quote \" and \\ back",
        "\n\r\t\x08\x0c\x01\x1f\x7f",
        "é 中",
    ] {
        let mut ours = String::new();
        push_str(&mut ours, text);
        assert_eq!(ours, serde_json::to_string(text).unwrap());
    }
}

#[test]
fn every_byte_escapes_at_every_place_of_a_word() {
    // Each byte that needs an escape (and a few that do not) at each offset of texts
    // long enough for the eight-byte scan, with other such bytes after it.
    let bytes = (0u8..0x20).chain([b'"', b'\\', b' ', b'~', 0x7f]);
    for b in bytes {
        for at in 0..20 {
            for tail in ["", "abc\"def", "0123456789\n"] {
                let mut text = "x".repeat(at);
                text.push(char::from(b));
                text.push_str("y".repeat(at % 9).as_str());
                text.push_str(tail);
                let mut ours = String::new();
                push_str(&mut ours, &text);
                assert_eq!(ours, serde_json::to_string(&text).unwrap(), "{text:?}");
            }
        }
    }
}
