//! `Client::from_env` with the variable names of the Atlas CLI and the
//! Terraform provider, run in a child process with exactly the variables
//! each case sets.

use std::process::Command;

fn from_env(vars: &[(&str, &str)]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_from-env-probe"))
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .expect("the probe runs");
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn a_service_account_and_a_base_url() {
    let out = from_env(&[
        ("MONGODB_ATLAS_BASE_URL", "http://127.0.0.1:9/"),
        ("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id_1"),
        ("MONGODB_ATLAS_CLIENT_SECRET", "mdb_sa_sk_private"),
    ]);
    assert!(out.starts_with("ok "), "{out}");
    assert!(
        out.contains("ServiceAccount") && out.contains("mdb_sa_id_1"),
        "{out}"
    );
    assert!(out.contains("base_url: \"http://127.0.0.1:9\""), "{out}");
    assert!(!out.contains("mdb_sa_sk_private"), "{out}");
}

#[test]
fn an_api_key_under_either_name_and_the_default_server() {
    for (public, private) in [
        (
            "MONGODB_ATLAS_PUBLIC_API_KEY",
            "MONGODB_ATLAS_PRIVATE_API_KEY",
        ),
        ("MONGODB_ATLAS_PUBLIC_KEY", "MONGODB_ATLAS_PRIVATE_KEY"),
    ] {
        let out = from_env(&[(public, "zmmrboas"), (private, "private-value")]);
        assert!(
            out.contains("DigestAuth") && out.contains("zmmrboas"),
            "{out}"
        );
        assert!(out.contains("https://cloud.mongodb.com"), "{out}");
        assert!(!out.contains("private-value"), "{out}");
    }
}

#[test]
fn problems_name_the_variables() {
    let half = from_env(&[("MONGODB_ATLAS_PUBLIC_API_KEY", "p")]);
    assert!(
        half.contains(
            "MONGODB_ATLAS_PUBLIC_API_KEY is set but MONGODB_ATLAS_PRIVATE_API_KEY is not"
        ),
        "{half}"
    );
    let both = from_env(&[
        ("MONGODB_ATLAS_CLIENT_ID", "i"),
        ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
        ("MONGODB_ATLAS_PUBLIC_KEY", "p"),
        ("MONGODB_ATLAS_PRIVATE_KEY", "k"),
    ]);
    assert!(
        both.contains("MONGODB_ATLAS_CLIENT_ID") && both.contains("MONGODB_ATLAS_PUBLIC_KEY"),
        "{both}"
    );
    let none = from_env(&[]);
    for name in [
        "MONGODB_ATLAS_CLIENT_ID",
        "MONGODB_ATLAS_PUBLIC_API_KEY",
        "MONGODB_ATLAS_PUBLIC_KEY",
    ] {
        assert!(none.starts_with("error ") && none.contains(name), "{none}");
    }
}
