//! The levels of a tile pyramid as libvips' dzsave builds them: each level half the one
//! above, rounded up, every pixel the mean of a 2x2 block rounded half up as libvips'
//! `(sum + 2) >> 2` (an odd last column or row is repeated to make the block), until the
//! depth's limit is reached.
use crate::image::Image;
use crate::operations::Area;
use crate::spec_tiles::TileDepth;

/// One level; `scale` is how many full-size pixels one of its pixels spans.
pub(super) struct Level {
    pub image: Image,
    /// The part that is picture rather than `centre`'s border.
    pub real: Area,
    pub scale: u32,
}

/// How many times the image is halved before `depth` stops it.
pub(super) fn halvings(width: u32, height: u32, depth: TileDepth, tile_size: u32) -> u32 {
    let limit = match depth {
        TileDepth::OnePixel => 1,
        TileDepth::OneTile => tile_size,
        TileDepth::One => return 0,
    };
    let (mut width, mut height, mut count) = (width, height, 0);
    while width > limit || height > limit {
        width = width.div_ceil(2);
        height = height.div_ceil(2);
        count += 1;
    }
    count
}

/// Every level, the full-size one first.
pub(super) fn build(top: Image, real: Area, depth: TileDepth, tile_size: u32) -> Vec<Level> {
    let count = halvings(top.width, top.height, depth, tile_size);
    let mut levels = vec![Level {
        image: top,
        real,
        scale: 1,
    }];
    for _ in 0..count {
        let above = levels.last().expect("the full-size level");
        let level = Level {
            image: halve(&above.image),
            real: halve_area(above.real),
            scale: above.scale * 2,
        };
        levels.push(level);
    }
    levels
}

/// Left and top rounded down, right and bottom up: every pixel that holds some picture.
fn halve_area(area: Area) -> Area {
    let (left, top) = (area.left / 2, area.top / 2);
    Area {
        left,
        top,
        width: (area.left + area.width).div_ceil(2) - left,
        height: (area.top + area.height).div_ceil(2) - top,
    }
}

fn halve(image: &Image) -> Image {
    let (width, height) = (image.width.div_ceil(2), image.height.div_ceil(2));
    let channels = image.channels as usize;
    let stride = image.stride();
    let mut data = Vec::with_capacity(width as usize * height as usize * channels);
    for y in 0..height as usize {
        let upper = &image.data[2 * y * stride..][..stride];
        let lower_row = (2 * y + 1).min(image.height as usize - 1);
        let lower = &image.data[lower_row * stride..][..stride];
        for x in 0..width as usize {
            let left = 2 * x * channels;
            let right = (2 * x + 1).min(image.width as usize - 1) * channels;
            for c in 0..channels {
                let sum = upper[left + c] as u32
                    + upper[right + c] as u32
                    + lower[left + c] as u32
                    + lower[right + c] as u32;
                data.push(((sum + 2) >> 2) as u8);
            }
        }
    }
    Image::new(width, height, image.channels, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_halve_rounding_up_to_one_pixel() {
        let top = Image::filled(5, 3, &[10]);
        let real = Area {
            left: 0,
            top: 0,
            width: 5,
            height: 3,
        };
        let sizes: Vec<_> = build(top, real, TileDepth::OnePixel, 256)
            .iter()
            .map(|l| (l.image.width, l.image.height, l.scale))
            .collect();
        assert_eq!(sizes, [(5, 3, 1), (3, 2, 2), (2, 1, 4), (1, 1, 8)]);
    }

    #[test]
    fn depths_stop_where_libvips_stops() {
        // sharp's 2725x2225 fixture: 13 levels to one pixel, 5 to one 256 tile, 1 for one.
        assert_eq!(halvings(2725, 2225, TileDepth::OnePixel, 256), 12);
        assert_eq!(halvings(2725, 2225, TileDepth::OneTile, 256), 4);
        assert_eq!(halvings(2725, 2225, TileDepth::One, 256), 0);
    }

    #[test]
    fn a_block_averages_down_and_an_odd_edge_repeats() {
        let image = Image::new(3, 1, 1, vec![0, 2, 9]);
        // (0 + 2 + 0 + 2) / 4 = 1 exactly, half up; the odd column pairs with itself: 9.
        assert_eq!(halve(&image).data, [1, 9]);
        let image = Image::new(2, 1, 1, vec![0, 1]);
        // 2 / 4 = 0.5 rounds up, as libvips' (sum + 2) >> 2.
        assert_eq!(halve(&image).data, [1]);
    }
}
