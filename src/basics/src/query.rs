//! Typed query-string parameters.
//!
//! Each getter takes a parameter out of the query, checks it and converts it, or
//! returns an [`ApiError`] (400) that names the parameter and says what was expected.
//! [`Query::finish`] then rejects anything left over, so a typo such as `dealy_ms`
//! is reported instead of silently ignored.

use crate::error::ApiError;
use crate::route::{Choice, Flag, Int, IntList, Text};
use crate::text::percent_decode;

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
    fn take(&mut self, name: &'static str) -> Option<String> {
        self.known.push(name);
        let index = self.pairs.iter().position(|(key, _)| key == name)?;
        Some(self.pairs.swap_remove(index).1)
    }

    /// An integer: the one given, else the declared default, else `None`.
    pub fn optional_int(&mut self, param: &Int) -> Result<Option<u64>, ApiError> {
        let Some(text) = self.take(param.name) else {
            return Ok(param.default);
        };
        match text.trim().parse::<u64>() {
            Ok(value) if (param.min..=param.max).contains(&value) => Ok(Some(value)),
            _ => Err(ApiError::bad_request(
                Some(param.name),
                format!(
                    "'{}' must be an integer from {} to {}; got '{text}'",
                    param.name, param.min, param.max
                ),
            )),
        }
    }

    /// An integer: the one given, else the declared default; a 400 when the
    /// parameter has no default and is absent.
    pub fn int(&mut self, param: &Int) -> Result<u64, ApiError> {
        self.optional_int(param)?.ok_or_else(|| missing(param.name))
    }

    /// A comma-separated list of integers: the one given, else the declared default.
    pub fn int_list(&mut self, param: &IntList) -> Result<Option<Vec<u64>>, ApiError> {
        let name = param.name;
        let Some(text) = self.take(name) else {
            return Ok(param.default.map(<[u64]>::to_vec));
        };
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.len() > param.max_items {
            return Err(ApiError::bad_request(
                Some(name),
                format!(
                    "'{name}' has {} items; at most {} are allowed",
                    items.len(),
                    param.max_items
                ),
            ));
        }
        items
            .into_iter()
            .map(|item| match item.parse::<u64>() {
                Ok(value) if (param.min..=param.max).contains(&value) => Ok(value),
                _ => Err(ApiError::bad_request(
                    Some(name),
                    format!(
                        "'{name}' must be a comma-separated list of integers from {} to {}; got '{item}'",
                        param.min, param.max
                    ),
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A boolean written `true`/`false` (or `1`/`0`), the declared default when absent.
    pub fn flag(&mut self, param: &Flag) -> Result<bool, ApiError> {
        let name = param.name;
        match self.take(name).as_deref() {
            None => Ok(param.default),
            Some("true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(other) => Err(ApiError::bad_request(
                Some(name),
                format!("'{name}' must be true or false; got '{other}'"),
            )),
        }
    }

    /// One of the declared words, the declared default when absent.
    pub fn choice(&mut self, param: &Choice) -> Result<&'static str, ApiError> {
        let name = param.name;
        let Some(text) = self.take(name) else {
            return Ok(param.default);
        };
        param
            .options
            .iter()
            .copied()
            .find(|option| *option == text)
            .ok_or_else(|| {
                ApiError::bad_request(
                    Some(name),
                    format!(
                        "'{name}' must be one of {}; got '{text}'",
                        param.options.join(", ")
                    ),
                )
            })
    }

    /// Free text of at most the declared number of characters.
    pub fn text(&mut self, param: &Text) -> Result<Option<String>, ApiError> {
        let name = param.name;
        match self.take(name) {
            Some(text) if text.chars().count() > param.max_chars => Err(ApiError::bad_request(
                Some(name),
                format!("'{name}' is longer than {} characters", param.max_chars),
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

fn missing(name: &str) -> ApiError {
    ApiError::bad_request(Some(name), format!("'{name}' is required"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::shared;

    fn query(raw: &str) -> Query {
        Query::parse(Some(raw)).expect("valid query")
    }

    const DELAY: Int = Int::new("delay_ms", 0, 30_000, "");
    const STATUS: Int = Int::new("status", 200, 599, "").default_to(200);

    #[test]
    fn reads_integers_with_declared_defaults_and_bounds() {
        let mut q = query("delay_ms=250&n=3");
        assert_eq!(q.int(&DELAY.default_to(1000)).unwrap(), 250);
        assert_eq!(q.int(&STATUS).unwrap(), 200);
        assert_eq!(q.optional_int(&shared::N).unwrap(), Some(3));
        assert_eq!(q.optional_int(&shared::TIMEOUT_MS).unwrap(), None);
        q.finish().unwrap();
        let error = query("").int(&DELAY).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("delay_ms"));
        assert!(error.message.contains("required"), "{}", error.message);
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
            let error = query(raw).optional_int(&DELAY).unwrap_err();
            assert_eq!(error.status, 400, "{raw}");
            assert_eq!(error.param.as_deref(), Some("delay_ms"), "{raw}");
            assert!(error.message.contains("0 to 30000"), "{}", error.message);
        }
    }

    #[test]
    fn rejects_unknown_and_repeated_parameters() {
        let mut q = query("dealy_ms=5");
        q.optional_int(&DELAY).unwrap();
        let error = q.finish().unwrap_err();
        assert_eq!(error.param.as_deref(), Some("dealy_ms"));
        assert!(error.message.contains("expected: delay_ms"));

        let error = Query::parse(Some("a=1&a=2")).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("a"));
        assert!(Query::parse(Some(&"a".repeat(MAX_QUERY_LEN + 1))).is_err());
    }

    #[test]
    fn reads_lists_flags_choices_and_text() {
        let fast = Flag {
            name: "fast",
            default: false,
            doc: "",
            zh: "",
        };
        let slow = Flag {
            name: "slow",
            default: false,
            doc: "",
            zh: "",
        };
        let mode = Choice {
            name: "mode",
            options: &["blocking", "async"],
            default: "blocking",
            doc: "",
            zh: "",
        };
        let id = Text {
            name: "id",
            max_chars: 10,
            doc: "",
            zh: "",
        };
        let mut q = query("delays=100,%20200,300&fast=true&mode=async&id=a+b%21");
        assert_eq!(
            q.int_list(&shared::DELAYS).unwrap(),
            Some(vec![100, 200, 300])
        );
        assert!(q.flag(&fast).unwrap());
        assert!(!q.flag(&slow).unwrap());
        assert_eq!(q.choice(&mode).unwrap(), "async");
        assert_eq!(q.text(&id).unwrap().as_deref(), Some("a b!"));
        q.finish().unwrap();
        assert_eq!(
            query("")
                .int_list(&shared::DELAYS.default_to(&[1, 2]))
                .unwrap(),
            Some(vec![1, 2])
        );

        let short = IntList {
            max: 5,
            max_items: 2,
            ..shared::DELAYS
        };
        assert!(query("delays=1,x").int_list(&short).is_err());
        assert!(query("delays=1,2,3").int_list(&short).is_err());
        assert!(query("fast=yes").flag(&fast).is_err());
        assert!(query("mode=x").choice(&mode).is_err());
        assert!(query("id=abcdefghijk").text(&id).is_err());
    }

    #[test]
    fn empty_query_is_fine() {
        Query::parse(None).unwrap().finish().unwrap();
        Query::parse(Some("&&")).unwrap().finish().unwrap();
    }
}
