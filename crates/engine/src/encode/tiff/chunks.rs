//! How a TIFF stores the pixels: which bits per sample, strips or tiles, and the samples
//! of each laid out as libvips hands them to libtiff (packed bits, miniswhite, floats,
//! predictors).
use super::refused;
use crate::encode::bits::pack_top;
use crate::error::Result;
use crate::image::Image;
use crate::spec::{TiffCompression, TiffPredictor, TiffSettings};

/// What `tiffsave` decides from the image and the options before writing.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// 1, 2, 4 or 8, or 32 for floats.
    pub bits: u8,
    pub float: bool,
    pub compression: TiffCompression,
    predictor: TiffPredictor,
    /// JPEG codes colour as YCbCr with half-resolution chroma (below quality 90).
    pub ycbcr: bool,
    /// Tile width and height; strips otherwise.
    pub tile: Option<(u32, u32)>,
    pub rows_per_strip: u32,
    miniswhite: bool,
}

impl Layout {
    pub fn of(image: &Image, settings: &TiffSettings) -> Result<Layout> {
        // JPEG and WebP code 8-bit samples whatever the predictor asks (libvips casts back).
        let lossy = matches!(
            settings.compression,
            TiffCompression::Jpeg | TiffCompression::Webp
        );
        let float = settings.predictor == TiffPredictor::Float && !lossy;
        let grey = image.channels <= 2;
        let bits = match settings.bitdepth {
            1 | 2 | 4 if image.channels == 1 && !float => settings.bitdepth,
            _ if float => 32,
            _ => 8,
        };
        let mut compression = settings.compression;
        // libvips: "can't have 1-bit JPEG -- disabling JPEG".
        if bits < 8 && compression == TiffCompression::Jpeg {
            compression = TiffCompression::None;
        }
        if compression == TiffCompression::Ccittfax4 && bits != 1 {
            return Err(refused(
                "tiff compression 'ccittfax4' needs 1-bit samples: bitdepth 1 on a single-channel image (toColourspace('b-w'))",
            ));
        }
        if compression == TiffCompression::Webp && grey {
            return Err(refused(
                "tiff compression 'webp' needs an RGB or RGBA image",
            ));
        }
        if bits < 8
            && compression.takes_predictor()
            && settings.predictor == TiffPredictor::Horizontal
        {
            return Err(refused(format!(
                "tiff predictor 'horizontal' does not apply to {bits}-bit samples: use predictor 'none'"
            )));
        }
        let tiled = settings.tile || settings.pyramid;
        let whole = |size: u32| size.is_multiple_of(16);
        if tiled && !(whole(settings.tile_width) && whole(settings.tile_height)) {
            return Err(refused(format!(
                "tiff tileWidth and tileHeight must be multiples of 16 (got {} x {})",
                settings.tile_width, settings.tile_height
            )));
        }
        Ok(Layout {
            bits,
            float,
            compression,
            predictor: settings.predictor,
            ycbcr: image.channels == 3 && settings.quality < 90,
            tile: tiled.then_some((settings.tile_width, settings.tile_height)),
            rows_per_strip: settings.tile_height,
            miniswhite: settings.miniswhite && grey,
        })
    }

    /// The Predictor tag: libvips states one for LZW and deflate only.
    pub fn predictor_tag(&self) -> Option<u16> {
        match self.predictor {
            _ if !self.compression.takes_predictor() => None,
            TiffPredictor::None => None,
            TiffPredictor::Horizontal => Some(2),
            TiffPredictor::Float => Some(3),
        }
    }

    /// The image's strips (top to bottom, the last one shorter) or tiles (row by row,
    /// those at the right and bottom edges filled out with zeros).
    pub fn chunks<'a>(&'a self, image: &'a Image) -> impl Iterator<Item = Image> + 'a {
        let (width, height) = self.tile.unwrap_or((image.width, self.rows_per_strip));
        let across = image.width.div_ceil(width);
        let down = image.height.div_ceil(height);
        (0..down).flat_map(move |row| {
            (0..across).map(move |column| {
                let (left, top) = (column * width, row * height);
                match self.tile {
                    Some(_) => region(image, left, top, width, height),
                    None => region(image, 0, top, width, height.min(image.height - top)),
                }
            })
        })
    }

