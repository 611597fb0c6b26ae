//! The one table of change kinds: how much each matters to code that uses
//! the generated crate, and why, in one line.

use serde::Serialize;

/// How a change affects users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Code that compiled and worked may stop compiling or stop working.
    Breaking,
    /// Worth a look: behaviour on the wire changes though code still compiles.
    Attention,
    /// Existing code keeps compiling and working.
    NonBreaking,
}

impl Severity {
    /// As written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Attention => "attention",
            Severity::NonBreaking => "non-breaking",
        }
    }
}

/// A kind of change, with its row in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `operation-added`; see [`Kind::rule`].
    OperationAdded,
    /// `operation-removed`; see [`Kind::rule`].
    OperationRemoved,
    /// `operation-renamed`; see [`Kind::rule`].
    OperationRenamed,
    /// `operation-route-changed`; see [`Kind::rule`].
    OperationRouteChanged,
    /// `parameter-added-required`; see [`Kind::rule`].
    ParameterAddedRequired,
    /// `parameter-added-optional`; see [`Kind::rule`].
    ParameterAddedOptional,
    /// `parameter-removed`; see [`Kind::rule`].
    ParameterRemoved,
    /// `parameter-became-required`; see [`Kind::rule`].
    ParameterBecameRequired,
    /// `parameter-became-optional`; see [`Kind::rule`].
    ParameterBecameOptional,
    /// `parameter-type-changed`; see [`Kind::rule`].
    ParameterTypeChanged,
    /// `parameter-constraint-tightened`; see [`Kind::rule`].
    ParameterConstraintTightened,
    /// `parameter-constraint-loosened`; see [`Kind::rule`].
    ParameterConstraintLoosened,
    /// `parameter-default-changed`; see [`Kind::rule`].
    ParameterDefaultChanged,
    /// `parameter-style-changed`; see [`Kind::rule`].
    ParameterStyleChanged,
    /// `request-body-added`; see [`Kind::rule`].
    RequestBodyAdded,
    /// `request-body-removed`; see [`Kind::rule`].
    RequestBodyRemoved,
    /// `request-media-type-changed`; see [`Kind::rule`].
    RequestMediaTypeChanged,
    /// `response-media-type-changed`; see [`Kind::rule`].
    ResponseMediaTypeChanged,
    /// `response-status-added`; see [`Kind::rule`].
    ResponseStatusAdded,
    /// `response-status-removed`; see [`Kind::rule`].
    ResponseStatusRemoved,
    /// `success-status-changed`; see [`Kind::rule`].
    SuccessStatusChanged,
    /// `request-property-added-required`; see [`Kind::rule`].
    RequestPropertyAddedRequired,
    /// `request-property-added-optional`; see [`Kind::rule`].
    RequestPropertyAddedOptional,
    /// `response-property-added`; see [`Kind::rule`].
    ResponsePropertyAdded,
    /// `property-removed`; see [`Kind::rule`].
    PropertyRemoved,
    /// `property-became-required`; see [`Kind::rule`].
    PropertyBecameRequired,
    /// `property-became-optional`; see [`Kind::rule`].
    PropertyBecameOptional,
    /// `type-changed`; see [`Kind::rule`].
    TypeChanged,
    /// `nullable-changed`; see [`Kind::rule`].
    NullableChanged,
    /// `request-enum-value-added`; see [`Kind::rule`].
    RequestEnumValueAdded,
    /// `response-enum-value-added`; see [`Kind::rule`].
    ResponseEnumValueAdded,
    /// `enum-value-removed`; see [`Kind::rule`].
    EnumValueRemoved,
    /// `enum-variant-renamed`; see [`Kind::rule`].
    EnumVariantRenamed,
    /// `request-constraint-tightened`; see [`Kind::rule`].
    RequestConstraintTightened,
    /// `request-constraint-loosened`; see [`Kind::rule`].
    RequestConstraintLoosened,
    /// `response-constraint-changed`; see [`Kind::rule`].
    ResponseConstraintChanged,
    /// `access-changed`; see [`Kind::rule`].
    AccessChanged,
    /// `request-default-changed`; see [`Kind::rule`].
    RequestDefaultChanged,
    /// `became-deprecated`; see [`Kind::rule`].
    BecameDeprecated,
    /// `security-scheme-added`; see [`Kind::rule`].
    SecuritySchemeAdded,
    /// `security-scheme-removed`; see [`Kind::rule`].
    SecuritySchemeRemoved,
    /// `security-scheme-changed`; see [`Kind::rule`].
    SecuritySchemeChanged,
    /// `server-changed`; see [`Kind::rule`].
    ServerChanged,
    /// `pattern-changed`; see [`Kind::rule`].
    PatternChanged,
    /// `response-body-added`; see [`Kind::rule`].
    ResponseBodyAdded,
    /// `response-body-removed`; see [`Kind::rule`].
    ResponseBodyRemoved,
    /// `error-media-type-changed`; see [`Kind::rule`].
    ErrorMediaTypeChanged,
    /// `union-member-added`; see [`Kind::rule`].
    UnionMemberAdded,
    /// `union-member-removed`; see [`Kind::rule`].
    UnionMemberRemoved,
    /// `schema-became-named`; see [`Kind::rule`].
    SchemaBecameNamed,
    /// `schema-became-inline`; see [`Kind::rule`].
    SchemaBecameInline,
    /// `reference-cycle`; see [`Kind::rule`].
    ReferenceCycle,
    /// `operation-refused`; see [`Kind::rule`].
    OperationRefused,
}

