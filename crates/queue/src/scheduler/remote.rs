//! The scheduler's side of remote overflow: the `Backlog` overflow drains, and nothing
//! more of the scheduler.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::job::Job;
use crate::overflow::{Backlog, Settlement};

use super::shared::Shared;
use super::state::{Out, Pending};

impl Backlog for Shared {
    fn take(&self, overflow_at: usize, capacity: usize) -> Option<Job> {
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

    fn pushed(&self, id: u64, tag: String) -> bool {
        let mut state = self.lock();
        state.stats.forwarded += 1;
        let Some(out) = state.remote.get_mut(&id) else {
            return false;
        };
        out.tag = Some(tag);
        out.pushed_at = Some(Instant::now());
        true
    }

    fn restore(self: Arc<Self>, id: u64) {
        let mut state = self.lock();
        if let Some(out) = state.remote.remove(&id) {
            state.withdrawn.extend(out.tag.map(|tag| (id, tag)));
            self.enqueue(&mut state, out.rank, out.job, out.done, true);
        }
    }

    fn overdue(&self, timeout: Duration) -> Vec<u64> {
        let state = self.lock();
        state
            .remote
            .iter()
            .filter(|(_, out)| out.pushed_at.is_some_and(|at| at.elapsed() >= timeout))
            .map(|(id, _)| *id)
            .collect()
    }

    fn settle(
        self: Arc<Self>,
        id: u64,
        settlement: &mut dyn FnMut(&Job, &AtomicBool) -> Settlement,
    ) {
        let cancelled = Arc::new(AtomicBool::new(false));
        let out = {
            let mut state = self.lock();
            let Some(out) = state.remote.remove(&id) else {
                return;
            };
            state.running.insert(id, Arc::clone(&cancelled));
            out
        };
        match settlement(&out.job, &cancelled) {
            Settlement::Settled(outcome) => self.finish(id, &cancelled, outcome, out.done),
            Settlement::RunHere => {
                let mut state = self.lock();
                state.running.remove(&id);
                self.enqueue(&mut state, out.rank, out.job, out.done, true);
            }
        }
    }

    fn newest_out_while_idle(&self) -> Option<(u64, String)> {
        let state = self.lock();
        if !state.pending.is_empty() || state.running.len() >= self.config.concurrency {
            return None;
        }
        state
            .remote
            .iter()
            .filter_map(|(id, out)| Some((out.pushed_at?, *id, out.tag.clone()?)))
            .max()
            .map(|(_, id, tag)| (id, tag))
    }

    fn withdrawn(&self) -> Vec<(u64, String)> {
        std::mem::take(&mut self.lock().withdrawn)
    }

    fn wait(&self, wait: Duration) -> bool {
        let state = self.lock();
        if !self.stopping() {
            let _ = self.changed.wait_timeout(state, wait);
        }
        !self.stopping()
    }

    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }
}
