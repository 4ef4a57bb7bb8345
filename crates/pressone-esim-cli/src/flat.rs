//! csv/tsv rows from an item's JSON: nested object names joined with `.`, in the order the
//! fields are declared (serde_json's own map would sort them).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value that keeps its objects' field order.
enum Node {
    /// A leaf, already as cell text (`null` is empty, strings are unquoted).
    Leaf(String),
    /// An object's fields in order.
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Leaf(String::new()))
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Leaf(String::new()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Leaf(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Leaf(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Leaf(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Leaf(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Leaf(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Leaf(v))
    }
    /// Arrays stay one cell: their compact JSON text.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<serde_json::Value>()? {
            items.push(item);
        }
        Ok(Node::Leaf(serde_json::Value::Array(items).to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            fields.push((key, value));
        }
        Ok(Node::Object(fields))
    }
}

fn walk(prefix: &str, node: Node, out: &mut Vec<(String, String)>) {
    match node {
        Node::Leaf(text) => out.push((prefix.to_string(), text)),
        Node::Object(fields) if fields.is_empty() => out.push((prefix.to_string(), "{}".into())),
        Node::Object(fields) => {
            for (key, value) in fields {
                let name = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                walk(&name, value, out);
            }
        }
    }
}

/// An item's JSON text as `(column, cell)` pairs: nested objects joined with `.`, arrays as
/// compact JSON text, `null` as an empty cell, strings as they are (money stays exact).
pub fn flatten(json: &str) -> serde_json::Result<Vec<(String, String)>> {
    let node: Node = serde_json::from_str(json)?;
    let mut out = Vec::new();
    match node {
        Node::Object(fields) => walk("", Node::Object(fields), &mut out),
        leaf => walk("value", leaf, &mut out),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattening_keeps_the_order_and_joins_nested_names_with_dots() {
        let flat = flatten(
            r#"{"id": 1, "price": "9.50", "none": null,
                "order": {"id": 2, "status": {"a": true}}, "esims": [{"iccid": "89"}]}"#,
        )
        .unwrap();
        let expected: Vec<(String, String)> = [
            ("id", "1"),
            ("price", "9.50"),
            ("none", ""),
            ("order.id", "2"),
            ("order.status.a", "true"),
            ("esims", r#"[{"iccid":"89"}]"#),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(flat, expected);
    }
}
