//! The producer side of remote overflow (DESIGN §4). Two threads per queue:
//!
//! - the dispatcher: while more than `overflow_at` jobs wait here and some worker's
//!   heartbeat is fresh, uploads the input of the lowest-ranked job and pushes it, up to
//!   twice the live workers' concurrency at a time (so a worker never waits for its next
//!   job, and this machine is not left idle with everything queued remotely). It brings
//!   back jobs whose deadline passed, takes back jobs no worker has started when a local
//!   thread is idle, and withdraws jobs nobody waits for.
//! - the reply reader: fetches each result's output blobs and writes the files here, or
//!   brings the job back when the worker could not run it (dead-lettered, blobs gone).
//!   Replies for jobs that are no longer out (late, duplicate) are ignored.
//!
//! Any transport failure sends the job back to the local queue: the remote side only ever
//! adds capacity, it never holds a job hostage.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pixelpool_engine::Encoded;

use crate::cache::Cache;
use crate::error::{ErrorCode, JobError};
use crate::job::{Job, JobResult, Profile, RanOn};
use crate::run::{read_input, write_outputs};
use crate::scheduler::{Out, Shared};
use crate::transport::{
    blob_key, RemoteJob, RemoteOutput, Reply, ReplyBody, Transport, PROTOCOL_VERSION,
};

/// A worker whose last heartbeat is older than this is not sent jobs.
pub const HEARTBEAT_FRESH: Duration = Duration::from_secs(3);
const WORKERS_CHECKED_EVERY: Duration = Duration::from_millis(500);
const REPLY_WAIT: Duration = Duration::from_millis(200);

#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// Jobs are forwarded only while more than this many wait here.
    pub overflow_at: usize,
    /// A forwarded job without a reply after this long runs here instead.
    pub timeout: Duration,
    /// Inputs larger than this always run here.
    pub max_input_bytes: u64,
    /// How long an uploaded input is kept for workers.
    pub blob_ttl: Duration,
    /// Names this producer's reply stream; unique per queue.
    pub reply_to: String,
}

pub(crate) fn start(
    shared: Arc<Shared>,
    transport: Arc<dyn Transport>,
    config: RemoteConfig,
    cache: Option<Arc<Cache>>,
) -> Vec<JoinHandle<()>> {
    let dispatcher = {
        let (shared, transport, config, cache) = (
            Arc::clone(&shared),
            Arc::clone(&transport),
            config.clone(),
            cache.clone(),
        );
        std::thread::Builder::new()
            .name("pixelpool-forward".into())
            .spawn(move || dispatch(&shared, &*transport, &config, cache.as_deref()))
    };
    let reader = std::thread::Builder::new()
        .name("pixelpool-replies".into())
        .spawn(move || read_replies(&shared, &*transport, &config, cache.as_deref()));
    // A thread that cannot start leaves the queue working locally.
    [dispatcher, reader].into_iter().flatten().collect()
}

fn dispatch(
    shared: &Arc<Shared>,
    transport: &dyn Transport,
    config: &RemoteConfig,
    cache: Option<&Cache>,
) {
    let mut capacity = 0;
    let mut checked: Option<Instant> = None;
    loop {
        let stopping = shared.stopping();
        for id in shared.overdue(config.timeout) {
            shared.bring_back(id);
        }
        for tag in shared.take_withdrawn() {
            let _ = transport.withdraw(&tag);
        }
        if stopping {
            return;
        }
        if checked.is_none_or(|at| at.elapsed() >= WORKERS_CHECKED_EVERY) {
            capacity = match transport.live_workers(HEARTBEAT_FRESH) {
                Ok(workers) => workers
                    .iter()
                    .map(|w| 2 * w.concurrency.max(1) as usize)
                    .sum(),
                Err(_) => 0,
            };
            checked = Some(Instant::now());
        }
        while let Some(job) = shared.take_for_remote(config.overflow_at, capacity) {
            match forward(transport, &job, config, cache) {
                Forwarded::Pushed(tag) => {
                    if !shared.pushed(job.id, tag.clone()) {
                        let _ = transport.withdraw(&tag);
                    }
                }
                Forwarded::NotSuitable => shared.bring_back(job.id),
                Forwarded::Failed => {
                    shared.bring_back(job.id);
                    // Wait for the next good worker check before trying again.
                    capacity = 0;
                }
            }
        }
        take_back_while_idle(shared, transport);
        shared.wait_for_jobs(Duration::from_millis(100));
    }
}

/// At the end of a batch, a local thread with nothing to do runs the jobs that are still
/// waiting for a worker rather than idle while they wait.
fn take_back_while_idle(shared: &Arc<Shared>, transport: &dyn Transport) {
    while shared.local_idle() {
        let Some((id, tag)) = shared.newest_out() else {
            return;
        };
        // Older jobs were pushed earlier, so a worker has them too if it has this one.
        if transport.take_back(&tag) != Ok(true) {
            return;
        }
        shared.bring_back(id);
    }
}

