//! The HEIF container of an AVIF file, read here (avif-parse knows neither grids nor the
//! transformative and colour properties): the primary item and its alpha, each either one
//! AV1 image or a grid of them, with the `ispe`, `irot`, `imir`, `clap` and `colr`
//! properties and the EXIF item describing it. Every read is bounds-checked; a malformed
//! file is CORRUPT_INPUT.
use std::borrow::Cow;
use std::collections::HashMap;

use super::boxes::{
    boxes, corrupt, find, full_box, item_locations, item_properties, item_references, item_types,
    Location, Reader, Reference,
};
use crate::error::{EngineError, Result};

const ALPHA_URN: &[u8] = b"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha";
/// A grid may not have more tiles than this (a 16384-pixel side of 64-pixel tiles is 256).
const MAX_TILES: usize = 256 * 256;

/// One image item: AV1 data, or a grid of AV1 tiles composed row by row.
pub enum Picture<'a> {
    Coded(Cow<'a, [u8]>),
    Grid {
        rows: u32,
        columns: u32,
        width: u32,
        height: u32,
        tiles: Vec<Cow<'a, [u8]>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CleanAperture {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

/// Colour described by `colr`: an ICC profile, or CICP code points (nclx).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Colour {
    Icc(Vec<u8>),
    Nclx { primaries: u16, transfer: u16 },
}

pub struct Container<'a> {
    pub colour: Picture<'a>,
    pub alpha: Option<Picture<'a>>,
    /// `irot`: quarter turns anticlockwise.
    pub rotation: u8,
    /// `imir`: 0 exchanges top and bottom, 1 left and right (ISO/IEC 23008-12:2022).
    pub mirror: Option<u8>,
    pub clean_aperture: Option<CleanAperture>,
    pub colour_info: Option<Colour>,
    /// The EXIF item, as a TIFF structure.
    pub exif: Option<Cow<'a, [u8]>>,
}

