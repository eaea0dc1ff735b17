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

/// `base` with every overlay blended onto it, in order.
pub fn apply(base: &Image, overlays: &[Overlay]) -> Result<Image> {
    let base = pixels::with_channels(base, 4);
    let placed = overlays
        .iter()
        .enumerate()
        .map(|(index, overlay)| placed(overlay, index, base.width, base.height))
        .collect::<Result<Vec<_>>>()?;
    let everywhere = overlays.iter().any(|o| !o.blend.skips_uncovered());
    let mut canvas = Canvas::of(&base);
    for (image, left, top) in &placed {
        canvas.reach(image, *left, *top, everywhere);
    }
    for ((image, left, top), overlay) in placed.iter().zip(overlays) {
        canvas.blend(image, *left, *top, overlay);
    }
    Ok(canvas.finish(base))
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

/// The base being blended onto, premultiplied, and which of its tiles are blended: those an
/// overlay reaches, or all of them when a mode changes the base where no overlay is (each
/// pixel of a blended tile is rounded as libvips rounds it; the others stay as they were).
struct Canvas {
    width: usize,
    pixels: Vec<Pixel>,
    tiles_across: usize,
    blended_tiles: Vec<bool>,
}

impl Canvas {
    fn of(base: &Image) -> Self {
        let pixels = base
            .data
            .chunks_exact(4)
            .map(|p| premultiplied(p, false))
            .collect();
        let width = base.width as usize;
        let tiles_across = width.div_ceil(TILE);
        let tiles = tiles_across * (base.height as usize).div_ceil(TILE);
        Self {
            width,
            pixels,
            tiles_across,
            blended_tiles: vec![false; tiles],
        }
    }

    fn tile_of(&self, at: usize) -> usize {
        (at / self.width / TILE) * self.tiles_across + (at % self.width) / TILE
    }

    /// Marks the tiles `image` at `left`, `top` reaches (all of them when `everywhere`).
    fn reach(&mut self, image: &Image, left: i64, top: i64, everywhere: bool) {
        let height = self.pixels.len() / self.width;
        let span = |start: i64, size: u32, extent: usize| {
            let first = start.clamp(0, extent as i64) as usize;
            let end = (start + size as i64).clamp(0, extent as i64) as usize;
            (first / TILE)..end.div_ceil(TILE)
        };
        let (columns, rows) = match everywhere {
            true => (0..self.tiles_across, 0..height.div_ceil(TILE)),
            false => (
                span(left, image.width, self.width),
                span(top, image.height, height),
            ),
        };
        for row in rows {
            for column in columns.clone() {
                self.blended_tiles[row * self.tiles_across + column] = true;
            }
        }
    }

    /// Blends `image` (RGBA) with its top left corner at `left`, `top` over the blended
    /// tiles, as transparent black where it does not reach.
    fn blend(&mut self, image: &Image, left: i64, top: i64, overlay: &Overlay) {
        for at in 0..self.pixels.len() {
            if !self.blended_tiles[self.tile_of(at)] {
                continue;
            }
            let x = (at % self.width) as i64 - left;
            let y = (at / self.width) as i64 - top;
            let covered = x >= 0 && y >= 0 && x < image.width as i64 && y < image.height as i64;
            let a = match covered {
                true => premultiplied(image.pixel(x as u32, y as u32), overlay.premultiplied),
                false => [0.0; 4],
            };
            self.pixels[at] = blend::blend(overlay.blend, a, self.pixels[at]);
        }
    }

    /// Back to 8-bit RGBA: blended pixels unpremultiplied, clipped and truncated as libvips
    /// writes a `uchar` result (alpha 0 is black).
    fn finish(self, mut base: Image) -> Image {
        for (at, target) in base.data.chunks_exact_mut(4).enumerate() {
            if !self.blended_tiles[self.tile_of(at)] {
                continue;
            }
            let pixel = self.pixels[at];
            let alpha = pixel[3];
            for (band, value) in target.iter_mut().zip(pixel).take(3) {
                let colour = if alpha == 0.0 { 0.0 } else { value / alpha };
                *band = (colour * 255.0).clamp(0.0, 255.0) as u8;
            }
            target[3] = (alpha * 255.0).clamp(0.0, 255.0) as u8;
        }
        base
    }
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
