//! The semantic comparison of two OpenAPI documents, with `$ref`s resolved.
//! What the API declares is read from each document; what the generator
//! decided (which schemas have a Rust type of their own, how a parameter
//! is written) is read from each document's model, never decided again.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Change;
use super::pattern::{self, Effect};
use super::rules::Kind;
use crate::diagnostic::pointer;
use crate::load::METHODS;
use crate::model::{Api, EnumValue, Shape, TypeDef, TypeKind, TypeRef, Types};
use crate::refs::{self, Resolved};

/// Which way a schema travels, which decides what a change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
}

/// One document with its model, for look-ups; no model when the
/// generator refused the document.
struct Doc<'a> {
    root: &'a Value,
    model: Option<&'a Api>,
    /// The model's named types, by where their schema is written.
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// The model's operations, by pointer.
    operations: BTreeMap<String, &'a crate::model::Operation>,
    /// The named type the model wrote at each place ([`named_places`]).
    named: BTreeMap<String, &'a str>,
}

/// An operation with its place.
struct Operation<'a> {
    id: String,
    method: &'static str,
    path: String,
    at: String,
    node: &'a Value,
    /// (location, name) to (parameter, pointer).
    params: BTreeMap<(String, String), (&'a Value, String)>,
}

impl<'a> Doc<'a> {
    fn new(root: &'a Value, model: Option<&'a Api>) -> Self {
        let types = model
            .into_iter()
            .flat_map(|model| &model.types)
            .map(|ty| (ty.pointer.as_str(), ty))
            .collect();
        let operations = model
            .into_iter()
            .flat_map(|model| &model.operations)
            .map(|operation| (operation.pointer(), operation))
            .collect();
        let named = model.map(named_places).unwrap_or_default();
        Self {
            root,
            model,
            types,
            operations,
            named,
        }
    }

    /// The variant name of each value of the enum type whose schema is
    /// written at `at`, by the value as JSON text.
    fn variants(&self, at: &str) -> BTreeMap<String, &'a str> {
        fn named<T: ToString>(values: &[EnumValue<T>]) -> BTreeMap<String, &str> {
            values
                .iter()
                .map(|value| (value.value.to_string(), value.rust_name.as_str()))
                .collect()
        }
        match self.types.get(at).map(|ty| &ty.kind) {
            Some(TypeKind::Enum(values)) => named(values),
            Some(TypeKind::IntegerEnum(values)) => named(values),
            Some(TypeKind::NumberEnum(values)) => named(values),
            _ => BTreeMap::new(),
        }
    }

    /// The generated type the model wrote for the schema at `at`: `None`
    /// for a plain Rust type; no answer without a model.
    fn named_at(&self, at: &str) -> Option<Option<&'a str>> {
        self.model?;
        Some(self.named.get(at).copied())
    }

    /// How the model writes a parameter of the operation at `operation`,
    /// when the model has that operation (lenient generation may leave one
    /// out).
    fn written(&self, operation: &str, location: &str, name: &str) -> Option<&'static str> {
        self.operations
            .get(operation)?
            .params
            .iter()
            .find(|param| param.location.as_str() == location && param.name == name)
            .map(crate::model::Param::written)
    }

    /// Follows `$ref`s; returns the node and the pointer where it lives, or
    /// the node itself when its references dangle or loop.
    fn resolve(&self, node: &'a Value, at: String) -> (&'a Value, String) {
        match refs::follow(self.root, node, at.clone()) {
            Resolved::Node(node, at) => (node, at),
            Resolved::Dangling(_) | Resolved::Cycle(_) | Resolved::TooLong(_) => (node, at),
        }
    }

    /// The references of `node` when they lead back to themselves.
    fn cycle(&self, node: &'a Value) -> Option<Vec<String>> {
        match refs::follow(self.root, node, String::new()) {
            Resolved::Cycle(chain) => Some(chain),
            _ => None,
        }
    }

    fn operations(&self) -> Vec<Operation<'a>> {
        let mut out = Vec::new();
        let Some(paths) = self.root.get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            let item_at = pointer("#/paths", &[path]);
            for method in METHODS {
                let Some(node) = item.get(method) else {
                    continue;
                };
                let at = pointer(&item_at, &[method]);
                let mut params = BTreeMap::new();
                for (list, base) in [
                    (item.get("parameters"), &item_at),
                    (node.get("parameters"), &at),
                ] {
                    for (index, parameter) in list
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .enumerate()
                    {
                        let (parameter, where_) = self.resolve(
                            parameter,
                            pointer(base, &["parameters", &index.to_string()]),
                        );
                        let key = (text(parameter, "in"), text(parameter, "name"));
                        params.insert(key, (parameter, where_));
                    }
                }
                out.push(Operation {
                    id: node
                        .get("operationId")
                        .and_then(Value::as_str)
                        .unwrap_or(path)
                        .to_owned(),
                    method,
                    path: path.clone(),
                    at,
                    node,
                    params,
                });
            }
        }
        out
    }
}

