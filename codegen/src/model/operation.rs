//! Operations: parameters, request bodies and responses.

use indexmap::IndexMap;
use openapiv3::{
    Components, MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, Response,
    StatusCode,
};

use super::schema::TypeRegistry;
use super::{
    BodyEncoding, Content, DeclaredPaging, ErrorResponse, FieldEncoding, ItemStream, Location,
    Operation, Param, QueryStyle, RequestBody, Shape, Skipped, StatusMatch, Success, TypeRef,
};
use crate::diagnostic::{Code, pointer};
use crate::http_method::HttpMethod;
use crate::load::LoadedSpec;
use crate::media::Sequence;
use crate::names::{field_name, type_name};
use crate::path_template::PathTemplate;

/// Builds every operation of `paths` (the spec's, taken out of it), in
/// document order, dropping each path item once its operations are built:
/// the model grows as the document shrinks, which keeps regen's peak memory
/// down (docs/BENCHMARKS.md). Problems go to the registry, or, when
/// `lenient`, make the operation skipped with its reasons.
pub fn build_all<'a>(
    spec: &'a LoadedSpec,
    paths: IndexMap<String, ReferenceOr<PathItem>>,
    types: &mut TypeRegistry<'a>,
    lenient: bool,
    unstable: &[String],
    list_parts: &std::collections::BTreeMap<String, String>,
    skipped: &mut Vec<Skipped>,
) -> Vec<Operation<()>> {
    let components = spec.document.components.as_ref();
    let any_declared = super::security::declares_requirements(spec, &paths);
    let mut operations = Vec::new();
    for (path, item) in paths {
        let path = &path;
        let item_at = pointer("#/paths", &[path]);
        let ReferenceOr::Item(item) = item else {
            types.problem(
                Code::PathItemRef,
                &item_at,
                "path item `$ref`s are not supported; write the operations inline",
            );
            continue;
        };
        for (key, operation) in item.iter() {
            // openapiv3's path item holds only the eight methods.
            let Some(method) = HttpMethod::from_key(key) else {
                continue;
            };
            let at = pointer(&item_at, &[key]);
            // Validation refused a missing id unless lenient, which derives one.
            let id = match &operation.operation_id {
                Some(id) => id.clone(),
                None if lenient => crate::names::derived_operation_id(key, path),
                None => continue,
            };
            let before = types.problem_count();
            let builder = OperationBuilder {
                types: &mut *types,
                unstable,
                list_part: list_parts.get(&id).map(String::as_str),
                components,
                item_at: &item_at,
                at: &at,
                hint: type_name(&id),
            };
            let security =
                super::security::of_operation(spec, operation.security.as_ref(), any_declared);
            let built = builder.build(id.clone(), method, path, &item, operation, security);
            if lenient && types.problem_count() > before {
                let reasons = types.take_problems_since(before);
                skipped.push(Skipped {
                    operation: id,
                    reasons,
                });
            } else if let Some(built) = built {
                operations.push(built);
            }
        }
    }
    operations
}

/// Builds one operation. `'a` is the spec's lifetime, `'p` its path item's,
/// which is dropped once its operations are built.
struct OperationBuilder<'r, 'a, 'p> {
    types: &'r mut TypeRegistry<'a>,
    /// Marks of media-type versions that are the default only when alone.
    unstable: &'r [String],
    /// The part name `codegen.toml` gives a multipart body that is a list.
    list_part: Option<&'r str>,
    components: Option<&'p Components>,
    item_at: &'r str,
    at: &'r str,
    hint: String,
}

