//! SVG input, by usvg (parse) and resvg (render), both pure Rust. Sizes follow sharp's
//! `density`: a user unit is density / 72 pixels. The image is rendered at the size the
//! outputs need (shrink::choose gives the scale), so an enlarged SVG stays sharp.
//!
//! An SVG never makes the process read a file or open a connection: image references
//! other than `data:` URLs, external `<use>`, `@import` and `@font-face` are dropped with a
//! warning (usvg loads none of the others; its default image resolver would read files,
//! so it is replaced). guard.rs and references.rs bound what parsing and conversion may
//! cost, cost.rs what drawing may, and draw.rs stops a drawing whose job was stopped.
mod cost;
mod draw;
mod fonts;
mod guard;
mod references;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use resvg::tiny_skia;
use resvg::usvg::{self, roxmltree, ImageHrefResolver, ImageKind};

use super::{DecodeScale, Header};
use crate::error::{EngineError, ErrorKind, Result};
use crate::format::is_svg;
use crate::image::Image;
use crate::spec::{DecodeLimits, Format, DEFAULT_DENSITY};

struct Parsed {
    tree: usvg::Tree,
    warnings: Vec<String>,
}

/// The largest side libvips (cairo) renders an SVG at, as sharp refuses larger.
const MAX_SIDE: u32 = 32767;

pub fn read_header(bytes: &[u8], density: f64) -> Result<Header> {
    let parsed = parse(bytes, &DecodeLimits::default())?;
    let (width, height) = size_at(&parsed.tree, density);
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!("Input SVG image exceeds {MAX_SIDE}x{MAX_SIDE} pixel limit ({width}x{height})"),
        ));
    }
    Ok(Header {
        format: Format::Svg,
        width,
        height,
        has_alpha: true,
        orientation: 1,
        exif: None,
        icc: None,
        warnings: parsed.warnings,
    })
}

fn size_at(tree: &usvg::Tree, density: f64) -> (u32, u32) {
    let size = tree.size();
    let pixels = |units: f32| ((units as f64 * density / DEFAULT_DENSITY).round() as u32).max(1);
    (pixels(size.width()), pixels(size.height()))
}

/// Renders at `scale` of the header's size, or smaller if that would pass the pixel limit.
pub fn decode(
    bytes: &[u8],
    header: &Header,
    scale: DecodeScale,
    limits: &DecodeLimits,
    stop: &AtomicBool,
) -> Result<Image> {
    let parsed = parse(bytes, limits)?;
    let (mut width, mut height) = scale.size_of(header);
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!("Input SVG image will exceed {MAX_SIDE}x{MAX_SIDE} pixel limit when scaled ({width}x{height})"),
        ));
    }
    let pixels = width as f64 * height as f64;
    let allowed = limits.max_pixels.min(super::MAX_DECODED_BYTES / 4) as f64;
    if pixels > allowed {
        let shrink = (allowed / pixels).sqrt();
        width = ((width as f64 * shrink).floor() as u32).max(1);
        height = ((height as f64 * shrink).floor() as u32).max(1);
    }
    let size = parsed.tree.size();
    let transform = tiny_skia::Transform::from_scale(
        width as f32 / size.width(),
        height as f32 / size.height(),
    );
    cost::check(&parsed.tree, transform, width, height)?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| EngineError::internal(format!("cannot render {width}x{height}")))?;
    draw::draw(&parsed.tree, transform, &mut pixmap.as_mut(), stop)?;
    Ok(Image::new(
        width,
        height,
        4,
        crate::pixels::unpremultiplied_rgba(pixmap.take()),
    ))
}

fn parse(bytes: &[u8], limits: &DecodeLimits) -> Result<Parsed> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| EngineError::corrupt("SVG is not UTF-8 text"))?;
    let text = guard::with_octaves_clamped(text)?;
    let document = guard::parse(&text)?;
    let warnings = Mutex::new(dropped_references(&document, &text));
    let mut options = usvg::Options {
        // Physical units as librsvg has them at 72 dpi; density scales the whole image.
        dpi: DEFAULT_DENSITY as f32,
        image_href_resolver: ImageHrefResolver {
            resolve_data: Box::new(|mime, data, options| {
                embedded_image(mime, data, options, limits, &warnings)
            }),
            resolve_string: Box::new(|href, _| {
                warn(
                    &warnings,
                    format!("SVG image '{href}' not loaded: only data: URLs are"),
                );
                None
            }),
        },
        ..usvg::Options::default()
    };
    if document.descendants().any(|n| n.has_tag_name("text")) {
        options.fontdb = fonts::database();
    }
    let tree = usvg::Tree::from_xmltree(&document, &options)
        .map_err(|e| EngineError::corrupt(format!("SVG cannot be rendered: {e}")))?;
    drop(options);
    Ok(Parsed {
        tree,
        warnings: warnings.into_inner().unwrap_or_default(),
    })
}

fn warn(warnings: &Mutex<Vec<String>>, message: String) {
    let mut warnings = warnings.lock().unwrap_or_else(|e| e.into_inner());
    if !warnings.contains(&message) {
        warnings.push(message);
    }
}

/// What usvg drops silently but a user should hear about.
fn dropped_references(document: &roxmltree::Document<'_>, text: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    for node in document.descendants().filter(|n| n.has_tag_name("use")) {
        if let Some(href) = references::href(node).filter(|h| !h.starts_with('#')) {
            warnings.push(format!(
                "SVG <use> of '{href}' not loaded: only references inside the file are"
            ));
        }
    }
    for rule in ["@import", "@font-face"] {
        if text.contains(rule) {
            warnings.push(format!(
                "SVG {rule} ignored: an SVG never loads other files"
            ));
        }
    }
    warnings
}

/// A `data:` image inside the SVG: raster formats within the pixel limit (resvg decodes
/// them), nested SVG through the same guards.
fn embedded_image(
    mime: &str,
    data: Arc<Vec<u8>>,
    options: &usvg::Options<'_>,
    limits: &DecodeLimits,
    warnings: &Mutex<Vec<String>>,
) -> Option<ImageKind> {
    if mime == "image/svg+xml" || is_svg(&data) {
        let text = std::str::from_utf8(&data).ok()?;
        let text = guard::with_octaves_clamped(text).ok()?;
        return match guard::parse(&text) {
            Ok(document) => usvg::Tree::from_xmltree(&document, options)
                .ok()
                .map(ImageKind::SVG),
            Err(error) => {
                warn(
                    warnings,
                    format!("SVG's embedded SVG not rendered: {}", error.message),
                );
                None
            }
        };
    }
    let header = match super::read_header(&data) {
        Ok(header) => header,
        Err(error) => {
            warn(
                warnings,
                format!("SVG's embedded image not rendered: {}", error.message),
            );
            return None;
        }
    };
    if let Err(error) = super::check_limits(&header, limits) {
        warn(
            warnings,
            format!("SVG's embedded image not rendered: {}", error.message),
        );
        return None;
    }
    match header.format {
        Format::Jpeg => Some(ImageKind::JPEG(data)),
        Format::Png => Some(ImageKind::PNG(data)),
        Format::Gif => Some(ImageKind::GIF(data)),
        Format::Webp => Some(ImageKind::WEBP(data)),
        other => {
            warn(
                warnings,
                format!(
                    "SVG's embedded {} image not rendered: only JPEG, PNG, GIF and WebP are",
                    other.name()
                ),
            );
            None
        }
    }
}
