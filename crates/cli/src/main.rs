//! `pixelpool` as a standalone binary, for machines without Node: the remote worker. The
//! Node CLI (`bin/pixelpool.js`) fronts the rest; the benchmark's tools are in
//! `pixelpool-bench` (crates/bench), which is not shipped.
mod worker;

use std::process::ExitCode;

use pixelpool_remote::front::{self, Command};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(("worker", rest)) = args.split_first().map(|(c, rest)| (c.as_str(), rest)) else {
        eprintln!("{}", front::USAGE);
        return ExitCode::from(2);
    };
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into());
    let outcome = match front::parse(rest, &host) {
        Ok(Command::Help) => {
            println!("{}", front::USAGE);
            Ok(())
        }
        Ok(Command::Serve(config)) => worker::run(&config),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pixelpool: {} [{}]", error.message, error.code.as_str());
            ExitCode::FAILURE
        }
    }
}
