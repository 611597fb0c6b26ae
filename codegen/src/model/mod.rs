//! Stage 3: the intermediate representation the emitter works from.
//!
//! Every `$ref` is resolved, every inline object or enum has a type name,
//! and everything is in a stable order, so that the emitter only translates.

mod derives;
mod directions;
mod features;
mod operation;
mod paging;
mod schema;
pub mod security;
mod sensitive;
mod sizes;
pub mod tag_features;
mod traits;
mod types;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostics, Error};
use crate::load::LoadedSpec;
use crate::{Config, Settings};
use sensitive::SensitiveProperties;

pub use crate::names::{field_name, type_name, unique_in};
pub use paging::{Counting, DeclaredPaging, FieldStep, ItemsField, PageStyle, Paging, PagingTotal};
pub use schema::is_scalar_newtype;
pub use traits::scalar_types;
pub use types::{TypeId, Types};

/// The whole API, ready to emit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The first server's URL, the client's default base URL.
    pub default_server: Option<String>,
    /// The path of the OAuth 2.0 client credentials token endpoint.
    pub token_path: Option<String>,
    /// The path of its revocation endpoint (`x-revocation-url` on the flow).
    pub revoke_path: Option<String>,
    /// The scopes its token request asks for, space-separated: every scope
    /// the operations' requirements name for it.
    pub token_scopes: Option<String>,
    /// The security schemes it declares, sorted by name.
    pub schemes: Vec<security::Scheme>,
    /// Sorted by operation id.
    pub operations: Vec<Operation>,
    /// The named types, sorted by name; a [`TypeRef::Named`] holds the
    /// place of one.
    pub types: Types,
    /// Operations left out in lenient mode, with why.
    pub skipped: Vec<Skipped>,
    /// Things worth knowing that did not stop generation: defaults that do not
    /// fit their type (ignored), and in lenient mode the problems it went past.
    pub warnings: Vec<crate::Diagnostic>,
    /// The optional runtime features its code uses (`chrono`, `multipart`,
    /// `patterns`, `uuid`), sorted.
    pub runtime_features: Vec<&'static str>,
    /// With features per tag, one per tag, sorted by name; else empty.
    pub tag_features: Vec<tag_features::TagFeature>,
    /// Which tag features `default` turns on.
    pub default_features: crate::config::DefaultFeatures,
    /// The crates the `[replace]` types come from, one each, by name.
    pub replacement_crates: Vec<crate::config::Replacement>,
    /// The crate's package: name, version, description.
    pub package: Package,
    /// How the crate reaches `client-runtime`: the configuration's
    /// `[runtime]`, else the run's settings.
    pub runtime: crate::settings::Runtime,
    /// The envelope the API wraps bodies in when asked, if it does.
    pub envelope: Option<crate::config::EnvelopeConfig>,
    /// The names of its rate limit headers.
    pub rate_limit_headers: crate::config::RateLimitConfig,
    /// The environment variables `Client::from_env` reads.
    pub env: crate::config::EnvConfig,
}

/// Gives each schema `[replace]` names the Rust type it names; the crates
/// those types come from, one entry each. A name that is no schema, or one
/// crate asked for at two versions, is an error.
fn replace(
    types: &mut schema::TypeRegistry<'_>,
    replace: &BTreeMap<String, crate::config::Replacement>,
) -> Result<Vec<crate::config::Replacement>, String> {
    let mut crates: BTreeMap<String, crate::config::Replacement> = BTreeMap::new();
    for (schema, replacement) in replace {
        let pointer = crate::diagnostic::pointer("#/components/schemas", &[schema.as_str()]);
        let def = types
            .defs_mut()
            .find(|def| def.pointer == pointer)
            .ok_or_else(|| {
                format!("`[replace.{schema}]` names no schema of `components/schemas`")
            })?;
        def.kind = TypeKind::Replaced(replacement.type_path.clone());
        if !replacement.needs_dependency() {
            continue;
        }
        let name = replacement.crate_name().to_owned();
        match crates.get(&name) {
            Some(known)
                if (&known.version, &known.features, &known.schemars)
                    != (
                        &replacement.version,
                        &replacement.features,
                        &replacement.schemars,
                    ) =>
            {
                return Err(format!(
                    "`[replace]` asks for the crate `{name}` twice, with different `version`, `features` or `schemars`: give them once, the same"
                ));
            }
            _ => {
                crates.insert(name, replacement.clone());
            }
        }
    }
    Ok(crates.into_values().collect())
}