impl<'a: 'p, 'p> OperationBuilder<'_, 'a, 'p> {
    fn build(
        mut self,
        id: String,
        method: HttpMethod,
        path: &str,
        item: &'p PathItem,
        operation: &'p openapiv3::Operation,
        (security, scopes): (super::security::OperationSecurity, Vec<String>),
    ) -> Option<Operation<()>> {
        let path = PathTemplate::parse(path);
        if !operation.callbacks.is_empty() {
            // A client sends requests; callbacks are requests the API sends.
            self.types.warn(
                Code::ServerRequests,
                &pointer(self.at, &["callbacks"]),
                "callbacks are not generated: they are requests the API sends, which a client does not receive",
            );
        }
        let mut params = self.params(&path, item, operation);
        let body = operation
            .request_body
            .as_ref()
            .and_then(|body| self.body(body));
        let (mut success, errors) = self.responses(&operation.responses)?;
        name_setters(&mut params, &mut success);
        let versions = self.versions(operation);
        let mut accept: Vec<String> = success
            .iter()
            .filter_map(|s| s.media_type.clone())
            .collect();
        accept.dedup();
        let accept = (!accept.is_empty()).then(|| accept.join(", "));
        let mut bodies: Vec<&Content> = success.iter().filter_map(|s| s.body.as_ref()).collect();
        bodies.dedup();
        let success_enum =
            (bodies.len() > 1).then(|| self.types.reserve_name(&format!("{}Response", self.hint)));
        let error_enum = errors
            .iter()
            .any(|error| error.body != errors[0].body)
            .then(|| self.types.reserve_name(&format!("{}Error", self.hint)));
        // Only a GET's event stream is requested again after a drop: the
        // server-sent events rule resends the request, which only a safe
        // method may repeat unasked.
        let resumable = method == HttpMethod::Get
            && matches!(
                success.as_slice(),
                [Success {
                    items: Some(ItemStream::TextEvents | ItemStream::JsonEvents),
                    ..
                }]
            );
        Some(Operation {
            resumable,
            id,
            method,
            path,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            params,
            body,
            success,
            success_enum,
            errors,
            error_enum,
            accept,
            versions,
            tags: operation.tags.clone(),
            declared_paging: self.declared_paging(operation),
            security,
            scopes,
            decided: (),
        })
    }

    fn params(
        &mut self,
        path: &PathTemplate,
        item: &'p PathItem,
        operation: &'p openapiv3::Operation,
    ) -> Vec<Param> {
        // Operation-level parameters override path-level ones with the same name and location.
        // Each with its place in the list and where it is written.
        let mut declared: IndexMap<(String, &'static str), (String, String, &'p Parameter)> =
            IndexMap::new();
        let lists = [
            (self.item_at.to_owned(), &item.parameters),
            (self.at.to_owned(), &operation.parameters),
        ];
        for (base, list) in lists {
            for (index, parameter) in list.iter().enumerate() {
                let at = pointer(&base, &["parameters", &index.to_string()]);
                match self.resolve_parameter(parameter) {
                    Some(resolved) => {
                        let data = resolved.parameter_data_ref();
                        let written = match parameter {
                            ReferenceOr::Reference { reference } => reference.clone(),
                            ReferenceOr::Item(_) => at.clone(),
                        };
                        declared.insert(
                            (data.name.clone(), location_name(resolved)),
                            (at, written, resolved),
                        );
                    }
                    None => self.types.problem(
                        Code::RefWrongSection,
                        &at,
                        "parameter `$ref` must point at #/components/parameters/NAME",
                    ),
                }
            }
        }
        let mut params: Vec<Param> = declared
            .into_values()
            .filter_map(|(at, written, parameter)| self.param(&at, written, parameter))
            .collect();
        let template: Vec<&str> = path.names().collect();
        let rank = |param: &Param| match param.location {
            Location::Path => template
                .iter()
                .position(|name| *name == param.name)
                .unwrap_or(0),
            Location::Query => template.len(),
            Location::Header => template.len() + 1,
            Location::Cookie => template.len() + 2,
        };
        params.sort_by_key(rank);
        params
    }

