//! TIFF samples of any depth and number format, narrowed to 8 bits as libvips casts them
//! when sharp writes 8-bit output: wider unsigned integers keep their high byte (libvips'
//! 16-bit spaces), signed bytes and shorts clip at zero first, floats are linear light
//! (scRGB, encoded to sRGB) in RGB colour channels, and values cut to 0-255 elsewhere
//! (CMYK too: libvips reads float ink on the 8-bit scale). Planar files (plane after
//! plane) come out interleaved.
use tiff::decoder::DecodingResult;

use crate::adjust::lab;

/// What a float sample means.
#[derive(Clone, Copy, PartialEq)]
pub enum Floats {
    /// The first three channels are scRGB; later ones (alpha) are 0-1.
    LinearRgb,
    /// Values are cut to 0-255.
    Plain,
}

pub struct Layout {
    pub channels: usize,
    pub planar: bool,
    pub floats: Floats,
}

/// Chunky 8-bit samples, `None` for sample types libvips does not read either.
pub fn narrow(result: DecodingResult, layout: &Layout) -> Option<Vec<u8>> {
    let channels = layout.channels.max(1);
    let bytes: Vec<u8> = match result {
        DecodingResult::U8(v) => v,
        DecodingResult::U16(v) => v.iter().map(|&s| (s >> 8) as u8).collect(),
        DecodingResult::U32(v) => v.iter().map(|&s| (s >> 24) as u8).collect(),
        DecodingResult::I8(v) => v.iter().map(|&s| s.max(0) as u8).collect(),
        DecodingResult::I16(v) => v.iter().map(|&s| (s.max(0) >> 8) as u8).collect(),
        DecodingResult::I32(v) => v.iter().map(|&s| s.clamp(0, 255) as u8).collect(),
        DecodingResult::F16(v) => floats(v.iter().map(|s| s.to_f32()), v.len(), layout),
        DecodingResult::F32(v) => floats(v.iter().copied(), v.len(), layout),
        DecodingResult::F64(v) => floats(v.iter().map(|&s| s as f32), v.len(), layout),
        DecodingResult::U64(_) | DecodingResult::I64(_) => return None,
    };
    Some(if layout.planar {
        interleave(&bytes, channels)
    } else {
        bytes
    })
}

fn floats(values: impl Iterator<Item = f32>, len: usize, layout: &Layout) -> Vec<u8> {
    let channels = layout.channels.max(1);
    let plane = (len / channels).max(1);
    values
        .enumerate()
        .map(|(i, value)| {
            let channel = if layout.planar {
                i / plane
            } else {
                i % channels
            };
            narrow_float(value, channel, layout.floats)
        })
        .collect()
}

fn narrow_float(value: f32, channel: usize, floats: Floats) -> u8 {
    if value.is_nan() {
        return 0;
    }
    match floats {
        Floats::LinearRgb if channel < 3 => lab::encode(value),
        Floats::LinearRgb => (value * 255.0).clamp(0.0, 255.0) as u8,
        Floats::Plain => value.clamp(0.0, 255.0) as u8,
    }
}

/// Planes one after another to pixels of `channels` samples.
fn interleave(planes: &[u8], channels: usize) -> Vec<u8> {
    let plane = planes.len() / channels;
    let mut chunky = vec![0u8; plane * channels];
    for (channel, samples) in planes.chunks_exact(plane).enumerate() {
        for (pixel, &sample) in samples.iter().enumerate() {
            chunky[pixel * channels + channel] = sample;
        }
    }
    chunky
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrows_as_libvips_casts() {
        let plain = Layout {
            channels: 1,
            planar: false,
            floats: Floats::Plain,
        };
        let shorts = DecodingResult::U16(vec![0, 255, 256, 32767, 65535]);
        assert_eq!(narrow(shorts, &plain), Some(vec![0, 0, 1, 127, 255]));
        let signed = DecodingResult::I8(vec![-128, -1, 0, 127]);
        assert_eq!(narrow(signed, &plain), Some(vec![0, 0, 0, 127]));
        let grey = DecodingResult::F32(vec![-0.2, 0.75, 1.5, 300.0]);
        assert_eq!(narrow(grey, &plain), Some(vec![0, 0, 1, 255]));
        let rgba = Layout {
            channels: 4,
            planar: false,
            floats: Floats::LinearRgb,
        };
        let linear = DecodingResult::F32(vec![0.1, 1.5, -0.2, 0.5]);
        assert_eq!(narrow(linear, &rgba), Some(vec![89, 255, 0, 127]));
    }

    #[test]
    fn planes_are_interleaved() {
        let planar = Layout {
            channels: 3,
            planar: true,
            floats: Floats::Plain,
        };
        let planes = DecodingResult::U8(vec![1, 2, 10, 20, 100, 200]);
        assert_eq!(narrow(planes, &planar), Some(vec![1, 10, 100, 2, 20, 200]));
    }
}
