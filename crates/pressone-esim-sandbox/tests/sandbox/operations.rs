//! The sandbox serves exactly the spec's operations, each under its `operationId`.

use std::collections::BTreeSet;

use crate::common::{PKG, env};
use crate::support::call;
use pressone_esim_sandbox::Operation;

type Row = (String, String, String);

/// `(METHOD, path, operationId)` of every operation of the spec (`None`: the spec is absent).
fn spec_operations() -> Option<BTreeSet<Row>> {
    let spec = crate::spec::load()?;
    let paths = spec["paths"].as_object().expect("the spec has paths");
    let mut rows = BTreeSet::new();
    for (p, item) in paths {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if let Some(op) = item.get(method) {
                let id = op["operationId"]
                    .as_str()
                    .expect("every operation has an id");
                rows.insert((method.to_uppercase(), p.clone(), id.to_string()));
            }
        }
    }
    Some(rows)
}

fn sandbox_operations() -> BTreeSet<Row> {
    Operation::ALL
        .into_iter()
        .map(|op| {
            (
                op.method().to_string(),
                op.path().to_string(),
                op.as_str().to_string(),
            )
        })
        .collect()
}

#[test]
fn operation_table_is_the_specs() {
    let Some(spec) = spec_operations() else {
        return;
    };
    assert_eq!(sandbox_operations(), spec);
    for op in Operation::ALL {
        assert_eq!(Operation::from_name(op.as_str()), Some(op));
        assert_eq!(op.to_string(), op.as_str());
        let json = serde_json::to_value(op).expect("serializes");
        assert_eq!(json, op.as_str(), "serde uses the operationId");
    }
}

/// Each spec operation, sent over HTTP with its method and path, is served (neither 404 nor
/// 405) and counted under its `operationId`; any other method on the same path is 405 and
/// counted nowhere.
#[tokio::test]
async fn the_server_answers_every_spec_operation_under_its_name() {
    let Some(spec) = spec_operations() else {
        return;
    };
    let e = env().await;
    let order = e.order(PKG, 1).await;
    let order_id = order["id"].to_string();
    let iccid = order["sims"][0]["iccid"]
        .as_str()
        .expect("iccid")
        .to_string();
    let paths: BTreeSet<&str> = spec.iter().map(|(_, p, _)| p.as_str()).collect();
    for (method, path, id) in &spec {
        let op = Operation::from_name(id).expect("the sandbox knows every operationId");
        let url = path
            .replace("{iccid}", &iccid)
            .replace("{order_id}", &order_id);
        let before = e.control("GET", "/_sandbox/state", None).await.body["stats"]["requests"]
            [id.as_str()]
        .as_u64()
        .unwrap_or(0);
        let status = call(&e, method, &url).await.status;
        assert!(
            status != 404 && status != 405,
            "{id}: {url} answered {status}"
        );
        let after = e.control("GET", "/_sandbox/state", None).await.body["stats"]["requests"]
            [id.as_str()]
        .as_u64()
        .unwrap_or(0);
        assert_eq!(after, before + 1, "{id} counted under its operationId");
        assert_eq!(e.sb.request_count(op), after);
    }
    let total_before = e.sb.stats().total();
    for path in paths {
        let served: BTreeSet<&str> = spec
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(m, _, _)| m.as_str())
            .collect();
        let url = path
            .replace("{iccid}", &iccid)
            .replace("{order_id}", &order_id);
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if served.contains(method) {
                continue;
            }
            let status = call(&e, method, &url).await.status;
            assert_eq!(status, 405, "{method} {url}");
        }
    }
    assert_eq!(
        e.sb.stats().total(),
        total_before,
        "405s count for no operation"
    );
}