/// The package the configuration describes, its description made from
/// the spec's title when it gives none.
fn package(config: &crate::config::PackageConfig, title: &str) -> Package {
    let crate::config::PackageConfig {
        name,
        version,
        description,
        authors,
        license,
        repository,
        homepage,
        documentation,
        keywords,
        categories,
        publish,
    } = config.clone();
    Package {
        name,
        version,
        description: description.unwrap_or_else(|| format!("A typed client for the {title}.")),
        authors,
        license,
        repository,
        homepage,
        documentation,
        keywords,
        categories,
        publish,
    }
}

impl Api {
    /// Whether the spec deprecates anything the crate has: an operation,
    /// a parameter, a schema or a property.
    pub fn has_deprecated(&self) -> bool {
        self.operations.iter().any(|operation| {
            operation.deprecated || operation.params.iter().any(|param| param.deprecated)
        }) || self.types.iter().any(|def| {
            def.deprecated
                || matches!(&def.kind, TypeKind::Struct(object)
                    if object.fields.iter().any(|field| field.deprecated))
        })
    }
}

/// The generated crate's package.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Package {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// One line: the configuration's, else one made from `info.title`.
    pub description: String,
    /// The other keys of `[package]`, as the configuration gives them.
    pub authors: Vec<String>,
    /// An SPDX licence expression.
    pub license: Option<String>,
    /// The source repository's URL.
    pub repository: Option<String>,
    /// The home page's URL.
    pub homepage: Option<String>,
    /// The documentation's URL.
    pub documentation: Option<String>,
    /// crates.io keywords.
    pub keywords: Vec<String>,
    /// crates.io category slugs.
    pub categories: Vec<String>,
    /// Whether `cargo publish` may publish it.
    pub publish: bool,
}

/// An operation lenient mode could not represent.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Its `operationId`.
    pub operation: String,
    /// What stood in the way, with places.
    pub reasons: Vec<crate::Diagnostic>,
}

/// One HTTP operation: what its part of the spec says, resolved
/// (`operation.rs`), and `decided`, what the passes that see every
/// operation decide about it: `()` until they have run, so that nothing
/// reads a decision before it is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation<D = OperationDecisions> {
    /// `operationId`, as written.
    pub id: String,
    /// Its HTTP method.
    pub method: crate::http_method::HttpMethod,
    /// The path template, e.g. `/orgs/{orgId}`.
    pub path: crate::path_template::PathTemplate,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Path parameters in template order, then query, then header parameters.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// The success responses, by status.
    pub success: Vec<Success>,
    /// When success bodies differ by status: the name of the enum that holds them.
    pub success_enum: Option<String>,
    /// Declared error statuses with their bodies, codes before ranges.
    pub errors: Vec<ErrorResponse>,
    /// When error bodies differ by status: the name of the enum that holds them.
    pub error_enum: Option<String>,
    /// The `Accept` header: the success response's media type.
    pub accept: Option<String>,
    /// When the spec offers the same bodies under several media types (API
    /// versions): all of them, the default (newest) first; empty otherwise.
    pub versions: Vec<String>,
    /// Its `tags`; the first is the one paging rules by tag go by.
    pub tags: Vec<String>,
    /// What the spec says of its pages (`x-ms-pageable`, a `Link` header).
    pub declared_paging: Option<DeclaredPaging>,
    /// Whether its event stream reconnects with `Last-Event-ID`
    /// (`send_resuming`): the one success is server-sent events and the
    /// method is GET.
    pub resumable: bool,
    /// Which of the client's credentials it takes, from its `security`.
    pub security: security::OperationSecurity,
    /// The scopes its requirements name for the client credentials flow.
    pub scopes: Vec<String>,
    /// What was decided from every operation ([`OperationDecisions`]).
    pub decided: D,
}

/// What the model decides about an operation once every operation is
/// built, each by the pass named.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationDecisions {
    /// The Rust method and module name, unique in the crate (`get_pet`,
    /// then `get_pet_2` for `get-pet`, in operationId order): `mod.rs`'s
    /// `name_operations`.
    pub rust_method: String,
    /// The Rust builder type name, unique among operations (the same).
    pub rust_type: String,
    /// How to walk its pages, when a rule fits it (`paging.rs`).
    pub paging: Option<Paging>,
    /// The cargo feature it is compiled under, with features per tag
    /// (`tag_features.rs`).
    pub feature: Option<String>,
    /// Its boolean query parameter that asks for the API's envelope, when
    /// it has the one the configuration names.
    pub envelope_parameter: Option<ParamId>,
}

