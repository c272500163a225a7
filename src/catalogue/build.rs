//! Finds every component folder's `src/route.rs` and writes a module that includes
//! each one, so that adding a route means adding its folder (and its spin.toml
//! entry), never editing a list here.
//!
//! Folders are read in the order the app is read: the original service, the tour
//! (numbered, so in the seed's order), then the plumbing.

use std::fmt::Write;
use std::path::Path;

const GROUPS: [&str; 3] = ["service", "tour", "plumbing"];

fn main() {
    // The paths below are absolute: a target directory shared by two checkouts
    // must not reuse one checkout's list for the other.
    println!("cargo:rerun-if-env-changed=CARGO_MANIFEST_DIR");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let src = Path::new(&manifest_dir).join("..");
    let mut modules = String::new();
    let mut folders = String::new();
    for group in GROUPS {
        let group_dir = src.join(group);
        // A new folder changes the group directory's modification time.
        println!("cargo:rerun-if-changed={}", group_dir.display());
        let mut names: Vec<String> = std::fs::read_dir(&group_dir)
            .unwrap_or_else(|error| panic!("{}: {error}", group_dir.display()))
            .map(|entry| entry.expect("a directory entry").file_name())
            .map(|name| name.into_string().expect("a UTF-8 folder name"))
            .collect();
        names.sort();
        for name in names {
            let file = group_dir.join(&name).join("src").join("route.rs");
            if !file.is_file() {
                panic!(
                    "{} has no src/route.rs: every component declares its routes there",
                    group_dir.join(&name).display()
                );
            }
            println!("cargo:rerun-if-changed={}", file.display());
            let module = format!("{group}_{}", name.replace('-', "_"));
            let path = file.canonicalize().expect("a readable route.rs");
            writeln!(
                modules,
                "#[path = {:?}]\n#[allow(dead_code)] // the component uses what it needs; here only ROUTES\nmod {module};",
                path.display().to_string()
            )
            .unwrap();
            writeln!(
                folders,
                "    Folder {{ path: \"src/{group}/{name}\", routes: {module}::ROUTES }},"
            )
            .unwrap();
        }
    }
    let generated = format!(
        "{modules}\n/// Every component folder, in reading order, with the routes it declares.\npub static FOLDERS: &[Folder] = &[\n{folders}];\n"
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("folders.rs");
    std::fs::write(out, generated).expect("writing folders.rs");
}
