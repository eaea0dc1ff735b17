//! Operations that change the canvas: extract an area, extend the edges, rotate by any angle.

use crate::error::{EngineError, Result};
use crate::geometry::Canvas;
use crate::image::Image;
use crate::operations::{Affine, Angle, Area, Extend, ExtendWith, Interpolator};
use crate::pixels;

pub fn extract(image: &Image, area: Area, option: &str) -> Result<Image> {
    let fits = area.width > 0
        && area.height > 0
        && area.left as u64 + area.width as u64 <= image.width as u64
        && area.top as u64 + area.height as u64 <= image.height as u64;
    if !fits {
        return Err(EngineError::new(
            crate::ErrorKind::InvalidOption,
            format!(
                "{option}: the area {}x{} at ({}, {}) is not inside the {}x{} image",
                area.width, area.height, area.left, area.top, image.width, image.height
            ),
        ));
    }
    let channels = image.channels as usize;
    let row = area.width as usize * channels;
    let mut data = Vec::with_capacity(row * area.height as usize);
    for y in area.top..area.top + area.height {
        let start = y as usize * image.stride() + area.left as usize * channels;
        data.extend_from_slice(&image.data[start..start + row]);
    }
    Ok(Image::new(area.width, area.height, image.channels, data))
}

pub fn extend(image: &Image, extend: &Extend) -> Image {
    let width = image.width + extend.left + extend.right;
    let height = image.height + extend.top + extend.bottom;
    if extend.with == ExtendWith::Background {
        let canvas = Canvas {
            width,
            height,
            left: extend.left,
            top: extend.top,
        };
        return pixels::embed(image, canvas, extend.background);
    }
    let source_index = |target: u32, offset: u32, len: u32| -> u32 {
        let i = target as i64 - offset as i64;
        let n = len as i64;
        let folded = match extend.with {
            ExtendWith::Copy => i.clamp(0, n - 1),
            ExtendWith::Repeat => i.rem_euclid(n),
            _ => mirrored(i, n),
        };
        folded as u32
    };
    let channels = image.channels as usize;
    let columns: Vec<u32> = (0..width)
        .map(|x| source_index(x, extend.left, image.width))
        .collect();
    let mut data = Vec::with_capacity(width as usize * height as usize * channels);
    for y in 0..height {
        let sy = source_index(y, extend.top, image.height);
        for &sx in &columns {
            data.extend_from_slice(image.pixel(sx, sy));
        }
    }
    Image::new(width, height, image.channels, data)
}

/// Where libvips' mirror extension reads position `i` of a line of `n` samples: the edge
/// sample repeats (-1 reads 0, n reads n - 1).
pub(crate) fn mirrored(i: i64, n: i64) -> i64 {
    let period = 2 * n;
    let m = i.rem_euclid(period);
    if m < n {
        m
    } else {
        period - 1 - m
    }
}

/// Rotates clockwise by `angle.degrees` as libvips' vips_rotate does: an affine transform
/// by the rotation matrix, bilinear, onto the bounding box of the turned image, the corners
/// taking the background colour.
pub fn rotate(image: &Image, angle: &Angle) -> Result<Image> {
    let (sin, cos) = angle.degrees.to_radians().sin_cos();
    let turn = Affine {
        matrix: [cos, -sin, sin, cos],
        idx: 0.0,
        idy: 0.0,
        odx: 0.0,
        ody: 0.0,
        background: angle.background,
        interpolator: Interpolator::Bilinear,
    };
    super::affine::affine(image, &turn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Rgba;

    fn numbered(width: u32, height: u32) -> Image {
        Image::new(
            width,
            height,
            1,
            (0..width * height).map(|v| v as u8).collect(),
        )
    }

    #[test]
    fn extract_takes_the_area_and_refuses_one_outside() {
        let image = numbered(4, 3);
        let area = Area {
            left: 1,
            top: 1,
            width: 2,
            height: 2,
        };
        assert_eq!(
            extract(&image, area, "extract").unwrap().data,
            [5, 6, 9, 10]
        );
        let outside = Area { left: 3, ..area };
        let error = extract(&image, outside, "extract").unwrap_err();
        assert_eq!(error.kind, crate::ErrorKind::InvalidOption);
    }

    #[test]
    fn extend_modes_fill_the_edges_as_sharp_names_them() {
        let image = numbered(3, 1);
        let sides = |with| Extend {
            top: 0,
            bottom: 0,
            left: 2,
            right: 2,
            with,
            background: Rgba::BLACK,
        };
        assert_eq!(
            extend(&image, &sides(ExtendWith::Copy)).data,
            [0, 0, 0, 1, 2, 2, 2]
        );
        assert_eq!(
            extend(&image, &sides(ExtendWith::Repeat)).data,
            [1, 2, 0, 1, 2, 0, 1]
        );
        assert_eq!(
            extend(&image, &sides(ExtendWith::Mirror)).data,
            [1, 0, 0, 1, 2, 2, 1]
        );
        let white = Extend {
            background: Rgba {
                r: 255,
                g: 255,
                b: 255,
                a: 255,
            },
            ..sides(ExtendWith::Background)
        };
        assert_eq!(extend(&image, &white).data, [255, 255, 0, 1, 2, 255, 255]);
    }

    #[test]
    fn rotating_by_45_degrees_grows_the_canvas_and_fills_the_corners() {
        let image = Image::filled(100, 50, &[200, 10, 10]);
        let blue = Rgba {
            r: 0,
            g: 0,
            b: 255,
            a: 255,
        };
        let turned = rotate(
            &image,
            &Angle {
                degrees: 45.0,
                background: blue,
                before_resize: true,
            },
        )
        .unwrap();
        assert_eq!((turned.width, turned.height), (106, 106));
        assert_eq!(turned.pixel(0, 0), [0, 0, 255]);
        assert_eq!(turned.pixel(53, 53), [200, 10, 10]);
    }
}
