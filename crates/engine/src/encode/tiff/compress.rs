//! One strip or tile, compressed: LZW, deflate and PackBits by the `tiff` crate's
//! compressors, JPEG by mozjpeg, WebP by libwebp, CCITT group 4 by the `fax` crate.
use tiff::encoder::compression::{CompressionAlgorithm, Deflate, DeflateLevel, Lzw, Packbits};

use super::chunks::Layout;
use crate::encode::jpeg::{self, ColourCoding};
use crate::encode::{webp, Metadata};
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::spec::{TiffCompression, TiffSettings};

pub fn chunk(chunk: &Image, layout: &Layout, settings: &TiffSettings) -> Result<Vec<u8>> {
    let quality = settings.quality;
    match layout.compression {
        TiffCompression::Jpeg => {
            let coding = match layout.ycbcr {
                true => ColourCoding::YCbCr { half_chroma: true },
                false => ColourCoding::Rgb,
            };
            let settings = jpeg::Settings {
                quality,
                progressive: false,
                optimise_coding: true,
                coding,
            };
            jpeg::encode(chunk, settings, &Metadata::default())
        }
        TiffCompression::Webp => {
            webp::encode(chunk, webp::Settings::lossy(quality), &Metadata::default())
        }
        TiffCompression::Ccittfax4 => Ok(group4(chunk, &layout.samples(chunk))),
        TiffCompression::None => Ok(layout.samples(chunk)),
        TiffCompression::Lzw => with(Lzw, &layout.samples(chunk)),
        TiffCompression::Deflate => with(
            Deflate::with_level(DeflateLevel::Balanced),
            &layout.samples(chunk),
        ),
        TiffCompression::Packbits => {
            // TIFF packs each row on its own: libtiff reads PackBits a row at a time.
            let samples = layout.samples(chunk);
            let row_bytes = samples.len() / chunk.height as usize;
            let rows = samples
                .chunks_exact(row_bytes)
                .map(|row| with(Packbits, row));
            Ok(rows.collect::<Result<Vec<_>>>()?.concat())
        }
    }
}

fn with(mut algorithm: impl CompressionAlgorithm, samples: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(samples.len() / 2);
    algorithm
        .write_to(&mut out, samples)
        .map_err(|error| EngineError::internal(format!("TIFF compression failed ({error})")))?;
    Ok(out)
}

/// Group 4 codes of 1-bit rows. A set bit is coded as a "black" run, as libtiff codes it
/// whatever the photometric says.
fn group4(chunk: &Image, packed: &[u8]) -> Vec<u8> {
    use fax::{encoder::Encoder, Color, VecWriter};
    let width = chunk.width;
    let row_bytes = (width as usize).div_ceil(8);
    let mut encoder = Encoder::new(VecWriter::new());
    for row in packed.chunks_exact(row_bytes) {
        let pels = (0..width as usize).map(|x| match row[x / 8] >> (7 - x % 8) & 1 {
            1 => Color::Black,
            _ => Color::White,
        });
        encoder
            .encode_line(pels, width)
            .expect("writing to a Vec cannot fail");
    }
    encoder
        .finish()
        .expect("writing to a Vec cannot fail")
        .finish()
}
