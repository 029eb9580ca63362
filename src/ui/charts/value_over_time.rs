//! The portfolio's value over time: snapshots (dots joined) and the series rebuilt from
//! daily closes, on one time axis.

use plotters::prelude::*;

use super::{blank_area, PALETTE};
use crate::domain::calendar::Timestamp;
use crate::domain::portfolio::format_amount;

/// Draws the snapshots' totals and the rebuilt daily values (x: ms since the epoch).
pub fn draw_line(el: web_sys::HtmlCanvasElement, snapshots: &[(f64, f64)], rebuilt: &[(f64, f64)]) {
    let mut points: Vec<(f64, f64)> = snapshots.iter().chain(rebuilt).copied().collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let Some(root) = blank_area(el) else {
        return;
    };
    if points.is_empty() {
        let _ = root.present();
        return;
    }
    let (x0, x1) = (
        points[0].0,
        points[points.len() - 1].0.max(points[0].0 + 86_400_000.0),
    );
    let (lo, hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let pad = ((hi - lo).abs() * 0.1).max(hi.abs() * 0.01).max(1.0);
    let chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, (lo - pad)..(hi + pad));
    let Ok(mut chart) = chart else { return };
    let _ = chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|t| {
            Timestamp::from_js(*t)
                .map(|t| t.date().to_string())
                .unwrap_or_default()
        })
        .y_label_formatter(&|v| format_amount(*v, 0))
        .draw();
    let _ = chart.draw_series(LineSeries::new(
        rebuilt.iter().copied(),
        PALETTE[1].stroke_width(2),
    ));
    let _ = chart.draw_series(LineSeries::new(
        snapshots.iter().copied(),
        PALETTE[0].stroke_width(2),
    ));
    let _ = chart.draw_series(
        snapshots
            .iter()
            .map(|p| Circle::new(*p, 3, PALETTE[0].filled())),
    );
    let _ = root.present();
}
