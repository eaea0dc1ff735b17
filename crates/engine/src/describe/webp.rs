//! WebP: an animation's frame count, loop count (ANIM) and frame durations (ANMF), and
//! the XMP chunk. A still image reports none of them, as libvips' loader.
use super::Description;
use crate::decode::{webp_chunk, webp_chunks};
use crate::xmp;

pub fn describe(bytes: &[u8], d: &mut Description) {
    d.xmp = webp_chunk(bytes, xmp::WEBP_CHUNK).map(<[u8]>::to_vec);
    let durations: Vec<u32> = webp_chunks(bytes)
        .filter(|(id, _)| id == b"ANMF")
        // ANMF: x, y, width - 1, height - 1 (3 bytes each), then the duration (3 bytes).
        .filter_map(|(_, payload)| payload.get(12..15))
        .map(|d| u32::from_le_bytes([d[0], d[1], d[2], 0]))
        .collect();
    if durations.is_empty() {
        return;
    }
    d.frames = durations.len() as u32;
    d.pages = Some(d.frames);
    d.delays = Some(durations);
    d.loop_count = webp_chunk(bytes, b"ANIM")
        .and_then(|anim| anim.get(4..6))
        .map(|count| u16::from_le_bytes([count[0], count[1]]) as u32);
}
