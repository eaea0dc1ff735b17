//! sharp's `composite`: images drawn over the output in one pass, as libvips'
//! `vips_composite` draws them. Each overlay is decoded by its own limits, turned upright
//! when asked, tiled and placed as sharp's pipeline.cc places it (offsets as given, gravity
//! by `CalculateCrop`), and blended (blend.rs) onto the base in premultiplied 0-1 values.
//! The result always has alpha, in sRGB, as libvips' composite leaves it.
mod blend;

pub use blend::Blend;

use serde::{Deserialize, Serialize};

use blend::Pixel;

use crate::error::{EngineError, ErrorKind, Result};
use crate::extra_input::ExtraInput;
use crate::geometry::crop_offset;
use crate::image::Image;
use crate::pixels;
use crate::spec::Gravity;

/// One image of sharp's `composite([...])`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Overlay {
    pub image: ExtraInput,
    #[serde(default)]
    pub blend: Blend,
    /// Where the overlay sits when no `offset` is given; for a tiled overlay, where the
    /// tiles are aligned.
    #[serde(default)]
    pub gravity: Gravity,
    /// Left and top in pixels of the base; may lie outside it.
    #[serde(default)]
    pub offset: Option<[i32; 2]>,
    /// Repeated across the whole base.
    #[serde(default)]
    pub tile: bool,
    /// The overlay's colours are already multiplied by its alpha.
    #[serde(default)]
    pub premultiplied: bool,
}

/// `base` with every overlay blended onto it, in order. libvips composites whole tiles of
/// the output: those an overlay reaches, or all of them when a mode changes the base where
/// no overlay is; a pixel of such a tile is blended with every overlay and rounded as
/// libvips rounds it, the other tiles keep their pixels.
pub fn apply(base: &Image, overlays: &[Overlay]) -> Result<Image> {
    let mut base = pixels::with_channels(base, 4);
    let placed = overlays
        .iter()
        .enumerate()
        .map(|(index, overlay)| placed(overlay, index, base.width, base.height))
        .collect::<Result<Vec<_>>>()?;
    let everywhere = overlays.iter().any(|o| !o.blend.skips_uncovered());
    let width = base.width as usize;
    for tile in tiles(base.width, base.height) {
        let reached = everywhere
            || placed
                .iter()
                .any(|(image, left, top)| overlaps(&tile, image, *left, *top));
        if !reached {
            continue;
        }
        for y in tile.rows.clone() {
            for x in tile.columns.clone() {
                let at = (y * width + x) * 4;
                let pixel = &mut base.data[at..at + 4];
                let mut blended = premultiplied(pixel, false);
                for ((image, left, top), overlay) in placed.iter().zip(overlays) {
                    let a = overlay_pixel(image, x as i64 - left, y as i64 - top, overlay);
                    blended = blend::blend(overlay.blend, a, blended);
                }
                write_back(pixel, blended);
            }
        }
    }
    Ok(base)
}

/// The overlay as it is drawn, with where its top left corner goes.
fn placed(overlay: &Overlay, index: usize, width: u32, height: u32) -> Result<(Image, i64, i64)> {
    let role = format!("composite[{index}]");
    let image = overlay.image.decode(&role)?;
    if image.width > width || image.height > height {
        return Err(EngineError::new(
            ErrorKind::InvalidOption,
            format!("{role}: Image to composite must have same dimensions or smaller"),
        ));
    }
    if overlay.tile {
        return Ok((tiled(&image, width, height, overlay)?, 0, 0));
    }
    let (left, top) = match overlay.offset {
        Some([left, top]) => (left as i64, top as i64),
        None => {
            let (x, y) = overlay.gravity.anchor();
            let left = crop_offset(width, image.width, x) as i64;
            (left, crop_offset(height, image.height, y) as i64)
        }
    };
    Ok((pixels::with_channels(&image, 4), left, top))
}