/// Whether code written against the old crate (the README's way: types
/// built with `new` and `with_` methods, enums matched with a wildcard
/// where they are non-exhaustive) still compiles against the new one. The
/// spec diff's list of the crate's public items says so for each change;
/// `codegen/tests/diff_compiles.rs` compiles such code to check both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Build {
    /// It compiles; behaviour may still change (the severity says).
    Compiles,
    /// Some such code no longer compiles.
    Breaks,
}

impl Build {
    /// As written in the rules table.
    pub fn as_str(self) -> &'static str {
        match self {
            Build::Compiles => "compiles",
            Build::Breaks => "breaks",
        }
    }
}

use Build::{Breaks, Compiles};
use Severity::{Attention, Breaking, NonBreaking};

impl Kind {
    /// Every kind, in table order.
    pub const ALL: &[Kind] = &[
        Kind::OperationAdded,
        Kind::OperationRemoved,
        Kind::OperationRenamed,
        Kind::OperationRouteChanged,
        Kind::ParameterAddedRequired,
        Kind::ParameterAddedOptional,
        Kind::ParameterRemoved,
        Kind::ParameterBecameRequired,
        Kind::ParameterBecameOptional,
        Kind::ParameterTypeChanged,
        Kind::ParameterConstraintTightened,
        Kind::ParameterConstraintLoosened,
        Kind::ParameterDefaultChanged,
        Kind::ParameterStyleChanged,
        Kind::RequestBodyAdded,
        Kind::RequestBodyRemoved,
        Kind::RequestMediaTypeChanged,
        Kind::ResponseMediaTypeChanged,
        Kind::ResponseStatusAdded,
        Kind::ResponseStatusRemoved,
        Kind::SuccessStatusChanged,
        Kind::RequestPropertyAddedRequired,
        Kind::RequestPropertyAddedOptional,
        Kind::ResponsePropertyAdded,
        Kind::PropertyRemoved,
        Kind::PropertyBecameRequired,
        Kind::PropertyBecameOptional,
        Kind::TypeChanged,
        Kind::NullableChanged,
        Kind::RequestEnumValueAdded,
        Kind::ResponseEnumValueAdded,
        Kind::EnumValueRemoved,
        Kind::EnumVariantRenamed,
        Kind::RequestConstraintTightened,
        Kind::RequestConstraintLoosened,
        Kind::ResponseConstraintChanged,
        Kind::AccessChanged,
        Kind::RequestDefaultChanged,
        Kind::BecameDeprecated,
        Kind::SecuritySchemeAdded,
        Kind::SecuritySchemeRemoved,
        Kind::SecuritySchemeChanged,
        Kind::ServerChanged,
        Kind::PatternChanged,
        Kind::ResponseBodyAdded,
        Kind::ResponseBodyRemoved,
        Kind::ErrorMediaTypeChanged,
        Kind::UnionMemberAdded,
        Kind::UnionMemberRemoved,
        Kind::SchemaBecameNamed,
        Kind::SchemaBecameInline,
        Kind::ReferenceCycle,
        Kind::OperationRefused,
    ];

