//! Compressed responses (feature `compression`, on by default): the client asks for gzip,
//! brotli and zstd, and decodes a body the server really compressed.

use std::io::Write;

use httpmock::prelude::*;

use crate::common::*;

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(text.as_bytes())
        .expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

#[tokio::test]
async fn the_catalogue_is_asked_for_compressed_and_a_gzip_body_decodes() {
    let server = MockServer::start_async().await;
    mount_token(&server).await;
    let plain = fixture("airalo.get-packages.200.json");
    let compressed = gzip(&plain);
    assert!(compressed.len() < plain.len() / 2, "a real gzip body");
    let packages = server
        .mock_async(|when, then| {
            authed(when.method(GET).path("/customer/v2/packages")).is_true(|req| {
                let accepted = header(req, "accept-encoding").unwrap_or_default();
                ["gzip", "br", "zstd"]
                    .iter()
                    .all(|e| accepted.split(',').any(|a| a.trim() == *e))
            });
            then.status(200)
                .header("content-type", "application/json")
                .header("content-encoding", "gzip")
                .body(compressed);
        })
        .await;

    let page = client(&server).packages().list().await.unwrap();

    packages.assert_async().await;
    let slugs: Vec<&str> = page.items.iter().map(|e| e.slug.as_str()).collect();
    assert_eq!(slugs, ["united-states", "france"]);
    let first = page.items[0].packages().next().unwrap();
    assert_eq!(first.id, "change-in-7days-1gb");
    assert_eq!(first.price, Some(dec("4")));
}
