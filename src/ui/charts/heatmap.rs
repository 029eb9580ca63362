//! A correlation heatmap as an HTML table: labelled rows and columns, the value printed in
//! each cell, the cell tinted blue (+1) through the surface (0) to vermillion (−1) by CSS
//! (`--a`, the strength, set through `setProperty`; tints stop at 70 % so the text keeps its
//! contrast).

use leptos::prelude::*;

use crate::domain::format;

/// The correlation matrix of `labels`, as a table.
#[component]
pub fn Heatmap(
    /// Element id of the table.
    id: &'static str,
    /// Caption.
    caption: &'static str,
    /// Row and column labels.
    labels: Vec<String>,
    /// The matrix (rows in `labels` order).
    matrix: Vec<Vec<f64>>,
) -> impl IntoView {
    let cells = labels.clone();
    view! {
        <figure class="chart">
            <figcaption>{caption}</figcaption>
            <div class="table-wrap">
                <table class="heatmap" id=id>
                    <caption class="visually-hidden">{caption}</caption>
                    <thead><tr><td></td>{labels.iter().map(|l| view! { <th scope="col">{l.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>{matrix.into_iter().zip(cells).map(|(row, l)| view! {
                        <tr><th scope="row">{l}</th>{row.into_iter().map(|c| {
                            let t = c.clamp(-1.0, 1.0);
                            let class = if t >= 0.0 { "num up" } else { "num down" };
                            view! { <td class=class style:--a=format!("{:.0}", t.abs() * 100.0)>{format::amount(c, 2)}</td> }
                        }).collect_view()}</tr>
                    }).collect_view()}</tbody>
                </table>
            </div>
            <p class="muted">"Blue: returns move together (+1); vermillion: they move apart (−1); the surface colour: unrelated (0)."</p>
        </figure>
    }
}
