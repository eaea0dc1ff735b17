//! SVG input: sized by density, rendered at the size the outputs need, text with the
//! bundled font, and never a file read or connection made on an SVG's behalf.
mod common;

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use pixelpool_engine::{decode, process, DecodeLimits, ErrorKind, Format, Image};

fn limits_at(density: f64) -> DecodeLimits {
    DecodeLimits {
        density,
        ..DecodeLimits::default()
    }
}

fn png_of(svg: &str, width: Option<u32>, limits: &DecodeLimits) -> Image {
    let out = process(
        svg.as_bytes(),
        &[sized(width, None, png_lossless())],
        limits,
    )
    .unwrap();
    decode_all(&out.outputs[0].bytes)
}

/// Vertical stripes one user unit wide, alternating black and white.
fn stripes(units: u32) -> String {
    let rects: String = (0..units)
        .step_by(2)
        .map(|x| format!("<rect x='{x}' y='0' width='1' height='{units}' fill='#fff'/>"))
        .collect();
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{units}' height='{units}'>\
         <rect width='100%' height='100%' fill='#000'/>{rects}</svg>"
    )
}

#[test]
fn an_svg_is_sized_by_density_and_keeps_its_colours_and_transparency() {
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='50'>\
               <rect x='0' y='0' width='50' height='50' fill='rgb(255,0,0)'/></svg>";
    let header = decode::read_header(svg.as_bytes()).unwrap();
    assert_eq!(
        (header.format, header.width, header.height),
        (Format::Svg, 100, 50)
    );
    let at_72 = png_of(svg, None, &DecodeLimits::default());
    assert_eq!((at_72.width, at_72.height, at_72.channels), (100, 50, 4));
    assert_eq!(at_72.pixel(10, 10), &[255, 0, 0, 255]);
    assert_eq!(at_72.pixel(80, 10)[3], 0, "outside the rect is transparent");
    let at_144 = png_of(svg, None, &limits_at(144.0));
    assert_eq!((at_144.width, at_144.height), (200, 100));
}

#[test]
fn physical_units_follow_librsvg_at_72_dpi() {
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='1in' height='0.5in'/>";
    let header = decode::read_header(svg.as_bytes()).unwrap();
    assert_eq!((header.width, header.height), (72, 36));
}

#[test]
fn an_enlarged_svg_is_rendered_at_the_output_size_not_upscaled() {
    // At 8x, each one-unit stripe is 8 pixels of pure black or white; a raster scaled up
    // from 32 pixels would blur every edge into greys.
    let image = png_of(&stripes(32), Some(256), &DecodeLimits::default());
    assert_eq!((image.width, image.height), (256, 256));
    let row: Vec<u8> = (0..256).map(|x| image.pixel(x, 128)[0]).collect();
    let greys = row.iter().filter(|&&v| v > 8 && v < 247).count();
    assert_eq!(greys, 0, "edges are crisp: {:?}", &row[..24]);
    for (x, value) in row.iter().enumerate() {
        let expected = if (x / 8) % 2 == 0 { 255 } else { 0 };
        assert!(value.abs_diff(expected) <= 8, "x={x}: {value}");
    }
}

#[test]
fn a_reduced_svg_is_rendered_small_directly() {
    let image = png_of(&stripes(64), Some(16), &DecodeLimits::default());
    assert_eq!((image.width, image.height), (16, 16));
    // Four stripes per pixel average to mid grey.
    let value = image.pixel(8, 8)[0];
    assert!((100..=155).contains(&value), "{value}");
}

#[test]
fn text_renders_with_a_font_even_where_the_system_has_none() {
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='60'>\
               <text x='10' y='40' font-family='NoSuchFamily, sans-serif' font-size='32' \
               fill='#000'>Hello</text></svg>";
    let image = png_of(svg, None, &DecodeLimits::default());
    let inked = image.data.chunks_exact(4).filter(|p| p[3] > 128).count();
    assert!(inked > 300, "text drew {inked} pixels");
}

#[test]
fn external_references_are_never_read_or_fetched() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    let watcher = std::thread::spawn(move || {
        let until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < until {
            if let Ok((mut stream, _)) = listener.accept() {
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = stream.read(&mut [0; 64]);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    let secret = std::env::temp_dir().join(format!("pixelpool-svg-secret-{port}.png"));
    std::fs::write(&secret, encoded_red_png()).unwrap();
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' \
         width='40' height='40'>\
         <style>@import url(http://127.0.0.1:{port}/style.css);</style>\
         <image href='file:///etc/passwd' width='40' height='40'/>\
         <image xlink:href='{}' width='40' height='40'/>\
         <image href='http://127.0.0.1:{port}/image.png' width='40' height='40'/>\
         <use href='http://127.0.0.1:{port}/other.svg#shape'/></svg>",
        secret.display()
    );
    let out = process(
        svg.as_bytes(),
        &[sized(None, None, png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    watcher.join().unwrap();
    std::fs::remove_file(&secret).unwrap();
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "no connection is opened"
    );
    let image = decode_all(&out.outputs[0].bytes);
    assert!(
        image.data.chunks_exact(4).all(|p| p[3] == 0),
        "the local PNG was not drawn"
    );
    let warnings = out.input.warnings.join("\n");
    for expected in ["file:///etc/passwd", "image.png", "other.svg", "@import"] {
        assert!(
            warnings.contains(expected),
            "warned of {expected}: {warnings}"
        );
    }
    assert!(
        warnings.contains(&secret.display().to_string()),
        "{warnings}"
    );
}

fn encoded_red_png() -> Vec<u8> {
    let red = Image::filled(4, 4, &[255, 0, 0, 255]);
    pixelpool_engine::encode::encode(
        &red,
        &png_lossless(),
        pixelpool_engine::Rgba::BLACK,
        &Default::default(),
    )
    .unwrap()
}

#[test]
fn an_embedded_data_url_image_is_drawn() {
    use std::fmt::Write;
    let png = encoded_red_png();
    let mut base64 = String::new();
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in png.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            let c = if i <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * i) & 63) as usize]
            } else {
                b'='
            };
            base64.write_char(c as char).unwrap();
        }
    }
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'>\
         <image href='data:image/png;base64,{base64}' width='8' height='8'/></svg>"
    );
    let image = png_of(&svg, None, &DecodeLimits::default());
    assert_eq!(image.pixel(4, 4), &[255, 0, 0, 255]);
}

