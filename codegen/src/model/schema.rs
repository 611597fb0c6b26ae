//! Schemas to shapes and named types.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::sensitive::SensitiveProperties;
use super::{
    Bound, Constraints, Field, Shape, Struct, TypeDef, TypeId, TypeKind, TypeRef, Types, Variant,
};
use crate::diagnostic::{Class, Code, Diagnostic, pointer};
use crate::load::LoadedSpec;
use crate::names::{enum_values, field_name, number_variant, type_name};
use serde_json::json;

const SCHEMAS: &str = "#/components/schemas/";

/// Collects the named types while schemas are turned into shapes.
pub struct TypeRegistry<'a> {
    spec: &'a LoadedSpec,
    /// Component schema name to its type, named before anything else so
    /// that a `$ref` gets the same name whatever order schemas are read in.
    component_names: BTreeMap<String, TypeId>,
    /// Schemas referenced somewhere other than directly under
    /// `#/components/schemas` (a property, a response's content): each
    /// becomes a named type of its own, by the `$ref` that reaches it.
    deep_names: BTreeMap<String, TypeId>,
    /// Inline schemas being defined, by pointer: an `allOf` that merges
    /// the component it is written in (`Option.createdAt: allOf [Type,
    /// Option]`) reaches the same inline schema again inside itself, and
    /// names the type being defined rather than defining it for ever.
    inline_in_progress: BTreeMap<String, TypeId>,
    used_names: BTreeSet<String>,
    /// Each type's Rust name, by id: given when it is named, before it is
    /// defined (a type may hold itself).
    names: Vec<String>,
    /// Each type, by id, once defined.
    defs: Vec<Option<TypeDef<()>>>,
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The referenced `allOf` members being merged, outermost first:
    /// against members that include themselves, and merging without end.
    all_of_stack: Vec<String>,
    /// Whether a limit on following (`$ref` chains, `allOf` nesting) was
    /// reported: once per document, since every schema above the place
    /// reaches it.
    chain_limit_reported: bool,
    all_of_limit_reported: bool,
    /// Properties the configuration names as secrets.
    sensitive: SensitiveProperties,
    /// Whether to degrade what cannot be represented instead of failing.
    lenient: bool,
    /// Patterns that do not compile, which validation lets through only in
    /// lenient mode: they are left unchecked.
    broken_patterns: &'a BTreeSet<String>,
}

/// What the registry made of the document's schemas.
pub struct Finished {
    /// The named types.
    pub types: Types<()>,
    /// What the model cannot represent.
    pub problems: Vec<Diagnostic>,
    /// What it went past.
    pub warnings: Vec<Diagnostic>,
}

/// The most referenced schemas one `allOf` merge goes through, nested.
const MAX_ALL_OF_DEPTH: usize = 64;

/// The parts of an object schema, whichever way the spec spelled it.
struct ObjectParts<'s> {
    /// Name, schema, and where the property is written in the spec.
    properties: Vec<(&'s str, &'s ReferenceOr<Box<Schema>>, String)>,
    required: Vec<&'s str>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
}

