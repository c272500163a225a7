//! The black-box suite. Every test talks HTTP to the app; see `support.rs` for
//! where the app runs (in-process devhost, or `APP_URL`).

mod concurrency;
mod cpu_worker;
mod devhost_rules;
mod echo;
mod faults;
mod hello;
mod messages;
mod openapi;
mod parity;
mod pitfalls;
mod security;
mod tour;
mod tour_contract;
mod tour_control;
mod tour_streams;
mod upstream;
