//! One before/after pair for each rule of `compare::rules`, asserting the
//! kind and severity reported.

use std::path::Path;

use openapi_clientgen::compare::{Change, Kind, Severity, changes};
use openapi_clientgen::{Config, Settings};

const BASE: &str = r##"
openapi: 3.0.3
info: {title: Items, version: "1"}
servers: [{url: "https://a.example.com"}]
paths:
  /items/{id}:
    patch:
      operationId: updateItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, maxLength: 10}}
        - {name: verbose, in: query, schema: {type: boolean, default: false}}
      requestBody:
        required: true
        content:
          application/vnd.items.v1+json:
            schema: {$ref: "#/components/schemas/ItemUpdate"}
      responses:
        "200":
          description: OK
          content:
            application/vnd.items.v1+json:
              schema: {$ref: "#/components/schemas/Item"}
        "404": {description: Missing}
components:
  securitySchemes:
    Basic: {type: http, scheme: basic}
  schemas:
    ItemUpdate:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 50}
        color: {type: string, enum: [RED, GREEN]}
    Item:
      type: object
      properties:
        name: {type: string}
        color: {type: string, enum: [RED, GREEN]}
        size: {type: integer, format: int32}
        secret: {type: string, readOnly: true}
"##;

const OTHER_OPERATION: &str = "  /other:\n    get:\n      operationId: getOther\n      responses:\n        \"204\": {description: Done}\ncomponents:";

/// The changes from `before` to `after`, each document read with the model
/// lenient generation makes of it, as `cargo xtask diff` reads them.
fn compared(before: &str, after: &str) -> Vec<Change> {
    let config = Config::new("items", "0.1.0");
    let settings = Settings {
        lenient: true,
        ..Settings::default()
    };
    let read = |text: &str| {
        let mut loaded = openapi_clientgen::load::parse(Path::new("spec.yaml"), text.to_owned())
            .unwrap_or_else(|error| panic!("{error}"));
        let model = openapi_clientgen::model_from(&mut loaded, &config, &settings)
            .unwrap_or_else(|error| panic!("{error}"));
        (loaded.into_tree(), model)
    };
    let ((old, old_model), (new, new_model)) = (read(before), read(after));
    changes((&old, &old_model), (&new, &new_model), &[])
}

/// `BASE` with one replacement; the replaced text must occur.
fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base spec has no `{from}`");
    BASE.replacen(from, to, 1)
}

fn assert_reports(label: &str, before: &str, after: &str, expected: Kind) {
    let found = compared(before, after);
    let kinds: Vec<Kind> = found.iter().map(|change| change.kind).collect();
    assert_eq!(kinds, vec![expected], "{label}: {found:#?}");
    let change = &found[0];
    assert!(change.pointer.starts_with('#'), "{label}: {change:?}");
    assert!(!change.message.is_empty());
}