    /// The table: stable identifier, severity, and the reason in one line.
    pub fn rule(self) -> (&'static str, Severity, Build, &'static str) {
        match self {
            Kind::OperationAdded => (
                "operation-added",
                NonBreaking,
                Compiles,
                "a new method on Client; existing calls are unaffected",
            ),
            Kind::OperationRemoved => (
                "operation-removed",
                Breaking,
                Breaks,
                "the Client method disappears; code that calls it no longer compiles",
            ),
            Kind::OperationRenamed => (
                "operation-renamed",
                Breaking,
                Breaks,
                "the operationId names the Client method and its builder; calls must be renamed",
            ),
            Kind::OperationRouteChanged => (
                "operation-route-changed",
                Attention,
                Compiles,
                "the same method now sends a different HTTP method or path",
            ),
            Kind::ParameterAddedRequired => (
                "parameter-added-required",
                Breaking,
                Compiles,
                "existing calls do not set it and are refused before sending",
            ),
            Kind::ParameterAddedOptional => (
                "parameter-added-optional",
                NonBreaking,
                Compiles,
                "a new optional builder method; existing calls are unaffected",
            ),
            Kind::ParameterRemoved => (
                "parameter-removed",
                Breaking,
                Breaks,
                "its builder method disappears; code that sets it no longer compiles",
            ),
            Kind::ParameterBecameRequired => (
                "parameter-became-required",
                Breaking,
                Compiles,
                "calls that do not set it are refused before sending",
            ),
            Kind::ParameterBecameOptional => (
                "parameter-became-optional",
                NonBreaking,
                Compiles,
                "calls that set it keep working",
            ),
            Kind::ParameterTypeChanged => (
                "parameter-type-changed",
                Breaking,
                Breaks,
                "the builder method takes another type",
            ),
            Kind::ParameterConstraintTightened => (
                "parameter-constraint-tightened",
                Breaking,
                Compiles,
                "values accepted before may now be refused before sending",
            ),
            Kind::ParameterConstraintLoosened => (
                "parameter-constraint-loosened",
                NonBreaking,
                Compiles,
                "every value accepted before is still accepted",
            ),
            Kind::ParameterDefaultChanged => (
                "parameter-default-changed",
                Attention,
                Compiles,
                "the server behaves differently when the parameter is not set",
            ),
            Kind::ParameterStyleChanged => (
                "parameter-style-changed",
                Attention,
                Compiles,
                "the client writes the value another way (`style`, `explode`); a server that reads the old way sees another value",
            ),
            Kind::RequestBodyAdded => (
                "request-body-added",
                Breaking,
                Compiles,
                "calls must now set a body",
            ),
            Kind::RequestBodyRemoved => (
                "request-body-removed",
                Breaking,
                Breaks,
                "the body builder method disappears",
            ),
            Kind::RequestMediaTypeChanged => (
                "request-media-type-changed",
                Attention,
                Compiles,
                "the client sends another Content-Type: a different API version may answer",
            ),
            Kind::ResponseMediaTypeChanged => (
                "response-media-type-changed",
                Attention,
                Compiles,
                "the client sends another Accept header: a different API version answers, and other media types are rejected",
            ),
            Kind::ResponseStatusAdded => (
                "response-status-added",
                NonBreaking,
                Compiles,
                "the status is decoded instead of reported as unexpected; a body of a type no other declared error has changes the error type, which the public items show",
            ),
            Kind::ResponseStatusRemoved => (
                "response-status-removed",
                Attention,
                Compiles,
                "that status is now reported as an unexpected response; when it was the only declared error with a body, the error type changes too, which the public items show",
            ),
            Kind::SuccessStatusChanged => (
                "success-status-changed",
                Attention,
                Compiles,
                "the call succeeds on another status",
            ),
            Kind::RequestPropertyAddedRequired => (
                "request-property-added-required",
                Breaking,
                Breaks,
                "the type's `new` takes one more argument: code that builds it no longer compiles",
            ),
            Kind::RequestPropertyAddedOptional => (
                "request-property-added-optional",
                NonBreaking,
                Compiles,
                "a new optional field with its `with_` method; code that builds the type with `new` is unaffected",
            ),
            Kind::ResponsePropertyAdded => (
                "response-property-added",
                NonBreaking,
                Compiles,
                "a new field to read; decoding old responses still works",
            ),
            Kind::PropertyRemoved => (
                "property-removed",
                Breaking,
                Breaks,
                "the field disappears; code that reads or sets it no longer compiles",
            ),
            Kind::PropertyBecameRequired => (
                "property-became-required",
                Breaking,
                Breaks,
                "the field changes from Option<T> to T and `new` takes it: code that builds or reads it must change",
            ),
            Kind::PropertyBecameOptional => (
                "property-became-optional",
                Breaking,
                Breaks,
                "the field changes from T to Option<T> and leaves `new` for a `with_` method: code that builds or reads it must change",
            ),
            Kind::TypeChanged => (
                "type-changed",
                Breaking,
                Breaks,
                "the Rust type of the value changes",
            ),
            Kind::NullableChanged => (
                "nullable-changed",
                Breaking,
                Breaks,
                "a required value becomes or stops being an Option (an optional one is an Option either way, which the public items show)",
            ),
            Kind::RequestEnumValueAdded => (
                "request-enum-value-added",
                NonBreaking,
                Compiles,
                "a new variant to send; existing values keep working",
            ),
            Kind::ResponseEnumValueAdded => (
                "response-enum-value-added",
                Attention,
                Compiles,
                "a new variant may arrive; generated enums are non-exhaustive, so matches need a wildcard arm, which they already have",
            ),
            Kind::EnumValueRemoved => (
                "enum-value-removed",
                Breaking,
                Breaks,
                "the variant disappears; code that names it no longer compiles",
            ),
            Kind::EnumVariantRenamed => (
                "enum-variant-renamed",
                Breaking,
                Breaks,
                "the spec names the value's variant anew (`x-enum-varnames`); the wire is the same, but code that names the old variant no longer compiles",
            ),
            Kind::RequestConstraintTightened => (
                "request-constraint-tightened",
                Breaking,
                Compiles,
                "requests accepted before may now be refused before sending",
            ),
            Kind::RequestConstraintLoosened => (
                "request-constraint-loosened",
                NonBreaking,
                Compiles,
                "every request accepted before is still accepted",
            ),
            Kind::ResponseConstraintChanged => (
                "response-constraint-changed",
                NonBreaking,
                Compiles,
                "responses are not validated by the client",
            ),
            Kind::AccessChanged => (
                "access-changed",
                Attention,
                Compiles,
                "readOnly/writeOnly changed: which direction carries the field differs",
            ),
            Kind::RequestDefaultChanged => (
                "request-default-changed",
                Attention,
                Compiles,
                "a request value's `default` was added, removed or changed: the server behaves differently for callers who leave it out",
            ),
            Kind::BecameDeprecated => (
                "became-deprecated",
                NonBreaking,
                Compiles,
                "the API means to retire an operation, parameter, property or schema: the crate marks it `#[deprecated]`, so code that uses it compiles, with a warning",
            ),
            Kind::SecuritySchemeAdded => (
                "security-scheme-added",
                NonBreaking,
                Compiles,
                "another way to authenticate; existing credentials keep working",
            ),
            Kind::SecuritySchemeRemoved => (
                "security-scheme-removed",
                Breaking,
                Compiles,
                "credentials of that kind stop working",
            ),
            Kind::SecuritySchemeChanged => (
                "security-scheme-changed",
                Attention,
                Compiles,
                "how credentials are exchanged or sent changes",
            ),
            Kind::ServerChanged => (
                "server-changed",
                Attention,
                Compiles,
                "Client::DEFAULT_BASE_URL changes; clients built without a base URL talk to another server",
            ),
            Kind::PatternChanged => (
                "pattern-changed",
                Attention,
                Compiles,
                "the pattern changed in a way that cannot be shown to accept the same or more strings; compare both",
            ),
            Kind::ResponseBodyAdded => (
                "response-body-added",
                Breaking,
                Breaks,
                "the status now has a body: the type it decodes into changes from () to the body's type",
            ),
            Kind::ResponseBodyRemoved => (
                "response-body-removed",
                Breaking,
                Breaks,
                "the status no longer has a body: the type it decodes into becomes ()",
            ),
            Kind::ErrorMediaTypeChanged => (
                "error-media-type-changed",
                Attention,
                Compiles,
                "an error body of the old media type is now reported as an unexpected response",
            ),
            Kind::UnionMemberAdded => (
                "union-member-added",
                Breaking,
                Breaks,
                "the oneOf/anyOf enum gains a variant: exhaustive matches no longer compile, and bodies may decode as the new member",
            ),
            Kind::UnionMemberRemoved => (
                "union-member-removed",
                Breaking,
                Breaks,
                "the oneOf/anyOf enum loses a variant: code that names it no longer compiles",
            ),
            Kind::SchemaBecameNamed => (
                "schema-became-named",
                Breaking,
                Breaks,
                "an inline schema moved into a named component: its Rust type is renamed (and a map may become a struct)",
            ),
            Kind::SchemaBecameInline => (
                "schema-became-inline",
                Breaking,
                Breaks,
                "a named component was written inline: its Rust type is renamed after its place",
            ),
            Kind::ReferenceCycle => (
                "reference-cycle",
                Breaking,
                Breaks,
                "the `$ref`s lead back to themselves and name no schema; the generator refuses them",
            ),
            Kind::OperationRefused => (
                "operation-refused",
                Breaking,
                Breaks,
                "the generator cannot represent the operation in the new spec; lenient regen leaves it out of the crate",
            ),
        }
    }

    /// The stable identifier, as in JSON output.
    pub fn id(self) -> &'static str {
        self.rule().0
    }

    /// The severity.
    pub fn severity(self) -> Severity {
        self.rule().1
    }

    /// Whether code written against the old crate still compiles.
    pub fn build(self) -> Build {
        self.rule().2
    }

    /// Why it matters, in one line.
    pub fn reason(self) -> &'static str {
        self.rule().3
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn identifiers_are_unique() {
        let mut ids: Vec<&str> = Kind::ALL.iter().map(|kind| kind.id()).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }
}
