//! Rules the spec must follow so progenitor generates a correct client
//! (see `shared/notes/progenitor.md`) and so the operation table can be generated from it.
//!
//! Which operations exist is the spec's to say: the table (`OperationId`) is generated from
//! it, and an operation that disappears fails the build where the SDK and the sandbox match
//! on every operation.

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Lints the spec (as parsed YAML) and returns one line per problem.
pub fn lint(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let version = spec.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        problems.push(format!(
            "`openapi` must be 3.0.x (progenitor rejects {version:?})"
        ));
    }
    let mut seen = Vec::new();
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = format!("{} {path}", method.to_uppercase());
            lint_operation(&at, op, spec, &mut problems, &mut seen);
        }
    }
    for (i, id) in seen.iter().enumerate() {
        if seen[..i].contains(id) {
            problems.push(format!("operationId `{id}` is used twice"));
        }
    }
    walk(spec, "#", &mut |pointer, node| {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str)
            && resolve(spec, reference).is_none()
        {
            problems.push(format!("{pointer}: `$ref` {reference} does not resolve"));
        }
        if node.get("format").and_then(Value::as_str) == Some("date-time") {
            problems.push(format!(
                "{pointer}: `format: date-time` rejects the vendor's `YYYY-MM-DD HH:MM:SS` timestamps"
            ));
        }
    });
    problems
}

fn lint_operation(
    at: &str,
    op: &Value,
    spec: &Value,
    problems: &mut Vec<String>,
    seen: &mut Vec<String>,
) {
    match op.get("operationId").and_then(Value::as_str) {
        Some(id) if is_snake_case(id) => seen.push(id.to_string()),
        Some(id) => problems.push(format!("{at}: operationId `{id}` is not snake_case")),
        None => problems.push(format!("{at}: no operationId")),
    }
    if !op.get("x-retry-safe").is_some_and(Value::is_boolean) {
        problems.push(format!(
            "{at}: `x-retry-safe: true|false` is required (may it be sent again after an ambiguous failure?)"
        ));
    }
    if let Some(rule) = op.get("x-rate-limit")
        && let Err(e) = crate::operations::rate(at, rule)
    {
        problems.push(e.to_string());
    }
    let tags = op.get("tags").and_then(Value::as_array).map_or(0, Vec::len);
    if tags == 0 {
        problems.push(format!("{at}: no tag"));
    }
    for field in ["summary", "description"] {
        if op
            .get(field)
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            problems.push(format!("{at}: no {field}"));
        }
    }
    for param in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let param = match param.get("$ref").and_then(Value::as_str) {
            Some(r) => resolve(spec, r).unwrap_or(param),
            None => param,
        };
        let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
        if param.get("in").and_then(Value::as_str) == Some("cookie") {
            problems.push(format!(
                "{at}: parameter `{name}` is a cookie (progenitor rejects them)"
            ));
        }
        if param.get("style").and_then(Value::as_str) == Some("deepObject") {
            problems.push(format!(
                "{at}: parameter `{name}` uses deepObject: declare each bracketed name separately"
            ));
        }
    }
    let mut examples = count_examples(op.get("x-undeclared-examples"));
    if let Some(body) = op.get("requestBody") {
        let content = body.get("content").and_then(Value::as_object);
        let media: Vec<_> = content.into_iter().flatten().collect();
        if media.len() != 1 {
            problems.push(format!(
                "{at}: the request body must have exactly one media type"
            ));
        }
        for (mt, m) in media {
            if mt.starts_with("multipart/") {
                problems.push(format!(
                    "{at}: multipart bodies fail generation; use x-www-form-urlencoded"
                ));
            }
            check_ref_schema(&format!("{at} request body ({mt})"), m, problems);
            examples += count_media_examples(m);
        }
    }
    let responses = op.get("responses").and_then(Value::as_object);
    let mut success = 0;
    let mut client_errors = 0;
    for (status, response) in responses.into_iter().flatten() {
        let code: Option<u16> = status.parse().ok();
        match code {
            Some(200..=299) => success += 1,
            Some(400..=499) => client_errors += 1,
            Some(_) => {}
            None => problems.push(format!(
                "{at}: response `{status}` is not an explicit status (ranges and `default` hide the real status)"
            )),
        }
        if matches!(code, Some(500..=599)) {
            problems.push(format!(
                "{at}: response {status} must stay undeclared so the client keeps the status of non-JSON bodies"
            ));
        }
        // A declared 429 must say how long to wait, or the client cannot honour it.
        if code == Some(429) && !declares_header(spec, response, "Retry-After") {
            problems.push(format!(
                "{at}: response 429 must declare the `Retry-After` header"
            ));
        }
        for (mt, m) in response
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            check_ref_schema(&format!("{at} response {status} ({mt})"), m, problems);
            examples += count_media_examples(m);
        }
    }
    if success != 1 {
        problems.push(format!(
            "{at}: needs exactly one success response, has {success}"
        ));
    }
    if client_errors == 0 {
        problems.push(format!("{at}: declares no error status"));
    }
    if examples == 0 {
        problems.push(format!("{at}: has no example"));
    }
}

