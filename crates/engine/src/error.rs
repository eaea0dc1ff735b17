use std::fmt;

/// What went wrong, in terms a caller can act on. Each kind maps to one stable JS `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    UnsupportedFormat,
    CorruptInput,
    InputTooLarge,
    InvalidOption,
    Internal,
    /// The caller stopped the job (its timeout, or an abort) while it ran.
    Aborted,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::UnsupportedFormat => "UNSUPPORTED_FORMAT",
            ErrorKind::CorruptInput => "CORRUPT_INPUT",
            ErrorKind::InputTooLarge => "INPUT_TOO_LARGE",
            ErrorKind::InvalidOption => "INVALID_OPTION",
            ErrorKind::Internal => "INTERNAL",
            ErrorKind::Aborted => "ABORTED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    pub kind: ErrorKind,
    pub message: String,
    /// Index of the output being produced when the error happened, if any.
    pub output_index: Option<usize>,
}

impl EngineError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            output_index: None,
        }
    }

    pub fn corrupt(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::CorruptInput, message)
    }

    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::UnsupportedFormat, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    pub fn aborted(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Aborted, message)
    }

    pub fn for_output(mut self, index: usize) -> Self {
        self.output_index = Some(index);
        self
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EngineError {}

pub type Result<T> = std::result::Result<T, EngineError>;
