//! TIFF output as libvips' `tiffsave` writes it for sharp: the same tags, strips of
//! `tile_height` rows or tiles, compressions, predictors, bit depths and pyramids. The
//! directories are written by the `tiff` crate; each strip or tile is compressed here
//! (compress.rs) from samples laid out as TIFF stores them (chunks.rs).
mod chunks;
mod compress;

use std::io::{Cursor, Seek, Write};

use tiff::encoder::{
    DirectoryEncoder, Rational, TiffEncoder, TiffKind, TiffKindBig, TiffKindStandard,
};
use tiff::tags::Tag;
use tiff::TiffResult;

use super::Metadata;
use crate::error::{EngineError, ErrorKind, Result};
use crate::image::Image;
use crate::spec::{ResolutionUnit, TiffCompression, TiffSettings};
use chunks::Layout;

const PHOTOMETRIC_MINISWHITE: u16 = 0;
const PHOTOMETRIC_MINISBLACK: u16 = 1;
const PHOTOMETRIC_RGB: u16 = 2;
const PHOTOMETRIC_YCBCR: u16 = 6;
/// ExtraSamples: unassociated alpha, as libvips marks alpha it has not premultiplied.
const UNASSOCIATED_ALPHA: u16 = 2;
const REDUCED_IMAGE: u32 = 1;
const SAMPLE_FORMAT_UINT: u16 = 1;
const SAMPLE_FORMAT_FLOAT: u16 = 3;
/// libtiff's tag for an XMP packet (XMLPacket).
const XMP_TAG: u16 = 700;

/// `image` is grey, grey + alpha, RGB or RGBA (flattened already for JPEG compression).
pub fn encode(image: &Image, settings: &TiffSettings, metadata: &Metadata) -> Result<Vec<u8>> {
    let layout = Layout::of(image, settings)?;
    let layers = pyramid(image, &layout, settings.pyramid);
    let mut bytes = Cursor::new(Vec::new());
    let written = if settings.bigtiff {
        write::<TiffKindBig>(
            TiffEncoder::new_big(&mut bytes),
            &layers,
            &layout,
            settings,
            metadata,
        )
    } else {
        write::<TiffKindStandard>(
            TiffEncoder::new(&mut bytes),
            &layers,
            &layout,
            settings,
            metadata,
        )
    };
    written.map_err(|error| EngineError::internal(format!("TIFF writing failed ({error})")))??;
    Ok(bytes.into_inner())
}

/// The image, then for a pyramid its halvings (2x2 means) until one fits a tile, as
/// libvips stops.
fn pyramid(image: &Image, layout: &Layout, wanted: bool) -> Vec<Image> {
    let mut layers = vec![image.clone()];
    let Some((tile_width, tile_height)) = layout.tile.filter(|_| wanted) else {
        return layers;
    };
    loop {
        let last = layers.last().expect("the image itself");
        let fits = last.width <= tile_width && last.height <= tile_height;
        if fits || last.width <= 1 || last.height <= 1 {
            return layers;
        }
        let halved = chunks::halve(last);
        layers.push(halved);
    }
}

