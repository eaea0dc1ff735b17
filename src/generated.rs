//! Inputs made rather than read, off the JS thread: text (sharp's `{ text }`) into the raw
//! container, which then travels as any input does (cache, batching, remote workers), and
//! the samples of noise (`create.noise`).
// napi registers these free functions when Node loads the addon; a test build never does.
#![cfg_attr(test, allow(dead_code))]
use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Task};
use napi_derive::napi;
use pixelpool_engine::noise::{gaussian_noise, GaussianNoise};
use pixelpool_engine::text::{render, RenderedText, TextSpec};
use pixelpool_engine::{EngineError, ErrorKind};

use crate::outcome::{engine_error_to_js, NativeError};

pub struct TextTask {
    spec: String,
    max_pixels: u64,
}

/// Resolves to `{ input, dpi, warnings }` or `{ error }`, as a job does: a task's
/// rejection cannot carry a code.
#[napi(object)]
pub struct NativeTextOutcome {
    /// The raw container of the drawn text, stating its dpi.
    pub input: Option<Buffer>,
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    /// libvips' `autofit_dpi` (sharp's `info.textAutofitDpi`).
    pub autofit_dpi: u32,
    pub warnings: Vec<String>,
    pub error: Option<NativeError>,
}

impl Task for TextTask {
    type Output = Result<RenderedText, EngineError>;
    type JsValue = NativeTextOutcome;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let spec: Result<TextSpec, _> = serde_json::from_str(&self.spec);
        Ok(match spec {
            Ok(spec) => render(&spec, self.max_pixels),
            Err(error) => Err(EngineError::new(
                ErrorKind::InvalidOption,
                format!("text: {error}"),
            )),
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<NativeTextOutcome> {
        Ok(match output {
            Ok(RenderedText {
                image,
                dpi,
                autofit_dpi,
                warnings,
            }) => NativeTextOutcome {
                input: Some(
                    pixelpool_engine::decode::raw_container_at(
                        image.width,
                        image.height,
                        image.channels,
                        dpi,
                        &image.data,
                    )
                    .into(),
                ),
                width: image.width,
                height: image.height,
                dpi,
                autofit_dpi,
                warnings,
                error: None,
            },
            Err(error) => NativeTextOutcome {
                input: None,
                width: 0,
                height: 0,
                dpi: 0,
                autofit_dpi: 0,
                warnings: Vec::new(),
                error: Some(engine_error_to_js(error)),
            },
        })
    }
}

/// `spec` is the engine's `TextSpec` as JSON; the drawn text must stay within
/// `limit_input_pixels`.
#[napi]
pub fn text_input(spec: String, limit_input_pixels: f64) -> AsyncTask<TextTask> {
    AsyncTask::new(TextTask {
        spec,
        max_pixels: limit_input_pixels as u64,
    })
}

pub struct NoiseTask {
    noise: GaussianNoise,
    max_pixels: u64,
}

/// Resolves to `{ samples }` or `{ error }`.
#[napi(object)]
pub struct NativeNoiseOutcome {
    pub samples: Option<Buffer>,
    pub error: Option<NativeError>,
}

impl Task for NoiseTask {
    type Output = Result<Vec<u8>, EngineError>;
    type JsValue = NativeNoiseOutcome;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let noise = gaussian_noise(self.noise, self.max_pixels);
        Ok(noise.map(|image| image.data))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<NativeNoiseOutcome> {
        Ok(match output {
            Ok(samples) => NativeNoiseOutcome {
                samples: Some(samples.into()),
                error: None,
            },
            Err(error) => NativeNoiseOutcome {
                samples: None,
                error: Some(engine_error_to_js(error)),
            },
        })
    }
}

/// The samples of gaussian noise in `channels` bands, within `limit_input_pixels`.
#[napi]
pub fn noise_samples(
    width: u32,
    height: u32,
    channels: u32,
    mean: f64,
    sigma: f64,
    limit_input_pixels: f64,
) -> AsyncTask<NoiseTask> {
    let noise = GaussianNoise {
        width,
        height,
        channels: channels.min(255) as u8,
        mean,
        sigma,
    };
    AsyncTask::new(NoiseTask {
        noise,
        max_pixels: limit_input_pixels as u64,
    })
}
