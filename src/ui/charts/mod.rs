//! Charts, one file each, drawn with plotters on a `<canvas>` and each shown with its data
//! in a table. This module holds what they share: the theme read from the CSS tokens, HiDPI
//! sizing, redrawing on theme and size changes, and the canvas backend. The
//! backend wraps plotters-canvas and measures text with the canvas's own `measureText`:
//! plotters' default measures by inserting a `<span>` with an inline `style` attribute,
//! which Folio's Content-Security-Policy (rightly) blocks.

pub mod distribution;
pub mod donut;
pub mod heatmap;
pub mod value_over_time;

use leptos::prelude::*;
use plotters::style::{IntoFont, RGBColor, TextStyle};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::ui::state::AppState;

/// Colours and scale a chart draws with, read from the page's CSS tokens (so charts follow
/// the light or dark theme and the gain colours) and the device pixel ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartTheme {
    /// Card surface (the canvas is filled with it: never white on a dark page).
    pub surface: RGBColor,
    /// Text.
    pub text: RGBColor,
    /// Axis labels.
    pub muted: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// Categorical colours (Okabe–Ito), the eighth for "Other".
    pub series: [RGBColor; 8],
    /// Gains.
    pub pos: RGBColor,
    /// Losses.
    pub neg: RGBColor,
    /// Device pixels per CSS pixel.
    pub scale: f64,
}

/// The light theme's colours, used when the page's tokens cannot be read.
const FALLBACK: ChartTheme = ChartTheme {
    surface: RGBColor(255, 255, 255),
    text: RGBColor(27, 35, 48),
    muted: RGBColor(86, 97, 113),
    grid: RGBColor(216, 221, 228),
    series: [
        RGBColor(0, 114, 178),
        RGBColor(230, 159, 0),
        RGBColor(0, 158, 115),
        RGBColor(213, 94, 0),
        RGBColor(86, 180, 233),
        RGBColor(204, 121, 167),
        RGBColor(240, 228, 66),
        RGBColor(95, 107, 122),
    ],
    pos: RGBColor(18, 115, 79),
    neg: RGBColor(179, 38, 30),
    scale: 1.0,
};

/// `#rrggbb` or `#rgb` as a colour.
pub fn parse_hex(text: &str) -> Option<RGBColor> {
    let hex = text.trim().strip_prefix('#')?;
    let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
    match hex.len() {
        6 => Some(RGBColor(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
        3 => Some(RGBColor(
            digit(0, 1)? * 17,
            digit(1, 1)? * 17,
            digit(2, 1)? * 17,
        )),
        _ => None,
    }
}

impl ChartTheme {
    /// The theme in force now: `<html>`'s computed tokens and `devicePixelRatio`.
    pub fn from_css() -> ChartTheme {
        let mut t = FALLBACK;
        let Some(w) = web_sys::window() else {
            return t;
        };
        t.scale = w.device_pixel_ratio().clamp(1.0, 4.0);
        let style = w
            .document()
            .and_then(|d| d.document_element())
            .and_then(|html| w.get_computed_style(&html).ok().flatten());
        let Some(style) = style else {
            return t;
        };
        let token = |name: &str, slot: &mut RGBColor| {
            if let Some(c) = style
                .get_property_value(name)
                .ok()
                .and_then(|v| parse_hex(&v))
            {
                *slot = c;
            }
        };
        token("--surface", &mut t.surface);
        token("--text", &mut t.text);
        token("--muted", &mut t.muted);
        token("--border", &mut t.grid);
        token("--pos", &mut t.pos);
        token("--neg", &mut t.neg);
        for (i, slot) in t.series.iter_mut().enumerate() {
            token(&format!("--chart-{}", i + 1), slot);
        }
        t
    }

    /// A length in device pixels.
    pub fn px(&self, css: f64) -> u32 {
        (css * self.scale).round() as u32
    }

    /// The system font at `css` pixels, in `color`.
    pub fn font(&self, css: f64, color: RGBColor) -> TextStyle<'static> {
        ("system-ui, sans-serif", css * self.scale)
            .into_font()
            .color(&color)
    }

    /// The colour of a categorical slot (the last one is "Other").
    pub fn slot(&self, slot: usize) -> RGBColor {
        self.series[slot.min(self.series.len() - 1)]
    }
}

/// A chart's drawing area on a `<canvas>` sized to its CSS box at the device's pixel ratio
/// and filled with the card's surface colour, and the theme to draw with (`None` without a
/// 2D context or while the canvas has no size).
pub fn themed_area(
    el: HtmlCanvasElement,
) -> Option<(
    plotters::drawing::DrawingArea<Canvas2d, plotters::coord::Shift>,
    ChartTheme,
)> {
    use plotters::prelude::IntoDrawingArea;
    let theme = ChartTheme::from_css();
    let (w, h) = (el.client_width(), el.client_height());
    if w <= 0 || h <= 0 {
        return None;
    }
    let (bw, bh) = (theme.px(f64::from(w)), theme.px(f64::from(h)));
    if el.width() != bw || el.height() != bh {
        el.set_width(bw);
        el.set_height(bh);
    }
    let root = Canvas2d::new(el)?.into_drawing_area();
    let _ = root.fill(&theme.surface);
    Some((root, theme))
}

/// A chart's drawing area at the canvas's own size, filled with the theme's surface colour
/// (for charts that keep fixed canvas sizes).
pub fn blank_area(
    el: HtmlCanvasElement,
) -> Option<plotters::drawing::DrawingArea<Canvas2d, plotters::coord::Shift>> {
    use plotters::prelude::IntoDrawingArea;
    let root = Canvas2d::new(el)?.into_drawing_area();
    let _ = root.fill(&ChartTheme::from_css().surface);
    Some(root)
}

/// Runs `draw` on the canvas once it is in the page, and again whenever what `draw` reads
/// changes, the theme changes (system setting or the user's choice), or the canvas is
/// resized.
pub fn redraw(canvas: NodeRef<leptos::html::Canvas>, draw: impl Fn(HtmlCanvasElement) + 'static) {
    let state = expect_context::<AppState>();
    let size = RwSignal::new((0, 0));
    let observer = StoredValue::new_local(None::<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>);
    Effect::new(move |_| {
        let Some(el) = canvas.get() else {
            return;
        };
        if observer.with_value(Option::is_some) {
            return;
        }
        let target = el.clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || {
            size.set((target.client_width(), target.client_height()))
        });
        if let Ok(o) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            o.observe(&el);
            observer.set_value(Some((o, on_resize)));
        }
    });
    on_cleanup(move || {
        observer.with_value(|o| {
            if let Some((o, _)) = o {
                o.disconnect();
            }
        })
    });
    Effect::new(move |_| {
        state.dark();
        state.appearance.track();
        size.track();
        if let Some(el) = canvas.get() {
            draw(el);
        }
    });
}

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
