//! One still picture through libaom's AV1 encoder: all-intra, one thread, 8-bit, full range.
//! (The same library decodes AVIF input; it is vendored and built by cmake.)

use std::ffi::{c_int, c_uint, CStr};
use std::ptr;

use libaom_sys as aom;

use crate::error::{EngineError, Result};

/// How the planes of a `Picture` hold colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layout {
    /// Y, U, V at full resolution, BT.601 coefficients.
    Yuv444,
    /// Y at full resolution, U and V at half in both directions (rounded up), BT.601.
    Yuv420,
    /// G, B, R at full resolution (the identity matrix), for lossless.
    Rgb,
    /// One plane: grey, or an alpha channel.
    Monochrome,
}

impl Layout {
    /// The CICP matrix coefficients written into the sequence header.
    pub fn matrix_coefficients(self) -> u8 {
        match self {
            Layout::Rgb => 0,
            Layout::Yuv444 | Layout::Yuv420 | Layout::Monochrome => 6,
        }
    }

    /// The width and height of plane `index` of a `width` x `height` picture.
    pub fn plane_size(self, index: usize, width: u32, height: u32) -> (u32, u32) {
        match self {
            Layout::Yuv420 if index > 0 => (width.div_ceil(2), height.div_ceil(2)),
            _ => (width, height),
        }
    }

    fn plane_count(self) -> usize {
        if self == Layout::Monochrome {
            1
        } else {
            3
        }
    }

    /// AV1's profile: 0 ("main") carries 4:2:0 and monochrome, 1 ("high") 4:4:4.
    pub fn profile(self) -> u8 {
        match self {
            Layout::Yuv420 | Layout::Monochrome => 0,
            Layout::Yuv444 | Layout::Rgb => 1,
        }
    }
}

/// Planes of `Layout::plane_size` samples each, rows packed.
pub struct Picture<'a> {
    pub width: u32,
    pub height: u32,
    pub layout: Layout,
    /// One plane for `Monochrome`, three otherwise.
    pub planes: &'a [&'a [u8]],
}

pub struct Settings {
    /// libaom's cpu-used, 0 (slowest, smallest) to 9.
    pub speed: u8,
    /// 0 (best) to 63; ignored when `lossless`.
    pub quantizer: u8,
    pub lossless: bool,
}

/// The AV1 bitstream of one key frame: a sequence header and the frame, without the temporal
/// delimiter (AVIF items must not carry one).
pub fn encode(picture: &Picture, settings: &Settings) -> Result<Vec<u8>> {
    let layout = picture.layout;
    let sizes_match = picture.planes.len() == layout.plane_count()
        && picture.planes.iter().enumerate().all(|(index, plane)| {
            let (width, height) = layout.plane_size(index, picture.width, picture.height);
            plane.len() == width as usize * height as usize
        });
    if !sizes_match {
        return Err(EngineError::internal(
            "AV1 planes do not match the picture's size",
        ));
    }
    let mut encoder = Encoder::new(picture, settings)?;
    let image = AomImage::filled(picture)?;
    encoder.encode(Some(&image))?;
    encoder.encode(None)?;
    Ok(without_temporal_delimiters(&encoder.output))
}

struct Encoder {
    // Boxed: libaom keeps pointers into its context, which must not move once initialised.
    context: Box<aom::aom_codec_ctx_t>,
    output: Vec<u8>,
}

