#![no_main]
use pixelpool_engine::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| pixelpool_fuzz::decode_animated(data, Format::Gif));
