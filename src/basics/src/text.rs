//! Small text codecs: percent-decoding (paths and query strings), percent-encoding
//! (building upstream URLs) and HTML escaping (names echoed into a page).

/// Decodes `%XX` escapes; with `plus_is_space`, also `+` as a space (query strings,
/// as `application/x-www-form-urlencoded` has it). Invalid escapes are kept as they
/// are; bytes that are not UTF-8 after decoding become U+FFFD.
pub fn percent_decode(input: &str, plus_is_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high << 4 | low);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so the result is
/// safe as a query-string value.
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Clauses joined into one sentence: `a; b.`, its first letter a capital.
pub fn sentence(clauses: &[String]) -> String {
    let joined = clauses.join("; ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// Escapes the five characters that matter in HTML text and attribute values.
pub fn html_escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_make_one_sentence() {
        let clauses = ["blocking: 3 ms".to_owned(), "async: 1 ms".to_owned()];
        assert_eq!(sentence(&clauses), "Blocking: 3 ms; async: 1 ms.");
        assert_eq!(sentence(&[]), "");
    }

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(percent_decode("Ada%20Lovelace", false), "Ada Lovelace");
        assert_eq!(percent_decode("a+b", true), "a b");
        assert_eq!(percent_decode("a+b", false), "a+b");
        assert_eq!(percent_decode("%E4%BD%A0%E5%A5%BD", false), "你好");
        assert_eq!(percent_decode("%3Cscript%3E", false), "<script>");
    }

    #[test]
    fn keeps_invalid_escapes_and_replaces_invalid_utf8() {
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%zz%4", false), "%zz%4");
        assert_eq!(percent_decode("%FF", false), "\u{FFFD}");
    }

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(percent_encode("a b&c=d/é~"), "a%20b%26c%3Dd%2F%C3%A9~");
        assert_eq!(percent_decode(&percent_encode("x y+z%"), true), "x y+z%");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            html_escape(r#"<script>alert("x'&")</script>"#),
            "&lt;script&gt;alert(&quot;x&#39;&amp;&quot;)&lt;/script&gt;"
        );
    }
}
