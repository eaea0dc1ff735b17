//! What a TIFF page's samples are, from its tags: the photometric interpretation, how many
//! samples of how many bits in which number format, and how they are laid out. Decoding
//! and `metadata()` both read it.
use std::borrow::Cow;
use std::io::Cursor;

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::{logluv, relabel};

/// The Compression tag's values for "new-style" and "old-style" JPEG.
const JPEG_COMPRESSIONS: [u16; 2] = [7, 6];
pub const CMYK: u16 = 5;

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
    pub jpeg: bool,
    /// YCbCr with chroma subsampling (the tag's default is 2x2).
    pub subsampled: bool,
}

impl Kind {
    /// `logluv` when the page was opened from a relabelled copy (`openable`).
    pub fn of(decoder: &mut Decoder<Cursor<&[u8]>>, logluv: bool) -> Kind {
        let mut short = |tag| decoder.find_tag_unsigned::<u16>(tag).ok().flatten();
        let photometric = match logluv {
            true => logluv::PHOTOMETRIC,
            false => short(Tag::PhotometricInterpretation).unwrap_or(relabel::BLACK_IS_ZERO),
        };
        let samples = short(Tag::SamplesPerPixel).unwrap_or(1) as usize;
        let planar = short(Tag::PlanarConfiguration) == Some(2);
        let jpeg = short(Tag::Compression).is_some_and(|c| JPEG_COMPRESSIONS.contains(&c));
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
            .flatten();
        let subsampled = photometric == relabel::YCBCR && subsampling.as_deref() != Some(&[1, 1]);
        Kind {
            photometric,
            samples,
            bits,
            number,
            planar,
            jpeg,
            subsampled,
        }
    }

    /// Colour channels before the extra samples.
    pub fn colour_channels(&self) -> usize {
        match self.photometric {
            relabel::RGB | relabel::YCBCR | relabel::CIELAB | logluv::PHOTOMETRIC => 3,
            CMYK => 4,
            _ => 1,
        }
    }

    /// A sample beyond the colour ones (the first is alpha, as libvips reads it), or YCbCr
    /// data units, which libvips reads through libtiff's RGBA interface.
    pub fn has_alpha(&self) -> bool {
        match self.photometric {
            relabel::PALETTE => false,
            relabel::YCBCR if !self.jpeg && self.subsampled => true,
            _ => self.samples > self.colour_channels(),
        }
    }
}

/// The bytes the tiff crate opens: a LogLuv page, whose interpretation it refuses to open,
/// relabelled as RGB (logluv.rs then reads its strips), and whether it was one.
pub fn openable(bytes: &[u8], page: u32) -> (Cow<'_, [u8]>, bool) {
    let page = page as usize;
    if relabel::short_tag(bytes, page, relabel::PHOTOMETRIC) == Some(logluv::PHOTOMETRIC) {
        let changes = [(relabel::PHOTOMETRIC, relabel::RGB as u32)];
        if let Some(copy) = relabel::with_tags(bytes, page, &changes) {
            return (Cow::Owned(copy), true);
        }
    }
    (Cow::Borrowed(bytes), false)
}
