//! `text/event-stream` responses (server-sent events) as a typed stream,
//! read by the WHATWG rules: `data` lines joined, `event`, `id` and `retry`
//! kept, comments (keep-alives) skipped, an unfinished last event dropped.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::Stream;
use serde::de::DeserializeOwned;

use crate::records::{Records, Separator};
use crate::{ByteStream, DecodeError, Error};

/// One server-sent event, its data decoded as the spec declares it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// Its type: the `event` field, `message` when the server names none.
    pub event: String,
    /// Its data lines, joined by line feeds and decoded: as JSON of the
    /// declared schema, or as text when the schema is a string.
    pub data: T,
    /// The last event ID the server set (in this event or an earlier one):
    /// send it back as `Last-Event-ID` to resume after a dropped connection.
    pub id: Option<String>,
    /// The reconnection time the server asked for, when it asked.
    pub retry: Option<Duration>,
}

/// The events of a `text/event-stream` response, as they arrive.
///
/// Each item is an [`Event`] or an error: an event whose data does not
/// decode is [`Error::UndecodableItem`] and the stream goes on; an event
/// longer than the client's `max_response_body` is
/// [`Error::StreamItemTooLarge`] and the stream ends. Where the data is
/// JSON, `data: [DONE]` (OpenAI's end marker) ends the stream. Like a
/// [`ByteStream`], each chunk must arrive within the client's timeout,
/// so a server that sends no keep-alive comments ends a quiet stream with
/// [`Error::DownloadStalled`].
pub struct EventStream<T> {
    events: Pin<Box<dyn Stream<Item = Result<Event<T>, Error>> + Send>>,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.as_mut().poll_next(cx)
    }
}

/// Events whose data is JSON of `T`.
pub fn json_events<T: DeserializeOwned + Send + 'static>(body: ByteStream) -> EventStream<T> {
    let known = body.property_names();
    events(body, true, move |data| {
        crate::decode::parse(data.as_bytes(), known)
    })
}

/// Events whose data is text.
pub fn text_events(body: ByteStream) -> EventStream<String> {
    events(body, false, Ok)
}

fn events<T: Send + 'static>(
    body: ByteStream,
    done_marker: bool,
    decode: impl Fn(String) -> Result<T, DecodeError> + Send + 'static,
) -> EventStream<T> {
    let limit = body.limit();
    let state = State {
        records: Records::new(body, Separator::Line, limit),
        fields: Fields::default(),
        limit,
        index: 0,
        decode,
        done_marker,
    };
    let events = futures::stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        let item = state.next().await?;
        let more = !matches!(item, Err(Error::StreamItemTooLarge { .. }));
        Some((item, more.then_some(state)))
    });
    EventStream {
        events: Box::pin(events),
    }
}

struct State<D> {
    records: Records,
    fields: Fields,
    limit: usize,
    index: u64,
    decode: D,
    done_marker: bool,
}

impl<T, D: Fn(String) -> Result<T, DecodeError>> State<D> {
    /// The next event; `None` at the end of the body or at the end marker.
    async fn next(&mut self) -> Option<Result<Event<T>, Error>> {
        loop {
            let line = match self.records.next().await? {
                Ok(line) => line,
                Err(error) => return Some(Err(error)),
            };
            let Some(raw) = self.fields.line(&line) else {
                if self.fields.data.len() > self.limit {
                    return Some(Err(Error::StreamItemTooLarge { limit: self.limit }));
                }
                continue;
            };
            if self.done_marker && raw.data == "[DONE]" {
                return None;
            }
            let index = self.index;
            self.index += 1;
            let event = match (self.decode)(raw.data) {
                Ok(data) => Event {
                    event: raw.event,
                    data,
                    id: self.fields.last_id.clone(),
                    retry: self.fields.retry,
                },
                Err(error) => return Some(Err(Error::UndecodableItem { index, error })),
            };
            return Some(Ok(event));
        }
    }
}

