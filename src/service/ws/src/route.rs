//! `/ws`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Route};

pub const ROUTES: &[Route] = &[Route::get(
    "/ws",
    "why there is no WebSocket here (POST lines to /echo instead)",
    Answer::Unsupported(501),
)
.example("/ws")];
