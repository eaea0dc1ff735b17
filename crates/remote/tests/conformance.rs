//! The Redis transport passes the same conformance suite as the in-memory one, against a
//! real redis-server. Each check gets its own queue name, so nothing is shared.
mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use common::RedisServer;
use pixelpool_queue::transport::{conformance, Transport};
use pixelpool_remote::RedisTransport;

fn fresh(server: &RedisServer) -> Arc<dyn Transport> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("conformance-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    Arc::new(RedisTransport::connect(&server.url(), &name).expect("connects to the test server"))
}

#[test]
fn redis_transport_conforms() {
    let server = RedisServer::start();
    conformance::run_all(|| fresh(&server));
}

#[test]
fn a_wrong_port_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = RedisTransport::connect(&format!("redis://127.0.0.1:{port}"), "nowhere")
        .err()
        .expect("no server there");
    assert!(error.0.contains("cannot connect to Redis"), "{error}");
}

#[test]
fn a_wrong_password_is_a_clear_error() {
    let server = RedisServer::start();
    let error =
        RedisTransport::connect(&server.url().replace("redis://", "redis://:wrong@"), "auth")
            .err()
            .expect("auth fails");
    assert!(error.0.contains("Redis"), "{error}");
}
