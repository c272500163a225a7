//! Gathers the lessons into `lessons.json`, which the page reads: for every
//! component folder that holds a `lesson.py`, its route, its explanation in English
//! and in Chinese (`lesson.en.md`, `lesson.zh.md`) and the complete asyncio program.
//! With them, the Python harness every program imports and the list of deliberate
//! differences between the programs and the components (shown under a Python run).
//! The folders come from the catalogue, in reading order (the tour, in the seed's
//! order, then the original service), so adding a lesson means adding its files.
//!
//! The glossary is made from the lessons too: each text ends with a section (`## Terms`,
//! `## 术语`) of lines "- `asyncio name` → `Rust counterpart`: meaning." (`none` or
//! `无` where there is none). The two languages list the same pairs in the same
//! order; a lesson that breaks that stops the build.
//!
//! It also writes the table of the files the component serves (`assets.rs`): one
//! entry per file under `assets/` (its path under /ui, its content type by extension,
//! its text by `include_str!`) and `lessons.json`. A file whose extension has no
//! content type here stops the build, so nothing is served as the wrong type.

use serde_json::{Value, json};
use std::path::Path;

const LANGUAGES: [&str; 2] = ["en", "zh"];
/// The heading of a lesson's glossary section, per language.
const TERMS_HEADING: [&str; 2] = ["## Terms", "## 术语"];
/// What a term's Rust side says when there is no counterpart, per language.
const NO_COUNTERPART: [&str; 2] = ["none", "无"];

fn main() {
    println!("cargo:rerun-if-env-changed=CARGO_MANIFEST_DIR");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let repo = Path::new(&manifest_dir).join("../../..");
    let mut folders: Vec<_> = catalogue::FOLDERS.iter().collect();
    // The tour first: it is what the page is for; the service's own report after it.
    folders.sort_by_key(|folder| !folder.path.starts_with("src/tour/"));
    let mut lessons = Vec::new();
    let mut glossary = Vec::new();
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
        let mut terms: Vec<Vec<Term>> = Vec::new();
        for (n, language) in LANGUAGES.into_iter().enumerate() {
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
            terms.push(
                terms_of(&text, n)
                    .unwrap_or_else(|why| panic!("{}/lesson.{language}.md: {why}", folder.path)),
            );
            texts.insert(language.to_owned(), json!(text));
        }
        let idea = route
            .rsplit('/')
            .next()
            .expect("a route has a last segment");
        let (en, zh) = (&terms[0], &terms[1]);
        let pairs = |terms: &[Term]| -> Vec<(String, Option<String>)> {
            terms
                .iter()
                .map(|t| (t.asyncio.clone(), t.rust.clone()))
                .collect()
        };
        if pairs(en) != pairs(zh) {
            panic!(
                "{}: lesson.en.md and lesson.zh.md must list the same terms in the same order: {:?} against {:?}",
                folder.path,
                pairs(en),
                pairs(zh)
            );
        }
        for (en, zh) in en.iter().zip(zh) {
            glossary.push(json!({
                "asyncio": en.asyncio,
                "rust": en.rust,
                "meaning": { "en": en.meaning, "zh": zh.meaning },
                "idea": idea,
                "title": Value::Object(titles.clone()),
            }));
        }
        lessons.push(json!({
            "idea": idea,
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
        "glossary": glossary,
    });
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out_dir).join("lessons.json");
    std::fs::write(&out, document.to_string()).expect("writing lessons.json");
    write_assets(
        &Path::new(&manifest_dir).join("assets"),
        &out,
        &Path::new(&out_dir).join("assets.rs"),
    );
}

