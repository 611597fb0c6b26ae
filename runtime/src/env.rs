//! Credentials and base URL from environment variables, under the names
//! the API's other tools already use (given by the generated crate).

use crate::BuildError;

/// The environment variables a generated crate reads in `from_env`.
#[derive(Debug, Clone, Copy)]
pub struct EnvNames {
    /// Overrides the base URL.
    pub base_url: Option<&'static str>,
    /// (client id, client secret) pairs for a service account, in order of preference.
    pub service_account: &'static [(&'static str, &'static str)],
    /// (public key, private key) pairs for Digest, in order of preference.
    pub digest: &'static [(&'static str, &'static str)],
    /// The variables of the other schemes' credentials: an API key's or a
    /// Bearer token's one, HTTP Basic's user and password.
    pub schemes: &'static [SchemeVariables],
}

/// The variables that hold one security scheme's credentials.
#[derive(Debug, Clone, Copy)]
pub struct SchemeVariables {
    /// The scheme's name in the spec.
    pub scheme: &'static str,
    /// The key or token; or the user and the password.
    pub variables: &'static [&'static str],
}

/// What the environment says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct EnvSettings {
    pub base_url: Option<String>,
    /// A service account or Digest keys, if set.
    pub credentials: Option<EnvCredentials>,
    /// The schemes whose variables are all set, with their values.
    pub schemes: Vec<(&'static str, Vec<String>)>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum EnvCredentials {
    ServiceAccount { id: String, secret: String },
    Digest { public: String, private: String },
}

