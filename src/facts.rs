//! What the engine and the queue know, for `lib/` to take its lists from (error codes) or
//! to be checked against (the formats in `lib/schema.js`, by a test).
// napi registers these free functions when Node loads the addon; a test build never does.
#![cfg_attr(test, allow(dead_code))]
use napi_derive::napi;
use pixelpool_engine::Format;
use pixelpool_queue::ErrorCode;

#[napi(object)]
pub struct FormatFacts {
    pub name: String,
    /// Every format the engine knows it decodes.
    pub read: bool,
    pub write: bool,
}

#[napi]
pub fn formats() -> Vec<FormatFacts> {
    Format::ALL
        .iter()
        .map(|format| FormatFacts {
            name: format.name().to_owned(),
            read: true,
            write: format.writable(),
        })
        .collect()
}

#[napi]
pub fn error_codes() -> Vec<&'static str> {
    ErrorCode::ALL.iter().map(|code| code.as_str()).collect()
}
