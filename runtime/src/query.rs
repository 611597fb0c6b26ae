//! Query parameters that are more than one scalar (objects, maps, unions,
//! arrays that are not repeated), written as their OpenAPI `style` says.

use reqwest::RequestBuilder;
use serde::Serialize;
use serde_json::Value;

use crate::Error;

/// How a query parameter is written (OpenAPI 3.0 `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, exploded (the default): an array repeats the name
    /// (`id=a&id=b`), an object's properties stand as parameters of their
    /// own (`min=1&max=9`).
    Form,
    /// `form` with `explode: false`: `id=a,b`, `range=min,1,max,9`.
    FormUnexploded,
    /// `spaceDelimited` arrays: `id=a b`.
    SpaceDelimited,
    /// `pipeDelimited` arrays: `id=a|b`.
    PipeDelimited,
    /// `deepObject`: `range[min]=1&range[max]=9`, nested objects as
    /// `range[a][b]=1`.
    DeepObject,
}

/// Adds the parameter `name` with `value` to the request's query, as
/// `style` writes it; a value JSON cannot hold is
/// [`Error::Serialization`], before sending.
pub fn query_param<E, T: Serialize>(
    request: RequestBuilder,
    name: &str,
    value: &T,
    style: QueryStyle,
) -> Result<RequestBuilder, Error<E>> {
    let value = serde_json::to_value(value).map_err(Error::Serialization)?;
    Ok(request.query(&query_pairs(name, &value, style)))
}

/// The name-value pairs `style` writes for `value`; `null` writes none.
pub fn query_pairs(name: &str, value: &Value, style: QueryStyle) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Array(items), QueryStyle::Form | QueryStyle::DeepObject) => {
            for item in items {
                pairs.extend(scalar_text(item).map(|text| (name.to_owned(), text)));
            }
        }
        (Value::Array(items), _) => {
            let separator = match style {
                QueryStyle::SpaceDelimited => " ",
                QueryStyle::PipeDelimited => "|",
                _ => ",",
            };
            let texts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            // An empty list is undefined in RFC 6570's terms: no pair, not
            // `name=`, which reads back as one empty item.
            if !texts.is_empty() {
                pairs.push((name.to_owned(), texts.join(separator)));
            }
        }
        (Value::Object(fields), QueryStyle::DeepObject) => deep(name, fields, &mut pairs),
        (Value::Object(fields), QueryStyle::FormUnexploded) => {
            let mut texts = Vec::new();
            for (key, value) in fields {
                if let Some(text) = scalar_text(value) {
                    texts.push(key.clone());
                    texts.push(text);
                }
            }
            if !texts.is_empty() {
                pairs.push((name.to_owned(), texts.join(",")));
            }
        }
        (Value::Object(fields), _) => {
            for (key, value) in fields {
                pairs.extend(query_pairs(key, value, QueryStyle::Form));
            }
        }
        (scalar, _) => pairs.extend(scalar_text(scalar).map(|text| (name.to_owned(), text))),
    }
    pairs
}

/// Adds the header `name` with `value` as OpenAPI's `simple` style writes
/// it ([`simple_text`]); `null` adds none. A value JSON cannot hold is
/// [`Error::Serialization`], and text a header cannot carry (a line break)
/// is [`Error::InvalidRequest`], both before sending.
pub fn header_param<E, T: Serialize>(
    request: RequestBuilder,
    name: &str,
    value: &T,
    explode: bool,
) -> Result<RequestBuilder, Error<E>> {
    let value = serde_json::to_value(value).map_err(Error::Serialization)?;
    let Some(text) = simple_text(&value, explode) else {
        return Ok(request);
    };
    let mut check = crate::Validator::new();
    check.field(name, |v| v.header_value(&text));
    check.finish().map_err(Error::InvalidRequest)?;
    Ok(request.header(name, text))
}

/// A path parameter of any serializable value, `simple` style, as one
/// path segment: a list's items and an object's keys and values each
/// percent-encoded and joined by `,` (`=` between a key and its value
/// when exploded), a scalar encoded as it is. A value that would leave the
/// segment empty or make it `.` or `..` is refused, naming `name`.
pub fn path_value<E, T: Serialize>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<String, Error<E>> {
    let value = serde_json::to_value(value).map_err(Error::Serialization)?;
    let text = match &value {
        Value::Array(items) => crate::path::encode_path_list(items.iter().filter_map(scalar_text)),
        Value::Object(fields) => {
            let pairs = fields.iter().filter_map(|(key, value)| {
                let key = crate::path::encode_path_segment(key);
                let value = scalar_text(value)?;
                let value = crate::path::encode_path_segment(&value);
                Some(if explode {
                    format!("{key}={value}")
                } else {
                    format!("{key},{value}")
                })
            });
            pairs.collect::<Vec<_>>().join(",")
        }
        scalar => scalar_text(scalar)
            .map(crate::path::encode_path_text)
            .unwrap_or_default(),
    };
    let mut check = crate::Validator::new();
    check.field(name, |v| v.path_segment(&text));
    check.finish().map_err(Error::InvalidRequest)?;
    Ok(text)
}

