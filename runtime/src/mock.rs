//! Test doubles for users of a generated crate (feature `mock`): a real
//! HTTP server on 127.0.0.1 (`wiremock`), and expectations built from what
//! the spec says an operation sends and answers. The generated crate's
//! `mock` module wraps these in one typed builder per operation.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use wiremock::matchers::{body_json, header, method, path_regex, query_param};
use wiremock::{Mock, ResponseTemplate};

/// The raw server, for what the typed builders do not cover.
pub use wiremock;

/// How [`Expectation::respond_items`] writes a stream of items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Framing {
    /// `text/event-stream`: each item one event.
    Events,
    /// JSON Lines / NDJSON: each item one line.
    JsonLines,
    /// RFC 7464: each item after a 0x1E.
    JsonSequence,
}

/// A loopback HTTP server that answers what it is told to expect; dropped,
/// it checks the expectations given a number of calls.
#[derive(Debug)]
pub struct MockServer {
    server: wiremock::MockServer,
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        Self {
            server: wiremock::MockServer::start().await,
        }
    }

    /// Its base URL, `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The underlying `wiremock` server.
    pub fn inner(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// Every request received so far, matched or not.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// An expectation of `method` on the path made of `pieces` (the
    /// generator hands over its parsed template: `/orgs/`, then the
    /// parameter `orgId`).
    pub fn expect(&self, method: &'static str, pieces: &'static [PathPiece]) -> Expectation<'_> {
        Expectation {
            server: &self.server,
            method,
            pieces,
            path: BTreeMap::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            body_media_type: None,
            times: None,
        }
    }
}

/// One piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPiece {
    /// Text as it is sent.
    Text(&'static str),
    /// A path parameter, by its name in the spec.
    Parameter(&'static str),
}

/// One expected request, narrowed by what is set, and then answered.
pub struct Expectation<'a> {
    server: &'a wiremock::MockServer,
    method: &'static str,
    pieces: &'static [PathPiece],
    path: BTreeMap<&'static str, String>,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<(&'static str, String)>,
    body: Option<serde_json::Value>,
    body_media_type: Option<&'static str>,
    times: Option<u64>,
}

impl fmt::Debug for Expectation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets (a header, a body): names only.
        f.debug_struct("Expectation")
            .field("method", &self.method)
            .field("pieces", &self.pieces)
            .field("path", &self.path.keys().collect::<Vec<_>>())
            .field(
                "query",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "cookies",
                &self.cookies.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body", &self.body.is_some())
            .field("times", &self.times)
            .finish()
    }
}

impl<'a> Expectation<'a> {
    /// Only requests whose path parameter `name` is `value` (before encoding).
    pub fn path_param(mut self, name: &'static str, value: &str) -> Self {
        self.path
            .insert(name, crate::path::encode_path_segment(value).into_owned());
        self
    }

    /// Only requests whose path parameter `name` is `value`, `simple`
    /// style, as [`path_value`](crate::__private::path_value) writes it.
    pub fn path_value<T: Serialize>(
        mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) -> Self {
        let text = crate::query::path_value::<(), _>(name, value, explode)
            .expect("a value the request would send");
        self.path.insert(name, text);
        self
    }

    /// Only requests whose path parameter `name` is the list `items`,
    /// `simple` style (`a,b,c`).
    pub fn path_list<S: AsRef<str>>(
        mut self,
        name: &'static str,
        items: impl IntoIterator<Item = S>,
    ) -> Self {
        self.path.insert(name, crate::path::encode_path_list(items));
        self
    }

    /// Only requests with the query pair `name=value`.
    pub fn query(mut self, name: &'static str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Only requests with every query pair `style` writes for `value`.
    pub fn query_value<T: Serialize>(
        mut self,
        name: &'static str,
        value: &T,
        style: crate::query::QueryStyle,
    ) -> Self {
        let value = serde_json::to_value(value).expect("a generated type serializes");
        self.query
            .extend(crate::query::query_pairs(name, &value, style));
        self
    }

    /// Only requests with the header `name` written from `value` in the
    /// `simple` style, as the client writes it.
    pub fn header_value<T: Serialize>(self, name: &'static str, value: &T, explode: bool) -> Self {
        let value = serde_json::to_value(value).expect("a generated type serializes");
        match crate::query::simple_text(&value, explode) {
            Some(text) => self.header(name, &text),
            None => self,
        }
    }

    /// Only requests whose `Cookie` header holds the pair `name=value`
    /// (compared decoded).
    pub fn cookie(mut self, name: &'static str, value: &str) -> Self {
        self.cookies.push((name, value.to_owned()));
        self
    }

    /// Only requests with the cookie `name` written from `value` in the
    /// `form` style without `explode`, as the client writes it.
    pub fn cookie_value<T: Serialize>(self, name: &'static str, value: &T) -> Self {
        let value = serde_json::to_value(value).expect("a generated type serializes");
        match crate::query::simple_text(&value, false) {
            Some(text) => self.cookie(name, &text),
            None => self,
        }
    }

    /// Only requests with the header `name: value`.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// Only requests whose body is this JSON value.
    pub fn json_body<T: Serialize>(mut self, value: &T) -> Self {
        self.body = Some(serde_json::to_value(value).expect("a generated type serializes"));
        self
    }

    /// The `Content-Type` a body set by [`Expectation::json_body`] must come with.
    pub fn body_media_type(mut self, media_type: &'static str) -> Self {
        self.body_media_type = Some(media_type);
        self
    }

    /// Only this many matching requests; checked when the server is dropped.
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }

