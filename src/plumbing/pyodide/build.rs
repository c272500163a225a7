//! Fetches Pyodide from npm at the pinned version (`npm pack`, into this build's
//! OUT_DIR, once) and writes the table of the files the browser needs, each
//! embedded with `include_bytes!`. Nothing of Pyodide is in the repository.

use std::path::Path;
use std::process::Command;

/// The pinned version: the playground and the oracle (tests/oracle) use the same.
const VERSION: &str = "314.0.7";
/// What `loadPyodide` fetches, with its content type.
const FILES: [(&str, &str); 5] = [
    ("pyodide.mjs", "text/javascript; charset=utf-8"),
    ("pyodide.asm.mjs", "text/javascript; charset=utf-8"),
    ("pyodide.asm.wasm", "application/wasm"),
    ("python_stdlib.zip", "application/zip"),
    ("pyodide-lock.json", "application/json"),
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out);
    let package = out.join(format!("pyodide-{VERSION}"));
    if !package.join("package").join(FILES[0].0).is_file() {
        std::fs::create_dir_all(&package).expect("creating the Pyodide directory");
        let spec = format!("pyodide@{VERSION}");
        run(
            Command::new("npm")
                .args(["pack", &spec, "--silent"])
                .current_dir(&package),
            "npm pack",
        );
        let tarball = format!("pyodide-{VERSION}.tgz");
        run(
            Command::new("tar")
                .args(["xzf", &tarball])
                .current_dir(&package),
            "tar",
        );
    }
    let mut table = String::from(
        "/// Pyodide's files: name, content type, bytes.\npub static FILES: &[(&str, &str, &[u8])] = &[\n",
    );
    for (name, content_type) in FILES {
        let file = package.join("package").join(name);
        assert!(
            file.is_file(),
            "{} is missing from the Pyodide package",
            file.display()
        );
        table += &format!(
            "    ({name:?}, {content_type:?}, include_bytes!({:?})),\n",
            file.display().to_string()
        );
    }
    table += "];\n";
    table += &format!("/// The Pyodide version served.\npub const VERSION: &str = {VERSION:?};\n");
    std::fs::write(out.join("files.rs"), table).expect("writing files.rs");
}

fn run(command: &mut Command, what: &str) {
    let status = command.status().unwrap_or_else(|error| {
        panic!("{what} could not start ({error}): building the pyodide component needs npm and tar, to fetch Pyodide {VERSION} from the npm registry")
    });
    assert!(
        status.success(),
        "{what} failed ({status}) while fetching Pyodide {VERSION} from npm"
    );
}
