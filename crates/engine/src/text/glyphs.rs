//! Glyph outlines and masks at a glyph's size, hinted, as cosmic-text's swash helpers make
//! them, plus the synthetic bold fontconfig asks cairo for when a family has no bold face
//! (FreeType's emboldening: the outline a 24th of the size wider and taller).

use cosmic_text::{CacheKey, CacheKeyFlags, FontSystem};
use swash::scale::image::Image;
use swash::scale::{Render, ScaleContext, Scaler, Source, StrikeWith};
use swash::zeno::{Angle, Format, Transform, Vector};

/// cosmic-text's slant for a face without italics.
const FAKE_ITALIC_DEGREES: f32 = 14.0;

#[derive(Default)]
pub struct Glyphs {
    context: ScaleContext,
}

/// A glyph's ink box relative to its pen position, y down: left, top, right, bottom.
pub type Bounds = (f32, f32, f32, f32);

impl Glyphs {
    pub fn bounds(&mut self, fonts: &mut FontSystem, key: CacheKey, bold: bool) -> Option<Bounds> {
        let font = fonts.get_font(key.font_id, key.font_weight)?;
        let mut scaler = scaler(&mut self.context, &font, key);
        let mut outline = scaler
            .scale_outline(key.glyph_id)
            .or_else(|| scaler.scale_color_outline(key.glyph_id))?;
        if bold {
            let strength = embolden_strength(key);
            outline.embolden(strength, strength);
        }
        if let Some(slant) = fake_italic(key) {
            outline.transform(&slant);
        }
        let bounds = outline.bounds();
        if bounds.min.x > bounds.max.x || outline.points().is_empty() {
            return None;
        }
        let offset = key.x_bin.as_float();
        // Outlines are y-up from the baseline.
        Some((
            bounds.min.x + offset,
            -bounds.max.y,
            bounds.max.x + offset,
            -bounds.min.y,
        ))
    }

    pub fn image(&mut self, fonts: &mut FontSystem, key: CacheKey, bold: bool) -> Option<Image> {
        let font = fonts.get_font(key.font_id, key.font_weight)?;
        let mut scaler = scaler(&mut self.context, &font, key);
        Render::new(&[
            Source::ColorOutline(0),
            Source::ColorBitmap(StrikeWith::BestFit),
            Source::Outline,
        ])
        .format(Format::Alpha)
        .offset(Vector::new(key.x_bin.as_float(), key.y_bin.as_float()))
        .embolden(if bold { embolden_strength(key) } else { 0.0 })
        .transform(fake_italic(key))
        .render(&mut scaler, key.glyph_id)
    }
}

fn scaler<'a>(
    context: &'a mut ScaleContext,
    font: &'a cosmic_text::Font,
    key: CacheKey,
) -> Scaler<'a> {
    let face = font.as_swash();
    let builder = context
        .builder(face)
        .size(f32::from_bits(key.font_size_bits))
        .hint(!key.flags.contains(CacheKeyFlags::DISABLE_HINTING));
    // A variable font drawn at the weight asked for, as cosmic-text shapes it.
    let weight_axis = face
        .variations()
        .find_by_tag(swash::Tag::from_be_bytes(*b"wght"));
    match weight_axis {
        Some(axis) => {
            let weight = f32::from(key.font_weight.0).clamp(axis.min_value(), axis.max_value());
            let coords = face
                .variations()
                .normalized_coords([(swash::Tag::from_be_bytes(*b"wght"), weight)]);
            builder.normalized_coords(coords).build()
        }
        None => builder.build(),
    }
}

fn fake_italic(key: CacheKey) -> Option<Transform> {
    key.flags.contains(CacheKeyFlags::FAKE_ITALIC).then(|| {
        Transform::skew(
            Angle::from_degrees(FAKE_ITALIC_DEGREES),
            Angle::from_degrees(0.0),
        )
    })
}

/// FreeType grows the outline by a 24th of the size in all; swash's strength is per side.
fn embolden_strength(key: CacheKey) -> f32 {
    f32::from_bits(key.font_size_bits) / 48.0
}
