//! `/demo/gather`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Calls, Flag, Param, Route, shared};

pub const CALLS: Calls = Calls {
    delays: shared::DELAYS.default_to(&[300, 200, 100]),
    with_failures: true,
};
pub const RETURN_EXCEPTIONS: Flag = Flag {
    name: "return_exceptions",
    default: false,
    doc: "true: failures become results; false: the first failure is raised.",
    zh: "true：失败作为结果返回；false：抛出第一个失败。",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/gather",
    "gather: ordered results, the first error",
    Answer::Report,
)
.summary_zh("gather：按顺序返回结果，或抛出第一个错误")
.calls(CALLS)
.params(&[Param::Flag(RETURN_EXCEPTIONS)])
.example("/demo/gather?fail=1")];