impl Operation<()> {
    /// The operation with what was decided about it.
    fn decided(self, decided: OperationDecisions) -> Operation {
        let Operation {
            id,
            method,
            path,
            summary,
            description,
            deprecated,
            params,
            body,
            success,
            success_enum,
            errors,
            error_enum,
            accept,
            versions,
            tags,
            declared_paging,
            resumable,
            security,
            scopes,
            decided: (),
        } = self;
        Operation {
            id,
            method,
            path,
            summary,
            description,
            deprecated,
            params,
            body,
            success,
            success_enum,
            errors,
            error_enum,
            accept,
            versions,
            tags,
            declared_paging,
            resumable,
            security,
            scopes,
            decided,
        }
    }
}

/// What a successful call gives back ([`Operation::returns`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Returns<'o> {
    /// No success status has a body: `()`.
    Nothing,
    /// Every success status has this one body.
    Body(&'o Content),
    /// Some success statuses have this body and others none: an `Option`.
    OptionalBody(&'o Content),
    /// The bodies differ by status: the success enum of this name.
    PerStatus(&'o str),
    /// The one success's body, not JSON, handed over unread: as bytes, or
    /// as a stream of typed items (`items`).
    Streamed(&'o Success, &'o Content),
}

/// One of an operation's parameters, by its place in [`Operation::params`]
/// (which does not change once the operation is built): what a later pass
/// decides about a parameter refers to it, so emit never looks it up again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamId(usize);

impl<D> Operation<D> {
    /// The parameter `id` refers to.
    pub fn param(&self, id: ParamId) -> &Param {
        &self.params[id.0]
    }

    /// The query parameter named `name` on the wire, if it has one.
    pub fn query_param(&self, name: &str) -> Option<(ParamId, &Param)> {
        self.params
            .iter()
            .enumerate()
            .find(|(_, param)| param.location == Location::Query && param.name == name)
            .map(|(index, param)| (ParamId(index), param))
    }

    /// What a successful call gives back: the one decision that the
    /// method's return type, the status dispatch, the mock and the
    /// conformance call all read.
    pub fn returns(&self) -> Returns<'_> {
        if let [success] = self.success.as_slice()
            && let Some(content) = &success.body
            && (content.shape.ty == TypeRef::Bytes || success.items.is_some())
        {
            return Returns::Streamed(success, content);
        }
        if let Some(name) = &self.success_enum {
            return Returns::PerStatus(name);
        }
        let mut bodies = self.success.iter().map(|success| success.body.as_ref());
        match bodies.clone().flatten().next() {
            None => Returns::Nothing,
            Some(content) if bodies.all(|body| body.is_some()) => Returns::Body(content),
            Some(content) => Returns::OptionalBody(content),
        }
    }

    /// The JSON pointer of its operation object: `#/paths/~1pets/get`.
    pub fn pointer(&self) -> String {
        crate::diagnostic::pointer("#/paths", &[self.path.as_str(), self.method.key()])
    }

    /// The bodies of its declared responses, successes then errors.
    pub fn response_bodies(&self) -> impl Iterator<Item = &Content> {
        let success = self
            .success
            .iter()
            .filter_map(|success| success.body.as_ref());
        let errors = self.errors.iter().filter_map(|error| error.body.as_ref());
        success.chain(errors)
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// A query pair.
    Query,
    /// A request header.
    Header,
    /// A cookie, in the request's one `Cookie` header.
    Cookie,
}

impl Location {
    /// As OpenAPI's `in` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// Where it is written: the component a `$ref` names, else its place
    /// in the operation's or the path item's `parameters`.
    pub pointer: String,
    /// Its setter's name, unique among the operation's inputs and clear of
    /// the builder's own methods.
    pub rust_name: String,
    /// Where it goes.
    pub location: Location,
    /// Must it be set.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// The server's default, shown in docs; the client sends nothing when unset.
    pub default: Option<serde_json::Value>,
    /// Its type and constraints.
    pub shape: Shape,
    /// For a query parameter the runtime writes by its `style`: an object,
    /// a map, a union with an array member, or an array that is not
    /// repeated (`explode: false`, `spaceDelimited`, `pipeDelimited`); for a
    /// header, an array, object, map or union (`simple`). `None` for one
    /// text, or an array sent as repeated pairs.
    pub styled: Option<QueryStyle>,
}

impl Param {
    /// How it is written on the wire, as OpenAPI names it (`form,
    /// exploded`, `pipeDelimited`, `simple`): what the spec diff compares.
    /// One value is written the same in every style, so it is `form,
    /// exploded` in a query and `simple` elsewhere whatever the spec says.
    pub fn written(&self) -> &'static str {
        match (self.styled, self.location) {
            (None | Some(QueryStyle::Form), Location::Query) => "form, exploded",
            (None, _) => "simple",
            (Some(QueryStyle::Form), _) => "form, exploded",
            (Some(QueryStyle::FormUnexploded), _) => "form",
            (Some(QueryStyle::SpaceDelimited), _) => "spaceDelimited",
            (Some(QueryStyle::PipeDelimited), _) => "pipeDelimited",
            (Some(QueryStyle::DeepObject), _) => "deepObject, exploded",
            (Some(QueryStyle::Simple { explode: true }), _) => "simple, exploded",
            (Some(QueryStyle::Simple { explode: false }), _) => "simple",
        }
    }
}

/// How a query or header parameter that is not one text is written:
/// OpenAPI's `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, exploded (the default).
    Form,
    /// `form` with `explode: false`.
    FormUnexploded,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
    /// `simple`, a header's only style: an array as `a,b`, an object as
    /// `k,v,k,v`, or as `k=v,k=v` when exploded.
    Simple {
        /// `explode`.
        explode: bool,
    },
}