/// `simple` style: an array as `a,b,c`; an object as `k,v,k,v`, or
/// `k=v,k=v` when exploded; a scalar as its text; `null`, an empty array
/// and an empty object (undefined, in RFC 6570's terms) as nothing.
pub fn simple_text(value: &Value, explode: bool) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) if items.is_empty() => None,
        Value::Object(fields) if fields.is_empty() => None,
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar_text)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(fields) => {
            let pairs = fields.iter().filter_map(|(key, value)| {
                let text = scalar_text(value)?;
                Some(if explode {
                    format!("{key}={text}")
                } else {
                    format!("{key},{text}")
                })
            });
            Some(pairs.collect::<Vec<_>>().join(","))
        }
        scalar => scalar_text(scalar),
    }
}

/// The pieces `simple_text(value, false)` joins with `,`: an array's
/// items, an object's keys and values in turn, a scalar's text; `None` for
/// `null`.
pub(crate) fn unexploded_parts(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(items.iter().filter_map(scalar_text).collect()),
        Value::Object(fields) => Some(
            fields
                .iter()
                .filter_map(|(key, value)| Some([key.clone(), scalar_text(value)?]))
                .flatten()
                .collect(),
        ),
        scalar => scalar_text(scalar).map(|text| vec![text]),
    }
}

/// `name[key]=value` for every leaf, arrays repeating their key.
fn deep(name: &str, fields: &serde_json::Map<String, Value>, pairs: &mut Vec<(String, String)>) {
    for (key, value) in fields {
        let name = format!("{name}[{key}]");
        match value {
            Value::Object(inner) => deep(&name, inner, pairs),
            other => pairs.extend(query_pairs(&name, other, QueryStyle::Form)),
        }
    }
}

/// A scalar as query text; a nested array or object, which no style
/// defines, as its JSON text; `null` as nothing.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod simple_tests {
    use serde_json::json;

    use super::simple_text;

    #[test]
    fn simple_style_writes_lists_objects_and_scalars() {
        assert_eq!(
            simple_text(&json!(["a", 1, true]), false).as_deref(),
            Some("a,1,true")
        );
        assert_eq!(
            simple_text(&json!({"n": 5, "role": "admin"}), false).as_deref(),
            Some("n,5,role,admin")
        );
        assert_eq!(
            simple_text(&json!({"n": 5, "role": "admin"}), true).as_deref(),
            Some("n=5,role=admin")
        );
        assert_eq!(simple_text(&json!("x"), false).as_deref(), Some("x"));
        assert_eq!(simple_text(&json!(null), false), None);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn written(value: Value, style: QueryStyle) -> String {
        query_pairs("p", &value, style)
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn each_style_writes_as_openapi_shows() {
        let array = || json!(["blue", "black", 3]);
        // In the order a map without `preserve_order` keeps too.
        let object = || json!({"G": "x", "R": 100, "none": null});
        assert_eq!(written(json!("blue"), QueryStyle::Form), "p=blue");
        assert_eq!(written(json!(5), QueryStyle::DeepObject), "p=5");
        assert_eq!(written(array(), QueryStyle::Form), "p=blue&p=black&p=3");
        assert_eq!(
            written(array(), QueryStyle::FormUnexploded),
            "p=blue,black,3"
        );
        assert_eq!(
            written(array(), QueryStyle::SpaceDelimited),
            "p=blue black 3"
        );
        assert_eq!(
            written(array(), QueryStyle::PipeDelimited),
            "p=blue|black|3"
        );
        assert_eq!(written(object(), QueryStyle::Form), "G=x&R=100");
        assert_eq!(written(object(), QueryStyle::FormUnexploded), "p=G,x,R,100");
        assert_eq!(written(object(), QueryStyle::DeepObject), "p[G]=x&p[R]=100");
        assert_eq!(written(json!(null), QueryStyle::Form), "");
        // Empty lists and objects are undefined (RFC 6570): no pair at all.
        for style in [
            QueryStyle::Form,
            QueryStyle::FormUnexploded,
            QueryStyle::SpaceDelimited,
            QueryStyle::PipeDelimited,
            QueryStyle::DeepObject,
        ] {
            assert_eq!(written(json!([]), style), "", "{style:?}");
            assert_eq!(written(json!({}), style), "", "{style:?}");
        }
    }

    #[test]
    fn deep_objects_nest_and_repeat_arrays() {
        assert_eq!(
            written(
                json!({"a": {"b": true}, "c": ["x", "y"]}),
                QueryStyle::DeepObject
            ),
            "p[a][b]=true&p[c]=x&p[c]=y"
        );
    }
}
