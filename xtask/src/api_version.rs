//! A pass over progenitor's output: drop the `api-version` request header.
//!
//! progenitor 0.15 adds `api-version: <info.version>` to every request, with no setting to
//! turn it off. This API does not know that header (it would only announce the spec's own
//! version to the vendor), and building it cost every call a `HeaderMap` allocation, a header
//! append and the hook's removal again. The pass removes the statement that appends it and
//! lowers the capacity of the map it went into (`with_capacity(0)` does not allocate).

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Lit, Stmt};

/// Removes the `api-version` header from every generated request of `file`; returns how many
/// requests it was removed from.
pub fn drop_api_version(file: &mut syn::File) -> usize {
    let mut pass = Pass { removed: 0 };
    pass.visit_file_mut(file);
    pass.removed
}

struct Pass {
    removed: usize,
}

impl VisitMut for Pass {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !appends_api_version(stmt));
        let removed = before - block.stmts.len();
        if removed > 0 {
            for stmt in &mut block.stmts {
                lower_header_map_capacity(stmt, removed);
            }
            self.removed += removed;
        }
        visit_mut::visit_block_mut(self, block);
    }
}

/// `header_map.append(HeaderName::from_static("api-version"), …);`
fn appends_api_version(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    if call.method != "append" || !is_path(&call.receiver, "header_map") {
        return false;
    }
    let Some(Expr::Call(name)) = call.args.first() else {
        return false;
    };
    matches!(
        name.args.first(),
        Some(Expr::Lit(lit)) if matches!(&lit.lit, Lit::Str(s) if s.value() == "api-version")
    )
}

/// `let mut header_map = HeaderMap::with_capacity(N);` becomes `with_capacity(N - removed)`.
fn lower_header_map_capacity(stmt: &mut Stmt, removed: usize) {
    let Stmt::Local(local) = stmt else { return };
    let syn::Pat::Ident(pat) = &local.pat else {
        return;
    };
    if pat.ident != "header_map" {
        return;
    }
    let Some(init) = &mut local.init else { return };
    let Expr::Call(call) = &mut *init.expr else {
        return;
    };
    let is_with_capacity = matches!(&*call.func, Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "with_capacity"));
    if !is_with_capacity {
        return;
    }
    if let Some(Expr::Lit(lit)) = call.args.first_mut()
        && let Lit::Int(n) = &lit.lit
        && let Ok(value) = n.base10_parse::<usize>()
    {
        let lowered = value.saturating_sub(removed);
        lit.lit = Lit::Int(syn::LitInt::new(&format!("{lowered}usize"), n.span()));
    }
}

fn is_path(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Path(p) if p.path.is_ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_the_header_and_lowers_the_capacity_only() {
        let mut file: syn::File = syn::parse_str(
            r#"
            fn send() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                header_map.append("accept-language", value.to_string().try_into()?);
                other.append(HeaderName::from_static("api-version"), v);
            }
            "#,
        )
        .unwrap();
        assert_eq!(drop_api_version(&mut file), 1);
        let text = prettyplease::unparse(&file);
        assert!(text.contains("with_capacity(1usize)"), "{text}");
        assert!(text.contains("\"accept-language\""), "{text}");
        // Only `header_map`'s append is the generated one.
        assert_eq!(text.matches("api-version").count(), 1, "{text}");
    }
}
