use napi::{Error, Status};

/// Misuse that got past `lib/validate.js`; the JS side gives such errors their `code`.
pub fn invalid_option(name: &str, expected: &str) -> Error {
    Error::new(
        Status::InvalidArg,
        format!("INVALID_OPTION: Expected {expected} for {name}"),
    )
}
