//! sharp's joined input, `sharp([a, b, ...], { join })`: libvips' arrayjoin of several
//! images into a grid, or (`animated`) into the frames of an animation. A join travels as
//! one input, pixelpool's join container (`JOIN_MAGIC`, then the `Join` as JSON), so the
//! cache and remote workers carry it as any other input's bytes.
//!
//! As sharp: every image is made sRGB, with alpha when any has it; each sits in a cell as
//! wide as the widest and as tall as the tallest, aligned in it by `halign`/`valign`, cells
//! `shim` apart, `across` to a row; the rest is `background`. The joined image counts as a
//! PNG (sharp's default output for it) and is read whole (no shrink-on-load).
use serde::{Deserialize, Serialize};

use crate::decode::Header;
use crate::error::{EngineError, ErrorKind, Result};
use crate::extra_input::ExtraInput;
use crate::frames::Frames;
use crate::image::Image;
use crate::pixels;
use crate::rgba::Rgba;
use crate::spec::{DecodeLimits, Format};

pub const JOIN_MAGIC: &[u8; 16] = b"\0pixelpool-join\0";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Join {
    pub inputs: Vec<ExtraInput>,
    /// Images to a row.
    #[serde(default = "one")]
    pub across: u32,
    /// Pixels between cells.
    #[serde(default)]
    pub shim: u32,
    #[serde(default = "opaque_black")]
    pub background: Rgba,
    #[serde(default)]
    pub halign: Align,
    #[serde(default)]
    pub valign: Align,
    /// The images are the frames of an animation, each in its cell.
    #[serde(default)]
    pub animated: bool,
}

fn one() -> u32 {
    1
}

fn opaque_black() -> Rgba {
    Rgba::BLACK
}

/// Where an image sits in its cell, as libvips' VipsAlign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Low,
    Centre,
    High,
}

impl Align {
    fn offset(self, room: u32) -> u32 {
        match self {
            Align::Low => 0,
            Align::Centre => room / 2,
            Align::High => room,
        }
    }
}

/// The most images one join may name: each is read and decoded.
pub const MAX_JOINED: usize = 10_000;

pub fn is_join(bytes: &[u8]) -> bool {
    bytes.starts_with(JOIN_MAGIC)
}

impl Join {
    /// The join container of this join.
    pub fn container(&self) -> Vec<u8> {
        let mut bytes = JOIN_MAGIC.to_vec();
        serde_json::to_writer(&mut bytes, self).expect("a join serialises");
        bytes
    }

    pub fn parse(bytes: &[u8]) -> Result<Join> {
        let join: Join = serde_json::from_slice(&bytes[JOIN_MAGIC.len()..])
            .map_err(|e| EngineError::corrupt(format!("join: {e}")))?;
        let invalid = |message: String| Err(EngineError::new(ErrorKind::InvalidOption, message));
        if join.inputs.len() < 2 || join.inputs.len() > MAX_JOINED {
            return invalid(format!(
                "join: expected 2 to {MAX_JOINED} images, got {}",
                join.inputs.len()
            ));
        }
        if join.across == 0 {
            return invalid("join.across: expected at least 1".into());
        }
        if join.inputs.iter().any(|input| is_join(&input.bytes)) {
            return invalid("Recursive join is unsupported".into());
        }
        Ok(join)
    }

    /// The joined image's header, from its images' headers alone.
    pub fn header(&self) -> Result<Header> {
        let mut has_alpha = false;
        let mut sizes = Vec::with_capacity(self.inputs.len());
        for (index, input) in self.inputs.iter().enumerate() {
            let header = input.upright_header(&format!("join[{index}]"))?;
            has_alpha |= header.has_alpha;
            sizes.push((header.width, header.height));
        }
        let grid = self.grid(&sizes)?;
        let (width, height) = match self.animated {
            true => (grid.cell_width, grid.cell_height),
            false => (grid.width, grid.height),
        };
        Ok(Header {
            format: Format::Png,
            width,
            height,
            has_alpha,
            orientation: 1,
            exif: None,
            icc: None,
            warnings: Vec::new(),
        })
    }

    fn grid(&self, sizes: &[(u32, u32)]) -> Result<Grid> {
        let cell_width = sizes.iter().map(|s| s.0).max().unwrap_or(1);
        let cell_height = sizes.iter().map(|s| s.1).max().unwrap_or(1);
        let across = self.across.min(sizes.len() as u32) as u64;
        let rows = (sizes.len() as u64).div_ceil(across);
        let span = |count: u64, cell: u32| count * cell as u64 + (count - 1) * self.shim as u64;
        let (width, height) = (span(across, cell_width), span(rows, cell_height));
        if width > u32::MAX as u64 || height > u32::MAX as u64 {
            return Err(EngineError::new(
                ErrorKind::InputTooLarge,
                format!("join: the joined image would be {width}x{height} pixels"),
            ));
        }
        Ok(Grid {
            cell_width,
            cell_height,
            across: across as u32,
            width: width as u32,
            height: height as u32,
        })
    }

    /// Every image, decoded as sharp's join reads it: sRGB, with alpha when any has it.
    fn images(&self) -> Result<(Vec<Image>, u8)> {
        let images = self
            .inputs
            .iter()
            .enumerate()
            .map(|(index, input)| input.decode(&format!("join[{index}]")))
            .collect::<Result<Vec<_>>>()?;
        let channels = if images.iter().any(Image::has_alpha) {
            4
        } else {
            3
        };
        let images = images
            .iter()
            .map(|image| pixels::with_channels(image, channels))
            .collect();
        Ok((images, channels))
    }

