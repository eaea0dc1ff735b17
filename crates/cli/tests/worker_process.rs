//! `pixelpool worker` as a real process against a real redis-server: it heartbeats, serves
//! a job, and on SIGTERM finishes and exits 0.
#[path = "../../remote/tests/common/mod.rs"]
mod common;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::RedisServer;
use pixelpool_engine::{DecodeLimits, Encoding, OutputSpec};
use pixelpool_queue::transport::{RemoteJob, ReplyBody, Transport, PROTOCOL_VERSION};
use pixelpool_remote::RedisTransport;

#[test]
fn serves_a_job_and_stops_cleanly_on_sigterm() {
    let server = RedisServer::start();
    let mut worker = Command::new(env!("CARGO_BIN_EXE_pixelpool"))
        .args([
            "worker",
            "--redis",
            &server.url(),
            "--queue",
            "proc",
            "--name",
            "w-test",
            "--concurrency",
            "2",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let producer = RedisTransport::connect(&server.url(), "proc").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while producer
        .live_workers(Duration::from_secs(5))
        .unwrap()
        .is_empty()
    {
        assert!(Instant::now() < deadline, "no heartbeat from the worker");
        std::thread::sleep(Duration::from_millis(50));
    }

    let photo = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/photos/kodak-kodim20.png"),
    )
    .unwrap();
    let spec = OutputSpec {
        width: Some(100),
        ..OutputSpec::new(Encoding::png(6))
    };
    let job = RemoteJob {
        version: PROTOCOL_VERSION,
        id: 1,
        reply_to: "pixelpool:proc:replies:test".into(),
        input: producer.put_blob(&photo, Duration::from_secs(60)).unwrap(),
        outputs: vec![spec],
        limits: DecodeLimits::default(),
    };
    producer.push(&job).unwrap();
    let replies = producer
        .replies(&job.reply_to, Duration::from_secs(10))
        .unwrap();
    let ReplyBody::Done {
        outputs,
        worker: name,
        ..
    } = &replies[0].body
    else {
        panic!("{replies:?}")
    };
    assert_eq!(
        (name.as_str(), outputs[0].width, outputs[0].height),
        ("w-test", 100, 67)
    );

    let status = Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = worker.wait().unwrap();
    let mut log = String::new();
    worker
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(exit.success(), "exit {exit:?}; log:\n{log}");
    assert!(log.contains("done 1 in"), "{log}");
    assert!(log.contains("pixelpool worker w-test stopped"), "{log}");
}

#[test]
fn an_unreachable_redis_is_reported_as_remote_unavailable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = Command::new(env!("CARGO_BIN_EXE_pixelpool"))
        .args(["worker", "--redis", &format!("redis://127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("REMOTE_UNAVAILABLE"));
}