    /// A chunk's samples as stored before compression: packed to `bits`, inverted for
    /// miniswhite, as floats, then the predictor's differences.
    pub fn samples(&self, chunk: &Image) -> Vec<u8> {
        let channels = chunk.channels as usize;
        let mut rows = Vec::new();
        for row in chunk.data.chunks_exact(chunk.stride()) {
            let start = rows.len();
            let row = self.inverted(row, channels);
            match self.bits {
                8 => rows.extend_from_slice(&row),
                32 => rows.extend(row.iter().flat_map(|&v| (v as f32).to_le_bytes())),
                bits => pack_top(&row, bits, &mut rows),
            }
            if self.compression.takes_predictor() {
                match self.predictor {
                    TiffPredictor::Horizontal if self.bits == 8 => {
                        difference(&mut rows[start..], channels)
                    }
                    TiffPredictor::Float => float_difference(&mut rows[start..], channels),
                    _ => {}
                }
            }
        }
        rows
    }

    /// Band 0 of grey images as 255 - v for miniswhite, as libvips' `invert_band0`.
    fn inverted(&self, row: &[u8], channels: usize) -> Vec<u8> {
        let mut row = row.to_vec();
        if self.miniswhite {
            row.iter_mut().step_by(channels).for_each(|v| *v = 255 - *v);
        }
        row
    }
}

/// `width` x `height` pixels from (`left`, `top`), zero beyond the image.
fn region(image: &Image, left: u32, top: u32, width: u32, height: u32) -> Image {
    let channels = image.channels as usize;
    let mut data = vec![0; width as usize * height as usize * channels];
    let inside = image.width.saturating_sub(left).min(width) as usize * channels;
    for y in 0..height.min(image.height.saturating_sub(top)) {
        let from = (top + y) as usize * image.stride() + left as usize * channels;
        let to = y as usize * width as usize * channels;
        data[to..to + inside].copy_from_slice(&image.data[from..from + inside]);
    }
    Image::new(width, height, image.channels, data)
}

/// TIFF predictor 2: each sample less the same channel's sample to its left.
fn difference(row: &mut [u8], channels: usize) {
    for i in (channels..row.len()).rev() {
        row[i] = row[i].wrapping_sub(row[i - channels]);
    }
}

/// TIFF predictor 3 (Adobe's floating-point predictor): the row's float bytes regrouped
/// most significant first, then each byte less the one a pixel's samples before it.
fn float_difference(row: &mut [u8], channels: usize) {
    let samples = row.len() / 4;
    let mut planes = vec![0; row.len()];
    for (i, sample) in row.chunks_exact(4).enumerate() {
        for (byte, &value) in sample.iter().rev().enumerate() {
            planes[byte * samples + i] = value;
        }
    }
    difference(&mut planes, channels);
    row.copy_from_slice(&planes);
}

/// Half the size, each pixel the rounded mean of a 2 x 2 block (an odd last row or
/// column left out), as libvips shrinks pyramid layers.
pub fn halve(image: &Image) -> Image {
    let (width, height) = (image.width / 2, image.height / 2);
    let channels = image.channels as usize;
    let mut data = Vec::with_capacity(width as usize * height as usize * channels);
    for y in 0..height as usize {
        let top = &image.data[2 * y * image.stride()..];
        let bottom = &image.data[(2 * y + 1) * image.stride()..];
        for x in 0..width as usize {
            for c in 0..channels {
                let at = 2 * x * channels + c;
                let sum = top[at] as u32
                    + top[at + channels] as u32
                    + bottom[at] as u32
                    + bottom[at + channels] as u32;
                data.push(((sum + 2) / 4) as u8);
            }
        }
    }
    Image::new(width, height, image.channels, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizontal_differences_undo_by_summing() {
        let original = [10u8, 20, 30, 15, 25, 35, 5, 0, 255];
        let mut row = original;
        difference(&mut row, 3);
        assert_eq!(row, [10, 20, 30, 5, 5, 5, 246, 231, 220]);
    }
}
