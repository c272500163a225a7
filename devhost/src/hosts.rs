//! `allowed_outbound_hosts`: which outbound requests a component may make.
//!
//! Entries are `scheme://host[:port]`, as Spin parses them: the scheme may be `*`;
//! the host may be `*`, `*.example.com` (subdomains only), a name or an IP, or
//! `self` / `self.alt` (this app, reached with a request to `http://self.alt/...`);
//! the port may be omitted (the scheme's default), `*`, `N` or `A..B` (end excluded).
//! `http://*.spin.internal` stands for every component of the app (service chaining).

use anyhow::{Result, bail};
use std::ops::Range;

/// The host that marks a self request (`http://self.alt/path`).
pub const SELF_HOST: &str = "self.alt";
/// The domain that marks service chaining (`http://<component>.spin.internal/path`).
pub const CHAINING_DOMAIN: &str = ".spin.internal";

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostRule {
    Any,
    ToSelf,
    Subdomains(String),
    Exact(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    scheme: Option<String>,
    host: HostRule,
    ports: Option<Range<u32>>,
}

/// A component's parsed `allowed_outbound_hosts`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedHosts {
    rules: Vec<Rule>,
}

/// Where an outbound request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        "postgres" => Some(5432),
        "mysql" => Some(3306),
        "redis" => Some(6379),
        "mqtt" => Some(1883),
        _ => None,
    }
}

impl AllowedHosts {
    /// Parses rendered entries (templates already expanded). `component_ids` expands
    /// `*.spin.internal` into one host per component, as Spin does. An entry that
    /// rendered to nothing (`""`, `http://`) is skipped: an optional endpoint.
    pub fn parse(entries: &[String], component_ids: &[&str]) -> Result<Self> {
        let mut rules = Vec::new();
        for entry in entries {
            if matches!(entry.as_str(), "" | "http://" | "https://") {
                continue;
            }
            let rule = parse_rule(entry)?;
            match &rule.host {
                HostRule::Subdomains(suffix) if suffix == CHAINING_DOMAIN => {
                    for id in component_ids {
                        rules.push(Rule {
                            host: HostRule::Exact(format!("{id}{CHAINING_DOMAIN}")),
                            ..rule.clone()
                        });
                    }
                }
                _ => rules.push(rule),
            }
        }
        Ok(Self { rules })
    }

    /// May the component send a request to `destination`?
    pub fn allows(&self, destination: &Destination) -> bool {
        let Some(port) = destination
            .port
            .or_else(|| default_port(&destination.scheme))
        else {
            return false;
        };
        let host = destination.host.to_ascii_lowercase();
        self.rules.iter().any(|rule| {
            rule.scheme
                .as_ref()
                .is_none_or(|s| *s == destination.scheme)
                && rule
                    .ports
                    .as_ref()
                    .is_none_or(|ports| ports.contains(&u32::from(port)))
                && match &rule.host {
                    HostRule::Any => true,
                    HostRule::ToSelf => false,
                    HostRule::Subdomains(suffix) => {
                        host.ends_with(suffix.as_str()) && host.parse::<std::net::IpAddr>().is_err()
                    }
                    HostRule::Exact(exact) => *exact == host,
                }
        })
    }

    /// May the component make a self request (`http://self.alt/...`)? As in Spin,
    /// any http or https rule for `self` (or for any host) allows it, whatever its port.
    pub fn allows_self(&self) -> bool {
        self.rules.iter().any(|rule| {
            rule.scheme
                .as_deref()
                .is_none_or(|scheme| scheme == "http" || scheme == "https")
                && matches!(rule.host, HostRule::Any | HostRule::ToSelf)
        })
    }
}

fn parse_rule(entry: &str) -> Result<Rule> {
    if entry == "insecure:allow-all" {
        bail!("'insecure:allow-all' is not allowed: use '*://*:*' instead");
    }
    let Some((scheme, rest)) = entry.split_once("://") else {
        bail!(
            "allowed_outbound_hosts entry '{entry}' does not contain a scheme (e.g., 'http://' or '*://')"
        );
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains('/') {
        bail!("allowed_outbound_hosts entry '{entry}' must not include a path");
    }
    let scheme = match scheme {
        "*" => None,
        s if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()) => {
            Some(s.to_ascii_lowercase())
        }
        s => bail!("allowed_outbound_hosts entry '{entry}': '{s}' is not a valid scheme"),
    };
    let (host, port) = split_host_port(rest);
    let host = match host.to_ascii_lowercase().as_str() {
        "" => bail!("allowed_outbound_hosts entry '{entry}' has no host"),
        "*" => HostRule::Any,
        "self" | SELF_HOST => HostRule::ToSelf,
        h if h.starts_with("*.") && !h[2..].contains('*') => {
            HostRule::Subdomains(h[1..].to_owned())
        }
        h if h.contains('*') => bail!(
            "allowed_outbound_hosts entry '{entry}': '*' may only be the whole host or its first label"
        ),
        h if h.contains('{') => {
            bail!("allowed_outbound_hosts entry '{entry}': host lists are not supported")
        }
        h => HostRule::Exact(h.to_owned()),
    };
    let ports = match port {
        None => match scheme.as_deref().and_then(default_port) {
            Some(port) => Some(u32::from(port)..u32::from(port) + 1),
            None => bail!(
                "allowed_outbound_hosts entry '{entry}': no port was given and the scheme '{}' has no default port",
                scheme.as_deref().unwrap_or("*")
            ),
        },
        Some("*") => None,
        Some(port) => Some(parse_ports(entry, port)?),
    };
    Ok(Rule {
        scheme,
        host,
        ports,
    })
}

