//! The playground's route, declared once (see `basics::route`).

use basics::route::{Answer, Route};

pub const ROUTES: &[Route] = &[Route::get(
    "/ui/...",
    "the playground: run every demo and watch its timeline",
    Answer::Page,
)
.example("/ui/")];
