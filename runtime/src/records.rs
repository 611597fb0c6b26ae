//! A streamed body cut into records (the lines of an event stream or of
//! JSON Lines, the records of a JSON text sequence), each bounded in size:
//! a server that never ends a line costs at most the limit, never all memory.
//!
//! Neither `eventsource-stream` nor `sse-stream` bounds what it buffers,
//! which is why the framing is ours; what the records mean is read in
//! `events.rs` and `json_stream.rs`.

use bytes::{Buf, Bytes, BytesMut};
use futures::StreamExt;

use crate::{ByteStream, Error};

/// Where one record ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    /// A line: LF, CRLF or a lone CR (the event stream format's rule).
    Line,
    /// RFC 7464's record separator, 0x1E, before each record.
    RecordSeparator,
}

const RS: u8 = 0x1E;

/// Reads records off a [`ByteStream`].
pub(crate) struct Records {
    chunks: ByteStream,
    separator: Separator,
    limit: usize,
    buffer: BytesMut,
    /// How far `buffer` is known to hold no separator.
    searched: usize,
    /// The last record ended with a CR, so an LF first in the next chunk
    /// belongs to it.
    after_cr: bool,
    ended: bool,
}

impl Records {
    /// Records of at most `limit` bytes each, separator excluded.
    pub(crate) fn new(chunks: ByteStream, separator: Separator, limit: usize) -> Self {
        Self {
            chunks,
            separator,
            limit,
            buffer: BytesMut::new(),
            searched: 0,
            after_cr: false,
            ended: false,
        }
    }

    /// The next record, without its separator; `None` once the body ended
    /// (a last record without a separator counts). A record longer than
    /// the limit is [`Error::StreamItemTooLarge`], and ends the stream.
    pub(crate) async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        loop {
            if self.after_cr && !self.buffer.is_empty() {
                if self.buffer[0] == b'\n' {
                    self.buffer.advance(1);
                }
                self.after_cr = false;
            }
            if let Some(record) = self.split() {
                return Some(Ok(record));
            }
            if self.buffer.len() > self.limit {
                self.ended = true;
                self.buffer = BytesMut::new();
                self.searched = 0;
                return Some(Err(Error::StreamItemTooLarge { limit: self.limit }));
            }
            if self.ended {
                return None;
            }
            match self.chunks.next().await {
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(error)) => {
                    self.ended = true;
                    return Some(Err(error));
                }
                None => {
                    self.ended = true;
                    if self.buffer.is_empty() {
                        return None;
                    }
                    self.searched = 0;
                    let last = self.buffer.split().freeze();
                    return Some(Ok(self.opened(last)));
                }
            }
        }
    }

    /// A whole record from the front of the buffer, when one has arrived.
    fn split(&mut self) -> Option<Bytes> {
        let end = match self.separator {
            Separator::Line => self.buffer[self.searched..]
                .iter()
                .position(|byte| matches!(byte, b'\n' | b'\r')),
            // The separator opens a record, so the first one ends nothing.
            Separator::RecordSeparator => {
                let from = self.searched.max(1);
                self.buffer
                    .get(from..)
                    .and_then(|rest| rest.iter().position(|byte| *byte == RS))
                    .map(|at| at + from - self.searched)
            }
        };
        let Some(end) = end.map(|at| at + self.searched) else {
            self.searched = self.buffer.len();
            return None;
        };
        self.searched = 0;
        let record = self.buffer.split_to(end).freeze();
        let separator = self.buffer[0];
        self.buffer.advance(1);
        self.after_cr = separator == b'\r';
        Some(self.opened(record))
    }

    /// `record` without the separator that opens it (only the first record
    /// of a JSON text sequence still has it: the others' was split off).
    fn opened(&self, mut record: Bytes) -> Bytes {
        if self.separator == Separator::RecordSeparator && record.first() == Some(&RS) {
            record.advance(1);
        }
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(
        chunks: &[&[u8]],
        separator: Separator,
        limit: usize,
    ) -> Vec<Result<Vec<u8>, String>> {
        let chunks: Vec<Bytes> = chunks.iter().map(|c| Bytes::copy_from_slice(c)).collect();
        let mut records = Records::new(ByteStream::from_chunks(chunks), separator, limit);
        futures::executor::block_on(async {
            let mut all = Vec::new();
            while let Some(record) = records.next().await {
                all.push(record.map(|r| r.to_vec()).map_err(|e| e.to_string()));
            }
            all
        })
    }

    fn ok(texts: &[&str]) -> Vec<Result<Vec<u8>, String>> {
        texts.iter().map(|t| Ok(t.as_bytes().to_vec())).collect()
    }

    #[test]
    fn lines_end_at_lf_crlf_or_cr_even_across_chunks() {
        let got = records(&[b"a\r", b"\nb\rc\n", b"\n", b"last"], Separator::Line, 64);
        assert_eq!(got, ok(&["a", "b", "c", "", "last"]));
    }

    #[test]
    fn a_record_longer_than_the_limit_ends_the_stream() {
        let got = records(
            &[b"ok\n", b"0123456789", b"abc\nnext\n"],
            Separator::Line,
            8,
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], Ok(b"ok".to_vec()));
        assert!(
            got[1].as_ref().is_err_and(|e| e.contains("8 bytes")),
            "{got:?}"
        );
    }

    #[test]
    fn json_text_sequences_split_at_the_record_separator() {
        let got = records(
            &[b"\x1e{\"a\":1}\n\x1e", b"[2]\n\x1e3"],
            Separator::RecordSeparator,
            64,
        );
        assert_eq!(got, ok(&["{\"a\":1}\n", "[2]\n", "3"]));
    }

    proptest::proptest! {
        /// Where the chunks are cut never changes the records.
        #[test]
        fn chunk_boundaries_do_not_matter(cuts in proptest::collection::vec(0usize..40, 0..8)) {
            let body: &[u8] = b"data: one\r\n\r\nid: 2\rdata: {\"x\":[1,2]}\n\n:keep\n";
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(body.len())).collect();
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([body.len()]) {
                chunks.push(&body[from..cut]);
                from = cut;
            }
            let whole = records(&[body], Separator::Line, 64);
            proptest::prop_assert_eq!(records(&chunks, Separator::Line, 64), whole);
        }
    }
}
