//! `/pyodide/...`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Route};

pub const ROUTES: &[Route] = &[Route::get(
    "/pyodide/...",
    "Pyodide, CPython in WebAssembly, served by the app: /pyodide/ lists its version and files",
    Answer::Object,
)
.example("/pyodide/")];