    /// Answers with `body` as JSON of `media_type`.
    pub async fn respond_json<T: Serialize>(self, status: u16, media_type: &str, body: &T) {
        let text = media_type
            .get(..5)
            .is_some_and(|start| start.eq_ignore_ascii_case("text/"));
        // A response: `readOnly` fields are written.
        let body = crate::object::as_response(|| match serde_json::to_value(body) {
            // A `text/*` body is its text.
            Ok(serde_json::Value::String(text_body)) if text => text_body.into_bytes(),
            _ => serde_json::to_vec(body).expect("a generated type serializes"),
        });
        self.respond(ResponseTemplate::new(status).set_body_raw(body, media_type))
            .await;
    }

    /// Answers with `items` as a stream of `media_type`, framed as
    /// `framing` says: each item an event's data (text as it is, anything
    /// else as JSON), or a JSON text on its own line or after a 0x1E.
    pub async fn respond_items<T: Serialize>(
        self,
        status: u16,
        media_type: &str,
        framing: Framing,
        items: impl IntoIterator<Item = T>,
    ) {
        let mut body = String::new();
        for item in items {
            let value = crate::object::as_response(|| serde_json::to_value(&item))
                .expect("a generated type serializes");
            match (framing, value) {
                (Framing::Events, serde_json::Value::String(text)) => {
                    for line in text.split('\n') {
                        body.push_str("data: ");
                        body.push_str(line);
                        body.push('\n');
                    }
                    body.push('\n');
                }
                (Framing::Events, value) => {
                    body.push_str("data: ");
                    body.push_str(&value.to_string());
                    body.push_str("\n\n");
                }
                (Framing::JsonLines, value) => {
                    body.push_str(&value.to_string());
                    body.push('\n');
                }
                (Framing::JsonSequence, value) => {
                    body.push('\u{1e}');
                    body.push_str(&value.to_string());
                    body.push('\n');
                }
            }
        }
        self.respond(ResponseTemplate::new(status).set_body_raw(body.into_bytes(), media_type))
            .await;
    }

    /// Answers with raw `body` of `media_type`.
    pub async fn respond_bytes(self, status: u16, media_type: &str, body: Vec<u8>) {
        self.respond(ResponseTemplate::new(status).set_body_raw(body, media_type))
            .await;
    }

    /// Answers with `status` and no body.
    pub async fn respond_empty(self, status: u16) {
        self.respond(ResponseTemplate::new(status)).await;
    }

    async fn respond(self, response: ResponseTemplate) {
        let mut mock = Mock::given(method(self.method)).and(path_regex(self.path_pattern()));
        for (name, value) in &self.query {
            mock = mock.and(query_param(name.as_str(), value.as_str()));
        }
        for (name, value) in &self.headers {
            mock = mock.and(header(*name, value.as_str()));
        }
        if !self.cookies.is_empty() {
            mock = mock.and(HasCookies(self.cookies.clone()));
        }
        if let Some(body) = self.body {
            mock = mock.and(body_json(body));
            if let Some(media_type) = self.body_media_type {
                mock = mock.and(header("content-type", media_type));
            }
        }
        let mut mock = mock.respond_with(response);
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        mock.mount(self.server).await;
    }

    /// The path as an anchored regex: set parameters as their encoded
    /// text, the others as any one segment.
    fn path_pattern(&self) -> String {
        let mut pattern = String::from("^");
        for piece in self.pieces {
            match piece {
                PathPiece::Text(text) => pattern.push_str(&regex::escape(text)),
                PathPiece::Parameter(name) => match self.path.get(name) {
                    Some(value) => pattern.push_str(&regex::escape(value)),
                    None => pattern.push_str("[^/]+"),
                },
            }
        }
        pattern.push('$');
        pattern
    }
}

/// Matches requests whose `Cookie` headers hold every pair.
struct HasCookies(Vec<(&'static str, String)>);

impl wiremock::Match for HasCookies {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let sent: Vec<(String, String)> = request
            .headers
            .get_all(reqwest::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(crate::cookie::Cookies::parse)
            .collect();
        self.0.iter().all(|(name, value)| {
            sent.iter()
                .any(|(sent_name, sent_value)| sent_name == name && sent_value == value)
        })
    }
}
