//! Saves many tokens into one token file, as fast as it can: the second process of the
//! shared-token-file tests (`tests/tests/tenants.rs`).
//!
//! Usage: `hammer_token_file <file> <tag> <count>`; saves the keys `<tag>-0` … `<tag>-<count-1>`
//! (client ids) with tokens of the same names, each through a new store, and exits 0.

use std::time::{Duration, SystemTime};

use pressone_esim::{FileTokenStore, Token, TokenKey};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, tag, count] = args.as_slice() else {
        eprintln!("usage: hammer_token_file <file> <tag> <count>");
        std::process::exit(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("count must be a number");
        std::process::exit(2);
    };
    for i in 0..count {
        let name = format!("{tag}-{i}");
        let now = SystemTime::now();
        let token = Token::new(name.clone(), now, now + Duration::from_secs(3600));
        FileTokenStore::new(path).save(&hammer_key(&name), &token);
    }
}

/// The key the hammer saves `name` under.
fn hammer_key(name: &str) -> TokenKey {
    TokenKey::new("http://127.0.0.1:1", name, "hammer-secret")
}
