//! `openapi-clientgen`: `generate`, `diff` and `extract` (see `codegen::cli`).

fn main() -> std::process::ExitCode {
    codegen::cli::main()
}
