//! ISOBMFF boxes as HEIF's `meta` box holds them: the generic reading (sizes, full boxes,
//! bounds-checked fields) and the item tables (`iinf`, `iloc`, `iref`, `ipma`).
use std::collections::HashMap;

use crate::error::{EngineError, Result};

/// An `iref` entry: (type, from item, to items).
pub(super) type Reference = ([u8; 4], u32, Vec<u32>);

pub(super) struct Location {
    pub in_idat: bool,
    pub extents: Vec<(u64, u64)>,
}

/// `iinf`: each item's type (version 2 and 3 `infe` entries).
pub(super) fn item_types(body: &[u8]) -> Result<HashMap<u32, [u8; 4]>> {
    let (version, mut r) = full_box(body)?;
    if version == 0 {
        r.u16()?;
    } else {
        r.u32()?;
    }
    let mut types = HashMap::new();
    for (kind, entry) in boxes(r.0) {
        if &kind != b"infe" {
            continue;
        }
        let (version, mut r) = full_box(entry)?;
        if version < 2 {
            continue;
        }
        let id = if version == 2 {
            r.u16()? as u32
        } else {
            r.u32()?
        };
        r.u16()?; // protection index
        types.insert(id, r.fourcc()?);
    }
    Ok(types)
}

/// `iloc`: where each item's bytes are, in the file or in `idat`.
pub(super) fn item_locations(body: &[u8]) -> Result<HashMap<u32, Location>> {
    let (version, mut r) = full_box(body)?;
    let sizes = r.u8()?;
    let (offset_size, length_size) = (sizes >> 4, sizes & 15);
    let sizes = r.u8()?;
    let (base_size, index_size) = (sizes >> 4, if version >= 1 { sizes & 15 } else { 0 });
    let count = if version < 2 {
        r.u16()? as u32
    } else {
        r.u32()?
    };
    let mut locations = HashMap::new();
    for _ in 0..count {
        let id = if version < 2 {
            r.u16()? as u32
        } else {
            r.u32()?
        };
        let method = if version >= 1 { r.u16()? & 15 } else { 0 };
        r.u16()?; // data reference index
        let base = r.sized(base_size)?;
        let extents = r.u16()?;
        let mut location = Location {
            in_idat: method == 1,
            extents: Vec::new(),
        };
        for _ in 0..extents {
            r.sized(index_size)?;
            let offset = base
                .checked_add(r.sized(offset_size)?)
                .ok_or_else(|| corrupt("an item offset overflows"))?;
            location.extents.push((offset, r.sized(length_size)?));
        }
        if method > 1 {
            return Err(EngineError::unsupported(
                "AVIF items built from other items are not supported",
            ));
        }
        if !location.extents.is_empty() {
            locations.insert(id, location);
        }
    }
    Ok(locations)
}

/// `iref`: (type, from, to...) for every reference box.
pub(super) fn item_references(body: &[u8]) -> Result<Vec<Reference>> {
    let (version, r) = full_box(body)?;
    let mut references = Vec::new();
    for (kind, reference) in boxes(r.0) {
        let mut r = Reader(reference);
        let from = r.id(version)?;
        let count = r.u16()?;
        let to = (0..count).map(|_| r.id(version)).collect::<Result<_>>()?;
        references.push((kind, from, to));
    }
    Ok(references)
}

/// `ipma`: each item's property indices (1-based into `ipco`).
pub(super) fn item_properties(body: &[u8]) -> Result<HashMap<u32, Vec<u16>>> {
    let (version, mut r) = full_box(body)?;
    let flags = u32::from_be_bytes([0, body[1], body[2], body[3]]);
    let count = r.u32()?;
    let mut associations = HashMap::new();
    for _ in 0..count {
        let id = if version < 1 {
            r.u16()? as u32
        } else {
            r.u32()?
        };
        let n = r.u8()?;
        let indices = (0..n)
            .map(|_| {
                Ok(if flags & 1 == 1 {
                    r.u16()? & 0x7FFF
                } else {
                    (r.u8()? & 0x7F) as u16
                })
            })
            .collect::<Result<_>>()?;
        associations.insert(id, indices);
    }
    Ok(associations)
}

pub(super) fn corrupt(problem: &str) -> EngineError {
    EngineError::corrupt(format!("AVIF container is invalid ({problem})"))
}

/// The boxes in `bytes`, in order, as (type, body); stops at the first malformed one.
pub(super) fn boxes(bytes: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        let mut r = Reader(rest);
        let size = r.u32().ok()? as u64;
        let kind = r.fourcc().ok()?;
        let (header, size) = match size {
            1 => (16, r.u64().ok()?),
            0 => (8, rest.len() as u64),
            size => (8, size),
        };
        if size < header || size > rest.len() as u64 {
            return None;
        }
        let body = &rest[header as usize..size as usize];
        rest = &rest[size as usize..];
        Some((kind, body))
    })
}

pub(super) fn find<'a>(
    mut boxes: impl Iterator<Item = ([u8; 4], &'a [u8])>,
    kind: &[u8; 4],
) -> Option<&'a [u8]> {
    boxes.find(|(found, _)| found == kind).map(|(_, body)| body)
}

/// A full box's version and the reader after its version and flags.
pub(super) fn full_box(body: &[u8]) -> Result<(u8, Reader<'_>)> {
    let version = *body.first().ok_or_else(|| corrupt("a box is truncated"))?;
    let rest = body.get(4..).ok_or_else(|| corrupt("a box is truncated"))?;
    Ok((version, Reader(rest)))
}

pub(super) struct Reader<'a>(pub &'a [u8]);

impl Reader<'_> {
    pub(super) fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
        let (head, rest) = self
            .0
            .split_at_checked(N)
            .ok_or_else(|| corrupt("a box is truncated"))?;
        self.0 = rest;
        Ok(head.try_into().expect("N bytes"))
    }
    pub(super) fn u8(&mut self) -> Result<u8> {
        Ok(self.take::<1>()?[0])
    }
    pub(super) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.take()?))
    }
    pub(super) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.take()?))
    }
    pub(super) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.take()?))
    }
    pub(super) fn fourcc(&mut self) -> Result<[u8; 4]> {
        self.take()
    }
    /// An item id: 16 bits in version 0 boxes, 32 after.
    pub(super) fn id(&mut self, version: u8) -> Result<u32> {
        if version == 0 {
            Ok(self.u16()? as u32)
        } else {
            self.u32()
        }
    }
    /// An unsigned field of 0, 4 or 8 bytes, as `iloc` sizes them.
    pub(super) fn sized(&mut self, size: u8) -> Result<u64> {
        match size {
            0 => Ok(0),
            4 => Ok(self.u32()? as u64),
            8 => self.u64(),
            _ => Err(corrupt("iloc uses a field size other than 0, 4 or 8")),
        }
    }
}