/// The members of a JSON object, by key; empty when it is absent or not an object.
fn entries(node: Option<&Value>) -> BTreeMap<String, &Value> {
    node.and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(key, value)| (key.clone(), value))
                .collect()
        })
        .unwrap_or_default()
}

fn text(node: &Value, key: &str) -> String {
    node.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Every change from `old` to `new`; `unstable` marks media-type versions
/// that are the default only when alone, as the generator chooses them.
pub fn compare(
    (old, old_model): (&Value, &Api),
    (new, new_model): (&Value, Option<&Api>),
    unstable: &[String],
) -> Vec<Change> {
    let old_doc = Doc::new(old, Some(old_model));
    let new_doc = Doc::new(new, new_model);
    let mut comparer = Comparer {
        old: old_doc,
        new: new_doc,
        changes: Vec::new(),
        operation: None,
        visited: BTreeSet::new(),
        unstable,
    };
    comparer.operations();
    comparer.security();
    comparer.servers();
    comparer.changes
}

struct Comparer<'a> {
    old: Doc<'a>,
    new: Doc<'a>,
    changes: Vec<Change>,
    operation: Option<String>,
    /// Schema pairs already compared for the current operation, against cycles and repeats.
    visited: BTreeSet<(String, String, bool)>,
    /// Marks of unstable media-type versions.
    unstable: &'a [String],
}

impl<'a> Comparer<'a> {
    fn push(&mut self, kind: Kind, at: &str, message: String) {
        let operation = self.operation.clone();
        // The same change to a shared schema, seen from another operation:
        // one entry that names them all.
        if let Some(same) = self
            .changes
            .iter_mut()
            .find(|change| change.kind == kind && change.pointer == at && change.message == message)
        {
            if let Some(operation) = operation
                && let Err(at) = same.operations.binary_search(&operation)
            {
                same.operations.insert(at, operation);
            }
            return;
        }
        let change = Change {
            kind,
            operations: operation.into_iter().collect(),
            pointer: at.to_owned(),
            message,
        };
        self.changes.push(change);
    }

    fn operations(&mut self) {
        let old_ops = self.old.operations();
        let new_ops = self.new.operations();
        let mut pairs: Vec<(&Operation<'a>, &Operation<'a>)> = Vec::new();
        let mut old_left: Vec<&Operation<'a>> = Vec::new();
        let mut new_matched = BTreeSet::new();
        for old in &old_ops {
            match new_ops.iter().position(|new| new.id == old.id) {
                Some(index) => {
                    new_matched.insert(index);
                    pairs.push((old, &new_ops[index]));
                }
                None => old_left.push(old),
            }
        }
        let mut new_left: Vec<&Operation<'a>> = new_ops
            .iter()
            .enumerate()
            .filter(|(i, _)| !new_matched.contains(i))
            .map(|(_, op)| op)
            .collect();
        // The same route under another operationId is a rename, not a removal and an addition.
        for old in old_left {
            match new_left
                .iter()
                .position(|new| new.method == old.method && new.path == old.path)
            {
                Some(index) => {
                    let new = new_left.remove(index);
                    self.operation = Some(new.id.clone());
                    self.push(
                        Kind::OperationRenamed,
                        &pointer(&new.at, &["operationId"]),
                        format!("operationId `{}` became `{}`", old.id, new.id),
                    );
                    pairs.push((old, new));
                }
                None => {
                    self.operation = Some(old.id.clone());
                    self.push(
                        Kind::OperationRemoved,
                        &old.at,
                        format!(
                            "`{} {}` (`{}`) was removed",
                            old.method.to_uppercase(),
                            old.path,
                            old.id
                        ),
                    );
                }
            }
        }
        for new in new_left {
            self.operation = Some(new.id.clone());
            self.push(
                Kind::OperationAdded,
                &new.at,
                format!(
                    "`{} {}` (`{}`) was added",
                    new.method.to_uppercase(),
                    new.path,
                    new.id
                ),
            );
        }
        for (old, new) in pairs {
            self.operation = Some(new.id.clone());
            self.visited.clear();
            self.operation_pair(old, new);
        }
        self.operation = None;
    }

