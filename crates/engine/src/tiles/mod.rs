//! sharp's `tile()` (libvips' dzsave): the rendered image turned by `angle`, centred if
//! asked, halved level by level (pyramid.rs), each level cut into tiles that are encoded
//! in parallel and named as the layout names them (layout.rs), the lot packed into one
//! archive (archive.rs).
mod archive;
mod layout;
mod pyramid;

use rayon::prelude::*;

use crate::decode::MAX_DECODED_BYTES;
use crate::encode::{self, Metadata};
use crate::error::{EngineError, ErrorKind, Result};
use crate::geometry::Canvas;
use crate::image::Image;
use crate::operations::Area;
use crate::orient::Transform;
use crate::pixels;
use crate::spec::{Encoding, Rgba};
use crate::spec_tiles::{TileLayout, TileSettings};
pub use archive::unpack_tiles;
use layout::{Summary, TilePlace};
use pyramid::Level;

/// A work budget: a million tiles is a 256-pixel pyramid of about 50 gigapixels, while
/// `size: 1` on a 16 MP photo would ask for 21 million files.
const MAX_TILES: u64 = 1 << 20;

/// The pyramid of `image` as an archive of its files.
pub(crate) fn save(
    image: &Image,
    settings: &TileSettings,
    encoding: &Encoding,
    background: Rgba,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    let extension = extension(encoding, settings.layout)?;
    if !settings.angle.is_multiple_of(90) {
        return Err(invalid("tile.angle", "is not a multiple of 90"));
    }
    if settings.size == 0 || settings.overlap > settings.size {
        return Err(invalid("tile.overlap", "is larger than the tile size"));
    }
    let turned = Transform::rotation(settings.angle).apply(image);
    // The border and padding take the image's bands: no alpha where it has none.
    let fill = if turned.has_alpha() {
        settings.background
    } else {
        Rgba {
            a: 255,
            ..settings.background
        }
    };
    let whole = Area {
        left: 0,
        top: 0,
        width: turned.width,
        height: turned.height,
    };
    let (top, real) = if settings.centre {
        centred(turned, settings, fill)?
    } else {
        (turned, whole)
    };
    let levels = pyramid::build(top, real, settings.depth_or_default(), settings.size);
    let tiles: u64 = levels
        .iter()
        .map(|level| {
            let (across, down) = tiles_of(level, settings.size);
            u64::from(across) * u64::from(down)
        })
        .sum();
    if tiles > MAX_TILES {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!("tile: the pyramid would have {tiles} tiles, more than {MAX_TILES}"),
        ));
    }
    let cut = Cutter {
        settings,
        encoding,
        background,
        metadata,
        extension,
        fill,
        full: (levels[0].image.width, levels[0].image.height),
    };
    let mut files = Vec::new();
    let mut tiles_before = 0u64;
    for (level_number, level) in levels.iter().rev().enumerate() {
        let (across, down) = tiles_of(level, settings.size);
        let places: Vec<(u32, u32)> = (0..down)
            .flat_map(|row| (0..across).map(move |column| (column, row)))
            .collect();
        let written: Vec<Option<(String, Vec<u8>)>> = places
            .into_par_iter()
            .map(|(column, row)| cut.tile(level, level_number as u32, tiles_before, column, row))
            .collect::<Result<_>>()?;
        files.extend(written.into_iter().flatten());
        tiles_before += across as u64 * down as u64;
    }
    let summary = Summary {
        settings,
        extension,
        width: cut.full.0,
        height: cut.full.1,
        scales: levels.iter().map(|level| level.scale).collect(),
        tiles_written: files.len(),
    };
    files.extend(layout::description(&summary));
    if settings.layout == TileLayout::Google {
        let blank = Image::filled(
            settings.size,
            settings.size,
            &pixels::samples_of(fill, levels[0].image.channels),
        );
        let png = Encoding::png(6);
        let bytes = encode::encode(&blank, &png, fill, &Metadata::default())?;
        files.push((format!("{}/blank.png", settings.basename), bytes));
    }
    archive::pack(&files)
}

/// Cuts, checks and encodes the tiles of one pyramid.
struct Cutter<'a> {
    settings: &'a TileSettings,
    encoding: &'a Encoding,
    background: Rgba,
    metadata: &'a Metadata,
    extension: &'static str,
    fill: Rgba,
    full: (u32, u32),
}

