//! The scheduler's shared core: the state under its lock, the pool, and the one place a
//! job is settled (`finish`), for the Scheduler's API (mod.rs) and overflow's side
//! (remote.rs) alike.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use rayon::ThreadPool;

use crate::error::{ErrorCode, JobError};
use crate::job::Job;
use crate::pipeline::{Completion, Outcome};

use super::state::{RankKey, State};

/// Runs one job; checks the flag before any irreversible step (writing outputs).
pub type Runner = Arc<dyn Fn(&Job, &AtomicBool) -> Outcome + Send + Sync>;

#[derive(Debug, Clone, Copy)]
pub struct SchedulerConfig {
    pub concurrency: usize,
    pub max_queue: usize,
}

pub(super) struct Shared {
    pub(super) config: SchedulerConfig,
    pub(super) state: Mutex<State>,
    /// Signalled when a job is queued or finishes, for the overflow dispatcher.
    pub(super) changed: Condvar,
    pub(super) runner: Runner,
    pub(super) pool: ThreadPool,
    pub(super) stopping: AtomicBool,
}

impl Shared {
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic never happens while the lock is held, but a poisoned lock must not
        // take the whole queue down with it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a job and gives the pool one more task to take the best job then.
    pub(super) fn enqueue(
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
    pub(super) fn finish(
        &self,
        id: u64,
        cancelled: &AtomicBool,
        outcome: Outcome,
        done: Completion,
    ) {
        let outcome = match outcome {
            // Stopped midway, a job may also fail for having been stopped.
            _ if cancelled.load(Ordering::Acquire) => Err(JobError::aborted(id)),
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
