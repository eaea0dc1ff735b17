use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use pixelpool_engine::{DecodeLimits, Encoding, OutputSpec};
use pixelpool_queue::*;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/photos")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pixelpool-run-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn output(path: Option<PathBuf>, width: u32) -> OutputTarget {
    let spec = OutputSpec {
        width: Some(width),
        ..OutputSpec::new(Encoding::webp(80, false))
    };
    OutputTarget { path, spec }
}

fn job(input: Input, outputs: Vec<OutputTarget>) -> Job {
    Job {
        id: 1,
        input,
        outputs,
        priority: 0,
        limits: DecodeLimits::default(),
    }
}

#[test]
fn writes_files_and_returns_buffers() {
    let dir = scratch("ok");
    let file = dir.join("nested/out.webp");
    let job = job(
        Input::Path(corpus("kodak-kodim08.png")),
        vec![output(Some(file.clone()), 300), output(None, 100)],
    );
    let result = Pipeline::default()
        .run(&job, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(
        result.outputs[0].size,
        std::fs::metadata(&file).unwrap().len()
    );
    assert!(result.outputs[0].data.is_none());
    assert_eq!(
        result.outputs[1].data.as_ref().unwrap().len() as u64,
        result.outputs[1].size
    );
    assert_eq!(
        (result.outputs[1].width, result.outputs[1].height),
        (100, 67)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_cancelled_job_writes_nothing() {
    let dir = scratch("cancel");
    let file = dir.join("out.webp");
    let job = job(
        Input::Path(corpus("kodak-kodim08.png")),
        vec![output(Some(file.clone()), 300)],
    );
    let error = Pipeline::default()
        .run(&job, &AtomicBool::new(true))
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::Aborted);
    assert!(!file.exists() && !dir.exists());
}

#[test]
fn input_errors_name_the_file() {
    let missing = corpus("no-such-photo.jpg");
    let error = Pipeline::default()
        .run(
            &job(Input::Path(missing), vec![output(None, 10)]),
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::IoError);
    assert!(error.message.contains("no-such-photo.jpg"), "{error}");

    let folder = corpus("");
    let error = Pipeline::default()
        .run(
            &job(Input::Path(folder), vec![output(None, 10)]),
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::IoError);
    assert!(error.message.contains("directory"), "{error}");

    let error = Pipeline::default()
        .run(
            &job(
                Input::Bytes(b"nope".to_vec().into()),
                vec![output(None, 10)],
            ),
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::UnsupportedFormat);
    assert!(
        error.message.starts_with("input buffer (4 bytes)"),
        "{error}"
    );
}
