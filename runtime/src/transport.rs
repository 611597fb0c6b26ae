//! The HTTP transport every generated operation sends through.
//! Authentication, retries, limits, envelopes and tracing all happen here,
//! the one place every request passes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, Request, RequestBuilder, StatusCode};
use tracing::Instrument;

use crate::auth::{Auth, Bearer, Chosen, HeldKind, Lease};
use crate::body::{ReadError, read_limited};
use crate::builder::EnvelopeFields;
use crate::hooks::{Attempt, Hooks, Received};
use crate::redirect;
use crate::response::RawResponse;
use crate::retry::{RetryPolicy, retry_after};
use crate::{
    AuthError, ByteStream, CallOptions, Error, RateLimit, ResponseValue, UnexpectedResponse,
    UnexpectedResponseKind,
};

/// What the transport needs to know about the operation it sends.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, for tracing (never the filled-in path).
    pub path: &'static str,
    /// Which credentials it takes, as its `security` requirements say.
    pub security: Security,
}

/// Which of a client's credentials an operation sends, from the spec's
/// `security` requirements (the operation's own, else the document's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// The document names no requirement anywhere: the first credentials
    /// the client holds, in the order the API declares its schemes.
    Any,
    /// None: the operation is public (`security: []`, or no requirement of
    /// its own in a document that gives other operations theirs), and the
    /// client's credentials are never sent with it.
    Public,
    /// Alternatives, in the spec's order, each the security schemes whose
    /// credentials are sent together. The call sends the first alternative
    /// whose every scheme the client holds; an empty alternative makes
    /// credentials optional. A client holding credentials, but not those of
    /// any alternative, refuses the call before sending anything; a client
    /// without credentials (its hooks may authenticate) sends it as it is.
    Required(&'static [&'static [&'static str]]),
}

/// A configured HTTP client bound to a base URL and credentials; built by
/// [`ClientBuilder`](crate::ClientBuilder).
///
/// Cheap to clone: clones share the connection pool, the Digest nonces and
/// the access token.
#[derive(Clone, Debug)]
pub struct Transport {
    pub(crate) http: reqwest::Client,
    /// `http` behind the caller's layers, which then send every attempt.
    #[cfg(feature = "middleware")]
    pub(crate) middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    /// Without a trailing slash, so that `base_url + path` is the request URL.
    pub(crate) base_url: Arc<str>,
    pub(crate) auth: Arc<Auth>,
    pub(crate) retry: RetryPolicy,
    pub(crate) deadline: Duration,
    /// The timeout of one attempt of `http`, when the builder made it.
    /// Known, it lets each attempt's timeout stand in for the deadline.
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) max_response_body: usize,
    pub(crate) max_pages: usize,
    pub(crate) download_timeout: Duration,
    pub(crate) rate_limit: crate::response::RateLimitNames,
    pub(crate) envelope: Option<EnvelopeFields>,
    pub(crate) property_names: &'static [&'static str],
    pub(crate) hooks: Option<Arc<dyn Hooks>>,
    /// Whether `http` is ours, which follows no redirect, so that the
    /// transport follows them and knows when a request reached a server.
    /// A caller's own client follows by its own policy, unseen.
    pub(crate) follows_redirects: bool,
}

/// One call's authentication state: the resends a 401 has caused, and the
/// Digest challenge the call holds.
#[derive(Default)]
struct CallAuth<'a> {
    digest: Option<Lease<'a>>,
    /// The credentials this call sends; none when the operation is public.
    chosen: Chosen,
    challenge_answered: bool,
    stale_recovered: bool,
    token_refreshed: bool,
}

/// Why an attempt got no response.
enum SendFailure {
    /// The HTTP client's error.
    Failed(reqwest::Error),
    /// A caller's layer refused or failed.
    #[cfg_attr(not(feature = "middleware"), allow(dead_code))]
    Refused(Box<dyn std::error::Error + Send + Sync>),
}

/// What [`Transport::send_streaming`] received.
#[derive(Debug)]
pub enum Streamed {
    /// A status the caller streams, with its body unread.
    Body(ResponseValue<ByteStream>),
    /// Any other status, with its body read, for the usual decoding.
    Other(RawResponse),
}

/// A response whose body is still on the wire.
struct Live {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    response: reqwest::Response,
}

/// Makes the request of one attempt, from the call's checked inputs: the
/// generated code's way to hand a request to [`Transport::send_with`].
pub type BuildRequest<'a, E> = &'a (dyn Fn() -> BuiltRequest<E> + Sync);

/// What a [`BuildRequest`] returns: the request, or why it cannot be made
/// (a body that does not serialize).
pub type BuiltRequest<E> = Result<RequestBuilder, Error<E>>;

/// Where each attempt's request comes from.
enum Source<'a, E> {
    /// Built anew for each attempt, so that nothing is copied unless a
    /// resend (a redirect, a challenge, a retry) needs it, and even a
    /// streamed body can be sent again.
    Build(BuildRequest<'a, E>),
    /// One request, copied for each attempt that may be followed by
    /// another: how crates generated by 0.1.0 send. Boxed, so that the
    /// state of every call is not a request larger.
    Copy(Option<Box<Request>>),
}

