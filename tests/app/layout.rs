//! The layout agrees with itself: every component crate under src/ is served by
//! spin.toml and built by its build command, every component in spin.toml comes
//! from a crate there, and the tour's folders read in order, each on
//! `/demo/<name>`. Adding a route means touching its own folder and spin.toml.

use integration_tests::repo_root;
use std::collections::BTreeMap;

/// `name = "..."` of a Cargo.toml's [package].
pub(crate) fn package_name(manifest: &str) -> String {
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = \""))
        .map(|rest| rest.trim_end_matches('"').to_owned())
        .expect("a package name")
}

/// Every component crate: package name -> its folder, relative to the repo root.
pub(crate) fn component_crates() -> BTreeMap<String, String> {
    let mut crates = BTreeMap::new();
    for group in ["service", "tour", "plumbing"] {
        let dir = repo_root().join("src").join(group);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let manifest = std::fs::read_to_string(path.join("Cargo.toml")).unwrap();
            assert!(
                manifest.contains("crate-type = [\"cdylib\"]"),
                "{path:?} is not a component"
            );
            let folder = format!(
                "src/{group}/{}",
                path.file_name().unwrap().to_str().unwrap()
            );
            crates.insert(package_name(&manifest), folder);
        }
    }
    crates
}

/// spin.toml's components: id -> (wasm file stem, the package its build command builds).
pub(crate) fn manifest_components() -> BTreeMap<String, (String, String)> {
    let manifest = std::fs::read_to_string(repo_root().join("spin.toml")).unwrap();
    let mut components = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut source = String::new();
    for line in manifest.lines() {
        if let Some(id) = line
            .strip_prefix("[component.")
            .and_then(|rest| rest.strip_suffix(']'))
            .filter(|id| !id.contains('.'))
        {
            current = Some(id.to_owned());
        } else if let Some(path) = line.strip_prefix("source = \"target/wasm32-wasip2/release/") {
            source = path
                .trim_end_matches("\"")
                .trim_end_matches(".wasm")
                .to_owned();
        } else if let (Some(id), Some(command)) = (&current, line.strip_prefix("command = \"")) {
            let package = command
                .split(" -p ")
                .nth(1)
                .map(|rest| rest.trim_end_matches('"').to_owned())
                .unwrap_or_else(|| panic!("{id}: its build command names no package"));
            components.insert(id.clone(), (source.clone(), package));
        }
    }
    components
}

#[test]
fn spin_toml_and_the_component_crates_agree() {
    let crates = component_crates();
    let components = manifest_components();
    let built: Vec<&String> = components.values().map(|(_, package)| package).collect();
    for (package, folder) in &crates {
        assert!(
            built.contains(&package),
            "{folder} ({package}) is not built by any component of spin.toml"
        );
    }
    for (id, (wasm, package)) in &components {
        assert!(
            crates.contains_key(package),
            "component {id} builds {package}, which is no crate under src/"
        );
        assert_eq!(
            wasm,
            &package.replace('-', "_"),
            "component {id}: its source is not the .wasm its build command makes"
        );
    }
}

#[test]
fn the_tour_reads_in_order_and_each_lesson_has_its_route() {
    let manifest = std::fs::read_to_string(repo_root().join("spin.toml")).unwrap();
    let mut lessons: Vec<String> = component_crates()
        .into_values()
        .filter_map(|folder| folder.strip_prefix("src/tour/").map(str::to_owned))
        .collect();
    lessons.sort();
    assert!(!lessons.is_empty());
    for (index, lesson) in lessons.iter().enumerate() {
        let (number, name) = lesson.split_once('-').expect("NN-name");
        assert_eq!(number, format!("{:02}", index + 1), "{lessons:?}");
        assert!(
            manifest.contains(&format!("route = \"/demo/{name}\"")),
            "src/tour/{lesson} has no /demo/{name} route"
        );
    }
}
