//! GIF output, still or animated: one palette for every frame (the colours themselves when
//! there are few enough, else learnt by NeuQuant over the opaque pixels, with
//! Floyd-Steinberg dithering), and frame deltas: after the first frame,
//! pixels that did not change are left transparent over the one before and each frame is
//! cropped to what changed, as gifsicle and libvips' cgif writer do.
use std::borrow::Cow;
use std::collections::HashMap;

use color_quant::NeuQuant;
use gif::{DisposalMethod, Encoder, Frame, Repeat};

use crate::error::{EngineError, Result};
use crate::image::Image;

pub use crate::spec::GifSettings as Settings;

/// Pixels a palette is learnt from, at most: larger animations are sampled evenly.
const TRAINING_PIXELS: usize = 1 << 21;
/// Pixels each k-means pass assigns: 256 distances each.
const REFINING_PIXELS: usize = 1 << 15;
/// Diffused error beyond this (per channel) is dropped, so edges do not smear noise into
/// flat areas (libimagequant limits its dithering likewise).
const MAX_DIFFUSED_ERROR: f32 = 24.0;
/// GIF has one bit of transparency: alpha below this is transparent.
const OPAQUE_FROM: u8 = 128;

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
    let mut quantizer = exact(&frames, colours)
        .unwrap_or_else(|| Palette::Learnt(learn(&frames, colours, settings.effort)));
    let mut palette = quantizer.rgb();
    let transparent = (palette.len() / 3) as u8;
    if transparency {
        palette.extend_from_slice(&[0, 0, 0]);
    }
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
        let indices = index_pixels(image, &kept, &mut quantizer, transparent, settings.dither);
        let keeps_any = index > 0 && !clears;
        let mut frame = cropped(indices, width, height, keeps_any.then_some(transparent));
        if settings.progressive {
            frame.buffer = Cow::Owned(interlaced(&frame.buffer, frame.width as usize));
            frame.interlaced = true;
        }
        frame.delay = delay;
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

enum Palette {
    /// Every opaque colour of the frames, each its own entry.
    Exact(Vec<u8>, HashMap<[u8; 3], u8>),
    Learnt(Nearest),
}

impl Palette {
    fn rgb(&self) -> Vec<u8> {
        match self {
            Palette::Exact(rgb, _) => rgb.clone(),
            Palette::Learnt(nearest) => nearest.entries.iter().flatten().copied().collect(),
        }
    }

    /// The entry for `rgb` and the colour it stands for.
    fn index_of(&mut self, rgb: [u8; 3]) -> (u8, [u8; 3]) {
        match self {
            Palette::Exact(_, entries) => (entries.get(&rgb).copied().unwrap_or(0), rgb),
            Palette::Learnt(nearest) => nearest.find(rgb),
        }
    }
}

/// A learnt palette and the nearest entry of each colour, found once per cell of a
/// 6-bit-per-channel grid.
struct Nearest {
    entries: Vec<[u8; 3]>,
    cells: Vec<u16>,
}

impl Nearest {
    fn new(entries: Vec<[u8; 3]>) -> Self {
        Self {
            entries,
            cells: vec![u16::MAX; 1 << 18],
        }
    }

    fn find(&mut self, rgb: [u8; 3]) -> (u8, [u8; 3]) {
        let cell =
            (rgb[0] as usize >> 2) << 12 | (rgb[1] as usize >> 2) << 6 | rgb[2] as usize >> 2;
        if self.cells[cell] == u16::MAX {
            self.cells[cell] = nearest(&self.entries, rgb) as u16;
        }
        let index = self.cells[cell] as usize;
        (index as u8, self.entries[index])
    }
}

fn nearest(entries: &[[u8; 3]], rgb: [u8; 3]) -> usize {
    let distance = |e: &[u8; 3]| -> u32 {
        (0..3)
            .map(|c| (e[c] as i32 - rgb[c] as i32).pow(2) as u32)
            .sum()
    };
    (0..entries.len())
        .min_by_key(|&i| distance(&entries[i]))
        .unwrap_or(0)
}

/// The frames' own colours, when there are at most `colours` of them (logos, icons and
/// most GIF animations): no quantisation error at all.
fn exact(frames: &[Cow<'_, Image>], colours: usize) -> Option<Palette> {
    let mut entries: HashMap<[u8; 3], u8> = HashMap::new();
    let mut rgb = Vec::new();
    for pixel in frames.iter().flat_map(|f| f.data.chunks_exact(4)) {
        if pixel[3] < OPAQUE_FROM {
            continue;
        }
        let colour = [pixel[0], pixel[1], pixel[2]];
        if !entries.contains_key(&colour) {
            if entries.len() == colours {
                return None;
            }
            entries.insert(colour, entries.len() as u8);
            rgb.extend_from_slice(&colour);
        }
    }
    if rgb.is_empty() {
        rgb.extend_from_slice(&[0, 0, 0]);
    }
    Some(Palette::Exact(rgb, entries))
}

/// NeuQuant's palette, refined by k-means (Lloyd) passes over a sample of the pixels:
/// NeuQuant alone leaves rare but distinct colours without an entry of their own.
fn learn(frames: &[Cow<'_, Image>], colours: usize, effort: u8) -> Nearest {
    let effort = effort.clamp(1, 10) as usize;
    let opaque = || {
        frames
            .iter()
            .flat_map(|f| f.data.chunks_exact(4))
            .filter(|p| p[3] >= OPAQUE_FROM)
    };
    let total = opaque().count().max(1);
    let sample = |limit: usize| -> Vec<[u8; 3]> {
        opaque()
            .step_by(total.div_ceil(limit).max(1))
            .map(|p| [p[0], p[1], p[2]])
            .collect()
    };
    let mut training: Vec<u8> = sample(TRAINING_PIXELS)
        .iter()
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    if training.is_empty() {
        training = vec![0, 0, 0, 255];
    }
    // NeuQuant's sampling factor: 1 learns from every pixel given it, 19 from one in 19.
    let sample_factor = 1 + (10 - effort as i32) * 2;
    let quantizer = NeuQuant::new(sample_factor, colours, &training);
    let mut entries: Vec<[u8; 3]> = quantizer
        .color_map_rgb()
        .chunks_exact(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    let refining = sample(REFINING_PIXELS);
    for _ in 0..effort / 3 {
        let mut sums = vec![[0u64; 4]; entries.len()];
        for pixel in &refining {
            let sum = &mut sums[nearest(&entries, *pixel)];
            (0..3).for_each(|c| sum[c] += pixel[c] as u64);
            sum[3] += 1;
        }
        for (entry, sum) in entries.iter_mut().zip(&sums) {
            if sum[3] > 0 {
                *entry = std::array::from_fn(|c| ((sum[c] + sum[3] / 2) / sum[3]) as u8);
            }
        }
    }
    Nearest::new(entries)
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
