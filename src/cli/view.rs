//! From the view options and the environment (terminal, locale, COLUMNS) to a
//! [`ViewConfig`].

use super::{LangArg, LegendArg, SpacingArg, TimeArg, ViewArg, ViewArgs};
use crate::config::{FrameSelection, StreamSelection, SummaryMode, TimeMode, View, ViewConfig};
use crate::render::ladder::svg::Spacing;
use crate::render::words::Lang;

/// What the environment says about the output, resolved by the binary.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// Colour the output.
    pub color: bool,
    /// The locale from LC_ALL, LC_MESSAGES or LANG, the first that is set and not empty.
    pub locale: Option<String>,
    /// The terminal's width, when stdout is a terminal.
    pub terminal_width: Option<u16>,
    /// The COLUMNS variable.
    pub columns: Option<u16>,
    /// Standard output is a terminal.
    pub terminal: bool,
}

impl ViewArgs {
    /// The view configuration, with what the environment says where the arguments are silent.
    pub fn to_config(&self, env: &Environment) -> Result<ViewConfig, String> {
        let stream = self
            .stream
            .as_deref()
            .map(StreamSelection::parse)
            .transpose()?;
        let bytes = match self.bytes.as_deref() {
            None => None,
            Some("all") => Some(FrameSelection::all()),
            Some(sel) => Some(FrameSelection::parse(sel)?),
        };
        Ok(ViewConfig {
            time: match self.time {
                TimeArg::Relative => TimeMode::Relative,
                TimeArg::Absolute => TimeMode::Absolute,
                TimeArg::Delta => TimeMode::Delta,
            },
            payload: self.payload,
            color: env.color,
            json: self.json,
            summary: if self.summary_only {
                SummaryMode::Only
            } else if self.no_summary {
                SummaryMode::None
            } else {
                SummaryMode::Both
            },
            all_conversations: self.all_conversations,
            stream,
            bytes,
            lang: match self.lang {
                Some(LangArg::En) => Lang::En,
                Some(LangArg::Zh) => Lang::Zh,
                None => Lang::from_locale(env.locale.as_deref()),
            },
            width: self.width.or(env.terminal_width).or(env.columns),
            view: match self.view {
                ViewArg::Timeline => View::Timeline,
                ViewArg::Ladder => View::Ladder,
            },
            svg: self.svg.clone(),
            html: self.html.clone(),
            spacing: match self.spacing {
                SpacingArg::Scaled => Spacing::Scaled,
                SpacingArg::Even => Spacing::Even,
            },
            legend: match self.legend {
                LegendArg::Always => true,
                LegendArg::Never => false,
                LegendArg::Auto => env.terminal && !self.json,
            },
        })
    }
}
