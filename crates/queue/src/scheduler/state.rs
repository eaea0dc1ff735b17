//! The scheduler's bookkeeping: jobs ranked by priority then arrival, those running, those
//! out with remote workers, and the counters. Plain data, changed under one lock.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use crate::error::ErrorCode;
use crate::job::{Job, RanOn};
use crate::pipeline::{Completion, Outcome};
use crate::stats::Stats;

/// Higher priority first, then first come.
pub(super) type RankKey = (Reverse<i32>, u64);

pub(super) struct Pending {
    pub job: Job,
    pub done: Completion,
    /// Came back from remote workers, or cannot go to them: runs here.
    pub local_only: bool,
}

/// A job out with remote workers.
pub(super) struct Out {
    pub rank: RankKey,
    pub job: Job,
    pub done: Completion,
    /// The transport's handle, once pushed.
    pub tag: Option<String>,
    /// None while its input is being uploaded.
    pub pushed_at: Option<Instant>,
}

#[derive(Default)]
pub(super) struct State {
    pub pending: BTreeMap<RankKey, Pending>,
    pub ranks: HashMap<u64, RankKey>,
    pub running: HashMap<u64, Arc<AtomicBool>>,
    pub remote: HashMap<u64, Out>,
    /// Remote jobs nobody waits for any more (id, tag), for overflow to withdraw.
    pub withdrawn: Vec<(u64, String)>,
    pub next_sequence: u64,
    pub stats: Stats,
    pub closed: bool,
}

impl State {
    pub fn rank_for(&mut self, job: &Job) -> RankKey {
        let key = (Reverse(job.priority), self.next_sequence);
        self.next_sequence += 1;
        key
    }

    pub fn insert(&mut self, key: RankKey, job: Job, done: Completion, local_only: bool) {
        self.ranks.insert(job.id, key);
        let pending = Pending {
            job,
            done,
            local_only,
        };
        self.pending.insert(key, pending);
    }

    /// The highest-ranked job, now running under `cancelled`.
    pub fn start_next(&mut self, cancelled: &Arc<AtomicBool>) -> Option<Pending> {
        let (_, pending) = self.pending.pop_first()?;
        self.ranks.remove(&pending.job.id);
        self.running.insert(pending.job.id, Arc::clone(cancelled));
        Some(pending)
    }

    /// Removes a queued or remote job, for cancellation; its completion is the caller's.
    pub fn remove_waiting(&mut self, id: u64) -> Option<Completion> {
        if let Some(key) = self.ranks.remove(&id) {
            let pending = self.pending.remove(&key).expect("ranked jobs are pending");
            return Some(pending.done);
        }
        let out = self.remote.remove(&id)?;
        self.withdrawn.extend(out.tag.map(|tag| (id, tag)));
        Some(out.done)
    }

    /// Counts a settled job that was running.
    pub fn count_settled(&mut self, id: u64, outcome: &Outcome) {
        self.running.remove(&id);
        match outcome {
            Ok(result) => {
                self.stats.completed += 1;
                self.stats.cache_hits += result.cached as u64;
                self.stats.decoded += (!result.cached && result.ran_on == RanOn::Local) as u64;
            }
            Err(e) if e.code == ErrorCode::Aborted => self.stats.cancelled += 1,
            Err(_) => self.stats.failed += 1,
        }
    }
}
