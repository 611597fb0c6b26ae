//! Every kind of diagnostic, with its stable code and its class. A test
//! keeps docs/diagnostics.md listing exactly these.

/// Whether a kind of problem stops a run. What lenient mode repaired while
/// loading (an id renamed, a parameter declared) is a warning whatever the
/// class of its code: the document it goes on with no longer has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// The document, or this part of it, cannot be read: always refused.
    Error,
    /// Refused, except in lenient mode, which leaves out what it reaches
    /// (or reads it the one way it can) and warns.
    Degradable,
    /// Worth knowing; generation goes on.
    Warning,
}

impl Class {
    /// How docs/diagnostics.md names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Error => "error",
            Class::Degradable => "error, lenient: warning",
            Class::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = ($id:literal, $class:ident),)+) => {
        /// What kind of problem a diagnostic reports. Its [`Code::id`] is
        /// stable across releases: tests, scripts and reviewers match it
        /// rather than the message, whose wording may improve.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every code, in the order docs/diagnostics.md lists them.
            pub const ALL: &[Code] = &[$(Code::$variant,)+];

            /// The stable name, in kebab case (`unresolved-ref`).
            pub fn id(self) -> &'static str {
                match self {
                    $(Code::$variant => $id,)+
                }
            }

            /// Whether it stops a run.
            pub fn class(self) -> Class {
                match self {
                    $(Code::$variant => Class::$class,)+
                }
            }

            /// What it means, in a sentence.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),+).trim_ascii(),)+
                }
            }
        }
    };
}

codes! {
    // Reading the files.
    /// A file is not valid YAML or JSON.
    Syntax = ("syntax", Error),
    /// Collections nest deeper than any API document needs.
    NestingTooDeep = ("nesting-too-deep", Error),
    /// The document says no version the generator reads (Swagger 2.0, OpenAPI 3.0 to 3.2).
    UnknownVersion = ("unknown-version", Error),
    /// The document does not have the shape of an OpenAPI document.
    NotOpenApi = ("not-openapi", Error),

    // References.
    /// A `$ref` points at nothing.
    UnresolvedRef = ("unresolved-ref", Degradable),
    /// A `$ref` into this document is not a JSON pointer.
    RefNotPointer = ("ref-not-pointer", Error),
    /// A `$ref` leads back to itself without describing a value.
    RefCycle = ("ref-cycle", Degradable),
    /// More `$ref`s in a row than the generator follows, though none leads back.
    RefChainTooLong = ("ref-chain-too-long", Degradable),
    /// A `$ref` is a URL: references are followed only to files beside the spec.
    RefUrl = ("ref-url", Degradable),
    /// A `$ref` names a file that cannot be read, or one outside the folder tree the spec may read.
    RefFile = ("ref-file", Degradable),
    /// A `$ref` points into the wrong section (a parameter's at a schema, say).
    RefWrongSection = ("ref-wrong-section", Degradable),
    /// A path item is a `$ref`, which the generator does not follow.
    PathItemRef = ("path-item-ref", Degradable),
    /// `$ref`s inside an extension are not followed.
    ExtensionRef = ("extension-ref", Warning),
    /// A description points at a documentation file, which is not read.
    DocumentationFile = ("documentation-file", Warning),

    // Versions.
    /// Something of another OpenAPI version that OpenAPI 3.0 cannot say is left out.
    NoEquivalent = ("no-equivalent", Warning),
    /// Webhooks and callbacks are requests the API sends, not operations a client calls.
    ServerRequests = ("server-requests", Warning),
    /// `type` lists several types in a version that does not allow it.
    TypeList = ("type-list", Degradable),

    // Operations.
    /// An operation has no `operationId`, which names its method.
    MissingOperationId = ("missing-operation-id", Degradable),
    /// Two operations share an `operationId` (lenient mode renames the later one).
    DuplicateOperationId = ("duplicate-operation-id", Error),
    /// A path does not start with `/`.
    PathWithoutSlash = ("path-without-slash", Error),
    /// A path uses a `{name}` that the operation does not declare (lenient mode declares it).
    UndeclaredPathParameter = ("undeclared-path-parameter", Error),
    /// A declared path parameter does not appear in the path.
    UnusedPathParameter = ("unused-path-parameter", Error),
    /// An operation, path item or component is not valid OpenAPI (lenient mode leaves it out).
    InvalidPart = ("invalid-part", Degradable),
    /// A security requirement's scopes are `null` rather than a list.
    NullScopes = ("null-scopes", Degradable),

    // Parameters and bodies.
    /// A parameter is described with `content`; only `schema` is supported.
    ParameterContent = ("parameter-content", Degradable),
    /// A path parameter's type cannot be written into a path.
    PathParameterType = ("path-parameter-type", Degradable),
    /// A cookie parameter's name or shape cannot be written as one cookie.
    CookieParameter = ("cookie-parameter", Degradable),
    /// A request body declares no schema.
    BodyWithoutSchema = ("body-without-schema", Degradable),
    /// A form or multipart body is not an object of fields, or a list names no part.
    FormBody = ("form-body", Degradable),
    /// A response `$ref` names a schema, not a response.
    SchemaAsResponse = ("schema-as-response", Degradable),

    // Schemas.
    /// A `pattern` is not a regular expression the generator can check.
    InvalidPattern = ("invalid-pattern", Degradable),
    /// `allOf`, `anyOf` or `oneOf` lists no schemas.
    EmptyComposition = ("empty-composition", Degradable),
    /// `not` is not supported.
    Not = ("not", Degradable),
    /// An `allOf` includes itself.
    AllOfCycle = ("all-of-cycle", Degradable),
    /// `allOf`s nest deeper than the generator merges, though none repeats.
    AllOfTooDeep = ("all-of-too-deep", Degradable),
    /// An `allOf` member is not an object schema.
    AllOfMember = ("all-of-member", Degradable),
    /// An integer bound does not fit a 64-bit integer, or is not a whole number where the version requires one.
    IntegerBound = ("integer-bound", Degradable),
    /// An integer bound is not a whole number; it is rounded inward.
    IntegerBoundFraction = ("integer-bound-fraction", Warning),
    /// `x-enum-varnames`, `x-enumNames` or `x-enum-descriptions` does not give one entry per value; it is ignored.
    EnumLabels = ("enum-labels", Warning),
    /// A `default` is not a value of its schema; it is ignored.
    DefaultMismatch = ("default-mismatch", Warning),
    /// A required property has no schema; it holds any JSON value.
    RequiredWithoutSchema = ("required-without-schema", Warning),
    /// A union member reaches the union itself without reading a value; it is left out.
    UnionSelfReference = ("union-self-reference", Warning),

    // The configuration against the spec.
    /// A `[pagination]` rule does not fit the operation it names, or names none.
    PaginationRule = ("pagination-rule", Degradable),
    /// An entry of the configuration matches nothing in the spec.
    ConfigUnmatched = ("config-unmatched", Warning),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_with_a_summary() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let id = code.id();
            assert!(seen.insert(id), "`{id}` twice");
            assert!(
                id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "`{id}` is not kebab case"
            );
            assert!(code.summary().ends_with('.'), "`{id}`: {}", code.summary());
        }
    }
}
