//! The one job pipeline, for jobs run here and jobs run by remote workers alike: read the
//! input once, look it up in the result cache, process it (here) or receive the worker's
//! outputs (remote), store them in the cache, then write the files all or nothing.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pixelpool_engine::{
    process_until, unpack_tiles, Encoded, InputInfo, OutputSpec, StageTimes, TileContainer,
};

use crate::cache::Cache;
use crate::error::{ErrorCode, JobError};
use crate::job::{Input, Job, JobResult, OutputResult, OutputTarget, Profile, RanOn};
use crate::write::{write_all_or_nothing, PendingFile};

pub type Outcome = Result<JobResult, JobError>;
/// Called exactly once per accepted job, from whichever thread settles it.
pub type Completion = Box<dyn FnOnce(Outcome) + Send>;

/// Runs jobs on the calling thread, and completes remote ones, through the result cache
/// when there is one.
#[derive(Default)]
pub struct Pipeline {
    cache: Option<Arc<Cache>>,
}

/// A job's input, read once, what its outputs ask for, and its cache key when there is a
/// cache.
pub(crate) struct Prepared<'a> {
    pub bytes: Cow<'a, [u8]>,
    pub specs: Vec<OutputSpec>,
    pub cache_key: Option<String>,
}

/// What produced a job's outputs, for its result.
pub(crate) struct Made {
    pub input: InputInfo,
    pub encoded: Vec<Encoded>,
    pub ran_on: RanOn,
    pub worker: Option<String>,
    pub cached: bool,
    pub times: StageTimes,
}

impl Pipeline {
    pub fn new(cache: Option<Arc<Cache>>) -> Self {
        Self { cache }
    }

    /// Runs `job` here; once `cancelled` is set, the engine stops where it can (an SVG's
    /// drawing) and no output is written.
    pub fn run(&self, job: &Job, cancelled: &AtomicBool) -> Outcome {
        let started = Instant::now();
        let prepared = self.prepare(job)?;
        let read = started.elapsed();
        let hit = prepared
            .cache_key
            .as_deref()
            .and_then(|key| self.cache.as_ref()?.get(key));
        let made = match hit {
            Some(hit) => Made {
                input: hit.input,
                encoded: hit.outputs,
                ran_on: RanOn::Local,
                worker: None,
                cached: true,
                times: StageTimes::default(),
            },
            None => {
                let processed =
                    process_until(&prepared.bytes, &prepared.specs, &job.limits, cancelled)
                        .map_err(|e| JobError::from_engine(e, &job.input.describe()))?;
                self.store(
                    prepared.cache_key.as_deref(),
                    &processed.input,
                    &processed.outputs,
                );
                Made {
                    input: processed.input,
                    encoded: processed.outputs,
                    ran_on: RanOn::Local,
                    worker: None,
                    cached: false,
                    times: processed.times,
                }
            }
        };
        self.finish(job, made, cancelled, started, read)
    }

    /// Reads the input and computes its cache key, once per job wherever it runs.
    pub(crate) fn prepare<'a>(&self, job: &'a Job) -> Result<Prepared<'a>, JobError> {
        let bytes = read_input(&job.input)?;
        let specs = job.specs();
        let cache_key = self
            .cache
            .as_ref()
            .map(|_| Cache::key(&bytes, &specs, &job.limits));
        Ok(Prepared {
            bytes,
            specs,
            cache_key,
        })
    }

    pub(crate) fn is_cached(&self, cache_key: Option<&str>) -> bool {
        match (&self.cache, cache_key) {
            (Some(cache), Some(key)) => cache.contains(key),
            _ => false,
        }
    }

    /// A remote worker's outputs for `job`: stored in the cache under the key computed when
    /// it was forwarded, then written as a local job's are. `started` is when it left.
    pub(crate) fn complete_remote(
        &self,
        job: &Job,
        cache_key: Option<&str>,
        made: Made,
        cancelled: &AtomicBool,
        started: Instant,
    ) -> Outcome {
        self.store(cache_key, &made.input, &made.encoded);
        self.finish(job, made, cancelled, started, Duration::ZERO)
    }

    fn store(&self, cache_key: Option<&str>, input: &InputInfo, encoded: &[Encoded]) {
        if let (Some(cache), Some(key)) = (&self.cache, cache_key) {
            cache.put(key, input, encoded);
        }
    }

    fn finish(
        &self,
        job: &Job,
        made: Made,
        cancelled: &AtomicBool,
        started: Instant,
        read: Duration,
    ) -> Outcome {
        if cancelled.load(Ordering::Acquire) {
            return Err(JobError::aborted(job.id));
        }
        let writing = Instant::now();
        let outputs = write_outputs(job, made.encoded)?;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let profile = Profile {
            read: ms(read),
            decode: ms(made.times.decode),
            resize: ms(made.times.resize),
            encode: ms(made.times.encode),
            write: ms(writing.elapsed()),
        };
        Ok(JobResult {
            id: job.id,
            input: made.input,
            outputs,
            ran_on: made.ran_on,
            worker: made.worker,
            cached: made.cached,
            ms: ms(started.elapsed()),
            profile,
        })
    }
}

/// Writes the outputs that have a path (all or none of them) and describes every output;
/// those without a path carry their bytes. A tile pyramid in the fs container is its
/// archive's files, written beside the path (sharp's folders for `tile()`).
fn write_outputs(job: &Job, encoded: Vec<Encoded>) -> Result<Vec<OutputResult>, JobError> {
    let unpacked = job
        .outputs
        .iter()
        .zip(&encoded)
        .map(|(target, encoded)| pyramid_files(target, &encoded.bytes))
        .collect::<Result<Vec<_>, _>>()?;
    let mut files: Vec<PendingFile<'_>> = Vec::new();
    for (index, ((target, encoded), pyramid)) in
        job.outputs.iter().zip(&encoded).zip(&unpacked).enumerate()
    {
        let Some(path) = target.path.as_deref() else {
            continue;
        };
        match pyramid {
            Some(pyramid) => {
                files.extend(
                    pyramid
                        .iter()
                        .map(|(path, bytes)| PendingFile { index, path, bytes }),
                )
            }
            None => files.push(PendingFile {
                index,
                path,
                bytes: &encoded.bytes,
            }),
        }
    }
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
            placement: encoded.placement,
        })
        .collect())
}

/// A file to write and its bytes.
type FileBytes = (PathBuf, Vec<u8>);

/// The files of a pyramid written to folders, with their paths, or `None` for an output
/// written as one file.
fn pyramid_files(
    target: &OutputTarget,
    archive: &[u8],
) -> Result<Option<Vec<FileBytes>>, JobError> {
    let (Some(path), Some(tiles)) = (&target.path, &target.spec.tiles) else {
        return Ok(None);
    };
    if tiles.container != TileContainer::Fs {
        return Ok(None);
    }
    let folder = path.parent().unwrap_or(Path::new(""));
    let files = unpack_tiles(archive).map_err(|error| {
        JobError::new(ErrorCode::Internal, format!("{}: {error}", path.display()))
    })?;
    Ok(Some(
        files
            .into_iter()
            .map(|(name, bytes)| (folder.join(name), bytes))
            .collect(),
    ))
}

fn read_input(input: &Input) -> Result<Cow<'_, [u8]>, JobError> {
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
