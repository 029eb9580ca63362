//! Charts, one file each, drawn with plotters on a `<canvas>` and each shown with its data
//! in a table. This module holds what they share: the palette and the canvas backend. The
//! backend wraps plotters-canvas and measures text with the canvas's own `measureText`:
//! plotters' default measures by inserting a `<span>` with an inline `style` attribute,
//! which Folio's Content-Security-Policy (rightly) blocks.

pub mod donut;
pub mod value_over_time;

use plotters::style::RGBColor;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Series colours, in order.
pub const PALETTE: [RGBColor; 12] = [
    RGBColor(29, 78, 216),
    RGBColor(234, 88, 12),
    RGBColor(22, 163, 74),
    RGBColor(219, 39, 119),
    RGBColor(124, 58, 237),
    RGBColor(202, 138, 4),
    RGBColor(8, 145, 178),
    RGBColor(220, 38, 38),
    RGBColor(101, 163, 13),
    RGBColor(71, 85, 105),
    RGBColor(192, 132, 252),
    RGBColor(148, 163, 184),
];

type Error = DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>;

/// A canvas to draw a chart on.
pub struct Canvas2d {
    inner: CanvasBackend,
    ctx: CanvasRenderingContext2d,
}

impl Canvas2d {
    /// Wraps a `<canvas>` element (`None` without a 2D context).
    pub fn new(el: HtmlCanvasElement) -> Option<Canvas2d> {
        let ctx = el
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(Canvas2d {
            inner: CanvasBackend::with_canvas_object(el)?,
            ctx,
        })
    }
}

/// A chart's drawing area on a `<canvas>`, cleared to white (`None` without a 2D context).
pub fn blank_area(
    el: HtmlCanvasElement,
) -> Option<plotters::drawing::DrawingArea<Canvas2d, plotters::coord::Shift>> {
    use plotters::prelude::{IntoDrawingArea, WHITE};
    let root = Canvas2d::new(el)?.into_drawing_area();
    let _ = root.fill(&WHITE);
    Some(root)
}

impl DrawingBackend for Canvas2d {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error> {
        self.inner.draw_rect(ul, br, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), Error> {
        self.inner.draw_text(text, style, pos)
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), Error> {
        self.ctx.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        ));
        let width = self
            .ctx
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(0.0);
        Ok((width.ceil() as u32, style.size().ceil() as u32))
    }
}
