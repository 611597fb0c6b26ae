//! HTTP Digest against a loopback server that checks every response hash
//! itself, with MD5 and SHA-256 computed here, independently of the client.

use std::sync::{Arc, Mutex};

use atlas_admin::types::{ApiKeyUserDetails, UpdateAtlasOrganizationApiKey};
use atlas_admin::{Client, Error, ResponseValue, RetryPolicy};
use md5::Md5;
use serde_json::json;
use sha2::{Digest, Sha256};
use wire_tests::{HEX_ID, OTHER_HEX_ID, api_error};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PUBLIC_KEY: &str = "zmmrboas";
const PRIVATE_KEY: &str = "55c3bbb6-b4bb-0be1-e66d20841f3e";
const REALM: &str = "MMS Public API";

/// What the server saw, for assertions.
#[derive(Debug, Default)]
struct Seen {
    requests: u32,
    accepted_nc: Vec<u32>,
    accepted_bodies: Vec<Vec<u8>>,
}

/// A Digest server: challenges, verifies, and can declare its nonce stale.
struct DigestServer {
    algorithm: &'static str,
    password: &'static str,
    /// Uses of one nonce before the server calls it stale.
    nonce_uses: Option<u32>,
    /// The `qop` values offered, as the challenge lists them.
    qop: &'static str,
    /// Writes the `WWW-Authenticate` value around the challenge's parameters.
    header: fn(&str) -> String,
    state: Mutex<(u32, u32)>, // (nonce generation, uses of the current nonce)
    seen: Arc<Mutex<Seen>>,
}

impl DigestServer {
    fn new(algorithm: &'static str, password: &'static str) -> (Self, Arc<Mutex<Seen>>) {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let server = Self {
            algorithm,
            password,
            nonce_uses: None,
            qop: "auth",
            header: |parameters| format!("Digest {parameters}"),
            state: Mutex::new((1, 0)),
            seen: seen.clone(),
        };
        (server, seen)
    }

    fn hash(&self, text: &str) -> String {
        self.hash_bytes(text.as_bytes())
    }

    fn hash_bytes(&self, bytes: &[u8]) -> String {
        if self.algorithm.starts_with("SHA-256") {
            format!("{:x}", Sha256::digest(bytes))
        } else {
            format!("{:x}", Md5::digest(bytes))
        }
    }

    fn challenge(&self, nonce: &str, stale: bool) -> ResponseTemplate {
        let header = (self.header)(&format!(
            r#"realm="{REALM}", domain="", nonce="{nonce}", algorithm={}, qop="{}", stale={stale}"#,
            self.algorithm, self.qop
        ));
        ResponseTemplate::new(401)
            .insert_header("WWW-Authenticate", header.as_str())
            .set_body_json(api_error(401, "NOT_ORG_GROUP_CREATOR"))
    }

    /// The response hash RFC 7616 defines, computed from the request.
    fn expected(&self, request: &Request, fields: &digest_auth::AuthorizationHeader) -> String {
        let cnonce = fields.cnonce.clone().unwrap_or_default();
        let mut ha1 = self.hash(&format!("{}:{REALM}:{}", fields.username, self.password));
        if self.algorithm.ends_with("-sess") {
            ha1 = self.hash(&format!("{ha1}:{}:{cnonce}", fields.nonce));
        }
        // Only a `qop` the challenge offered is accepted.
        let qop = fields.qop.map(|qop| qop.to_string()).unwrap_or_default();
        if !self.qop.split(',').any(|offered| offered.trim() == qop) {
            return format!("qop {qop:?} was not offered");
        }
        let ha2 = if qop == "auth-int" {
            let body = self.hash_bytes(&request.body);
            self.hash(&format!("{}:{}:{body}", request.method, fields.uri))
        } else {
            self.hash(&format!("{}:{}", request.method, fields.uri))
        };
        self.hash(&format!(
            "{ha1}:{}:{:08x}:{cnonce}:{qop}:{ha2}",
            fields.nonce, fields.nc
        ))
    }
}

impl Respond for DigestServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.seen.lock().unwrap().requests += 1;
        let mut state = self.state.lock().unwrap();
        let nonce = format!("nonce-{}", state.0);
        let Some(header) = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        else {
            return self.challenge(&nonce, false);
        };
        let fields =
            digest_auth::AuthorizationHeader::parse(header).expect("a Digest Authorization header");
        let target = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        assert_eq!(fields.uri, target, "the digest covers the request target");
        if fields.nonce != nonce {
            return self.challenge(&nonce, true);
        }
        if fields.username != PUBLIC_KEY || fields.response != self.expected(request, &fields) {
            return self.challenge(&nonce, false);
        }
        if self.nonce_uses.is_some_and(|limit| state.1 >= limit) {
            *state = (state.0 + 1, 0);
            return self.challenge(&format!("nonce-{}", state.0), true);
        }
        state.1 += 1;
        let mut seen = self.seen.lock().unwrap();
        seen.accepted_nc.push(fields.nc);
        seen.accepted_bodies.push(request.body.clone());
        ResponseTemplate::new(200).set_body_json(json!({"id": HEX_ID, "publicKey": PUBLIC_KEY}))
    }
}

async fn start(server: DigestServer) -> MockServer {
    let mock = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(server)
        .mount(&mock)
        .await;
    mock
}