impl<E> Source<'_, E> {
    /// The request of a first attempt; `again` when the call may send
    /// another after it.
    fn request(&mut self, again: bool) -> Result<Request, Error<E>> {
        match self {
            Source::Build(build) => build()?.build().map_err(Error::Communication),
            Source::Copy(template) => {
                let request = if again {
                    template.as_deref().and_then(crate::resend::copy)
                } else {
                    template.take().map(|template| *template)
                };
                request.ok_or(Error::Auth(AuthError::Unsupported(UNREPEATABLE)))
            }
        }
    }
}

const UNREPEATABLE: &str =
    "a streamed request body cannot be sent again after a challenge or for a retry";

/// How the attempts ended.
enum Outcome {
    Read(RawResponse),
    Live(Live),
}

/// One call's state across its attempts.
struct CallState<'s, 'a, E> {
    source: Source<'s, E>,
    retry: &'s RetryPolicy,
    idempotent_by_key: bool,
    /// The operation takes no credentials.
    public: bool,
    /// The call may send its request more than once.
    resendable: bool,
    /// The request a redirect asked for, once one has: every later attempt
    /// sends a copy of it.
    hop: Option<Request>,
    auth: CallAuth<'a>,
    retries: u32,
    /// Redirects followed so far: each means a server received the request.
    redirects: usize,
    /// Whether the request now goes to another origin than the API's,
    /// after a redirect: it then carries no credentials.
    foreign: bool,
    traced: bool,
}

/// The client's hooks with the attempt they are called for, if it has any.
type Hooked<'o> = Option<(Arc<dyn Hooks>, Attempt<'o>)>;

/// What one attempt sent, as its answer's phases need it.
struct Sent<'o> {
    method: Method,
    hooked: Hooked<'o>,
    /// The access token it carries, if any.
    bearer: Option<Bearer>,
    /// Its time is capped by the deadline (a timeout is the deadline's).
    capped: bool,
}

/// What an attempt received.
enum Answer {
    /// A status that streams: the body is still on the wire.
    Live(Live),
    /// A body read whole.
    Read(ReadAnswer),
}

struct ReadAnswer {
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
}

/// Whether a request may be sent again after a connection failed: when no
/// server can have received it (the transport follows redirects itself and
/// none was followed yet: a caller's client may follow one unseen), when
/// an idempotency key makes a repeat harmless, or when the method is
/// idempotent.
fn resend_is_safe(
    redirects: usize,
    follows_redirects: bool,
    idempotent_by_key: bool,
    method: &Method,
) -> bool {
    (redirects == 0 && follows_redirects) || idempotent_by_key || redirect::idempotent(method)
}

impl Transport {
    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The most pages one walk of a paged operation reads.
    pub fn max_pages(&self) -> usize {
        self.max_pages
    }

    /// Starts a request to the base URL followed by the pieces of `path`,
    /// which must begin with `/` and have its parameters already
    /// percent-encoded.
    #[inline]
    pub fn request(&self, method: Method, path: &[&str]) -> RequestBuilder {
        let length = path.iter().map(|piece| piece.len()).sum::<usize>();
        let mut url = String::with_capacity(self.base_url.len() + length);
        url.push_str(&self.base_url);
        for piece in path {
            url.push_str(piece);
        }
        self.http.request(method, url)
    }

    /// Sends one attempt: through the caller's layers, when there are any.
    async fn execute(&self, request: reqwest::Request) -> Result<reqwest::Response, SendFailure> {
        #[cfg(feature = "middleware")]
        if let Some(layers) = &self.middleware {
            return layers.execute(request).await.map_err(|error| match error {
                reqwest_middleware::Error::Reqwest(error) => SendFailure::Failed(error),
                reqwest_middleware::Error::Middleware(error) => SendFailure::Refused(error.into()),
            });
        }
        self.http
            .execute(request)
            .await
            .map_err(SendFailure::Failed)
    }

    /// Starts a request to `link`, the next page's link a page gave
    /// (relative to the base URL, or absolute): refused unless it stays on
    /// the base URL's origin, since the request carries the client's
    /// credentials.
    pub fn request_to<E>(&self, method: Method, link: &str) -> BuiltRequest<E> {
        match crate::link::on_origin(&self.base_url, link) {
            Some(url) => Ok(self.http.request(method, url)),
            None => Err(Error::PageWalk(crate::PageWalkError::ForeignLink)),
        }
    }

    /// Sends the request `build` makes (with [`Transport::request`]):
    /// authenticates, follows redirects, retries what may be retried,
    /// unwraps an envelope when `envelope` is set, and reads the whole body,
    /// within the deadline and the body limit. `build` runs once for each
    /// attempt.
    /// `options` are the call's own settings, if it has any.
    pub async fn send_with<E>(
        &self,
        build: BuildRequest<'_, E>,
        operation: &OperationInfo,
        envelope: bool,
        options: Option<&CallOptions>,
    ) -> Result<RawResponse, Error<E>> {
        self.send_from(Source::Build(build), operation, envelope, options)
            .await
    }