/// Reads `names` through `lookup`; empty values count as unset.
pub(crate) fn read(
    names: &EnvNames,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<EnvSettings, BuildError> {
    let get = |name: &str| lookup(name).filter(|value| !value.is_empty());
    let service_account = pair(names.service_account, &get)?;
    let digest = pair(names.digest, &get)?;
    let mut schemes = Vec::new();
    for scheme in names.schemes {
        let values: Vec<Option<String>> = scheme.variables.iter().map(|name| get(name)).collect();
        if values.iter().all(Option::is_some) {
            schemes.push((scheme.scheme, values.into_iter().flatten().collect()));
        } else if let Some(set) = values.iter().position(Option::is_some) {
            let missing = values.iter().position(Option::is_none).unwrap_or_default();
            return Err(BuildError::Environment(format!(
                "{} is set but {} is not",
                scheme.variables[set], scheme.variables[missing]
            )));
        }
    }
    let credentials = match (service_account, digest) {
        (Some((sa, ..)), Some((dg, ..))) => {
            return Err(BuildError::Environment(format!(
                "both a service account ({}) and an API key ({}) are set; unset one of them",
                describe(sa),
                describe(dg)
            )));
        }
        (Some((_, id_value, secret)), None) => Some(EnvCredentials::ServiceAccount {
            id: id_value,
            secret,
        }),
        (None, Some((_, public, private))) => Some(EnvCredentials::Digest { public, private }),
        // Nothing to read is nothing missing.
        (None, None)
            if !schemes.is_empty()
                || (names.service_account.is_empty()
                    && names.digest.is_empty()
                    && names.schemes.is_empty()) =>
        {
            None
        }
        (None, None) => {
            let options: Vec<String> = names
                .service_account
                .iter()
                .chain(names.digest)
                .map(describe)
                .chain(
                    names
                        .schemes
                        .iter()
                        .map(|scheme| scheme.variables.join(" and ")),
                )
                .collect();
            return Err(BuildError::Environment(format!(
                "no credentials in the environment: set one of {}",
                options.join(" or ")
            )));
        }
    };
    Ok(EnvSettings {
        base_url: names.base_url.and_then(get),
        credentials,
        schemes,
    })
}

type Found = (&'static (&'static str, &'static str), String, String);

/// The first complete pair; a half-set pair, or two pairs that disagree, is an error.
fn pair(
    pairs: &'static [(&'static str, &'static str)],
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Found>, BuildError> {
    let mut found: Option<Found> = None;
    for names @ (first, second) in pairs {
        match (get(first), get(second)) {
            (Some(a), Some(b)) => match &found {
                Some((other, a0, b0)) if (a0, b0) != (&a, &b) => {
                    return Err(BuildError::Environment(format!(
                        "{} and {} are both set, with different values; unset one pair",
                        describe(other),
                        describe(names)
                    )));
                }
                Some(_) => {}
                None => found = Some((names, a, b)),
            },
            (Some(_), None) => {
                return Err(BuildError::Environment(format!(
                    "{first} is set but {second} is not"
                )));
            }
            (None, Some(_)) => {
                return Err(BuildError::Environment(format!(
                    "{second} is set but {first} is not"
                )));
            }
            (None, None) => {}
        }
    }
    Ok(found)
}

fn describe((first, second): &(&str, &str)) -> String {
    format!("{first} and {second}")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const NAMES: EnvNames = EnvNames {
        base_url: Some("API_BASE_URL"),
        service_account: &[("API_CLIENT_ID", "API_CLIENT_SECRET")],
        digest: &[
            ("API_PUBLIC_API_KEY", "API_PRIVATE_API_KEY"),
            ("API_PUBLIC_KEY", "API_PRIVATE_KEY"),
        ],
        schemes: &[
            SchemeVariables {
                scheme: "header_key",
                variables: &["API_HEADER_KEY"],
            },
            SchemeVariables {
                scheme: "login",
                variables: &["API_LOGIN_USER", "API_LOGIN_PASSWORD"],
            },
        ],
    };

    fn read_from(vars: &[(&str, &str)]) -> Result<EnvSettings, BuildError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        read(&NAMES, &|name| map.get(name).cloned())
    }

    fn message(vars: &[(&str, &str)]) -> String {
        read_from(vars).unwrap_err().to_string()
    }

    #[test]
    fn a_service_account_with_a_base_url() {
        let settings = read_from(&[
            ("API_CLIENT_ID", "id"),
            ("API_CLIENT_SECRET", "s"),
            ("API_BASE_URL", "http://x"),
        ])
        .unwrap();
        assert_eq!(settings.base_url.as_deref(), Some("http://x"));
        assert_eq!(
            settings.credentials,
            Some(EnvCredentials::ServiceAccount {
                id: "id".into(),
                secret: "s".into()
            })
        );
    }

    #[test]
    fn either_digest_pair_and_equal_aliases() {
        let expected = Some(EnvCredentials::Digest {
            public: "p".into(),
            private: "k".into(),
        });
        assert_eq!(
            read_from(&[("API_PUBLIC_KEY", "p"), ("API_PRIVATE_KEY", "k")])
                .unwrap()
                .credentials,
            expected
        );
        let both = [
            ("API_PUBLIC_KEY", "p"),
            ("API_PRIVATE_KEY", "k"),
            ("API_PUBLIC_API_KEY", "p"),
            ("API_PRIVATE_API_KEY", "k"),
        ];
        assert_eq!(read_from(&both).unwrap().credentials, expected);
    }

    #[test]
    fn problems_name_the_variables() {
        let half = message(&[("API_CLIENT_ID", "id")]);
        assert!(
            half.contains("API_CLIENT_ID is set but API_CLIENT_SECRET is not"),
            "{half}"
        );
        let conflict = message(&[
            ("API_CLIENT_ID", "i"),
            ("API_CLIENT_SECRET", "s"),
            ("API_PUBLIC_KEY", "p"),
            ("API_PRIVATE_KEY", "k"),
        ]);
        assert!(
            conflict.contains("API_CLIENT_ID and API_CLIENT_SECRET")
                && conflict.contains("API_PUBLIC_KEY and API_PRIVATE_KEY"),
            "{conflict}"
        );
        let differ = message(&[
            ("API_PUBLIC_KEY", "p"),
            ("API_PRIVATE_KEY", "k"),
            ("API_PUBLIC_API_KEY", "q"),
            ("API_PRIVATE_API_KEY", "k"),
        ]);
        assert!(differ.contains("different values"), "{differ}");
        let none = message(&[("API_CLIENT_ID", "")]);
        for name in [
            "API_CLIENT_ID",
            "API_PUBLIC_API_KEY",
            "API_PUBLIC_KEY",
            "API_HEADER_KEY",
            "API_LOGIN_USER and API_LOGIN_PASSWORD",
        ] {
            assert!(none.contains(name), "{none}");
        }
        let half = message(&[("API_LOGIN_PASSWORD", "pw")]);
        assert!(
            half.contains("API_LOGIN_PASSWORD is set but API_LOGIN_USER is not"),
            "{half}"
        );
    }

    #[test]
    fn an_api_without_variables_reads_nothing_and_misses_nothing() {
        let none = EnvNames {
            base_url: None,
            service_account: &[],
            digest: &[],
            schemes: &[],
        };
        let settings = read(&none, &|_| Some("set".to_owned())).unwrap();
        assert_eq!(settings.credentials, None);
        assert!(settings.schemes.is_empty() && settings.base_url.is_none());
    }

    #[test]
    fn each_scheme_reads_its_own_variables_beside_the_others() {
        let settings = read_from(&[
            ("API_HEADER_KEY", "k"),
            ("API_LOGIN_USER", "u"),
            ("API_LOGIN_PASSWORD", "p"),
        ])
        .unwrap();
        assert_eq!(settings.credentials, None);
        assert_eq!(
            settings.schemes,
            vec![
                ("header_key", vec!["k".to_owned()]),
                ("login", vec!["u".to_owned(), "p".to_owned()]),
            ]
        );
        let with_digest = read_from(&[
            ("API_HEADER_KEY", "k"),
            ("API_PUBLIC_KEY", "p"),
            ("API_PRIVATE_KEY", "q"),
        ])
        .unwrap();
        assert!(with_digest.credentials.is_some());
        assert_eq!(with_digest.schemes.len(), 1);
    }
}
