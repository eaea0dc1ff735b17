use std::sync::Arc;

use napi::bindgen_prelude::Object;
use napi::{Env, JsDeferred};
use napi_derive::napi;
use pixelpool_queue::{
    Cache, Cancelled, Job, JobError, Outcome, Pipeline, Runner, Scheduler, SchedulerConfig,
};

use crate::options::{NativeJob, QueueOptions};
use crate::outcome::{to_js, NativeOutcome};
use crate::remote::RemoteLink;

type Settle = JsDeferred<NativeOutcome, Box<dyn FnOnce(Env) -> napi::Result<NativeOutcome>>>;
type Ready = JsDeferred<Option<String>, Box<dyn FnOnce(Env) -> napi::Result<Option<String>>>>;
type Destroyed = JsDeferred<(), Box<dyn FnOnce(Env) -> napi::Result<()>>>;

#[napi(object)]
pub struct NativeStats {
    pub queued: u32,
    pub running: u32,
    pub completed: f64,
    pub failed: f64,
    pub cancelled: f64,
    /// Out with remote workers now.
    pub remote: u32,
    pub forwarded: f64,
    pub cache_hits: f64,
    pub decoded: f64,
}

/// The native half of `Queue` in `lib/queue.js`.
#[napi]
pub struct NativeQueue {
    scheduler: Option<Arc<Scheduler>>,
    remote: Option<Arc<RemoteLink>>,
}

#[napi]
impl NativeQueue {
    #[napi(constructor)]
    pub fn new(options: QueueOptions) -> napi::Result<Self> {
        let config = SchedulerConfig {
            concurrency: options.concurrency as usize,
            max_queue: options.max_queue as usize,
        };
        let cache = options
            .cache_dir
            .map(|dir| Arc::new(Cache::new(dir, options.cache_max_bytes as u64)));
        let pipeline = Arc::new(Pipeline::new(cache));
        let local = Arc::clone(&pipeline);
        let runner: Runner = Arc::new(move |job, cancelled| local.run(job, cancelled));
        let scheduler = Arc::new(
            Scheduler::new(config, runner).map_err(|e| napi::Error::from_reason(e.message))?,
        );
        let remote = options
            .remote
            .map(|remote| RemoteLink::connect(remote, Arc::downgrade(&scheduler), pipeline));
        Ok(Self {
            scheduler: Some(scheduler),
            remote,
        })
    }

    /// Resolves once the remote connection attempt is over: to null when connected (or
    /// when there is no remote), else to why it failed.
    #[napi]
    pub fn remote_ready<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let (deferred, promise): (Ready, Object<'env>) = env.create_deferred()?;
        let remote = self.remote.clone();
        std::thread::spawn(move || {
            let failure = remote.and_then(|link| link.wait());
            deferred.resolve(Box::new(move |_| Ok(failure)));
        });
        Ok(promise)
    }

    /// Returns a promise that always resolves, to `{ result }` or `{ error }`.
    ///
    /// Jobs run on the queue's own rayon threads, never on libuv's pool, which Node needs
    /// for fs and dns; each pending promise keeps the event loop alive until it settles.
    /// A job the conversion refuses settles as INVALID_OPTION too: `process()` never throws.
    #[napi]
    pub fn submit<'env>(&self, env: &'env Env, job: NativeJob) -> napi::Result<Object<'env>> {
        let (deferred, promise): (Settle, Object<'env>) = env.create_deferred()?;
        let settle = move |outcome: Outcome| {
            let value = to_js(outcome);
            deferred.resolve(Box::new(move |_env| Ok(value)));
        };
        // Every deferred must be settled: an unsettled one would keep Node alive forever.
        let job = match Job::try_from(job) {
            Ok(job) => job,
            Err(refused) => {
                settle(Err(refused));
                return Ok(promise);
            }
        };
        match &self.scheduler {
            Some(scheduler) => {
                if let Err(refused) = scheduler.submit(job, Box::new(settle)) {
                    (refused.done)(Err(refused.error));
                }
            }
            None => settle(Err(JobError::closed())),
        }
        Ok(promise)
    }

    /// "removed" (was queued), "abandoned" (running; its outputs will not be written) or "unknown".
    #[napi]
    pub fn cancel(&self, id: i64) -> &'static str {
        let Ok(id) = u64::try_from(id) else {
            return "unknown";
        };
        match self.scheduler.as_ref().map(|s| s.cancel(id)) {
            Some(Cancelled::Removed) => "removed",
            Some(Cancelled::Abandoned) => "abandoned",
            _ => "unknown",
        }
    }

    #[napi]
    pub fn stats(&self) -> NativeStats {
        let stats = self
            .scheduler
            .as_ref()
            .map(|s| s.stats())
            .unwrap_or_default();
        NativeStats {
            queued: stats.queued as u32,
            running: stats.running as u32,
            completed: stats.completed as f64,
            failed: stats.failed as f64,
            cancelled: stats.cancelled as f64,
            remote: stats.remote as u32,
            forwarded: stats.forwarded as f64,
            cache_hits: stats.cache_hits as f64,
            decoded: stats.decoded as f64,
        }
    }

    /// Stops accepting jobs; those already accepted still run.
    #[napi]
    pub fn close(&self) {
        if let Some(scheduler) = &self.scheduler {
            scheduler.close();
        }
    }

    /// Frees the pool threads and stops forwarding (the reply stream is deleted). Call
    /// once nothing is queued or running; resolves when the helper threads are gone.
    #[napi]
    pub fn destroy<'env>(&mut self, env: &'env Env) -> napi::Result<Object<'env>> {
        let (deferred, promise): (Destroyed, Object<'env>) = env.create_deferred()?;
        let helpers = self
            .scheduler
            .take()
            .map(|s| s.shutdown())
            .unwrap_or_default();
        std::thread::spawn(move || {
            for helper in helpers {
                let _ = helper.join();
            }
            deferred.resolve(Box::new(|_| Ok(())));
        });
        Ok(promise)
    }
}
