//! HTTP routing as Spin does it.
//!
//! A route is a list of segments: exact words, `:name` parameters that match one
//! segment, and an optional trailing `/...` wildcard that matches the rest of the
//! path (including nothing). When several routes match, the most specific wins:
//! compared segment by segment, an exact word beats a parameter, which beats the
//! wildcard; when one route's segments are a prefix of the other's, the shorter
//! wins (`/a` takes `/a`, `/a/...` takes `/a/b`); a full tie goes to the route
//! written first. A route written twice is reported, and the later one is used.

use anyhow::{Result, bail};
use std::cmp::Ordering;

/// One segment of a route pattern, ordered from least to most specific.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Wildcard,
    Param(String),
    Exact(String),
}

impl Segment {
    fn rank(&self) -> u8 {
        match self {
            Segment::Wildcard => 0,
            Segment::Param(_) => 1,
            Segment::Exact(_) => 2,
        }
    }
}

/// A parsed route pattern such as `/hello/:name` or `/static/...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePattern {
    raw: String,
    segments: Vec<Segment>,
}

impl RoutePattern {
    /// Parses a manifest route.
    pub fn parse(raw: &str) -> Result<Self> {
        let Some(body) = raw.strip_prefix('/') else {
            bail!("route '{raw}' must start with '/'");
        };
        let parts: Vec<&str> = body.split('/').filter(|part| !part.is_empty()).collect();
        let mut segments = Vec::with_capacity(parts.len());
        for (index, part) in parts.iter().enumerate() {
            let segment = if *part == "..." {
                if index + 1 != parts.len() {
                    bail!("route '{raw}': '...' may only be the last segment");
                }
                Segment::Wildcard
            } else if let Some(name) = part.strip_prefix(':') {
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    bail!("route '{raw}': ':{name}' is not a valid parameter name");
                }
                if segments
                    .iter()
                    .any(|s| matches!(s, Segment::Param(n) if n == name))
                {
                    bail!("route '{raw}': parameter ':{name}' appears twice");
                }
                Segment::Param(name.to_owned())
            } else if part.contains('*') || part.contains("...") {
                bail!(
                    "route '{raw}': '{part}' is not a valid segment (use ':name' or a trailing '/...')"
                );
            } else {
                Segment::Exact((*part).to_owned())
            };
            segments.push(segment);
        }
        Ok(Self {
            raw: raw.to_owned(),
            segments,
        })
    }

    /// The route as written in the manifest (`spin-raw-component-route`).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The route without its trailing `/...` (`spin-component-route`).
    pub fn without_wildcard(&self) -> &str {
        match self.raw.strip_suffix("/...") {
            Some("") => "",
            Some(prefix) => prefix,
            None => &self.raw,
        }
    }

    fn is_wildcard(&self) -> bool {
        self.segments.last() == Some(&Segment::Wildcard)
    }

    /// Matches a request path (percent-encoded, as on the wire). Leading and
    /// trailing slashes are ignored, as Spin's router ignores them.
    fn matches(&self, path: &str) -> Option<Captures> {
        let trimmed = path.trim_matches('/');
        let parts: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };
        let fixed = self.segments.len() - usize::from(self.is_wildcard());
        if parts.len() < fixed || (!self.is_wildcard() && parts.len() != fixed) {
            return None;
        }
        let mut params = Vec::new();
        for (segment, part) in self.segments.iter().zip(&parts) {
            match segment {
                Segment::Exact(word) if word == part => {}
                Segment::Param(_) if part.is_empty() => return None,
                Segment::Param(name) => params.push((name.clone(), (*part).to_owned())),
                Segment::Wildcard => break,
                Segment::Exact(_) => return None,
            }
        }
        let path_info = if self.is_wildcard() {
            after_segments(path, fixed).to_owned()
        } else {
            String::new()
        };
        Some(Captures { params, path_info })
    }

    /// Orders two patterns by specificity (greater is more specific), as Spin's
    /// router (routefinder) does: the first segment whose kinds differ decides;
    /// when one pattern's kinds are a prefix of the other's, the shorter wins.
    fn specificity(&self, other: &Self) -> Ordering {
        for (mine, theirs) in self.segments.iter().zip(&other.segments) {
            match mine.rank().cmp(&theirs.rank()) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        other.segments.len().cmp(&self.segments.len())
    }

    /// The route after Spin's normalisation (one trailing `/` removed, so `/` is
    /// empty): the value of `spin-matched-route`.
    pub fn normalised(&self) -> &str {
        self.raw.strip_suffix('/').unwrap_or(&self.raw)
    }
}

