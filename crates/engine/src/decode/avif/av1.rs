//! One AV1 image decoded by libaom and turned into 8-bit RGB or grey (yuv crate).
use aom_decode::color::{ChromaSampling, Depth, MatrixCoefficients, Range};
use aom_decode::{Config, Decoder, RowsIter, RowsIters};
use yuv::{YuvPlanarImage, YuvRange, YuvStandardMatrix};

use crate::error::{EngineError, Result};
use crate::image::Image;

/// One sample plane at 8 bits, rows packed.
pub(super) struct Plane {
    pub width: u32,
    pub height: u32,
    samples: Vec<u8>,
}

/// One decoded AV1 frame, copied out of libaom.
pub(super) struct Frame {
    pub luma: Plane,
    /// U and V (or B and R with the identity matrix); none for monochrome.
    chroma: Option<[Plane; 2]>,
    sampling: ChromaSampling,
    full_range: bool,
    matrix: Option<MatrixCoefficients>,
}

impl Frame {
    pub(super) fn decode(av1: &[u8]) -> Result<Frame> {
        // Jobs already run in parallel; one thread per decode.
        let mut decoder = Decoder::new(&Config { threads: 1 }).map_err(av1_error)?;
        let frame = decoder.decode_frame(av1).map_err(av1_error)?;
        let full_range = frame.range() == Range::Full;
        let matrix = frame.matrix_coefficients();
        let (luma, chroma, sampling) = match frame.rows_iter().map_err(av1_error)? {
            RowsIters::Mono8(y) => (plane8(y), None, ChromaSampling::Monochrome),
            RowsIters::Mono16(y, depth) => (plane16(y, depth), None, ChromaSampling::Monochrome),
            RowsIters::YuvPlanes8 {
                y,
                u,
                v,
                chroma_sampling,
            } => (plane8(y), Some([plane8(u), plane8(v)]), chroma_sampling),
            RowsIters::YuvPlanes16 {
                y,
                u,
                v,
                chroma_sampling,
                depth,
            } => (
                plane16(y, depth),
                Some([plane16(u, depth), plane16(v, depth)]),
                chroma_sampling,
            ),
        };
        Ok(Frame {
            luma,
            chroma,
            sampling,
            full_range,
            matrix,
        })
    }

    pub(super) fn to_image(&self) -> Result<Image> {
        let (width, height) = (self.luma.width, self.luma.height);
        let Some([u, v]) = &self.chroma else {
            return Ok(Image::new(width, height, 1, self.luma_full_range()));
        };
        if self.matrix == Some(MatrixCoefficients::Identity) {
            // AV1 allows the identity matrix only without chroma subsampling.
            if self.sampling != ChromaSampling::Cs444 {
                return Err(EngineError::corrupt(
                    "AVIF stores RGB (identity matrix) with subsampled chroma",
                ));
            }
            return Ok(self.identity_to_rgb(u, v));
        }
        let planar = YuvPlanarImage {
            y_plane: &self.luma.samples,
            y_stride: width,
            u_plane: &u.samples,
            u_stride: u.width,
            v_plane: &v.samples,
            v_stride: v.width,
            width,
            height,
        };
        let range = if self.full_range {
            YuvRange::Full
        } else {
            YuvRange::Limited
        };
        let matrix = match self.matrix {
            Some(MatrixCoefficients::BT709) => YuvStandardMatrix::Bt709,
            Some(MatrixCoefficients::BT2020NCL) => YuvStandardMatrix::Bt2020,
            Some(MatrixCoefficients::SMPTE240) => YuvStandardMatrix::Smpte240,
            Some(MatrixCoefficients::FCC) => YuvStandardMatrix::Fcc,
            // BT.601 and BT.470BG, and "unspecified", which libavif also reads as BT.601.
            _ => YuvStandardMatrix::Bt601,
        };
        let mut rgb = vec![0u8; width as usize * height as usize * 3];
        let stride = width * 3;
        let converted = match self.sampling {
            ChromaSampling::Cs420 => yuv::yuv420_to_rgb(&planar, &mut rgb, stride, range, matrix),
            ChromaSampling::Cs422 => yuv::yuv422_to_rgb(&planar, &mut rgb, stride, range, matrix),
            _ => yuv::yuv444_to_rgb(&planar, &mut rgb, stride, range, matrix),
        };
        // The planes come from one decoded frame, so a size mismatch means a corrupt stream.
        converted.map_err(|e| EngineError::corrupt(format!("AVIF planes do not fit ({e})")))?;
        Ok(Image::new(width, height, 3, rgb))
    }

    /// Matrix "identity" stores G, B, R in the Y, U, V planes (lossless AVIF uses it).
    fn identity_to_rgb(&self, blue: &Plane, red: &Plane) -> Image {
        let green = &self.luma.samples;
        let data = (0..green.len())
            .flat_map(|i| {
                [red.samples[i], green[i], blue.samples[i]].map(|value| self.expand(value))
            })
            .collect();
        Image::new(self.luma.width, self.luma.height, 3, data)
    }

    /// The Y plane as 0-255 (grey images and alpha).
    pub(super) fn luma_full_range(&self) -> Vec<u8> {
        self.luma
            .samples
            .iter()
            .map(|&value| self.expand(value))
            .collect()
    }

    fn expand(&self, value: u8) -> u8 {
        if self.full_range {
            value
        } else {
            ((value.clamp(16, 235) as u32 - 16) * 255 / 219) as u8
        }
    }
}

fn plane8(rows: RowsIter<'_, u8>) -> Plane {
    let (width, height) = (rows.width() as u32, rows.height() as u32);
    let samples = rows.flatten().copied().collect();
    Plane {
        width,
        height,
        samples,
    }
}

/// Rounds 10-, 12- and 16-bit samples to 8 bits.
fn plane16(rows: RowsIter<'_, [u8; 2]>, depth: Depth) -> Plane {
    let max = match depth {
        Depth::Depth8 => 255,
        Depth::Depth10 => 1023,
        Depth::Depth12 => 4095,
        Depth::Depth16 => 65535,
    };
    let (width, height) = (rows.width() as u32, rows.height() as u32);
    let samples = rows
        .flatten()
        .map(|&bytes| {
            let sample = (u16::from_ne_bytes(bytes) as u32).min(max);
            ((sample * 255 + max / 2) / max) as u8
        })
        .collect();
    Plane {
        width,
        height,
        samples,
    }
}

fn av1_error(error: aom_decode::Error) -> EngineError {
    EngineError::corrupt(format!("AV1 data is invalid ({error})"))
}
