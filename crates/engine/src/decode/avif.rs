//! AVIF input: the HEIF container read by avif-parse, the AV1 frames decoded by rav1d (the
//! Rust port of dav1d), YUV turned into RGB by the yuv crate. Colour and alpha are two AV1
//! frames; high bit depths are rounded to 8 bits before the conversion.

use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use rav1d::include::dav1d::data::Dav1dData;
use rav1d::include::dav1d::dav1d::{Dav1dContext, Dav1dSettings};
use rav1d::include::dav1d::headers::{
    DAV1D_MC_BT2020_CL, DAV1D_MC_BT2020_NCL, DAV1D_MC_BT709, DAV1D_MC_FCC, DAV1D_MC_IDENTITY,
    DAV1D_MC_SMPTE240, DAV1D_PIXEL_LAYOUT_I400, DAV1D_PIXEL_LAYOUT_I420, DAV1D_PIXEL_LAYOUT_I422,
    DAV1D_PIXEL_LAYOUT_I444,
};
use rav1d::include::dav1d::picture::Dav1dPicture;
use rav1d::src::lib::{
    dav1d_close, dav1d_data_create, dav1d_data_unref, dav1d_default_settings, dav1d_get_picture,
    dav1d_open, dav1d_picture_unref, dav1d_send_data,
};
use yuv::{YuvPlanarImage, YuvRange, YuvStandardMatrix};

use super::Header;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::spec::{DecodeLimits, Format};

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let avif = parse(bytes)?;
    let av1 = avif.primary_item_metadata().map_err(corrupt)?;
    Ok(Header {
        format: Format::Avif,
        width: av1.max_frame_width.get(),
        height: av1.max_frame_height.get(),
        has_alpha: avif.alpha_item.is_some(),
        orientation: 1,
        exif: None,
        icc: None,
    })
}

pub fn decode(bytes: &[u8], limits: &DecodeLimits) -> Result<Image> {
    let avif = parse(bytes)?;
    let colour = Frame::decode(&avif.primary_item, limits)?;
    let alpha = match &avif.alpha_item {
        Some(item) => Some(Frame::decode(item, limits)?),
        None => None,
    };
    let mut image = colour.to_image()?;
    if let Some(alpha) = alpha {
        if (alpha.width, alpha.height) != (image.width, image.height) {
            return Err(EngineError::corrupt(format!(
                "AVIF alpha is {}x{} but the image is {}x{}",
                alpha.width, alpha.height, image.width, image.height
            )));
        }
        image = with_alpha(image, &alpha.luma_full_range());
    }
    Ok(image)
}

fn parse(bytes: &[u8]) -> Result<avif_parse::AvifData> {
    avif_parse::read_avif(&mut &bytes[..]).map_err(corrupt)
}

/// One decoded AV1 frame, copied out of the decoder as 8-bit planes.
struct Frame {
    width: u32,
    height: u32,
    layout: u32,
    full_range: bool,
    matrix: u32,
    planes: [Vec<u8>; 3],
    chroma_width: u32,
}

impl Frame {
    fn decode(av1: &[u8], limits: &DecodeLimits) -> Result<Frame> {
        let frame_size_limit = limits.max_pixels.min(u32::MAX as u64) as u32;
        // rav1d is memory safe but may still panic on a bug; a panic must not take the job
        // thread (or the process) with it.
        catch_unwind(AssertUnwindSafe(|| {
            let mut decoder = Decoder::open(frame_size_limit)?;
            let picture = decoder.decode(av1)?;
            Ok(Frame::copy(&picture))
        }))
        .unwrap_or_else(|_| Err(EngineError::corrupt("AV1 data is invalid (decoder panic)")))
    }

    fn copy(picture: &Picture) -> Frame {
        let p = &picture.0;
        let (width, height) = (p.p.w as u32, p.p.h as u32);
        let (chroma_width, chroma_height) = match p.p.layout {
            DAV1D_PIXEL_LAYOUT_I420 => (width.div_ceil(2), height.div_ceil(2)),
            DAV1D_PIXEL_LAYOUT_I422 => (width.div_ceil(2), height),
            DAV1D_PIXEL_LAYOUT_I400 => (0, 0),
            _ => (width, height),
        };
        // SAFETY: a picture handed out by rav1d holds its sequence header and planes until
        // it is unreferenced (when `picture` drops); the planes have the sizes above.
        unsafe {
            let header = p.seq_hdr.expect("a decoded picture has a sequence header");
            let header = header.as_ref();
            let plane = |index: usize, w: u32, h: u32| match p.data[index] {
                Some(data) if w > 0 => {
                    copy_plane(data.as_ptr().cast(), p.stride[index.min(1)], w, h, p.p.bpc)
                }
                _ => Vec::new(),
            };
            Frame {
                width,
                height,
                layout: p.p.layout,
                full_range: header.color_range != 0,
                matrix: header.mtrx,
                planes: [
                    plane(0, width, height),
                    plane(1, chroma_width, chroma_height),
                    plane(2, chroma_width, chroma_height),
                ],
                chroma_width,
            }
        }
    }

