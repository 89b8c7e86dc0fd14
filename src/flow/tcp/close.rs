//! How a TCP connection ended: the close kind for the summary, and Zeek's conn_state.

use super::half::Half;
use crate::analysis::ConnState;
use crate::flow::CloseKind;

/// How the close unfolded, for the summary.
#[derive(Debug, Default)]
pub(super) struct CloseTrace {
    /// Index of the side that sent the first FIN.
    pub(super) first_fin: Option<usize>,
    /// The passive side's first ACK of the first FIN rode on its own FIN.
    pub(super) merged: Option<bool>,
    /// The passive side sent its FIN before acknowledging the first one.
    pub(super) simultaneous: bool,
    /// The passive side sent data after the first FIN.
    pub(super) data_after_fin: bool,
    /// Index of the side that sent the first RST, and whether it answered a SYN.
    pub(super) first_rst: Option<(usize, bool)>,
}

impl CloseTrace {
    /// How the connection closed; `client` and `server` are the two halves by role.
    pub(super) fn kind(&self, client: &Half, server: &Half) -> CloseKind {
        match (self.first_rst, self.first_fin) {
            (Some((_, true)), _) => CloseKind::Refused,
            (Some(_), _) => CloseKind::Reset,
            (None, Some(_)) if client.fin_seq.is_some() && server.fin_seq.is_some() => {
                if self.simultaneous {
                    CloseKind::Simultaneous
                } else if self.data_after_fin {
                    CloseKind::HalfCloseThenClosed
                } else if self.merged == Some(true) {
                    CloseKind::Fin3Way
                } else {
                    CloseKind::Fin4Way
                }
            }
            (None, Some(_)) => CloseKind::HalfClosed,
            (None, None) if client.sent_syn && !server.sent_synack => CloseKind::Unanswered,
            (None, None) => CloseKind::Open,
        }
    }

    /// Zeek's conn_state code, with the client (index `client`) as originator.
    pub(super) fn conn_state(&self, client: usize, o: &Half, r: &Half) -> ConnState {
        let first_rst_by_orig = self.first_rst.map(|(i, _)| i == client);
        match (o.sent_syn, r.sent_synack) {
            (true, false) => {
                if r.sent_rst {
                    ConnState::REJ
                } else if o.sent_rst {
                    ConnState::RSTOS0
                } else if o.fin_seq.is_some() {
                    ConnState::SH
                } else if r.packets == 0 {
                    ConnState::S0
                } else {
                    ConnState::OTH
                }
            }
            (false, true) => {
                if r.sent_rst {
                    ConnState::RSTRH
                } else if r.fin_seq.is_some() {
                    ConnState::SHR
                } else {
                    ConnState::OTH
                }
            }
            (true, true) => match first_rst_by_orig {
                Some(true) => ConnState::RSTO,
                Some(false) => ConnState::RSTR,
                None => match (o.fin_seq.is_some(), r.fin_seq.is_some()) {
                    (true, true) => ConnState::SF,
                    (true, false) => ConnState::S2,
                    (false, true) => ConnState::S3,
                    (false, false) => ConnState::S1,
                },
            },
            (false, false) => ConnState::OTH,
        }
    }
}