/// The request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Must it be set.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// Its media type and schema.
    pub content: Content,
    /// How it goes on the wire, decided here once from its media type and
    /// shape.
    pub encoding: BodyEncoding,
    /// How a form's or multipart body's fields are written, from the media
    /// type's `encoding`, by property name; a field not listed takes the
    /// defaults (`form`, exploded; a part's type from its value).
    pub fields: std::collections::BTreeMap<String, FieldEncoding>,
    /// For a multipart body that is a list, the name of every item's part
    /// (`codegen.toml`'s `multipart_parts`).
    pub list_part: Option<String>,
}

/// One entry of a media type's `encoding`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldEncoding {
    /// A form field's `style` and `explode`, when not the default.
    pub style: Option<QueryStyle>,
    /// A multipart part's `contentType`.
    pub content_type: Option<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// A typed value as JSON (any `json` or `+json` media type).
    Json,
    /// A typed struct as `application/x-www-form-urlencoded`.
    Form,
    /// A typed struct as `multipart/form-data`, one part per field.
    Multipart,
    /// Octets sent as they are, under the declared media type.
    Bytes,
}

/// A media type with the shape of its JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// e.g. `application/vnd.atlas.preview+json`.
    pub media_type: String,
    /// The schema.
    pub shape: Shape,
}

/// One declared error status.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// The status or status class.
    pub status: StatusMatch,
    /// Its body; `None` for responses without content.
    pub body: Option<Content>,
    /// Whether the error enum holds the body in a `Box` ([`sizes`]).
    pub boxed: bool,
}

/// One success response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The status, e.g. 200.
    pub status: StatusMatch,
    /// The media type it declares, even without a schema (it still goes in `Accept`).
    pub media_type: Option<String>,
    /// Its body; `None` for responses without content.
    pub body: Option<Content>,
    /// The mock's method that answers with it: `responds` for the one
    /// success, `responds_<status>` for each of several. Named with the
    /// parameters' setters, which the mock has too, so they never meet.
    pub mock_method: String,
    /// Whether the success enum holds the body in a `Box` ([`sizes`]).
    pub boxed: bool,
    /// When the body is a sequence of items read as they arrive (then
    /// `body`'s shape is one item's), how they are framed. Only the one
    /// success of an operation streams.
    pub items: Option<ItemStream>,
}

/// A response read as a stream of typed items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStream {
    /// `text/event-stream` whose data is one text value (a string, a date).
    TextEvents,
    /// `text/event-stream` whose data is JSON.
    JsonEvents,
    /// JSON Lines / NDJSON.
    JsonLines,
    /// RFC 7464 JSON text sequences.
    JsonSequence,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A class such as `4XX`, stored as its first digit.
    Range(u16),
    /// `default`: every status the operation does not otherwise declare.
    Default,
}

impl StatusMatch {
    /// Its key in an operation's `responses`: `404`, `4XX`, `default`.
    pub fn key(self) -> String {
        match self {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(class) => format!("{class}XX"),
            StatusMatch::Default => "default".to_owned(),
        }
    }

