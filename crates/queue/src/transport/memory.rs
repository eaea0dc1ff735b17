use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::{blob_key, Delivery, RemoteJob, Reply, Transport, TransportResult, WorkerLoad};

struct Held {
    job: RemoteJob,
    worker: String,
    since: Instant,
    attempts: u32,
}

#[derive(Default)]
struct State {
    next_tag: u64,
    waiting: VecDeque<(String, RemoteJob)>,
    held: HashMap<String, Held>,
    dead: Vec<(String, String)>,
    blobs: HashMap<String, (Vec<u8>, Instant)>,
    replies: HashMap<String, Vec<Reply>>,
    heartbeats: HashMap<String, (WorkerLoad, Instant)>,
}

/// All in one process, for tests and as the reference behaviour of `Transport`.
#[derive(Default)]
pub struct MemoryTransport {
    state: Mutex<State>,
    changed: Condvar,
}

impl MemoryTransport {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until `ready` finds something or `wait` passes.
    fn wait_for<T>(
        &self,
        wait: Duration,
        mut ready: impl FnMut(&mut State) -> Option<T>,
    ) -> Option<T> {
        let deadline = Instant::now() + wait;
        let mut state = self.lock();
        loop {
            if let Some(found) = ready(&mut state) {
                return Some(found);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}

impl Transport for MemoryTransport {
    fn put_blob(&self, bytes: &[u8], ttl: Duration) -> TransportResult<String> {
        let key = blob_key(bytes);
        self.lock()
            .blobs
            .insert(key.clone(), (bytes.to_vec(), Instant::now() + ttl));
        Ok(key)
    }

    fn get_blob(&self, key: &str) -> TransportResult<Option<Vec<u8>>> {
        let state = self.lock();
        Ok(state
            .blobs
            .get(key)
            .filter(|(_, expires)| *expires > Instant::now())
            .map(|(bytes, _)| bytes.clone()))
    }

    fn delete_blob(&self, key: &str) -> TransportResult<()> {
        self.lock().blobs.remove(key);
        Ok(())
    }

    fn push(&self, job: &RemoteJob) -> TransportResult<String> {
        let mut state = self.lock();
        state.next_tag += 1;
        let tag = state.next_tag.to_string();
        state.waiting.push_back((tag.clone(), job.clone()));
        drop(state);
        self.changed.notify_all();
        Ok(tag)
    }

    fn withdraw(&self, tag: &str) -> TransportResult<()> {
        let mut state = self.lock();
        state.waiting.retain(|(waiting, _)| waiting != tag);
        state.held.remove(tag);
        Ok(())
    }

    fn take_back(&self, tag: &str) -> TransportResult<bool> {
        let mut state = self.lock();
        let before = state.waiting.len();
        state.waiting.retain(|(waiting, _)| waiting != tag);
        Ok(state.waiting.len() < before)
    }

    fn reserve(&self, worker: &str, wait: Duration) -> TransportResult<Option<Delivery>> {
        Ok(self.wait_for(wait, |state| {
            let (tag, job) = state.waiting.pop_front()?;
            let held = Held {
                job: job.clone(),
                worker: worker.to_string(),
                since: Instant::now(),
                attempts: 1,
            };
            state.held.insert(tag.clone(), held);
            Some(Delivery {
                job: Ok(job),
                tag,
                attempts: 1,
            })
        }))
    }

    fn reclaim(&self, worker: &str, idle: Duration) -> TransportResult<Vec<Delivery>> {
        let mut state = self.lock();
        let now = Instant::now();
        let mut taken = Vec::new();
        for (tag, held) in state.held.iter_mut() {
            if now.duration_since(held.since) >= idle {
                held.worker = worker.to_string();
                held.since = now;
                held.attempts += 1;
                taken.push(Delivery {
                    job: Ok(held.job.clone()),
                    tag: tag.clone(),
                    attempts: held.attempts,
                });
            }
        }
        taken.sort_by_key(|d| d.tag.parse::<u64>().unwrap_or(0));
        Ok(taken)
    }

    fn ack(&self, delivery: &Delivery) -> TransportResult<()> {
        self.lock().held.remove(&delivery.tag);
        Ok(())
    }

    fn fail(&self, delivery: &Delivery, reason: &str) -> TransportResult<()> {
        let mut state = self.lock();
        state.held.remove(&delivery.tag);
        let what = match &delivery.job {
            Ok(job) => job.id.to_string(),
            Err(raw) => raw.clone(),
        };
        state.dead.push((what, reason.to_string()));
        Ok(())
    }

    fn dead_letters(&self) -> TransportResult<Vec<(String, String)>> {
        Ok(self.lock().dead.clone())
    }

    fn reply(&self, to: &str, reply: &Reply) -> TransportResult<()> {
        self.lock()
            .replies
            .entry(to.to_string())
            .or_default()
            .push(reply.clone());
        self.changed.notify_all();
        Ok(())
    }

    fn replies(&self, to: &str, wait: Duration) -> TransportResult<Vec<Reply>> {
        Ok(self
            .wait_for(wait, |state| {
                state
                    .replies
                    .get_mut(to)
                    .filter(|r| !r.is_empty())
                    .map(std::mem::take)
            })
            .unwrap_or_default())
    }

    fn drop_replies(&self, to: &str) -> TransportResult<()> {
        self.lock().replies.remove(to);
        Ok(())
    }

    fn heartbeat(&self, load: &WorkerLoad) -> TransportResult<()> {
        self.lock()
            .heartbeats
            .insert(load.name.clone(), (load.clone(), Instant::now()));
        Ok(())
    }

    fn live_workers(&self, within: Duration) -> TransportResult<Vec<WorkerLoad>> {
        let state = self.lock();
        let mut live: Vec<WorkerLoad> = state
            .heartbeats
            .values()
            .filter(|(_, seen)| seen.elapsed() <= within)
            .map(|(load, _)| load.clone())
            .collect();
        live.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(live)
    }
}
