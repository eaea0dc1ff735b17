use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pixelpool_engine::{DecodeLimits, Encoding, OutputSpec};
use pixelpool_queue::*;

fn job(id: u64, priority: i32) -> Job {
    let spec = OutputSpec::new(Encoding::png(1));
    Job {
        id,
        input: Input::Bytes(Vec::new().into()),
        outputs: vec![OutputTarget { path: None, spec }],
        priority,
        limits: DecodeLimits::default(),
    }
}

fn fake_result(job: &Job) -> JobResult {
    JobResult {
        id: job.id,
        input: pixelpool_engine::InputInfo {
            format: pixelpool_engine::Format::Png,
            width: 1,
            height: 1,
            orientation: 1,
            has_alpha: false,
            pages: 1,
            warnings: Vec::new(),
        },
        outputs: Vec::new(),
        ran_on: RanOn::Local,
        worker: None,
        cached: false,
        ms: 0.0,
        profile: Profile::default(),
    }
}

const PANICS: u64 = 99;

/// A runner that waits for a go-ahead per job, so tests decide what is running.
struct Gate {
    release: Mutex<Receiver<()>>,
    order: Mutex<Vec<u64>>,
}

fn gated(concurrency: usize, max_queue: usize) -> (Scheduler, Sender<()>, Arc<Gate>) {
    let (release_tx, release_rx) = channel();
    let gate = Arc::new(Gate {
        release: Mutex::new(release_rx),
        order: Mutex::default(),
    });
    let runner_gate = Arc::clone(&gate);
    let runner: Runner = Arc::new(move |job: &Job, _cancelled: &AtomicBool| {
        runner_gate.order.lock().unwrap().push(job.id);
        runner_gate
            .release
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(10))
            .expect("released");
        if job.id == PANICS {
            panic!("boom");
        }
        Ok(fake_result(job))
    });
    let scheduler = Scheduler::new(
        SchedulerConfig {
            concurrency,
            max_queue,
        },
        runner,
    )
    .unwrap();
    (scheduler, release_tx, gate)
}

type Seen = Arc<Mutex<Vec<(u64, Result<(), ErrorCode>)>>>;

fn collector() -> (Seen, impl Fn(u64) -> Completion) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let make = move |id: u64| -> Completion {
        let sink = Arc::clone(&sink);
        Box::new(move |outcome: Outcome| {
            sink.lock()
                .unwrap()
                .push((id, outcome.map(|_| ()).map_err(|e| e.code)))
        })
    };
    (seen, make)
}

fn wait_until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting until {what}");
}

#[test]
fn higher_priority_first_then_fifo() {
    let (scheduler, release, gate) = gated(1, 100);
    let (seen, done) = collector();
    scheduler.submit(job(1, 0), done(1)).unwrap();
    wait_until("the blocker runs", || gate.order.lock().unwrap().len() == 1);
    for (id, priority) in [(2, 0), (3, 5), (4, 0), (5, 9), (6, 5)] {
        scheduler.submit(job(id, priority), done(id)).unwrap();
    }
    for _ in 0..6 {
        release.send(()).unwrap();
    }
    wait_until("all settle", || seen.lock().unwrap().len() == 6);
    assert_eq!(*gate.order.lock().unwrap(), vec![1, 5, 3, 6, 2, 4]);
}

#[test]
fn cancelling_queued_and_running_jobs() {
    let (scheduler, release, gate) = gated(1, 100);
    let (seen, done) = collector();
    scheduler.submit(job(1, 0), done(1)).unwrap();
    scheduler.submit(job(2, 0), done(2)).unwrap();
    wait_until("job 1 runs", || gate.order.lock().unwrap().len() == 1);
    assert_eq!(scheduler.cancel(2), Cancelled::Removed);
    assert_eq!(seen.lock().unwrap()[0], (2, Err(ErrorCode::Aborted)));
    assert_eq!(scheduler.cancel(1), Cancelled::Abandoned);
    release.send(()).unwrap();
    wait_until("job 1 settles", || seen.lock().unwrap().len() == 2);
    assert_eq!(seen.lock().unwrap()[1], (1, Err(ErrorCode::Aborted)));
    assert_eq!(scheduler.cancel(1), Cancelled::Unknown);
    let stats = scheduler.stats();
    assert_eq!(
        (
            stats.cancelled,
            stats.completed,
            stats.queued,
            stats.running
        ),
        (2, 0, 0, 0)
    );
}

#[test]
fn a_panicking_job_fails_alone() {
    let (scheduler, release, _gate) = gated(1, 100);
    let (seen, done) = collector();
    scheduler.submit(job(PANICS, 0), done(PANICS)).unwrap();
    scheduler.submit(job(2, 0), done(2)).unwrap();
    release.send(()).unwrap();
    release.send(()).unwrap();
    wait_until("both settle", || seen.lock().unwrap().len() == 2);
    assert_eq!(
        *seen.lock().unwrap(),
        vec![(PANICS, Err(ErrorCode::Internal)), (2, Ok(()))]
    );
    assert_eq!(scheduler.stats().failed, 1);
}

#[test]
fn max_queue_and_close_refuse_new_jobs() {
    let (scheduler, release, gate) = gated(1, 2);
    let (_seen, done) = collector();
    scheduler.submit(job(1, 0), done(1)).unwrap();
    wait_until("job 1 runs", || gate.order.lock().unwrap().len() == 1);
    scheduler.submit(job(2, 0), done(2)).unwrap();
    scheduler.submit(job(3, 0), done(3)).unwrap();
    assert_eq!(
        scheduler.submit(job(4, 0), done(4)).unwrap_err().error.code,
        ErrorCode::QueueFull
    );
    scheduler.close();
    assert_eq!(
        scheduler.submit(job(5, 0), done(5)).unwrap_err().error.code,
        ErrorCode::Closed
    );
    for _ in 0..3 {
        release.send(()).unwrap();
    }
    wait_until("accepted jobs still finish", || {
        scheduler.stats().completed == 3
    });
}

#[test]
fn jobs_run_in_parallel_up_to_concurrency() {
    let (scheduler, release, gate) = gated(2, 100);
    let (seen, done) = collector();
    for id in 1..=3 {
        scheduler.submit(job(id, 0), done(id)).unwrap();
    }
    wait_until("two run at once", || gate.order.lock().unwrap().len() == 2);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(scheduler.stats().running, 2);
    assert_eq!(scheduler.stats().queued, 1);
    for _ in 0..3 {
        release.send(()).unwrap();
    }
    wait_until("all settle", || seen.lock().unwrap().len() == 3);
}