#[test]
fn each_rule_is_reported_with_its_kind() {
    let with_other = BASE.replacen("components:", OTHER_OPERATION, 1);
    let without_body = edit(
        "      requestBody:\n        required: true\n        content:\n          application/vnd.items.v1+json:\n            schema: {$ref: \"#/components/schemas/ItemUpdate\"}\n",
        "",
    );
    let security_changed = edit(
        "Basic: {type: http, scheme: basic}",
        "Basic: {type: http, scheme: digest}",
    );
    let security_added = edit(
        "Basic: {type: http, scheme: basic}",
        "Basic: {type: http, scheme: basic}\n    Token: {type: http, scheme: bearer}",
    );
    let verbose_required = edit(
        "{name: verbose, in: query, schema:",
        "{name: verbose, in: query, required: true, schema:",
    );
    let patterned = edit(
        "name: {type: string, maxLength: 50}",
        "name: {type: string, maxLength: 50, pattern: \"^[a-z]+$\"}",
    );
    let error_body = edit(
        "\"404\": {description: Missing}",
        "\"404\": {description: Missing, content: {application/json: {schema: {type: object, properties: {title: {type: string}}}}}}",
    );
    let union = edit(
        "        secret: {type: string, readOnly: true}\n",
        "        secret: {type: string, readOnly: true}\n        shape: {oneOf: [{$ref: \"#/components/schemas/Circle\"}, {type: integer}]}\n    Circle: {type: object, properties: {r: {type: number}}}\n    Square: {type: object, properties: {side: {type: number}}}\n",
    );
    let inline_dims = edit(
        "        secret: {type: string, readOnly: true}\n",
        "        secret: {type: string, readOnly: true}\n        dims: {type: object, additionalProperties: {type: integer}}\n    Dims: {type: object, additionalProperties: {type: integer}}\n",
    );
    let sized = edit(
        "        size: {type: integer, format: int32}\n",
        "        size: {$ref: \"#/components/schemas/Size\"}\n",
    )
    .replacen(
        "    Item:\n",
        "    Size: {type: integer, format: int32}\n    Item:\n",
        1,
    );
    let cases: Vec<(&str, String, String, Kind)> = vec![
        (
            "pattern changed beyond proof",
            patterned.clone(),
            patterned.replacen("^[a-z]+$", "^[0-9]+$", 1),
            Kind::PatternChanged,
        ),
        (
            "pattern loosened, as a proof shows",
            patterned.replacen("^[a-z]+$", "^([-\\\\w._()])$", 1),
            patterned.replacen("^[a-z]+$", "^([-\\\\w._()])+$", 1),
            Kind::RequestConstraintLoosened,
        ),
        (
            "pattern tightened, as a proof shows",
            patterned.replacen("^[a-z]+$", "^[a-z0-9]+$", 1),
            patterned.clone(),
            Kind::RequestConstraintTightened,
        ),
        (
            "query parameter enum value removed",
            edit(
                "{name: verbose, in: query, schema: {type: boolean, default: false}}",
                "{name: verbose, in: query, schema: {type: string, enum: [yes, no]}}",
            ),
            edit(
                "{name: verbose, in: query, schema: {type: boolean, default: false}}",
                "{name: verbose, in: query, schema: {type: string, enum: [yes]}}",
            ),
            Kind::EnumValueRemoved,
        ),
        (
            "error body added",
            BASE.to_owned(),
            error_body.clone(),
            Kind::ResponseBodyAdded,
        ),
        (
            "error body removed",
            error_body.clone(),
            BASE.to_owned(),
            Kind::ResponseBodyRemoved,
        ),
        (
            "error media type",
            error_body.clone(),
            error_body.replacen(
                "content: {application/json:",
                "content: {application/problem+json:",
                1,
            ),
            Kind::ErrorMediaTypeChanged,
        ),
        (
            "union member added",
            union.clone(),
            union.replacen(
                "{type: integer}]}",
                "{type: integer}, {$ref: \"#/components/schemas/Square\"}]}",
                1,
            ),
            Kind::UnionMemberAdded,
        ),
        (
            "union member removed",
            union.clone(),
            union.replacen("{$ref: \"#/components/schemas/Circle\"}, ", "", 1),
            Kind::UnionMemberRemoved,
        ),
        (
            "inline map became a component",
            inline_dims.clone(),
            inline_dims.replacen(
                "dims: {type: object, additionalProperties: {type: integer}}",
                "dims: {$ref: \"#/components/schemas/Dims\"}",
                1,
            ),
            Kind::SchemaBecameNamed,
        ),
        (
            "component written inline",
            inline_dims.replacen(
                "dims: {type: object, additionalProperties: {type: integer}}",
                "dims: {$ref: \"#/components/schemas/Dims\"}",
                1,
            ),
            inline_dims.clone(),
            Kind::SchemaBecameInline,
        ),
        (
            "reference cycle",
            sized.clone(),
            sized.replacen(
                "    Size: {type: integer, format: int32}\n",
                "    Size: {$ref: \"#/components/schemas/Other\"}\n    Other: {$ref: \"#/components/schemas/Size\"}\n",
                1,
            ),
            Kind::ReferenceCycle,
        ),
        (
            "operation added",
            BASE.to_owned(),
            with_other.clone(),
            Kind::OperationAdded,
        ),
        (
            "operation removed",
            with_other,
            BASE.to_owned(),
            Kind::OperationRemoved,
        ),
        (
            "operation renamed",
            BASE.to_owned(),
            edit("operationId: updateItem", "operationId: patchItem"),
            Kind::OperationRenamed,
        ),
        (
            "route changed",
            BASE.to_owned(),
            edit("/items/{id}:", "/things/{id}:"),
            Kind::OperationRouteChanged,
        ),
        (
            "required parameter added",
            BASE.to_owned(),
            edit(
                "      requestBody:",
                "        - {name: tenant, in: header, required: true, schema: {type: string}}\n      requestBody:",
            ),
            Kind::ParameterAddedRequired,
        ),
        (
            "optional parameter added",
            BASE.to_owned(),
            edit(
                "      requestBody:",
                "        - {name: page, in: query, schema: {type: integer}}\n      requestBody:",
            ),
            Kind::ParameterAddedOptional,
        ),
        (
            "parameter removed",
            BASE.to_owned(),
            edit(
                "        - {name: verbose, in: query, schema: {type: boolean, default: false}}\n",
                "",
            ),
            Kind::ParameterRemoved,
        ),
        (
            "parameter became required",
            BASE.to_owned(),
            verbose_required.clone(),
            Kind::ParameterBecameRequired,
        ),
        (
            "parameter became optional",
            verbose_required,
            BASE.to_owned(),
            Kind::ParameterBecameOptional,
        ),
        (
            "parameter type",
            BASE.to_owned(),
            edit(
                "schema: {type: string, maxLength: 10}",
                "schema: {type: integer}",
            ),
            Kind::ParameterTypeChanged,
        ),
        (
            "parameter tightened",
            BASE.to_owned(),
            edit("maxLength: 10}", "maxLength: 5}"),
            Kind::ParameterConstraintTightened,
        ),
        (
            "parameter loosened",
            BASE.to_owned(),
            edit("maxLength: 10}", "maxLength: 20}"),
            Kind::ParameterConstraintLoosened,
        ),
        (
            "parameter default",
            BASE.to_owned(),
            edit("default: false", "default: true"),
            Kind::ParameterDefaultChanged,
        ),
        (
            "parameter style",
            edit(
                "{name: verbose, in: query, schema: {type: boolean, default: false}}",
                "{name: ids, in: query, schema: {type: array, items: {type: string}}}",
            ),
            edit(
                "{name: verbose, in: query, schema: {type: boolean, default: false}}",
                "{name: ids, in: query, explode: false, schema: {type: array, items: {type: string}}}",
            ),
            Kind::ParameterStyleChanged,
        ),

        (
            "body added",
            without_body.clone(),
            BASE.to_owned(),
            Kind::RequestBodyAdded,
        ),
        (
            "body removed",
            BASE.to_owned(),
            without_body,
            Kind::RequestBodyRemoved,
        ),
        (
            "request media type",
            BASE.to_owned(),
            edit(
                "          application/vnd.items.v1+json:\n            schema: {$ref: \"#/components/schemas/ItemUpdate\"}",
                "          application/vnd.items.v2+json:\n            schema: {$ref: \"#/components/schemas/ItemUpdate\"}",
            ),
            Kind::RequestMediaTypeChanged,
        ),
        (
            "response media type",
            BASE.to_owned(),
            edit(
                "            application/vnd.items.v1+json:\n              schema: {$ref: \"#/components/schemas/Item\"}",
                "            application/vnd.items.v2+json:\n              schema: {$ref: \"#/components/schemas/Item\"}",
            ),
            Kind::ResponseMediaTypeChanged,
        ),
        (
            "status added",
            BASE.to_owned(),
            edit(
                "        \"404\": {description: Missing}",
                "        \"404\": {description: Missing}\n        \"409\": {description: Busy}",
            ),
            Kind::ResponseStatusAdded,
        ),
        (
            "status removed",
            BASE.to_owned(),
            edit("        \"404\": {description: Missing}\n", ""),
            Kind::ResponseStatusRemoved,
        ),
        (
            "success status",
            BASE.to_owned(),
            edit("        \"200\":", "        \"201\":"),
            Kind::SuccessStatusChanged,
        ),
        (
            "required request property",
            BASE.to_owned(),
            edit(
                "      required: [name]\n      properties:\n        name: {type: string, maxLength: 50}",
                "      required: [name, size]\n      properties:\n        size: {type: integer}\n        name: {type: string, maxLength: 50}",
            ),
            Kind::RequestPropertyAddedRequired,
        ),
        (
            "optional request property",
            BASE.to_owned(),
            edit(
                "        name: {type: string, maxLength: 50}",
                "        name: {type: string, maxLength: 50}\n        note: {type: string}",
            ),
            Kind::RequestPropertyAddedOptional,
        ),
        (
            "response property",
            BASE.to_owned(),
            edit(
                "        secret: {type: string, readOnly: true}",
                "        secret: {type: string, readOnly: true}\n        weight: {type: number}",
            ),
            Kind::ResponsePropertyAdded,
        ),
        (
            "property removed",
            BASE.to_owned(),
            edit("        size: {type: integer, format: int32}\n", ""),
            Kind::PropertyRemoved,
        ),
        (
            "property became required",
            BASE.to_owned(),
            edit(
                "    Item:\n      type: object\n",
                "    Item:\n      type: object\n      required: [name]\n",
            ),
            Kind::PropertyBecameRequired,
        ),
        (
            "property became optional",
            BASE.to_owned(),
            edit("      required: [name]\n", ""),
            Kind::PropertyBecameOptional,
        ),
        (
            "type changed",
            BASE.to_owned(),
            edit(
                "size: {type: integer, format: int32}",
                "size: {type: string}",
            ),
            Kind::TypeChanged,
        ),
        (
            // The field's Rust type becomes `chrono::DateTime<Utc>`.
            "date format added",
            BASE.to_owned(),
            edit(
                "        name: {type: string}\n",
                "        name: {type: string, format: date-time}\n",
            ),
            Kind::TypeChanged,
        ),
        (
            "uuid format removed",
            edit(
                "        name: {type: string}\n",
                "        name: {type: string, format: uuid}\n",
            ),
            BASE.to_owned(),
            Kind::TypeChanged,
        ),
        (
            "nullable",
            BASE.to_owned(),
            edit(
                "        name: {type: string}\n",
                "        name: {type: string, nullable: true}\n",
            ),
            Kind::NullableChanged,
        ),
        (
            "request enum value",
            BASE.to_owned(),
            edit(
                "color: {type: string, enum: [RED, GREEN]}",
                "color: {type: string, enum: [RED, GREEN, BLUE]}",
            ),
            Kind::RequestEnumValueAdded,
        ),
        (
            "response enum value",
            BASE.to_owned(),
            edit(
                "        color: {type: string, enum: [RED, GREEN]}\n        size:",
                "        color: {type: string, enum: [RED, GREEN, BLUE]}\n        size:",
            ),
            Kind::ResponseEnumValueAdded,
        ),
        (
            "enum value removed",
            BASE.to_owned(),
            edit(
                "        color: {type: string, enum: [RED, GREEN]}\n        size:",
                "        color: {type: string, enum: [RED]}\n        size:",
            ),
            Kind::EnumValueRemoved,
        ),
        (
            "enum variant renamed",
            BASE.to_owned(),
            edit(
                "        color: {type: string, enum: [RED, GREEN]}\n        size:",
                "        color: {type: string, enum: [RED, GREEN], x-enum-varnames: [Crimson, Green]}\n        size:",
            ),
            Kind::EnumVariantRenamed,
        ),
        (
            "parameter enum variant renamed",
            edit(
                "{name: verbose, in: query, schema: {type: boolean, default: false}}",
                "{name: level, in: query, schema: {type: integer, enum: [1, 2]}}",
            ),
            edit(
                "{name: verbose, in: query, schema: {type: boolean, default: false}}",
                "{name: level, in: query, schema: {type: integer, enum: [1, 2], x-enum-varnames: [Low, V2]}}",
            ),
            Kind::EnumVariantRenamed,
        ),
        (
            "request tightened",
            BASE.to_owned(),
            edit("maxLength: 50}", "maxLength: 40}"),
            Kind::RequestConstraintTightened,
        ),
        (
            "request loosened",
            BASE.to_owned(),
            edit("maxLength: 50}", "maxLength: 60}"),
            Kind::RequestConstraintLoosened,
        ),
        (
            "response constraint",
            BASE.to_owned(),
            edit(
                "        name: {type: string}\n",
                "        name: {type: string, maxLength: 10}\n",
            ),
            Kind::ResponseConstraintChanged,
        ),
        (
            "access",
            BASE.to_owned(),
            edit(
                "secret: {type: string, readOnly: true}",
                "secret: {type: string}",
            ),
            Kind::AccessChanged,
        ),
        (
            "request default added",
            BASE.to_owned(),
            edit(
                "color: {type: string, enum: [RED, GREEN]}\n    Item:",
                "color: {type: string, enum: [RED, GREEN], default: RED}\n    Item:",
            ),
            Kind::RequestDefaultChanged,
        ),
        (
            "scheme added",
            BASE.to_owned(),
            security_added.clone(),
            Kind::SecuritySchemeAdded,
        ),
        (
            "scheme removed",
            security_added,
            BASE.to_owned(),
            Kind::SecuritySchemeRemoved,
        ),
        (
            "scheme changed",
            BASE.to_owned(),
            security_changed,
            Kind::SecuritySchemeChanged,
        ),
        (
            "server",
            BASE.to_owned(),
            edit("https://a.example.com", "https://b.example.com"),
            Kind::ServerChanged,
        ),
        (
            "operation deprecated",
            BASE.to_owned(),
            edit(
                "operationId: updateItem\n",
                "operationId: updateItem\n      deprecated: true\n",
            ),
            Kind::BecameDeprecated,
        ),
        (
            "parameter deprecated",
            BASE.to_owned(),
            edit(
                "{name: verbose, in: query, schema",
                "{name: verbose, in: query, deprecated: true, schema",
            ),
            Kind::BecameDeprecated,
        ),
        (
            "property deprecated",
            BASE.to_owned(),
            edit(
                "size: {type: integer, format: int32}",
                "size: {type: integer, format: int32, deprecated: true}",
            ),
            Kind::BecameDeprecated,
        ),
        (
            "schema deprecated",
            BASE.to_owned(),
            edit(
                "    Item:\n      type: object\n",
                "    Item:\n      type: object\n      deprecated: true\n",
            ),
            Kind::BecameDeprecated,
        ),
    ];
    let mut covered: Vec<Kind> = cases.iter().map(|case| case.3).collect();
    for (label, before, after, kind) in cases {
        assert_reports(label, &before, &after, kind);
    }
    // Comes from generating the new spec, not from comparing documents:
    // `refused_operations_are_breaking` below.
    covered.push(Kind::OperationRefused);
    covered.sort();
    covered.dedup();
    let missing: Vec<&str> = Kind::ALL
        .iter()
        .filter(|kind| !covered.contains(kind))
        .map(|kind| kind.id())
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn severities_follow_the_table() {
    let severity = |kind: Kind| kind.severity();
    assert_eq!(
        severity(Kind::RequestPropertyAddedRequired),
        Severity::Breaking
    );
    assert_eq!(severity(Kind::PropertyRemoved), Severity::Breaking);
    assert_eq!(severity(Kind::ResponseEnumValueAdded), Severity::Attention);
    assert_eq!(severity(Kind::ResponsePropertyAdded), Severity::NonBreaking);
    assert_eq!(
        severity(Kind::ResponseMediaTypeChanged),
        Severity::Attention
    );
}

#[test]
fn identical_documents_have_no_changes() {
    assert!(compared(BASE, BASE).is_empty());
    // A parameter's default style, written out, is the same style.
    let written_out = edit(
        "{name: verbose, in: query, schema",
        "{name: verbose, in: query, style: form, explode: true, schema",
    );
    assert!(compared(BASE, &written_out).is_empty());
}

#[test]
fn recursive_schemas_terminate() {
    let recursive = "openapi: 3.0.3\ninfo: {title: R, version: '1'}\npaths:\n  /n:\n    get:\n      operationId: getNode\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Node'}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Node'}\n";
    let changed = recursive.replace(
        "        next:",
        "        label: {type: string}\n        next:",
    );
    let found = compared(recursive, &changed);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].pointer,
        "#/components/schemas/Node/properties/label"
    );
}

