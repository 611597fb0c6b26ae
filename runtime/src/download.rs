//! Response bodies that are not JSON (gzip, csv, binary), handed to the
//! caller as they arrive instead of being held in memory whole.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::Stream;
use reqwest::StatusCode;

use crate::Error;

/// A response body read chunk by chunk, as the server sends it.
///
/// Read it with `futures::StreamExt::next` (each item is a chunk) or
/// [`ByteStream::collect`]. Once the headers have arrived, neither the
/// call's deadline nor the client's timeout bounds the whole download;
/// each chunk must arrive within the timeout (`ClientBuilder::timeout`,
/// else [`Error::DownloadStalled`]), and the whole download within
/// `ClientBuilder::download_timeout`. A client given with
/// `ClientBuilder::http_client` keeps its own timeouts instead.
pub struct ByteStream {
    chunks: Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>,
    status: StatusCode,
    limit: usize,
    /// The API's property names, which decode errors of typed items may quote.
    property_names: &'static [&'static str],
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("collect_limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    /// `idle`: how long a chunk may take to arrive, when known;
    /// `hide_url`: errors leave out the URL, which holds a credential.
    pub(crate) fn new(
        response: reqwest::Response,
        limit: usize,
        idle: Option<Duration>,
        hide_url: bool,
        property_names: &'static [&'static str],
    ) -> Self {
        let status = response.status();
        // Ends after the last chunk or the first error.
        let chunks = futures::stream::unfold(Some(response), move |response| async move {
            let mut response = response?;
            let chunk = match idle {
                Some(idle) => tokio::time::timeout(idle, response.chunk())
                    .await
                    .map_err(|_| Error::DownloadStalled(idle)),
                None => Ok(response.chunk().await),
            };
            match chunk {
                Ok(Ok(Some(chunk))) => Some((Ok(chunk), Some(response))),
                Ok(Ok(None)) => None,
                Ok(Err(error)) => {
                    let error = if hide_url { error.without_url() } else { error };
                    Some((Err(Error::Communication(error)), None))
                }
                Err(stalled) => Some((Err(stalled), None)),
            }
        });
        Self {
            status,
            chunks: Box::pin(chunks),
            limit,
            property_names,
        }
    }

    /// A body of these chunks, for tests of what reads one.
    #[cfg(test)]
    pub(crate) fn from_chunks(chunks: Vec<Bytes>) -> Self {
        Self {
            chunks: Box::pin(futures::stream::iter(chunks.into_iter().map(Ok))),
            status: StatusCode::OK,
            limit: crate::DEFAULT_MAX_RESPONSE_BODY,
            property_names: &[],
        }
    }

    /// The same body under another limit.
    #[cfg(test)]
    pub(crate) fn with_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// The client's `max_response_body`, which also bounds one item of a
    /// typed stream.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    pub(crate) fn property_names(&self) -> &'static [&'static str] {
        self.property_names
    }

    /// The whole body in memory, up to the client's `max_response_body`;
    /// [`Error::ResponseTooLarge`] past it.
    pub async fn collect(self) -> Result<Bytes, Error> {
        let limit = self.limit;
        self.collect_at_most(limit).await
    }

    /// The whole body in memory, up to `limit` bytes;
    /// [`Error::ResponseTooLarge`] past it.
    pub async fn collect_at_most(mut self, limit: usize) -> Result<Bytes, Error> {
        let mut body = BytesMut::new();
        while let Some(chunk) = futures::StreamExt::next(&mut self).await {
            let chunk = chunk?;
            if chunk.len() > limit - body.len() {
                return Err(Error::ResponseTooLarge {
                    status: self.status,
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}
