//! The checking harness: the spec's component schemas as JSON Schema 2020-12 validators.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

/// Converts an OpenAPI 3.0 schema object to JSON Schema 2020-12.
fn convert(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, val) in m {
                match k.as_str() {
                    "nullable" | "example" | "discriminator" | "xml" | "externalDocs" => {}
                    // Keys under `properties` are names, not keywords: convert values only.
                    "properties" | "patternProperties" => {
                        let mut props = Map::new();
                        for (name, s) in val.as_object().into_iter().flatten() {
                            props.insert(name.clone(), convert(s));
                        }
                        out.insert(k.clone(), Value::Object(props));
                    }
                    _ => {
                        out.insert(k.clone(), convert(val));
                    }
                }
            }
            if m.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(t) = out.get("type").cloned() {
                    let mut types = match t {
                        Value::Array(a) => a,
                        other => vec![other],
                    };
                    types.push(json!("null"));
                    out.insert("type".into(), Value::Array(types));
                    if let Some(Value::Array(e)) = out.get_mut("enum") {
                        e.push(Value::Null);
                    }
                } else {
                    let description = out.remove("description");
                    let mut wrapped = Map::new();
                    wrapped.insert(
                        "anyOf".into(),
                        json!([Value::Object(out), {"type": "null"}]),
                    );
                    if let Some(d) = description {
                        wrapped.insert("description".into(), d);
                    }
                    return Value::Object(wrapped);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

pub(super) struct Conformance {
    components: Value,
    validators: HashMap<String, jsonschema::Validator>,
    pub(super) failures: Vec<String>,
    pub(super) checked: usize,
}

impl Conformance {
    /// `None` when the spec is absent (packaged crate).
    pub(super) fn load() -> Option<Conformance> {
        let spec = crate::spec::load()?;
        let schemas = convert(&spec["components"]["schemas"]);
        Some(Conformance {
            components: json!({"schemas": schemas}),
            validators: HashMap::new(),
            failures: Vec::new(),
            checked: 0,
        })
    }

    fn validator(&mut self, schema: &str) -> &jsonschema::Validator {
        let components = self.components.clone();
        self.validators
            .entry(schema.to_string())
            .or_insert_with(|| {
                assert!(
                    components["schemas"].get(schema).is_some(),
                    "no component {schema}"
                );
                let root = json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$ref": format!("#/components/schemas/{schema}"),
                    "components": components,
                });
                jsonschema::draft202012::new(&root).expect("schema compiles")
            })
    }

    pub(super) fn check(
        &mut self,
        label: &str,
        schema: &str,
        body: &Value,
        decode: fn(&Value) -> Result<(), String>,
    ) {
        self.checked += 1;
        if body.is_null() {
            self.failures
                .push(format!("{label}: empty or non-JSON body"));
            return;
        }
        if let Err(e) = decode(body) {
            self.failures.push(format!(
                "{label}: does not decode into types::{schema}: {e}"
            ));
        }
        let errors: Vec<String> = self
            .validator(schema)
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .take(5)
            .collect();
        if !errors.is_empty() {
            self.failures.push(format!(
                "{label}: invalid against {schema}: {}",
                errors.join("; ")
            ));
        }
    }
}
