//! The black-box suite. Every test talks HTTP to the app; see `support.rs` for
//! where the app runs (devhost in-process, or real Spin when `SPIN_BIN` is set).

mod await_tree;
mod catalogue;
mod concurrency;
mod cpu_worker;
mod echo;
mod facts;
mod faults;
mod framing;
mod hello;
mod layout;
mod lessons;
mod limits;
mod messages;
mod openapi;
mod parity;
mod pitfalls;
mod polls;
mod pyodide;
mod runtime_rules;
mod security;
mod text_view;
mod tour;
mod tour_contract;
mod tour_control;
mod tour_foundations;
mod tour_streams;
mod upstream;
