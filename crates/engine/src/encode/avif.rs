//! AVIF: RGBA to YUV (or GBR) planes, AV1 by libaom (`av1.rs`), the container by avif-serialize.

use avif_serialize::constants::{ColorPrimaries, MatrixCoefficients, TransferCharacteristics};
use avif_serialize::Aviffy;

use super::av1::{self, Layout, Picture, Settings};
use super::Metadata;
use crate::error::{EngineError, Result};
use crate::exif;
use crate::image::Image;

/// `quality` 1-100 and `effort` 0-9 as sharp's `avif()` (libaom through libheif), chroma at
/// full resolution unless `half_chroma`, alpha as an auxiliary monochrome image at the same
/// quality. `lossless` stores RGB itself (the identity matrix, so never subsampled): exact.
/// EXIF is kept as the file's EXIF item; there is no ICC box (see `keeps_source_colour`).
pub fn encode(
    rgba: &Image,
    quality: u8,
    effort: u8,
    lossless: bool,
    half_chroma: bool,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    let (width, height) = (rgba.width, rgba.height);
    let settings = Settings {
        speed: speed(effort),
        quantizer: quantizer(quality),
        lossless,
    };
    let layout = match (lossless, half_chroma) {
        (true, _) => Layout::Rgb,
        (false, true) => Layout::Yuv420,
        (false, false) => Layout::Yuv444,
    };
    // The planes are borrowed from whichever conversion made them, not copied.
    let (gbr, yuv);
    let planes: [&[u8]; 3] = if layout == Layout::Rgb {
        gbr = gbr_planes(rgba);
        [&gbr[0], &gbr[1], &gbr[2]]
    } else {
        yuv = yuv_planes(rgba, layout)?;
        [
            yuv.y_plane.borrow(),
            yuv.u_plane.borrow(),
            yuv.v_plane.borrow(),
        ]
    };
    let picture = Picture {
        width,
        height,
        layout,
        planes: &planes,
    };
    let colour = av1::encode(&picture, &settings)?;
    let alpha = has_transparency(rgba)
        .then(|| {
            let plane: Vec<u8> = rgba.data.chunks_exact(4).map(|p| p[3]).collect();
            let alpha = Picture {
                width,
                height,
                layout: Layout::Monochrome,
                planes: &[&plane],
            };
            av1::encode(&alpha, &settings)
        })
        .transpose()?;

    let matrix = match layout {
        Layout::Rgb => MatrixCoefficients::Rgb,
        _ => MatrixCoefficients::Bt601,
    };
    let subsampled = layout == Layout::Yuv420;
    let mut container = Aviffy::new();
    container
        .set_seq_profile(layout.profile())
        .set_chroma_subsampling((subsampled, subsampled))
        .set_color_primaries(ColorPrimaries::Bt709)
        .set_transfer_characteristics(TransferCharacteristics::Srgb)
        .set_matrix_coefficients(matrix)
        .set_full_color_range(true)
        .set_width(width)
        .set_height(height)
        .set_bit_depth(8);
    // The EXIF item holds the TIFF block itself; the container writes its offset field.
    if let Some(exif) = &metadata.exif {
        container.set_exif(exif::tiff_body(exif).to_vec());
    }
    let mut file = Vec::new();
    container
        .write_slice(&mut file, &colour, alpha.as_deref())
        .map_err(|e| EngineError::internal(format!("AVIF container failed ({e})")))?;
    Ok(file)
}

/// libaom is built to refuse frames above this size (`.cargo/config.toml`), and the limit
/// holds for its encoder's frame buffers too.
pub(super) fn largest_side() -> u32 {
    env!("LIB_AOM_DECODE_WIDTH_LIMIT").parse().unwrap_or(16384)
}

/// sharp's effort 0-9 as libaom's cpu-used, one step faster than libheif's 9 - effort: at the
/// default effort 4, libaom 3.11's speed 5 took 4-5 times the CPU of speed 6 for about 6% fewer
/// bytes (three corpus photos at 1280 wide, 2026-12-02), where sharp's newer libaom (3.15,
/// tuned for image quality) needs speed 5 to reach its compression. 0 and 1 are both 9.
fn speed(effort: u8) -> u8 {
    (10 - effort.min(9)).min(9)
}

/// sharp's quality as libaom's quantizer level, the way libheif maps it (0-63, lower better).
/// `npm run bench:avif-scale` (ten corpus photos at 320, 640 and 1280 wide, 2026-12-02): at
/// sharp 0.35.5's quality 30, 50, 70 and 90 this gives a mean SSIMULACRA2 0.5, 0.6, -0.1 and
/// 0.6 from sharp's, for 21%, 22%, 18% and 24% more bytes. Matching sharp's bytes instead
/// (quality 25, 45, 65, 85) costs 8.5, 4.3, 1.9 and 1.3 points: sharp's libaom 3.15 has
/// `tune=iq`, which 3.11 (the newest on crates.io) lacks, so quality is what is matched.
fn quantizer(quality: u8) -> u8 {
    let quality = u32::from(quality.clamp(1, 100));
    (((100 - quality) * 63 + 50) / 100) as u8
}

fn has_transparency(rgba: &Image) -> bool {
    rgba.data.chunks_exact(4).any(|p| p[3] != 255)
}

/// Full-range BT.601 Y, U, V planes (4:4:4 or 4:2:0), as sharp's AVIF (and JPEG) use.
fn yuv_planes(rgba: &Image, layout: Layout) -> Result<yuv::YuvPlanarImageMut<'static, u8>> {
    type Convert = fn(
        &mut yuv::YuvPlanarImageMut<u8>,
        &[u8],
        u32,
        yuv::YuvRange,
        yuv::YuvStandardMatrix,
        yuv::YuvConversionMode,
    ) -> std::result::Result<(), yuv::YuvError>;
    let (subsampling, convert): (_, Convert) = if layout == Layout::Yuv420 {
        (yuv::YuvChromaSubsampling::Yuv420, yuv::rgba_to_yuv420)
    } else {
        (yuv::YuvChromaSubsampling::Yuv444, yuv::rgba_to_yuv444)
    };
    let (width, height) = (rgba.width, rgba.height);
    let mut planar = yuv::YuvPlanarImageMut::alloc(width, height, subsampling);
    let (range, matrix) = (yuv::YuvRange::Full, yuv::YuvStandardMatrix::Bt601);
    convert(
        &mut planar,
        &rgba.data,
        width * 4,
        range,
        matrix,
        yuv::YuvConversionMode::Balanced,
    )
    .map_err(|e| EngineError::internal(format!("RGB to YUV failed ({e})")))?;
    Ok(planar)
}

/// G, B, R planes: the identity matrix's order (Y holds green).
fn gbr_planes(rgba: &Image) -> [Vec<u8>; 3] {
    let plane = |channel: usize| rgba.data.chunks_exact(4).map(|p| p[channel]).collect();
    [plane(1), plane(2), plane(0)]
}

#[cfg(test)]
mod calibration {
    use super::quantizer;

    #[test]
    fn maps_sharps_quality_onto_the_quantizer_as_libheif_does() {
        assert_eq!(quantizer(100), 0);
        assert_eq!(quantizer(50), 32);
        assert_eq!(quantizer(1), 62);
        assert!((1..100).all(|q| quantizer(q) >= quantizer(q + 1)));
    }
}
