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
    // Most bodies arrive as one chunk: return it as it is, without a copy.
    let Some(first) = response.chunk().await.map_err(ReadError::Read)? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(ReadError::TooLarge);
    }
    // hyper ends a body at its announced length, so one that arrived whole
    // needs no poll to find its end.
    if announced == Some(first.len() as u64) {
        return Ok(first);
    }
    let Some(second) = response.chunk().await.map_err(ReadError::Read)? else {
        return Ok(first);
    };
    // An announced length is only a hint: a server may announce much and send little.
    let hint = announced.map_or(0, |length| length.min(PREALLOCATE_AT_MOST) as usize);
    let mut body = BytesMut::with_capacity(hint.max(first.len() + second.len()));
    append(&mut body, &first, limit)?;
    append(&mut body, &second, limit)?;
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Read)? {
        append(&mut body, &chunk, limit)?;
    }
    Ok(body.freeze())
}

fn append(body: &mut BytesMut, chunk: &[u8], limit: usize) -> Result<(), ReadError> {
    if chunk.len() > limit - body.len() {
        return Err(ReadError::TooLarge);
    }
    body.extend_from_slice(chunk);
    Ok(())
}
