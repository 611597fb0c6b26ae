//! Reports as Markdown for pull requests, plain text for terminals, JSON for tools.

use std::fmt::Write;

use super::{Report, Severity};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A pull-request comment.
    Markdown,
    /// A terminal.
    Text,
    /// Tools.
    Json,
}

/// The report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(report).unwrap_or_default() + "\n",
        Format::Markdown => markdown(report),
        Format::Text => text(report),
    }
}

fn headline(report: &Report) -> String {
    let s = report.summary;
    if report.changes.is_empty() && s.items_breaking == 0 {
        return "No API changes.".to_owned();
    }
    let mut line = format!(
        "{} breaking, {} attention, {} non-breaking",
        s.breaking, s.attention, s.non_breaking
    );
    if s.items_breaking > 0 {
        let _ = write!(
            line,
            "; {} changes to the crate's public items break code that uses them",
            s.items_breaking
        );
    }
    line.push('.');
    line
}

fn markdown(report: &Report) -> String {
    let mut out = String::from("## API changes\n\n");
    let _ = writeln!(out, "**{}**\n", headline(report));
    for severity in [
        Severity::Breaking,
        Severity::Attention,
        Severity::NonBreaking,
    ] {
        let rows: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.kind.severity() == severity)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let icon = match severity {
            Severity::Breaking => "🔴",
            Severity::Attention => "🟡",
            Severity::NonBreaking => "🟢",
        };
        let _ = writeln!(out, "### {icon} {}\n", severity.as_str());
        let _ = writeln!(
            out,
            "| operation | change | why | where |\n| --- | --- | --- | --- |"
        );
        for change in rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}` |",
                if change.operations.is_empty() {
                    "—".to_owned()
                } else {
                    quoted(&change.operations).join(", ")
                },
                change.message.replace('|', "\\|"),
                change.kind.reason(),
                change.pointer
            );
        }
        out.push('\n');
    }
    items_section(
        report,
        &mut out,
        "### Generated crate: public items\n\n",
        "- ",
    );
    if !report.code_diff.is_empty() {
        let _ = write!(
            out,
            "<details><summary>Generated code diff</summary>\n\n```diff\n{}```\n\n</details>\n",
            report.code_diff
        );
    }
    out
}

fn items_section(report: &Report, out: &mut String, title: &str, bullet: &str) {
    let items = &report.items;
    if items.added.is_empty() && items.removed.is_empty() && items.changed.is_empty() {
        return;
    }
    out.push_str(title);
    let cause = |item: &str| match items.causes.get(item) {
        Some(cause) => format!(" ← {cause}"),
        None => " ← no spec change explains it (a generator change?)".to_owned(),
    };
    for item in &items.removed {
        let _ = writeln!(out, "{bullet}removed `{item}`{}", cause(item));
    }
    for (item, before, after) in &items.changed {
        let _ = writeln!(
            out,
            "{bullet}changed `{item}`: `{before}` → `{after}`{}",
            cause(item)
        );
    }
    for item in &items.added {
        if items.added_breaking.contains(item) {
            let _ = writeln!(
                out,
                "{bullet}added `{item}`, which code that names every field or variant must now name too{}",
                cause(item)
            );
        } else {
            let _ = writeln!(out, "{bullet}added `{item}`");
        }
    }
    out.push('\n');
}

fn text(report: &Report) -> String {
    let mut out = format!("API changes: {}\n\n", headline(report));
    for change in &report.changes {
        let _ = writeln!(
            out,
            "[{}] {}{}\n    why: {}\n    at:  {}",
            change.kind.severity().as_str(),
            if change.operations.is_empty() {
                String::new()
            } else {
                format!("{}: ", change.operations.join(", "))
            },
            change.message,
            change.kind.reason(),
            change.pointer
        );
    }
    out.push('\n');
    items_section(report, &mut out, "Generated crate, public items:\n", "  ");
    if !report.code_diff.is_empty() {
        let lines = report.code_diff.lines().count();
        let _ = writeln!(
            out,
            "Generated code: {lines} diff lines (see --format markdown or json for the diff)."
        );
    }
    out
}

fn quoted(operations: &[String]) -> Vec<String> {
    operations.iter().map(|op| format!("`{op}`")).collect()
}

/// "`a`, `b`: " for the operations a change concerns, or nothing.
pub(super) fn operations_prefix(operations: &[String]) -> String {
    if operations.is_empty() {
        String::new()
    } else {
        format!("{}: ", quoted(operations).join(", "))
    }
}
