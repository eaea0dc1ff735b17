//! pixelpool's job queue: priorities, cancellation and stats over a rayon pool, and the
//! local runner that reads inputs and writes outputs atomically. No Node, no async runtime.
mod bytes;
mod cache;
mod error;
mod job;
mod overflow;
mod run;
mod scheduler;
mod stats;
pub mod transport;
mod write;

pub use bytes::SharedBytes;
pub use cache::Cache;
pub use error::{ErrorCode, JobError};
pub use job::{Input, Job, JobResult, OutputResult, OutputTarget, Profile, RanOn};
pub use overflow::{RemoteConfig, HEARTBEAT_FRESH};
pub use run::LocalRunner;
pub use scheduler::{Cancelled, Completion, Outcome, Refused, Runner, Scheduler, SchedulerConfig};
pub use stats::Stats;
