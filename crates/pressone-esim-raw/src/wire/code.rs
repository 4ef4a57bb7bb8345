//! Currency codes, the keys of price maps, held without an allocation.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest code held inline (a `String`'s size less a length byte and the tag).
const INLINE: usize = 22;

/// A currency code as a price map's key (`USD`).
///
/// A catalogue has tens of thousands of price maps with three to eighteen codes each: as
/// `String`s, every code was an allocation of its own (half of a catalogue decode's
/// allocations). Codes of up to 22 bytes (every ISO 4217 code) are held inline; a longer key,
/// which the wire allows, on the heap. Compares and orders as its text.
#[derive(Clone)]
pub struct CurrencyCode(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl CurrencyCode {
    /// The code `code`.
    pub fn new(code: &str) -> Self {
        let mut bytes = [0; INLINE];
        match (bytes.get_mut(..code.len()), u8::try_from(code.len())) {
            (Some(slot), Ok(len)) => {
                slot.copy_from_slice(code.as_bytes());
                CurrencyCode(Repr::Inline { len, bytes })
            }
            _ => CurrencyCode(Repr::Heap(code.into())),
        }
    }

    /// The code's bytes, unchecked: what comparisons use (a `str` orders as its bytes), since
    /// a price map is sorted and searched by code.
    fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(code) => code.as_bytes(),
        }
    }

    /// How the code orders against the text `other` (as `str`s order).
    pub fn cmp_str(&self, other: &str) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }

    /// The code's text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only whole `&str`s are copied in, so the prefix is valid UTF-8.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(bytes.get(..usize::from(*len)).unwrap_or_default())
                    .unwrap_or_default()
            }
            Repr::Heap(code) => code,
        }
    }
}

impl From<&str> for CurrencyCode {
    fn from(code: &str) -> Self {
        CurrencyCode::new(code)
    }
}

impl From<String> for CurrencyCode {
    fn from(code: String) -> Self {
        if code.len() <= INLINE {
            CurrencyCode::new(&code)
        } else {
            CurrencyCode(Repr::Heap(code.into_boxed_str()))
        }
    }
}

impl From<CurrencyCode> for String {
    fn from(code: CurrencyCode) -> Self {
        match code.0 {
            Repr::Heap(code) => code.into(),
            Repr::Inline { .. } => code.as_str().to_owned(),
        }
    }
}

impl PartialEq for CurrencyCode {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for CurrencyCode {}

impl PartialOrd for CurrencyCode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CurrencyCode {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl fmt::Debug for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CurrencyCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CurrencyCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // From the key's text as the parser holds it: no `String` on the way.
        deserializer.deserialize_str(super::TextVisitor("a currency code", CurrencyCode::new))
    }
}

#[cfg(test)]
mod tests {
    use super::CurrencyCode;

    #[test]
    fn codes_compare_as_their_text_inline_or_not() {
        let long = "X".repeat(40);
        let exact = "Y".repeat(22);
        for text in ["", "USD", "EUR", exact.as_str(), long.as_str(), "é€"] {
            let code = CurrencyCode::new(text);
            assert_eq!(code.as_str(), text);
            assert_eq!(code.cmp_str("USD"), text.cmp("USD"));
            assert_eq!(CurrencyCode::from(text.to_owned()), code);
            assert_eq!(String::from(code.clone()), text);
            assert_eq!(format!("{code} {code:?}"), format!("{text} {text:?}"));
        }
        let mut codes: Vec<CurrencyCode> = [long.as_str(), "USD", "AUD", "ZZ", exact.as_str()]
            .into_iter()
            .map(CurrencyCode::new)
            .collect();
        codes.sort();
        let sorted: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(sorted, ["AUD", "USD", long.as_str(), exact.as_str(), "ZZ"]);
        let decoded: CurrencyCode = serde_json::from_str(r#""K\u0057D""#).unwrap();
        assert_eq!(decoded.as_str(), "KWD");
        assert_eq!(serde_json::to_string(&decoded).unwrap(), r#""KWD""#);
        assert!(serde_json::from_str::<CurrencyCode>("3").is_err());
    }
}
