//! The two painters of laid-out text: `InkBounds` measures what would be drawn (glyph
//! outlines' bounds, not rasters, so sizing and autofit cost no drawing), and `Canvas` draws
//! it, premultiplied, as cairo draws for libvips: each glyph mask or colour glyph and each
//! rectangle composed over what is there.

use cosmic_text::{Color, FontSystem, PhysicalGlyph};
use swash::scale::image::Content;

use super::glyphs::Glyphs;

/// What sees laid-out text as drawing calls: rectangles (backgrounds, underlines) and
/// glyphs, `bold` where the glyph is to be emboldened (a synthetic bold).
pub trait Painter {
    fn rectangle(&mut self, x: i32, y: i32, w: u32, h: u32, color: Color);
    fn glyph(&mut self, glyph: PhysicalGlyph, color: Color, bold: bool);
}

/// A pixel rectangle, right and bottom exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Rect {
    pub fn width(&self) -> u32 {
        (self.right - self.left).max(0) as u32
    }

    pub fn height(&self) -> u32 {
        (self.bottom - self.top).max(0) as u32
    }

    fn union(self, other: Rect) -> Rect {
        Rect {
            left: self.left.min(other.left),
            top: self.top.min(other.top),
            right: self.right.max(other.right),
            bottom: self.bottom.max(other.bottom),
        }
    }
}

pub struct InkBounds<'f> {
    pub fonts: &'f mut FontSystem,
    pub glyphs: Glyphs,
    pub ink: Option<Rect>,
}

impl InkBounds<'_> {
    fn add(&mut self, rect: Rect) {
        if rect.width() > 0 && rect.height() > 0 {
            self.ink = Some(self.ink.map_or(rect, |ink| ink.union(rect)));
        }
    }
}

impl Painter for InkBounds<'_> {
    fn rectangle(&mut self, x: i32, y: i32, w: u32, h: u32, _: Color) {
        let (right, bottom) = (x.saturating_add(w as i32), y.saturating_add(h as i32));
        self.add(Rect {
            left: x,
            top: y,
            right,
            bottom,
        });
    }

    fn glyph(&mut self, glyph: PhysicalGlyph, _: Color, bold: bool) {
        let Some((left, top, right, bottom)) =
            self.glyphs.bounds(self.fonts, glyph.cache_key, bold)
        else {
            return; // a space: no outline
        };
        self.add(Rect {
            left: glyph.x + left.floor() as i32,
            top: glyph.y + top.floor() as i32,
            right: glyph.x + right.ceil() as i32,
            bottom: glyph.y + bottom.ceil() as i32,
        });
    }
}

/// Premultiplied RGBA over `area` of the layout.
pub struct Canvas<'f> {
    pub fonts: &'f mut FontSystem,
    pub glyphs: Glyphs,
    pub area: Rect,
    pub pixels: Vec<u8>,
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f mut FontSystem, area: Rect) -> Canvas<'f> {
        let len = area.width() as usize * area.height() as usize * 4;
        Canvas {
            fonts,
            glyphs: Glyphs::default(),
            area,
            pixels: vec![0; len],
        }
    }

    /// Composes a straight-alpha colour at layout pixel (x, y), scaled by `coverage`.
    fn blend(&mut self, x: i32, y: i32, [r, g, b, a]: [u8; 4], coverage: u8) {
        let area = self.area;
        if x < area.left || y < area.top || x >= area.right || y >= area.bottom {
            return;
        }
        let alpha = a as u32 * coverage as u32; // of 255 * 255
        if alpha == 0 {
            return;
        }
        let at = ((y - area.top) as usize * area.width() as usize + (x - area.left) as usize) * 4;
        let pixel = &mut self.pixels[at..at + 4];
        let keep = 255 * 255 - alpha;
        for (channel, source) in pixel.iter_mut().zip([r, g, b, 255]) {
            let value = source as u32 * alpha + *channel as u32 * keep;
            *channel = ((value + 255 * 255 / 2) / (255 * 255)) as u8;
        }
    }
}

impl Painter for Canvas<'_> {
    fn rectangle(&mut self, x: i32, y: i32, w: u32, h: u32, color: Color) {
        let rgba = color.as_rgba();
        let right = x.saturating_add(w as i32).min(self.area.right);
        let bottom = y.saturating_add(h as i32).min(self.area.bottom);
        for row in y.max(self.area.top)..bottom {
            for column in x.max(self.area.left)..right {
                self.blend(column, row, rgba, 255);
            }
        }
    }

    fn glyph(&mut self, glyph: PhysicalGlyph, color: Color, bold: bool) {
        let Some(image) = self.glyphs.image(self.fonts, glyph.cache_key, bold) else {
            return;
        };
        let placement = image.placement;
        let (left, top) = (glyph.x + placement.left, glyph.y - placement.top);
        let width = placement.width as usize;
        for row in 0..placement.height as usize {
            for column in 0..width {
                let (x, y) = (left + column as i32, top + row as i32);
                match image.content {
                    Content::Mask => {
                        let coverage = image.data[row * width + column];
                        self.blend(x, y, color.as_rgba(), coverage);
                    }
                    Content::Color => {
                        let at = (row * width + column) * 4;
                        let rgba = [0, 1, 2, 3].map(|i| image.data[at + i]);
                        self.blend(x, y, rgba, 255);
                    }
                    Content::SubpixelMask => {
                        let coverage = image.data[(row * width + column) * 4 + 3];
                        self.blend(x, y, color.as_rgba(), coverage);
                    }
                }
            }
        }
    }
}
