//! What only the generator's output can show: diagnostics for what it
//! refuses, warnings, lenient mode, and what settings change in the emitted
//! code. Every crate these tests generate is also built with clippy,
//! warnings denied. How supported constructs behave is tested on the wire, over the
//! fixtures in `tests/fixtures/` (`tests/every_operation.rs`,
//! `tests/conformance.rs`).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use openapi_clientgen::{Code, Config, GeneratedCrate, Settings};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.com/v1"}]
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer, format: int64, minimum: 1}}
        - {name: X-Request-Id, in: header, schema: {type: string}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: mode, in: query, schema: {type: string, enum: [fast, full]}}
      responses:
        "200":
          description: OK
          content:
            application/vnd.pets.v2+json:
              schema: {$ref: "#/components/schemas/Dog"}
        "404":
          description: Missing
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
        "5XX":
          description: Server trouble
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
    delete:
      operationId: deletePet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Deleted}
        "409": {description: Busy}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 20}
        nickname: {type: string, nullable: true}
        labels:
          type: object
          additionalProperties: {type: integer}
          maxProperties: 3
        owner:
          type: object
          properties:
            id: {type: string, pattern: "^[0-9]+$"}
    Dog:
      allOf:
        - $ref: "#/components/schemas/Pet"
        - type: object
          properties:
            good: {type: boolean}
    Problem:
      type: object
      properties:
        title: {type: string}
    Scores:
      type: array
      maxItems: 2
      items: {type: number, format: float, maximum: 10, exclusiveMaximum: true}
"##;

fn generate() -> GeneratedCrate {
    generate_text(SPEC, &Config::new("pets", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"))
}

/// Generates a crate from spec text, as `regen` would from a file; a crate
/// that generates must also pass clippy with warnings denied.
fn generate_text(
    text: &str,
    config: &Config,
    settings: &Settings,
) -> Result<GeneratedCrate, openapi_clientgen::Error> {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("pets.yaml");
    std::fs::write(&spec, text).expect("write");
    let generated = openapi_clientgen::generate(&spec, config, &buildable(settings.clone()))?;
    assert_builds(&generated);
    Ok(generated)
}

/// `settings`, with the runtime found where the crate will be built.
fn buildable(settings: Settings) -> Settings {
    Settings {
        // Each crate is written to target/constructs/HASH.
        runtime: openapi_clientgen::Runtime::Path("../../../runtime".to_owned()),
        ..settings
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes the crate under `target/constructs/` and runs `cargo clippy
/// --features schemars,mock -- -D warnings` on it (every feature but the
/// other TLS stack, which `cargo xtask test` checks on the fragment's crate).
fn assert_builds(generated: &GeneratedCrate) {
    let (out, output) = cargo_on(
        generated,
        &[
            "clippy",
            "--quiet",
            "--offline",
            "--features",
            "schemars,mock",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(
        output.status.success(),
        "the generated crate in {} does not build clean:\n{}",
        out.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Writes the crate under `target/constructs/` and runs cargo with `args`
/// in it, offline, with the workspace's lock file and the target folder
/// `cargo xtask corpus` builds in, so the dependencies are built once; one
/// crate at a time.
fn cargo_on(generated: &GeneratedCrate, args: &[&str]) -> (PathBuf, std::process::Output) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    generated.files.hash(&mut hasher);
    let out = workspace()
        .join("target/constructs")
        .join(format!("{:016x}", hasher.finish()));
    openapi_clientgen::write::replace_dir(&out, generated).expect("written");
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(&out)
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/generated-crates-build"),
        )
        .output()
        .expect("cargo runs");
    (out, output)
}

fn file<'a>(generated: &'a GeneratedCrate, path: &str) -> &'a str {
    generated.files.get(path).unwrap_or_else(|| {
        panic!(
            "no {path}; files: {:?}",
            generated.files.keys().collect::<Vec<_>>()
        )
    })
}

fn assert_has(text: &str, snippets: &[&str]) {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for snippet in snippets {
        assert!(flat.contains(snippet), "missing `{snippet}` in:\n{text}");
    }
}

#[test]
fn only_a_crate_that_sends_multipart_bodies_asks_for_the_runtime_multipart_feature() {
    // Each crate is built on its own (`assert_builds`), so the runtime has
    // only the features its manifest names.
    let without = file(&generate(), "Cargo.toml").to_owned();
    assert!(!without.contains("multipart"), "{without}");
    let spec = "openapi: 3.0.3\ninfo: {title: Upload, version: '1'}\npaths:\n  /files:\n    post:\n      operationId: upload\n      requestBody:\n        required: true\n        content:\n          multipart/form-data:\n            schema:\n              type: object\n              properties:\n                file: {type: string, format: binary}\n                note: {type: string}\n      responses:\n        '204': {description: Stored}\n";
    let generated = generate_text(spec, &Config::new("upload", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "Cargo.toml"),
        &[
            r#"client-runtime = { path = "#,
            r#", features = ["multipart"] }"#,
        ],
    );
}

#[test]
fn a_crate_asks_for_the_runtime_features_its_code_uses_and_no_others() {
    // Each crate is built on its own (`assert_builds`), so a feature missing
    // from its manifest fails to compile there.
    let pets = file(&generate(), "Cargo.toml").to_owned();
    assert_has(&pets, &[r#", features = ["patterns"] }"#]);
    let operation = |parameter: &str, property: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: Events, version: '1'}}\npaths:\n  /events:\n    get:\n      operationId: listEvents\n      parameters:\n        - {{name: since, in: query, schema: {parameter}}}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  id: {property}\n"
        )
    };
    let cases = [
        ("{type: string}", "{type: integer}", None),
        (
            "{type: string, format: date-time}",
            "{type: integer}",
            Some(r#"["chrono"]"#),
        ),
        (
            "{type: string}",
            "{type: string, format: date}",
            Some(r#"["chrono"]"#),
        ),
        (
            "{type: string}",
            "{type: string, format: uuid}",
            Some(r#"["uuid"]"#),
        ),
        (
            "{type: string, pattern: '^[a-z]+$'}",
            "{type: string, format: uuid}",
            Some(r#"["patterns", "uuid"]"#),
        ),
    ];
    for (parameter, property, features) in cases {
        let generated = generate_text(
            &operation(parameter, property),
            &Config::new("events", "0.1.0"),
            &Settings::default(),
        )
        .unwrap_or_else(|error| panic!("{error}"));
        let manifest = file(&generated, "Cargo.toml");
        let line = manifest
            .lines()
            .find(|line| line.starts_with("client-runtime = "))
            .expect("the runtime dependency");
        match features {
            Some(features) => assert!(
                line.ends_with(&format!(", features = {features} }}")),
                "{parameter} and {property}: {line}"
            ),
            None => assert!(!line.contains("features = ["), "{line}"),
        }
    }
}

#[test]
fn the_client_defaults_to_the_first_server() {
    let generated = generate();
    assert_has(
        file(&generated, "src/client.rs"),
        &["pub const DEFAULT_BASE_URL: &'static str = \"https://pets.example.com/v1\";"],
    );
    assert!(file(&generated, "Cargo.toml").contains("name = \"pets\""));
}

#[test]
fn unsupported_constructs_are_named_not_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("bad.yaml");
    let text = SPEC.replace(
        "        - {name: petId, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\"",
        "        - {name: petId, in: path, required: true, schema: {type: string}}\n        - {name: session, in: cookie, schema: {type: array, items: {type: string}}}\n      responses:\n        \"204\"",
    );
    assert_ne!(text, SPEC);
    std::fs::write(&spec, text).expect("write");
    let config = Config::new("pets", "0.1.0");
    let error = openapi_clientgen::generate(Path::new(&spec), &config, &Settings::default())
        .expect_err("an exploded cookie list is refused");
    let diagnostics = error.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{error}");
    assert_eq!(
        diagnostics[0].pointer,
        "#/paths/~1pets~1{petId}/delete/parameters/1"
    );
    assert!(diagnostics[0].line.is_some());
}

#[test]
fn lenient_mode_skips_what_it_cannot_represent_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("lenient.yaml");
    let text = SPEC.replace(
        "        - {name: petId, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\"",
        "        - {name: petId, in: path, required: true, schema: {type: string}}\n        - {name: session, in: cookie, schema: {type: array, items: {type: string}}}\n      responses:\n        \"204\"",
    );
    assert_ne!(text, SPEC);
    std::fs::write(&spec, text).expect("write");
    let lenient = Settings {
        lenient: true,
        ..Settings::default()
    };
    let generated =
        openapi_clientgen::generate(&spec, &Config::new("pets", "0.1.0"), &buildable(lenient))
            .unwrap_or_else(|error| panic!("{error}"));
    assert_builds(&generated);
    assert_eq!(generated.report.skipped.len(), 1);
    assert_eq!(generated.report.skipped[0].operation, "deletePet");
    assert_eq!(
        generated.report.skipped[0].reasons[0].code,
        Code::CookieParameter
    );
    assert!(generated.files.contains_key("src/operations/get_pet.rs"));
    assert!(!generated.files.contains_key("src/operations/delete_pet.rs"));
}

#[test]
fn defaults_that_do_not_fit_their_type_are_dropped_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("defaults.yaml");
    let text = SPEC
        .replace("        name: {type: string, maxLength: 20}", "        name: {type: string, maxLength: 20}\n        pages: {type: integer, default: many}")
        .replace("{name: mode, in: query, schema: {type: string, enum: [fast, full]}}", "{name: limit, in: query, schema: {type: integer, default: \"ten\"}}");
    std::fs::write(&spec, text).expect("write");
    let generated = openapi_clientgen::generate(
        &spec,
        &Config::new("pets", "0.1.0"),
        &buildable(Settings::default()),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_builds(&generated);
    let warnings = &generated.report.warnings;
    assert_eq!(
        warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        [Code::DefaultMismatch; 2],
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("default \"many\" is not an integer")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .all(|w| w.line.is_some() && w.file.ends_with("defaults.yaml")),
        "{warnings:#?}"
    );
    let operation = file(&generated, "src/operations/get_pet.rs");
    assert!(
        !operation.contains("default is `\"ten\"`"),
        "the unfit default is left out of the docs"
    );
}

/// Found by `cargo xtask fuzz`: this overflowed the stack.
#[test]
fn an_all_of_that_includes_itself_is_a_diagnostic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("cycle.yaml");
    let text = SPEC.replace(
        "    Scores:",
        "    Loop:\n      allOf:\n        - $ref: \"#/components/schemas/Loop\"\n    Scores:",
    );
    std::fs::write(&spec, text).expect("write");
    let error =
        openapi_clientgen::generate(&spec, &Config::new("pets", "0.1.0"), &Settings::default())
            .expect_err("refused");
    assert!(error.codes().contains(&Code::AllOfCycle), "{error}");
}

#[test]
fn properties_the_configuration_names_become_secrets() {
    let mut config = Config::new("pets", "0.1.0");
    config.sensitive = vec![
        "Pet.nickname".to_owned(),
        "*.title".to_owned(),
        "Pet.missing".to_owned(),
    ];
    let generated = generate_text(SPEC, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/types/pet.rs"),
        &[
            "pub nickname: Option<client_runtime::Secret>",
            "pub name: String",
        ],
    );
    assert_has(
        file(&generated, "src/types/problem.rs"),
        &["pub title: Option<client_runtime::Secret>"],
    );
    let warnings = &generated.report.warnings;
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].code == Code::ConfigUnmatched
            && warnings[0].pointer == "#/components/schemas/Pet"
            && warnings[0].message.contains("`Pet.missing`"),
        "{}",
        warnings[0]
    );
}

#[test]
fn a_name_that_is_no_package_name_is_a_configuration_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("codegen.toml");
    std::fs::write(&path, "name = \"pets.v2\"\nversion = \"0.1.0\"\n").expect("write");
    let error = Config::read(&path).expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("`name = \"pets.v2\"` is not a package name"),
        "{error}"
    );
}

