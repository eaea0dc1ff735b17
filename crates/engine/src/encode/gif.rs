//! GIF output, still or animated: a global palette, and local ones for frames it does not
//! fit (gif_palette.rs), with Floyd-Steinberg dithering; and frame deltas: after the first frame,
//! pixels that did not change are left transparent over the one before and each frame is
//! cropped to what changed, as gifsicle and libvips' cgif writer do.
use std::borrow::Cow;

use gif::{DisposalMethod, Encoder, Frame, Repeat};

use super::gif_palette::{Palette, Palettes, OPAQUE_FROM};
use crate::error::{EngineError, Result};
use crate::image::Image;

pub use crate::spec::GifSettings as Settings;

/// Diffused error beyond this (per channel) is dropped, so edges do not smear noise into
/// flat areas (libimagequant limits its dithering likewise).
const MAX_DIFFUSED_ERROR: f32 = 24.0;

/// `delays` in milliseconds (GIF stores hundredths); `loop_count` 0 is forever, `None` a
/// still image.
pub fn encode(
    frames: &[Image],
    delays: &[u32],
    loop_count: Option<u32>,
    settings: Settings,
) -> Result<Vec<u8>> {
    let frames: Vec<Cow<'_, Image>> = frames.iter().map(super::rgba).collect();
    let (width, height) = (frames[0].width, frames[0].height);
    let transparency = frames.len() > 1
        || frames
            .iter()
            .any(|f| f.data.chunks_exact(4).any(|p| p[3] < OPAQUE_FROM));
    let colours = (settings.colours as usize - transparency as usize).max(1);
    let mut palettes = Palettes::new(
        &frames,
        colours,
        settings.effort,
        settings.inter_palette_max_error,
    );
    let with_transparent = |palette: &Palette| {
        let mut rgb = palette.rgb();
        let transparent = (rgb.len() / 3) as u8;
        if transparency {
            rgb.extend_from_slice(&[0, 0, 0]);
        }
        (rgb, transparent)
    };
    let (palette, _) = with_transparent(palettes.global());
    let size = |side: u32| {
        u16::try_from(side).map_err(|_| EngineError::internal("GIF is at most 65535 pixels a side"))
    };
    let mut bytes = Vec::new();
    let mut encoder =
        Encoder::new(&mut bytes, size(width)?, size(height)?, &palette).map_err(failed)?;
    if let Some(count) = loop_count {
        // GIF counts repeats after the first play (none written: one play).
        let repeat = match count {
            0 => Repeat::Infinite,
            plays => Repeat::Finite((plays - 1).min(u16::MAX as u32) as u16),
        };
        encoder.set_repeat(repeat).map_err(failed)?;
    }
    let mut written: Vec<Frame<'static>> = Vec::with_capacity(frames.len());
    // What the viewer shows after each frame, for `inter_frame_max_error`'s comparisons.
    let mut shown: Option<Image> = None;
    for (index, image) in frames.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| frames[i].as_ref());
        let delay =
            (delays.get(index).copied().unwrap_or(0).div_ceil(10)).min(u16::MAX as u32) as u16;
        // A frame the same as the one before lengthens that one, as cgif (libvips) writes it.
        if let (Some(previous), Some(last)) = (previous, written.last_mut()) {
            if !settings.keep_duplicate_frames && previous.data == image.data {
                last.delay = last.delay.saturating_add(delay);
                continue;
            }
        }
        // A pixel turning transparent cannot be drawn over the frame before: that one is
        // cleared after showing, and this one drawn whole.
        let clears = previous.is_some_and(|p| turns_transparent(p, image));
        if clears {
            written.last_mut().expect("a frame before").dispose = DisposalMethod::Background;
        }
        let kept = match shown.as_mut().filter(|_| !clears) {
            Some(shown) => still_shown(shown, image, settings.inter_frame_max_error),
            None => {
                shown = Some(image.as_ref().clone());
                vec![false; image.data.len() / 4]
            }
        };
        let (quantizer, local) = palettes.for_frame(index, image);
        let (rgb, transparent) = with_transparent(quantizer);
        let indices = index_pixels(image, &kept, quantizer, transparent, settings.dither);
        let keeps_any = index > 0 && !clears;
        let mut frame = cropped(indices, width, height, keeps_any.then_some(transparent));
        if settings.progressive {
            frame.buffer = Cow::Owned(interlaced(&frame.buffer, frame.width as usize));
            frame.interlaced = true;
        }
        frame.delay = delay;
        frame.palette = local.then_some(rgb);
        frame.transparent = transparency.then_some(transparent);
        frame.dispose = DisposalMethod::Keep;
        written.push(frame);
    }
    for frame in &written {
        encoder.write_frame(frame).map_err(failed)?;
    }
    drop(encoder);
    Ok(bytes)
}

fn turns_transparent(previous: &Image, image: &Image) -> bool {
    previous
        .data
        .chunks_exact(4)
        .zip(image.data.chunks_exact(4))
        .any(|(before, now)| before[3] >= OPAQUE_FROM && now[3] < OPAQUE_FROM)
}

