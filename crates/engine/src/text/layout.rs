//! Laying the spans out as Pango does for libvips' text: sizes in points at the dpi, each
//! line as tall as its tallest font's ascent plus descent, plus `spacing` pixels between
//! lines, wrapped at `width` pixels, aligned or justified; and walking the result as a
//! painter sees it: span backgrounds, then glyphs, then underlines and strikethroughs.

use cosmic_text::{
    Align, Attrs, Buffer, Color, Family, Hinting, LayoutRun, Metrics, PhysicalGlyph, Renderer,
    Shaping, UnderlineStyle, Wrap,
};

use super::font_description::{FontDescription, FontSize};
use super::fonts::{self, Face, Fonts};
use super::markup::Span;
use super::paint::Painter;

/// libvips' alignments (sharp's `align`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextAlign {
    #[default]
    Left,
    Centre,
    Right,
}

/// libvips' wrap modes (sharp's `wrap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextWrap {
    #[default]
    Word,
    Char,
    WordChar,
    None,
}

pub struct Settings {
    pub width: Option<u32>,
    pub align: TextAlign,
    pub justify: bool,
    /// Extra pixels between lines (libvips sets it only when positive).
    pub spacing: i32,
    pub wrap: TextWrap,
}

/// The laid-out text: the buffer, and the span (with its face) each glyph came from (its
/// `metadata`).
pub struct Laid<'s> {
    pub buffer: Buffer,
    pub spans: &'s [Span],
    pub faces: &'s [Face],
}

/// `spans` laid out at `dpi`, each in its face (`faces[i]` for `spans[i]`).
pub fn lay_out<'s>(
    fonts: &mut Fonts,
    spans: &'s [Span],
    faces: &'s [Face],
    settings: &Settings,
    dpi: u32,
) -> Laid<'s> {
    let spacing = settings.spacing.max(0) as f32;
    let sizes: Vec<(f32, f32)> = spans
        .iter()
        .zip(faces)
        .map(|(span, face)| {
            let pixels = pixels(&span.style.font, dpi);
            (pixels, face.line_height(pixels) + spacing)
        })
        .collect();
    let first = sizes.first().copied().unwrap_or((1.0, 1.0 + spacing));
    let mut buffer = Buffer::new(&mut fonts.system, Metrics::new(first.0, first.1));
    buffer.set_hinting(Hinting::Enabled);
    buffer.set_wrap(match settings.wrap {
        TextWrap::Word => Wrap::Word,
        TextWrap::Char => Wrap::Glyph,
        TextWrap::WordChar => Wrap::WordOrGlyph,
        TextWrap::None => Wrap::None,
    });
    buffer.set_size(settings.width.map(|w| w as f32), None);
    let attrs: Vec<Attrs> = spans
        .iter()
        .enumerate()
        .map(|(index, span)| {
            let style = &span.style;
            let (pixels, line) = sizes[index];
            let mut attrs = Attrs::new()
                .family(Family::Name(&faces[index].family))
                .weight(faces[index].weight)
                .style(fonts::style(&style.font))
                .metrics(Metrics::new(pixels, line))
                .metadata(index);
            if let Some([r, g, b, a]) = style.foreground {
                attrs = attrs.color(Color::rgba(r, g, b, a));
            }
            if style.letter_spacing != 0.0 {
                attrs = attrs.letter_spacing(style.letter_spacing * dpi as f32 / 72.0 / pixels);
            }
            if style.underline {
                attrs = attrs.underline(UnderlineStyle::Single);
            }
            if style.strikethrough {
                attrs = attrs.strikethrough();
            }
            attrs
        })
        .collect();
    let align = match (settings.justify, settings.align) {
        (true, _) => Align::Justified,
        (false, TextAlign::Left) => Align::Left,
        (false, TextAlign::Centre) => Align::Center,
        (false, TextAlign::Right) => Align::Right,
    };
    let rich = spans
        .iter()
        .zip(&attrs)
        .map(|(span, attrs)| (span.text.as_str(), attrs.clone()));
    buffer.set_rich_text(rich, &Attrs::new(), Shaping::Advanced, Some(align));
    buffer.shape_until_scroll(&mut fonts.system, false);
    Laid {
        buffer,
        spans,
        faces,
    }
}

/// A size in points at `dpi`, in pixels (Pango's default when none is stated: 12 points).
fn pixels(font: &FontDescription, dpi: u32) -> f32 {
    let pixels = match font.size.unwrap_or(FontSize::Points(12.0)) {
        FontSize::Points(points) => points * dpi as f32 / 72.0,
        FontSize::Pixels(pixels) => pixels,
    };
    pixels.max(1.0 / 1024.0)
}

/// What a walk shows the painter.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Glyphs and decorations: what Pango counts as ink.
    Ink,
    /// Span backgrounds too.
    All,
}

/// Calls `painter` for each span background, glyph and text decoration, in drawing order,
/// `ink` being the colour of glyphs whose span states none.
pub fn walk<P: Painter>(laid: &Laid, painter: &mut P, ink: Color, show: Show) {
    for run in laid.buffer.layout_runs() {
        if show == Show::All {
            backgrounds(laid, &run, painter);
        }
        for glyph in run.glyphs {
            let physical: PhysicalGlyph = glyph.physical((0.0, run.line_y), 1.0);
            let bold = laid.faces.get(glyph.metadata).is_some_and(|face| face.bold);
            painter.glyph(physical, glyph.color_opt.unwrap_or(ink), bold);
        }
        cosmic_text::render_decoration(&mut Decorations(painter), &run, ink);
    }
}

/// cosmic-text draws underlines and strikethroughs as rectangles through its `Renderer`.
struct Decorations<'p, P>(&'p mut P);

impl<P: Painter> Renderer for Decorations<'_, P> {
    fn rectangle(&mut self, x: i32, y: i32, w: u32, h: u32, color: Color) {
        self.0.rectangle(x, y, w, h, color);
    }

    fn glyph(&mut self, _: PhysicalGlyph, _: Color) {}
}

/// Each glyph's logical box on its line, in its span's background colour.
fn backgrounds<P: Painter>(laid: &Laid, run: &LayoutRun, painter: &mut P) {
    for glyph in run.glyphs {
        let Some([r, g, b, a]) = laid
            .spans
            .get(glyph.metadata)
            .and_then(|s| s.style.background)
        else {
            continue;
        };
        let left = glyph.x.floor();
        let right = (glyph.x + glyph.w).ceil();
        let top = run.line_top.floor();
        let bottom = (run.line_top + run.line_height).ceil();
        if right > left && bottom > top {
            let (width, height) = ((right - left) as u32, (bottom - top) as u32);
            painter.rectangle(
                left as i32,
                top as i32,
                width,
                height,
                Color::rgba(r, g, b, a),
            );
        }
    }
}
