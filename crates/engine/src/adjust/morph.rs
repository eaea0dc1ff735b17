//! sharp's `dilate` and `erode`: libvips' `morph` with a square mask of zeros, edges
//! extended by copying, then inverted, as sharp calls it. Each band of the result is 0 or
//! 255: `dilate` gives 255 where no sample of the window is 0, `erode` 255 where some
//! sample of the window is not 0.
use crate::image::Image;

pub fn dilate(image: &Image, radius: u32) -> Image {
    let zero_near = reaches(image, radius, |v| v == 0);
    binary(image, zero_near, 0, 255)
}

pub fn erode(image: &Image, radius: u32) -> Image {
    let set_near = reaches(image, radius, |v| v != 0);
    binary(image, set_near, 255, 0)
}

fn binary(image: &Image, near: Vec<bool>, when_near: u8, otherwise: u8) -> Image {
    let data = near
        .into_iter()
        .map(|near| if near { when_near } else { otherwise })
        .collect();
    Image::new(image.width, image.height, image.channels, data)
}

/// For each sample, whether a sample of the same band within `radius` on both axes (the
/// image's edges extended) satisfies `test`: a row pass then a column pass, each a running
/// count over the window.
fn reaches(image: &Image, radius: u32, test: impl Fn(u8) -> bool) -> Vec<bool> {
    let (width, height) = (image.width as usize, image.height as usize);
    let bands = image.channels as usize;
    let flags: Vec<bool> = image.data.iter().map(|&v| test(v)).collect();
    let across = spread(&flags, width, height, bands, radius as usize, true);
    spread(&across, width, height, bands, radius as usize, false)
}

/// Whether any flag within `radius` along rows (`along_rows`) or columns is set.
fn spread(
    flags: &[bool],
    width: usize,
    height: usize,
    bands: usize,
    radius: usize,
    along_rows: bool,
) -> Vec<bool> {
    let (length, lines) = if along_rows {
        (width, height)
    } else {
        (height, width)
    };
    let index = |line: usize, at: usize, band: usize| match along_rows {
        true => (line * width + at) * bands + band,
        false => (at * width + line) * bands + band,
    };
    let mut out = vec![false; flags.len()];
    for line in 0..lines {
        for band in 0..bands {
            // prefix[i] counts set flags before position i. A window past an edge sees
            // copies of the edge sample, which the clipped window already holds.
            let mut prefix = Vec::with_capacity(length + 1);
            prefix.push(0usize);
            for at in 0..length {
                prefix.push(prefix[at] + flags[index(line, at, band)] as usize);
            }
            for at in 0..length {
                let start = at.saturating_sub(radius);
                let end = (at + radius + 1).min(length);
                out[index(line, at, band)] = prefix[end] > prefix[start];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_black_dot_grows_under_dilate_and_vanishes_under_erode_of_white() {
        let mut data = vec![255u8; 25];
        data[12] = 0;
        let image = Image::new(5, 5, 1, data);
        let dilated = dilate(&image, 1);
        let zeros = dilated.data.iter().filter(|&&v| v == 0).count();
        assert_eq!(zeros, 9);
        assert!(erode(&image, 1).data.iter().all(|&v| v == 255));
    }
}
