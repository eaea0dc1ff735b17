//! The AVIF container's properties as the header reports them (tests/avif/README.md); the
//! pixels are checked against libheif in __test__/avif-boxes.test.mjs.
mod common;

use common::*;
use pixelpool_engine::decode::read_header;

fn fixture(name: &str) -> Vec<u8> {
    test_file("avif", name)
}

#[test]
fn irot_and_imir_become_the_orientation_that_turns_the_image_upright() {
    // irot counts anticlockwise quarter turns; imir 0 exchanges top and bottom, 1 left and right.
    for (name, orientation) in [
        ("irot1.avif", 8),
        ("imir0.avif", 4),
        ("imir1.avif", 2),
        ("irot3-imir0.avif", 7),
    ] {
        assert_eq!(
            read_header(&fixture(name)).unwrap().orientation,
            orientation,
            "{name}"
        );
    }
}

#[test]
fn clap_crops_and_a_grid_is_one_image_with_its_alpha() {
    let clap = fixture("clap.avif");
    let header = read_header(&clap).unwrap();
    assert_eq!((header.width, header.height), (96, 64));
    let image = decode_all(&clap);
    assert_eq!((image.width, image.height), (96, 64));
    // The crop starts at (8, 4): inside the red block, which ends at x 40, y 24.
    assert!(
        image.pixel(0, 0)[0] > 200 && image.pixel(0, 0)[1] < 40,
        "{:?}",
        image.pixel(0, 0)
    );
    assert!(image.pixel(40, 30)[0] < 200, "{:?}", image.pixel(40, 30));

    let grid = fixture("grid-alpha.avif");
    let header = read_header(&grid).unwrap();
    assert_eq!(
        (header.width, header.height, header.has_alpha),
        (128, 128, true)
    );
    let image = decode_all(&grid);
    assert_eq!(image.channels, 4);
    assert_eq!(
        image.pixel(2, 60)[3],
        0,
        "the transparent strip, in the lower-left tile"
    );
    assert!(
        image.pixel(120, 120)[2] > 200,
        "the blue block, in the lower-right tile"
    );
}

#[test]
fn colr_and_the_exif_item_reach_the_header() {
    assert!(read_header(&fixture("icc-p3.avif")).unwrap().icc.is_some());
    // nclx P3 is described by a profile made from its code points.
    assert!(read_header(&fixture("nclx-p3.avif")).unwrap().icc.is_some());
    let exif = read_header(&fixture("exif6.avif")).unwrap().exif.unwrap();
    assert!(exif.starts_with(b"Exif\0\0"));
}
