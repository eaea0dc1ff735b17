//! TIFF, from the tags of the first image and the count of images: what libvips'
//! tiff2vips reads (photometric interpretation, samples, resolution, orientation, and the
//! IPTC, XMP and Photoshop blobs).
use std::io::Cursor;

use tiff::decoder::ifd::Value;
use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::{BandFormat, Description, Space};
use crate::decode::tiff::photometric::{
    BLACK_IS_ZERO, CIELAB, CMYK, LOGLUV, PALETTE, RGB, WHITE_IS_ZERO, YCBCR,
};
use crate::decode::tiff::{openable, Kind, Number};

const IPTC: u16 = 33723;
const XMP: u16 = 700;
const PHOTOSHOP: u16 = 34377;

pub fn describe(bytes: &[u8], d: &mut Description) {
    let (bytes, logluv) = openable(bytes, 0);
    let Ok(mut decoder) = Decoder::new(Cursor::new(&*bytes)) else {
        return;
    };
    let kind = Kind::of(&mut decoder, logluv);
    let mut unsigned = |tag| decoder.find_tag_unsigned::<u32>(tag).ok().flatten();
    let unit = unsigned(Tag::ResolutionUnit).unwrap_or(2);
    let orientation = unsigned(Tag::Orientation).filter(|o| (1..=8).contains(o));
    d.bits_per_sample = Some(kind.bits as u8);
    d.orientation = Some(orientation.unwrap_or(1) as u8);
    bands(&kind, d);
    let x = decoder
        .find_tag(Tag::XResolution)
        .ok()
        .flatten()
        .and_then(ratio);
    let y = decoder
        .find_tag(Tag::YResolution)
        .ok()
        .flatten()
        .and_then(ratio);
    if let (Some(x), Some(_)) = (x.filter(|&x| x > 0.0), y.filter(|&y| y > 0.0)) {
        match unit {
            2 => d.set_resolution(x, "in"),
            3 => d.set_resolution(x, "cm"),
            _ => d.pixels_per_mm = x,
        }
    }
    let mut blob = |tag| {
        decoder
            .find_tag(Tag::Unknown(tag))
            .ok()
            .flatten()
            .and_then(bytes_of)
    };
    d.iptc = blob(IPTC);
    d.xmp = blob(XMP);
    d.photoshop = blob(PHOTOSHOP);
    let mut pages = 1;
    while decoder.more_images() && decoder.next_image().is_ok() {
        pages += 1;
    }
    d.frames = pages;
    d.pages = Some(pages);
}

/// The bands libvips decodes the page to: how many, in which space, of which format.
fn bands(kind: &Kind, d: &mut Description) {
    let stored = match (kind.number, kind.bits) {
        (Number::Float, 64) => BandFormat::Double,
        (Number::Float, _) => BandFormat::Float,
        (Number::Signed, 0..=8) => BandFormat::Char,
        (Number::Signed, 9..=16) => BandFormat::Short,
        (Number::Signed, _) => BandFormat::Int,
        (Number::Unsigned, 0..=8) => BandFormat::Uchar,
        (Number::Unsigned, 9..=16) => BandFormat::Ushort,
        (Number::Unsigned, _) => BandFormat::Uint,
    };
    let wide = matches!(stored, BandFormat::Ushort | BandFormat::Short);
    let with_alpha = 3 + d.header.has_alpha as u8;
    (d.channels, d.space, d.format) = match kind.photometric {
        WHITE_IS_ZERO | BLACK_IS_ZERO if wide => (kind.samples as u8, Space::Grey16, stored),
        WHITE_IS_ZERO | BLACK_IS_ZERO => (kind.samples as u8, Space::BlackWhite, stored),
        RGB if stored == BandFormat::Float => (kind.samples as u8, Space::Scrgb, stored),
        RGB => (kind.samples as u8, Space::Srgb, stored),
        CMYK => (kind.samples as u8, Space::Cmyk, stored),
        CIELAB if kind.number == Number::Float => (kind.samples as u8, Space::Lab, stored),
        // libvips marks 16-bit CIELAB signed.
        CIELAB if wide => (kind.samples as u8, Space::Labs, BandFormat::Short),
        CIELAB => (kind.samples as u8, Space::Labs, stored),
        LOGLUV => (3, Space::Xyz, BandFormat::Float),
        PALETTE => (with_alpha, Space::Srgb, stored),
        YCBCR => (with_alpha, Space::Srgb, BandFormat::Uchar),
        _ => (with_alpha, Space::Srgb, BandFormat::Uchar),
    };
}

fn ratio(value: Value) -> Option<f64> {
    match value {
        Value::Rational(n, d) if d != 0 => Some(n as f64 / d as f64),
        other => other.into_f64().ok(),
    }
}

/// A tag's data as the bytes libtiff hands back: bytes as they are, longs in host order.
fn bytes_of(value: Value) -> Option<Vec<u8>> {
    let values = match value {
        Value::List(values) => values,
        single => vec![single],
    };
    let mut bytes = Vec::new();
    for value in values {
        match value {
            Value::Byte(b) => bytes.push(b),
            Value::SignedByte(b) => bytes.push(b as u8),
            Value::Unsigned(l) => bytes.extend_from_slice(&l.to_ne_bytes()),
            Value::Ascii(text) => bytes.extend_from_slice(text.as_bytes()),
            _ => return None,
        }
    }
    (!bytes.is_empty()).then_some(bytes)
}