/// The content type a served file gets, by its extension; `None`: not one to serve.
fn content_type(name: &str) -> Option<&'static str> {
    let (_, extension) = name.rsplit_once('.')?;
    Some(match extension {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// Writes `table`: `ASSETS`, one `(path, content type, text)` per file under `dir`
/// and `/lessons.json` from `lessons`, sorted by path; a file name starting with `.`
/// or ending in `~` is an editor's and left out.
fn write_assets(dir: &Path, lessons: &Path, table: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    collect(dir, "", &mut files);
    files.push(("/lessons.json".to_owned(), lessons.to_path_buf()));
    files.sort();
    for pair in files.windows(2) {
        assert!(pair[0].0 != pair[1].0, "{} is served twice", pair[0].0);
    }
    let mut rust = String::from(
        "/// Every file the playground serves: its path under /ui, its content type, its text.\n\
         pub const ASSETS: &[(&str, &str, &str)] = &[\n",
    );
    for (path, file) in &files {
        let kind = content_type(path).unwrap_or_else(|| {
            panic!(
                "{}: no content type for this extension (src/plumbing/ui/build.rs, content_type)",
                file.display()
            )
        });
        let file = file
            .to_str()
            .unwrap_or_else(|| panic!("{}: not a UTF-8 path", file.display()));
        rust.push_str(&format!(
            "    ({path:?}, {kind:?}, include_str!({file:?})),\n"
        ));
    }
    rust.push_str("];\n");
    std::fs::write(table, rust).expect("writing assets.rs");
}

/// Every file under `dir`, as (its path under /ui, e.g. `/app.js`, its file).
fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, std::path::PathBuf)>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        let name = entry
            .file_name()
            .into_string()
            .unwrap_or_else(|name| panic!("{}: {name:?} is not a UTF-8 name", dir.display()));
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let path = entry.path();
        let served = format!("{prefix}/{name}");
        if path.is_dir() {
            collect(&path, &served, files);
        } else {
            files.push((served, path));
        }
    }
}

fn read(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// One line of a lesson's glossary section.
struct Term {
    asyncio: String,
    /// `None`: no counterpart.
    rust: Option<String>,
    meaning: String,
}

/// The terms of `text`'s glossary section (language `n` of [`LANGUAGES`]).
fn terms_of(text: &str, n: usize) -> Result<Vec<Term>, String> {
    let heading = TERMS_HEADING[n];
    let start = text
        .lines()
        .position(|line| line.trim() == heading)
        .ok_or_else(|| format!("no `{heading}` section (the glossary is made from it)"))?;
    let mut terms = Vec::new();
    for line in text.lines().skip(start + 1) {
        let line = line.trim();
        if line.starts_with("## ") {
            return Err(format!("`{heading}` must be the last section"));
        }
        if line.is_empty() {
            continue;
        }
        terms.push(term_of(line, NO_COUNTERPART[n]).map_err(|why| format!("{why}: {line}"))?);
    }
    if terms.is_empty() {
        return Err(format!("`{heading}` lists no terms"));
    }
    Ok(terms)
}

/// "- `asyncio` → `rust`: meaning." (or "→ none: ..."); code spans are read
/// first, so a colon inside one is part of the name.
fn term_of(line: &str, none: &str) -> Result<Term, String> {
    let rest = line
        .strip_prefix("- `")
        .ok_or("a term is a list item starting with `code`")?;
    let (asyncio, rest) = rest.split_once('`').ok_or("an unclosed `code`")?;
    let rest = rest
        .strip_prefix(" → ")
        .ok_or("the asyncio name must be followed by \" → \"")?;
    let (rust, rest) = match rest.strip_prefix('`') {
        Some(code) => {
            let (rust, rest) = code.split_once('`').ok_or("an unclosed `code`")?;
            (Some(rust.to_owned()), rest)
        }
        None => (
            None,
            rest.strip_prefix(none)
                .ok_or_else(|| format!("the Rust side must be `code` or {none}"))?,
        ),
    };
    let meaning = rest
        .strip_prefix(": ")
        .or_else(|| rest.strip_prefix('：'))
        .ok_or("the Rust side must be followed by \": \" and the meaning")?
        .trim();
    if meaning.is_empty() {
        return Err("a term needs its meaning".to_owned());
    }
    Ok(Term {
        asyncio: asyncio.to_owned(),
        rust,
        meaning: meaning.to_owned(),
    })
}
