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
mod state;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::error::{ErrorCode, JobError};
use crate::job::Job;
use crate::overflow::{self, Backlog, RemoteConfig};
use crate::pipeline::{Outcome, Pipeline};
use crate::stats::Stats;
use crate::transport::Transport;
use state::{RankKey, State};

/// Called exactly once per accepted job, from whichever thread settles it.
pub type Completion = Box<dyn FnOnce(Outcome) + Send>;
/// Runs one job; checks the flag before any irreversible step (writing outputs).
pub type Runner = Arc<dyn Fn(&Job, &AtomicBool) -> Outcome + Send + Sync>;

#[derive(Debug, Clone, Copy)]
pub struct SchedulerConfig {
    pub concurrency: usize,
    pub max_queue: usize,
}

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

struct Shared {
    config: SchedulerConfig,
    state: Mutex<State>,
    /// Signalled when a job is queued or finishes, for the overflow dispatcher.
    changed: Condvar,
    runner: Runner,
    pool: ThreadPool,
    stopping: AtomicBool,
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

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic never happens while the lock is held, but a poisoned lock must not
        // take the whole queue down with it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a job and gives the pool one more task to take the best job then.
    fn enqueue(
        self: &Arc<Self>,
        state: &mut State,
        key: RankKey,
        job: Job,
        done: Completion,
        local_only: bool,
    ) {
        state.insert(key, job, done, local_only);
        let shared = Arc::clone(self);
        self.pool.spawn(move || shared.run_next());
    }

    fn run_next(&self) {
        let cancelled = Arc::new(AtomicBool::new(false));
        // A cancelled or forwarded job leaves its task with nothing to do.
        let Some(pending) = self.lock().start_next(&cancelled) else {
            return;
        };
        let job = &pending.job;
        let outcome = catch_unwind(AssertUnwindSafe(|| (self.runner)(job, &cancelled)))
            .unwrap_or_else(|panic| Err(panicked(job, panic)));
        self.finish(job.id, &cancelled, outcome, pending.done);
    }

    /// Settles a running job: counts it and calls its completion.
    fn finish(&self, id: u64, cancelled: &AtomicBool, outcome: Outcome, done: Completion) {
        let outcome = match outcome {
            Ok(_) if cancelled.load(Ordering::Acquire) => Err(JobError::aborted(id)),
            other => other,
        };
        self.lock().count_settled(id, &outcome);
        // A job finished, here or remotely: the dispatcher may have room.
        self.changed.notify_all();
        done(outcome);
    }
}

fn panicked(job: &Job, panic: Box<dyn std::any::Any + Send>) -> JobError {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    JobError::new(
        ErrorCode::Internal,
        format!(
            "{}: job {} panicked ({detail})",
            job.input.describe(),
            job.id
        ),
    )
}
