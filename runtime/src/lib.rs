//! The runtime shared by every client crate that `codegen` generates.
//!
//! Generated code stays small and readable because everything that does not
//! depend on the spec lives here: the HTTP transport and its builder, request
//! validation, response decoding, and the error and response types users see.
//! It is hand-written and tested on its own, like the AWS SDK's smithy runtime.

mod decode;
mod encode;
mod error;
mod path;
mod response;
mod transport;
mod validate;

pub use decode::{decode_empty, decode_error, decode_error_empty, decode_json, unexpected_status};
pub use encode::json_body;
pub use error::{BuildError, Error, UnexpectedResponse, UnexpectedResponseKind};
pub use path::encode_path_segment;
pub use response::ResponseValue;
pub use transport::{ClientBuilder, Transport};
pub use validate::{Pattern, Rule, Validate, ValidationErrors, Validator, Violation};

/// Re-exported so that generated crates and their users name one version.
pub use reqwest;
