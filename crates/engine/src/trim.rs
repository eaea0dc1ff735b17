//! sharp's `trim`: the box left after cutting away edges that match a background colour,
//! found as libvips' `find_trim` finds it. Alpha is flattened onto the background, each
//! channel is median-filtered over 3x3 (not for line art, where thin lines are content), a
//! pixel is content where some channel differs from the background by more than the
//! threshold, and the alpha channel is searched the same way on its own; the box holds both.

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, ErrorKind, Result};
use crate::image::Image;
use crate::operations::Area;
use crate::pixels;
use crate::rgba::Rgba;

/// What `trim` cuts away: edges within `threshold` of `background` (the top-left pixel
/// when none is given), keeping `margin` pixels of them around the content.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Trim {
    pub threshold: f64,
    #[serde(default)]
    pub background: Option<Rgba>,
    #[serde(default)]
    pub line_art: bool,
    #[serde(default)]
    pub margin: u32,
}

impl Trim {
    /// Edges within `threshold` of the top-left pixel: sharp's `trim({ threshold })`.
    pub fn within(threshold: f64) -> Self {
        Self {
            threshold,
            background: None,
            line_art: false,
            margin: 0,
        }
    }
}

/// The area to keep, or `None` when the image is all background (sharp then keeps it whole).
pub fn content_box(image: &Image, trim: &Trim) -> Result<Option<Area>> {
    if image.width < 3 && image.height < 3 {
        return Err(EngineError::new(
            ErrorKind::InvalidOption,
            "Image to trim must be at least 3x3 pixels",
        ));
    }
    let corner = image.pixel(0, 0);
    let alpha_background = match trim.background {
        Some(colour) => colour.a,
        None => corner[corner.len() - 1],
    };
    let background = match trim.background {
        Some(colour) => colour,
        None => corner_colour(corner, image.has_alpha()),
    };
    let flat = pixels::flatten(image, background);
    // A given colour stays three values against a flattened grey (libvips broadcasts).
    let colour_values = if flat.channels == 1 && (trim.background.is_none() || !image.has_alpha()) {
        vec![background.r]
    } else {
        vec![background.r, background.g, background.b]
    };
    let colour = differing_box(&flat, &colour_values, trim);
    let alpha = image
        .has_alpha()
        .then(|| differing_box(&alpha_channel(image), &[alpha_background], trim))
        .flatten();
    let found = match (colour, alpha) {
        (Some(a), Some(b)) => Some(union(a, b)),
        (found, None) | (None, found) => found,
    };
    Ok(found.map(|area| with_margin(area, trim.margin, image)))
}

/// The top-left pixel as a colour (its grey repeated, its alpha dropped).
fn corner_colour(corner: &[u8], has_alpha: bool) -> Rgba {
    let colour = &corner[..corner.len() - usize::from(has_alpha)];
    let (r, g, b) = match colour {
        [v] => (*v, *v, *v),
        [r, g, b, ..] => (*r, *g, *b),
        _ => (colour[0], colour[0], colour[0]),
    };
    Rgba { r, g, b, a: 255 }
}

fn alpha_channel(image: &Image) -> Image {
    let channels = image.channels as usize;
    let data = image
        .data
        .chunks_exact(channels)
        .map(|p| p[channels - 1])
        .collect();
    Image::new(image.width, image.height, 1, data)
}

/// The bounding box of the pixels where some channel (after the 3x3 median, unless line
/// art) differs from its background value by more than the threshold. A single background
/// value set against several channels is compared with each, and several values against a
/// single channel each with it, as libvips' per-band arithmetic broadcasts.
fn differing_box(image: &Image, background: &[u8], trim: &Trim) -> Option<Area> {
    let (w, h) = (image.width as usize, image.height as usize);
    let channels = image.channels as usize;
    let bands = channels.max(background.len());
    let mut content = vec![false; w * h];
    for band in 0..bands {
        let channel = band.min(channels - 1);
        let reference = f64::from(background[band.min(background.len() - 1)]);
        let values: Vec<u8> = image
            .data
            .iter()
            .skip(channel)
            .step_by(channels)
            .copied()
            .collect();
        let above = |v: u8| f64::from(v) > reference + trim.threshold;
        let below = |v: u8| f64::from(v) < reference - trim.threshold;
        let (over, under) = if trim.line_art {
            (marks(&values, above), marks(&values, below))
        } else {
            (
                majority(&marks(&values, above), w, h),
                majority(&marks(&values, below), w, h),
            )
        };
        for (i, seen) in content.iter_mut().enumerate() {
            *seen |= over[i] || under[i];
        }
    }
    bounding_box(&content, w, h)
}

fn marks(values: &[u8], test: impl Fn(u8) -> bool) -> Vec<bool> {
    values.iter().map(|&v| test(v)).collect()
}

