//! Per-pixel operations: channel layout changes, flattening and embedding.

use std::borrow::Cow;

use crate::geometry::Canvas;
use crate::image::Image;
use crate::operations::AlphaChange;
use crate::spec::{Duotone, Rgba};

/// Rec. 709 luma weights scaled to sum to 256.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((54 * r as u32 + 183 * g as u32 + 19 * b as u32 + 128) >> 8) as u8
}

/// Re-lays the image out with `channels` channels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA).
/// Missing alpha becomes opaque; dropped alpha is discarded (flatten first to keep it visible).
pub fn with_channels(image: &Image, channels: u8) -> Image {
    if image.channels == channels {
        return image.clone();
    }
    let mut data =
        Vec::with_capacity(image.width as usize * image.height as usize * channels as usize);
    for pixel in image.data.chunks_exact(image.channels as usize) {
        let (r, g, b, a) = match *pixel {
            [v] => (v, v, v, 255),
            [v, a] => (v, v, v, a),
            [r, g, b] => (r, g, b, 255),
            [r, g, b, a] => (r, g, b, a),
            _ => unreachable!("images have 1 to 4 channels"),
        };
        match channels {
            1 => data.push(luma(r, g, b)),
            2 => data.extend_from_slice(&[luma(r, g, b), a]),
            3 => data.extend_from_slice(&[r, g, b]),
            _ => data.extend_from_slice(&[r, g, b, a]),
        }
    }
    Image::new(image.width, image.height, channels, data)
}

/// sharp's `removeAlpha` (drops alpha) and `ensureAlpha` (adds it, at `value`, where missing).
pub fn change_alpha(image: Image, change: AlphaChange) -> Image {
    match change {
        AlphaChange::Remove if image.has_alpha() => with_channels(&image, image.channels - 1),
        AlphaChange::Ensure(value) if !image.has_alpha() => {
            let mut with_alpha = with_channels(&image, image.channels + 1);
            let channels = with_alpha.channels as usize;
            for pixel in with_alpha.data.chunks_exact_mut(channels) {
                pixel[channels - 1] = value;
            }
            with_alpha
        }
        _ => image,
    }
}

/// Composites the image over an opaque background and drops its alpha channel; an image
/// without alpha is borrowed as it is (a JPEG encode of 10 MP would copy 30 MB for nothing).
pub fn flatten(image: &Image, background: Rgba) -> Cow<'_, Image> {
    if !image.has_alpha() {
        return Cow::Borrowed(image);
    }
    let grey = image.channels == 2 && background.r == background.g && background.g == background.b;
    let rgba = with_channels(image, 4);
    // libvips' flatten computes this in double and stores it truncated: the floor.
    let blend = |value: u8, under: u8, alpha: u32| {
        ((value as u32 * alpha + under as u32 * (255 - alpha)) / 255) as u8
    };
    let data: Vec<u8> = rgba
        .data
        .chunks_exact(4)
        .flat_map(|p| {
            let alpha = p[3] as u32;
            [
                blend(p[0], background.r, alpha),
                blend(p[1], background.g, alpha),
                blend(p[2], background.b, alpha),
            ]
        })
        .collect();
    let flat = Image::new(image.width, image.height, 3, data);
    Cow::Owned(if grey { with_channels(&flat, 1) } else { flat })
}

/// A colour as the samples of a pixel of `channels` bands (grey by luminance).
pub fn samples_of(colour: Rgba, channels: u8) -> Vec<u8> {
    let Rgba { r, g, b, a } = colour;
    with_channels(&Image::new(1, 1, 4, vec![r, g, b, a]), channels).data
}

/// Copies `tile` onto `canvas` (of the same channels) at (`left`, `top`), cut at the
/// canvas' edges.
pub(crate) fn place(canvas: &mut Image, tile: &Image, left: u32, top: u32) {
    let channels = canvas.channels as usize;
    let visible = tile.width.min(canvas.width.saturating_sub(left)) as usize * channels;
    for y in 0..tile.height.min(canvas.height.saturating_sub(top)) {
        let from = y as usize * tile.stride();
        let to = (top + y) as usize * canvas.stride() + left as usize * channels;
        canvas.data[to..to + visible].copy_from_slice(&tile.data[from..from + visible]);
    }
}