impl<'a> TypeRegistry<'a> {
    /// The spec its schemas come from.
    pub fn spec(&self) -> &'a LoadedSpec {
        self.spec
    }

    /// A registry with every component schema's name reserved.
    pub fn new(
        spec: &'a LoadedSpec,
        broken_patterns: &'a BTreeSet<String>,
        sensitive: SensitiveProperties,
        lenient: bool,
    ) -> Self {
        let mut registry = Self {
            spec,
            component_names: BTreeMap::new(),
            deep_names: BTreeMap::new(),
            inline_in_progress: BTreeMap::new(),
            used_names: BTreeSet::new(),
            names: Vec::new(),
            defs: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            all_of_stack: Vec::new(),
            chain_limit_reported: false,
            all_of_limit_reported: false,
            sensitive,
            lenient,
            broken_patterns,
        };
        let mut names: Vec<&String> = spec
            .document
            .components
            .iter()
            .flat_map(|components| components.schemas.keys())
            .collect();
        names.sort();
        for name in names {
            let id = registry.name_type(name);
            registry.component_names.insert(name.clone(), id);
        }
        registry
    }

    /// Defines a type for every component schema.
    pub fn add_components(&mut self) {
        let spec = self.spec;
        let Some(components) = &spec.document.components else {
            return;
        };
        let mut schemas: Vec<_> = components.schemas.iter().collect();
        schemas.sort_by(|a, b| a.0.cmp(b.0));
        for (name, schema) in schemas {
            let id = self.component_names[name];
            let at = format!("{SCHEMAS}{}", crate::diagnostic::escape_segment(name));
            match schema {
                ReferenceOr::Reference { reference } => {
                    let root = spec.tree();
                    let node = root.pointer(&at[1..]).unwrap_or(root);
                    // Only references, back to itself: no value could be one.
                    let resolved = crate::refs::follow(root, node, at.clone());
                    if let crate::refs::Resolved::TooLong(_) = resolved
                        && std::mem::replace(&mut self.chain_limit_reported, true)
                    {
                        // Said once, where the first such chain starts.
                        self.store(id, None, at, TypeKind::Newtype(plain(TypeRef::Any)));
                        continue;
                    }
                    let problem = match resolved {
                        crate::refs::Resolved::Cycle(chain) => Some((
                            Code::RefCycle,
                            format!(
                                "`$ref` cycle {}: a schema that is only references to itself describes no value",
                                chain.join(" → ")
                            ),
                        )),
                        crate::refs::Resolved::TooLong(_) => Some((
                            Code::RefChainTooLong,
                            format!(
                                "more than {} `$ref`s in a row start here (the most the generator follows); no reference leads back, but the chain is too long to follow",
                                crate::refs::MAX_CHAIN
                            ),
                        )),
                        _ => None,
                    };
                    let target = if let Some((code, message)) = problem {
                        if self.lenient {
                            // Lenient: any JSON value, said once per schema.
                            self.warn(code, &at, format!("{message}; it becomes any JSON value"));
                        } else {
                            self.problem(code, &at, message);
                        }
                        TypeRef::Any
                    } else {
                        self.reference(reference, &at)
                    };
                    self.store(id, None, at, TypeKind::Newtype(plain(target)));
                }
                ReferenceOr::Item(schema) => self.define(id, schema, &at),
            }
        }
    }

    /// The type `shape` is when it is a defined named type, not nullable.
    fn defined(&self, shape: &Shape) -> Option<&TypeDef<()>> {
        let TypeRef::Named(id) = &shape.ty else {
            return None;
        };
        self.defs[id.index()].as_ref().filter(|_| !shape.nullable)
    }

    /// Is the shape, not nullable, a named struct?
    pub fn is_struct(&self, shape: &Shape) -> bool {
        self.defined(shape)
            .is_some_and(|def| matches!(def.kind, TypeKind::Struct(_)))
    }

    /// The alternatives of `shape` when it is a union (not nullable).
    pub fn variants_of(&self, shape: &Shape) -> Option<&[Variant]> {
        match &self.defined(shape)?.kind {
            TypeKind::Union(variants) => Some(variants),
            _ => None,
        }
    }

    /// Whether `shape` is a union whose every alternative is an object
    /// (a multipart body of one of several sets of parts).
    pub fn is_union_of_structs(&self, shape: &Shape) -> bool {
        self.variants_of(shape).is_some_and(|variants| {
            !variants.is_empty()
                && variants
                    .iter()
                    .all(|variant| self.is_struct(&variant.shape))
        })
    }

    /// The types defined so far, for a pass that changes what some are.
    pub fn defs_mut(&mut self) -> impl Iterator<Item = &mut TypeDef<()>> {
        self.defs.iter_mut().flatten()
    }

    /// Whether `id` is one value on the wire, by the rule emit follows
    /// too ([`super::scalar_types`]).
    pub fn is_scalar(&self, id: TypeId) -> bool {
        let defined = self
            .defs
            .iter()
            .enumerate()
            .filter_map(|(at, def)| Some((TypeId::at(at), def.as_ref()?)));
        super::scalar_types(defined).contains(&id)
    }

    /// A `oneOf`/`anyOf` whose members are all string enums (often one
    /// value each, to document each value): their values, as one enum.
    fn enum_like_alternatives(&self, schema: &Schema) -> Option<Vec<String>> {
        let (_, members) = alternatives(schema)?;
        let mut values = Vec::new();
        for member in members {
            for value in string_enum(self.resolve(member)?)? {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        (!values.is_empty()).then_some(values)
    }

    /// The named types, the problems found, the warnings, and the Rust
    /// type of the schema at each place one was read.
    pub fn finish(mut self) -> Finished {
        let unmatched: Vec<_> = self.sensitive.unmatched().collect();
        for (entry, place) in unmatched {
            self.warn(
                Code::ConfigUnmatched,
                &place,
                format!(
                    "`sensitive` entry `{entry}` in the configuration matches no string property"
                ),
            );
        }
        let defs = self.defs.into_iter().zip(self.names).map(|(def, name)| {
            // Every id is given by `name_type` just before its type is
            // defined, and every definition ends in `store`.
            def.unwrap_or_else(|| panic!("the type `{name}` was named and never defined"))
        });
        Finished {
            types: Types::new(defs.collect()),
            problems: self.problems,
            warnings: self.warnings,
        }
    }

    /// Records something worth knowing that does not stop generation.
    pub fn warn(&mut self, code: Code, at: &str, message: impl Into<String>) {
        // A schema reached twice (on its own and inside an allOf) warns
        // once: `model::build` drops repeats.
        self.warnings.push(self.spec.diagnostic(code, at, message));
    }

    /// Takes the problems recorded since there were `since` of them.
    pub fn take_problems_since(&mut self, since: usize) -> Vec<Diagnostic> {
        self.problems.split_off(since.min(self.problems.len()))
    }

    /// How many problems are recorded.
    pub fn problem_count(&self) -> usize {
        self.problems.len()
    }

    /// Records a problem at `at`: what the model cannot represent, which
    /// lenient mode goes past (the operation it is in is left out).
    pub fn problem(&mut self, code: Code, at: &str, message: impl Into<String>) {
        debug_assert_eq!(code.class(), Class::Degradable, "{code:?}");
        let diagnostic = self.spec.diagnostic(code, at, message);
        self.problems.push(diagnostic);
    }

    /// The shape of a possibly referenced schema; inline objects and enums
    /// become named types called `hint`.
    pub fn shape(&mut self, schema: &ReferenceOr<Schema>, at: &str, hint: &str) -> Shape {
        match schema {
            ReferenceOr::Reference { reference } => self.referenced(reference, at),
            ReferenceOr::Item(schema) => self.shape_of(schema, at, hint),
        }
    }

    /// A reference's shape: the type it names, null too when the schema it
    /// names is `nullable` (the value of every reference to it may be null).
    fn referenced(&mut self, reference: &str, at: &str) -> Shape {
        let nullable = self
            .component(reference)
            .is_some_and(|schema| self.admits_null(schema, 0));
        Shape {
            nullable,
            ..plain(self.reference(reference, at))
        }
    }

    /// [`TypeRegistry::shape`] for the boxed schemas of properties and items.
    pub fn shape_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: &str,
        hint: &str,
    ) -> Shape {
        match schema {
            ReferenceOr::Reference { reference } => self.referenced(reference, at),
            ReferenceOr::Item(schema) => self.shape_of(schema, at, hint),
        }
    }

    /// Follows a schema `$ref` to the schema it names.
    pub fn resolve<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component(reference),
        }
    }

    fn resolve_boxed<'s>(&self, schema: &'s ReferenceOr<Box<Schema>>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component(reference),
        }
    }

    fn component(&self, reference: &str) -> Option<&'a Schema> {
        // Components may alias other components; validation ruled out dangling ones.
        let schemas = &self.spec.document.components.as_ref()?.schemas;
        crate::refs::component(reference, SCHEMAS, |name| schemas.get(name))
    }

    fn reference(&mut self, reference: &str, at: &str) -> TypeRef {
        if let Some(id) = self.component_type(reference) {
            return TypeRef::Named(id);
        }
        match self.deep_reference(reference, 0) {
            Some(id) => TypeRef::Named(id),
            None => {
                self.problem(
                    Code::RefWrongSection,
                    at,
                    format!("`$ref: {reference}` must point at a schema in this document"),
                );
                TypeRef::Any
            }
        }
    }

    /// The Rust type of the component schema a `$ref` names directly.
    fn component_type(&self, reference: &str) -> Option<TypeId> {
        let name = crate::refs::component_name(reference, SCHEMAS)?;
        self.component_names.get(name.as_ref()).copied()
    }

    /// The named type for a schema a `$ref` reaches anywhere in the
    /// document, defined on first use; `None` when the target is no schema.
    fn deep_reference(&mut self, reference: &str, hops: usize) -> Option<TypeId> {
        if let Some(id) = self.deep_names.get(reference) {
            return Some(*id);
        }
        if hops > crate::refs::MAX_CHAIN {
            return None;
        }
        let pointer = reference.strip_prefix('#')?;
        let node = self.spec.tree().pointer(pointer)?;
        match serde_json::from_value::<ReferenceOr<Schema>>(node.clone()).ok()? {
            ReferenceOr::Reference { reference: next } => self
                .component_type(&next)
                .or_else(|| self.deep_reference(&next, hops + 1)),
            ReferenceOr::Item(schema) => {
                let id = self.name_type(&deep_name(reference));
                // Named before it is defined, so that it may refer to itself.
                self.deep_names.insert(reference.to_owned(), id);
                self.define(id, &schema, reference);
                Some(id)
            }
        }
    }

    /// What the spec says of an enum's values, by value as JSON: names
    /// (`x-enum-varnames`, OpenAPI Generator's, or `x-enumNames`, NSwag's)
    /// and descriptions (`x-enum-descriptions`), each a list with one entry
    /// per entry of `enum` as written; a list of another length, or not of
    /// text, is ignored with a warning.
    fn enum_labels(&mut self, schema: &Schema, at: &str) -> EnumLabels {
        let written = written_enum(schema);
        let mut list = |keys: &[&str], what: &str| -> Vec<(serde_json::Value, String)> {
            let Some((key, entries)) = keys
                .iter()
                .find_map(|key| Some((*key, schema.schema_data.extensions.get(*key)?)))
            else {
                return Vec::new();
            };
            let entries: Option<Vec<String>> = entries
                .as_array()
                .filter(|entries| entries.len() == written.len())
                .and_then(|entries| {
                    entries
                        .iter()
                        .map(|entry| entry.as_str().map(str::to_owned))
                        .collect()
                });
            match entries {
                Some(entries) => written.iter().cloned().zip(entries).collect(),
                None => {
                    self.warn(
                        Code::EnumLabels,
                        &pointer(at, &[key]),
                        format!(
                            "`{key}` does not give one {what} per value of the enum ({}); it is ignored",
                            written.len()
                        ),
                    );
                    Vec::new()
                }
            }
        };
        EnumLabels {
            names: list(&["x-enum-varnames", "x-enumNames"], "name"),
            descriptions: list(&["x-enum-descriptions"], "description"),
        }
    }

    /// Reserves a type name for something emitted outside `types/`.
    pub fn reserve_name(&mut self, base: &str) -> String {
        self.unique(&type_name(base))
    }

    fn unique(&mut self, base: &str) -> String {
        crate::names::unique_in(&mut self.used_names, base.to_owned())
    }

    /// Gives a type about to be defined its name (from `base`, unique) and
    /// its id.
    fn name_type(&mut self, base: &str) -> TypeId {
        let name = self.unique(&type_name(base));
        self.names.push(name);
        self.defs.push(None);
        TypeId::at(self.names.len() - 1)
    }

    /// Defines the type `id` as `kind`, with the description (or title)
    /// and deprecation of the schema it is written as, if any.
    fn store(&mut self, id: TypeId, schema: Option<&Schema>, at: String, kind: TypeKind) {
        let data = schema.map(|schema| &schema.schema_data);
        self.defs[id.index()] = Some(TypeDef {
            name: self.names[id.index()].clone(),
            description: data
                .and_then(|data| data.description.clone().or_else(|| data.title.clone())),
            deprecated: data.is_some_and(|data| data.deprecated),
            pointer: at,
            kind,
            decided: (),
        });
    }

    /// Defines the named type `id` for `schema`.
    fn define(&mut self, id: TypeId, schema: &Schema, at: &str) {
        let name = self.names[id.index()].clone();
        let kind = if let Some(values) = string_enum(schema) {
            let labels = self.enum_labels(schema, at);
            TypeKind::Enum(enum_values(values, |value| {
                labels.of(&json!(value), || type_name(value))
            }))
        } else if let Some(values) = integer_enum(schema) {
            let labels = self.enum_labels(schema, at);
            TypeKind::IntegerEnum(enum_values(values, |value| {
                labels.of(&json!(value), || number_variant(&value.to_string()))
            }))
        } else if let Some(values) = number_enum(schema) {
            let labels = self.enum_labels(schema, at);
            TypeKind::NumberEnum(enum_values(values, |value| {
                labels.of(&json!(value), || number_variant(&value.to_string()))
            }))
        } else if let Some(values) = self.enum_like_alternatives(schema) {
            TypeKind::Enum(enum_values(values, |value| (type_name(value), None)))
        } else if let Some((keyword, members)) = alternatives(schema) {
            let discriminator = schema.schema_data.discriminator.as_ref();
            TypeKind::Union(self.variants(&name, keyword, members, discriminator, at))
        } else if let Some(narrowed) = self.narrowed_scalar(schema) {
            let mut shape = self.shape_of(&narrowed, at, &format!("{name}Item"));
            shape.nullable = schema.schema_data.nullable;
            TypeKind::Newtype(shape)
        } else if let Some(member) = self.lone_non_object_member(schema) {
            // `allOf: [$ref: Union]` names its one member; nothing to merge.
            let mut shape = self.shape(member, &pointer(at, &["allOf", "0"]), &name);
            shape.nullable |= schema.schema_data.nullable;
            TypeKind::Newtype(shape)
        } else if self.all_of_says_nothing(schema) {
            // `allOf: [Any, Any]`: any value, not an object with no fields.
            TypeKind::Newtype(Shape {
                ty: TypeRef::Any,
                nullable: schema.schema_data.nullable,
                constraints: Constraints::default(),
            })
        } else if let Some(distributed) = self.distributed(schema) {
            TypeKind::Union(self.distributed_variants(&name, schema, distributed, at))
        } else if let Some(parts) = self.object_parts(schema, at) {
            TypeKind::Struct(self.build_struct(&name, parts, at))
        } else {
            let mut shape = self.shape_of(schema, at, &format!("{name}Item"));
            shape.nullable = schema.schema_data.nullable;
            TypeKind::Newtype(shape)
        };
        self.store(id, Some(schema), at.to_owned(), kind);
    }

    fn define_inline(&mut self, hint: &str, schema: &Schema, at: &str) -> TypeRef {
        if let Some(id) = self.inline_in_progress.get(at) {
            return TypeRef::Named(*id);
        }
        let id = self.name_type(hint);
        self.inline_in_progress.insert(at.to_owned(), id);
        self.define(id, schema, at);
        self.inline_in_progress.remove(at);
        TypeRef::Named(id)
    }

    fn shape_of(&mut self, schema: &Schema, at: &str, hint: &str) -> Shape {
        if let Some(default) = &schema.schema_data.default
            && let Some(expected) = json_type(schema)
            && !fits(default, expected)
        {
            let article = if expected.starts_with(['a', 'i', 'o']) {
                "an"
            } else {
                "a"
            };
            self.warn(
                Code::DefaultMismatch,
                &pointer(at, &["default"]),
                format!("default {default} is not {article} {expected}; it is ignored"),
            );
        }
        let mut constraints = Constraints::default();
        let ty = match &schema.schema_kind {
            // `enum: [null]`: the value is always null, which any JSON value holds.
            SchemaKind::Type(Type::String(string))
                if !string.enumeration.is_empty() && string_enum(schema).is_none() =>
            {
                TypeRef::Any
            }
            SchemaKind::Type(Type::String(string)) => {
                if string_enum(schema).is_some() {
                    self.define_inline(hint, schema, at)
                } else if let Some(typed) = typed_format(match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
                    VariantOrUnknownOrEmpty::Unknown(format) => Some(format.as_str()),
                    _ => None,
                }) {
                    // The type parses the format; length and pattern add nothing.
                    typed
                } else {
                    constraints.min_length = string.min_length.map(|n| n as u64);
                    constraints.max_length = string.max_length.map(|n| n as u64);
                    // Validation refused an uncompilable pattern unless
                    // lenient, which leaves the value unchecked.
                    constraints.pattern = string
                        .pattern
                        .clone()
                        .filter(|pattern| !self.broken_patterns.contains(pattern));
                    let password = matches!(
                        string.format,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Password)
                    );
                    let marked = schema.schema_data.extensions.get("x-sensitive")
                        == Some(&serde_json::Value::Bool(true));
                    // Evaluated always, so that every matching rule counts as used.
                    let named = self.sensitive.contains(at);
                    if password || marked || named {
                        TypeRef::Password
                    } else {
                        TypeRef::String
                    }
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if integer_enum(schema).is_some() {
                    return Shape {
                        ty: self.define_inline(hint, schema, at),
                        nullable: schema.schema_data.nullable,
                        constraints: Constraints::default(),
                    };
                }
                let int32 = matches!(
                    integer.format,
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
                );
                let (ty, minimum, maximum) = integer_bounds(
                    int32,
                    integer.minimum.map(|n| (n, integer.exclusive_minimum)),
                    integer.maximum.map(|n| (n, integer.exclusive_maximum)),
                );
                constraints.minimum = minimum;
                constraints.maximum = maximum;
                ty
            }
            SchemaKind::Type(Type::Number(number)) => {
                if integer_enum(schema).is_some() || number_enum(schema).is_some() {
                    return Shape {
                        ty: self.define_inline(hint, schema, at),
                        nullable: schema.schema_data.nullable,
                        constraints: Constraints::default(),
                    };
                }
                constraints.minimum = number
                    .minimum
                    .map(|n| (Bound::Number(n), number.exclusive_minimum));
                constraints.maximum = number
                    .maximum
                    .map(|n| (Bound::Number(n), number.exclusive_maximum));
                match number.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::Number(32),
                    _ => TypeRef::Number(64),
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(array)) => {
                constraints.min_items = array.min_items.map(|n| n as u64);
                constraints.max_items = array.max_items.map(|n| n as u64);
                let item_hint = format!("{hint}Item");
                let items = match &array.items {
                    Some(items) => self.shape_boxed(items, &pointer(at, &["items"]), &item_hint),
                    None => plain(TypeRef::Any),
                };
                TypeRef::Array(Box::new(items))
            }
            SchemaKind::Type(Type::Object(object)) => {
                if object.properties.is_empty() {
                    constraints.min_properties = object.min_properties.map(|n| n as u64);
                    constraints.max_properties = object.max_properties.map(|n| n as u64);
                    TypeRef::Map(Box::new(self.additional(
                        object.additional_properties.as_ref(),
                        at,
                        hint,
                    )))
                } else {
                    self.define_inline(hint, schema, at)
                }
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let inner = self.shape(&all_of[0], &pointer(at, &["allOf", "0"]), hint);
                return Shape {
                    nullable: schema.schema_data.nullable || inner.nullable,
                    ..inner
                };
            }
            // An empty `allOf` (lenient mode only) constrains nothing.
            SchemaKind::AllOf { all_of } if all_of.is_empty() => TypeRef::Any,
            SchemaKind::AllOf { .. } if let Some(narrowed) = self.narrowed_scalar(schema) => {
                let mut shape = self.shape_of(&narrowed, at, hint);
                shape.nullable = schema.schema_data.nullable;
                return shape;
            }
            // A `$ref` to a scalar or a union with a description added.
            SchemaKind::AllOf { all_of }
                if let Some(member) = self.lone_non_object_member(schema) =>
            {
                let index = all_of
                    .iter()
                    .position(|candidate| std::ptr::eq(candidate, member))
                    .unwrap_or(0);
                let inner = self.shape(member, &pointer(at, &["allOf", &index.to_string()]), hint);
                return Shape {
                    nullable: schema.schema_data.nullable || inner.nullable,
                    ..inner
                };
            }
            SchemaKind::AllOf { .. } => self.define_inline(hint, schema, at),
            SchemaKind::Any(any) if !any.properties.is_empty() || !any.all_of.is_empty() => {
                self.define_inline(hint, schema, at)
            }
            _ if alternatives(schema).is_some() => self.define_inline(hint, schema, at),
            SchemaKind::Any(any) if any.typ.is_some() && any.not.is_none() => {
                // A typed schema with keywords its type does not take (a
                // `pattern` on an integer, say): keep the type, drop the strays.
                return self.shape_of_loose(any, schema.schema_data.nullable, at, hint);
            }
            SchemaKind::Any(any) => {
                if any.not.is_some() {
                    self.problem(Code::Not, at, "`not` is not supported");
                }
                TypeRef::Any
            }
            SchemaKind::Not { .. } => {
                self.problem(Code::Not, at, "`not` is not supported");
                TypeRef::Any
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => TypeRef::Any,
        };
        Shape {
            ty,
            nullable: schema.schema_data.nullable,
            constraints,
        }
    }

    /// The shape of a schema `openapiv3` could not type: by its `type`.
    fn shape_of_loose(&mut self, any: &AnySchema, nullable: bool, at: &str, hint: &str) -> Shape {
        let mut constraints = Constraints::default();
        let format = any.format.as_deref();
        let ty = match any.typ.as_deref() {
            Some("string") => {
                constraints.min_length = any.min_length.map(|n| n as u64);
                constraints.max_length = any.max_length.map(|n| n as u64);
                constraints.pattern = any.pattern.clone();
                if let Some(typed) = typed_format(format) {
                    constraints = Constraints::default();
                    typed
                } else if format == Some("password") {
                    TypeRef::Password
                } else {
                    TypeRef::String
                }
            }
            Some("integer") => {
                // pydantic writes `maximum: 11.0` for an integer: the
                // typed reader wants a whole number there, so such a schema
                // lands here. `11.0` means 11; a bound with a fraction is
                // rounded inward, which is the same set of integers.
                let mut whole =
                    |bound: Option<f64>, exclusive: Option<bool>, key: &str, up: bool| {
                        let bound = bound.filter(|bound| bound.is_finite())?;
                        let exclusive = exclusive.unwrap_or(false);
                        if bound.fract() == 0.0 {
                            // Saturates past i64: then clamped as any bound is.
                            return Some((bound as i64, exclusive));
                        }
                        let rounded = if up { bound.ceil() } else { bound.floor() };
                        self.warn(
                        Code::IntegerBoundFraction,
                        &pointer(at, &[key]),
                        format!(
                            "{key} {bound} of an integer is not a whole number; read as {rounded}"
                        ),
                    );
                        Some((rounded as i64, false))
                    };
                let minimum = whole(any.minimum, any.exclusive_minimum, "minimum", true);
                let maximum = whole(any.maximum, any.exclusive_maximum, "maximum", false);
                let (ty, minimum, maximum) =
                    integer_bounds(format == Some("int32"), minimum, maximum);
                constraints.minimum = minimum;
                constraints.maximum = maximum;
                ty
            }
            Some("number") => {
                constraints.minimum = any
                    .minimum
                    .map(|n| (Bound::Number(n), any.exclusive_minimum.unwrap_or(false)));
                constraints.maximum = any
                    .maximum
                    .map(|n| (Bound::Number(n), any.exclusive_maximum.unwrap_or(false)));
                TypeRef::Number(if format == Some("float") { 32 } else { 64 })
            }
            Some("boolean") => TypeRef::Boolean,
            Some("array") => {
                constraints.min_items = any.min_items.map(|n| n as u64);
                constraints.max_items = any.max_items.map(|n| n as u64);
                let items = match &any.items {
                    Some(items) => {
                        self.shape_boxed(items, &pointer(at, &["items"]), &format!("{hint}Item"))
                    }
                    None => plain(TypeRef::Any),
                };
                TypeRef::Array(Box::new(items))
            }
            Some("object") => TypeRef::Map(Box::new(self.additional(
                any.additional_properties.as_ref(),
                at,
                hint,
            ))),
            _ => TypeRef::Any,
        };
        Shape {
            ty,
            nullable,
            constraints,
        }
    }

    fn additional(
        &mut self,
        additional: Option<&AdditionalProperties>,
        at: &str,
        hint: &str,
    ) -> Shape {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => self.shape(
                schema,
                &pointer(at, &["additionalProperties"]),
                &format!("{hint}Value"),
            ),
            Some(AdditionalProperties::Any(_)) | None => plain(TypeRef::Any),
        }
    }

    /// The one member of an `allOf` that is no object schema (a union, a
    /// string, an enum), beside members that only annotate it (a
    /// description, `readOnly`, as Lago and lichess add to a `$ref`): such
    /// an `allOf` stands for that member.
    fn lone_non_object_member<'s>(&self, schema: &'s Schema) -> Option<&'s ReferenceOr<Schema>>
    where
        'a: 's,
    {
        let members = all_of_members(schema)?;
        let mut said = members.iter().filter(|member| {
            self.resolve(member).is_none_or(|resolved| {
                !matches!(annotation_only(resolved), Some(required) if required.is_empty())
                    || !matches!(&resolved.schema_kind, SchemaKind::Any(any) if any.typ.is_none())
            })
        });
        let member = match (said.next(), said.next()) {
            (Some(member), None) => member,
            // One member that says nothing itself (`allOf: [{}]`): it.
            (None, _) if members.len() == 1 => &members[0],
            _ => return None,
        };
        let resolved = self.resolve(member)?;
        let object = matches!(&resolved.schema_kind, SchemaKind::Type(Type::Object(_)))
            || matches!(&resolved.schema_kind, SchemaKind::AllOf { .. })
            || matches!(&resolved.schema_kind, SchemaKind::Any(any) if !any.properties.is_empty() || !any.all_of.is_empty());
        (!object).then_some(member)
    }

    /// An `allOf` of one scalar schema and members that only narrow it
    /// (`[$ref: Label, {maxLength: 16}]`, DigitalOcean's volume labels) or
    /// annotate it, as one schema: the scalar with every bound applied.
    fn narrowed_scalar(&self, schema: &Schema) -> Option<Schema> {
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_none() => {
                any.all_of.as_slice()
            }
            _ => return None,
        };
        let mut scalar: Option<Schema> = None;
        let mut bounds: Vec<&AnySchema> = Vec::new();
        for member in members {
            let resolved = self.resolve(member)?;
            match &resolved.schema_kind {
                SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => {}
                SchemaKind::Type(Type::Integer(integer)) if integer.enumeration.is_empty() => {}
                SchemaKind::Type(Type::Number(number)) if number.enumeration.is_empty() => {}
                SchemaKind::Any(any)
                    if any.properties.is_empty()
                        && any.items.is_none()
                        && any.additional_properties.is_none()
                        && any.enumeration.is_empty()
                        && any.one_of.is_empty()
                        && any.all_of.is_empty()
                        && any.any_of.is_empty()
                        && any.not.is_none()
                        && matches!(
                            any.typ.as_deref(),
                            None | Some("string" | "integer" | "number")
                        ) =>
                {
                    bounds.push(any);
                    continue;
                }
                _ if annotation_only(resolved).is_some_and(|required| required.is_empty()) => {
                    continue;
                }
                _ => return None,
            }
            if scalar.replace(resolved.clone()).is_some() {
                return None;
            }
        }
        let mut scalar = scalar?;
        if bounds.is_empty() {
            return None;
        }
        for bound in bounds {
            match &mut scalar.schema_kind {
                SchemaKind::Type(Type::String(string)) => {
                    string.min_length = string.min_length.max(bound.min_length);
                    string.max_length = match (string.max_length, bound.max_length) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    if string.pattern.is_none() {
                        string.pattern.clone_from(&bound.pattern);
                    }
                }
                SchemaKind::Type(Type::Integer(integer)) => {
                    // `as` saturates: a bound past i64's ends is the end.
                    if let Some(minimum) = bound.minimum {
                        let minimum = minimum.ceil() as i64;
                        integer.minimum = Some(integer.minimum.map_or(minimum, |a| a.max(minimum)));
                    }
                    if let Some(maximum) = bound.maximum {
                        let maximum = maximum.floor() as i64;
                        integer.maximum = Some(integer.maximum.map_or(maximum, |a| a.min(maximum)));
                    }
                }
                SchemaKind::Type(Type::Number(number)) => {
                    if let Some(minimum) = bound.minimum {
                        number.minimum = Some(number.minimum.map_or(minimum, |a| a.max(minimum)));
                    }
                    if let Some(maximum) = bound.maximum {
                        number.maximum = Some(number.maximum.map_or(maximum, |a| a.min(maximum)));
                    }
                }
                _ => return None,
            }
        }
        scalar.schema_data.nullable = schema.schema_data.nullable;
        if schema.schema_data.description.is_some() {
            scalar
                .schema_data
                .description
                .clone_from(&schema.schema_data.description);
        }
        Some(scalar)
    }

    /// Whether null is a value of `schema`: it is `nullable`, or an
    /// `allOf` whose every member is (`Error: allOf [$ref: Problem]` with
    /// `Problem` nullable). `depth` bounds an `allOf` that includes itself.
    fn admits_null(&self, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) if any.typ.is_none() => any.all_of.as_slice(),
            _ => return false,
        };
        depth < MAX_ALL_OF_DEPTH
            && !members.is_empty()
            && members.iter().all(|member| {
                self.resolve(member)
                    .is_some_and(|member| self.admits_null(member, depth + 1))
            })
    }

    /// Whether `schema` is an `allOf` of several members that each say
    /// nothing of the value (no type, no properties: `{}` or annotations
    /// only), and so accepts any value.
    fn all_of_says_nothing(&self, schema: &Schema) -> bool {
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_none() => {
                any.all_of.as_slice()
            }
            _ => return false,
        };
        members.len() > 1
            && members.iter().all(|member| {
                self.resolve(member).is_some_and(|resolved| {
                annotation_only(resolved).is_some()
                    && matches!(&resolved.schema_kind, SchemaKind::Any(any) if any.typ.is_none())
            })
            })
    }

    fn object_parts<'s>(&mut self, schema: &'s Schema, at: &str) -> Option<ObjectParts<'s>>
    where
        'a: 's,
    {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                Some(ObjectParts {
                    properties: object
                        .properties
                        .iter()
                        .map(|(name, schema)| {
                            (name.as_str(), schema, pointer(at, &["properties", name]))
                        })
                        .collect(),
                    required: object.required.iter().map(String::as_str).collect(),
                    min_properties: object.min_properties,
                    max_properties: object.max_properties,
                })
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let mut parts = ObjectParts {
                    properties: any
                        .properties
                        .iter()
                        .map(|(name, schema)| {
                            (name.as_str(), schema, pointer(at, &["properties", name]))
                        })
                        .collect(),
                    required: any.required.iter().map(String::as_str).collect(),
                    min_properties: any.min_properties,
                    max_properties: any.max_properties,
                };
                self.merge_all_of(&mut parts, &any.all_of, at);
                Some(parts)
            }
            SchemaKind::AllOf { all_of } | SchemaKind::Any(AnySchema { all_of, .. })
                if !all_of.is_empty() =>
            {
                let mut parts = ObjectParts {
                    properties: Vec::new(),
                    required: Vec::new(),
                    min_properties: None,
                    max_properties: None,
                };
                self.merge_all_of(&mut parts, all_of, at);
                Some(parts)
            }
            _ => None,
        }
    }

    fn merge_all_of<'s>(
        &mut self,
        parts: &mut ObjectParts<'s>,
        all_of: &'s [ReferenceOr<Schema>],
        at: &str,
    ) where
        'a: 's,
    {
        if self.all_of_stack.len() >= MAX_ALL_OF_DEPTH {
            if !std::mem::replace(&mut self.all_of_limit_reported, true) {
                self.problem(
                    Code::AllOfTooDeep,
                    at,
                    format!(
                        "allOf nests more than {MAX_ALL_OF_DEPTH} schemas deep here (the most the generator merges): too long a chain to merge, though no schema in it repeats"
                    ),
                );
            }
            return;
        }
        for (index, member) in all_of.iter().enumerate() {
            let member_at = pointer(at, &["allOf", &index.to_string()]);
            self.merge_member(parts, member, &member_at, at);
        }
    }

    /// Merges one `allOf` member, written at `member_at` in the schema at
    /// `at`, into `parts`.
    fn merge_member<'s>(
        &mut self,
        parts: &mut ObjectParts<'s>,
        member: &'s ReferenceOr<Schema>,
        member_at: &str,
        at: &str,
    ) where
        'a: 's,
    {
        // A referenced member's properties are written where it lives.
        let member_at = match member {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => member_at.to_owned(),
        };
        if let ReferenceOr::Reference { reference } = member {
            if let Some(start) = self.all_of_stack.iter().position(|open| open == reference) {
                let mut cycle = self.all_of_stack[start..].to_vec();
                cycle.push(reference.clone());
                self.problem(
                    Code::AllOfCycle,
                    at,
                    format!("allOf includes itself: {}", cycle.join(" → ")),
                );
                return;
            }
            self.all_of_stack.push(reference.clone());
        }
        let merged = self
            .resolve(member)
            .and_then(|schema| self.object_parts(schema, &member_at));
        if matches!(member, ReferenceOr::Reference { .. }) {
            self.all_of_stack.pop();
        }
        match merged {
            Some(member) => {
                crate::all_of::overlay(&mut parts.properties, member.properties, |p| p.0);
                parts.required.extend(member.required);
                parts.min_properties = parts.min_properties.or(member.min_properties);
                parts.max_properties = parts.max_properties.or(member.max_properties);
            }
            None => match self.resolve(member) {
                // `required`, a description, `readOnly`, `nullable`,
                // `deprecated`: nothing to merge but the names it requires.
                Some(resolved) if let Some(required) = annotation_only(resolved) => {
                    parts.required.extend(required)
                }
                // `anyOf: [{required: [a]}, {required: [b]}]` (DigitalOcean's
                // firewall rules): one of the fields must be set, a rule
                // between fields that their types cannot hold; they stay
                // optional, and the server checks the rule.
                Some(resolved) if self.only_requires(resolved) => {}
                _ => self.problem(
                    Code::AllOfMember,
                    &member_at,
                    "every allOf member must be an object schema",
                ),
            },
        }
    }

    /// Whether `schema` is a `oneOf` or `anyOf` whose alternatives only
    /// require fields (`anyOf: [{required: [a]}, {required: [b]}]`).
    fn only_requires(&self, schema: &Schema) -> bool {
        alternatives(schema).is_some_and(|(_, alternatives)| {
            alternatives.iter().all(|alternative| {
                self.resolve(alternative)
                    .is_some_and(|alternative| annotation_only(alternative).is_some())
            })
        })
    }

    /// An `allOf` of objects and one `oneOf` or `anyOf` whose every
    /// alternative is an object (lichess's challenge and seek forms,
    /// Equinix Metal's device batches): the index of that member in the
    /// `allOf`, its keyword and its alternatives.
    fn distributed<'s>(
        &self,
        schema: &'s Schema,
    ) -> Option<(usize, &'static str, &'s [ReferenceOr<Schema>])>
    where
        'a: 's,
    {
        let members = all_of_members(schema)?;
        let object_like = |schema: &Schema| {
            matches!(&schema.schema_kind, SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty())
                || matches!(&schema.schema_kind, SchemaKind::Any(any) if !any.properties.is_empty() && alternatives(schema).is_none())
                || matches!(&schema.schema_kind, SchemaKind::AllOf { .. })
        };
        let mut found = None;
        for (index, member) in members.iter().enumerate() {
            let resolved = self.resolve(member)?;
            match alternatives(resolved) {
                Some((keyword, alternatives))
                    if found.is_none()
                        && !matches!(&resolved.schema_kind, SchemaKind::Any(any) if !any.properties.is_empty())
                        && alternatives.iter().all(|alternative| {
                            // An object without properties too (lichess's
                            // correspondence challenge adds nothing).
                            self.resolve(alternative).is_some_and(|alternative| {
                                object_like(alternative)
                                    || matches!(
                                        &alternative.schema_kind,
                                        SchemaKind::Type(Type::Object(_))
                                    )
                            })
                        }) =>
                {
                    found = Some((index, keyword, alternatives));
                }
                _ if object_like(resolved)
                    || annotation_only(resolved).is_some()
                    || self.only_requires(resolved) => {}
                _ => return None,
            }
        }
        found
    }

    /// The alternatives of a [`distributed`](Self::distributed) `allOf`:
    /// each the other members merged with one alternative, as a struct of
    /// its own.
    fn distributed_variants<'s>(
        &mut self,
        name: &str,
        schema: &'s Schema,
        (union_index, keyword, alternatives): (usize, &'static str, &'s [ReferenceOr<Schema>]),
        at: &str,
    ) -> Vec<Variant>
    where
        'a: 's,
    {
        let members = all_of_members(schema).unwrap_or_default();
        let mut used = BTreeSet::new();
        let mut variants = Vec::new();
        for (index, alternative) in alternatives.iter().enumerate() {
            let alternative_at = pointer(
                at,
                &[
                    "allOf",
                    &union_index.to_string(),
                    keyword,
                    &index.to_string(),
                ],
            );
            let mut parts = ObjectParts {
                properties: Vec::new(),
                required: Vec::new(),
                min_properties: None,
                max_properties: None,
            };
            for (member_index, member) in members.iter().enumerate() {
                if member_index != union_index {
                    let member_at = pointer(at, &["allOf", &member_index.to_string()]);
                    self.merge_member(&mut parts, member, &member_at, at);
                }
            }
            self.merge_member(&mut parts, alternative, &alternative_at, at);
            let resolved = self.resolve(alternative);
            let base = match alternative {
                ReferenceOr::Reference { reference } => {
                    type_name(reference.rsplit('/').next().unwrap_or_default())
                }
                ReferenceOr::Item(_) => resolved
                    .and_then(|schema| schema.schema_data.title.as_deref())
                    .map(type_name)
                    .unwrap_or_else(|| format!("Option{}", index + 1)),
            };
            let id = self.name_type(&format!("{name}{base}"));
            let struct_name = self.names[id.index()].clone();
            let fields = self.build_struct(&struct_name, parts, &alternative_at);
            self.store(id, resolved, alternative_at, TypeKind::Struct(fields));
            variants.push(Variant {
                name: crate::names::unique_in(&mut used, base),
                shape: Shape {
                    ty: TypeRef::Named(id),
                    nullable: false,
                    constraints: Constraints::default(),
                },
                discriminator: None,
                boxed: false,
            });
        }
        variants
    }

    fn variants(
        &mut self,
        name: &str,
        keyword: &str,
        members: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        at: &str,
    ) -> Vec<Variant> {
        let mut used = BTreeSet::new();
        let mut variants = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_at = pointer(at, &[keyword, &index.to_string()]);
            let shape = self.shape(member, &member_at, &format!("{name}Option{}", index + 1));
            let base = match &shape.ty {
                TypeRef::Named(id) => self.names[id.index()].clone(),
                TypeRef::String | TypeRef::Password => "String".to_owned(),
                TypeRef::Integer(_) => "Integer".to_owned(),
                TypeRef::Number(_) => "Number".to_owned(),
                TypeRef::Boolean => "Boolean".to_owned(),
                TypeRef::DateTime => "DateTime".to_owned(),
                TypeRef::Date => "Date".to_owned(),
                TypeRef::Uuid => "Uuid".to_owned(),
                TypeRef::Binary => "Binary".to_owned(),
                TypeRef::Array(_) => "List".to_owned(),
                TypeRef::Map(_) => "Map".to_owned(),
                TypeRef::Any => "Value".to_owned(),
                TypeRef::Bytes => "Bytes".to_owned(),
            };
            let variant = crate::names::unique_in(&mut used, base);
            let tags = discriminator.map(|discriminator| {
                let reference = match member {
                    ReferenceOr::Reference { reference } => reference.as_str(),
                    ReferenceOr::Item(_) => "",
                };
                let component = reference.strip_prefix(SCHEMAS).unwrap_or_default();
                let mut values: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        !component.is_empty()
                            && (target.as_str() == reference || target.as_str() == component)
                    })
                    .map(|(value, _)| value.clone())
                    .collect();
                if values.is_empty() && !component.is_empty() {
                    values.push(component.to_owned());
                }
                (discriminator.property_name.clone(), values)
            });
            variants.push(Variant {
                name: variant,
                shape,
                discriminator: tags,
                boxed: false,
            });
        }
        variants
    }

    fn build_struct(&mut self, name: &str, parts: ObjectParts<'_>, at: &str) -> Struct {
        let mut fields = Vec::new();
        for (property, schema, field_at) in parts.properties {
            let hint = format!("{name}{}", type_name(property));
            let shape = self.shape_boxed(schema, &field_at, &hint);
            let data = self.resolve_boxed(schema).map(|schema| &schema.schema_data);
            // Both at once says nothing about direction: the field goes both ways.
            let (read_only, write_only) = (
                data.is_some_and(|data| data.read_only),
                data.is_some_and(|data| data.write_only),
            );
            fields.push(Field {
                name: property.to_owned(),
                written_elsewhere: (field_at != pointer(at, &["properties", property]))
                    .then(|| field_at.clone()),
                rust_name: String::new(),
                setter: String::new(),
                description: data
                    .and_then(|data| data.description.clone().or_else(|| data.title.clone())),
                required: parts.required.contains(&property),
                read_only: read_only && !write_only,
                write_only: write_only && !read_only,
                omitted_from_requests: false,
                omitted_from_responses: false,
                tri_state: false,
                null_setter: String::new(),
                unset_is_refused: false,
                deprecated: data.is_some_and(|data| data.deprecated),
                shape,
                boxed: false,
            });
        }
        // JSON Schema lets `required` name a property `properties` does not
        // describe: it must be there, with any value.
        for required in &parts.required {
            if !fields.iter().any(|field| field.name == *required) {
                self.warn(
                    Code::RequiredWithoutSchema,
                    &pointer(at, &["required"]),
                    format!(
                        "required property `{required}` has no schema; it becomes a required field of any JSON value"
                    ),
                );
                fields.push(Field {
                    name: (*required).to_owned(),
                    written_elsewhere: Some(pointer(at, &["required"])),
                    rust_name: String::new(),
                    setter: String::new(),
                    description: None,
                    required: true,
                    read_only: false,
                    write_only: false,
                    omitted_from_requests: false,
                    omitted_from_responses: false,
                    tri_state: false,
                    null_setter: String::new(),
                    unset_is_refused: false,
                    deprecated: false,
                    shape: plain(TypeRef::Any),
                    boxed: false,
                });
            }
        }
        // Names that differ only in punctuation or case meet in snake case.
        let mut taken = BTreeSet::new();
        for field in &mut fields {
            field.rust_name = crate::names::unique_in(&mut taken, field_name(&field.name));
        }
        let mut setters = BTreeSet::new();
        for field in &mut fields {
            field.setter =
                crate::names::unique_in(&mut setters, crate::names::setter_name(&field.rust_name));
        }
        Struct {
            fields,
            min_properties: parts.min_properties.map(|n| n as u64),
            max_properties: parts.max_properties.map(|n| n as u64),
        }
    }
}

