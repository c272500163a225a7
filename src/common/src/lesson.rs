//! The Rust a lesson shows is the Rust that ran: a marked region of the
//! component's own source, cut out at compile time.
//!
//! In a lesson's `src/lib.rs`, the code that does what the Python does sits
//! between two marker lines:
//!
//! ```text
//! // region: wait
//! let mut running: FuturesUnordered<_> = ...;
//! // endregion: wait
//! ```
//!
//! and `const WAIT: Region = common::region!("wait");` embeds it. The source is
//! read by `include_str!` and the region found by a `const fn`, so a missing or
//! unclosed region stops the build; a report then answers the code with the file
//! and lines it came from (`rust_source`), so a learner goes from a run to its code
//! in one step.
//!
//! The Python side is cut the same way: the folder's `lesson.py` (the complete
//! asyncio program the page shows) marks the lines that are the idea with
//! `# region: idea` and `# endregion: idea`, and `common::python_region!("idea")`
//! embeds them as the report's `python`.

use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

/// A region of a component's source: its code and where it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// The source file, relative to the repository root (`file!()`).
    pub file: &'static str,
    /// The region's name, as in its marker lines.
    pub name: &'static str,
    /// The lines between the markers, as written (indentation kept).
    pub code: &'static str,
    /// The first and last line of `code` in `file`, counted from 1.
    pub first_line: usize,
    pub last_line: usize,
}

/// Where a report's `rust` comes from: `{"file": ..., "first_line": .., "last_line": ..}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub file: &'static str,
    pub first_line: usize,
    pub last_line: usize,
}

/// Embeds region `$name` of the calling crate's `src/lib.rs` as a [`Region`]; use it
/// in a `const` so that a missing region is a compile error.
#[macro_export]
macro_rules! region {
    ($name:literal) => {
        $crate::kept_alone!($crate::lesson::Region::cut(
            file!(),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")),
            $name,
        ))
    };
}

/// Embeds region `$name` of the calling crate's `lesson.py` (its asyncio program) as
/// a [`Region`], marked with `# region: NAME` lines.
#[macro_export]
macro_rules! python_region {
    ($name:literal) => {
        $crate::kept_alone!($crate::lesson::Region::cut_marked(
            file!(),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/lesson.py")),
            $name,
            b"# region: ",
            b"# endregion: ",
        ))
    };
}

/// A region (a `const` expression) with its code copied, at compile time, out of
/// the file it was cut from, so that the component holds the region and not the
/// whole file: a sub-slice of an `include_str!` keeps all of it in the data
/// segment (around a lesson's region lies its handler, 5 to 8 KB).
#[doc(hidden)]
#[macro_export]
macro_rules! kept_alone {
    ($region:expr) => {{
        const CUT: $crate::lesson::Region = $region;
        const CODE: [u8; CUT.code.len()] = $crate::lesson::copy_of(CUT.code);
        CUT.with_code(match ::core::str::from_utf8(&CODE) {
            Ok(code) => code,
            Err(_) => panic!("a region is cut at line ends, so it is UTF-8"),
        })
    }};
}

/// The bytes of `text`, as an array of its length (for [`kept_alone!`]).
#[doc(hidden)]
pub const fn copy_of<const N: usize>(text: &str) -> [u8; N] {
    let bytes = text.as_bytes();
    let mut copy = [0u8; N];
    let mut i = 0;
    while i < N {
        copy[i] = bytes[i];
        i += 1;
    }
    copy
}

impl Region {
    /// Finds the lines between `// region: NAME` and `// endregion: NAME` in `source`.
    /// Panics (at compile time, in a `const`) when either marker is missing.
    pub const fn cut(file: &'static str, source: &'static str, name: &'static str) -> Self {
        Self::cut_marked(file, source, name, b"// region: ", b"// endregion: ")
    }

    /// [`cut`](Self::cut) with other marker prefixes (`# region: ` in Python).
    pub const fn cut_marked(
        file: &'static str,
        source: &'static str,
        name: &'static str,
        open: &[u8],
        close: &[u8],
    ) -> Self {
        let bytes = source.as_bytes();
        let mut start = 0; // byte offset of the current line
        let mut line = 1;
        let mut code_start = None; // (byte offset, line number)
        while start < bytes.len() {
            let end = line_end(bytes, start);
            if code_start.is_none() && is_marker(bytes, start, end, open, name) {
                code_start = Some((next_line(bytes, end), line + 1));
            } else if let Some((from, first_line)) = code_start
                && is_marker(bytes, start, end, close, name)
            {
                let code = slice(source, from, start);
                return Self {
                    file,
                    name,
                    code,
                    first_line,
                    last_line: line - 1,
                };
            }
            start = next_line(bytes, end);
            line += 1;
        }
        panic!("a lesson region is missing or unclosed: see its // region: marker")
    }

