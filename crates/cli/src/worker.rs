//! `pixelpool worker` in the standalone binary: the shared front end, stopped by SIGINT or
//! SIGTERM (the jobs in hand finish, then it exits 0).
use std::sync::Arc;

use pixelpool_remote::front::{self, WorkerConfig, WorkerError};

pub fn run(config: &WorkerConfig) -> Result<(), WorkerError> {
    let worker = front::start(config)?;
    let stop = worker.stopper();
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|e| WorkerError {
            code: pixelpool_queue::ErrorCode::Internal,
            message: e.to_string(),
        })?;
    }
    worker.join();
    front::log_stopped(config);
    Ok(())
}