    fn operation_pair(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        if old.method != new.method || old.path != new.path {
            self.push(
                Kind::OperationRouteChanged,
                &new.at,
                format!(
                    "`{} {}` became `{} {}`",
                    old.method.to_uppercase(),
                    old.path,
                    new.method.to_uppercase(),
                    new.path
                ),
            );
        }
        if deprecates(old.node, new.node) {
            self.push(
                Kind::BecameDeprecated,
                &pointer(&new.at, &["deprecated"]),
                format!("`{}` became deprecated", new.id),
            );
        }
        self.parameters(old, new);
        self.request_body(old, new);
        self.responses(old, new);
    }

    fn parameters(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        for (key, (parameter, at)) in &new.params {
            let required = parameter.get("required") == Some(&Value::Bool(true));
            let name = format!("{} parameter `{}`", key.0, key.1);
            match old.params.get(key) {
                None => {
                    let kind = if required {
                        Kind::ParameterAddedRequired
                    } else {
                        Kind::ParameterAddedOptional
                    };
                    self.push(kind, at, format!("{name} was added"));
                }
                Some((before, before_at)) => {
                    if deprecates(before, parameter) {
                        self.push(
                            Kind::BecameDeprecated,
                            &pointer(at, &["deprecated"]),
                            format!("{name} became deprecated"),
                        );
                    }
                    let was_required = before.get("required") == Some(&Value::Bool(true));
                    if required && !was_required {
                        self.push(
                            Kind::ParameterBecameRequired,
                            at,
                            format!("{name} became required"),
                        );
                    } else if !required && was_required {
                        self.push(
                            Kind::ParameterBecameOptional,
                            at,
                            format!("{name} became optional"),
                        );
                    }
                    let (old_schema, old_schema_at) = self
                        .old
                        .resolve(&before["schema"], pointer(before_at, &["schema"]));
                    let (new_schema, schema_at) = self
                        .new
                        .resolve(&parameter["schema"], pointer(at, &["schema"]));
                    if type_of(old_schema) != type_of(new_schema) {
                        self.push(
                            Kind::ParameterTypeChanged,
                            &schema_at,
                            format!(
                                "{name} changed from {} to {}",
                                type_of(old_schema),
                                type_of(new_schema)
                            ),
                        );
                        continue;
                    }
                    self.enum_values(old_schema, new_schema, &schema_at, Direction::Request);
                    self.variant_names(&old_schema_at, &schema_at);
                    for (effect, message) in constraint_changes(old_schema, new_schema) {
                        let kind = match effect {
                            Effect::Tighter => Kind::ParameterConstraintTightened,
                            Effect::Looser | Effect::Same => Kind::ParameterConstraintLoosened,
                            Effect::Unknown => Kind::PatternChanged,
                        };
                        self.push(kind, &schema_at, format!("{name}: {message}"));
                    }
                    let (old_style, new_style) = (
                        self.old.written(&old.at, &key.0, &key.1),
                        self.new.written(&new.at, &key.0, &key.1),
                    );
                    if let (Some(old_style), Some(new_style)) = (old_style, new_style)
                        && old_style != new_style
                    {
                        self.push(
                            Kind::ParameterStyleChanged,
                            at,
                            format!("{name} is written `{old_style}` instead of `{new_style}`"),
                        );
                    }
                    if old_schema.get("default") != new_schema.get("default") {
                        self.push(
                            Kind::ParameterDefaultChanged,
                            &schema_at,
                            format!(
                                "{name}: default {} became {}",
                                shown(old_schema.get("default")),
                                shown(new_schema.get("default"))
                            ),
                        );
                    }
                }
            }
        }
        for (key, (_, at)) in &old.params {
            if !new.params.contains_key(key) {
                self.push(
                    Kind::ParameterRemoved,
                    at,
                    format!("{} parameter `{}` was removed", key.0, key.1),
                );
            }
        }
    }

