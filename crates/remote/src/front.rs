//! `pixelpool worker`'s front end, the one both the standalone binary (crates/cli) and
//! `npx pixelpool worker` (src/worker.rs) use: its flags, their defaults, the usage text,
//! starting the worker and its log lines. Stopping on a signal is the caller's: Node
//! handles signals itself, the binary through signal-hook.
use std::sync::Arc;

use pixelpool_queue::transport::Transport;
use pixelpool_queue::ErrorCode;

use crate::worker::{describe, Log, Worker, WorkerOptions};
use crate::RedisTransport;

pub const USAGE: &str = "\
Usage: pixelpool worker --redis URL [options]

Serves the overflow of pixelpool queues on other machines, over Redis Streams.

Options:
  --redis URL          redis://[user:password@]host[:port][/db] or rediss:// for TLS (required)
  --queue NAME         the queue's remote.name (default: default)
  --name NAME          this worker's name in logs and results (default: <host>-<pid>)
  --concurrency N      jobs at once (default: all cores)

Stops on SIGINT or SIGTERM: takes no new jobs, finishes those in hand, exits 0.
One log line per job on stderr.";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Serve(WorkerConfig),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerConfig {
    pub redis: String,
    /// The queue's `remote.name`.
    pub queue: String,
    /// This worker's name.
    pub name: String,
    pub concurrency: u32,
}

/// A front-end failure with its stable code: INVALID_OPTION for the command line,
/// REMOTE_UNAVAILABLE when Redis cannot be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerError {
    pub code: ErrorCode,
    pub message: String,
}

impl WorkerError {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::InvalidOption,
            message: format!("{}\n\n{USAGE}", message.into()),
        }
    }
}

/// Parses the arguments after `worker`; `host` names the default worker name.
pub fn parse(args: &[String], host: &str) -> Result<Command, WorkerError> {
    let mut redis = None;
    let mut queue = "default".to_owned();
    let mut name = format!("{host}-{}", std::process::id());
    let mut concurrency = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        if flag == "--help" {
            return Ok(Command::Help);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| rest.next().cloned())
                .ok_or_else(|| WorkerError::usage(format!("option {flag} needs a value")))
        };
        match flag {
            "--redis" => redis = Some(value()?),
            "--queue" => queue = value()?,
            "--name" => name = value()?,
            "--concurrency" => {
                let given = value()?;
                concurrency = given.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                    WorkerError::usage(format!(
                        "--concurrency takes a positive integer, not '{given}'"
                    ))
                })?
            }
            other if other.starts_with("--") => {
                return Err(WorkerError::usage(format!("unknown option {other}")))
            }
            other => return Err(WorkerError::usage(format!("unexpected argument '{other}'"))),
        }
    }
    let redis = redis.ok_or_else(|| WorkerError::usage("--redis URL is required"))?;
    Ok(Command::Serve(WorkerConfig {
        redis,
        queue,
        name,
        concurrency,
    }))
}

/// Connects and starts serving, logging one line per job on stderr.
pub fn start(config: &WorkerConfig) -> Result<Worker, WorkerError> {
    let connect = || {
        RedisTransport::connect(&config.redis, &config.queue)
            .map(|t| Arc::new(t) as Arc<dyn Transport>)
    };
    let log: Log = Arc::new(|handled| eprintln!("{}", describe(&handled)));
    let options = WorkerOptions::named(config.name.clone());
    let worker =
        Worker::start(connect, options, config.concurrency, log).map_err(|e| WorkerError {
            code: ErrorCode::RemoteUnavailable,
            message: e.to_string(),
        })?;
    eprintln!(
        "pixelpool worker {} serving queue '{}' with {} threads",
        config.name, config.queue, config.concurrency
    );
    Ok(worker)
}

/// The last line a worker logs, once its jobs in hand are done.
pub fn log_stopped(config: &WorkerConfig) {
    eprintln!("pixelpool worker {} stopped", config.name);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_and_defaults() {
        let Command::Serve(config) = parse(
            &args(&["--redis", "redis://h", "--queue=q", "--concurrency", "3"]),
            "box",
        )
        .unwrap() else {
            panic!("not serve")
        };
        assert_eq!(config.redis, "redis://h");
        assert_eq!(config.queue, "q");
        assert_eq!(config.concurrency, 3);
        assert_eq!(config.name, format!("box-{}", std::process::id()));
        assert_eq!(parse(&args(&["--help"]), "box").unwrap(), Command::Help);
    }

    #[test]
    fn mistakes_are_invalid_option() {
        for wrong in [
            &["--queue", "q"][..],
            &["--redis"],
            &["--redis", "r", "--concurrency", "0"],
            &["--redis", "r", "--bogus", "1"],
            &["--redis", "r", "extra"],
        ] {
            let error = parse(&args(wrong), "box").unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidOption, "{wrong:?}");
            assert!(error.message.ends_with(USAGE), "{wrong:?}");
        }
    }
}
