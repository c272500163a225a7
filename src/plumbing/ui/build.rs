//! Gathers the lessons into `lessons.json`, which the page reads: for every
//! component folder that holds a `lesson.py`, its route, its explanation in English
//! and in Chinese (`lesson.en.md`, `lesson.zh.md`) and the complete asyncio program.
//! With them, the Python harness every program imports and the list of deliberate
//! differences between the programs and the components (shown under a Python run).
//! The folders come from the catalogue, in reading order (the tour, in the seed's
//! order, then the original service), so adding a lesson means adding its files.

use serde_json::{Value, json};
use std::path::Path;

const LANGUAGES: [&str; 2] = ["en", "zh"];

fn main() {
    println!("cargo:rerun-if-env-changed=CARGO_MANIFEST_DIR");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let repo = Path::new(&manifest_dir).join("../../..");
    let mut folders: Vec<_> = catalogue::FOLDERS.iter().collect();
    // The tour first: it is what the page is for; the service's own report after it.
    folders.sort_by_key(|folder| !folder.path.starts_with("src/tour/"));
    let mut lessons = Vec::new();
    for folder in folders {
        let dir = repo.join(folder.path);
        println!("cargo:rerun-if-changed={}", dir.display());
        let program = dir.join("lesson.py");
        if !program.is_file() {
            continue;
        }
        let route = folder.routes[0].route;
        let mut texts = serde_json::Map::new();
        let mut titles = serde_json::Map::new();
        for language in LANGUAGES {
            let text = read(&dir.join(format!("lesson.{language}.md")));
            let title = text
                .lines()
                .next()
                .and_then(|line| line.strip_prefix("# "))
                .unwrap_or_else(|| {
                    panic!(
                        "{}/lesson.{language}.md must start with '# Title'",
                        folder.path
                    )
                });
            titles.insert(language.to_owned(), json!(title));
            texts.insert(language.to_owned(), json!(text));
        }
        lessons.push(json!({
            "idea": route.rsplit('/').next().expect("a route has a last segment"),
            "route": route,
            "folder": folder.path,
            "title": Value::Object(titles),
            "text": Value::Object(texts),
            "python": read(&program),
        }));
    }
    let harness = repo.join("src/common/python/tour.py");
    let differences: Value =
        serde_json::from_str(&read(&repo.join("src/common/python/differences.json")))
            .expect("src/common/python/differences.json is JSON");
    let document = json!({
        "lessons": lessons,
        "harness": read(&harness),
        "differences": differences["differences"],
    });
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("lessons.json");
    std::fs::write(out, document.to_string()).expect("writing lessons.json");
}

fn read(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