    fn request_body(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let old_body = old
            .node
            .get("requestBody")
            .map(|body| self.old.resolve(body, pointer(&old.at, &["requestBody"])));
        let new_at = pointer(&new.at, &["requestBody"]);
        let new_body = new
            .node
            .get("requestBody")
            .map(|body| self.new.resolve(body, new_at.clone()));
        match (old_body, new_body) {
            (None, None) => {}
            (None, Some((_, at))) => self.push(
                Kind::RequestBodyAdded,
                &at,
                "a request body was added".to_owned(),
            ),
            (Some(_), None) => self.push(
                Kind::RequestBodyRemoved,
                &pointer(&old.at, &["requestBody"]),
                "the request body was removed".to_owned(),
            ),
            (Some((old_body, old_at)), Some((new_body, at))) => {
                self.content(
                    (old_body, &old_at),
                    new_body,
                    &at,
                    Direction::Request,
                    Kind::RequestMediaTypeChanged,
                );
            }
        }
    }

    /// Compares the media type the client uses and its schema in two
    /// `content` holders, and whether they have content at all.
    fn content(
        &mut self,
        (old, old_at): (&'a Value, &str),
        new: &'a Value,
        at: &str,
        direction: Direction,
        media_kind: Kind,
    ) {
        let used = |node: &'a Value| {
            let content = node.get("content").and_then(Value::as_object)?;
            let entries = content
                .iter()
                .map(|(media_type, media)| (media_type.as_str(), media));
            // The model's choice: a response may be a stream of items.
            if direction == Direction::Response {
                crate::media::used_in_response(entries, self.unstable)
            } else {
                crate::media::used(entries, self.unstable)
            }
        };
        let (old_used, new_used) = (used(old), used(new));
        if direction == Direction::Response {
            match (&old_used, &new_used) {
                (None, Some((new_type, _))) => self.push(
                    Kind::ResponseBodyAdded,
                    &pointer(at, &["content", new_type]),
                    format!("a `{new_type}` body was declared"),
                ),
                (Some((old_type, _)), None) => self.push(
                    Kind::ResponseBodyRemoved,
                    &pointer(at, &["content"]),
                    format!("the `{old_type}` body is no longer declared"),
                ),
                _ => {}
            }
        }
        let (Some((old_type, old_media)), Some((new_type, new_media))) = (old_used, new_used)
        else {
            return;
        };
        let content_at = pointer(at, &["content", new_type]);
        if old_type != new_type {
            let effect = match media_kind {
                Kind::RequestMediaTypeChanged => "; the client's Content-Type changes",
                Kind::ResponseMediaTypeChanged => "; the client's Accept changes",
                _ => "; an error body must now come as the new one",
            };
            let still = new
                .get("content")
                .and_then(|content| content.get(old_type))
                .map_or(
                    "",
                    |_| " (the old one is still declared: `media_type(..)` chooses it)",
                );
            self.push(
                media_kind,
                &content_at,
                format!("media type `{old_type}` became `{new_type}`{effect}{still}"),
            );
        }
        if let (Some(old_schema), Some(new_schema)) =
            (old_media.get("schema"), new_media.get("schema"))
        {
            self.schema(
                (
                    old_schema,
                    pointer(old_at, &["content", old_type, "schema"]),
                ),
                new_schema,
                pointer(&content_at, &["schema"]),
                direction,
            );
        }
    }