    /// Like [`Transport::send_with`], for one built request, which is
    /// copied for each attempt that may be followed by another (and so
    /// cannot be sent again when its body is a stream). Crates generated by
    /// 0.1.0 call it.
    pub async fn send<E>(
        &self,
        request: RequestBuilder,
        operation: &OperationInfo,
        envelope: bool,
    ) -> Result<RawResponse, Error<E>> {
        let request = request.build().map_err(Error::Communication)?;
        self.send_from(
            Source::Copy(Some(Box::new(request))),
            operation,
            envelope,
            None,
        )
        .await
    }

    async fn send_from<E>(
        &self,
        source: Source<'_, E>,
        operation: &OperationInfo,
        envelope: bool,
        options: Option<&CallOptions>,
    ) -> Result<RawResponse, Error<E>> {
        let response = match self.call(source, operation, None, options).await? {
            Outcome::Read(response) => response,
            // Only asked for by `send_streaming`.
            Outcome::Live(live) => self.read_live(live).await?,
        };
        match self.envelope.filter(|_| envelope) {
            Some(fields) => unwrap_envelope(response, &fields).map_err(Error::UnexpectedResponse),
            None => Ok(response),
        }
    }

    /// Like [`Transport::send_with`], except that a response whose status
    /// `streamed` accepts is not read: its body is handed over as a
    /// [`ByteStream`] once the headers have arrived and its `Content-Type`
    /// is `media_type`. The deadline covers the call up to that point; the
    /// download is bounded by the read timeout and the download timeout.
    pub async fn send_streaming_with<E>(
        &self,
        build: BuildRequest<'_, E>,
        operation: &OperationInfo,
        media_type: &str,
        streamed: impl Fn(u16) -> bool + Sync,
        options: Option<&CallOptions>,
    ) -> Result<Streamed, Error<E>> {
        let timed = || Ok(build()?.timeout(self.download_timeout));
        self.stream_from(
            Source::Build(&timed),
            operation,
            media_type,
            &streamed,
            options,
        )
        .await
    }

    /// [`Transport::send_streaming_with`] for one built request, copied as
    /// [`Transport::send`] copies it. Crates generated by 0.1.0 call it.
    pub async fn send_streaming<E>(
        &self,
        request: RequestBuilder,
        operation: &OperationInfo,
        media_type: &str,
        streamed: impl Fn(u16) -> bool + Sync,
    ) -> Result<Streamed, Error<E>> {
        let request = request
            .timeout(self.download_timeout)
            .build()
            .map_err(Error::Communication)?;
        self.stream_from(
            Source::Copy(Some(Box::new(request))),
            operation,
            media_type,
            &streamed,
            None,
        )
        .await
    }

    async fn stream_from<E>(
        &self,
        source: Source<'_, E>,
        operation: &OperationInfo,
        media_type: &str,
        streamed: &(dyn Fn(u16) -> bool + Sync),
        options: Option<&CallOptions>,
    ) -> Result<Streamed, Error<E>> {
        match self
            .call(source, operation, Some(streamed), options)
            .await?
        {
            Outcome::Read(response) => Ok(Streamed::Other(response)),
            Outcome::Live(live) => {
                if let Some(actual) = crate::decode::other_media_type(&live.headers, media_type) {
                    let response = self.read_live(live).await?;
                    return Err(Error::UnexpectedResponse(Box::new(UnexpectedResponse {
                        status: response.status,
                        headers: response.headers,
                        body: response.body,
                        rate_limit: response.rate_limit,
                        kind: UnexpectedResponseKind::WrongContentType {
                            expected: media_type.to_owned(),
                            actual,
                        },
                    })));
                }
                Ok(Streamed::Body(ResponseValue::with_rate_limit(
                    ByteStream::new(
                        live.response,
                        self.max_response_body,
                        self.attempt_timeout,
                        self.credentials_in_url(),
                        self.property_names,
                    ),
                    live.status,
                    live.headers,
                    live.rate_limit,
                )))
            }
        }
    }