pub fn read(bytes: &[u8]) -> Result<Container<'_>> {
    let meta = find(boxes(bytes), b"meta").ok_or_else(|| corrupt("no meta box"))?;
    let meta = full_box(meta)?.1;
    let mut primary = None;
    let (mut types, mut locations, mut references) = (HashMap::new(), HashMap::new(), Vec::new());
    let (mut properties, mut associations) = (Vec::new(), HashMap::new());
    let mut idat: &[u8] = &[];
    for (kind, body) in boxes(meta.0) {
        match &kind {
            b"pitm" => {
                let (version, mut r) = full_box(body)?;
                primary = Some(r.id(version)?);
            }
            b"iinf" => types = item_types(body)?,
            b"iloc" => locations = item_locations(body)?,
            b"iref" => references = item_references(body)?,
            b"idat" => idat = body,
            b"iprp" => {
                for (kind, body) in boxes(body) {
                    match &kind {
                        b"ipco" => properties = boxes(body).collect(),
                        b"ipma" => associations = item_properties(body)?,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let items = Items {
        bytes,
        idat,
        types,
        locations,
        references,
        properties,
        associations,
    };
    let primary = primary.ok_or_else(|| corrupt("no primary item"))?;
    let colour = items.picture(primary)?;
    let alpha = items
        .referencing(b"auxl", primary)
        .find(|&id| {
            items
                .property(id, b"auxC")
                .is_some_and(|c| c.get(4..).is_some_and(|urn| urn.starts_with(ALPHA_URN)))
        })
        .map(|id| items.picture(id))
        .transpose()?;
    let (width, height) = items.size(primary)?;
    let exif = items
        .referencing(b"cdsc", primary)
        .find(|id| items.types.get(id) == Some(b"Exif"))
        .map(|id| items.data(id))
        .transpose()?
        .and_then(exif_tiff);
    Ok(Container {
        colour,
        alpha,
        rotation: items
            .property(primary, b"irot")
            .and_then(|p| p.first())
            .map_or(0, |a| a & 3),
        mirror: items
            .property(primary, b"imir")
            .and_then(|p| p.first())
            .map(|m| m & 1),
        clean_aperture: items
            .property(primary, b"clap")
            .and_then(|p| clean_aperture(p, width, height)),
        colour_info: items.property(primary, b"colr").and_then(colour_of),
        exif,
    })
}

struct Items<'a> {
    bytes: &'a [u8],
    idat: &'a [u8],
    types: HashMap<u32, [u8; 4]>,
    locations: HashMap<u32, Location>,
    references: Vec<Reference>,
    properties: Vec<([u8; 4], &'a [u8])>,
    associations: HashMap<u32, Vec<u16>>,
}

impl<'a> Items<'a> {
    fn data(&self, id: u32) -> Result<Cow<'a, [u8]>> {
        let location = self
            .locations
            .get(&id)
            .ok_or_else(|| corrupt("an item has no location"))?;
        let source = if location.in_idat {
            self.idat
        } else {
            self.bytes
        };
        let extent = |&(offset, length): &(u64, u64)| {
            let end = offset
                .checked_add(length)
                .filter(|&end| end <= source.len() as u64);
            end.map(|end| &source[offset as usize..end as usize])
                .ok_or_else(|| corrupt("an item lies outside the file"))
        };
        match &location.extents[..] {
            [one] => Ok(Cow::Borrowed(extent(one)?)),
            many => Ok(Cow::Owned(
                many.iter()
                    .map(extent)
                    .collect::<Result<Vec<_>>>()?
                    .concat(),
            )),
        }
    }

    fn picture(&self, id: u32) -> Result<Picture<'a>> {
        match self.types.get(&id) {
            Some(b"av01") => Ok(Picture::Coded(self.data(id)?)),
            Some(b"grid") => {
                let descriptor = self.data(id)?;
                let mut r = Reader(&descriptor);
                let (_version, flags) = (r.u8()?, r.u8()?);
                let (rows, columns) = (r.u8()? as u32 + 1, r.u8()? as u32 + 1);
                let (width, height) = if flags & 1 == 1 {
                    (r.u32()?, r.u32()?)
                } else {
                    (r.u16()? as u32, r.u16()? as u32)
                };
                let tile_ids = self
                    .references
                    .iter()
                    .find(|(kind, from, _)| kind == b"dimg" && *from == id)
                    .map(|(_, _, to)| to.clone())
                    .unwrap_or_default();
                if tile_ids.len() != (rows * columns) as usize || tile_ids.len() > MAX_TILES {
                    return Err(corrupt("a grid's tiles do not match its rows and columns"));
                }
                let tiles = tile_ids
                    .iter()
                    .map(|&tile| match self.types.get(&tile) {
                        Some(b"av01") => self.data(tile),
                        _ => Err(corrupt("a grid tile is not an AV1 image")),
                    })
                    .collect::<Result<_>>()?;
                Ok(Picture::Grid {
                    rows,
                    columns,
                    width,
                    height,
                    tiles,
                })
            }
            Some(other) => Err(EngineError::unsupported(format!(
                "AVIF primary item of type '{}' is not supported",
                String::from_utf8_lossy(other)
            ))),
            None => Err(corrupt("the primary item is not described")),
        }
    }

    fn size(&self, id: u32) -> Result<(u32, u32)> {
        let ispe = self
            .property(id, b"ispe")
            .ok_or_else(|| corrupt("the primary item has no size (ispe)"))?;
        let mut r = Reader(ispe.get(4..).unwrap_or_default());
        Ok((r.u32()?, r.u32()?))
    }

    /// The body of the property of `kind` associated with item `id`.
    fn property(&self, id: u32, kind: &[u8; 4]) -> Option<&'a [u8]> {
        self.associations.get(&id)?.iter().find_map(|&index| {
            let (found, body) = self.properties.get((index as usize).checked_sub(1)?)?;
            (found == kind).then_some(*body)
        })
    }

    /// Items with a reference of `kind` to `to`.
    fn referencing(&self, kind: &'a [u8; 4], to: u32) -> impl Iterator<Item = u32> + '_ {
        self.references
            .iter()
            .filter(move |(found, _, targets)| found == kind && targets.contains(&to))
            .map(|(_, from, _)| *from)
    }
}

/// `clap` as a crop of the `width` x `height` image, if it is a whole-pixel one inside it.
fn clean_aperture(body: &[u8], width: u32, height: u32) -> Option<CleanAperture> {
    let mut r = Reader(body);
    let mut fraction = |signed: bool| -> Option<f64> {
        let (n, d) = (r.u32().ok()?, r.u32().ok()?);
        let n = if signed { n as i32 as f64 } else { n as f64 };
        (d != 0).then(|| n / d as f64)
    };
    let (w, h) = (fraction(false)?, fraction(false)?);
    let (horizontal, vertical) = (fraction(true)?, fraction(true)?);
    let left = horizontal + (width as f64 - w) / 2.0;
    let top = vertical + (height as f64 - h) / 2.0;
    let whole = |v: f64| (v.fract() == 0.0 && v >= 0.0).then_some(v as u32);
    let crop = CleanAperture {
        left: whole(left)?,
        top: whole(top)?,
        width: whole(w)?,
        height: whole(h)?,
    };
    let inside = crop.width > 0
        && crop.height > 0
        && crop.left + crop.width <= width
        && crop.top + crop.height <= height;
    inside.then_some(crop)
}

fn colour_of(body: &[u8]) -> Option<Colour> {
    let mut r = Reader(body);
    match &r.fourcc().ok()? {
        b"prof" | b"rICC" => Some(Colour::Icc(r.0.to_vec())),
        b"nclx" => Some(Colour::Nclx {
            primaries: r.u16().ok()?,
            transfer: r.u16().ok()?,
        }),
        _ => None,
    }
}

/// An EXIF item: a 4-byte offset to the TIFF header, then the data.
fn exif_tiff(item: Cow<'_, [u8]>) -> Option<Cow<'_, [u8]>> {
    let offset = u32::from_be_bytes(item.get(..4)?.try_into().ok()?) as usize;
    let start = 4usize.checked_add(offset)?;
    item.get(start..)?;
    Some(match item {
        Cow::Borrowed(b) => Cow::Borrowed(&b[start..]),
        Cow::Owned(v) => Cow::Owned(v[start..].to_vec()),
    })
}