/// The fields read so far of the event being received.
#[derive(Debug, Default)]
struct Fields {
    started: bool,
    event: String,
    data: String,
    last_id: Option<String>,
    retry: Option<Duration>,
}

/// An event as dispatched, its data still text.
#[derive(Debug, PartialEq)]
struct RawEvent {
    event: String,
    data: String,
}

impl Fields {
    /// Reads one line; an empty line dispatches the event, if it has data.
    fn line(&mut self, line: &[u8]) -> Option<RawEvent> {
        let mut line = String::from_utf8_lossy(line);
        if !self.started {
            self.started = true;
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest.to_owned().into();
            }
        }
        if line.is_empty() {
            let event = std::mem::take(&mut self.event);
            if self.data.is_empty() {
                return None;
            }
            let mut data = std::mem::take(&mut self.data);
            data.pop();
            let event = if event.is_empty() {
                "message".to_owned()
            } else {
                event
            };
            return Some(RawEvent { event, data });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            // An empty one resets it: no `Last-Event-ID` to send back.
            "id" if !value.contains('\0') => {
                self.last_id = (!value.is_empty()).then(|| value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(millis) = value.parse() {
                    self.retry = Some(Duration::from_millis(millis));
                }
            }
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use futures::StreamExt;
    use serde::Deserialize;

    use super::*;

    fn body(chunks: &[&str]) -> ByteStream {
        ByteStream::from_chunks(
            chunks
                .iter()
                .map(|c| Bytes::copy_from_slice(c.as_bytes()))
                .collect(),
        )
    }

    fn all<T>(stream: EventStream<T>) -> Vec<Result<Event<T>, String>> {
        futures::executor::block_on(stream.map(|item| item.map_err(|e| e.to_string())).collect())
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Delta {
        text: String,
    }

    #[test]
    fn data_lines_join_and_fields_are_kept() {
        let got = all(text_events(body(&[
            "\u{feff}: a comment\nretry: 1500\nevent: update\nid: 7\ndata: one\ndata:two\n\n",
            "data: three\r\n\r\nid\nevent: bad\x00\ndata\n\n",
            "data: unfinished",
        ])));
        let got: Vec<_> = got.into_iter().map(Result::unwrap).collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(
            (
                got[0].event.as_str(),
                got[0].data.as_str(),
                got[0].id.as_deref()
            ),
            ("update", "one\ntwo", Some("7"))
        );
        assert_eq!(got[0].retry, Some(Duration::from_millis(1500)));
        assert_eq!(
            (
                got[1].event.as_str(),
                got[1].data.as_str(),
                got[1].id.as_deref()
            ),
            ("message", "three", Some("7"))
        );
        // An empty `id` resets it; `data` alone is one empty line of data.
        assert_eq!((got[2].data.as_str(), got[2].id.as_deref()), ("", None));
        assert_eq!(got[2].event, "bad\0");
    }

    #[test]
    fn json_data_decodes_goes_on_after_a_bad_event_and_stops_at_done() {
        let got = all(json_events::<Delta>(body(&[
            "data: {\"text\":\"a\"}\n\ndata: {\"text\":1}\n\n",
            "data: {\"text\":\"b\"}\n\ndata: [DONE]\n\ndata: {\"text\":\"after\"}\n\n",
        ])));
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().data, Delta { text: "a".into() });
        let error = got[1].as_ref().unwrap_err();
        assert!(
            error.starts_with("item 1 of the streamed response"),
            "{error}"
        );
        assert_eq!(got[2].as_ref().unwrap().data, Delta { text: "b".into() });
    }

    #[test]
    fn an_event_past_the_limit_ends_the_stream() {
        let long = format!("data: {}\n", "x".repeat(100));
        let mut body = body(&[&long, &long, "\n", "data: next\n\n"]);
        body = ByteStream::with_limit(body, 150);
        let got = all(text_events(body));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].as_ref().unwrap_err().contains("150 bytes"));
    }
}