/// What is left of `path` after its first `count` segments, slashes kept: the
/// wildcard's share (`spin-path-info`).
fn after_segments(path: &str, count: usize) -> &str {
    let mut rest = path;
    for _ in 0..count {
        rest = rest.trim_start_matches('/');
        rest = &rest[rest.find('/').unwrap_or(rest.len())..];
    }
    rest
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Captures {
    params: Vec<(String, String)>,
    path_info: String,
}

/// The result of routing one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch<'a> {
    /// The component to invoke.
    pub component: &'a str,
    /// The pattern that matched.
    pub pattern: &'a RoutePattern,
    /// `:name` parameters, in route order (still percent-encoded).
    pub params: Vec<(String, String)>,
    /// The part of the path the wildcard matched (`""` when none).
    pub path_info: String,
}

/// All public routes of an application.
#[derive(Debug, Clone, Default)]
pub struct Router {
    routes: Vec<(RoutePattern, String)>,
    duplicates: Vec<(String, String, String)>,
}

impl Router {
    /// Builds a router from `(route, component)` pairs in manifest order.
    ///
    /// As in Spin, a route written twice is not an error: the later entry takes the
    /// earlier one's place, and the replaced one is reported in `duplicates` as
    /// `(replaced component, route, effective component)`.
    pub fn new<'a>(routes: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        let mut router = Self::default();
        for (route, component) in routes {
            let pattern = RoutePattern::parse(route)?;
            match router.routes.iter_mut().find(|(p, _)| p.raw == pattern.raw) {
                Some((_, effective)) => {
                    let replaced = std::mem::replace(effective, component.to_owned());
                    router
                        .duplicates
                        .push((replaced, route.to_owned(), component.to_owned()));
                }
                None => router.routes.push((pattern, component.to_owned())),
            }
        }
        Ok(router)
    }

    /// Routes that were written twice: `(replaced component, route, effective component)`.
    pub fn duplicates(&self) -> &[(String, String, String)] {
        &self.duplicates
    }

    /// The most specific route matching `path`; on a tie, the earlier in the manifest.
    pub fn route(&self, path: &str) -> Option<RouteMatch<'_>> {
        let mut best: Option<(&RoutePattern, &String, Captures)> = None;
        for (pattern, component) in &self.routes {
            let Some(captures) = pattern.matches(path) else {
                continue;
            };
            if best
                .as_ref()
                .is_none_or(|(seen, _, _)| pattern.specificity(seen) == Ordering::Greater)
            {
                best = Some((pattern, component, captures));
            }
        }
        best.map(|(pattern, component, captures)| RouteMatch {
            component,
            pattern,
            params: captures.params,
            path_info: captures.path_info,
        })
    }

    /// Routes from most to least specific, as `spin up` lists them.
    pub fn routes_by_precedence(&self) -> Vec<(&RoutePattern, &str)> {
        let mut routes: Vec<_> = self
            .routes
            .iter()
            .map(|(pattern, component)| (pattern, component.as_str()))
            .collect();
        routes.sort_by(|(a, _), (b, _)| b.specificity(a));
        routes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router() -> Router {
        Router::new([
            ("/", "root"),
            ("/hello", "hello"),
            ("/hello/:name", "hello-name"),
            ("/hello/admin", "admin"),
            ("/static/...", "static"),
            ("/static/special/...", "special"),
            ("/:a/b", "param-first"),
            ("/x/:b", "exact-first"),
            ("/...", "fallback"),
        ])
        .unwrap()
    }

    fn component(path: &str) -> String {
        router()
            .route(path)
            .map(|m| m.component.to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn exact_routes_match_only_themselves() {
        assert_eq!(component("/"), "root");
        assert_eq!(component("/hello"), "hello");
        assert_eq!(component("/hello/"), "hello");
        assert_eq!(component("//hello//"), "hello");
        assert_eq!(component("/hellox"), "fallback");
    }

    #[test]
    fn most_specific_route_wins() {
        assert_eq!(component("/hello/Ada"), "hello-name");
        assert_eq!(component("/hello/admin"), "admin");
        assert_eq!(component("/hello/Ada/extra"), "fallback");
        assert_eq!(component("/static/special/a/b"), "special");
        assert_eq!(component("/static/special"), "special");
        assert_eq!(component("/static/other"), "static");
        assert_eq!(component("/x/b"), "exact-first");
        assert_eq!(component("/y/b"), "param-first");
        assert_eq!(component("/nowhere/at/all"), "fallback");
    }

    #[test]
    fn captures_parameters_and_path_info() {
        let router = router();
        let hit = router.route("/hello/Ada%20L").unwrap();
        assert_eq!(hit.params, vec![("name".to_owned(), "Ada%20L".to_owned())]);
        assert_eq!(hit.path_info, "");
        let hit = router.route("/static/css/site.css").unwrap();
        assert_eq!(hit.path_info, "/css/site.css");
        assert_eq!(router.route("/static/").unwrap().path_info, "/");
        assert_eq!(router.route("/static/a/").unwrap().path_info, "/a/");
        assert_eq!(
            router.route("/nowhere/at/all").unwrap().path_info,
            "/nowhere/at/all"
        );
        assert_eq!(router.route("/").unwrap().pattern.normalised(), "");
        assert_eq!(hit.pattern.without_wildcard(), "/static");
        assert_eq!(router.route("/static").unwrap().path_info, "");
        assert_eq!(
            router.route("/a/b/c").unwrap().pattern.without_wildcard(),
            ""
        );
    }

    #[test]
    fn nothing_matches_without_a_fallback() {
        let router = Router::new([("/hello/:name", "hello")]).unwrap();
        assert!(router.route("/hello").is_none());
        assert!(router.route("/hello/a/b").is_none());
        assert!(router.route("/").is_none());
    }

    #[test]
    fn duplicates_go_to_the_last_and_ties_to_the_first() {
        let router = Router::new([
            ("/a", "x"),
            ("/a", "y"),
            ("/b/:n", "first"),
            ("/b/:m", "second"),
        ])
        .unwrap();
        assert_eq!(router.route("/a").unwrap().component, "y");
        assert_eq!(router.duplicates(), [("x".into(), "/a".into(), "y".into())]);
        assert_eq!(router.route("/b/1").unwrap().component, "first");
    }

    #[test]
    fn lists_routes_by_precedence() {
        let router = router();
        let order: Vec<&str> = router
            .routes_by_precedence()
            .iter()
            .map(|(p, _)| p.raw())
            .collect();
        assert_eq!(order.first(), Some(&"/"));
        assert_eq!(order.last(), Some(&"/..."));
        let position = |r| order.iter().position(|x| *x == r).unwrap();
        assert!(position("/hello/admin") < position("/hello/:name"));
        assert!(position("/static/special/...") < position("/static/..."));
    }

    #[test]
    fn rejects_bad_routes() {
        assert!(RoutePattern::parse("/.../a").is_err());
        assert!(RoutePattern::parse("/a/:").is_err());
        assert!(RoutePattern::parse("/a/*").is_err());
        assert!(RoutePattern::parse("/:a/:a").is_err());
        assert!(RoutePattern::parse("a").is_err());
    }
}
