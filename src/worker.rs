//! `pixelpool worker` from Node (`npx pixelpool worker`): the standalone binary's front end
//! (`pixelpool_remote::front`) on native threads, so a machine with Node needs nothing
//! else. Node keeps its own signal handling; `lib/cli/worker.js` calls `stop`.
// napi registers the free function when Node loads the addon; a test build never does.
#![cfg_attr(test, allow(dead_code))]
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::Object;
use napi::{Env, Error, JsDeferred};
use napi_derive::napi;
use pixelpool_remote::front::{self, Command, WorkerConfig, WorkerError};
use pixelpool_remote::Worker;

/// Thrown with the front end's code as the JS error's `code`.
fn coded(error: WorkerError) -> Error<String> {
    Error::new(error.code.as_str().to_owned(), error.message)
}

#[napi]
pub struct NativeWorker {
    config: WorkerConfig,
    worker: Option<Worker>,
    stop: Arc<AtomicBool>,
}

/// Parses the arguments after `worker` (`host` names the default worker name), connects
/// and starts serving; null for `--help`, after printing the usage.
#[napi]
pub fn start_worker(
    args: Vec<String>,
    host: String,
) -> Result<Option<NativeWorker>, Error<String>> {
    let config = match front::parse(&args, &host).map_err(coded)? {
        Command::Help => {
            println!("{}", front::USAGE);
            return Ok(None);
        }
        Command::Serve(config) => config,
    };
    let worker = front::start(&config).map_err(coded)?;
    Ok(Some(NativeWorker {
        config,
        stop: worker.stopper(),
        worker: Some(worker),
    }))
}

type Stopped = JsDeferred<(), Box<dyn FnOnce(Env) -> napi::Result<()>>>;

#[napi]
impl NativeWorker {
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
        let config = self.config.clone();
        std::thread::spawn(move || {
            if let Some(worker) = worker {
                worker.join();
                front::log_stopped(&config);
            }
            deferred.resolve(Box::new(|_| Ok(())));
        });
        Ok(promise)
    }
}
