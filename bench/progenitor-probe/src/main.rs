//! `progenitor-probe SPEC OUT [--drop-schemaless]`: writes progenitor's
//! client for SPEC into the crate folder OUT. Vendor `+json` media types
//! become `application/json` first, since progenitor 0.15.1 refuses them.
//! With `--drop-schemaless` (the fragment benchmark, not the corpus), a
//! media type without a schema is dropped too, since progenitor panics on
//! one ("media type encoding, no schema").

use std::path::PathBuf;

use progenitor::{GenerationSettings, Generator, InterfaceStyle};
use serde_json::Value;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(spec), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: progenitor-probe SPEC OUT [--drop-schemaless]");
        std::process::exit(2);
    };
    let drop_schemaless = args.next().as_deref() == Some("--drop-schemaless");
    let text = std::fs::read_to_string(&spec).expect("readable spec");
    let mut value: Value = serde_yaml::from_str(&text).expect("YAML");
    rewrite_media_types(&mut value, drop_schemaless);
    let document: openapiv3::OpenAPI = serde_json::from_value(value).expect("OpenAPI");
    let mut settings = GenerationSettings::default();
    settings.with_interface(InterfaceStyle::Builder);
    let tokens = Generator::new(&settings).generate_tokens(&document).expect("progenitor generates");
    let file: syn::File = syn::parse2(tokens).expect("tokens parse");
    let out = PathBuf::from(out);
    std::fs::create_dir_all(out.join("src")).expect("mkdir");
    std::fs::write(out.join("src/lib.rs"), prettyplease::unparse(&file)).expect("write lib.rs");
    std::fs::write(
        out.join("Cargo.toml"),
        "[package]\nname = \"progenitor-client-crate\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\nbytes = \"1\"\nfutures-core = \"0.3\"\nprogenitor-client = \"=0.15.1\"\nregress = \"0.10\"\nreqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\", \"rustls\"] }\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n",
    )
    .expect("write Cargo.toml");
}

fn rewrite_media_types(value: &mut Value, drop_schemaless: bool) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(content)) = map.get_mut("content") {
                let entries: Vec<(String, Value)> = std::mem::take(content).into_iter().collect();
                for (media_type, media) in entries {
                    if drop_schemaless && media.get("schema").is_none() {
                        continue;
                    }
                    let key = if media_type.ends_with("+json") { "application/json".to_owned() } else { media_type };
                    content.insert(key, media);
                }
            }
            map.values_mut().for_each(|child| rewrite_media_types(child, drop_schemaless));
        }
        Value::Array(items) => items.iter_mut().for_each(|child| rewrite_media_types(child, drop_schemaless)),
        _ => {}
    }
}
