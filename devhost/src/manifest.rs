//! `spin.toml` (manifest version 2): the parts `spin up` needs to serve HTTP.
//!
//! Fields Spin knows but devhost does not use (files, key-value stores, ...) are
//! accepted and ignored; unknown fields are rejected, as Spin rejects them, so a typo
//! fails here the same way it would under `spin up`.

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A parsed and checked manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The application name (`[application] name`).
    pub name: String,
    /// The application version (`[application] version`), when given.
    pub version: Option<String>,
    /// The directory the manifest is in: relative paths start here.
    pub dir: PathBuf,
    /// Application variables (`[variables]`).
    pub variables: BTreeMap<String, VariableDecl>,
    /// HTTP triggers, in manifest order.
    pub triggers: Vec<HttpTrigger>,
    /// Components by id.
    pub components: BTreeMap<String, ComponentDecl>,
}

/// One `[variables]` entry.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VariableDecl {
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub description: Option<String>,
}

/// One `[[trigger.http]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpTrigger {
    /// `Some(route)` for a public route, `None` for `route = { private = true }`.
    pub route: Option<String>,
    /// The component it invokes.
    pub component: String,
}

/// One `[component.<id>]` entry.
#[derive(Debug, Clone)]
pub struct ComponentDecl {
    /// The `.wasm` file, resolved against the manifest directory.
    pub source: PathBuf,
    /// `allowed_outbound_hosts`, unexpanded (they may hold `{{ variable }}`).
    pub allowed_outbound_hosts: Vec<String>,
    /// `[component.<id>.variables]`: name -> template.
    pub variables: BTreeMap<String, String>,
    /// `environment`: set in the component's WASI environment.
    pub environment: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    spin_manifest_version: toml::Value,
    application: RawApplication,
    #[serde(default)]
    variables: BTreeMap<String, VariableDecl>,
    #[serde(default)]
    trigger: BTreeMap<String, Vec<toml::Table>>,
    #[serde(default)]
    component: BTreeMap<String, RawComponent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplication {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    trigger: Option<toml::Table>,
    #[serde(default)]
    targets: Option<toml::Value>,
    #[serde(default)]
    tool: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttpTrigger {
    #[serde(default)]
    id: Option<String>,
    route: RawRoute,
    component: toml::Value,
    #[serde(default)]
    executor: Option<toml::Value>,
    #[serde(default)]
    static_response: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawRoute {
    Path(String),
    Private { private: bool },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    source: toml::Value,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    allowed_outbound_hosts: Vec<String>,
    #[serde(default)]
    allowed_http_hosts: Option<toml::Value>,
    #[serde(default)]
    variables: BTreeMap<String, String>,
    #[serde(default)]
    environment: BTreeMap<String, String>,
    #[serde(default)]
    files: Option<toml::Value>,
    #[serde(default)]
    exclude_files: Option<toml::Value>,
    #[serde(default)]
    key_value_stores: Option<toml::Value>,
    #[serde(default)]
    sqlite_databases: Option<toml::Value>,
    #[serde(default)]
    ai_models: Option<toml::Value>,
    #[serde(default)]
    targets: Option<toml::Value>,
    #[serde(default)]
    dependencies_inherit_configuration: Option<toml::Value>,
    #[serde(default)]
    dependencies: Option<toml::Value>,
    #[serde(default)]
    build: Option<RawBuild>,
    #[serde(default)]
    tool: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    command: toml::Value,
    #[serde(default)]
    workdir: Option<String>,
    #[serde(default)]
    watch: Vec<String>,
    #[serde(default)]
    environment: Option<toml::Value>,
}

impl Manifest {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the manifest {}", path.display()))?;
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Self::parse(&text, &dir).with_context(|| format!("invalid manifest {}", path.display()))
    }

    /// Parses manifest text; relative paths are resolved against `dir`.
    pub fn parse(text: &str, dir: &Path) -> Result<Self> {
        let raw: RawManifest = toml::from_str(text)?;
        if raw.spin_manifest_version.as_integer() != Some(2) {
            bail!(
                "spin_manifest_version must be 2 (found {}); devhost, like Spin 4, reads version 2 manifests",
                raw.spin_manifest_version
            );
        }
        let _ = (
            raw.application.authors,
            raw.application.description,
            raw.application.trigger,
            raw.application.targets,
            raw.application.tool,
        );
        for (name, decl) in &raw.variables {
            check_variable_name(name)?;
            if decl.required == decl.default.is_some() {
                bail!("variable '{name}' must be `required` OR have a `default`");
            }
        }

        let mut components = BTreeMap::new();
        for (id, raw_component) in raw.component {
            check_component_id(&id)?;
            let component = ComponentDecl::from_raw(&id, raw_component, dir)?;
            components.insert(id, component);
        }

        let mut triggers = Vec::new();
        for (kind, entries) in raw.trigger {
            if kind != "http" {
                bail!("trigger type '{kind}' is not supported by devhost (only http)");
            }
            for entry in entries {
                triggers.push(HttpTrigger::from_raw(entry, &components)?);
            }
        }
        if triggers.is_empty() {
            bail!("the manifest has no [[trigger.http]] entries: nothing to serve");
        }

        Ok(Self {
            name: raw.application.name,
            version: raw.application.version,
            dir: dir.to_path_buf(),
            variables: raw.variables,
            triggers,
            components,
        })
    }
}

impl HttpTrigger {
    fn from_raw(entry: toml::Table, components: &BTreeMap<String, ComponentDecl>) -> Result<Self> {
        let raw: RawHttpTrigger = toml::Value::Table(entry)
            .try_into()
            .context("invalid [[trigger.http]] entry")?;
        let _ = (raw.id, raw.static_response);
        if let Some(executor) = raw.executor {
            let kind = executor.get("type").and_then(toml::Value::as_str);
            if kind != Some("spin") {
                bail!(
                    "executor {executor} is not supported by devhost (only the default spin executor)"
                );
            }
        }
        let component = match raw.component {
            toml::Value::String(id) => id,
            other => bail!(
                "inline components ({other}) are not supported by devhost; declare [component.<id>] and refer to it by id"
            ),
        };
        if !components.contains_key(&component) {
            bail!("[[trigger.http]] refers to component '{component}', which is not declared");
        }
        let route = match raw.route {
            RawRoute::Path(route) => {
                if !route.starts_with('/') {
                    bail!("route '{route}' must start with '/'");
                }
                Some(route)
            }
            RawRoute::Private { private: true } => None,
            RawRoute::Private { private: false } => {
                bail!("route = {{ private = false }} is not valid; give a path instead")
            }
        };
        Ok(Self { route, component })
    }
}

impl ComponentDecl {
    fn from_raw(id: &str, raw: RawComponent, dir: &Path) -> Result<Self> {
        let source = match &raw.source {
            toml::Value::String(path) => dir.join(path),
            other => bail!(
                "component '{id}': source {other} is not supported by devhost; use a local .wasm path"
            ),
        };
        if raw.allowed_http_hosts.is_some() {
            bail!(
                "component '{id}': allowed_http_hosts is not valid in manifest version 2; use allowed_outbound_hosts"
            );
        }
        if let Some(build) = &raw.build {
            let _ = (
                &build.command,
                &build.workdir,
                &build.watch,
                &build.environment,
            );
        }
        let _ = (
            raw.description,
            raw.files,
            raw.exclude_files,
            raw.key_value_stores,
            raw.sqlite_databases,
            raw.ai_models,
            raw.targets,
            raw.dependencies_inherit_configuration,
            raw.dependencies,
            raw.tool,
        );
        for name in raw.variables.keys() {
            check_variable_name(name).with_context(|| format!("component '{id}'"))?;
        }
        Ok(Self {
            source,
            allowed_outbound_hosts: raw.allowed_outbound_hosts,
            variables: raw.variables,
            environment: raw.environment,
        })
    }
}

/// Spin's component ids are kebab-case words: lower-case letters and digits, joined
/// by single hyphens, each word starting with a letter.
fn check_component_id(id: &str) -> Result<()> {
    let valid = !id.is_empty()
        && id.split('-').all(|word| {
            word.starts_with(|c: char| c.is_ascii_lowercase())
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if valid {
        Ok(())
    } else {
        Err(anyhow!(
            "component id '{id}' is not kebab-case (lower-case words of letters and digits joined by '-')"
        ))
    }
}

/// Variable names: lower-case letters, digits and underscores, starting with a
/// letter, no double or trailing underscore (they map to `SPIN_VARIABLE_<NAME>`).
pub fn check_variable_name(name: &str) -> Result<()> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.contains("__")
        && !name.ends_with('_');
    if valid {
        Ok(())
    } else {
        Err(anyhow!(
            "variable name '{name}' is invalid: use lower-case letters, digits and single underscores, starting with a letter"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
spin_manifest_version = 2

[application]
name = "demo"
version = "0.1.0"

[variables]
greeting = { default = "hi" }
api_key = { required = true, secret = true }

[[trigger.http]]
route = "/hello/..."
component = "hello"

[[trigger.http]]
route = { private = true }
component = "hello"

[component.hello]
source = "target/hello.wasm"
allowed_outbound_hosts = ["http://self"]
variables = { message = "{{ greeting }}" }
[component.hello.build]
command = "cargo build"
watch = ["src/**/*.rs"]
"#;

    #[test]
    fn parses_a_manifest() {
        let manifest = Manifest::parse(GOOD, Path::new("/app")).unwrap();
        assert_eq!(manifest.name, "demo");
        assert_eq!(manifest.triggers.len(), 2);
        assert_eq!(manifest.triggers[0].route.as_deref(), Some("/hello/..."));
        assert_eq!(manifest.triggers[1].route, None);
        let hello = &manifest.components["hello"];
        assert_eq!(hello.source, Path::new("/app/target/hello.wasm"));
        assert_eq!(hello.variables["message"], "{{ greeting }}");
        assert!(manifest.variables["api_key"].required);
    }

    #[test]
    fn rejects_what_spin_rejects() {
        let cases = [
            (
                GOOD.replace("spin_manifest_version = 2", "spin_manifest_version = 1"),
                "must be 2",
            ),
            (
                GOOD.replace("component = \"hello\"\n\n[[", "component = \"nope\"\n\n[["),
                "not declared",
            ),
            (GOOD.replace("hello", "Hello_World"), "kebab-case"),
            (
                GOOD.replace("{ default = \"hi\" }", "{ secret = true }"),
                "required` OR have a `default`",
            ),
            (
                GOOD.replace("allowed_outbound_hosts", "allowed_outbund_hosts"),
                "unknown field",
            ),
            (
                GOOD.replace("route = \"/hello/...\"", "route = \"hello\""),
                "must start with '/'",
            ),
            (GOOD.replace("greeting = {", "Greeting = {"), "invalid"),
        ];
        for (text, expected) in cases {
            let error = format!("{:#}", Manifest::parse(&text, Path::new("/")).unwrap_err());
            assert!(
                error.contains(expected),
                "expected '{expected}' in: {error}"
            );
        }
        assert!(Manifest::parse("not toml [", Path::new("/")).is_err());
    }

    #[test]
    fn checks_names() {
        assert!(check_component_id("cpu-worker2").is_ok());
        assert!(check_component_id("2fast").is_err());
        assert!(check_component_id("a--b").is_err());
        assert!(check_variable_name("llm_api_key").is_ok());
        assert!(check_variable_name("a__b").is_err());
        assert!(check_variable_name("_a").is_err());
    }
}