/// sharp's tiling: enough copies to cover the base (an odd number across or down where the
/// gravity centres that axis), cut to the base's size where the gravity or offset puts it.
fn tiled(image: &Image, width: u32, height: u32, overlay: &Overlay) -> Result<Image> {
    let image = pixels::with_channels(image, 4);
    let (x, y) = overlay.gravity.anchor();
    let mut across = width.div_ceil(image.width);
    let mut down = height.div_ceil(image.height);
    if x == 0.5 {
        across |= 1;
    }
    if y == 0.5 {
        down |= 1;
    }
    let (wide, high) = (across * image.width, down * image.height);
    let (left, top) = match overlay.offset {
        // Offsets past the last whole position stop there; before the first, libvips
        // refuses the area.
        Some([left, top]) if left < 0 || top < 0 => {
            return Err(EngineError::new(
                ErrorKind::InvalidOption,
                "extract_area: bad extract area",
            ))
        }
        Some([left, top]) => (
            (left as u32).min(wide - width),
            (top as u32).min(high - height),
        ),
        None => (crop_offset(wide, width, x), crop_offset(high, height, y)),
    };
    let mut data = Vec::with_capacity(width as usize * height as usize * 4);
    for row in 0..height {
        let source_row = (row + top) % image.height;
        for column in 0..width {
            data.extend_from_slice(image.pixel((column + left) % image.width, source_row));
        }
    }
    Ok(Image::new(width, height, 4, data))
}

/// libvips composites a tile of this many pixels square whole, or not at all.
const TILE: usize = 128;

struct Tile {
    columns: std::ops::Range<usize>,
    rows: std::ops::Range<usize>,
}

/// The image's tiles, from its top left corner, cut at its edges.
fn tiles(width: u32, height: u32) -> impl Iterator<Item = Tile> {
    let (width, height) = (width as usize, height as usize);
    (0..height).step_by(TILE).flat_map(move |top| {
        (0..width).step_by(TILE).map(move |left| Tile {
            columns: left..(left + TILE).min(width),
            rows: top..(top + TILE).min(height),
        })
    })
}

fn overlaps(tile: &Tile, image: &Image, left: i64, top: i64) -> bool {
    let across = |range: &std::ops::Range<usize>, start: i64, size: u32| {
        start < range.end as i64 && start + size as i64 > range.start as i64
    };
    across(&tile.columns, left, image.width) && across(&tile.rows, top, image.height)
}

/// The overlay's pixel at `x`, `y` of it, premultiplied; transparent black outside it.
fn overlay_pixel(image: &Image, x: i64, y: i64, overlay: &Overlay) -> Pixel {
    let inside = x >= 0 && y >= 0 && x < image.width as i64 && y < image.height as i64;
    match inside {
        true => premultiplied(image.pixel(x as u32, y as u32), overlay.premultiplied),
        false => [0.0; 4],
    }
}

/// A blended pixel back to 8-bit RGBA: unpremultiplied, clipped and truncated as libvips
/// writes a `uchar` result (alpha 0 is black).
fn write_back(target: &mut [u8], pixel: Pixel) {
    let alpha = pixel[3];
    for (band, value) in target.iter_mut().zip(pixel).take(3) {
        let colour = if alpha == 0.0 { 0.0 } else { value / alpha };
        *band = (colour * 255.0).clamp(0.0, 255.0) as u8;
    }
    target[3] = (alpha * 255.0).clamp(0.0, 255.0) as u8;
}

/// An RGBA pixel in 0-1, its colours multiplied by its alpha (unless they already are).
fn premultiplied(pixel: &[u8], already: bool) -> Pixel {
    let [r, g, b, a] = [pixel[0], pixel[1], pixel[2], pixel[3]].map(|v| v as f32 / 255.0);
    match already {
        true if a == 0.0 => [0.0; 4],
        true => [r, g, b, a],
        false => [r * a, g * a, b * a, a],
    }
}
