//! From component planes to 8-bit pixels, a row at a time: chroma upsampled by linear
//! interpolation between sample centres (libjpeg's "fancy" upsampling at 2x), YCbCr
//! converted to RGB (T.871), then 12 bits rounded to 8.
use super::idct::Plane;
use super::tables::{Component, Frame};
use crate::image::Image;

const CENTRE: f32 = 2048.0;
const TO_8_BITS: f32 = 255.0 / 4095.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    Grey,
    YCbCr,
    Rgb,
}

/// Three components are RGB when an Adobe segment says "no transform" (0) or, without
/// one, when they are named R, G and B (as libjpeg-turbo writes RGB JPEGs); else YCbCr.
pub fn model(frame: &Frame, adobe_transform: Option<u8>) -> Model {
    let named_rgb = frame.components.iter().map(|c| c.id).eq(*b"RGB");
    match (frame.components.len(), adobe_transform) {
        (1, _) => Model::Grey,
        (_, Some(0)) => Model::Rgb,
        (_, None) if named_rgb => Model::Rgb,
        _ => Model::YCbCr,
    }
}

pub fn image(frame: &Frame, planes: &[Plane], model: Model) -> Image {
    let samplers: Vec<Sampler> = frame
        .components
        .iter()
        .zip(planes)
        .map(|(component, plane)| Sampler::new(frame, component, plane))
        .collect();
    let channels = if model == Model::Grey { 1 } else { 3 };
    let mut data = Vec::with_capacity(frame.width * frame.height * channels);
    let mut rows = vec![vec![0.0f32; frame.width]; samplers.len()];
    let to_8 = |v: f32| (v * TO_8_BITS + 0.5).clamp(0.0, 255.0) as u8;
    for y in 0..frame.height {
        for (sampler, row) in samplers.iter().zip(&mut rows) {
            sampler.row(y, row);
        }
        match model {
            Model::Grey => data.extend(rows[0].iter().map(|&v| to_8(v))),
            Model::Rgb => {
                for ((&r, &g), &b) in rows[0].iter().zip(&rows[1]).zip(&rows[2]) {
                    data.extend([to_8(r), to_8(g), to_8(b)]);
                }
            }
            Model::YCbCr => {
                for ((&y, &cb), &cr) in rows[0].iter().zip(&rows[1]).zip(&rows[2]) {
                    let (cb, cr) = (cb - CENTRE, cr - CENTRE);
                    data.extend([
                        to_8(y + 1.402 * cr),
                        to_8(y - 0.344_136 * cb - 0.714_136 * cr),
                        to_8(y + 1.772 * cb),
                    ]);
                }
            }
        }
    }
    Image::new(
        frame.width as u32,
        frame.height as u32,
        channels as u8,
        data,
    )
}

/// A component's samples at the frame's size.
struct Sampler<'p> {
    plane: &'p Plane,
    columns: Vec<(usize, usize, f32)>,
    rows: Vec<(usize, usize, f32)>,
}

impl<'p> Sampler<'p> {
    fn new(frame: &Frame, component: &Component, plane: &'p Plane) -> Self {
        let (used_w, used_h) = component.samples(frame);
        Sampler {
            plane,
            columns: axis(frame.width, component.h, frame.h_max, used_w),
            rows: axis(frame.height, component.v, frame.v_max, used_h),
        }
    }

    fn row(&self, y: usize, out: &mut [f32]) {
        let (top, bottom, down) = self.rows[y];
        let width = self.plane.width;
        let top = &self.plane.samples[top * width..(top + 1) * width];
        let bottom = &self.plane.samples[bottom * width..(bottom + 1) * width];
        for (value, &(left, right, across)) in out.iter_mut().zip(&self.columns) {
            let upper = lerp(top[left], top[right], across);
            let lower = lerp(bottom[left], bottom[right], across);
            *value = upper + (lower - upper) * down;
        }
    }
}

fn lerp(a: u16, b: u16, weight: f32) -> f32 {
    a as f32 + (b as f32 - a as f32) * weight
}

/// For each of `size` output positions: the two samples around it and the weight of the
/// second, for a component sampled `factor` times per `max` of the frame's.
fn axis(size: usize, factor: usize, max: usize, used: usize) -> Vec<(usize, usize, f32)> {
    let ratio = factor as f32 / max as f32;
    (0..size)
        .map(|i| {
            let position = ((i as f32 + 0.5) * ratio - 0.5).max(0.0);
            let first = (position as usize).min(used - 1);
            (first, (first + 1).min(used - 1), position.fract())
        })
        .collect()
}
