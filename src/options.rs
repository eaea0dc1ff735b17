//! JS-shaped job options, converted to core types. `lib/validate.js` has already checked
//! every value and produced the user-facing messages; these conversions only guard the
//! boundary against callers that bypass it.
use std::path::PathBuf;

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use pixelpool_engine::operations::Operations;
use pixelpool_engine::{DecodeLimits, Duotone, Encoding, FailOn, Fit, Gravity, OutputSpec, Rgba};
use pixelpool_queue::{Input, Job, OutputTarget, SharedBytes};

use crate::errors::invalid_option;
use crate::remote::RemoteOptions;

#[napi(object)]
pub struct QueueOptions {
    /// Rayon threads. @default available parallelism
    pub concurrency: Option<u32>,
    /// Pending jobs beyond which `process()` rejects. @default 10000
    pub max_queue: Option<u32>,
    /// Folder of the result cache; none when absent.
    pub cache_dir: Option<String>,
    /// Size cap of the result cache in bytes.
    pub cache_max_bytes: Option<f64>,
    /// Overflow to remote workers; none when absent.
    pub remote: Option<RemoteOptions>,
}

#[napi(object)]
pub struct NativeJob {
    pub id: f64,
    pub input_path: Option<String>,
    pub input_data: Option<Buffer>,
    pub outputs: Vec<NativeOutput>,
    pub priority: i32,
    pub limit_input_pixels: f64,
    pub fail_on: String,
}

#[napi(object)]
pub struct NativeOutput {
    pub path: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fit: String,
    pub position: String,
    /// [r, g, b, alpha 0-255]
    pub background: Vec<u32>,
    pub without_enlargement: bool,
    pub rotate: u32,
    pub flip: bool,
    pub flop: bool,
    pub grayscale: bool,
    pub keep_metadata: bool,
    pub format: String,
    pub quality: u32,
    pub progressive: bool,
    pub chroma_subsampling: String,
    pub compression_level: u32,
    pub lossless: bool,
    pub effort: u32,
    pub alpha_quality: u32,
    /// PNG: quantise to a palette (at `quality`).
    pub palette: bool,
    /// Trim threshold 0-255; none when not trimming.
    pub trim: Option<u32>,
    pub duotone: Option<NativeDuotone>,
    /// `pixelpool_engine::operations::Operations` in its serde shape (camelCase).
    pub operations: Option<serde_json::Value>,
}

#[napi(object)]
pub struct NativeDuotone {
    /// [r, g, b]
    pub highlight: Vec<u32>,
    pub shadow: Vec<u32>,
    /// Percent; none to replace the colours outright.
    pub opacity: Option<u32>,
}

impl TryFrom<NativeJob> for Job {
    type Error = napi::Error;

    fn try_from(job: NativeJob) -> napi::Result<Job> {
        let input = match (job.input_path, job.input_data) {
            (Some(path), None) => Input::Path(PathBuf::from(path)),
            // Shared, not copied: the caller must not mutate a Buffer while its job is pending.
            (None, Some(data)) => Input::Bytes(SharedBytes::new(JsBytes(data))),
            _ => return Err(invalid_option("input", "exactly one of a path or bytes")),
        };
        let outputs = job
            .outputs
            .into_iter()
            .enumerate()
            .map(|(index, output)| output_target(index, output))
            .collect::<napi::Result<Vec<_>>>()?;
        let fail_on = match job.fail_on.as_str() {
            "none" => FailOn::None,
            "truncated" => FailOn::Truncated,
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            _ => {
                return Err(invalid_option(
                    "failOn",
                    "one of none, truncated, error, warning",
                ))
            }
        };
        let limits = DecodeLimits {
            max_pixels: job.limit_input_pixels as u64,
            fail_on,
        };
        Ok(Job {
            id: job.id as u64,
            input,
            outputs,
            priority: job.priority,
            limits,
        })
    }
}