/// The names an `allOf` member requires when it only annotates (a
/// description, `required`, `readOnly`, `nullable`, `deprecated`, an
/// object without properties): `None` when it says anything about a value
/// that an object's merge would lose.
fn annotation_only(schema: &Schema) -> Option<Vec<&str>> {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            let says_nothing_else = matches!(any.typ.as_deref(), None | Some("object"))
                && any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
                && any.pattern.is_none()
                && any.format.is_none()
                && any.minimum.is_none()
                && any.maximum.is_none()
                && any.multiple_of.is_none()
                && any.min_length.is_none()
                && any.max_length.is_none()
                && any.min_items.is_none()
                && any.max_items.is_none()
                && any.min_properties.is_none()
                && any.max_properties.is_none();
            says_nothing_else.then(|| any.required.iter().map(String::as_str).collect())
        }
        SchemaKind::Type(Type::Object(object))
            if object.properties.is_empty()
                && object.additional_properties.is_none()
                && object.min_properties.is_none()
                && object.max_properties.is_none() =>
        {
            Some(object.required.iter().map(String::as_str).collect())
        }
        _ => None,
    }
}

/// The members of a `oneOf` or `anyOf`, with the keyword for pointers.
/// The members of a `oneOf` or `anyOf`. An empty list, which validation
/// lets through only in lenient mode, is none: the value is left untyped.
fn alternatives(schema: &Schema) -> Option<(&'static str, &[ReferenceOr<Schema>])> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } if !one_of.is_empty() => Some(("oneOf", one_of)),
        SchemaKind::AnyOf { any_of } if !any_of.is_empty() => Some(("anyOf", any_of)),
        SchemaKind::Any(any) if !any.one_of.is_empty() => Some(("oneOf", &any.one_of)),
        SchemaKind::Any(any) if !any.any_of.is_empty() => Some(("anyOf", &any.any_of)),
        _ => None,
    }
}

