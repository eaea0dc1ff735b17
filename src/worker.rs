//! `pixelpool worker` from Node (`npx pixelpool worker`): the same worker loop as the
//! standalone binary, on native threads, so a machine with Node needs nothing else.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use napi::bindgen_prelude::Object;
use napi::{Env, JsDeferred};
use napi_derive::napi;
use pixelpool_queue::transport::Transport;
use pixelpool_remote::{describe, Log, RedisTransport, Worker, WorkerOptions};

#[napi(object)]
pub struct NativeWorkerOptions {
    pub url: String,
    pub queue: String,
    pub name: String,
    pub concurrency: u32,
}

#[napi]
pub struct NativeWorker {
    worker: Option<Worker>,
    stop: Arc<AtomicBool>,
}

type Stopped = JsDeferred<(), Box<dyn FnOnce(Env) -> napi::Result<()>>>;

#[napi]
impl NativeWorker {
    /// Connects (throwing `REMOTE_UNAVAILABLE: ...` when Redis cannot be reached) and
    /// starts serving. Logs one line per job on stderr.
    #[napi(factory)]
    pub fn start(options: NativeWorkerOptions) -> napi::Result<Self> {
        let worker_options = WorkerOptions {
            name: options.name,
            max_deliveries: 3,
            visibility_timeout: Duration::from_secs(30),
            blob_ttl: Duration::from_secs(3600),
        };
        let connect = || {
            RedisTransport::connect(&options.url, &options.queue)
                .map(|t| Arc::new(t) as Arc<dyn Transport>)
        };
        let log: Log = Arc::new(|handled| eprintln!("{}", describe(&handled)));
        let worker = Worker::start(connect, worker_options, options.concurrency, log)
            .map_err(|e| napi::Error::from_reason(format!("REMOTE_UNAVAILABLE: {e}")))?;
        Ok(Self {
            stop: worker.stopper(),
            worker: Some(worker),
        })
    }

    /// Stops taking jobs; those in hand finish.
    #[napi]
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Release);
    }

    /// Resolves once the worker has stopped and finished its jobs.
    #[napi]
    pub fn stopped<'env>(&mut self, env: &'env Env) -> napi::Result<Object<'env>> {
        let (deferred, promise): (Stopped, Object<'env>) = env.create_deferred()?;
        let worker = self.worker.take();
        std::thread::spawn(move || {
            if let Some(worker) = worker {
                worker.join();
            }
            deferred.resolve(Box::new(|_| Ok(())));
        });
        Ok(promise)
    }
}
