//! A settled job as a plain JS object. Jobs always *resolve* natively; `lib/queue.js`
//! turns `error` into a rejected promise carrying the caller's stack.
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use pixelpool_queue::{JobError, JobResult, Outcome, RanOn};

#[napi(object)]
pub struct NativeOutcome {
    pub error: Option<NativeError>,
    pub result: Option<NativeResult>,
}

#[napi(object)]
pub struct NativeError {
    pub code: String,
    pub message: String,
    pub output_index: Option<u32>,
}

#[napi(object)]
pub struct NativeInputInfo {
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub orientation: u32,
    pub has_alpha: bool,
    /// Frames read: an animation's count with `animated`, else 1.
    pub pages: u32,
    /// What the decoder left out (an SVG's references to other files).
    pub warnings: Vec<String>,
}

#[napi(object)]
pub struct NativeOutputResult {
    pub path: Option<String>,
    pub data: Option<Buffer>,
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub size: f64,
    /// Where the area `trim` kept starts in the upright input, for outputs that trim.
    pub trim_offset: Option<NativeOffset>,
    /// Where an `entropy` or `attention` crop starts in the resized image.
    pub crop_offset: Option<NativeOffset>,
    /// The point such a crop centred on, in sharp's units (its attentionX/Y).
    pub attention: Option<NativePoint>,
}

#[napi(object)]
pub struct NativePoint {
    pub x: u32,
    pub y: u32,
}

#[napi(object)]
pub struct NativeOffset {
    pub left: u32,
    pub top: u32,
}

/// Milliseconds per stage.
#[napi(object)]
pub struct NativeProfile {
    pub read: f64,
    pub decode: f64,
    pub resize: f64,
    pub encode: f64,
    pub write: f64,
}

#[napi(object)]
pub struct NativeResult {
    pub id: f64,
    pub input: NativeInputInfo,
    pub outputs: Vec<NativeOutputResult>,
    pub ran_on: String,
    pub worker: Option<String>,
    pub cached: bool,
    pub ms: f64,
    pub profile: NativeProfile,
}

/// Plain Rust data that crosses to the JS thread; Buffers are made there.
pub fn to_js(outcome: Outcome) -> NativeOutcome {
    match outcome {
        Ok(result) => NativeOutcome {
            error: None,
            result: Some(result_to_js(result)),
        },
        Err(error) => NativeOutcome {
            error: Some(error_to_js(error)),
            result: None,
        },
    }
}

/// An engine error outside a job (statistics, drawn text, noise), with its code.
pub fn engine_error_to_js(error: pixelpool_engine::EngineError) -> NativeError {
    NativeError {
        code: error.kind.code().to_owned(),
        message: error.message,
        output_index: None,
    }
}

pub fn error_to_js(error: JobError) -> NativeError {
    NativeError {
        code: error.code.as_str().to_string(),
        message: error.message,
        output_index: error.output_index.map(|i| i as u32),
    }
}

fn result_to_js(result: JobResult) -> NativeResult {
    let input = NativeInputInfo {
        format: result.input.format.name().to_string(),
        width: result.input.width,
        height: result.input.height,
        orientation: result.input.orientation as u32,
        has_alpha: result.input.has_alpha,
        pages: result.input.pages,
        warnings: result.input.warnings,
    };
    let outputs = result
        .outputs
        .into_iter()
        .map(|output| NativeOutputResult {
            path: output.path.map(|p| p.display().to_string()),
            data: output.data.map(Buffer::from),
            format: output.format.name().to_string(),
            width: output.width,
            height: output.height,
            size: output.size as f64,
            trim_offset: output.placement.trim_offset.map(offset),
            crop_offset: output.placement.crop_offset.map(offset),
            attention: output
                .placement
                .attention
                .map(|[x, y]| NativePoint { x, y }),
        })
        .collect();
    NativeResult {
        id: result.id as f64,
        input,
        outputs,
        ran_on: match result.ran_on {
            RanOn::Local => "local",
            RanOn::Remote => "remote",
        }
        .to_string(),
        worker: result.worker,
        cached: result.cached,
        ms: result.ms,
        profile: NativeProfile {
            read: result.profile.read,
            decode: result.profile.decode,
            resize: result.profile.resize,
            encode: result.profile.encode,
            write: result.profile.write,
        },
    }
}

fn offset([left, top]: [u32; 2]) -> NativeOffset {
    NativeOffset { left, top }
}
