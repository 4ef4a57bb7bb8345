//! The wire fixtures: one copy, in `tests/fixtures/` at the workspace root.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// The one fixture folder of the workspace.
pub const FIXTURES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");

/// The text of the fixture `name` (panics with the path if it cannot be read).
pub fn fixture(name: &str) -> String {
    let path = Path::new(FIXTURES_DIR).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The fixture `name` as JSON.
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The names of every JSON fixture, sorted.
pub fn fixture_names() -> Vec<String> {
    json_files(Path::new(FIXTURES_DIR)).into_iter().collect()
}

/// The names of the `*.json` files of a folder.
pub fn json_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".json"))
        .collect()
}

/// A successful token answer carrying `token` (valid 366 days, as the vendor's example).
pub fn token_body(token: &str) -> String {
    serde_json::json!({
        "data": {"token_type": "Bearer", "expires_in": 31622400, "access_token": token},
        "meta": {"message": "success"}
    })
    .to_string()
}