    /// The attempts of one call, in its span and within its deadline.
    async fn call<E>(
        &self,
        source: Source<'_, E>,
        operation: &OperationInfo,
        streamed: Option<&(dyn Fn(u16) -> bool + Sync)>,
        options: Option<&CallOptions>,
    ) -> Result<Outcome, Error<E>> {
        let span = tracing::info_span!(
            "api_request",
            operation = operation.id,
            method = operation.method,
            path = operation.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let own_timeout = options.and_then(|options| options.timeout);
        let deadline = own_timeout.unwrap_or(self.deadline);
        let clock = Clock {
            started,
            deadline,
            // A call's own timeout may be longer than the client's for one
            // attempt: each attempt may then take what is left of it.
            attempt_timeout: own_timeout
                .or(self.attempt_timeout)
                .filter(|_| streamed.is_none()),
        };
        let attempts = self.attempts(source, operation, clock, streamed, options, &span);
        let result = if clock.attempt_timeout.is_some() {
            // Every wait is bounded by what is left of the deadline, with
            // reqwest's own timer for the attempts: no second timer.
            attempts.instrument(span.clone()).await
        } else {
            // A download outlives the deadline, and a caller's own client
            // has timeouts we do not know: a timer over the whole call.
            tokio::time::timeout(deadline, attempts)
                .instrument(span.clone())
                .await
                .unwrap_or(Err(Error::DeadlineExceeded(deadline)))
        };
        if !span.is_disabled() {
            span.record("duration_ms", started.elapsed().as_millis() as u64);
        }
        result
    }

    /// Reads a body that was left unread, within the body limit.
    async fn read_live<E>(&self, live: Live) -> Result<RawResponse, Error<E>> {
        let body = read_limited(live.response, self.max_response_body)
            .await
            .map_err(|error| match error {
                ReadError::Read(error) => self.communication(error),
                ReadError::TooLarge => Error::ResponseTooLarge {
                    status: live.status,
                    limit: self.max_response_body,
                },
            })?;
        Ok(RawResponse {
            status: live.status,
            headers: live.headers,
            body,
            enveloped: false,
            rate_limit: live.rate_limit,
            property_names: self.property_names,
        })
    }

    /// The call's attempts, in phases: [`prepare`](Self::prepare) (the
    /// request, the call's options, hooks), [`credentials`](Self::credentials),
    /// the deadline's cap, send,
    /// [`after_failure`](Self::after_failure) (try again after a connection
    /// that never opened?), [`follow`](Self::follow) (a redirect),
    /// [`receive`](Self::receive) (the body within its limit, echoed
    /// secrets hidden), then [`challenged`](Self::challenged) (a 401 the
    /// credentials answer) and [`retry_wait`](Self::retry_wait).
    async fn attempts<E>(
        &self,
        source: Source<'_, E>,
        operation: &OperationInfo,
        clock: Clock,
        streamed: Option<&(dyn Fn(u16) -> bool + Sync)>,
        options: Option<&CallOptions>,
        span: &tracing::Span,
    ) -> Result<Outcome, Error<E>> {
        let retry = options
            .and_then(|options| options.retry.as_ref())
            .unwrap_or(&self.retry);
        // Credentials go only with an operation that takes them.
        let chosen = self
            .auth
            .choose(operation.id, operation.security)
            .map_err(Error::Auth)?;
        let public = chosen == 0;
        let mut call = CallState {
            source,
            retry,
            // With a key, the server acts once however often the request comes.
            idempotent_by_key: options.is_some_and(|options| options.idempotency_key.is_some()),
            public,
            // Without retries, credentials or redirects to follow nothing
            // is ever sent again.
            resendable: retry.max_attempts > 1 || !public || self.follows_redirects,
            hop: None,
            auth: CallAuth {
                digest: self.auth.digest(chosen).map(|digest| digest.lease()),
                chosen,
                ..CallAuth::default()
            },
            retries: 0,
            redirects: 0,
            foreign: false,
            // Recording looks the field up by name, even in a span no
            // subscriber wants: skipped then.
            traced: !span.is_disabled(),
        };
        for attempt in 1.. {
            if call.traced {
                span.record("attempt", attempt);
            }
            let (mut request, method, hooked) =
                self.prepare(&mut call, operation, attempt, clock, options)?;
            let bearer = if call.foreign || call.public {
                None
            } else {
                self.credentials(&mut call, &mut request, clock).await?
            };
            let capped = clock.cap(&mut request)?;
            let sent = Sent {
                method,
                hooked,
                bearer,
                capped,
            };
            let response = match self.execute(request).await {
                Ok(response) => response,
                Err(failure) => {
                    let wait = self.after_failure(&mut call, failure, &sent, clock, attempt)?;
                    clock.sleep(wait).await?;
                    continue;
                }
            };
            if self.follow(&mut call, &response, attempt)? {
                continue;
            }
            let answer = match self
                .receive(&call, response, &sent, clock, streamed, span)
                .await?
            {
                Answer::Live(live) => return Ok(Outcome::Live(live)),
                Answer::Read(answer) => answer,
            };
            if answer.status == StatusCode::UNAUTHORIZED
                && !call.foreign
                && self
                    .challenged(&mut call, &answer, sent.bearer, clock)
                    .await?
            {
                tracing::debug!(attempt, "answering an authentication challenge");
                continue;
            }
            if let Some(wait) = self.retry_wait(&mut call, &answer, &sent.method, clock, attempt) {
                clock.sleep(wait).await?;
                continue;
            }
            return Ok(Outcome::Read(RawResponse {
                status: answer.status,
                rate_limit: self.rate_limit.read(&answer.headers),
                headers: answer.headers,
                body: answer.body,
                enveloped: false,
                property_names: self.property_names,
            }));
        }
        unreachable!("the attempt loop only ends by returning")
    }

    /// One attempt's request: the first, a copy of the redirect's hop, or
    /// built anew; with the call's options and what the hooks change (a
    /// hook sees no secret: credentials come after, and a Digest response
    /// covers its changes). With its method, and the hooks with the attempt.
    fn prepare<'o, E>(
        &self,
        call: &mut CallState<'_, '_, E>,
        operation: &'o OperationInfo,
        attempt: u32,
        clock: Clock,
        options: Option<&CallOptions>,
    ) -> Result<(Request, Method, Hooked<'o>), Error<E>> {
        let mut request = match &call.hop {
            Some(hop) => {
                crate::resend::copy(hop).ok_or(Error::Auth(AuthError::Unsupported(UNREPEATABLE)))?
            }
            None => call.source.request(call.resendable)?,
        };
        // Before the hooks, which see the call's headers, and before
        // credentials, which no option can replace.
        if let Some(options) = options {
            options.apply(&mut request);
        }
        let method = request.method().clone();
        // Only hooks read the clock for it.
        let hooked = self.hooks.as_ref().map(|hooks| {
            let this_attempt = Attempt {
                operation,
                number: attempt,
                elapsed: clock.started.elapsed(),
            };
            (Arc::clone(hooks), this_attempt)
        });
        if let Some((hooks, this_attempt)) = &hooked {
            hooks.before(&mut request, this_attempt);
        }
        Ok((request, method, hooked))
    }

