//! `pixelpool-bench`: the benchmark's helpers, run by bench/*.mjs.
use std::process::ExitCode;

use pixelpool_bench::reference::{load, Reference};
use pixelpool_bench::{limit, shrink_quality};

const USAGE: &str = "usage:\n  \
  pixelpool-bench score <original> <output>...\n    \
  Each output's SSIMULACRA2 against a float Lanczos3 resize of the EXIF-oriented\n    \
  original to its size (100 = identical, 90 = visually lossless).\n  \
  pixelpool-bench limit <photo> <threads> <seconds> <format>:<width>...\n    \
  The decoder-bound limit of each point: jobs/s of a bare decode at the scale the\n    \
  pipeline chooses plus a bare encode of the output, on <threads> threads.\n  \
  pixelpool-bench shrink-quality <photo>...\n    \
  SSIMULACRA2 lost by each decode scale against a full-size decode, per reduction.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.split_first() {
        Some((command, rest)) if command == "score" && rest.len() >= 2 => {
            score(&rest[0], &rest[1..])
        }
        Some((command, rest)) if command == "limit" && rest.len() >= 4 => limit::run(rest),
        Some((command, rest)) if command == "shrink-quality" && !rest.is_empty() => {
            shrink_quality::run(rest)
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("pixelpool-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Scores the outputs on every core (a 25 MP reference takes seconds per output), printed
/// in the order given.
fn score(original: &str, outputs: &[String]) -> Result<(), String> {
    let reference = Reference::new(&load(original)?);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut scores: Vec<Result<f64, String>> = Vec::new();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(output) = outputs.get(i) else {
                            return done;
                        };
                        done.push((i, load(output).and_then(|image| reference.score(&image))));
                    }
                })
            })
            .collect();
        let mut all: Vec<_> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("scoring thread panicked"))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        scores = all.into_iter().map(|(_, score)| score).collect();
    });
    for (output, score) in outputs.iter().zip(scores) {
        println!("{:.3}\t{output}", score?);
    }
    Ok(())
}