/// The JSON type a schema declares, when it declares one.
fn json_type(schema: &Schema) -> Option<&'static str> {
    Some(match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "string",
        SchemaKind::Type(Type::Integer(_)) => "integer",
        SchemaKind::Type(Type::Number(_)) => "number",
        SchemaKind::Type(Type::Boolean(_)) => "boolean",
        SchemaKind::Type(Type::Array(_)) => "array",
        SchemaKind::Type(Type::Object(_)) => "object",
        _ => return None,
    })
}

fn fits(value: &serde_json::Value, expected: &str) -> bool {
    match expected {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// Newtypes that go on the wire as one value: a secret's `Display` is
/// redacted, so it is no such newtype.
pub fn is_scalar_newtype(shape: &Shape) -> bool {
    !shape.nullable && shape.ty != TypeRef::Password && shape.ty.is_text_value()
}

/// The typed Rust value for a string `format`, when there is one.
fn typed_format(format: Option<&str>) -> Option<TypeRef> {
    match format? {
        "date-time" => Some(TypeRef::DateTime),
        "date" => Some(TypeRef::Date),
        "uuid" => Some(TypeRef::Uuid),
        "binary" => Some(TypeRef::Binary),
        _ => None,
    }
}

/// A shape without constraints.
fn plain(ty: TypeRef) -> Shape {
    Shape {
        ty,
        nullable: false,
        constraints: Constraints::default(),
    }
}

/// An integer's Rust type (`int32` or not) and its bounds, each a value
/// and whether it is exclusive. A bound outside the Rust type's range is
/// either met by every value (dropped) or by none (the type's edge,
/// exclusive): as written, its literal would not compile.
type IntegerBound = Option<(Bound, bool)>;

fn integer_bounds(
    int32: bool,
    minimum: Option<(i64, bool)>,
    maximum: Option<(i64, bool)>,
) -> (TypeRef, IntegerBound, IntegerBound) {
    let (ty, low, high) = if int32 {
        (
            TypeRef::Integer(32),
            i64::from(i32::MIN),
            i64::from(i32::MAX),
        )
    } else {
        (TypeRef::Integer(64), i64::MIN, i64::MAX)
    };
    let minimum = minimum.and_then(|(n, exclusive)| match n {
        n if n <= low && !(n == low && exclusive) => None,
        n if n > high => Some((Bound::Integer(high), true)),
        n => Some((Bound::Integer(n), exclusive)),
    });
    let maximum = maximum.and_then(|(n, exclusive)| match n {
        n if n >= high && !(n == high && exclusive) => None,
        n if n < low => Some((Bound::Integer(low), true)),
        n => Some((Bound::Integer(n), exclusive)),
    });
    (ty, minimum, maximum)
}

/// The values of a string enum; `null` entries only mean "nullable".
/// The values of a string enum; `None` when there are none but `null`
/// (`enum: [null]`), which an enum type could never decode.
/// A name for the schema at a JSON pointer: its last words that are not
/// OpenAPI's own (`components`, `properties`, a media type, an index).
fn deep_name(reference: &str) -> String {
    const STRUCTURE: &[&str] = &[
        "#",
        "components",
        "schemas",
        "responses",
        "requestBodies",
        "parameters",
        "headers",
        "content",
        "schema",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "additionalProperties",
        "paths",
        "requestBody",
    ];
    let words: Vec<String> = reference
        .split('/')
        .map(crate::diagnostic::unescape_segment)
        .filter(|segment| {
            // Media types (`application/json`) are structure; paths (`/pets`) are words.
            let media_type = segment.contains('/') && !segment.starts_with('/');
            !STRUCTURE.contains(&segment.as_str())
                && !segment.chars().all(|c| c.is_ascii_digit())
                && !media_type
        })
        .collect();
    let tail = &words[words.len().saturating_sub(2)..];
    let name = tail.join(" ");
    if name.trim().is_empty() {
        "Schema".to_owned()
    } else {
        name
    }
}

/// The values of an integer enum (a `null` among them is `nullable`'s business).
/// The members of an `allOf` with no properties of its own beside it.
fn all_of_members(schema: &Schema) -> Option<&[ReferenceOr<Schema>]> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => Some(all_of),
        SchemaKind::Any(any) if any.properties.is_empty() => Some(&any.all_of),
        _ => None,
    }
}