    fn responses(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let (old_statuses, new_statuses) = (
            entries(old.node.get("responses")),
            entries(new.node.get("responses")),
        );
        let success = |map: &BTreeMap<String, &'a Value>| {
            map.keys().find(|status| status.starts_with('2')).cloned()
        };
        let responses_at = pointer(&new.at, &["responses"]);
        let old_responses_at = pointer(&old.at, &["responses"]);
        if let (Some(old_ok), Some(new_ok)) = (success(&old_statuses), success(&new_statuses)) {
            if old_ok != new_ok {
                self.push(
                    Kind::SuccessStatusChanged,
                    &responses_at,
                    format!("success status {old_ok} became {new_ok}"),
                );
            }
            let (old_response, old_at) = self.old.resolve(
                old_statuses[&old_ok],
                pointer(&old_responses_at, &[&old_ok]),
            );
            let (new_response, at) = self
                .new
                .resolve(new_statuses[&new_ok], pointer(&responses_at, &[&new_ok]));
            self.content(
                (old_response, &old_at),
                new_response,
                &at,
                Direction::Response,
                Kind::ResponseMediaTypeChanged,
            );
        }
        for (status, response) in &new_statuses {
            if status.starts_with('2') {
                continue;
            }
            let at = pointer(&responses_at, &[status]);
            match old_statuses.get(status) {
                None => self.push(
                    Kind::ResponseStatusAdded,
                    &at,
                    format!("status {status} was declared"),
                ),
                Some(before) => {
                    let (old_response, old_at) = self
                        .old
                        .resolve(before, pointer(&old_responses_at, &[status]));
                    let (new_response, at) = self.new.resolve(response, at);
                    self.content(
                        (old_response, &old_at),
                        new_response,
                        &at,
                        Direction::Response,
                        Kind::ErrorMediaTypeChanged,
                    );
                }
            }
        }
        for status in old_statuses
            .keys()
            .filter(|status| !status.starts_with('2') && !new_statuses.contains_key(*status))
        {
            self.push(
                Kind::ResponseStatusRemoved,
                &pointer(&old_responses_at, &[status]),
                format!("status {status} is no longer declared"),
            );
        }
    }

    /// Compares the schemas written at `old_at` in the old document and
    /// at `at` in the new one.
    fn schema(
        &mut self,
        (old, old_at): (&'a Value, String),
        new: &'a Value,
        at: String,
        direction: Direction,
    ) {
        if let Some(chain) = self.new.cycle(new) {
            if self.old.cycle(old).is_none() {
                self.push(
                    Kind::ReferenceCycle,
                    &at,
                    format!("`$ref`s lead back to themselves: {}", chain.join(" → ")),
                );
            }
            return;
        }
        self.naming((old, &old_at), new, &at);
        let (old, old_at) = self.old.resolve(old, old_at);
        let (new, at) = self.new.resolve(new, at);
        if !self
            .visited
            .insert((old_at.clone(), at.clone(), direction == Direction::Request))
        {
            return;
        }
        let (old_type, new_type) = (type_of(old), type_of(new));
        if old_type != new_type {
            self.push(
                Kind::TypeChanged,
                &at,
                format!("type {old_type} became {new_type}"),
            );
            return;
        }
        if old.get("nullable") != new.get("nullable") {
            self.push(
                Kind::NullableChanged,
                &at,
                format!(
                    "nullable {} became {}",
                    shown(old.get("nullable")),
                    shown(new.get("nullable"))
                ),
            );
        }
        if deprecates(old, new) {
            self.push(
                Kind::BecameDeprecated,
                &pointer(&at, &["deprecated"]),
                format!("deprecated {} became true", shown(old.get("deprecated"))),
            );
        }
        for key in ["readOnly", "writeOnly"] {
            if old.get(key) != new.get(key) {
                self.push(
                    Kind::AccessChanged,
                    &at,
                    format!(
                        "{key} {} became {}",
                        shown(old.get(key)),
                        shown(new.get(key))
                    ),
                );
            }
        }
        if direction == Direction::Request && old.get("default") != new.get("default") {
            self.push(
                Kind::RequestDefaultChanged,
                &at,
                format!(
                    "default {} became {}",
                    shown(old.get("default")),
                    shown(new.get("default"))
                ),
            );
        }
        self.enum_values(old, new, &at, direction);
        self.variant_names(&old_at, &at);
        for (effect, message) in constraint_changes(old, new) {
            let kind = match (direction, effect) {
                (Direction::Request, Effect::Tighter) => Kind::RequestConstraintTightened,
                (Direction::Request, Effect::Looser | Effect::Same) => {
                    Kind::RequestConstraintLoosened
                }
                (Direction::Request, Effect::Unknown) => Kind::PatternChanged,
                (Direction::Response, _) => Kind::ResponseConstraintChanged,
            };
            self.push(kind, &at, message);
        }
        let (old_props, new_props) = (
            self.properties(&self.old, old, &old_at),
            self.properties(&self.new, new, &at),
        );
        // A property's changes are placed where it is written (in an `allOf`
        // member, for one merged from it), as the model places its field;
        // whether it is required, at the object that says so.
        for (name, (schema, written_at, required)) in &new_props {
            let property_at = pointer(&at, &["properties", name]);
            match old_props.get(name) {
                None => {
                    let kind = match (direction, required) {
                        (Direction::Request, true) => Kind::RequestPropertyAddedRequired,
                        (Direction::Request, false) => Kind::RequestPropertyAddedOptional,
                        (Direction::Response, _) => Kind::ResponsePropertyAdded,
                    };
                    self.push(kind, written_at, format!("property `{name}` was added"));
                }
                Some((before, before_at, was_required)) => {
                    if *required && !was_required {
                        self.push(
                            Kind::PropertyBecameRequired,
                            &property_at,
                            format!("property `{name}` became required"),
                        );
                    } else if !required && *was_required {
                        self.push(
                            Kind::PropertyBecameOptional,
                            &property_at,
                            format!("property `{name}` became optional"),
                        );
                    }
                    self.schema(
                        (before, before_at.clone()),
                        schema,
                        written_at.clone(),
                        direction,
                    );
                }
            }
        }
        for (name, (_, written_at, _)) in old_props
            .iter()
            .filter(|(name, _)| !new_props.contains_key(*name))
        {
            self.push(
                Kind::PropertyRemoved,
                written_at,
                format!("property `{name}` was removed"),
            );
        }
        for key in ["items", "additionalProperties"] {
            if let (Some(old_inner @ Value::Object(_)), Some(new_inner @ Value::Object(_))) =
                (old.get(key), new.get(key))
            {
                self.schema(
                    (old_inner, pointer(&old_at, &[key])),
                    new_inner,
                    pointer(&at, &[key]),
                    direction,
                );
            }
        }
        for key in ["oneOf", "anyOf"] {
            self.union_members((old, &old_at), new, &at, key, direction);
        }
    }

    /// Enum values added and removed, in either kind of place.
    fn enum_values(&mut self, old: &Value, new: &Value, at: &str, direction: Direction) {
        let (old_values, new_values) = (enum_values(old), enum_values(new));
        for value in new_values.difference(&old_values) {
            let kind = if direction == Direction::Request {
                Kind::RequestEnumValueAdded
            } else {
                Kind::ResponseEnumValueAdded
            };
            self.push(kind, at, format!("enum value `{value}` was added"));
        }
        for value in old_values.difference(&new_values) {
            self.push(
                Kind::EnumValueRemoved,
                at,
                format!("enum value `{value}` was removed"),
            );
        }
    }

    /// Values whose variant the models name differently (the spec's
    /// `x-enum-varnames` changed): the wire is the same, the Rust is not.
    fn variant_names(&mut self, old_at: &str, at: &str) {
        let (old, new) = (self.old.variants(old_at), self.new.variants(at));
        for (value, name) in &new {
            if let Some(before) = old.get(value)
                && before != name
            {
                self.push(
                    Kind::EnumVariantRenamed,
                    at,
                    format!("the variant of `{value}` is `{name}`, not `{before}`"),
                );
            }
        }
    }

    /// A schema that moved between inline and a named component, when the
    /// Rust type written there changed with it (named after its place, or
    /// after the component; a map that became a type): the models say,
    /// so a one-member `allOf` that became its member changes nothing.
    fn naming(&mut self, (old, old_at): (&'a Value, &str), new: &'a Value, at: &str) {
        let (old_ref, new_ref) = (ref_name(old), ref_name(new));
        let retyped = match (self.old.named_at(old_at), self.new.named_at(at)) {
            (Some(before), Some(after)) => before != after,
            // A document the generator refused is reported by its refusal.
            _ => false,
        };
        if !retyped {
            return;
        }
        match (old_ref, new_ref) {
            (None, Some(name)) => self.push(
                Kind::SchemaBecameNamed,
                at,
                format!("the inline {} became the component `{name}`", type_of(old)),
            ),
            (Some(name), None) => self.push(
                Kind::SchemaBecameInline,
                at,
                format!("the component `{name}` became an inline {}", type_of(new)),
            ),
            _ => {}
        }
    }

    /// `oneOf`/`anyOf` members, matched by the component they name, else by
    /// position among the inline ones.
    fn union_members(
        &mut self,
        (old, old_at): (&'a Value, &str),
        new: &'a Value,
        at: &str,
        key: &str,
        direction: Direction,
    ) {
        let members = |node: &'a Value| -> BTreeMap<String, (usize, &'a Value)> {
            let mut inline = 0;
            node.get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(index, member)| {
                    let identity = match ref_name(member) {
                        Some(name) => format!("`{name}`"),
                        None => {
                            inline += 1;
                            format!("inline member {inline} ({})", type_of(member))
                        }
                    };
                    (identity, (index, member))
                })
                .collect()
        };
        let (old_members, new_members) = (members(old), members(new));
        for (identity, (index, member)) in &new_members {
            let member_at = pointer(at, &[key, &index.to_string()]);
            match old_members.get(identity) {
                Some((old_index, before)) => self.schema(
                    (before, pointer(old_at, &[key, &old_index.to_string()])),
                    member,
                    member_at,
                    direction,
                ),
                None => self.push(
                    Kind::UnionMemberAdded,
                    &member_at,
                    format!("{key} member {identity} was added"),
                ),
            }
        }
        for (identity, (index, _)) in &old_members {
            if !new_members.contains_key(identity) {
                self.push(
                    Kind::UnionMemberRemoved,
                    &pointer(old_at, &[key, &index.to_string()]),
                    format!("{key} member {identity} was removed"),
                );
            }
        }
    }

    /// Properties with `allOf` members merged by the model's rule
    /// ([`crate::all_of`]): name to (schema, where it is written, required).
    fn properties(
        &self,
        doc: &Doc<'a>,
        node: &'a Value,
        at: &str,
    ) -> BTreeMap<String, (&'a Value, String, bool)> {
        let (properties, required) = self.properties_within(doc, node, at, 0);
        properties
            .into_iter()
            .map(|(name, schema, at)| {
                let required = required.contains(name);
                (name.to_owned(), (schema, at, required))
            })
            .collect()
    }

    /// [`Comparer::properties`] in the merge order, with the names any
    /// layer requires; stopping where an `allOf` nests too deep.
    fn properties_within(
        &self,
        doc: &Doc<'a>,
        node: &'a Value,
        at: &str,
        depth: usize,
    ) -> (Vec<(&'a str, &'a Value, String)>, BTreeSet<&'a str>) {
        let mut properties: Vec<(&'a str, &'a Value, String)> = node
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, schema)| (name.as_str(), schema, pointer(at, &["properties", name])))
            .collect();
        let mut required: BTreeSet<&'a str> = node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (index, member) in node
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (member, member_at) =
                doc.resolve(member, pointer(at, &["allOf", &index.to_string()]));
            if depth < 32 {
                let (layer, also_required) =
                    self.properties_within(doc, member, &member_at, depth + 1);
                crate::all_of::overlay(&mut properties, layer, |p| p.0);
                required.extend(also_required);
            }
        }
        (properties, required)
    }

    fn security(&mut self) {
        let schemes = |root: &'a Value| entries(root.pointer("/components/securitySchemes"));
        let (old, new) = (schemes(self.old.root), schemes(self.new.root));
        for (name, scheme) in &new {
            let at = pointer("#/components/securitySchemes", &[name]);
            match old.get(name) {
                None => self.push(
                    Kind::SecuritySchemeAdded,
                    &at,
                    format!("security scheme `{name}` was added"),
                ),
                Some(before) if before != scheme => self.push(
                    Kind::SecuritySchemeChanged,
                    &at,
                    format!("security scheme `{name}` changed"),
                ),
                Some(_) => {}
            }
        }
        for name in old.keys().filter(|name| !new.contains_key(*name)) {
            let at = pointer("#/components/securitySchemes", &[name]);
            self.push(
                Kind::SecuritySchemeRemoved,
                &at,
                format!("security scheme `{name}` was removed"),
            );
        }
    }

    fn servers(&mut self) {
        let urls = |root: &Value| -> Vec<String> {
            root.get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|server| text(server, "url"))
                .collect()
        };
        let (old, new) = (urls(self.old.root), urls(self.new.root));
        if old != new {
            self.push(
                Kind::ServerChanged,
                "#/servers",
                format!("servers {old:?} became {new:?}"),
            );
        }
    }
}

