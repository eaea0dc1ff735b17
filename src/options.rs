//! JS-shaped jobs, converted to core types. `lib/validate.js` has already checked every
//! value against the option schema (`lib/schema.js`) and produced each output's `spec` in
//! the serde shape of `OutputSpec`, so the conversion is serde's; a value it still refuses
//! rejects the job with INVALID_OPTION (see `NativeQueue::submit`).
use std::path::PathBuf;

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use pixelpool_engine::{DecodeLimits, FailOn, OutputSpec};
use pixelpool_queue::{ErrorCode, Input, Job, JobError, OutputTarget, SharedBytes};

use crate::remote::RemoteOptions;

/// The queue's options with the schema's defaults already filled in by `lib/validate.js`.
#[napi(object)]
pub struct QueueOptions {
    /// Rayon threads.
    pub concurrency: u32,
    /// Pending jobs beyond which `process()` rejects.
    pub max_queue: u32,
    /// Folder of the result cache; none when absent.
    pub cache_dir: Option<String>,
    /// Size cap of the result cache in bytes.
    pub cache_max_bytes: f64,
    /// Overflow to remote workers; none when absent.
    pub remote: Option<RemoteOptions>,
}

#[napi(object)]
pub struct NativeJob {
    pub id: i64,
    pub input_path: Option<String>,
    pub input_data: Option<Buffer>,
    pub outputs: Vec<NativeOutput>,
    pub priority: i32,
    pub limit_input_pixels: f64,
    /// `FailOn` in its serde shape.
    pub fail_on: serde_json::Value,
    pub density: f64,
    pub animated: bool,
    pub page: u32,
    pub pages: u32,
    pub ignore_icc: bool,
}

#[napi(object)]
pub struct NativeOutput {
    pub path: Option<String>,
    /// `OutputSpec` in its serde shape (camelCase).
    pub spec: serde_json::Value,
}

impl TryFrom<NativeJob> for Job {
    type Error = JobError;

    fn try_from(job: NativeJob) -> Result<Job, JobError> {
        let input = match (job.input_path, job.input_data) {
            (Some(path), None) => Input::Path(PathBuf::from(path)),
            // Shared, not copied: the caller must not mutate a Buffer while its job is pending.
            (None, Some(data)) => Input::Bytes(SharedBytes::new(JsBytes(data))),
            _ => return Err(invalid("input", "exactly one of a path or bytes")),
        };
        let outputs = job
            .outputs
            .into_iter()
            .enumerate()
            .map(|(index, output)| {
                let spec: OutputSpec = deserialise(output.spec, &format!("outputs[{index}]"))
                    .map_err(|e| JobError {
                        output_index: Some(index),
                        ..e
                    })?;
                Ok(OutputTarget {
                    path: output.path.map(PathBuf::from),
                    spec,
                })
            })
            .collect::<Result<Vec<_>, JobError>>()?;
        let fail_on: FailOn = deserialise(job.fail_on, "failOn")?;
        let id = u64::try_from(job.id).map_err(|_| invalid("id", "is negative"))?;
        Ok(Job {
            id,
            input,
            outputs,
            priority: job.priority,
            limits: DecodeLimits {
                max_pixels: job.limit_input_pixels as u64,
                fail_on,
                density: job.density,
                animated: job.animated,
                page: job.page,
                pages: job.pages,
                ignore_icc: job.ignore_icc,
            },
        })
    }
}

/// `value` as a `T`, or INVALID_OPTION naming the field serde refused under `name`.
fn deserialise<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    name: &str,
) -> Result<T, JobError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let field = if field == "." {
            name.to_owned()
        } else {
            format!("{name}.{field}")
        };
        invalid(&field, &e.into_inner().to_string())
    })
}

fn invalid(name: &str, problem: &str) -> JobError {
    JobError::new(
        ErrorCode::InvalidOption,
        format!("Invalid {name}: {problem}"),
    )
}

struct JsBytes(Buffer);

impl AsRef<[u8]> for JsBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}