/// The values of an integer enum, or of a number enum whose every value
/// is a whole number (lichess's `type: number, enum: [1, 2, 3]`): the same
/// JSON numbers either way.
fn integer_enum(schema: &Schema) -> Option<Vec<i64>> {
    let listed: Vec<i64> = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => {
            integer.enumeration.iter().flatten().copied().collect()
        }
        SchemaKind::Type(Type::Number(number)) => {
            let whole = |value: f64| {
                // Inside i64's range, where the cast below is exact.
                (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
            };
            number
                .enumeration
                .iter()
                .flatten()
                .map(|value| whole(*value))
                .collect::<Option<_>>()?
        }
        _ => return None,
    };
    let mut values: Vec<i64> = Vec::new();
    for value in listed {
        if !values.contains(&value) {
            values.push(value);
        }
    }
    (!values.is_empty()).then_some(values)
}

/// The values of a number enum that is not an [`integer_enum`], each once.
fn number_enum(schema: &Schema) -> Option<Vec<f64>> {
    let SchemaKind::Type(Type::Number(number)) = &schema.schema_kind else {
        return None;
    };
    if integer_enum(schema).is_some() {
        return None;
    }
    let mut values: Vec<f64> = Vec::new();
    for value in number.enumeration.iter().flatten() {
        if value.is_finite() && !values.contains(value) {
            values.push(*value);
        }
    }
    (!values.is_empty()).then_some(values)
}

