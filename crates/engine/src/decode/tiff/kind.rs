//! What a TIFF page's samples are, from its tags: the photometric interpretation, how many
//! samples of how many bits in which number format, and how they are laid out. Decoding
//! and `metadata()` both read it.
use std::borrow::Cow;
use std::io::Cursor;

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::relabel;

/// PhotometricInterpretation values: what the samples mean.
pub mod photometric {
    pub const WHITE_IS_ZERO: u16 = 0;
    pub const BLACK_IS_ZERO: u16 = 1;
    pub const RGB: u16 = 2;
    pub const PALETTE: u16 = 3;
    pub const CMYK: u16 = 5;
    pub const YCBCR: u16 = 6;
    pub const CIELAB: u16 = 8;
    pub const LOGLUV: u16 = 32845;
}

/// The Compression tag's values for "new-style" and "old-style" JPEG.
const JPEG_COMPRESSIONS: [u16; 2] = [7, 6];

/// The SampleFormat tag: 1 unsigned (the default), 2 signed, 3 IEEE float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    Unsigned,
    Signed,
    Float,
}

pub struct Kind {
    pub photometric: u16,
    pub samples: usize,
    pub bits: u16,
    pub number: Number,
    pub planar: bool,
    pub compression: Option<u16>,
    /// YCbCr chroma subsampling, across and down (the tag's default is 2x2).
    pub subsampling: (u16, u16),
}

impl Kind {
    /// `logluv` when the page was opened from a relabelled copy (`openable`).
    pub fn of(decoder: &mut Decoder<Cursor<&[u8]>>, logluv: bool) -> Kind {
        let mut short = |tag| decoder.find_tag_unsigned::<u16>(tag).ok().flatten();
        let photometric = match logluv {
            true => photometric::LOGLUV,
            false => short(Tag::PhotometricInterpretation).unwrap_or(photometric::BLACK_IS_ZERO),
        };
        let samples = short(Tag::SamplesPerPixel).unwrap_or(1) as usize;
        let planar = short(Tag::PlanarConfiguration) == Some(2);
        let compression = short(Tag::Compression);
        let mut first = |tag| {
            decoder
                .find_tag_unsigned_vec::<u16>(tag)
                .ok()
                .flatten()
                .and_then(|values| values.first().copied())
        };
        let bits = first(Tag::BitsPerSample).unwrap_or(1);
        let number = match first(Tag::SampleFormat) {
            Some(2) => Number::Signed,
            Some(3) => Number::Float,
            _ => Number::Unsigned,
        };
        let subsampling = decoder
            .find_tag_unsigned_vec::<u16>(Tag::ChromaSubsampling)
            .ok()
            .flatten()
            .filter(|v| v.len() == 2)
            .map_or((2, 2), |v| (v[0], v[1]));
        Kind {
            photometric,
            samples,
            bits,
            number,
            planar,
            compression,
            subsampling,
        }
    }

    pub fn jpeg(&self) -> bool {
        self.compression
            .is_some_and(|c| JPEG_COMPRESSIONS.contains(&c))
    }

    /// YCbCr stored as chroma-subsampled data units (JPEG hands back pixels itself).
    pub fn ycbcr_units(&self) -> bool {
        self.photometric == photometric::YCBCR && !self.jpeg() && self.subsampling != (1, 1)
    }

    /// Colour channels before the extra samples.
    pub fn colour_channels(&self) -> usize {
        match self.photometric {
            photometric::RGB | photometric::YCBCR | photometric::CIELAB | photometric::LOGLUV => 3,
            photometric::CMYK => 4,
            _ => 1,
        }
    }

    /// A sample beyond the colour ones (the first is alpha, as libvips reads it), or YCbCr
    /// data units, which libvips reads through libtiff's RGBA interface.
    pub fn has_alpha(&self) -> bool {
        match self.photometric {
            photometric::PALETTE => false,
            _ if self.ycbcr_units() => true,
            _ => self.samples > self.colour_channels(),
        }
    }
}

/// The bytes the tiff crate opens: a LogLuv page, whose interpretation it refuses to open,
/// relabelled as RGB (logluv.rs then reads its strips), and whether it was one.
pub fn openable(bytes: &[u8], page: u32) -> (Cow<'_, [u8]>, bool) {
    let page = page as usize;
    if relabel::short_tag(bytes, page, relabel::PHOTOMETRIC) == Some(photometric::LOGLUV) {
        let changes = [(relabel::PHOTOMETRIC, photometric::RGB as u32)];
        if let Some(copy) = relabel::with_tags(bytes, page, &changes) {
            return (Cow::Owned(copy), true);
        }
    }
    (Cow::Borrowed(bytes), false)
}