    fn param(&mut self, at: &str, written: String, parameter: &'p Parameter) -> Option<Param> {
        let data = parameter.parameter_data_ref();
        let location = match parameter {
            Parameter::Path { .. } => Location::Path,
            Parameter::Query { .. } => Location::Query,
            Parameter::Header { .. } => Location::Header,
            Parameter::Cookie { .. } => {
                if !is_cookie_name(&data.name) {
                    self.types.problem(
                        Code::CookieParameter,
                        at,
                        format!(
                            "cookie parameter `{}`: a cookie name is a token (RFC 6265): letters, digits and ``!#$%&'*+-.^_`|~`` only",
                            data.name.escape_debug()
                        ),
                    );
                    return None;
                }
                Location::Cookie
            }
        };
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            self.types.problem(
                Code::ParameterContent,
                at,
                format!(
                    "parameter `{}` uses `content`; only `schema` is supported",
                    data.name
                ),
            );
            return None;
        };
        let hint = format!("{}{}", self.hint, type_name(&data.name));
        let shape = self.types.shape(schema, &pointer(at, &["schema"]), &hint);
        let styled = match parameter {
            Parameter::Query { style, .. } => {
                let style = match style {
                    openapiv3::QueryStyle::Form if data.explode == Some(false) => {
                        QueryStyle::FormUnexploded
                    }
                    openapiv3::QueryStyle::Form => QueryStyle::Form,
                    openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                };
                // Anything else the runtime writes from its JSON form.
                let repeated = style == QueryStyle::Form && self.is_simple(&shape, true);
                (!self.is_simple(&shape, false) && !repeated).then_some(style)
            }
            _ if self.is_simple(&shape, false) => None,
            // A list in a path segment, `simple` style: its items joined
            // by commas (Elasticsearch's `{index}`). Exploded, the same.
            Parameter::Path {
                style: openapiv3::PathStyle::Simple,
                ..
            } if self.is_simple(&shape, true) => Some(QueryStyle::Simple {
                explode: data.explode == Some(true),
            }),
            // One value or a list of them (Elasticsearch's `Indices`: an
            // index name or several), written from its JSON form.
            Parameter::Path {
                style: openapiv3::PathStyle::Simple,
                ..
            } if self.types.variants_of(&shape).is_some_and(|variants| {
                variants
                    .iter()
                    .all(|variant| self.is_simple(&variant.shape, true))
            }) =>
            {
                Some(QueryStyle::Simple {
                    explode: data.explode == Some(true),
                })
            }
            // A header's `simple` style writes any value the runtime can
            // serialize; a path parameter has to be one segment of text.
            Parameter::Header { .. } => Some(QueryStyle::Simple {
                explode: data.explode == Some(true),
            }),
            // A cookie's `form` style without `explode` is one pair,
            // `name=a,b,c`; exploded (the default) it would be pairs that
            // no cookie header can hold.
            Parameter::Cookie { .. } if data.explode == Some(false) => {
                Some(QueryStyle::FormUnexploded)
            }
            Parameter::Cookie { .. } => {
                self.types.problem(
                    Code::CookieParameter,
                    at,
                    format!(
                        "cookie parameter `{}` is a list or an object: only `explode: false` writes it as one cookie (`name=a,b`)",
                        data.name
                    ),
                );
                return None;
            }
            _ => {
                self.types.problem(
                    Code::PathParameterType,
                    at,
                    format!(
                        "path parameter `{}` must be a string, number, boolean, string enum, or a list of them in the `simple` style",
                        data.name
                    ),
                );
                return None;
            }
        };
        // A default that does not fit its type was reported by `shape`; docs leave it out.
        let default = self
            .types
            .resolve(schema)
            .and_then(|schema| schema.schema_data.default.clone())
            .filter(|default| match &shape.ty {
                TypeRef::Boolean => default.is_boolean(),
                TypeRef::Integer(_) => default.is_i64() || default.is_u64(),
                TypeRef::Number(_) => default.is_number(),
                TypeRef::String
                | TypeRef::Password
                | TypeRef::DateTime
                | TypeRef::Date
                | TypeRef::Uuid
                | TypeRef::Binary => default.is_string(),
                _ => true,
            });
        Some(Param {
            name: data.name.clone(),
            pointer: written,
            rust_name: String::new(),
            location,
            required: data.required || location == Location::Path,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            default,
            shape,
            styled,
        })
    }

    /// Can the shape be written as one parameter value (or, with
    /// `allow_array`, repeated values)?
    fn is_simple(&self, shape: &Shape, allow_array: bool) -> bool {
        match &shape.ty {
            TypeRef::Named(id) => self.types.is_scalar(*id),
            TypeRef::Array(items) => allow_array && self.is_simple(items, false),
            ty => ty.is_text_value(),
        }
    }

    fn body(&mut self, body: &'p ReferenceOr<openapiv3::RequestBody>) -> Option<RequestBody> {
        let at = pointer(self.at, &["requestBody"]);
        // Where the body is written, for what the typed document lost.
        let written_at = match body {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => at.clone(),
        };
        let body = match body {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                match lookup(
                    reference,
                    "#/components/requestBodies/",
                    |c| &c.request_bodies,
                    self.components,
                ) {
                    Some(body) => body,
                    None => {
                        self.types.problem(
                            Code::RefWrongSection,
                            &at,
                            "request body `$ref` must point at #/components/requestBodies/NAME",
                        );
                        return None;
                    }
                }
            }
        };
        let hint = format!("{}Body", self.hint);
        // A form of typed fields when the body offers no JSON.
        let form = body
            .content
            .iter()
            .find(|(media_type, _)| {
                crate::media::is_form(media_type) || crate::media::is_multipart(media_type)
            })
            .filter(|_| {
                !body
                    .content
                    .keys()
                    .any(|media_type| crate::media::is_json(media_type))
            });
        if let Some((media_type, media)) = form
            && let Some(schema) = &media.schema
        {
            let at = pointer(&at, &["content", media_type, "schema"]);
            let shape = self.types.shape(schema, &at, &hint);
            if crate::media::is_multipart(media_type)
                && let (TypeRef::Array(_), Some(part)) = (&shape.ty, self.list_part)
            {
                return Some(RequestBody {
                    required: body.required,
                    description: body.description.clone(),
                    content: Content {
                        media_type: media_type.clone(),
                        shape,
                    },
                    encoding: BodyEncoding::Multipart,
                    fields: Default::default(),
                    list_part: Some(part.to_owned()),
                });
            }
            if crate::media::is_multipart(media_type)
                && !self.types.is_struct(&shape)
                && !self.types.is_union_of_structs(&shape)
            {
                // Another way to send it (`*/*`, an octet stream) is taken as bytes.
                if let Some(other) = body.content.keys().find(|media_type| {
                    !crate::media::is_form(media_type) && !crate::media::is_multipart(media_type)
                }) {
                    let media_type = if other.contains('*') {
                        "application/octet-stream".to_owned()
                    } else {
                        other.clone()
                    };
                    return Some(RequestBody {
                        required: body.required,
                        description: body.description.clone(),
                        content: Content {
                            media_type,
                            shape: Shape {
                                ty: TypeRef::Bytes,
                                nullable: false,
                                constraints: Default::default(),
                            },
                        },
                        encoding: BodyEncoding::Bytes,
                        fields: Default::default(),
                        list_part: None,
                    });
                }
                self.types.problem(
                    Code::FormBody,
                    &at,
                    if matches!(shape.ty, TypeRef::Array(_)) {
                        "a `multipart/form-data` body that is a list names no part: give the name its items are sent under in `codegen.toml`, `[multipart_parts]` with this operation's id"
                    } else {
                        "a `multipart/form-data` body must be an object, whose properties are the parts, or a `oneOf` of objects"
                    },
                );
                return None;
            }
            let encoding = if crate::media::is_multipart(media_type) {
                BodyEncoding::Multipart
            } else {
                BodyEncoding::Form
            };
            let spec = self.types.spec();
            let fields = media
                .encoding
                .iter()
                .map(|(name, field)| {
                    // The typed document reads a missing `explode` as false;
                    // the text tells a written one apart (rarely asked).
                    let written = (!field.explode)
                        .then(|| {
                            let at = pointer(
                                &written_at,
                                &["content", media_type, "encoding", name, "explode"],
                            );
                            spec.tree().pointer(at.trim_start_matches('#'))?.as_bool()
                        })
                        .flatten();
                    (name.clone(), field_encoding(field, written))
                })
                .filter(|(_, field)| *field != FieldEncoding::default())
                .collect();
            return Some(RequestBody {
                required: body.required,
                description: body.description.clone(),
                content: Content {
                    media_type: media_type.clone(),
                    shape,
                },
                encoding,
                fields,
                list_part: None,
            });
        }
        let content = self.content(&body.content, &pointer(&at, &["content"]), &hint);
        match content {
            Some((media_type, Some(shape))) => Some(RequestBody {
                required: body.required,
                description: body.description.clone(),
                // `content` gives a typed shape only to JSON.
                encoding: if shape.ty == TypeRef::Bytes {
                    BodyEncoding::Bytes
                } else {
                    BodyEncoding::Json
                },
                content: Content { media_type, shape },
                fields: Default::default(),
                list_part: None,
            }),
            Some((media_type, None)) => {
                self.types.problem(
                    Code::BodyWithoutSchema,
                    &at,
                    format!("request body `{media_type}` has no schema"),
                );
                None
            }
            None => None,
        }
    }

    /// The one JSON media type of a content map and its shape.
    /// The media type a content map is used with, and its shape: the JSON
    /// one (the newest version when there are several), else the first one
    /// as raw bytes. `None` for an empty map.
    fn content(
        &mut self,
        content: &'p IndexMap<String, MediaType>,
        at: &str,
        hint: &str,
    ) -> Option<(String, Option<Shape>)> {
        if let Some((media_type, media)) = newest_first(content, self.unstable).first() {
            let shape = media.schema.as_ref().map(|schema| {
                self.types
                    .shape(schema, &pointer(at, &[media_type, "schema"]), hint)
            });
            return Some(((*media_type).clone(), shape));
        }
        let (media_type, _) = content.iter().next()?;
        let bytes = Shape {
            ty: TypeRef::Bytes,
            nullable: false,
            constraints: Default::default(),
        };
        Some((media_type.clone(), Some(bytes)))
    }

    /// [`Self::content`] of a response, where a `text/*` body (no JSON
    /// offered) is its text: a `String`, decoded by its charset; and where,
    /// without JSON, a sequence of items (server-sent events, JSON Lines)
    /// is a stream of them, its schema one item's (or, for an array, its
    /// items').
    fn response_content(
        &mut self,
        content: &'p IndexMap<String, MediaType>,
        at: &str,
        hint: &str,
    ) -> Option<(String, Option<Shape>, Option<ItemStream>)> {
        let sequence = crate::media::used_in_response(
            content
                .iter()
                .map(|(media_type, media)| (media_type.as_str(), media)),
            self.unstable,
        )
        .and_then(|(media_type, media)| {
            Some((media_type, media, crate::media::sequence(media_type)?))
        });
        if let Some((media_type, media, sequence)) = sequence {
            let shape = match &media.schema {
                Some(schema) => {
                    let shape =
                        self.types
                            .shape(schema, &pointer(at, &[media_type, "schema"]), hint);
                    match shape.ty {
                        TypeRef::Array(items) => *items,
                        _ => shape,
                    }
                }
                None => Shape {
                    ty: if sequence == Sequence::Events {
                        TypeRef::String
                    } else {
                        TypeRef::Any
                    },
                    nullable: false,
                    constraints: Default::default(),
                },
            };
            let items = match sequence {
                Sequence::Events
                    if matches!(
                        shape.ty,
                        TypeRef::String
                            | TypeRef::Password
                            | TypeRef::DateTime
                            | TypeRef::Date
                            | TypeRef::Uuid
                    ) =>
                {
                    ItemStream::TextEvents
                }
                Sequence::Events => ItemStream::JsonEvents,
                Sequence::JsonLines => ItemStream::JsonLines,
                Sequence::JsonSequence => ItemStream::JsonSequence,
            };
            return Some((media_type.to_owned(), Some(shape), Some(items)));
        }
        let (media_type, shape) = self.content(content, at, hint)?;
        let shape = match shape {
            Some(shape) if shape.ty == TypeRef::Bytes && crate::media::is_text(&media_type) => {
                Some(Shape {
                    ty: TypeRef::String,
                    nullable: false,
                    constraints: Default::default(),
                })
            }
            shape => shape,
        };
        Some((media_type, shape, None))
    }

    fn responses(
        &mut self,
        responses: &'p openapiv3::Responses,
    ) -> Option<(Vec<Success>, Vec<ErrorResponse>)> {
        let at = pointer(self.at, &["responses"]);
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let several_successes = responses
            .responses
            .keys()
            .filter(|status| matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2)))
            .count()
            > 1;
        for (status, response) in &responses.responses {
            let status_at = pointer(&at, &[&status.to_string()]);
            let Some(response) = self.resolve_response(response) else {
                let (code, message) = response_ref_problem(response);
                self.types.problem(code, &status_at, message);
                continue;
            };
            let matcher = match status {
                StatusCode::Code(code) => StatusMatch::Code(*code),
                StatusCode::Range(range) => StatusMatch::Range(*range),
            };
            let is_success = match matcher {
                StatusMatch::Code(code) => (200..300).contains(&code),
                StatusMatch::Range(range) => range == 2,
                StatusMatch::Default => false,
            };
            let hint = if is_success && several_successes {
                format!("{}Response{status}", self.hint)
            } else if is_success {
                format!("{}Response", self.hint)
            } else {
                format!("{}Error{status}", self.hint)
            };
            let content =
                self.response_content(&response.content, &pointer(&status_at, &["content"]), &hint);
            let media_type = content
                .as_ref()
                .map(|(media_type, _, _)| media_type.clone());
            let items = content.as_ref().and_then(|(_, _, items)| *items);
            let body = content.and_then(|(media_type, shape, _)| {
                shape.map(|shape| Content { media_type, shape })
            });
            if is_success {
                success.push(Success {
                    status: matcher,
                    media_type,
                    body,
                    mock_method: String::new(),
                    boxed: false,
                    items,
                });
            } else {
                // An error body that is not JSON (or a stream of items) is
                // kept raw by the unexpected-response path.
                let body =
                    body.filter(|content| content.shape.ty != TypeRef::Bytes && items.is_none());
                errors.push(ErrorResponse {
                    status: matcher,
                    body,
                    boxed: false,
                });
            }
        }
        // `default` describes every status not declared: the error of any
        // other status, and the success too when no 2XX is declared.
        if let Some(default) = &responses.default {
            let default_at = pointer(&at, &["default"]);
            let Some(response) = self.resolve_response(default) else {
                let (code, message) = response_ref_problem(default);
                self.types.problem(code, &default_at, message);
                return None;
            };
            let as_success = success.is_empty();
            let hint = if as_success {
                format!("{}Response", self.hint)
            } else {
                format!("{}ErrorDefault", self.hint)
            };
            let content = self.response_content(
                &response.content,
                &pointer(&default_at, &["content"]),
                &hint,
            );
            let media_type = content
                .as_ref()
                .map(|(media_type, _, _)| media_type.clone());
            let items = content.as_ref().and_then(|(_, _, items)| *items);
            let body = content.and_then(|(media_type, shape, _)| {
                shape.map(|shape| Content { media_type, shape })
            });
            if as_success {
                success.push(Success {
                    status: StatusMatch::Range(2),
                    media_type,
                    body: body.clone(),
                    mock_method: String::new(),
                    boxed: false,
                    items,
                });
            }
            errors.push(ErrorResponse {
                status: StatusMatch::Default,
                body: body.filter(|content| content.shape.ty != TypeRef::Bytes && items.is_none()),
                boxed: false,
            });
        }
        // No 2XX and no `default` (a 101 upgrade, a 303 redirect): the
        // informational and redirect statuses declared are the outcomes.
        if success.is_empty() {
            let (outcomes, rest): (Vec<ErrorResponse>, Vec<ErrorResponse>) =
                errors.into_iter().partition(|error| match error.status {
                    StatusMatch::Code(code) => code < 400,
                    StatusMatch::Range(class) => class < 4,
                    StatusMatch::Default => false,
                });
            errors = rest;
            success = outcomes
                .into_iter()
                .map(|outcome| Success {
                    status: outcome.status,
                    media_type: outcome.body.as_ref().map(|body| body.media_type.clone()),
                    body: outcome.body,
                    mock_method: String::new(),
                    boxed: false,
                    items: None,
                })
                .collect();
        }
        // Nothing declared at all: any 2XX, its body handed over raw.
        if success.is_empty() && errors.is_empty() {
            success.push(Success {
                status: StatusMatch::Range(2),
                media_type: None,
                body: Some(Content {
                    media_type: "*/*".to_owned(),
                    shape: Shape {
                        ty: TypeRef::Bytes,
                        nullable: false,
                        constraints: Default::default(),
                    },
                }),
                mock_method: String::new(),
                boxed: false,
                items: None,
            });
        }
        // Only the one success streams its items; among several, a
        // sequence is read whole, as bytes.
        if success.len() > 1 {
            for success in &mut success {
                if success.items.take().is_some()
                    && let Some(body) = &mut success.body
                {
                    body.shape = Shape {
                        ty: TypeRef::Bytes,
                        nullable: false,
                        constraints: Default::default(),
                    };
                }
            }
        }
        success.sort_by_key(|success| success.status);
        errors.sort_by_key(|error| error.status);
        Some((success, errors))
    }

    /// The media types a caller may choose among, default first: those the
    /// one success response with a body offers with the same schema, and the
    /// request body too when there is one. Empty when there is no choice.
    fn versions(&self, operation: &'p openapiv3::Operation) -> Vec<String> {
        let with_content: Vec<&Response> = operation
            .responses
            .responses
            .iter()
            .filter(|(status, _)| {
                matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2))
            })
            .filter_map(|(_, response)| self.resolve_response(response))
            .filter(|response| !response.content.is_empty())
            .collect();
        let [response] = with_content.as_slice() else {
            return Vec::new();
        };
        let mut choices = versions(&response.content, self.unstable);
        let body = match &operation.request_body {
            Some(ReferenceOr::Item(body)) => Some(body),
            Some(ReferenceOr::Reference { reference }) => lookup(
                reference,
                "#/components/requestBodies/",
                |c| &c.request_bodies,
                self.components,
            ),
            None => None,
        };
        if let Some(body) = body {
            let sendable = versions(&body.content, self.unstable);
            choices.retain(|media_type| sendable.contains(media_type));
        }
        if choices.len() > 1 {
            choices
        } else {
            Vec::new()
        }
    }

    fn resolve_parameter(&self, parameter: &'p ReferenceOr<Parameter>) -> Option<&'p Parameter> {
        match parameter {
            ReferenceOr::Item(parameter) => Some(parameter),
            ReferenceOr::Reference { reference } => lookup(
                reference,
                "#/components/parameters/",
                |c| &c.parameters,
                self.components,
            ),
        }
    }

    /// What the operation says of its pages: Azure's `x-ms-pageable`,
    /// Oxide's `x-dropshot-pagination`, or a `Link` header on a success
    /// response.
    fn declared_paging(&self, operation: &'p openapiv3::Operation) -> Option<DeclaredPaging> {
        if let Some(pageable) = operation.extensions.get("x-ms-pageable") {
            return Some(DeclaredPaging::MsPageable {
                next: pageable
                    .get("nextLinkName")
                    .and_then(|next| next.as_str())
                    .map(str::to_owned),
                items: pageable
                    .get("itemName")
                    .and_then(|items| items.as_str())
                    .unwrap_or("value")
                    .to_owned(),
            });
        }
        if operation.extensions.contains_key("x-dropshot-pagination") {
            return Some(DeclaredPaging::Dropshot);
        }
        let link = operation
            .responses
            .responses
            .iter()
            .filter(|(status, _)| {
                matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2))
            })
            .filter_map(|(_, response)| self.resolve_response(response))
            .any(|response| {
                response
                    .headers
                    .keys()
                    .any(|name| name.eq_ignore_ascii_case("link"))
            });
        link.then_some(DeclaredPaging::LinkHeader)
    }

    fn resolve_response(&self, response: &'p ReferenceOr<Response>) -> Option<&'p Response> {
        match response {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { reference } => lookup(
                reference,
                "#/components/responses/",
                |c| &c.responses,
                self.components,
            ),
        }
    }
}

