//! Patients' photos are health data: SMP Studio must not be able to send anything anywhere.
//! This test reads the whole dependency graph (`cargo metadata`, every platform, dev
//! dependencies included) and fails if any crate that speaks a network protocol is in it.
//!
//! The rule: no crate whose purpose is network traffic (HTTP, TLS, WebSocket, QUIC, DNS, mail,
//! telemetry or crash reporting, web servers), and no async runtime built with its network
//! feature. Allowed on purpose, because they never leave the machine:
//! - `zbus`: D-Bus, which the file dialog (`rfd`) uses to ask the desktop's file-chooser portal
//!   for a path, over the session bus's local Unix socket;
//! - `rustix` with its `net` feature and Windows' socket bindings: the system calls behind
//!   those local sockets and behind event polling (`polling`, `async-io`);
//! - `url`: parses the `file://` addresses the portal answers with; it opens no connection.

use serde_json::Value;
use std::collections::BTreeMap;

/// Crates whose purpose is traffic over a network, and what they are.
const NETWORK_CRATES: &[(&str, &str)] = &[
    ("reqwest", "HTTP client"),
    ("hyper", "HTTP client and server"),
    ("hyper-util", "HTTP client and server"),
    ("h2", "HTTP/2"),
    ("h3", "HTTP/3"),
    ("ureq", "HTTP client"),
    ("attohttpc", "HTTP client"),
    ("minreq", "HTTP client"),
    ("ehttp", "HTTP client"),
    ("isahc", "HTTP client"),
    ("surf", "HTTP client"),
    ("curl", "libcurl"),
    ("curl-sys", "libcurl"),
    ("rustls", "TLS"),
    ("native-tls", "TLS"),
    ("openssl", "TLS"),
    ("openssl-sys", "TLS"),
    ("webpki-roots", "TLS certificates"),
    ("tungstenite", "WebSocket"),
    ("tokio-tungstenite", "WebSocket"),
    ("async-tungstenite", "WebSocket"),
    ("quinn", "QUIC"),
    ("libp2p", "peer-to-peer networking"),
    ("trust-dns-resolver", "DNS"),
    ("hickory-resolver", "DNS"),
    ("async-net", "TCP/UDP sockets"),
    ("socket2", "TCP/UDP sockets"),
    ("lettre", "e-mail"),
    ("sentry", "crash reporting"),
    ("opentelemetry", "telemetry"),
    ("posthog-rs", "analytics"),
    ("axum", "web server"),
    ("actix-web", "web server"),
    ("warp", "web server"),
    ("rocket", "web server"),
    ("tiny_http", "web server"),
];

/// Crates allowed only without the feature that opens network sockets.
const NETWORK_FEATURES: &[(&str, &str)] = &[("tokio", "net"), ("mio", "net"), ("async-std", "default")];

/// Every crate in the resolved graph with the features it is built with.
fn graph() -> BTreeMap<String, Vec<String>> {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: BTreeMap<&str, &str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for node in metadata["resolve"]["nodes"].as_array().unwrap() {
        let name = names[node["id"].as_str().unwrap()].to_owned();
        let features =
            node["features"].as_array().unwrap().iter().filter_map(|f| f.as_str().map(String::from));
        graph.entry(name).or_default().extend(features);
    }
    graph
}

/// What breaks the rule, one line per crate.
fn violations(graph: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut found = Vec::new();
    for (name, what) in NETWORK_CRATES {
        if graph.contains_key(*name) {
            found.push(format!("{name} ({what})"));
        }
    }
    for (name, feature) in NETWORK_FEATURES {
        if graph.get(*name).is_some_and(|features| features.iter().any(|f| f == feature)) {
            found.push(format!("{name} with its `{feature}` feature"));
        }
    }
    found
}

#[test]
fn no_networking_crate_is_in_the_dependency_tree() {
    let graph = graph();
    // The graph really is the project's: the photo codec and the portal client are in it.
    for expected in ["image", "eframe", "zbus"] {
        assert!(graph.contains_key(expected), "{expected} missing: the graph was not read");
    }
    let found = violations(&graph);
    assert!(found.is_empty(), "networking crates in the dependency tree: {}", found.join(", "));
}

#[test]
fn the_rule_catches_a_network_client_and_a_networked_runtime() {
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    graph.insert("tokio".into(), vec!["rt".into()]);
    graph.insert("zbus".into(), vec![]);
    assert!(violations(&graph).is_empty());
    graph.insert("tokio".into(), vec!["rt".into(), "net".into()]);
    graph.insert("ureq".into(), vec![]);
    assert_eq!(violations(&graph), vec!["ureq (HTTP client)", "tokio with its `net` feature"]);
}
