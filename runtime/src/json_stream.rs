//! Responses that are a sequence of JSON texts (JSON Lines / NDJSON, one
//! per line; RFC 7464 JSON text sequences, each after a 0x1E) as a typed
//! stream of their items.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use serde::de::DeserializeOwned;

use crate::records::{Records, Separator};
use crate::{ByteStream, Error};

/// The items of a JSON Lines, NDJSON or JSON text sequence response, each
/// decoded as it arrives.
///
/// An item that does not decode is [`Error::UndecodableItem`] and the
/// stream goes on; one longer than the client's `max_response_body` is
/// [`Error::StreamItemTooLarge`] and the stream ends. Blank lines are
/// skipped. Like a [`ByteStream`], each chunk must arrive within the
/// client's timeout ([`Error::DownloadStalled`]).
pub struct JsonStream<T> {
    items: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream").finish_non_exhaustive()
    }
}

impl<T> Stream for JsonStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.as_mut().poll_next(cx)
    }
}

/// One JSON text per line (`application/jsonl`, `application/x-ndjson`).
pub fn json_lines<T: DeserializeOwned + Send + 'static>(body: ByteStream) -> JsonStream<T> {
    items(body, Separator::Line)
}

/// RFC 7464 (`application/json-seq`): each JSON text after a 0x1E.
pub fn json_sequence<T: DeserializeOwned + Send + 'static>(body: ByteStream) -> JsonStream<T> {
    items(body, Separator::RecordSeparator)
}

fn items<T: DeserializeOwned + Send + 'static>(
    body: ByteStream,
    separator: Separator,
) -> JsonStream<T> {
    let known = body.property_names();
    let limit = body.limit();
    let records = Records::new(body, separator, limit);
    let items = futures::stream::unfold(Some((records, 0u64)), move |state| async move {
        let (mut records, mut index) = state?;
        loop {
            let record = match records.next().await? {
                Ok(record) => record,
                // The records stop after an error of their own.
                Err(error) => return Some((Err(error), None)),
            };
            if record.trim_ascii().is_empty() {
                continue;
            }
            let item = crate::decode::parse(&record, known)
                .map_err(|error| Error::UndecodableItem { index, error });
            index += 1;
            return Some((item, Some((records, index))));
        }
    });
    JsonStream {
        items: Box::pin(items),
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use futures::StreamExt;

    use super::*;

    fn body(chunks: &[&str]) -> ByteStream {
        ByteStream::from_chunks(
            chunks
                .iter()
                .map(|c| Bytes::copy_from_slice(c.as_bytes()))
                .collect(),
        )
    }

    fn all(stream: JsonStream<Vec<u32>>) -> Vec<Result<Vec<u32>, String>> {
        futures::executor::block_on(stream.map(|item| item.map_err(|e| e.to_string())).collect())
    }

    #[test]
    fn lines_decode_one_by_one_and_a_bad_one_does_not_end_the_stream() {
        let got = all(json_lines(body(&[
            "[1]\n[2",
            ",3]\r\n\n",
            "{\"no\":1}\n",
            "[4]",
        ])));
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], Ok(vec![1]));
        assert_eq!(got[1], Ok(vec![2, 3]));
        assert!(
            got[2].as_ref().is_err_and(|e| e.starts_with("item 2 ")),
            "{got:?}"
        );
        assert_eq!(got[3], Ok(vec![4]));
    }

    #[test]
    fn json_text_sequences_may_span_lines() {
        let got = all(json_sequence(body(&["\x1e[1,\n2]\n\x1e", "[3]\n"])));
        assert_eq!(got, vec![Ok(vec![1, 2]), Ok(vec![3])]);
    }

    #[test]
    fn an_endless_line_ends_the_stream_at_the_limit() {
        let line = "1".repeat(64);
        let got = all(json_lines(ByteStream::with_limit(
            body(&["[1]\n", &line, &line]),
            100,
        )));
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].as_ref().is_err_and(|e| e.contains("100 bytes")));
    }
}
