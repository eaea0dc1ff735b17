//! A priority queue in front of a rayon pool. Each submitted job spawns one pool task;
//! a task takes whichever pending job ranks highest *when it starts*, so priorities hold
//! even though rayon itself runs tasks in no particular order.
//!
//! With remote overflow attached (`forward_to`), jobs at the low end of the queue may be
//! taken out to remote workers while the local backlog is long, and come back to the
//! queue, in their old rank, when a worker cannot take them or answer in time. Overflow
//! reaches the queue only through `overflow::Backlog` (remote.rs); every job is settled
//! exactly once, here.

mod remote;
mod shared;
mod state;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use rayon::ThreadPoolBuilder;

use crate::error::{ErrorCode, JobError};
use crate::job::Job;
use crate::overflow::{self, Backlog, RemoteConfig};
use crate::pipeline::{Completion, Pipeline};
use crate::stats::Stats;
use crate::transport::Transport;
use shared::Shared;
pub use shared::{Runner, SchedulerConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancelled {
    /// It was still queued (here or with remote workers): removed, and its completion got
    /// `ABORTED`.
    Removed,
    /// It is running: it will finish without writing and complete with `ABORTED`.
    Abandoned,
    /// Not known here (already settled, or never submitted).
    Unknown,
}

/// A job the scheduler would not take, with its completion handed back so the caller can
/// still settle it exactly once.
pub struct Refused {
    pub error: JobError,
    pub done: Completion,
}

impl std::fmt::Debug for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Refused({})", self.error)
    }
}

pub struct Scheduler {
    shared: Arc<Shared>,
    helpers: Mutex<Vec<JoinHandle<()>>>,
}

impl Scheduler {
    pub fn new(config: SchedulerConfig, runner: Runner) -> Result<Self, JobError> {
        let pool = ThreadPoolBuilder::new()
            .num_threads(config.concurrency.max(1))
            .thread_name(|i| format!("pixelpool-{i}"))
            .build()
            .map_err(|e| {
                JobError::new(
                    ErrorCode::Internal,
                    format!("cannot start the thread pool: {e}"),
                )
            })?;
        let shared = Arc::new(Shared {
            config,
            state: Mutex::default(),
            changed: Condvar::new(),
            runner,
            pool,
            stopping: AtomicBool::new(false),
        });
        Ok(Self {
            shared,
            helpers: Mutex::default(),
        })
    }

    /// Starts sending overflow to remote workers through `transport`; their results go
    /// through `pipeline` (cache, then files) as local ones do.
    pub fn forward_to(
        &self,
        transport: Arc<dyn Transport>,
        config: RemoteConfig,
        pipeline: Arc<Pipeline>,
    ) {
        let backlog: Arc<dyn Backlog> = Arc::clone(&self.shared) as _;
        let threads = overflow::start(backlog, transport, config, pipeline);
        self.helpers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(threads);
    }

    pub fn submit(&self, job: Job, done: Completion) -> Result<(), Refused> {
        {
            let mut state = self.shared.lock();
            if state.closed {
                return Err(Refused {
                    error: JobError::closed(),
                    done,
                });
            }
            if state.pending.len() >= self.shared.config.max_queue {
                return Err(Refused {
                    error: JobError::queue_full(self.shared.config.max_queue),
                    done,
                });
            }
            let key = state.rank_for(&job);
            self.shared.enqueue(&mut state, key, job, done, false);
        }
        self.shared.changed.notify_all();
        Ok(())
    }

    pub fn cancel(&self, id: u64) -> Cancelled {
        let mut state = self.shared.lock();
        let Some(done) = state.remove_waiting(id) else {
            return match state.running.get(&id) {
                Some(flag) => {
                    flag.store(true, Ordering::Release);
                    Cancelled::Abandoned
                }
                None => Cancelled::Unknown,
            };
        };
        state.stats.cancelled += 1;
        drop(state);
        done(Err(JobError::aborted(id)));
        Cancelled::Removed
    }

    pub fn stats(&self) -> Stats {
        let state = self.shared.lock();
        Stats {
            queued: state.pending.len(),
            running: state.running.len(),
            remote: state.remote.len(),
            ..state.stats
        }
    }

    /// Refuses new jobs from now on; accepted jobs still run to completion.
    pub fn close(&self) {
        self.shared.lock().closed = true;
    }

    /// Stops the overflow threads (after they withdraw what is left and drop their reply
    /// stream) and returns them to be joined. Call once nothing is pending.
    pub fn shutdown(&self) -> Vec<JoinHandle<()>> {
        self.shared.stopping.store(true, Ordering::Release);
        self.shared.changed.notify_all();
        std::mem::take(&mut *self.helpers.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.shutdown();
    }
}