    fn to_image(&self) -> Result<Image> {
        if self.layout == DAV1D_PIXEL_LAYOUT_I400 {
            return Ok(Image::new(
                self.width,
                self.height,
                1,
                self.luma_full_range(),
            ));
        }
        let [y, u, v] = &self.planes;
        if self.matrix == DAV1D_MC_IDENTITY {
            // AV1 allows the identity matrix only without chroma subsampling.
            if self.layout != DAV1D_PIXEL_LAYOUT_I444 {
                return Err(EngineError::corrupt(
                    "AVIF stores RGB (identity matrix) with subsampled chroma",
                ));
            }
            return Ok(self.identity_to_rgb());
        }
        let planar = YuvPlanarImage {
            y_plane: y,
            y_stride: self.width,
            u_plane: u,
            u_stride: self.chroma_width,
            v_plane: v,
            v_stride: self.chroma_width,
            width: self.width,
            height: self.height,
        };
        let range = if self.full_range {
            YuvRange::Full
        } else {
            YuvRange::Limited
        };
        let matrix = match self.matrix {
            DAV1D_MC_BT709 => YuvStandardMatrix::Bt709,
            DAV1D_MC_BT2020_NCL | DAV1D_MC_BT2020_CL => YuvStandardMatrix::Bt2020,
            DAV1D_MC_SMPTE240 => YuvStandardMatrix::Smpte240,
            DAV1D_MC_FCC => YuvStandardMatrix::Fcc,
            // BT.601 and BT.470BG, and "unspecified", which libavif also reads as BT.601.
            _ => YuvStandardMatrix::Bt601,
        };
        let mut rgb = vec![0u8; self.width as usize * self.height as usize * 3];
        let stride = self.width * 3;
        let converted = match self.layout {
            DAV1D_PIXEL_LAYOUT_I420 => yuv::yuv420_to_rgb(&planar, &mut rgb, stride, range, matrix),
            DAV1D_PIXEL_LAYOUT_I422 => yuv::yuv422_to_rgb(&planar, &mut rgb, stride, range, matrix),
            _ => yuv::yuv444_to_rgb(&planar, &mut rgb, stride, range, matrix),
        };
        converted.map_err(|e| EngineError::internal(format!("YUV conversion failed ({e})")))?;
        Ok(Image::new(self.width, self.height, 3, rgb))
    }

    /// Matrix "identity" stores G, B, R in the Y, U, V planes (lossless AVIF uses it).
    fn identity_to_rgb(&self) -> Image {
        let [g, b, r] = &self.planes;
        let expand = |v: u8| self.expand(v);
        let data = (0..g.len())
            .flat_map(|i| [expand(r[i]), expand(g[i]), expand(b[i])])
            .collect();
        Image::new(self.width, self.height, 3, data)
    }

    /// The Y plane as 0-255 (grey images and alpha).
    fn luma_full_range(&self) -> Vec<u8> {
        self.planes[0].iter().map(|&v| self.expand(v)).collect()
    }

    fn expand(&self, value: u8) -> u8 {
        if self.full_range {
            value
        } else {
            ((value.clamp(16, 235) as u32 - 16) * 255 / 219) as u8
        }
    }
}

/// Copies `width` x `height` samples of a plane, rounding 10- and 12-bit samples to 8 bits.
///
/// # Safety
/// `data` must point at `height` rows of `stride` bytes (negative strides allowed), each
/// holding at least `width` samples of `bpc` bits (one byte at 8 bits, two above).
unsafe fn copy_plane(data: *const u8, stride: isize, width: u32, height: u32, bpc: i32) -> Vec<u8> {
    let (width, height) = (width as usize, height as usize);
    let mut out = Vec::with_capacity(width * height);
    for row in 0..height {
        let start = unsafe { data.offset(row as isize * stride) };
        if bpc == 8 {
            out.extend_from_slice(unsafe { std::slice::from_raw_parts(start, width) });
        } else {
            let max = (1u32 << bpc) - 1;
            for x in 0..width {
                let sample = unsafe { start.cast::<u16>().add(x).read_unaligned() } as u32;
                out.push(((sample.min(max) * 255 + max / 2) / max) as u8);
            }
        }
    }
    out
}