fn write<K: TiffKind>(
    encoder: TiffResult<TiffEncoder<&mut Cursor<Vec<u8>>, K>>,
    layers: &[Image],
    layout: &Layout,
    settings: &TiffSettings,
    metadata: &Metadata,
) -> TiffResult<Result<()>> {
    let mut encoder = encoder?;
    for (index, layer) in layers.iter().enumerate() {
        let mut compressed = Vec::new();
        for chunk in layout.chunks(layer) {
            match compress::chunk(&chunk, layout, settings) {
                Ok(bytes) => compressed.push(bytes),
                Err(error) => return Ok(Err(error)),
            }
        }
        let mut directory = encoder.image_directory()?;
        let mut offsets = Vec::with_capacity(compressed.len());
        let mut counts = Vec::with_capacity(compressed.len());
        for bytes in &compressed {
            offsets.push(K::convert_offset(directory.write_data(&bytes[..])?)?);
            counts.push(K::convert_offset(bytes.len() as u64)?);
        }
        pad_to_word(&mut directory)?;
        if index > 0 {
            directory.write_tag(Tag::NewSubfileType, REDUCED_IMAGE)?;
        }
        write_size(&mut directory, Tag::ImageWidth, layer.width)?;
        write_size(&mut directory, Tag::ImageLength, layer.height)?;
        let samples = layer.channels as u16;
        let bits = vec![layout.bits as u16; samples as usize];
        directory.write_tag(Tag::BitsPerSample, &bits[..])?;
        directory.write_tag(Tag::Compression, layout.compression.tag())?;
        directory.write_tag(
            Tag::PhotometricInterpretation,
            photometric(layer, layout, settings),
        )?;
        directory.write_tag(Tag::Orientation, metadata.orientation.unwrap_or(1) as u16)?;
        directory.write_tag(Tag::SamplesPerPixel, samples)?;
        match layout.tile {
            Some((width, height)) => {
                write_size(&mut directory, Tag::TileWidth, width)?;
                write_size(&mut directory, Tag::TileLength, height)?;
                directory.write_tag(Tag::TileOffsets, K::convert_slice(&offsets))?;
                directory.write_tag(Tag::TileByteCounts, K::convert_slice(&counts))?;
            }
            None => {
                directory.write_tag(Tag::StripOffsets, K::convert_slice(&offsets))?;
                write_size(&mut directory, Tag::RowsPerStrip, layout.rows_per_strip)?;
                directory.write_tag(Tag::StripByteCounts, K::convert_slice(&counts))?;
            }
        }
        let (unit, per_mm) = match settings.resolution_unit {
            ResolutionUnit::Inch => (2u16, 25.4),
            ResolutionUnit::Cm => (3u16, 10.0),
        };
        directory.write_tag(Tag::XResolution, rational(settings.xres * per_mm))?;
        directory.write_tag(Tag::YResolution, rational(settings.yres * per_mm))?;
        directory.write_tag(Tag::PlanarConfiguration, 1u16)?;
        directory.write_tag(Tag::ResolutionUnit, unit)?;
        if let Some(predictor) = layout.predictor_tag() {
            directory.write_tag(Tag::Predictor, predictor)?;
        }
        if layer.has_alpha() && layout.bits >= 8 {
            directory.write_tag(Tag::ExtraSamples, UNASSOCIATED_ALPHA)?;
        }
        let format = if layout.float {
            SAMPLE_FORMAT_FLOAT
        } else {
            SAMPLE_FORMAT_UINT
        };
        directory.write_tag(Tag::SampleFormat, &vec![format; samples as usize][..])?;
        if photometric(layer, layout, settings) == PHOTOMETRIC_YCBCR {
            let black_white = [(0, 1), (255, 1), (128, 1), (255, 1), (128, 1), (255, 1)]
                .map(|(n, d)| Rational { n, d });
            directory.write_tag(Tag::Unknown(532), &black_white[..])?;
        }
        if let Some(xmp) = &metadata.xmp {
            directory.write_tag(Tag::Unknown(XMP_TAG), &xmp[..])?;
        }
        if let Some(icc) = &metadata.icc {
            directory.write_tag(Tag::IccProfile, &icc[..])?;
        }
        pad_to_word(&mut directory)?;
        directory.finish()?;
    }
    Ok(Ok(()))
}

/// A size as libtiff writes it: SHORT when it fits, else LONG.
fn write_size<W: Write + Seek, K: TiffKind>(
    directory: &mut DirectoryEncoder<'_, W, K>,
    tag: Tag,
    size: u32,
) -> TiffResult<()> {
    match u16::try_from(size) {
        Ok(short) => directory.write_tag(tag, short),
        Err(_) => directory.write_tag(tag, size),
    }
}

/// Values and directories start on a word boundary, as TIFF asks and libtiff writes.
fn pad_to_word<W: Write + Seek, K: TiffKind>(
    directory: &mut DirectoryEncoder<'_, W, K>,
) -> TiffResult<()> {
    let at = directory.write_data(&[] as &[u8])?;
    if at % 2 == 1 {
        directory.write_data(&[0u8][..])?;
    }
    Ok(())
}

/// libvips' choice: grey as stated by `miniswhite`; JPEG below quality 90 as YCbCr (so
/// that libjpeg may halve the chroma); any other colour as RGB.
fn photometric(image: &Image, layout: &Layout, settings: &TiffSettings) -> u16 {
    if image.channels <= 2 {
        match settings.miniswhite {
            true => PHOTOMETRIC_MINISWHITE,
            false => PHOTOMETRIC_MINISBLACK,
        }
    } else if layout.compression == TiffCompression::Jpeg && layout.ycbcr {
        PHOTOMETRIC_YCBCR
    } else {
        PHOTOMETRIC_RGB
    }
}

/// A resolution as libtiff stores the single-precision value it is given: exactly, as a
/// binary fraction, where that fits 32 bits (25.4 becomes 13316915/524288); else the
/// nearest fraction with a 32-bit numerator and denominator.
fn rational(value: f64) -> Rational {
    let value = value.clamp(0.01, 1_000_000.0) as f32 as f64;
    let mut denominator: u64 = 1;
    while (value * denominator as f64).fract() != 0.0 && denominator < 1 << 31 {
        denominator <<= 1;
    }
    let numerator = (value * denominator as f64).round();
    if numerator <= u32::MAX as f64 {
        return Rational {
            n: numerator as u32,
            d: denominator as u32,
        };
    }
    let scale = u32::MAX as f64 / value.max(1.0);
    let d = scale.floor().max(1.0);
    Rational {
        n: (value * d).round() as u32,
        d: d as u32,
    }
}

/// An option combination libvips refuses, named as the option the caller set.
fn refused(message: impl Into<String>) -> EngineError {
    EngineError::new(ErrorKind::InvalidOption, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolutions_are_stored_as_libtiff_stores_them() {
        let r = rational(25.4);
        assert_eq!((r.n, r.d), (13316915, 524288));
        let r = rational(300.0);
        assert_eq!((r.n, r.d), (300, 1));
        let r = rational(33.0);
        assert_eq!((r.n, r.d), (33, 1));
    }
}
