//! What metadata an output carries: the input's, as far as the output keeps it, and what
//! the output writes of its own (sharp's `withExif`/`withExifMerge`, `withXmp`, `keepXmp`,
//! `withDensity`, `withMetadata({ orientation })`, `withIccProfile('srgb')`).
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::colour;
use crate::encode::Metadata;
use crate::error::Result;
use crate::exif;
use crate::exif_edit::{self, ExifEdits};
use crate::spec::{Format, OutputSpec};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct MetadataWrites {
    /// EXIF fields by IFD (IFD0 the image, IFD1 the thumbnail, IFD2 the Exif sub-IFD,
    /// IFD3 GPS) and tag name, as text. Merged into the kept EXIF, or alone.
    pub exif: BTreeMap<String, BTreeMap<String, String>>,
    /// The `exif` fields replace the input's EXIF even when `keepMetadata` keeps it.
    pub replace_exif: bool,
    /// The EXIF orientation written (1-8).
    pub orientation: Option<u8>,
    /// Pixels per inch: EXIF resolution in JPEG and WebP, pHYs in PNG.
    pub density: Option<f64>,
    /// The input's EXIF is kept (it is with `keepMetadata` too).
    pub keep_exif: bool,
    /// An XMP packet, in place of the input's.
    pub xmp: Option<String>,
    /// The input's XMP packet is kept (it is with `keepMetadata` too).
    pub keep_xmp: bool,
    /// An sRGB ICC profile is attached (the pixels are sRGB unless the ICC profile is kept).
    pub srgb_profile: bool,
}

/// libvips' resolution of an image with none: one pixel per millimetre.
const UNKNOWN_PIXELS_PER_INCH: f64 = 25.4;

/// Whether some output keeps the input's XMP or states its resolution (PNG, EXIF), which
/// are then read from the input's header.
pub(crate) fn wants_input_description(specs: &[OutputSpec]) -> bool {
    specs.iter().any(|s| {
        let keeps_xmp = (s.keep_metadata || s.metadata.keep_xmp) && s.metadata.xmp.is_none();
        let states_resolution = s.encoding.format() == Format::Png || writes_exif(s);
        keeps_xmp || (states_resolution && s.metadata.density.is_none())
    })
}

/// libvips writes EXIF when it is kept (made anew if the input has none) or given.
fn writes_exif(spec: &OutputSpec) -> bool {
    let writes = &spec.metadata;
    keeps_exif(spec) || !writes.exif.is_empty() || writes.orientation.is_some()
}

fn keeps_exif(spec: &OutputSpec) -> bool {
    spec.keep_metadata || spec.metadata.keep_exif
}

/// The metadata `spec` writes, from the input's. Kept EXIF says "upright" where the output's
/// pixels were turned by its orientation, and keeps the orientation where they were not.
pub(crate) fn for_output(spec: &OutputSpec, input: &Metadata) -> Result<Metadata> {
    let writes = &spec.metadata;
    let kept_exif = (keeps_exif(spec) && !writes.replace_exif)
        .then_some(input.exif.as_deref())
        .flatten()
        .map(|exif| match spec.operations.ignore_orientation {
            true => exif.to_vec(),
            false => exif::with_orientation_reset(exif),
        });
    let pixels_per_inch = writes
        .density
        .or(input.density)
        .unwrap_or(UNKNOWN_PIXELS_PER_INCH);
    let exif = if writes_exif(spec) {
        let edits = ExifEdits {
            fields: &writes.exif,
            pixels_per_inch,
            orientation: writes.orientation,
        };
        Some(exif_edit::edit(kept_exif.as_deref(), &edits)?)
    } else {
        None
    };
    let icc = if writes.srgb_profile && !spec.operations.keep_icc {
        colour::srgb_profile()
    } else if spec.keep_metadata || spec.operations.keep_icc {
        input.icc.clone()
    } else {
        None
    };
    let xmp = match &writes.xmp {
        Some(xmp) => Some(xmp.as_bytes().to_vec()),
        None if spec.keep_metadata || writes.keep_xmp => input.xmp.clone(),
        None => None,
    };
    // libvips states the orientation the pixels still need: none once turned upright.
    let orientation = match writes.orientation {
        Some(orientation) => orientation,
        None if spec.operations.ignore_orientation => input.orientation.unwrap_or(1),
        None => 1,
    };
    Ok(Metadata {
        exif,
        icc,
        xmp,
        density: Some(pixels_per_inch),
        orientation: Some(orientation),
    })
}