    /// Its variant in an enum of responses that differ by status:
    /// `Status404`, `Status4XX` for a class, `Other` for `default`. Unique,
    /// since an operation declares each status once.
    pub fn variant_name(self) -> String {
        match self {
            StatusMatch::Code(code) => format!("Status{code}"),
            StatusMatch::Range(range) => format!("Status{range}XX"),
            StatusMatch::Default => "Other".to_owned(),
        }
    }
}

/// A type with the constraints that apply where it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The type.
    pub ty: TypeRef,
    /// `nullable: true`.
    pub nullable: bool,
    /// Constraints on the value.
    pub constraints: Constraints,
}

impl Shape {
    /// Adds the named type it is, at any depth of lists and maps, to `out`.
    pub fn named(&self, out: &mut Vec<TypeId>) {
        match &self.ty {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::Array(items) | TypeRef::Map(items) => items.named(out),
            _ => {}
        }
    }
}

/// A Rust-level type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `string` of any format but `password`.
    String,
    /// `string` with `format: password` or `x-sensitive: true`: a secret.
    Password,
    /// `integer`; 32 or 64 bits.
    Integer(u8),
    /// `number`; 32 or 64 bits.
    Number(u8),
    /// `boolean`.
    Boolean,
    /// `string` with `format: date-time`: an instant, RFC 3339 on the wire.
    DateTime,
    /// `string` with `format: date`: a calendar date, `YYYY-MM-DD`.
    Date,
    /// `string` with `format: uuid`.
    Uuid,
    /// `string` with `format: binary`: octets (`client_runtime::Binary`),
    /// a file part of its own in a `multipart/form-data` body.
    Binary,
    /// A schema without a type: any JSON value.
    Any,
    /// A generated type, by its place in [`Api::types`].
    Named(TypeId),
    /// `array`.
    Array(Box<Shape>),
    /// `object` with only `additionalProperties`.
    Map(Box<Shape>),
    /// A whole body in a media type that is not JSON (gzip, csv): raw bytes.
    Bytes,
}

impl TypeRef {
    /// A built-in type that is one value written as text (a parameter, a
    /// form field): a string, secret, number, boolean, date or uuid.
    pub fn is_text_value(&self) -> bool {
        matches!(
            self,
            TypeRef::String
                | TypeRef::Password
                | TypeRef::Integer(_)
                | TypeRef::Number(_)
                | TypeRef::Boolean
                | TypeRef::DateTime
                | TypeRef::Date
                | TypeRef::Uuid
        )
    }
}

/// A numeric bound as the spec writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// On an integer.
    Integer(i64),
    /// On a number.
    Number(f64),
}

/// JSON Schema validation keywords the client enforces on requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minimum`, and whether it is exclusive.
    pub minimum: Option<(Bound, bool)>,
    /// `maximum`, and whether it is exclusive.
    pub maximum: Option<(Bound, bool)>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
}

impl Constraints {
    /// True when there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A named type to generate: what its schema says (`schema.rs`), and
/// `decided`, what the passes that see every type decide about it: `()`
/// until they have run.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef<D = TypeDecisions> {
    /// The Rust name.
    pub name: String,
    /// `description`, or `title` when there is no description.
    pub description: Option<String>,
    /// `deprecated`: the API means to stop accepting or sending it.
    pub deprecated: bool,
    /// Where the schema is, for the docs and for diagnostics.
    pub pointer: String,
    /// What it is.
    pub kind: TypeKind,
    /// What was decided from every type ([`TypeDecisions`]).
    pub decided: D,
}

/// What the model decides about a named type once every type is made,
/// each by the pass named.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeDecisions {
    /// The module and file (`types/<module>.rs`) it is written in, unique
    /// among the types (`mod.rs`).
    pub module: String,
    /// One value on the wire (an enum, a newtype of a string, number or
    /// boolean, a union of such): it gets `Display` and may be a parameter
    /// (`traits.rs`).
    pub scalar: bool,
    /// It implements `Validate`: an enum, or a type with something to
    /// check in itself or in what it holds (`traits.rs`).
    pub validated: bool,
    /// Derives the configuration adds (`derives.rs`), sorted.
    pub derives: Vec<crate::config::Derive>,
    /// With features per tag: the features it is compiled under (any of
    /// them); empty when it always is (`tag_features.rs`).
    pub features: Vec<String>,
}

