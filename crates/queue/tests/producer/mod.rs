//! What the producer-side overflow tests share: a corpus photo, a job resizing it, a
//! remote config, a collector of settled jobs and a bounded wait. Also included by
//! crates/remote/tests/overflow_with_workers.rs (by path: test crates cannot depend on
//! each other's test code).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pixelpool_engine::{DecodeLimits, Encoding, OutputSpec};
use pixelpool_queue::{Completion, Input, Job, Outcome, OutputTarget, RemoteConfig};

pub fn photo() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/photos/kodak-kodim23.png");
    std::fs::read(path).expect("corpus photo")
}

pub fn job(id: u64, input: &[u8]) -> Job {
    let spec = OutputSpec {
        width: Some(200),
        ..OutputSpec::new(Encoding::Jpeg {
            quality: 80,
            progressive: false,
            chroma_subsampling: pixelpool_engine::ChromaSubsampling::Half,
        })
    };
    Job {
        id,
        input: Input::Bytes(input.to_vec().into()),
        outputs: vec![OutputTarget { path: None, spec }],
        priority: 0,
        limits: DecodeLimits::default(),
    }
}

pub fn remote_config(reply_to: &str, timeout: Duration) -> RemoteConfig {
    RemoteConfig {
        overflow_at: 0,
        timeout,
        max_input_bytes: 64 << 20,
        max_in_flight_bytes: 1 << 30,
        blob_ttl: Duration::from_secs(60),
        reply_to: reply_to.into(),
    }
}

pub type Settled = Arc<Mutex<Vec<(u64, Outcome)>>>;

pub fn collector() -> (Settled, impl Fn(u64) -> Completion) {
    let settled: Settled = Arc::default();
    let sink = Arc::clone(&settled);
    let make = move |id: u64| -> Completion {
        let sink = Arc::clone(&sink);
        Box::new(move |outcome| sink.lock().unwrap().push((id, outcome)))
    };
    (settled, make)
}

pub fn wait_until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..1500 {
        if condition() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting until {what}");
}
