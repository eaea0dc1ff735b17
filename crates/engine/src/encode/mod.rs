//! Encoders. Each takes pixels already in a layout its format can store.
mod avif;
mod jpeg;
mod palette;
mod png;
mod webp;

use crate::error::Result;
use crate::image::Image;
use crate::pixels;
use crate::spec::{ChromaSubsampling, Encoding, Rgba};

/// Metadata copied into an output when `keepMetadata` is set.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// A complete EXIF block (with its `Exif\0\0` prefix), orientation already reset.
    pub exif: Option<Vec<u8>>,
    pub icc: Option<Vec<u8>>,
}

pub fn encode(
    image: &Image,
    encoding: &Encoding,
    background: Rgba,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    match *encoding {
        Encoding::Raw => Ok(image.data.clone()),
        Encoding::Jpeg {
            quality,
            progressive,
            chroma_subsampling,
        } => {
            let flat = pixels::flatten(image, background);
            let half_chroma = chroma_subsampling == ChromaSubsampling::Half;
            jpeg::encode(&flat, quality, progressive, half_chroma, metadata)
        }
        Encoding::Png {
            compression_level,
            palette,
            quality,
        } => png::encode(
            image,
            compression_level,
            palette.then_some(quality),
            metadata,
        ),
        Encoding::Avif {
            quality,
            effort,
            lossless,
        } => avif::encode(&pixels::with_channels(image, 4), quality, effort, lossless),
        Encoding::Webp {
            quality,
            lossless,
            effort,
            alpha_quality,
        } => {
            let colour = match image.channels {
                1 => pixels::with_channels(image, 3),
                2 => pixels::with_channels(image, 4),
                _ => image.clone(),
            };
            webp::encode(
                &colour,
                webp::Settings {
                    quality,
                    lossless,
                    effort,
                    alpha_quality,
                },
                metadata,
            )
        }
    }
}
