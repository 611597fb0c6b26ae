//! Reading a response body with a size limit, so that a server cannot make
//! the client hold more than it allows, whatever `Content-Length` says or
//! however long the body runs on.

use bytes::{Bytes, BytesMut};

/// Bodies of API responses are read up to this size unless the builder says otherwise.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// The most memory reserved up front on the strength of `Content-Length`.
const PREALLOCATE_AT_MOST: u64 = 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection failed or timed out while reading.
    Read(reqwest::Error),
    /// The body, announced or received, is longer than the limit.
    TooLarge,
}

/// The whole body, or [`ReadError::TooLarge`] as soon as more than `limit`
/// bytes are announced or received.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, ReadError> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    // An announced length is only a hint: a server may announce much and send little.
    let hint = announced.map_or(0, |length| length.min(PREALLOCATE_AT_MOST) as usize);
    let mut body = BytesMut::with_capacity(hint);
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Read)? {
        if chunk.len() > limit - body.len() {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
