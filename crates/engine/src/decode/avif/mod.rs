//! AVIF input: the HEIF container read here (heif.rs: grids, rotation, mirroring, clean
//! aperture, colour and EXIF), the AV1 frames decoded by libaom, YUV turned into RGB by
//! the yuv crate. Colour and alpha are two AV1 images (or two grids of them); high bit
//! depths are rounded to 8 bits before the conversion.
//!
//! `irot` and `imir` become the header's orientation (the pipeline turns the image
//! upright as for an EXIF orientation); the EXIF orientation counts only when the file
//! has neither, as browsers read it. `clap` crops as the image is decoded.
//!
//! Every AV1 image's size is read from its sequence header and checked before libaom
//! allocates anything; libaom is also built with a frame size cap (.cargo/config.toml) in
//! case the coded frames claim more than their headers.
mod av1;
mod boxes;
mod heif;

use avif_parse::AV1Metadata;

use av1::Frame;

use heif::{CleanAperture, Colour, Picture};

use super::Header;
use crate::error::{EngineError, Result};
use crate::exif;
use crate::image::Image;
use crate::orient::Transform;
use crate::spec::Format;

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let container = heif::read(bytes)?;
    let (mut width, mut height) = picture_size(&container.colour)?;
    if let Some(alpha) = &container.alpha {
        if picture_size(alpha)? != (width, height) {
            return Err(EngineError::corrupt("AVIF alpha and colour differ in size"));
        }
    }
    if let Some(crop) = container
        .clean_aperture
        .filter(|c| c.left + c.width <= width && c.top + c.height <= height)
    {
        (width, height) = (crop.width, crop.height);
    }
    let exif = container
        .exif
        .as_deref()
        .map(|tiff| [exif::EXIF_PREFIX, tiff].concat());
    let orientation = match (container.rotation, container.mirror) {
        (0, None) => exif.as_deref().map_or(1, exif::orientation),
        (rotation, mirror) => orientation_of(rotation, mirror),
    };
    Ok(Header {
        format: Format::Avif,
        width,
        height,
        has_alpha: container.alpha.is_some(),
        orientation,
        exif,
        icc: container.colour_info.as_ref().and_then(icc_of),
        warnings: Vec::new(),
    })
}

/// The EXIF orientation that turns the image as `irot` (anticlockwise quarter turns),
/// then `imir` (0: top and bottom exchanged, 1: left and right) do.
fn orientation_of(rotation: u8, mirror: Option<u8>) -> u8 {
    let mut transform = Transform::rotation((360 - 90 * rotation as u16) % 360);
    match mirror {
        Some(0) => transform = transform.then(Transform::flip()),
        Some(_) => transform = transform.then(Transform::flop()),
        None => {}
    }
    (1..=8)
        .find(|&o| Transform::from_exif(o) == transform)
        .unwrap_or(1)
}

/// An ICC profile for the colour the file states, when that is not sRGB already.
fn icc_of(colour: &Colour) -> Option<Vec<u8>> {
    match *colour {
        Colour::Icc(ref profile) => Some(profile.clone()),
        // BT.709 or unspecified primaries with an sRGB-like curve are sRGB as decoded.
        Colour::Nclx {
            primaries: 1 | 2,
            transfer: 1 | 2 | 6 | 13 | 14 | 15,
        } => None,
        Colour::Nclx {
            primaries,
            transfer,
        } => {
            let cicp = moxcms::CicpProfile {
                color_primaries: moxcms::CicpColorPrimaries::try_from(primaries as u8).ok()?,
                transfer_characteristics: moxcms::TransferCharacteristics::try_from(transfer as u8)
                    .ok()?,
                matrix_coefficients: moxcms::MatrixCoefficients::Identity,
                full_range: true,
            };
            moxcms::ColorProfile::new_from_cicp(cicp).encode().ok()
        }
    }
}