#[test]
fn the_docs_list_every_rule_as_the_table_says() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/SPEC_DIFF.md"))
            .expect("docs");
    for kind in Kind::ALL {
        let row = format!(
            "| `{}` | {} | {} | {} |",
            kind.id(),
            kind.severity().as_str(),
            kind.build().as_str(),
            kind.reason()
        );
        assert!(
            docs.contains(&row),
            "docs/SPEC_DIFF.md lacks or misstates:\n{row}"
        );
    }
    // The rules' table is the last section; the one above compares tools.
    let rules = docs.split("## The rules").nth(1).expect("a rules section");
    let rows = rules.lines().filter(|line| line.starts_with("| `")).count();
    assert_eq!(
        rows,
        Kind::ALL.len(),
        "docs/SPEC_DIFF.md lists rules the table does not have"
    );
}

#[test]
fn an_all_of_that_includes_itself_terminates() {
    let looping = BASE.replacen(
        "    Item:\n      type: object\n",
        "    Item:\n      type: object\n      allOf:\n        - $ref: \"#/components/schemas/Item\"\n",
        1,
    );
    let found = compared(BASE, &looping);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_relaxed_pattern_names_both_and_says_why() {
    let before = BASE.replacen(
        "name: {type: string, maxLength: 50}",
        "name: {type: string, maxLength: 50, pattern: \"^([-\\\\w._()])$\"}",
        1,
    );
    let after = before.replacen("])$", "])+$", 1);
    let found = compared(&before, &after);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].kind, Kind::RequestConstraintLoosened);
    assert!(
        found[0]
            .message
            .contains(r#"pattern "^([-\\w._()])$" became "^([-\\w._()])+$"; every string matched before still matches"#),
        "{}",
        found[0].message
    );
}