impl Cutter<'_> {
    /// The tile's file, or `None` where libvips writes none: outside a centred image's
    /// picture, or within `skip_blanks` of the background.
    fn tile(
        &self,
        level: &Level,
        level_number: u32,
        tiles_before: u64,
        column: u32,
        row: u32,
    ) -> Result<Option<(String, Vec<u8>)>> {
        let (size, overlap) = (self.settings.size, self.settings.overlap);
        let (x, y) = (column * size, row * size);
        if self.settings.centre && !overlaps(level.real, x, y, size) {
            return Ok(None);
        }
        let (left, top) = (x.saturating_sub(overlap), y.saturating_sub(overlap));
        let right = (x + size + overlap).min(level.image.width);
        let bottom = (y + size + overlap).min(level.image.height);
        let area = Area {
            left,
            top,
            width: right - left,
            height: bottom - top,
        };
        let mut tile = crate::adjust::canvas::extract(&level.image, area, "tile")?;
        if let Some(threshold) = self.settings.skip_blanks {
            if is_blank(
                &tile,
                &pixels::samples_of(self.fill, tile.channels),
                threshold,
            ) {
                return Ok(None);
            }
        }
        let (width, height) = (tile.width, tile.height);
        if self.settings.layout == TileLayout::Google {
            let canvas = Canvas {
                width: size,
                height: size,
                left: 0,
                top: 0,
            };
            tile = pixels::embed(&tile, canvas, self.fill);
        }
        let span = size * level.scale;
        let (left_full, top_full) = (x * level.scale, y * level.scale);
        let place = TilePlace {
            level: level_number,
            column,
            row,
            tiles_before,
            tiles_across: tiles_of(level, size).0,
            full_region: [
                left_full,
                top_full,
                span.min(self.full.0 - left_full),
                span.min(self.full.1 - top_full),
            ],
            full_width: self.full.0,
            full_height: self.full.1,
            width,
            height,
        };
        let bytes = encode::encode(&tile, self.encoding, self.background, self.metadata)?;
        let path = layout::tile_path(self.settings, self.extension, &place);
        Ok(Some((path, bytes)))
    }
}

/// The tiles across and down a level.
fn tiles_of(level: &Level, size: u32) -> (u32, u32) {
    (
        level.image.width.div_ceil(size),
        level.image.height.div_ceil(size),
    )
}

/// The image in the middle of a square of `size * 2^n` pixels, n the levels it would
/// need, as libvips centres: the viewer then shows `blank.png` around it.
fn centred(image: Image, settings: &TileSettings, fill: Rgba) -> Result<(Image, Area)> {
    let (width, height) = (image.width, image.height);
    let halvings = pyramid::halvings(width, height, settings.depth_or_default(), settings.size);
    let side = (u64::from(settings.size) << halvings)
        .max(u64::from(width))
        .max(u64::from(height));
    let bytes = side * side * u64::from(image.channels.max(3) + 1);
    if bytes > MAX_DECODED_BYTES || side > u64::from(u32::MAX) {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!("tile.centre: the centred square would be {side}x{side} pixels"),
        ));
    }
    let side = side as u32;
    let canvas = Canvas {
        width: side,
        height: side,
        left: (side - width) / 2,
        top: (side - height) / 2,
    };
    let real = Area {
        left: canvas.left,
        top: canvas.top,
        width,
        height,
    };
    Ok((pixels::embed(&image, canvas, fill), real))
}

fn overlaps(area: Area, x: u32, y: u32, size: u32) -> bool {
    x < area.left + area.width
        && area.left < x + size
        && y < area.top + area.height
        && area.top < y + size
}

fn is_blank(tile: &Image, ink: &[u8], threshold: u16) -> bool {
    tile.data.chunks_exact(ink.len()).all(|pixel| {
        pixel
            .iter()
            .zip(ink)
            .all(|(&p, &i)| p.abs_diff(i) as u16 <= threshold)
    })
}

/// sharp names Deep Zoom's JPEG tiles `.jpeg` and every other layout's `.jpg`.
fn extension(encoding: &Encoding, layout: TileLayout) -> Result<&'static str> {
    match encoding {
        Encoding::Jpeg { .. } if layout == TileLayout::Dz => Ok("jpeg"),
        Encoding::Jpeg { .. } => Ok("jpg"),
        Encoding::Png { .. } => Ok("png"),
        Encoding::Webp { .. } => Ok("webp"),
        _ => Err(invalid("tile", "tiles are written as jpeg, png or webp")),
    }
}

fn invalid(option: &str, reason: &str) -> EngineError {
    EngineError::new(ErrorKind::InvalidOption, format!("{option}: {reason}"))
}