fn output_target(index: usize, output: NativeOutput) -> napi::Result<OutputTarget> {
    let name = |option: &str| format!("outputs[{index}].{option}");
    let fit = match output.fit.as_str() {
        "cover" => Fit::Cover,
        "contain" => Fit::Contain,
        "fill" => Fit::Fill,
        "inside" => Fit::Inside,
        "outside" => Fit::Outside,
        _ => {
            return Err(invalid_option(
                &name("fit"),
                "one of cover, contain, fill, inside, outside",
            ))
        }
    };
    let position =
        gravity(&output.position).ok_or_else(|| invalid_option(&name("position"), "a gravity"))?;
    let encoding = match output.format.as_str() {
        "jpeg" => Encoding::Jpeg {
            quality: output.quality as u8,
            progressive: output.progressive,
            chroma_subsampling_420: output.chroma_subsampling == "4:2:0",
        },
        "png" => Encoding::Png {
            compression_level: output.compression_level as u8,
            palette: output.palette.then_some(output.quality as u8),
        },
        "webp" => Encoding::Webp {
            quality: output.quality as u8,
            lossless: output.lossless,
            effort: output.effort as u8,
            alpha_quality: output.alpha_quality as u8,
        },
        "avif" => Encoding::Avif {
            quality: output.quality as u8,
            effort: output.effort as u8,
            lossless: output.lossless,
        },
        "raw" => Encoding::Raw,
        _ => {
            return Err(invalid_option(
                &name("format"),
                "one of jpeg, png, webp, avif, raw",
            ))
        }
    };
    let duotone = output
        .duotone
        .map(|d| {
            Ok::<_, napi::Error>(Duotone {
                highlight: rgb(&d.highlight)
                    .ok_or_else(|| invalid_option(&name("duotone.highlight"), "[r, g, b]"))?,
                shadow: rgb(&d.shadow)
                    .ok_or_else(|| invalid_option(&name("duotone.shadow"), "[r, g, b]"))?,
                opacity: d.opacity.map(|o| o.min(100) as u8),
            })
        })
        .transpose()?;
    let [r, g, b, a] = <[u32; 4]>::try_from(output.background)
        .map_err(|_| invalid_option(&name("background"), "[r, g, b, alpha]"))?
        .map(|v| v.min(255) as u8);
    let operations = match output.operations {
        None => Operations::default(),
        Some(value) => serde_json::from_value(value)
            .map_err(|e| invalid_option(&name("operations"), &e.to_string()))?,
    };
    let spec = OutputSpec {
        width: output.width,
        height: output.height,
        fit,
        position,
        background: Rgba { r, g, b, a },
        without_enlargement: output.without_enlargement,
        rotate: output.rotate as u16,
        flip: output.flip,
        flop: output.flop,
        grayscale: output.grayscale,
        trim: output.trim.map(|t| t.min(255) as u8),
        duotone,
        keep_metadata: output.keep_metadata,
        operations,
        encoding,
    };
    Ok(OutputTarget {
        path: output.path.map(PathBuf::from),
        spec,
    })
}

fn rgb(channels: &[u32]) -> Option<Rgba> {
    let [r, g, b] = <[u32; 3]>::try_from(channels)
        .ok()?
        .map(|v| v.min(255) as u8);
    Some(Rgba { r, g, b, a: 255 })
}

fn gravity(name: &str) -> Option<Gravity> {
    Some(match name {
        "centre" => Gravity::Centre,
        "north" => Gravity::North,
        "northeast" => Gravity::NorthEast,
        "east" => Gravity::East,
        "southeast" => Gravity::SouthEast,
        "south" => Gravity::South,
        "southwest" => Gravity::SouthWest,
        "west" => Gravity::West,
        "northwest" => Gravity::NorthWest,
        "entropy" => Gravity::Entropy,
        "attention" => Gravity::Attention,
        _ => return None,
    })
}

struct JsBytes(Buffer);

impl AsRef<[u8]> for JsBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}
