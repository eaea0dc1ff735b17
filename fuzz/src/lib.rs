//! What every fuzz target runs: the whole decode path of one format (header, limits,
//! shrink-on-load, colour conversion, orientation) into a tiny output. Inputs of other
//! formats are skipped, so each target spends its time on its own decoder.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use pixelpool_engine::{process, sniff, DecodeLimits, Encoding, FailOn, Format, OutputSpec};

static CONTAINED_PANICS_ARE_ERRORS: Once = Once::new();
static CONTAINED_PANICS: AtomicUsize = AtomicUsize::new(0);

pub fn decode(data: &[u8], format: Format) {
    decode_with(data, format, false)
}

/// As `decode`, keeping every frame of an animation (GIF, WebP).
pub fn decode_animated(data: &[u8], format: Format) {
    decode_with(data, format, true)
}

/// A join container (sharp's `sharp([a, b], { join })`): its JSON and every image in it,
/// joined as a grid and as an animation.
pub fn decode_join(data: &[u8]) {
    if !pixelpool_engine::join::is_join(data) {
        return;
    }
    run(data, false);
    run(data, true);
}

fn decode_with(data: &[u8], format: Format, animated: bool) {
    // The engine turns a decoder's panic into CORRUPT_INPUT, as it does in production;
    // libFuzzer's hook would abort first. Panics that escape the engine still abort.
    CONTAINED_PANICS_ARE_ERRORS.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            // The first few are shown, to be reported upstream or worked around.
            if CONTAINED_PANICS.fetch_add(1, Ordering::Relaxed) < 10 {
                eprintln!("contained panic: {info}");
            }
        }))
    });
    if sniff(data) != Some(format) {
        return;
    }
    run(data, animated);
}

fn run(data: &[u8], animated: bool) {
    // Small enough for thousands of executions a second, large enough for real headers.
    let limits = DecodeLimits {
        max_pixels: 4_000_000,
        fail_on: FailOn::None,
        animated,
        ..DecodeLimits::default()
    };
    let tiny = OutputSpec {
        width: Some(16),
        ..OutputSpec::new(Encoding::Png {
            compression_level: 0,
            palette: false,
            quality: 100,
        })
    };
    // Errors are fine; panics, aborts, hangs and runaway memory are what the fuzzer finds.
    let _ = process(data, &[tiny], &limits);
}

/// Text input (sharp's `{ text }`): markup from the data after a four-byte header of
/// settings (flags: rgba, justify, align, wrap, width and height given; width, height and
/// dpi in steps of 4), drawn within a small pixel limit.
pub fn decode_text(data: &[u8]) {
    use pixelpool_engine::text::{render, TextAlign, TextSpec, TextWrap};
    let [flags, width, height, dpi, ..] = *data else {
        return;
    };
    let spec = TextSpec {
        text: String::from_utf8_lossy(&data[4..]).into_owned(),
        font: None,
        fontfile: None,
        width: (flags & 0x40 != 0).then_some(width as u32 * 4 + 1),
        height: (flags & 0x80 != 0).then_some(height as u32 * 4 + 1),
        align: [TextAlign::Left, TextAlign::Centre, TextAlign::Right][(flags >> 2 & 3) as usize % 3],
        justify: flags & 2 != 0,
        dpi: Some(dpi as u32 * 4 + 1).filter(|_| flags & 0xc0 != 0xc0),
        rgba: flags & 1 != 0,
        spacing: 0,
        wrap: [TextWrap::Word, TextWrap::Char, TextWrap::WordChar, TextWrap::None]
            [(flags >> 4 & 3) as usize],
    };
    let _ = render(&spec, 4_000_000);
}
