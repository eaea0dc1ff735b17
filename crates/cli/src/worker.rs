//! `pixelpool worker`: serves a queue's overflow from Redis until SIGINT or SIGTERM, then
//! finishes the jobs in hand and exits 0. One log line per job on stderr.

use std::sync::Arc;
use std::time::Duration;

use pixelpool_queue::transport::Transport;
use pixelpool_remote::{describe, Log, RedisTransport, Worker, WorkerOptions};

pub struct Args {
    pub redis: String,
    pub name: String,
    pub queue: String,
    pub concurrency: usize,
}

pub fn parse(args: &[String]) -> Result<Args, String> {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into());
    let mut parsed = Args {
        redis: String::new(),
        name: format!("{host}-{}", std::process::id()),
        queue: "default".into(),
        concurrency: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--redis" => parsed.redis = value()?,
            "--name" => parsed.name = value()?,
            "--queue" => parsed.queue = value()?,
            "--concurrency" => {
                parsed.concurrency = value()?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("--concurrency takes a positive integer")?
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if parsed.redis.is_empty() {
        return Err("--redis URL is required".into());
    }
    Ok(parsed)
}

pub fn run(args: Args) -> Result<(), String> {
    let options = WorkerOptions {
        name: args.name.clone(),
        max_deliveries: 3,
        visibility_timeout: Duration::from_secs(30),
        blob_ttl: Duration::from_secs(3600),
    };
    let connect = || {
        RedisTransport::connect(&args.redis, &args.queue).map(|t| Arc::new(t) as Arc<dyn Transport>)
    };
    let log: Log = Arc::new(|handled| eprintln!("{}", describe(&handled)));
    let worker = Worker::start(connect, options, args.concurrency as u32, log)
        .map_err(|e| format!("REMOTE_UNAVAILABLE: {e}"))?;
    let stop = worker.stopper();
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|e| e.to_string())?;
    }
    eprintln!(
        "pixelpool worker {} serving queue '{}' with {} threads",
        args.name, args.queue, args.concurrency
    );
    worker.join();
    eprintln!("pixelpool worker {} stopped", args.name);
    Ok(())
}
