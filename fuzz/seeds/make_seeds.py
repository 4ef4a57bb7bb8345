#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from the reference
wire fixtures (tests/fixtures/*.json) and every response example of the OpenAPI spec.

Decoder seeds are `<operation byte>[<status byte>]<body>` as the targets read them; LPA strings
found in the fixtures and the spec seed the activation-code target. Run from anywhere:
    python3 fuzz/seeds/make_seeds.py
"""
import hashlib
import json
import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fuzz" / "corpus"

SPEC = yaml.safe_load((ROOT / "openapi" / "pressone-esim.yaml").read_text())
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
# (operationId, path) in the order of the spec: the order of OperationId::ALL and of
# pressone_esim::decode::OPERATIONS (`cargo xtask gen` writes the table from the spec).
SPEC_OPERATIONS = [
    (operation["operationId"], path)
    for path, item in SPEC["paths"].items()
    for method, operation in item.items()
    if method in METHODS
]
OPERATIONS = [op for op, _ in SPEC_OPERATIONS]
# The data API's operations come first (the targets' selectors rely on it).
DATA = sum(1 for _, path in SPEC_OPERATIONS if not path.startswith("/api/"))
assert all(not p.startswith("/api/") for _, p in SPEC_OPERATIONS[:DATA]), "data operations first"
# Same order as STATUSES in fuzz_targets/decode_error_bodies.rs.
STATUSES = [400, 401, 403, 404, 405, 408, 409, 413, 418, 422, 429, 500, 502, 503, 504, 301,
            304, 199, 201, 204]
# Fixtures are named after their operation (`airalo.get-usage.200.json`); these are not.
FIXTURE_ALIASES = {"future_orders": "submit_order"}


def fixture_operation(name):
    op = name.replace("-", "_")
    op = FIXTURE_ALIASES.get(op, op)
    assert op in OPERATIONS, f"fixture {name!r} names no operation of the spec"
    return op


def write(target, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    (folder / name).write_bytes(data)


def answer(op, status, body):
    """Routes one (operation, status, body) to the decoder target that reads it."""
    index = OPERATIONS.index(op)
    if 200 <= status < 300:
        if index < DATA:
            write("decode_data_api", bytes([index]) + body)
        else:
            selector = (index - DATA) | (0x80 if status == 201 else 0)
            write("decode_voice_api", bytes([selector]) + body)
    else:
        code = STATUSES.index(status) if status in STATUSES else STATUSES.index(400)
        write("decode_error_bodies", bytes([index, code]) + body)


LPA = re.compile(r"LPA:[^\s\"'\\]+", re.IGNORECASE)
lpas = set()

for path in sorted((ROOT / "tests" / "fixtures").glob("*.json")):
    text = path.read_text()
    lpas.update(LPA.findall(text))
    _, name, rest = path.name.split(".", 2)
    status = int(rest.split(".")[0].split("-")[0])
    op = fixture_operation(name)
    body = json.dumps(json.loads(text), separators=(",", ":")).encode()
    answer(op, status, body)
    if op == "get_order_list" and status == 200:
        for order in json.loads(text)["data"][:2]:
            answer("get_order", 200, json.dumps({"data": order}).encode())

for path_item in SPEC["paths"].values():
    for operation in path_item.values():
        if not isinstance(operation, dict) or "operationId" not in operation:
            continue
        op = operation["operationId"]
        for status, response in operation.get("responses", {}).items():
            status = 500 if status == "default" else int(str(status).replace("XX", "00"))
            for content in response.get("content", {}).values():
                examples = list((content.get("examples") or {}).values())
                if "example" in content:
                    examples.append({"value": content["example"]})
                for example in examples:
                    value = example.get("value") if isinstance(example, dict) else None
                    if value is None:
                        continue
                    body = (value if isinstance(value, str) else json.dumps(value)).encode()
                    lpas.update(LPA.findall(body.decode()))
                    answer(op, status, body)

# Non-JSON answers a proxy or a broken server sends.
for op in ("get_usage", "submit_order", "claim_number"):
    for status, body in [(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
                         (503, b"<html>Service Unavailable</html>"), (429, b""), (500, b"")]:
        answer(op, status, body)
    answer(op, 200, b"")
    answer(op, 200, b"<html>ok</html>")

for lpa in sorted(lpas):
    write("activation_code", lpa.encode())
for extra in ["LPA:1$rsp-eu.simlessly.com$ABCD-1234$$1", "LPA:1$smdp.example.com$X$1.3.6.1.4.1.31746$1$ci$dn",
              "lpa:1$a.b$", "LPA:1$smdp.example.com$ABC\nsmdp.example.com"]:
    write("activation_code", extra.encode())
write("activation_code", b"smdp.example.com\nMATCHING-ID")

for target in sorted(p.name for p in CORPUS.iterdir()):
    print(target, len(list((CORPUS / target).iterdir())))