#[test]
fn a_cycle_is_named_not_called_a_type_change() {
    let text = "openapi: 3.0.3\ninfo: {title: C, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A: {type: object, properties: {x: {type: string}}}\n    B: {type: string}\n";
    let cyclic = text
        .replace(
            "    A: {type: object, properties: {x: {type: string}}}",
            "    A: {$ref: '#/components/schemas/B'}",
        )
        .replace(
            "    B: {type: string}",
            "    B: {$ref: '#/components/schemas/A'}",
        );
    let found = compared(text, &cyclic);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].kind, Kind::ReferenceCycle);
    assert!(
        found[0]
            .message
            .contains("#/components/schemas/A → #/components/schemas/B → #/components/schemas/A"),
        "{}",
        found[0].message
    );
}

#[test]
fn the_media_type_the_client_uses_is_compared() {
    // Several dated versions: the client uses the newest, not the first by name.
    let versions = |dates: &[&str]| {
        let content: String = dates
            .iter()
            .map(|date| format!("            application/vnd.items.{date}+json:\n              schema: {{$ref: \"#/components/schemas/Item\"}}\n"))
            .collect();
        BASE.replacen(
            "            application/vnd.items.v1+json:\n              schema: {$ref: \"#/components/schemas/Item\"}\n",
            &content,
            1,
        )
    };
    let before = versions(&["2023-01-01", "2024-01-01"]);
    assert_ne!(before, BASE, "the base spec has the response content");
    let after = versions(&["2023-01-01", "2024-01-01", "2025-01-01"]);
    let found = compared(&before, &after);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].kind, Kind::ResponseMediaTypeChanged);
    assert!(
        found[0].message.contains(
            "`application/vnd.items.2024-01-01+json` became `application/vnd.items.2025-01-01+json`"
        ) && found[0].message.contains("still declared"),
        "{}",
        found[0].message
    );
    // A version added that is not the newest changes nothing the client does.
    let older = versions(&["2022-01-01", "2023-01-01", "2024-01-01"]);
    assert!(compared(&before, &older).is_empty());
}

