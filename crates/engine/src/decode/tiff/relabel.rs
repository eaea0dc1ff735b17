//! A copy of a TIFF with some single-valued tags of one image rewritten, so that the tiff
//! crate decompresses (with every compression and predictor it knows) samples it would
//! refuse by their meaning alone: palette indices read as grey, CIELAB as RGB, YCbCr data
//! units as rows of grey bytes. The caller then gives the samples their real meaning.

pub const PHOTOMETRIC: u16 = 262;
pub const WIDTH: u16 = 256;
pub const HEIGHT: u16 = 257;
pub const BITS_PER_SAMPLE: u16 = 258;
pub const SAMPLES_PER_PIXEL: u16 = 277;
pub const ROWS_PER_STRIP: u16 = 278;
pub const TILE_WIDTH: u16 = 322;
pub const TILE_LENGTH: u16 = 323;

const SHORT: u16 = 3;
const LONG: u16 = 4;

/// The file with each `(tag, value)` of image `page` set to that single value (tags the
/// image lacks are left out); `None` when the file is a BigTIFF or its IFDs do not parse.
pub fn with_tags(bytes: &[u8], page: usize, changes: &[(u16, u32)]) -> Option<Vec<u8>> {
    let ifd = Ifd::of(bytes, page)?;
    let mut copy = bytes.to_vec();
    for &at in &ifd.entries {
        let Some(&(_, value)) = changes.iter().find(|(tag, _)| Some(*tag) == ifd.u16_at(at)) else {
            continue;
        };
        let (kind, inline) = match u16::try_from(value) {
            Ok(short) => (SHORT, ifd.encode_u16(short)),
            Err(_) => (LONG, ifd.encode_u32(value)),
        };
        copy[at + 2..at + 4].copy_from_slice(&ifd.encode_u16(kind)[..2]);
        copy[at + 4..at + 8].copy_from_slice(&ifd.encode_u32(1));
        copy[at + 8..at + 12].copy_from_slice(&inline);
    }
    Some(copy)
}

/// The value of a single-valued SHORT tag of image `page`, read before the tiff crate
/// opens the file (it refuses some photometric interpretations outright).
pub fn short_tag(bytes: &[u8], page: usize, tag: u16) -> Option<u16> {
    let ifd = Ifd::of(bytes, page)?;
    let at = *ifd
        .entries
        .iter()
        .find(|&&at| ifd.u16_at(at) == Some(tag))?;
    (ifd.u16_at(at + 2)? == SHORT && ifd.u32_at(at + 4)? == 1).then_some(())?;
    ifd.u16_at(at + 8)
}

/// The entries of one image file directory of a classic TIFF.
struct Ifd<'a> {
    bytes: &'a [u8],
    big_endian: bool,
    /// Where each 12-byte entry starts.
    entries: Vec<usize>,
}

impl<'a> Ifd<'a> {
    fn of(bytes: &'a [u8], page: usize) -> Option<Ifd<'a>> {
        let big_endian = match bytes.get(..2)? {
            b"II" => false,
            b"MM" => true,
            _ => return None,
        };
        let mut ifd = Ifd {
            bytes,
            big_endian,
            entries: Vec::new(),
        };
        if ifd.u16_at(2)? != 42 {
            return None;
        }
        let mut at = ifd.u32_at(4)? as usize;
        for _ in 0..page {
            let count = ifd.u16_at(at)? as usize;
            at = ifd.u32_at(at + 2 + count * 12)? as usize;
        }
        let count = ifd.u16_at(at)? as usize;
        ifd.entries = (0..count).map(|i| at + 2 + i * 12).collect();
        Some(ifd)
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = self.bytes.get(at..at + 2)?.try_into().ok()?;
        Some(if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    /// A SHORT as an entry's 4-byte value field holds it (left-justified).
    fn encode_u16(&self, value: u16) -> [u8; 4] {
        let b = if self.big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        };
        [b[0], b[1], 0, 0]
    }

    fn encode_u32(&self, value: u32) -> [u8; 4] {
        if self.big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        }
    }
}
