//! The plain row against the general layout of cells.

use super::cells::{Align, Cell, flow};
use super::plain::PlainRow;
use crate::render::theme::Theme;
use crate::text::{display_width, write_digits};

/// The row `PlainRow` makes of `cells` (numbers through `number`) and the one laid out by
/// `flow`, both filled up to `column`.
fn both(cells: &[Cell], column: usize) -> (String, String) {
    let mut bytes = Vec::new();
    let mut row = PlainRow::new(&mut bytes);
    for cell in cells {
        match (cell.align, cell.text.parse::<u64>()) {
            (Align::Right, Ok(n)) if n.to_string() == cell.text => {
                row.number(n, cell.width, cell.gap)
            }
            (Align::Right, _) => row.right(&cell.text, cell.width, cell.gap),
            (Align::Left, _) => row.left(&cell.text, cell.width, cell.gap),
        }
    }
    row.end_cells(column);
    let used = row.used();
    let made = String::from_utf8(bytes).expect("cells are text");
    assert_eq!(display_width(&made), used, "{made:?}");
    let theme = Theme::new(false);
    let mut laid = flow(cells, None, 7, &theme).concat();
    let pad = column.saturating_sub(display_width(&laid));
    laid.push_str(&" ".repeat(pad));
    (made, laid)
}

#[test]
fn cells_sit_where_the_layout_puts_them() {
    let texts = [
        "",
        "0",
        "7",
        "42",
        "1234567",
        "12345678",
        "4294967295",
        "18446744073709551615",
        "SYN,ACK",
        "TCP 12",
        "C>S",
        "握手",
        "ESTABLISHED",
        "a b",
        "x ",
        "-",
        "65535?",
        "0.000123",
        "a-long-text-wider-than-any-cell-of-the-row",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..4000 {
        let cells: Vec<Cell> = (0..1 + next(12))
            .map(|_| {
                let align = if next(2) == 0 {
                    Align::Left
                } else {
                    Align::Right
                };
                Cell::new(texts[next(texts.len())], next(14), align, next(4))
            })
            .collect();
        let (made, laid) = both(&cells, next(140));
        assert_eq!(made, laid, "{cells:?}");
    }
}

#[test]
fn seconds_say_what_write_secs_says() {
    let times = [
        0i128,
        1,
        999,
        1_000_000_000,
        1_234_567_891,
        -5,
        -1_500_000_000,
    ];
    let times = times
        .into_iter()
        .chain([86_400 * 1_000_000_000 * 365, i128::MAX]);
    for nanos in times {
        for digits in [0, 3, 6, 9] {
            let mut bytes = Vec::new();
            let mut row = PlainRow::new(&mut bytes);
            row.seconds(nanos, digits, 10, 2);
            row.end_cells(0);
            let mut text = String::new();
            crate::time::write_secs(&mut text, nanos, digits);
            let padded = format!("{text:<10}");
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                padded.trim_end(),
                "{nanos}"
            );
        }
    }
}

#[test]
fn numbered_cells_are_a_name_a_blank_and_the_number() {
    for (name, n, width) in [("TCP", 0, 7), ("UDP", 123_456, 7), ("ICMPv6", 42, 3)] {
        let mut bytes = Vec::new();
        let mut row = PlainRow::new(&mut bytes);
        row.left_numbered(name, n, width, 2);
        row.left("x", 1, 1);
        row.end_cells(0);
        let cell = format!("{name} {n}");
        let expected = format!("{cell:<width$} x");
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    }
}

#[test]
fn digits_fill_the_end_of_the_cell() {
    for n in [0u64, 9, 10, 99, 100, 12345, 9_999_999, u64::MAX] {
        let text = n.to_string();
        let mut cell = vec![b' '; text.len() + 3];
        write_digits(&mut cell, n);
        assert_eq!(String::from_utf8(cell).unwrap(), format!("   {text}"));
    }
}