#[test]
fn all_of_is_merged_as_the_model_merges_it() {
    // The schema's own `name` is a string; its member's, an integer: the
    // crate has the member's (a later layer replaces an earlier one), and
    // `required` on the schema applies to the member's property.
    let before = edit(
        "    ItemUpdate:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string, maxLength: 50}\n",
        "    ItemUpdate:\n      required: [name, size]\n      properties:\n        name: {type: string, maxLength: 50}\n      allOf:\n        - type: object\n          properties:\n            name: {type: integer}\n            size: {type: integer}\n    Unused:\n      type: object\n      properties:\n",
    );
    // Changing the overridden own property changes nothing the crate has.
    let own_changed = before.replacen(
        "name: {type: string, maxLength: 50}",
        "name: {type: boolean}",
        1,
    );
    assert_eq!(compared(&before, &own_changed), vec![]);
    // Changing the member's property is a change of the crate's.
    let member_changed = before.replacen("name: {type: integer}", "name: {type: string}", 1);
    let found = compared(&before, &member_changed);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].kind, Kind::TypeChanged, "{found:#?}");
    assert_eq!(found[0].message, "type integer became string", "{found:#?}");
    // `size` is required through the schema's own list: making it optional there is reported.
    let size_optional = before.replacen("required: [name, size]", "required: [name]", 1);
    let kinds: Vec<Kind> = compared(&before, &size_optional)
        .iter()
        .map(|change| change.kind)
        .collect();
    assert!(kinds.contains(&Kind::PropertyBecameOptional), "{kinds:?}");
}

