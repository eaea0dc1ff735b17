//! The producer side of remote overflow (docs/design.md §4). Two threads per queue:
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

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pixelpool_engine::{Encoded, InputInfo};

use crate::error::{ErrorCode, JobError};
use crate::job::{Job, RanOn};
use crate::pipeline::{Made, Outcome, Pipeline};
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
    /// No job is forwarded while the inputs out add up to this much (they wait in Redis
    /// as blobs): the window may pass it by one input at most.
    pub max_in_flight_bytes: u64,
    /// How long an uploaded input is kept for workers.
    pub blob_ttl: Duration,
    /// Names this producer's reply stream; unique per queue.
    pub reply_to: String,
}

/// What overflow needs from the queue it drains, and all it may do to it: take jobs out,
/// restore them to run here, settle them with a remote result. The scheduler implements
/// it (scheduler/remote.rs) and settles each job exactly once.
pub(crate) trait Backlog: Send + Sync {
    /// The lowest-ranked job that may leave, when more than `overflow_at` wait here and
    /// fewer than `capacity` are out; it counts as out from now on.
    fn take(&self, overflow_at: usize, capacity: usize) -> Option<Job>;
    /// Records the transport's tag of a job just pushed; `false` if it was cancelled
    /// meanwhile, and then the caller withdraws it.
    fn pushed(&self, id: u64, tag: String) -> bool;
    /// Brings a job that is out back to run here, in its old rank.
    fn restore(self: Arc<Self>, id: u64);
    /// Jobs pushed more than `timeout` ago.
    fn overdue(&self, timeout: Duration) -> Vec<u64>;
    /// Settles a job that is out as `settlement` decides; nothing if it is not out (a late
    /// or duplicate reply). The job counts as running meanwhile, so it can be cancelled.
    fn settle(
        self: Arc<Self>,
        id: u64,
        settlement: &mut dyn FnMut(&Job, &AtomicBool) -> Settlement,
    );
    /// When a local thread would have nothing to do: the job pushed last (the one most
    /// likely still waiting for a worker) and its tag.
    fn newest_out_while_idle(&self) -> Option<(u64, String)>;
    /// Jobs out that nobody waits for any more (cancelled), with their tags.
    fn withdrawn(&self) -> Vec<(u64, String)>;
    /// Waits up to `wait` for a job to be queued or to finish; `false` once stopping.
    fn wait(&self, wait: Duration) -> bool;
    fn stopping(&self) -> bool;
}

pub(crate) enum Settlement {
    Settled(Outcome),
    /// The remote result was unusable: the job runs here.
    RunHere,
}

/// What the dispatcher learnt of a job it forwarded, for the reply reader.
struct Sent {
    cache_key: Option<String>,
    at: Instant,
    /// Its input's blob, deleted once no job out needs it.
    input_blob: String,
    input_bytes: u64,
}

/// The state both overflow threads share.
struct Forwarder {
    backlog: Arc<dyn Backlog>,
    transport: Arc<dyn Transport>,
    pipeline: Arc<Pipeline>,
    config: RemoteConfig,
    sent: Mutex<HashMap<u64, Sent>>,
}

pub(crate) fn start(
    backlog: Arc<dyn Backlog>,
    transport: Arc<dyn Transport>,
    config: RemoteConfig,
    pipeline: Arc<Pipeline>,
) -> Vec<JoinHandle<()>> {
    let forwarder = Arc::new(Forwarder {
        backlog,
        transport,
        pipeline,
        config,
        sent: Mutex::default(),
    });
    let dispatcher = {
        let forwarder = Arc::clone(&forwarder);
        std::thread::Builder::new()
            .name("pixelpool-forward".into())
            .spawn(move || forwarder.dispatch())
    };
    let reader = std::thread::Builder::new()
        .name("pixelpool-replies".into())
        .spawn(move || forwarder.read_replies());
    // A thread that cannot start leaves the queue working locally.
    [dispatcher, reader].into_iter().flatten().collect()
}