impl<D> TypeDef<D> {
    /// The named types it holds (fields, members, a newtype's contents),
    /// at any depth of lists and maps.
    pub fn holds(&self) -> Vec<TypeId> {
        let mut out = Vec::new();
        match &self.kind {
            TypeKind::Struct(object) => {
                object.fields.iter().for_each(|f| f.shape.named(&mut out));
            }
            TypeKind::Union(variants) => variants.iter().for_each(|v| v.shape.named(&mut out)),
            TypeKind::Newtype(shape) => shape.named(&mut out),
            TypeKind::Enum(_)
            | TypeKind::IntegerEnum(_)
            | TypeKind::NumberEnum(_)
            | TypeKind::Replaced(_) => {}
        }
        out
    }
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum, values in the spec's order (each once), with their
    /// variant names.
    Enum(Vec<EnumValue>),
    /// An integer enum, values in the spec's order, with their variant names.
    IntegerEnum(Vec<EnumValue<i64>>),
    /// A number enum with a value that is not whole (lichess's clock times
    /// in minutes, `0.25`), values in the spec's order, with their variant
    /// names.
    NumberEnum(Vec<EnumValue<f64>>),
    /// `oneOf` or `anyOf`: one of several shapes, tried in order.
    Union(Vec<Variant>),
    /// Any other schema given a name: a newtype around it.
    Newtype(Shape),
    /// A schema the configuration gives as a Rust type of its own
    /// (`[replace]`): an alias of that type's path.
    Replaced(String),
}

/// One value of an enum: a string, an integer or a number.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue<T = String> {
    /// As on the wire.
    pub value: T,
    /// The Rust variant: the spec's name for it (`x-enum-varnames`,
    /// `x-enumNames`), else one made from the value (`Red`, `V3`,
    /// `Minus0_5`); unique in its enum, and never `Unknown`, which holds
    /// the values the crate does not know, or `Unchecked`, which sends one.
    pub rust_name: String,
    /// What the spec says it means (`x-enum-descriptions`).
    pub description: Option<String>,
}

/// One alternative of a `oneOf` or `anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The Rust variant name: the referenced type's name, or the kind of value.
    pub name: String,
    /// Its shape.
    pub shape: Shape,
    /// With a `discriminator`: its property, and the values of it that
    /// select this member (the `mapping` entries naming it, or its
    /// component name).
    pub discriminator: Option<(String, Vec<String>)>,
    /// Whether it is held in a `Box`: a large alternative is, so that the
    /// enum is not as large as it ([`sizes`]).
    pub boxed: bool,
}

/// An object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// In the spec's order.
    pub fields: Vec<Field>,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON name.
    pub name: String,
    /// Where the property is written when not in its type's own
    /// `properties` (an `allOf` member's, or the object's `required` for
    /// one only required there); see [`Field::pointer`]. Kept only then,
    /// for regen's peak memory.
    pub written_elsewhere: Option<String>,
    /// The Rust field name, unique in its struct (`start_time`, then
    /// `start_time_2` for `StartTime<`, in the spec's order).
    pub rust_name: String,
    /// The method that sets it when it is not one of the constructor's
    /// arguments (`with_start_time`), unique in its struct.
    pub setter: String,
    /// `description`.
    pub description: Option<String>,
    /// Listed in `required`.
    pub required: bool,
    /// `readOnly`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly`: sent by the client only.
    pub write_only: bool,
    /// `readOnly` in a type that requests carry: they leave it out, so it
    /// is an `Option` that `new` does not take (`directions.rs`).
    pub omitted_from_requests: bool,
    /// `writeOnly` in a type that responses carry: they leave it out, so
    /// it is an `Option`, which `new` still fills when it is required.
    pub omitted_from_responses: bool,
    /// Optional and nullable in a type a `PATCH` or `PUT` body carries,
    /// where leaving a field out (keep it) and sending `null` (clear it)
    /// differ: an `Option<Option<T>>`, with `null_setter` for the `null`.
    pub tri_state: bool,
    /// The method that sets it to `null` when `tri_state`
    /// (`with_tag_null`), unique in its struct.
    pub null_setter: String,
    /// A required `writeOnly` field held as an `Option` whose `None` can
    /// only mean unset (its type holds no `null`): a request without it is
    /// refused before sending.
    pub unset_is_refused: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// Its type and constraints.
    pub shape: Shape,
    /// Held in a `Box`: the type it holds inline holds this struct back,
    /// which would otherwise have no finite size.
    pub boxed: bool,
}

