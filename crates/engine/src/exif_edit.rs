//! EXIF blocks written for an output, as libvips writes them: the kept block (or a new one)
//! with the given fields set (sharp's `withExif`, `withExifMerge`), and always the image's
//! resolution and an orientation (libvips' EXIF update on save). Read and written by
//! kamadak-exif.
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::sync::OnceLock;

use exif_reader::experimental::Writer;
use exif_reader::{Context, Field, In, Rational, Reader, Tag, Value};

use crate::error::{EngineError, Result};
use crate::exif::{tiff_body, EXIF_PREFIX};

/// Fields to set: sharp's IFD names (IFD0 the image, IFD1 the thumbnail, IFD2 the Exif
/// sub-IFD, IFD3 GPS), each a map of tag name to text; the resolution in pixels per inch;
/// the orientation, where it is set (else the kept one, else 1).
pub struct ExifEdits<'a> {
    pub fields: &'a BTreeMap<String, BTreeMap<String, String>>,
    pub pixels_per_inch: f64,
    pub orientation: Option<u8>,
}

/// `base` (with its `Exif\0\0` prefix) with `edits` applied, prefixed the same way.
pub fn edit(base: Option<&[u8]>, edits: &ExifEdits) -> Result<Vec<u8>> {
    let (mut fields, little_endian) =
        match base.and_then(|b| Reader::new().read_raw(tiff_body(b).to_vec()).ok()) {
            Some(parsed) => (
                parsed.fields().cloned().collect::<Vec<_>>(),
                parsed.little_endian(),
            ),
            None => (Vec::new(), false),
        };
    for (ifd, tags) in edits.fields {
        let (context, ifd_num) = ifd_of(ifd)?;
        for (name, text) in tags {
            let tag = tag_named(context, name).ok_or_else(|| {
                invalid(format!(
                    "metadata.exif.{ifd}.{name}: not an EXIF tag of {ifd}"
                ))
            })?;
            let value = value_like(
                fields.iter().find(|f| f.tag == tag && f.ifd_num == ifd_num),
                text,
            );
            set(
                &mut fields,
                Field {
                    tag,
                    ifd_num,
                    value,
                },
            );
        }
    }
    let per_inch = Value::Rational(vec![rational(edits.pixels_per_inch)]);
    set(&mut fields, primary(Tag::XResolution, per_inch.clone()));
    set(&mut fields, primary(Tag::YResolution, per_inch));
    set(
        &mut fields,
        primary(Tag::ResolutionUnit, Value::Short(vec![2])),
    );
    let has_orientation = fields
        .iter()
        .any(|f| f.tag == Tag::Orientation && f.ifd_num == In::PRIMARY);
    if edits.orientation.is_some() || !has_orientation {
        let orientation = edits.orientation.unwrap_or(1) as u16;
        set(
            &mut fields,
            primary(Tag::Orientation, Value::Short(vec![orientation])),
        );
    }
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer
        .write(&mut tiff, little_endian)
        .map_err(|e| EngineError::internal(format!("EXIF could not be written ({e})")))?;
    Ok([EXIF_PREFIX, &tiff.into_inner()].concat())
}

fn ifd_of(name: &str) -> Result<(Context, In)> {
    match name {
        "IFD0" => Ok((Context::Tiff, In::PRIMARY)),
        "IFD1" => Ok((Context::Tiff, In::THUMBNAIL)),
        "IFD2" => Ok((Context::Exif, In::PRIMARY)),
        "IFD3" => Ok((Context::Gps, In::PRIMARY)),
        other => Err(invalid(format!(
            "metadata.exif.{other}: not an IFD (IFD0, IFD1, IFD2 or IFD3)"
        ))),
    }
}

/// The tag of this name, from kamadak-exif's table of the tags it knows.
fn tag_named(context: Context, name: &str) -> Option<Tag> {
    static NAMES: OnceLock<HashMap<(u8, String), Tag>> = OnceLock::new();
    let key = |context: Context| match context {
        Context::Tiff => 0,
        Context::Exif => 1,
        Context::Gps => 2,
        _ => 3,
    };
    let names = NAMES.get_or_init(|| {
        [Context::Tiff, Context::Exif, Context::Gps]
            .into_iter()
            .flat_map(|context| (0..=u16::MAX).map(move |number| Tag(context, number)))
            .filter(|tag| tag.description().is_some())
            .map(|tag| ((key(tag.context()), tag.to_string()), tag))
            .collect()
    });
    names.get(&(key(context), name.to_string())).copied()
}

/// The text as a value: of the kept field's type where it parses as one, a rational where
/// it is a fraction ("0.2", "1/250"), else ASCII text.
fn value_like(existing: Option<&Field>, text: &str) -> Value {
    let text = text.trim();
    let whole = text.parse::<u32>().ok();
    match (existing.map(|f| &f.value), whole) {
        (Some(Value::Short(_)), Some(n)) if n <= u16::MAX as u32 => {
            return Value::Short(vec![n as u16])
        }
        (Some(Value::Long(_)), Some(n)) => return Value::Long(vec![n]),
        _ => {}
    }
    match fraction(text) {
        Some(rational) => Value::Rational(vec![rational]),
        None => Value::Ascii(vec![text.as_bytes().to_vec()]),
    }
}

/// "n/d", or a decimal with a point, as a rational.
fn fraction(text: &str) -> Option<Rational> {
    if let Some((n, d)) = text.split_once('/') {
        let (n, d) = (n.trim().parse::<u32>().ok()?, d.trim().parse::<u32>().ok()?);
        return (d != 0).then(|| Rational::from((n, d)));
    }
    let value = text
        .contains('.')
        .then(|| text.parse::<f64>().ok())
        .flatten()?;
    (value >= 0.0 && value < u32::MAX as f64 / 10_000.0).then(|| rational(value))
}

fn set(fields: &mut Vec<Field>, field: Field) {
    fields.retain(|f| !(f.tag == field.tag && f.ifd_num == field.ifd_num));
    fields.push(field);
}

fn primary(tag: Tag, value: Value) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value,
    }
}

/// A number as a rational: a whole number over 1 when it is one, else to 1/10000.
fn rational(value: f64) -> Rational {
    if value.fract() == 0.0 {
        Rational::from((value as u32, 1))
    } else {
        Rational::from(((value * 10_000.0).round() as u32, 10_000))
    }
}

fn invalid(message: String) -> EngineError {
    EngineError::new(crate::error::ErrorKind::InvalidOption, message)
}
