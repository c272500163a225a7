//! Typed query-string parameters.
//!
//! Each getter takes a parameter out of the query, checks it and converts it, or
//! returns an [`ApiError`] (400) that names the parameter and says what was expected.
//! [`Query::finish`] then rejects anything left over, so a typo such as `dealy_ms`
//! is reported instead of silently ignored.

use crate::error::ApiError;
use crate::text::percent_decode;
use std::ops::RangeInclusive;

/// Longest query string accepted, in bytes.
pub const MAX_QUERY_LEN: usize = 8 * 1024;

/// The parameters of one request, consumed by the typed getters.
#[derive(Debug)]
pub struct Query {
    pairs: Vec<(String, String)>,
    known: Vec<&'static str>,
}

impl Query {
    /// Parses a raw query string (without the `?`), decoding `%XX` and `+`.
    /// A parameter given twice is an error: which one would win is not obvious.
    pub fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_LEN {
            return Err(ApiError::bad_request(
                None,
                format!("the query string is longer than {MAX_QUERY_LEN} bytes"),
            ));
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for piece in raw.split('&').filter(|piece| !piece.is_empty()) {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let name = percent_decode(name, true);
            if pairs.iter().any(|(seen, _)| *seen == name) {
                return Err(ApiError::bad_request(
                    Some(&name),
                    format!("parameter '{name}' is given more than once"),
                ));
            }
            pairs.push((name, percent_decode(value, true)));
        }
        Ok(Self {
            pairs,
            known: Vec::new(),
        })
    }

    /// Takes a parameter's decoded text, if present.
    pub fn take(&mut self, name: &'static str) -> Option<String> {
        self.known.push(name);
        let index = self.pairs.iter().position(|(key, _)| key == name)?;
        Some(self.pairs.swap_remove(index).1)
    }

    /// An optional integer within `range`.
    pub fn int(
        &mut self,
        name: &'static str,
        range: RangeInclusive<u64>,
    ) -> Result<Option<u64>, ApiError> {
        let Some(text) = self.take(name) else {
            return Ok(None);
        };
        match text.trim().parse::<u64>() {
            Ok(value) if range.contains(&value) => Ok(Some(value)),
            _ => Err(out_of_range(name, &text, &range)),
        }
    }

    /// An integer within `range`, `default` when absent.
    pub fn int_or(
        &mut self,
        name: &'static str,
        range: RangeInclusive<u64>,
        default: u64,
    ) -> Result<u64, ApiError> {
        Ok(self.int(name, range)?.unwrap_or(default))
    }

