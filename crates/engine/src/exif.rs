//! Just enough TIFF/EXIF to read and reset the orientation tag. The rest of the
//! EXIF block is carried through untouched when `keepMetadata` is set.

const ORIENTATION_TAG: u16 = 0x0112;
/// What precedes the TIFF structure of an EXIF block in JPEG's APP1 (and in sharp's
/// `metadata().exif`).
pub const EXIF_PREFIX: &[u8] = b"Exif\0\0";

/// The TIFF structure inside an EXIF block, with any `Exif\0\0` prefix removed.
pub fn tiff_body(exif: &[u8]) -> &[u8] {
    exif.strip_prefix(EXIF_PREFIX).unwrap_or(exif)
}

/// EXIF orientation 1-8, or 1 when the block is absent, malformed or out of range.
pub fn orientation(exif: &[u8]) -> u8 {
    let tiff = tiff_body(exif);
    match orientation_offset(tiff) {
        Some((offset, big_endian)) => {
            let value = read_u16(tiff, offset, big_endian).unwrap_or(1);
            if (1..=8).contains(&value) {
                value as u8
            } else {
                1
            }
        }
        None => 1,
    }
}

/// A copy of the block whose orientation says "already upright", for outputs whose pixels
/// have been rotated.
pub fn with_orientation_reset(exif: &[u8]) -> Vec<u8> {
    let mut copy = exif.to_vec();
    let prefix_len = exif.len() - tiff_body(exif).len();
    if let Some((offset, big_endian)) = orientation_offset(&copy[prefix_len..]) {
        let at = prefix_len + offset;
        let one = if big_endian { [0, 1] } else { [1, 0] };
        copy[at..at + 2].copy_from_slice(&one);
    }
    copy
}

/// Byte offset (within the TIFF body) of IFD0's orientation value, and the byte order.
fn orientation_offset(tiff: &[u8]) -> Option<(usize, bool)> {
    let big_endian = match tiff.get(0..4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return None,
    };
    let ifd = read_u32(tiff, 4, big_endian)? as usize;
    let entries = read_u16(tiff, ifd, big_endian)? as usize;
    (0..entries)
        .map(|i| ifd + 2 + i * 12)
        .find(|&entry| read_u16(tiff, entry, big_endian) == Some(ORIENTATION_TAG))
        .map(|entry| (entry + 8, big_endian))
        .filter(|&(value, _)| value + 2 <= tiff.len())
}

fn read_u16(bytes: &[u8], at: usize, big_endian: bool) -> Option<u16> {
    let raw: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(if big_endian {
        u16::from_be_bytes(raw)
    } else {
        u16::from_le_bytes(raw)
    })
}

fn read_u32(bytes: &[u8], at: usize, big_endian: bool) -> Option<u32> {
    let raw: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(if big_endian {
        u32::from_be_bytes(raw)
    } else {
        u32::from_le_bytes(raw)
    })
}

/// A minimal EXIF block holding only an orientation tag; used by tests and fixtures.
pub fn minimal_with_orientation(orientation: u16) -> Vec<u8> {
    let mut exif = EXIF_PREFIX.to_vec();
    exif.extend_from_slice(b"II*\0");
    exif.extend_from_slice(&8u32.to_le_bytes());
    exif.extend_from_slice(&1u16.to_le_bytes());
    exif.extend_from_slice(&ORIENTATION_TAG.to_le_bytes());
    exif.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    exif.extend_from_slice(&1u32.to_le_bytes());
    exif.extend_from_slice(&orientation.to_le_bytes());
    exif.extend_from_slice(&[0, 0]);
    exif.extend_from_slice(&0u32.to_le_bytes());
    exif
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_orientation() {
        for value in 1..=8 {
            assert_eq!(orientation(&minimal_with_orientation(value)), value as u8);
        }
    }

    #[test]
    fn garbage_and_out_of_range_mean_upright() {
        assert_eq!(orientation(b""), 1);
        assert_eq!(orientation(b"Exif\0\0II*\0\xff\xff\xff\xff"), 1);
        assert_eq!(orientation(&minimal_with_orientation(9)), 1);
    }

    #[test]
    fn reset_keeps_everything_but_the_value() {
        let exif = minimal_with_orientation(6);
        let reset = with_orientation_reset(&exif);
        assert_eq!(orientation(&reset), 1);
        assert_eq!(reset.len(), exif.len());
    }
}
