//! The measurement behind shrink-on-load's rule (`shrink::residual_reduction`): for each
//! reduction, how much SSIMULACRA2 each smaller decode loses against resizing from a
//! full-size decode, and so the smallest reduction Lanczos3 must still make after it.

use pixelpool_engine::decode::{decode, read_header, Header};
use pixelpool_engine::encode::{encode, Metadata};
use pixelpool_engine::geometry::Region;
use pixelpool_engine::resize::resize;
use pixelpool_engine::shrink::DecodeScale;
use pixelpool_engine::{DecodeLimits, Encoding, Format, Image, Rgba};

use crate::encoding::sweep_encoding;
use crate::reference::Reference;

/// Reductions (full width / output width) measured: the sweep's span, 1.25x to 16x, and
/// beyond, where a 1/8 decode could serve.
pub const REDUCTIONS: [f64; 15] = [
    1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 16.0, 20.0, 24.0, 32.0,
];
/// Residual reductions tried for WebP, whose decoder scales to any size.
const WEBP_RESIDUALS: [f64; 8] = [1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0];

/// The most SSIMULACRA2 a smaller decode may cost (issue #16's rule).
pub const LOSS_BOUND: f64 = 0.5;

pub struct Trial {
    pub reduction: f64,
    pub scale: DecodeScale,
    /// Decoded width over output width: what Lanczos3 still reduces.
    pub residual: f64,
    /// SSIMULACRA2 of the full-size decode's resize minus this decode's.
    pub loss: f64,
}

/// An input decoded at full size once, to compare smaller decodes against.
pub struct Photo {
    bytes: Vec<u8>,
    header: Header,
    full: Image,
    reference: Reference,
}

impl Photo {
    pub fn open(path: &str) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let header = read_header(&bytes).map_err(|e| format!("{path}: {e}"))?;
        let full = decode_at(&bytes, &header, DecodeScale::FULL)?;
        let reference = Reference::new(&full);
        Ok(Self {
            bytes,
            header,
            full,
            reference,
        })
    }

    pub fn format(&self) -> Format {
        self.header.format
    }

    /// Stored width.
    pub fn width(&self) -> u32 {
        self.header.width
    }

    /// The loss of decoding at `scale` for an output `reduction` times smaller than stored.
    /// With `encoding`, both are scored after a round trip through that encoder, as the
    /// outputs a user gets; without, as resized.
    pub fn trial(
        &self,
        reduction: f64,
        scale: DecodeScale,
        encoding: Option<Encoding>,
    ) -> Result<Trial, String> {
        let width = (self.full.width as f64 / reduction).round() as u32;
        let height = (self.full.height as f64 / reduction).round() as u32;
        let output = |image: Image| match encoding {
            None => Ok(image),
            Some(encoding) => round_trip(&image, &encoding),
        };
        let full = (self.full.width as f64, self.full.height as f64);
        let baseline = self
            .reference
            .score(&output(resized(&self.full, full, width, height)?)?)?;
        let decoded = decode_at(&self.bytes, &self.header, scale)?;
        let (sx, sy) = scale.exact(&self.header, (decoded.width, decoded.height));
        let extent = (full.0 * sx, full.1 * sy);
        let score = self
            .reference
            .score(&output(resized(&decoded, extent, width, height)?)?)?;
        Ok(Trial {
            reduction,
            scale,
            residual: decoded.width as f64 / width as f64,
            loss: baseline - score,
        })
    }

    /// Every smaller decode this format offers that is still at least the output's size.
    pub fn candidates(&self, reduction: f64) -> Vec<DecodeScale> {
        let fits = |s: &DecodeScale| {
            s.apply(self.header.width) as f64 * reduction >= self.header.width as f64
        };
        match self.header.format {
            Format::Jpeg => (1..8).map(DecodeScale::eighths_of).filter(fits).collect(),
            Format::Webp => WEBP_RESIDUALS
                .iter()
                .map(|&residual| DecodeScale::webp_leaving(residual, reduction))
                .filter(|s| !s.is_full())
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn decode_at(bytes: &[u8], header: &Header, scale: DecodeScale) -> Result<Image, String> {
    decode(bytes, header, scale, &DecodeLimits::default()).map_err(|e| e.to_string())
}

fn round_trip(image: &Image, encoding: &Encoding) -> Result<Image, String> {
    let bytes =
        encode(image, encoding, Rgba::BLACK, &Metadata::default()).map_err(|e| e.to_string())?;
    let header = read_header(&bytes).map_err(|e| e.to_string())?;
    decode_at(&bytes, &header, DecodeScale::FULL)
}

/// The whole picture, `extent` pixels of `image` (a scaled decode's picture may end
/// inside its last row and column), to `width` x `height`.
pub fn resized(
    image: &Image,
    extent: (f64, f64),
    width: u32,
    height: u32,
) -> Result<Image, String> {
    let whole = Region::whole(
        extent.0.min(image.width as f64),
        extent.1.min(image.height as f64),
    );
    resize(image, whole, width, height).map_err(|e| e.to_string())
}

/// `shrink-quality [--encode jpeg|webp] <photo>...`: one line per trial, then per format
/// and scale the residual reduction from which the loss stays within the bound.
pub fn run(args: &[String]) -> Result<(), String> {
    let (encoding, paths) = match args {
        [flag, format, paths @ ..] if flag == "--encode" => (Some(sweep_encoding(format)?), paths),
        paths => (None, paths),
    };
    let mut all: Vec<(Format, Trial)> = Vec::new();
    println!("photo\treduction\tscale\tresidual\tloss");
    for path in paths {
        let photo = Photo::open(path)?;
        for reduction in REDUCTIONS {
            for scale in photo.candidates(reduction) {
                let trial = photo.trial(reduction, scale, encoding)?;
                println!(
                    "{path}\t{reduction}\t{}/{}\t{:.3}\t{:.3}",
                    scale.num, scale.den, trial.residual, trial.loss
                );
                all.push((photo.format(), trial));
            }
        }
    }
    println!(
        "\nformat\tscale\tsmallest residual from which every trial loses at most {LOSS_BOUND}"
    );
    for (group, trials) in groups(&all) {
        match holds_from(&trials) {
            Some(residual) => println!("{group}\t{residual:.3}"),
            None => println!("{group}\tnone measured"),
        }
    }
    Ok(())
}

/// JPEG trials by scale numerator (its IDCTs differ: 1/2, 1/4 and 1/8 are the "reduced"
/// ones), WebP trials together (one scaler).
fn groups(all: &[(Format, Trial)]) -> Vec<(String, Vec<&Trial>)> {
    let mut groups: Vec<(String, Vec<&Trial>)> = Vec::new();
    for (format, trial) in all {
        let name = match format {
            Format::Jpeg => format!("jpeg\t{}/8", trial.scale.apply(8)),
            other => format!("{}\tany", other.name()),
        };
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, trials)) => trials.push(trial),
            None => groups.push((name, vec![trial])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

/// The smallest measured residual at and above which no trial loses more than the bound.
pub fn holds_from(trials: &[&Trial]) -> Option<f64> {
    let mut sorted: Vec<&&Trial> = trials.iter().collect();
    sorted.sort_by(|a, b| a.residual.total_cmp(&b.residual));
    let last_failure = sorted.iter().rposition(|t| t.loss > LOSS_BOUND);
    let failed_at = last_failure.map(|i| sorted[i].residual);
    sorted
        .iter()
        .map(|t| t.residual)
        .find(|&r| failed_at.is_none_or(|f| r > f))
}
