//! A priority queue in front of a rayon pool. Each submitted job spawns one pool task;
//! a task takes whichever pending job ranks highest *when it starts*, so priorities hold
//! even though rayon itself runs tasks in no particular order.
//!
//! With remote overflow attached (`forward_to`), jobs at the low end of the queue may be
//! taken out to remote workers while the local backlog is long, and come back to the
//! queue, in their old rank, when a worker cannot take them or answer in time.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::cache::Cache;
use crate::error::{ErrorCode, JobError};
use crate::job::{Job, JobResult, RanOn};
use crate::overflow::{self, RemoteConfig};
use crate::stats::Stats;
use crate::transport::Transport;

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

type RankKey = (Reverse<i32>, u64);

struct Pending {
    job: Job,
    done: Completion,
    /// Came back from remote workers, or cannot go to them: runs here.
    local_only: bool,
}

/// A job out with remote workers.
pub(crate) struct Out {
    rank: RankKey,
    pub job: Job,
    pub done: Completion,
    /// The transport's handle, once pushed.
    tag: Option<String>,
    /// None while its input is being uploaded.
    pub pushed_at: Option<Instant>,
}

#[derive(Default)]
struct State {
    pending: BTreeMap<RankKey, Pending>,
    ranks: HashMap<u64, RankKey>,
    running: HashMap<u64, Arc<AtomicBool>>,
    remote: HashMap<u64, Out>,
    /// Tags of remote jobs nobody waits for any more, for the dispatcher to withdraw.
    withdrawn: Vec<String>,
    next_sequence: u64,
    stats: Stats,
    closed: bool,
}

