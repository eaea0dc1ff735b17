//! Reducing an image to at most 256 colours for palette PNGs (NeuQuant, MIT licensed:
//! libimagequant, which sharp uses, is GPL and cannot ship in this addon).

use color_quant::NeuQuant;

use crate::image::Image;
use crate::pixels;

pub struct Indexed {
    /// One palette index per pixel.
    pub indices: Vec<u8>,
    /// RGB triples.
    pub palette: Vec<u8>,
    /// Alpha per palette entry, when any entry is not opaque.
    pub alpha: Option<Vec<u8>>,
}

/// At most `colours` (2-256) entries. `quality` 1-100 trades time for fidelity: 100
/// samples every pixel when learning the palette, lower qualities sample fewer (down to
/// one pixel in 30).
pub fn quantize(image: &Image, quality: u8, colours: usize) -> Indexed {
    let rgba = pixels::with_channels(image, 4);
    let sample_factor = 1 + (100 - quality.clamp(1, 100) as i32) * 29 / 99;
    let quantizer = NeuQuant::new(sample_factor, colours.clamp(2, 256), &rgba.data);
    let map = quantizer.color_map_rgba();
    let indices = rgba
        .data
        .chunks_exact(4)
        .map(|pixel| quantizer.index_of(pixel) as u8)
        .collect();
    let palette = map
        .chunks_exact(4)
        .flat_map(|c| [c[0], c[1], c[2]])
        .collect();
    let alpha: Vec<u8> = map.chunks_exact(4).map(|c| c[3]).collect();
    let alpha = (image.has_alpha() && alpha.iter().any(|&a| a < 255)).then_some(alpha);
    Indexed {
        indices,
        palette,
        alpha,
    }
}