impl Field {
    /// Where the property is written, in the type whose schema is at `owner`.
    pub fn pointer(&self, owner: &str) -> String {
        self.written_elsewhere
            .clone()
            .unwrap_or_else(|| crate::diagnostic::pointer(owner, &["properties", &self.name]))
    }

    /// Whether the struct holds it as an `Option`: not required, nullable,
    /// or left out by one direction its type travels in (a `readOnly`
    /// field by requests, a `writeOnly` one by responses).
    pub fn is_option(&self) -> bool {
        !self.required
            || (self.shape.nullable && self.shape.ty != TypeRef::Any)
            || self.omitted_from_requests
            || self.omitted_from_responses
    }

    /// Whether `new` takes it: required, and not a `readOnly` field that
    /// requests leave out (the server's to set).
    pub fn in_constructor(&self) -> bool {
        self.required && !self.omitted_from_requests
    }
}

/// Builds the model from a validated spec. When `lenient`, an operation that
/// cannot be represented is skipped with its reasons instead of failing the
/// whole run, and a schema that cannot be typed becomes any JSON value.
/// Properties the configuration names `sensitive` become secrets, and
/// `broken_patterns` (lenient mode's, from validation) are left unchecked.
/// The document's paths are taken out of `spec` and dropped one path item
/// at a time as their operations are built, which keeps regen's peak memory
/// down; the rest of the document is left as it was.
pub fn build(
    spec: &mut LoadedSpec,
    broken_patterns: &BTreeSet<String>,
    config: &Config,
    settings: &Settings,
) -> Result<Api, Error> {
    let paths = std::mem::take(&mut spec.document.paths.paths);
    let spec: &LoadedSpec = spec;
    let lenient = settings.lenient;
    let mut types = schema::TypeRegistry::new(
        spec,
        broken_patterns,
        SensitiveProperties::new(&config.sensitive),
        lenient,
    );
    types.add_components();
    // Before operations are built: a parameter of a replaced schema is
    // written from its JSON form, not as the text of a generated scalar.
    let replacement_crates =
        replace(&mut types, &config.replace).map_err(crate::Error::Settings)?;
    let mut skipped = Vec::new();
    let operations = operation::build_all(
        spec,
        paths,
        &mut types,
        lenient,
        &config.media_types.unstable,
        &config.multipart_parts,
        &mut skipped,
    );
    let schema::Finished {
        types: mut type_defs,
        problems,
        warnings,
    } = types.finish();
    let mut found = Diagnostics::new(lenient);
    found.extend(warnings);
    found.extend(problems);
    for (at, message) in unions::break_self_references(&mut type_defs) {
        found.push(spec.diagnostic(Code::UnionSelfReference, &at, message));
    }
    directions::decide(&mut type_defs, &operations);
    let (paging, paging_problems, paging_warnings) =
        paging::recognize(&operations, &type_defs, config.pagination.as_ref());
    for (at, message) in paging_problems {
        found.push(spec.diagnostic(Code::PaginationRule, &at, message));
    }
    for (at, message) in paging_warnings {
        found.push(spec.diagnostic(Code::ConfigUnmatched, &at, message));
    }
    spec.locate(
        found.all_mut().chain(
            skipped
                .iter_mut()
                .flat_map(|skip: &mut Skipped| &mut skip.reasons),
        ),
    );
    found.dedup();
    let warnings = found.finish()?;
    let (operations, type_defs, tag_features) = decide(operations, paging, type_defs, config)?;
    let info = &spec.document.info;
    let (token_path, revoke_path) = security::client_credentials(spec);
    // The token asks for every scope an operation needs: one token serves
    // every call.
    let scopes: std::collections::BTreeSet<&str> = operations
        .iter()
        .flat_map(|operation| operation.scopes.iter().map(String::as_str))
        .collect();
    let token_scopes = (token_path.is_some() && !scopes.is_empty())
        .then(|| scopes.into_iter().collect::<Vec<_>>().join(" "));
    let mut api = Api {
        tag_features,
        default_features: config.features.default,
        package: package(&config.package, &info.title),
        runtime: config
            .runtime
            .clone()
            .unwrap_or_else(|| settings.runtime.clone()),
        envelope: config.envelope.clone(),
        rate_limit_headers: config.rate_limit_headers.clone(),
        env: config.env.clone(),
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        default_server: spec
            .document
            .servers
            .first()
            .map(|server| server.url.clone()),
        token_path,
        revoke_path,
        token_scopes,
        schemes: security::schemes(spec, &config.package.name),
        operations,
        types: type_defs,
        skipped,
        warnings,
        runtime_features: Vec::new(),
        replacement_crates,
    };
    api.runtime_features = features::runtime_features(&api);
    Ok(api)
}

