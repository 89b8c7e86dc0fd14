//! Words of the summary of a large capture (totals by close and state, the noteworthy
//! conversations) and of what the tracker's limits cut.

use super::{Chinese, English};
use crate::flow::TrackerStats;

/// Why a conversation is among the noteworthy ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Noteworthy {
    /// The most data bytes.
    MostData,
    /// The longest.
    Longest,
    /// The most retransmissions.
    MostRetransmissions,
    /// The slowest handshake.
    SlowestHandshake,
}

impl Noteworthy {
    /// Every reason, in the order the lists are written.
    pub const ALL: [Noteworthy; 4] = [
        Noteworthy::MostData,
        Noteworthy::Longest,
        Noteworthy::MostRetransmissions,
        Noteworthy::SlowestHandshake,
    ];
}

/// The words of the large summary.
pub trait OverviewWords: Sync {
    /// The line that opens the large summary.
    fn overview_title(&self, conversations: u64, listed: usize) -> String;
    /// Heading of the count column.
    fn count_heading(&self) -> &'static str;
    /// Heading of the noteworthy reason column.
    fn why_heading(&self) -> &'static str;
    /// A noteworthy reason.
    fn noteworthy(&self, why: Noteworthy) -> &'static str;
    /// The lines saying what the tracker's limits cut, if anything.
    fn limits_notes(&self, stats: &TrackerStats, max: usize) -> Vec<String>;
    /// Conversations without a ladder: they began while `max` ladders were being drawn.
    fn ladders_not_drawn(&self, count: u64, max: usize) -> String;
}

impl OverviewWords for English {
    fn ladders_not_drawn(&self, count: u64, max: usize) -> String {
        format!(
            "{count} conversations have no ladder: they began while {max} ladders were being \
             drawn (--stream draws one on its own)"
        )
    }

    fn overview_title(&self, conversations: u64, listed: usize) -> String {
        let then = match listed {
            0 => String::new(),
            n => format!(", then the {n} most noteworthy"),
        };
        format!(
            "{conversations} conversations, too many to list (--all-conversations lists every \
             one): totals by how they closed and by state{then}"
        )
    }

    fn count_heading(&self) -> &'static str {
        "conversations"
    }

    fn why_heading(&self) -> &'static str {
        "noteworthy for"
    }

    fn noteworthy(&self, why: Noteworthy) -> &'static str {
        match why {
            Noteworthy::MostData => "most data",
            Noteworthy::Longest => "longest",
            Noteworthy::MostRetransmissions => "most retransmissions",
            Noteworthy::SlowestHandshake => "slowest handshake",
        }
    }

    fn limits_notes(&self, stats: &TrackerStats, max: usize) -> Vec<String> {
        let mut notes = Vec::new();
        if stats.evicted > 0 {
            notes.push(format!(
                "{} conversations evicted: more than {max} were followed at once, so the one \
                 idle longest was summarized early each time (--max-connections raises the cap)",
                stats.evicted
            ));
        }
        if stats.continued > 0 {
            notes.push(format!(
                "{} streams had packets after they were retired: their summaries come in parts",
                stats.continued
            ));
        }
        if stats.forgotten > 0 {
            notes.push(format!(
                "{} ended conversations forgotten: a later packet of one would get a new stream \
                 number where Wireshark reuses the old one",
                stats.forgotten
            ));
        }
        notes
    }
}

impl OverviewWords for Chinese {
    fn ladders_not_drawn(&self, count: u64, max: usize) -> String {
        format!(
            "{count} 个会话没有画出梯形图：它们开始时已有 {max} 个梯形图在绘制（--stream 可单独画出一个）"
        )
    }

    fn overview_title(&self, conversations: u64, listed: usize) -> String {
        let then = match listed {
            0 => String::new(),
            n => format!("，然后是最值得注意的 {n} 个"),
        };
        format!(
            "{conversations} 个会话，太多无法逐一列出（--all-conversations 列出全部）：\
             按关闭方式和状态统计{then}"
        )
    }

    fn count_heading(&self) -> &'static str {
        "会话数"
    }

    fn why_heading(&self) -> &'static str {
        "值得注意"
    }

    fn noteworthy(&self, why: Noteworthy) -> &'static str {
        match why {
            Noteworthy::MostData => "数据最多",
            Noteworthy::Longest => "最长",
            Noteworthy::MostRetransmissions => "重传最多",
            Noteworthy::SlowestHandshake => "握手最慢",
        }
    }

    fn limits_notes(&self, stats: &TrackerStats, max: usize) -> Vec<String> {
        let mut notes = Vec::new();
        if stats.evicted > 0 {
            notes.push(format!(
                "{} 个会话被提前移出：同时跟踪的会话超过 {max} 个，每次移出空闲最久的一个并提前汇总\
                 （--max-connections 可提高上限）",
                stats.evicted
            ));
        }
        if stats.continued > 0 {
            notes.push(format!(
                "{} 个流在结束后又有分组：它们的汇总分成几部分",
                stats.continued
            ));
        }
        if stats.forgotten > 0 {
            notes.push(format!(
                "{} 个已结束的会话被遗忘：其后的分组会得到新的流编号，而 Wireshark 会沿用旧编号",
                stats.forgotten
            ));
        }
        notes
    }
}