/// Why a response `$ref` names no response.
fn response_ref_problem(response: &ReferenceOr<Response>) -> (Code, String) {
    match response {
        ReferenceOr::Reference { reference } if reference.starts_with("#/components/schemas/") => (
            Code::SchemaAsResponse,
            format!(
                "response `$ref: {reference}` names a schema, not a response; a response is `{{description, content: {{application/json: {{schema: {{$ref}}}}}}}}` (lenient mode reads it so)"
            ),
        ),
        ReferenceOr::Reference { reference } => (
            Code::RefWrongSection,
            format!("response `$ref: {reference}` must point at #/components/responses/NAME"),
        ),
        ReferenceOr::Item(_) => (
            Code::RefWrongSection,
            "response `$ref` must point at #/components/responses/NAME".to_owned(),
        ),
    }
}

/// The JSON media types of a content map, newest first.
/// A form field's or part's `encoding`: the style when it is not the
/// default exploded `form`, the part's content type. `explode` is the
/// value written, if any (`form` explodes by default, other styles not).
fn field_encoding(encoding: &openapiv3::Encoding, explode: Option<bool>) -> FieldEncoding {
    let explode = explode.unwrap_or(match encoding.style {
        None | Some(openapiv3::QueryStyle::Form) => true,
        Some(_) => false,
    }) || encoding.explode;
    let style = match (&encoding.style, explode) {
        (None | Some(openapiv3::QueryStyle::Form), true) => None,
        (None | Some(openapiv3::QueryStyle::Form), false) => Some(QueryStyle::FormUnexploded),
        (Some(openapiv3::QueryStyle::SpaceDelimited), _) => Some(QueryStyle::SpaceDelimited),
        (Some(openapiv3::QueryStyle::PipeDelimited), _) => Some(QueryStyle::PipeDelimited),
        (Some(openapiv3::QueryStyle::DeepObject), _) => Some(QueryStyle::DeepObject),
    };
    FieldEncoding {
        style,
        content_type: encoding.content_type.clone(),
    }
}

