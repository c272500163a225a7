//! Application variables, resolved the way Spin resolves them.
//!
//! Application variables (`[variables]`) take their value from the environment
//! (`SPIN_VARIABLE_<NAME>`, upper-cased) or else from their `default`; a `required`
//! variable with neither stops start-up. A component sees only the variables of its
//! own `[component.<id>.variables]` table, whose values are templates such as
//! `"{{ app_var }}"` or `"https://{{ host }}/v1"`. Templates are also allowed in
//! `allowed_outbound_hosts`. Secret values are never printed.

use crate::manifest::{Manifest, VariableDecl, check_variable_name};
use anyhow::{Result, bail};
use std::collections::BTreeMap;

/// Resolved application variables.
#[derive(Debug, Clone, Default)]
pub struct AppVariables {
    values: BTreeMap<String, String>,
}

/// Where variable values come from besides defaults: `SPIN_VARIABLE_*` by default.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The environment variable that sets application variable `name`.
pub fn env_name(name: &str) -> String {
    format!("SPIN_VARIABLE_{}", name.to_ascii_uppercase())
}

impl AppVariables {
    /// Resolves every declared variable; a required one without a value is an error.
    pub fn resolve(declared: &BTreeMap<String, VariableDecl>, lookup: EnvLookup) -> Result<Self> {
        let mut values = BTreeMap::new();
        let mut missing = Vec::new();
        for (name, decl) in declared {
            match lookup(name).or_else(|| decl.default.clone()) {
                Some(value) => {
                    values.insert(name.clone(), value);
                }
                None if decl.required => missing.push(name.as_str()),
                None => {}
            }
        }
        if !missing.is_empty() {
            let hints: Vec<String> = missing
                .iter()
                .map(|name| format!("'{name}' (set {})", env_name(name)))
                .collect();
            bail!(
                "required application variables have no value: {}",
                hints.join(", ")
            );
        }
        Ok(Self { values })
    }

    /// Renders a template such as `"https://{{ host }}/v1"`.
    pub fn render(&self, template: &str) -> Result<String> {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                bail!("template '{template}' has '{{{{' without a closing '}}}}'");
            };
            let name = after[..end].trim();
            check_variable_name(name)?;
            match self.values.get(name) {
                Some(value) => out.push_str(value),
                None => bail!(
                    "template '{template}' uses variable '{name}', which is not declared in [variables] or has no value"
                ),
            }
            rest = &after[end + 2..];
        }
        if rest.contains("}}") {
            bail!("template '{template}' has '}}}}' without an opening '{{{{'");
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Renders each of a component's `[component.<id>.variables]` templates.
    pub fn for_component(
        &self,
        templates: &BTreeMap<String, String>,
    ) -> Result<ComponentVariables> {
        let mut values = BTreeMap::new();
        for (name, template) in templates {
            values.insert(name.clone(), self.render(template)?);
        }
        Ok(ComponentVariables { values })
    }

    /// Checks every template in the manifest up front, as `spin up` does.
    pub fn check_manifest(&self, manifest: &Manifest) -> Result<()> {
        for (id, component) in &manifest.components {
            for template in component
                .variables
                .values()
                .chain(&component.allowed_outbound_hosts)
            {
                if let Err(error) = self.render(template) {
                    bail!("component '{id}': {error}");
                }
            }
        }
        Ok(())
    }
}

/// The variables one component may read with `spin_sdk::variables::get`.
#[derive(Debug, Clone, Default)]
pub struct ComponentVariables {
    values: BTreeMap<String, String>,
}

/// Why a `variables::get` failed (mirrors `spin:variables/variables.error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GetError {
    InvalidName(String),
    Undefined(String),
}

impl ComponentVariables {
    /// The value of `name`, as the guest asked for it.
    pub fn get(&self, name: &str) -> Result<String, GetError> {
        if check_variable_name(name).is_err() {
            return Err(GetError::InvalidName(format!(
                "invalid variable name '{name}'"
            )));
        }
        self.values
            .get(name)
            .cloned()
            .ok_or_else(|| GetError::Undefined(format!("no variable for '{name}'")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared() -> BTreeMap<String, VariableDecl> {
        let decl = |default: Option<&str>, required| VariableDecl {
            default: default.map(str::to_owned),
            required,
            secret: false,
            description: None,
        };
        BTreeMap::from([
            ("greeting".to_owned(), decl(Some("hello"), false)),
            ("api_key".to_owned(), decl(None, true)),
            ("optional".to_owned(), decl(None, false)),
        ])
    }

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == env_name(name))
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn environment_overrides_defaults() {
        let vars =
            AppVariables::resolve(&declared(), &env(&[("SPIN_VARIABLE_API_KEY", "k")])).unwrap();
        assert_eq!(
            vars.render("{{ greeting }}, {{api_key}}!").unwrap(),
            "hello, k!"
        );
        let vars = AppVariables::resolve(
            &declared(),
            &env(&[
                ("SPIN_VARIABLE_API_KEY", "k"),
                ("SPIN_VARIABLE_GREETING", "hej"),
            ]),
        )
        .unwrap();
        assert_eq!(vars.render("{{ greeting }}").unwrap(), "hej");
    }

    #[test]
    fn missing_required_variable_names_its_env_var() {
        let error = AppVariables::resolve(&declared(), &env(&[]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("SPIN_VARIABLE_API_KEY"), "{error}");
    }

    #[test]
    fn templates_fail_on_unknown_or_unset_variables() {
        let vars =
            AppVariables::resolve(&declared(), &env(&[("SPIN_VARIABLE_API_KEY", "k")])).unwrap();
        assert!(vars.render("{{ nope }}").is_err());
        assert!(vars.render("{{ optional }}").is_err());
        assert!(vars.render("{{ greeting").is_err());
        assert!(vars.render("greeting }}").is_err());
        assert_eq!(vars.render("plain").unwrap(), "plain");
    }

    #[test]
    fn components_see_only_their_own_variables() {
        let vars =
            AppVariables::resolve(&declared(), &env(&[("SPIN_VARIABLE_API_KEY", "k")])).unwrap();
        let component = vars
            .for_component(&BTreeMap::from([(
                "message".to_owned(),
                "{{ greeting }} world".to_owned(),
            )]))
            .unwrap();
        assert_eq!(component.get("message").unwrap(), "hello world");
        assert!(matches!(
            component.get("greeting"),
            Err(GetError::Undefined(_))
        ));
        assert!(matches!(
            component.get("Bad-Name"),
            Err(GetError::InvalidName(_))
        ));
    }
}
