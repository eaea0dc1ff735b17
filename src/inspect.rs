//! sharp's `metadata()` (header only) and `stats()` (a full decode, off the JS thread), and
//! the raw container that carries `{ raw }` and `{ create }` inputs.
// napi registers these free functions when Node loads the addon; a test build never does.
#![cfg_attr(test, allow(dead_code))]
use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Error, Status, Task};
use napi_derive::napi;
use pixelpool_engine::describe::describe as describe_bytes;
use pixelpool_engine::statistics::{statistics, ImageStats};
use pixelpool_engine::{DecodeLimits, EngineError, FailOn};

/// Errors carry their code in front of the message, as the queue's do not need to: these
/// functions throw or reject directly, and `lib/errors.js` reads the code back.
fn engine_error(error: EngineError) -> Error {
    Error::new(
        Status::GenericFailure,
        format!("{}: {}", error.kind.code(), error.message),
    )
}

#[napi]
pub fn raw_input(samples: Buffer, width: u32, height: u32, channels: u32) -> Buffer {
    pixelpool_engine::decode::raw_container(width, height, channels as u8, &samples).into()
}

#[napi(object)]
pub struct NativeDescription {
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub channels: u32,
    pub bits: u32,
    pub density: Option<f64>,
    pub chroma_subsampling: Option<String>,
    pub is_progressive: bool,
    pub has_profile: bool,
    pub has_alpha: bool,
    pub orientation: u32,
    pub pages: u32,
    pub exif: Option<Buffer>,
    pub icc: Option<Buffer>,
}

#[napi]
pub fn describe(bytes: Buffer) -> napi::Result<NativeDescription> {
    let d = describe_bytes(&bytes).map_err(engine_error)?;
    Ok(NativeDescription {
        format: d.header.format.name().to_string(),
        width: d.header.width,
        height: d.header.height,
        channels: d.channels as u32,
        bits: d.bits as u32,
        density: d.density,
        chroma_subsampling: d.chroma_subsampling.map(str::to_string),
        is_progressive: d.progressive,
        has_profile: d.header.icc.is_some(),
        has_alpha: d.header.has_alpha,
        orientation: d.header.orientation as u32,
        pages: d.pages,
        exif: d.header.exif.map(Buffer::from),
        icc: d.header.icc.map(Buffer::from),
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

impl Task for StatsTask {
    type Output = ImageStats;
    type JsValue = NativeStatsResult;

    fn compute(&mut self) -> napi::Result<ImageStats> {
        statistics(&self.bytes, &self.limits).map_err(engine_error)
    }

    fn resolve(&mut self, _env: Env, stats: ImageStats) -> napi::Result<NativeStatsResult> {
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
        Ok(NativeStatsResult {
            channels,
            is_opaque: stats.is_opaque,
            entropy: stats.entropy,
            sharpness: stats.sharpness,
            dominant: stats.dominant.iter().map(|&v| v as u32).collect(),
        })
    }
}

/// Runs on libuv's pool: one decode, as sharp's own `stats()` does.
#[napi]
pub fn image_stats(bytes: Buffer, limit_input_pixels: f64) -> AsyncTask<StatsTask> {
    let limits = DecodeLimits {
        max_pixels: limit_input_pixels as u64,
        fail_on: FailOn::None,
    };
    AsyncTask::new(StatsTask { bytes, limits })
}
