//! A pass over progenitor's output: decode JSON answers with the raw crate's own reader.
//!
//! progenitor 0.15 decodes every JSON answer with `ResponseValue::from_response`, which clones
//! the response's headers, collects the body's pieces and copies them into one buffer, in a
//! 944-byte future held inside every request's future. `crate::body::from_response`
//! (`crates/pressone-esim-raw/src/body.rs`) does the same job and reports the same errors
//! with less: see its module documentation. The pass only renames the function called.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprPath};

/// Points every `ResponseValue::from_response(…)` call of `file` at
/// `crate::body::from_response(…)`; returns how many calls it changed.
pub fn use_own_body_reader(file: &mut syn::File) -> usize {
    let mut pass = Pass { replaced: 0 };
    pass.visit_file_mut(file);
    pass.replaced
}

struct Pass {
    replaced: usize,
}

impl VisitMut for Pass {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Path(path) = &mut *call.func
            && is_from_response(path)
        {
            *path = syn::parse_quote!(crate::body::from_response);
            self.replaced += 1;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// `ResponseValue::from_response`, with no turbofish (the generated code never writes one).
fn is_from_response(path: &ExprPath) -> bool {
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    path.qself.is_none()
        && segments == ["ResponseValue", "from_response"]
        && path.path.segments.iter().all(|s| s.arguments.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_the_decoder_calls_only() {
        let mut file: syn::File = syn::parse_str(
            r#"
            async fn send() {
                match status {
                    200u16 => ResponseValue::from_response(response).await,
                    404u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                    204u16 => Ok(ResponseValue::stream(response)),
                    _ => other::from_response(response).await,
                }
            }
            "#,
        )
        .unwrap();
        assert_eq!(use_own_body_reader(&mut file), 2);
        let text = prettyplease::unparse(&file);
        assert_eq!(
            text.matches("crate::body::from_response(response)").count(),
            2,
            "{text}"
        );
        assert!(!text.contains("ResponseValue::from_response"), "{text}");
        assert!(text.contains("ResponseValue::stream(response)"), "{text}");
        assert!(text.contains("other::from_response(response)"), "{text}");
    }
}
