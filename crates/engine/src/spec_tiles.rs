//! Tile pyramid output settings, with sharp's names, choices and defaults (`tile()`, which is
//! libvips' dzsave): the output is every level of the image cut into tiles, each tile
//! encoded with the output's own encoding, named as the layout names them.
use serde::{Deserialize, Serialize};

use crate::rgba::Rgba;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TileSettings {
    pub layout: TileLayout,
    /// The side of a square tile, 1-8192.
    pub size: u32,
    /// Pixels each tile repeats of its neighbours on every side (at most `size`).
    pub overlap: u32,
    /// Where the pyramid stops; `None` is the layout's own default (`depth_or_default`).
    pub depth: Option<TileDepth>,
    /// 0, 90, 180 or 270: the image is turned clockwise before it is cut.
    pub angle: u16,
    /// Fills Google tiles past the image's edge, the `centre` border and `blank.png`; the
    /// colour `skip_blanks` compares tiles with.
    pub background: Rgba,
    /// Tiles whose every sample is within this of `background` are not written.
    pub skip_blanks: Option<u16>,
    /// The image centred in a square of a power-of-two number of tiles.
    pub centre: bool,
    /// The base of the IIIF `id` in `info.json`.
    pub id: String,
    /// Names the pyramid: `{basename}.dzi` and `{basename}_files/` (Deep Zoom) or the
    /// folder `{basename}/` (the other layouts).
    pub basename: String,
    pub container: TileContainer,
}

impl Default for TileSettings {
    fn default() -> Self {
        TileSettings {
            layout: TileLayout::Dz,
            size: 256,
            overlap: 0,
            depth: None,
            angle: 0,
            background: Rgba {
                r: 255,
                g: 255,
                b: 255,
                a: 255,
            },
            skip_blanks: None,
            centre: false,
            id: "https://example.com/iiif".into(),
            basename: "untitled".into(),
            container: TileContainer::Fs,
        }
    }
}

impl TileSettings {
    /// libvips' defaults: Deep Zoom goes down to one pixel, the others to one tile.
    pub fn depth_or_default(&self) -> TileDepth {
        self.depth.unwrap_or(match self.layout {
            TileLayout::Dz => TileDepth::OnePixel,
            _ => TileDepth::OneTile,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TileLayout {
    /// Deep Zoom: `{basename}.dzi` and `{basename}_files/{level}/{x}_{y}.jpeg`.
    #[default]
    Dz,
    /// `{basename}/{level}/{y}/{x}.jpg` and `blank.png`; edge tiles padded to full size.
    Google,
    /// `{basename}/ImageProperties.xml` and `TileGroup{n}/{level}-{x}-{y}.jpg`.
    Zoomify,
    /// IIIF Image API 2: `{basename}/info.json` and `{region}/{width},/0/default.jpg`.
    Iiif,
    /// IIIF Image API 3: `{region}/{width},{height}/0/default.jpg`.
    Iiif3,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TileDepth {
    /// Halve until the level is one pixel.
    OnePixel,
    /// Halve until the level fits one tile.
    OneTile,
    /// The full-size level only.
    One,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TileContainer {
    /// Files in folders beside the output's path.
    #[default]
    Fs,
    /// One zip archive (entries stored, as libvips' default compression 0).
    Zip,
}
