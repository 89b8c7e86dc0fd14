//! The ladder as one self-contained HTML page: the SVG drawing inline, and beside it a panel
//! that shows every field and the byte map of the packet under the pointer (click an arrow to
//! keep it; Escape lets go). Inline CSS and script only: the page fetches nothing.

use std::io::{self, Write};

use super::markup::{escape, ident};
use super::model::{Ladder, Row};
use super::svg::{self, SvgOptions};

/// What the page says around the drawing, in the reader's language.
#[derive(Debug, Clone)]
pub struct HtmlOptions {
    /// The drawing's spacing.
    pub svg: SvgOptions,
    /// Page title.
    pub title: String,
    /// The line above the details panel, telling how to use it.
    pub hint: String,
    /// Language tag of the page, e.g. `en` or `zh`.
    pub lang: String,
}

impl Default for HtmlOptions {
    fn default() -> HtmlOptions {
        HtmlOptions {
            svg: SvgOptions::default(),
            title: "handshake-viz".into(),
            hint: "Point at an arrow to see every field of its packet; click it to keep it.".into(),
            lang: "en".into(),
        }
    }
}

const CSS: &str = "\
body{margin:0;font-family:sans-serif;color:#1a1a1a;background:#fff}
#page{display:flex;align-items:flex-start}
main{flex:1 1 auto;min-width:0;overflow-x:auto;padding:0 8px 24px}
h1{font-size:18px;margin:12px 8px}
main svg{display:block;max-width:100%;height:auto}
aside{position:sticky;top:0;flex:0 0 24rem;max-width:36vw;height:100vh;overflow:auto;\
border-left:1px solid #ccc;padding:12px;box-sizing:border-box;background:#fafafa;font-size:13px}
.hint{color:#5f5f5f;margin-top:0}
g.arrow{cursor:pointer}
g.arrow:hover line:not(.hit),g.arrow.pinned line:not(.hit){stroke-width:3.2}
g.arrow:focus{outline:none}
g.arrow:focus line.hit,g.arrow.pinned line.hit{stroke:rgba(255,193,7,.35)}
.detail h2{font-size:15px;margin:4px 0}
.detail .label{font-family:monospace;font-weight:bold}
table{border-collapse:collapse;width:100%;margin:8px 0}
td,th{border-bottom:1px solid #e0e0e0;text-align:left;padding:2px 6px;vertical-align:top;\
font-family:monospace;font-size:12px;word-break:break-all}
th{font-weight:normal;color:#5f5f5f;white-space:nowrap}
pre.bytes{font-size:11px;overflow-x:auto;background:#fff;border:1px solid #ddd;padding:6px}
@media print{aside{display:none}}
";

const SCRIPT: &str = "\
(function () {
  var panel = document.getElementById('panel-body');
  var pinned = null;
  function arrowOf(e) {
    return e.target && e.target.closest ? e.target.closest('g.arrow') : null;
  }
  function show(g) {
    var key = 'd-' + g.getAttribute('data-ladder') + '-' + g.getAttribute('data-frame');
    var d = document.getElementById(key);
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    if (d) {
      var copy = d.cloneNode(true);
      copy.removeAttribute('id');
      panel.appendChild(copy);
    }
  }
  function pin(g) {
    if (pinned) { pinned.classList.remove('pinned'); }
    pinned = g;
    if (g) { g.classList.add('pinned'); show(g); }
  }
  document.addEventListener('mouseover', function (e) {
    var g = arrowOf(e);
    if (g && !pinned) { show(g); }
  });
  document.addEventListener('click', function (e) {
    var g = arrowOf(e);
    if (g) { pin(pinned === g ? null : g); }
  });
  document.addEventListener('focusin', function (e) {
    var g = arrowOf(e);
    if (g) { pin(g); }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { pin(null); }
  });
})();
";

/// Writes the page.
pub fn write(out: &mut dyn Write, ladders: &[Ladder], opts: &HtmlOptions) -> io::Result<()> {
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, r#"<html lang="{}">"#, escape(&opts.lang))?;
    writeln!(out, r#"<head><meta charset="utf-8">"#)?;
    writeln!(
        out,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    )?;
    writeln!(out, "<title>{}</title>", escape(&opts.title))?;
    writeln!(out, "<style>\n{CSS}</style></head>")?;
    writeln!(out, r#"<body><div id="page"><main>"#)?;
    writeln!(out, "<h1>{}</h1>", escape(&opts.title))?;
    for ladder in ladders {
        let (svg, _, _) = svg::element(ladder, &opts.svg, None);
        writeln!(
            out,
            r#"<section class="conversation" id="l-{}">"#,
            ident(&ladder.id)
        )?;
        out.write_all(svg.as_bytes())?;
        writeln!(out, "</section>")?;
    }
    writeln!(out, r#"</main><aside id="panel" aria-live="polite">"#)?;
    writeln!(out, r#"<p class="hint">{}</p>"#, escape(&opts.hint))?;
    writeln!(out, r#"<div id="panel-body"></div></aside></div>"#)?;
    writeln!(out, r#"<div id="details" hidden>"#)?;
    for ladder in ladders {
        details(out, ladder)?;
    }
    writeln!(out, "</div>")?;
    writeln!(out, "<script>\n{SCRIPT}</script>\n</body></html>")
}

/// One hidden block per arrow: header, every field, the byte map.
fn details(out: &mut dyn Write, ladder: &Ladder) -> io::Result<()> {
    let id = ident(&ladder.id);
    for row in &ladder.rows {
        let Row::Arrow(a) = row else {
            continue;
        };
        writeln!(out, r#"<div class="detail" id="d-{id}-{}">"#, a.frame)?;
        writeln!(
            out,
            "<h2>#{} · {}</h2>",
            a.frame,
            super::layout::format_time(a.t_ns)
        )?;
        writeln!(out, r#"<p class="label">{}</p>"#, escape(&a.label))?;
        writeln!(out, r#"<p class="phrase">{}</p>"#, escape(&a.phrase))?;
        for mark in &a.marks {
            writeln!(
                out,
                r#"<p class="mark">{} {}</p>"#,
                mark.kind.symbol(),
                escape(&mark.text)
            )?;
        }
        if !a.details.is_empty() {
            writeln!(out, "<table>")?;
            for d in &a.details {
                writeln!(
                    out,
                    "<tr><th>{}</th><td>{}</td></tr>",
                    escape(&d.key),
                    escape(&d.value)
                )?;
            }
            writeln!(out, "</table>")?;
        }
        if let Some(bytes) = &a.bytes {
            writeln!(out, r#"<pre class="bytes">{}</pre>"#, escape_pre(bytes))?;
        }
        writeln!(out, "</div>")?;
    }
    Ok(())
}

/// Like [`escape`] but keeps the line breaks of a pre-formatted block.
fn escape_pre(text: &str) -> String {
    text.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}
