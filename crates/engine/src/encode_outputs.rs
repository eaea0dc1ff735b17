//! Encodes a job's rendered outputs, each with the metadata it keeps, and says how long the
//! encoders ran (summed over outputs). Called from a rayon
//! pool (the queue's), the outputs are encoded in parallel on it: a job of nine outputs
//! (three widths in AVIF, WebP and JPEG, as eleventy-img asks) then uses idle threads
//! instead of one, and a busy pool simply runs them one after another. Called from any
//! other thread, they are encoded there, in turn.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::encode::{self, Metadata};
use crate::error::Result;
use crate::image::Image;
use crate::output_metadata;
use crate::spec::{Format, OutputSpec};
use crate::tiles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
    pub placement: Placement,
}

/// Where an output's pixels were found, for the results sharp reports with them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// Where the area `trim` kept starts in the upright input (sharp's trimOffsetLeft/Top,
    /// negated), for outputs that trim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trim_offset: Option<[u32; 2]>,
    /// Where an `entropy` or `attention` crop starts in the resized image (sharp's
    /// cropOffsetLeft/Top, negated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crop_offset: Option<[u32; 2]>,
    /// The point a strategy crop centred on, in sharp's units (its attentionX/Y).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attention: Option<[u32; 2]>,
}

pub(crate) fn encode_outputs(
    specs: &[OutputSpec],
    images: Vec<Image>,
    metadata: &Metadata,
) -> Result<(Vec<Encoded>, Duration)> {
    let encode_one = |(index, image): (usize, Image)| {
        let spec = &specs[index];
        let started = Instant::now();
        let written =
            output_metadata::for_output(spec, metadata).map_err(|e| e.for_output(index))?;
        let bytes = match &spec.tiles {
            Some(tiles) => tiles::save(&image, tiles, &spec.encoding, spec.background, &written),
            None => encode::encode(&image, &spec.encoding, spec.background, &written),
        }
        .map_err(|e| e.for_output(index))?;
        let encoded = Encoded {
            format: spec.encoding.format(),
            width: image.width,
            height: image.height,
            bytes,
            placement: Placement::default(),
        };
        Ok((encoded, started.elapsed()))
    };
    let numbered = images.into_iter().enumerate();
    let results: Vec<Result<(Encoded, Duration)>> =
        if specs.len() > 1 && rayon::current_thread_index().is_some() {
            numbered
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(encode_one)
                .collect()
        } else {
            numbered.map(encode_one).collect()
        };
    let mut encoded = Vec::with_capacity(results.len());
    let mut total = Duration::ZERO;
    for result in results {
        let (output, took) = result?;
        total += took;
        encoded.push(output);
    }
    Ok((encoded, total))
}