/// Whether `response` declares the header `name` (case-insensitive; the header may be a `$ref`)
/// as required.
fn declares_header(spec: &Value, response: &Value, name: &str) -> bool {
    let headers = response.get("headers").and_then(Value::as_object);
    headers.into_iter().flatten().any(|(key, header)| {
        let header = match header.get("$ref").and_then(Value::as_str) {
            Some(r) => resolve(spec, r).unwrap_or(header),
            None => header,
        };
        key.eq_ignore_ascii_case(name) && header.get("required") == Some(&Value::Bool(true))
    })
}

fn check_ref_schema(at: &str, media: &Value, problems: &mut Vec<String>) {
    match media.get("schema") {
        Some(schema) if schema.get("$ref").is_some() => {}
        Some(_) => problems.push(format!(
            "{at}: schema must be a `$ref` to a named component (inline bodies collide)"
        )),
        None => problems.push(format!("{at}: no schema")),
    }
}

fn count_media_examples(media: &Value) -> usize {
    count_examples(media.get("examples")) + usize::from(media.get("example").is_some())
}

fn count_examples(examples: Option<&Value>) -> usize {
    examples.and_then(Value::as_object).map_or(0, |m| m.len())
}

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Resolves a local JSON pointer reference such as `#/components/schemas/Money`.
fn resolve<'a>(spec: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    spec.pointer(pointer)
}

fn walk(node: &Value, pointer: &str, f: &mut impl FnMut(&str, &Value)) {
    match node {
        Value::Object(map) => {
            f(pointer, node);
            for (k, v) in map {
                // Examples are data, not schemas.
                if k == "examples" || k == "example" || k == "x-undeclared-examples" {
                    continue;
                }
                walk(
                    v,
                    &format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                    f,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{pointer}/{i}"), f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Asserts that the lint's report names each of `needles`.
    fn assert_reports(problems: &str, needles: &[&str]) {
        for needle in needles {
            assert!(
                problems.contains(needle),
                "missing {needle:?} in {problems}"
            );
        }
    }

    fn minimal_op() -> Value {
        json!({
            "operationId": "get_balance", "tags": ["balance"], "summary": "s", "description": "d",
            "x-retry-safe": true, "x-rate-limit": {"requests": 3, "per_seconds": 60, "scope": "partner"},
            "responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"},
                        "example": {}}}},
                "401": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}
            }
        })
    }

    fn spec_with(op: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": {"/x": {"get": op}}, "components": {"schemas": {"A": {}}}})
    }

    #[test]
    fn a_good_operation_has_no_problem() {
        let problems = lint(&spec_with(minimal_op()));
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn retry_safety_is_required_and_rate_rules_are_checked() {
        let mut op = minimal_op();
        op.as_object_mut().map(|o| o.remove("x-retry-safe"));
        op["x-rate-limit"]["scope"] = json!("planet");
        let problems = lint(&spec_with(op)).join("\n");
        assert_reports(
            &problems,
            &[
                "`x-retry-safe: true|false` is required",
                "`x-rate-limit.scope` must be one of",
            ],
        );
    }

    #[test]
    fn inline_bodies_ranges_and_multipart_are_rejected() {
        let mut op = minimal_op();
        op["responses"]["4XX"] =
            json!({"content": {"application/json": {"schema": {"type": "object"}}}});
        op["requestBody"] = json!({"content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/A"}}}});
        let problems = lint(&spec_with(op)).join("\n");
        assert_reports(
            &problems,
            &[
                "`4XX` is not an explicit status",
                "must be a `$ref`",
                "multipart bodies fail generation",
            ],
        );
    }

    #[test]
    fn missing_metadata_and_examples_are_reported() {
        let mut op = minimal_op();
        op.as_object_mut().map(|o| {
            o.remove("summary");
            o.remove("tags");
            o.remove("operationId")
        });
        op["responses"]["200"]["content"]["application/json"]
            .as_object_mut()
            .map(|o| o.remove("example"));
        let problems = lint(&spec_with(op)).join("\n");
        assert_reports(
            &problems,
            &["no operationId", "no tag", "no summary", "has no example"],
        );
    }

    #[test]
    fn a_429_needs_a_required_retry_after_header_and_5xx_stays_undeclared() {
        let mut op = minimal_op();
        op["responses"]["429"] = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}});
        op["responses"]["503"] = op["responses"]["429"].clone();
        let problems = lint(&spec_with(op.clone())).join("\n");
        assert_reports(
            &problems,
            &[
                "429 must declare the `Retry-After`",
                "response 503 must stay undeclared",
            ],
        );

        op["responses"]["429"]["headers"] =
            json!({"Retry-After": {"$ref": "#/components/headers/R"}});
        op["responses"].as_object_mut().map(|r| r.remove("503"));
        let mut spec = spec_with(op);
        spec["components"]["headers"] =
            json!({"R": {"required": true, "schema": {"type": "integer"}}});
        let problems = lint(&spec);
        assert!(
            problems.iter().all(|p| p.ends_with("is missing")),
            "{problems:#?}"
        );
    }

    #[test]
    fn dangling_refs_and_date_time_are_reported() {
        let mut op = minimal_op();
        op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] =
            json!("#/components/schemas/Nope");
        let mut spec = spec_with(op);
        spec["components"]["schemas"]["A"] = json!({"type": "string", "format": "date-time"});
        let problems = lint(&spec).join("\n");
        assert_reports(&problems, &["does not resolve", "date-time"]);
    }
}