/// The entries of a schema's `enum` as written, `null` among them.
fn written_enum(schema: &Schema) -> Vec<serde_json::Value> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string.enumeration.iter().map(|v| json!(v)).collect()
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            integer.enumeration.iter().map(|v| json!(v)).collect()
        }
        SchemaKind::Type(Type::Number(number)) => number
            .enumeration
            .iter()
            // A whole number is the integer it equals, as `integer_enum` reads it.
            .map(|value| match value {
                Some(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => json!(*value as i64),
                other => json!(other),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What the spec says of an enum's values ([`TypeRegistry::enum_labels`]).
struct EnumLabels {
    names: Vec<(serde_json::Value, String)>,
    descriptions: Vec<(serde_json::Value, String)>,
}

impl EnumLabels {
    /// The variant name (the spec's in Rust's case, else `otherwise`) and
    /// the description of `value`; the first entry, when it is written twice.
    fn of(
        &self,
        value: &serde_json::Value,
        otherwise: impl FnOnce() -> String,
    ) -> (String, Option<String>) {
        let find = |entries: &[(serde_json::Value, String)]| {
            entries
                .iter()
                .find(|(written, _)| written == value)
                .map(|(_, entry)| entry.clone())
        };
        let name = find(&self.names).map_or_else(otherwise, |name| type_name(&name));
        let description = find(&self.descriptions).filter(|text| !text.trim().is_empty());
        (name, description)
    }
}

fn string_enum(schema: &Schema) -> Option<Vec<String>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
            (!values.is_empty()).then_some(values)
        }
        _ => None,
    }
}