pub(crate) struct Shared {
    config: SchedulerConfig,
    state: Mutex<State>,
    /// Signalled when a job is queued or finishes, for the overflow dispatcher.
    queued: Condvar,
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
            queued: Condvar::new(),
            runner,
            pool,
            stopping: AtomicBool::new(false),
        });
        Ok(Self {
            shared,
            helpers: Mutex::default(),
        })
    }

    /// Starts sending overflow to remote workers through `transport`. Results of remote
    /// jobs go through `cache` like local ones.
    pub fn forward_to(
        &self,
        transport: Arc<dyn Transport>,
        config: RemoteConfig,
        cache: Option<Arc<Cache>>,
    ) {
        let threads = overflow::start(Arc::clone(&self.shared), transport, config, cache);
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
            let key = (Reverse(job.priority), state.next_sequence);
            state.next_sequence += 1;
            self.shared.enqueue(&mut state, key, job, done, false);
        }
        self.shared.queued.notify_all();
        Ok(())
    }

    pub fn cancel(&self, id: u64) -> Cancelled {
        let mut state = self.shared.lock();
        let done = if let Some(key) = state.ranks.remove(&id) {
            let pending = state.pending.remove(&key).expect("ranked jobs are pending");
            pending.done
        } else if let Some(out) = state.remote.remove(&id) {
            state.withdrawn.extend(out.tag);
            out.done
        } else {
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
        self.shared.queued.notify_all();
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

    fn enqueue(
        self: &Arc<Self>,
        state: &mut State,
        key: RankKey,
        job: Job,
        done: Completion,
        local_only: bool,
    ) {
        state.ranks.insert(job.id, key);
        let pending = Pending {
            job,
            done,
            local_only,
        };
        state.pending.insert(key, pending);
        let shared = Arc::clone(self);
        self.pool.spawn(move || shared.run_next());
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
        // A cancelled or forwarded job leaves its task with nothing to do.
        let Some(Pending { job, done, .. }) = next else {
            return;
        };

        let outcome = catch_unwind(AssertUnwindSafe(|| (self.runner)(&job, &cancelled)))
            .unwrap_or_else(|panic| Err(panicked(&job, panic)));
        self.finish(job.id, &cancelled, outcome, done);
    }

    /// Settles a running job: counts it and calls its completion.
    pub(crate) fn finish(
        &self,
        id: u64,
        cancelled: &AtomicBool,
        outcome: Outcome,
        done: Completion,
    ) {
        let outcome = match outcome {
            Ok(_) if cancelled.load(Ordering::Acquire) => Err(JobError::aborted(id)),
            other => other,
        };
        {
            let mut state = self.lock();
            state.running.remove(&id);
            match &outcome {
                Ok(result) => {
                    state.stats.completed += 1;
                    state.stats.cache_hits += result.cached as u64;
                    state.stats.decoded += (!result.cached && result.ran_on == RanOn::Local) as u64;
                }
                Err(e) if e.code == ErrorCode::Aborted => state.stats.cancelled += 1,
                Err(_) => state.stats.failed += 1,
            }
        }
        self.nudge();
        done(outcome);
    }

    pub(crate) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// Waits until a job is queued, the scheduler stops, or `wait` passes.
    pub(crate) fn wait_for_jobs(&self, wait: Duration) {
        let state = self.lock();
        if !self.stopping() {
            let _ = self.queued.wait_timeout(state, wait);
        }
    }

    /// The lowest-ranked job that may leave, when more than `overflow_at` jobs wait here
    /// and fewer than `capacity` are out already. It counts as out from now on.
    pub(crate) fn take_for_remote(&self, overflow_at: usize, capacity: usize) -> Option<Job> {
        let mut state = self.lock();
        if state.pending.len() <= overflow_at || state.remote.len() >= capacity {
            return None;
        }
        let key = state
            .pending
            .iter()
            .rev()
            .find(|(_, pending)| !pending.local_only)
            .map(|(key, _)| *key)?;
        let Pending { job, done, .. } = state.pending.remove(&key).expect("found above");
        state.ranks.remove(&job.id);
        let out = Out {
            rank: key,
            job: job.clone(),
            done,
            tag: None,
            pushed_at: None,
        };
        state.remote.insert(job.id, out);
        Some(job)
    }

    /// Records that a job was pushed. `false` if it was cancelled meanwhile: then nobody
    /// waits for it and the caller withdraws it.
    pub(crate) fn pushed(&self, id: u64, tag: String) -> bool {
        let mut state = self.lock();
        state.stats.forwarded += 1;
        let Some(out) = state.remote.get_mut(&id) else {
            return false;
        };
        out.tag = Some(tag);
        out.pushed_at = Some(Instant::now());
        true
    }

    /// Remote jobs pushed more than `timeout` ago.
    pub(crate) fn overdue(&self, timeout: Duration) -> Vec<u64> {
        let state = self.lock();
        state
            .remote
            .iter()
            .filter(|(_, out)| out.pushed_at.is_some_and(|at| at.elapsed() >= timeout))
            .map(|(id, _)| *id)
            .collect()
    }

    /// Brings a remote job back to run here, in its old rank.
    pub(crate) fn bring_back(self: &Arc<Self>, id: u64) {
        let mut state = self.lock();
        if let Some(out) = state.remote.remove(&id) {
            state.withdrawn.extend(out.tag);
            self.enqueue(&mut state, out.rank, out.job, out.done, true);
        }
    }

    /// Takes a remote job whose reply came, as running; `None` if nobody waits for it (a
    /// late or duplicate reply).
    pub(crate) fn claim(&self, id: u64) -> Option<(Out, Arc<AtomicBool>)> {
        let mut state = self.lock();
        let out = state.remote.remove(&id)?;
        let cancelled = Arc::new(AtomicBool::new(false));
        state.running.insert(id, Arc::clone(&cancelled));
        Some((out, cancelled))
    }

    /// Puts a claimed job back in the queue to run here (its remote result was unusable).
    pub(crate) fn requeue(self: &Arc<Self>, out: Out) {
        let mut state = self.lock();
        state.running.remove(&out.job.id);
        self.enqueue(&mut state, out.rank, out.job, out.done, true);
    }

    /// Whether a local thread would have nothing to do.
    pub(crate) fn local_idle(&self) -> bool {
        let state = self.lock();
        state.pending.is_empty() && state.running.len() < self.config.concurrency
    }

    /// The remote job pushed last, the one most likely still waiting for a worker.
    pub(crate) fn newest_out(&self) -> Option<(u64, String)> {
        let state = self.lock();
        state
            .remote
            .iter()
            .filter_map(|(id, out)| Some((out.pushed_at?, *id, out.tag.clone()?)))
            .max()
            .map(|(_, id, tag)| (id, tag))
    }

    /// Wakes the dispatcher: a job finished, here or remotely, so there may be room.
    pub(crate) fn nudge(&self) {
        self.queued.notify_all();
    }

    pub(crate) fn take_withdrawn(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().withdrawn)
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
