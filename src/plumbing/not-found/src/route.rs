//! The catch-all route, declared once (see `basics::route`).

use basics::route::{Answer, Route};

pub const ROUTES: &[Route] = &[Route::get(
    "/...",
    "Every other path: a JSON 404",
    Answer::NotFound,
)];
