//! pixelpool's job queue: priorities, cancellation and stats over a rayon pool, remote
//! overflow, and the one job pipeline (read, cache, process, write atomically) both use. No Node, no async runtime.
mod bytes;
mod cache;
mod error;
mod job;
mod overflow;
mod pipeline;
mod scheduler;
mod stats;
pub mod transport;
mod write;

pub use bytes::SharedBytes;
pub use cache::Cache;
pub use error::{ErrorCode, JobError};
pub use job::{Input, Job, JobResult, OutputResult, OutputTarget, Profile, RanOn};
pub use overflow::{RemoteConfig, HEARTBEAT_FRESH};
pub use pipeline::{Completion, Outcome, Pipeline};
pub use scheduler::{Cancelled, Refused, Runner, Scheduler, SchedulerConfig};
pub use stats::Stats;
