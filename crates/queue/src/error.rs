use std::fmt;

use pixelpool_engine::{EngineError, ErrorKind};

/// Declares `ErrorCode` with each code's name written once.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// The stable codes a job can fail with; JavaScript sees them as `error.code`,
        /// and `lib/errors.js` takes its list from `ErrorCode::ALL`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

error_codes! {
    InvalidOption => "INVALID_OPTION",
    UnsupportedFormat => "UNSUPPORTED_FORMAT",
    CorruptInput => "CORRUPT_INPUT",
    InputTooLarge => "INPUT_TOO_LARGE",
    QueueFull => "QUEUE_FULL",
    Aborted => "ABORTED",
    Closed => "CLOSED",
    RemoteUnavailable => "REMOTE_UNAVAILABLE",
    IoError => "IO_ERROR",
    Internal => "INTERNAL",
    /// A sharp method or option pixelpool cannot do; raised by pixelpool-sharp.
    UnsupportedOperation => "UNSUPPORTED_OPERATION",
}

impl ErrorCode {
    /// The code named by `as_str`, as a remote worker reports it.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
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
            ErrorKind::Aborted => ErrorCode::Aborted,
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
