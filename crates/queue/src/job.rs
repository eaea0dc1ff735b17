use std::path::PathBuf;

use pixelpool_engine::{DecodeLimits, Format, InputInfo, OutputSpec, Placement};

use crate::bytes::SharedBytes;

/// Everything needed to run a job anywhere: the input itself or its path, and what to make.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: u64,
    pub input: Input,
    pub outputs: Vec<OutputTarget>,
    /// Higher runs first; equal priorities run in submission order.
    pub priority: i32,
    pub limits: DecodeLimits,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Bytes(SharedBytes),
}

impl Job {
    /// What each output asks for, paths aside: what the engine, the cache key and remote
    /// workers see.
    pub fn specs(&self) -> Vec<OutputSpec> {
        self.outputs.iter().map(|o| o.spec.clone()).collect()
    }
}

impl Input {
    /// How errors name this input: its path, or "input buffer".
    pub fn describe(&self) -> String {
        match self {
            Input::Path(path) => path.display().to_string(),
            Input::Bytes(bytes) => format!("input buffer ({} bytes)", bytes.as_slice().len()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutputTarget {
    /// Where to write the file; `None` returns the bytes instead.
    pub path: Option<PathBuf>,
    pub spec: OutputSpec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RanOn {
    Local,
    Remote,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputResult {
    pub path: Option<PathBuf>,
    pub data: Option<Vec<u8>>,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub size: u64,
    pub placement: Placement,
}

/// Milliseconds spent in each stage of a job.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Profile {
    pub read: f64,
    pub decode: f64,
    pub resize: f64,
    pub encode: f64,
    pub write: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JobResult {
    pub id: u64,
    pub input: InputInfo,
    pub outputs: Vec<OutputResult>,
    pub ran_on: RanOn,
    pub worker: Option<String>,
    pub cached: bool,
    pub ms: f64,
    pub profile: Profile,
}
