//! A picture as a JPEG stores it: full-range BT.601 Y, Cb and Cr, each plane at its own
//! resolution. Jobs from a JPEG to JPEG stay in this form end to end (planar.rs): the
//! decoder skips chroma upsampling and colour conversion, each resize filters 1.5 samples
//! a pixel instead of 3 (at 4:2:0), and the encoder skips colour conversion and chroma
//! downsampling. Lanczos3 is linear, so resizing Y, Cb and Cr
//! is resizing R, G and B (up to rounding).

use crate::image::Image;

/// Planes are single-channel `Image`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planes {
    pub luma: Image,
    pub blue: Image,
    pub red: Image,
}

/// Samples of a plane per full-size image pixel, on each axis (exact, as
/// `DecodeScale::exact`: a plane's last row or column may stand for part of a sample).
pub type PlaneScale = (f64, f64);

/// The width and height of the chroma planes of a `width` x `height` picture at 4:2:0
/// (half, rounded up) or 4:4:4.
pub fn chroma_size(width: u32, height: u32, half: bool) -> (u32, u32) {
    if half {
        (width.div_ceil(2), height.div_ceil(2))
    } else {
        (width, height)
    }
}

/// `plane` copied into a buffer `stride` samples wide and `rows` high, its last column and
/// row repeated into the margin (what an encoder that works on whole blocks needs: the
/// margin is coded too, and an edge that continues costs no bits).
pub fn padded(plane: &Image, stride: usize, rows: usize) -> Vec<u8> {
    let width = plane.width as usize;
    let mut out = Vec::with_capacity(stride * rows);
    for row in plane.data.chunks_exact(width) {
        out.extend_from_slice(row);
        out.resize(out.len() + stride - width, row[width - 1]);
    }
    let last = out.len() - stride;
    for _ in plane.height as usize..rows {
        out.extend_from_within(last..last + stride);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_repeats_the_last_column_and_row() {
        let plane = Image::new(2, 2, 1, vec![1, 2, 3, 4]);
        assert_eq!(padded(&plane, 3, 3), vec![1, 2, 2, 3, 4, 4, 3, 4, 4]);
        assert_eq!(padded(&plane, 2, 2), plane.data);
    }

    #[test]
    fn half_chroma_rounds_up() {
        assert_eq!(chroma_size(7, 4, true), (4, 2));
        assert_eq!(chroma_size(7, 4, false), (7, 4));
    }
}
