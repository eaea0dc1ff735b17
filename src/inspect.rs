//! sharp's `metadata()` (header only) and `stats()` (a full decode, off the JS thread), and
//! the raw and join containers that carry `{ raw }`, `{ create }` and joined inputs.
// napi registers these free functions when Node loads the addon; a test build never does.
#![cfg_attr(test, allow(dead_code))]
use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Error, Task};
use napi_derive::napi;
use pixelpool_engine::describe::describe as describe_bytes;
use pixelpool_engine::statistics::{statistics, ImageStats};
use pixelpool_engine::{DecodeLimits, EngineError, FailOn};

use crate::outcome::{engine_error_to_js, NativeError};

/// Thrown with its code as the JS error's `code`, which `lib/errors.js` keeps.
fn coded(error: EngineError) -> Error<String> {
    Error::new(error.kind.code().to_owned(), error.message)
}

#[napi]
pub fn raw_input(samples: Buffer, width: u32, height: u32, channels: u32) -> Buffer {
    pixelpool_engine::decode::raw_container(width, height, channels as u8, &samples).into()
}

/// The join container of a join in the engine's JSON shape (`pixelpool_engine::join::Join`),
/// checked as the engine reads it.
#[napi]
pub fn join_input(join: String) -> Result<Buffer, Error<String>> {
    use pixelpool_engine::join::Join;
    let invalid =
        |e: serde_json::Error| Error::new("INVALID_OPTION".to_owned(), format!("join: {e}"));
    let join: Join = serde_json::from_str(&join).map_err(invalid)?;
    let bytes = join.container();
    Join::parse(&bytes).map_err(coded)?;
    Ok(bytes.into())
}

/// sharp's `metadata()` fields, named as sharp names them where the meaning is the same.
#[napi(object)]
pub struct NativeDescription {
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub space: String,
    pub channels: u32,
    /// libvips' band format name (sharp's `depth`).
    pub depth: String,
    pub density: Option<u32>,
    pub resolution_unit: Option<String>,
    pub chroma_subsampling: Option<String>,
    pub is_progressive: bool,
    pub is_palette: bool,
    pub bits_per_sample: Option<u32>,
    pub pages: Option<u32>,
    pub frames: u32,
    pub loop_count: Option<u32>,
    pub delay: Option<Vec<u32>>,
    pub page_primary: Option<u32>,
    pub compression: Option<String>,
    pub background: Option<Vec<f64>>,
    pub has_profile: bool,
    pub has_alpha: bool,
    /// The orientation the file states, if any; `upright_orientation` is what auto-orient uses.
    pub orientation: Option<u32>,
    pub upright_orientation: u32,
    pub exif: Option<Buffer>,
    pub icc: Option<Buffer>,
    pub iptc: Option<Buffer>,
    pub xmp: Option<Buffer>,
    pub tifftag_photoshop: Option<Buffer>,
    /// PNG text chunks as [keyword, text] pairs.
    pub comments: Vec<Vec<String>>,
}

#[napi]
pub fn describe(bytes: Buffer) -> Result<NativeDescription, Error<String>> {
    let d = describe_bytes(&bytes).map_err(coded)?;
    Ok(NativeDescription {
        format: d.header.format.name().to_string(),
        width: d.header.width,
        height: d.header.height,
        space: d.space.name().to_string(),
        channels: d.channels as u32,
        depth: d.format.name().to_string(),
        density: d.density(),
        resolution_unit: d.resolution_unit.map(str::to_string),
        chroma_subsampling: d.chroma_subsampling.map(str::to_string),
        is_progressive: d.progressive,
        is_palette: d.palette,
        bits_per_sample: d.bits_per_sample.map(u32::from),
        pages: d.pages,
        frames: d.frames,
        loop_count: d.loop_count,
        delay: d.delays,
        page_primary: d.page_primary,
        compression: d.compression.map(str::to_string),
        background: d.background,
        has_profile: d.header.icc.is_some(),
        has_alpha: d.header.has_alpha,
        orientation: d.orientation.map(u32::from),
        upright_orientation: d.header.orientation as u32,
        exif: d.header.exif.map(Buffer::from),
        icc: d.header.icc.map(Buffer::from),
        iptc: d.iptc.map(Buffer::from),
        xmp: d.xmp.map(Buffer::from),
        tifftag_photoshop: d.photoshop.map(Buffer::from),
        comments: d.comments.into_iter().map(|(k, t)| vec![k, t]).collect(),
    })
}

#[napi(object)]
pub struct NativeChannelStats {
    pub min: u32,
    pub max: u32,
    pub sum: f64,
    pub squares_sum: f64,
    pub mean: f64,
    pub stdev: f64,
    pub min_x: u32,
    pub min_y: u32,
    pub max_x: u32,
    pub max_y: u32,
}

#[napi(object)]
pub struct NativeStatsResult {
    pub channels: Vec<NativeChannelStats>,
    pub is_opaque: bool,
    pub entropy: f64,
    pub sharpness: f64,
    /// [r, g, b]
    pub dominant: Vec<u32>,
}

pub struct StatsTask {
    bytes: Buffer,
    limits: DecodeLimits,
}

/// Resolves to `{ stats }` or `{ error }`, as a job does: a task's rejection cannot carry
/// a code.
#[napi(object)]
pub struct NativeStatsOutcome {
    pub stats: Option<NativeStatsResult>,
    pub error: Option<NativeError>,
}

impl Task for StatsTask {
    type Output = Result<ImageStats, EngineError>;
    type JsValue = NativeStatsOutcome;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(statistics(&self.bytes, &self.limits))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<NativeStatsOutcome> {
        let stats = match output {
            Ok(stats) => stats,
            Err(error) => {
                return Ok(NativeStatsOutcome {
                    stats: None,
                    error: Some(engine_error_to_js(error)),
                });
            }
        };
        let channels = stats
            .channels
            .into_iter()
            .map(|c| NativeChannelStats {
                min: c.min as u32,
                max: c.max as u32,
                sum: c.sum,
                squares_sum: c.squares_sum,
                mean: c.mean,
                stdev: c.stdev,
                min_x: c.min_x,
                min_y: c.min_y,
                max_x: c.max_x,
                max_y: c.max_y,
            })
            .collect();
        let stats = NativeStatsResult {
            channels,
            is_opaque: stats.is_opaque,
            entropy: stats.entropy,
            sharpness: stats.sharpness,
            dominant: stats.dominant.iter().map(|&v| v as u32).collect(),
        };
        Ok(NativeStatsOutcome {
            stats: Some(stats),
            error: None,
        })
    }
}

/// Runs on libuv's pool: one decode, as sharp's own `stats()` does.
#[napi]
pub fn image_stats(bytes: Buffer, limit_input_pixels: f64) -> AsyncTask<StatsTask> {
    let limits = DecodeLimits {
        max_pixels: limit_input_pixels as u64,
        fail_on: FailOn::None,
        ..DecodeLimits::default()
    };
    AsyncTask::new(StatsTask { bytes, limits })
}