    /// The code with its common indentation removed and no trailing newline: what a
    /// report answers as `rust`. Worked out once per region and instance: the
    /// region never changes, and an instance serves up to 128 requests.
    pub fn text(&self) -> &'static str {
        thread_local! {
            // Keyed by where the code lies: a Rust and a Python region may share a name.
            static DEDENTED: RefCell<HashMap<usize, &'static str>> = RefCell::new(HashMap::new());
        }
        DEDENTED.with(|dedented| {
            *dedented
                .borrow_mut()
                .entry(self.code.as_ptr() as usize)
                // A handful of regions per component, each leaked once.
                .or_insert_with(|| Box::leak(dedent(self.code).into_boxed_str()))
        })
    }

    /// Where the code lives, for a report's `rust_source`. A `const` that keeps
    /// only this (a helper's lines, `crate::task::HELPERS`) leaves the file's text
    /// out of the component.
    pub const fn source(&self) -> SourceRef {
        SourceRef {
            file: self.file,
            first_line: self.first_line,
            last_line: self.last_line,
        }
    }

    /// The same region with `code` in place of its code (for [`kept_alone!`]).
    #[doc(hidden)]
    pub const fn with_code(self, code: &'static str) -> Self {
        Self { code, ..self }
    }
}

/// `code` with its common indentation removed, trailing spaces and the last
/// newline dropped.
fn dedent(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|line| line.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The offset of the `\n` that ends the line starting at `start` (or the end).
const fn line_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start;
    while at < bytes.len() && bytes[at] != b'\n' {
        at += 1;
    }
    at
}

const fn next_line(bytes: &[u8], end: usize) -> usize {
    if end < bytes.len() { end + 1 } else { end }
}

/// True when the line `bytes[start..end]`, trimmed, is `prefix` followed by `name`.
const fn is_marker(bytes: &[u8], start: usize, end: usize, prefix: &[u8], name: &str) -> bool {
    let mut from = start;
    while from < end && (bytes[from] == b' ' || bytes[from] == b'\t') {
        from += 1;
    }
    let mut to = end;
    while to > from && (bytes[to - 1] == b' ' || bytes[to - 1] == b'\r') {
        to -= 1;
    }
    let name = name.as_bytes();
    if to - from != prefix.len() + name.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if bytes[from + i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    let mut j = 0;
    while j < name.len() {
        if bytes[from + prefix.len() + j] != name[j] {
            return false;
        }
        j += 1;
    }
    true
}

/// `source[from..to]` in a `const fn`.
const fn slice(source: &'static str, from: usize, to: usize) -> &'static str {
    let (_, rest) = source.as_bytes().split_at(from);
    let (piece, _) = rest.split_at(to - from);
    match core::str::from_utf8(piece) {
        Ok(text) => text,
        Err(_) => panic!("a region must start and end on line boundaries"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "fn a() {\n    // region: demo\n    let x = 1;\n\n        x + 1\n    // endregion: demo\n}\n// region: other\nz\n// endregion: other\n";

    #[test]
    fn cuts_a_region_with_its_lines() {
        const DEMO: Region = Region::cut("f.rs", SOURCE, "demo");
        assert_eq!(DEMO.code, "    let x = 1;\n\n        x + 1\n");
        assert_eq!((DEMO.first_line, DEMO.last_line), (3, 5));
        assert_eq!(DEMO.text(), "let x = 1;\n\n    x + 1");
        assert!(std::ptr::eq(DEMO.text(), DEMO.text()), "worked out once");
        let other = Region::cut("f.rs", SOURCE, "other");
        assert_eq!(
            (other.code, other.first_line, other.last_line),
            ("z\n", 9, 9)
        );
        assert_eq!(
            other.source(),
            SourceRef {
                file: "f.rs",
                first_line: 9,
                last_line: 9
            }
        );
    }

    #[test]
    fn cuts_a_python_region() {
        const PY: &str = "import asyncio\n\nasync def main():\n    # region: idea\n    await asyncio.sleep(1)\n    # endregion: idea\n";
        let idea = Region::cut_marked("lesson.py", PY, "idea", b"# region: ", b"# endregion: ");
        assert_eq!(idea.text(), "await asyncio.sleep(1)");
        assert_eq!((idea.first_line, idea.last_line), (5, 5));
    }

    #[test]
    #[should_panic(expected = "missing or unclosed")]
    fn a_missing_region_is_refused() {
        Region::cut("f.rs", SOURCE, "dem");
    }

    #[test]
    #[should_panic(expected = "missing or unclosed")]
    fn an_unclosed_region_is_refused() {
        Region::cut("f.rs", "// region: open\nx\n", "open");
    }
}