/// The named type the model wrote at each place the diff asks about: each
/// type's own place, and its properties, every operation's bodies and
/// responses, and the items and values of lists and maps in them. Read
/// from the model when diffing, so that regen carries none of it; a place
/// not in it holds a plain Rust type (a string, a list, a map).
fn named_places(model: &Api) -> BTreeMap<String, &str> {
    fn walk<'m>(out: &mut BTreeMap<String, &'m str>, types: &'m Types, at: String, shape: &Shape) {
        match &shape.ty {
            TypeRef::Named(id) => {
                out.insert(at, types.name(*id));
            }
            TypeRef::Array(items) => walk(out, types, pointer(&at, &["items"]), items),
            TypeRef::Map(values) => {
                walk(out, types, pointer(&at, &["additionalProperties"]), values);
            }
            _ => {}
        }
    }
    let types = &model.types;
    let mut out = BTreeMap::new();
    for ty in &model.types {
        out.insert(ty.pointer.clone(), ty.name.as_str());
        if let TypeKind::Struct(object) = &ty.kind {
            for field in &object.fields {
                walk(&mut out, types, field.pointer(&ty.pointer), &field.shape);
            }
        }
    }
    for operation in &model.operations {
        let at = operation.pointer();
        if let Some(body) = &operation.body {
            let content = &body.content;
            let place = ["requestBody", "content", &content.media_type, "schema"];
            walk(&mut out, types, pointer(&at, &place), &content.shape);
        }
        let successes = operation.success.iter().map(|success| {
            (
                success.status,
                success.body.as_ref(),
                success.items.is_some(),
            )
        });
        let errors = operation
            .errors
            .iter()
            .map(|error| (error.status, error.body.as_ref(), false));
        for (status, content, streamed) in successes.chain(errors) {
            let Some(content) = content else {
                continue;
            };
            let status = status.key();
            let mut place = vec![
                "responses",
                &status,
                "content",
                &content.media_type,
                "schema",
            ];
            // A stream's shape is one item's.
            if streamed {
                place.push("items");
            }
            walk(&mut out, types, pointer(&at, &place), &content.shape);
        }
    }
    out
}