#[test]
fn a_version_cargo_cannot_read_or_an_absolute_runtime_path_is_a_configuration_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("codegen.toml");
    let read = |text: &str| {
        std::fs::write(&path, text).expect("write");
        Config::read(&path).map_err(|error| error.to_string())
    };
    for version in ["1", "1.0", "01.2.3", "1.2.3.4", "v1.2.3", "1.2.3-"] {
        let error = read(&format!("name = \"x\"\nversion = \"{version}\"\n")).expect_err(version);
        assert!(error.contains("is not a semantic version"), "{error}");
    }
    for version in ["0.1.0", "1.2.3-beta.1", "1.2.3+build.5", "10.20.30-rc-1+x"] {
        read(&format!("name = \"x\"\nversion = \"{version}\"\n")).expect(version);
    }
    let error = read("name = \"x\"\nversion = \"0.1.0\"\n[runtime]\npath = \"/home/me/runtime\"\n")
        .expect_err("absolute");
    assert!(error.contains("is absolute"), "{error}");
    let relative = read("name = \"x\"\nversion = \"0.1.0\"\n[runtime]\npath = \"../runtime\"\n")
        .expect("relative");
    assert_eq!(
        relative.runtime,
        Some(openapi_clientgen::Runtime::Path("../runtime".to_owned()))
    );
    // The settings of a library caller are held to the same rule.
    let settings = Settings {
        runtime: openapi_clientgen::Runtime::Path("/abs/runtime".to_owned()),
        ..Settings::default()
    };
    let spec = dir.path().join("pets.yaml");
    std::fs::write(&spec, SPEC).expect("spec");
    let error = openapi_clientgen::generate(&spec, &Config::new("pets", "0.1.0"), &settings)
        .expect_err("absolute");
    assert!(error.to_string().contains("is absolute"), "{error}");
}

#[test]
fn a_sensitive_entry_without_a_property_is_a_configuration_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("codegen.toml");
    std::fs::write(
        &path,
        "name = \"x\"\nversion = \"0.1.0\"\nsensitive = [\"privateKey\"]\n",
    )
    .expect("write");
    let error = Config::read(&path).expect_err("refused");
    assert!(
        error.to_string().contains("`sensitive` entry `privateKey`")
            && error.to_string().contains("codegen.toml"),
        "{error}"
    );
}

