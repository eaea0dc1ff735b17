//! `pixelpool` as a standalone binary, for machines without Node: the remote worker. The
//! Node CLI (`bin/pixelpool.js`) fronts the rest; the benchmark's tools are in
//! `pixelpool-bench` (crates/bench), which is not shipped.
mod worker;

use std::process::ExitCode;

const USAGE: &str = "usage:\n  \
  pixelpool worker --redis URL [--queue NAME] [--name WORKER] [--concurrency N]\n    \
  Serves the overflow of queue NAME (default 'default') until SIGINT or SIGTERM.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.split_first() {
        Some((command, rest)) if command == "worker" => worker::parse(rest).and_then(worker::run),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("pixelpool: {message}");
            ExitCode::FAILURE
        }
    }
}