/// Whether `name` is an RFC 6265 cookie name: an RFC 7230 token.
fn is_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn newest_first<'c>(
    content: &'c IndexMap<String, MediaType>,
    unstable: &[String],
) -> Vec<(&'c String, &'c MediaType)> {
    crate::media::newest_first(
        content
            .iter()
            .map(|(media_type, media)| (media_type.as_str(), (media_type, media))),
        unstable,
    )
    .into_iter()
    .map(|(_, entry)| entry)
    .collect()
}

/// The media types a content map offers with the same schema as its newest one.
fn versions(content: &IndexMap<String, MediaType>, unstable: &[String]) -> Vec<String> {
    let json = newest_first(content, unstable);
    let Some((_, newest)) = json.first() else {
        return Vec::new();
    };
    json.iter()
        .filter(|(_, media)| media.schema == newest.schema)
        .map(|(media_type, _)| (*media_type).clone())
        .collect()
}

/// Follows a `$ref` into one of the component maps.
fn lookup<'a, T>(
    reference: &str,
    prefix: &str,
    map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    components: Option<&'a Components>,
) -> Option<&'a T> {
    let components = map(components?);
    crate::refs::component(reference, prefix, |name| components.get(name))
}

fn location_name(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Names the mock's methods that answer with each success (`responds` for
/// the one, `responds_<status>` for each of several) and the setters of the
/// parameters, which the request builder and the mock both have: unique
/// together, in the spec's order, and never one of the builders' own
/// methods (`names::RESERVED_SETTERS`).
fn name_setters(params: &mut [Param], success: &mut [Success]) {
    let mut setters: std::collections::BTreeSet<String> = crate::names::RESERVED_SETTERS
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    let single = success.len() == 1;
    for success in success {
        success.mock_method = if single {
            "responds".to_owned()
        } else {
            match success.status {
                StatusMatch::Code(code) => format!("responds_{code}"),
                StatusMatch::Range(class) => format!("responds_{class}xx"),
                StatusMatch::Default => "responds_default".to_owned(),
            }
        };
        setters.insert(success.mock_method.clone());
    }
    for param in params {
        let base = field_name(&param.name);
        let base = if crate::names::RESERVED_SETTERS.contains(&base.as_str()) {
            format!("{base}_param")
        } else {
            base
        };
        param.rust_name = crate::names::unique_in(&mut setters, base);
    }
}