#[test]
fn the_client_offers_what_the_spec_and_config_declare() {
    let mut config = Config::new("pets", "0.1.0");
    config.envelope = Some(openapi_clientgen::config::EnvelopeConfig {
        parameter: "wrap".to_owned(),
        status: "code".to_owned(),
        content: "data".to_owned(),
    });
    config.rate_limit_headers = openapi_clientgen::config::RateLimitConfig {
        limit: "X-RateLimit-Limit".to_owned(),
        remaining: "X-RateLimit-Remaining".to_owned(),
    };
    config.env.digest = vec![["PETS_USER".to_owned(), "PETS_PASSWORD".to_owned()]];
    let generated = generate_text(SPEC, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let client = file(&generated, "src/client.rs");
    assert_has(
        client,
        &[
            "schemes: &[],",
            "digest: &[]",
            "limit: \"X-RateLimit-Limit\"",
            "Some(client_runtime::__private::EnvelopeFields { status: \"code\", content: \"data\", })",
            "clones share one connection pool.",
        ],
    );
    assert!(
        !client.contains("PETS_USER"),
        "no Digest scheme, so no Digest variables:\n{client}"
    );

    let with_digest = SPEC.replacen(
        "components:\n",
        "components:\n  securitySchemes:\n    Keys: {type: http, scheme: digest}\n",
        1,
    );
    let generated = generate_text(&with_digest, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let client = file(&generated, "src/client.rs");
    assert_has(
        client,
        &[
            "SecurityScheme { name: \"Keys\", kind: client_runtime::__private::SchemeKind::Digest, }",
            "(\"PETS_USER\", \"PETS_PASSWORD\")",
            "(Digest nonces)",
        ],
    );
}

#[test]
fn lenient_mode_names_an_unnamed_operation_and_drops_a_broken_pattern() {
    let text = SPEC
        .replacen("      operationId: getPet\n", "", 1)
        .replacen(
            "{type: string, maxLength: 20}",
            "{type: string, maxLength: 20, pattern: \"(\"}",
            1,
        );
    let strict = generate_text(&text, &Config::new("pets", "0.1.0"), &Settings::default())
        .expect_err("strict mode refuses both");
    let mut codes = strict.codes();
    codes.sort();
    assert_eq!(
        codes,
        [Code::MissingOperationId, Code::InvalidPattern],
        "{strict}"
    );
    assert!(
        strict
            .to_string()
            .contains("names this one `getPetsByPetId`"),
        "the error says the name lenient mode would give:\n{strict}"
    );
    let lenient = Settings {
        lenient: true,
        ..Settings::default()
    };
    let generated = generate_text(&text, &Config::new("pets", "0.1.0"), &lenient)
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        generated
            .files
            .contains_key("src/operations/get_pets_by_pet_id.rs")
    );
    let mut codes: Vec<Code> = generated.report.warnings.iter().map(|w| w.code).collect();
    codes.sort();
    assert_eq!(
        codes,
        [Code::MissingOperationId, Code::InvalidPattern],
        "the same two, as warnings"
    );
    let pet = file(&generated, "src/types/pet.rs");
    assert!(
        !pet.contains("Pattern::new(\"(\")"),
        "the broken pattern is not checked:\n{pet}"
    );
    assert!(pet.contains("max_length(value, 20)"), "{pet}");
}

#[test]
fn touching_status_classes_share_one_range_and_a_null_enum_holds_null() {
    let text = SPEC
        .replacen(
            "        \"5XX\":\n",
            "        \"4XX\":\n          description: Client trouble\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Problem\"}\n        \"5XX\":\n",
            1,
        )
        .replacen(
            "        \"204\": {description: Deleted}",
            "        \"200\": {description: Nothing, content: {application/json: {schema: {title: Null, type: string, enum: [null]}}}}",
            1,
        );
    let generated = generate_text(&text, &Config::new("pets", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let get = file(&generated, "src/operations/get_pet.rs");
    assert!(
        get.contains("404 | 400..=599 =>") || get.contains("400..=599"),
        "{get}"
    );
    assert!(!get.contains("400..=499 | 500..=599"), "{get}");
    let delete = file(&generated, "src/operations/delete_pet.rs");
    assert!(
        delete.contains("serde_json::Value"),
        "null decodes as a JSON value:\n{delete}"
    );
}

const LISTS: &str = r##"
openapi: 3.0.3
info: {title: Lists, version: "1"}
paths:
  /paged:
    get:
      operationId: listPaged
      parameters:
        - {name: offset, in: query, schema: {type: integer, format: int32}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {type: string, format: uuid}}
                  total: {type: integer, format: int32}
  /required:
    get:
      operationId: listRequired
      parameters:
        - {name: offset, in: query, required: true, schema: {type: integer}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema: {type: object, properties: {items: {type: array, items: {type: string}}}}
  /unpaged:
    get:
      operationId: listUnpaged
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        "200":
          description: Not a list.
          content:
            application/json:
              schema: {type: object, properties: {items: {type: string}}}
"##;

#[test]
fn pagination_applies_where_the_configured_rule_fits() {
    let mut config = Config::new("lists", "0.1.0");
    config.pagination = Some(openapi_clientgen::config::PaginationConfig {
        parameter: Some("offset".to_owned()),
        counts: openapi_clientgen::config::PageCounting::Items,
        items: Some("items".to_owned()),
        start: 0,
        total: Some("total".to_owned()),
        ..Default::default()
    });
    let generated = generate_text(LISTS, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/operations/list_paged.rs"),
        &[
            "let start = builder.offset.unwrap_or(0);",
            "client_runtime::__private::PageStep::Items",
            "items: |page: &crate::types::ListPagedResponse| page.items.as_slice(),",
            "total: Some(|page: &crate::types::ListPagedResponse| page.total.map(i64::from)),",
            "Item = Result<client_runtime::uuid::Uuid,",
        ],
    );
    // A required paging parameter, or no array to take items from: no walk.
    for path in [
        "src/operations/list_required.rs",
        "src/operations/list_unpaged.rs",
    ] {
        assert!(!file(&generated, path).contains("fn pages"), "{path}");
    }
    assert!(generated.report.warnings.is_empty());

    config.pagination.as_mut().expect("set").parameter = Some("page".to_owned());
    let generated = generate_text(LISTS, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let warnings = &generated.report.warnings;
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].code == Code::ConfigUnmatched
            && warnings[0]
                .message
                .contains("`pagination` in the configuration"),
        "{}",
        warnings[0]
    );
}

#[test]
fn a_paging_rule_for_one_operation_must_fit_it_and_name_one() {
    let rule = |text: &str| -> openapi_clientgen::config::PageRuleConfig {
        toml::from_str(text).expect("a rule")
    };
    let mut config = Config::new("lists", "0.1.0");
    let mut pagination = openapi_clientgen::config::PaginationConfig::default();
    pagination.operations.insert(
        "listUnpaged".to_owned(),
        rule("style = \"cursor\"\nparameter = \"offset\"\nnext = \"items\""),
    );
    pagination
        .operations
        .insert("listNothing".to_owned(), rule("style = \"link-header\""));
    config.pagination = Some(pagination);
    let Err(error) = generate_text(LISTS, &config, &Settings::default()) else {
        panic!("a rule that does not fit its operation is refused");
    };
    assert_eq!(error.codes(), [Code::PaginationRule; 2], "{error}");
    let error = error.to_string();
    assert!(
        error.contains("[pagination.operations.listUnpaged] in the configuration does not fit `listUnpaged`: its page has no one array property"),
        "{error}"
    );
    assert!(
        error.contains(
            "[pagination.operations.listNothing] in the configuration names no operation"
        ),
        "{error}"
    );
    // `none` turns off what another rule or the spec would page.
    let mut config = Config::new("lists", "0.1.0");
    let mut pagination = openapi_clientgen::config::PaginationConfig {
        parameter: Some("offset".to_owned()),
        items: Some("items".to_owned()),
        ..Default::default()
    };
    pagination
        .operations
        .insert("listPaged".to_owned(), rule("style = \"none\""));
    config.pagination = Some(pagination);
    let generated = generate_text(LISTS, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(!file(&generated, "src/operations/list_paged.rs").contains("fn pages"));
}

#[test]
fn paging_rules_are_checked_when_the_settings_are_read() {
    let scratch = tempfile::tempdir().expect("scratch");
    let path = scratch.path().join("codegen.toml");
    for (rule, problem) in [
        (
            "style = \"cursor\"\nparameter = \"c\"",
            "[pagination.operations.list] `style = \"cursor\"` needs `next`",
        ),
        (
            "style = \"next-link\"",
            "[pagination.operations.list] `style = \"next-link\"` needs `next`",
        ),
        (
            "style = \"link-header\"\nstart = 2",
            "`style = \"link-header\"` takes no `start`",
        ),
        (
            "style = \"last-item\"\nparameter = \"starting_after\"",
            "`style = \"last-item\"` needs `next`",
        ),
        (
            "style = \"cursor\"\nparameter = \"c\"\nnext = \"n\"\nmore = \"has_more\"",
            "`style = \"cursor\"` takes no `more`",
        ),
        ("style = \"pages\"", "unknown variant `pages`"),
    ] {
        std::fs::write(
            &path,
            format!("[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[pagination.operations.list]\n{rule}\n"),
        )
        .expect("written");
        let Err(error) = openapi_clientgen::Config::read(&path) else {
            panic!("{rule} is refused");
        };
        let error = error.to_string();
        assert!(error.contains(problem), "{rule}: {error}");
    }
}

#[test]
fn schemas_that_are_only_references_to_each_other_are_refused_naming_the_cycle() {
    let text = r##"
openapi: 3.0.3
info: {title: Cycle, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/A"}
components:
  schemas:
    A: {$ref: "#/components/schemas/B"}
    B: {$ref: "#/components/schemas/A"}
"##;
    let error = generate_text(text, &Config::new("cycle", "0.1.0"), &Settings::default())
        .expect_err("a type of infinite size would not compile");
    let diagnostics = error.diagnostics();
    assert_eq!(error.codes(), [Code::RefCycle; 2], "{error}");
    assert!(
        diagnostics[0]
            .message
            .contains("#/components/schemas/B → #/components/schemas/A → #/components/schemas/B"),
        "{error}"
    );
    assert!(diagnostics.iter().all(|d| d.line.is_some()));
    let lenient = Settings {
        lenient: true,
        ..Settings::default()
    };
    let generated = generate_text(text, &Config::new("cycle", "0.1.0"), &lenient)
        .unwrap_or_else(|error| panic!("{error}"));
    let codes: Vec<Code> = generated.report.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, [Code::RefCycle; 2]);
    assert_has(
        file(&generated, "src/types/a.rs"),
        &["pub struct A(pub serde_json::Value);"],
    );
}

#[test]
fn every_diagnostic_has_a_line_and_a_shared_problem_is_reported_once() {
    // JSON, with a string escape (`\/`) that YAML does not accept, ahead of
    // every problem; a response with a problem, shared by three operations.
    let text = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Shared", "version": "1", "description": "See https:\/\/example.com\/docs"},
  "paths": {
    "/a": {"get": {"operationId": "getA", "responses": {"200": {"$ref": "#/components/responses/Weird"}}}},
    "/b": {"get": {"operationId": "getB",
      "parameters": [{"$ref": "#/components/parameters/Session"}],
      "responses": {"200": {"$ref": "#/components/responses/Weird"}}}},
    "/c": {"get": {"operationId": "getC", "responses": {"200": {"$ref": "#/components/responses/Weird"}}}}
  },
  "components": {
    "parameters": {"Session": {"name": "session", "in": "cookie", "schema": {"type": "array", "items": {"type": "string"}}}},
    "responses": {
      "Weird": {
        "description": "a \"weird\" one",
        "content": {"application/json": {
          "schema": {"not": {"type": "string"}}
        }}
      }
    }
  }
}"##;
    let line_with = |needle: &str| {
        text.lines()
            .position(|line| line.contains(needle))
            .map(|index| index + 1)
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("shared.json");
    std::fs::write(&spec, text).expect("write");
    let config = Config::new("shared", "0.1.0");
    let error = openapi_clientgen::generate(&spec, &config, &Settings::default())
        .expect_err("`not` and an exploded cookie list are refused");
    let found: Vec<(&str, Option<usize>)> = error
        .diagnostics()
        .iter()
        .map(|d| (d.pointer.as_str(), d.line))
        .collect();
    assert_eq!(
        found,
        [
            (
                // Where the schema is written, once, not once per operation.
                "#/components/responses/Weird/content/application~1json/schema",
                line_with("\"schema\": {\"not\""),
            ),
            // The referencing node's line.
            (
                "#/paths/~1b/get/parameters/0",
                line_with("\"parameters\": [{\"$ref\""),
            ),
        ],
        "{error}"
    );
    // Lenient mode names the same places in every skipped operation.
    let lenient = Settings {
        lenient: true,
        ..Settings::default()
    };
    let generated =
        openapi_clientgen::generate(&spec, &config, &buildable(lenient)).expect("lenient skips");
    assert_builds(&generated);
    let reasons: Vec<_> = generated
        .report
        .skipped
        .iter()
        .flat_map(|skip| &skip.reasons)
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(
        reasons.iter().all(|reason| reason.line.is_some()),
        "{reasons:?}"
    );
}

/// Code blocks in every form rustdoc tests, each of which would fail the
/// doctest run if compiled (`compile_error!`) and leave a file if run.
fn runnable_prose(place: &str) -> String {
    let code = format!(
        "compile_error!(\"spec prose compiled ({place})\"); fn main() {{ std::fs::write(\"ran-{place}\", \"\").unwrap(); }}"
    );
    [
        format!("```\n{code}\n```"),
        format!("```rust\n{code}\n```"),
        format!("~~~\n{code}\n~~~"),
        format!("````\n```\n{code}\n````"),
        format!("```should_panic\n{code}\n```"),
        format!("```edition2021\n{code}\n```"),
        format!("```json,no_run\n{code}\n```"),
        format!("Indented:\n\n    {code}"),
        format!("- A list:\n\n  ```rust\n  {code}\n  ```"),
        format!("- ```rust\n  {code}\n  ```"),
        format!("> ```rust\n> {code}\n> ```"),
        format!("\tTabbed:\n\n\t{code}"),
        format!("Unclosed:\n```rust\n{code}"),
    ]
    .join("\n\n")
}

#[test]
fn spec_prose_never_runs_as_a_doctest() {
    // Each description is a YAML block scalar, indented to its place.
    let block = |place: &str, indent: usize| {
        let pad = " ".repeat(indent);
        let text = runnable_prose(place).replace('\t', "    ");
        let lines: Vec<String> = text.lines().map(|line| format!("{pad}{line}")).collect();
        format!("|-\n{}", lines.join("\n"))
    };
    let spec = format!(
        "openapi: 3.0.3
info:
  title: Prose
  version: '1'
  description: {info}
paths:
  /notes/{{id}}:
    post:
      operationId: addNote
      summary: Adds a note.
      description: {operation}
      parameters:
        - name: id
          in: path
          required: true
          description: {parameter}
          schema: {{type: string}}
      requestBody:
        description: {body}
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Note'}}
      responses:
        '200':
          description: {response}
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Note'}}
components:
  schemas:
    Note:
      description: {schema}
      type: object
      properties:
        text:
          description: {property}
          type: string
        kind:
          description: {enumeration}
          type: string
          enum: [short, long]
          x-enum-descriptions:
            - {variant}
            - Long.
",
        info = block("info", 4),
        operation = block("operation", 8),
        parameter = block("parameter", 12),
        body = block("body", 10),
        response = block("response", 12),
        schema = block("schema", 8),
        property = block("property", 12),
        enumeration = block("enum", 12),
        variant = block("variant", 14),
    );
    let generated = generate_text(&spec, &Config::new("prose", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    for place in [
        "info",
        "operation",
        "parameter",
        "schema",
        "property",
        "variant",
    ] {
        assert!(
            generated
                .files
                .values()
                .any(|text| text.contains(&format!("spec prose compiled ({place})"))),
            "the {place} description is in the crate's docs"
        );
    }
    let (out, output) = cargo_on(
        &generated,
        &["test", "--doc", "--offline", "--features", "schemars,mock"],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}\n{}",
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    // The one doctest is the README's sample, which the generator wrote.
    assert!(
        stdout.contains("running 1 test") && stdout.contains("ReadmeDoctests"),
        "rustdoc found doctests other than the README's:\n{stdout}"
    );
    let ran: Vec<_> = std::fs::read_dir(&out)
        .expect("the crate's folder")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("ran-"))
        .collect();
    assert!(ran.is_empty(), "spec prose ran: {ran:?}");
}

/// A spec whose one operation answers `S0`, with `schemas` as its components.
fn answering_s0(schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Chains, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/S0'}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

#[test]
fn a_long_chain_is_said_once_to_be_too_long_not_a_cycle() {
    let end = "    S200:\n      type: object\n      properties:\n        a: {type: string}\n";
    let references: String = (0..200)
        .map(|i| format!("    S{i}:\n      $ref: '#/components/schemas/S{}'\n", i + 1))
        .collect();
    let all_of: String = (0..200)
        .map(|i| {
            format!(
                "    S{i}:\n      allOf:\n        - $ref: '#/components/schemas/S{}'\n        - type: object\n          properties:\n            p{i}: {{type: string}}\n",
                i + 1
            )
        })
        .collect();
    for (schemas, code) in [
        (references, Code::RefChainTooLong),
        (all_of, Code::AllOfTooDeep),
    ] {
        let error = generate_text(
            &answering_s0(&format!("{schemas}{end}")),
            &Config::new("chains", "0.1.0"),
            &Settings::default(),
        )
        .expect_err("too long");
        // Said once, and not as a cycle.
        assert_eq!(error.codes(), [code], "{error}");
    }
    // Short chains of both kinds generate.
    let short: String = (0..10)
        .map(|i| format!("    S{i}:\n      $ref: '#/components/schemas/S{}'\n", i + 1))
        .collect();
    let end = "    S10:\n      type: object\n      properties:\n        a: {type: string}\n";
    generate_text(
        &answering_s0(&format!("{short}{end}")),
        &Config::new("chains", "0.1.0"),
        &Settings::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn names_of_any_length_and_prose_with_any_line_end_make_a_crate() {
    let long = "Very".repeat(250);
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: Long, version: '1', description: \"one\\rtwo\\u0000\"}}\npaths:\n  /a:\n    get:\n      operationId: {long}Get\n      description: \"a\\rb\\u202Ec\"\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{long}'}}\ncomponents:\n  schemas:\n    {long}:\n      type: object\n      properties:\n        {long}: {{type: string}}\n        {long}x: {{type: string}}\n"
    );
    let generated = generate_text(&spec, &Config::new("long", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        generated.files.keys().all(|path| path.len() < 200),
        "{:?}",
        generated.files.keys()
    );
}

/// Schemas and operations named like what generated code already uses:
/// the prelude (`Option`, `Result`, `String`, `Box`, `Vec`), the local
/// names of written-out impls (`Fields`), the client's own items
/// (`Client`, `new`, `builder`, `base_url`); names equal but for case or
/// punctuation; an `int32` bound outside `i32`.
const CLASHING_NAMES: &str = r##"
openapi: 3.0.3
info: {title: Names, version: "1"}
paths:
  /a:
    get:
      operationId: new
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: int32, minimum: -9999999999, maximum: 9999999999}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Fields'}
  /b:
    get:
      operationId: builder
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Option'}
  /c:
    get:
      operationId: base_url
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /d:
    get:
      operationId: Client
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/THING'}
  /e:
    get:
      operationId: getE
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  r: {$ref: '#/components/schemas/Result'}
                  s: {$ref: '#/components/schemas/String'}
                  b: {$ref: '#/components/schemas/Box'}
                  ab: {$ref: '#/components/schemas/a.b'}
                  ab2: {$ref: '#/components/schemas/a_b'}
                  v: {$ref: '#/components/schemas/Vec'}
components:
  schemas:
    Fields: {type: object, properties: {x: {type: string}}}
    Option: {type: object, properties: {y: {type: string}}}
    Result: {type: object, properties: {z: {type: string}}}
    String: {type: object, properties: {w: {type: string}}}
    Box: {type: object, properties: {q: {type: string}}}
    Vec: {type: object, properties: {q: {type: string}}}
    Thing: {type: object, properties: {t: {type: string}}}
    THING: {type: object, properties: {u: {type: string}}}
    a.b: {type: object, properties: {m: {type: string}}}
    a_b: {type: object, properties: {n: {type: string}}}
"##;

#[test]
fn names_that_clash_with_what_generated_code_uses_still_make_a_crate() {
    let generated = generate_text(
        CLASHING_NAMES,
        &Config::new("names", "0.1.0"),
        &Settings::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let types = file(&generated, "src/types/mod.rs");
    assert_has(
        types,
        &[
            "pub use option_type::OptionType;",
            "pub use result_type::ResultType;",
            "pub use string_type::StringType;",
            "pub use box_type::BoxType;",
            "pub use fields::Fields;",
            "pub use thing::Thing;",
            "pub use thing2::Thing2;",
        ],
    );
    let operations = file(&generated, "src/operations/mod.rs");
    assert_has(
        operations,
        &[
            "pub use client_operation::ClientRequest;",
            "pub use new_operation::NewRequest;",
            "pub use builder_operation::Builder;",
            "pub use base_url_operation::BaseUrl;",
        ],
    );
    // The bounds no i32 can break are dropped.
    assert!(!file(&generated, "src/operations/new_operation.rs").contains("9999999999"));
}

#[test]
fn a_component_whose_name_holds_a_slash_is_found_through_its_escaped_reference() {
    // `a/b` is written `a~1b` in a JSON pointer: every lookup undoes it.
    let spec = r##"
openapi: 3.0.3
info: {title: Slash, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/v1~1Base'
                  - type: object
                    properties:
                      extra: {type: string}
components:
  schemas:
    v1/Base:
      type: object
      properties:
        id: {type: string}
"##;
    let generated = generate_text(spec, &Config::new("slash", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/types/get_a_response.rs"),
        &["pub id: Option<String>,", "pub extra: Option<String>,"],
    );
}

#[test]
fn all_of_members_that_only_annotate_are_merged_not_refused() {
    let spec = r##"
openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes:
    get:
      operationId: getNote
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/Base'
                  - required: [name]
                  - description: A note, as the server keeps it.
                    readOnly: true
                  - nullable: true
                  - deprecated: true
                  - type: object
                    required: [id]
components:
  schemas:
    Base:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
        tag: {type: string}
"##;
    let generated = generate_text(spec, &Config::new("notes", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/types/get_note_response.rs"),
        &[
            "pub id: String,",
            "pub name: String,",
            "pub tag: Option<String>,",
        ],
    );
}

#[test]
fn a_union_of_structs_of_any_size_with_an_unusable_discriminator_is_clippy_clean() {
    // A large and a small inline member, and a discriminator whose values
    // can name neither: clippy's large_enum_variant and a match with no
    // arm but `_` once failed the crate.
    let spec = r##"
openapi: 3.0.3
info:
  title: Clip
  version: '1'
  description: |
    Steps:
    10. first step
      continues here
    - a bullet
     lazily continued
paths:
  /pets:
    get:
      operationId: getPet
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                oneOf:
                  - type: object
                    properties:
                      kind: {type: string}
                      a: {type: string}
                  - type: object
                    properties:
                      kind: {type: string}
                      big1: {type: string}
                      big2: {type: string}
                      big3: {type: string}
                      big4: {type: string}
                      big5: {type: string}
                      big6: {type: string}
                      big7: {type: string}
                      big8: {type: string}
                      big9: {type: string}
                      big10: {type: string}
                      big11: {type: string}
                      big12: {type: string}
                      big13: {type: string}
                      big14: {type: string}
                      big15: {type: string}
                      big16: {type: string}
                      big17: {type: string}
                      big18: {type: string}
                      big19: {type: string}
                      big20: {type: string}
                discriminator:
                  propertyName: kind
"##;
    let generated = generate_text(spec, &Config::new("clip", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let union = file(&generated, "src/types/get_pet_response.rs");
    assert!(!union.contains("_ => {}"), "{union}");
    // The large member is boxed, so no lint needs allowing.
    assert_has(
        union,
        &["GetPetResponseOption2(Box<crate::types::GetPetResponseOption2>)"],
    );
    assert!(!union.contains("large_enum_variant"), "{union}");
}

/// One operation answers a schema that does not exist; another a schema
/// with a property that points nowhere; a third is sound.
const DANGLING: &str = r##"
openapi: 3.0.3
info: {title: Dangling, version: "1"}
paths:
  /good:
    get:
      operationId: getGood
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Good'}
  /bad:
    get:
      operationId: getBad
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Nowhere'}
  /uses-broken:
    get:
      operationId: getBroken
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Broken'}
components:
  schemas:
    Good: {type: object, properties: {a: {type: string}}}
    Broken:
      type: object
      properties:
        b: {$ref: '#/components/schemas/AlsoNowhere'}
    Unused:
      type: object
      properties:
        c: {$ref: '#/components/schemas/Missing'}
"##;

#[test]
fn a_dangling_ref_refuses_the_document_but_lenient_mode_leaves_out_only_what_it_reaches() {
    let error = generate_text(
        DANGLING,
        &Config::new("dangling", "0.1.0"),
        &Settings::default(),
    )
    .expect_err("strict mode refuses");
    assert!(
        error.codes().contains(&Code::UnresolvedRef)
            && error
                .to_string()
                .contains("`$ref: #/components/schemas/Nowhere`"),
        "{error}"
    );
    let lenient = Settings {
        lenient: true,
        ..Settings::default()
    };
    let generated = generate_text(DANGLING, &Config::new("dangling", "0.1.0"), &lenient)
        .unwrap_or_else(|error| panic!("{error}"));
    let skipped: Vec<&str> = generated
        .report
        .skipped
        .iter()
        .map(|skip| skip.operation.as_str())
        .collect();
    assert_eq!(skipped, ["getBad"]);
    assert!(generated.files.contains_key("src/operations/get_good.rs"));
    // The property that points nowhere holds any JSON value.
    assert_has(
        file(&generated, "src/types/broken.rs"),
        &["pub b: Option<serde_json::Value>,"],
    );
}

#[test]
fn bearer_basic_and_api_key_schemes_are_offered_on_the_builder() {
    let spec = r##"
openapi: 3.0.3
info: {title: Keys, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "204": {description: Done}
components:
  securitySchemes:
    token: {type: http, scheme: bearer, bearerFormat: JWT}
    password: {type: http, scheme: Basic}
    key: {type: apiKey, in: query, name: api_key}
"##;
    let generated = generate_text(spec, &Config::new("keys", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/client.rs"),
        &[
            "name: \"token\", kind: client_runtime::__private::SchemeKind::Bearer,",
            "name: \"password\", kind: client_runtime::__private::SchemeKind::Basic,",
            "name: \"key\", kind: client_runtime::__private::SchemeKind::ApiKey( client_runtime::__private::ApiKeyPlace { location: client_runtime::__private::ApiKeyLocation::Query, name: \"api_key\", }, ),",
            "/// - `key`, an API key in the query parameter `api_key`: `ClientBuilder::api_key`, or `ClientBuilder::api_key_for(\"key\", ..)` for this scheme alone.",
            "/// - `password`, HTTP Basic: `ClientBuilder::basic_auth`",
            "/// - `token`, a Bearer token: `ClientBuilder::bearer_token`",
            "SchemeVariables { scheme: \"key\", variables: &[\"KEYS_KEY\"], }",
            "variables: &[\"KEYS_PASSWORD_USER\", \"KEYS_PASSWORD_PASSWORD\"]",
        ],
    );
}

#[test]
fn an_operation_without_requirements_is_public_only_when_others_declare_theirs() {
    let spec = r##"
openapi: 3.0.3
info: {title: Keys, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "204": {description: Done}
  /b:
    get:
      operationId: getB
      security: [{key: [], session: []}, {}]
      responses:
        "204": {description: Done}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    session: {type: apiKey, in: cookie, name: session}
"##;
    let generated = generate_text(spec, &Config::new("keys", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/operations/get_a.rs"),
        &[
            "security: client_runtime::Security::Public",
            "Public: sent without the client's credentials.",
        ],
    );
    assert_has(
        file(&generated, "src/operations/get_b.rs"),
        &[
            "security: client_runtime::Security::Required(&[&[\"key\", \"session\"], &[]])",
            "Sends the credentials of `key` and `session` together, the first the client holds, or none: they are optional.",
        ],
    );
    // A document that names no requirement anywhere says nothing about
    // credentials: its operations send what the client holds.
    let silent = spec.replace("      security: [{key: [], session: []}, {}]\n", "");
    let generated = generate_text(&silent, &Config::new("keys", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    for operation in ["get_a", "get_b"] {
        assert_has(
            file(&generated, &format!("src/operations/{operation}.rs")),
            &["security: client_runtime::Security::Any"],
        );
    }
}

#[test]
fn a_reference_to_a_file_that_cannot_be_read_refuses_the_spec_but_lenient_mode_loses_only_what_reaches_it()
 {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("schemas")).expect("folder");
    std::fs::write(
        dir.path().join("api.yaml"),
        r#"openapi: 3.1.0
info: {title: Split, version: "1"}
paths:
  /good:
    get:
      operationId: getGood
      responses:
        "200":
          description: Fine.
          content:
            application/json:
              schema: {$ref: "schemas/thing.yaml"}
  /bad:
    get:
      operationId: getBad
      responses:
        "200":
          description: Broken.
          content:
            application/json:
              schema: {$ref: "https://example.com/schemas/remote.yaml"}
"#,
    )
    .expect("root");
    std::fs::write(
        dir.path().join("schemas/thing.yaml"),
        "type: object\nproperties:\n  name: {type: [string, 'null']}\n  gone: {$ref: missing.yaml}\n",
    )
    .expect("schema");
    let config = Config::new("split", "0.1.0");
    let spec = dir.path().join("api.yaml");
    let error = openapi_clientgen::generate(&spec, &config, &buildable(Settings::default()))
        .expect_err("strict mode refuses");
    let messages: Vec<String> = error
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        error.codes(),
        [Code::RefUrl, Code::RefFile],
        "{messages:#?}"
    );
    assert!(
        messages[0]
            .contains("api.yaml:21: `$ref: https://example.com/schemas/remote.yaml` is a URL"),
        "{messages:#?}"
    );
    assert!(
        messages[1].contains("schemas/thing.yaml:4: `$ref: missing.yaml` names the file"),
        "{messages:#?}"
    );
    let lenient = Settings {
        lenient: true,
        ..Settings::default()
    };
    let generated = openapi_clientgen::generate(&spec, &config, &buildable(lenient))
        .unwrap_or_else(|error| panic!("{error}"));
    assert_builds(&generated);
    let skipped: Vec<&str> = generated
        .report
        .skipped
        .iter()
        .map(|skip| skip.operation.as_str())
        .collect();
    assert_eq!(skipped, ["getBad"]);
    // The property that names the missing file holds any JSON value.
    assert_has(
        file(&generated, "src/types/thing.rs"),
        &[
            "pub name: Option<String>,",
            "pub gone: Option<serde_json::Value>,",
        ],
    );
}

#[test]
fn a_multipart_list_with_another_media_type_beside_it_is_sent_as_that_one() {
    let spec = r##"
openapi: 3.0.3
info: {title: Upload, version: "1"}
servers: [{url: "https://upload.example.com"}]
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema: {type: array, items: {type: string, format: binary}}
          "*/*":
            schema: {type: string, format: binary}
      responses:
        "204": {description: Done.}
"##;
    let generated = generate_text(spec, &Config::new("upload", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/operations/upload.rs"),
        &[
            "pub fn body(mut self, value: client_runtime::bytes::Bytes) -> Self {",
            "client_runtime::__private::bytes_body( request, \"application/octet-stream\", body.clone(), );",
        ],
    );
}

#[test]
fn a_required_nullable_self_reference_is_built_with_new() {
    // A linked list's `next` or a tree's `parent`: required, nullable and
    // recursive, so the field is `Option<Box<_>>` and `new` boxes what it
    // is given (found by the spec fuzzer's first shape; issue 37).
    let spec = "openapi: 3.0.3\ninfo: {title: Rec, version: 1.0.0}\npaths:\n  /nodes:\n    post:\n      operationId: createNode\n      requestBody:\n        required: true\n        content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      required: [name, next]\n      properties:\n        name: {type: string}\n        next: {allOf: [{$ref: '#/components/schemas/Node'}], nullable: true}\n";
    let generated = generate_text(spec, &Config::new("rec", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/types/node.rs"),
        &[
            "pub next: Option<Box<crate::types::Node>>",
            "pub fn new(name: String, next: Option<crate::types::Node>) -> Self",
            "next: next.map(Box::new)",
        ],
    );
}

#[test]
fn integer_bounds_written_with_a_fraction_are_checked() {
    // pydantic writes `maximum: 11.0` for an int field: 11.0 means 11; a
    // bound with a fraction is rounded inward, with a warning (issue 31).
    let spec = "openapi: 3.0.3\ninfo: {title: Bounds, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: n, in: query, schema: {type: integer, minimum: 1.0, maximum: 11.0}}\n        - {name: m, in: query, schema: {type: integer, minimum: -2.5, maximum: 10.5, format: int32}}\n      responses:\n        '204': {description: ok}\n";
    let generated = generate_text(spec, &Config::new("bounds", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/operations/get_a.rs"),
        &[
            "v.minimum(*value, 1, false);",
            "v.maximum(*value, 11, false);",
            "v.minimum(*value, -2, false);",
            "v.maximum(*value, 10, false);",
        ],
    );
    let warnings = &generated.report.warnings;
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(
        warnings[0].code == Code::IntegerBoundFraction
            && warnings[0].pointer == "#/paths/~1a/get/parameters/1/schema/minimum"
            && warnings[0].message.contains("read as -2"),
        "{warnings:#?}"
    );
}

/// Each of these refused whole public documents in lenient mode (Slack,
/// Square, Intercom, Opsgenie, Exoscale, OpenAI); each now costs at most
/// the operation it is in, with a located warning saying what was assumed.
const ONE_BAD_PART_EACH: &str = r##"
openapi: 3.0.3
info: {title: Lenient, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /team.accessLogs:
    get:
      operationId: teamAccessLogs
      responses:
        - description: a list, not a map
  /vendors/{vendor_id}:
    get:
      operationId: getVendor
      responses:
        "200": {description: OK, content: {application/json: {schema: {$ref: "#/components/schemas/Vendor"}}}}
  /v1/policies:
    get:
      operationId: listAlertPolicies
      responses: {"204": {description: none}}
  /v2/policies/alert:
    get:
      operationId: listAlertPolicies
      responses: {"204": {description: none}}
  /instances:
    get:
      operationId: listInstances
      parameters:
        - {name: limit, in: query, schema: {type: [integer, "null"], minimum: -9223372036854776000, maximum: 99.5}}
      responses: {"204": {description: none}}
  /broken:
    get:
      operationId: getBroken
      responses:
        "200": {description: OK, content: {application/json: {schema: {$ref: "#/components/schemas/Broken"}}}}
  /revoke:
    post:
      operationId: revokeGrant
      security: [{key: null}]
      responses: {"204": {description: Revoked.}}
  /firmware:
    get:
      operationId: getFirmware
      responses:
        "204": {description: none}
        "404": {$ref: "#/components/schemas/Problem"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Vendor:
      type: object
      properties:
        name: {type: string}
    Broken:
      type: object
      required: yes
    Problem:
      type: object
      properties:
        message: {type: string}
"##;

#[test]
fn lenient_mode_mends_or_leaves_out_one_bad_part_never_the_document() {
    let strict = generate_text(
        ONE_BAD_PART_EACH,
        &Config::new("lenient", "0.1.0"),
        &Settings::default(),
    )
    .expect_err("strict mode refuses the document");
    let codes = strict.codes();
    assert!(
        codes.contains(&Code::UndeclaredPathParameter)
            && codes.contains(&Code::DuplicateOperationId),
        "{strict}"
    );
    let lenient = Settings {
        lenient: true,
        ..Settings::default()
    };
    let generated = generate_text(
        ONE_BAD_PART_EACH,
        &Config::new("lenient", "0.1.0"),
        &lenient,
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let warnings = &generated.report.warnings;
    // The kind by its code; the words are what lenient mode assumed.
    let warned = |pointer: &str, code: Code, words: &str| {
        assert!(
            warnings
                .iter()
                .any(|w| w.pointer == pointer && w.code == code && w.message.contains(words)),
            "no {code:?} warning at {pointer} saying {words:?}: {warnings:#?}"
        );
    };
    warned(
        "#/paths/~1team.accessLogs/get/responses",
        Code::InvalidPart,
        "lenient mode leaves out `GET /team.accessLogs`",
    );
    warned(
        "#/paths/~1vendors~1{vendor_id}/get",
        Code::UndeclaredPathParameter,
        "lenient mode declares it as a required string",
    );
    warned(
        "#/paths/~1v2~1policies~1alert/get/operationId",
        Code::DuplicateOperationId,
        "lenient mode names this one `getV2PoliciesAlert`",
    );
    warned(
        "#/paths/~1instances/get/parameters/0/schema/type",
        Code::TypeList,
        "lenient mode reads it as 3.1 does",
    );
    warned(
        "#/paths/~1instances/get/parameters/0/schema/minimum",
        Code::IntegerBound,
        "reads it as -9223372036854775808",
    );
    warned(
        "#/paths/~1instances/get/parameters/0/schema/maximum",
        Code::IntegerBound,
        "is not an integer; lenient mode reads it as 99",
    );
    warned(
        "#/components/schemas/Broken",
        Code::InvalidPart,
        "lenient mode leaves it out, and what reaches it",
    );
    warned(
        "#/paths/~1revoke/post/security/0/key",
        Code::NullScopes,
        "lenient mode reads them as `[]`, no scope",
    );
    warned(
        "#/paths/~1firmware/get/responses/404/$ref",
        Code::SchemaAsResponse,
        "gives a response as a schema; lenient mode reads it as a response",
    );
    // Every warning is placed on its line.
    assert!(
        generated
            .report
            .warnings
            .iter()
            .all(|warning| warning.line.is_some()),
        "{warnings:#?}"
    );
    let operations: Vec<&str> = generated
        .files
        .keys()
        .filter_map(|path| path.strip_prefix("src/operations/"))
        .collect();
    assert_eq!(
        operations,
        [
            "get_firmware.rs",
            "get_v2_policies_alert.rs",
            "get_vendor.rs",
            "list_alert_policies.rs",
            "list_instances.rs",
            "mod.rs",
            "revoke_grant.rs"
        ]
    );
    let vendor = file(&generated, "src/operations/get_vendor.rs");
    assert!(
        vendor.contains("pub fn vendor_id(mut self, value: impl Into<String>)"),
        "{vendor}"
    );
    let firmware = file(&generated, "src/operations/get_firmware.rs");
    assert!(
        firmware.contains("client_runtime::Error<crate::types::Problem>"),
        "{firmware}"
    );
    let instances = file(&generated, "src/operations/list_instances.rs");
    assert!(
        instances.contains("pub fn limit(mut self, value: i64)"),
        "{instances}"
    );
    assert_eq!(
        generated.report.skipped.len(),
        1,
        "{:#?}",
        generated.report.skipped
    );
    assert_eq!(generated.report.skipped[0].operation, "getBroken");
}

/// List items in descriptions as Box, Sentry, Kubernetes and DocuSign write
/// them: continuation lines lazily unindented or indented too far, which
/// clippy's `doc_lazy_continuation` and `doc_overindented_list_items`
/// refused. `generate_text` builds the crate with clippy, warnings denied.
#[test]
fn list_items_in_any_prose_stay_clippy_clean() {
    let prose = [
        "Options:\n- first item\ncontinues lazily\n- second",
        "- item\n    overindented continuation",
        "1. numbered\n   continuation\n2. second\n      overindented",
        "- parent\n  - child\n    child text\n  still the child's\nand lazily",
        "Possible enum values:\n - `\"Always\"` means the thing\n   wraps here.\n - `\"Never\"` means\n not at all.",
        "* one\n  two\n      three\n\n  1) nested\n        far\n     near",
        "- a  \nhard break\n- b\\\n    escaped break",
    ];
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Prose, version: \"1\"}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      description: |\n",
    );
    for line in prose[0].lines() {
        spec.push_str(&format!("        {line}\n"));
    }
    spec.push_str("      responses:\n        \"200\":\n          description: OK\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Thing\"}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n");
    for (index, text) in prose.iter().enumerate() {
        let text = serde_json::to_string(text).expect("a JSON string is YAML");
        spec.push_str(&format!(
            "        field{index}: {{type: string, description: {text}}}\n"
        ));
    }
    spec.push_str(&format!(
        "        mode:\n          type: string\n          enum: [fast, slow]\n          description: {}\n",
        serde_json::to_string(prose[4]).expect("json")
    ));
    let generated = generate_text(&spec, &Config::new("prose", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let thing = file(&generated, "src/types/thing.rs");
    assert!(
        thing.contains("/// - first item\n    ///   continues lazily"),
        "{thing}"
    );
}

/// From the hostile set: a bare CR and characters that reorder text in an
/// enum value (shown in its variant's documentation), a NUL and a line
/// break in the title (the manifest's description, which cargo hands rustc
/// in an environment variable), and a schema named like its module.
#[test]
fn hostile_text_in_enum_values_and_the_title_still_builds_clean() {
    let spec = "openapi: 3.0.3\ninfo: {title: \"Hostile\\0 title\\nline \\u202Eevil\", version: \"1\"}\npaths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        \"200\": {description: OK, content: {application/json: {schema: {$ref: \"#/components/schemas/Types\"}}}}\ncomponents:\n  schemas:\n    Types:\n      type: object\n      properties:\n        mode: {type: string, enum: [\"a\\rb\", \"c\\u202Ed\", \"e\\u2066f\", \"back`tick\", \" padded \"]}\n";
    let generated = generate_text(spec, &Config::new("hostile", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let manifest = file(&generated, "Cargo.toml");
    assert!(
        manifest.contains("description = \"A typed client for the Hostile title line evil.\""),
        "{manifest}"
    );
    let mode = generated
        .files
        .iter()
        .find(|(path, text)| path.starts_with("src/types/") && text.contains("pub enum"))
        .map(|(_, text)| text.as_str())
        .expect("the enum");
    for line in [
        "/// `a\\rb`",
        "/// `c\\u{202E}d`",
        "/// `` back`tick ``",
        "/// `  padded  `",
    ] {
        assert!(mode.contains(line), "no {line} in:\n{mode}");
    }
}

/// OpenAI's compound filters: a discriminator that names one alternative
/// (the other is inline) decodes with one `if let`, which clippy's
/// `single_match` wants instead of a `match` of one arm.
#[test]
fn a_discriminator_that_names_one_alternative_builds_clean() {
    let spec = r##"
openapi: 3.0.3
info: {title: Filters, version: "1"}
paths:
  /search:
    post:
      operationId: search
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Filter"}
      responses: {"204": {description: none}}
components:
  schemas:
    Comparison:
      type: object
      required: [type, key]
      properties:
        type: {type: string}
        key: {type: string}
    Filter:
      oneOf:
        - $ref: "#/components/schemas/Comparison"
        - type: object
          properties:
            filters: {type: array, items: {type: string}}
      discriminator:
        propertyName: type
        mapping:
          eq: "#/components/schemas/Comparison"
"##;
    let generated = generate_text(spec, &Config::new("filters", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let filter = file(&generated, "src/types/filter.rs");
    assert!(filter.contains("if let Some(\"eq\") = value"), "{filter}");
}

/// Jira's workflow scheme drafts: a union and a per-status error enum with
/// one small alternative and one large. clippy's `large_enum_variant` is
/// avoided, not allowed: the large alternative is boxed, and a `From` impl
/// makes it from its value.
#[test]
fn large_alternatives_are_boxed_so_enums_stay_small() {
    let mut fields = String::new();
    for index in 0..12 {
        fields.push_str(&format!("        field{index}: {{type: string}}\n"));
    }
    let spec = format!(
        r##"
openapi: 3.0.3
info: {{title: Drafts, version: "1"}}
paths:
  /drafts:
    post:
      operationId: publishDraft
      requestBody:
        content:
          application/json:
            schema: {{$ref: "#/components/schemas/Draft"}}
      responses:
        "204": {{description: Published.}}
        "400": {{description: Bad, content: {{application/json: {{schema: {{type: string}}}}}}}}
        "409": {{description: Conflict, content: {{application/json: {{schema: {{$ref: "#/components/schemas/Scheme"}}}}}}}}
components:
  schemas:
    Scheme:
      type: object
      properties:
{fields}
    Draft:
      oneOf:
        - type: string
        - $ref: "#/components/schemas/Scheme"
"##
    );
    let generated = generate_text(&spec, &Config::new("drafts", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let draft = file(&generated, "src/types/draft.rs");
    assert!(
        draft.contains("Scheme(Box<crate::types::Scheme>)"),
        "{draft}"
    );
    assert!(
        draft.contains("impl From<crate::types::Scheme> for Draft"),
        "{draft}"
    );
    let operation = file(&generated, "src/operations/publish_draft.rs");
    assert!(
        operation.contains("Status409(Box<crate::types::Scheme>)"),
        "{operation}"
    );
    for text in generated.files.values() {
        assert!(!text.contains("large_enum_variant"), "{text}");
    }
}

/// Elasticsearch's role descriptors: inline lists of nullable maps of lists,
/// deep enough that clippy's `type_complexity` refuses the written type, in
/// a field, a union, a newtype, a parameter, a body, a response and an error
/// status. The crate avoids the lint, as it suggests, with a `type` alias
/// per place, and allows nothing.
#[test]
fn deep_inline_types_are_aliased_not_allowed_past_clippy() {
    let deep = r#"{type: array, nullable: true, items: {type: object, nullable: true, additionalProperties: {type: array, items: {type: string, format: date-time, nullable: true}}}}"#;
    let spec = format!(
        r##"
openapi: 3.0.3
info: {{title: Roles, version: "1"}}
paths:
  /roles:
    put:
      operationId: putRoles
      parameters:
        - name: filter
          in: query
          style: deepObject
          schema: {{type: object, additionalProperties: {{type: array, items: {{type: object, nullable: true, additionalProperties: {{type: array, items: {{type: string, format: date-time, nullable: true}}}}}}}}}}
      requestBody:
        content:
          application/json:
            schema: {deep}
      responses:
        "200":
          description: The roles.
          content:
            application/json:
              schema: {deep}
        "409":
          description: Conflict.
          content:
            application/json:
              schema: {deep}
        "400":
          description: Bad.
          content:
            application/json:
              schema: {{type: string}}
components:
  schemas:
    Role:
      type: object
      properties:
        indices: {deep}
    Grant:
      oneOf:
        - {{type: string}}
        - {deep}
    History: {deep}
"##
    );
    let generated = generate_text(&spec, &Config::new("roles", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    for (path, text) in &generated.files {
        assert!(!text.contains("type_complexity"), "{path}:\n{text}");
    }
    let role = file(&generated, "src/types/role.rs");
    assert!(role.contains("type RoleIndices ="), "{role}");
    assert!(role.contains("pub indices: Option<RoleIndices>"), "{role}");
    let operation = file(&generated, "src/operations/put_roles.rs");
    assert!(operation.contains("type PutRolesOutput ="), "{operation}");
}

/// Jira's attachments: a `multipart/form-data` body that is a list of
/// files. The spec names an object body's parts by its properties and a
/// list's nowhere, so `codegen.toml` gives the name (`[multipart_parts]`);
/// without it the operation is refused, saying so.
#[test]
fn a_multipart_list_sends_each_item_as_a_part_of_the_configured_name() {
    let spec = r##"
openapi: 3.0.3
info: {title: Attachments, version: "1"}
paths:
  /issues/{key}/attachments:
    post:
      operationId: addAttachment
      parameters:
        - {name: key, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: array, items: {type: string, format: binary}}
      responses: {"200": {description: Attached.}}
"##;
    let refused = generate_text(
        spec,
        &Config::new("attachments", "0.1.0"),
        &Settings::default(),
    )
    .expect_err("no part name");
    assert!(
        refused
            .to_string()
            .contains("a `multipart/form-data` body that is a list names no part: give the name its items are sent under in `codegen.toml`, `[multipart_parts]`"),
        "{refused}"
    );
    let mut config = Config::new("attachments", "0.1.0");
    config
        .multipart_parts
        .insert("addAttachment".to_owned(), "file".to_owned());
    let generated = generate_text(spec, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let operation = file(&generated, "src/operations/add_attachment.rs");
    assert_has(
        operation,
        &[
            "pub fn body(mut self, value: Vec<client_runtime::Binary>) -> Self",
            "for value in value {",
            "form = form.part( \"file\", client_runtime::__private::binary_part(\"file\", value, None)?, );",
        ],
    );
}

/// `[derives]`: `Eq`, `Hash`, `PartialOrd` and `Ord` on the types that can
/// take them. Under `"*"` a type that holds a number (`f64`) goes without
/// `Eq`; under a type's name the derive reaches every type it holds, and a
/// type that cannot take it is an error naming the field in the way. Every
/// crate that generates builds with clippy (`generate_text`).
#[test]
fn derives_the_configuration_asks_for_reach_what_can_take_them() {
    let spec = r##"
openapi: 3.0.3
info: {title: Shapes, version: "1"}
paths:
  /tags:
    get:
      operationId: getTags
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Catalog"}
components:
  schemas:
    Catalog:
      type: object
      required: [tags]
      properties:
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
        byName: {type: object, additionalProperties: {$ref: "#/components/schemas/Tag"}}
        kind: {type: string, enum: [small, large]}
        either: {$ref: "#/components/schemas/NameOrCount"}
    Tag:
      type: object
      required: [name]
      properties:
        name: {type: string}
        count: {type: integer, format: int64}
    NameOrCount:
      oneOf:
        - {type: string}
        - {type: integer}
    Measured:
      type: object
      properties:
        weight: {type: number}
        label: {$ref: "#/components/schemas/Tag"}
"##;
    let config = |toml: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("codegen.toml");
        std::fs::write(
            &path,
            format!("[package]\nname = \"shapes\"\nversion = \"0.1.0\"\n\n{toml}"),
        )
        .expect("write");
        Config::read(&path).unwrap_or_else(|error| panic!("{error}"))
    };
    let derive_line = |generated: &GeneratedCrate, module: &str| {
        file(generated, &format!("src/types/{module}.rs"))
            .lines()
            .find(|line| line.starts_with("#[derive("))
            .expect("a derive")
            .to_owned()
    };

    // Every type that can.
    let all = generate_text(
        spec,
        &config("[derives]\n\"*\" = [\"Hash\", \"Ord\"]\n"),
        &Settings::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    for module in ["catalog", "tag", "name_or_count"] {
        let line = derive_line(&all, module);
        for derive in ["Eq", "Hash", "PartialOrd", "Ord"] {
            assert!(line.contains(&format!(" {derive}")), "{module}: {line}");
        }
    }
    // A number holds it back from Eq, Hash and Ord, not from PartialOrd,
    // which `Ord` brought along.
    let measured = derive_line(&all, "measured");
    assert_eq!(
        measured, "#[derive(Debug, Clone, PartialEq, Default, PartialOrd)]",
        "{measured}"
    );

    // By name: the type and what it holds, nothing else.
    let named = generate_text(
        spec,
        &config("[derives]\nCatalog = [\"Hash\"]\n"),
        &Settings::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert!(derive_line(&named, "catalog").ends_with("PartialEq, Hash)]"));
    assert!(derive_line(&named, "tag").ends_with("PartialEq, Hash)]"));
    assert!(derive_line(&named, "name_or_count").ends_with("PartialEq, Hash)]"));
    assert!(!derive_line(&named, "measured").contains("Hash"));

    // A type that cannot, and a name that is no type.
    let refused = |toml: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("shapes.yaml");
        std::fs::write(&path, spec).expect("write");
        openapi_clientgen::generate(&path, &config(toml), &buildable(Settings::default()))
            .expect_err("refused")
            .to_string()
    };
    let cannot = refused("[derives]\nMeasured = [\"Eq\"]\n");
    assert!(
        cannot
            .contains("`Measured` to derive `Eq`, which it cannot: its field `weight` is a number"),
        "{cannot}"
    );
    let unknown = refused("[derives]\nMeasure = [\"Eq\"]\n");
    assert!(unknown.contains("`Measure`, which is neither"), "{unknown}");
}

/// `[replace]`: a schema given as a Rust type of the user's choosing, from
/// the standard library or from a crate the manifest then depends on, in
/// fields, lists, bodies and parameters; with every feature the crate
/// builds clippy-clean (`generate_text`), and a mistake in the table is an
/// error that names it.
#[test]
fn a_schema_given_as_a_rust_type_of_the_users_builds_everywhere_it_is_used() {
    let spec = r##"
openapi: 3.0.3
info: {title: Sites, version: "1"}
paths:
  /sites:
    get:
      operationId: findSites
      parameters:
        - {name: near, in: query, schema: {$ref: "#/components/schemas/Homepage"}}
        - {name: address, in: query, required: true, schema: {$ref: "#/components/schemas/Address"}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Site"}}
    post:
      operationId: addSite
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Site"}
      responses:
        "204": {description: Added}
components:
  schemas:
    Homepage: {type: string, format: uri, maxLength: 2000}
    Address: {type: string, format: ipv4}
    Site:
      type: object
      required: [home, addresses]
      properties:
        home: {$ref: "#/components/schemas/Homepage"}
        addresses: {type: array, items: {$ref: "#/components/schemas/Address"}}
        mirrors: {type: object, additionalProperties: {$ref: "#/components/schemas/Homepage"}}
"##;
    let config = |toml: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("codegen.toml");
        std::fs::write(
            &path,
            format!("[package]\nname = \"sites\"\nversion = \"0.1.0\"\n\n{toml}"),
        )
        .expect("write");
        Config::read(&path).map_err(|error| error.to_string())
    };
    let replaced = r#"
[replace.Homepage]
type = "url::Url"
version = "2"
features = ["serde"]
schemars = "schemars/url2"

[replace.Address]
type = "std::net::Ipv4Addr"
"#;
    let generated = generate_text(
        spec,
        &config(replaced).expect("a valid configuration"),
        &Settings::default(),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/types/homepage.rs"),
        &["pub type Homepage = url::Url;"],
    );
    assert_has(
        file(&generated, "src/types/address.rs"),
        &["pub type Address = std::net::Ipv4Addr;"],
    );
    assert_has(
        file(&generated, "Cargo.toml"),
        &[
            "url = { version = \"2\", features = [\"serde\"] }",
            "schemars = [\"dep:schemars\", \"client-runtime/schemars\", \"schemars/url2\"]",
        ],
    );
    assert!(!file(&generated, "Cargo.toml").contains("std ="));

    for (toml, words) in [
        (
            "[replace.Homepage]\ntype = \"url::Url\"\n",
            "`url` is not a crate the generated crate depends on; give its `version`",
        ),
        (
            "[replace.Homepage]\ntype = \"url::Url\"\nversion = \"2\"\n",
            "give `schemars`",
        ),
        (
            "[replace.Homepage]\ntype = \"Url<\"\n",
            "is not a Rust path",
        ),
        (
            "[replace.Address]\ntype = \"std::net::Ipv4Addr\"\nversion = \"1\"\n",
            "needs no dependency",
        ),
    ] {
        let error = config(toml).expect_err(toml);
        assert!(error.contains(words), "{toml}: {error}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sites.yaml");
    std::fs::write(&path, spec).expect("write");
    let unknown = openapi_clientgen::generate(
        &path,
        &config("[replace.Homepages]\ntype = \"std::string::String\"\n").expect("valid"),
        &buildable(Settings::default()),
    )
    .expect_err("no such schema")
    .to_string();
    assert!(
        unknown.contains("`[replace.Homepages]` names no schema"),
        "{unknown}"
    );
}

#[test]
fn with_features_per_tag_each_item_compiles_under_the_features_that_use_it() {
    let spec = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/tags.yaml"),
    )
    .expect("the fixture");
    let mut config = Config::new("tags", "0.1.0");
    config.features.per_tag = true;
    let generated = generate_text(&spec, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let manifest = file(&generated, "Cargo.toml");
    // All on by default unless `default = "none"`.
    assert_has(
        manifest,
        &[
            r#"default = ["rustls", "pets", "store-admin", "untagged"]"#,
            r#"full = ["pets", "store-admin", "untagged"]"#,
            "store-admin = []",
        ],
    );
    let types = file(&generated, "src/types/mod.rs");
    assert_has(
        types,
        &[
            // Reached from both tags (an order holds a pet).
            r#"#[cfg(any(feature = "pets", feature = "store-admin"))] mod pet;"#,
            // An operation's first tag decides: `createPet` is `Pets`.
            r#"#[cfg(feature = "pets")] mod new_pet;"#,
            r#"#[cfg(feature = "untagged")] mod health;"#,
        ],
    );
    // Held by a type no operation reaches: always compiled.
    assert!(types.contains("\nmod category;"), "{types}");
    assert!(types.contains("\nmod legacy;"), "{types}");
    let operations = file(&generated, "src/operations/mod.rs");
    assert_has(
        operations,
        &[
            r#"#[cfg(feature = "store-admin")] mod place_order;"#,
            r#"#[cfg(feature = "store-admin")] pub use place_order::PlaceOrder;"#,
        ],
    );
    assert_has(
        file(&generated, "README.md"),
        &["- `store-admin`: 2 operations tagged `Store Admin`."],
    );
    // Off, nothing is gated.
    config.features.per_tag = false;
    let generated = generate_text(&spec, &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(!file(&generated, "src/types/mod.rs").contains(r#"feature = "pets""#));
}

#[test]
fn an_openapi_3_2_item_schema_types_each_event_and_its_errors_point_at_it() {
    let spec = "openapi: 3.2.0
info: {title: Ticks, version: '1'}
paths:
  /ticks:
    get:
      operationId: watchTicks
      responses:
        '200':
          description: One tick per event.
          content:
            text/event-stream:
              itemSchema: {$ref: '#/components/schemas/Tick'}
components:
  schemas:
    Tick:
      type: object
      required: [at]
      properties:
        at: {type: integer}
";
    let generated = generate_text(spec, &Config::new("ticks", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/operations/watch_ticks.rs"),
        &[
            "client_runtime::ResponseValue<client_runtime::EventStream<crate::types::Tick>>",
            "pub async fn send_resuming(",
        ],
    );
    // A fault inside it is reported at `itemSchema`, on its line.
    let broken = spec.replace("#/components/schemas/Tick", "#/components/schemas/Tock");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ticks.yaml");
    std::fs::write(&path, &broken).expect("write");
    let error = openapi_clientgen::generate(
        &path,
        &Config::new("ticks", "0.1.0"),
        &buildable(Settings::default()),
    )
    .expect_err("an unresolved reference")
    .to_string();
    assert!(
        error.contains("ticks.yaml:12") && error.contains("/content/text~1event-stream/itemSchema"),
        "{error}"
    );
}

/// A spec whose operations have every kind of builder and mock method:
/// a resumable event stream, pages, a body in two media-type versions, two
/// successes; each operation takes query parameters named `names`.
fn every_method_kind(names: &[String]) -> String {
    let parameters: String = names
        .iter()
        .map(|name| format!("        - {{name: {name}, in: query, schema: {{type: string}}}}\n"))
        .collect();
    format!(
        r##"openapi: 3.0.3
info: {{title: Methods, version: "1"}}
paths:
  /ticks:
    get:
      operationId: watchTicks
      parameters:
{parameters}      responses:
        "200":
          description: Events.
          content:
            text/event-stream:
              schema: {{type: array, items: {{type: object, properties: {{at: {{type: integer}}}}}}}}
  /items:
    get:
      operationId: listItems
      parameters:
        - {{name: offset, in: query, schema: {{type: integer, format: int32}}}}
{parameters}      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {{type: array, items: {{type: string}}}}
  /things:
    post:
      operationId: makeThing
      parameters:
{parameters}      requestBody:
        required: true
        content:
          application/vnd.things.2024-01-01+json:
            schema: {{type: object, properties: {{a: {{type: string}}}}}}
          application/vnd.things.2025-01-01+json:
            schema: {{type: object, properties: {{a: {{type: string}}}}}}
      responses:
        "200":
          description: Changed.
          content:
            application/vnd.things.2024-01-01+json:
              schema: {{type: object, properties: {{a: {{type: string}}}}}}
            application/vnd.things.2025-01-01+json:
              schema: {{type: object, properties: {{a: {{type: string}}}}}}
        "201":
          description: Made.
        "4XX":
          description: Refused.
          content:
            application/json:
              schema: {{type: object, properties: {{message: {{type: string}}}}}}
"##
    )
}

/// The names of every function in an `impl` block of the files under
/// `folders`, but `except`.
fn impl_fn_names(generated: &GeneratedCrate, folders: &[&str], except: &[String]) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    for (path, text) in &generated.files {
        if !folders.iter().any(|folder| path.starts_with(folder)) || !path.ends_with(".rs") {
            continue;
        }
        let file = syn::parse_file(text).unwrap_or_else(|error| panic!("{path}: {error}"));
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            for member in block.items {
                if let syn::ImplItem::Fn(function) = member {
                    names.insert(function.sig.ident.to_string());
                }
            }
        }
    }
    names.retain(|name| !except.contains(name));
    names.into_iter().collect()
}

/// The methods of request builders and mocks are read from what the
/// generator writes, so one added later is covered too: a parameter named
/// like any of them still gets a setter of its own, and the crate builds.
#[test]
fn a_parameter_may_be_named_like_any_method_of_its_builder_or_its_mock() {
    let mut config = Config::new("methods", "0.1.0");
    config.pagination = Some(openapi_clientgen::config::PaginationConfig {
        parameter: Some("offset".to_owned()),
        items: Some("items".to_owned()),
        ..Default::default()
    });
    let plain = ["q".to_owned()];
    let generated = generate_text(&every_method_kind(&plain), &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let mut except = plain.to_vec();
    except.push("offset".to_owned());
    let methods = impl_fn_names(&generated, &["src/operations/", "src/mock/"], &except);
    for expected in [
        "send",
        "send_resuming",
        "pages",
        "body",
        "media_type",
        "responds_200",
        "fails",
        "times",
    ] {
        assert!(
            methods.iter().any(|name| name == expected),
            "{expected} in {methods:?}"
        );
    }
    let named = generate_text(&every_method_kind(&methods), &config, &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    // Each parameter has a setter, under its name or with `_param`.
    let ticks = file(&named, "src/operations/watch_ticks.rs");
    assert_has(
        ticks,
        &["pub fn send_resuming_param(", "pub fn send_param("],
    );
}

/// Variant names the spec gives (`x-enum-varnames`, NSwag's `x-enumNames`)
/// name the values as written, `null` and repeats among them, and
/// `x-enum-descriptions` documents them; a list that does not give one
/// entry per value is a warning, and is ignored.
#[test]
fn an_enum_takes_the_variant_names_the_spec_gives() {
    let spec = r##"
openapi: 3.0.3
info: {title: Names, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - name: mode
          in: query
          schema:
            type: string
            nullable: true
            enum: [fast, null, slow, fast]
            x-enumNames: [Quick, Nothing, "calm down", Again]
        - name: size
          in: query
          schema:
            type: integer
            enum: [1, 2]
            x-enum-varnames: [One]
            x-enum-descriptions: [The first., The second.]
      responses:
        "204": {description: Done.}
"##;
    let generated = generate_text(spec, &Config::new("names", "0.1.0"), &Settings::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_has(
        file(&generated, "src/types/get_a_mode.rs"),
        &["Quick,", "CalmDown,", "Self::Quick => \"fast\""],
    );
    assert_has(
        file(&generated, "src/types/get_a_size.rs"),
        &[
            "/// The first. /// /// `1` V1,",
            "/// The second. /// /// `2` V2,",
        ],
    );
    let warnings = &generated.report.warnings;
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].code, Code::EnumLabels);
    assert_eq!(
        warnings[0].pointer,
        "#/paths/~1a/get/parameters/1/schema/x-enum-varnames"
    );
}

/// An operation without an id whose derived id an earlier operation has
/// taken cost lenient mode the whole document; it is named with a number.
#[test]
fn lenient_mode_numbers_a_derived_operation_id_that_is_taken() {
    let spec = r##"
openapi: 3.0.3
info: {title: Taken, version: "1"}
paths:
  /search:
    post:
      operationId: getPets
      responses:
        "204": {description: Done.}
  /pets:
    get:
      responses:
        "204": {description: Done.}
"##;
    let strict = generate_text(spec, &Config::new("taken", "0.1.0"), &Settings::default())
        .expect_err("strict mode refuses a missing id");
    assert_eq!(strict.codes(), [Code::MissingOperationId], "{strict}");
    let lenient = Settings {
        lenient: true,
        ..Settings::default()
    };
    let generated = generate_text(spec, &Config::new("taken", "0.1.0"), &lenient)
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(generated.files.contains_key("src/operations/get_pets.rs"));
    assert!(generated.files.contains_key("src/operations/get_pets2.rs"));
    let warnings = &generated.report.warnings;
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].code, Code::DuplicateOperationId);
    assert_eq!(warnings[0].pointer, "#/paths/~1pets/get");
    assert!(warnings[0].line.is_some());
}