    /// The call's credentials on the request; the access token it carries,
    /// if any. Only a service account waits here, for its token, within
    /// the deadline.
    async fn credentials<E>(
        &self,
        call: &mut CallState<'_, '_, E>,
        request: &mut Request,
        clock: Clock,
    ) -> Result<Option<Bearer>, Error<E>> {
        let waits = self.auth.service_account(call.auth.chosen).is_some();
        let authorizing = async {
            self.authorize(request, &mut call.auth)
                .await
                .map_err(Error::Auth)
        };
        if waits {
            clock.bound(authorizing).await
        } else {
            authorizing.await
        }
    }

    /// After an attempt that got no response: how long to wait before the
    /// next, or the call's error. A connection that never opened carried
    /// nothing, so it is tried again when [`resend_is_safe`].
    fn after_failure<E>(
        &self,
        call: &mut CallState<'_, '_, E>,
        failure: SendFailure,
        sent: &Sent<'_>,
        clock: Clock,
        attempt: u32,
    ) -> Result<Duration, Error<E>> {
        let error = match failure {
            SendFailure::Refused(error) => return Err(Error::Middleware(error)),
            SendFailure::Failed(error) if sent.capped && error.is_timeout() => {
                return Err(Error::DeadlineExceeded(clock.deadline));
            }
            SendFailure::Failed(error) => error,
        };
        let safe = resend_is_safe(
            call.redirects,
            self.follows_redirects,
            call.idempotent_by_key,
            &sent.method,
        );
        if error.is_connect()
            && safe
            && let Some(wait) = call
                .retry
                .delay(call.retries + 1, None, clock.started.elapsed())
        {
            call.retries += 1;
            tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "connection failed; retrying"
            );
            return Ok(wait);
        }
        Err(self.communication(error))
    }

    /// Follows a redirect the transport's own client did not: the next
    /// hop becomes every later attempt's request, without credentials
    /// when it leaves the API's origin. Whether it did.
    fn follow<E>(
        &self,
        call: &mut CallState<'_, '_, E>,
        response: &reqwest::Response,
        attempt: u32,
    ) -> Result<bool, Error<E>> {
        if !self.follows_redirects
            || !response.status().is_redirection()
            || call.redirects >= redirect::MAX_REDIRECTS
        {
            return Ok(false);
        }
        // What was sent is gone: a hop is kept, a first request is made
        // again (without the hooks' and credentials' changes, which every
        // attempt makes anew).
        let first;
        let previous = match &call.hop {
            Some(hop) => hop,
            None => {
                first = call.source.request(true)?;
                &first
            }
        };
        let Some(next) = redirect::next_hop(previous, response.status(), response.headers()) else {
            return Ok(false);
        };
        call.redirects += 1;
        tracing::debug!(
            attempt,
            status = response.status().as_u16(),
            "following a redirect"
        );
        call.foreign = !self.is_own_origin(next.url());
        call.hop = Some(next);
        Ok(true)
    }

    /// The response: left unread when its status streams, else read within
    /// the body limit; the hooks see it, and a token the server echoes is
    /// hidden from its headers and from an error's body.
    async fn receive<E>(
        &self,
        call: &CallState<'_, '_, E>,
        mut response: reqwest::Response,
        sent: &Sent<'_>,
        clock: Clock,
        streamed: Option<&(dyn Fn(u16) -> bool + Sync)>,
        span: &tracing::Span,
    ) -> Result<Answer, Error<E>> {
        let status = response.status();
        if call.traced {
            span.record("status", status.as_u16());
        }
        let mut headers = std::mem::take(response.headers_mut());
        let echoes = [
            sent.bearer.as_ref().map(|bearer| &*bearer.echoes),
            self.auth.echoes.as_ref().filter(|_| !call.foreign),
        ];
        for echoes in echoes.iter().flatten() {
            echoes.headers(&mut headers);
        }
        if streamed.is_some_and(|streamed| streamed(status.as_u16())) {
            if let Some((hooks, this_attempt)) = &sent.hooked {
                let received = Received {
                    status,
                    headers: &headers,
                    body_length: None,
                };
                hooks.after(&received, this_attempt);
            }
            return Ok(Answer::Live(Live {
                status,
                rate_limit: self.rate_limit.read(&headers),
                headers,
                response,
            }));
        }
        let body = read_limited(response, self.max_response_body).await;
        if let Some((hooks, this_attempt)) = &sent.hooked {
            let received = Received {
                status,
                headers: &headers,
                body_length: body.as_ref().ok().map(|body| body.len()),
            };
            hooks.after(&received, this_attempt);
        }
        let body = body.map_err(|error| match error {
            ReadError::Read(error) if sent.capped && error.is_timeout() => {
                Error::DeadlineExceeded(clock.deadline)
            }
            ReadError::Read(error) => self.communication(error),
            ReadError::TooLarge => Error::ResponseTooLarge {
                status,
                limit: self.max_response_body,
            },
        })?;
        let body = if status.is_success() {
            body
        } else {
            echoes
                .iter()
                .flatten()
                .fold(body, |body, echoes| echoes.body(body))
        };
        Ok(Answer::Read(ReadAnswer {
            status,
            headers,
            body,
        }))
    }

    /// Whether a 401 from the API's origin is one the credentials can
    /// answer (a Digest challenge, an expired token): then at once.
    async fn challenged<E>(
        &self,
        call: &mut CallState<'_, '_, E>,
        answer: &ReadAnswer,
        bearer: Option<Bearer>,
        clock: Clock,
    ) -> Result<bool, Error<E>> {
        clock
            .bound(self.resend_after_401(&answer.headers, bearer, &mut call.auth))
            .await
    }

    /// How long to wait before trying again, when the retry policy retries
    /// the answer's status and has attempts and time left.
    fn retry_wait<E>(
        &self,
        call: &mut CallState<'_, '_, E>,
        answer: &ReadAnswer,
        method: &Method,
        clock: Clock,
        attempt: u32,
    ) -> Option<Duration> {
        let idempotent = call.idempotent_by_key || redirect::idempotent(method);
        if call.retry.retries(answer.status, idempotent)
            && let Some(wait) = call.retry.delay(
                call.retries + 1,
                retry_after(&answer.headers),
                clock.started.elapsed(),
            )
        {
            call.retries += 1;
            tracing::debug!(
                attempt,
                status = answer.status.as_u16(),
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            return Some(wait);
        }
        None
    }

    /// Whether a credential travels in the URL (an API key in the query).
    fn credentials_in_url(&self) -> bool {
        self.auth.in_url
    }

    /// A failure to send or read, without the URL when it holds a
    /// credential: reqwest's message quotes the URL.
    fn communication<E>(&self, error: reqwest::Error) -> Error<E> {
        if self.credentials_in_url() {
            Error::Communication(error.without_url())
        } else {
            Error::Communication(error)
        }
    }

    /// Whether `url` is on the base URL's scheme, host and port, where the
    /// credentials may go.
    fn is_own_origin(&self, url: &reqwest::Url) -> bool {
        reqwest::Url::parse(&self.base_url).is_ok_and(|base| redirect::same_origin(&base, url))
    }

    /// Adds the call's credentials; returns the bearer token used, if any.
    async fn authorize(
        &self,
        request: &mut Request,
        call: &mut CallAuth<'_>,
    ) -> Result<Option<Bearer>, AuthError> {
        let mut used = None;
        for held in self.auth.chosen(call.chosen) {
            match &held.kind {
                HeldKind::Digest(_) => {
                    let Some(lease) = call.digest.as_mut() else {
                        continue;
                    };
                    let url = request.url();
                    let uri = match url.query() {
                        Some(query) => format!("{}?{query}", url.path()),
                        None => url.path().to_owned(),
                    };
                    // No body is an empty one, which `qop=auth-int` hashes (RFC
                    // 7616 §3.4.3); a streamed body cannot be hashed.
                    let body = match request.body() {
                        None => Some(&[][..]),
                        Some(body) => body.as_bytes(),
                    };
                    if let Some(value) = lease.authorize(request.method().as_str(), &uri, body)? {
                        request.headers_mut().insert(AUTHORIZATION, value);
                    }
                }
                HeldKind::Static(credentials) => credentials.authorize(request)?,
                HeldKind::ServiceAccount(account) => {
                    // Boxed: the token request is a large future that most
                    // calls never start, and every call would carry its size.
                    let bearer = Box::pin(account.bearer(&self.base_url)).await?;
                    let mut value =
                        HeaderValue::from_str(&format!("Bearer {}", bearer.token.expose()))
                            .map_err(|_| {
                                AuthError::TokenUnreadable(
                                    "the access token is not a valid header value".to_owned(),
                                )
                            })?;
                    value.set_sensitive(true);
                    request.headers_mut().insert(AUTHORIZATION, value);
                    used = Some(bearer);
                }
            }
        }
        Ok(used)
    }

    /// Whether a 401 deserves one more attempt: once to answer a Digest
    /// challenge, once more for a stale nonce, once with a fresh token.
    /// Static credentials sent again would be refused again.
    async fn resend_after_401<E>(
        &self,
        headers: &HeaderMap,
        bearer: Option<Bearer>,
        call: &mut CallAuth<'_>,
    ) -> Result<bool, Error<E>> {
        if let Some(lease) = call.digest.as_mut()
            && let Some(challenge) = lease.accept_challenge(headers).map_err(Error::Auth)?
        {
            let round = if challenge.stale {
                &mut call.stale_recovered
            } else {
                &mut call.challenge_answered
            };
            if !std::mem::replace(round, true) {
                return Ok(true);
            }
        }
        if let Some(account) = self.auth.service_account(call.chosen)
            && !call.token_refreshed
        {
            call.token_refreshed = true;
            if let Some(used) = bearer.map(|bearer| bearer.token) {
                Box::pin(account.invalidate(&used)).await;
            }
            return Ok(true);
        }
        Ok(false)
    }

    /// Revokes the service account's current access token (the next call gets a new one).
    pub async fn revoke_token(&self) -> Result<(), AuthError> {
        match self.auth.any_service_account() {
            Some(account) => account.revoke(&self.base_url).await,
            None => Err(AuthError::Unsupported(
                "only service account tokens can be revoked",
            )),
        }
    }
}