impl Forwarder {
    fn sent(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Sent>> {
        self.sent.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn restore(&self, id: u64) {
        self.forget(id);
        Arc::clone(&self.backlog).restore(id);
    }

    /// Done with a forwarded job, whichever way it ended: its input blob goes as soon as no
    /// other job out shares it, so Redis holds only the window's inputs.
    fn forget(&self, id: u64) -> Option<Sent> {
        let mut sent = self.sent();
        let gone = sent.remove(&id)?;
        let shared = sent
            .values()
            .any(|other| other.input_blob == gone.input_blob);
        drop(sent);
        if !shared {
            let _ = self.transport.delete_blob(&gone.input_blob);
        }
        Some(gone)
    }

    fn in_flight_bytes(&self) -> u64 {
        self.sent().values().map(|s| s.input_bytes).sum()
    }

    fn dispatch(&self) {
        let mut capacity = 0;
        let mut checked: Option<Instant> = None;
        loop {
            for id in self.backlog.overdue(self.config.timeout) {
                self.restore(id);
            }
            for (id, tag) in self.backlog.withdrawn() {
                self.forget(id);
                let _ = self.transport.withdraw(&tag);
            }
            if self.backlog.stopping() {
                return;
            }
            if checked.is_none_or(|at| at.elapsed() >= WORKERS_CHECKED_EVERY) {
                capacity = match self.transport.live_workers(HEARTBEAT_FRESH) {
                    Ok(workers) => workers
                        .iter()
                        .map(|w| 2 * w.concurrency.max(1) as usize)
                        .sum(),
                    Err(_) => 0,
                };
                checked = Some(Instant::now());
            }
            while self.in_flight_bytes() < self.config.max_in_flight_bytes {
                let Some(job) = self.backlog.take(self.config.overflow_at, capacity) else {
                    break;
                };
                match self.forward(&job) {
                    Forwarded::Pushed(tag) => {
                        if !self.backlog.pushed(job.id, tag.clone()) {
                            self.forget(job.id);
                            let _ = self.transport.withdraw(&tag);
                        }
                    }
                    Forwarded::NotSuitable => self.restore(job.id),
                    Forwarded::Failed => {
                        self.restore(job.id);
                        // Wait for the next good worker check before trying again.
                        capacity = 0;
                    }
                }
            }
            self.take_back_while_idle();
            self.backlog.wait(Duration::from_millis(100));
        }
    }

    /// At the end of a batch, a local thread with nothing to do runs the jobs that are
    /// still waiting for a worker rather than idle while they wait.
    fn take_back_while_idle(&self) {
        while let Some((id, tag)) = self.backlog.newest_out_while_idle() {
            // Older jobs were pushed earlier, so a worker has them too if it has this one.
            if self.transport.take_back(&tag) != Ok(true) {
                return;
            }
            self.restore(id);
        }
    }

    fn forward(&self, job: &Job) -> Forwarded {
        let Ok(prepared) = self.pipeline.prepare(job) else {
            return Forwarded::NotSuitable;
        };
        let too_big = prepared.bytes.len() as u64 > self.config.max_input_bytes;
        if too_big || self.pipeline.is_cached(prepared.cache_key.as_deref()) {
            return Forwarded::NotSuitable;
        }
        let Ok(input_blob) = self
            .transport
            .put_blob(&prepared.bytes, self.config.blob_ttl)
        else {
            return Forwarded::Failed;
        };
        let sent = Sent {
            cache_key: prepared.cache_key,
            at: Instant::now(),
            input_blob: input_blob.clone(),
            input_bytes: prepared.bytes.len() as u64,
        };
        // Known before the push: the reply may come before `push` returns.
        self.sent().insert(job.id, sent);
        let pushed = self.transport.push(&RemoteJob {
            version: PROTOCOL_VERSION,
            id: job.id,
            reply_to: self.config.reply_to.clone(),
            input: input_blob,
            outputs: prepared.specs,
            limits: job.limits,
        });
        match pushed {
            Ok(tag) => Forwarded::Pushed(tag),
            Err(_) => Forwarded::Failed,
        }
    }

    fn read_replies(&self) {
        while !self.backlog.stopping() {
            match self.transport.replies(&self.config.reply_to, REPLY_WAIT) {
                Ok(replies) => {
                    for reply in replies {
                        self.settle(reply);
                    }
                }
                // The dispatcher's deadlines bring the jobs back if this lasts.
                Err(_) => std::thread::sleep(REPLY_WAIT),
            }
        }
        let _ = self.transport.drop_replies(&self.config.reply_to);
    }

    fn settle(&self, reply: Reply) {
        let id = reply.job_id;
        let mut body = Some(reply.body);
        Arc::clone(&self.backlog).settle(id, &mut |job, cancelled| {
            let sent = self.forget(id);
            let body = body.take().expect("settled once");
            self.settlement(job, cancelled, body, sent)
        });
    }

    fn settlement(
        &self,
        job: &Job,
        cancelled: &AtomicBool,
        body: ReplyBody,
        sent: Option<Sent>,
    ) -> Settlement {
        let (cache_key, started) = sent.map_or((None, Instant::now()), |s| (s.cache_key, s.at));
        match body {
            ReplyBody::Done {
                input,
                outputs,
                worker,
            } => match self.fetch_outputs(&outputs) {
                Some(encoded) => {
                    let made = remote_made(input, encoded, worker);
                    let outcome = self.pipeline.complete_remote(
                        job,
                        cache_key.as_deref(),
                        made,
                        cancelled,
                        started,
                    );
                    Settlement::Settled(outcome)
                }
                None => Settlement::RunHere,
            },
            ReplyBody::Failed {
                code,
                message,
                output_index,
                ..
            } => {
                let code = ErrorCode::parse(&code).unwrap_or(ErrorCode::Internal);
                let input = job.input.describe();
                Settlement::Settled(Err(JobError::about_input(
                    code,
                    &input,
                    &message,
                    output_index,
                )))
            }
            ReplyBody::DeadLettered { .. } => Settlement::RunHere,
        }
    }

    /// The outputs' bytes, each checked against its content address and then deleted from
    /// the transport; `None` if any is gone.
    fn fetch_outputs(&self, outputs: &[RemoteOutput]) -> Option<Vec<Encoded>> {
        let fetched = outputs
            .iter()
            .map(|output| {
                let bytes = self.transport.get_blob(&output.blob).ok()??;
                (blob_key(&bytes) == output.blob).then_some(Encoded {
                    format: output.format,
                    width: output.width,
                    height: output.height,
                    bytes,
                    placement: output.placement,
                })
            })
            .collect();
        for output in outputs {
            let _ = self.transport.delete_blob(&output.blob);
        }
        fetched
    }
}

enum Forwarded {
    Pushed(String),
    /// Runs better here: too big, unreadable (the local run reports why), or cached.
    NotSuitable,
    Failed,
}

fn remote_made(input: InputInfo, encoded: Vec<Encoded>, worker: String) -> Made {
    Made {
        input,
        encoded,
        ran_on: RanOn::Remote,
        worker: Some(worker),
        cached: false,
        times: Default::default(),
    }
}
