//! GIF palettes: the frames' own colours when few enough, else learnt by NeuQuant and
//! refined by k-means; and libvips' measure of how far one palette is from another, which
//! decides when a frame gets a palette of its own (`interPaletteMaxError`).
use std::borrow::Cow;
use std::collections::HashMap;

use color_quant::NeuQuant;

use crate::image::Image;

/// Pixels a palette is learnt from, at most: larger animations are sampled evenly.
const TRAINING_PIXELS: usize = 1 << 21;
/// Pixels each k-means pass assigns: 256 distances each.
const REFINING_PIXELS: usize = 1 << 15;
/// GIF has one bit of transparency: alpha below this is transparent.
pub(super) const OPAQUE_FROM: u8 = 128;

pub(super) enum Palette {
    /// Every opaque colour of the frames, each its own entry.
    Exact(Vec<u8>, HashMap<[u8; 3], u8>),
    Learnt(Nearest),
}

impl Palette {
    fn entries(&self) -> Vec<[u8; 3]> {
        match self {
            Palette::Exact(rgb, _) => rgb.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect(),
            Palette::Learnt(nearest) => nearest.entries.clone(),
        }
    }

    pub(super) fn rgb(&self) -> Vec<u8> {
        match self {
            Palette::Exact(rgb, _) => rgb.clone(),
            Palette::Learnt(nearest) => nearest.entries.iter().flatten().copied().collect(),
        }
    }

    /// The entry for `rgb` and the colour it stands for.
    pub(super) fn index_of(&mut self, rgb: [u8; 3]) -> (u8, [u8; 3]) {
        match self {
            Palette::Exact(_, entries) => (entries.get(&rgb).copied().unwrap_or(0), rgb),
            Palette::Learnt(nearest) => nearest.find(rgb),
        }
    }
}

/// A learnt palette and the nearest entry of each colour, found once per cell of a
/// 6-bit-per-channel grid.
pub(super) struct Nearest {
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
pub(super) fn exact(frames: &[Cow<'_, Image>], colours: usize) -> Option<Palette> {
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
pub(super) fn learn(frames: &[Cow<'_, Image>], colours: usize, effort: u8) -> Nearest {
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

/// The palette each frame is drawn with, as libvips' cgif writer picks them: the global one
/// (learnt from every frame here; libvips learns it from the first), else the local one the
/// frame before used, else one learnt from the frame alone, whichever comes first within
/// `max_error` of the frame's own palette.
pub(super) struct Palettes {
    global: Palette,
    /// The frame before's palette, when it was not the global one.
    previous_local: Option<Palette>,
    colours: usize,
    effort: u8,
    max_error: f64,
}

impl Palettes {
    pub(super) fn new(
        frames: &[Cow<'_, Image>],
        colours: usize,
        effort: u8,
        max_error: f64,
    ) -> Self {
        let global = exact(frames, colours)
            .unwrap_or_else(|| Palette::Learnt(learn(frames, colours, effort)));
        Self {
            global,
            previous_local: None,
            colours,
            effort,
            max_error,
        }
    }

    pub(super) fn global(&self) -> &Palette {
        &self.global
    }

    /// The palette for frame `index`, and whether it is local to that frame.
    pub(super) fn for_frame(&mut self, index: usize, frame: &Image) -> (&mut Palette, bool) {
        // No palette is further than 255 from another: above that the global one serves
        // every frame, and learning each frame's own would be wasted.
        if index == 0 || self.max_error > MAX_DISTANCE {
            return (&mut self.global, false);
        }
        let frame = &[Cow::Borrowed(frame)];
        let own = exact(frame, self.colours)
            .unwrap_or_else(|| Palette::Learnt(learn(frame, self.colours, self.effort)));
        let global_distance = distance(&own, &self.global);
        let previous_distance = match &self.previous_local {
            Some(previous) => distance(&own, previous),
            None => global_distance,
        };
        if global_distance <= previous_distance && global_distance < self.max_error {
            self.previous_local = None;
            return (&mut self.global, false);
        }
        if previous_distance >= self.max_error || self.previous_local.is_none() {
            self.previous_local = Some(own);
        }
        (self.previous_local.as_mut().expect("a local palette"), true)
    }
}

/// The largest `distance`: every entry a full 255 from its nearest on every channel.
const MAX_DISTANCE: f64 = 255.0;

/// libvips' distance from palette `new` to palette `old` (cgifsave's compare_palettes):
/// each entry of `new` to its nearest in `old`, the root of the mean squared difference
/// per channel.
fn distance(new: &Palette, old: &Palette) -> f64 {
    let (new, old) = (new.entries(), old.entries());
    let total: u64 = new
        .iter()
        .map(|&entry| {
            let nearest = old[nearest(&old, entry)];
            (0..3)
                .map(|c| (entry[c] as i64 - nearest[c] as i64).pow(2) as u64)
                .sum::<u64>()
        })
        .sum();
    (total as f64 / (3 * new.len().max(1)) as f64).sqrt()
}
