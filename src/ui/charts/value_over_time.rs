//! A value over time: one or more series on a date axis (ticks by Folio's own date labels,
//! never the same date twice), a value axis of round figures, a legend under the chart.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{redraw, themed_area, ChartTheme};
use crate::domain::calendar::Timestamp;
use crate::domain::format::{date_ticks, value_ticks};

/// One line of a time chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name in the legend.
    pub label: String,
    /// Colour slot (see `domain::dashboard::CHART_HUES`).
    pub slot: usize,
    /// Dots on each point (for sparse series such as snapshots).
    pub dots: bool,
    /// Points, oldest first.
    pub points: Vec<(Timestamp, f64)>,
}

/// A time chart in a `<figure>`: caption, canvas (`summary` is its accessible text), legend.
/// The caller puts the data table after it.
#[component]
pub fn TimeChart(
    /// Element id of the canvas.
    id: &'static str,
    /// The caption: what the chart says.
    #[prop(into)]
    caption: Signal<String>,
    /// One sentence for screen readers.
    #[prop(into)]
    summary: Signal<String>,
    /// The series.
    series: Signal<Vec<Series>>,
    /// Values are fractions shown in percent (`-0.12` → `−12 %`).
    #[prop(optional)]
    percent: bool,
    /// Half width in a grid of charts (full width by default).
    #[prop(optional)]
    half: bool,
    /// The data tables and notes, after the legend.
    children: Children,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    redraw(canvas, move |el| draw(el, &series.get(), percent));
    view! {
        <figure class=if half { "chart" } else { "chart wide" }>
            <figcaption>{move || caption.get()}</figcaption>
            <canvas id=id node_ref=canvas width="720" height="315" role="img" aria-label=move || summary.get()></canvas>
            <ul class="legend-list">
                {move || series.get().into_iter().map(|s| view! {
                    <li><span class=format!("swatch line c{}", s.slot) aria-hidden="true"></span>{s.label}</li>
                }).collect_view()}
            </ul>
            {children()}
        </figure>
    }
}

const DAY_MS: f64 = 86_400_000.0;

fn draw(el: web_sys::HtmlCanvasElement, series: &[Series], percent: bool) {
    let css_width = f64::from(el.client_width());
    let Some((root, theme)) = themed_area(el) else {
        return;
    };
    let all: Vec<(f64, f64)> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|(t, v)| (t.as_js(), *v)))
        .collect();
    if all.is_empty() {
        let _ = root.present();
        return;
    }
    let first_t = all.iter().map(|p| p.0).fold(f64::MAX, f64::min);
    let last_t = all.iter().map(|p| p.0).fold(f64::MIN, f64::max);
    // Under a day of data: a day wide, the points in the middle, one date tick.
    let short = last_t - first_t < DAY_MS;
    let (x0, x1) = if short {
        let mid = (first_t + last_t) / 2.0;
        (mid - DAY_MS / 2.0, mid + DAY_MS / 2.0)
    } else {
        (first_t, last_t)
    };
    let (lo, hi) = all.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let pad = ((hi - lo).abs() * 0.1).max(hi.abs() * 0.01).max(1.0);
    let (y0, y1) = (lo - pad, hi + pad);
    let first = Timestamp::from_js(first_t).unwrap_or_default().date();
    let last = Timestamp::from_js(last_t).unwrap_or_default().date();
    // One label per ~90 CSS px, between 2 and 6 (4 on a phone).
    let max_ticks = ((css_width / 90.0) as usize).clamp(2, 6);
    let x_ticks: Vec<(f64, String)> = date_ticks(first, last, max_ticks)
        .into_iter()
        .map(|(d, label)| {
            let at = if first == last {
                first_t
            } else {
                Timestamp::start_of(d).as_js()
            };
            (at.clamp(x0, x1), label)
        })
        .collect();
    // Percent axes: round ticks of the percentages, placed back on the fractions.
    let k = if percent { 100.0 } else { 1.0 };
    let y_ticks: Vec<(f64, String)> = value_ticks(y0 * k, y1 * k, 5)
        .into_iter()
        .map(|(v, l)| (v / k, if percent { format!("{l} %") } else { l }))
        .collect();
    let y_width = y_ticks.iter().map(|(_, l)| l.len()).max().unwrap_or(4) as f64 * 7.5 + 12.0;
    let chart = ChartBuilder::on(&root)
        .margin(theme.px(12.0))
        .x_label_area_size(theme.px(28.0))
        .y_label_area_size(theme.px(y_width))
        .build_cartesian_2d(x0..x1, y0..y1);
    let Ok(mut chart) = chart else { return };
    let _ = chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .axis_style(theme.grid.stroke_width(theme.px(1.0)))
        .draw();
    // Horizontal grid lines only, 1 px; labels in the muted text colour, 12 CSS px.
    let grid = theme.grid.stroke_width(theme.px(1.0));
    let gap = theme.px(6.0) as i32;
    let right = theme
        .font(12.0, theme.muted)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let below = theme
        .font(12.0, theme.muted)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (v, label) in &y_ticks {
        let _ = chart.draw_series(LineSeries::new([(x0, *v), (x1, *v)], grid));
        let (px, py) = chart.backend_coord(&(x0, *v));
        let _ = root.draw(&Text::new(label.clone(), (px - gap, py), right.clone()));
    }
    for (t, label) in &x_ticks {
        let (px, py) = chart.backend_coord(&(*t, y0));
        let _ = root.draw(&Text::new(label.clone(), (px, py + gap), below.clone()));
    }
    for s in series {
        draw_series(&mut chart, s, &theme);
    }
    let _ = root.present();
}

type Chart<'a> = ChartContext<
    'a,
    super::Canvas2d,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn draw_series(chart: &mut Chart<'_>, s: &Series, theme: &ChartTheme) {
    let color = theme.slot(s.slot);
    let points: Vec<(f64, f64)> = s.points.iter().map(|(t, v)| (t.as_js(), *v)).collect();
    let _ = chart.draw_series(LineSeries::new(
        points.iter().copied(),
        color.stroke_width(theme.px(2.0)),
    ));
    if s.dots || points.len() == 1 {
        let r = theme.px(3.0);
        let _ = chart.draw_series(points.iter().map(|p| Circle::new(*p, r, color.filled())));
    }
}