impl Encoder {
    fn new(picture: &Picture, settings: &Settings) -> Result<Encoder> {
        // SAFETY: a zeroed config and context are what libaom's own examples start from; the
        // config is then filled by libaom, and the context initialised before any other use.
        let mut config: aom::aom_codec_enc_cfg_t = unsafe { std::mem::zeroed() };
        let interface = unsafe { aom::aom_codec_av1_cx() };
        let status = unsafe {
            aom::aom_codec_enc_config_default(interface, &mut config, aom::AOM_USAGE_ALL_INTRA)
        };
        check(status, None, "default configuration")?;
        config.g_w = picture.width;
        config.g_h = picture.height;
        // The job already runs on one of the queue's threads, its outputs in parallel.
        config.g_threads = 1;
        config.g_profile = c_uint::from(picture.layout.profile());
        config.monochrome = c_uint::from(picture.layout == Layout::Monochrome);
        config.g_bit_depth = aom::AOM_BITS_8;
        config.g_input_bit_depth = 8;
        // One frame: libaom writes a reduced still-picture header and keeps no lookahead.
        config.g_limit = 1;
        config.g_lag_in_frames = 0;
        config.kf_mode = aom::AOM_KF_DISABLED;
        config.kf_max_dist = 0;
        config.rc_end_usage = aom::AOM_Q;
        // The quantizer is a level (cq-level) within the full range, so that libaom's
        // per-block adjustments keep their room; lossless pins it to 0.
        let (quantizer, largest) = if settings.lossless {
            (0, 0)
        } else {
            (settings.quantizer.min(63), 63)
        };
        config.rc_min_quantizer = 0;
        config.rc_max_quantizer = largest;

        let mut context: Box<aom::aom_codec_ctx_t> = Box::new(unsafe { std::mem::zeroed() });
        let status = unsafe {
            aom::aom_codec_enc_init_ver(
                &mut *context,
                interface,
                &config,
                0,
                aom::AOM_ENCODER_ABI_VERSION as c_int,
            )
        };
        // A failed init leaves nothing to destroy.
        check(status, None, "initialisation")?;
        let mut encoder = Encoder {
            context,
            output: Vec::new(),
        };
        let colour = picture.layout.matrix_coefficients();
        let controls = [
            (aom::AOME_SET_CPUUSED, c_int::from(settings.speed.min(9))),
            (aom::AOME_SET_CQ_LEVEL, c_int::from(quantizer)),
            (aom::AV1E_SET_LOSSLESS, c_int::from(settings.lossless)),
            // libavif's default; libaom 3.11 has no `iq` tuning (avif.rs, on quality).
            (aom::AOME_SET_TUNING, aom::AOM_TUNE_SSIM as c_int),
            (aom::AV1E_SET_COLOR_RANGE, aom::AOM_CR_FULL_RANGE as c_int),
            // sRGB: BT.709 primaries, the sRGB transfer.
            (aom::AV1E_SET_COLOR_PRIMARIES, 1),
            (aom::AV1E_SET_TRANSFER_CHARACTERISTICS, 13),
            (aom::AV1E_SET_MATRIX_COEFFICIENTS, c_int::from(colour)),
            // Nobody decodes the encoder's own reconstruction of a still picture.
            (aom::AV1E_SET_SKIP_POSTPROC_FILTERING, 1),
        ];
        for (id, value) in controls {
            let status =
                unsafe { aom::aom_codec_control(&mut *encoder.context, id as c_int, value) };
            check(status, Some(&encoder.context), "control")?;
        }
        Ok(encoder)
    }

    /// Encodes `image`, or flushes with `None`, and appends the packets written.
    fn encode(&mut self, image: Option<&AomImage>) -> Result<()> {
        let raw = image.map_or(ptr::null(), |i| i.0 as *const _);
        let status = unsafe { aom::aom_codec_encode(&mut *self.context, raw, 0, 1, 0) };
        check(status, Some(&self.context), "encoding")?;
        let mut iterator: aom::aom_codec_iter_t = ptr::null();
        loop {
            let packet = unsafe { aom::aom_codec_get_cx_data(&mut *self.context, &mut iterator) };
            // SAFETY: libaom returns null or a packet valid until the next call into it.
            let Some(packet) = (unsafe { packet.as_ref() }) else {
                return Ok(());
            };
            if packet.kind == aom::AOM_CODEC_CX_FRAME_PKT {
                let frame = unsafe { packet.data.frame };
                let bytes = unsafe { std::slice::from_raw_parts(frame.buf as *const u8, frame.sz) };
                self.output.extend_from_slice(bytes);
            }
        }
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        unsafe { aom::aom_codec_destroy(&mut *self.context) };
    }
}

/// An image allocated by libaom (its planes aligned as it wants), freed on drop.
struct AomImage(*mut aom::aom_image_t);

