//! `text/event-stream` responses (server-sent events) as a typed stream,
//! read by the WHATWG rules: `data` lines joined, `event`, `id` and `retry`
//! kept, comments (keep-alives) skipped, an unfinished last event dropped.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::stream::BoxStream;
use futures::{Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::records::{Records, Separator};
use reqwest::header::{HeaderName, HeaderValue};

use crate::{ByteStream, CallOptions, DecodeError, Error, ResponseValue};

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
///
/// A stream that reconnects (a builder's `send_resuming`, see
/// [`Reconnect`]) has the operation's error type `E`: a reconnection the
/// server refuses ends it with that error.
pub struct EventStream<T, E = ()> {
    source: Source<T, E>,
}

enum Source<T, E> {
    /// One response's events.
    Frames(BoxStream<'static, Frame<T>>),
    /// Events over as many responses as reconnections take.
    Resumed(BoxStream<'static, Result<Event<T>, Error<E>>>),
}

/// What reading one response gives, before it is an item.
enum Frame<T> {
    /// An event; `id_set` when this response set the last event ID (a
    /// resumed stream otherwise carries the one from before).
    Event {
        event: Event<T>,
        id_set: bool,
    },
    Failed(Error),
    /// `[DONE]`: the server ended the stream on purpose.
    Marker,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.source {
            Source::Resumed(items) => items.as_mut().poll_next(cx),
            Source::Frames(frames) => match frames.as_mut().poll_next(cx) {
                Poll::Ready(Some(Frame::Event { event, .. })) => Poll::Ready(Some(Ok(event))),
                Poll::Ready(Some(Frame::Failed(error))) => {
                    Poll::Ready(Some(Err(error.with_error_body())))
                }
                Poll::Ready(Some(Frame::Marker) | None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<T: Send + 'static> EventStream<T> {
    /// The response's frames, to go on with after a reconnection.
    fn into_frames(self) -> BoxStream<'static, Frame<T>> {
        match self.source {
            Source::Frames(frames) => frames,
            Source::Resumed(items) => Box::pin(items.map(|item| match item {
                Ok(event) => Frame::Event {
                    event,
                    id_set: true,
                },
                Err(error) => Frame::Failed(error),
            })),
        }
    }
}

/// How a stream of server-sent events reconnects (a builder's
/// `send_resuming`, generated for the event streams of `GET` operations,
/// which are safe to request again).
///
/// When the connection ends or drops, the request is sent again after the
/// server's `retry` time (or [`with_delay`](Self::with_delay)'s, 3 seconds
/// by default), with the last event ID in `Last-Event-ID`, as a browser's
/// `EventSource` does; the stream goes on with the new response's events,
/// each still carrying the last ID. It ends at `[DONE]`, when the server
/// answers `204 No Content` or any other status than the stream's (that
/// error is the last item), after an event too large, or after
/// [`with_max_attempts`](Self::with_max_attempts) reconnections in a row
/// (5 by default) bring no event (the last one's error, if it failed, is
/// the last item). A connection that drops is not an item: reconnecting is
/// what it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reconnect {
    delay: Duration,
    max_attempts: u32,
}

impl Default for Reconnect {
    fn default() -> Self {
        Self {
            delay: Duration::from_secs(3),
            max_attempts: 5,
        }
    }
}

impl Reconnect {
    /// Three seconds between reconnections unless the server says
    /// otherwise; five in a row without an event at most.
    pub fn new() -> Self {
        Self::default()
    }

    /// The wait before reconnecting when the server sent no `retry`.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// How many reconnections in a row may bring no event (0: never
    /// reconnect).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }
}

/// The first response's events, then those of each reconnection that
/// `resend` makes, given the last event ID.
pub fn resume_events<T, E, F, Fut>(
    first: EventStream<T>,
    reconnect: Reconnect,
    resend: F,
) -> EventStream<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ResponseValue<EventStream<T>>, Error<E>>> + Send,
{
    let state = Resuming {
        frames: Some(first.into_frames()),
        resend,
        reconnect,
        last_id: None,
        retry: None,
        attempts: 0,
        failure: None,
        ended: false,
    };
    let items = futures::stream::unfold(state, |mut state| async move {
        let item = state.next().await?;
        Some((item, state))
    });
    EventStream {
        source: Source::Resumed(Box::pin(items)),
    }
}

struct Resuming<T, E, F> {
    /// The current response's frames; `None` between connections.
    frames: Option<BoxStream<'static, Frame<T>>>,
    resend: F,
    reconnect: Reconnect,
    last_id: Option<String>,
    retry: Option<Duration>,
    /// Reconnections since the last event.
    attempts: u32,
    /// Why the last connection failed, if it did.
    failure: Option<Error<E>>,
    ended: bool,
}

impl<T, E, F, Fut> Resuming<T, E, F>
where
    T: Send + 'static,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<ResponseValue<EventStream<T>>, Error<E>>>,
{
    async fn next(&mut self) -> Option<Result<Event<T>, Error<E>>> {
        loop {
            if self.ended {
                return None;
            }
            let Some(frames) = &mut self.frames else {
                if self.attempts >= self.reconnect.max_attempts {
                    self.ended = true;
                    return self.failure.take().map(Err);
                }
                self.attempts += 1;
                tokio::time::sleep(self.retry.unwrap_or(self.reconnect.delay)).await;
                match (self.resend)(self.last_id.clone()).await {
                    Ok(response) => self.frames = Some(response.into_inner().into_frames()),
                    Err(error) if connection_lost(&error) => self.failure = Some(error),
                    Err(error) => {
                        self.ended = true;
                        // 204 No Content: the server asks not to reconnect.
                        return (error.status() != Some(reqwest::StatusCode::NO_CONTENT))
                            .then_some(Err(error));
                    }
                }
                continue;
            };
            match frames.next().await {
                Some(Frame::Event { mut event, id_set }) => {
                    if id_set {
                        self.last_id.clone_from(&event.id);
                    } else {
                        event.id.clone_from(&self.last_id);
                    }
                    match event.retry {
                        Some(retry) => self.retry = Some(retry),
                        None => event.retry = self.retry,
                    }
                    self.attempts = 0;
                    self.failure = None;
                    return Some(Ok(event));
                }
                Some(Frame::Failed(error)) if connection_lost(&error) => {
                    self.frames = None;
                    self.failure = Some(error.with_error_body());
                }
                Some(Frame::Failed(error)) => {
                    // Resuming after an event too large would meet it again.
                    if matches!(error, Error::StreamItemTooLarge { .. }) {
                        self.ended = true;
                    }
                    return Some(Err(error.with_error_body()));
                }
                Some(Frame::Marker) => self.ended = true,
                None => self.frames = None,
            }
        }
    }
}

/// A reconnection's options: the call's own, with the last event ID in
/// `Last-Event-ID` over any the caller set. An ID that cannot be a header
/// value is not sent (the server starts over).
pub fn last_event_id(
    options: Option<Box<CallOptions>>,
    id: Option<&str>,
) -> Option<Box<CallOptions>> {
    let Some(value) = id.and_then(|id| HeaderValue::from_str(id).ok()) else {
        return options;
    };
    let mut options = options.unwrap_or_default();
    options.headers.insert(LAST_EVENT_ID, value);
    Some(options)
}

/// The header a reconnecting event stream sends its last event ID in.
const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

/// The connection failed or went quiet, rather than the server refusing.
fn connection_lost<E>(error: &Error<E>) -> bool {
    matches!(
        error,
        Error::Communication(_) | Error::DownloadStalled(_) | Error::DeadlineExceeded(_)
    )
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
    let frames = futures::stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        let frame = state.next().await?;
        let more = !matches!(
            frame,
            Frame::Marker | Frame::Failed(Error::StreamItemTooLarge { .. })
        );
        Some((frame, more.then_some(state)))
    });
    EventStream {
        source: Source::Frames(Box::pin(frames)),
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

impl<D> State<D> {
    /// The next frame; `None` at the end of the body.
    async fn next<T>(&mut self) -> Option<Frame<T>>
    where
        D: Fn(String) -> Result<T, DecodeError>,
    {
        loop {
            let line = match self.records.next().await? {
                Ok(line) => line,
                Err(error) => return Some(Frame::Failed(error)),
            };
            let Some(raw) = self.fields.line(&line) else {
                if self.fields.data.len() > self.limit {
                    return Some(Frame::Failed(Error::StreamItemTooLarge {
                        limit: self.limit,
                    }));
                }
                continue;
            };
            if self.done_marker && raw.data == "[DONE]" {
                return Some(Frame::Marker);
            }
            let index = self.index;
            self.index += 1;
            return Some(match (self.decode)(raw.data) {
                Ok(data) => Frame::Event {
                    event: Event {
                        event: raw.event,
                        data,
                        id: self.fields.last_id.clone(),
                        retry: self.fields.retry,
                    },
                    id_set: self.fields.id_set,
                },
                Err(error) => Frame::Failed(Error::UndecodableItem { index, error }),
            });
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
    /// Whether an `id` field came in this response.
    id_set: bool,
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
                self.id_set = true;
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

    use futures::future::BoxFuture;

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
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(stream.map(|item| item.map_err(|e| e.to_string())).collect())
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

    type Sent = std::sync::Arc<std::sync::Mutex<Vec<Option<String>>>>;

    /// A stream that reconnects to `bodies` in turn (then the answers of
    /// `after`), recording the `Last-Event-ID` of each reconnection.
    fn resumed<E: Send + 'static>(
        first: &[&str],
        bodies: Vec<Vec<&'static str>>,
        after: fn() -> Error<E>,
        attempts: u32,
    ) -> (EventStream<String, E>, Sent) {
        let sent = Sent::default();
        let log = sent.clone();
        let mut bodies = bodies.into_iter();
        let resend = move |id: Option<String>| -> BoxFuture<'static, _> {
            log.lock().unwrap().push(id);
            let next = bodies.next();
            Box::pin(async move {
                match next {
                    Some(chunks) => Ok(ResponseValue::new(
                        text_events(body(&chunks)),
                        reqwest::StatusCode::OK,
                        Default::default(),
                    )),
                    None => Err(after()),
                }
            })
        };
        let reconnect = Reconnect::new()
            .with_delay(Duration::ZERO)
            .with_max_attempts(attempts);
        (
            resume_events(text_events(body(first)), reconnect, resend),
            sent,
        )
    }

    fn texts<E: fmt::Display>(stream: EventStream<String, E>) -> Vec<String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(
            stream
                .map(|item| match item {
                    Ok(event) => format!("{}@{}", event.data, event.id.unwrap_or_default()),
                    Err(error) => format!("error: {error}"),
                })
                .collect(),
        )
    }

    fn no_content() -> Error<String> {
        Error::ErrorResponse(Box::new(ResponseValue::new(
            String::new(),
            reqwest::StatusCode::NO_CONTENT,
            Default::default(),
        )))
    }

    #[test]
    fn a_resumed_stream_reconnects_with_the_last_id_until_the_server_says_no_content() {
        let (stream, sent) = resumed(
            &["id: 1\ndata: a\n\n"],
            vec![vec!["data: b\n\n"], vec!["id: 3\ndata: c\n\n"]],
            no_content,
            3,
        );
        // An event of a new connection without an ID carries the last one.
        assert_eq!(texts(stream), ["a@1", "b@1", "c@3"]);
        assert_eq!(
            *sent.lock().unwrap(),
            [
                Some("1".to_owned()),
                Some("1".to_owned()),
                Some("3".to_owned())
            ]
        );
    }

    #[test]
    fn a_refusal_is_the_last_item_and_quiet_reconnections_give_up() {
        fn refused() -> Error<String> {
            Error::ErrorResponse(Box::new(ResponseValue::new(
                "gone".to_owned(),
                reqwest::StatusCode::GONE,
                Default::default(),
            )))
        }
        let (stream, _) = resumed(&["data: a\n\n"], vec![], refused, 3);
        assert_eq!(
            texts(stream),
            [
                "a@",
                "error: the server answered with error status 410 Gone"
            ]
        );
        // Connections that bring nothing: two attempts, then the end.
        let (stream, sent) = resumed(&[], vec![vec![": hi\n\n"], vec![]], no_content, 2);
        assert_eq!(texts(stream), Vec::<String>::new());
        assert_eq!(sent.lock().unwrap().len(), 2);
        // Connections that fail: the last failure ends the stream.
        fn stalled() -> Error<String> {
            Error::DownloadStalled(Duration::from_secs(1))
        }
        let (stream, sent) = resumed(&["data: a\n\n"], vec![], stalled, 2);
        assert_eq!(
            texts(stream),
            ["a@", "error: the download stalled: nothing arrived for 1s"]
        );
        assert_eq!(sent.lock().unwrap().len(), 2);
    }

    #[test]
    fn the_end_marker_and_an_event_too_large_end_a_resumed_stream() {
        let reconnect = Reconnect::new().with_delay(Duration::ZERO);
        let never = |_: Option<String>| -> BoxFuture<
            'static,
            Result<ResponseValue<EventStream<Delta>>, Error<()>>,
        > { panic!("reconnected") };
        let first = json_events::<Delta>(body(&["data: {\"text\":\"a\"}\n\ndata: [DONE]\n\n"]));
        let got = all(resume_events(first, reconnect.clone(), never));
        assert_eq!(got.len(), 1, "{got:?}");
        let long = format!("data: {}\n\n", "x".repeat(100));
        let first = ByteStream::with_limit(body(&[&long]), 50);
        let never = |_: Option<String>| -> BoxFuture<
            'static,
            Result<ResponseValue<EventStream<String>>, Error<()>>,
        > { panic!("reconnected") };
        let got = all(resume_events(text_events(first), reconnect, never));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].as_ref().unwrap_err().contains("50 bytes"));
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
