//! `pixelpool` as a standalone binary. Today it holds the benchmark's quality scorer;
//! the Node CLI (`bin/pixelpool.js`) is the front for everything else.
mod score;

use std::process::ExitCode;

const USAGE: &str = "usage: pixelpool score <original> <output>...\n\
  Prints one line per output: its SSIMULACRA2 score against a float Lanczos3 resize of the\n\
  EXIF-oriented original to the output's size (100 = identical, 90 = visually lossless).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((command, rest)) if command == "score" && rest.len() >= 2 => {
            match score::run(&rest[0], &rest[1..]) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("pixelpool score: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
