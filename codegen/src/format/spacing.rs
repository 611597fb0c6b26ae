//! Blank lines where people put them and neither printer does.

/// Puts a blank line after each closing brace that ends a block, after the
/// `use` lines and between items, as people do; neither printer adds them.
pub(super) fn space_items(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::with_capacity(source.len() + lines.len());
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(index + 1).map(|next| next.trim_start()) else {
            continue;
        };
        let group = |text: &str| {
            let text = text.strip_prefix("pub ").unwrap_or(text);
            ["//!", "use ", "mod "]
                .into_iter()
                .find(|start| text.starts_with(start))
        };
        // Items sit at the top level or one level into an `impl`; deeper is code.
        let item_level = line.len() - line.trim_start().len() <= 4;
        let closes_block = item_level && line.trim() == "}";
        let ends_group = group(line).is_some() && group(line) != group(next);
        let ends_item = item_level
            && group(line).is_none()
            && !line.trim_start().starts_with("//")
            && line.ends_with(';')
            && ["///", "#[", "impl", "pub ", "fn "]
                .iter()
                .any(|start| next.starts_with(start));
        let continues = next.is_empty()
            || next.starts_with(['}', ')', ']', ',', ';', '.'])
            || next.starts_with("else");
        if (closes_block || ends_group || ends_item) && !continues {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_separated_by_blank_lines() {
        let source = "/// List:\n/// - a;\n/// - b.\n//! Docs.\nmod a;\npub use a::A;\nuse a;\nuse b;\nimpl X {\n    const A: u8 = 1;\n    /// Doc.\n    fn f() {\n        let x = 1;\n        if x {\n        }\n        g();\n    }\n}\nstruct Y;\n";
        let expected = "/// List:\n/// - a;\n/// - b.\n//! Docs.\n\nmod a;\n\npub use a::A;\nuse a;\nuse b;\n\nimpl X {\n    const A: u8 = 1;\n\n    /// Doc.\n    fn f() {\n        let x = 1;\n        if x {\n        }\n        g();\n    }\n}\n\nstruct Y;\n";
        assert_eq!(space_items(source), expected);
    }
}
