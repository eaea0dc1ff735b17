//! Remote overflow's window from the producer's side: what a remote result leaves in the
//! cache, the window's bound in bytes, and the blobs freed once no job needs them.
mod producer;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use pixelpool_queue::transport::{MemoryTransport, Transport};
use pixelpool_queue::*;
use producer::*;

#[test]
fn a_remote_result_is_cached_under_the_key_taken_when_it_left() {
    let dir = std::env::temp_dir().join(format!("pixelpool-overflow-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input_path = dir.join("in.png");
    std::fs::write(&input_path, photo()).unwrap();
    let cache = Arc::new(Cache::new(dir.join("cache"), 1 << 30));
    let pipeline = Arc::new(Pipeline::new(Some(cache)));
    let transport: Arc<dyn Transport> = Arc::new(MemoryTransport::new());
    live_worker(&*transport);
    let (settled, done) = collector();
    let (runner, release) = gated();
    let scheduler = scheduler(runner);
    scheduler.submit(job(0, &photo()), done(0)).unwrap();
    wait_until("job 0 runs", || scheduler.stats().running == 1);
    let config = remote_config("replies", Duration::from_secs(30));
    scheduler.forward_to(Arc::clone(&transport), config, Arc::clone(&pipeline));
    let forwarded = Job {
        input: Input::Path(input_path.clone()),
        ..job(1, b"")
    };
    scheduler.submit(forwarded.clone(), done(1)).unwrap();
    let delivery = forwarded_job(&*transport);
    // The reply must not need the input again: it is gone before the result comes.
    std::fs::remove_file(&input_path).unwrap();
    let reply = done_reply(&*transport, delivery.job.unwrap().id);
    transport.reply("replies", &reply).unwrap();
    wait_until("job 1 settles", || {
        settled.lock().unwrap().iter().any(|(id, _)| *id == 1)
    });
    let remote = settled
        .lock()
        .unwrap()
        .iter()
        .find(|(id, _)| *id == 1)
        .unwrap()
        .1
        .clone();
    assert_eq!(remote.unwrap().ran_on, RanOn::Remote);

    std::fs::write(&input_path, photo()).unwrap();
    let again = pipeline.run(&forwarded, &AtomicBool::new(false)).unwrap();
    assert!(
        again.cached,
        "the remote result was stored under the input's key"
    );
    release.send(()).unwrap();
    wait_until("job 0 settles", || settled.lock().unwrap().len() == 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_window_is_bounded_by_bytes_and_blobs_go_once_no_job_needs_them() {
    let mut config = remote_config("replies", Duration::from_secs(30));
    config.max_in_flight_bytes = 1;
    let Rig {
        transport,
        settled,
        scheduler,
        release,
        ..
    } = rig(config, 3);
    wait_until("one is out", || scheduler.stats().remote == 1);
    std::thread::sleep(Duration::from_millis(400));
    let stats = scheduler.stats();
    assert_eq!(
        (stats.remote, stats.forwarded),
        (1, 1),
        "one input's bytes fill the window"
    );

    let first = forwarded_job(&*transport).job.unwrap();
    assert!(transport.get_blob(&first.input).unwrap().is_some());
    let reply = done_reply(&*transport, first.id);
    let output = output_blob(&reply);
    transport.reply("replies", &reply).unwrap();
    wait_until("the next one goes out", || scheduler.stats().forwarded == 2);
    assert_eq!(
        transport.get_blob(&output).unwrap(),
        None,
        "fetched outputs are deleted"
    );
    let second = forwarded_job(&*transport).job.unwrap();
    assert_eq!(second.input, first.input, "the same photo, uploaded again");
    transport
        .reply("replies", &done_reply(&*transport, second.id))
        .unwrap();
    wait_until("two ran remotely", || scheduler.stats().completed == 2);
    for _ in 0..4 {
        release.send(()).unwrap();
    }
    wait_until("all settle", || settled.lock().unwrap().len() == 4);
    wait_until("nothing is out", || scheduler.stats().remote == 0);
    assert_eq!(
        transport.get_blob(&first.input).unwrap(),
        None,
        "no job out needs the input any more"
    );
}

#[test]
fn an_input_blob_two_jobs_out_share_stays_until_both_settle() {
    // The scheduler must outlive the test: dropping it stops forwarding.
    let Rig {
        transport,
        settled,
        release,
        scheduler: _scheduler,
        ..
    } = rig(remote_config("replies", Duration::from_secs(30)), 2);
    let (a, b) = (forwarded_job(&*transport), forwarded_job(&*transport));
    let (a, b) = (a.job.unwrap(), b.job.unwrap());
    assert_eq!(a.input, b.input);
    transport
        .reply("replies", &done_reply(&*transport, a.id))
        .unwrap();
    wait_until("a settles", || settled.lock().unwrap().len() == 1);
    assert!(
        transport.get_blob(&b.input).unwrap().is_some(),
        "b still needs it"
    );
    transport
        .reply("replies", &done_reply(&*transport, b.id))
        .unwrap();
    wait_until("b settles", || settled.lock().unwrap().len() == 2);
    assert_eq!(transport.get_blob(&b.input).unwrap(), None);
    release.send(()).unwrap();
    wait_until("job 0 settles", || settled.lock().unwrap().len() == 3);
}
