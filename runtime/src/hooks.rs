//! Code of the user's own that runs around every attempt of every call:
//! to add a header, record metrics or look at a status, without forking the
//! runtime. Set with [`ClientBuilder::hooks`](crate::ClientBuilder::hooks).

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::OperationInfo;

/// Called for each attempt: `before` as the request is about to leave,
/// `after` once its response has been read. Retries and re-sends after an
/// authentication challenge are attempts too.
///
/// `before` runs before credentials are added, so a hook never sees a
/// secret, and what it changes is covered by a Digest response. Both
/// methods do nothing unless implemented.
pub trait Hooks: Send + Sync + fmt::Debug {
    /// The request of one attempt, which the hook may change.
    fn before(&self, request: &mut reqwest::Request, attempt: &Attempt<'_>) {
        let _ = (request, attempt);
    }

    /// The response of one attempt, read in full (or the limit reached).
    fn after(&self, response: &Received<'_>, attempt: &Attempt<'_>) {
        let _ = (response, attempt);
    }
}

/// Which attempt of which call.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation.
    pub operation: &'a OperationInfo,
    /// 1 for the first attempt of the call.
    pub number: u32,
    /// Time since the call started.
    pub elapsed: Duration,
}

/// What an attempt received.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Received<'a> {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: &'a HeaderMap,
    /// The body's length, or `None` when it was longer than the limit.
    pub body_length: Option<usize>,
}