#[test]
fn a_multi_file_spec_at_a_revision_reads_every_file_at_that_revision() {
    let dir = tempfile::tempdir().expect("tempdir");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    std::fs::create_dir_all(dir.path().join("spec/schemas")).expect("folders");
    std::fs::write(
        dir.path().join("spec/openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Thing: {$ref: 'schemas/thing.yaml'}\n",
    )
    .expect("root");
    let thing = dir.path().join("spec/schemas/thing.yaml");
    std::fs::write(
        &thing,
        "type: object\nproperties:\n  name: {type: string}\n",
    )
    .expect("schema");
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "first"]);
    std::fs::write(
        &thing,
        "type: object\nproperties:\n  name: {type: string}\n  size: {type: integer}\n",
    )
    .expect("changed");
    let spec = dir.path().join("spec/openapi.yaml");
    let old = openapi_clientgen::cli::diff::at_revision(&spec, "HEAD").expect("reads the revision");
    let properties = &old.tree()["components"]["schemas"]["Thing"]["properties"];
    assert!(properties.get("name").is_some());
    assert!(
        properties.get("size").is_none(),
        "the file as it was at HEAD"
    );
    // Its files are named as the working tree's, at the revision.
    assert!(
        old.sources()[1]
            .file
            .to_string_lossy()
            .ends_with("spec/schemas/thing.yaml@HEAD"),
        "{:?}",
        old.sources()[1].file
    );
    let new = openapi_clientgen::cli::diff::load_file(&spec).expect("reads the working tree");
    assert!(
        new.tree()["components"]["schemas"]["Thing"]["properties"]
            .get("size")
            .is_some()
    );
}