/// Where at least five of the nine pixels around (edges repeated) are marked: the median
/// of a 3x3 window lies above a level exactly when five of its values do.
fn majority(marked: &[bool], w: usize, h: usize) -> Vec<bool> {
    let mut across = vec![0u8; w * h];
    for y in 0..h {
        let row = &marked[y * w..(y + 1) * w];
        for x in 0..w {
            let at = |x: usize| u8::from(row[x]);
            across[y * w + x] = at(x.saturating_sub(1)) + at(x) + at((x + 1).min(w - 1));
        }
    }
    let mut out = vec![false; w * h];
    for y in 0..h {
        let (up, down) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for x in 0..w {
            out[y * w + x] = across[up * w + x] + across[y * w + x] + across[down * w + x] >= 5;
        }
    }
    out
}

fn bounding_box(content: &[bool], w: usize, h: usize) -> Option<Area> {
    let (mut left, mut top, mut right, mut bottom) = (usize::MAX, usize::MAX, 0, 0);
    for (y, row) in content.chunks_exact(w).enumerate().take(h) {
        let Some(first) = row.iter().position(|&c| c) else {
            continue;
        };
        let last = row.iter().rposition(|&c| c).unwrap_or(first);
        (left, right) = (left.min(first), right.max(last));
        top = top.min(y);
        bottom = y;
    }
    (left != usize::MAX).then(|| Area {
        left: left as u32,
        top: top as u32,
        width: (right - left + 1) as u32,
        height: (bottom - top + 1) as u32,
    })
}

fn union(a: Area, b: Area) -> Area {
    let (left, top) = (a.left.min(b.left), a.top.min(b.top));
    let right = (a.left + a.width).max(b.left + b.width);
    let bottom = (a.top + a.height).max(b.top + b.height);
    Area {
        left,
        top,
        width: right - left,
        height: bottom - top,
    }
}

fn with_margin(area: Area, margin: u32, image: &Image) -> Area {
    if margin == 0 {
        return area;
    }
    let (left, top) = (
        area.left.saturating_sub(margin),
        area.top.saturating_sub(margin),
    );
    let grown = |size: u32| size.saturating_add(margin.saturating_mul(2));
    Area {
        left,
        top,
        width: grown(area.width).min(image.width - left),
        height: grown(area.height).min(image.height - top),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trim(threshold: f64) -> Trim {
        Trim::within(threshold)
    }

    fn area(left: u32, top: u32, width: u32, height: u32) -> Area {
        Area {
            left,
            top,
            width,
            height,
        }
    }

    fn paint(image: &mut Image, (left, top, width, height): (u32, u32, u32, u32), colour: &[u8]) {
        for y in top..top + height {
            for x in left..left + width {
                let at = (y * image.width + x) as usize * colour.len();
                image.data[at..at + colour.len()].copy_from_slice(colour);
            }
        }
    }

    #[test]
    fn the_median_removes_thin_lines_that_line_art_keeps() {
        let mut image = Image::filled(20, 20, &[255, 255, 255]);
        paint(&mut image, (3, 5, 14, 1), &[0, 0, 0]);
        paint(&mut image, (8, 8, 6, 6), &[0, 0, 0]);
        assert_eq!(
            content_box(&image, &trim(10.0)).unwrap(),
            Some(area(8, 8, 6, 6))
        );
        let line_art = Trim {
            line_art: true,
            ..trim(10.0)
        };
        assert_eq!(
            content_box(&image, &line_art).unwrap(),
            Some(area(3, 5, 14, 9))
        );
    }

    #[test]
    fn a_margin_stays_inside_the_image() {
        let mut image = Image::filled(10, 10, &[0, 0, 0]);
        paint(&mut image, (4, 4, 3, 3), &[200, 0, 0]);
        let margin = Trim {
            margin: 2,
            ..trim(10.0)
        };
        assert_eq!(
            content_box(&image, &margin).unwrap(),
            Some(area(2, 2, 7, 7))
        );
        let huge = Trim {
            margin: 1_000,
            ..trim(10.0)
        };
        assert_eq!(
            content_box(&image, &huge).unwrap(),
            Some(area(0, 0, 10, 10))
        );
    }

    #[test]
    fn alpha_is_searched_apart_from_colour() {
        // Black everywhere; the shape lives only in the alpha channel.
        let mut image = Image::filled(12, 12, &[0, 0, 0, 0]);
        paint(&mut image, (2, 3, 5, 4), &[0, 0, 0, 255]);
        assert_eq!(
            content_box(&image, &trim(10.0)).unwrap(),
            Some(area(2, 3, 5, 4))
        );
        assert_eq!(
            content_box(&Image::filled(4, 4, &[1, 2, 3]), &trim(10.0)).unwrap(),
            None
        );
        assert!(content_box(&Image::filled(2, 2, &[1, 2, 3]), &trim(10.0)).is_err());
    }
}
