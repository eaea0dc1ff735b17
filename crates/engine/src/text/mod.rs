//! Text as an image, as libvips' `vips_text` makes it for sharp's `{ text }` input: Pango
//! markup (`markup.rs`) in a Pango font description (`font_description.rs`), laid out by
//! cosmic-text (`layout.rs`) with the system's fonts, the caller's `fontfile`, else the
//! bundled DejaVu Sans (`fonts.rs`), drawn with swash (`paint.rs`). The image is the ink's
//! bounding box; without `rgba` it is one band, the ink's coverage (255 text, 0 none), with
//! it RGBA (black where the markup states no colour). `width` wraps lines; `width` and
//! `height` without `dpi` choose the largest dpi whose ink fits, as libvips' autofit does.
//! The ink is measured from glyph outlines before anything is drawn, so an image beyond
//! `max_pixels` is refused without drawing it.

mod font_description;
mod fonts;
mod glyphs;
mod layout;
mod markup;
mod paint;

use cosmic_text::Color;
use serde::Deserialize;

use crate::error::{EngineError, ErrorKind, Result};
use crate::image::Image;
use font_description::FontDescription;
use layout::{Laid, Settings, Show};
pub use layout::{TextAlign, TextWrap};
use paint::{Canvas, InkBounds, Rect};

/// sharp's `text` input options, in libvips' terms.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TextSpec {
    pub text: String,
    pub font: Option<String>,
    pub fontfile: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    #[serde(default)]
    pub align: TextAlign,
    #[serde(default)]
    pub justify: bool,
    pub dpi: Option<u32>,
    #[serde(default)]
    pub rgba: bool,
    #[serde(default)]
    pub spacing: i32,
    #[serde(default)]
    pub wrap: TextWrap,
}

/// libvips' defaults: `sans 12` at 72 dpi.
const DEFAULT_FONT: &str = "sans 12";
pub const DEFAULT_DPI: u32 = 72;
/// Autofit stops doubling or halving outside these, as libvips' does.
const AUTOFIT_DPI: std::ops::RangeInclusive<u32> = 2..=10000;

pub struct RenderedText {
    pub image: Image,
    /// The dpi drawn at: the caller's, the default, or autofit's choice.
    pub dpi: u32,
    /// libvips' `autofit_dpi`: autofit's choice, else its default (72), whatever `dpi` is.
    pub autofit_dpi: u32,
    /// What was left out (a font file that could not be loaded).
    pub warnings: Vec<String>,
}

pub fn render(spec: &TextSpec, max_pixels: u64) -> Result<RenderedText> {
    if spec.text.is_empty() {
        return Err(no_text());
    }
    let font = FontDescription::parse(DEFAULT_FONT).merged(&FontDescription::parse(
        spec.font.as_deref().unwrap_or_default(),
    ));
    let spans = markup::parse(&spec.text, &font)?;
    let settings = Settings {
        width: spec.width,
        align: spec.align,
        justify: spec.justify,
        spacing: spec.spacing,
        wrap: spec.wrap,
    };
    let mut fonts = fonts::lock();
    let warnings: Vec<String> = spec
        .fontfile
        .iter()
        .filter_map(|f| fonts.load_file(f))
        .collect();
    let faces: Vec<fonts::Face> = spans.iter().map(|s| fonts.face(&s.style.font)).collect();
    let autofit_dpi = match (spec.width, spec.height, spec.dpi) {
        (Some(width), Some(height), None) => Some(autofit(
            &mut fonts,
            (&spans, &faces),
            &settings,
            width,
            height,
        )),
        _ => None,
    };
    let dpi = autofit_dpi.or(spec.dpi).unwrap_or(DEFAULT_DPI);
    let laid = layout::lay_out(&mut fonts, &spans, &faces, &settings, dpi);
    let ink = ink(&mut fonts.system, &laid).ok_or_else(no_text)?;
    let pixels = ink.width() as u64 * ink.height() as u64;
    if pixels > max_pixels {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!(
                "text of {}x{} pixels at {dpi} dpi is above limitInputPixels ({max_pixels})",
                ink.width(),
                ink.height()
            ),
        ));
    }
    let mut canvas = Canvas::new(&mut fonts.system, ink);
    layout::walk(&laid, &mut canvas, Color::rgba(0, 0, 0, 255), Show::All);
    let image = match spec.rgba {
        true => Image::new(
            ink.width(),
            ink.height(),
            4,
            crate::pixels::unpremultiplied_rgba(canvas.pixels),
        ),
        false => {
            let coverage = canvas
                .pixels
                .chunks_exact(4)
                .map(|pixel| pixel[3])
                .collect();
            Image::new(ink.width(), ink.height(), 1, coverage)
        }
    };
    Ok(RenderedText {
        image,
        dpi,
        autofit_dpi: autofit_dpi.unwrap_or(DEFAULT_DPI),
        warnings,
    })
}

fn ink(system: &mut cosmic_text::FontSystem, laid: &Laid) -> Option<Rect> {
    let mut bounds = InkBounds {
        fonts: system,
        glyphs: glyphs::Glyphs::default(),
        ink: None,
    };
    layout::walk(laid, &mut bounds, Color::rgba(0, 0, 0, 255), Show::Ink);
    bounds.ink
}

/// libvips' search: double or halve the dpi from 72 until the ink's fit in `width` x
/// `height` changes, then bisect; the largest dpi found to fit.
fn autofit(
    fonts: &mut fonts::Fonts,
    (spans, faces): (&[markup::Span], &[fonts::Face]),
    settings: &Settings,
    width: u32,
    height: u32,
) -> u32 {
    let mut fits = |dpi: u32| {
        let laid = layout::lay_out(fonts, spans, faces, settings, dpi);
        ink(&mut fonts.system, &laid)
            .is_none_or(|ink| ink.width() <= width && ink.height() <= height)
    };
    let mut dpi = DEFAULT_DPI;
    let first = fits(dpi);
    let mut fitted = first;
    let mut previous_dpi;
    loop {
        previous_dpi = dpi;
        dpi = if fitted { dpi * 2 } else { dpi / 2 };
        if !AUTOFIT_DPI.contains(&dpi) {
            break; // `fitted` is still the fit at `previous_dpi`, as in libvips
        }
        fitted = fits(dpi);
        if fitted != first {
            break;
        }
    }
    let (mut lower, mut upper) = match fitted {
        true => (dpi, previous_dpi),
        false => (previous_dpi, dpi),
    };
    while upper.saturating_sub(lower) > 1 {
        let middle = (upper + lower) / 2;
        match fits(middle) {
            true => lower = middle,
            false => upper = middle,
        }
    }
    lower.max(1)
}

fn no_text() -> EngineError {
    EngineError::new(ErrorKind::InvalidOption, "text: no text to render")
}