/// Puts the operations in operationId order and the types in name order,
/// runs the passes that read all of them (names, traits, derives, boxes,
/// modules, features), and gives each operation and type what was decided
/// about it; with the cargo features per tag.
fn decide(
    operations: Vec<Operation<()>>,
    paging: Vec<Option<Paging>>,
    mut type_defs: Types<()>,
    config: &Config,
) -> Result<(Vec<Operation>, Types, Vec<tag_features::TagFeature>), Error> {
    let mut operations: Vec<_> = operations.into_iter().zip(paging).collect();
    operations.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let (mut operations, mut paging): (Vec<_>, Vec<_>) = operations.into_iter().unzip();
    let names = name_operations(&operations);
    let moves = type_defs.sort_by_name();
    let mut renumber = |shape: &mut Shape| moves.shape(shape);
    for operation in &mut operations {
        operation.shapes_mut(&mut renumber);
    }
    for paging in paging.iter_mut().flatten() {
        paging.shapes_mut(&mut renumber);
    }
    let traits = traits::decide(&mut type_defs);
    let mut derives =
        derives::decide(&type_defs, &config.derives).map_err(crate::Error::Settings)?;
    sizes::box_large(&mut type_defs, &mut operations);
    // Names unique in camel case can still meet in snake case; `types`
    // itself is taken, since `types::types` is clippy's module inception.
    let mut modules = std::collections::BTreeSet::from(["types".to_owned()]);
    let modules: Vec<String> = type_defs
        .iter()
        .map(|def| crate::names::unique_in(&mut modules, field_name(&def.name)))
        .collect();
    let (tag_features, features) = if config.features.per_tag {
        tag_features::decide(&operations, &type_defs)
    } else {
        let none = tag_features::Features::none(&operations, &type_defs);
        (Vec::new(), none)
    };
    let type_defs = type_defs.decided(|id| TypeDecisions {
        module: modules[id.index()].clone(),
        scalar: traits.scalar.contains(&id),
        validated: traits.validated.contains(&id),
        derives: derives.remove(&id).unwrap_or_default(),
        features: features.of_types[id.index()].clone(),
    });
    let operations = operations
        .into_iter()
        .zip(names)
        .zip(paging)
        .zip(features.of_operations)
        .map(
            |(((operation, (rust_method, rust_type)), paging), feature)| {
                let envelope_parameter = envelope_parameter(&operation, config.envelope.as_ref());
                operation.decided(OperationDecisions {
                    rust_method,
                    rust_type,
                    paging,
                    feature,
                    envelope_parameter,
                })
            },
        )
        .collect();
    Ok((operations, type_defs, tag_features))
}

/// The operation's boolean query parameter that asks for the API's
/// envelope, when it has the one the configuration names.
fn envelope_parameter(
    operation: &Operation<()>,
    envelope: Option<&crate::config::EnvelopeConfig>,
) -> Option<ParamId> {
    operation
        .query_param(&envelope?.parameter)
        .filter(|(_, param)| param.shape.ty == TypeRef::Boolean)
        .map(|(id, _)| id)
}

/// The Rust method and builder names of the operations, in their order
/// (operationId order), decided once and unique: the first keeps the plain
/// name, the next gets `_2`.
fn name_operations(operations: &[Operation<()>]) -> Vec<(String, String)> {
    // The operations module exports the builders beside the operations'
    // response and error enums, whose names are taken already.
    let mut types: std::collections::BTreeSet<String> = operations
        .iter()
        .flat_map(|operation| [&operation.success_enum, &operation.error_enum])
        .flatten()
        .cloned()
        .collect();
    let mut methods: std::collections::BTreeSet<String> = crate::names::RESERVED_METHODS
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    operations
        .iter()
        .map(|operation| {
            let base = field_name(&operation.id);
            let base = if crate::names::RESERVED_METHODS.contains(&base.as_str()) {
                format!("{base}_operation")
            } else {
                base
            };
            let method = crate::names::unique_in(&mut methods, base);
            // Type names take the counter without `_`: `GetPet2`.
            let builder =
                crate::names::unique_in(&mut types, crate::names::builder_name(&operation.id));
            (method, builder)
        })
        .collect()
}