/// The deadline of one call, as its attempts see it.
#[derive(Clone, Copy)]
struct Clock {
    started: Instant,
    deadline: Duration,
    /// Set when the attempts enforce the deadline themselves (see
    /// [`Transport::call`]); otherwise a timer over the call does.
    attempt_timeout: Option<Duration>,
}

impl Clock {
    /// What is left of the deadline, or `DeadlineExceeded`.
    fn left<E>(&self) -> Result<Duration, Error<E>> {
        match self.deadline.checked_sub(self.started.elapsed()) {
            Some(left) if !left.is_zero() => Ok(left),
            _ => Err(Error::DeadlineExceeded(self.deadline)),
        }
    }

    /// Shortens the request's timeout to what is left of the deadline when
    /// that is less than an attempt's; whether it did.
    fn cap<E>(&self, request: &mut Request) -> Result<bool, Error<E>> {
        let Some(timeout) = self.attempt_timeout else {
            return Ok(false);
        };
        let left = self.left()?;
        let capped = left < timeout;
        if capped {
            *request.timeout_mut() = Some(left);
        }
        Ok(capped)
    }

    /// Runs `work` within what is left of the deadline.
    async fn bound<T, E>(
        &self,
        work: impl Future<Output = Result<T, Error<E>>>,
    ) -> Result<T, Error<E>> {
        if self.attempt_timeout.is_none() {
            return work.await;
        }
        tokio::time::timeout(self.left()?, work)
            .await
            .unwrap_or(Err(Error::DeadlineExceeded(self.deadline)))
    }