/// What the generator decided is read from the models, not decided again:
/// one value is written the same in every style, and a one-member `allOf`
/// is its member, so neither change below changes the crate or the wire.
#[test]
fn changes_the_generator_makes_nothing_of_are_not_reported() {
    let scalar_restyled = edit(
        "{name: verbose, in: query, schema",
        "{name: verbose, in: query, style: form, explode: false, schema",
    );
    assert_eq!(compared(BASE, &scalar_restyled), vec![]);
    let wrapped = edit(
        "    Item:\n      type: object\n      properties:\n",
        "    Item:\n      type: object\n      properties:\n        update: {allOf: [{$ref: \"#/components/schemas/ItemUpdate\"}]}\n",
    );
    let unwrapped = edit(
        "    Item:\n      type: object\n      properties:\n",
        "    Item:\n      type: object\n      properties:\n        update: {$ref: \"#/components/schemas/ItemUpdate\"}\n",
    );
    assert_eq!(compared(&wrapped, &unwrapped), vec![]);
    // An inline object that became that component changes the field's type.
    let inline = edit(
        "    Item:\n      type: object\n      properties:\n",
        "    Item:\n      type: object\n      properties:\n        update: {type: object, properties: {name: {type: string}}}\n",
    );
    let kinds: Vec<Kind> = compared(&inline, &unwrapped)
        .iter()
        .map(|change| change.kind)
        .collect();
    assert!(kinds.contains(&Kind::SchemaBecameNamed), "{kinds:?}");
}
