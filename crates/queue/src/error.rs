use std::fmt;

use pixelpool_engine::{EngineError, ErrorKind};

/// The stable codes a job can fail with; JavaScript sees them as `error.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidOption,
    UnsupportedFormat,
    CorruptInput,
    InputTooLarge,
    QueueFull,
    Aborted,
    Closed,
    RemoteUnavailable,
    IoError,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidOption => "INVALID_OPTION",
            ErrorCode::UnsupportedFormat => "UNSUPPORTED_FORMAT",
            ErrorCode::CorruptInput => "CORRUPT_INPUT",
            ErrorCode::InputTooLarge => "INPUT_TOO_LARGE",
            ErrorCode::QueueFull => "QUEUE_FULL",
            ErrorCode::Aborted => "ABORTED",
            ErrorCode::Closed => "CLOSED",
            ErrorCode::RemoteUnavailable => "REMOTE_UNAVAILABLE",
            ErrorCode::IoError => "IO_ERROR",
            ErrorCode::Internal => "INTERNAL",
        }
    }

    /// The code named by `as_str`, as a remote worker reports it.
    pub fn parse(code: &str) -> Option<Self> {
        [
            ErrorCode::InvalidOption,
            ErrorCode::UnsupportedFormat,
            ErrorCode::CorruptInput,
            ErrorCode::InputTooLarge,
            ErrorCode::QueueFull,
            ErrorCode::Aborted,
            ErrorCode::Closed,
            ErrorCode::RemoteUnavailable,
            ErrorCode::IoError,
            ErrorCode::Internal,
        ]
        .into_iter()
        .find(|known| known.as_str() == code)
    }
}

impl From<ErrorKind> for ErrorCode {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::UnsupportedFormat => ErrorCode::UnsupportedFormat,
            ErrorKind::CorruptInput => ErrorCode::CorruptInput,
            ErrorKind::InputTooLarge => ErrorCode::InputTooLarge,
            ErrorKind::InvalidOption => ErrorCode::InvalidOption,
            ErrorKind::Internal => ErrorCode::Internal,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    pub code: ErrorCode,
    pub message: String,
    /// The output being produced when the job failed, if the failure was output-specific.
    pub output_index: Option<usize>,
}

impl JobError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            output_index: None,
        }
    }

    pub fn aborted(id: u64) -> Self {
        Self::new(ErrorCode::Aborted, format!("job {id} was aborted"))
    }

    pub fn closed() -> Self {
        Self::new(
            ErrorCode::Closed,
            "the queue is closed and accepts no more jobs",
        )
    }

    pub fn queue_full(max_queue: usize) -> Self {
        Self::new(
            ErrorCode::QueueFull,
            format!("the queue already holds maxQueue ({max_queue}) pending jobs"),
        )
    }

    /// An engine failure, prefixed with the input it concerns ("photos/a.jpg: ...").
    pub fn from_engine(error: EngineError, input: &str) -> Self {
        Self::about_input(error.kind.into(), input, &error.message, error.output_index)
    }

    /// A failure of processing `input` (at `outputs[output_index]` when one output failed).
    pub fn about_input(
        code: ErrorCode,
        input: &str,
        message: &str,
        output_index: Option<usize>,
    ) -> Self {
        let message = match output_index {
            Some(index) => format!("{input}: outputs[{index}]: {message}"),
            None => format!("{input}: {message}"),
        };
        Self {
            code,
            message,
            output_index,
        }
    }
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for JobError {}
