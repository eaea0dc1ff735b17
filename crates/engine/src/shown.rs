//! A decoded image as it is shown: converted to sRGB by its ICC profile and turned upright.
use crate::colour::{self, Conversion};
use crate::decode::Header;
use crate::error::Result;
use crate::image::Image;
use crate::orient::Transform;

/// A decoded image in sRGB (unless the source colour is kept) and upright.
pub fn as_shown(
    mut decoded: Image,
    header: &Header,
    orientation: Transform,
    keep_source_colour: bool,
) -> Result<(Image, Conversion)> {
    let conversion = match &header.icc {
        Some(icc) if !keep_source_colour => colour::to_srgb(&mut decoded, icc)?,
        _ => Conversion::Unchanged,
    };
    if orientation.is_identity() {
        return Ok((decoded, conversion));
    }
    Ok((orientation.apply(&decoded), conversion))
}