/// Which pixels of `image` can leave `shown` (the canvas after the frames before) showing:
/// those within `max_error` (RGB distance) of it, both opaque, or equal. `shown` takes
/// the others.
fn still_shown(shown: &mut Image, image: &Image, max_error: f64) -> Vec<bool> {
    let limit = (max_error * max_error) as f32;
    shown
        .data
        .chunks_exact_mut(4)
        .zip(image.data.chunks_exact(4))
        .map(|(before, now)| {
            let distance = || -> f32 {
                (0..3)
                    .map(|c| (before[c] as f32 - now[c] as f32).powi(2))
                    .sum()
            };
            let opaque = before[3] >= OPAQUE_FROM && now[3] >= OPAQUE_FROM;
            let keeps = before == now || (opaque && max_error > 0.0 && distance() <= limit);
            if !keeps {
                before.copy_from_slice(now);
            }
            keeps
        })
        .collect()
}

/// GIF's interlaced row order: every 8th row from 0, every 8th from 4, every 4th from 2,
/// then every other from 1.
fn interlaced(rows: &[u8], width: usize) -> Vec<u8> {
    let height = rows.len() / width;
    [(0, 8), (4, 8), (2, 4), (1, 2)]
        .into_iter()
        .flat_map(|(first, step)| (first..height).step_by(step))
        .flat_map(|y| &rows[y * width..(y + 1) * width])
        .copied()
        .collect()
}

/// Palette indices with Floyd-Steinberg error diffusion at `strength`; pixels `kept`
/// (left showing the frame before) and transparent ones get `transparent`.
fn index_pixels(
    image: &Image,
    kept: &[bool],
    palette: &mut Palette,
    transparent: u8,
    strength: f64,
) -> Vec<u8> {
    let width = image.width as usize;
    let strength = match &*palette {
        Palette::Exact(..) => 0.0,
        Palette::Learnt(_) => strength.clamp(0.0, 1.0) as f32,
    };
    // Errors carried to this row and the next, per channel, with a pixel of margin each side.
    let mut here = vec![[0f32; 3]; width + 2];
    let mut below = vec![[0f32; 3]; width + 2];
    let mut indices = vec![transparent; width * image.height as usize];
    for (y, row) in image.data.chunks_exact(width * 4).enumerate() {
        for (x, pixel) in row.chunks_exact(4).enumerate() {
            let at = y * width + x;
            if pixel[3] < OPAQUE_FROM || kept[at] {
                continue;
            }
            let wanted: [f32; 3] =
                std::array::from_fn(|c| (pixel[c] as f32 + here[x + 1][c]).clamp(0.0, 255.0));
            let (index, chosen) = palette.index_of(wanted.map(|v| v as u8));
            indices[at] = index;
            if strength == 0.0 {
                continue;
            }
            for c in 0..3 {
                let error = ((wanted[c] - chosen[c] as f32) * strength)
                    .clamp(-MAX_DIFFUSED_ERROR, MAX_DIFFUSED_ERROR);
                here[x + 2][c] += error * 7.0 / 16.0;
                below[x][c] += error * 3.0 / 16.0;
                below[x + 1][c] += error * 5.0 / 16.0;
                below[x + 2][c] += error / 16.0;
            }
        }
        std::mem::swap(&mut here, &mut below);
        below.iter_mut().for_each(|e| *e = [0.0; 3]);
    }
    indices
}

/// The frame cut to the rectangle holding every index other than `unchanged` (all of it
/// without one); a frame where nothing changed is one transparent pixel.
fn cropped(indices: Vec<u8>, width: u32, height: u32, unchanged: Option<u8>) -> Frame<'static> {
    let (w, h) = (width as usize, height as usize);
    let whole = |buffer: Vec<u8>, (left, top, fw, fh): (usize, usize, usize, usize)| Frame {
        left: left as u16,
        top: top as u16,
        width: fw as u16,
        height: fh as u16,
        buffer: Cow::Owned(buffer),
        ..Frame::default()
    };
    let Some(skip) = unchanged else {
        return whole(indices, (0, 0, w, h));
    };
    let (mut left, mut top, mut right, mut bottom) = (w, h, 0, 0);
    for (at, &index) in indices.iter().enumerate() {
        if index != skip {
            let (x, y) = (at % w, at / w);
            (left, right, top, bottom) =
                (left.min(x), right.max(x + 1), top.min(y), bottom.max(y + 1));
        }
    }
    if left >= right {
        return whole(vec![skip], (0, 0, 1, 1));
    }
    let buffer = (top..bottom)
        .flat_map(|y| indices[y * w + left..y * w + right].iter().copied())
        .collect();
    whole(buffer, (left, top, right - left, bottom - top))
}

fn failed(error: gif::EncodingError) -> EngineError {
    EngineError::internal(format!("GIF encoding failed ({error})"))
}