#[track_caller]
fn refused_quickly(svg: &str, kind: ErrorKind) -> String {
    let started = Instant::now();
    let error = process(
        svg.as_bytes(),
        &[sized(Some(16), None, png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(error.kind, kind, "{}", error.message);
    error.message
}

#[test]
fn entity_bombs_are_refused_within_a_second() {
    // Billion laughs: ten levels of ten references.
    let mut dtd = String::from("<!ENTITY lol0 'lol'>");
    for level in 1..10 {
        let refs: String = (0..10).map(|_| format!("&lol{};", level - 1)).collect();
        dtd.push_str(&format!("<!ENTITY lol{level} '{refs}'>"));
    }
    let laughs = format!(
        "<?xml version='1.0'?><!DOCTYPE svg [{dtd}]>\
         <svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><text>&lol9;</text></svg>"
    );
    assert!(refused_quickly(&laughs, ErrorKind::CorruptInput).contains("entit"));
    // One level, many references: roxmltree's nesting limit does not see it.
    let wide = format!(
        "<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY big '{}'>]>\
         <svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><text>{}</text></svg>",
        "x".repeat(100_000),
        "&big;".repeat(200)
    );
    assert!(refused_quickly(&wide, ErrorKind::CorruptInput).contains("entit"));
}

#[test]
fn deep_nesting_and_use_bombs_are_refused_within_a_second() {
    let deep = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>{}{}</svg>",
        "<g>".repeat(100_000),
        "</g>".repeat(100_000)
    );
    assert!(refused_quickly(&deep, ErrorKind::CorruptInput).contains("nested"));
    // Each level uses the one before ten times: 10^9 elements from 12 lines.
    let mut defs = String::from("<rect id='u0' width='1' height='1'/>");
    for level in 1..10 {
        let uses: String = (0..10)
            .map(|_| format!("<use href='#u{}'/>", level - 1))
            .collect();
        defs.push_str(&format!("<g id='u{level}'>{uses}</g>"));
    }
    let uses = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><defs>{defs}</defs>\
         <use href='#u9'/></svg>"
    );
    assert!(refused_quickly(&uses, ErrorKind::InputTooLarge).contains("<use>"));
}

#[test]
fn an_svg_canvas_above_the_pixel_limit_is_refused_before_rendering() {
    let huge = "<svg xmlns='http://www.w3.org/2000/svg' width='100000' height='100000'/>";
    refused_quickly(huge, ErrorKind::InputTooLarge);
}

#[test]
fn nesting_within_the_bound_renders_on_a_small_stack() {
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>{}\
         <rect width='10' height='10' fill='#0f0'/>{}</svg>",
        "<g>".repeat(120),
        "</g>".repeat(120)
    );
    let image = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || png_of(&svg, None, &DecodeLimits::default()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(image.pixel(5, 5), &[0, 255, 0, 255]);
}

fn turbulence(octaves: &str) -> Image {
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='64' height='64'><filter id='f'>\
         <feTurbulence baseFrequency='0.05' numOctaves='{octaves}'/></filter>\
         <rect width='64' height='64' filter='url(#f)'/></svg>"
    );
    png_of(&svg, None, &DecodeLimits::default())
}

#[test]
fn feturbulence_octaves_past_twenty_two_change_nothing_and_are_not_drawn() {
    // Octave k adds at most 2^-k of full scale (more where unpremultiplying by a low alpha
    // amplifies it). Measured against 24 octaves here: 8 moves 5681 of 16384 samples, 16
    // moves 45 (by up to 5), 20 moves 4 (by up to 2), 22 and 23 move none. So 22 and 24,
    // both drawn in full, are the same image ...
    assert!(turbulence("22").data == turbulence("24").data);
    // ... while the first octaves are visible (the control).
    assert!(turbulence("1").data != turbulence("4").data);
    // So a count of billions is drawn as 24, in the time of 24.
    assert!(turbulence("24").data == turbulence("33333333333").data);
}

#[test]
fn an_svg_whose_drawing_would_pass_the_budget_is_refused_and_smaller_outputs_are_not() {
    // feMorphology visits its whole window for every pixel: a radius of 60 units over
    // 1000x1000 is 1.5e10 window pixels at full size, and 100 times less at a tenth.
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='1000' height='1000'>\
               <filter id='f'><feMorphology radius='60'/></filter>\
               <rect width='1000' height='1000' filter='url(#f)'/></svg>";
    let full = process(
        svg.as_bytes(),
        &[sized(None, None, png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap_err();
    assert_eq!(full.kind, ErrorKind::InputTooLarge);
    assert!(full.message.contains("feMorphology"), "{}", full.message);
    let small = png_of(svg, Some(100), &DecodeLimits::default());
    assert_eq!((small.width, small.height), (100, 100));
}
