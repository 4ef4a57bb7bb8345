//! The workspace's OpenAPI spec, read by the tests that compare the sandbox with it.

use std::path::PathBuf;

use serde_json::Value;

/// `openapi/pressone-esim.yaml` as JSON, or `None` (with the reason printed) when the file is
/// absent because the crate is built from its package, without the workspace around it.
pub fn load() -> Option<Value> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "openapi",
        "pressone-esim.yaml",
    ]
    .iter()
    .collect();
    if !path.exists() {
        println!(
            "skipping: {} is absent (packaged crate without the workspace spec)",
            path.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(&path).expect("the spec is readable");
    Some(serde_yaml::from_str(&text).expect("the spec is YAML"))
}
