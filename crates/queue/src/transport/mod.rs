//! How jobs travel to remote workers and results come back (docs/design.md §4). A `Transport` is
//! a small at-least-once queue plus a blob store: `push` / `reserve` / `ack` / `fail` for
//! jobs, `reply` / `replies` for results, content-addressed blobs for the bytes, and worker
//! heartbeats. `MemoryTransport` is the reference implementation the conformance suite is
//! checked against; the Redis Streams one must pass the same suite.

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
mod memory;

use std::fmt;
use std::time::Duration;

use pixelpool_engine::{DecodeLimits, Format, InputInfo, OutputSpec, Placement};
use serde::{Deserialize, Serialize};

pub use memory::MemoryTransport;

/// Bumped when a message's meaning changes; workers refuse versions they do not know.
pub const PROTOCOL_VERSION: u32 = 2;

/// A job as sent to workers: no file paths, and the input by reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteJob {
    pub version: u32,
    /// The producer's job id, unique per reply stream; replies carry it back.
    pub id: u64,
    /// Where the worker sends the reply.
    pub reply_to: String,
    /// Blob key of the input bytes.
    pub input: String,
    pub outputs: Vec<OutputSpec>,
    pub limits: DecodeLimits,
}

/// One delivery of a job to a worker. `job` is `Err` with the reason when the message
/// could not be read; such deliveries are for `fail`, never for processing.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub job: Result<RemoteJob, String>,
    /// The transport's own handle for `ack` and `fail`.
    pub tag: String,
    /// How many times this job has been delivered, this one included.
    pub attempts: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteOutput {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// Blob key of the encoded bytes.
    pub blob: String,
    #[serde(flatten)]
    pub placement: Placement,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReplyBody {
    Done {
        input: InputInfo,
        outputs: Vec<RemoteOutput>,
        worker: String,
    },
    /// The job itself failed (bad input...): the same error would happen locally.
    /// `message` does not name the input: only the producer knows its name.
    Failed {
        code: String,
        message: String,
        output_index: Option<usize>,
        worker: String,
    },
    /// Delivered too often or unreadable: the producer should run it locally.
    DeadLettered { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub job_id: u64,
    pub body: ReplyBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError(pub String);

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TransportError {}

pub type TransportResult<T> = Result<T, TransportError>;

/// What a worker's heartbeat says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerLoad {
    pub name: String,
    /// Jobs it can run at once.
    pub concurrency: u32,
    /// Jobs it is running now.
    pub busy: u32,
}

pub trait Transport: Send + Sync {
    /// Stores bytes under a key derived from their content; storing the same bytes again
    /// returns the same key and refreshes the lifetime.
    fn put_blob(&self, bytes: &[u8], ttl: Duration) -> TransportResult<String>;
    /// `None` once expired, deleted or never stored.
    fn get_blob(&self, key: &str) -> TransportResult<Option<Vec<u8>>>;
    /// Frees a blob before its lifetime ends (its producer is done with it).
    fn delete_blob(&self, key: &str) -> TransportResult<()>;

    /// Queues a job for the workers; returns its tag for `withdraw`.
    fn push(&self, job: &RemoteJob) -> TransportResult<String>;
    /// The producer no longer wants a job (it timed out, was cancelled or ran locally): it
    /// is not delivered again. A worker already holding it may still reply.
    fn withdraw(&self, tag: &str) -> TransportResult<()>;
    /// Withdraws a job only if no worker has received it yet; `true` if it was withdrawn.
    fn take_back(&self, tag: &str) -> TransportResult<bool>;
    /// The next job nobody holds, waiting up to `wait` for one.
    fn reserve(&self, worker: &str, wait: Duration) -> TransportResult<Option<Delivery>>;
    /// Takes over deliveries that other workers have held unacknowledged for `idle`.
    fn reclaim(&self, worker: &str, idle: Duration) -> TransportResult<Vec<Delivery>>;
    /// Done with a delivery (after its reply is sent): it is never delivered again.
    fn ack(&self, delivery: &Delivery) -> TransportResult<()>;
    /// Moves a delivery to the dead letters with a reason; it is never delivered again.
    fn fail(&self, delivery: &Delivery, reason: &str) -> TransportResult<()>;
    /// Dead letters so far, oldest first: (job id or raw message, reason).
    fn dead_letters(&self) -> TransportResult<Vec<(String, String)>>;

    fn reply(&self, to: &str, reply: &Reply) -> TransportResult<()>;
    /// Replies sent to `to` since the last call, waiting up to `wait` for the first.
    fn replies(&self, to: &str, wait: Duration) -> TransportResult<Vec<Reply>>;
    /// Forgets `to` and whatever it still holds (its producer is closing).
    fn drop_replies(&self, to: &str) -> TransportResult<()>;

    fn heartbeat(&self, load: &WorkerLoad) -> TransportResult<()>;
    /// Workers whose last heartbeat is at most `within` old, by name.
    fn live_workers(&self, within: Duration) -> TransportResult<Vec<WorkerLoad>>;
}

/// The content address of some bytes.
pub fn blob_key(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}
