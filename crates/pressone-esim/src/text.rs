//! Server-supplied text made safe to show: one line, bounded. The one place the SDK shortens
//! text (error messages, body excerpts).

/// Collapses a server-supplied text to one short line (whitespace runs become one space, at
/// most 300 bytes, an ellipsis when cut).
pub(crate) fn one_line(text: &str) -> String {
    const MAX: usize = 300;
    let mut out = String::with_capacity(text.len().min(MAX));
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > MAX {
            let mut cut = MAX;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
            break;
        }
    }
    out
}

/// The start of a body, for an error: at most 120 characters, control characters as spaces,
/// an ellipsis when cut.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    const MAX: usize = 120;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX * 4)]);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX)
        .collect();
    if text.chars().count() > MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_single_line() {
        let body = format!("<html>\n<body>{}</body></html>", "x".repeat(500));
        let e = excerpt(body.as_bytes());
        assert!(e.chars().count() <= 121 && !e.contains('\n'));
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"{\"a\":\r\n1}"), "{\"a\":  1}");
    }

    #[test]
    fn one_line_collapses_and_caps() {
        assert_eq!(one_line(" a\n\tb  c "), "a b c");
        let long = "é".repeat(400);
        let line = one_line(&long);
        assert!(line.len() <= 303 && line.ends_with('…'));
    }
}
