//! What a job returns: the input as read, each output encoded, and where the time went.
//! Shared by the still and the animated paths (pipeline.rs, animated.rs).
use std::time::Duration;

use crate::decode::Header;
use crate::encode_outputs::Encoded;
use crate::spec::Format;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputInfo {
    pub format: Format,
    /// As stored, before EXIF orientation.
    pub width: u32,
    pub height: u32,
    pub orientation: u8,
    pub has_alpha: bool,
    /// Frames read: an animation's count when the job keeps its frames, else 1.
    #[serde(default = "one")]
    pub pages: u32,
    /// What the decoder left out, such as an SVG's references to other files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl InputInfo {
    pub(crate) fn of(header: Header, pages: u32) -> InputInfo {
        InputInfo {
            format: header.format,
            width: header.width,
            height: header.height,
            orientation: header.orientation,
            has_alpha: header.has_alpha,
            pages,
            warnings: header.warnings,
        }
    }
}

fn one() -> u32 {
    1
}

/// Where a job's time went, for profiling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Header, decode and EXIF orientation.
    pub decode: Duration,
    /// Resize, crop, embed and per-output transforms.
    pub resize: Duration,
    pub encode: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub input: InputInfo,
    pub outputs: Vec<Encoded>,
    pub times: StageTimes,
}