fn client(server: &MockServer, private_key: &str) -> Client {
    Client::builder()
        .base_url(server.uri())
        .digest_auth(PUBLIC_KEY, private_key)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid settings")
}

async fn update(
    client: &Client,
    desc: &str,
) -> Result<ResponseValue<ApiKeyUserDetails>, Error<atlas_admin::types::ApiError>> {
    client
        .update_org_api_key()
        .org_id(HEX_ID)
        .api_user_id(OTHER_HEX_ID)
        .pretty(true)
        .body(UpdateAtlasOrganizationApiKey::new().with_desc(desc.to_owned()))
        .send()
        .await
}

#[tokio::test]
async fn every_algorithm_is_answered_and_the_body_is_resent_intact() {
    for algorithm in ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"] {
        let (server, seen) = DigestServer::new(algorithm, PRIVATE_KEY);
        let mock = start(server).await;
        let response = update(&client(&mock, PRIVATE_KEY), "rotated by CI").await;
        assert_eq!(
            response.expect(algorithm).status().as_u16(),
            200,
            "{algorithm}"
        );
        let seen = seen.lock().unwrap();
        assert_eq!(seen.requests, 2, "{algorithm}: one challenge, one answer");
        assert_eq!(
            seen.accepted_bodies,
            vec![br#"{"desc":"rotated by CI"}"#.to_vec()],
            "{algorithm}"
        );
    }
}

#[tokio::test]
async fn the_nonce_is_reused_with_a_growing_count_by_every_clone() {
    let (server, seen) = DigestServer::new("SHA-256", PRIVATE_KEY);
    let mock = start(server).await;
    let client = client(&mock, PRIVATE_KEY);
    let clone = client.clone();
    update(&client, "one").await.expect("first");
    update(&clone, "two").await.expect("second");
    update(&client, "three").await.expect("third");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.requests, 4, "only the first call is challenged");
    assert_eq!(seen.accepted_nc, [1, 2, 3]);
}

#[tokio::test]
async fn a_stale_nonce_is_recovered_once() {
    let (mut server, seen) = DigestServer::new("MD5", PRIVATE_KEY);
    server.nonce_uses = Some(1);
    let mock = start(server).await;
    let client = client(&mock, PRIVATE_KEY);
    update(&client, "one").await.expect("first");
    update(&client, "two")
        .await
        .expect("second, after the stale nonce");
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen.requests, 4,
        "challenge, answer, stale, answer with the new nonce"
    );
    assert_eq!(seen.accepted_nc, [1, 1]);
}

#[tokio::test]
async fn a_wrong_key_ends_with_a_typed_401_after_one_round() {
    let (server, seen) = DigestServer::new("MD5", PRIVATE_KEY);
    let mock = start(server).await;
    match update(&client(&mock, "not-the-private-key"), "x").await {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 401);
            assert_eq!(response.error_code, "NOT_ORG_GROUP_CREATOR");
        }
        other => panic!("expected a typed 401, got {other:?}"),
    }
    assert_eq!(seen.lock().unwrap().requests, 2, "no loop");
}

/// Lists the organization's keys, a `GET`, which has no body; the status
/// the server answered (its body is not a listing).
async fn list(client: &Client) -> Option<u16> {
    let result = client.list_org_api_keys().org_id(HEX_ID).send().await;
    match result {
        Ok(response) => Some(response.status().as_u16()),
        Err(error) => error.status().map(|status| status.as_u16()),
    }
}

#[tokio::test]
async fn auth_int_is_answered_over_the_empty_body_of_a_get_and_over_a_patch_body() {
    let (mut server, seen) = DigestServer::new("SHA-256", PRIVATE_KEY);
    server.qop = "auth-int";
    let mock = start(server).await;
    let client = client(&mock, PRIVATE_KEY);
    assert_eq!(list(&client).await, Some(200), "a GET under auth-int");
    update(&client, "integrity")
        .await
        .expect("a PATCH under auth-int");
    assert_eq!(seen.lock().unwrap().accepted_nc, [1, 2]);
}

#[tokio::test]
async fn challenges_written_every_way_rfc_7235_allows_are_answered() {
    let forms: [fn(&str) -> String; 4] = [
        // Several challenges in one header value.
        |parameters| format!(r#"Basic realm="basic", Digest {parameters}"#),
        |parameters| {
            format!(
                r#"Bearer realm="b", error="invalid_token", Digest {parameters}, Basic realm="c""#
            )
        },
        // Spaces around `=` and before commas.
        |parameters| {
            format!(
                "Digest {}",
                parameters.replace('=', " = ").replace(", ", " , ")
            )
        },
        // The scheme and parameter names in another case.
        |parameters| {
            format!(
                "digest {}",
                parameters
                    .replace("realm=", "Realm=")
                    .replace("nonce=", "NONCE=")
            )
        },
    ];
    for (index, header) in forms.into_iter().enumerate() {
        let (mut server, seen) = DigestServer::new("MD5", PRIVATE_KEY);
        server.header = header;
        let mock = start(server).await;
        update(&client(&mock, PRIVATE_KEY), "x")
            .await
            .unwrap_or_else(|error| panic!("form {index}: {error:?}"));
        assert_eq!(seen.lock().unwrap().accepted_nc, [1], "form {index}");
    }
}