    /// A comma-separated list of integers, each within `item_range`, with between one
    /// and `max_items` items.
    pub fn int_list(
        &mut self,
        name: &'static str,
        item_range: RangeInclusive<u64>,
        max_items: usize,
    ) -> Result<Option<Vec<u64>>, ApiError> {
        let Some(text) = self.take(name) else {
            return Ok(None);
        };
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.len() > max_items {
            return Err(ApiError::bad_request(
                Some(name),
                format!(
                    "'{name}' has {} items; at most {max_items} are allowed",
                    items.len()
                ),
            ));
        }
        items
            .into_iter()
            .map(|item| match item.parse::<u64>() {
                Ok(value) if item_range.contains(&value) => Ok(value),
                _ => Err(ApiError::bad_request(
                    Some(name),
                    format!(
                        "'{name}' must be a comma-separated list of integers from {} to {}; got '{item}'",
                        item_range.start(),
                        item_range.end()
                    ),
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A boolean written `true`/`false` (or `1`/`0`), `default` when absent.
    pub fn flag(&mut self, name: &'static str, default: bool) -> Result<bool, ApiError> {
        match self.take(name).as_deref() {
            None => Ok(default),
            Some("true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(other) => Err(ApiError::bad_request(
                Some(name),
                format!("'{name}' must be true or false; got '{other}'"),
            )),
        }
    }

    /// One of a fixed set of words, `default` when absent.
    pub fn choice(
        &mut self,
        name: &'static str,
        options: &[&'static str],
        default: &'static str,
    ) -> Result<&'static str, ApiError> {
        let Some(text) = self.take(name) else {
            return Ok(default);
        };
        options
            .iter()
            .copied()
            .find(|option| *option == text)
            .ok_or_else(|| {
                ApiError::bad_request(
                    Some(name),
                    format!(
                        "'{name}' must be one of {}; got '{text}'",
                        options.join(", ")
                    ),
                )
            })
    }

    /// Free text of at most `max_chars` characters.
    pub fn text(
        &mut self,
        name: &'static str,
        max_chars: usize,
    ) -> Result<Option<String>, ApiError> {
        match self.take(name) {
            Some(text) if text.chars().count() > max_chars => Err(ApiError::bad_request(
                Some(name),
                format!("'{name}' is longer than {max_chars} characters"),
            )),
            other => Ok(other),
        }
    }

    /// Rejects parameters that no getter asked for.
    pub fn finish(self) -> Result<(), ApiError> {
        let Some((name, _)) = self.pairs.first() else {
            return Ok(());
        };
        let expected = if self.known.is_empty() {
            "this route takes no parameters".to_owned()
        } else {
            format!("expected: {}", self.known.join(", "))
        };
        Err(ApiError::bad_request(
            Some(name),
            format!("unknown parameter '{name}'; {expected}"),
        ))
    }
}

fn out_of_range(name: &str, text: &str, range: &RangeInclusive<u64>) -> ApiError {
    ApiError::bad_request(
        Some(name),
        format!(
            "'{name}' must be an integer from {} to {}; got '{text}'",
            range.start(),
            range.end()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(raw: &str) -> Query {
        Query::parse(Some(raw)).expect("valid query")
    }

    #[test]
    fn reads_integers_with_defaults_and_bounds() {
        let mut q = query("delay_ms=250&n=3");
        assert_eq!(q.int_or("delay_ms", 0..=30_000, 1000).unwrap(), 250);
        assert_eq!(q.int_or("status", 200..=599, 200).unwrap(), 200);
        assert_eq!(q.int("n", 1..=1000).unwrap(), Some(3));
        q.finish().unwrap();
    }

    #[test]
    fn rejects_bad_integers_naming_the_parameter() {
        for raw in [
            "delay_ms=abc",
            "delay_ms=-1",
            "delay_ms=30001",
            "delay_ms=",
            "delay_ms=1.5",
        ] {
            let error = query(raw).int("delay_ms", 0..=30_000).unwrap_err();
            assert_eq!(error.status, 400, "{raw}");
            assert_eq!(error.param.as_deref(), Some("delay_ms"), "{raw}");
            assert!(error.message.contains("0 to 30000"), "{}", error.message);
        }
    }

    #[test]
    fn rejects_unknown_and_repeated_parameters() {
        let mut q = query("dealy_ms=5");
        q.int("delay_ms", 0..=10).unwrap();
        let error = q.finish().unwrap_err();
        assert_eq!(error.param.as_deref(), Some("dealy_ms"));
        assert!(error.message.contains("expected: delay_ms"));

        let error = Query::parse(Some("a=1&a=2")).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("a"));
        assert!(Query::parse(Some(&"a".repeat(MAX_QUERY_LEN + 1))).is_err());
    }

    #[test]
    fn reads_lists_flags_choices_and_text() {
        let mut q = query("delays=100,%20200,300&fast=true&mode=async&id=a+b%21");
        assert_eq!(
            q.int_list("delays", 0..=30_000, 10).unwrap(),
            Some(vec![100, 200, 300])
        );
        assert!(q.flag("fast", false).unwrap());
        assert!(!q.flag("slow", false).unwrap());
        assert_eq!(
            q.choice("mode", &["blocking", "async"], "blocking")
                .unwrap(),
            "async"
        );
        assert_eq!(q.text("id", 10).unwrap().as_deref(), Some("a b!"));
        q.finish().unwrap();

        assert!(query("delays=1,x").int_list("delays", 0..=5, 10).is_err());
        assert!(query("delays=1,2,3").int_list("delays", 0..=5, 2).is_err());
        assert!(query("fast=yes").flag("fast", false).is_err());
        assert!(query("mode=x").choice("mode", &["a"], "a").is_err());
        assert!(query("id=abcdef").text("id", 3).is_err());
    }

    #[test]
    fn empty_query_is_fine() {
        Query::parse(None).unwrap().finish().unwrap();
        Query::parse(Some("&&")).unwrap().finish().unwrap();
    }
}
