//! The CLI's one place that makes text safe to print: error lines and table cells. (The SDK's
//! own `one_line` is crate-private and shapes the SDK's `Display`; the CLI collapses whole
//! messages it assembles, of which an SDK error is only a part, so it keeps this one.)

/// Collapses a text to one line of printable characters, at most 400 of them.
pub fn one_line(text: &str) -> String {
    const MAX: usize = 400;
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
        if out.chars().count() > MAX {
            out = out.chars().take(MAX).collect();
            out.push('…');
            break;
        }
    }
    out
}

/// A table or csv cell: control characters (newlines, tabs, escapes) become spaces, so one
/// item stays one row; nothing is cut.
pub fn cell(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_collapses_and_caps() {
        assert_eq!(one_line(" a\n b\t\u{7}c "), "a b c");
        assert_eq!(one_line(&"x".repeat(500)).chars().count(), 401);
    }

    #[test]
    fn cells_keep_their_length_and_lose_control_characters() {
        assert_eq!(cell("a\nb\tc\u{1b}"), "a b c ");
    }
}
