#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pixelpool_fuzz::decode_text(data));
