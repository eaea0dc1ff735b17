//! A JPEG's Y, Cb and Cr planes as stored (libjpeg's raw data output), at full size:
//! neither upsampled nor converted to RGB. See planes.rs for why.

use mozjpeg::{ColorSpace, CompInfoExt};

use super::jpeg;
use crate::error::Result;
use crate::image::Image;
use crate::planes::{PlaneScale, Planes};
use crate::spec::FailOn;

/// The planes, each with its scale against the full-size image.
pub struct DecodedPlanes {
    pub planes: Planes,
    pub scales: [PlaneScale; 3],
}

/// `None` when the file does not hold three-component Y'CbCr.
pub fn decode(bytes: &[u8], fail_on: FailOn) -> Result<Option<DecodedPlanes>> {
    jpeg::reset_warnings();
    let planes = jpeg::guarded(|| {
        let decoder = jpeg::open(bytes)?;
        let components = decoder.components();
        if decoder.color_space() != ColorSpace::JCS_YCbCr || components.len() != 3 {
            return Ok(None);
        }
        let (width, height) = decoder.size();
        let max_h = components
            .iter()
            .map(|c| c.h_samp_factor)
            .max()
            .unwrap_or(1);
        let max_v = components
            .iter()
            .map(|c| c.v_samp_factor)
            .max()
            .unwrap_or(1);
        let layouts: Vec<Layout> = components
            .iter()
            .map(|c| {
                let (h, v) = (c.h_samp_factor as usize, c.v_samp_factor as usize);
                Layout {
                    width: (width * h).div_ceil(max_h as usize),
                    height: (height * v).div_ceil(max_v as usize),
                    stride: c.row_stride(),
                    scale: (h as f64 / max_h as f64, v as f64 / max_v as f64),
                }
            })
            .collect();
        let mut started = decoder.raw().map_err(jpeg::corrupt)?;
        let mut samples = [Vec::new(), Vec::new(), Vec::new()];
        let [a, b, c] = &mut samples;
        started.read_raw_data(&mut [a, b, c]);
        started.finish().map_err(jpeg::corrupt)?;
        let mut planes = layouts.iter().zip(samples).map(|(l, s)| l.plane(s));
        let mut next = || planes.next().expect("three components");
        let planes = Planes {
            luma: next(),
            blue: next(),
            red: next(),
        };
        let scales = std::array::from_fn(|i| layouts[i].scale);
        Ok(Some(DecodedPlanes { planes, scales }))
    })?;
    jpeg::check_warnings(bytes, fail_on)?;
    Ok(planes)
}

/// One component's samples as libjpeg wrote them: rows of whole blocks (`stride`), whole
/// rows of MCUs.
struct Layout {
    width: usize,
    height: usize,
    stride: usize,
    scale: PlaneScale,
}

impl Layout {
    fn plane(&self, mut data: Vec<u8>) -> Image {
        for row in 1..self.height {
            let start = row * self.stride;
            data.copy_within(start..start + self.width, row * self.width);
        }
        data.truncate(self.width * self.height);
        Image::new(self.width as u32, self.height as u32, 1, data)
    }
}