impl AomImage {
    fn filled(picture: &Picture) -> Result<AomImage> {
        // libaom has no 4:0:0 image format: monochrome is 4:2:0 with the chroma ignored.
        let format = match picture.layout {
            Layout::Monochrome | Layout::Yuv420 => aom::AOM_IMG_FMT_I420,
            Layout::Yuv444 | Layout::Rgb => aom::AOM_IMG_FMT_I444,
        };
        let raw = unsafe {
            aom::aom_img_alloc(ptr::null_mut(), format, picture.width, picture.height, 16)
        };
        if raw.is_null() {
            return Err(EngineError::internal(
                "libaom could not allocate the AV1 picture",
            ));
        }
        let image = AomImage(raw);
        // SAFETY: allocated above in the picture's format and size; each plane holds the rows
        // of `Layout::plane_size` (monochrome: of 4:2:0) at its stride.
        let header = unsafe { &mut *raw };
        header.range = aom::AOM_CR_FULL_RANGE;
        header.monochrome = c_int::from(picture.layout == Layout::Monochrome);
        header.mc = aom::aom_matrix_coefficients_t::from(picture.layout.matrix_coefficients());
        for (index, plane) in picture.planes.iter().enumerate() {
            let stride = header.stride[index] as usize;
            let width = picture
                .layout
                .plane_size(index, picture.width, picture.height)
                .0 as usize;
            for (row, source) in plane.chunks_exact(width).enumerate() {
                let target = unsafe {
                    std::slice::from_raw_parts_mut(header.planes[index].add(row * stride), width)
                };
                target.copy_from_slice(source);
            }
        }
        if picture.layout == Layout::Monochrome {
            let rows = picture.height.div_ceil(2) as usize;
            for index in 1..3 {
                let length = rows * header.stride[index] as usize;
                unsafe { ptr::write_bytes(header.planes[index], 128, length) };
            }
        }
        Ok(image)
    }
}

impl Drop for AomImage {
    fn drop(&mut self) {
        unsafe { aom::aom_img_free(self.0) };
    }
}

fn check(
    status: aom::aom_codec_err_t,
    context: Option<&aom::aom_codec_ctx_t>,
    stage: &str,
) -> Result<()> {
    if status == aom::AOM_CODEC_OK {
        return Ok(());
    }
    let detail = context
        .map(|c| unsafe { aom::aom_codec_error_detail(c) })
        .filter(|d| !d.is_null())
        .map(|d| unsafe { CStr::from_ptr(d) }.to_string_lossy().into_owned());
    let name = unsafe { CStr::from_ptr(aom::aom_codec_err_to_string(status)) }.to_string_lossy();
    let detail = detail.map_or(String::new(), |d| format!(": {d}"));
    Err(EngineError::internal(format!(
        "AV1 encoding failed in {stage} ({name}{detail})"
    )))
}

/// OBUs but the temporal delimiters (type 2). Each OBU libaom writes carries its size.
fn without_temporal_delimiters(stream: &[u8]) -> Vec<u8> {
    let mut kept = Vec::with_capacity(stream.len());
    let mut rest = stream;
    while let Some(&header) = rest.first() {
        if header & 0b10 == 0 {
            // No size field: not a stream we can walk, so keep it whole, as libaom wrote it.
            kept.extend_from_slice(rest);
            break;
        }
        let extension = usize::from(header & 0b100 != 0);
        let Some((size, leb_length)) = leb128(rest.get(1 + extension..).unwrap_or(&[])) else {
            kept.extend_from_slice(rest);
            break;
        };
        let total = (1 + extension + leb_length + size).min(rest.len());
        if (header >> 3) & 0b1111 != 2 {
            kept.extend_from_slice(&rest[..total]);
        }
        rest = &rest[total..];
    }
    kept
}

/// An unsigned LEB128 value and the bytes it took.
fn leb128(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value = 0usize;
    for (index, &byte) in bytes.iter().take(8).enumerate() {
        value |= usize::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

#[cfg(test)]
mod obu {
    use super::without_temporal_delimiters;

    #[test]
    fn drops_temporal_delimiters_and_keeps_the_other_obus() {
        // Temporal delimiter (type 2, size 0), sequence header (type 1, 2 bytes), frame
        // (type 6, 1 byte).
        let stream = [0x12, 0x00, 0x0a, 0x02, 0xaa, 0xbb, 0x32, 0x01, 0xcc];
        assert_eq!(
            without_temporal_delimiters(&stream),
            [0x0a, 0x02, 0xaa, 0xbb, 0x32, 0x01, 0xcc]
        );
    }
}
