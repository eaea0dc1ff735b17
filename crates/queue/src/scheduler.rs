//! A priority queue in front of a rayon pool. Each submitted job spawns one pool task;
//! a task takes whichever pending job ranks highest *when it starts*, so priorities hold
//! even though rayon itself runs tasks in no particular order.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::error::{ErrorCode, JobError};
use crate::job::{Job, JobResult};
use crate::stats::Stats;

pub type Outcome = Result<JobResult, JobError>;
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
    /// It was still queued: removed, and its completion got `ABORTED`.
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

type RankKey = (Reverse<i32>, u64);

struct Pending {
    job: Job,
    done: Completion,
}

#[derive(Default)]
struct State {
    pending: BTreeMap<RankKey, Pending>,
    ranks: HashMap<u64, RankKey>,
    running: HashMap<u64, Arc<AtomicBool>>,
    next_sequence: u64,
    stats: Stats,
    closed: bool,
}

struct Shared {
    config: SchedulerConfig,
    state: Mutex<State>,
    runner: Runner,
}

pub struct Scheduler {
    shared: Arc<Shared>,
    pool: ThreadPool,
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
            runner,
        });
        Ok(Self { shared, pool })
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
            let key = (Reverse(job.priority), state.next_sequence);
            state.next_sequence += 1;
            state.ranks.insert(job.id, key);
            state.pending.insert(key, Pending { job, done });
        }
        let shared = Arc::clone(&self.shared);
        self.pool.spawn(move || shared.run_next());
        Ok(())
    }

    pub fn cancel(&self, id: u64) -> Cancelled {
        let mut state = self.shared.lock();
        if let Some(key) = state.ranks.remove(&id) {
            let pending = state.pending.remove(&key).expect("ranked jobs are pending");
            state.stats.cancelled += 1;
            drop(state);
            (pending.done)(Err(JobError::aborted(id)));
            return Cancelled::Removed;
        }
        match state.running.get(&id) {
            Some(flag) => {
                flag.store(true, Ordering::Release);
                Cancelled::Abandoned
            }
            None => Cancelled::Unknown,
        }
    }

    pub fn stats(&self) -> Stats {
        let state = self.shared.lock();
        Stats {
            queued: state.pending.len(),
            running: state.running.len(),
            ..state.stats
        }
    }

    /// Refuses new jobs from now on; accepted jobs still run to completion.
    pub fn close(&self) {
        self.shared.lock().closed = true;
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

    fn run_next(&self) {
        let cancelled = Arc::new(AtomicBool::new(false));
        let next = {
            let mut state = self.lock();
            let next = state.pending.pop_first().map(|(_, pending)| pending);
            if let Some(pending) = &next {
                state.ranks.remove(&pending.job.id);
                state.running.insert(pending.job.id, Arc::clone(&cancelled));
            }
            next
        };
        // A cancelled job leaves its task with nothing to do.
        let Some(Pending { job, done }) = next else {
            return;
        };

        let outcome = catch_unwind(AssertUnwindSafe(|| (self.runner)(&job, &cancelled)))
            .unwrap_or_else(|panic| Err(panicked(&job, panic)));
        let outcome = match outcome {
            Ok(_) if cancelled.load(Ordering::Acquire) => Err(JobError::aborted(job.id)),
            other => other,
        };
        {
            let mut state = self.lock();
            state.running.remove(&job.id);
            match &outcome {
                Ok(result) => {
                    state.stats.completed += 1;
                    state.stats.cache_hits += result.cached as u64;
                }
                Err(e) if e.code == ErrorCode::Aborted => state.stats.cancelled += 1,
                Err(_) => state.stats.failed += 1,
            }
        }
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
