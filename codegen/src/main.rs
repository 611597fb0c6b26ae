//! `openapi-clientgen`: `generate`, `diff` and `extract` (see `openapi_clientgen::cli`).

fn main() -> std::process::ExitCode {
    openapi_clientgen::cli::main()
}