/// Places the image on a canvas filled with the background colour.
pub fn embed(image: &Image, canvas: Canvas, background: Rgba) -> Image {
    let needs_alpha = image.has_alpha() || background.a < 255;
    let needs_colour =
        image.channels >= 3 || background.r != background.g || background.g != background.b;
    let channels = match (needs_colour, needs_alpha) {
        (true, true) => 4,
        (true, false) => 3,
        (false, true) => 2,
        (false, false) => 1,
    };
    let image = with_channels(image, channels);
    let mut out = Image::filled(
        canvas.width,
        canvas.height,
        &samples_of(background, channels),
    );
    let row_bytes = image.stride();
    for y in 0..image.height {
        let start = ((canvas.top + y) as usize * canvas.width as usize + canvas.left as usize)
            * channels as usize;
        out.data[start..start + row_bytes]
            .copy_from_slice(&image.data[y as usize * row_bytes..][..row_bytes]);
    }
    out
}

/// gatsby-plugin-sharp's duotone: Rec. 709 luminance picks a colour on the line from
/// `shadow` to `highlight`; with `opacity` (percent) that colour is laid over the image,
/// else it replaces it. Alpha is kept.
pub fn duotone(image: &Image, duotone: &Duotone) -> Image {
    let Duotone {
        highlight: light,
        shadow: dark,
        opacity,
    } = *duotone;
    let mix =
        |from: u8, to: u8, t: u32| ((from as u32 * (255 - t) + to as u32 * t + 127) / 255) as u8;
    let gradient: Vec<[u8; 3]> = (0..=255u32)
        .map(|t| {
            [
                mix(dark.r, light.r, t),
                mix(dark.g, light.g, t),
                mix(dark.b, light.b, t),
            ]
        })
        .collect();
    let cover = opacity.map_or(255, |percent| (percent.min(100) as u32 * 255 + 50) / 100);
    let colour = with_channels(image, if image.has_alpha() { 4 } else { 3 });
    let channels = colour.channels as usize;
    let mut data = colour.data;
    for pixel in data.chunks_exact_mut(channels) {
        let (r, g, b) = (pixel[0] as f32, pixel[1] as f32, pixel[2] as f32);
        let luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b).round() as usize;
        let tone = gradient[luminance.min(255)];
        for (value, toned) in pixel[..3].iter_mut().zip(tone) {
            *value = mix(*value, toned, cover);
        }
    }
    Image::new(image.width, image.height, channels as u8, data)
}

/// Premultiplied RGBA samples (a rasteriser's) made straight, rounded; clear pixels stay
/// as they are (black).
pub(crate) fn unpremultiplied_rgba(mut data: Vec<u8>) -> Vec<u8> {
    for pixel in data.chunks_exact_mut(4) {
        let alpha = pixel[3] as u32;
        if alpha != 0 && alpha != 255 {
            for sample in &mut pixel[..3] {
                *sample = ((*sample as u32 * 255 + alpha / 2) / alpha).min(255) as u8;
            }
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_expands_and_colour_reduces() {
        let grey = Image::new(1, 1, 1, vec![100]);
        assert_eq!(with_channels(&grey, 4).data, vec![100, 100, 100, 255]);
        let red = Image::new(1, 1, 3, vec![255, 0, 0]);
        assert_eq!(with_channels(&red, 1).data, vec![54]);
    }

    #[test]
    fn flatten_blends_over_background() {
        let half_white = Image::new(1, 1, 4, vec![255, 255, 255, 128]);
        let flat = flatten(
            &half_white,
            Rgba {
                r: 0,
                g: 0,
                b: 255,
                a: 255,
            },
        );
        assert_eq!(flat.channels, 3);
        assert_eq!(flat.data, vec![128, 128, 255]);
    }

    #[test]
    fn embed_fills_borders() {
        let dot = Image::new(1, 1, 3, vec![9, 9, 9]);
        let canvas = Canvas {
            width: 3,
            height: 1,
            left: 1,
            top: 0,
        };
        let out = embed(
            &dot,
            canvas,
            Rgba {
                r: 1,
                g: 2,
                b: 3,
                a: 255,
            },
        );
        assert_eq!(out.data, vec![1, 2, 3, 9, 9, 9, 1, 2, 3]);
    }
}