fn with_alpha(image: Image, alpha: &[u8]) -> Image {
    let channels = image.channels as usize;
    let data = image
        .data
        .chunks_exact(channels)
        .zip(alpha)
        .flat_map(|(pixel, &a)| pixel.iter().copied().chain([a]))
        .collect();
    Image::new(image.width, image.height, image.channels + 1, data)
}

/// A rav1d context for one frame at a time, closed on drop.
struct Decoder(Option<Dav1dContext>);

/// A picture rav1d handed out, unreferenced on drop.
struct Picture(Dav1dPicture);

impl Decoder {
    fn open(frame_size_limit: u32) -> Result<Decoder> {
        // SAFETY: default_settings fills every field of the settings it is given.
        unsafe {
            let mut settings = MaybeUninit::<Dav1dSettings>::uninit();
            dav1d_default_settings(NonNull::from(&mut settings).cast());
            let mut settings = settings.assume_init();
            // Jobs already run in parallel; a still image has nothing to pipeline.
            settings.n_threads = 1;
            settings.max_frame_delay = 1;
            settings.apply_grain = 1;
            settings.frame_size_limit = frame_size_limit;
            let mut context = None;
            let status = dav1d_open(
                Some(NonNull::from(&mut context)),
                Some(NonNull::from(&mut settings)),
            );
            check(status.0, "cannot open the AV1 decoder")?;
            Ok(Decoder(context))
        }
    }

    /// Sends one AVIF item (a temporal unit) and returns its last picture: a layered item
    /// gives one per layer, each refining the one before.
    fn decode(&mut self, av1: &[u8]) -> Result<Picture> {
        let context = self.0;
        let mut last: Option<Picture> = None;
        // SAFETY: the context is open; the data buffer is created by rav1d with room for
        // `av1.len()` bytes and released by data_unref whether or not rav1d took it.
        unsafe {
            let mut data = Dav1dData::default();
            let buffer = dav1d_data_create(Some(NonNull::from(&mut data)), av1.len());
            if buffer.is_null() {
                return Err(EngineError::corrupt("AV1 data is empty"));
            }
            std::ptr::copy_nonoverlapping(av1.as_ptr(), buffer, av1.len());
            let sent = loop {
                let status = dav1d_send_data(context, Some(NonNull::from(&mut data)));
                if status.0 == 0 {
                    break Ok(());
                }
                // The decoder is full: take a picture out and try again.
                match self.next_picture() {
                    Some(picture) => last = Some(picture),
                    None => break check(status.0, "AV1 data is invalid"),
                }
            };
            dav1d_data_unref(Some(NonNull::from(&mut data)));
            sent?;
            while let Some(picture) = self.next_picture() {
                last = Some(picture);
            }
        }
        last.ok_or_else(|| EngineError::corrupt("AV1 data holds no picture"))
    }

    fn next_picture(&mut self) -> Option<Picture> {
        let mut picture = Picture(Dav1dPicture::default());
        // SAFETY: the context is open; on failure the picture stays empty and unref is a no-op.
        let status = unsafe { dav1d_get_picture(self.0, Some(NonNull::from(&mut picture.0))) };
        (status.0 == 0).then_some(picture)
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // SAFETY: closes the context opened in `open` exactly once.
        unsafe { dav1d_close(Some(NonNull::from(&mut self.0))) }
    }
}

impl Drop for Picture {
    fn drop(&mut self) {
        // SAFETY: the picture was filled by get_picture (or is empty) and is dropped once.
        unsafe { dav1d_picture_unref(Some(NonNull::from(&mut self.0))) }
    }
}

fn check(status: i32, what: &str) -> Result<()> {
    if status == 0 {
        Ok(())
    } else {
        Err(EngineError::corrupt(format!("{what} (error {})", -status)))
    }
}

fn corrupt(error: avif_parse::Error) -> EngineError {
    EngineError::corrupt(format!("AVIF data is invalid ({error})"))
}