/// `string`, `string/password`, `integer/int32`, `object`, ...
fn type_of(schema: &Value) -> String {
    let ty = if schema.get("properties").is_some() || schema.get("allOf").is_some() {
        "object"
    } else if schema
        .get("additionalProperties")
        .is_some_and(Value::is_object)
    {
        "map"
    } else if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        "union"
    } else {
        schema.get("type").and_then(Value::as_str).unwrap_or("any")
    };
    match schema.get("format").and_then(Value::as_str) {
        Some(format)
            if matches!(
                format,
                "int32" | "int64" | "float" | "double" | "password" | "date-time" | "date" | "uuid"
            ) =>
        {
            format!("{ty}/{format}")
        }
        _ => ty.to_owned(),
    }
}

/// Whether `new` says `deprecated: true` where `old` did not.
fn deprecates(old: &Value, new: &Value) -> bool {
    let deprecated = |node: &Value| node.get("deprecated") == Some(&Value::Bool(true));
    deprecated(new) && !deprecated(old)
}

/// The component a schema `$ref` names.
fn ref_name(node: &Value) -> Option<&str> {
    node.get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

fn enum_values(schema: &Value) -> BTreeSet<String> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|value| {
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned)
        })
        .collect()
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "unset".to_owned(), Value::to_string)
}