    /// Waits before a retry; a wait that would end past the deadline is
    /// not begun.
    async fn sleep<E>(&self, wait: Duration) -> Result<(), Error<E>> {
        if self.attempt_timeout.is_some() && wait >= self.left()? {
            return Err(Error::DeadlineExceeded(self.deadline));
        }
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

/// `{"status": 404, "content": {...}}` (under the API's field names), sent
/// when a call asks for an envelope, becomes the status and body it wraps.
/// A body that is not such an envelope is an error: decoding it as the
/// payload could "succeed" with every optional field empty.
fn unwrap_envelope(
    response: RawResponse,
    fields: &EnvelopeFields,
) -> Result<RawResponse, Box<UnexpectedResponse>> {
    type Object = serde_json::Map<String, serde_json::Value>;
    let unwrapped = serde_json::from_slice::<Object>(&response.body)
        .map_err(|error| crate::DecodeError::from(error).to_string())
        .and_then(|mut envelope| {
            let status = envelope
                .get(fields.status)
                .and_then(serde_json::Value::as_u64)
                .and_then(|status| u16::try_from(status).ok())
                .and_then(|status| StatusCode::from_u16(status).ok())
                .ok_or_else(|| format!("`{}` is not an HTTP status", fields.status))?;
            let content = envelope.remove(fields.content).unwrap_or_default();
            let body = serde_json::to_vec(&content).map_err(|error| error.to_string())?;
            Ok((status, body))
        });
    match unwrapped {
        Ok((status, body)) => Ok(RawResponse {
            status,
            headers: response.headers,
            body: body.into(),
            enveloped: true,
            rate_limit: response.rate_limit,
            property_names: response.property_names,
        }),
        Err(reason) => Err(Box::new(UnexpectedResponse {
            status: response.status,
            headers: response.headers,
            body: response.body,
            rate_limit: response.rate_limit,
            kind: UnexpectedResponseKind::NotAnEnvelope(reason),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::atomic::{AtomicUsize, Ordering};

    use wiremock::matchers::{body_string, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[test]
    fn a_request_is_sent_again_after_a_failed_connection_only_when_no_server_can_act_twice() {
        // Our client, no redirect yet: nothing reached a server.
        assert!(resend_is_safe(0, true, false, &Method::POST));
        // A redirect was followed, or a caller's client may have followed
        // one unseen: a POST may have arrived.
        assert!(!resend_is_safe(1, true, false, &Method::POST));
        assert!(!resend_is_safe(0, false, false, &Method::POST));
        // Unless a key or the method makes a repeat harmless.
        assert!(resend_is_safe(1, true, true, &Method::POST));
        assert!(resend_is_safe(1, false, false, &Method::PUT));
        assert!(resend_is_safe(1, false, false, &Method::GET));
        assert!(!resend_is_safe(1, false, false, &Method::PATCH));
    }

    const OPERATION: OperationInfo = OperationInfo {
        id: "update",
        method: "PATCH",
        path: "/start",
        security: Security::Any,
    };

    /// A transport as the builder makes it for a client of ours: no
    /// credentials, redirects followed by the transport.
    fn transport(base_url: &str, retry: RetryPolicy) -> Transport {
        Transport {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
            #[cfg(feature = "middleware")]
            middleware: None,
            base_url: base_url.into(),
            auth: Arc::new(Auth::new(Vec::new())),
            retry: retry.with_initial_backoff(Duration::from_millis(1)),
            deadline: Duration::from_secs(10),
            attempt_timeout: Some(Duration::from_secs(10)),
            max_response_body: 1 << 20,
            max_pages: 10,
            download_timeout: Duration::from_secs(10),
            rate_limit: crate::response::RateLimitNames::new(
                &crate::response::RateLimitHeaders::DRAFT,
            ),
            envelope: None,
            property_names: &[],
            hooks: None,
            follows_redirects: true,
        }
    }

    /// A 307 to `/moved`, whose first answer is a 503 and whose second a 200.
    async fn server() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .and(path("/start"))
            .respond_with(ResponseTemplate::new(307).insert_header("location", "/moved"))
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .and(path("/moved"))
            .and(body_string("{\"a\":1}"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .and(path("/moved"))
            .and(body_string("{\"a\":1}"))
            .respond_with(ResponseTemplate::new(200).set_body_string("done"))
            .mount(&server)
            .await;
        server
    }

    async fn sent(server: &MockServer) -> Vec<(String, String, String)> {
        server
            .received_requests()
            .await
            .expect("recorded")
            .into_iter()
            .map(|request| {
                (
                    request.method.to_string(),
                    request.url.path().to_owned(),
                    String::from_utf8_lossy(&request.body).into_owned(),
                )
            })
            .collect()
    }

    #[tokio::test]
    async fn a_request_built_for_each_attempt_is_sent_as_a_copied_one_is() {
        let body = r#"{"a":1}"#;
        let expected: Vec<(String, String, String)> = ["/start", "/moved", "/moved"]
            .into_iter()
            .map(|to| ("PATCH".to_owned(), to.to_owned(), body.to_owned()))
            .collect();

        let server = server().await;
        let transport = transport(&server.uri(), RetryPolicy::default());
        let builds = AtomicUsize::new(0);
        let build = || -> BuiltRequest<()> {
            builds.fetch_add(1, Ordering::Relaxed);
            Ok(transport
                .request(Method::PATCH, &["/start"])
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body))
        };
        let response = transport
            .send_with(&build, &OPERATION, false, None)
            .await
            .expect("a 200 in the end");
        assert_eq!(response.body.as_ref(), b"done");
        assert_eq!(sent(&server).await, expected);
        // The first attempt, and the request the redirect answered,
        // made again to find the next hop; the hop itself is copied.
        assert_eq!(builds.load(Ordering::Relaxed), 2);

        // Crates generated by 0.1.0 hand over one request, copied.
        let server = self::server().await;
        let transport = self::transport(&server.uri(), RetryPolicy::default());
        let request = transport
            .request(Method::PATCH, &["/start"])
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        let response = transport
            .send::<()>(request, &OPERATION, false)
            .await
            .expect("a 200 in the end");
        assert_eq!(response.body.as_ref(), b"done");
        assert_eq!(sent(&server).await, expected);
    }

    #[tokio::test]
    async fn a_request_that_cannot_be_built_is_never_sent() {
        let server = server().await;
        let transport = transport(&server.uri(), RetryPolicy::default());
        let build = || -> BuiltRequest<()> {
            Err(Error::Serialization(serde::ser::Error::custom("not JSON")))
        };
        let refused = transport
            .send_with(&build, &OPERATION, false, None)
            .await
            .expect_err("refused");
        assert!(matches!(refused, Error::Serialization(_)), "{refused:?}");
        assert!(sent(&server).await.is_empty());
    }

    const FIELDS: EnvelopeFields = EnvelopeFields {
        status: "status",
        content: "content",
    };

    fn raw(body: &'static [u8]) -> RawResponse {
        RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: body.into(),
            enveloped: false,
            rate_limit: RateLimit::default(),
            property_names: &[],
        }
    }

    #[test]
    fn envelopes_are_unwrapped_into_status_and_content() {
        let unwrapped = unwrap_envelope(
            raw(br#"{"status": 404, "content": {"error": 404}}"#),
            &FIELDS,
        )
        .expect("an envelope");
        assert_eq!(unwrapped.status, StatusCode::NOT_FOUND);
        assert_eq!(unwrapped.body.as_ref(), br#"{"error":404}"#);
        assert!(unwrapped.enveloped);
    }

    #[test]
    fn what_cannot_be_unwrapped_is_an_error_not_an_empty_payload() {
        let deep = format!(
            "{{\"status\": 200, \"content\": {}{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        let deep: &'static [u8] = Box::leak(deep.into_bytes().into_boxed_slice());
        for body in [
            br#"{"name": "x"}"#.as_slice(),
            br#"{"status": 1000, "content": {}}"#,
            br#"{"status": 99, "content": {}}"#,
            br#"{"status": "200", "content": {}}"#,
            b"<html>bad gateway</html>",
            b"",
            deep,
        ] {
            let refused =
                unwrap_envelope(raw(body), &FIELDS).expect_err(&String::from_utf8_lossy(body));
            assert!(
                matches!(refused.kind, UnexpectedResponseKind::NotAnEnvelope(_)),
                "{refused:?}"
            );
            assert_eq!(refused.body.as_ref(), body, "the body is kept");
        }
    }
}