fn split_host_port(rest: &str) -> (&str, Option<&str>) {
    if let Some(bracketed) = rest.strip_prefix('[') {
        // An IPv6 literal: [::1]:8080
        if let Some((host, after)) = bracketed.split_once(']') {
            return (host, after.strip_prefix(':'));
        }
    }
    match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    }
}

fn parse_ports(entry: &str, port: &str) -> Result<Range<u32>> {
    let number = |text: &str| -> Result<u32> {
        match text.parse::<u16>() {
            Ok(n) => Ok(u32::from(n)),
            Err(_) => {
                bail!("allowed_outbound_hosts entry '{entry}': '{text}' is not a port number")
            }
        }
    };
    match port.split_once("..") {
        Some((start, end)) => Ok(number(start)?..number(end)?),
        None => {
            let port = number(port)?;
            Ok(port..port + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(entries: &[&str]) -> AllowedHosts {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        AllowedHosts::parse(&entries, &["hello", "upstream"]).unwrap()
    }

    fn to(url: &str) -> Destination {
        let uri: http::Uri = url.parse().unwrap();
        Destination {
            scheme: uri.scheme_str().unwrap().to_owned(),
            host: uri.host().unwrap().trim_matches(['[', ']']).to_owned(),
            port: uri.port_u16(),
        }
    }

    #[test]
    fn exact_hosts_and_default_ports() {
        let allowed = hosts(&["https://api.example.com", "http://localhost:8080"]);
        assert!(allowed.allows(&to("https://api.example.com/v1")));
        assert!(allowed.allows(&to("https://API.example.com:443/")));
        assert!(!allowed.allows(&to("http://api.example.com/")));
        assert!(!allowed.allows(&to("https://api.example.com:8443/")));
        assert!(allowed.allows(&to("http://localhost:8080/x")));
        assert!(!allowed.allows(&to("http://localhost/x")));
        assert!(!allowed.allows(&to("https://evil.com/")));
    }

    #[test]
    fn wildcards_and_port_ranges() {
        let allowed = hosts(&["*://*.example.com:*", "http://127.0.0.1:8000..8002"]);
        assert!(allowed.allows(&to("ftp://a.example.com:21/")));
        assert!(allowed.allows(&to("https://a.b.example.com/")));
        assert!(!allowed.allows(&to("https://example.com/")));
        assert!(allowed.allows(&to("http://127.0.0.1:8001/")));
        assert!(!allowed.allows(&to("http://127.0.0.1:8002/")));
        assert!(hosts(&["*://*:*"]).allows(&to("http://anything:1/")));
    }

    #[test]
    fn self_and_service_chaining() {
        let allowed = hosts(&["http://self"]);
        assert!(allowed.allows_self());
        assert!(
            !allowed.allows(&to("http://self/x")),
            "only self.alt is a self request"
        );
        assert!(!hosts(&["https://example.com"]).allows_self());
        assert!(hosts(&["*://*:*"]).allows_self());

        let chaining = hosts(&["http://*.spin.internal"]);
        assert!(chaining.allows(&to("http://upstream.spin.internal/upstream")));
        assert!(!chaining.allows(&to("http://other.spin.internal/")));
        assert!(!chaining.allows_self());
        assert!(
            hosts(&["http://upstream.spin.internal"]).allows(&to("http://upstream.spin.internal/"))
        );
    }

    #[test]
    fn skips_empty_entries_and_rejects_malformed_ones() {
        assert_eq!(hosts(&["", "http://"]), AllowedHosts::default());
        for bad in [
            "example.com",
            "insecure:allow-all",
            "*://example.com",
            "http://a.com/path",
            "http://a*b.com",
            "http://a.com:x",
            "1x://a",
        ] {
            assert!(
                AllowedHosts::parse(&[bad.to_string()], &[]).is_err(),
                "{bad}"
            );
        }
    }
}
