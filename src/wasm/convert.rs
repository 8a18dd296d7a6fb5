//! Conversions between JavaScript values and the core's types.

use crate::api::JsonParser;
use crate::error::{Error, ErrorCode};
use crate::validate::ValidationIssue;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

/// Reads a caller's argument as loosely shaped JSON so the core can validate it.
///
/// Values JSON cannot hold (functions, symbols, out-of-range BigInts) become a
/// validation issue naming `field`, rather than an exception from the conversion.
pub(crate) fn input_value(field: &str, value: &JsValue) -> Result<Value, Error> {
    serde_wasm_bindgen::from_value(value.clone()).map_err(|_| {
        Error::validation(vec![ValidationIssue {
            field: field.to_owned(),
            message: "must be plain data (strings, numbers, booleans, arrays, objects)".to_owned(),
        }])
    })
}

/// Converts a result for JavaScript: plain objects (not `Map`s) and `null` for `None`.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| Error::decode(format!("could not hand the result to JavaScript: {error}")))
}

/// Converts an error into the plain object the package's entry file wraps.
pub(crate) fn error_to_js(error: Error) -> JsValue {
    to_js(&error).unwrap_or_else(|_| {
        // Only a number too large for JavaScript can fail here; the code and message
        // alone still make a proper error on the other side.
        let plain = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&plain, &"code".into(), &error.code.as_str().into());
        let _ = js_sys::Reflect::set(&plain, &"message".into(), &error.message.as_str().into());
        plain.into()
    })
}

/// Builds an error for a failure of the transport itself.
pub(crate) fn transport_error(code: ErrorCode, message: impl Into<String>) -> Error {
    Error::new(code, message)
}

/// Parses JSON with the host's `JSON.parse`, then reads the result into Rust types,
/// tracking the JSON path so that a wrong field is named in the error.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HostJsonParser;

impl JsonParser for HostJsonParser {
    fn parse<T: DeserializeOwned>(&self, body: &str) -> Result<T, String> {
        // Reading deeply nested values into Rust types recurses once per level; a hostile
        // answer could exhaust the module's stack, which traps it for good. serde_json's
        // own limit is the model.
        if nests_deeper_than(body, MAX_BODY_DEPTH) {
            return Err(format!(
                "the body nests deeper than {MAX_BODY_DEPTH} levels"
            ));
        }
        let parsed =
            js_sys::JSON::parse(body).map_err(|_| "the body is not valid JSON".to_owned())?;
        let deserializer = serde_wasm_bindgen::Deserializer::from(parsed);
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let path = error.path().to_string();
            // serde-wasm-bindgen's errors are JavaScript `Error`s, whose text starts with
            // their class name; the message is enough.
            let message = error.into_inner().to_string();
            let message = message.strip_prefix("Error: ").unwrap_or(&message);
            crate::api::describe_path_error(&path, message)
        })
    }
}

/// How deep an answer's JSON may nest, as in serde_json.
const MAX_BODY_DEPTH: usize = 128;

/// Whether the JSON text `body` opens more than `limit` arrays or objects at once,
/// counting brackets outside strings only.
fn nests_deeper_than(body: &str, limit: usize) -> bool {
    let mut depth: usize = 0;
    let mut in_string = false;
    let mut escaped = false;
    for byte in body.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}
