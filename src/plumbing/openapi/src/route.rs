//! `/openapi.json`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Route};

pub const ROUTES: &[Route] = &[Route::get(
    "/openapi.json",
    "every route, its parameters and answers, as OpenAPI 3.1",
    Answer::OpenApi,
)
.example("/openapi.json")];
