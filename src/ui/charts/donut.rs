//! An allocation donut with its data in a legend table (the Rebalance page's current and
//! target weights). At most seven slices and "Other"; each group keeps its colour.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{redraw, themed_area};
use crate::domain::dashboard::{chart_slices, ChartSlice, Slice};
use crate::domain::format;
use crate::domain::portfolio::format_amount;

/// A donut chart with its data table.
#[component]
pub fn Donut(
    /// Element id of the canvas.
    id: &'static str,
    /// Caption.
    title: &'static str,
    /// Slices, largest first.
    slices: Signal<Vec<Slice>>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let drawn = Memo::new(move |_| slices.with(|s| chart_slices(s, "Other")));
    redraw(canvas, move |el| draw_donut(el, &drawn.get()));
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <canvas id=id class="square" node_ref=canvas width="240" height="240" role="img" aria-label=title></canvas>
            <table class="legend">
                <caption class="visually-hidden">{title}</caption>
                <tbody>
                    {move || drawn.get().into_iter().map(|c| view! {
                        <tr>
                            <td><span class=format!("swatch c{}", c.slot) aria-hidden="true"></span>{c.slice.label}</td>
                            <td class="num">{format::percent(c.slice.share * 100.0, 1)}</td>
                            <td class="num">{format_amount(c.slice.value, 2)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

fn draw_donut(el: web_sys::HtmlCanvasElement, slices: &[ChartSlice]) {
    let Some((root, theme)) = themed_area(el) else {
        return;
    };
    if slices.is_empty() {
        let _ = root.present();
        return;
    }
    let (w, h) = root.dim_in_pixel();
    let center = ((w / 2) as i32, (h / 2) as i32);
    let radius = f64::from(w.min(h)) * 0.45;
    let sizes: Vec<f64> = slices.iter().map(|s| s.slice.value).collect();
    let colors: Vec<RGBColor> = slices.iter().map(|s| theme.slot(s.slot)).collect();
    let labels: Vec<String> = slices.iter().map(|_| String::new()).collect();
    let mut pie = Pie::new(&center, &radius, &sizes, &colors, &labels);
    pie.donut_hole(radius * 0.55);
    pie.start_angle(-90.0);
    let _ = root.draw(&pie);
    let _ = root.present();
}