enum Forwarded {
    Pushed(String),
    /// Runs better here: too big, unreadable (the local run reports why), or cached.
    NotSuitable,
    Failed,
}

fn forward(
    transport: &dyn Transport,
    job: &Job,
    config: &RemoteConfig,
    cache: Option<&Cache>,
) -> Forwarded {
    let Ok(input) = read_input(&job.input) else {
        return Forwarded::NotSuitable;
    };
    let specs: Vec<_> = job.outputs.iter().map(|o| o.spec.clone()).collect();
    let too_big = input.len() as u64 > config.max_input_bytes;
    let cached = cache.is_some_and(|c| c.contains(&Cache::key(&input, &specs, &job.limits)));
    if too_big || cached {
        return Forwarded::NotSuitable;
    }
    let pushed = transport.put_blob(&input, config.blob_ttl).and_then(|key| {
        transport.push(&RemoteJob {
            version: PROTOCOL_VERSION,
            id: job.id.to_string(),
            reply_to: config.reply_to.clone(),
            input: key,
            outputs: specs,
            limits: job.limits,
        })
    });
    match pushed {
        Ok(tag) => Forwarded::Pushed(tag),
        Err(_) => Forwarded::Failed,
    }
}

fn read_replies(
    shared: &Arc<Shared>,
    transport: &dyn Transport,
    config: &RemoteConfig,
    cache: Option<&Cache>,
) {
    while !shared.stopping() {
        match transport.replies(&config.reply_to, REPLY_WAIT) {
            Ok(replies) => {
                for reply in replies {
                    settle(shared, transport, reply, cache);
                }
            }
            // The dispatcher's deadlines bring the jobs back if this lasts.
            Err(_) => std::thread::sleep(REPLY_WAIT),
        }
    }
    let _ = transport.drop_replies(&config.reply_to);
}

fn settle(shared: &Arc<Shared>, transport: &dyn Transport, reply: Reply, cache: Option<&Cache>) {
    let Some((out, cancelled)) = reply.job_id.parse().ok().and_then(|id| shared.claim(id)) else {
        return;
    };
    let outcome = match reply.body {
        ReplyBody::Done {
            input,
            outputs,
            worker,
        } => {
            let Some(encoded) = fetch_outputs(transport, &outputs) else {
                return shared.requeue(out);
            };
            if let Some(cache) = cache {
                if let Ok(bytes) = read_input(&out.job.input) {
                    let specs: Vec<_> = out.job.outputs.iter().map(|o| o.spec.clone()).collect();
                    cache.put(
                        &Cache::key(&bytes, &specs, &out.job.limits),
                        &input,
                        &encoded,
                    );
                }
            }
            remote_result(&out, &cancelled, input, encoded, worker)
        }
        ReplyBody::Failed {
            code,
            message,
            output_index,
            ..
        } => {
            let code = ErrorCode::parse(&code).unwrap_or(ErrorCode::Internal);
            let input = out.job.input.describe();
            Err(JobError::about_input(code, &input, &message, output_index))
        }
        ReplyBody::DeadLettered { .. } => return shared.requeue(out),
    };
    let Out { job, done, .. } = out;
    shared.finish(job.id, &cancelled, outcome, done);
}

/// The outputs' bytes, each checked against its content address; `None` if any is gone.
fn fetch_outputs(transport: &dyn Transport, outputs: &[RemoteOutput]) -> Option<Vec<Encoded>> {
    outputs
        .iter()
        .map(|output| {
            let bytes = transport.get_blob(&output.blob).ok()??;
            (blob_key(&bytes) == output.blob).then_some(Encoded {
                format: output.format,
                width: output.width,
                height: output.height,
                bytes,
            })
        })
        .collect()
}

fn remote_result(
    out: &Out,
    cancelled: &AtomicBool,
    input: pixelpool_engine::InputInfo,
    encoded: Vec<Encoded>,
    worker: String,
) -> Result<JobResult, JobError> {
    let job = &out.job;
    if cancelled.load(std::sync::atomic::Ordering::Acquire) {
        return Err(JobError::aborted(job.id));
    }
    let writing = Instant::now();
    let outputs = write_outputs(job, encoded)?;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(JobResult {
        id: job.id,
        input,
        outputs,
        ran_on: RanOn::Remote,
        worker: Some(worker),
        cached: false,
        ms: out.pushed_at.map_or(0.0, |at| ms(at.elapsed())),
        profile: Profile {
            write: ms(writing.elapsed()),
            ..Profile::default()
        },
    })
}
