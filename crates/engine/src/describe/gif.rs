//! GIF, walked frame by frame without decoding pixels: what libnsgif reports to libvips
//! (frames, delays, loop count, background, palette size, transparency).
use std::io::Cursor;

use gif::{DecodeOptions, Repeat};

use super::Description;

pub fn describe(bytes: &[u8], d: &mut Description) {
    d.palette = true;
    let mut options = DecodeOptions::new();
    options.skip_frame_decoding(true);
    let Ok(mut decoder) = options.read_info(Cursor::new(bytes)) else {
        return;
    };
    let global = decoder.global_palette().map(<[u8]>::to_vec);
    let background = decoder.bg_color();
    let (mut delays, mut transparent, mut interlaced) = (Vec::new(), false, false);
    let mut first_local = None;
    while let Ok(Some(frame)) = decoder.read_next_frame() {
        delays.push(frame.delay as u32 * 10);
        transparent |= frame.transparent.is_some();
        interlaced |= frame.interlaced;
        if first_local.is_none() {
            first_local = frame.palette.clone();
        }
    }
    let frames = delays.len().max(1) as u32;
    d.frames = frames;
    d.pages = Some(frames);
    d.progressive = interlaced;
    d.header.has_alpha = transparent;
    d.channels = if transparent { 4 } else { 3 };
    // libnsgif counts plays: the NETSCAPE block's repeats plus one (none: play once),
    // and 0 for forever.
    d.loop_count = Some(match decoder.repeat() {
        Repeat::Infinite => 0,
        Repeat::Finite(repeats) => repeats as u32 + 1,
    });
    d.delays = Some(if delays.is_empty() { vec![0] } else { delays });
    let palette = global.as_deref().or(first_local.as_deref());
    if let Some(palette) = palette {
        let entries = (palette.len() / 3).max(2);
        d.bits_per_sample = Some(entries.next_power_of_two().trailing_zeros() as u8);
    }
    if let (Some(global), Some(index)) = (global.as_deref(), background) {
        if let Some(rgb) = global.get(3 * index..3 * index + 3) {
            d.background = Some(rgb.iter().map(|&v| v as f64).collect());
        }
    }
}
