//! TIFF, from the tags of the first image and the count of images: what libvips'
//! tiff2vips reads (photometric interpretation, samples, resolution, orientation, and the
//! IPTC, XMP and Photoshop blobs).
use std::io::Cursor;

use tiff::decoder::ifd::Value;
use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::{Description, Space};

const IPTC: u16 = 33723;
const XMP: u16 = 700;
const PHOTOSHOP: u16 = 34377;

const MIN_IS_WHITE: u16 = 0;
const MIN_IS_BLACK: u16 = 1;
const SEPARATED: u16 = 5;
const CIELAB: u16 = 8;

pub fn describe(bytes: &[u8], d: &mut Description) {
    let Ok(mut decoder) = Decoder::new(Cursor::new(bytes)) else {
        return;
    };
    let mut unsigned = |tag| decoder.find_tag_unsigned::<u32>(tag).ok().flatten();
    let photometric =
        unsigned(Tag::PhotometricInterpretation).unwrap_or(MIN_IS_BLACK as u32) as u16;
    let samples = unsigned(Tag::SamplesPerPixel).unwrap_or(1) as u8;
    let unit = unsigned(Tag::ResolutionUnit).unwrap_or(2);
    let orientation = unsigned(Tag::Orientation).filter(|o| (1..=8).contains(o));
    let bits = decoder
        .find_tag_unsigned_vec::<u16>(Tag::BitsPerSample)
        .ok()
        .flatten()
        .and_then(|bits| bits.first().copied())
        .unwrap_or(1) as u8;
    d.bits_per_sample = Some(bits);
    d.bits = if bits > 8 { 16 } else { 8 };
    d.orientation = Some(orientation.unwrap_or(1) as u8);
    d.channels = match photometric {
        MIN_IS_WHITE | MIN_IS_BLACK | SEPARATED | CIELAB => samples,
        // Palette and RGB (and YCbCr) come out as RGB, plus any alpha.
        _ => 3 + d.header.has_alpha as u8,
    };
    d.space = match photometric {
        SEPARATED => Space::Cmyk,
        CIELAB => Space::Lab,
        _ => Space::Srgb,
    };
    d.signed = photometric == CIELAB && bits > 8;
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
