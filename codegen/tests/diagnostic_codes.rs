//! docs/diagnostics.md lists every diagnostic code with its class and
//! meaning, exactly as the generator has them: a code added, renamed or
//! reclassed without the page fails here.

use openapi_clientgen::Code;

#[test]
fn the_page_lists_every_code_as_the_generator_has_it() {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/diagnostics.md"),
    )
    .expect("docs/diagnostics.md");
    let rows: Vec<&str> = page
        .lines()
        .filter(|line| line.starts_with("| `"))
        .collect();
    let expected: Vec<String> = Code::ALL
        .iter()
        .map(|code| {
            format!(
                "| `{}` | {} | {} |",
                code.id(),
                code.class().as_str(),
                code.summary()
            )
        })
        .collect();
    assert_eq!(rows, expected, "docs/diagnostics.md's tables, in order");
}
