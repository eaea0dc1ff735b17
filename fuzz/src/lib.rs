//! What every fuzz target runs: the whole decode path of one format (header, limits,
//! shrink-on-load, colour conversion, orientation) into a tiny output. Inputs of other
//! formats are skipped, so each target spends its time on its own decoder.
use pixelpool_engine::{process, sniff, DecodeLimits, Encoding, FailOn, Format, OutputSpec};

pub fn decode(data: &[u8], format: Format) {
    if sniff(data) != Some(format) {
        return;
    }
    // Small enough for thousands of executions a second, large enough for real headers.
    let limits = DecodeLimits {
        max_pixels: 4_000_000,
        fail_on: FailOn::None,
    };
    let tiny = OutputSpec {
        width: Some(16),
        ..OutputSpec::new(Encoding::Png {
            compression_level: 0,
            palette: None,
        })
    };
    // Errors are fine; panics, aborts, hangs and runaway memory are what the fuzzer finds.
    let _ = process(data, &[tiny], &limits);
}
