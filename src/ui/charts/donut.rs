//! An allocation donut with its data in a legend table.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{blank_area, PALETTE};
use crate::domain::dashboard::Slice;
use crate::domain::portfolio::format_amount;

/// A donut chart with its data table (also used by the Rebalance page).
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
    Effect::new(move |_| {
        let data = slices.get();
        if let Some(el) = canvas.get() {
            draw_donut(el, &data);
        }
    });
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <canvas id=id node_ref=canvas width="320" height="320" role="img" aria-label=title></canvas>
            <table class="legend">
                <caption class="visually-hidden">{title}</caption>
                <tbody>
                    {move || slices.get().into_iter().enumerate().map(|(i, s)| view! {
                        <tr>
                            <td><span class=format!("swatch c{}", i % PALETTE.len()) aria-hidden="true"></span>{s.label}</td>
                            <td class="num">{format!("{:.1} %", s.share * 100.0)}</td>
                            <td class="num">{format_amount(s.value, 2)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

fn draw_donut(el: web_sys::HtmlCanvasElement, slices: &[Slice]) {
    let Some(root) = blank_area(el) else {
        return;
    };
    if slices.is_empty() {
        let _ = root.present();
        return;
    }
    let (w, h) = root.dim_in_pixel();
    let center = ((w / 2) as i32, (h / 2) as i32);
    let radius = f64::from(w.min(h)) * 0.45;
    let sizes: Vec<f64> = slices.iter().map(|s| s.value).collect();
    let colors: Vec<RGBColor> = (0..slices.len())
        .map(|i| PALETTE[i % PALETTE.len()])
        .collect();
    let labels: Vec<String> = slices.iter().map(|_| String::new()).collect();
    let mut pie = Pie::new(&center, &radius, &sizes, &colors, &labels);
    pie.donut_hole(radius * 0.55);
    pie.start_angle(-90.0);
    let _ = root.draw(&pie);
    let _ = root.present();
}
