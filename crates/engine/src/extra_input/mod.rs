//! An image an operation reads besides the job's input (a composite overlay, the operand of
//! `boolean`, a band of `joinChannel`): its encoded bytes carried in the job, and the input
//! options it is decoded with, as sharp's input descriptors give them.
mod bytes;

use serde::{Deserialize, Serialize};

use crate::decode::{self, DecodeScale, Header};
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::orient::Transform;
use crate::shown::as_shown;
use crate::spec::{DecodeLimits, FailOn};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtraInput {
    /// Encoded bytes (raw pixels in pixelpool's raw container); base64 in JSON, so the job
    /// stays one serialisable value for the cache and remote workers.
    #[serde(with = "bytes")]
    pub bytes: Vec<u8>,
    /// Its own `limitInputPixels`.
    pub max_pixels: u64,
    #[serde(default)]
    pub fail_on: FailOn,
    /// Dots per inch of an SVG.
    #[serde(default = "default_density")]
    pub density: f64,
    /// The page or frame read.
    #[serde(default)]
    pub page: u32,
    /// Turned upright by its EXIF orientation.
    #[serde(default)]
    pub auto_orient: bool,
}

fn default_density() -> f64 {
    crate::spec::DEFAULT_DENSITY
}

impl ExtraInput {
    /// The image in sRGB, upright when asked; an error names `role` ("composite[1]").
    pub fn decode(&self, role: &str) -> Result<Image> {
        self.decode_unnamed()
            .map_err(|e| EngineError::new(e.kind, format!("{role}: {}", e.message)))
    }

    /// Its header, sized as shown (turned by its EXIF orientation when `auto_orient`).
    pub fn upright_header(&self, role: &str) -> Result<Header> {
        let mut header = decode::read_header_for(&self.bytes, &self.limits())
            .map_err(|e| EngineError::new(e.kind, format!("{role}: {}", e.message)))?;
        if self.auto_orient && Transform::from_exif(header.orientation).swaps_axes() {
            (header.width, header.height) = (header.height, header.width);
        }
        Ok(header)
    }

    fn limits(&self) -> DecodeLimits {
        DecodeLimits {
            max_pixels: self.max_pixels,
            fail_on: self.fail_on,
            density: self.density,
            animated: false,
            page: self.page,
            pages: 0,
            ignore_icc: false,
        }
    }

    fn decode_unnamed(&self) -> Result<Image> {
        let limits = self.limits();
        let header = decode::read_header_for(&self.bytes, &limits)?;
        let image = decode::decode(&self.bytes, &header, DecodeScale::FULL, &limits)?;
        let orientation = match self.auto_orient {
            true => Transform::from_exif(header.orientation),
            false => Transform::IDENTITY,
        };
        Ok(as_shown(image, &header, orientation, false)?.0)
    }
}
