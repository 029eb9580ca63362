//! A distribution of simulated returns as a histogram, with the value at risk and the
//! expected shortfall marked; its legend names the marks and their values.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{redraw, themed_area};
use crate::domain::format;

/// Histogram slots: bars, the VaR mark, the CVaR mark (`domain::dashboard` slots).
const BARS: usize = 4;
const VAR: usize = 1;
const CVAR: usize = 3;
const BINS: usize = 40;

/// The histogram of `sample` (sorted returns, fractions) with `var` = (VaR, CVaR) marked.
#[component]
pub fn Distribution(
    /// Element id of the canvas.
    id: &'static str,
    /// Caption.
    caption: String,
    /// Sorted simulated returns.
    sample: Vec<f64>,
    /// (VaR, CVaR) as returns, when known.
    var: Option<(f64, f64)>,
    /// The confidence level (0–1), for the legend.
    confidence: f64,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let bins = histogram(&sample);
    let drawn = bins.clone();
    redraw(canvas, move |el| draw(el, &drawn, var));
    let level = format::percent(confidence * 100.0, 0);
    let summary = format!("Histogram of {} simulated 1-day returns", sample.len());
    view! {
        <figure class="chart">
            <figcaption>{caption}</figcaption>
            <canvas id=id node_ref=canvas width="420" height="220" role="img" aria-label=summary></canvas>
            <ul class="legend-list">
                <li><span class=format!("swatch c{BARS}") aria-hidden="true"></span>"Simulated returns"</li>
                {var.map(|(v, cv)| view! {
                    <li><span class=format!("swatch line c{VAR}") aria-hidden="true"></span>{format!("VaR {level}: {}", format::signed_percent(v * 100.0, 2))}</li>
                    <li><span class=format!("swatch line c{CVAR}") aria-hidden="true"></span>{format!("CVaR {level}: {}", format::signed_percent(cv * 100.0, 2))}</li>
                })}
            </ul>
            <details>
                <summary>"Histogram data"</summary>
                <table class="legend">
                    <thead><tr><th scope="col" class="num">"From"</th><th scope="col" class="num">"To"</th><th scope="col" class="num">"Paths"</th></tr></thead>
                    <tbody>{bins.into_iter().filter(|b| b.2 > 0).map(|(a, b, n)| view! {
                        <tr><td class="num">{format::signed_percent(a * 100.0, 2)}</td><td class="num">{format::signed_percent(b * 100.0, 2)}</td><td class="num">{n}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// Equal-width bins over the sample's range: (from, to, count).
fn histogram(sample: &[f64]) -> Vec<(f64, f64, u32)> {
    let (Some(&lo), Some(&hi)) = (sample.first(), sample.last()) else {
        return Vec::new();
    };
    let width = ((hi - lo) / BINS as f64).max(1e-12);
    let mut counts = vec![0u32; BINS];
    for x in sample {
        counts[(((x - lo) / width) as usize).min(BINS - 1)] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let a = lo + i as f64 * width;
            (a, a + width, n)
        })
        .collect()
}

fn draw(el: web_sys::HtmlCanvasElement, bins: &[(f64, f64, u32)], var: Option<(f64, f64)>) {
    let Some((root, theme)) = themed_area(el) else {
        return;
    };
    let (Some(first), Some(last)) = (bins.first(), bins.last()) else {
        let _ = root.present();
        return;
    };
    let (lo, hi) = (first.0, last.1);
    let top = f64::from(bins.iter().map(|b| b.2).max().unwrap_or(1).max(1));
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(8.0))
        .build_cartesian_2d(lo..hi, 0f64..top * 1.1)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .axis_style(theme.grid.stroke_width(theme.px(1.0)))
        .draw();
    let gap = theme.px(1.0) as i32;
    let bar = theme.slot(BARS).filled();
    for (a, b, n) in bins {
        let (x0, y0) = chart.backend_coord(&(*a, f64::from(*n)));
        let (x1, y1) = chart.backend_coord(&(*b, 0.0));
        let _ = root.draw(&Rectangle::new([(x0, y0), (x1 - gap, y1)], bar));
    }
    if let Some((v, cv)) = var {
        for (x, slot) in [(v, VAR), (cv, CVAR)] {
            let _ = chart.draw_series(LineSeries::new(
                [(x, 0.0), (x, top * 1.05)],
                theme.slot(slot).stroke_width(theme.px(2.0)),
            ));
        }
    }
    // Returns on the x axis, signed, in percent.
    let below = theme
        .font(12.0, theme.muted)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for i in 0..5 {
        let x = lo + (hi - lo) * f64::from(i) / 4.0;
        let (px, py) = chart.backend_coord(&(x, 0.0));
        let label = format::signed_percent(x * 100.0, 1);
        let _ = root.draw(&Text::new(
            label,
            (px, py + theme.px(6.0) as i32),
            below.clone(),
        ));
    }
    let _ = root.present();
}
