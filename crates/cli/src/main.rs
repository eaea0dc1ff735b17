//! `pixelpool` as a standalone binary, for machines without Node: the remote worker, and
//! the benchmark's quality scorer. The Node CLI (`bin/pixelpool.js`) fronts the rest.
mod score;
mod worker;

use std::process::ExitCode;

const USAGE: &str = "usage:\n  \
  pixelpool worker --redis URL [--queue NAME] [--name WORKER] [--concurrency N]\n    \
  Serves the overflow of queue NAME (default 'default') until SIGINT or SIGTERM.\n  \
  pixelpool score <original> <output>...\n    \
  Prints each output's SSIMULACRA2 score against a float Lanczos3 resize of the\n    \
  EXIF-oriented original to its size (100 = identical, 90 = visually lossless).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.split_first() {
        Some((command, rest)) if command == "score" && rest.len() >= 2 => {
            score::run(&rest[0], &rest[1..])
        }
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