/// The caller has checked `header` against the limits.
pub fn decode(bytes: &[u8], header: &Header) -> Result<Image> {
    let container = heif::read(bytes)?;
    let mut image = decode_picture(&container.colour, false)?;
    if let Some(alpha) = &container.alpha {
        let alpha = decode_picture(alpha, true)?;
        if (alpha.width, alpha.height) != (image.width, image.height) {
            return Err(EngineError::corrupt(format!(
                "AVIF alpha is {}x{} but the image is {}x{}",
                alpha.width, alpha.height, image.width, image.height
            )));
        }
        image = with_alpha(image, &alpha.data);
    }
    if let Some(crop) = container.clean_aperture {
        if (crop.width, crop.height) == (header.width, header.height) {
            image = cropped(&image, crop);
        }
    }
    Ok(image)
}

/// The size of an image item, from the AV1 sequence headers (and a grid's descriptor),
/// read before anything is decoded.
fn picture_size(picture: &Picture<'_>) -> Result<(u32, u32)> {
    match picture {
        Picture::Coded(av1) => av1_size(av1),
        Picture::Grid {
            rows,
            columns,
            width,
            height,
            tiles,
        } => {
            let tile = av1_size(&tiles[0])?;
            for other in &tiles[1..] {
                if av1_size(other)? != tile {
                    return Err(EngineError::corrupt("AVIF grid tiles differ in size"));
                }
            }
            // The tiles cover the output, and no whole row or column of them lies outside it.
            let covers = |tile: u32, count: u32, side: u32| {
                (tile as u64 * count as u64) >= side as u64
                    && (tile as u64 * (count as u64 - 1)) < side as u64
            };
            if !covers(tile.0, *columns, *width) || !covers(tile.1, *rows, *height) {
                return Err(EngineError::corrupt(
                    "AVIF grid tiles do not cover the image",
                ));
            }
            Ok((*width, *height))
        }
    }
}

fn av1_size(av1: &[u8]) -> Result<(u32, u32)> {
    let metadata = AV1Metadata::parse_av1_bitstream(av1).map_err(corrupt)?;
    Ok((
        metadata.max_frame_width.get(),
        metadata.max_frame_height.get(),
    ))
}

/// Colour as RGB or grey; `alpha` gives the Y plane alone, at full range.
fn decode_picture(picture: &Picture<'_>, alpha: bool) -> Result<Image> {
    let decode_one = |av1: &[u8]| -> Result<Image> {
        let frame = Frame::decode(av1)?;
        if alpha {
            let luma = &frame.luma;
            return Ok(Image::new(
                luma.width,
                luma.height,
                1,
                frame.luma_full_range(),
            ));
        }
        frame.to_image()
    };
    match picture {
        Picture::Coded(av1) => decode_one(av1),
        Picture::Grid {
            columns,
            width,
            height,
            tiles,
            ..
        } => {
            let mut canvas: Option<Image> = None;
            for (index, tile) in tiles.iter().enumerate() {
                let tile = decode_one(tile)?;
                let canvas = canvas.get_or_insert_with(|| {
                    Image::filled(*width, *height, &vec![0; tile.channels as usize])
                });
                if tile.channels != canvas.channels {
                    return Err(EngineError::corrupt(
                        "AVIF grid tiles differ in colour layout",
                    ));
                }
                let (column, row) = (index as u32 % columns, index as u32 / columns);
                crate::pixels::place(canvas, &tile, column * tile.width, row * tile.height);
            }
            canvas.ok_or_else(|| EngineError::corrupt("AVIF grid has no tiles"))
        }
    }
}

fn cropped(image: &Image, crop: CleanAperture) -> Image {
    let channels = image.channels as usize;
    let data = (crop.top..crop.top + crop.height)
        .flat_map(|y| {
            let start = y as usize * image.stride() + crop.left as usize * channels;
            image.data[start..start + crop.width as usize * channels]
                .iter()
                .copied()
        })
        .collect();
    Image::new(crop.width, crop.height, image.channels, data)
}

fn with_alpha(image: Image, alpha: &[u8]) -> Image {
    let channels = image.channels as usize;
    let data = image
        .data
        .chunks_exact(channels)
        .zip(alpha)
        .flat_map(|(pixel, &a)| pixel.iter().copied().chain([a]))
        .collect();
    Image::new(image.width, image.height, image.channels + 1, data)
}

fn corrupt(error: avif_parse::Error) -> EngineError {
    EngineError::corrupt(format!("AVIF data is invalid ({error})"))
}
