//! Running one job on this machine: read the input, process (or take the cached result),
//! write the outputs.

use std::fs;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use pixelpool_engine::{process, Encoded, Processed, StageTimes};

use crate::cache::Cache;
use crate::error::{ErrorCode, JobError};
use crate::job::{Input, Job, JobResult, OutputResult, Profile, RanOn};
use crate::write::{write_all_or_nothing, PendingFile};

/// Runs jobs on the calling thread, through the result cache when there is one.
#[derive(Default)]
pub struct LocalRunner {
    pub cache: Option<Arc<Cache>>,
}

impl LocalRunner {
    pub fn run(&self, job: &Job, cancelled: &AtomicBool) -> Result<JobResult, JobError> {
        let started = Instant::now();
        let bytes = read_input(&job.input)?;
        let read = started.elapsed();
        let (processed, cached) = processed_or_cached(job, &bytes, self.cache.as_deref())?;
        let writing = Instant::now();
        if cancelled.load(Ordering::Acquire) {
            return Err(JobError::aborted(job.id));
        }
        let outputs = write_outputs(job, processed.outputs)?;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let times = processed.times;
        let profile = Profile {
            read: ms(read),
            decode: ms(times.decode),
            resize: ms(times.resize),
            encode: ms(times.encode),
            write: ms(writing.elapsed()),
        };
        Ok(JobResult {
            id: job.id,
            input: processed.input,
            outputs,
            ran_on: RanOn::Local,
            worker: None,
            cached,
            ms: ms(started.elapsed()),
            profile,
        })
    }
}

/// Writes the outputs that have a path (all or none of them) and describes every output;
/// those without a path carry their bytes.
pub(crate) fn write_outputs(
    job: &Job,
    encoded: Vec<Encoded>,
) -> Result<Vec<OutputResult>, JobError> {
    let files: Vec<PendingFile<'_>> = job
        .outputs
        .iter()
        .zip(&encoded)
        .enumerate()
        .filter_map(|(index, (target, encoded))| {
            target.path.as_deref().map(|path| PendingFile {
                index,
                path,
                bytes: &encoded.bytes,
            })
        })
        .collect();
    write_all_or_nothing(job.id, &files)?;
    Ok(job
        .outputs
        .iter()
        .zip(encoded)
        .map(|(target, encoded)| OutputResult {
            size: encoded.bytes.len() as u64,
            data: target.path.is_none().then_some(encoded.bytes),
            path: target.path.clone(),
            format: encoded.format,
            width: encoded.width,
            height: encoded.height,
        })
        .collect())
}

fn processed_or_cached(
    job: &Job,
    bytes: &[u8],
    cache: Option<&Cache>,
) -> Result<(Processed, bool), JobError> {
    let specs: Vec<_> = job.outputs.iter().map(|o| o.spec.clone()).collect();
    let run = || {
        process(bytes, &specs, &job.limits)
            .map_err(|e| JobError::from_engine(e, &job.input.describe()))
    };
    let Some(cache) = cache else {
        return Ok((run()?, false));
    };
    let key = Cache::key(bytes, &specs, &job.limits);
    if let Some(hit) = cache.get(&key) {
        let times = StageTimes::default();
        return Ok((
            Processed {
                input: hit.input,
                outputs: hit.outputs,
                times,
            },
            true,
        ));
    }
    let processed = run()?;
    cache.put(&key, &processed.input, &processed.outputs);
    Ok((processed, false))
}

pub(crate) fn read_input(input: &Input) -> Result<std::borrow::Cow<'_, [u8]>, JobError> {
    match input {
        Input::Bytes(bytes) => Ok(bytes.as_slice().into()),
        Input::Path(path) => fs::read(path).map(Into::into).map_err(|error| {
            let reason = match error.kind() {
                io::ErrorKind::NotFound => "no such file".to_string(),
                io::ErrorKind::IsADirectory => "is a directory, not an image file".to_string(),
                _ => error.to_string(),
            };
            JobError::new(
                ErrorCode::IoError,
                format!("input {}: {reason}", path.display()),
            )
        }),
    }
}