/// Constraint changes as (effect, message); a changed pattern is judged by
/// what can be shown about the strings it accepts.
fn constraint_changes(old: &Value, new: &Value) -> Vec<(Effect, String)> {
    let mut out = Vec::new();
    let number = |node: &Value, key: &str| node.get(key).and_then(Value::as_f64);
    for (key, lower_bound) in [
        ("minLength", true),
        ("maxLength", false),
        ("minItems", true),
        ("maxItems", false),
        ("minProperties", true),
        ("maxProperties", false),
        ("minimum", true),
        ("maximum", false),
    ] {
        let (before, after) = (number(old, key), number(new, key));
        if before == after {
            continue;
        }
        let tighter = match (before, after) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(b), Some(a)) => {
                if lower_bound {
                    a > b
                } else {
                    a < b
                }
            }
            (None, None) => continue,
        };
        out.push((
            if tighter {
                Effect::Tighter
            } else {
                Effect::Looser
            },
            format!(
                "{key} {} became {}",
                shown(old.get(key)),
                shown(new.get(key))
            ),
        ));
    }
    let pattern = |node: &Value| {
        node.get("pattern")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let effect = match (pattern(old), pattern(new)) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Tighter),
        (Some(_), None) => Some(Effect::Looser),
        (Some(before), Some(after)) => {
            Some(pattern::effect(&before, &after)).filter(|effect| *effect != Effect::Same)
        }
    };
    if let Some(effect) = effect {
        let verdict = match effect {
            Effect::Unknown => "; neither can be shown to accept all the other does",
            Effect::Looser => "; every string matched before still matches",
            _ => "",
        };
        out.push((
            effect,
            format!(
                "pattern {} became {}{verdict}",
                shown(old.get("pattern")),
                shown(new.get("pattern"))
            ),
        ));
    }
    out
}