    fn cell(&self, grid: &Grid, image: &Image, channels: u8) -> Image {
        let mut cell = self.canvas(grid.cell_width, grid.cell_height, channels);
        let left = self.halign.offset(grid.cell_width - image.width);
        let top = self.valign.offset(grid.cell_height - image.height);
        pixels::place(&mut cell, image, left, top);
        cell
    }

    fn canvas(&self, width: u32, height: u32, channels: u8) -> Image {
        Image::filled(
            width,
            height,
            &pixels::samples_of(self.background, channels),
        )
    }

    /// The joined image (of an animated join, its first frame). The decoder has checked
    /// its header against the job's limits already.
    pub fn decode(&self) -> Result<Image> {
        let (images, channels) = self.images()?;
        let sizes: Vec<_> = images.iter().map(|i| (i.width, i.height)).collect();
        let grid = self.grid(&sizes)?;
        if self.animated {
            return Ok(self.cell(&grid, &images[0], channels));
        }
        let mut joined = self.canvas(grid.width, grid.height, channels);
        let step = |cell: u32| cell + self.shim;
        for (index, image) in images.iter().enumerate() {
            let (column, row) = (index as u32 % grid.across, index as u32 / grid.across);
            let cell = self.cell(&grid, image, channels);
            pixels::place(
                &mut joined,
                &cell,
                column * step(grid.cell_width),
                row * step(grid.cell_height),
            );
        }
        Ok(joined)
    }

    /// The frames of an animated join, each image in its cell (a still join: its image),
    /// all of them within `limits`; `header` is the join's own (`Join::header`).
    pub fn frames(&self, header: &Header, limits: &DecodeLimits) -> Result<Frames> {
        if !self.animated {
            return Ok(Frames {
                images: vec![self.decode()?],
                delays: vec![0],
                loop_count: 0,
            });
        }
        let all = header.pixels().saturating_mul(self.inputs.len() as u64);
        if all > limits.max_pixels {
            return Err(EngineError::new(
                ErrorKind::InputTooLarge,
                format!(
                    "join: {} frames of {}x{} are {all} pixels, above limitInputPixels ({})",
                    self.inputs.len(),
                    header.width,
                    header.height,
                    limits.max_pixels
                ),
            ));
        }
        let (images, channels) = self.images()?;
        let sizes: Vec<_> = images.iter().map(|i| (i.width, i.height)).collect();
        let grid = self.grid(&sizes)?;
        // libvips gives a joined animation no loop count: it plays once.
        Ok(Frames {
            images: images
                .iter()
                .map(|image| self.cell(&grid, image, channels))
                .collect(),
            delays: vec![0; images.len()],
            loop_count: 1,
        })
    }
}

struct Grid {
    cell_width: u32,
    cell_height: u32,
    across: u32,
    width: u32,
    height: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::raw_container;

    fn solid(width: u32, height: u32, value: u8) -> ExtraInput {
        let samples = vec![value; (width * height * 3) as usize];
        ExtraInput {
            bytes: raw_container(width, height, 3, &samples),
            max_pixels: 1 << 20,
            fail_on: Default::default(),
            density: crate::spec::DEFAULT_DENSITY,
            page: 0,
            auto_orient: false,
        }
    }

    fn join(inputs: Vec<ExtraInput>, across: u32) -> Join {
        Join {
            inputs,
            across,
            shim: 1,
            background: Rgba::BLACK,
            halign: Align::Centre,
            valign: Align::High,
            animated: false,
        }
    }

    #[test]
    fn images_sit_in_cells_of_the_largest_size_aligned_and_shimmed() {
        let joined = join(vec![solid(1, 1, 9), solid(3, 2, 5)], 2);
        let bytes = joined.container();
        assert!(is_join(&bytes));
        let parsed = Join::parse(&bytes).unwrap();
        let image = parsed.decode().unwrap();
        assert_eq!((image.width, image.height), (7, 2));
        // The 1x1 image centred in its 3x2 cell, at the bottom.
        assert_eq!(image.pixel(1, 1), [9, 9, 9]);
        assert_eq!(image.pixel(1, 0), [0, 0, 0]);
        assert_eq!(image.pixel(3, 0), [0, 0, 0], "the shim");
        assert_eq!(image.pixel(4, 0), [5, 5, 5]);
        assert_eq!(parsed.header().unwrap().width, 7);
    }

    #[test]
    fn an_animated_join_has_one_frame_per_image_and_counts_them_against_the_limit() {
        let mut joined = join(vec![solid(2, 2, 1), solid(2, 2, 2), solid(2, 2, 3)], 1);
        joined.animated = true;
        let header = joined.header().unwrap();
        let frames = joined.frames(&header, &DecodeLimits::default()).unwrap();
        assert_eq!(frames.images.len(), 3);
        assert_eq!(frames.images[2].data, vec![3; 12]);
        let tight = DecodeLimits {
            max_pixels: 11,
            ..DecodeLimits::default()
        };
        let error = joined.frames(&header, &tight).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InputTooLarge);
    }

    #[test]
    fn one_image_a_zero_across_or_a_join_inside_is_refused() {
        let mut alone = join(vec![solid(1, 1, 0)], 1);
        assert!(Join::parse(&alone.container()).is_err());
        alone.inputs.push(solid(1, 1, 0));
        alone.across = 0;
        assert!(Join::parse(&alone.container()).is_err());
        let mut nested = join(vec![solid(1, 1, 0), solid(1, 1, 0)], 1);
        nested.inputs[1].bytes = join(vec![solid(1, 1, 0), solid(1, 1, 0)], 1).container();
        let error = Join::parse(&nested.container()).unwrap_err();
        assert!(error.message.contains("Recursive join"));
    }
}
