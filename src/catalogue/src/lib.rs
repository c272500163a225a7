//! The catalogue: every route of the app, as its own folder declares it.
//!
//! Each component folder has a `src/route.rs` (see `basics::route`); the build
//! script finds them all, so this crate lists no route by hand. `/openapi.json` and
//! the hello page's links are made from [`FOLDERS`]; the playground builds its forms
//! from `/openapi.json`; the app suite checks the catalogue against spin.toml and
//! against what each component accepts.

pub use basics::route::{Answer, Body, Method, Param, Route};

/// A component folder and the spin.toml routes it declares.
#[derive(Debug)]
pub struct Folder {
    /// Relative to the repository root, for example `src/tour/07-wait`.
    pub path: &'static str,
    pub routes: &'static [Route],
}

include!(concat!(env!("OUT_DIR"), "/folders.rs"));

/// Every route, in reading order.
pub fn routes() -> impl Iterator<Item = &'static Route> {
    FOLDERS.iter().flat_map(|folder| folder.routes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_declares_a_route_and_no_route_twice() {
        let mut seen = std::collections::BTreeSet::new();
        for folder in FOLDERS {
            assert!(
                !folder.routes.is_empty(),
                "{} declares no route",
                folder.path
            );
            for route in folder.routes {
                assert!(
                    seen.insert(route.route),
                    "{} is declared twice",
                    route.route
                );
            }
        }
    }

    #[test]
    fn every_route_the_page_runs_says_what_it_shows_in_both_languages() {
        // The tour's lessons and the original service's report: the page's ideas.
        for folder in FOLDERS.iter().filter(|folder| {
            folder.path.starts_with("src/tour/") || folder.path == "src/service/asynctasks"
        }) {
            for route in folder.routes {
                assert!(
                    !route.summary_zh.is_empty(),
                    "{}: {} has no Chinese summary (`summary_zh`)",
                    folder.path,
                    route.route
                );
            }
        }
    }

    #[test]
    fn parameters_are_sound() {
        for route in routes() {
            let mut names = std::collections::BTreeSet::new();
            for param in &route.each_param() {
                assert!(
                    names.insert(param.name()),
                    "{}: {} twice",
                    route.route,
                    param.name()
                );
                assert!(
                    !param.doc().is_empty(),
                    "{}: {} has no doc",
                    route.route,
                    param.name()
                );
                assert!(
                    !param.doc_zh().is_empty(),
                    "{}: {} has no Chinese doc (`zh`)",
                    route.route,
                    param.name()
                );
                match param {
                    Param::Int(int) => {
                        assert!(int.min <= int.max, "{}: {}", route.route, int.name);
                        if let Some(default) = int.default {
                            assert!(
                                (int.min..=int.max).contains(&default),
                                "{}: {}",
                                route.route,
                                int.name
                            );
                        }
                    }
                    Param::IntList(list) => {
                        for item in list.default.unwrap_or(&[]) {
                            assert!(
                                (list.min..=list.max).contains(item),
                                "{}: {}",
                                route.route,
                                list.name
                            );
                        }
                    }
                    Param::Choice(choice) => {
                        assert!(
                            choice.options.contains(&choice.default),
                            "{}: {}",
                            route.route,
                            choice.name
                        )
                    }
                    Param::Path(text) => assert!(
                        route.route.contains(&format!(":{}", text.name)),
                        "{}: no :{} in the route",
                        route.route,
                        text.name
                    ),
                    Param::Flag(_) | Param::Text(_) => {}
                }
            }
        }
    }
}
