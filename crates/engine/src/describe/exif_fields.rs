//! The EXIF fields libvips copies into an image's metadata: the orientation, and the
//! resolution when IFD0 states all of XResolution, YResolution and ResolutionUnit.
use exif_reader::{In, Reader, Tag, Value};

use crate::exif::tiff_body;

pub struct ExifFields {
    pub orientation: Option<u8>,
    /// Pixels per unit and libvips' name of the unit ("none", "in" or "cm").
    pub resolution: Option<(f64, &'static str)>,
}

pub fn read(exif: &[u8]) -> ExifFields {
    let mut fields = ExifFields {
        orientation: None,
        resolution: None,
    };
    let Ok(parsed) = Reader::new().read_raw(tiff_body(exif).to_vec()) else {
        return fields;
    };
    let uint = |tag| parsed.get_field(tag, In::PRIMARY)?.value.get_uint(0);
    let rational = |tag| match &parsed.get_field(tag, In::PRIMARY)?.value {
        Value::Rational(values) => values.first().map(|r| r.to_f64()),
        _ => None,
    };
    fields.orientation = uint(Tag::Orientation)
        .filter(|o| (1..=8).contains(o))
        .map(|o| o as u8);
    let unit = match uint(Tag::ResolutionUnit) {
        Some(1) => Some("none"),
        Some(2) => Some("in"),
        Some(3) => Some("cm"),
        _ => None,
    };
    if let (Some(x), Some(_), Some(unit)) =
        (rational(Tag::XResolution), rational(Tag::YResolution), unit)
    {
        fields.resolution = Some((x, unit));
    }
    fields
}
