//! sharp's `trim`: the box left after cutting away edges whose pixels all match the
//! top-left pixel within a threshold.

use crate::image::Image;

/// (left, top, width, height) of the content, or `None` when every pixel matches the
/// corner (nothing would be left: sharp then keeps the image whole).
pub fn content_box(image: &Image, threshold: u8) -> Option<(u32, u32, u32, u32)> {
    let channels = image.channels as usize;
    let corner = image.pixel(0, 0).to_vec();
    let differs = |pixel: &[u8]| {
        pixel
            .iter()
            .zip(&corner)
            .any(|(&v, &c)| v.abs_diff(c) > threshold)
    };
    let (mut left, mut top, mut right, mut bottom) = (u32::MAX, u32::MAX, 0, 0);
    for (y, row) in image.data.chunks_exact(image.stride()).enumerate() {
        let y = y as u32;
        let mut columns = row
            .chunks_exact(channels)
            .enumerate()
            .filter(|(_, pixel)| differs(pixel))
            .map(|(x, _)| x as u32);
        let Some(first) = columns.next() else {
            continue;
        };
        let last = columns.next_back().unwrap_or(first);
        left = left.min(first);
        right = right.max(last);
        top = top.min(y);
        bottom = y;
    }
    (left != u32::MAX).then(|| (left, top, right - left + 1, bottom - top + 1))
}

/// The pixels inside a box.
pub fn crop(image: &Image, (left, top, width, height): (u32, u32, u32, u32)) -> Image {
    let channels = image.channels as usize;
    let row_bytes = width as usize * channels;
    let mut data = Vec::with_capacity(row_bytes * height as usize);
    for y in top..top + height {
        let start = y as usize * image.stride() + left as usize * channels;
        data.extend_from_slice(&image.data[start..start + row_bytes]);
    }
    Image::new(width, height, image.channels, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_box_that_differs_from_the_corner() {
        let mut image = Image::filled(10, 8, &[250, 250, 250]);
        for (x, y) in [(3, 2), (6, 5), (4, 4)] {
            let at = y * image.stride() + x * 3;
            image.data[at..at + 3].copy_from_slice(&[10, 20, 30]);
        }
        // Within the threshold: not content.
        image.data[0..3].copy_from_slice(&[245, 250, 250]);
        assert_eq!(content_box(&image, 10), Some((3, 2, 4, 4)));
        let cropped = crop(&image, (3, 2, 4, 4));
        assert_eq!((cropped.width, cropped.height), (4, 4));
        assert_eq!(cropped.pixel(0, 0), &[10, 20, 30]);
        assert_eq!(cropped.pixel(3, 3), &[10, 20, 30]);
        assert_eq!(content_box(&Image::filled(4, 4, &[1, 2, 3]), 10), None);
    }
}
